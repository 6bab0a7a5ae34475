"""Word automatic numbering: the marker Word displays in front of a list paragraph.

A numbered paragraph points (``w:numPr``, directly or through its paragraph style and
that style's ``basedOn`` chain) at a numbering instance ``w:num``, which points at an
``w:abstractNum`` holding nine levels (start value, number format, ``lvlText`` such as
``%1.%2.``, restart rule, ``w:isLgl``, the suffix after the number). An instance may
override levels (``w:lvlOverride`` with ``w:startOverride`` or a whole ``w:lvl``).

Counting follows Word: instances of one abstract definition share their counters (a
list continues across instances) unless an instance overrides a start value, which
restarts that level where the instance is first used. A level restarts whenever a
higher level is numbered, or only after the level named by ``w:lvlRestart`` (0 =
never). A paragraph is counted even when it is empty or its number is hidden.

``Numbering.marker`` is called once per paragraph in document order and returns the
text Word shows before the paragraph's own text (number and suffix), or "".
"""

from __future__ import annotations

from dataclasses import dataclass

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_VAL = _w("val")
_OFF = {"0", "false", "off"}

# Symbol / Wingdings bullets (private-use code points) as the reader sees them
_PUA_BULLETS = {
    0xF0B7: "•",
    0xF0A7: "▪",
    0xF0A8: "◆",
    0xF0D8: "➢",
    0xF076: "❖",
    0xF0FC: "✓",
    0xF0E0: "➢",
    0xF06E: "■",
    0xF06C: "●",
    0xF071: "❑",
    0xF02D: "-",
    0xF0BE: "—",
}


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart (1-based level, 0 = never); None: after any higher level
    legal: bool = False  # w:isLgl: every number of lvlText as Arabic numerals
    suffix: str = "\t"
    hidden: bool = False
    pstyle: str | None = None
    ind: tuple[int, int] | None = None  # the level's indent: (left, first line - hanging), twips


def _int(el, default: int | None) -> int | None:
    if el is None:
        return default
    try:
        return int(el.get(W_VAL, ""))
    except ValueError:
        return default


def _on(el) -> bool:
    return el is not None and (el.get(W_VAL) or "1").lower() not in _OFF


def _level(el, base: Level | None = None) -> Level:
    base = base or Level()
    fmt_el = el.find(_w("numFmt"))
    text_el = el.find(_w("lvlText"))
    suff_el = el.find(_w("suff"))
    rpr = el.find(_w("rPr"))
    ps = el.find(_w("pStyle"))
    suffix = base.suffix
    if suff_el is not None:
        suffix = {"tab": "\t", "space": " ", "nothing": ""}.get(suff_el.get(W_VAL) or "tab", "\t")
    text = base.text
    if text_el is not None:
        text = "" if _on(text_el.find(_w("null"))) else (text_el.get(W_VAL) or "")
    hidden = base.hidden
    if rpr is not None and rpr.find(_w("vanish")) is not None:
        hidden = _on(rpr.find(_w("vanish")))
    ppr = el.find(_w("pPr"))
    ind_el = ppr.find(_w("ind")) if ppr is not None else None
    legal_el = el.find(_w("isLgl"))
    restart_el = el.find(_w("lvlRestart"))
    return Level(
        start=_int(el.find(_w("start")), base.start),
        fmt=(fmt_el.get(W_VAL) or "decimal") if fmt_el is not None else base.fmt,
        text=text,
        restart=_int(restart_el, None) if restart_el is not None else base.restart,
        legal=_on(legal_el) if legal_el is not None else base.legal,
        suffix=suffix,
        hidden=hidden,
        pstyle=ps.get(W_VAL) if ps is not None else base.pstyle,
        ind=ind_twips(ind_el) if ind_el is not None else base.ind,
    )


def roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for v, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word number format (unknown formats as decimal)."""
    if fmt == "none":
        return ""
    if fmt in ("upperRoman", "lowerRoman"):
        s = roman(n)
        return s if fmt == "upperRoman" else s.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        if n <= 0:
            return str(n)
        # Word: a..z, then aa..zz, aaa…
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _bullet(text: str) -> str:
    return "".join(_PUA_BULLETS.get(ord(c), "•") if 0xF000 <= ord(c) <= 0xF0FF else c for c in text)


class Numbering:
    """The numbering part of one document, with Word's running counters."""

    def __init__(self, numbering_el, style_num: dict[str, tuple[str | None, int | None]] | None = None) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNum w:numStyleLink -> numbering style id
        self.nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.style_num = style_num or {}
        # running state per abstract definition: counters by level (None = not yet counted)
        self._counts: dict[str, list[int | None]] = {}
        self._used: set[str] = set()  # instances already met (their start overrides applied)
        if numbering_el is None:
            return
        for an in numbering_el.findall(_w("abstractNum")):
            aid = an.get(_w("abstractNumId")) or ""
            levels: dict[int, Level] = {}
            for lv in an.findall(_w("lvl")):
                ilvl = _int_attr(lv, _w("ilvl"))
                if ilvl is not None and 0 <= ilvl <= 8:
                    levels[ilvl] = _level(lv)
            self.abstract[aid] = levels
            link = an.find(_w("numStyleLink"))
            if link is not None and link.get(W_VAL):
                self.style_link[aid] = link.get(W_VAL)
        for num in numbering_el.findall(_w("num")):
            nid = num.get(_w("numId")) or ""
            ref = num.find(_w("abstractNumId"))
            aid = ref.get(W_VAL) if ref is not None else ""
            over_lvls: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for ov in num.findall(_w("lvlOverride")):
                ilvl = _int_attr(ov, _w("ilvl"))
                if ilvl is None or not 0 <= ilvl <= 8:
                    continue
                so = ov.find(_w("startOverride"))
                lv = ov.find(_w("lvl"))
                if lv is not None:
                    over_lvls[ilvl] = _level(lv, self.abstract.get(aid, {}).get(ilvl))
                    starts.setdefault(ilvl, over_lvls[ilvl].start)
                if so is not None:
                    starts[ilvl] = _int(so, 1) or 0
            self.nums[nid] = (aid or "", over_lvls, starts)

    def _abstract_of(self, nid: str) -> str | None:
        """The abstract definition of an instance, following w:numStyleLink once or twice."""
        entry = self.nums.get(nid)
        if entry is None:
            return None
        aid = entry[0]
        for _ in range(3):
            sid = self.style_link.get(aid)
            if sid is None:
                break
            linked = self.style_num.get(sid, (None, None))[0]
            if not linked or linked not in self.nums:
                break
            aid = self.nums[linked][0]
        return aid

    def _levels(self, nid: str, aid: str) -> dict[int, Level]:
        base = self.abstract.get(aid, {})
        over = self.nums[nid][1]
        if not over:
            return base
        return {**base, **over}

    def level_for_style(self, nid: str, psid: str | None) -> int:
        """The level whose w:pStyle is the paragraph's style (numbering from a style), else 0."""
        aid = self._abstract_of(nid)
        if aid is None or psid is None:
            return 0
        for ilvl, lv in self._levels(nid, aid).items():
            if lv.pstyle == psid:
                return ilvl
        return 0

    def indent(self, nid: str, ilvl: int) -> tuple[int, int] | None:
        """The indent the numbering level gives its paragraphs (None if it sets none)."""
        aid = self._abstract_of(nid)
        if aid is None:
            return None
        lv = self._levels(nid, aid).get(max(0, min(8, ilvl)))
        return lv.ind if lv is not None else None

    def marker(self, nid: str, ilvl: int) -> str:
        """Count the paragraph and return the marker Word shows (number + suffix), or ""."""
        if nid not in self.nums:
            return ""
        aid = self._abstract_of(nid)
        if aid is None:
            return ""
        levels = self._levels(nid, aid)
        ilvl = max(0, min(8, ilvl))
        lv = levels.get(ilvl)
        if lv is None:
            return ""
        counts = self._counts.setdefault(aid, [None] * 9)
        if nid not in self._used:
            self._used.add(nid)
            for k, start in self.nums[nid][2].items():
                counts[k] = start - 1  # the override restarts this level here
        cur = counts[ilvl]
        counts[ilvl] = lv.start if cur is None else cur + 1
        for k in range(ilvl + 1, 9):
            deeper = levels.get(k)
            restart = deeper.restart if deeper is not None else None
            # restart after any higher level (default) or only at or above lvlRestart's level
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                counts[k] = None
        if lv.hidden:
            return ""
        if lv.fmt == "bullet":
            shown = _bullet(lv.text)
        else:
            shown = self._expand(lv, levels, counts)
        return shown + lv.suffix if shown else ""

    @staticmethod
    def _expand(lv: Level, levels: dict[int, Level], counts: list[int | None]) -> str:
        out = []
        s = lv.text
        i = 0
        while i < len(s):
            c = s[i]
            if c == "%" and i + 1 < len(s) and s[i + 1] in "123456789":
                k = int(s[i + 1]) - 1
                ref = levels.get(k, Level())
                n = counts[k]
                if n is None:
                    n = ref.start
                fmt = "decimal" if lv.legal and ref.fmt not in ("none", "bullet") else ref.fmt
                out.append(format_number(n, fmt))
                i += 2
                continue
            out.append(c)
            i += 1
        return "".join(out)


def _int_attr(el, name: str) -> int | None:
    try:
        return int(el.get(name, ""))
    except ValueError:
        return None


def ind_twips(ind) -> tuple[int, int]:
    """A w:ind element as (left, first line - hanging) in twips."""

    def val(*names: str) -> int:
        for n in names:
            v = ind.get(_w(n))
            if v is not None:
                try:
                    return int(float(v))
                except ValueError:
                    return 0
        return 0

    return (val("left", "start"), val("firstLine") - val("hanging"))


def num_pr(ppr) -> tuple[str | None, int | None] | None:
    """(numId, ilvl) of a w:pPr's w:numPr (either may be missing), None without numPr."""
    if ppr is None:
        return None
    npr = ppr.find(_w("numPr"))
    if npr is None:
        return None
    nid_el = npr.find(_w("numId"))
    return (nid_el.get(W_VAL) if nid_el is not None else None, _int(npr.find(_w("ilvl")), None))
