"""PC6xx: administrative format of Nghị định 30/2020/NĐ-CP, read from the parsed header and closing.

The header extractor (``extract/header.py``) and the closing extractor
(``extract/signature.py``) have already found the number–ký hiệu, the place-and-date
line, Quốc hiệu / Tiêu ngữ, the signature block and Nơi nhận, each with its offsets;
these kinds only judge what was found and point at it. Facts (authority prefixes,
deputy titles, type abbreviations) come from ``rules/facts/format.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

from ..extract.signature import facts
from ..model import Document, Finding, Span
from .base import Kind, compile_pattern


def _span(doc: Document, key: str) -> Span | None:
    v = doc.metadata.get(key)
    return Span(*v) if v else None


_ATTACHED = regex.compile(r"^[\s(*_]*(?:\(?\s*(?:ban hành\s+)?kèm theo\b|phụ lục\b|phụ biểu\b)", regex.I)
_PARTY = regex.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
_PARTY_NUMBER = regex.compile(r"^\s*Số\b[\s\d.…]*-\s*\p{Lu}+/\p{Lu}")


def _attached_types() -> set[str]:
    from ..extract.signature import facts

    return {t.upper() for t in facts().get("attached_doc_types", [])}


class HeaderPart(Kind):
    """PC601 / PC603 / PC605: a part of the header is missing (number line, place and date,
    Quốc hiệu / Tiêu ngữ). ``part``: number | place_date | national."""

    required = ("part",)

    def setup(self, params: dict[str, Any]) -> None:
        self.part = params["part"]
        if self.part not in ("number", "place_date", "national"):
            raise ValueError(f"tham số 'part' không hợp lệ / bad parameter 'part': {self.part}")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        m = doc.metadata
        if m.get("web_article"):
            return  # a web page is not an administrative document: it has no header to check
        opening = [doc.block_text(b) for b in doc.blocks[:14]]
        attached = (m.get("doc_type") or "").upper() in _attached_types()
        if attached or any(_ATTACHED.match(t) for t in opening):
            return  # an annex, a statute "ban hành kèm theo" a decision: the header is the decision's
        party = any(_PARTY.search(t) for t in opening)
        if party and (
            self.part == "national" or (self.part == "number" and any(_PARTY_NUMBER.match(t) for t in opening))
        ):
            return  # a Party document: "ĐẢNG CỘNG SẢN VIỆT NAM" and "Số …-NQ/TU" (Hướng dẫn 36-HD/VPTW)
        # A plan without any header has lost it (scraped text: info by the rule's
        # severity_by_format) or was drafted without one; anything else without a header
        # region (an agenda, an internal note, an annex table) never needed one.
        headerless = not (m.get("number_raw") or m.get("has_quoc_hieu") or m.get("has_tieu_ngu")) and (
            m.get("place_date_block") is None
        )
        if not m.get("is_plan") and (headerless or not any(b.region == "header" for b in doc.blocks)):
            return
        sev = None
        if self.part == "number":
            if not m.get("number_raw"):
                yield rule.finding(doc, doc.title_span, severity=sev)
        elif self.part == "place_date":
            if m.get("place_date_block") is None:
                yield rule.finding(doc, doc.title_span, severity=sev)
            elif m.get("issue_date_blank") and m.get("_place_date_span"):
                # "Hà Nội, ngày     tháng     năm 2025": the date was never filled in
                span = Span(*m["_place_date_span"])
                yield rule.finding(doc, span, variant="blank_date", found=doc.slice(span))
        else:
            qh, tn = bool(m.get("has_quoc_hieu")), bool(m.get("has_tieu_ngu"))
            if not qh and not tn:
                yield rule.finding(doc, doc.title_span, severity=sev)
            elif not qh:
                yield rule.finding(doc, doc.title_span, variant="no_quoc_hieu", severity=sev)
            elif not tn:
                yield rule.finding(doc, doc.title_span, variant="no_tieu_ngu", severity=sev)


class NumberFormat(Kind):
    """PC602: the number–ký hiệu written against the rule: spaces inside it, a blank number,
    a type abbreviation that is not the document's own ("KH" for a Kế hoạch), and annex
    headings that refer to the plan with its number left blank ("Kèm theo kế hoạch số /UBND")."""

    required = ("annex_reference",)

    def setup(self, params: dict[str, Any]) -> None:
        self.annex_ref = compile_pattern(params["annex_reference"], "annex_reference")
        # A form template leaves the year blank too ("ngày… tháng … năm…"): not a defect.
        self.annex_year = compile_pattern(params.get("annex_year", r"(?<!\d)(?:19|20)\d\d(?!\d)"), "annex_year")
        self.annex_window = int(params.get("annex_window", 80))
        self.abbr = {k.upper(): v for k, v in facts()["type_abbreviations"].items()}

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        m = doc.metadata
        raw = m.get("number_raw")
        span = _span(doc, "_number_span")
        if raw and span and m.get("number_style") != "party":
            number = m.get("number") or ""
            if not m.get("number_value"):
                yield rule.finding(doc, span, variant="blank", found=raw, expected=f"Số: 01{number}")
            elif regex.search(r"\s", regex.sub(r"^Số\s*:?\s*", "", raw)):
                yield rule.finding(doc, span, variant="spaces", found=raw, expected=f"Số: {number}")
            dtype = (m.get("issuing_doc_type") or m.get("doc_type") or "").upper()
            want = self.abbr.get(dtype)
            code = (m.get("number_code") or "").split("/")[-1]
            got = code.split("-")[0] if code else ""
            if want and got and got.casefold() != want.casefold():
                yield rule.finding(
                    doc,
                    span,
                    variant="type",
                    found=raw,
                    type_found=got,
                    type_expected=want,
                    doc_type=dtype.capitalize() if dtype else "",
                )
        for b in doc.blocks:
            if b.region not in ("annex", "closing", "body") or b.kind != "paragraph":
                continue
            t = doc.block_text(b)
            if len(t) > 400 or "èm theo" not in t:
                continue
            for mm in self.annex_ref.finditer(t):
                if not self.annex_year.search(t, mm.end(), mm.end() + self.annex_window):
                    continue
                s = Span(b.span.start + mm.start(), b.span.start + mm.end())
                yield rule.finding(doc, s, variant="annex_blank", found=mm.group(0).strip())


class DateFormat(Kind):
    """PC604: the issue date's day below 10 and months 1 and 2 take a leading zero
    ("ngày 05 tháng 02 năm 2022"); months 3–12 take none ("tháng 7")."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        m = doc.metadata
        d, mo = m.get("issue_day_text") or "", m.get("issue_month_text") or ""
        if d.isdigit() and len(d) == 1 and d != "0":
            yield rule.finding(doc, _span(doc, "_issue_day_span"), variant="day", found=d, expected=f"0{d}")
        if mo.isdigit():
            n = int(mo)
            if n in (1, 2) and len(mo) == 1:
                yield rule.finding(doc, _span(doc, "_issue_month_span"), variant="month", found=mo, expected=f"0{mo}")
            elif 3 <= n <= 9 and len(mo) == 2 and mo.startswith("0"):
                yield rule.finding(
                    doc, _span(doc, "_issue_month_span"), variant="month_zero", found=mo, expected=str(n)
                )


