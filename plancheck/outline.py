"""Numbered headings of the plan body -> a tree.

Markers: Roman ``I.``, arabic ``1.``/``1)``, decimal ``2.1.``, letters ``a)``/``a.`` in
Vietnamese order. Levels come from the order in which marker kinds first appear
under a parent (as docutils does), so ``I. / 1. / a)`` and ``I. / a) / 1.`` both nest.
Numbered list paragraphs count for numbering but are not headings for style checks,
and run-in labels ("**2. Phạm vi thực hiện:** text…") are neither.
"""

from __future__ import annotations

import regex

from .model import Block, Heading, Outline, Span

VI_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN_VAL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

MARKER = regex.compile(
    r"^(?:"
    r"(?P<art>(?:Điều|ĐIỀU)\s+\d{1,3})\s*(?P<artp>[.:]?)"
    r"|(?P<part>(?:Phần|PHẦN|Chương|CHƯƠNG)\s+(?:[IVXL]{1,6}|\d{1,2}|thứ\s+\p{L}+|THỨ\s+\p{L}+))\s*(?P<partp>[.:\-–]?)"
    r"|"
    r"(?P<roman>[IVXL]{1,6})\s*(?P<rp>[.):]|\s?[-–](?=\s))"
    r"|(?P<dec>\d{1,2}(?:\.\d{1,2})+)(?P<dp>\.?\)?)"
    r"|(?P<arabic>\d{1,2})\s?(?P<ap>[.)])"
    r"|(?P<letter>[a-zA-ZđĐ])\s?(?P<lp>[.)])"
    # "9.Được …", "6.1.Công tác …": a number and its dot glued to the capital that follows
    r")(?=\s|$|\*|(?<=[\dIVXL]\.)\p{Lu})"
)
_TERMINAL_END = regex.compile(r"[.;!?…]\s*$")


def roman_value(s: str) -> int | None:
    """Strict Roman numeral value (I..L), None if not well-formed."""
    total = 0
    prev = 0
    for ch in reversed(s):
        v = _ROMAN_VAL.get(ch)
        if v is None:
            return None
        if v < prev:
            total -= v
        else:
            total += v
            prev = v
    canonical = _to_roman(total)
    return total if canonical == s else None


def _to_roman(n: int) -> str:
    out = []
    for v, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def letter_position(ch: str) -> int | None:
    """1-based position in the Vietnamese alphabet order; None for f, j, w, z."""
    i = VI_LETTERS.find(ch.lower())
    return i + 1 if i >= 0 else None


def parse_marker(text: str) -> tuple[str, object, str, int] | None:
    """Return (kind, number, punct, marker_length) for a numbered paragraph."""
    m = MARKER.match(text)
    if not m:
        return None
    if m.group("art"):
        return ("article", int(regex.search(r"\d+", m.group("art")).group()), m.group("artp") or "", m.end())
    if m.group("part"):
        return ("part", m.group("part").split(None, 1)[1], m.group("partp") or "", m.end())
    if m.group("roman"):
        v = roman_value(m.group("roman"))
        if v is None:
            return None
        return ("roman", v, m.group("rp").strip() or "-", m.end())
    if m.group("dec"):
        parts = tuple(int(x) for x in m.group("dec").split("."))
        # "1.000" is a number, not a heading; decimals have small parts
        return ("decimal", parts, m.group("dp") or "", m.end())
    if m.group("arabic"):
        return ("arabic", int(m.group("arabic")), m.group("ap"), m.end())
    ch = m.group("letter")
    if ch.isupper():
        # Upper-case single letters (A., B.) are rare section markers; keep them apart.
        return ("upper", ord(ch) - 64, m.group("lp"), m.end())
    pos = letter_position(ch)
    return ("letter", pos if pos is not None else (ch,), m.group("lp"), m.end())


def _type_key(kind: str, number: object) -> tuple:
    if kind == "decimal":
        return ("decimal", len(number))  # type: ignore[arg-type]
    return (kind,)


