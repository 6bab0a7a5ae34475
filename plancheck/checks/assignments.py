"""PC5xx: who is made responsible — a lead per project, tasks per agency, reporting,
and agencies that did not exist on the plan's date."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

import regex

from ..extract import agencies as A
from ..extract import projects as P
from ..model import Document, Finding, Severity, Span
from .base import Kind
from .coverage import _program_doc, _rows, first_heading


def _label_list(items: list[Any]) -> str:
    return ", ".join(f"Tiểu dự án {i.sub}" for i in items)


class NoLead(Kind):
    """PC501: a project the plan carries out, with nobody put in charge of it."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        cat, an = _program_doc(doc)
        if cat is None or an is None or not cat.known:
            return
        asg = A.assignments(doc)
        rows = {r.item.id: r for r in _rows(doc)}

        def has(key: str) -> bool:
            return key in asg.labels or any(key in a.items and a.role in ("lead", "assigned") for a in asg.items)

        for r in rows.values():
            it = r.item
            if it.is_sub or r.status != "addressed":
                continue
            subs = [cat.items[c] for c in it.children if c in rows and rows[c].status == "addressed"]
            own = has(it.id)
            if own or (not subs and own):
                continue
            leadless = [s for s in subs if not has(s.id)]
            if subs and not leadless:
                continue
            head = first_heading(an, lambda m, p=it.project: cat.items[m.item].project == p)
            if head is None:
                continue
            if subs and len(leadless) < len(subs):
                yield rule.finding(
                    doc,
                    head.span,
                    variant="subs",
                    label=it.label,
                    label_en=it.label_en,
                    name=it.name,
                    subs=_label_list(leadless),
                    subs_en=", ".join(f"sub-project {s.sub}" for s in leadless),
                    data={"item": it.id, "subs": [s.id for s in leadless]},
                )
            else:
                yield rule.finding(
                    doc, head.span, label=it.label, label_en=it.label_en, name=it.name, data={"item": it.id}
                )


_LEAD_CUES = regex.compile(r"chủ\s+trì|trực\s+tiếp\s+(?:phụ\s+trách|quản\s+lý)|thường\s+trực", regex.I)
_COLLECTIVE = regex.compile(
    r"^(?:(?:Ủy|Uỷ|ủy|uỷ)\s+ban\s+nhân\s+dân|UBND|HĐND|Hội\s+đồng|Ban\s+nhân\s+dân)\b|^các\s", regex.I
)
agency_key = A.agency_key


class TwoLeads(Kind):
    """PC502: two different agencies each made lead (chủ trì) of the same project."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        from rapidfuzz import fuzz

        cat, an = _program_doc(doc)
        if cat is None or an is None or not cat.known:
            return
        asg = A.assignments(doc)
        for it in cat.items.values():
            leads = [
                a
                for a in asg.items
                if it.id in a.items
                and a.role == "lead"
                and a.cue
                and _LEAD_CUES.search(a.cue)
                and not _COLLECTIVE.search(a.agency)
                and not A.LOWER_LEVEL.search(a.agency)
            ]
            seen: list[tuple[str, A.Assignment]] = []
            for a in sorted(leads, key=lambda a: a.span.start):
                k = agency_key(a.agency)
                first = next((s for s in seen if s[0] == k or fuzz.ratio(s[0], k) >= 90), None)
                if first is None:
                    if seen:
                        prev = seen[0][1]
                        yield rule.finding(
                            doc,
                            a.span,
                            label=it.label,
                            label_en=it.label_en,
                            name=it.name,
                            first=prev.agency,
                            second=a.agency,
                            data={"item": it.id},
                        )
                        break
                    seen.append((k, a))


class OrganizationTasks(Kind):
    """PC503: Tổ chức thực hiện assigns no agency, or an agency entry has no task."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        asg = A.assignments(doc)
        hs = doc.outline.headings
        for ti in asg.tcth:
            entries = [e for e in asg.entries if hs[e.heading].parent == ti]
            if not entries and asg.agencies_in_tcth == 0:
                yield rule.finding(doc, hs[ti].span, variant="none", heading=hs[ti].title)
        for e in asg.entries:
            h = hs[e.heading]
            kids = [g for g in hs if g.parent == e.heading]
            if not e.has_task and not kids and e.agency:
                yield rule.finding(doc, h.span, variant="no_task", agency=e.agency)


