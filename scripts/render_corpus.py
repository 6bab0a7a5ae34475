#!/usr/bin/env python3
"""Render the seed plans as realistic Word and PDF files.

For every ``corpus/seeds/seedNNN.txt`` (UTF-8 text exported from a real plan,
light markdown) this writes ``seedNNN.docx`` (python-docx) and ``seedNNN.pdf``
(reportlab) next to it, laid out like an administrative document: header
table (issuer / "Số:" on the left, Quốc hiệu / Tiêu ngữ / place-and-date on the
right, only the lines the seed has), "KẾ HOẠCH" and trích yếu centred in bold,
the body, data tables, the closing table ("Nơi nhận" left, authority and
signer right) and any annex after the signature.

The text is kept word for word (markdown marks removed); nothing is added.
Hard-wrapped text exported from a PDF (seed004) is re-joined into paragraphs
and its page-number lines dropped; paragraphs cut in two by a page break in
the other seeds (a blank line, then a line starting in lower case) are joined.

The output is deterministic (fixed zip timestamps and core-property dates in
the .docx, reportlab's invariant mode for the .pdf), so re-running gives the
same bytes.  After writing, the script checks that every word of the source
is present in the rendered files and exits non-zero if not.

Usage (from the repository root)::

    .venv/bin/python scripts/render_corpus.py            # all seeds
    .venv/bin/python scripts/render_corpus.py seed001    # some seeds
"""

from __future__ import annotations

import collections
import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "corpus" / "seeds"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# Seeds whose text is a hard-wrapped PDF extraction (a blank line after every
# line, page numbers on their own lines): re-join lines into paragraphs.
REJOIN = {"seed004"}

FIXED_DATE = datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    lines: list[list[Run]]  # separated by hard line breaks
    src: int = 0  # 1-based source line
    level: int = 0  # markdown heading level (## -> 2), 0 if none
    heading: bool = False  # numbered/bold heading: keep with next
    depth: int = 0  # outline depth of a numbered heading (I. -> 1, 1. -> 2, 1.1. -> 3), 0 if none

    @property
    def text(self) -> str:
        return "\n".join("".join(r.text for r in line) for line in self.lines)

    def set_bold(self, upto: int | None = None) -> None:
        """Make the first ``upto`` characters bold (all if None)."""
        if upto is None:
            for line in self.lines:
                for r in line:
                    r.bold = True
            return
        line = self.lines[0]
        out: list[Run] = []
        pos = 0
        for r in line:
            end = pos + len(r.text)
            if end <= upto:
                r.bold = True
                out.append(r)
            elif pos >= upto:
                out.append(r)
            else:
                cut = upto - pos
                out.append(Run(r.text[:cut], True, r.italic))
                out.append(Run(r.text[cut:], r.bold, r.italic))
            pos = end
        self.lines[0] = out


@dataclass
class Table:
    rows: list[list[str]]
    src: int = 0


Block = Para | Table


@dataclass(frozen=True)
class Layout:
    """How a plan is laid out. The defaults are the NĐ 30-faithful rendering of the
    committed seed files; scripts/layouts.py varies them the way real offices do."""

    title_bold: bool = True  # trích yếu in bold
    title_split: bool = False  # trích yếu over two paragraphs, the second one not bold
    heading_styles: bool = False  # numbered headings as Word "Heading N" styles (by outline depth)
    ruled_tables: bool = True  # data tables with ruling lines (False: no grid drawn)
    justify: bool = True  # justified body text (False: ragged right)
    first_indent: bool = True  # first-line indent of body paragraphs
    header_mm: tuple[float, float] = (62, 98)  # widths of the header columns (issuer, Quốc hiệu / date)
    word_numbering: bool = False  # numbered headings numbered by Word (numbering.xml), not typed


NĐ30 = Layout()


@dataclass
class Plan:
    name: str
    header_left: list[Para] = field(default_factory=list)
    header_right: list[Para] = field(default_factory=list)
    title: Para | None = None
    subtitle: Para | None = None
    body: list[Block] = field(default_factory=list)
    recipients: list[Para] = field(default_factory=list)  # "Nơi nhận:" + entries
    authority: list[Para] = field(default_factory=list)
    signer: Para | None = None
    annex: list[Block] = field(default_factory=list)


# --------------------------------------------------------------------------
# Markdown-ish inline parsing
# --------------------------------------------------------------------------

HEADING_MARK = re.compile(r"^(#{1,6})\s+")


class InlineState:
    def __init__(self) -> None:
        self.bold = False
        self.italic = False

    @property
    def open(self) -> bool:
        return self.bold or self.italic


def parse_inline(line: str, st: InlineState) -> list[Run]:
    """Split one line into runs; ``st`` carries emphasis across lines."""
    runs: list[Run] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf), st.bold, st.italic))
            buf.clear()

    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == "\\" and i + 1 < n and not line[i + 1].isalnum() and not line[i + 1].isspace():
            buf.append(line[i + 1])
            i += 2
            continue
        if c == "*":
            j = i
            while j < n and line[j] == "*":
                j += 1
            k = j - i
            flush()
            if k >= 3 and i == 0 and j < n and line[j].isspace() and not st.open:
                # "*** Tiểu dự án …**": bold span whose text starts with a literal "*"
                st.bold = True
                buf.append("*" * (k - 2))
            elif k >= 3:
                st.bold = not st.bold
                st.italic = not st.italic
            elif k == 2:
                st.bold = not st.bold
            else:
                st.italic = not st.italic
            i = j
            continue
        buf.append(c)
        i += 1
    flush()
    return merge_runs(runs)


