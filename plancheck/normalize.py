"""Turn readers' block drafts into one normalised text, its blocks, tables and SourceMap.

Every reader (txt, docx, pdf) describes its file as ``BlockDraft``s whose pieces carry
their source offsets; ``assemble`` joins them (paragraphs by "\n", table cells by
"\t" within a row), applies NFC through the ``TextBuilder`` and records each block's
span. Whitespace runs inside a block are kept as they are (rules see the author's
spacing: "Số: 35 /KH-UBND" must stay detectable), only block ends are trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .model import Block, Span, Table
from .sourcemap import SourceMap, TextBuilder

# A piece is (text, source_offset, synthetic): 0 from the source, SYNTH inserted by the
# reader (a joining space), GENERATED shown by the application (Word's list numbers)
Piece = tuple[str, int, int]
SYNTH, GENERATED = 1, 2


@dataclass(slots=True)
class BlockDraft:
    pieces: list[Piece] = field(default_factory=list)
    kind: str = "paragraph"  # paragraph | cell
    bold: bool = False
    bold_prefix: int = 0
    level_hint: int = 0
    italic: bool = False
    table: int | None = None
    row: int | None = None
    col: int | None = None
    layout: bool = False  # cell of a borderless layout table (header/signature)
    look: tuple | None = None  # Block.look (Word: size, alignment, indent, italic)

    def add(self, text: str, src: int) -> None:
        if text:
            self.pieces.append((text, src, False))

    def synth(self, text: str, src: int) -> None:
        if text:
            self.pieces.append((text, src, SYNTH))

    def generated(self, text: str, src: int) -> None:
        if text:
            self.pieces.append((text, src, GENERATED))

    @property
    def text(self) -> str:
        return "".join(p[0] for p in self.pieces)


# What the regex class [\s\u00a0\u200b\ufeff] matches, as a string for str.strip: block
# ends are trimmed of these (tests/test_fast_paths.py checks the two agree).
WS_CHARS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
)
SPACE_CHARS = WS_CHARS.replace("\u200b", "").replace("\ufeff", "")  # what regex's \s matches
_INNER_CTRL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u200b\ufeff\n\r\t]")


def _trim(pieces: list[Piece]) -> list[Piece]:
    out = [p for p in pieces if p[0]]
    while out:
        t, s, syn = out[0]
        k = len(t) - len(t.lstrip(WS_CHARS))
        if not k:
            break
        if k == len(t):
            out.pop(0)
        else:
            out[0] = (t[k:], s + (0 if syn else k), syn)
            break
    while out:
        t, s, syn = out[-1]
        k = len(t.rstrip(WS_CHARS))
        if k == len(t):
            break
        if k == 0:
            out.pop()
        else:
            out[-1] = (t[:k], s, syn)
            break
    return out


def _emit(tb: TextBuilder, pieces: list[Piece]) -> None:
    for t, s, syn in pieces:
        if syn:
            tb.synth(_INNER_CTRL.sub(" ", t), s, syn == GENERATED)
        elif _INNER_CTRL.search(t):
            # Keep the 1:1 mapping: replace each control char by a space.
            tb.add(_INNER_CTRL.sub(" ", t), s)
        else:
            tb.add(t, s)


def assemble(
    drafts: list[BlockDraft],
    *,
    kind: str,
    source: str,
    unit_starts: list[int],
    unit_locs: list,
    table_layout: dict[int, bool] | None = None,
) -> tuple[str, tuple[Block, ...], tuple[Table, ...], SourceMap]:
    """Build text, blocks, tables and the SourceMap from drafts (in body order).

    Paragraph blocks and table rows each take one line of the text; cells of one row
    are separated by a tab. Empty paragraphs are dropped; empty cells are kept so that
    table columns stay aligned.
    """
    tb = TextBuilder()
    blocks: list[Block] = []
    table_rows: dict[int, dict[int, dict[int, list[int]]]] = {}
    prev: BlockDraft | None = None
    for d in drafts:
        pieces = _trim(d.pieces)
        if d.kind != "cell" and not pieces:
            continue
        src_anchor = d.pieces[0][1] if d.pieces else (prev.pieces[-1][1] if prev and prev.pieces else 0)
        if len(tb):
            same_row = (
                prev is not None
                and d.kind == "cell"
                and prev.kind == "cell"
                and prev.table == d.table
                and prev.row == d.row
            )
            if same_row and prev.col == d.col:
                tb.synth(" ", src_anchor)
            else:
                tb.synth("\t" if same_row else "\n", src_anchor)
        start = len(tb)
        _emit(tb, pieces)
        end = len(tb)
        bp = d.bold_prefix if 0 < d.bold_prefix < (end - start) else 0
        blocks.append(
            Block(
                index=len(blocks),
                kind=d.kind,
                span=Span(start, end),
                bold=d.bold,
                bold_prefix=bp,
                level_hint=d.level_hint,
                italic=d.italic,
                table=d.table,
                row=d.row,
                col=d.col,
                region="layout" if d.layout else "body",
                look=d.look,
            )
        )
        if d.kind == "cell" and d.table is not None:
            table_rows.setdefault(d.table, {}).setdefault(d.row or 0, {}).setdefault(d.col or 0, []).append(
                len(blocks) - 1
            )
        prev = d
    text = tb.text()
    tables: list[Table] = []
    for t_id in sorted(table_rows):
        rows = table_rows[t_id]
        row_tuples = []
        for r in sorted(rows):
            cols = rows[r]
            row_tuples.append(tuple(cols[c][0] for c in sorted(cols)))
        all_blocks = [i for r in rows.values() for c in r.values() for i in c]
        span = Span(blocks[min(all_blocks)].span.start, blocks[max(all_blocks)].span.end)
        layout = bool(table_layout and table_layout.get(t_id))
        tables.append(
            Table(index=len(tables), span=span, rows=tuple(row_tuples), region="layout" if layout else "body")
        )
    # Renumber block.table to the compacted table index.
    remap = {t_id: i for i, t_id in enumerate(sorted(table_rows))}
    if remap and any(k != v for k, v in remap.items()):
        blocks = [
            Block(**{**{s: getattr(b, s) for s in Block.__slots__}, "table": remap.get(b.table, b.table)})
            if b.table is not None
            else b
            for b in blocks
        ]
    return text, tuple(blocks), tuple(tables), tb.build(kind, source, unit_starts, unit_locs)
