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
from dataclasses import dataclass
from typing import Sequence

import regex

from .model import Location, Span

_GRAPHEME = regex.compile(r"\X")


class TextBuilder:
    """Accumulates normalised text (NFC) with a per-character source range."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._starts = array("q")
        self._ends = array("q")
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def add(self, s: str, src: int) -> None:
        """Append ``s``, the original text found at source offset ``src``, NFC-normalised."""
        if not s:
            return
        if unicodedata.is_normalized("NFC", s):
            n = len(s)
            self._parts.append(s)
            self._starts.extend(range(src, src + n))
            self._ends.extend(range(src + 1, src + n + 1))
            self._len += n
            return
        for m in _GRAPHEME.finditer(s):
            cluster = unicodedata.normalize("NFC", m.group())
            self._parts.append(cluster)
            a, b = src + m.start(), src + m.end()
            for _ in cluster:
                self._starts.append(a)
                self._ends.append(b)
            self._len += len(cluster)

    def synth(self, s: str, src: int) -> None:
        """Append text that is not in the source (zero width at ``src``)."""
        if not s:
            return
        self._parts.append(s)
        self._starts.extend([src] * len(s))
        self._ends.extend([src] * len(s))
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
                del self._starts[-cut:]
                del self._ends[-cut:]
                self._len -= cut
            if q:
                self._parts[-1] = q
                break
            self._parts.pop()

    def text(self) -> str:
        return "".join(self._parts)

    def build(self, kind: str, source: str, unit_starts: Sequence[int], unit_locs: Sequence) -> "SourceMap":
        return SourceMap(kind, source, list(unit_starts), list(unit_locs), self._starts, self._ends)


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
    starts: array
    ends: array

    def _unit(self, off: int) -> int:
        return max(0, bisect_right(self.unit_starts, off) - 1)

    def source_range(self, span: Span) -> tuple[int, int]:
        n = len(self.starts)
        if n == 0:
            return (0, 0)
        s = min(span.start, n - 1)
        a = self.starts[s]
        if span.end > span.start:
            b = self.ends[min(span.end, n) - 1]
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
