"""PC1xx: numbering sequences, sibling heading style, required and empty sections."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import regex

from ..model import Document, Finding, Heading
from ..outline import VI_LETTERS, _to_roman
from ..resources import FACTS_DIR
from ..yamlio import load_yaml
from .base import Kind

_ELISION = regex.compile(r"^\s*[\[(]?(?:…+|\.{3,})[\])]?\s*$")
_POINTS_ELSEWHERE = regex.compile(r"phụ lục|kèm theo|chi tiết tại|theo biểu|(?:xem|tại) mục", regex.I)
_CARRIES_CONTENT = regex.compile(r"\(|\bkhông\s+(?:thực hiện|triển khai|có|thuộc)\b|[.;]\s*$", regex.I)


def show_number(h: Heading | None, kind: str, number) -> str:
    if kind == "roman":
        return _to_roman(number)
    if kind == "letter":
        return VI_LETTERS[number - 1] if isinstance(number, int) and 0 < number <= len(VI_LETTERS) else str(number)
    if kind == "upper":
        return chr(64 + number)
    if kind == "decimal":
        return ".".join(str(x) for x in number)
    return str(number)


def _seq_value(h: Heading) -> int | None:
    if h.marker_kind == "decimal":
        return h.number[-1]
    return h.number if isinstance(h.number, int) else None


class Numbering(Kind):
    """Siblings of one marker kind must count 1, 2, 3… (I, II…; a, b, c, d, đ…), no gaps,
    repeats or reversals; a decimal's prefix must be its parent's number."""

    required = ("kinds",)

    def setup(self, params):
        self.kinds = set(params["kinds"])
        self.check_start = bool(params.get("check_start", True))

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        hs = doc.outline.headings
        # A lone "…" / "..." paragraph marks omitted text (an excerpt): numbering across it
        # cannot be judged.
        elisions = [b.index for b in doc.blocks if b.region == "body" and _ELISION.match(doc.block_text(b))]
        groups: dict[tuple, list[int]] = {}
        for i, h in enumerate(hs):
            if h.marker_kind not in self.kinds:
                continue
            key = (h.parent, h.marker_kind, len(h.number) if h.marker_kind == "decimal" else 0)
            groups.setdefault(key, []).append(i)
        for (parent, kind, _), idxs in groups.items():
            prev = None
            for i in idxs:
                h = hs[i]
                if kind == "letter" and not isinstance(h.number, int):
                    yield rule.finding(doc, h.marker_span, variant="letter", marker=h.marker)
                    prev = h
                    continue
                if kind == "decimal" and parent is not None:
                    ph = hs[parent]
                    ppath = (ph.number,) if ph.marker_kind == "arabic" else ph.number if ph.marker_kind == "decimal" else None
                    if ppath is not None and tuple(h.number[:-1]) != tuple(ppath):
                        yield rule.finding(
                            doc, h.marker_span, variant="prefix", marker=h.marker, parent=ph.marker,
                            expected=show_number(None, "decimal", tuple(ppath) + (h.number[-1],)),
                        )
                        prev = h
                        continue
                v = _seq_value(h)
                if v is None:
                    continue
                lo = prev.block if prev is not None else (hs[parent].block if parent is not None else -1)
                if any(lo < e < h.block for e in elisions):
                    prev = h
                    continue
                if prev is None:
                    if self.check_start and v != 1:
                        first = (1,) if kind != "decimal" else tuple(h.number[:-1]) + (1,)
                        yield rule.finding(
                            doc, h.marker_span, variant="start", marker=h.marker,
                            expected=show_number(None, kind, first if kind == "decimal" else 1),
                        )
                else:
                    pv = _seq_value(prev)
                    if pv is not None and v < pv and v == 1 and doc.sourcemap.generated(h.marker_span):
                        prev = h  # a Word list that restarts: the author asked for it
                        continue
                    if pv is not None and v != pv + 1:
                        expected = show_number(
                            None, kind, tuple(h.number[:-1]) + (pv + 1,) if kind == "decimal" else pv + 1
                        )
                        variant = "duplicate" if v == pv else ("order" if v < pv else "gap")
                        yield rule.finding(
                            doc, h.marker_span, variant=variant, marker=h.marker, previous=prev.marker,
                            expected=expected,
                        )
                prev = h


class HeadingStyle(Kind):
    """Siblings of one level written alike: the first sibling sets the style."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        hs = doc.outline.headings
        groups: dict[tuple, list[Heading]] = {}
        for h in hs:
            if not h.is_heading or h.runin:
                continue
            groups.setdefault((h.parent, h.marker_kind), []).append(h)
        for (_, kind), sibs in groups.items():
            if len(sibs) < 2:
                continue
            first = sibs[0]
            for h in sibs[1:]:
                diffs = []
                p0, l0, b0, c0 = first.style
                p1, l1, b1, c1 = h.style
                if p0 != p1:
                    diffs.append(("marker", f"'{first.marker}'", f"'{h.marker}'"))
                if isinstance(l0, tuple) or isinstance(l1, tuple):
                    # Word: compare what the reader sees, never style names ("Heading #2")
                    look = _look_diff(l0, l1) if isinstance(l0, tuple) and isinstance(l1, tuple) else None
                    if look:
                        diffs.append(("look", *look))
                elif l0 != l1:
                    diffs.append(("level", _lvl(l0), _lvl(l1)))
                if b0 != b1:  # only the first difference is reported
                    diffs.append(("bold", _bold(b0), _bold(b1)))
                if c0 != c1 and kind == "roman":
                    diffs.append(("case", c0, c1))
                if diffs:
                    what, exp, got = diffs[0]
                    yield rule.finding(
                        doc, h.span if len(h.span) < 120 else h.marker_span, variant=what,
                        marker=h.marker, first=first.marker, expected=exp, found=got,
                    )


