"""What a worker carries back for the batch layer: a small, picklable profile of one plan.

Computed in the process that parsed the plan, right after its own rules ran, so the
parent never re-parses a document. Everything located carries an ``Anchor`` (span,
excerpt and the SourceMap's location), so batch findings point at exact places.

The profile holds:

* ``identity``: number–ký hiệu (and its canonical key), issue date, issuer level and
  locality, title, plan year, period, program;
* ``citations``: every cited document with its date, issuer text and clause (trích yếu);
* ``paragraphs``: for each body paragraph that names a locality, a number–ký hiệu, a
  full date or a year: those mentions and a bottom-k MinHash sketch of its word
  3-grams (digits folded), for near-duplicate detection across plans (PC904);
* ``mentions``: the locality names the plan mentions anywhere (to tie an unnamed
  "UBND huyện" to the district plan of the batch).
"""

from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Document, Location, Span

SKETCH_K = 8  # bottom-k MinHash: the k smallest shingle hashes of a paragraph
MIN_WORDS = 10  # shorter paragraphs are not compared (headings, list stubs)

# "xã Đa Quyn", "UBND huyện Đức Trọng", "XÃ ĐA QUYN": the level word in any case, the
# name capitalised (or all capitals), up to four words.
LOCALITY = regex.compile(
    r"(?<![\p{L}])(?P<level>(?i:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh))\s+"
    r"(?P<name>\p{Lu}[\p{L}\p{M}\-]*(?:[ ]\p{Lu}[\p{L}\p{M}\-]*){0,3})",
    regex.V1,
)
_DIGITS = regex.compile(r"\d")
_TYPE_WORDS = ("kế hoạch", "quyết định", "công văn", "nghị quyết", "chỉ thị", "thông báo", "hướng dẫn")
LEVEL_RANK = {"xã": 1, "phường": 1, "thị trấn": 1, "huyện": 2, "quận": 2, "thị xã": 2, "thành phố": 2, "tỉnh": 3}


@dataclass(frozen=True, slots=True)
class Anchor:
    """A place in one document: its span, excerpt and source location."""

    start: int
    end: int
    excerpt: str
    location: Location

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def anchor(doc: Document, span: Span) -> Anchor:
    return Anchor(span.start, span.end, doc.slice(span), doc.locate(span))


def norm_name(s: str | None) -> str:
    """Locality names compared in lower case, NFC, single spaces ("ĐA QUYN" == "Đa Quyn")."""
    if not s:
        return ""
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def level_of(s: str | None) -> str:
    v = norm_name(s).rstrip(".")
    return "thành phố" if v == "tp" else v


def sketch(text: str) -> tuple[int, ...]:
    """Bottom-k MinHash of the word 3-grams (lower case, digits folded to 0; words split at
    spaces, punctuation kept on them). CRC-32, not ``hash()``: the same in every process."""
    words = _DIGITS.sub("0", text.lower()).split()
    if len(words) < MIN_WORDS:
        return ()
    hashes = {zlib.crc32(f"{a} {b} {c}".encode()) for a, b, c in zip(words, words[1:], words[2:], strict=False)}
    return tuple(sorted(hashes)[:SKETCH_K])


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Jaccard estimate of two bottom-k sketches: shared hashes among the k smallest of the union."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:SKETCH_K]
    sa, sb = set(a), set(b)
    return sum(1 for h in union if h in sa and h in sb) / len(union)


def build(doc: Document) -> dict[str, Any]:
    """The profile of one parsed plan (see the module docstring)."""
    from ..extract.citations import extract_citations
    from ..extract.dates import extract_dates
    from ..extract.registry import doc_key, parse_number

    meta = doc.metadata
    number = meta.get("number")
    key = None
    if number:
        n, y, kh = parse_number(str(number))
        key = doc_key(n, y, kh) if kh else None
    identity = {
        "number": number,
        "key": key,
        "issue_date": meta.get("issue_date"),
        "level": level_of(meta.get("level")),
        "locality": meta.get("locality"),
        "locality_norm": norm_name(meta.get("locality")),
        "issuer": meta.get("issuer"),
        "title": meta.get("title"),
        "plan_year": meta.get("plan_year"),
        "period": meta.get("period"),
        "program": meta.get("program"),
        "program_name": meta.get("program_name"),
        "doc_type": meta.get("doc_type"),
        "is_plan": bool(meta.get("is_plan")),
    }
    title = anchor(doc, doc.title_span)
    ns = meta.get("_number_span")
    number_at = anchor(doc, Span(*ns)) if ns else title

    cits = []
    by_block: dict[int, list[tuple[str, str, int, int]]] = {}
    for c in extract_citations(doc):
        date_iso = c.date.iso if c.date is not None and c.date.valid else None
        clause = doc.text[c.span.end : c.tail_end].strip(" ,;:")
        cits.append(
            {
                "key": c.key,
                "written": c.written,
                "label": c.label,
                "type_word": c.type_word,
                "date": date_iso,
                "issuer": c.issuer_text,
                "clause": clause[:300],
                "basis": c.basis,
                "anchor": anchor(doc, c.span),
            }
        )
        if c.block is not None:
            by_block.setdefault(c.block, []).append(("number", c.key, c.number_span.start, c.number_span.end))
    for d in extract_dates(doc):
        if d.block is None:
            continue
        if d.kind == "full" and d.valid:
            by_block.setdefault(d.block, []).append(("date", d.iso, d.span.start, d.span.end))
        elif d.kind == "year" and d.year:
            by_block.setdefault(d.block, []).append(("year", str(d.year), d.span.start, d.span.end))

    mentions: set[str] = set()
    paragraphs = []
    for b in doc.blocks:
        if b.kind != "paragraph" or b.region not in ("body", "title", "closing", "annex"):
            continue
        text = doc.block_text(b)
        found = list(by_block.get(b.index, ()))
        for m in LOCALITY.finditer(text):
            name = norm_name(m.group("name"))
            mentions.add(name)
            s = b.span.start + m.start("name")
            found.append(("locality", name, s, s + len(m.group("name"))))
        if not found:
            continue
        sk = sketch(text)
        if not sk:
            continue
        first: dict[tuple[str, str], tuple[int, int]] = {}  # a value named twice: its first place
        for kind, value, a, z in sorted(found, key=lambda m: m[2]):
            first.setdefault((kind, value), (a, z))
        paragraphs.append(
            {
                "block": b.index,
                "sketch": sk,
                "mentions": [(kind, value, anchor(doc, Span(a, z))) for (kind, value), (a, z) in first.items()],
            }
        )
    return {
        "identity": identity,
        "title": title,
        "number_at": number_at,
        "citations": cits,
        "paragraphs": paragraphs,
        "mentions": mentions,
    }


def cited_type_ok(type_word: str | None, doc_type: str | None) -> bool:
    """A citation's type word is compatible with a document's own type (unknown: yes)."""
    if not type_word or not doc_type:
        return True
    t, d = norm_name(type_word), norm_name(doc_type)
    if t not in _TYPE_WORDS:
        return True
    return d.startswith(t)
