"""PC7xx: arithmetic of tables and stated numbers.

The tables come from ``extract/tables.py`` (built once per document); numbers are read
the Vietnamese way by ``extract/numbers.py``. Every kind stays silent where it cannot
compute (a text cell in a column, an ambiguous "1,234", a column whose meaning is not
additive) — a wrong alarm on a correct table costs the reviewer as much as a miss.
Messages give the computed and the written value.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import permutations
from typing import Any

import regex

from ..extract.numbers import format_vi, parse_number
from ..extract.tables import Column, Row, TableModel, tables
from ..model import Document, Finding, Span
from .base import Kind, compile_pattern

# Patterns used inside functions, compiled once (a module-level regex call looks its
# pattern up in regex's cache on every call).
_TAIL = regex.compile(r"[^.;:,()]{0,40}")
_SPACES = regex.compile(r"\s+")
_STOP = regex.compile(r"[.;:](?:\s|$)")


def _sum(rows: list[Row], c: int) -> tuple[float, int, int, bool] | None:
    """Sum of column c over rows: (value, max decimals, count of numbers, any ambiguous); None if a text cell."""
    total = 0.0
    dec = 0
    n = 0
    amb = False
    for r in rows:
        cell = r.cells[c]
        if cell.number is not None:
            total += cell.number.value
            dec = max(dec, cell.number.decimals)
            n += 1
            amb = amb or cell.number.ambiguous
        elif not cell.empty:
            return None
    return total, dec, n, amb


def _show(v: float, dec: int) -> str:
    return format_vi(round(v, dec) if dec else int(round(v)), dec or None)


class TotalRow(Kind):
    """PC701: a total row (CỘNG, Tổng cộng, Toàn xã…) against the sum of the rows it totals,
    per numeric column. Several readings are tried (detail rows, group rows, subtotals,
    top-level items); the rule fires only when none adds up."""

    def setup(self, params: dict[str, Any]) -> None:
        self.skip = compile_pattern(params.get("non_additive", r"(?i)%|tỷ lệ|tỉ lệ"), "non_additive")
        self.money = compile_pattern(params.get("rounded_columns", r"(?i)đồng|kinh phí|vốn"), "rounded_columns")
        self.min_rows = int(params.get("min_rows", 2))

    def _candidates(self, m: TableModel, pos: int) -> list[list[Row]]:
        rows = list(m.rows)
        body = [r for r in rows if r.kind not in ("header", "numbering")]
        t = rows[pos]
        first_data = next((i for i, r in enumerate(rows) if r.kind not in ("header", "numbering")), pos)
        if pos == first_data:
            # A total printed first ("Tổng cộng" under the header) sums the rows below it.
            seg = []
            for r in rows[pos + 1 :]:
                if r.kind == "total":
                    break
                seg.append(r)
        else:
            seg = []
            for r in reversed(rows[:pos]):
                if r.kind in ("header", "numbering"):
                    break
                if r.kind == "total":
                    break
                seg.insert(0, r)
        data = [r for r in seg if r.kind == "data"]
        groups = [r for r in seg if r.kind == "group"]
        subs = [r for r in seg if r.kind == "sub"]
        cands = []
        if data:
            cands.append(data)
        if groups:
            cands.append(groups)
        if subs:
            cands.append(data + subs)
            cands.append(groups + [r for r in data])
        top = [r for r in seg if r.kind == "data" and r.marker.isdigit()]
        if top and len(top) != len(data):
            cands.append(top)
        others = [r for r in body if r.kind == "total" and r is not t]
        if others and pos != first_data:
            prev_tot = [r for r in rows[:pos] if r.kind == "total"]
            if prev_tot:
                cands.append(prev_tot)
                cands.append(prev_tot + data)
        return cands

    @staticmethod
    def _regular(m: TableModel) -> bool:
        """Row numbers 1, 2, 3… (restarting under each group row): otherwise the table's
        rows were probably split or shifted by the conversion and its columns misaligned."""
        prev = 0
        for r in m.rows:
            if r.kind == "group":
                prev = 0
            elif r.kind == "data" and r.marker.isdigit():
                n = int(r.marker)
                if n != prev + 1 and not (n == 1 and prev > 0):
                    return False
                prev = n
        return True

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for m in tables(doc):
            if not self._regular(m):
                continue
            label_cols = {0, 1}
            for pos, t in enumerate(m.rows):
                if t.kind != "total":
                    continue
                cands = self._candidates(m, pos)
                if not cands:
                    continue
                for col in m.columns:
                    c = col.index
                    cell = t.cells[c]
                    if cell.number is None or col.percent or self.skip.search(" ".join(col.path) or col.name):
                        continue
                    if c in label_cols and not col.name:
                        continue
                    if cell.number.percent:
                        continue
                    sums = [s for s in (_sum(rows, c) for rows in cands) if s is not None]
                    sums = [s for s in sums if s[2] >= self.min_rows]
                    if not sums:
                        continue
                    written = cell.number.value
                    ok = False
                    for v, dec, n, amb in sums:
                        tol = 0.5 * 10 ** (-cell.number.decimals) + (0.5 * 10 ** (-dec) * n if dec else 0)
                        if self.money.search(" ".join(col.path)) and not dec:
                            tol = max(tol, 0.5 * n)
                        if abs(v - written) <= tol + 1e-9 or amb or cell.number.ambiguous:
                            ok = True
                            break
                    if ok:
                        continue
                    v, dec, n, _ = sums[0]
                    yield rule.finding(
                        doc,
                        cell.span,
                        column=col.name or col.label,
                        computed=_show(v, dec),
                        written=cell.number.text,
                        total_label=t.label or "Tổng",
                        rows=n,
                    )


def _share_column(col: Column, share: regex.Pattern, not_share: regex.Pattern) -> bool:
    name = col.name
    return bool(share.search(name)) and not not_share.search(" ".join(col.path))


class PercentCell(Kind):
    """PC702: a percentage cell against its count and base in the same row. The count is
    the nearest number to the left; the base a "Tổng số…" column; any other pair of the
    row's numbers that gives the written percentage also clears it."""

    def setup(self, params: dict[str, Any]) -> None:
        self.share = compile_pattern(
            params.get("share_column", r"(?i)^(?:tỷ\s*lệ|tỉ\s*lệ)?\s*\(?%\)?$"), "share_column"
        )
        self.not_share = compile_pattern(params.get("not_share", r"(?i)tăng|giảm|so với"), "not_share")
        self.base = compile_pattern(params.get("base_column", r"(?i)tổng\s+số|dân\s+số"), "base_column")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for m in tables(doc):
            pcols = [c for c in m.columns if c.percent and _share_column(c, self.share, self.not_share)]
            if not pcols:
                continue
            bases = [c for c in m.columns if not c.percent and self.base.search(c.name)]
            for r in m.rows:
                if r.kind in ("header", "numbering"):
                    continue
                nums = {c.index: r.cells[c.index].number for c in m.columns if not c.percent}
                nums = {k: v for k, v in nums.items() if v is not None and not v.percent and k > 0}
                for pc in pcols:
                    cell = r.cells[pc.index]
                    if cell.number is None:
                        continue
                    written = cell.number.value
                    tol = cell.number.tolerance + 1e-9
                    left = [k for k in sorted(nums) if k < pc.index]
                    if not left or not bases:
                        continue
                    count_col = left[-1]
                    base_col = next((b.index for b in bases if b.index in nums and b.index != count_col), None)
                    if base_col is None:
                        continue
                    if any(
                        nums[b].value and abs(nums[a].value / nums[b].value * 100 - written) <= tol
                        for a, b in permutations(nums, 2)
                    ):
                        continue
                    a, b = nums[count_col], nums[base_col]
                    if not b.value:
                        continue
                    expected = a.value / b.value * 100
                    yield rule.finding(
                        doc,
                        cell.span,
                        written=cell.number.text,
                        count=a.text,
                        base=b.text,
                        computed=format_vi(expected, max(cell.number.decimals, 1)),
                        column=pc.name,
                        row=r.label or r.marker,
                    )