_ALIGN = {"left": "căn trái/left-aligned", "center": "căn giữa/centred", "right": "căn phải/right-aligned"}
_VISIBLE_SIZE = 2  # half-points: 1 pt
_VISIBLE_INDENT = 284  # twips: 0.5 cm


def _look_diff(a: tuple, b: tuple) -> tuple[str, str] | None:
    """The first difference a reader sees between two Word paragraphs' looks
    (size, alignment, first-line indent, italic), as (expected, found); None if none."""
    sa, ja, ia, ta = a
    sb, jb, ib, tb = b
    if abs(sa - sb) >= _VISIBLE_SIZE:
        return f"cỡ chữ {_pt(sa)}/size {_pt(sa)}", f"cỡ chữ {_pt(sb)}/size {_pt(sb)}"
    if ja != jb:
        return _ALIGN.get(ja, ja), _ALIGN.get(jb, jb)
    if abs(ia - ib) >= _VISIBLE_INDENT:
        return f"lề dòng đầu {_cm(ia)}/first-line indent {_cm(ia)}", f"lề dòng đầu {_cm(ib)}/first-line indent {_cm(ib)}"
    if ta != tb:
        return ("nghiêng/italic", "đứng/upright") if ta else ("đứng/upright", "nghiêng/italic")
    return None


def _pt(half_points: int) -> str:
    return f"{half_points / 2:g} pt"


def _cm(twips: int) -> str:
    return f"{twips / 567:.1f} cm"


def _lvl(n: int) -> str:
    return "#" * n if n else "—"


def _bold(b: bool) -> str:
    return "đậm/bold" if b else "thường/plain"


class RequiredSections(Kind):
    """A plan needs its main parts; titles matched by synonyms (rules/facts/sections.yaml)."""

    def setup(self, params):
        path = FACTS_DIR / params.get("facts", "sections.yaml")
        data = load_yaml(path)
        self.sections = data["sections"]
        self.threshold = float(params.get("threshold", 90))
        self.other_severity = params.get("other_scope_severity")
        if self.other_severity not in (None, "error", "warning", "info"):
            raise ValueError("other_scope_severity phải là error|warning|info / must be error|warning|info")
        self.patterns = [
            (s, [regex.compile(r"\b" + p + r"\b", regex.I) for p in s["synonyms"]]) for s in self.sections
        ]

    @cached_property
    def _fuzz(self):
        from rapidfuzz import fuzz

        return fuzz

    def _titles(self, doc: Document) -> list[str]:
        hs = doc.outline.headings
        tops = [h for h in hs if h.parent is None and (h.is_heading or h.marker_kind in ("roman", "part"))]
        if len(tops) < 3:
            tops = [h for h in hs if h.is_heading and h.level <= 2]
        return [h.title.lower() for h in tops]

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        titles = self._titles(doc)
        if len(titles) < 2:
            return  # no outline to judge: do not guess
        # A plan on another subject (an emulation movement, a law's roll-out) need not have
        # every part of a program plan: the reviewer decides, so it is reported as info.
        other = doc.metadata.get("scope") == "other" and self.other_severity
        for sec, pats in self.patterns:
            found = any(p.search(t) for t in titles for p in pats)
            if not found:
                found = any(
                    self._fuzz.partial_ratio(s.lower(), t) >= self.threshold for t in titles for s in sec["synonyms"]
                )
            if not found:
                yield rule.finding(
                    doc, doc.title_span, severity=other or sec.get("severity"), section=sec["name"]["vi"],
                    section_en=sec["name"]["en"], data={"section": sec["key"]},
                )


class EmptySection(Kind):
    """A heading directly followed by a heading of the same or a higher level."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        hs = doc.outline.headings
        by_block = {h.block: h for h in hs}
        for h in hs:
            if not h.is_heading or h.runin:
                continue
            nxt = h.block + 1
            if nxt >= len(doc.blocks):
                continue
            b = doc.blocks[nxt]
            g = by_block.get(b.index)
            if len(h.title) > 100 or _CARRIES_CONTENT.search(h.title):
                continue  # "1. Dự án 1: … (không thực hiện do …)." says what it has to say
            if _POINTS_ELSEWHERE.search(h.title):
                continue  # "III. NHIỆM VỤ (chi tiết Phụ lục đính kèm)": the content is in the annex
            if g is not None and g.level <= h.level and g.is_heading:
                yield rule.finding(doc, h.span if len(h.span) < 120 else h.marker_span, marker=h.marker, next=g.marker)
