"""Plain text and Markdown: decode, strip markdown marks, re-join wrapped lines.

Real plans arrive as text exported from Word or PDF and as Markdown conversions:
paragraphs hard-wrapped mid-sentence (sometimes with a blank line after every line
and a page number on its own line), ``**bold**``/``*italic*`` marks, ``#`` headings,
``\\*`` escapes, tab-separated table rows, and header tables written as ``|`` lines.
Each output character keeps its original line and column through the SourceMap.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import regex

from ..normalize import SPACE_CHARS, BlockDraft, Piece, _trim, assemble
from .base import ReadResult
from .guards import MAX_GRID_COLUMNS

_LINE_SPLIT = regex.compile(r"\r\n|\r|\n|\u2028|\u2029")
_HEADING = regex.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+")
_TOKEN = regex.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])|(\*+)|(__+)|([^\\*_]+|[\\_])")
_LIST_START = regex.compile(
    r"^(?:[-+•–*][ \t]|(?:[IVXL]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]?[ \t]|\d{1,2}(?:\.\d{1,2})+[ \t]|"
    r"(?:Tiểu dự án|Dự án|Điều|Chương|Mục|Phần|PHẦN|Phụ lục|PHỤ LỤC|Nơi nhận|TM\.|KT\.|TL\.|TUQ\.|Q\.)\b)"
)
_NUMBERED = regex.compile(r"^(?:[IVXL]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)][ \t]")
# A number wrapped to the start of a line after the noun it counts ("ưu tiên các địa bàn cấp độ
# / 1. Cấp ngay …", "theo khoản / 2. Điều 5"): the sentence goes on, it is not a list item.
_COUNTED_NOUN = regex.compile(
    r"(?<![\p{L}])(?:cấp độ|cấp|độ|khoản|điểm|mục|tiết|điều|chương|phần|số|lần|nhóm|loại|hạng|bậc|vùng|khu vực|giai đoạn|"
    r"đợt|quý|tháng|năm|tổ|khóa|khoá|tầng|phụ lục|biểu|mẫu|dự án|tiểu dự án|nội dung|tiêu chí|chỉ tiêu|mức)$",
    regex.I,
)
_WRAPPED_NUMBER = regex.compile(r"^\d{1,2}\.[ \t]")
_OPENER = regex.compile(r"^[\s*_]*(?:Căn cứ|Thực hiện|Xét đề nghị|Trên đây|Nơi nhận)\b")
_PAGENUM = regex.compile(r"^[ \t]*(?:-[ \t]*)?(?:Trang[ \t]+)?\d{1,3}(?:[ \t]*-)?(?:[ \t]*/[ \t]*\d{1,3})?[ \t]*$")
_SEPARATOR = regex.compile(r"^(?!\s*(?:\.{3,}|…+)\s*$)[\s*\-_=|~.#]*$")  # "..." alone is an elision, kept
_TERMINAL = regex.compile(r"(?:[.:;!?…]|\./\.|\.\s*/)[\s\"”’)*_]*$")
_AFTER_TERMINAL = SPACE_CHARS + '"”’)*_'


def _ends_terminal(t: str) -> bool:
    """``_TERMINAL.search(t)`` without rescanning the line: before closing quotes,
    brackets, emphasis marks and spaces, a sentence end or "./" ("Nơi nhận: ... ./")."""
    u = t.rstrip(_AFTER_TERMINAL)
    if not u:
        return False
    if u[-1] in ".:;!?…":
        return True
    return u[-1] == "/" and u[:-1].rstrip(SPACE_CHARS).endswith(".")


_PIPE_ROW = regex.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = regex.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")


@dataclass(slots=True)
class Line:
    idx: int
    src: int
    raw: str
    kind: str = "text"  # blank | text | row | pipe | sep | pagenum | piperow
    pieces: list[Piece] = field(default_factory=list)
    md_level: int = 0
    bold_whole: bool = False
    bold_prefix: int = 0
    italic: bool = False
    open_emph: bool = False
    cells: list[list[Piece]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p[0] for p in self.pieces).strip()


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes; return (text, problem) where problem names a fallback encoding."""
    text, problem, _ = decode_text(data)
    return text, problem


