"""Offsets in the normalised text -> original locations, computed in one place.

A reader describes its file as *units* (txt: lines; docx: paragraphs in body order,
table-cell paragraphs included; pdf: text lines of a page), concatenated with "\n"
into ``source``. While it builds the normalised text with a ``TextBuilder``, every
normalised character records the [start, end) range of ``source`` it came from.
Characters the reader inserts (a space joining wrapped lines, a tab between cells)
are zero-width at a source position. ``SourceMap.locate`` bisects the unit starts.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from .model import Location, Span

_GRAPHEME = regex.compile(r"\X")


# How the characters of one run map to the source (see ``TextBuilder``).
_SAME = 0  # char k of the run comes from source [src + k, src + k + 1)
_SYNTH = 1  # inserted by the reader: zero width at ``src``
_CLUSTER = 2  # part of an NFC-recomposed grapheme cluster: all of source [src, src_end)
_GENERATED = 3  # shown by the application, not in the file (Word's list numbers): zero width at ``src``


class TextBuilder:
    """Accumulates normalised text (NFC) with the source range of every character.

    The ranges are kept as *runs* (one per piece of text added, consecutive pieces
    from consecutive source merged): a plan of 40,000 characters has a few hundred,
    and per-character arrays are only built if someone asks for them
    (``SourceMap.starts``/``ends``).
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._run_at: list[int] = []  # offset in the normalised text where each run starts
        self._runs: list[tuple[int, int, int]] = []  # (kind, src, src_end)
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def _run(self, kind: int, src: int, src_end: int) -> None:
        if self._runs and kind == _SAME:
            k, s, _ = self._runs[-1]
            if k == _SAME and s + (self._len - self._run_at[-1]) == src:
                return  # continues the previous run
        self._run_at.append(self._len)
        self._runs.append((kind, src, src_end))

    def add(self, s: str, src: int) -> None:
        """Append ``s``, the original text found at source offset ``src``, NFC-normalised."""
        if not s:
            return
        if unicodedata.is_normalized("NFC", s):
            self._run(_SAME, src, src)
            self._parts.append(s)
            self._len += len(s)
            return
        for m in _GRAPHEME.finditer(s):
            cluster = unicodedata.normalize("NFC", m.group())
            a, b = src + m.start(), src + m.end()
            if b - a == 1 and len(cluster) == 1:
                self._run(_SAME, a, a)
            else:
                self._run_at.append(self._len)
                self._runs.append((_CLUSTER, a, b))
            self._parts.append(cluster)
            self._len += len(cluster)

    def synth(self, s: str, src: int, generated: bool = False) -> None:
        """Append text that is not in the source (zero width at ``src``); ``generated``
        marks text the application displays (a list number) rather than a separator."""
        if not s:
            return
        self._run_at.append(self._len)
        self._runs.append((_GENERATED if generated else _SYNTH, src, src))
        self._parts.append(s)
        self._len += len(s)

    def last_char(self) -> str:
        for p in reversed(self._parts):
            if p:
                return p[-1]
        return ""

    def rstrip(self) -> None:
        """Drop trailing spaces/tabs (e.g. before a paragraph break)."""
        while self._parts:
            p = self._parts[-1]
            q = p.rstrip(" \t")
            cut = len(p) - len(q)
            if cut:
                self._len -= cut
                while self._run_at and self._run_at[-1] >= self._len:
                    self._run_at.pop()
                    self._runs.pop()
            if q:
                self._parts[-1] = q
                break
            self._parts.pop()

    def text(self) -> str:
        return "".join(self._parts)

    def build(self, kind: str, source: str, unit_starts: Sequence[int], unit_locs: Sequence) -> SourceMap:
        return SourceMap(kind, source, list(unit_starts), list(unit_locs), self._run_at, self._runs, self._len)


@dataclass
class SourceMap:
    """Maps normalised spans back to original units.

    ``kind`` is "line" (txt/md: unit i is line i+1), "paragraph" (docx: unit_locs[i] is the
    1-based paragraph index) or "page" (pdf: unit_locs[i] is (page, line)).
    """

    kind: str
    source: str
    unit_starts: list[int]
    unit_locs: list
    run_at: list[int]
    runs: list[tuple[int, int, int]]
    length: int  # of the normalised text
    _arrays_memo: tuple[array, array] | None = field(default=None, repr=False, compare=False)

    def _unit(self, off: int) -> int:
        return max(0, bisect_right(self.unit_starts, off) - 1)

    def _start(self, i: int) -> int:
        """Source offset where normalised character ``i`` starts."""
        r = bisect_right(self.run_at, i) - 1
        kind, src, _ = self.runs[r]
        return src + (i - self.run_at[r]) if kind == _SAME else src

    def _end(self, i: int) -> int:
        """Source offset where normalised character ``i`` ends."""
        r = bisect_right(self.run_at, i) - 1
        kind, src, src_end = self.runs[r]
        if kind == _SAME:
            return src + (i - self.run_at[r]) + 1
        return src_end if kind == _CLUSTER else src

    def generated(self, span: Span) -> bool:
        """True if ``span`` touches text the application generates (Word's list numbers)."""
        if span.end <= span.start or not self.runs:
            return False
        r = max(0, bisect_right(self.run_at, span.start) - 1)
        while r < len(self.runs) and self.run_at[r] < span.end:
            if self.runs[r][0] == _GENERATED:
                return True
            r += 1
        return False

    @property
    def starts(self) -> array:
        """Per-character source start offsets (built on demand; tools and tests)."""
        return self._arrays()[0]

    @property
    def ends(self) -> array:
        """Per-character source end offsets (built on demand)."""
        return self._arrays()[1]

    def _arrays(self) -> tuple[array, array]:
        if self._arrays_memo is not None:
            return self._arrays_memo
        starts, ends = array("q"), array("q")
        bounds = [*self.run_at[1:], self.length] if self.run_at else []
        for at, nxt, (kind, src, src_end) in zip(self.run_at, bounds, self.runs, strict=True):
            n = nxt - at
            if kind == _SAME:
                starts.extend(range(src, src + n))
                ends.extend(range(src + 1, src + n + 1))
            else:
                starts.extend([src] * n)
                ends.extend([src_end if kind == _CLUSTER else src] * n)
        self._arrays_memo = (starts, ends)
        return self._arrays_memo

    def source_range(self, span: Span) -> tuple[int, int]:
        n = self.length
        if n == 0:
            return (0, 0)
        s = min(span.start, n - 1)
        a = self._start(s)
        if span.end > span.start:
            b = self._end(min(span.end, n) - 1)
        else:
            b = a
        return (a, max(a, b))

    def original(self, span: Span) -> str:
        a, b = self.source_range(span)
        return self.source[a:b]

    def locate(self, span: Span) -> Location:
        a, b = self.source_range(span)
        u = self._unit(a)
        col = a - self.unit_starts[u] + 1 if self.unit_starts else 1
        ue = self._unit(max(a, b - 1)) if b > a else u
        ecol = (b - self.unit_starts[ue]) + 1 if self.unit_starts else 1
        if self.kind == "line":
            return Location(line=u + 1, column=col, end_line=ue + 1, end_column=ecol)
        if self.kind == "paragraph":
            return Location(
                paragraph=self.unit_locs[u] if self.unit_locs else u + 1,
                column=col,
                line=None,
                end_line=None,
                end_column=ecol,
            )
        page, line = self.unit_locs[u] if self.unit_locs else (1, u + 1)
        _, eline = self.unit_locs[ue] if self.unit_locs else (1, ue + 1)
        return Location(page=page, line=line, column=col, end_line=eline, end_column=ecol)
