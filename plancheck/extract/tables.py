"""Data tables as columns and typed rows: header rows, column names, data, group and total rows.

Readers give ``doc.tables`` as rows of cell blocks (header rows included); merged
cells arrive as empty cells (txt, pdf) or as the same text repeated (Word). This
module reads each non-layout table once per document (``doc.derived``):

* header rows: the rows above the first row that carries a number outside its first
  column, plus a column-numbering row such as "(1) (2) (3)" or "1 2 3 4";
* column names: the header texts from top to bottom, a group heading spreading right
  over the empty cells of its row ("Giảm hộ nghèo năm 2022" over five sub-columns),
  the leaf name used in messages;
* rows: data, group (I, II… / A, B… with their own subtotals), sub-rows ("Trong đó",
  "- …", 1.1), and totals ("CỘNG", "Tổng", "Tổng cộng", "Toàn xã/huyện/tỉnh");
* cells: parsed Vietnamese numbers; empty or "-" cells are ``empty`` (zero, or not
  applicable), any other text makes the cell ``text`` (unknown for arithmetic).

The table's own title (the paragraphs just above it: "BIỂU PHÂN BỐ CHỈ TIÊU GIẢM HỘ
NGHÈO NĂM 2022") is kept for rules that match tables to the text (PC703).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from ..model import Document, Span, Table
from .numbers import Number, format_vi, is_emptyish, parse_number

_TOTAL = regex.compile(
    r"^(?:tổng\s+cộng|cộng|tổng\s+số|tổng|toàn\s+(?:xã|phường|thị\s+trấn|huyện|quận|thị\s+xã|thành\s+phố|tỉnh|"
    r"đặc\s+khu|ngành|bộ)|cả\s+(?:xã|huyện|tỉnh|năm)|tổng\s+cộng\s+toàn\s+\p{L}+)"
    r"(?:\s+(?:[IVX]+|[A-Z]|\d+|chung|cộng))?(?:\s*\([^)]{0,40}\))?\s*:?$",
    regex.I,
)
_ROMAN = regex.compile(r"^(?:[IVX]{1,5}|[A-ZĐ])\.?$")
_ARABIC = regex.compile(r"^\d{1,3}\.?$")
_SUB_MARKER = regex.compile(r"^(?:\d{1,3}\.\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ][.)]|[-–+•*])$")
_SUB_LABEL = regex.compile(r"^(?:[-–+•*]\s|trong\s+đó|(?:\d{1,3}\.\d{1,3}|[a-zđ])[.)]\s|gồm|bao\s+gồm)", regex.I)
_NUMBERING_CELL = regex.compile(r"^\(?(?:\d{1,2}|[A-Z])\)?(?:\s*=\s*[\d()+\-*/x ]+)?$")
_PERCENT_HEAD = regex.compile(r"%|tỷ\s*lệ|tỉ\s*lệ", regex.I)
_WS = regex.compile(r"\s+")
_TITLE_HINT = regex.compile(r"^(?:BIỂU|Biểu|PHỤ LỤC|Phụ lục|BẢNG|Bảng|DANH|\(Kèm|\(Ban hành|Kèm theo|\p{Lu}{2,})")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    span: Span
    number: Number | None
    empty: bool

    @property
    def is_text(self) -> bool:
        return self.number is None and not self.empty


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    name: str  # the leaf header text ("Kế hoạch giảm năm 2022")
    path: tuple[str, ...]  # group headings above it, top first, leaf last
    percent: bool

    @property
    def label(self) -> str:
        return " / ".join(self.path) if self.path else f"cột {self.index + 1}"


@dataclass(frozen=True, slots=True)
class Row:
    index: int  # index into Table.rows
    kind: str  # header | numbering | data | group | sub | total
    cells: tuple[Cell, ...]
    label: str  # the row's text label (first non-numeric cells)
    marker: str  # "1", "I", "a", "1.1", "-" or ""


@dataclass(frozen=True)
class TableModel:
    table: int
    span: Span
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    header_rows: int

    def data_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind not in ("header", "numbering")]

    def column_by_name(self, pattern: regex.Pattern) -> list[Column]:
        return [c for c in self.columns if pattern.search(c.name) or any(pattern.search(p) for p in c.path)]


def _cells(doc: Document, t: Table) -> list[list[Cell]]:
    """Cell texts of a table, the several blocks of one cell joined (pipe tables split lines)."""
    by_pos: dict[tuple[int, int], list[int]] = {}
    tid = t.index
    lo = t.rows[0][0] if t.rows and t.rows[0] else 0
    for b in doc.blocks[lo:]:
        if b.table != tid:
            if b.span.start > t.span.end:
                break
            continue
        by_pos.setdefault((b.row or 0, b.col or 0), []).append(b.index)
    rows: list[list[Cell]] = []
    for row in t.rows:
        out = []
        for bi in row:
            b0 = doc.blocks[bi]
            idx = by_pos.get((b0.row or 0, b0.col or 0), [bi])
            text = " ".join(doc.block_text(doc.blocks[i]) for i in idx).strip()
            span = Span(doc.blocks[idx[0]].span.start, doc.blocks[idx[-1]].span.end)
            num = parse_number(text) if text else None
            out.append(Cell(text=text, span=span, number=num, empty=num is None and is_emptyish(text)))
        rows.append(out)
    return rows


def _is_numbering_row(cells: list[Cell]) -> bool:
    vals = [c.text for c in cells if c.text]
    if len(vals) < 3 or not all(_NUMBERING_CELL.match(v) for v in vals):
        return False
    nums = [int(regex.sub(r"\D.*$", "", v.strip("()")) or 0) for v in vals if v.strip("()")[:1].isdigit()]
    return len(nums) >= 3 and nums == sorted(nums) and len(set(nums)) == len(nums)


def _numeric_beyond_label(cells: list[Cell]) -> int:
    return sum(1 for c in cells[1:] if c.number is not None)


def _header_count(rows: list[list[Cell]]) -> int:
    for r, cells in enumerate(rows[:6]):
        if _is_numbering_row(cells):
            return r + 1
        if _numeric_beyond_label(cells) >= 1 and r > 0:
            # a row of years ("2022 2023 2024") under a group heading is still header
            vals = [c.number.value for c in cells if c.number is not None]
            if all(isinstance(v, int) and 1990 <= v <= 2100 for v in vals) and len(vals) >= 2 and r < 4:
                continue
            return r
        if _numeric_beyond_label(cells) >= 1 and r == 0:
            return 0
    return 1 if rows else 0


def _columns(rows: list[list[Cell]], n_head: int, ncols: int) -> list[Column]:
    grid = [[(rows[r][c].text if c < len(rows[r]) else "") for c in range(ncols)] for r in range(n_head)]
    # Word repeats a merged cell's text: keep it once, on its first column / row.
    for r in range(n_head):
        for c in range(ncols - 1, 0, -1):
            if grid[r][c] and grid[r][c] == grid[r][c - 1]:
                grid[r][c] = ""
    for c in range(ncols):
        for r in range(n_head - 1, 0, -1):
            if grid[r][c] and grid[r][c] == grid[r - 1][c]:
                grid[r][c] = ""
    cols = []
    for c in range(ncols):
        path: list[str] = []
        for r in range(n_head):
            t = grid[r][c]
            if not t and r < n_head - 1:
                # a group heading to the left spreads over empty cells whose row below has labels
                k = c - 1
                while k >= 0 and not grid[r][k]:
                    k -= 1
                below = any(grid[rr][c] for rr in range(r + 1, n_head))
                if k >= 0 and below:
                    t = grid[r][k]
            if t and (not path or path[-1] != t):
                path.append(_WS.sub(" ", t))
        name = path[-1] if path else ""
        cols.append(
            Column(
                index=c,
                name=name,
                path=tuple(path),
                percent=bool(_PERCENT_HEAD.search(name)) or (bool(path) and "%" in path[-1]),
            )
        )
    return cols


def _label(cells: list[Cell]) -> tuple[str, str]:
    """The row's marker (first cell when it is a number/letter) and its text label."""
    marker = ""
    texts: list[str] = []
    for i, c in enumerate(cells[:3]):
        t = c.text.strip()
        if i == 0 and (_ARABIC.match(t) or _ROMAN.match(t) or _SUB_MARKER.match(t)):
            marker = t.rstrip(".")
            continue
        if c.number is not None and i > 0:
            break
        if t:
            texts.append(t)
    return marker, " ".join(texts)


