"""PC3xx: impossible dates, plan year vs issue date, program periods, stale years, deadlines.

All kinds read the shared date list (plancheck/extract/dates.py) and the plan dating
metadata (plancheck/extract/dating.py). Context words that make a year a baseline, a
result or a citation rather than a task are rule parameters, not code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import regex

from ..extract.citations import extract_citations
from ..extract.dates import DateMention, dates_by_start, extract_dates, parse_iso, show_date
from ..extract.registry import programs
from ..model import Document, Finding, Severity, Span
from .base import Kind, any_start, compile_pattern, finditer_at
from .citations import merged_pattern

_CLAUSE_BREAK = regex.compile(r"[.;!?](?:\s|$)|:\s")


_CLAUSE_END = regex.compile(r"[.;\n]")


def _clause_before(doc: Document, pos: int, limit: int = 400) -> tuple[int, str]:
    """Start offset and text of the clause that ends at ``pos`` (same block)."""
    b = doc.block_at(pos)
    start = b.span.start if b is not None else max(0, pos - limit)
    start = max(start, pos - limit)
    chunk = doc.text[start:pos]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(chunk):
        cut = m.end()
    start += cut
    return start, doc.text[start:pos]


def _in_citation(doc: Document, pos: int) -> bool:
    """Whether ``pos`` is inside a citation or its trích yếu (up to the clause end)."""
    for c in extract_citations(doc):
        if c.span.start <= pos < max(c.tail_end, c.span.end):
            return True
    return False


class ImpossibleDate(Kind):
    """PC301: a calendar date that cannot exist (31/4/2024, 29/02/2023, month 13)."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for m in extract_dates(doc):
            if m.valid:
                continue
            if m.kind == "full":
                if not 1 <= m.month <= 12:
                    why_vi, why_en = f"không có tháng {m.month}", f"there is no month {m.month}"
                else:
                    why_vi = f"tháng {m.month}/{m.year} không có ngày {m.day}"
                    why_en = f"{m.month}/{m.year} has no day {m.day}"
            elif m.kind == "day_month":
                if not 1 <= m.month <= 12:
                    why_vi, why_en = f"không có tháng {m.month}", f"there is no month {m.month}"
                else:
                    why_vi, why_en = f"tháng {m.month} không có ngày {m.day}", f"month {m.month} has no day {m.day}"
            else:
                why_vi, why_en = f"không có tháng {m.month}", f"there is no month {m.month}"
            yield rule.finding(
                doc, m.span, date=" ".join(m.text.replace("*", "").split()), why_vi=why_vi, why_en=why_en
            )


