"""Batch summaries for the reviewer's spreadsheet: CSV (UTF-8 with BOM) and .xlsx.

One row per document: who issued it, its level and locality, number–ký hiệu, issue
date, plan year, period, signer, counts per severity, the program projects it
leaves out, and why it could not be read (PC001). The .xlsx adds a second sheet
with every finding (filters on, header frozen, widths set).

Excel treats a cell that starts with = + - @ as a formula; plans are full of "- "
and "+ " bullets, so such text cells are written as text: in CSV with a leading
apostrophe (what Excel itself does), in .xlsx by the cell's data type.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from .common import SUMMARY_COLUMNS, headers, section_of, sev_label, summary_row

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

FINDING_COLUMNS = (
    ("path", "Tệp", "File"),
    ("code", "Mã", "Code"),
    ("severity", "Mức độ", "Severity"),
    ("section", "Phần", "Section"),
    ("where", "Vị trí", "Location"),
    ("line", "Dòng", "Line"),
    ("paragraph", "Đoạn", "Paragraph"),
    ("page", "Trang", "Page"),
    ("message", "Nội dung", "Message"),
    ("excerpt", "Trích đoạn", "Excerpt"),
    ("suggestion", "Đề xuất", "Suggestion"),
    ("slug", "Quy tắc", "Rule"),
)


def _csv_cell(v: Any) -> Any:
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return "" if v is None else v


def render_csv(report: Any, lang: str = "vi", **_: Any) -> str:
    """One row per document; UTF-8 with BOM (the CLI writes the str as UTF-8)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers(SUMMARY_COLUMNS, lang))
    keys = [c[0] for c in SUMMARY_COLUMNS]
    for d in report.documents:
        row = summary_row(d, lang)
        w.writerow([_csv_cell(row[k]) for k in keys])
    return "\ufeff" + buf.getvalue()


def finding_rows(report: Any, lang: str = "vi") -> list[dict[str, Any]]:
    rows = []
    for d in report.documents:
        for f in d.findings:
            loc = f.location
            rows.append(
                {
                    "path": d.path,
                    "code": f.code,
                    "severity": sev_label(f.severity.value, lang),
                    "section": section_of(d, f, lang),
                    "where": loc.short(),
                    "line": loc.line,
                    "paragraph": loc.paragraph,
                    "page": loc.page,
                    "message": f.message.get(lang),
                    "excerpt": f.excerpt,
                    "suggestion": f.suggestion or "",
                    "slug": f.slug,
                }
            )
    return rows


def render_xlsx(report: Any, lang: str = "vi", **_: Any) -> bytes:
    """Two sheets: the summary (one row per document) and every finding."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp" if lang == "vi" else "Summary"
    keys = [c[0] for c in SUMMARY_COLUMNS]
    rows = []
    for d in report.documents:
        row = summary_row(d, lang)
        if row["issue_date"]:
            try:
                row["issue_date"] = date.fromisoformat(row["issue_date"])
            except ValueError:
                pass
        rows.append([row[k] for k in keys])
    _fill(ws, headers(SUMMARY_COLUMNS, lang), rows, wrap={"missing_projects", "unreadable"}, keys=keys)
    ws2 = wb.create_sheet("Phát hiện" if lang == "vi" else "Findings")
    fkeys = [c[0] for c in FINDING_COLUMNS]
    frows = [[r[k] for k in fkeys] for r in finding_rows(report, lang)]
    _fill(ws2, headers(FINDING_COLUMNS, lang), frows, wrap={"message", "excerpt", "suggestion"}, keys=fkeys)
    wb.properties.creator = "plancheck"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_WIDTH_CAP = {"message": 70, "excerpt": 50, "suggestion": 40, "missing_projects": 50, "unreadable": 50}


def _fill(ws, head: list[str], rows: list[list[Any]], wrap: set[str], keys: list[str]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(head)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(h) for h in head]
    for r in rows:
        clean = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r]
        ws.append(clean)
        row = ws.max_row
        for j, v in enumerate(clean):
            cell = ws.cell(row=row, column=j + 1)
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, even "=…" (set after the value)
                if keys[j] in wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                else:
                    cell.alignment = Alignment(vertical="top")
                longest = max((len(x) for x in v.split("\n")), default=0)
            elif isinstance(v, date):
                cell.number_format = "DD/MM/YYYY"
                longest = 10
            else:
                longest = len(str(v)) if v is not None else 0
            widths[j] = max(widths[j], longest)
    for j, wdt in enumerate(widths):
        cap = _WIDTH_CAP.get(keys[j], 40)
        ws.column_dimensions[get_column_letter(j + 1)].width = max(8, min(cap, wdt + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, ws.max_row)}"