class SignatureBlock(Kind):
    """PC606: the signature block: a name with no authority or title line above it; an
    authority line ("TM. …", "KT. …") with no title after it; "KT." whose title is not a
    deputy's (PHÓ …, THỨ TRƯỞNG)."""

    def setup(self, params: dict[str, Any]) -> None:
        f = facts()
        self.prefixes = f["authority_prefixes"]
        self.deputy = [t.upper() for t in f.get("deputy_titles", [])]
        # A name without a title line is read as such only when it starts with a family name.
        self.require_surname = bool(params.get("require_surname", True))

    def _is_deputy(self, title: str) -> bool:
        t = title.upper().strip()
        return t.startswith("PHÓ ") or any(t == d or t.startswith(d + " ") for d in self.deputy)

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        sig = (doc.metadata.get("_signature") or {}).get("signature") or {}
        segs = sig.get("segments") or []
        name = sig.get("name")
        if name and not segs:
            if self.require_surname and not sig.get("name_has_surname"):
                return
            yield rule.finding(doc, Span(*name["span"]), variant="no_title", name=name["text"])
            return
        for i, s in enumerate(segs):
            if not s["prefix"]:
                continue
            last = i == len(segs) - 1
            line = Span(*s["line"]["span"])
            auth = f"{s['prefix']}. {s['principal']}"
            if s["prefix"] == "KT":
                title = s["title"] or (segs[i + 1]["title"] if not last and not segs[i + 1]["prefix"] else None)
                if title is None:
                    if last and name:
                        yield rule.finding(doc, line, variant="kt_no_title", authority=auth)
                elif not self._is_deputy(title):
                    yield rule.finding(doc, line, variant="kt_not_deputy", authority=auth, title=title)
            elif last and s["title"] is None and name and self.prefixes.get(s["prefix"], {}).get("needs_title"):
                yield rule.finding(doc, line, variant="prefix_no_title", authority=auth)


