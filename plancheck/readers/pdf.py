"""PDF: text lines from pypdfium2, ruled tables from pdfplumber, wrapped lines re-joined.

pypdfium2 gives the page text in content-stream order with its own line breaks
("\\r\\n", generated). Each of those lines is cut at wide gaps (two columns drawn on
one baseline, e.g. "Số: 85/KH-UBND" and the place-and-date) into *fragments*; a
fragment's geometry comes from the boxes of its first and last characters and its
bold/italic from the fonts of its text objects, found by bisecting the line (so a
page costs a few hundred ctypes calls, not one per character). Pages whose path
objects draw a grid are handed to pdfplumber (slow, ~50 ms a page) for table cells;
only there are character boxes read one by one, to put each character in its cell.

Units of the SourceMap are the *visual* lines of a page (fragments grouped by
baseline, left to right), ``unit_locs[i] = (page, line)``. Page numbers and running
headers/footers are dropped; the remaining fragments are read in stream order (or
top-down when the stream order is chaotic) and re-joined into paragraphs.
"""

from __future__ import annotations

import ctypes
import io
import math
import threading
import time
import unicodedata
from dataclasses import dataclass, field

import regex

from ..normalize import SPACE_CHARS, BlockDraft, assemble
from .base import ReadError, ReadResult
from .guards import too_many_objects

# --------------------------------------------------------------------------- pdfium calls
# Our own prototypes taking/returning plain addresses (c_void_p): pointers returned by
# pypdfium2's bindings are ctypes objects that cannot be compared or hashed cheaply.

_c_double = ctypes.c_double
_c_float = ctypes.c_float
_VP = ctypes.c_void_p


class _Api:
    def __init__(self) -> None:
        import pypdfium2.raw as r

        def proto(fn, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, _VP).value)

        P = ctypes.POINTER
        self.r = r
        self.text_object = proto(r.FPDFText_GetTextObject, _VP, _VP, ctypes.c_int)
        self.char_box = proto(r.FPDFText_GetCharBox, ctypes.c_int, _VP, ctypes.c_int, *(P(_c_double),) * 4)
        self.char_origin = proto(r.FPDFText_GetCharOrigin, ctypes.c_int, _VP, ctypes.c_int, P(_c_double), P(_c_double))
        self.font_size = proto(r.FPDFText_GetFontSize, _c_double, _VP, ctypes.c_int)
        self.unicode = proto(r.FPDFText_GetUnicode, ctypes.c_uint, _VP, ctypes.c_int)
        self.obj_font = proto(r.FPDFTextObj_GetFont, _VP, _VP)
        self.font_name = proto(r.FPDFFont_GetBaseFontName, ctypes.c_size_t, _VP, ctypes.c_char_p, ctypes.c_size_t)
        self.font_weight = proto(r.FPDFFont_GetWeight, ctypes.c_int, _VP)
        self.font_angle = proto(r.FPDFFont_GetItalicAngle, ctypes.c_int, _VP, P(ctypes.c_int))
        self.render_mode = proto(r.FPDFTextObj_GetTextRenderMode, ctypes.c_int, _VP)
        self.count_objects = proto(r.FPDFPage_CountObjects, ctypes.c_int, _VP)
        self.get_object = proto(r.FPDFPage_GetObject, _VP, _VP, ctypes.c_int)
        self.obj_type = proto(r.FPDFPageObj_GetType, ctypes.c_int, _VP)
        self.obj_bounds = proto(r.FPDFPageObj_GetBounds, ctypes.c_int, _VP, *(P(_c_float),) * 4)
        self.path_segments = proto(r.FPDFPath_CountSegments, ctypes.c_int, _VP)
        self.form_count = proto(r.FPDFFormObj_CountObjects, ctypes.c_int, _VP)
        self.form_object = proto(r.FPDFFormObj_GetObject, _VP, _VP, ctypes.c_ulong)
        self.PATH = r.FPDF_PAGEOBJ_PATH
        self.FORM = r.FPDF_PAGEOBJ_FORM
        self.FILL_STROKE = r.FPDF_TEXTRENDERMODE_FILL_STROKE
        # scratch out-parameters
        self._d = [_c_double() for _ in range(4)]
        self._dp = [ctypes.byref(d) for d in self._d]
        self._f = [_c_float() for _ in range(4)]
        self._fp = [ctypes.byref(f) for f in self._f]
        self._i = ctypes.c_int()
        self._buf = ctypes.create_string_buffer(256)


_API: _Api | None = None
_LOCK = threading.RLock()


def _api() -> _Api:
    global _API
    if _API is None:
        _API = _Api()
    return _API


def _addr(handle) -> int:
    return ctypes.cast(handle, _VP).value or 0


# --------------------------------------------------------------------------- text patterns

_PAGENUM = regex.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:Trang|trang|TRANG|Page|page)\s+)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?\s*$"
)
_MARKER = regex.compile(
    r"^(?:[-+•–*·][ \t]|(?:[IVXL]{1,6}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)][ \t]|\d{1,2}(?:\.\d{1,2})+[ \t]|"
    r"(?:Tiểu dự án|Dự án|Điều|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN|Phụ lục|PHỤ LỤC)\s+(?:\d|[IVXL]+(?!\p{L}))|"
    r"(?:Nơi nhận|TM\.|KT\.|TL\.|TUQ\.|Q\.)(?!\p{L}))"
)
_TERMINAL = regex.compile(r"(?:[.:;!?…]|\./\.)[\s\"”’)]*$")
_AFTER_TERMINAL = SPACE_CHARS + '"”’)'


def _ends_terminal(t: str) -> bool:
    """``_TERMINAL.search(t)`` without rescanning the line: the last character before
    closing quotes, brackets and spaces ends a sentence."""
    u = t.rstrip(_AFTER_TERMINAL)
    return bool(u) and u[-1] in ".:;!?…"


_DIGITS = regex.compile(r"\d+")
_FIRST_WORD = regex.compile(r"\S+")
_SPACES = regex.compile(r"[ \t\u00a0]{2,}|\t")
_LINE = regex.compile(r"[^\r\n]+")