class Reporting(Kind):
    """PC504: nobody is told to report (định kỳ / đột xuất, to whom, by when)."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        asg = A.assignments(doc)
        if asg.reports:
            return
        hs = doc.outline.headings
        span = hs[asg.tcth[0]].span if asg.tcth else doc.title_span
        if len(doc.outline.headings) < 2:
            return  # no structure to judge
        yield rule.finding(doc, span)


_BASIS = regex.compile(r"\s*(?:Căn\s+cứ|Thực\s+hiện\s+(?:Kế\s+hoạch|Quyết\s+định|Công\s+văn|Nghị))")
_DATE_CITED = regex.compile(
    r"\d{1,4}/(?:\d{4}/)?[\p{Lu}Đ][\p{Lu}Đ\-]*\s+(?:ngày\s+)?(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
    r"|\d{1,4}/(?:\d{4}/)?[\p{Lu}Đ][\p{Lu}Đ\-]*\s+ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})",
    regex.V1,
)
_CITE_BEFORE = regex.compile(r"(?:của|do|bởi)\s*$", regex.I)
_HISTORIC_AFTER = regex.compile(
    r"^\s*[(,]?\s*(?:cũ|nay\s+là|trước\s+đây|trước\s+kia|trước\s+(?:khi\s+)?(?:sáp\s+nhập|sắp\s+xếp|hợp\s+nhất))\b",
    regex.I,
)
_HISTORIC_BEFORE = regex.compile(
    r"(?:(?:nguyên|trước\s+đây|trước\s+kia)(?:\s+là)?|từ|đã\s+(?:được|do)|(?:đã\s+)?được|sáp\s+nhập|hợp\s+nhất)\s*$",
    regex.I,
)
# words that give the agency named a role in the plan (issue 13 item 3): "Giao / Đề nghị
# <agency>", "phối hợp với <agency>", "<agency> chủ trì / tham mưu / thực hiện …"
_ROLE_BEFORE = regex.compile(
    r"(?:\bgiao(?:\s+cho)?|\bđề\s+nghị|\byêu\s+cầu|\bphối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+với|\s+cùng)?|\bchỉ\s+đạo|"
    r"\bủy\s+quyền\s+cho|\btrách\s+nhiệm\s+của|\bgửi\s+(?:về\s+)?|\bvề)\s*$",
    regex.I | regex.V1,
)
_ROLE_AFTER = regex.compile(
    r"\s*(?:\([^)]{0,60}\)\s*)?(?:[,:]\s*)?(?:là\s+(?:cơ\s+quan|đơn\s+vị)\s+)?(?:chủ\s+trì|phối\s+hợp|tham\s+mưu|"
    r"thực\s+hiện|triển\s+khai|hướng\s+dẫn|phụ\s+trách|trực\s+tiếp|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|tổ\s+chức|"
    r"theo\s+dõi|tổng\s+hợp|thường\s+trực|rà\s+soát|kiểm\s+tra|xây\s+dựng|cơ\s+quan\s+thường\s+trực|chủ\s+động)\b",
    regex.I | regex.V1,
)
# a table column of the units in charge ("Cơ quan chủ trì", "Đơn vị phối hợp", "Trách nhiệm")
_ROLE_COLUMN = regex.compile(
    r"chủ\s+trì|phối\s+hợp|đơn\s+vị|cơ\s+quan|thực\s+hiện|trách\s+nhiệm|phụ\s+trách|phân\s+công", regex.I | regex.V1
)
_QUOTES = (("“", "”"), ("«", "»"))


def _quoted(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a quoted title ("… về “Sở Lao động …”")."""
    before = text[:pos]
    if before.count('"') % 2 == 1:
        return True
    return any(before.count(a) > before.count(b) for a, b in _QUOTES)