class PlanYearMismatch(Kind):
    """PC302: the plan year (title) against the issue date and the closing sentence.

    A plan for year Y issued after Y ended, or more than ``months_before`` months before Y
    starts, has a wrong year or a wrong date; the closing "Trên đây là Kế hoạch … năm Y"
    naming another year than the title is text left from another plan.
    """

    def setup(self, params):
        self.months_before = int(params.get("months_before", 15))
        self.closing = compile_pattern(params.get("closing", r"(?i)^[\s*]*Trên\s+đây\s+là\s+Kế\s+hoạch"), "closing")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        meta = doc.metadata
        year = meta.get("plan_year")
        if not isinstance(year, int) or meta.get("plan_year_source") != "title":
            return
        issue = parse_iso(meta.get("issue_date"))
        if issue is not None:
            m_total = year * 12 - self.months_before  # months since year 0, January = 0
            earliest = dt.date(m_total // 12, m_total % 12 + 1, 1)
            variant = "late" if issue.year > year else ("early" if issue < earliest else None)
            if variant:
                pdb = meta.get("place_date_block")
                span = doc.blocks[pdb].span if isinstance(pdb, int) else doc.title_span
                yield rule.finding(
                    doc, span, variant=variant, issue=show_date(issue), year=str(year), months=self.months_before
                )
        for b in doc.blocks:
            if b.region not in ("body", "closing") or b.kind != "paragraph":
                continue
            if not self.closing.search(doc.block_text(b)):
                continue
            # the first year of the closing sentence names the plan ("… năm Y"), later ones may not
            first = next((m for m in extract_dates(doc) if m.block == b.index and m.kind in ("year", "period")), None)
            if first is not None and first.kind == "year" and first.year != year:
                if not _in_citation(doc, first.span.start):
                    yield rule.finding(doc, first.span, variant="closing", found=str(first.year), year=str(year))


class ProgramPeriod(Kind):
    """PC303: the period written right after a national program's name.

    A period the program never had ("Chương trình mục tiêu quốc gia giảm nghèo bền vững
    giai đoạn 2022 - 2025"), or a past period in a sentence about carrying the program
    out now. Only a period directly after the name counts: "… nông thôn mới trên địa bàn
    tỉnh Lâm Đồng giai đoạn 2022 - 2025" is a provincial plan's period. A period after
    every known one (a program not yet in the facts) is not judged.

    From 2026 the poverty, new-countryside and ethnic-minority programs are one merged
    program (2026-2035, phase I 2026-2030; ``merged_into`` in programs_periods.yaml): a
    plan of 2026 or later that carries out one of them "giai đoạn 2021 - 2025" (or the
    ethnic-minority program "2021 - 2030") is stale — a warning naming the merged
    program — unless the sentence is about money of that period carried over
    (``carried``: kinh phí, giải ngân, chuyển sang…), which is right.
    """

    def setup(self, params):
        self.programs = []
        self.names_by_key = {p["key"]: p["name"] for p in programs()}
        self.carried = compile_pattern(params.get("carried", r"(?!x)x"), "carried")
        for p in programs():
            pats = [regex.compile(n, regex.V1 | regex.IGNORECASE) for n in p["names"]]
            spans = [(x["from"], x["to"]) for x in [*p["periods"], *(p.get("phases") or [])]]
            self.programs.append((p, pats, set(spans), min(a for a, _ in spans), max(b for _, b in spans)))
        self.starts = any_start([pat for _, pats, *_ in self.programs for pat in pats])
        self.gap = compile_pattern(params.get("gap", r"[\s*_]*"), "gap")
        self.now = compile_pattern(params.get("now", r"(?i)triển\s+khai|thực\s+hiện"), "now")
        self.past = compile_pattern(params.get("past", r"(?i)kết\s+quả"), "past")

    def _names(self, doc: Document):
        found = []
        text = doc.text
        starts = [m.start() for m in self.starts.finditer(text)] if self.starts is not None else None
        for prog, pats, spans, lo, hi in self.programs:
            for pat in pats:
                for m in pat.finditer(text) if starts is None else finditer_at(pat, text, starts):
                    found.append((m.start(), -(m.end() - m.start()), m.end(), prog, spans, lo, hi))
        found.sort(key=lambda x: (x[0], x[1]))
        last_end = -1
        for start, _, end, prog, spans, lo, hi in found:
            if start < last_end:
                continue
            last_end = end
            yield start, end, prog, spans, lo, hi

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        by_start = dates_by_start(doc)
        year = doc.metadata.get("plan_year")
        for start, end, _prog, spans, lo, hi in self._names(doc):
            g = self.gap.match(doc.text, end)
            pos = g.end() if g else end
            per: DateMention | None = by_start.get(pos)
            if per is None or per.kind != "period":
                continue
            a, b = per.year, per.year_end
            known = ", ".join(f"{x}-{y}" for x, y in sorted(spans))
            name = " ".join(doc.text[start:end].split())
            if (a, b) not in spans:
                if b < lo or a > hi:
                    continue  # outside what the facts know
                yield rule.finding(
                    doc, Span(start, per.span.end), variant="never", program=name, found=f"{a}-{b}", known=known
                )
                continue
            if not isinstance(year, int):
                continue
            merged = _prog.get("merged_into") if year >= int(_prog.get("merged_from") or 10**4) else None
            if (
                merged
                and (past := merged_pattern(merged, "past_title"))
                and past.search(doc.metadata.get("title") or "")
            ):
                continue  # a plan to sum up the old program (tổng kết … giai đoạn 2021 - 2025)
            if not merged and year <= b:
                continue
            cstart, clause = _clause_before(doc, start)
            clause = clause + doc.text[start : per.span.end]
            if self.past.search(clause) or not self.now.search(clause) or _in_citation(doc, start):
                continue
            if merged:
                rest = _CLAUSE_END.split(doc.text[per.span.end : per.span.end + 200], 1)[0]
                if self.carried.search(clause + rest):
                    continue  # the money of that period carried over: right
                new = self.names_by_key.get(merged, merged)
                yield rule.finding(
                    doc,
                    Span(start, per.span.end),
                    variant="merged",
                    severity=Severity.WARNING,
                    program=name,
                    found=f"{a}-{b}",
                    year=str(year),
                    since=str(_prog.get("merged_from")),
                    merged=new,
                    suggestion=f"{new} giai đoạn 2026 - 2030",
                )
                continue
            current = [f"{x}-{y}" for x, y in sorted(spans) if x <= year <= y]
            yield rule.finding(
                doc,
                Span(start, per.span.end),
                variant="past",
                program=name,
                found=f"{a}-{b}",
                year=str(year),
                current=current[0] if current else "?",
            )


class StaleYear(Kind):
    """PC304: a task or target of the plan names a year before the plan year.

    Typically a line copied from last year's plan ("Xây dựng Kế hoạch … năm 2018" in the
    2019 plan). Only body paragraphs (not tables, headings, citations), only a clause that
    opens with a task verb and names a plan, target or task before the year; baselines
    and comparisons ("so với năm 2023", "sau rà soát năm 2021", "cuối năm 2022") are
    excluded by ``unless``.
    """

    required = ("task", "object")

    def setup(self, params):
        self.task = compile_pattern(params["task"], "task")
        self.object = compile_pattern(params["object"], "object")
        self.unless = compile_pattern(params.get("unless", r"(?!x)x"), "unless")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        year = doc.metadata.get("plan_year")
        if not isinstance(year, int):
            return
        headings = {h.block for h in doc.outline.headings if h.is_heading}
        for m in extract_dates(doc):
            if m.kind != "year" or m.year >= year or m.block is None:
                continue
            b = doc.blocks[m.block]
            if b.kind != "paragraph" or b.region != "body" or b.index in headings:
                continue
            cstart, clause = _clause_before(doc, m.span.start)
            if not self.task.search(clause) or not self.object.search(clause) or self.unless.search(clause):
                continue
            if _in_citation(doc, m.span.start):
                continue
            yield rule.finding(doc, m.span, found=str(m.year), year=str(year), suggestion=f"năm {year}")


class DeadlineBeforeIssue(Kind):
    """PC305: a deadline ("trước ngày 15/3/2019", "hoàn thành chậm nhất ngày …") earlier
    than the plan's own issue date: the task was due before the plan existed."""

    required = ("cue",)

    def setup(self, params):
        self.cue = compile_pattern(params["cue"], "cue")
        self.unless = compile_pattern(params.get("unless", r"(?!x)x"), "unless")
        self.scene = compile_pattern(
            params.get("scene", r"(?i)(?:^|[.;:\n]\s*)[\s*\-–+]*(?:trước|sau|từ|đến)\s+ngày[\s*]*$"), "scene"
        )
        self.column = compile_pattern(params.get("column", r"(?i)thời\s+(?:gian|hạn)\s+hoàn\s+thành"), "column")

    def _deadline_cells(self, doc: Document) -> set[int]:
        cells: set[int] = set()
        for t in doc.tables:
            if not t.rows:
                continue
            header = t.rows[0]
            cols = {j for j, ci in enumerate(header) if self.column.search(doc.block_text(doc.blocks[ci]))}
            for row in t.rows[1:]:
                for j, ci in enumerate(row):
                    if j in cols:
                        cells.add(ci)
        return cells

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        issue = parse_iso(doc.metadata.get("issue_date"))
        if issue is None:
            return
        deadline_cells = None
        for m in extract_dates(doc):
            d = m.date
            if d is None or d >= issue or m.block is None:
                continue
            b = doc.blocks[m.block]
            if b.region in ("header", "title"):
                continue
            before = doc.text[max(b.span.start, m.span.start - 60) : m.span.start]
            is_deadline = bool(self.cue.search(before)) and not self.unless.search(before)
            if (
                is_deadline
                and self.scene.search(before)
                and doc.text[m.span.end : m.span.end + 3].lstrip().startswith(",")
            ):
                is_deadline = False  # "Trước ngày 01/7/2025, huyện có 10 xã": a time, not a deadline
            if not is_deadline and b.kind == "cell":
                if deadline_cells is None:
                    deadline_cells = self._deadline_cells(doc)
                is_deadline = b.index in deadline_cells
            if not is_deadline or _in_citation(doc, m.span.start):
                continue
            yield rule.finding(doc, m.span, date=m.show(), issue=show_date(issue))