def merge_runs(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if out and out[-1].bold == r.bold and out[-1].italic == r.italic:
            out[-1] = Run(out[-1].text + r.text, r.bold, r.italic)
        else:
            out.append(Run(r.text, r.bold, r.italic))
    return out


def strip_runs(runs: list[Run]) -> list[Run]:
    runs = [Run(r.text, r.bold, r.italic) for r in runs]
    while runs and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[0].text = runs[0].text.lstrip()
        runs[-1].text = runs[-1].text.rstrip()
    return runs


def plain(line: str) -> str:
    """Text of a line with markdown marks removed (for matching only)."""
    s = HEADING_MARK.sub("", line.strip())
    s = s.replace("\\*", "\x00").replace("*", "").replace("\x00", "*")
    return s.strip()


def para_from_line(line: str, st: InlineState, src: int) -> Para:
    raw = line.strip()
    level = 0
    m = HEADING_MARK.match(raw)
    if m:
        level = len(m.group(1))
        raw = raw[m.end() :]
    return Para([strip_runs(parse_inline(raw, st))], src=src, level=level)


def append_line(p: Para, line: str, st: InlineState) -> None:
    p.lines.append(strip_runs(parse_inline(line.strip(), st)))


# --------------------------------------------------------------------------
# Structure
# --------------------------------------------------------------------------

MARKERS = [
    ("roman", re.compile(r"^[IVX]+\.\s")),
    ("dec3", re.compile(r"^\d+\.\d+\.\d+\.?\s")),
    ("dec2", re.compile(r"^\d+\.\d+\.?\s")),
    ("arabic", re.compile(r"^\d+\.\s")),
    ("lparen", re.compile(r"^[a-zđ]\)\s")),
    ("ldot", re.compile(r"^[a-zđ]\.\s")),
    ("dash", re.compile(r"^[-+–•](\s|$)")),
    ("star", re.compile(r"^\*\s")),
    ("project", re.compile(r"^(Tiểu dự án|Dự án)\s+\d+")),
]
PROJECT_TITLE = re.compile(r"^(Tiểu dự án|Dự án)\s+\d+")
LABEL_START = re.compile(r"^[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\s:]*(?:\s+[^\s:]+){0,5}:")
PLACE_DATE = re.compile(r",\s*ngày\b.*\btháng\b.*\bnăm\b")
PAGE_NUMBER = re.compile(r"^\d{1,3}$")
SENTENCE_END = ".:;!?…"


def marker_type(text: str) -> str | None:
    for name, rx in MARKERS:
        if rx.match(text):
            return name
    return None


def marker_end(text: str) -> int:
    for _name, rx in MARKERS:
        m = rx.match(text)
        if m:
            return m.end()
    return 0


def is_blank(line: str) -> bool:
    return not line.strip()


def starts_lower(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


def load(path: Path) -> Plan:
    name = path.stem
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    plan = Plan(name)

    title_i = next(i for i, l in enumerate(lines) if plain(l) == "KẾ HOẠCH")
    close_i = next(i for i in range(title_i + 1, len(lines)) if plain(lines[i]).startswith("Nơi nhận"))

    # header: lines before the title
    for i in range(title_i):
        if is_blank(lines[i]):
            continue
        p = para_from_line(lines[i], InlineState(), i + 1)
        t = p.text
        if t.startswith("CỘNG HÒA") or t.startswith("CỘNG HOÀ") or "Độc lập" in t or PLACE_DATE.search(t):
            plan.header_right.append(p)
        else:
            plan.header_left.append(p)

    plan.title = para_from_line(lines[title_i], InlineState(), title_i + 1)

    region = list(range(title_i + 1, close_i))
    if name in REJOIN:
        paras = rejoin([(i + 1, lines[i]) for i in region])
        plan.subtitle = paras[0]
        plan.body = paras[1:]
    else:
        chunks = chunk([(i + 1, lines[i]) for i in region])
        plan.subtitle = chunk_blocks(chunks[0])[0]
        plan.body = join_page_breaks([b for c in chunks[1:] for b in chunk_blocks(c)])

    parse_closing(plan, [(i + 1, lines[i]) for i in range(close_i, len(lines))])
    style_headings(plan)
    return plan


def chunk(numbered: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Maximal runs of non-blank lines."""
    out: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    for n, l in numbered:
        if is_blank(l):
            if cur:
                out.append(cur)
                cur = []
        else:
            cur.append((n, l))
    if cur:
        out.append(cur)
    return out


def chunk_blocks(lines: list[tuple[int, str]]) -> list[Block]:
    """Blocks of one run of non-blank lines: one paragraph per line, except
    where a markdown hard break (two trailing spaces) or an emphasis span goes
    on to the next line; consecutive tab-separated lines form a table."""
    blocks: list[Block] = []
    st = InlineState()
    glue = False
    for n, l in lines:
        if "\t" in l:
            cells = [c.strip() for c in l.rstrip("\n").split("\t")]
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Table([cells], src=n))
            glue = False
            continue
        if glue and blocks and isinstance(blocks[-1], Para):
            append_line(blocks[-1], l, st)
        else:
            blocks.append(para_from_line(l, st, n))
        glue = l.endswith("  ") or st.open
    return blocks


def join_page_breaks(blocks: list[Block]) -> list[Block]:
    """Join a paragraph split by a page break of the original: the next
    paragraph starts with a lower-case letter and is not a list marker."""
    out: list[Block] = []
    for b in blocks:
        if (
            isinstance(b, Para)
            and out
            and isinstance(out[-1], Para)
            and b.level == 0
            and out[-1].level == 0
            and starts_lower(b.text)
            and marker_type(b.text) is None
        ):
            prev = out[-1]
            last = prev.lines[-1]
            last.append(Run(" ", last[-1].bold if last else False, last[-1].italic if last else False))
            last.extend(b.lines[0])
            prev.lines[-1] = merge_runs(last)
            prev.lines.extend(b.lines[1:])
            continue
        out.append(b)
    return out


def rejoin(numbered: list[tuple[int, str]]) -> list[Para]:
    """Re-join the hard-wrapped lines of a PDF text extraction into paragraphs."""
    paras: list[tuple[int, str]] = []
    gap = 0
    after_page_number = False
    for n, l in numbered:
        s = l.strip()
        if not s:
            gap += 1
            continue
        if PAGE_NUMBER.match(s):
            after_page_number = True
            continue
        if after_page_number:
            gap = 1
            after_page_number = False
        new = True
        if paras and gap < 2 and marker_type(s) is None:
            prev = paras[-1][1]
            if starts_lower(s) or s[0] in "(" or s[0].isdigit():
                new = False
            elif prev[-1] in SENTENCE_END:
                # a full-width line ending with "." followed by more text of
                # the same paragraph; a label such as "Đơn vị thực hiện:" opens a new one
                new = not (prev[-1] == "." and len(prev) >= 70 and not LABEL_START.match(s))
            else:
                new = False
        if new:
            paras.append((n, s))
        else:
            paras[-1] = (paras[-1][0], paras[-1][1] + " " + s)
        gap = 0
    return [para_from_line(t, InlineState(), n) for n, t in paras]


def parse_closing(plan: Plan, numbered: list[tuple[int, str]]) -> None:
    it = [(n, l) for n, l in numbered]
    st = InlineState()
    k = 0
    # "Nơi nhận:" and its entries
    n, l = it[k]
    plan.recipients.append(para_from_line(l, st, n))
    k += 1
    while k < len(it):
        n, l = it[k]
        if is_blank(l):
            k += 1
            continue
        if l.strip().startswith(("-", "+", "}")):
            plan.recipients.append(para_from_line(l, st, n))
            k += 1
            continue
        break
    # authority lines (upper case) then the signer's name
    while k < len(it):
        n, l = it[k]
        k += 1
        if is_blank(l):
            continue
        p = para_from_line(l, st, n)
        t = p.text
        if t == t.upper():
            plan.authority.append(p)
            continue
        plan.signer = p
        break
    rest = it[k:]
    blocks = [b for c in chunk(rest) for b in chunk_blocks(c)]
    plan.annex = join_page_breaks(blocks)


# --------------------------------------------------------------------------
# Heading formatting
# --------------------------------------------------------------------------


def classify(text: str) -> tuple[str, int]:
    """('title' | 'runin' | 'sentence', label end) for a numbered line."""
    start = marker_end(text)
    content = text[start:]
    if PROJECT_TITLE.match(content):
        return "title", len(text)
    i = content.find(":")
    if 0 < i <= 80 and content[i + 1 :].strip():
        return "runin", start + i + 1
    if content.endswith(":"):
        return "title", len(text)
    if len(content) <= 60 or (len(content) <= 150 and not content.endswith(".")):
        return "title", len(text)
    return "sentence", 0


def style_headings(plan: Plan) -> None:
    """Bold the headings of a plain-text seed.

    Seeds with markdown headings (#) carry their own formatting and are left
    as they are.  Otherwise Roman-numbered headings and "Dự án N" titles are
    bold, and each group of siblings (same marker type under the same parent
    heading) is formatted alike: titles bold, run-in labels ("3. Công chức …:
    text") bold up to the colon, unless the group holds a numbered sentence
    ("1. Tập trung lãnh đạo, …"), in which case the group stays plain.
    """
    all_paras = [b for b in plan.body if isinstance(b, Para)]
    if any(p.level for p in all_paras):
        for p in all_paras:
            if p.level or all(r.bold for r in p.lines[0] if r.text.strip()):
                p.heading = True
        return
    # position in the outline: Roman, arabic, decimal, decimal-3 counters
    pos = [0, 0, 0, 0]
    depth = {"roman": 0, "arabic": 1, "dec2": 2, "dec3": 3}
    groups: dict[tuple, list[tuple[Para, str, int]]] = collections.defaultdict(list)
    for p in all_paras:
        t = p.lines[0] and "".join(r.text for r in p.lines[0])
        if not t:
            continue
        mt = marker_type(t)
        if mt in depth:
            k = depth[mt]
            pos[k] += 1
            pos[k + 1 :] = [0] * (3 - k)
            p.depth = k + 1
        if mt == "roman":
            p.set_bold()
            p.heading = True
        elif mt in ("star", "project"):
            p.set_bold()
            p.heading = True
        elif mt in ("arabic", "dec2", "dec3", "lparen", "ldot"):
            kind, end = classify(t)
            parent = tuple(pos[: depth.get(mt, 4)])
            groups[(parent, mt)].append((p, kind, end))
        elif all(r.bold for r in p.lines[0] if r.text.strip()):
            p.heading = True
    for members in groups.values():
        if any(kind == "sentence" for _p, kind, _e in members):
            continue
        for p, kind, end in members:
            if kind == "title":
                p.set_bold()
                p.heading = True
            else:
                p.set_bold(end)


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------


def split_title(p: Para) -> tuple[Para, Para]:
    """The trích yếu cut at the word boundary nearest its middle: (first, second)."""
    text = p.text.replace("\n", " ")
    cut = min((m.start() for m in re.finditer(" ", text)), key=lambda i: abs(i - len(text) / 2), default=len(text))
    first = Para([[Run(text[:cut], True)]], p.src)
    second = Para([[Run(text[cut + 1 :], False)]], p.src)
    return first, second


def title_paras(plan: Plan, lay: Layout) -> list[tuple[Para, bool]]:
    """(paragraph, bold) of the trích yếu in the given layout."""
    if lay.title_split:
        a, b = split_title(plan.subtitle)
        return [(a, lay.title_bold), (b, False)]
    return [(plan.subtitle, lay.title_bold)]


# Word numbering of headings by outline depth: I. / 1. / 1.1. / 1.1.1. (lvlText, format)
WORD_LEVELS = [("%1.", "upperRoman"), ("%2.", "decimal"), ("%2.%3.", "decimal"), ("%2.%3.%4.", "decimal")]
ROMAN_VALUES = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for v, sym in ROMAN_VALUES:
        while n >= v:
            out += sym
            n -= v
    return out


def auto_numbered(plan: Plan) -> dict[int, int]:
    """id(paragraph) -> Word list level, for the headings Word's counters would number
    exactly as typed. Counting goes as Word's does: a numbered heading restarts the levels
    below it; a heading left typed (its number is not the next one: a gap the plan has, a
    sub-number that does not follow its parent) keeps its typed marker and counts nothing."""
    counters = [0, 0, 0, 0]
    out: dict[int, int] = {}
    for b in plan.body:
        if not isinstance(b, Para) or not b.heading or not b.depth or b.level:
            continue
        lv = b.depth - 1
        nxt = counters[:]
        nxt[lv] += 1
        nxt[lv + 1 :] = [0] * (3 - lv)
        text, _fmt = WORD_LEVELS[lv]
        shown = text.replace("%1", _roman(nxt[0])).replace("%2", str(nxt[1])).replace("%3", str(nxt[2]))
        shown = shown.replace("%4", str(nxt[3]))
        if b.text.startswith(shown + " ") and "0" not in shown.split("."):
            out[id(b)] = lv
            counters = nxt
    return out


def _strip_marker(p: Para, marker: str) -> None:
    """Remove the typed marker (and the space after it) from the paragraph's first runs."""
    n = len(marker) + 1
    line = p.lines[0]
    while n and line:
        r = line[0]
        if len(r.text) <= n:
            n -= len(r.text)
            line.pop(0)
        else:
            line[0] = Run(r.text[n:], r.bold, r.italic)
            n = 0


def build_docx(plan: Plan, out: Path, lay: Layout = NĐ30) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    FONT = "Times New Roman"
    d = Document()

    def set_fonts(style_or_run_element) -> None:
        rpr = style_or_run_element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        for a in list(rfonts.attrib):
            del rfonts.attrib[a]
        for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(a), FONT)

    normal = d.styles["Normal"]
    normal.font.size = Pt(14)
    set_fonts(normal.element)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for lvl in range(1, 7):
        hs = d.styles[f"Heading {lvl}"]
        set_fonts(hs.element)
        # markdown heading levels stay visible in Word: one point smaller per level
        # (16, 15, 14, 13 pt), as a reader of the markdown sees them
        hs.font.size = Pt(max(13, 17 - lvl))
        hs.font.bold = True
        hs.font.italic = False
        hs.font.color.rgb = RGBColor(0, 0, 0)
        pf = hs.paragraph_format
        pf.space_before = Pt(6)
        pf.space_after = Pt(6)
        pf.keep_with_next = True
        pf.line_spacing = 1.1
        pf.first_line_indent = Cm(1) if lay.first_indent else Cm(0)
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if lay.justify else WD_ALIGN_PARAGRAPH.LEFT

    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(20)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    text_width = Mm(160)

    # page number, centred in the footer
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = fp.add_run()
        r.font.size = Pt(12)
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._r.append(fc)
        elif text == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            r._r.append(it)
        else:
            r.text = text

    def add_runs(par, p: Para, size=None, bold=None, italic=None) -> None:
        for li, line in enumerate(p.lines):
            if li:
                par.add_run().add_break()
            for r in line:
                run = par.add_run(r.text)
                run.bold = True if bold else (r.bold or None)
                run.italic = True if italic else (r.italic or None)
                if size:
                    run.font.size = Pt(size)

    def fmt(par, align=None, indent=None, before=None, after=None, spacing=None, keep=False):
        pf = par.paragraph_format
        if align is not None:
            pf.alignment = align
        if indent is not None:
            pf.first_line_indent = indent
        if before is not None:
            pf.space_before = Pt(before)
        if after is not None:
            pf.space_after = Pt(after)
        if spacing is not None:
            pf.line_spacing = spacing
        if keep:
            pf.keep_with_next = True

    def no_borders(table) -> None:
        tblPr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            e = OxmlElement(f"w:{edge}")
            e.set(qn("w:val"), "nil")
            borders.append(e)
        tblPr.append(borders)

    def layout_table(rows: int, widths: list, borders: bool):
        t = d.add_table(rows=rows, cols=len(widths))
        if borders:
            t.style = d.styles["Table Grid"]
        else:
            no_borders(t)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for row in t.rows:
            for c, w in zip(row.cells, widths):
                c.width = w
        return t

    def cell_par(cell, first: list[bool]):
        if first[0]:
            first[0] = False
            return cell.paragraphs[0]
        return cell.add_paragraph()

    # header table
    if plan.header_left or plan.header_right:
        widths = [Mm(lay.header_mm[0]), Mm(lay.header_mm[1])]
        t = layout_table(1, widths, borders=False)
        left, right = t.rows[0].cells
        fl, fr = [True], [True]
        for i, p in enumerate(plan.header_left):
            par = cell_par(left, fl)
            fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 0, 0, 1.0)
            is_issuer = not p.text.startswith("Số")
            last_issuer = is_issuer and (
                i + 1 == len(plan.header_left) or plan.header_left[i + 1].text.startswith("Số")
            )
            add_runs(par, p, size=13, bold=last_issuer or None)
            if p.text.startswith("Số"):
                par.paragraph_format.space_before = Pt(6)
        for p in plan.header_right:
            par = cell_par(right, fr)
            t_ = p.text
            if t_.startswith("CỘNG H"):
                fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 0, 0, 1.0)
                add_runs(par, p, size=13, bold=True)
            elif "Độc lập" in t_:
                fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 0, 6, 1.0)
                add_runs(par, p, size=14, bold=True)
            else:
                fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 6, 0, 1.0)
                add_runs(par, p, size=14, italic=True)

    # title and trích yếu
    par = d.add_paragraph()
    fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 18, 0, 1.0, keep=True)
    add_runs(par, plan.title, size=14, bold=True)
    tparas = title_paras(plan, lay)
    for k, (tp, bold) in enumerate(tparas):
        par = d.add_paragraph()
        fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 0, 18 if k == len(tparas) - 1 else 0, 1.0)
        add_runs(par, tp, size=14, bold=bold)

    numbered = auto_numbered(plan) if lay.word_numbering else {}
    num_id = add_word_numbering(d) if numbered else None

    def add_block(b: Block, annex: bool = False, first_of_annex: bool = False) -> None:
        if isinstance(b, Table):
            add_data_table(b)
            return
        if id(b) in numbered:
            import copy

            lv = numbered[id(b)]
            b = copy.deepcopy(b)
            _strip_marker(b, b.text.split(" ", 1)[0])
            par = d.add_paragraph()
            fmt(
                par,
                WD_ALIGN_PARAGRAPH.JUSTIFY if lay.justify else WD_ALIGN_PARAGRAPH.LEFT,
                Cm(1) if lay.first_indent else Cm(0),
                keep=True,
            )
            ppr = par._p.get_or_add_pPr()
            numpr = OxmlElement("w:numPr")
            for tag, val in (("w:ilvl", str(lv)), ("w:numId", str(num_id))):
                e = OxmlElement(tag)
                e.set(qn("w:val"), val)
                numpr.append(e)
            ppr.insert(0, numpr)
            rpr = OxmlElement("w:rPr")  # the number is bold like the heading
            rpr.append(OxmlElement("w:b"))
            ppr.append(rpr)
            add_runs(par, b)
            return
        if b.level:
            par = d.add_paragraph(style=f"Heading {min(b.level, 6)}")
            add_runs(par, b)
        elif lay.heading_styles and b.heading and b.depth and not annex:
            par = d.add_paragraph(style=f"Heading {b.depth}")
            add_runs(par, b)
        else:
            par = d.add_paragraph()
            t_ = b.text
            if annex and t_ == t_.upper():
                fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 6, 0, 1.0, keep=True)
                add_runs(par, b, bold=True)
            elif annex and t_.startswith("(") and t_.endswith(")"):
                fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 0, 12, 1.0, keep=True)
                add_runs(par, b, italic=True)
            else:
                fmt(
                    par,
                    WD_ALIGN_PARAGRAPH.JUSTIFY if lay.justify else WD_ALIGN_PARAGRAPH.LEFT,
                    Cm(1) if lay.first_indent else Cm(0),
                    keep=b.heading,
                )
                add_runs(par, b)
        if first_of_annex:
            par.paragraph_format.page_break_before = True

    def add_data_table(tb: Table) -> None:
        ncols = max(len(r) for r in tb.rows)
        rows = [r + [""] * (ncols - len(r)) for r in tb.rows]
        widths = [Pt(w) for w in column_widths(rows, text_width.pt, 11, 12)]
        t = layout_table(len(rows), widths, borders=lay.ruled_tables)
        nhead = header_rows(rows)
        for ri, row in enumerate(rows):
            is_total = any(c.strip().upper() in TOTAL_WORDS for c in row)
            for ci, text in enumerate(row):
                cell = t.rows[ri].cells[ci]
                par = cell.paragraphs[0]
                fmt(
                    par,
                    WD_ALIGN_PARAGRAPH.CENTER if (ri < nhead or ci != 1) else WD_ALIGN_PARAGRAPH.LEFT,
                    Cm(0),
                    2,
                    2,
                    1.0,
                )
                if text:
                    run = par.add_run(text)
                    run.font.size = Pt(11)
                    if ri < nhead or is_total:
                        run.bold = True

    def end_table_run() -> None:
        # Word needs a paragraph between two tables and after a final table
        if d.element.body[-2].tag == qn("w:tbl"):
            fmt(d.add_paragraph(), after=0)

    for b in plan.body:
        add_block(b)

    # closing: Nơi nhận on the left, authority and signer on the right
    end_table_run()
    t = layout_table(1, [Mm(80), Mm(80)], borders=False)
    left, right = t.rows[0].cells
    fl, fr = [True], [True]
    for i, p in enumerate(plan.recipients):
        par = cell_par(left, fl)
        if i == 0:
            fmt(par, WD_ALIGN_PARAGRAPH.LEFT, Cm(0), 6, 0, 1.0)
            add_runs(par, p, size=12, bold=True, italic=True)
        else:
            fmt(par, WD_ALIGN_PARAGRAPH.LEFT, Cm(0), 0, 0, 1.0)
            add_runs(par, p, size=11)
    for p in plan.authority:
        par = cell_par(right, fr)
        fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 6 if par is right.paragraphs[0] else 0, 0, 1.0)
        add_runs(par, p, size=14, bold=True)
    if plan.signer:
        par = cell_par(right, fr)
        fmt(par, WD_ALIGN_PARAGRAPH.CENTER, Cm(0), 72, 0, 1.0)
        add_runs(par, plan.signer, size=14, bold=True)

    for i, b in enumerate(plan.annex):
        if isinstance(b, Table) and i and isinstance(plan.annex[i - 1], Table):
            end_table_run()
        add_block(b, annex=True, first_of_annex=(i == 0))
    end_table_run()

    cp = d.core_properties
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = ""
    cp.title = ""
    cp.revision = 1
    cp.created = FIXED_DATE
    cp.modified = FIXED_DATE
    cp.language = "vi-VN"

    buf = io.BytesIO()
    d.save(buf)
    out.write_bytes(normalize_zip(buf.getvalue()))


