"""PC1xx: numbering sequences, sibling heading style, required and empty sections."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cached_property, lru_cache

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


def _inline_item(doc: Document, prev: Heading, h: Heading, expected: str) -> bool:
    """Whether the missing item's marker stands inside the text between two siblings
    (converted or pasted text that lost the line break before it)."""
    between = doc.text[prev.span.start : h.span.start]
    return regex.search(r"(?<=[\p{L}\d,;.:)]\s+)" + regex.escape(expected) + r"[.)]\s+\p{Lu}", between) is not None


_PART_LINE = regex.compile(
    r"(?:^|\n)[\W_]*(?:PHẦN|Phần|CHƯƠNG|Chương|PHỤ LỤC|Phụ lục)\s+(?:[IVXL]{1,6}|\d{1,2}|thứ|THỨ)\b"
)


def _new_part(doc: Document, prev: Heading, h: Heading) -> bool:
    """Whether a part division ("PHẦN II", "Chương 3", "Phụ lục 2") stands between two headings."""
    return _PART_LINE.search(doc.text[prev.span.end : h.span.start]) is not None


def _earlier_line(doc: Document, h: Heading, marker: str) -> bool:
    """Whether a line opens with ``marker`` + "." before heading ``h`` (outside the outline)."""
    return (
        regex.search(r"(?:^|\n)[\W_]*" + regex.escape(marker) + r"[.)]\s+\p{Lu}", doc.text[: h.span.start]) is not None
    )


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
                    ppath = (
                        (ph.number,)
                        if ph.marker_kind == "arabic"
                        else ph.number
                        if ph.marker_kind == "decimal"
                        else None
                    )
                    if ppath is not None and tuple(h.number[:-1]) != tuple(ppath):
                        yield rule.finding(
                            doc,
                            h.marker_span,
                            variant="prefix",
                            marker=h.marker,
                            parent=ph.marker,
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
                        if parent is None and kind == "roman" and _earlier_line(doc, h, "I"):
                            prev = h
                            continue  # "I. ĐỐI VỚI CẤP SỞ" read into the title block: it is there
                        yield rule.finding(
                            doc,
                            h.marker_span,
                            variant="start",
                            marker=h.marker,
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
                        if v == 1 and _new_part(doc, prev, h):
                            prev = h
                            continue  # "PHẦN II" / "Phụ lục" between them: the numbering starts again
                        if variant == "gap" and v == pv + 2 and _inline_item(doc, prev, h, expected):
                            prev = h
                            continue  # "… hàng năm b. Địa điểm …": the item is there, its line break lost
                        yield rule.finding(
                            doc,
                            h.marker_span,
                            variant=variant,
                            marker=h.marker,
                            previous=prev.marker,
                            expected=expected,
                        )
                prev = h


class HeadingStyle(Kind):
    """Siblings of one level written alike: the style most of them share sets the norm."""

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
            # The style most siblings share is the norm (the first sibling's on a tie): in
            # "Điều 1." "Điều 2:" "Điều 3." … the odd one is "Điều 2:", not all the others.
            counts = Counter(h.style for h in sibs)
            top = max(counts.values())
            first = next(h for h in sibs if counts[h.style] == top)
            for h in sibs:
                if h is first:
                    continue
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
                    diffs.append(("level", l0, l1))
                if b0 != b1:  # only the first difference is reported
                    diffs.append(("bold", _bold(b0), _bold(b1)))
                if c0 != c1 and kind == "roman":
                    diffs.append(("case", c0, c1))
                if diffs:
                    what, exp, got = diffs[0]
                    yield rule.finding(
                        doc,
                        h.span if len(h.span) < 120 else h.marker_span,
                        variant=what,
                        marker=h.marker,
                        first=first.marker,
                        expected=_vi(exp),
                        found=_vi(got),
                        expected_en=_en(exp),
                        found_en=_en(got),
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
        return (
            f"lề dòng đầu {_cm(ia)}/first-line indent {_cm(ia)}",
            f"lề dòng đầu {_cm(ib)}/first-line indent {_cm(ib)}",
        )
    if ta != tb:
        return ("nghiêng/italic", "đứng/upright") if ta else ("đứng/upright", "nghiêng/italic")
    return None


def _pt(half_points: int) -> str:
    return f"{half_points / 2:g} pt"


def _cm(twips: int) -> str:
    return f"{twips / 567:.1f} cm"


def _bold(b: bool) -> str:
    return "bold" if b else "plain"


# The style words of PC103 in its Vietnamese message (the English one takes them as they are).
_STYLE_VI = {"bold": "chữ đậm", "plain": "không đậm", "upper": "chữ in hoa", "mixed": "chữ thường"}


def _vi(v: str | int) -> str:
    """A style word of the Vietnamese message ("vi/en" pairs of the look give their first half)."""
    if isinstance(v, int):  # a heading level (Word's Heading N, markdown's #…)
        return f"cấp {v}" if v else "không đặt cấp"
    if "/" in v and not v.startswith("'"):
        return v.split("/", 1)[0]
    return _STYLE_VI.get(v, v)


def _en(v: str | int) -> str:
    if isinstance(v, int):
        return f"level {v}" if v else "no level"
    if "/" in v and not v.startswith("'"):
        return v.split("/", 1)[1]
    return v


_LABEL_LEAD = regex.compile(r"^[\s\-+•*–]*(?:(?:[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[a-zđ])[.)]\s*)?[\s*_]*")
_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@lru_cache(maxsize=4)
def plan_kinds(facts: str = "plan-kinds.yaml") -> list[dict]:
    """The kinds of plan (rules/facts/plan-kinds.yaml), patterns compiled."""
    data = load_yaml(FACTS_DIR / facts)
    kinds = []
    for k in data["kinds"]:
        when = k.get("when") or {}
        kinds.append(
            {
                **k,
                "_title": [regex.compile(p, regex.I) for p in when.get("title", [])],
                "_scope": set(when.get("scope", [])),
            }
        )
    return kinds


def plan_kind(doc: Document, kinds: list[dict]) -> dict:
    """The first kind whose title patterns or scope match the plan (the last one: the default)."""
    title = " ".join((doc.metadata.get("title") or "").split())
    scope = doc.metadata.get("scope")
    for k in kinds:
        if not k["_title"] and not k["_scope"]:
            return k
        if (k["_scope"] and scope in k["_scope"]) or any(p.search(title) for p in k["_title"]):
            return k
    return kinds[-1]


class RequiredSections(Kind):
    """A plan needs the main parts its kind requires (rules/facts/plan-kinds.yaml); a part is
    found at any level of the outline, as a label or table title, or by its content
    (rules/facts/sections.yaml)."""

    def setup(self, params):
        data = load_yaml(FACTS_DIR / params.get("facts", "sections.yaml"))
        self.sections = {s["key"]: s for s in data["sections"]}
        self.kinds_file = params.get("kinds", "plan-kinds.yaml")
        self.threshold = float(params.get("threshold", 90))
        self.patterns = {
            k: [regex.compile(r"\b" + p + r"\b", regex.I) for p in s["synonyms"]] for k, s in self.sections.items()
        }
        self.starts = {
            k: regex.compile(r"(?:" + "|".join(s["synonyms"]) + r")\b", regex.I) for k, s in self.sections.items()
        }
        self.content = {k: [regex.compile(p, regex.I) for p in s.get("content", [])] for k, s in self.sections.items()}
        for kind in plan_kinds(self.kinds_file):
            bad = set(kind.get("requires") or {}) - set(self.sections)
            if bad:
                raise ValueError(f"plan kind {kind['key']}: unknown section(s) {sorted(bad)}")

    @cached_property
    def _fuzz(self):
        from rapidfuzz import fuzz

        return fuzz

    @staticmethod
    def _titles(doc: Document, max_level: int | None = None) -> tuple[list[str], list[str]]:
        """Titles of the top-level headings (a part is named anywhere in them) and of the
        headings below (a part is what they open with: "2. Kinh phí thực hiện", not
        "3. Phòng Tài chính - Kế hoạch"); a run-in heading counts by its label."""
        hs = doc.outline.headings
        tops = [h for h in hs if h.parent is None and (h.is_heading or h.marker_kind in ("roman", "part"))]
        if len(tops) < 3:
            tops = [h for h in hs if h.is_heading and h.level <= 2]
        top_ids = {id(h) for h in tops}
        top, lower = [], []
        for h in hs:
            if doc.blocks[h.block].region not in ("body", "annex"):
                continue
            if max_level is not None and h.level > max_level and id(h) not in top_ids:
                continue
            t = h.title
            if h.runin or not h.is_heading:
                t = t.split(":", 1)[0] if ":" in t[:80] else t[:60]
            (top if id(h) in top_ids else lower).append(t[:160].lower().strip(" *_"))
        return top, lower

    def _labels(self, doc: Document) -> list[str]:
        """Openings of paragraphs and cells that may be a label or a table title."""
        out = []
        for b in doc.blocks:
            if b.region not in ("body", "annex"):
                continue
            t = doc.block_text(b)
            lead = _LABEL_LEAD.match(t)
            t = t[lead.end() if lead else 0 :]
            colon = t.find(":")
            if 0 <= colon <= 60:
                out.append(t[:colon].lower())
            elif len(t) <= 80:
                out.append(t.lower().rstrip(" .*_"))
        return out

    def _present(self, key: str, titles, labels, body: str | None) -> bool:
        top, lower = titles
        pats = self.patterns[key]
        if any(p.search(t) for t in top for p in pats):
            return True
        syns = self.sections[key]["synonyms"]
        if any(self._fuzz.partial_ratio(s.lower(), t) >= self.threshold for t in top for s in syns if len(t) >= len(s)):
            return True
        if any(self.starts[key].match(t) for t in lower):
            return True
        if labels is not None and any(self.starts[key].match(t) for t in labels):
            return True
        return body is not None and any(p.search(body) for p in self.content[key])

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        kind = plan_kind(doc, plan_kinds(self.kinds_file))
        titles = self._titles(doc, kind.get("max_level"))
        if len(titles[0]) < 2:
            return  # no outline to judge: do not guess
        evidence = set(kind.get("evidence") or ("heading",))
        labels = self._labels(doc) if "label" in evidence else None
        body = None
        if "content" in evidence:
            body = " ".join(doc.block_text(b) for b in doc.blocks if b.region in ("body", "annex"))
        for key, severity in (kind.get("requires") or {}).items():
            if self._present(key, titles, labels, body):
                continue
            if kind.get("known") is False:
                severity = "info"
            sec = self.sections[key]
            yield rule.finding(
                doc,
                doc.title_span,
                severity=severity,
                section=sec["name"]["vi"],
                section_en=sec["name"]["en"],
                data={"section": key, "plan_kind": kind["key"]},
            )


def _also_empty(doc: Document, g: Heading, by_block: dict) -> bool:
    """Whether heading ``g`` is itself directly followed by a sibling (a list, not sections)."""
    nxt = by_block.get(g.block + 1)
    return nxt is not None and nxt.level == g.level and nxt.is_heading


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
                if g.level == h.level and _also_empty(doc, g, by_block):
                    continue  # "1. Khai mạc / 2. Kết nạp hội viên / 3. …": a list of one-line items
                yield rule.finding(doc, h.span if len(h.span) < 120 else h.marker_span, marker=h.marker, next=g.marker)
