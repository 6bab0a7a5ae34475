"""What a plan sets out to do: which program, which period, and its scope.

Coverage is judged against the plan's own scope (RULES.md PC401): a plan for the
whole poverty program is checked against the whole catalog; a plan whose title names
one project or sub-project (a communication plan for Tiểu dự án 2 of Dự án 6) against
that item only; a plan on another subject not at all. The metadata records the
scope found and the title text it came from, and the coverage table.

``extract_scope`` is a metadata extractor (plancheck/extract/__init__.py): it runs
once at parse time, after the header extractors, and memoises the project analysis
on the Document so the rules reuse it.
"""

from __future__ import annotations

from typing import Any

import regex

from ..model import Document
from .programs import Catalog, extra_catalogs, item_id, load_catalogs, norm_name, opening_topic
from .programs import catalog_for as _catalog_for

_PROGRAM_IN_TITLE = regex.compile(r"giảm\s+nghèo", regex.I)
_ITEM_IN_TITLE = regex.compile(
    r"(?i:tiểu\s+dự\s+án)\s+(?P<s>\d{1,2})\s*(?:\(?\s*(?i:thuộc|của)\s+)?(?i:dự\s+án)\s+(?P<p>\d{1,2})"
    r"|(?<!(?i:tiểu)\s)(?i:dự\s+án)\s+(?P<p2>\d{1,2})(?!\d)",
    regex.V1,
)
_PROGRAM_PHRASE = regex.compile(
    r"(?:Chương\s+trình|CTMTQG|CT\s*MTQG)[^.;:]{0,80}?giảm\s+nghèo(?:\s+bền\s+vững)?|(?:công\s+tác\s+)?giảm\s+nghèo(?:\s+bền\s+vững)?",
    regex.I,
)
_TITLE_YEARS = regex.compile(r"giai\s+đoạn\s+(?P<a>20\d\d)\s*[-–—]\s*20\d\d|năm\s+(?P<y>20\d\d)", regex.I)
_PERIOD = regex.compile(r"(20\d\d)\s*[-–—]\s*(20\d\d)")


def _overrides(meta: dict[str, Any]) -> dict[str, Any]:
    return dict(meta.get("_overrides") or {})


def choose_catalog(meta: dict[str, Any]) -> tuple[Catalog | None, str | None]:
    """The catalog for the plan and where the period came from (a province's own catalog,
    ``extra-facts`` in plancheck.toml, before the built-in ones)."""
    extra = extra_catalogs(meta)

    def catalog_for(**kw):
        return _catalog_for(extra=extra, **kw)

    ov = _overrides(meta).get("period_override") or meta.get("period_override")
    if ov:
        m = _PERIOD.search(str(ov))
        if m:
            c = catalog_for(period=f"{m.group(1)}-{m.group(2)}") or catalog_for(year=int(m.group(1)))
            if c is not None:
                return c, "override"
    year = meta.get("plan_year")
    if isinstance(year, int):
        c = catalog_for(year=year)
        if c is not None:
            return c, "plan_year"
    tp = meta.get("title_period")
    if tp:
        m = _PERIOD.search(str(tp))
        if m:
            c = catalog_for(year=int(m.group(1)))
            if c is not None:
                return c, "title_period"
    if meta.get("issue_date"):
        c = catalog_for(year=int(str(meta["issue_date"])[:4]))
        if c is not None:
            return c, "issue_date"
    title = str(meta.get("title") or "")
    m = _TITLE_YEARS.search(title)  # "… GIAI ĐOẠN 2021-2025" in capitals
    if m:
        c = catalog_for(year=int(m.group("a") or m.group("y")))
        if c is not None:
            return c, "title_period" if m.group("a") else "plan_year"
    return None, None


def catalog_of(meta) -> Catalog | None:
    key = meta.get("catalog")
    if key:
        for c in (*extra_catalogs(meta), *load_catalogs()):
            if c.key == key:
                return c
    return choose_catalog(dict(meta))[0]