# Characters some producers emit instead of plain text: ligatures, full-width forms,
# Symbol/Wingdings bullets in the private use area, pdfium's 0x02 for an end-of-line hyphen.
_PUA_BULLETS = {0xF0B7: "•", 0xF0A7: "▪", 0xF0D8: "➢", 0xF076: "❖", 0xF0FC: "✓", 0xF02D: "-", 0xF0A8: "□"}


def _map_char(ch: str) -> str:
    o = ord(ch)
    if o < 32:
        return "-" if o == 2 else " "
    if 0xFB00 <= o <= 0xFB4F or 0xFF01 <= o <= 0xFF5E or 0x2000 <= o <= 0x200A:
        return unicodedata.normalize("NFKC", ch)
    if 0xF000 <= o <= 0xF0FF:
        return _PUA_BULLETS.get(o, "•")
    if o == 0xFFFE:
        return "-"  # pdfium's hyphen at a line end (the line is cut after it)
    if o == 0xFFFF:
        return " "
    if o == 0xAD:  # soft hyphen
        return ""
    return ch


_NEEDS_MAP = regex.compile(r"[\x00-\x1f\u00ad\ufb00-\ufb4f\uff01-\uff5e\u2000-\u200a\uf000-\uf0ff\ufffe\uffff]")


def _map_text(raw: str) -> tuple[str, list[int] | None]:
    """Mapped text and, when lengths change, the text offset of each char (len+1 entries)."""
    if not _NEEDS_MAP.search(raw):
        return raw, None
    out: list[str] = []
    k2t: list[int] = []
    pos = 0
    for ch in raw:
        k2t.append(pos)
        m = _map_char(ch)
        out.append(m)
        pos += len(m)
    k2t.append(pos)
    text = "".join(out)
    if len(text) == len(raw):
        return text, None
    return text, k2t


# --------------------------------------------------------------------------- data


@dataclass
class _Frag:
    """A run of characters on one baseline (a line, or a column of a line, or a cell part)."""

    page: int  # 0-based
    ci: int  # first char index on the text page
    n: int  # number of chars
    text: str
    k2t: list[int] | None
    x0: float
    x1: float
    base: float  # baseline, display coordinates (y up)
    size: float
    styles: list[tuple[int, int, bool, bool]]  # (k_start, k_end, bold, italic), char indices relative to ci
    cell: tuple[int, int, int] | None = None  # (table on page, row, col)
    src: int = -1
    vline: int = -1
    dropped: bool = False

    def t(self, k: int) -> int:
        return k if self.k2t is None else self.k2t[k]

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def hyphen_end(self) -> bool:
        """The line ends with a hyphen pdfium found at a line end: the word runs on."""
        return self.__dict__.get("_hy", False)

    def segments(self) -> list[tuple[str, bool, bool]]:
        """(text, bold, italic) runs covering ``text``."""
        out = []
        pos = 0
        for a, b, bold, ital in self.styles:
            ta, tb = self.t(a), self.t(b)
            if ta > pos:
                out.append((self.text[pos:ta], False, False))
            out.append((self.text[ta:tb], bold, ital))
            pos = tb
        if pos < len(self.text):
            out.append((self.text[pos:], False, False))
        return out

    @property
    def bold_whole(self) -> bool:
        bw = self.__dict__.get("_bw")
        if bw is None:
            segs = [(t, b) for t, b, _ in self.segments() if t.strip()]
            bw = bool(segs) and all(b for _, b in segs)
            self.__dict__["_bw"] = bw
        return bw


@dataclass
class _PTable:
    page: int
    bbox: tuple[float, float, float, float]  # x0, y0 (bottom), x1, y1 (top), display coords
    grid: list[list[tuple[float, float, float, float] | None]]
    frags: dict[tuple[int, int], list[_Frag]] = field(default_factory=dict)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.grid), default=0)


@dataclass
class _Page:
    index: int
    width: float
    height: float
    frags: list[_Frag]
    tables: list[_PTable]


# --------------------------------------------------------------------------- geometry


class _Geo:
    """Char boxes in display coordinates (y up, origin bottom-left, page rotation applied)."""

    def __init__(self, api: _Api, tp: int, mb: tuple[float, float, float, float], rotation: int) -> None:
        self.api = api
        self.tp = tp
        self.ox, self.oy = mb[0], mb[1]
        self.w, self.h = mb[2] - mb[0], mb[3] - mb[1]
        self.rot = rotation % 360
        if self.rot in (90, 270):
            self.dw, self.dh = self.h, self.w
        else:
            self.dw, self.dh = self.w, self.h

    def _pt(self, x: float, y: float) -> tuple[float, float]:
        x -= self.ox
        y -= self.oy
        r = self.rot
        if r == 0:
            return x, y
        if r == 90:
            return y, self.w - x
        if r == 180:
            return self.w - x, self.h - y
        return self.h - y, x

    def box(self, i: int) -> tuple[float, float, float, float]:
        a = self.api
        a.char_box(self.tp, i, *a._dp)
        left, r, b, t = (d.value for d in a._d)
        if self.rot == 0:
            return left - self.ox, b - self.oy, r - self.ox, t - self.oy
        x1, y1 = self._pt(left, b)
        x2, y2 = self._pt(r, t)
        return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)

    def baseline(self, i: int) -> float:
        a = self.api
        a.char_origin(self.tp, i, a._dp[0], a._dp[1])
        return self._pt(a._d[0].value, a._d[1].value)[1]


# --------------------------------------------------------------------------- fonts