_STRAY = None  # a run of bytes that are not UTF-8, as surrogateescape keeps them


def decode_text(data: bytes) -> tuple[str, str | None, list[int]]:
    """Decode bytes: (text, problem, lines holding bytes that are not UTF-8).

    A byte-order mark decides (UTF-8, UTF-32, UTF-16); without one, UTF-8. Text that is
    UTF-8 but for a few stray bytes (a line pasted from a Windows-1258 file) stays
    UTF-8: only those bytes are read as Windows-1258 and their lines are reported,
    instead of the whole file turning to mojibake. UTF-32 and UTF-16 (either byte
    order) are recognised by their NUL bytes. Anything else is read as Windows-1258
    (Vietnamese Windows), as Windows-1252 at worst; ``problem`` says which.
    """
    global _STRAY
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace"), None, []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), None, []
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), None, []
    except UnicodeDecodeError:
        pass
    wide = _wide_encoding(data)
    if wide is not None:
        try:
            return data.decode(wide[0]), wide[1], []
        except UnicodeDecodeError:
            pass
    text = body.decode("utf-8", errors="surrogateescape")
    if _STRAY is None:
        _STRAY = regex.compile(r"[\udc80-\udcff]+")
    runs = list(_STRAY.finditer(text))
    n_bad = sum(m.end() - m.start() for m in runs)
    if n_bad * 4 <= len(body) - len(text):  # far more valid multi-byte letters than stray bytes
        lines: list[int] = []
        parts: list[str] = []
        pos, line = 0, 1
        for m in runs:
            line += text.count("\n", pos, m.start())
            if not lines or lines[-1] != line:
                lines.append(line)
            parts.append(text[pos : m.start()])
            raw = bytes(ord(c) - 0xDC00 for c in m.group())
            parts.append(raw.decode("cp1258", errors="replace"))
            pos = m.end()
        parts.append(text[pos:])
        return "".join(parts), None, lines
    if data.startswith(codecs.BOM_UTF8):
        return body.decode("utf-8", errors="replace"), None, []
    try:
        return data.decode("cp1258"), "Windows-1258", []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252", []


def _wide_encoding(data: bytes) -> tuple[str, str] | None:
    """UTF-32 or UTF-16 without a byte-order mark, told by where the NUL bytes fall
    (Vietnamese text is mostly ASCII letters and spaces: their high bytes are 0)."""
    n = len(data)
    if n < 8:
        return None
    head = data[: 1 << 16]
    if n % 4 == 0:
        quads = len(head) // 4
        hi = head[2::4].count(0) + head[3::4].count(0)
        lo = head[0::4].count(0) + head[1::4].count(0)
        if hi > 1.8 * quads and head[1::4].count(0) > 0.3 * quads:
            return "utf-32-le", "UTF-32 (không có BOM)"
        if lo > 1.8 * quads and head[2::4].count(0) > 0.3 * quads:
            return "utf-32-be", "UTF-32 (không có BOM)"
    if n % 2 == 0:
        pairs = len(head) // 2
        if head[1::2].count(0) > 0.3 * pairs and head[0::2].count(0) < 0.05 * pairs:
            return "utf-16-le", "UTF-16 (không có BOM)"
        if head[0::2].count(0) > 0.3 * pairs and head[1::2].count(0) < 0.05 * pairs:
            return "utf-16-be", "UTF-16 (không có BOM)"
    return None