class PercentRange(Kind):
    """PC705: a share above 100 % or below 0 %: in a share column of a table, or in text
    where the percentage is of a population ("105% hộ nghèo", "tỷ lệ hộ nghèo là 120%")."""

    required = ("text_patterns",)

    def setup(self, params: dict[str, Any]) -> None:
        self.patterns = [compile_pattern(p, "text_patterns") for p in params["text_patterns"]]
        # "tăng 120% số hộ tham gia": a growth or achievement rate, not a share.
        self.unless_before = compile_pattern(params.get("unless_before", r"(?i)(?:tăng|vượt)\s*$"), "unless_before")
        self.share = compile_pattern(
            params.get("share_column", r"(?i)^(?:tỷ\s*lệ|tỉ\s*lệ)?\s*\(?%\)?$"), "share_column"
        )
        self.not_share = compile_pattern(params.get("not_share", r"(?i)tăng|giảm|so với|đạt|hoàn thành"), "not_share")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for m in tables(doc):
            for col in m.columns:
                if not (col.percent and _share_column(col, self.share, self.not_share)):
                    continue
                for r in m.rows:
                    if r.kind in ("header", "numbering"):
                        continue
                    n = r.cells[col.index].number
                    if n is not None and (n.value > 100 or n.value < 0):
                        yield rule.finding(
                            doc,
                            r.cells[col.index].span,
                            variant="table",
                            found=n.text.rstrip("%").strip(),
                            column=col.name,
                            row=r.label or r.marker,
                        )
        for b in doc.blocks:
            if b.kind != "paragraph" or b.region not in ("body", "title", "preamble", "annex"):
                continue
            t = doc.block_text(b)
            if "%" not in t:
                continue
            for p in self.patterns:
                for mm in p.finditer(t):
                    n = parse_number(mm.group("n"))
                    if n is None or not (n.value > 100 or n.value < 0):
                        continue
                    if self.unless_before.search(t[max(0, mm.start() - 25) : mm.start()]):
                        continue
                    s = Span(b.span.start + mm.start(), b.span.start + mm.end())
                    tail = _TAIL.match(t[mm.end() :]).group(0)
                    ctx = (mm.group(0) + tail).strip()
                    if len(tail) == 40:
                        ctx = ctx.rsplit(" ", 1)[0] + "…"
                    yield rule.finding(doc, s, found=mm.group("n") + "%", context=ctx)


