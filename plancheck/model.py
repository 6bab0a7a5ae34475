"""The frozen data every stage passes on: spans, blocks, headings, tables, the Document, findings.

Readers build a Document once per file; extractors and check kinds only read it.
Offsets are into ``Document.text`` (normalised, NFC); the SourceMap turns them back
into the original location, so no rule ever computes a location itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any


class Severity(str, Enum):
    """Finding severity; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, value: str) -> Severity:
        v = value.strip().lower()
        aliases = {"e": "error", "w": "warning", "i": "info"}
        return cls(aliases.get(v, v))


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open offset range [start, end) into Document.text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Location:
    """Where a span came from in the original file.

    ``line``/``column`` are 1-based: the file's own line for .txt/.md, the line on the
    page for .pdf. ``paragraph`` is the 1-based body-order paragraph for .docx (table
    cells included); ``page`` is set for .pdf.
    """

    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    page: int | None = None
    paragraph: int | None = None

    def short(self) -> str:
        if self.paragraph is not None:
            return f"¶{self.paragraph}" + (f":{self.column}" if self.column else "")
        if self.page is not None:
            return f"p{self.page}:{self.line}:{self.column}"
        if self.line is not None:
            return f"{self.line}:{self.column}"
        return "-"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph or table cell of the normalised text.

    ``bold`` means the whole block is bold (a heading hint); ``bold_prefix`` is the
    length of a leading bold run that does not cover the whole block (a run-in label
    such as "**2. Phạm vi:** text"). ``level_hint`` is a markdown ``#`` count or a Word
    heading style level. ``region`` is header | title | body | closing | annex | web (the web
    page around a scraped document, read by no rule).
    """

    index: int
    kind: str  # "paragraph" | "cell"
    span: Span
    bold: bool = False
    bold_prefix: int = 0
    level_hint: int = 0
    italic: bool = False
    table: int | None = None
    row: int | None = None
    col: int | None = None
    region: str = "body"
    # what a reader of a Word paragraph sees besides bold: (size in half-points, alignment,
    # first-line indent in twips, italic); None where the format does not tell (PC103)
    look: tuple | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A data table: rows of cell block indices (header rows included)."""

    index: int
    span: Span
    rows: tuple[tuple[int, ...], ...]
    region: str = "body"


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered (or named) item of the outline.

    ``marker_kind``: roman | arabic | decimal | letter. ``number`` is the parsed value
    (int for roman/arabic/letter position, tuple for decimal). ``style`` is the
    signature compared among siblings (PC103). ``runin`` marks a bold label followed
    by text in the same paragraph; ``is_heading`` is False for long numbered
    paragraphs (list items), which still count for numbering.
    """

    block: int
    span: Span  # the whole block
    marker_span: Span
    marker: str
    marker_kind: str
    number: Any
    title: str
    level: int
    style: tuple
    is_heading: bool
    runin: bool
    parent: int | None  # index into Outline.headings
    punct: str = "."


@dataclass(frozen=True, slots=True)
class Outline:
    headings: tuple[Heading, ...] = ()

    def children(self, parent: int | None) -> list[int]:
        return [i for i, h in enumerate(self.headings) if h.parent == parent]

    def top(self) -> list[Heading]:
        return [h for h in self.headings if h.parent is None]

    def section_end(self, i: int, doc_end: int) -> int:
        """Offset where heading i's section ends (next heading at same or higher level)."""
        h = self.headings[i]
        for g in self.headings[i + 1 :]:
            if g.level <= h.level:
                return g.span.start
        return doc_end


@dataclass(frozen=True)
class Document:
    """A parsed plan. Immutable: rules read it, none mutates it.

    ``derived`` memoises extractor results (citations, dates, projects…) keyed by
    name, so each is computed once per document whatever the number of rules.
    """

    path: str
    format: str  # txt | md | docx | pdf
    text: str
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...]
    outline: Outline
    sourcemap: Any  # plancheck.sourcemap.SourceMap
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    issues: tuple[tuple[str, dict], ...] = ()  # reader problems: (code, params)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def block_text(self, b: Block) -> str:
        return self.text[b.span.start : b.span.end]

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def locate(self, span: Span) -> Location:
        return self.sourcemap.locate(span)

    def derived(self, key: str, compute: Callable[[Document], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    def blocks_in(self, *regions: str, kinds: tuple[str, ...] = ("paragraph",)) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds and (not regions or b.region in regions)]

    def block_at(self, offset: int) -> Block | None:
        from bisect import bisect_right

        starts = self.derived("_block_starts", lambda d: [b.span.start for b in d.blocks])
        i = bisect_right(starts, offset) - 1
        if 0 <= i < len(self.blocks):
            return self.blocks[i]
        return None

    @property
    def title_span(self) -> Span:
        """Where document-level findings are anchored: the title, else the first block."""
        t = self.metadata.get("title_block")
        if t is not None:
            return self.blocks[t].span
        if self.blocks:
            return self.blocks[0].span
        return Span(0, 0)


@dataclass(frozen=True, slots=True)
class Message:
    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    slug: str
    severity: Severity
    message: Message
    span: Span
    excerpt: str
    location: Location
    suggestion: str | None = None
    preview: bool = False
    data: Mapping[str, Any] | None = None

    def key(self) -> tuple:
        return (self.span.start, self.code, self.span.end)
