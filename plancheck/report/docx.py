"""Annotated Word files: one .docx per input with a Word comment on each finding.

A reviewer sends the plan back to the commune with the problems marked in Word.
For a .docx input the output is a copy of the original (the input is only read)
with comments anchored on the exact characters of each excerpt: the source map of
the re-parsed document gives the source paragraph and column of both ends of the
span, and the runs there are split so the comment range starts and ends on run
boundaries. For .txt/.md/.pdf input the output is a clean rendering of the text
(one paragraph per block, tables as tables) whose runs are cut at every finding
boundary, so each comment again covers exactly its excerpt. Findings about the
whole document (empty excerpt) are anchored on the title.

The paragraph walk mirrors ``plancheck.readers.docx`` (body order, table cells and
nested tables, content controls; runs inside hyperlinks, insertions, fields…); a
paragraph whose text differs from the reader's unit falls back to a comment on the
whole paragraph rather than on wrong characters.
"""

from __future__ import annotations

import copy
import os
import unicodedata
from bisect import bisect_right
from pathlib import Path
from typing import Any

from .common import comment_text

AUTHOR = "plancheck"
INITIALS = "PC"


# --------------------------------------------------------------------------- naming


def output_name(path: str, fmt: str) -> str:
    """seed.docx -> seed.annotated.docx; seed.txt -> seed.txt.annotated.docx (no clash between formats)."""
    p = Path(path)
    if fmt == "docx" and p.suffix.lower() in (".docx", ".docm"):
        return f"{p.stem}.annotated.docx"
    return f"{p.name}.annotated.docx"


def _unique(outdir: Path, name: str, taken: set[Path], inputs: set[Path]) -> Path:
    base = name[: -len(".docx")]
    cand = outdir / name
    k = 2
    while cand.resolve() in taken or cand.resolve() in inputs:
        cand = outdir / f"{base}-{k}.docx"
        k += 1
    taken.add(cand.resolve())
    return cand


# --------------------------------------------------------------------------- docx walk


def _ns():
    from docx.oxml.ns import qn

    return qn


def body_paragraphs(body) -> list:
    """``w:p`` elements in the reader's order: body, tables (nested too), content controls."""
    qn = _ns()
    P, TBL, TR, TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
    WRAP = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
    out: list = []

    def rows(tbl):
        for el in tbl:
            if el.tag == TR:
                yield el
            elif el.tag in WRAP:
                yield from rows(el)

    def cells(tr):
        for el in tr:
            if el.tag == TC:
                yield el
            elif el.tag in WRAP:
                yield from cells(el)

    def container(el):
        for ch in el:
            if ch.tag == P:
                out.append(ch)
            elif ch.tag == TBL:
                for tr in rows(ch):
                    for tc in cells(tr):
                        container(tc)
            elif ch.tag in WRAP:
                container(ch)

    container(body)
    return out


