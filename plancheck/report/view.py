"""A small, picklable picture of a parsed document that reporters can draw from.

The engine drops the ``Document`` after checking (it is large and holds a source
map), but three outputs need the plan's text after the fact: the HTML report
highlights each excerpt in the text and groups findings by section, also for
stdin input and for documents checked in worker processes. ``document_view``
keeps just that: the normalised text, the blocks (span, kind, table cell, bold),
the tables, the top-level sections and the title span. It costs a few
hundred small tuples per plan and is kept in ``DocReport.extra["view"]``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class BlockView:
    start: int
    end: int
    kind: str  # paragraph | cell
    region: str
    bold: bool = False
    bold_prefix: int = 0
    italic: bool = False
    level_hint: int = 0
    table: int | None = None
    row: int | None = None
    col: int | None = None


@dataclass(frozen=True, slots=True)
class SectionView:
    start: int  # offset of the heading in the text
    label: str  # "I. MỤC ĐÍCH, YÊU CẦU"


@dataclass
class DocumentView:
    text: str
    blocks: list[BlockView]
    tables: list[list[list[int]]]  # table -> rows -> block indices
    sections: list[SectionView]
    title: tuple[int, int] | None  # span of the title block (whole-document findings go there)
    _starts: list[int] = field(default_factory=list, repr=False)

    def block_index_at(self, offset: int) -> int | None:
        """Index of the block whose span contains ``offset`` (or the last block before it)."""
        if not self._starts:
            self._starts = [b.start for b in self.blocks]
        i = bisect_right(self._starts, offset) - 1
        return i if 0 <= i < len(self.blocks) else None

    def section_of(self, offset: int) -> str | None:
        """Label of the top-level section containing ``offset`` (None before the first heading)."""
        label = None
        for s in self.sections:
            if s.start > offset:
                break
            label = s.label
        return label


def document_view(doc: Any) -> DocumentView:
    """Build the view of a parsed ``plancheck.model.Document``."""
    blocks = [
        BlockView(
            start=b.span.start,
            end=b.span.end,
            kind=b.kind,
            region=b.region,
            bold=b.bold,
            bold_prefix=b.bold_prefix,
            italic=getattr(b, "italic", False),
            level_hint=b.level_hint,
            table=b.table,
            row=b.row,
            col=b.col,
        )
        for b in doc.blocks
    ]
    tables = [[list(row) for row in t.rows] for t in doc.tables]
    sections = [
        SectionView(h.span.start, f"{h.marker} {h.title}".strip())
        for h in doc.outline.headings
        if h.parent is None and h.is_heading
    ]
    title = None
    if doc.blocks:
        ts = doc.title_span
        title = (ts.start, ts.end)
    return DocumentView(text=doc.text, blocks=blocks, tables=tables, sections=sections, title=title)


def get_view(d: Any) -> DocumentView | None:
    """The view kept by the engine, or one re-parsed from the file (None if unreadable)."""
    v = d.extra.get("view") if getattr(d, "extra", None) else None
    if v is not None:
        return v
    if d.error:
        return None
    try:
        from ..parse import parse

        doc = parse(d.path)
    except Exception:  # a file that moved or cannot be read again: no text to show
        return None
    v = document_view(doc)
    d.extra["view"] = v
    return v