def _row_kind(marker: str, label: str, cells: list[Cell]) -> str:
    lab = label.strip(" *:")
    if lab and _TOTAL.match(lab):
        return "total"
    first = cells[0].text.strip() if cells else ""
    if not marker and first and _TOTAL.match(first.strip(" *:")):
        return "total"
    if marker and _ROMAN.match(marker + ".") and not marker.isdigit():
        if len(marker) == 1 and marker.islower():
            return "sub"
        return "group"
    if marker and _SUB_MARKER.match(marker + ("." if "." in marker else "")) and not _ARABIC.match(marker):
        return "sub"
    if _SUB_LABEL.match(label):
        return "sub"
    return "data"


def _title(doc: Document, t: Table) -> str:
    """The paragraphs just above the table that name it (BIỂU …, (Kèm theo …))."""
    first = t.rows[0][0] if t.rows and t.rows[0] else None
    if first is None:
        return ""
    parts: list[str] = []
    i = first - 1
    while i >= 0 and len(parts) < 4:
        b = doc.blocks[i]
        if b.kind == "cell":
            break
        txt = doc.block_text(b).strip()
        if txt and (_TITLE_HINT.match(txt) or len(txt) < 160):
            parts.insert(0, txt)
        else:
            break
        if txt.isupper() and len(txt) > 15 and not txt.startswith("("):
            break
        i -= 1
    return " ".join(parts)