def _run_tags():
    qn = _ns()
    return {
        "r": qn("w:r"),
        "t": qn("w:t"),
        "one": {qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")},
        "rpr": qn("w:rPr"),
        "containers": {
            qn(f"w:{t}")
            for t in (
                "hyperlink",
                "smartTag",
                "sdt",
                "sdtContent",
                "customXml",
                "ins",
                "moveTo",
                "fldSimple",
                "dir",
                "bdo",
            )
        },
    }


def _item_len(ch, tags) -> int:
    if ch.tag == tags["t"]:
        return len(ch.text or "")
    if ch.tag in tags["one"]:
        return 1
    return 0


def _item_text(ch, tags) -> str:
    if ch.tag == tags["t"]:
        return ch.text or ""
    if ch.tag in tags["one"]:
        return "\t" if ch.tag.endswith("}tab") or ch.tag.endswith("}ptab") else ("-" if "Hyphen" in ch.tag else "\v")
    return ""


def paragraph_runs(p, tags=None) -> list[tuple[Any, int, int]]:
    """(w:r, start, end) for the text-bearing runs of a paragraph, offsets in the reader's unit text."""
    tags = tags or _run_tags()
    out: list[tuple[Any, int, int]] = []
    pos = 0

    def walk(el):
        nonlocal pos
        for ch in el:
            if ch.tag == tags["r"]:
                n = sum(_item_len(x, tags) for x in ch)
                out.append((ch, pos, pos + n))
                pos += n
            elif ch.tag in tags["containers"]:
                walk(ch)

    walk(p)
    return out


def paragraph_text(p, tags=None) -> str:
    tags = tags or _run_tags()
    parts: list[str] = []

    def walk(el):
        for ch in el:
            if ch.tag == tags["r"]:
                parts.extend(_item_text(x, tags) for x in ch)
            elif ch.tag in tags["containers"]:
                walk(ch)

    walk(p)
    return "".join(parts)


def _split_run(r, k: int, tags) -> Any:
    """Split run ``r`` after its k-th character; return the new right-hand run (inserted after r)."""
    right = copy.deepcopy(r)
    left_items = [c for c in r if c.tag != tags["rpr"]]
    right_items = [c for c in right if c.tag != tags["rpr"]]
    pos = 0
    for cl, cr in zip(left_items, right_items, strict=True):
        n = _item_len(cl, tags)
        if pos + n <= k:
            right.remove(cr)
        elif pos >= k:
            r.remove(cl)
        else:
            cut = k - pos
            text = cl.text or ""
            cl.text, cr.text = text[:cut], text[cut:]
            for el in (cl, cr):
                el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        pos += n
    r.addnext(right)
    return right


def _boundary_runs(p, start: int, end: int, tags) -> tuple[Any, Any] | None:
    """Split runs of paragraph ``p`` so [start, end) is whole runs; return (first, last) run elements."""
    for off in (start, end):
        for r, a, b in paragraph_runs(p, tags):
            if a < off < b:
                _split_run(r, off - a, tags)
                break
    runs = [(r, a, b) for r, a, b in paragraph_runs(p, tags) if b > a]
    inside = [r for r, a, b in runs if a >= start and b <= end]
    if not inside:
        return None
    return inside[0], inside[-1]


def _whole_paragraph(p, tags) -> tuple[Any, Any]:
    runs = [r for r, a, b in paragraph_runs(p, tags) if b > a] or [r for r, _, _ in paragraph_runs(p, tags)]
    if not runs:
        from docx.oxml import OxmlElement

        r = OxmlElement("w:r")
        p.append(r)
        runs = [r]
    return runs[0], runs[-1]


# --------------------------------------------------------------------------- annotate a .docx copy


def _source_points(doc, span) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((unit, column), (unit, end column)) of a span in the docx source (0-based, end exclusive)."""
    sm = doc.sourcemap
    if not sm.unit_starts:
        return None
    a, b = sm.source_range(span)
    u0 = max(0, bisect_right(sm.unit_starts, a) - 1)
    u1 = max(0, bisect_right(sm.unit_starts, max(a, b - 1)) - 1)
    return (u0, a - sm.unit_starts[u0]), (u1, b - sm.unit_starts[u1])


def _unit_text(sm, u: int) -> str:
    a = sm.unit_starts[u]
    b = sm.unit_starts[u + 1] - 1 if u + 1 < len(sm.unit_starts) else len(sm.source)
    return sm.source[a:b]


def annotate_docx(
    src: str | Path, doc, findings: list, out: Path, lang: str = "vi", fixes: dict[str, str] | None = None
) -> int:
    """Copy ``src`` (a .docx) to ``out`` with a comment per finding; return the number of comments.

    ``fixes`` (rule code -> the rule's ``fix``): a finding of such a rule that has a
    suggestion also gets it as a Word tracked change (w:del / w:ins by "plancheck") on
    its excerpt, which the drafting officer accepts or rejects in Word."""
    import docx
    from docx.text.run import Run

    from ..readers.docx import _as_plain_docx

    data = Path(src).read_bytes()
    try:
        document = docx.Document(_io(data))
    except ValueError:  # .docm / templates: same XML, other content type
        document = docx.Document(_io(_as_plain_docx(data)))
    tags = _run_tags()
    paras = body_paragraphs(document.element.body)
    sm = doc.sourcemap
    n = 0
    changes: list[tuple[int, int, int, str]] = []
    for f in findings:
        anchor = None
        span = f.span if f.excerpt.strip() else doc.title_span
        pts = _source_points(doc, span)
        if pts is not None:
            (u0, c0), (u1, c1) = pts
            p0, p1 = _para_of(sm, u0, paras), _para_of(sm, u1, paras)
            if p0 is not None and p1 is not None and _same(paras[p0], sm, u0, tags) and _same(paras[p1], sm, u1, tags):
                if p0 == p1:
                    anchor = _boundary_runs(paras[p0], c0, c1, tags)
                    fix = (fixes or {}).get(f.code)
                    if anchor is not None and fix and f.excerpt.strip():
                        ch = planned_change(f, fix, paragraph_text(paras[p0], tags), c0, c1)
                        if ch is not None:
                            changes.append((p0, *ch))
                else:
                    first = _boundary_runs(paras[p0], c0, 10**9, tags)
                    last = _boundary_runs(paras[p1], 0, c1, tags)
                    if first and last:
                        anchor = (first[0], last[1])
            if anchor is None and p0 is not None:
                anchor = _whole_paragraph(paras[p0], tags)
        if anchor is None:
            anchor = _whole_paragraph(paras[0], tags) if paras else None
        if anchor is None:
            continue
        first, last = Run(anchor[0], document.part), Run(anchor[1], document.part)
        document.add_comment([first, last], text=comment_text(f, lang), author=AUTHOR, initials=INITIALS)
        n += 1
    if changes:
        apply_changes(paras, changes, document.element)
    document.save(str(out))
    return n


def _io(data: bytes):
    import io

    return io.BytesIO(data)


def _para_of(sm, u: int, paras: list) -> int | None:
    loc = sm.unit_locs[u] if sm.unit_locs else u + 1
    i = int(loc) - 1
    return i if 0 <= i < len(paras) else None


def _same(p, sm, u: int, tags) -> bool:
    return paragraph_text(p, tags) == _unit_text(sm, u)


# --------------------------------------------------------------------------- render text as .docx


def render_docx(doc, findings: list, out: Path, lang: str = "vi", fixes: dict[str, str] | None = None) -> int:
    """A clean .docx of a parsed .txt/.md/.pdf document, with a comment per finding (and,
    with ``fixes``, suggestions as tracked changes, as in ``annotate_docx``)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    props = document.core_properties
    props.author = AUTHOR
    # core properties hold at most 255 characters (python-docx raises): a long trích yếu is cut
    props.title = str(doc.metadata.get("title") or Path(doc.path).name)[:255]
    props.comments = f"plancheck: bản dựng từ / rendered from {Path(doc.path).name}"[:255]

    text = doc.text
    title_span = doc.title_span
    spans = [(f.span if f.excerpt.strip() else title_span) for f in findings]
    cuts: dict[int, set[int]] = {}  # block index -> relative cut points
    for b in doc.blocks:
        cuts[b.index] = {0, b.span.end - b.span.start}
        if 0 < b.bold_prefix < b.span.end - b.span.start:
            cuts[b.index].add(b.bold_prefix)
    starts = [b.span.start for b in doc.blocks]

    def block_at(off: int) -> int | None:
        i = bisect_right(starts, off) - 1
        return i if 0 <= i < len(doc.blocks) else None

    for s in spans:
        for off in (s.start, s.end):
            i = block_at(off)
            if i is None:
                continue
            b = doc.blocks[i]
            if b.span.start <= off <= b.span.end:
                cuts[i].add(off - b.span.start)

    runs: dict[int, list[tuple[int, int, Any]]] = {}  # block -> [(abs start, abs end, w:r)]

    def fill(paragraph, b) -> None:
        pts = sorted(cuts[b.index])
        seg: list[tuple[int, int, Any]] = []
        for a, c in zip(pts, pts[1:], strict=False):
            run = paragraph.add_run(text[b.span.start + a : b.span.start + c])
            if b.bold or (b.bold_prefix and c <= b.bold_prefix):
                run.bold = True
            if getattr(b, "italic", False):
                run.italic = True
            seg.append((b.span.start + a, b.span.start + c, run._r))
        if not seg:
            run = paragraph.add_run("")
            seg.append((b.span.start, b.span.start, run._r))
        runs[b.index] = seg

    done_tables: set[int] = set()
    for b in doc.blocks:
        if b.table is not None and b.kind == "cell":
            if b.table in done_tables or b.table >= len(doc.tables):
                continue
            done_tables.add(b.table)
            t = doc.tables[b.table]
            ncols = max((len(r) for r in t.rows), default=1) or 1
            table = document.add_table(rows=len(t.rows), cols=ncols)
            if t.region != "layout":
                try:
                    table.style = "Table Grid"
                except (KeyError, ValueError):
                    pass
            # the cells of each new row read once (table.cell(r, c) rebuilds the whole grid)
            for row, trow in zip(t.rows, table.rows, strict=True):
                cells = trow.cells
                for ci, bi in enumerate(row):
                    fill(cells[ci].paragraphs[0], doc.blocks[bi])
            continue
        paragraph = document.add_paragraph()
        if b.region == "title" or (b.level_hint == 1 and b.bold):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fill(paragraph, b)

    from docx.text.run import Run

    n = 0
    changes: list[tuple[int, int, int, str]] = []
    para_of_block: dict[int, int] = {}
    paras: list = []
    for f, s in zip(findings, spans, strict=True):
        anchor = _render_anchor(doc, runs, s, block_at)
        if anchor is None:
            continue
        fix = (fixes or {}).get(f.code)
        i = block_at(s.start)
        if fix and f.excerpt.strip() and i is not None and s.end <= doc.blocks[i].span.end:
            b = doc.blocks[i]
            p = runs[b.index][0][2].getparent()
            ch = planned_change(f, fix, text[b.span.start : b.span.end], s.start - b.span.start, s.end - b.span.start)
            if ch is not None:
                if b.index not in para_of_block:
                    para_of_block[b.index] = len(paras)
                    paras.append(p)
                changes.append((para_of_block[b.index], *ch))
        document.add_comment(
            [Run(anchor[0], document.part), Run(anchor[1], document.part)],
            text=comment_text(f, lang),
            author=AUTHOR,
            initials=INITIALS,
        )
        n += 1
    if changes:
        apply_changes(paras, changes, document.element)
    document.save(str(out))
    return n


def _render_anchor(doc, runs, span, block_at) -> tuple[Any, Any] | None:
    segs = [x for b in doc.blocks if b.span.end > span.start and b.span.start < span.end for x in runs.get(b.index, [])]
    segs = [x for x in segs if x[1] > x[0] and x[0] >= span.start and x[1] <= span.end]
    if segs:
        return segs[0][2], segs[-1][2]
    i = block_at(span.start)
    if i is None and doc.blocks:
        i = 0
    if i is None or i not in runs:
        return None
    seg = runs[i]
    return seg[0][2], seg[-1][2]


# --------------------------------------------------------------------------- suggestions as tracked changes

_DATE = None


def planned_change(f: Any, fix: str | None, text: str, c0: int, c1: int) -> tuple[int, int, str] | None:
    """The tracked change of a finding in its paragraph: (start, end, new text), or None.

    ``text`` is the paragraph's text and [c0, c1) the finding's excerpt in it. ``fix`` is
    the rule's ``fix`` (rule YAML): ``replace`` the excerpt by the suggestion (only the
    words that differ are marked), ``replace_date`` the one date in the excerpt by the
    suggested date, ``delete`` the excerpt (with the space before it).
    """
    global _DATE
    if not fix or c1 <= c0:
        return None
    old = text[c0:c1]
    new = f.suggestion
    if fix == "delete":
        a = c0 - 1 if c0 > 0 and text[c0 - 1] == " " else c0
        b = c1 if a < c0 or c1 >= len(text) or text[c1] != " " else c1 + 1
        return (a, b, "")
    if not new or new == old:
        return None
    if fix == "replace_date":
        if _DATE is None:
            import re

            _DATE = re.compile(r"(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}(?!\d)")
        dates = list(_DATE.finditer(old))
        if len(dates) != 1:
            return None
        m = dates[0]
        return (c0 + m.start(), c0 + m.end(), new)
    if fix != "replace":
        return None
    # only the words that differ: common leading and trailing words kept
    ow, nw = old.split(" "), new.split(" ")
    i = 0
    while i < min(len(ow), len(nw)) - 1 and ow[i] == nw[i]:
        i += 1
    j = 0
    while j < min(len(ow), len(nw)) - i - 1 and ow[-1 - j] == nw[-1 - j]:
        j += 1
    a = c0 + sum(len(w) + 1 for w in ow[:i])
    b = c1 - sum(len(w) + 1 for w in ow[len(ow) - j :]) if j else c1
    return (a, b, " ".join(nw[i : len(nw) - j]))


def _rule_fixes(report) -> dict[str, str]:
    """Rule code -> ``fix`` for the rules of the run (built-in and extra-rules)."""
    from ..rulebook import load_rules

    opts = getattr(report, "options", None)
    try:
        rules = load_rules(opts.extra_rules if opts is not None else ())
    except Exception:  # the run already loaded them; a failure here only costs the tracked changes
        return {}
    return {r.code: r.fix for r in rules if r.fix}


def _tracked(tag: str, rid: int, when: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    el.set(qn("w:id"), str(rid))
    el.set(qn("w:author"), AUTHOR)
    el.set(qn("w:date"), when)
    return el


def apply_change(p, a: int, b: int, new: str, rid: int, when: str, tags) -> int:
    """Mark [a, b) of paragraph ``p`` deleted and ``new`` inserted after it, as Word tracked
    changes authored "plancheck"; return how many revision ids were used (0: not applied)."""
    from docx.oxml.ns import qn

    if a == b:  # a pure insertion goes before the character at a
        runs = [(r, x, y) for r, x, y in paragraph_runs(p, tags) if y > x]
        hit = [(r, x) for r, x, y in runs if x <= a < y]
        if not hit or not new:
            return 0
        r, x = hit[0]
        if a > x:
            r = _split_run(r, a - x, tags)
        ins = _tracked("w:ins", rid, when)
        ins.append(_new_run(r, new, tags))
        r.addprevious(ins)
        return 1
    bounds = _boundary_runs(p, a, b, tags)
    if bounds is None:
        return 0
    first, last = bounds
    chain = [first]
    if first is not last:
        for el in first.itersiblings():
            chain.append(el)
            if el is last:
                break
        else:
            return 0  # not siblings (a hyperlink, a field): left as a comment only
    runs = [el for el in chain if el.tag == tags["r"]]
    for r in runs:
        if any(ch.tag not in (tags["t"], tags["rpr"]) and ch.tag not in tags["one"] for ch in r):
            return 0  # a field, a drawing, a comment reference: never deleted
    used = 0
    for r in runs:
        d = _tracked("w:del", rid + used, when)
        used += 1
        r.addprevious(d)
        d.append(r)
        for t in r.findall(tags["t"]):
            t.tag = qn("w:delText")
    if new:
        ins = _tracked("w:ins", rid + used, when)
        used += 1
        ins.append(_new_run(first, new, tags))
        last.getparent().addnext(ins)
    return used


def _new_run(model, text: str, tags):
    """A run with ``model``'s formatting and ``text``."""
    from docx.oxml import OxmlElement

    r = OxmlElement("w:r")
    rpr = model.find(tags["rpr"])
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def apply_changes(paras: list, changes: list[tuple[int, int, int, str]], root) -> int:
    """Apply (paragraph, start, end, new) changes, last first in each paragraph so earlier
    offsets stay valid; overlapping ones are skipped. Return the number applied."""
    from datetime import UTC, datetime

    tags = _run_tags()
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = [int(v) for v in root.xpath("//@w:id") if str(v).lstrip("-").isdigit()]
    rid = max(ids, default=0) + 1000
    n = 0
    done: dict[int, int] = {}  # paragraph -> start of the last change applied
    for pi, a, b, new in sorted(changes, key=lambda c: (c[0], -c[1], -c[2])):
        if b > done.get(pi, 10**9):
            continue
        used = apply_change(paras[pi], a, b, new, rid, when, tags)
        if used:
            rid += used
            n += 1
            done[pi] = a
    return n


# --------------------------------------------------------------------------- batch entry point


def annotate_all(report, paths, outdir: str | os.PathLike, lang: str = "vi", track_changes: bool = True) -> list[Path]:
    """Write one annotated .docx per readable document of ``report`` into ``outdir``
    (with ``track_changes``, suggestions also as Word tracked changes)."""
    from ..engine import iter_inputs
    from ..parse import parse

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    files = [str(p) for p in iter_inputs(paths)]
    if len(files) != len(report.documents):
        files = [d.path for d in report.documents]
    inputs = {Path(f).resolve() for f in files}
    fixes = _rule_fixes(report) if track_changes else {}
    taken: set[Path] = set()
    written: list[Path] = []
    for d, src in zip(report.documents, files, strict=True):
        if d.error:
            report.notes.append(f"annotate: bỏ qua tệp không đọc được / skipped unreadable {d.path}")
            continue
        try:
            doc = parse(src)
        except Exception as exc:  # unreadable now (moved, changed): say so, go on
            report.notes.append(f"annotate: {d.path}: {type(exc).__name__}: {exc}")
            continue
        out = _unique(outdir, output_name(src, doc.format), taken, inputs)
        findings = list(d.findings)
        if doc.format == "docx":
            annotate_docx(src, doc, findings, out, lang, fixes if track_changes else None)
        else:
            render_docx(doc, findings, out, lang, fixes if track_changes else None)
        written.append(out)
    report.notes.append(f"annotate: {len(written)} tệp .docx có góp ý trong / annotated .docx file(s) in {outdir}")
    return written


# --------------------------------------------------------------------------- reading back


def read_comments(path: str | os.PathLike) -> list[dict[str, Any]]:
    """Every comment of a .docx with its author, text and anchored text (document order of anchors).

    Used by the tests and by anyone checking an annotated file: the anchor text is the
    text between ``w:commentRangeStart`` and ``w:commentRangeEnd`` (paragraph breaks as
    "\\n", tabs as "\\t"), NFC-normalised. It is the text the comment was written about:
    plancheck's own tracked changes are read as not yet accepted (its deleted words
    count, its inserted ones do not); the document's earlier revisions as the reader
    reads them (insertions count, deletions do not).
    """
    import docx
    from lxml import etree

    qn = _ns()
    document = docx.Document(str(path))
    by_id = {c.comment_id: c for c in document.comments}
    START, END, P, R, T, DEL, INS, DELTEXT = (
        qn("w:commentRangeStart"),
        qn("w:commentRangeEnd"),
        qn("w:p"),
        qn("w:r"),
        qn("w:t"),
        qn("w:del"),
        qn("w:ins"),
        qn("w:delText"),
    )
    AUTH = qn("w:author")
    TAB, BR = {qn("w:tab"), qn("w:ptab")}, {qn("w:br"), qn("w:cr")}
    open_ids: list[int] = []
    anchors: dict[int, list[str]] = {}
    order: list[int] = []
    in_del = 0
    for event, el in etree.iterwalk(document.element.body, events=("start", "end")):
        tag = el.tag
        if tag in (DEL, INS):
            ours = el.get(AUTH) == AUTHOR
            if (tag == DEL) != ours:  # an earlier deletion, or our insertion: not read
                in_del += 1 if event == "start" else -1
            continue
        if event == "start":
            if tag == START:
                cid = int(el.get(qn("w:id")))
                open_ids.append(cid)
                anchors.setdefault(cid, [])
                order.append(cid)
            elif tag == END:
                cid = int(el.get(qn("w:id")))
                if cid in open_ids:
                    open_ids.remove(cid)
            elif not in_del and el.getparent() is not None and el.getparent().tag == R:
                s = (el.text or "") if tag in (T, DELTEXT) else "\t" if tag in TAB else "\n" if tag in BR else ""
                for cid in open_ids:
                    anchors[cid].append(s)
        elif tag == P:
            for cid in open_ids:
                anchors[cid].append("\n")
    out = []
    for cid in order:
        c = by_id.get(cid)
        if c is None:
            continue
        out.append(
            {
                "id": cid,
                "author": c.author,
                "initials": c.initials,
                "text": c.text,
                "anchor": unicodedata.normalize("NFC", "".join(anchors[cid])).strip("\n"),
            }
        )
    return out