class _Fonts:
    def __init__(self, api: _Api) -> None:
        self.api = api
        self.by_font: dict[int, tuple[bool, bool]] = {}
        self.by_obj: dict[int, tuple[bool, bool]] = {}

    def style(self, obj: int) -> tuple[bool, bool] | None:
        if not obj:
            return None
        st = self.by_obj.get(obj)
        if st is not None:
            return st
        a = self.api
        font = a.obj_font(obj) or 0
        fs = self.by_font.get(font)
        if fs is None:
            bold = ital = False
            if font:
                n = a.font_name(font, a._buf, 256)
                name = a._buf.raw[: max(0, min(n, 256) - 1)].decode("latin-1", "replace").lower()
                bold = any(k in name for k in ("bold", "black", "heavy", "demi", "semibold", ",b"))
                ital = "italic" in name or "oblique" in name
                if not bold:
                    w = a.font_weight(font)
                    bold = w >= 600
                if not ital and a.font_angle(font, ctypes.byref(a._i)):
                    ital = a._i.value != 0
            fs = (bold, ital)
            self.by_font[font] = fs
        bold, ital = fs
        if not bold and a.render_mode(obj) == a.FILL_STROKE:
            bold = True  # Word's synthetic bold for fonts without a bold face
        st = (bold, ital)
        self.by_obj[obj] = st
        return st


def _obj_runs(api: _Api, tp: int, a: int, b: int) -> list[tuple[int, int, int]]:
    """Maximal runs [s, e) of chars of one text object within [a, b), by bisection."""
    get = api.text_object
    out: list[tuple[int, int, int]] = []

    def rec(s: int, e: int, os_: int, oe: int) -> None:
        # generated chars (spaces) have no object: two of them do not bound one run
        if os_ == oe and (os_ or e - s == 1):
            if out and out[-1][2] == os_ and out[-1][1] == s:
                out[-1] = (out[-1][0], e, os_)
            else:
                out.append((s, e, os_))
            return
        if e - s == 2:
            rec(s, s + 1, os_, os_)
            rec(s + 1, e, oe, oe)
            return
        m = (s + e) // 2
        om = get(tp, m) or 0
        om1 = get(tp, m - 1) or 0 if m - 1 > s else os_
        rec(s, m, os_, om1)
        rec(m, e, om, oe)

    if b - a == 1:
        o = get(tp, a) or 0
        return [(a, b, o)]
    rec(a, b, get(tp, a) or 0, get(tp, b - 1) or 0)
    return out


# --------------------------------------------------------------------------- extraction


def _page_text(api: _Api, textpage, tp: int, n: int) -> str:
    text = textpage.get_text_range() if n else ""
    if len(text) != n:
        text = "".join(chr(u) if (u := api.unicode(tp, i)) and u < 0x110000 else " " for i in range(n))
    return text


def _line_spans(text: str):
    """The text between line breaks; a line pdfium joined at a hyphenated line end
    ("…/NĐ" U+FFFE "CP…", the hyphen drawn at the end of the first visual line) is cut
    after the hyphen, so each visual line stays a line of its own."""
    for line in _LINE.finditer(text):
        a, b = line.span()
        k = text.find(_LINE_END_HYPHEN, a, b)
        while k >= 0:
            yield a, k + 1
            a = k + 1
            k = text.find(_LINE_END_HYPHEN, a, b)
        yield a, b


_LINE_END_HYPHEN = "\ufffe"


def _extract(api: _Api, fonts: _Fonts, geo: _Geo, tp: int, text: str, page: int) -> list[_Frag]:
    frags: list[_Frag] = []
    for a, b in _line_spans(text):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        runs = _obj_runs(api, tp, a, b)
        size = api.font_size(tp, a)
        if not (1.0 <= size <= 200.0):
            bx = geo.box(a)
            size = max(4.0, min(72.0, (bx[3] - bx[1]) or 10.0))
        # candidate cuts: generated chars between objects, and runs of spaces
        cands: list[tuple[int, int]] = []
        for s, e, o in runs:
            if not o and s > a and e < b:
                cands.append((s, e))
        for m in _SPACES.finditer(text, a, b):
            cands.append((m.start(), m.end()))
        pieces: list[tuple[int, int]] = []
        start = a
        for s, e in sorted(set(cands)):
            # widen to the whole whitespace run
            while s > start and text[s - 1].isspace():
                s -= 1
            while e < b and text[e].isspace():
                e += 1
            if s <= start or e >= b:
                continue
            gap = geo.box(e)[0] - geo.box(s - 1)[2]
            if gap > 2.5 * size or (gap > 1.2 * size and _stands_out(geo, text, a, b, s, e, gap)):
                pieces.append((start, s))
                start = e
        pieces.append((start, b))
        for pa, pb in pieces:
            frags.append(_make_frag(api, fonts, geo, tp, text, page, pa, pb, runs, size))
    return frags


def _stands_out(geo: _Geo, text: str, a: int, b: int, s: int, e: int, gap: float) -> bool:
    """Whether a gap between two header columns set close together (narrow columns) is a
    column gap: far wider than every other word gap of the line (a justified line stretches
    all its gaps alike)."""
    others: list[float] = []
    for m in _WS_RUN.finditer(text, a, b):
        if m.start() <= s < m.end() or m.start() == a or m.end() >= b:
            continue
        others.append(geo.box(m.end())[0] - geo.box(m.start() - 1)[2])
        if len(others) > 40:
            break
    return not others or gap > 3.0 * max(others)


_WS_RUN = regex.compile(r"\s+")


def _make_frag(api, fonts, geo, tp, text, page, pa, pb, runs, size) -> _Frag:
    b0 = geo.box(pa)
    b1 = geo.box(pb - 1) if pb - 1 > pa else b0
    x0, x1 = min(b0[0], b1[0]), max(b0[2], b1[2])
    base = geo.baseline(pa)
    styles: list[tuple[int, int, bool, bool]] = []
    prev: tuple[bool, bool] | None = None
    for s, e, o in runs:
        s, e = max(s, pa), min(e, pb)
        if s >= e:
            continue
        st = fonts.style(o) or prev or (False, False)
        prev = st
        if styles and styles[-1][1] == s - pa and styles[-1][2:] == st:
            styles[-1] = (styles[-1][0], e - pa, *st)
        else:
            styles.append((s - pa, e - pa, *st))
    t, k2t = _map_text(text[pa:pb])
    f = _Frag(page, pa, pb - pa, t, k2t, x0, x1, base, size, styles)
    if text[pb - 1] == _LINE_END_HYPHEN:
        f.__dict__["_hy"] = True
    return f