def _first_number(kind: str, number: object) -> bool:
    if kind == "decimal":
        return number[-1] == 1  # type: ignore[index]
    return number == 1


def _part_evidence(b: Block, rest: str, punct: str, before: str) -> bool:
    """Whether a "Phần/Chương/Điều N" paragraph is a heading that may reshape the outline:
    bold, a heading style, capitals, or an article's "Điều 3." / a part's "Chương II:";
    else short, not running on in lower case, after a paragraph that ended."""
    title = rest.strip(" \t*:.-–")
    if b.bold or b.level_hint or b.bold_prefix:
        return True
    letters = [c for c in title if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    if not title or title[0].islower():
        return False
    if punct in (".", ":", "-", "–"):
        return True
    ended = not before or bool(_ENDED.search(before))
    return ended and len(title) <= 100


_ENDED = regex.compile(r"[.:;!?…)\p{Lu}]\W*$")


def build_outline(text: str, blocks: tuple[Block, ...]) -> Outline:
    headings: list[Heading] = []
    stack: list[tuple[tuple, int]] = []  # (type key, heading index)
    prev_text = ""  # the body paragraph before this one
    for b in blocks:
        if b.kind != "paragraph" or b.region != "body":
            continue
        t = text[b.span.start : b.span.end]
        before, prev_text = prev_text, t
        pm = parse_marker(t)
        if pm is None:
            continue
        kind, number, punct, mlen = pm
        title = t[mlen:].strip(" \t*:")
        if not title:
            continue
        if kind in ("part", "article") and not _part_evidence(b, t[mlen:], punct, before):
            continue  # "Chương II của Nghị định …" cut at a line wrap: prose, not a part
        raw_title = t[mlen:].strip()
        runin = bool(b.bold_prefix) and not b.bold
        if not runin and not b.bold and not b.level_hint:
            colon = raw_title.find(":")
            runin = 0 < colon <= 80 and len(raw_title) - colon > 40
        is_heading = (
            not runin
            and len(raw_title) <= 200
            and (b.bold or b.level_hint > 0 or kind == "roman" or not _TERMINAL_END.search(raw_title))
        )
        if kind == "roman" and len(raw_title) > 200:
            is_heading = False
        key = _type_key(kind, number)
        # Find the level: pop to an existing entry of the same type, else nest.
        pos = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == key), None)
        if pos is not None and kind in ("arabic", "letter") and _first_number(kind, number):
            prev_h = headings[stack[pos][1]]
            if (
                pos == len(stack) - 1
                and prev_h.number != number
                and text[prev_h.span.start : prev_h.span.end].rstrip(" *").endswith(":")
            ):
                pos = None  # a new list nested under the item that introduces it
        if pos is not None:
            del stack[pos:]
        if kind == "part":
            stack.clear()
        elif kind in ("roman", "article"):
            # Roman sections and articles restart everything below a Phần/Chương
            del stack[next((k for k, e in enumerate(stack) if e[0] != ("part",)), len(stack)) :]
        parent = stack[-1][1] if stack else None
        level = len(stack) + 1
        case = ""
        if kind == "roman":
            letters = [c for c in title if c.isalpha()]
            case = "upper" if letters and all(c.isupper() for c in letters) else "mixed"
        # what the reader sees: Word paragraphs carry their look (size, alignment, indent,
        # italic), whatever their style is named; elsewhere the level hint (markdown #, PDF size)
        style = (punct, b.look if b.look is not None else b.level_hint, b.bold, case)
        headings.append(
            Heading(
                block=b.index,
                span=b.span,
                marker_span=Span(b.span.start, b.span.start + mlen),
                marker=t[:mlen].strip(),
                marker_kind=kind,
                number=number,
                title=title,
                level=level,
                style=style,
                is_heading=is_heading,
                runin=runin,
                parent=parent,
                punct=punct,
            )
        )
        stack.append((key, len(headings) - 1))
    return Outline(tuple(headings))
