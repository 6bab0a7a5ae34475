"""Word .docx: paragraphs and tables in body order, with bold/heading hints.

The body is walked in document order (``w:p``, ``w:tbl``, content controls
``w:sdt`` and ``w:customXml``); headers, footers and comments are page furniture and
ignored. Every paragraph is one *unit* of the SourceMap (table-cell paragraphs
included, nested tables too) so a finding reports "¶N".

Tracked changes are read as after accepting them all (insertions kept, deletions and
moved-away text dropped, a deleted paragraph mark joins the paragraph to the next, a
deleted table row is gone) and reported once (PC004). Fields show their result, not
their instruction. Text boxes and shapes (``w:txbxContent``) and the footnotes and
endnotes a paragraph cites follow that paragraph as paragraphs of their own, located
at it ("¶N" of the paragraph that holds or cites them).

Tables: a data table gives one cell block per grid cell (the cell's paragraphs
joined by a space); a merged cell's text comes once and the cells it covers stay
empty, so columns line up. A layout table (the borderless header with issuer,
"Số:", Quốc hiệu, place and date, or the signature table with "Nơi nhận" and the
signer) gives one block per paragraph so that "KT. CHỦ TỊCH" and "PHÓ CHỦ TỊCH" stay
separate lines.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import compress
from operator import not_

import regex

from ..normalize import BlockDraft, assemble
from .base import ReadError, ReadResult
from .guards import grid_span
from .numbering import Numbering, ind_twips, num_pr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@functools.cache
def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_R, W_T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_HYPERLINK, W_SMARTTAG, W_INS, W_MOVETO, W_FLDSIMPLE = (
    _w("hyperlink"),
    _w("smartTag"),
    _w("ins"),
    _w("moveTo"),
    _w("fldSimple"),
)
W_DIR, W_BDO = _w("dir"), _w("bdo")
W_DEL, W_MOVEFROM = _w("del"), _w("moveFrom")
W_DRAWING, W_PICT, W_TXBX = _w("drawing"), _w("pict"), _w("txbxContent")
W_FOOTNOTEREF, W_ENDNOTEREF = _w("footnoteReference"), _w("endnoteReference")
_REVISIONS = {W_INS, W_MOVETO}  # kept: the text as it reads after accepting every change
_DROPPED = {W_DEL, W_MOVEFROM}  # deleted or moved away: gone once the changes are accepted
W_TAB, W_PTAB, W_BR, W_CR = _w("tab"), _w("ptab"), _w("br"), _w("cr")
W_NBHYPHEN, W_SOFTHYPHEN, W_SYM = _w("noBreakHyphen"), _w("softHyphen"), _w("sym")
W_RPR, W_PPR, W_TCPR, W_TRPR, W_TBLPR = _w("rPr"), _w("pPr"), _w("tcPr"), _w("trPr"), _w("tblPr")
W_VAL = _w("val")

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MC_ALT, MC_CHOICE, MC_FALLBACK = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"
# run properties read: (style attribute, w: element)
_RUN_PROPS = (("bold", "b"), ("italic", "i"), ("caps", "caps"), ("vanish", "vanish"))
_CONTAINERS = {W_HYPERLINK, W_SMARTTAG, W_SDT, W_SDTCONTENT, W_CUSTOMXML, W_INS, W_MOVETO, W_FLDSIMPLE, W_DIR, W_BDO}
_OFF = {"0", "false", "off", "none"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_NAME = "EncryptedPackage".encode("utf-16-le")

_VI_BROKEN = "nội dung Word (XML) hỏng hoặc không đúng định dạng"

_HEADING_NAME = regex.compile(r"^heading\s*([1-9])$", regex.I)
_LAYOUT_CONTENT = regex.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI|CỘNG\s+HOÀ\s+XÃ\s+HỘI|Độc\s+lập\s*[-–—]\s*Tự\s+do|(?:^|\n)\s*Số\s*:|Nơi\s+nhận"
    r"|(?:^|\n)\s*(?:TM|KT|TL|TUQ|Q)\.\s|CHỦ\s+TỊCH|GIÁM\s+ĐỐC|,\s*ngày\s.{0,12}tháng\s.{0,12}năm",
)


# --------------------------------------------------------------------------- styles


@dataclass
class _Style:
    type: str
    name: str
    based_on: str | None
    bold: bool | None
    italic: bool | None
    caps: bool | None
    vanish: bool | None
    outline: int | None
    borders: bool | None  # table styles: visible borders
    num: tuple[str | None, int | None] | None = None  # w:numPr of a paragraph style
    size: int | None = None  # w:sz, half-points
    jc: str | None = None  # paragraph alignment
    ind: tuple[int, int] | None = None  # (left, first line - hanging), twips


def _toggle(rpr, tag: str) -> bool | None:
    if rpr is None:
        return None
    el = rpr.find(_w(tag))
    if el is None:
        return None
    v = el.get(W_VAL)
    return v is None or v.lower() not in _OFF


def _borders_visible(tblpr) -> bool | None:
    if tblpr is None:
        return None
    b = tblpr.find(_w("tblBorders"))
    if b is None:
        return None
    vis = False
    for edge in b:
        v = (edge.get(W_VAL) or "").lower()
        if v and v not in ("nil", "none"):
            vis = True
    return vis


def _size(rpr) -> int | None:
    el = rpr.find(_w("sz")) if rpr is not None else None
    if el is None:
        return None
    try:
        return int(float(el.get(W_VAL, "")))
    except ValueError:
        return None


_JC = {
    "both": "left",
    "distribute": "left",
    "start": "left",
    "left": "left",
    "lowKashida": "left",
    "mediumKashida": "left",
    "highKashida": "left",
    "thaiDistribute": "left",
    "center": "center",
    "right": "right",
    "end": "right",
}


def _jc(ppr) -> str | None:
    """Alignment as a reader sees it on a one-line heading (justified looks left-aligned)."""
    el = ppr.find(_w("jc")) if ppr is not None else None
    return _JC.get(el.get(W_VAL) or "", "left") if el is not None else None


def _ind(ppr) -> tuple[int, int] | None:
    el = ppr.find(_w("ind")) if ppr is not None else None
    return ind_twips(el) if el is not None else None


class _Styles:
    def __init__(self, styles_el) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default: dict[str, str] = {}
        self.doc: dict[str, bool | None] = {}
        self.doc_size = 20  # Word's default: 10 pt
        self.doc_jc: str | None = None
        self.doc_ind: tuple[int, int] | None = None
        self._cache: dict[tuple[str, str], object] = {}
        if styles_el is None:
            return
        dd = styles_el.find(_w("docDefaults"))
        if dd is not None:
            rpd = dd.find(_w("rPrDefault"))
            rpr = rpd.find(W_RPR) if rpd is not None else None
            self.doc = {attr: _toggle(rpr, tag) for attr, tag in _RUN_PROPS}
            self.doc_size = _size(rpr) or 20
            ppd = dd.find(_w("pPrDefault"))
            pp = ppd.find(W_PPR) if ppd is not None else None
            self.doc_jc, self.doc_ind = _jc(pp), _ind(pp)
        for st in styles_el.findall(_w("style")):
            sid = st.get(_w("styleId")) or ""
            typ = st.get(_w("type")) or "paragraph"
            name_el = st.find(_w("name"))
            name = name_el.get(W_VAL) if name_el is not None else sid
            based = st.find(_w("basedOn"))
            rpr = st.find(W_RPR)
            ppr = st.find(W_PPR)
            ol = ppr.find(_w("outlineLvl")) if ppr is not None else None
            outline = None
            if ol is not None:
                try:
                    outline = int(ol.get(W_VAL, ""))
                except ValueError:
                    outline = None
            self.by_id[sid] = _Style(
                typ,
                name or sid,
                based.get(W_VAL) if based is not None else None,
                _toggle(rpr, "b"),
                _toggle(rpr, "i"),
                _toggle(rpr, "caps"),
                _toggle(rpr, "vanish"),
                outline,
                _borders_visible(st.find(W_TBLPR)),
                num_pr(ppr),
                _size(rpr),
                _jc(ppr),
                _ind(ppr),
            )
            if (st.get(_w("default")) or "").lower() in ("1", "true", "on"):
                self.default[typ] = sid

    def resolve(self, sid: str | None, attr: str, typ: str = "paragraph"):
        """An attribute through the basedOn chain (None when unset everywhere)."""
        if sid is None:
            sid = self.default.get(typ)
        if sid is None:
            return None
        key = (sid, attr)
        if key in self._cache:
            return self._cache[key]
        seen = set()
        val = None
        cur = sid
        while cur and cur not in seen:
            seen.add(cur)
            st = self.by_id.get(cur)
            if st is None:
                break
            v = getattr(st, attr)
            if v is not None:
                val = v
                break
            cur = st.based_on
        self._cache[key] = val
        return val

    def name(self, sid: str | None) -> str:
        if sid is None:
            sid = self.default.get("paragraph")
        st = self.by_id.get(sid or "")
        return st.name if st else ""


# --------------------------------------------------------------------------- paragraphs


@dataclass
class _Para:
    """One paragraph: its text, where it starts in the source, per-char (bold, italic)."""

    text: str
    src: int
    flags: list[tuple[bool, bool]]
    level: int = 0
    marker: str = ""  # Word's automatic number, shown before the text (not in the source)
    look: tuple = ()  # (size, alignment, first-line indent): Block.look without italic
    mark_deleted: bool = False  # tracked deletion of the paragraph mark: joins the next paragraph


@dataclass
class _Cell:
    paras: list[_Para] = field(default_factory=list)
    span: int = 1
    cont: bool = False  # vMerge continuation


class _Walker:
    def __init__(self, styles: _Styles, limits, numbering=None, notes=None) -> None:
        self.styles = styles
        self.limits = limits
        self.numbering_el = numbering  # a callable giving numbering.xml's root (read when first needed)
        self._numbering: Numbering | None = None
        self.notes = notes  # a callable giving {("footnote"|"endnote", id): element} (read when cited)
        self._notes: dict | None = None
        self.locs: list[int] = []  # per unit: the body paragraph it is located at (¶N)
        self.para_no = 0
        self.revised = False  # tracked changes met
        self.pending: list = []  # text boxes and cited notes of the paragraphs just read
        self.carry: _Para | None = None  # a paragraph whose mark was deleted (joins the next)
        self.attached = 0  # > 0 while reading a text box or note: located at its host
        self.in_table = 0  # > 0 while reading a table's cells
        self.units: list[str] = []
        self.offset = 0
        self.drafts: list[BlockDraft] = []
        self.table_id = -1
        self.layout: dict[int, bool] = {}

    # ---- paragraphs

    def para(self, p) -> _Para:
        st = self.styles
        ppr = p.find(W_PPR)
        psid = None
        outline = None
        mark_deleted = False
        if ppr is not None:
            mrpr = ppr.find(W_RPR)
            if mrpr is not None and (mrpr.find(W_DEL) is not None or mrpr.find(W_INS) is not None):
                self.revised = True
                mark_deleted = mrpr.find(W_DEL) is not None or mrpr.find(W_MOVEFROM) is not None
            ps = ppr.find(_w("pStyle"))
            if ps is not None:
                psid = ps.get(W_VAL)
            ol = ppr.find(_w("outlineLvl"))
            if ol is not None:
                try:
                    outline = int(ol.get(W_VAL, ""))
                except ValueError:
                    outline = None
        pdef = {}
        for attr, _ in _RUN_PROPS:
            v = st.resolve(psid, attr)
            pdef[attr] = bool(st.doc.get(attr) if v is None else v)
        psize = st.resolve(psid, "size") or st.doc_size
        sizes: dict[int, int] = {}
        parts: list[str] = []
        flags: list[tuple[bool, bool]] = []

        def run(r) -> None:
            rpr = r.find(W_RPR)
            rsid = None
            if rpr is not None:
                rs = rpr.find(_w("rStyle"))
                if rs is not None:
                    rsid = rs.get(W_VAL)
            props = {}
            for attr, tag in _RUN_PROPS:
                v = _toggle(rpr, tag)
                if v is None and rsid:
                    v = st.resolve(rsid, attr, "character")
                props[attr] = pdef[attr] if v is None else v
            if props["vanish"]:
                return  # hidden text is not shown
            flag = (props["bold"], props["italic"])
            size = _size(rpr) or (st.resolve(rsid, "size", "character") if rsid else None) or psize
            n0 = len(flags)
            for ch in r:
                tag = ch.tag
                if tag == W_T:
                    s = ch.text or ""
                elif tag in (W_TAB, W_PTAB):
                    s = "\t"
                elif tag in (W_BR, W_CR):
                    s = "\v"
                elif tag == W_NBHYPHEN:
                    s = "-"
                else:
                    if tag in (W_DRAWING, W_PICT, MC_ALT):
                        self._find_boxes(ch)
                    elif tag in (W_FOOTNOTEREF, W_ENDNOTEREF):
                        self.pending.append(("footnote" if tag == W_FOOTNOTEREF else "endnote", ch.get(_w("id"))))
                    continue
                if s:
                    s = s.replace("\n", "\v").replace("\r", "\v")
                    if props["caps"]:
                        # "All caps" formatting: the reader sees capitals (length kept 1:1)
                        s = "".join(c.upper() if len(c.upper()) == 1 else c for c in s)
                    parts.append(s)
                    flags.extend([flag] * len(s))
            if len(flags) > n0:
                sizes[size] = sizes.get(size, 0) + len(flags) - n0

        def walk(el) -> None:
            for ch in el:
                tag = ch.tag
                if tag == W_R:
                    run(ch)
                elif tag in _CONTAINERS:
                    if tag in _REVISIONS:
                        self.revised = True
                    walk(ch)
                elif tag in _DROPPED:
                    self.revised = True
                elif tag == MC_ALT:
                    # one branch only: the first Choice, else the Fallback
                    branch = ch.find(MC_CHOICE)
                    if branch is None:
                        branch = ch.find(MC_FALLBACK)
                    if branch is not None:
                        walk(branch)

        walk(p)
        text = "".join(parts)
        marker, num_ind = self._marker(ppr, psid)
        look: tuple = ()
        if not self.in_table and len(text) <= _LOOK_MAX:  # a heading PC103 may compare
            ind = _ind(ppr) or num_ind or st.resolve(psid, "ind") or st.doc_ind or (0, 0)
            size = max(sizes, key=sizes.__getitem__) if sizes else psize
            look = (
                size,
                _jc(ppr) or st.resolve(psid, "jc") or st.doc_jc or "left",
                _text_start(text, ind[0] + ind[1], size) if not marker else ind[0] + ind[1],
            )
        level = 0
        name = st.name(psid)
        m = _HEADING_NAME.match(name.strip())
        if m:
            level = int(m.group(1))
        elif name.strip().lower() == "title":
            level = 1
        else:
            if outline is None:
                outline = st.resolve(psid, "outline")
            if outline is not None and 0 <= outline <= 8:
                level = outline + 1
        rec = _Para(text, self.offset, flags, level, marker if text.strip() else "", look, mark_deleted)
        self._unit(text)
        return rec

    def _unit(self, text: str) -> None:
        """One source unit: a body paragraph takes the next ¶ number, a paragraph of a text
        box or note the number of the paragraph it belongs to."""
        if not self.attached:
            self.para_no += 1
        self.units.append(text)
        self.locs.append(max(1, self.para_no))
        self.offset += len(text) + 1

    def _find_boxes(self, el) -> None:
        """Text boxes in a drawing/picture (the first branch of an mc:AlternateContent only)."""
        if el.tag == W_TXBX:
            self.pending.append(el)
            return
        if el.tag == MC_ALT:
            branch = el.find(MC_CHOICE)
            if branch is None:
                branch = el.find(MC_FALLBACK)
            if branch is not None:
                self._find_boxes(branch)
            return
        for ch in el:
            self._find_boxes(ch)

    def flush(self) -> None:
        """The text boxes and notes met so far, as paragraphs located at their host."""
        while self.pending:
            items, self.pending = self.pending, []
            self.attached += 1
            try:
                for item in items:
                    if isinstance(item, tuple):
                        el = self._note(*item)
                        if el is None:
                            continue
                    else:
                        el = item
                    for p in el.iter(W_P):
                        if p.getparent() is not None and _inside_box(p, el):
                            continue  # a box inside this box: read when its host is
                        self.body_para(p, flush=False)
            finally:
                self.attached -= 1

    def _note(self, kind: str, nid: str | None):
        if self._notes is None:
            self._notes = self.notes() if self.notes else {}
        return self._notes.get((kind, nid))

    def _marker(self, ppr, psid: str | None) -> tuple[str, tuple[int, int] | None]:
        """The automatic number Word shows before this paragraph ("" when none; counts it)
        and the indent its numbering level gives."""
        direct = num_pr(ppr)
        styled = self.styles.resolve(psid, "num")
        if direct is None and styled is None:
            return "", None
        nid, ilvl = direct if direct is not None else (None, None)
        if nid is None and styled is not None:
            nid = styled[0]
            if ilvl is None:
                ilvl = styled[1]
        if not nid or nid == "0":
            return "", None
        if self._numbering is None:
            style_num = {sid: st.num for sid, st in self.styles.by_id.items() if st.num is not None}
            self._numbering = Numbering(self.numbering_el() if self.numbering_el else None, style_num)
        if ilvl is None:
            ilvl = self._numbering.level_for_style(nid, psid)
        return self._numbering.marker(nid, ilvl), self._numbering.indent(nid, ilvl)

    def body_para(self, p, flush: bool = True) -> None:
        rec = self.para(p)
        if rec.mark_deleted and not self.attached:
            if self.carry is not None:
                rec = _joined(self.carry, rec)
            self.carry = rec  # accepted, the deletion of the mark joins it to the next paragraph
            return
        head = None
        if self.carry is not None and not self.attached:
            head, self.carry = self.carry, None
        d = BlockDraft(level_hint=rec.level if head is None else head.level)
        first = head or rec
        text, flags = _with_marker(d, first)
        d.add(first.text, first.src)
        if head is not None:
            d.add(rec.text, rec.src)
            text, flags = text + rec.text, flags + rec.flags
        _style(d, text, flags)
        d.look = (*first.look, d.italic) if first.look else None
        self.drafts.append(d)
        if flush:
            self.flush()

    def end_carry(self) -> None:
        """A deleted paragraph mark before a table or the end: the paragraph stays alone."""
        if self.carry is not None:
            rec, self.carry = self.carry, None
            rec.mark_deleted = False
            d = BlockDraft(level_hint=rec.level)
            text, flags = _with_marker(d, rec)
            d.add(rec.text, rec.src)
            _style(d, text, flags)
            d.look = (*rec.look, d.italic) if rec.look else None
            self.drafts.append(d)

    # ---- containers

    def blocks(self, container, depth: int = 0) -> None:
        for el in container:
            tag = el.tag
            if tag == W_P:
                self.body_para(el)
            elif tag == W_TBL:
                self.end_carry()
                self.table(el)
                self.flush()
            elif tag in (W_SDT, W_SDTCONTENT, W_CUSTOMXML):
                self.blocks(el, depth)

    def _cell_paras(self, tc, depth: int, out: list[_Para]) -> None:
        for el in tc:
            tag = el.tag
            if tag == W_P:
                out.append(self.para(el))
            elif tag == W_TBL:
                if depth + 1 > self.limits.max_table_depth:
                    raise ReadError(
                        "corrupt",
                        detail=f"tables nested more than {self.limits.max_table_depth} deep",
                        detail_vi=f"bảng lồng nhau quá {self.limits.max_table_depth} cấp",
                    )
                for row in self._rows(el):
                    for tc2 in self._cells(row):
                        self._cell_paras(tc2, depth + 1, out)
            elif tag in (W_SDT, W_SDTCONTENT, W_CUSTOMXML):
                self._cell_paras(el, depth, out)

    @staticmethod
    def _rows(tbl):
        for el in tbl:
            if el.tag == W_TR:
                yield el
            elif el.tag in (W_SDT, W_SDTCONTENT, W_CUSTOMXML):
                yield from _Walker._rows(el)

    @staticmethod
    def _cells(tr):
        for el in tr:
            if el.tag == W_TC:
                yield el
            elif el.tag in (W_SDT, W_SDTCONTENT, W_CUSTOMXML):
                yield from _Walker._cells(el)

    def table(self, tbl) -> None:
        self.in_table += 1
        try:
            self._table(tbl)
        finally:
            self.in_table -= 1

    def _table(self, tbl) -> None:
        rows: list[list[_Cell]] = []
        for tr in self._rows(tbl):
            cells: list[_Cell] = []
            trpr = tr.find(W_TRPR)
            if trpr is not None and trpr.find(W_DEL) is not None:
                # a deleted row: gone once accepted (its paragraphs keep their ¶ numbers)
                self.revised = True
                for _ in tr.iter(W_P):
                    self._unit("")
                continue
            if trpr is not None and trpr.find(W_INS) is not None:
                self.revised = True
            before = grid_span(_int_val(trpr.find(_w("gridBefore")) if trpr is not None else None, 0), least=0)
            for _ in range(before):
                cells.append(_Cell())
            for tc in self._cells(tr):
                tcpr = tc.find(W_TCPR)
                span = 1
                cont = False
                if tcpr is not None:
                    span = grid_span(_int_val(tcpr.find(_w("gridSpan")), 1))
                    vm = tcpr.find(_w("vMerge"))
                    if vm is not None and (vm.get(W_VAL) or "continue").lower() == "continue":
                        cont = True
                cell = _Cell(span=span, cont=cont)
                self._cell_paras(tc, 0, cell.paras)
                cells.append(cell)
            rows.append(cells)
        if not rows:
            return
        self.table_id += 1
        tid = self.table_id
        width = max(sum(c.span for c in r) for r in rows)
        # visible cells per row: Word's grid often has more columns than the table shows
        # (cell borders that do not line up from row to row)
        shown = max(sum(1 for c in r if c.paras or c.span > 1 or c.cont) for r in rows)
        layout = self._is_layout(tbl, rows, shown)
        self.layout[tid] = layout
        for r, cells in enumerate(rows):
            col = 0
            for cell in cells:
                self._emit_cell(tid, r, col, cell, layout)
                for k in range(1, cell.span):
                    d = BlockDraft(kind="cell", table=tid, row=r, col=col + k, layout=layout)
                    _anchor(d, cell)
                    self.drafts.append(d)
                col += cell.span
            while col < width:  # w:gridAfter: keep the columns aligned
                d = BlockDraft(kind="cell", table=tid, row=r, col=col, layout=layout)
                if cells:
                    _anchor(d, cells[-1])
                self.drafts.append(d)
                col += 1

    def _is_layout(self, tbl, rows: list[list[_Cell]], ncols: int) -> bool:
        if len(rows) > 4 or ncols > 3:
            return False
        text = "\n".join(p.text for r in rows for c in r for p in c.paras)
        if _LAYOUT_CONTENT.search(text):
            return True
        tblpr = tbl.find(W_TBLPR)
        vis = _borders_visible(tblpr)
        if vis is None:
            sid = None
            if tblpr is not None:
                ts = tblpr.find(_w("tblStyle"))
                if ts is not None:
                    sid = ts.get(W_VAL)
            vis = self.styles.resolve(sid, "borders", "table")
        if vis is None:
            vis = False  # Word's default "Table Normal" has no borders
        if vis:
            return False
        # cell borders drawn one by one also make a grid
        for tc in tbl.iter(W_TC):
            tcpr = tc.find(W_TCPR)
            b = tcpr.find(_w("tcBorders")) if tcpr is not None else None
            if b is not None and any((e.get(W_VAL) or "").lower() not in ("", "nil", "none") for e in b):
                return False
        return True

    def _emit_cell(self, tid: int, r: int, c: int, cell: _Cell, layout: bool) -> None:
        paras = [p for p in cell.paras if p.text.strip()]
        if layout:
            n = 0
            for p in paras:
                # a manual line break inside a header/signature cell separates lines too
                pos = 0
                for k, seg in enumerate(p.text.split("\v")):
                    if seg.strip():
                        d = BlockDraft(kind="cell", table=tid, row=r, col=c, layout=True)
                        if k == 0 and p.marker:
                            d.generated(p.marker, p.src)
                        d.add(seg, p.src + pos)
                        _style(d, seg, p.flags[pos : pos + len(seg)])
                        self.drafts.append(d)
                        n += 1
                    pos += len(seg) + 1
            if not n:
                d = BlockDraft(kind="cell", table=tid, row=r, col=c, layout=True)
                _anchor(d, cell)
                self.drafts.append(d)
            return
        d = BlockDraft(kind="cell", table=tid, row=r, col=c)
        if not paras:
            _anchor(d, cell)
        text_parts: list[str] = []
        flags: list[tuple[bool, bool]] = []
        for j, p in enumerate(paras):
            if j:
                d.synth(" ", p.src)
                text_parts.append(" ")
                flags.append(flags[-1] if flags else (False, False))
            shown, fl = _with_marker(d, p)
            d.add(p.text, p.src)
            text_parts.append(shown)
            flags.extend(fl)
        _style(d, "".join(text_parts), flags)
        self.drafts.append(d)


_LOOK_MAX = 300  # longer paragraphs are never headings whose look PC103 compares
_DEFAULT_TAB = 720  # twips: Word's default tab stops every 1.27 cm


def _text_start(text: str, start: int, size: int) -> int:
    """Where the first visible character of a line starts (twips): leading tabs jump to
    the next default tab stop, leading spaces take about a quarter of an em each (a
    heading pushed right by a tab looks like one indented by the paragraph format)."""
    pos = start
    for ch in text:
        if ch == "\t":
            pos = (pos // _DEFAULT_TAB + 1) * _DEFAULT_TAB
        elif ch in " \u00a0":
            pos += size * 5 // 2
        else:
            break
    return pos


def _inside_box(p, box) -> bool:
    """True if paragraph ``p`` sits in a text box nested inside ``box``."""
    el = p.getparent()
    while el is not None and el is not box:
        if el.tag == W_TXBX:
            return True
        el = el.getparent()
    return False


def _joined(a: _Para, b: _Para) -> _Para:
    """Two paragraphs whose first mark was deleted, as one (b's text follows a's)."""
    return _Para(a.text + b.text, a.src, a.flags + b.flags, a.level, a.marker, a.look, b.mark_deleted)


def _with_marker(d: BlockDraft, p: _Para) -> tuple[str, list[tuple[bool, bool]]]:
    """Put Word's list number (generated, zero width at the paragraph) before the text;
    return the shown text and its flags (the number formatted as the text's start)."""
    if not p.marker:
        return p.text, p.flags
    d.generated(p.marker, p.src)
    return p.marker + p.text, [p.flags[0] if p.flags else (False, False)] * len(p.marker) + p.flags


def _anchor(d: BlockDraft, cell: _Cell) -> None:
    """Give an empty cell a zero-width anchor at its own paragraph (for its location)."""
    if cell.paras:
        d.pieces.append(("", cell.paras[0].src, True))


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W_VAL, default))
    except (TypeError, ValueError):
        return default