def _inline(
    s: str, base: int, bold: bool = False, ital: bool = False
) -> tuple[list[Piece], bool, int, bool, tuple[bool, bool]]:
    """Strip emphasis marks and escapes. Returns pieces, bold_whole, bold_prefix, italic, end state.

    ``bold``/``ital`` are the emphasis states carried over from the previous line: a
    markdown conversion often wraps "**IV. PHÁT TRIỂN … XÃ" / "HỘI SỐ …**" over lines.
    """
    pieces: list[Piece] = []
    flags: list[bool] = []  # bold flag per piece
    lead = len(s) - len(s.lstrip(" \t"))
    # A single '*' or '+' bullet at line start is text, not emphasis.
    for m in _TOKEN.finditer(s):
        if m.group(1) is not None:
            pieces.append((m.group(1), base + m.start(1), False))
            flags.append(bold)
        elif m.group(2) is not None:
            run = m.group(2)
            if m.start() == lead and len(run) == 1 and s[m.end() : m.end() + 1] in (" ", "\t"):
                pieces.append(("*", base + m.start(), False))
                flags.append(bold)
                continue
            if len(run) >= 2:
                bold = not bold
            if len(run) % 2 == 1:
                ital = not ital
        elif m.group(3) is not None:
            bold = not bold
        else:
            pieces.append((m.group(4), base + m.start(4), False))
            flags.append(bold)
    # bold_whole: every non-space piece bold; bold_prefix: the leading bold run, counted
    # from the first non-space character.
    has_text = False
    bold_whole = True
    for (t, _, _), f in zip(pieces, flags, strict=True):
        if not t.isspace():
            has_text = True
            if not f:
                bold_whole = False
                break
    bold_whole = bold_whole and has_text
    prefix = 0
    if not bold_whole:
        started = False
        for (t, _, _), f in zip(pieces, flags, strict=True):
            if not started:
                stripped = t.lstrip()
                if not stripped:
                    continue
                started = True
                if not f:
                    break
                prefix += len(stripped)
                continue
            if not f:
                break
            prefix += len(t)
    return pieces, bold_whole, prefix, ital, (bold, ital)


def _lex(text: str) -> tuple[list[Line], list[int]]:
    lines: list[Line] = []
    starts: list[int] = []
    pos = 0
    idx = 0
    for m in _LINE_SPLIT.finditer(text + "\n"):
        raw = text[pos : m.start()] if m.start() <= len(text) else text[pos:]
        starts.append(pos)
        lines.append(Line(idx=idx, src=pos, raw=raw))
        pos = m.end()
        idx += 1
        if pos > len(text):
            break
    return lines, starts


def _classify(ln: Line, state: tuple[bool, bool] = (False, False)) -> tuple[bool, bool]:
    """Classify a line; return the emphasis state still open at its end (for the next line)."""
    raw = ln.raw
    closed = (False, False)
    if not raw.strip():
        ln.kind = "blank"
        return closed
    if raw.strip() == "|":
        ln.kind = "pipe"
        return closed
    if ("\t" in raw.strip() or raw.count("\t") >= 2) and raw.count("\t") < MAX_GRID_COLUMNS:
        ln.kind = "row"
        pos = ln.src
        for field_ in raw.split("\t"):
            pcs, *_ = _inline(field_, pos)
            ln.cells.append(pcs)
            pos += len(field_) + 1
        return closed
    if _PIPE_RULE.match(raw):
        ln.kind = "sep"
        return closed
    if _PIPE_ROW.match(raw) and 3 <= raw.count("|") <= MAX_GRID_COLUMNS + 1:  # more columns: text
        ln.kind = "row"
        pos = ln.src
        parts = raw.split("|")
        pos += len(parts[0]) + 1
        for field_ in parts[1:-1]:
            pcs, *_ = _inline(field_, pos)
            ln.cells.append(pcs)
            pos += len(field_) + 1
        return closed
    body_off = 0
    hm = _HEADING.match(raw)
    if hm:
        ln.md_level = len(hm.group(1))
        body_off = hm.end()
    pcs, bw, bp, it, end = _inline(raw[body_off:], ln.src + body_off, *state)
    ln.pieces, ln.bold_whole, ln.bold_prefix, ln.italic = pcs, bw, bp, it
    ln.open_emph = end[0] or end[1]
    t = ln.text
    if not t or _SEPARATOR.match(t):
        ln.kind = "sep"
    elif _PAGENUM.match(t):
        ln.kind = "pagenum"
    return end