def _date(y: str, m: str, d: str) -> _dt.date | None:
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def plan_dates(doc: Document) -> tuple[_dt.date | None, _dt.date | None, str]:
    """(earliest, latest) possible date of the plan and how it is known.

    The issue date when the header has one; otherwise the plan cannot be older than
    the documents it cites, and a plan for year Y is written by the end of Y.
    """
    meta = doc.metadata
    if meta.get("issue_date"):
        d = _dt.date.fromisoformat(meta["issue_date"])
        return d, d, "issue_date"
    year = meta.get("plan_year") if isinstance(meta.get("plan_year"), int) else None
    hi = _dt.date(year, 12, 31) if year else None
    lo = None
    for b in doc.blocks:
        if b.kind != "paragraph" or b.region not in ("body", "preamble", "title"):
            continue
        t = doc.block_text(b)
        if "/" not in t:
            continue
        for m in _DATE_CITED.finditer(t):
            d = _date(m.group("y") or m.group("y2"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2"))
            if d is None or (hi is not None and d > hi):
                continue
            lo = d if lo is None or d > lo else lo
    if year and year >= 2026:
        # a plan for year Y is written from the autumn of Y-1 at the earliest: for the years
        # after the 2025 restructuring that bound says more than old citations do
        autumn = _dt.date(year - 1, 10, 1)
        if lo is None or lo < autumn:
            return autumn, hi, "plan_year"
    return lo, hi, "cited"


_BASIS_VI = {
    "issue_date": "ngày ban hành",
    "cited": "ngày của văn bản được viện dẫn gần nhất",
    "plan_year": "kế hoạch cho một năm được soạn sớm nhất từ quý IV năm trước",
}
_BASIS_EN = {
    "issue_date": "issue date",
    "cited": "date of the latest document cited",
    "plan_year": "a plan for a year is written from the last quarter of the year before",
}


class AgencyValidity(Kind):
    """PC505: a task given to an agency that did not exist on the plan's date (agencies.yaml).

    Only where the plan gives the agency a role: an entry of Tổ chức thực hiện, "chủ trì",
    "phối hợp với", "giao", "đề nghị", "tham mưu"…, or a cell of a table column of units in
    charge (annexes included). Never the issuer of a cited document ("Thông tư … của Bộ
    Lao động - Thương binh và Xã hội"), a body named as history ("nguyên …", "(trước sáp
    nhập)", "nay là …"), nor a name inside a quoted title. The successor is named by the
    task's field when its words say which (đào tạo nghề -> Sở Giáo dục và Đào tạo). A plan
    dated from 01/07/2025 issued by a district People's Committee is an error: the
    district level had ended.
    """

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        lo, hi, how = plan_dates(doc)
        if lo is None and hi is None:
            return
        yield from self._issuer(doc, rule, lo, how)
        heads = {h.block for h in doc.outline.headings if h.is_heading}
        reported: dict[str, int] = {}
        first: dict[str, tuple[Span, str, Any, str]] = {}
        for b in doc.blocks:
            if b.region not in ("body", "annex"):
                continue
            if b.kind == "cell":
                if not self._role_column(doc, b):
                    continue
            elif b.kind != "paragraph":
                continue
            t = doc.block_text(b)
            if _BASIS.match(t):
                continue
            for ag in A.block_agencies(doc, b):
                fact = A.canonical(ag.name)
                if fact is None:
                    continue
                rs, re_ = ag.span.start - b.span.start, ag.span.end - b.span.start
                before = t[max(0, rs - 40) : rs]
                if _HISTORIC_BEFORE.search(before) or _HISTORIC_AFTER.match(t[re_ : re_ + 30]):
                    continue
                if _CITE_BEFORE.search(before) and P._CITATION.search(t[max(0, rs - 200) : rs]):
                    continue  # "Thông tư … của Bộ Lao động - Thương binh và Xã hội": the issuer then
                if _quoted(t, rs):
                    continue
                if b.kind != "cell" and not self._has_role(t, rs, re_, b.index in heads):
                    continue
                state = _invalid(fact, lo, hi)
                if state is None:
                    continue
                reported[fact.id] = reported.get(fact.id, 0) + 1
                if fact.id not in first:
                    first[fact.id] = (ag.span, ag.name, (fact, state), self._task_text(doc, b))
        for fid, (span, name, (fact, state), task) in first.items():
            more = reported[fid] - 1
            when = lo if state == "ended" else hi
            succ, by_field = fact.successor_for(task, when)
            succ = succ or {}
            yield rule.finding(
                doc,
                span,
                variant=state,
                agency=name,
                date=(f"năm {when.year + 1}" if how == "plan_year" else when.strftime("%d/%m/%Y")) if when else "",
                valid_to=fact.valid_to.strftime("%d/%m/%Y") if fact.valid_to else "",
                valid_from=fact.valid_from.strftime("%d/%m/%Y") if fact.valid_from else "",
                successor=(
                    (f" Theo lĩnh vực của nhiệm vụ, nay là: {succ['vi']}." if by_field else f" Nay là: {succ['vi']}.")
                    if succ.get("vi")
                    else ""
                ),
                successor_en=(
                    (f" By the task's field, now: {succ['en']}." if by_field else f" Now: {succ['en']}.")
                    if succ.get("en")
                    else ""
                ),
                more=(f" (và {more} chỗ khác)" if more else ""),
                more_en=(f" (and {more} more)" if more else ""),
                basis=_BASIS_VI[how],
                basis_en=_BASIS_EN[how],
                suggestion=succ["vi"].split(" (")[0] if by_field and succ.get("vi") else None,
                data={"agency": fact.id},
            )

    @staticmethod
    def _has_role(t: str, rs: int, re_: int, heading: bool) -> bool:
        """The agency at t[rs:re_] is given a role by the words around it."""
        lead = _ITEM_LEAD.match(t)
        opens = rs <= (lead.end() if lead else 0) + 2  # "3. Đề nghị Sở …", "- Phòng …: …"
        rest = t[re_:].strip(" *.;")
        if opens and (heading or rest.startswith(":") or not rest):
            return True
        if _ROLE_BEFORE.search(t[max(0, rs - 40) : rs]):
            return True
        return _ROLE_AFTER.match(t, re_) is not None

    @staticmethod
    def _role_column(doc: Document, b) -> bool:
        """A table cell under a header of units in charge (a header row above it)."""
        if b.table is None or b.row is None or b.col is None or b.table >= len(doc.tables):
            return False
        tab = doc.tables[b.table]
        for r in range(min(b.row, 3)):
            row = tab.rows[r]
            for bi in row:
                hb = doc.blocks[bi]
                if hb.col == b.col and _ROLE_COLUMN.search(doc.block_text(hb)):
                    return True
        return False

    @staticmethod
    def _task_text(doc: Document, b) -> str:
        """The words of the task: the block, and for an entry heading or a table cell the
        text that follows (the entry's paragraphs, the row's other cells)."""
        if b.kind == "cell" and b.table is not None and b.row is not None:
            row = doc.tables[b.table].rows[b.row]
            return " ".join(doc.block_text(doc.blocks[i]) for i in row)
        parts = [doc.block_text(b)]
        for nb in doc.blocks[b.index + 1 : b.index + 4]:
            if nb.kind != "paragraph" or any(h.block == nb.index for h in doc.outline.headings if h.is_heading):
                break
            parts.append(doc.block_text(nb))
        return " ".join(parts)

    def _issuer(self, doc: Document, rule, lo, how) -> Iterable[Finding]:
        """A plan dated from 01/07/2025 issued by a UBND huyện / quận / thị xã."""
        meta = doc.metadata
        if how != "issue_date" or lo is None or lo < A.two_level_from():
            return
        if meta.get("issuer_level") not in ("huyện", "quận", "thị xã") or meta.get("issuer_unit_source") != "header":
            return
        issuer = meta.get("issuer") or ""
        fact = A.canonical(issuer)
        if fact is None or fact.valid_to is None or fact.valid_to >= lo:
            return
        span = doc.title_span
        for b in doc.blocks:
            if b.region != "header":
                continue
            k = " ".join(doc.block_text(b).split()).find(issuer.split()[-1]) if issuer else -1
            if k >= 0:
                span = b.span
                break
        succ = fact.successor or {}
        yield rule.finding(
            doc,
            span,
            variant="issuer",
            severity=Severity.ERROR,
            agency=issuer,
            date=lo.strftime("%d/%m/%Y"),
            valid_to=fact.valid_to.strftime("%d/%m/%Y"),
            successor=f" Nay là: {succ['vi']}." if succ.get("vi") else "",
            successor_en=f" Now: {succ['en']}." if succ.get("en") else "",
            data={"agency": fact.id, "issuer": True},
        )


_ITEM_LEAD = regex.compile(r"^[\s\-–+*•]*(?:\d+(?:\.\d+)*\.?|[a-zđ][.)]|[IVX]+\.)?\s*(?:Đề\s+nghị|Giao|Yêu\s+cầu)?\s*")


def _invalid(fact: A.AgencyFact, lo: _dt.date | None, hi: _dt.date | None) -> str | None:
    unc = fact.uncertain
    if fact.valid_to and lo is not None:
        limit = max(fact.valid_to, unc[1]) if unc else fact.valid_to
        if lo > limit:
            return "ended"
    if fact.valid_from and hi is not None:
        limit = min(fact.valid_from, unc[0]) if unc else fact.valid_from
        if hi < limit:
            return "not_yet"
    return None