def _title_items(title: str, cat: Catalog) -> tuple[list[str], str | None]:
    """Items the title names: by number ("Tiểu dự án 2 thuộc Dự án 6"), else by name."""
    if not cat.known:
        return [], None
    found: list[str] = []
    text = None
    for m in _ITEM_IN_TITLE.finditer(title):
        if m.group("s"):
            k = item_id(int(m.group("p")), int(m.group("s")))
        else:
            k = item_id(int(m.group("p2")))
        if k in cat.items and k not in found:
            found.append(k)
            text = text or m.group(0)
    if found:
        return found, text
    # by name: an item's official or short name inside the title (whole words)
    t = " " + norm_name(title) + " "
    best: tuple[int, str, str] | None = None
    for it in cat.items.values():
        for n, nn in zip(it.names, it.normalised, strict=True):
            if len(nn) >= 10 and f" {nn} " in t:
                if best is None or len(nn) > best[0]:
                    best = (len(nn), it.id, n)
    if best:
        return [best[1]], best[2]
    # by topic: the title opens with what the plan is about ("Truyền thông về giảm nghèo…")
    hit: tuple[int, str, str] | None = None
    for it in cat.items.values():
        tp = opening_topic(title, it)
        if tp and (hit is None or len(tp) > hit[0]):
            hit = (len(tp), it.id, tp)
    if hit:
        return [hit[1]], hit[2]
    return [], None


def detect_scope(meta: dict[str, Any], cat: Catalog | None) -> dict[str, Any]:
    title = " ".join(str(meta.get("title") or "").split())
    out: dict[str, Any] = {"scope": "other", "scope_text": None, "scope_items": []}
    if not title:
        return out
    m = _PROGRAM_IN_TITLE.search(title)
    if not m:
        return out  # no poverty reduction in the title: a plan on another subject
    from .projects import names_other_program

    if names_other_program(title):
        return out  # "… Dự án 1 thuộc Chương trình MTQG phát triển KT-XH vùng DTTS": another program
    items, text = _title_items(title, cat) if cat is not None else ([], None)
    if items:
        out.update(scope="project", scope_items=items, scope_text=text)
    elif m:
        pm = _PROGRAM_PHRASE.search(title)
        out.update(scope="program", scope_text=(pm.group(0) if pm else title[:160]).strip())
    return out


def extract_scope(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    """Metadata: program, period, scope, and the coverage table of the plan."""
    try:
        return _extract(doc, meta)
    except Exception as exc:  # never let one extractor make the file unreadable
        return {"scope": None, "scope_error": f"{type(exc).__name__}: {exc}"}


def _extract(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    from . import agencies, projects

    meta = {**meta, **_overrides(meta)}
    cat, source = choose_catalog(meta)
    sc = detect_scope(meta, cat)
    if sc["scope"] == "other":
        cat = None  # not a plan of the program: no program, period or catalog to report
    out: dict[str, Any] = {}
    if cat is not None:
        out.update(
            program=cat.program,
            program_name=cat.name,
            period=cat.period,
            period_source=source,
            catalog=cat.key,
            catalog_status=cat.status,
        )
    out.update(sc)
    full = {**meta, **out}
    an = projects.analyse(doc, cat, full)
    doc._memo["pc4.analysis"] = an
    if an.areas:
        out["locality_areas_found"] = {k: v for k, v in an.area_sources.items()}
    if sc["scope"] == "other" or cat is None or not meta.get("is_plan", True):
        return out  # no coverage table for another subject, or for a document that is not a plan
    if not cat.known:
        out["coverage"] = []
        out["coverage_summary"] = f"Chưa có danh mục dự án của {cat.name}: không đánh giá được độ bao phủ"
        return out
    asg = agencies.build(doc, an)
    doc._memo["pc5.assignments"] = asg
    leads = {it.id: agencies.lead_of(asg, it.id, it.parent) for it in cat.items.values()}
    for it in cat.projects():
        if not leads.get(it.id):
            subs: dict[str, str] = {}
            for c in it.children:
                if leads.get(c):
                    subs.setdefault(agencies.agency_key(leads[c]), leads[c])
            leads[it.id] = "; ".join(subs.values()) if subs else None
    rows = projects.coverage_rows(an, sc["scope_items"] or None, {k: v for k, v in leads.items() if v})
    out["coverage"] = [r.to_json(doc) for r in rows]
    out["coverage_summary"] = projects.summary(rows)
    # for batch summaries: how many catalog items the plan leaves out
    out["coverage_counts"] = {s: sum(r.status == s for r in rows) for s in ("addressed", "not_applicable", "missing")}
    return out
