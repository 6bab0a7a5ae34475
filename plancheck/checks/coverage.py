"""PC4xx: which projects of the program a plan covers, and whether it names them right.

All kinds read the memoised project analysis (plancheck/extract/projects.py) and the
scope the metadata records (plancheck/extract/scope.py): a plan on another subject
gets no coverage finding, a plan for one project is judged on that project only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

from ..extract import projects as P
from ..extract.programs import NAME_MATCH, Catalog, Item, best_items, load_catalogs, load_program_names, opening_topic
from ..model import Document, Finding, Severity, Span
from .base import Kind


def _program_doc(doc: Document) -> tuple[Catalog | None, P.Analysis | None]:
    if doc.metadata.get("scope") not in ("program", "project"):
        return None, None
    an = P.analysis(doc)
    return an.catalog, an


def in_force(doc: Document, cat: Catalog) -> bool:
    """False for a plan written before the period's program was approved (a 2021 plan
    issued before Quyết định 90/QĐ-TTg): its projects cannot be held against it."""
    issue = doc.metadata.get("issue_date")
    return not (issue and cat.approved_date and issue < cat.approved_date.isoformat())


def _rows(doc: Document) -> list[P.CoverageRow]:
    def compute(d: Document) -> list[P.CoverageRow]:
        an = P.analysis(d)
        return P.coverage_rows(an, list(d.metadata.get("scope_items") or []) or None)

    return doc.derived("pc4.rows", compute)


def first_heading(an: P.Analysis, pred) -> P.Mention | None:
    ms = [m for m in an.mentions if m.credits and pred(m)]
    heads = [m for m in ms if m.kind == "heading"] or ms
    return min(heads, key=lambda m: m.span.start) if heads else None


def _container(doc: Document, an: P.Analysis) -> Span:
    """The heading that holds the project headings ("III. KẾ HOẠCH THỰC HIỆN CÁC DỰ ÁN…")."""
    m = first_heading(an, lambda m: m.kind == "heading")
    if m is None:
        return doc.title_span
    hs = doc.outline.headings
    idx = next((i for i, h in enumerate(hs) if h.block == m.block), None)
    if idx is not None:
        par = hs[idx].parent
        return hs[par].span if par is not None else doc.title_span
    best = None
    end = len(doc.text)
    for i, h in enumerate(hs):
        if h.span.start < m.span.start < doc.outline.section_end(i, end):
            best = h
    return best.span if best is not None else doc.title_span


_FIRST_CLAUSE = regex.compile(r"[:.;]")


def _content_heading(doc: Document, an: P.Analysis, items: list[Item]):
    """A heading of the plan that opens with one of the items' topics ("2.2. Công tác
    tuyên truyền"): the content is there, only not named as the program's project."""
    for h in doc.outline.headings:
        if doc.blocks[h.block].region != "body":
            continue
        if any(sp.start <= h.span.start < sp.end for sp, _ in an.excluded_sections):
            continue
        title = _FIRST_CLAUSE.split(h.title, 1)[0]
        if any(opening_topic(title, it) for it in items):
            return h
    return None


def _short(s: str, n: int = 90) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


class Coverage(Kind):
    """PC401: an item of the catalog that the plan neither covers nor declares not applicable."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        cat, an = _program_doc(doc)
        if cat is None or an is None:
            return
        if not cat.known:
            yield rule.finding(
                doc,
                doc.title_span,
                variant="catalog_missing",
                severity=Severity.INFO,
                program_name=cat.name,
                period=cat.period,
            )
            return
        if not in_force(doc, cat):
            return
        rows = _rows(doc)
        status = {r.item.id: r for r in rows}
        container = None
        for r in rows:
            if r.status != "missing":
                continue
            it = r.item
            if it.is_sub:
                parent = status.get(it.parent)
                if parent is not None and parent.status == "missing":
                    continue  # reported once, for the whole project
                head = first_heading(an, lambda m, p=it.project: cat.items[m.item].project == p)
                span = head.span if head is not None else None
            else:
                span = None
            if span is None:
                container = container or _container(doc, an)
                span = container
            subs_missing = [
                cat.items[c] for c in it.children if status.get(c) is not None and status[c].status == "missing"
            ]
            values: dict[str, Any] = dict(
                label=it.label,
                label_en=it.label_en,
                name=it.name,
                period=cat.period,
                subs=(" (gồm " + ", ".join(f"Tiểu dự án {s.sub}" for s in subs_missing) + ")") if subs_missing else "",
                subs_en=(" (with " + ", ".join(f"sub-project {s.sub}" for s in subs_missing) + ")")
                if subs_missing
                else "",
            )
            content = None if r.restricted else _content_heading(doc, an, [it, *(cat.items[c] for c in it.children)])
            if content is not None:
                yield rule.finding(
                    doc,
                    span,
                    variant="content",
                    severity=Severity.INFO,
                    section=_short(f"{content.marker} {content.title}", 70),
                    data={"item": it.id},
                    **values,
                )
            elif r.restricted:
                yield rule.finding(
                    doc,
                    span,
                    variant="restricted",
                    severity=Severity.INFO,
                    areas=cat.area_names(it.areas),
                    areas_en=cat.area_names(it.areas, "en"),
                    data={"item": it.id},
                    **values,
                )
            else:
                yield rule.finding(doc, span, data={"item": it.id}, **values)


def _numbered_label(m: P.Mention) -> str:
    if m.sub is not None:
        return f"Tiểu dự án {m.sub}" + (f" (Dự án {m.project})" if m.project is not None else "")
    return f"Dự án {m.project}"


def _numbered_label_en(m: P.Mention) -> str:
    if m.sub is not None:
        return f"Sub-project {m.sub}" + (f" of Project {m.project}" if m.project is not None else "")
    return f"Project {m.project}"


def _related(a: Item, b: Item) -> bool:
    """One is the other's project: the project was given its sub-project's name, or back."""
    return a.parent == b.id or b.parent == a.id


class NumberName(Kind):
    """PC402: the number written and the name written are two different items."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        cat, an = _program_doc(doc)
        if cat is None or an is None or not cat.known or not in_force(doc, cat):
            return
        for m in an.mentions:
            if m.excluded or m.kind == "cell" or m.by_number is None or m.by_name is None or m.by_name == m.by_number:
                continue
            if m.name_fit is not None and m.name_fit >= P.NAME_AGREES:
                continue
            num = cat.items[m.by_number]
            other = cat.items[m.by_name]
            if num.is_sub and other.is_sub and other.project != num.project:
                continue  # a sub-project under the wrong project: PC403
            rel = _related(num, other)
            yield rule.finding(
                doc,
                m.span,
                variant="related" if rel else None,
                severity=Severity.WARNING if rel else None,
                written=_numbered_label(m),
                written_en=_numbered_label_en(m),
                name_written=_short(m.name or ""),
                label=num.label,
                label_en=num.label_en,
                official=num.name,
                other_label=other.label,
                other_label_en=other.label_en,
                other_name=other.name,
                suggestion=(
                    f"{_numbered_label(m).split(' (')[0]}: {num.name}"
                    if rel
                    else f"{other.label.split(' (')[0]}: {_short(m.name or '', 200)}"
                ),
                data={"item": num.id, "name_of": other.id},
            )