class PartExceedsWhole(Kind):
    """PC704: "N <unit>, trong đó M <unit>" where the part M is larger than the whole N.
    Both must be plain counts of the same unit (percentages of different bases are not
    comparable: "giảm 0,5%…; trong đó giảm 1,5% hộ DTTS" is a trap)."""

    required = ("pattern",)

    def setup(self, params: dict[str, Any]) -> None:
        self.pattern = compile_pattern(params["pattern"], "pattern")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for b in doc.blocks:
            if b.kind != "paragraph" or b.region not in ("body", "title", "preamble", "annex"):
                continue
            t = doc.block_text(b)
            if "trong đó" not in t.lower():
                continue
            for mm in self.pattern.finditer(t):
                whole, part = parse_number(mm.group("whole")), parse_number(mm.group("part"))
                if whole is None or part is None or whole.percent or part.percent:
                    continue
                u1, u2 = mm.group("unit").split(), mm.group("unit2").split()
                if not u1 or not u2 or u1[0].lower() != u2[0].lower():
                    continue
                if part.value > whole.value:
                    s = Span(b.span.start + mm.start("part"), b.span.start + mm.end("unit2"))
                    yield rule.finding(doc, s, whole=mm.group("whole"), part=mm.group("part"), unit=" ".join(u1))


class StatedTarget(Kind):
    """PC703: a target stated in the text ("giảm 06 hộ nghèo và 03 hộ cận nghèo") against
    the total row of the annex column that allocates it ("Kế hoạch giảm năm 2022" in the
    table about hộ nghèo, resp. hộ cận nghèo)."""

    required = ("verb", "item", "subjects", "column")

    def setup(self, params: dict[str, Any]) -> None:
        self.verb = compile_pattern(params["verb"], "verb")
        self.item = compile_pattern(params["item"], "item")
        self.column = compile_pattern(params["column"], "column")
        self.window = int(params.get("window", 120))
        self.subjects = []
        for key, spec in params["subjects"].items():
            self.subjects.append(
                (
                    key,
                    compile_pattern(spec["match"], "subjects.match"),
                    compile_pattern(spec["table"], "subjects.table"),
                    compile_pattern(spec["table_not"], "subjects.table_not") if spec.get("table_not") else None,
                )
            )

    def _subject(self, s: str) -> str | None:
        for key, match, _, _ in self.subjects:
            if match.fullmatch(_SPACES.sub(" ", s.strip())):
                return key
        return None

    def _table_value(self, doc: Document, subject: str) -> list[tuple[TableModel, Column, Row]]:
        spec = next(s for s in self.subjects if s[0] == subject)
        _, _, want, avoid = spec
        out = []
        for m in tables(doc):
            totals = [r for r in m.rows if r.kind == "total"]
            if not totals:
                continue
            for col in m.column_by_name(self.column):
                ctx = m.title + " " + " ".join(col.path)
                if not want.search(ctx) or (avoid is not None and avoid.search(" ".join(col.path) or m.title)):
                    continue
                if avoid is not None and avoid.search(m.title) and not want.search(" ".join(col.path)):
                    continue
                if col.percent:
                    continue
                tot = totals[-1]
                if tot.cells[col.index].number is not None:
                    out.append((m, col, tot))
        return out

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for b in doc.blocks:
            if b.kind != "paragraph" or b.region not in ("body", "title", "preamble"):
                continue
            t = doc.block_text(b)
            for vm in self.verb.finditer(t):
                seg_end = vm.end() + self.window
                stop = _STOP.search(t[vm.end() : seg_end])
                if stop:
                    seg_end = vm.end() + stop.start()
                for im in self.item.finditer(t, vm.end(), seg_end):
                    subject = self._subject(im.group("subject"))
                    n = parse_number(im.group("n"))
                    if subject is None or n is None:
                        continue
                    found = self._table_value(doc, subject)
                    if not found or any(
                        abs(tot.cells[col.index].number.value - n.value) < 1e-9 for _, col, tot in found
                    ):
                        continue
                    m, col, tot = found[0]
                    s = Span(b.span.start + im.start(), b.span.start + im.end())
                    yield rule.finding(
                        doc,
                        s,
                        stated=im.group("n"),
                        subject=subject,
                        table_value=tot.cells[col.index].number.text,
                        column=col.name,
                        total_label=tot.label or "Tổng",
                        table=(m.title[:80] or f"bảng {m.table + 1}"),
                    )