def _style(d: BlockDraft, text: str, flags: list[tuple[bool, bool]]) -> None:
    """bold (all non-space text bold), bold_prefix (leading bold run), italic."""
    # the flags of the non-space characters, without a Python step per character (most
    # paragraphs have one flag throughout)
    ns = set(flags)
    if len(ns) == 1:
        if not text[: len(flags)].strip():
            ns = set()
    else:
        ns = set(compress(flags, map(not_, map(str.isspace, text))))
    if not ns:
        return
    d.bold = all(b for b, _ in ns)
    d.italic = all(i for _, i in ns)
    if d.bold:
        return
    i = 0
    n = min(len(text), len(flags))
    while i < n and text[i].isspace():
        i += 1
    lead = i
    last = -1
    while i < n:
        if not text[i].isspace():
            if not flags[i][0]:
                break
            last = i
        i += 1
    if last >= lead:
        d.bold_prefix = len(unicodedata.normalize("NFC", text[lead : last + 1]))


_STYLES_SEEN: OrderedDict[bytes, _Styles] = OrderedDict()  # styles.xml digest -> its table


def _styles_for(document, data: bytes, styles_el) -> _Styles:
    """The style table of a document, shared by documents whose styles part is the same
    bytes (plans of one office come from one template; building it takes ~3 ms)."""
    try:
        from docx.opc.constants import RELATIONSHIP_TYPE

        name = document.part.part_related_by(RELATIONSHIP_TYPE.STYLES).partname.lstrip("/")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            raw = z.read(name)
    except Exception:  # no such member (python-docx made a default part), or a converted file
        return _Styles(styles_el)
    key = hashlib.blake2b(raw, digest_size=20).digest()
    st = _STYLES_SEEN.get(key)
    if st is None:
        st = _Styles(styles_el)
        _STYLES_SEEN[key] = st
        if len(_STYLES_SEEN) > 16:
            _STYLES_SEEN.popitem(last=False)
    else:
        _STYLES_SEEN.move_to_end(key)
    return st