def _ruled(api: _Api, page_h: int) -> bool:
    """Whether the page's path objects draw a grid (a ruled table is likely).

    Lines and rectangle edges are collected; a table has T or + junctions (a rule
    ending inside another one), while underlines and boxes around text only have
    corners.
    """
    if too_many_objects(api.count_objects(page_h)):
        return False  # a drawing (a map), not a table: pdfplumber would hold every object
    hs: list[tuple[float, float, float]] = []  # (y, x0, x1)
    vs: list[tuple[float, float, float]] = []  # (x, y0, y1)
    stack = [(page_h, True)]
    seen = 0
    while stack:
        h, is_page = stack.pop()
        cnt = api.count_objects(h) if is_page else api.form_count(h)
        for k in range(max(0, cnt)):
            o = api.get_object(h, k) if is_page else api.form_object(h, k)
            if not o:
                continue
            typ = api.obj_type(o)
            if typ == api.FORM:
                if seen < 50:
                    seen += 1
                    stack.append((o, False))
                continue
            if typ != api.PATH or not api.obj_bounds(o, *api._fp):
                continue
            left, b, r, t = (f.value for f in api._f)
            w, hh = r - left, t - b
            if w < 3 and hh > 6:
                vs.append(((left + r) / 2, b, t))
            elif hh < 3 and w > 6:
                hs.append(((b + t) / 2, left, r))
            elif w > 6 and hh > 6:
                if api.path_segments(o) >= 8:
                    return True  # a grid drawn as one path (or a drawing: pdfplumber decides)
                hs += [(b, left, r), (t, left, r)]
                vs += [(left, b, t), (r, b, t)]
        if len(hs) > 2000 or len(vs) > 2000:
            return True
    return _junctions(_merge(hs), _merge(vs)) >= 2