class Recipients(Kind):
    """PC607: no Nơi nhận block in a document that has a signature, or a Nơi nhận without a
    "Lưu: VT" entry (the copy kept by the văn thư)."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        c = doc.metadata.get("_signature") or {}
        if "noi_nhan" not in c:
            sig = c.get("signature") or {}
            if sig.get("name") or sig.get("segments"):
                first = sig["lines"][0]["span"]
                yield rule.finding(doc, Span(*first), variant="missing")
            return
        if not c.get("has_luu"):
            yield rule.finding(doc, Span(*c["noi_nhan"]["span"]), variant="no_luu")
        elif not c.get("has_luu_vt"):
            yield rule.finding(doc, Span(*c["luu"]["span"]), variant="no_vt", found=c["luu"]["text"])


class BodyEndMark(Kind):
    """PC608: the body's last paragraph before Nơi nhận / the signature ends with "./."."""

    def setup(self, params: dict[str, Any]) -> None:
        self.expected = params.get("expected", "./.")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        end = (doc.metadata.get("_signature") or {}).get("body_end")
        if not end:
            return
        mark = end["mark"]
        if mark == self.expected:
            return
        span = Span(*end["span"])
        if "/" in mark:
            yield rule.finding(doc, span, variant="malformed", found=mark, expected=self.expected)
        else:
            yield rule.finding(doc, span, variant="missing", found=mark or "…", expected=self.expected)


_LEVEL_PREFIX = regex.compile(r"^(?:thành phố|tp\.?|tỉnh|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\s+", regex.I)


def _norm_place(s: str) -> str:
    s = regex.sub(r"\s+", " ", s).strip(" .,").casefold()
    s = s.replace("tp.", "tp. ").replace("  ", " ")
    prev = None
    while prev != s:
        prev, s = s, _LEVEL_PREFIX.sub("", s)
    return s.replace("uỷ", "ủy").replace("hoà", "hòa").replace("thuỷ", "thủy").replace("khoá", "khóa")


class PlaceName(Kind):
    """PC609: the place of the place-and-date line is the issuer's own administrative unit
    (a xã plan is dated from the xã, not from the city or province above it)."""

    def setup(self, params: dict[str, Any]) -> None:
        self.levels = set(
            params.get("levels")
            or ["xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "thành phố", "tỉnh", "đặc khu"]
        )
        self.sources = set(params.get("sources") or ["header", "issuing_sentence", "closing_sentence"])

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        m = doc.metadata
        place, level, name = m.get("place"), m.get("issuer_level"), m.get("issuer_locality")
        if not place or not name or level not in self.levels or m.get("issuer_unit_source") not in self.sources:
            return
        if _norm_place(place) == _norm_place(name):
            return
        span = _span(doc, "_place_span")
        if span is None:
            return
        yield rule.finding(doc, span, found=place, expected=name, unit=f"{level} {name}")
