"""PC0xx: input problems. PC001 is raised by the engine from a ReadError; these run on Documents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import regex

from ..model import Document, Finding, Span
from .base import Kind

# TCVN3 (.VnTime) and VNI fonts leave typical byte-pattern letters in Unicode text.
# TCVN3 (.VnTime) text read as Unicode shows Latin-1 symbols that Vietnamese never uses
# (¸ µ ¶ · ¹ ¨ © ® ª « ¬ » ¼ ½ ¾ Æ Ç Ë Î Ï Ð Ñ Ö × Ø Û Ü Þ ß æ ç ë î ï ñ ö ø û ü þ) inside words;
# VNI text shows letters followed by ä ë ï ö ü å æ.
_TCVN3 = regex.compile(r"\p{Ll}[¸µ¶·¹¨©®ª«¬»¼½¾ÆÇËÎÏÐÑÖ×ØÛÜÞßæçëîïñöøûüþ]|[¸µ¶·¹¨©®ª«¬»¼½¾æçëîïñöøûüþ]\p{Ll}")
# Every _TCVN3 match holds one of these characters: a text without any has no match, and
# Python's re finds that in a tenth of the time of the regex search.
_TCVN3_ANY = re.compile(r"[¸µ¶·¹¨©®ª«¬»¼½¾ÆÇËÎÏÐÑÖ×ØÛÜÞßæçëîïñöøûüþ]")
_COMBINING = regex.compile(r"[\u0300-\u0303\u0309\u0323\u0306\u0302\u031b]")


class InputError(Kind):
    """Placeholder for PC001 (the engine builds its finding from the reader's reason)."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        return ()


class ReaderIssue(Kind):
    """PC002: encoding problems: fallback decoding, U+FFFD, legacy font encodings, mixed NFC/NFD."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        anchor = doc.blocks[0].span if doc.blocks else Span(0, 0)
        seen = set()
        for code, params in doc.issues:
            if code != rule.code:
                continue
            enc = str(params.get("encoding", ""))
            if enc in seen:
                continue
            seen.add(enc)
            if enc == "bad_bytes":
                yield rule.finding(doc, anchor, variant="bad_bytes", lines=params.get("lines", "?"))
            elif enc == "U+FFFD":
                i = doc.text.find("\ufffd")
                span = Span(i, i + 1) if i >= 0 else anchor
                yield rule.finding(doc, span, variant="replacement")
            else:
                yield rule.finding(doc, anchor, variant="fallback", encoding=enc)
        text = doc.text
        sample = text[:20000]
        hits = len(_TCVN3.findall(sample)) if _TCVN3_ANY.search(sample) and _TCVN3.search(sample) else 0
        letters = sum(1 for c in sample if c.isalpha()) if hits >= 10 else 0
        if letters and hits > 0.02 * letters and hits >= 10:
            m = _TCVN3.search(sample)
            yield rule.finding(doc, Span(m.start(), m.end()) if m else anchor, variant="legacy", font="TCVN3/VNI")
        src = doc.sourcemap.source[:200000]
        if not unicodedata.is_normalized("NFC", src) and _COMBINING.search(src):
            yield rule.finding(doc, anchor, variant="nfd")


class ReaderNotice(Kind):
    """A fact the reader noticed about the file (PC004: tracked changes read as accepted),
    said once per document."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        if any(code == rule.code for code, _ in doc.issues):
            yield rule.finding(doc, doc.title_span)


class NotAPlan(Kind):
    """PC003: no KẾ HOẠCH title: plan rules still run, but the reader is told once."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        if doc.metadata.get("is_plan"):
            return
        t = doc.metadata.get("doc_type") or _letter_by_number(doc.metadata.get("number_code"))
        span = doc.title_span
        yield rule.finding(doc, span, doc_type=t or "?")


def _letter_by_number(code: str | None) -> str | None:
    """A công văn has no title; its ký hiệu names no document type ("/UBND-NC", "/STP-BTTP"
    where a plan's is "/KH-UBND"): Nghị định 30/2020/NĐ-CP, Phụ lục I."""
    if not code:
        return None
    from ..extract.registry import abbreviations

    types = {a.upper() for t in abbreviations()["types"] for a in (t.get("abbr") or ())}
    first = code.replace("–", "-").split("-")[0].split("/")[-1].upper()
    return None if first in types else "CÔNG VĂN"