class WrongParent(Kind):
    """PC403: a sub-project placed under a project it does not belong to."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        cat, an = _program_doc(doc)
        if cat is None or an is None or not cat.known or not in_force(doc, cat):
            return
        for m in an.mentions:
            if m.excluded or m.kind == "cell" or m.sub is None or m.project is None or m.by_name is None:
                continue
            other = cat.items[m.by_name]
            if not other.is_sub or other.project == m.project:
                continue
            if m.name_fit is not None and m.name_fit >= P.NAME_AGREES:
                continue
            yield rule.finding(
                doc,
                m.span,
                written=_numbered_label(m),
                written_en=_numbered_label_en(m),
                project=m.project,
                name_written=_short(m.name or ""),
                other_label=other.label,
                other_label_en=other.label_en,
                other_project=other.project,
                suggestion=f"{other.label}: {other.name}",
                data={"item": other.id, "placed_under": f"DA{m.project}"},
            )


class OtherPeriod(Kind):
    """PC404: a project name of another period of the program (2016–2020 in a 2021–2025 plan)."""

    def setup(self, params: dict[str, Any]) -> None:
        self.threshold = float(params.get("threshold", 90))

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        cat, an = _program_doc(doc)
        if cat is None or an is None or not cat.known or not in_force(doc, cat):
            return
        others = [c for c in load_catalogs() if c.program == cat.program and c.key != cat.key and c.known]
        for m in an.mentions:
            if m.excluded or m.kind == "cell" or not m.name or m.name_best >= NAME_MATCH:
                continue
            for oc in others:
                ranked = best_items(m.name, oc, 1)
                if ranked and ranked[0][1] >= self.threshold and ranked[0][1] >= m.name_best + 15:
                    it = ranked[0][0]
                    yield rule.finding(
                        doc,
                        m.span,
                        name_written=_short(m.name),
                        other_label=it.label,
                        other_label_en=it.label_en,
                        other_period=oc.period,
                        period=cat.period,
                        data={"item": it.id, "catalog": oc.key},
                    )
                    break


class ProgramName(Kind):
    """PC405: the poverty program's name written with words it does not have."""

    def setup(self, params: dict[str, Any]) -> None:
        self.pattern = regex.compile(params["pattern"], regex.I | regex.V1)
        self.official = params.get("official", "Chương trình mục tiêu quốc gia giảm nghèo bền vững")
        self.known = load_program_names()["wrong_names"]

    required = ("pattern",)

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for b in doc.blocks:
            if b.kind != "paragraph" or b.region not in ("title", "body", "preamble", "closing"):
                continue
            t = doc.block_text(b)
            if "nghèo" not in t:
                continue
            for m in self.pattern.finditer(t):
                extra = " ".join(m.group("extra").split()).strip(" ,")
                why_vi = why_en = ""
                for w in self.known:
                    if " ".join(w["words"].split()).lower() == extra.lower():
                        why_vi, why_en = f" ({w['why']['vi']})", f" ({w['why']['en']})"
                yield rule.finding(
                    doc,
                    Span(b.span.start + m.start(), b.span.start + m.end()),
                    extra=extra,
                    official=self.official,
                    why_vi=why_vi,
                    why_en=why_en,
                    suggestion=self.official,
                )