def _starts_item(ln: Line) -> bool:
    t = ln.text
    return bool(ln.md_level or _LIST_START.match(t))


def _wrap_width(lines: list[Line]) -> float:
    lens = sorted(len(ln.raw.rstrip()) for ln in lines if ln.kind == "text")
    if len(lens) < 20:
        return 0.0
    p80 = lens[int(0.8 * (len(lens) - 1))]
    if p80 > 130 or p80 < 30:
        return 0.0
    near = sum(1 for x in lens if x >= 0.8 * p80)
    return float(p80) if near >= 0.3 * len(lens) else 0.0


def _starts_lower(t: str) -> bool:
    c = t[:1]
    return bool(c) and c.isalpha() and c.islower()


@dataclass
class _Para:
    lines: list[Line]

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


def _continues(prev: _Para, ln: Line, width: float, across_blank: bool) -> bool:
    """Whether line ``ln`` continues paragraph ``prev`` (a wrapped line)."""
    if prev.first.md_level or ln.md_level:
        return False
    last = prev.last
    t_prev = last.text
    t = ln.text
    if last.open_emph and not across_blank:
        return True
    if _ends_terminal(t_prev):
        return False
    if not across_blank and _WRAPPED_NUMBER.match(t) and _COUNTED_NOUN.search(t_prev.rstrip(" *_")):
        return True
    if _NUMBERED.match(t) or _LIST_START.match(t):
        return False
    if prev.first.bold_whole != ln.bold_whole and not _starts_lower(t):
        return False
    if not across_blank:
        return True
    if _OPENER.match(t):
        return False  # "Căn cứ …" / "Thực hiện …" after a blank line opens the body, whatever the line above
    if _starts_lower(t):
        # "…địa phương" / "đôi với công tác…": a sentence cut by a blank line.
        return len(t_prev) >= 20
    return bool(width) and len(last.raw.rstrip()) >= 0.7 * width


def read_text(text: str, *, fmt: str = "txt") -> ReadResult:
    """Parse decoded text (already a str) into a Document-ready ReadResult."""
    text = text.replace("\x00", " ")
    lines, starts = _lex(text)
    state = (False, False)
    for ln in lines:
        state = _classify(ln, state)
    width = _wrap_width(lines)
    drafts: list[BlockDraft] = []
    table_id = -1
    layout_tables: dict[int, bool] = {}
    i = 0
    n = len(lines)
    para: _Para | None = None
    blank_since = False

    def flush() -> None:
        nonlocal para
        if para is None:
            return
        d = BlockDraft(level_hint=para.first.md_level)
        for j, ln in enumerate(para.lines):
            pcs = _trim(ln.pieces)
            if j and pcs:
                d.synth(" ", ln.src)
            d.pieces.extend(pcs)
        d.bold = all(ln.bold_whole for ln in para.lines)
        if not d.bold:
            # A bold run may start on one line and end on the next: count it across lines.
            prefix = 0
            for j, ln in enumerate(para.lines):
                if ln.bold_whole:
                    prefix += len(ln.text) + (1 if j else 0)
                    continue
                prefix += ln.bold_prefix + (1 if j and ln.bold_prefix else 0)
                break
            d.bold_prefix = prefix
        d.italic = para.first.italic
        drafts.append(d)
        para = None

    while i < n:
        ln = lines[i]
        if ln.kind == "row":
            flush()
            table_id += 1
            r = 0
            while (
                i < n
                and lines[i].kind in ("row", "sep")
                and not (lines[i].kind == "sep" and not _PIPE_RULE.match(lines[i].raw))
            ):
                if lines[i].kind == "row":
                    for c, cell in enumerate(lines[i].cells):
                        cd = BlockDraft(kind="cell", table=table_id, row=r, col=c)
                        cd.pieces.extend(cell)
                        if not cell:
                            cd.synth("", lines[i].src)
                        drafts.append(cd)
                    r += 1
                i += 1
            blank_since = False
            continue
        if ln.kind == "pipe":
            flush()
            i = _pipe_table(lines, i, drafts, table_id + 1, layout_tables)
            table_id += 1
            blank_since = False
            continue
        if ln.kind in ("blank", "sep"):
            if ln.kind == "sep":
                flush()
            blank_since = True
            i += 1
            continue
        if ln.kind == "pagenum":
            if width:
                i += 1
                continue
            ln.kind = "text"
        if para is not None and _continues(para, ln, width, blank_since):
            para.lines.append(ln)
        else:
            flush()
            para = _Para([ln])
        blank_since = False
        i += 1
    flush()
    source = "\n".join(ln.raw for ln in lines)
    t, blocks, tables, smap = assemble(
        drafts,
        kind="line",
        source=source,
        unit_starts=starts,
        unit_locs=list(range(1, len(lines) + 1)),
        table_layout=layout_tables,
    )
    return ReadResult(fmt=fmt, text=t, blocks=blocks, tables=tables, sourcemap=smap)