def _merge(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear segments that touch (cell borders drawn cell by cell)."""
    out: list[tuple[float, float, float]] = []
    for c, a, b in sorted(segs, key=lambda s: (round(s[0]), s[1])):
        if out and abs(out[-1][0] - c) <= 1.5 and a <= out[-1][2] + 2:
            out[-1] = (out[-1][0], out[-1][1], max(out[-1][2], b))
        else:
            out.append((c, a, b))
    return out


def _junctions(hs, vs) -> int:
    n = 0
    for x, y0, y1 in vs:
        for y, x0, x1 in hs:
            if y0 - 2 <= y <= y1 + 2 and x0 - 2 <= x <= x1 + 2:
                if x0 + 2 < x < x1 - 2 or y0 + 2 < y < y1 - 2:
                    n += 1
                    if n >= 2:
                        return n
    return n


_NO_TEXT_DEVICE = None


def _no_text_device():
    """pdfplumber's layout device, minus the characters (built once, None if unavailable).

    Table cells come from the page's lines and rectangles only; pdfplumber would also
    turn every glyph into a character object (a third of its time on a table page).
    """
    global _NO_TEXT_DEVICE
    if _NO_TEXT_DEVICE is None:
        try:
            from pdfplumber.page import PDFPageAggregatorWithMarkedContent

            class NoText(PDFPageAggregatorWithMarkedContent):
                def render_string(self, textstate, seq, ncs, graphicstate) -> None:
                    return None  # text positions do not move lines and rectangles

            _NO_TEXT_DEVICE = NoText
        except Exception:  # another pdfplumber: the full layout
            _NO_TEXT_DEVICE = False
    return _NO_TEXT_DEVICE or None


def _layout_without_text(plumber_page) -> None:
    """Give the page a layout of its graphics only (kept by pdfplumber for find_tables)."""
    device_cls = _no_text_device()
    if device_cls is None or hasattr(plumber_page, "_layout"):
        return
    try:
        from pdfminer.pdfinterp import PDFPageInterpreter

        pdf = plumber_page.pdf
        device = device_cls(pdf.rsrcmgr, pageno=plumber_page.page_number, laparams=pdf.laparams)
        PDFPageInterpreter(pdf.rsrcmgr, device).process_page(plumber_page.page_obj)
        plumber_page._layout = device.get_result()
    except Exception:  # leave the page to pdfplumber (find_tables then fails or not as before)
        if hasattr(plumber_page, "_layout"):
            del plumber_page._layout


def _find_tables(plumber_page, dh: float) -> list[_PTable]:
    out: list[_PTable] = []
    try:
        _layout_without_text(plumber_page)
        found = plumber_page.find_tables()
    except Exception:  # pdfplumber/pdfminer failure on this page: no tables
        return out
    for t in found:
        rows = []
        for row in t.rows:
            rows.append([None if c is None else (c[0], dh - c[3], c[2], dh - c[1]) for c in row.cells])
        ncells = sum(1 for r in rows for c in r if c is not None)
        if ncells < 2:
            continue
        x0, top, x1, bottom = t.bbox
        out.append(_PTable(-1, (x0, dh - bottom, x1, dh - top), rows))
    return out


def _text_tables(geo: _Geo, frags: list[_Frag]) -> list[_PTable]:
    """Tables without ruling lines, from the alignment of their words (readers/pdftables.py)."""
    from .pdftables import find_text_tables

    return [_PTable(-1, bbox, grid) for bbox, grid in find_text_tables(geo, frags, geo.dw)]


def _assign_cells(geo: _Geo, frag: _Frag, tables: list[_PTable], ti0: int) -> list[_Frag]:
    """Split a fragment lying (partly) in ruled tables into runs, one per cell (or outside)."""
    keys: list[tuple[int, int, int] | None] = []
    boxes = []
    prev: tuple[int, int, int] | None = None
    for k in range(frag.n):
        bx = geo.box(frag.ci + k)
        boxes.append(bx)
        if bx[2] - bx[0] <= 0.01 and bx[3] - bx[1] <= 0.01:
            keys.append(prev)  # generated char: goes with the previous one
            continue
        cx, cy = (bx[0] + bx[2]) / 2, (bx[1] + bx[3]) / 2
        key = None
        for ti, tab in enumerate(tables):
            x0, y0, x1, y1 = tab.bbox
            if not (x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1):
                continue
            best = None
            for r, row in enumerate(tab.grid):
                for c, cb in enumerate(row):
                    if cb is None:
                        continue
                    dx = max(cb[0] - cx, 0, cx - cb[2])
                    dy = max(cb[1] - cy, 0, cy - cb[3])
                    d = dx + dy
                    if best is None or d < best[0]:
                        best = (d, r, c)
                    if d == 0:
                        break
                if best is not None and best[0] == 0:
                    break
            if best is not None:
                key = (ti0 + ti, best[1], best[2])
            break
        keys.append(key)
        prev = key
    out: list[_Frag] = []
    k = 0
    while k < frag.n:
        e = k
        while e < frag.n and keys[e] == keys[k]:
            e += 1
        a, b = k, e
        ta, tb = frag.t(a), frag.t(b)
        while a < b and frag.text[frag.t(a) : frag.t(a + 1)].isspace():
            a += 1
        while b > a and frag.text[frag.t(b - 1) : frag.t(b)].isspace():
            b -= 1
        if a < b and frag.text[frag.t(a) : frag.t(b)].strip():
            ta, tb = frag.t(a), frag.t(b)
            styles = [
                (max(s, a) - a, min(e2, b) - a, bo, it) for s, e2, bo, it in frag.styles if min(e2, b) > max(s, a)
            ]
            k2t = None if frag.k2t is None else [x - ta for x in frag.k2t[a : b + 1]]
            xs = [v for bx in boxes[a:b] for v in (bx[0], bx[2]) if bx[2] - bx[0] > 0.01]
            nf = _Frag(
                frag.page,
                frag.ci + a,
                b - a,
                frag.text[ta:tb],
                k2t,
                min(xs) if xs else frag.x0,
                max(xs) if xs else frag.x1,
                frag.base,
                frag.size,
                styles,
                cell=keys[a],
            )
            if frag.hyphen_end and b == frag.n:
                nf.__dict__["_hy"] = True
            out.append(nf)
        k = e
    return out


# --------------------------------------------------------------------------- page furniture


def _drop_furniture(pages: list[_Page]) -> None:
    npages = len(pages)
    cands: dict[tuple[str, str], list[_Frag]] = {}
    for pg in pages:
        flow = [f for f in pg.frags if f.cell is None]
        if not flow:
            continue
        band = 0.12 * pg.height
        lines = sorted({round(f.base, 1) for f in flow}, reverse=True)
        edge = set(lines[:2]) | set(lines[-2:])
        for f in flow:
            where = "top" if f.base >= pg.height - band else "bottom" if f.base <= band else ""
            if not where:
                continue
            if round(f.base, 1) in edge and _PAGENUM.match(f.text):
                f.dropped = True
                continue
            key = _DIGITS.sub("#", " ".join(f.text.split()).casefold())
            cands.setdefault((key, where), []).append(f)
    need = max(3, math.ceil(0.6 * npages))
    for fl in cands.values():
        pages_hit = {f.page for f in fl}
        if len(pages_hit) < need:
            continue
        ys = sorted(f.base for f in fl)
        med = ys[len(ys) // 2]
        for f in fl:
            if abs(f.base - med) <= 12:
                f.dropped = True


# --------------------------------------------------------------------------- paragraphs


@dataclass
class _Layout:
    L: float
    R: float

    @property
    def W(self) -> float:
        return max(1.0, self.R - self.L)


def _pct(vals: list[float], p: float) -> float:
    vals = sorted(vals)
    return vals[int(p * (len(vals) - 1))]


def _layouts(pages: list[_Page]) -> dict[int, _Layout]:
    """Text column per page size (portrait body pages and landscape annex pages differ)."""
    groups: dict[tuple[int, int], list[_Page]] = {}
    for pg in pages:
        groups.setdefault((round(pg.width), round(pg.height)), []).append(pg)
    out: dict[int, _Layout] = {}
    for grp in groups.values():
        fl = [f for pg in grp for f in pg.frags if f.cell is None and not f.dropped]
        if not fl:
            continue
        lay = _Layout(_pct([f.x0 for f in fl], 0.1), _pct([f.x1 for f in fl], 0.9))
        for pg in grp:
            out[pg.index] = lay
    return out


def _starts_lower(t: str) -> bool:
    c = t[:1]
    return bool(c) and c.isalpha() and c.islower()


class _Joiner:
    """Decides whether a line continues the paragraph above it (a hard-wrapped line)."""

    def __init__(self, layouts: dict[int, _Layout], ratio: float, first_last: dict[int, tuple[int, int]], flow):
        self.layouts = layouts
        self.ratio = ratio
        self.first_last = first_last  # page -> (id of first flow frag, id of last flow frag)
        # Do list items and paragraphs start indented from the margin in this document?
        # Then a marker-like line at the margin ("- xã hội…", "Tiểu dự án 2 thuộc…") that
        # follows a full line is a wrapped line, not a new item.
        ind = tot = 0
        for f in flow:
            lay = layouts.get(f.page)
            if lay is None or not _MARKER.match(f.text):
                continue
            tot += 1
            if f.x0 > lay.L + max(3.0, 0.5 * f.size):
                ind += 1
        self.indent_style = tot >= 3 and ind >= 0.8 * tot
        # (middle, width) of each flow line per page: the side columns' widths
        self.flow = flow
        self._side: tuple[dict, set] | None = None

    def side(self) -> tuple[dict[int, list[tuple[float, float, float]]], set[int]]:
        """(middle, width, baseline) of each flow line per page, and the lines that share
        their baseline with another column ("Số: …" | "…, ngày …"); built when first needed."""
        if self._side is None:
            lines: dict[int, list[tuple[float, float, float]]] = {}
            beside: set[int] = set()
            by_line: dict[tuple[int, int], list[_Frag]] = {}
            for f in self.flow:
                lines.setdefault(f.page, []).append(((f.x0 + f.x1) / 2, f.width, f.base))
                by_line.setdefault((f.page, round(f.base / 2)), []).append(f)
            for fs in by_line.values():
                if len(fs) > 1:
                    beside.update(id(f) for f in fs)
            self._side = (lines, beside)
        return self._side

    def centered(self, f: _Frag, lay: _Layout) -> bool:
        mid = (lay.L + lay.R) / 2
        return abs((f.x0 + f.x1) / 2 - mid) <= min(0.02 * lay.W, 8.0)

    def column_continues(self, prev: _Frag, f: _Frag, lay: _Layout, est: float, terminal: bool) -> bool | None:
        """Lines centred in a side column of their own (the header's right column: "…, ngày
        21 tháng 3" / "năm 2019"). The column is as wide as its widest line; a line that
        leaves no room there for the next line's first word was full. A full, unfinished
        line goes on with a line that reads on (lower case, a number); capitals under
        capitals stay apart ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH", "ỦY BAN NHÂN DÂN" / "XÃ …").
        None when the lines are not centred in a side column."""
        if f.page != prev.page or prev.width > 0.75 * lay.W or f.width > prev.width:
            return None
        reads_on = f.text[:1].isdigit() or _starts_lower(f.text)
        if terminal or not reads_on or prev.bold_whole != f.bold_whole:
            return None
        m_prev, m_f = (prev.x0 + prev.x1) / 2, (f.x0 + f.x1) / 2
        tol = max(3.0, 0.03 * lay.W)
        if abs(m_prev - m_f) > tol:
            return None
        side_lines, beside = self.side()
        if id(prev) not in beside and abs(m_prev - (lay.L + lay.R) / 2) <= 0.05 * lay.W:
            return None
        near = 5 * f.size
        col_w = max(
            (
                w
                for m, w, base in side_lines.get(f.page, ())
                if abs(m - m_prev) <= tol and w <= 0.75 * lay.W and abs(base - prev.base) <= near
            ),
            default=prev.width,
        )
        return prev.width + 0.25 * f.size + est > col_w - 1.0

    def continues(self, para: list[_Frag], f: _Frag) -> bool:
        prev = para[-1]
        lay = self.layouts.get(f.page) or _Layout(f.x0, f.x1)
        size = max(prev.size, f.size)
        tol = max(3.0, 0.5 * f.size)
        if f.page != prev.page:
            fl_prev = self.first_last.get(prev.page)
            fl_cur = self.first_last.get(f.page)
            if f.page != prev.page + 1 or not fl_prev or not fl_cur:
                return False
            if fl_prev[1] != id(prev) or fl_cur[0] != id(f):
                return False
        else:
            d = prev.base - f.base
            if d < 0.5 * f.size:
                return False  # same line (another column) or above
            if prev.hyphen_end and d < 2.5 * size and not _MARKER.match(f.text):
                return True  # the word cut at a line-end hyphen goes on here
            if d > self.ratio * size + max(2.0, 0.25 * size):
                return False  # paragraph spacing
        if abs(prev.size - f.size) > 1.0:
            return False
        t, pt = f.text, prev.text
        lower = _starts_lower(t)
        terminal = _ends_terminal(pt)
        # would the first word of this line have fitted at the end of the previous one?
        word = _FIRST_WORD.match(t)
        est = f.width * (len(word.group()) if word else 1) / max(1, len(t))
        fits = prev.x1 + 0.25 * f.size + est < lay.R - 1.0
        col = self.column_continues(prev, f, lay, est, terminal)
        if col is not None:
            return col
        if _MARKER.match(t):
            # "Chương II", "Điều 3", "Dự án 4", "1.", "a)" at the start of a line: a new item,
            # unless the line above was full and unfinished (the words wrapped there). Where
            # items are indented, a wrapped line goes back to the margin.
            at_margin = abs(f.x0 - lay.L) <= tol
            if terminal or fits or (self.indent_style and not at_margin):
                return False
        if prev.bold_whole != f.bold_whole and not lower:
            return False
        # the line must lie under the previous one (not in another column); a first
        # line indented from the margin covers the margin too
        px0 = lay.L if lay.L - 2 <= prev.x0 <= lay.L + 3 * prev.size else prev.x0
        ov = min(prev.x1, f.x1) - max(px0, f.x0)
        if ov < 0.5 * min(prev.x1 - px0, f.width):
            return False
        first = para[0]
        centred = (
            self.centered(first, lay)
            and self.centered(f, lay)
            and f.x0 > lay.L + tol
            and all(self.centered(p, lay) for p in para)
        )
        if not centred:
            if len(para) >= 2:
                if abs(f.x0 - para[1].x0) > tol:
                    return False
            elif f.x0 > prev.x0 + tol:
                return False  # indented: a new paragraph
        if terminal and prev.x1 < lay.R - 0.15 * lay.W:
            return False
        if fits and not lower:
            return False  # the previous line ended early: it ended its paragraph
        return True


def _draft_from(frags: list[_Frag], kind: str = "paragraph", **kw) -> BlockDraft:
    d = BlockDraft(kind=kind, **kw)
    segs: list[tuple[str, bool, bool]] = []
    for j, f in enumerate(frags):
        if j and not frags[j - 1].hyphen_end:  # "NĐ-" + "CP": no space after a line-end hyphen
            d.synth(" ", f.src)
            segs.append((" ", segs[-1][1], segs[-1][2]) if segs else (" ", False, False))
        d.add(f.text, f.src)
        segs.extend(f.segments())
    _set_style(d, segs)
    return d


def _set_style(d: BlockDraft, segs: list[tuple[str, bool, bool]]) -> None:
    """bold: all non-space text bold; bold_prefix: length of a leading bold run; italic."""
    ns = [(b, i) for t, b, i in segs if t.strip()]
    if not ns:
        return
    d.bold = all(b for b, _ in ns)
    d.italic = all(i for _, i in ns)
    if d.bold:
        return
    parts: list[str] = []
    for t, bold, _ in segs:
        if bold or not t.strip():
            parts.append(t)
            continue
        k = len(t) - len(t.lstrip())  # leading spaces of a non-bold run still count as gap
        parts.append(t[:k])
        break
    prefix = "".join(parts).strip()
    if prefix:
        d.bold_prefix = len(unicodedata.normalize("NFC", prefix))


def _size_levels(sized: list[tuple[BlockDraft, list[_Frag]]]) -> None:
    """level_hint from type size: short paragraphs set larger than the body text are
    headings; the largest size is level 1, the next 2, ... (PDF has no heading styles)."""
    weight: dict[float, int] = {}
    for _, fs in sized:
        for f in fs:
            k = round(f.size * 2) / 2
            weight[k] = weight.get(k, 0) + len(f.text)
    if not weight:
        return
    body = max(weight, key=lambda k: weight[k])
    cands = [(d, round(max(f.size for f in fs) * 2) / 2) for d, fs in sized if len(fs) <= 3]
    sizes = sorted({sz for _, sz in cands if sz >= body + 0.5}, reverse=True)
    rank = {sz: i + 1 for i, sz in enumerate(sizes)}
    for d, sz in cands:
        if sz in rank:
            d.level_hint = rank[sz]


# --------------------------------------------------------------------------- main


_VI_BROKEN = "cấu trúc PDF hỏng hoặc không đúng định dạng"


def _open_plumber(data: bytes):
    try:
        import pdfplumber

        return pdfplumber.open(io.BytesIO(data))
    except Exception:  # pdfminer cannot parse what pdfium could: read without tables
        return False


def read_pdf(data: bytes, limits) -> ReadResult:
    """Read a PDF's bytes into a ReadResult (see the module docstring)."""
    with _LOCK:  # pdfium is not thread-safe, nor are the shared out-parameters of _Api
        return _read_pdf(data, limits)


def _read_pdf(data: bytes, limits) -> ReadResult:
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise ReadError("corrupt", detail=f"pypdfium2 unavailable: {exc}", detail_vi="thiếu thư viện đọc PDF") from exc
    api = _api()
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (api.r.FPDF_ERR_PASSWORD, api.r.FPDF_ERR_SECURITY):
            raise ReadError("encrypted") from exc
        raise ReadError("corrupt", detail=str(exc), detail_vi=_VI_BROKEN) from exc
    except Exception as exc:
        raise ReadError("corrupt", detail=str(exc), detail_vi=_VI_BROKEN) from exc
    plumber = None  # pdfplumber document, opened on the first ruled page; False if it fails
    try:
        n_pages = len(doc)
        if n_pages > limits.max_pages:
            raise ReadError("too_many_pages", pages=n_pages, limit=limits.max_pages)
        if n_pages == 0:
            raise ReadError("empty")
        pages: list[_Page] = []
        fonts = _Fonts(api)
        any_text = False
        n_tables = 0
        deadline = time.monotonic() + limits.seconds_per_file
        for pi in range(n_pages):
            if time.monotonic() > deadline:
                raise ReadError("timeout", seconds=limits.seconds_per_file)
            try:
                page = doc[pi]
            except Exception as exc:
                raise ReadError("corrupt", detail=f"page {pi + 1}: {exc}", detail_vi=f"lỗi ở trang {pi + 1}") from exc
            try:
                textpage = page.get_textpage()
                tp = _addr(textpage.raw)
                n = textpage.count_chars()
                text = _page_text(api, textpage, tp, n)
                geo = _Geo(api, tp, tuple(page.get_mediabox()), page.get_rotation())
                fonts.by_obj.clear()
                fonts.by_font.clear()  # font handles may be freed with the page
                frags = _extract(api, fonts, geo, tp, text, pi) if text.strip() else []
                tables: list[_PTable] = []
                if frags:
                    any_text = True
                    if plumber is not False and _ruled(api, _addr(page.raw)):
                        if plumber is None:
                            plumber = _open_plumber(data)
                        if plumber:
                            try:
                                tables = _find_tables(plumber.pages[pi], geo.dh)
                            except Exception:  # pdfminer cannot parse this page: no tables
                                tables = []
                if frags and not tables:
                    tables = _text_tables(geo, frags)
                if tables:
                    for t in tables:
                        t.page = pi
                    new: list[_Frag] = []
                    for f in frags:
                        hit = any(
                            t.bbox[1] - 2 <= f.base <= t.bbox[3] + 2 and f.x1 > t.bbox[0] and f.x0 < t.bbox[2]
                            for t in tables
                        )
                        new.extend(_assign_cells(geo, f, tables, n_tables) if hit else [f])
                    frags = new
                    n_tables += len(tables)
                pages.append(_Page(pi, geo.dw, geo.dh, frags, tables))
                textpage.close()
            except ReadError:
                raise
            except Exception as exc:
                raise ReadError("corrupt", detail=f"page {pi + 1}: {exc}", detail_vi=f"lỗi ở trang {pi + 1}") from exc
            finally:
                page.close()
        if not any_text:
            raise ReadError("scanned")
        return _build(pages)
    finally:
        if plumber:
            try:
                plumber.close()
            except Exception:
                pass
        doc.close()


def _build(pages: list[_Page]) -> ReadResult:
    _drop_furniture(pages)
    tables: list[_PTable] = [t for pg in pages for t in pg.tables]
    for pg in pages:
        for f in pg.frags:
            if f.cell is not None:
                ti, r, c = f.cell
                tables[ti].frags.setdefault((r, c), []).append(f)

    # ---- units: visual lines of each page
    units: list[str] = []
    unit_locs: list[tuple[int, int]] = []
    vline_no = 0
    for pg in pages:
        fr = sorted(pg.frags, key=lambda f: -f.base)
        lines: list[list[_Frag]] = []
        for f in fr:
            if lines:
                ref = lines[-1][0]
                if abs(ref.base - f.base) <= 0.3 * min(ref.size, f.size):
                    lines[-1].append(f)
                    continue
            lines.append([f])
        for ln_i, ln in enumerate(lines, 1):
            ln.sort(key=lambda f: f.x0)
            buf = []
            pos = 0
            for j, f in enumerate(ln):
                if j:
                    gap = f.x0 - ln[j - 1].x1
                    sep = "\t" if gap > 1.5 * f.size else " " if gap > 0.1 * f.size else ""
                    buf.append(sep)
                    pos += len(sep)
                f.src = pos
                f.vline = vline_no
                buf.append(f.text)
                pos += len(f.text)
            units.append("".join(buf))
            unit_locs.append((pg.index + 1, ln_i))
            vline_no += 1
    unit_starts: list[int] = []
    off = 0
    for u in units:
        unit_starts.append(off)
        off += len(u) + 1
    src_of_vline = unit_starts
    for pg in pages:
        for f in pg.frags:
            f.src += src_of_vline[f.vline]
    source = "\n".join(units)

    # ---- reading order: stream order unless it jumps around
    events_all: list[list[tuple[str, object]]] = []
    layouts = _layouts(pages)
    ratios: list[float] = []
    first_last: dict[int, tuple[int, int]] = {}
    for pg in pages:
        flow = [f for f in pg.frags if f.cell is None and not f.dropped]
        flow.sort(key=lambda f: f.ci)
        back = sum(1 for a, b in zip(flow, flow[1:], strict=False) if b.base > a.base + 0.5 * b.size)
        if back > max(2, 0.25 * len(flow)):
            flow.sort(key=lambda f: (f.vline, f.x0))
            key = lambda f: (f.vline, f.x0)  # noqa: E731
            tkey = lambda fs: min((f.vline, f.x0) for f in fs)  # noqa: E731
        else:
            key = lambda f: (f.ci, 0)  # noqa: E731
            tkey = lambda fs: min((f.ci, 0) for f in fs)  # noqa: E731
        for a, b in zip(flow, flow[1:], strict=False):
            d = a.base - b.base
            if 0.5 * b.size < d < 3 * b.size and abs(a.size - b.size) < 0.5:
                ratios.append(d / b.size)
        evs: list[tuple[tuple, str, object]] = [(key(f), "f", f) for f in flow]
        for t in pg.tables:
            fs = [f for fl in t.frags.values() for f in fl]
            if fs:
                evs.append((tkey(fs), "t", t))
        evs.sort(key=lambda e: e[0])
        events_all.append([(k, o) for _, k, o in evs])
        if flow:
            first_flow = next((o for k, o in events_all[-1] if k == "f"), None)
            last_flow = next((o for k, o in reversed(events_all[-1]) if k == "f"), None)
            # a paragraph may only run on across the page break if no table intervenes
            first_ok = events_all[-1][0][1] is first_flow
            last_ok = events_all[-1][-1][1] is last_flow
            first_last[pg.index] = (id(first_flow) if first_ok else -1, id(last_flow) if last_ok else -1)
    ratio = sorted(ratios)[len(ratios) // 2] if ratios else 1.25
    joiner = _Joiner(layouts, ratio, first_last, [o for evs in events_all for k, o in evs if k == "f"])

    drafts: list[BlockDraft] = []
    para: list[_Frag] = []
    table_id = -1
    last_table: dict | None = None  # for tables continued on the next page
    prev_kind = ""

    sized: list[tuple[BlockDraft, list[_Frag]]] = []

    def flush() -> None:
        nonlocal para
        if para:
            d = _draft_from(para)
            drafts.append(d)
            sized.append((d, para))
        para = []

    for evs in events_all:
        for ei, (kind, obj) in enumerate(evs):
            if kind == "f":
                f = obj  # type: ignore[assignment]
                if para and joiner.continues(para, f):
                    para.append(f)
                else:
                    flush()
                    para = [f]
                prev_kind = "f"
                continue
            flush()
            t: _PTable = obj  # type: ignore[assignment]
            cont = (
                last_table is not None
                and prev_kind == "t"
                and ei == 0
                and last_table["page"] == t.page - 1
                and last_table["last_on_page"]
                and last_table["ncols"] == t.ncols
                and abs(last_table["x0"] - t.bbox[0]) < 6
                and abs(last_table["x1"] - t.bbox[2]) < 6
            )
            rows_text = [
                tuple(" ".join(f.text for f in t.frags.get((r, c), [])) for c in range(len(row)))
                for r, row in enumerate(t.grid)
            ]
            if cont:
                tid = last_table["id"]
                r0 = last_table["next_row"]
                skip = 0
                head = last_table["head"]
                while skip < len(rows_text) and skip < len(head) and rows_text[skip] == head[skip] and skip < 3:
                    skip += 1
                if skip == len(rows_text):
                    skip = 0
            else:
                table_id += 1
                tid, r0, skip = table_id, 0, 0
            r_out = r0
            for r, row in enumerate(t.grid):
                if r < skip:
                    continue
                for c in range(t.ncols):
                    cb = row[c] if c < len(row) else None
                    fs = t.frags.get((r, c), []) if cb is not None else []
                    fs = sorted(fs, key=lambda f: (f.vline, f.x0))
                    d = _draft_from(fs, kind="cell", table=tid, row=r_out, col=c)
                    if not fs:
                        # an empty cell: anchor it in its row (for the location of its tab)
                        near = [f for cc in range(t.ncols) for f in t.frags.get((r, cc), [])] or [
                            f for fl in t.frags.values() for f in fl
                        ]
                        d.pieces.append(("", min(f.src for f in near), True))
                    drafts.append(d)
                r_out += 1
            last_table = {
                "id": tid,
                "page": t.page,
                "ncols": t.ncols,
                "x0": t.bbox[0],
                "x1": t.bbox[2],
                "next_row": r_out,
                "head": (last_table["head"] if cont else rows_text[:3]),
                "last_on_page": ei == len(evs) - 1,
            }
            prev_kind = "t"
    flush()
    _size_levels(sized)
    text, blocks, tbls, smap = assemble(
        drafts, kind="page", source=source, unit_starts=unit_starts, unit_locs=unit_locs, table_layout={}
    )
    if not text.strip():
        raise ReadError("scanned")
    return ReadResult(fmt="pdf", text=text, blocks=blocks, tables=tbls, sourcemap=smap)
