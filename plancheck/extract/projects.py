"""Project and sub-project mentions of a plan, the sections that implement them, and coverage.

A plan names the program's projects in headings ("2.1. Dự án 2: …", "b) Tiểu dự án 3:
…", "Tiểu dự án 1: … (Dự án 3: …)"), in running text ("Tiểu dự án 1, 2 thuộc Dự án
7"), and sometimes by name alone ("1. Dự án đa dạng hóa sinh kế…"). Each mention is
resolved against the period's catalog twice, by its number and by its name, so the
rules can tell a covered item from a mis-numbered one. Mentions inside a section
about another program (the ethnic-minority program's "Dự án 1") never count.

Everything is computed once per document (``analysis(doc)``, memoised) and shared by
PC401–PC404, PC501–PC502, the scope metadata and ``plancheck extract``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from ..model import Document, Span
from .programs import (
    NAME_AGREES,
    NAME_BARE,
    NAME_MATCH,
    Catalog,
    Item,
    best_items,
    item_id,
    load_program_names,
    name_score,
    norm_name,
)

_NUM = r"\d{1,2}(?![\p{L}\d]|[.,/]\d)"
_NUMLIST = r"\d{1,2}(?:\s*(?:,|và|&)\s*\d{1,2})*(?![\p{L}\d]|[.,/]\d)"
MENTION = regex.compile(
    rf"(?P<subof>(?i:tiểu\s+dự\s+án)\s+(?P<subs>{_NUMLIST})\s*(?:\(\s*)?(?i:thuộc|của)\s+(?i:dự\s+án)\s+(?P<p1>{_NUM}))"
    rf"|(?P<sub>(?i:tiểu\s+dự\s+án)\s+(?P<s2>{_NUM}))"
    rf"|(?P<proj>(?<!(?i:tiểu)\s{{1,3}})(?i:dự\s+án)\s+(?P<projs>{_NUMLIST}))",
    regex.V1,
)
# "(Dự án 3: Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng)" right after a sub-project
PAREN_PARENT = regex.compile(
    rf"\s*\(\s*(?i:thuộc\s+)?(?i:dự\s+án)\s+(?P<p>{_NUM})\s*(?:[:\-–]\s*(?P<pname>[^)]*))?\)", regex.V1
)
# "Dự án đa dạng hóa sinh kế…" / "Tiểu dự án hỗ trợ việc làm…": a name with no number
NAMED = regex.compile(r"^(?P<w>(?i:tiểu\s+dự\s+án|dự\s+án))\s+(?P<name>(?![\d(])\p{L}.{3,})", regex.V1 | regex.S)
_NAME_LEAD = regex.compile(r"[ \t]*(?:[:\-–][ \t]*|(?=[“\"]))")
_NAME_LEAD_DOT = regex.compile(r"\.[ \t]+(?=\p{Lu})", regex.V1)  # "Dự án 2. Đa dạng hóa…" in a heading
_NAME_STOP = regex.compile(
    r"[(;\t\n]|\.(?=\s|$)|:(?=\s*\()|,?\s+(?i:và\s+)?(?i:tiểu\s+dự\s+án|dự\s+án)\s+\d|,\s*(?=“)", regex.V1
)
_BULLET = regex.compile(r"^[\s\-–+*•·]+")
_CLAUSE_END = regex.compile(r"[;!?]|\.(?=\s|$)")
IMPLEMENT = regex.compile(
    r"(?i)\b(?:thực\s+hiện|triển\s+khai|phụ\s+trách|chủ\s+trì|quản\s+lý|tổ\s+chức|hướng\s+dẫn|giao|phối\s+hợp|"
    r"lồng\s+ghép|liên\s+hệ|đơn\s+vị|phân\s+công)\b",
    regex.V1,
)
_CITATION = regex.compile(
    r"\d+/(?:\d{4}/)?[\p{Lu}Đ]{2,}|(?i:\b(?:thông\s+tư|nghị\s+định|quyết\s+định|công\s+văn|nghị\s+quyết)\s+số)",
    regex.V1,
)
NOT_APPLICABLE = regex.compile(
    r"\(\s*không\s+có\s*\)"
    r"|không\s+(?:thực\s+hiện|triển\s+khai|áp\s+dụng|tổ\s+chức\s+thực\s+hiện|được\s+(?:phân\s+bổ|giao|thụ\s+hưởng))"
    r"|không\s+thuộc\s+(?:diện\s+|danh\s+sách\s+)?(?:các\s+)?(?:huyện|xã|thôn|địa\s+bàn|vùng|đối\s+tượng)"
    r"|không\s+có\s+(?:các\s+)?(?:huyện|xã|thôn|bản|vùng|địa\s+bàn|đối\s+tượng)\s+(?:nghèo|đặc\s+biệt|bãi\s+ngang|khó\s+khăn|thụ\s+hưởng)",
    regex.V1 | regex.IGNORECASE,
)
# The plan says the locality is in an area an item is restricted to (RULES.md PC401).
AREA_CLAIMS = {
    "HN": regex.compile(
        r"(?<!không\s)(?:là|thuộc)\s+(?:danh\s+sách\s+)?(?:các\s+|một\s+trong\s+các\s+)?huyện\s+nghèo", regex.I
    ),
    "XBN": regex.compile(
        r"(?<!không\s)(?:là|thuộc)\s+(?:các\s+)?xã\s+đặc\s+biệt\s+khó\s+khăn\s+vùng\s+bãi\s+ngang", regex.I
    ),
    "X135": regex.compile(
        r"(?<!không\s)(?:là|thuộc)\s+(?:các\s+)?(?:xã\s+đặc\s+biệt\s+khó\s+khăn|xã\s+khu\s+vực\s+III|xã\s+an\s+toàn\s+khu)",
        regex.I,
    ),
}
_PROGRAM_WORD = r"(?:Chương\s+trình|CTMTQG|CT\s*MTQG)\s+(?:(?:mục\s+tiêu\s+quốc\s+gia|MTQG)\s+)?(?:về\s+)?[^.;:]{0,60}?"


_DIGITS = regex.compile(r"\d+")
_BASIS = regex.compile(r"\s*(?:Căn\s+cứ|Theo)\b")


@dataclass(frozen=True)
class Mention:
    """One place where the plan names a project or sub-project."""

    span: Span
    block: int
    kind: str  # heading | list | text | cell
    project: int | None  # as written, or from the enclosing project heading
    sub: int | None
    parent_from: str | None  # written | parens | context (for sub-projects)
    name: str | None = None
    by_number: str | None = None  # catalog item of the written numbers (if it exists)
    by_name: str | None = None  # best catalog item for the written name (score >= NAME_MATCH)
    name_best: float = 0.0
    name_fit: float | None = None  # score of the written name against the numbered item
    item: str | None = None  # item this mention credits
    implements: bool = True  # heading/list, or a sentence saying the plan carries it out
    na: bool = False
    na_reason: str | None = None
    excluded: str | None = None  # other_program | citation
    section: Span | None = None  # for headings: the section it opens

    @property
    def credits(self) -> bool:
        return self.item is not None and self.excluded is None and self.implements


@dataclass
class Analysis:
    catalog: Catalog | None
    mentions: list[Mention] = field(default_factory=list)
    excluded_sections: list[tuple[Span, str]] = field(default_factory=list)
    areas: tuple[str, ...] = ()  # areas the locality qualifies for (plan text or config)
    area_sources: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------ helpers


def _program_res():
    names = load_program_names()
    progs = {p["key"]: p for p in names["programs"]}
    other = [p["marker"] for k, p in progs.items() if k not in ("gnbv", "merged")]
    return (
        regex.compile(_PROGRAM_WORD + "(?:" + "|".join(other) + ")", regex.I | regex.V1),
        regex.compile(_PROGRAM_WORD + "(?:" + progs["gnbv"]["marker"] + ")", regex.I | regex.V1),
        regex.compile(progs["merged"]["marker"], regex.I | regex.V1),
    )


_RES: tuple | None = None


def program_res():
    """(another program named, the poverty program named, the merged 2026 program named)."""
    global _RES
    if _RES is None:
        _RES = _program_res()
    return _RES


def names_other_program(text: str) -> bool:
    other, own, merged = program_res()
    return bool(other.search(text)) and not own.search(text) and not merged.search(text)


def _numbers(s: str) -> list[int]:
    return [int(x) for x in _DIGITS.findall(s)]


def _name_after(text: str, pos: int, heading: bool = False) -> tuple[int, int] | None:
    """Offsets of the written name following a mention at ``pos`` (after ':' or '-'; in a
    heading also after '. ')."""
    m = (_NAME_LEAD_DOT.match(text, pos) if heading else None) or _NAME_LEAD.match(text, pos)
    if not m or m.end() >= len(text):
        return None
    start = m.end()
    if m.group(0).strip() == "" and text[start : start + 1] not in ("“", '"'):
        return None
    if text[start] in '“"':
        close = "”" if text[start] == "“" else '"'
        end = text.find(close, start + 1)
        if end < 0:
            end = len(text)
        return (start + 1, end) if end > start + 1 else None
    stop = _NAME_STOP.search(text, start)
    end = stop.start() if stop else len(text)
    end = min(end, start + 300)
    while end > start and text[end - 1] in " .:;,*–-":
        end -= 1
    return (start, end) if end - start >= 3 else None


def _clause(text: str, pos: int) -> tuple[int, int]:
    a = 0
    for m in _CLAUSE_END.finditer(text, 0, pos):
        a = m.end()
    m = _CLAUSE_END.search(text, pos)
    return a, (m.start() if m else len(text))


def _na_in(text: str, offset: int = 0) -> tuple[bool, str | None]:
    m = NOT_APPLICABLE.search(text)
    if not m:
        return False, None
    # reason: the parenthesis holding the statement, else its clause
    lp = text.rfind("(", 0, m.start() + 1)
    rp = text.find(")", m.start())
    if 0 <= lp <= m.start() and rp > m.start() and ")" not in text[lp + 1 : m.start()]:
        reason = text[lp + 1 : rp]
    else:
        a, b = _clause(text, m.start())
        reason = text[a:b]
    reason = " ".join(reason.split()).strip(" .:;,")
    return True, reason[:240] or m.group(0)


def _strip_marker(doc: Document, b, heading_by_block: dict) -> tuple[int, bool, bool]:
    """Offset (in block text) where content starts; is it an outline entry; is it a bullet."""
    t = doc.block_text(b)
    h = heading_by_block.get(b.index)
    if h is not None:
        off = h.marker_span.end - b.span.start
        rest = t[off:]
        m = _BULLET.match(rest)
        return off + (m.end() if m else len(rest) - len(rest.lstrip())), True, False
    m = _BULLET.match(t)
    if m:
        bullet = bool(t[: m.end()].strip())
        return m.end(), False, bullet
    return 0, False, False


# ------------------------------------------------------------------ extraction


def _excluded_sections(doc: Document) -> list[tuple[Span, str]]:
    out = []
    hs = doc.outline.headings
    end = len(doc.text)
    for i, h in enumerate(hs):
        if names_other_program(h.title[:400]):
            out.append((Span(h.span.start, doc.outline.section_end(i, end)), "other_program"))
    return out


def _in(spans: list[tuple[Span, str]], pos: int) -> str | None:
    for sp, why in spans:
        if sp.start <= pos < sp.end:
            return why
    return None


@dataclass
class _Raw:
    start: int
    end: int
    block: int
    kind: str
    project: int | None
    sub: int | None
    parent_from: str | None
    name: str | None
    name_only: str | None = None  # "project" | "sub" for name-only headings
    implements: bool = True
    na: bool = False
    na_reason: str | None = None
    excluded: str | None = None
    section_end: int | None = None
    rank: int = 0


def _raw_mentions(doc: Document, catalog: Catalog | None, excluded: list[tuple[Span, str]]) -> list[_Raw]:
    from .agencies import tcth_headings

    hb = {h.block: h for h in doc.outline.headings}
    hs = doc.outline.headings
    # in Tổ chức thực hiện, naming a project next to an agency assigns it
    tcth = [Span(hs[i].span.start, doc.outline.section_end(i, len(doc.text))) for i in tcth_headings(doc)]
    raws: list[_Raw] = []
    for b in doc.blocks:
        is_cell = b.kind == "cell"
        if not (b.kind == "paragraph" and b.region == "body") and not (is_cell and b.region in ("body", "annex")):
            continue
        text = doc.block_text(b)
        if "án" not in text and "ÁN" not in text:
            continue
        base = b.span.start
        if is_cell:
            raws.extend(_cell_mentions(doc, b, text, excluded))
            continue
        off, in_outline, bullet = _strip_marker(doc, b, hb)
        content = text[off:]
        head_like = (
            in_outline
            or b.bold
            or b.level_hint > 0
            or (len(content) <= 250 and not content.rstrip().endswith((".", ";")))
        )
        excl_block = _in(excluded, base)
        consumed: list[tuple[int, int]] = []
        first = True
        for m in MENTION.finditer(text, off):
            if any(a <= m.start() < z for a, z in consumed):
                continue
            at_start = first and m.start() == off
            first = False
            kind = "text"
            if at_start:
                kind = "list" if bullet and not (b.bold or b.level_hint) else "heading" if head_like else "text"
            if m.group("subof"):
                proj = int(m.group("p1"))
                subs = _numbers(m.group("subs"))
                pairs = [(proj, s, "written") for s in subs]
            elif m.group("sub"):
                pairs = [(None, int(m.group("s2")), None)]
            else:
                pairs = [(p, None, None) for p in _numbers(m.group("projs"))]
            end = m.end()
            name = None
            single = len(pairs) == 1
            nm = _name_after(text, m.end(), heading=kind in ("heading", "list")) if single else None
            if nm:
                name = text[nm[0] : nm[1]]
                end = nm[1]
            if single and pairs[0][1] is not None and pairs[0][0] is None:
                pp = PAREN_PARENT.match(text, end)
                if pp:
                    pairs = [(int(pp.group("p")), pairs[0][1], "parens")]
                    consumed.append((pp.start(), pp.end()))
                    if name is None:  # "Tiểu dự án 1 (Dự án 6): Giảm nghèo về thông tin"
                        nm = _name_after(text, pp.end(), heading=kind in ("heading", "list"))
                        if nm:
                            name, end = text[nm[0] : nm[1]], nm[1]
            # what the sentence around says
            ca, cz = _clause(text, m.start())
            clause = text[ca:cz]
            why = excl_block
            if why is None and kind == "text" and names_other_program(clause):
                why = "other_program"
            implements = True
            if kind == "text":
                pre = text[ca : m.start()]
                if _CITATION.search(pre) or _BASIS.match(text):
                    why = why or "citation"
                implements = bool(IMPLEMENT.search(clause)) or any(sp.start <= base < sp.end for sp in tcth)
            if kind in ("heading", "list"):
                na, reason = _na_in(text[end:])
            else:
                na, reason = _na_in(clause)
            for p, s, pf in pairs:
                raws.append(
                    _Raw(
                        start=base + m.start(),
                        end=base + end,
                        block=b.index,
                        kind=kind,
                        project=p,
                        sub=s,
                        parent_from=pf,
                        name=name,
                        implements=implements,
                        na=na,
                        na_reason=reason,
                        excluded=why,
                    )
                )
        if first and catalog is not None and head_like and (in_outline or b.bold or len(content) <= 200):
            # no numbered mention: a heading that names an item ("1. Dự án đa dạng hóa sinh kế…")
            nm = NAMED.match(content)
            if nm:
                a = off + nm.start("name")
                stop = _NAME_STOP.search(text, a)
                z = stop.start() if stop else len(text)
                name = text[a:z].strip(" .:;,*")
                word = "sub" if nm.group("w").lower().startswith("tiểu") else "project"
                raws.append(
                    _Raw(
                        start=base + off,
                        end=base + a + len(name),
                        block=b.index,
                        kind="list" if bullet and not (b.bold or b.level_hint) else "heading",
                        project=None,
                        sub=None,
                        parent_from=None,
                        name=name,
                        name_only=word,
                        excluded=excl_block,
                    )
                )
            elif in_outline and hb[b.index].is_heading:
                title = content.split(":")[0].strip(" .*")
                if 6 <= len(title) <= 200 and not title.isupper():
                    ranked = best_items(title, catalog, 1)
                    if ranked and ranked[0][1] >= NAME_BARE:
                        it = ranked[0][0]
                        raws.append(
                            _Raw(
                                start=base + off,
                                end=base + off + len(title),
                                block=b.index,
                                kind="heading",
                                project=None,
                                sub=None,
                                parent_from=None,
                                name=title,
                                name_only="sub" if it.is_sub else "project",
                                excluded=excl_block,
                            )
                        )
        # not-applicable text in a short section body is attached later (needs sections)
    return raws


def _cell_mentions(doc: Document, b, text: str, excluded: list[tuple[Span, str]]) -> list[_Raw]:
    """ "Dự án 2" in a table row (a budget or assignment table): it credits the item when
    its name, if any, agrees with its number; tables never feed the naming rules."""
    out = []
    row_text = text
    if b.table is not None and b.row is not None and b.table < len(doc.tables):
        t = doc.tables[b.table]
        if b.row < len(t.rows):
            row_text = " ".join(doc.block_text(doc.blocks[i]) for i in t.rows[b.row])
    why = _in(excluded, b.span.start) or ("other_program" if names_other_program(row_text) else None)
    for m in MENTION.finditer(text):
        if m.group("subof"):
            pairs = [(int(m.group("p1")), s, "written") for s in _numbers(m.group("subs"))]
        elif m.group("sub"):
            pairs = [(None, int(m.group("s2")), None)]
        else:
            pairs = [(p, None, None) for p in _numbers(m.group("projs"))]
        nm = _name_after(text, m.end()) if len(pairs) == 1 else None
        end = nm[1] if nm else m.end()
        for p, s, pf in pairs:
            out.append(
                _Raw(
                    start=b.span.start + m.start(),
                    end=b.span.start + end,
                    block=b.index,
                    kind="cell",
                    project=p,
                    sub=s,
                    parent_from=pf,
                    name=text[nm[0] : nm[1]] if nm else None,
                    excluded=why,
                )
            )
    return out


def _sections(doc: Document, raws: list[_Raw], catalog: Catalog | None) -> None:
    """Give each heading mention its rank and the end of the section it opens."""
    hs = doc.outline.headings
    hb = {h.block: i for i, h in enumerate(hs)}
    end_doc = len(doc.text)
    heads = [r for r in raws if r.kind == "heading" and r.excluded is None]
    for r in heads:
        if r.name_only:
            r.rank = 2 if r.name_only == "sub" else 1
        else:
            r.rank = 2 if r.sub is not None else 1
    # enclosing outline end for each heading block
    for r in heads:
        if r.block in hb:
            oend = doc.outline.section_end(hb[r.block], end_doc)
        else:
            oend = end_doc
            for i in range(len(hs) - 1, -1, -1):
                h = hs[i]
                if h.span.start <= r.start:
                    e = doc.outline.section_end(i, end_doc)
                    if e > r.start:
                        oend = e
                        break
        nxt = next(
            (q.start for q in heads if q.start > r.start and q.block != r.block and q.rank <= r.rank),
            end_doc,
        )
        r.section_end = min(oend, nxt)
    for r in raws:
        if r.kind == "list":
            b = doc.blocks[r.block]
            r.section_end = b.span.end


def _body_na(doc: Document, r: _Raw) -> tuple[bool, str | None]:
    """A short section body that only says the item is not carried out."""
    b0 = doc.blocks[r.block]
    blocks = []
    for b in doc.blocks[r.block + 1 : r.block + 4]:
        if b.span.start >= (r.section_end or 0):
            break
        if b.kind == "paragraph":
            blocks.append(b)
    text = " ".join(doc.block_text(b) for b in blocks)
    if not blocks or len(blocks) > 2 or len(text) > 400 or b0.span.end >= (r.section_end or 0):
        return False, None
    return _na_in(text)


def _context_project(heads: list[_Raw], pos: int, block: int) -> int | None:
    best = None
    for r in heads:
        if r.block == block and r.start >= pos:
            continue
        if r.start <= pos < (r.section_end or r.start) and r.project is not None:
            if r.sub is None or r.parent_from in ("written", "parens"):
                if best is None or r.start >= best.start:
                    best = r
    return best.project if best is not None else None


def _resolve(raw: _Raw, catalog: Catalog | None) -> Mention:
    by_number = None
    by_name = None
    best = 0.0
    fit = None
    item = None
    if catalog is not None and catalog.known:
        if raw.project is not None:
            key = item_id(raw.project, raw.sub)
            if key in catalog.items:
                by_number = key
        if raw.name:
            g = norm_name(raw.name)
            ranked = best_items(raw.name, catalog, 2)
            if ranked:
                top, best = ranked[0]
                if best >= NAME_MATCH:
                    by_name = top.id
            if by_number:
                fit = name_score(g, catalog.items[by_number])
        if raw.kind == "cell" and by_name and by_name != by_number and (fit or 0) < NAME_AGREES:
            item = None  # a table row whose name and number disagree: do not guess
        elif raw.name_only:
            item = by_name
        elif by_name and by_name != by_number and (by_number is None or (fit or 0) < NAME_AGREES):
            item = by_name
        else:
            item = by_number
    return Mention(
        span=Span(raw.start, raw.end),
        block=raw.block,
        kind=raw.kind,
        project=raw.project,
        sub=raw.sub,
        parent_from=raw.parent_from,
        name=raw.name,
        by_number=by_number,
        by_name=by_name,
        name_best=round(best, 1),
        name_fit=None if fit is None else round(fit, 1),
        item=item,
        implements=raw.implements,
        na=raw.na,
        na_reason=raw.na_reason,
        excluded=raw.excluded,
        section=Span(raw.start, raw.section_end) if raw.section_end else None,
    )


def _areas(doc: Document, meta: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, str]]:
    over = (meta.get("_overrides") or {}).get("locality_areas") or meta.get("locality_areas")
    found: dict[str, str] = {}
    if over:
        for a in over:
            found[str(a)] = "config"
    for b in doc.blocks:
        if b.region not in ("body", "title", "preamble") or b.kind != "paragraph":
            continue
        t = doc.block_text(b)
        if "nghèo" not in t and "khó khăn" not in t and "an toàn khu" not in t:
            continue
        for code, rx in AREA_CLAIMS.items():
            if code not in found:
                m = rx.search(t)
                if m and not NOT_APPLICABLE.search(t[max(0, m.start() - 60) : m.end() + 60]):
                    found[code] = t[max(0, m.start() - 40) : m.end()].strip()
    return tuple(found), found


def analyse(doc: Document, catalog: Catalog | None, meta: dict[str, Any] | None = None) -> Analysis:
    meta = dict(meta if meta is not None else doc.metadata)
    excluded = _excluded_sections(doc)
    raws = _raw_mentions(doc, catalog, excluded)
    _sections(doc, raws, catalog)
    heads = [r for r in raws if r.kind == "heading" and r.excluded is None]
    # project number of name-only project headings (needed as context for their sub-projects)
    if catalog is not None and catalog.known:
        for r in heads:
            if r.name_only == "project" and r.name:
                ranked = best_items(r.name, catalog, 1)
                if ranked and ranked[0][1] >= NAME_MATCH:
                    r.project = ranked[0][0].project
    for r in raws:
        if r.sub is not None and r.project is None:
            r.project = _context_project(heads, r.start, r.block)
            r.parent_from = "context" if r.project is not None else None
        if r.name_only == "sub" and r.project is None:
            r.project = _context_project(heads, r.start, r.block)
        if r.kind == "heading" and not r.na:
            r.na, r.na_reason = _body_na(doc, r)
    mentions = [_resolve(r, catalog) for r in raws]
    areas, sources = _areas(doc, meta)
    return Analysis(catalog=catalog, mentions=mentions, excluded_sections=excluded, areas=areas, area_sources=sources)


# ------------------------------------------------------------------ coverage


@dataclass(frozen=True)
class CoverageRow:
    item: Item
    status: str  # addressed | not_applicable | missing
    reason: str | None
    mention: Mention | None  # first heading (else mention) that addresses it
    lead: str | None
    restricted: bool  # area-restricted and the locality is not known to qualify
    by_title: bool = False  # the plan's title names it (a plan for this item only)

    def to_json(self, doc: Document) -> dict[str, Any]:
        sec = None
        if self.by_title and self.mention is None:
            sec = {"text": "(tên kế hoạch / plan title)"}
        elif self.mention is not None:
            loc = doc.locate(self.mention.span)
            sec = {
                "text": doc.slice(self.mention.span)[:160],
                "line": loc.line,
                "page": loc.page,
                "paragraph": loc.paragraph,
            }
            sec = {k: v for k, v in sec.items() if v is not None}
        out = {
            "item": self.item.id,
            "label": self.item.label,
            "name": self.item.name,
            "status": self.status,
            "section": sec,
            "lead": self.lead,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.item.areas:
            out["areas"] = list(self.item.areas)
        return out


def coverage_rows(
    an: Analysis, scope_items: list[str] | None, leads: dict[str, str] | None = None
) -> list[CoverageRow]:
    cat = an.catalog
    if cat is None or not cat.known:
        return []
    leads = leads or {}
    credited: dict[str, list[Mention]] = {}
    na: dict[str, Mention] = {}
    for m in an.mentions:
        if m.item is None or m.excluded is not None:
            continue
        if m.na:
            na.setdefault(m.item, m)
        elif m.implements:
            credited.setdefault(m.item, []).append(m)
    items = list(cat.items.values())
    if scope_items:
        keep = set(scope_items)
        for s in scope_items:
            it = cat.items.get(s)
            if it is not None and not it.is_sub:
                keep.update(it.children)
        items = [i for i in items if i.id in keep]
    by_title = set(scope_items or ())
    rows = []
    for it in items:
        status, reason, men = "missing", None, None
        if it.id in by_title:
            status = "addressed"  # the plan's title names it: the whole plan is about it
        if it.id in na or (it.parent and it.parent in na):
            src = na.get(it.id) or na[it.parent]  # type: ignore[index]
            status, reason, men = "not_applicable", src.na_reason, src
        elif it.id in credited or any(c in credited for c in it.children):
            ms = credited.get(it.id) or [m for c in it.children for m in credited.get(c, [])]
            heads = [m for m in ms if m.kind == "heading"] or ms
            status, men = "addressed", min(heads, key=lambda m: m.span.start)
        restricted = bool(it.areas) and not set(it.areas) & set(an.areas)
        lead = leads.get(it.id) if status == "addressed" else None
        rows.append(
            CoverageRow(
                item=it,
                status=status,
                reason=reason,
                mention=men,
                lead=lead,
                restricted=restricted,
                by_title=it.id in by_title,
            )
        )
    return rows


def summary(rows: list[CoverageRow]) -> str:
    def part(label: str, rs: list[CoverageRow]) -> str:
        a = sum(r.status == "addressed" for r in rs)
        n = sum(r.status == "not_applicable" for r in rs)
        m = sum(r.status == "missing" for r in rs)
        return f"{label}: {a}/{len(rs)} có, {n} không áp dụng, {m} thiếu"

    projects = [r for r in rows if not r.item.is_sub]
    subs = [r for r in rows if r.item.is_sub]
    bits = []
    if projects:
        bits.append(part("Dự án", projects))
    if subs:
        bits.append(part("tiểu dự án", subs))
    return "; ".join(bits)


# ------------------------------------------------------------------ shared access


def analysis(doc: Document) -> Analysis:
    """The memoised analysis (computed at parse time by extract.scope, else now)."""

    def compute(d: Document) -> Analysis:
        from .scope import catalog_of

        return analyse(d, catalog_of(d.metadata), d.metadata)

    return doc.derived("pc4.analysis", compute)


def projects_json(doc: Document) -> list[dict[str, Any]]:
    an = analysis(doc)
    out = []
    for m in an.mentions:
        loc = doc.locate(m.span)
        d = {
            "text": doc.slice(m.span)[:200],
            "line": loc.line,
            "page": loc.page,
            "paragraph": loc.paragraph,
            "kind": m.kind,
            "project": m.project,
            "sub": m.sub,
            "parent_from": m.parent_from,
            "name": m.name,
            "by_number": m.by_number,
            "by_name": m.by_name,
            "name_score": m.name_best,
            "name_fit": m.name_fit,
            "item": m.item,
            "implements": m.implements,
            "not_applicable": m.na,
            "reason": m.na_reason,
            "excluded": m.excluded,
        }
        if m.section is not None:
            d["section_end_line"] = doc.locate(Span(max(m.section.end - 1, m.section.start), m.section.end)).line
        out.append({k: v for k, v in d.items() if v is not None and v is not False or k in ("kind",)})
    return out


def coverage_json(doc: Document) -> dict[str, Any]:
    meta = doc.metadata
    return {
        "program": meta.get("program"),
        "period": meta.get("period"),
        "scope": meta.get("scope"),
        "scope_items": meta.get("scope_items"),
        "scope_text": meta.get("scope_text"),
        "areas": meta.get("locality_areas_found"),
        "summary": meta.get("coverage_summary"),
        "items": meta.get("coverage") or [],
    }