def _related_el(document, reltype: str):
    """The root element of a part related to the document (None when there is none)."""
    try:
        part = document.part.part_related_by(reltype)
        el = getattr(part, "element", None)
        if el is None:
            from docx.oxml.parser import parse_xml

            el = parse_xml(part.blob)
        return el
    except Exception:  # no such part (KeyError), or one that does not parse
        return None


def _notes(document) -> dict:
    """Footnotes and endnotes by (kind, id) (read only when a paragraph cites one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    out = {}
    for kind, rel in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        root = _related_el(document, rel)
        if root is None:
            continue
        for note in root.iter(_w(kind)):
            out[(kind, note.get(_w("id")))] = note
    return out


def _numbering_el(document):
    """numbering.xml's root element, or None (read only when a paragraph is numbered)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    return _related_el(document, RELATIONSHIP_TYPE.NUMBERING)


# --------------------------------------------------------------------------- entry


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        # .docm and templates: python-docx refuses the content type; the XML is the same
        if "content type" not in str(exc).lower() and "not a word file" not in str(exc).lower():
            raise ReadError("corrupt", detail=str(exc), detail_vi=_VI_BROKEN) from exc
        try:
            return docx.Document(io.BytesIO(_as_plain_docx(data)))
        except Exception as exc2:
            raise ReadError("corrupt", detail=str(exc2), detail_vi=_VI_BROKEN) from exc2
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise ReadError("corrupt", detail=str(exc) or type(exc).__name__, detail_vi=_VI_BROKEN) from exc
    except ReadError:
        raise
    except Exception as exc:  # lxml XMLSyntaxError and friends
        raise ReadError("corrupt", detail=f"{type(exc).__name__}: {exc}", detail_vi=_VI_BROKEN) from exc