def build(doc: Document, t: Table) -> TableModel | None:
    if t.region == "layout" or not t.rows:
        return None
    rows = _cells(doc, t)
    ncols = max(len(r) for r in rows)
    n_head = _header_count(rows)
    columns = _columns(rows, n_head, ncols)
    out_rows: list[Row] = []
    for r, cells in enumerate(rows):
        cells = cells + [Cell("", cells[-1].span if cells else t.span, None, True)] * (ncols - len(cells))
        marker, label = _label(cells)
        if r < n_head:
            kind = "numbering" if _is_numbering_row(cells) else "header"
        else:
            kind = _row_kind(marker, label, cells)
        out_rows.append(Row(index=r, kind=kind, cells=tuple(cells), label=label, marker=marker))
    return TableModel(
        table=t.index,
        span=t.span,
        title=_title(doc, t),
        columns=tuple(columns),
        rows=tuple(out_rows),
        header_rows=n_head,
    )


def tables(doc: Document) -> list[TableModel]:
    """Every data table of the document, built once (memoised on the Document)."""

    def compute(d: Document) -> list[TableModel]:
        out = []
        for t in d.tables:
            m = build(d, t)
            if m is not None:
                out.append(m)
        return out

    return doc.derived("tables.models", compute)


def tables_json(doc: Document) -> list[dict[str, Any]]:
    """View for ``plancheck extract``: columns, row kinds and parsed numbers of each table."""
    out = []
    for m in tables(doc):
        out.append(
            {
                "table": m.table,
                "title": m.title,
                "header_rows": m.header_rows,
                "columns": [
                    {"index": c.index, "name": c.name, "path": list(c.path), "percent": c.percent} for c in m.columns
                ],
                "rows": [
                    {
                        "kind": r.kind,
                        "marker": r.marker,
                        "label": r.label,
                        "values": [
                            (
                                format_vi(c.number.value, c.number.decimals)
                                if c.number is not None
                                else (None if c.empty else c.text)
                            )
                            for c in r.cells
                        ],
                    }
                    for r in m.rows
                    if r.kind not in ("header",)
                ],
            }
        )
    return out