def _pipe_table(lines: list[Line], i: int, drafts: list[BlockDraft], tid: int, layout: dict[int, bool]) -> int:
    """Markdown conversions write table cells between lone '|' lines; '|' '|' ends a row.

    Cells are collected first; once the table's shape is known, a small table (≤3
    columns, ≤4 rows: the header or signature layout) keeps one block per line so that
    "Nơi nhận:", "- Lưu: VT." or "KT. CHỦ TỊCH" stay separate; a data table joins each
    cell's lines into one block.
    """
    n = len(lines)
    rows: list[list[list[Line]]] = [[]]
    cell: list[Line] = []
    i += 1  # skip the opening pipe
    while i < n:
        ln = lines[i]
        if ln.kind == "pipe":
            if cell:
                rows[-1].append(cell)
                cell = []
            elif rows[-1]:
                rows.append([])  # '|' right after '|': a new row
            i += 1
            continue
        if ln.kind == "blank" and not cell:
            break
        if ln.kind == "blank" and (i + 1 >= n or lines[i + 1].kind == "blank"):
            break
        if ln.kind == "row":
            break
        if ln.kind == "pagenum":
            ln.kind = "text"
        cell.append(ln)
        i += 1
    if cell:
        rows[-1].append(cell)
    rows = [r for r in rows if r]
    is_layout = bool(rows) and max(len(r) for r in rows) <= 3 and len(rows) <= 4
    layout[tid] = is_layout
    for r, row in enumerate(rows):
        for c, cell_lines in enumerate(row):
            emitted = False
            cur: BlockDraft | None = None
            prev_open = False
            prev_text = ""
            for ln in cell_lines:
                if ln.kind in ("sep", "blank") or not ln.text:
                    if ln.kind == "sep" and is_layout:
                        cur = None
                    continue
                joins = cur is not None and (
                    not is_layout
                    or prev_open
                    or _starts_lower(ln.text)
                    or (prev_text.endswith(":") and len(prev_text) <= 6)
                )
                if joins and cur is not None:
                    cur.synth(" ", ln.src)
                    cur.pieces.extend(_trim(ln.pieces))
                    cur.bold = cur.bold and ln.bold_whole
                else:
                    cur = BlockDraft(kind="cell", table=tid, row=r, col=c, bold=ln.bold_whole, italic=ln.italic)
                    cur.layout = is_layout
                    cur.pieces.extend(_trim(ln.pieces))
                    drafts.append(cur)
                    emitted = True
                prev_open = ln.open_emph
                prev_text = ln.text
            if not emitted:
                d = BlockDraft(kind="cell", table=tid, row=r, col=c)
                d.layout = is_layout
                src = cell_lines[0].src if cell_lines else lines[min(i, n - 1)].src
                d.synth("", src)
                drafts.append(d)
    return i