def _as_plain_docx(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                for ct in (
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
                ):
                    blob = blob.replace(
                        ct, b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
                    )
            dst.writestr(info, blob)
    return out.getvalue()


def read_docx(data: bytes, limits) -> ReadResult:
    """Read a .docx file's bytes (already checked by ``check_zip``) into a ReadResult."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_NAME in data:
            raise ReadError("encrypted")
        raise ReadError(
            "corrupt",
            detail="OLE2 container, not a .docx (a legacy .doc?)",
            detail_vi="tệp OLE, không phải .docx (có thể là .doc cũ)",
        )
    document = _open(data)
    try:
        body = document.element.body
        styles_el = document.styles.element
    except Exception as exc:
        raise ReadError("corrupt", detail=f"{type(exc).__name__}: {exc}", detail_vi=_VI_BROKEN) from exc
    if body is None:
        raise ReadError(
            "corrupt", detail="word/document.xml has no w:body", detail_vi="word/document.xml thiếu phần thân (w:body)"
        )
    walker = _Walker(
        _styles_for(document, data, styles_el),
        limits,
        functools.partial(_numbering_el, document),
        functools.partial(_notes, document),
    )
    try:
        walker.blocks(body)
        walker.end_carry()
        walker.flush()
    except RecursionError as exc:
        raise ReadError("corrupt", detail="document nested too deeply", detail_vi="văn bản lồng nhau quá sâu") from exc
    units = walker.units
    if not any(u.strip() for u in units):
        raise ReadError("empty")
    starts: list[int] = []
    off = 0
    for u in units:
        starts.append(off)
        off += len(u) + 1
    text, blocks, tables, smap = assemble(
        walker.drafts,
        kind="paragraph",
        source="\n".join(units),
        unit_starts=starts,
        unit_locs=walker.locs,
        table_layout=walker.layout,
    )
    if not text.strip():
        raise ReadError("empty")
    issues = [("PC004", {})] if walker.revised else []
    return ReadResult(fmt="docx", text=text, blocks=blocks, tables=tables, sourcemap=smap, issues=issues)