def add_word_numbering(d) -> int:
    """An abstractNum for headings (WORD_LEVELS, a space after the number) and its num."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = d.part.numbering_part.element
    aid, nid = 90, 90

    def el(tag: str, **attrs):
        e = OxmlElement(tag)
        for k, v in attrs.items():
            e.set(qn(f"w:{k}"), v)
        return e

    absn = el("w:abstractNum", abstractNumId=str(aid))
    absn.append(el("w:multiLevelType", val="multilevel"))
    for i, (text, numfmt) in enumerate(WORD_LEVELS):
        lvl = el("w:lvl", ilvl=str(i))
        lvl.append(el("w:start", val="1"))
        lvl.append(el("w:numFmt", val=numfmt))
        lvl.append(el("w:lvlText", val=text))
        lvl.append(el("w:suff", val="space"))
        lvl.append(el("w:lvlJc", val="left"))
        absn.append(lvl)
    num = el("w:num", numId=str(nid))
    num.append(el("w:abstractNumId", val=str(aid)))
    # abstractNum elements come before num elements
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    numbering.append(num)
    return nid


def normalize_zip(data: bytes) -> bytes:
    """Fixed timestamps, and no python-docx preview thumbnail."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            if info.filename == "_rels/.rels":
                blob = re.sub(rb"<Relationship [^>]*thumbnail\.jpeg\"/>", b"", blob)
            if info.filename == "[Content_Types].xml":
                blob = re.sub(rb"<Default Extension=\"jpeg\"[^>]*/>", b"", blob)
            zi = zipfile.ZipInfo(info.filename, ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, blob)
    return out.getvalue()


TOTAL_WORDS = {"CỘNG", "TỔNG", "TỔNG CỘNG", "TỔNG SỐ"}


def header_rows(rows: list[list[str]]) -> int:
    for i, r in enumerate(rows):
        first = next((c for c in r if c.strip()), "")
        if first.isdigit():
            return i
    return 1


def column_widths(rows: list[list[str]], total: float, size: float, pad: float) -> list[float]:
    """Column widths (points) for a data table: every word fits its column,
    data cells fit on one line where possible (header cells may wrap), the
    rest of the width goes to the columns with the most text."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    ncols = len(rows[0])
    nhead = header_rows(rows)
    least, want = [], []
    for ci in range(ncols):
        texts = [r[ci] for r in rows if r[ci].strip()]
        words = [w for t in texts for w in t.split()] or [""]
        least.append(max(stringWidth(w, "DejaVuSerif-Bold", size) for w in words) + pad)
        data = [r[ci] for r in rows[nhead:] if r[ci].strip()]
        longest = max((stringWidth(t, "DejaVuSerif-Bold", size) for t in data), default=0)
        least[-1] = max(least[-1], min(longest + pad, total / 4))
        head = max((stringWidth(t, "DejaVuSerif-Bold", size) for t in texts), default=0)
        want.append(max(least[-1], min(head + pad, total / 4)))
    if sum(want) <= total:
        return [w * total / sum(want) for w in want]
    spare = total - sum(least)
    extra = [w - m for w, m in zip(want, least)]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra)]


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

_FONTS_READY = False


def register_fonts() -> None:
    global _FONTS_READY
    if _FONTS_READY:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {
        "DejaVuSerif": "DejaVuSerif.ttf",
        "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
        "DejaVuSerif-Italic": "DejaVuSerif-Italic.ttf",
        "DejaVuSerif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    addMapping("DejaVuSerif", 0, 0, "DejaVuSerif")
    addMapping("DejaVuSerif", 1, 0, "DejaVuSerif-Bold")
    addMapping("DejaVuSerif", 0, 1, "DejaVuSerif-Italic")
    addMapping("DejaVuSerif", 1, 1, "DejaVuSerif-BoldItalic")
    _FONTS_READY = True


# A line of a PDF ending in a hyphen glued to a word ("QĐ-") is read back by
# PDF text extractors as a hyphenated word and joined with the next line
# ("QĐ\ufffeTTg"); a no-break space after such a hyphen keeps "QĐ- TTg" on
# one line (extractors read the no-break space as an ordinary space).
GLUED_HYPHEN_SPACE = re.compile(r"(?<=\w-) ")


def markup(p: Para, bold: bool = False, italic: bool = False) -> str:
    parts = []
    for li, line in enumerate(p.lines):
        if li:
            parts.append("<br/>")
        for r in line:
            s = escape(GLUED_HYPHEN_SPACE.sub("\u00a0", r.text))
            if r.italic or italic:
                s = f"<i>{s}</i>"
            if r.bold or bold:
                s = f"<b>{s}</b>"
            parts.append(s)
    return "".join(parts)


def build_pdf(plan: Plan, out: Path, lay: Layout = NĐ30) -> None:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import Table as RLTable

    register_fonts()
    F = "DejaVuSerif"
    body = ParagraphStyle(
        "body",
        fontName=F,
        fontSize=12,
        leading=16,
        alignment=TA_JUSTIFY if lay.justify else TA_LEFT,
        firstLineIndent=10 * mm if lay.first_indent else 0,
        spaceAfter=4,
    )
    head = {
        0: ParagraphStyle("h", parent=body, keepWithNext=1, spaceBefore=2),
        2: ParagraphStyle("h2", parent=body, fontSize=13.5, leading=18, keepWithNext=1, spaceBefore=6),
        3: ParagraphStyle("h3", parent=body, fontSize=12.5, leading=17, keepWithNext=1, spaceBefore=3),
        4: ParagraphStyle("h4", parent=body, fontSize=12, leading=16, keepWithNext=1, spaceBefore=2),
    }
    center = ParagraphStyle("c", parent=body, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0)
    title = ParagraphStyle("t", parent=center, fontSize=13, leading=17, spaceBefore=14, keepWithNext=1)
    subtitle = ParagraphStyle("st", parent=center, fontSize=12.5, leading=17, spaceAfter=14)
    hdr = ParagraphStyle("hdr", parent=center, fontSize=11.5, leading=15)
    annex_title = ParagraphStyle("at", parent=center, fontSize=12, leading=16, keepWithNext=1, spaceBefore=4)
    annex_note = ParagraphStyle("an", parent=center, fontSize=11.5, leading=15, keepWithNext=1, spaceAfter=8)
    rec_head = ParagraphStyle(
        "rh", parent=body, fontSize=11, leading=14, alignment=TA_LEFT, firstLineIndent=0, spaceAfter=0
    )
    rec = ParagraphStyle("r", parent=rec_head, fontSize=10, leading=12.5)
    sign = ParagraphStyle("s", parent=center, fontSize=12, leading=16)
    cell = ParagraphStyle(
        "cell", parent=body, fontSize=9.5, leading=11.5, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0
    )
    cell_left = ParagraphStyle("cl", parent=cell, alignment=TA_LEFT)

    page_w = A4[0]
    text_w = page_w - 50 * mm
    story = []

    if plan.header_left or plan.header_right:
        left = []
        for i, p in enumerate(plan.header_left):
            is_issuer = not p.text.startswith("Số")
            last_issuer = is_issuer and (
                i + 1 == len(plan.header_left) or plan.header_left[i + 1].text.startswith("Số")
            )
            if p.text.startswith("Số") and left:
                left.append(Spacer(1, 4))
            left.append(Paragraph(markup(p, bold=last_issuer), hdr))
        right = []
        for p in plan.header_right:
            t_ = p.text
            if t_.startswith("CỘNG H") or "Độc lập" in t_:
                right.append(Paragraph(markup(p, bold=True), hdr))
            else:
                if right:
                    right.append(Spacer(1, 4))
                right.append(Paragraph(markup(p, italic=True), hdr))
        t = RLTable(
            [[left or "", right or ""]],
            colWidths=[lay.header_mm[0] * mm, lay.header_mm[1] * mm],
            hAlign="CENTER" if lay.header_mm == NĐ30.header_mm else "LEFT",
        )
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story.append(t)

    story.append(Paragraph(markup(plan.title, bold=True), title))
    tparas = title_paras(plan, lay)
    for k, (tp, bold) in enumerate(tparas):
        story.append(Paragraph(markup(tp, bold=bold), subtitle if k == len(tparas) - 1 else center))

    def data_table(tb: Table):
        ncols = max(len(r) for r in tb.rows)
        rows = [r + [""] * (ncols - len(r)) for r in tb.rows]
        widths = column_widths(rows, text_w, 9.5, 7)
        nhead = header_rows(rows)
        data = []
        for ri, row in enumerate(rows):
            is_total = any(c.strip().upper() in TOTAL_WORDS for c in row)
            line = []
            for ci, text in enumerate(row):
                st = cell_left if (ri >= nhead and ci == 1) else cell
                s = escape(text)
                if s and (ri < nhead or is_total):
                    s = f"<b>{s}</b>"
                line.append(Paragraph(s, st) if s else "")
            data.append(line)
        t = RLTable(data, colWidths=widths, repeatRows=nhead)
        t.setStyle(
            TableStyle(
                ([("GRID", (0, 0), (-1, -1), 0.6, "black")] if lay.ruled_tables else [])
                + [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return [t, Spacer(1, 8)]

    def block(b: Block, annex: bool = False):
        if isinstance(b, Table):
            return data_table(b)
        t_ = b.text
        if annex and t_ == t_.upper():
            return [Paragraph(markup(b, bold=True), annex_title)]
        if annex and t_.startswith("(") and t_.endswith(")"):
            return [Paragraph(markup(b, italic=True), annex_note)]
        if b.level:
            return [Paragraph(markup(b), head.get(b.level, head[4]))]
        return [Paragraph(markup(b), head[0] if b.heading else body)]

    for b in plan.body:
        story.extend(block(b))

    left = []
    for i, p in enumerate(plan.recipients):
        left.append(Paragraph(markup(p, bold=i == 0, italic=i == 0), rec_head if i == 0 else rec))
    right = []
    for p in plan.authority:
        right.append(Paragraph(markup(p, bold=True), sign))
    if plan.signer:
        right.append(Spacer(1, 22 * mm))
        right.append(Paragraph(markup(plan.signer, bold=True), sign))
    t = RLTable([[left, right]], colWidths=[text_w / 2, text_w / 2])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story.append(KeepTogether([t]))

    if plan.annex:
        story.append(PageBreak())
        for b in plan.annex:
            story.extend(block(b, annex=True))

    class NumberedDoc(SimpleDocTemplate):
        def afterPage(self):
            # drawn last, so the number comes at the end of the page's text
            c = self.canv
            c.saveState()
            c.setFont(F, 11)
            c.drawCentredString(page_w / 2, 10 * mm, str(self.page))
            c.restoreState()

    buf = io.BytesIO()
    doc = NumberedDoc(
        buf,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title="",
        author="",
        subject="",
        creator="",
        producer="",
        invariant=1,
        pageCompression=1,
        lang="vi",
    )
    doc.build(story)
    out.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------
# Check: every word of the source is in the rendered files
# --------------------------------------------------------------------------


def source_words(path: Path) -> list[str]:
    """Words of the seed, derived independently of the parser above."""
    words = []
    for l in path.read_text(encoding="utf-8").split("\n"):
        s = l.strip()
        if path.stem in REJOIN and PAGE_NUMBER.match(s):
            continue
        words.extend(plain(s).split())
    return [w for w in words if w.strip("*")]


def docx_words(path: Path) -> list[str]:
    from docx import Document
    from docx.table import Table as DTable
    from docx.text.paragraph import Paragraph as DPara

    d = Document(str(path))
    words: list[str] = []

    def walk(container) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, DPara):
                words.extend(item.text.split())
            elif isinstance(item, DTable):
                for row in item.rows:
                    seen = set()
                    for c in row.cells:
                        if id(c._tc) in seen:
                            continue
                        seen.add(id(c._tc))
                        walk(c)

    walk(d)
    return [w for w in words if w.strip("*")]


def pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    texts = []
    for i in range(len(pdf)):
        tp = pdf[i].get_textpage()
        texts.append(tp.get_text_range())
        tp.close()
    pdf.close()
    return texts


def check(seed: Path, plan: Plan) -> list[str]:
    problems = []
    src = [unicodedata.normalize("NFC", w) for w in source_words(seed)]
    dx = [unicodedata.normalize("NFC", w) for w in docx_words(seed.with_suffix(".docx"))]
    if dx != src:
        sm = next((i for i, (a, b) in enumerate(zip(src, dx)) if a != b), min(len(src), len(dx)))
        problems.append(f"docx words differ at word {sm}: source {src[sm : sm + 8]} docx {dx[sm : sm + 8]}")
    pages = pdf_pages(seed.with_suffix(".pdf"))
    pw: list[str] = []
    for i, t in enumerate(pages, 1):
        ws = unicodedata.normalize("NFC", t).split()
        if not ws or ws[-1] != str(i):
            problems.append(f"pdf page {i}: no page number at the bottom")
        else:
            ws = ws[:-1]
        pw.extend(w for w in ws if w.strip("*"))
    if collections.Counter(pw) != collections.Counter(src):
        extra = collections.Counter(pw) - collections.Counter(src)
        missing = collections.Counter(src) - collections.Counter(pw)
        problems.append(f"pdf words differ: missing {list(missing.items())[:10]} extra {list(extra.items())[:10]}")
    # body paragraphs must appear in reading order
    pos = 0
    for b in [plan.subtitle, *plan.body]:
        if not isinstance(b, Para):
            continue
        ws = [w for w in unicodedata.normalize("NFC", b.text).split() if w.strip("*")]
        if not ws:
            continue
        found = find_seq(pw, ws, pos)
        if found < 0:
            problems.append(f"pdf: paragraph of line {b.src} not found in order: {' '.join(ws[:8])}…")
        else:
            pos = found + len(ws)
    return problems


def find_seq(hay: list[str], needle: list[str], start: int) -> int:
    n = len(needle)
    for i in range(start, len(hay) - n + 1):
        if hay[i] == needle[0] and hay[i : i + n] == needle:
            return i
    return -1


# --------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in SEED_DIR.glob("seed[0-9][0-9][0-9].txt"))
    failed = False
    for name in names:
        seed = SEED_DIR / f"{name}.txt"
        plan = load(seed)
        build_docx(plan, seed.with_suffix(".docx"))
        build_pdf(plan, seed.with_suffix(".pdf"))
        problems = check(seed, plan)
        sizes = ", ".join(
            f"{p.name} {p.stat().st_size // 1024} KB" for p in (seed.with_suffix(".docx"), seed.with_suffix(".pdf"))
        )
        print(f"{name}: {sizes}" + ("" if not problems else " — PROBLEMS"))
        for pr in problems:
            print("   ", pr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
