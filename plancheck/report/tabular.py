"""Batch summaries for the reviewer's spreadsheet: CSV (UTF-8 with BOM) and .xlsx.

One row per document: who issued it, its level and locality, number–ký hiệu, issue
date, plan year, period, signer, counts per severity, the program projects it
leaves out, and why it could not be read (PC001). The .xlsx adds a second sheet
with every finding (filters on, header frozen, widths set) and, for a batch whose plans
cite each other, a third one, "Liên kết": each such citation, resolved or not (the CSV
gets the same table as a section below the summary).

Excel treats a cell that starts with = + - @ as a formula; plans are full of "- "
and "+ " bullets, so such text cells are written as text: in CSV with a leading
apostrophe (what Excel itself does), in .xlsx by the cell's data type.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from .common import SUMMARY_COLUMNS, display_date, display_path, headers, section_of, sev_label, summary_row

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


LINK_COLUMNS = (
    ("source", "Tệp trích dẫn", "Citing file"),
    ("where", "Vị trí", "Location"),
    ("citation", "Trích dẫn", "Citation"),
    ("status", "Kết quả", "Result"),
    ("problems", "Sai lệch", "Differences"),
    ("target", "Văn bản trong bộ hồ sơ", "Batch document"),
    ("target_number", "Số, ký hiệu", "Number"),
    ("target_date", "Ngày ban hành", "Issue date"),
    ("target_issuer", "Cơ quan ban hành", "Issuer"),
)
_LINK_STATUS = {
    "resolved": ("khớp", "matches"),
    "mismatch": ("không khớp", "does not match"),
    "unresolved": ("không có văn bản này; gần nhất", "no such document; closest"),
}
_LINK_PROBLEMS = {
    "date": ("ngày ban hành", "issue date"),
    "issuer": ("cơ quan ban hành", "issuer"),
    "title": ("trích yếu", "title"),
    "number": ("số, ký hiệu", "number"),
}


def link_rows(report: Any, lang: str = "vi") -> list[dict[str, Any]]:
    """The "Liên kết" table: each citation between documents of the batch (batch layer)."""
    k = 1 if lang == "en" else 0
    rows = []
    for lk in getattr(report, "links", None) or ():
        loc = (
            "¶{}".format(lk["paragraph"])
            if lk.get("paragraph")
            else (f"p{lk['page']}:{lk['line']}" if lk.get("page") else str(lk.get("line") or ""))
        )
        rows.append(
            {
                "source": lk["source"],
                "where": loc,
                "citation": lk["citation"],
                "status": _LINK_STATUS.get(lk["status"], (lk["status"],) * 2)[k],
                "problems": ", ".join(_LINK_PROBLEMS.get(p, (p, p))[k] for p in lk.get("problems") or ()),
                "target": lk.get("target") or lk.get("closest") or "",
                "target_number": lk.get("target_number") or "",
                "target_date": display_date(lk.get("target_date") or ""),
                "target_issuer": lk.get("target_issuer") or "",
            }
        )
    return rows


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
        row["issue_date"] = display_date(row["issue_date"])  # dd/mm/yyyy, as plans and Excel in Vietnam write it
        w.writerow([_csv_cell(row[k]) for k in keys])
    links = link_rows(report, lang)
    if links:  # a batch whose plans cite each other: the "Liên kết" section below the summary
        w.writerow([])
        w.writerow(["Liên kết" if lang == "vi" else "Links"])
        w.writerow(headers(LINK_COLUMNS, lang))
        for row in links:
            w.writerow([_csv_cell(row[k]) for k, _, _ in LINK_COLUMNS])
    return "\ufeff" + buf.getvalue()


def finding_rows(report: Any, lang: str = "vi") -> list[dict[str, Any]]:
    rows = []
    for d in report.documents:
        for f in d.findings:
            loc = f.location
            rows.append(
                {
                    "path": display_path(d.path),
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
    """The summary (one row per document, a totals row), every finding, and the batch's links.

    Counts and severities are coloured, each sheet prints landscape, one page wide, with
    its header row repeated; a document's file name in the summary links to its first
    finding in the findings sheet, and each finding's file name links back to its row.
    """
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
    found = finding_rows(report, lang)
    frows = [[r[k] for k in fkeys] for r in found]
    _fill(ws2, headers(FINDING_COLUMNS, lang), frows, wrap={"message", "excerpt", "suggestion"}, keys=fkeys)
    _summary_extras(ws, ws2, report, keys, fkeys, lang)
    links = link_rows(report, lang)
    if links:
        ws3 = wb.create_sheet("Liên kết" if lang == "vi" else "Links")
        lkeys = [c[0] for c in LINK_COLUMNS]
        _fill(ws3, headers(LINK_COLUMNS, lang), [[r[k] for k in lkeys] for r in links], wrap={"citation"}, keys=lkeys)
    for sheet in wb.worksheets:
        _print_setup(sheet)
    wb.properties.creator = "plancheck"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Fills of the severities (text dark enough to print in black and white).
SEV_FILL = {"error": "F8D7DA", "warning": "FFF3CD", "info": "D1ECF1"}


def _summary_extras(ws, ws2, report: Any, keys: list[str], fkeys: list[str], lang: str) -> None:
    """Totals row, severity colours and the links between the summary and the findings."""
    from openpyxl.styles import Border, Font, PatternFill, Side

    fills = {k: PatternFill("solid", fgColor=v) for k, v in SEV_FILL.items()}
    n = len(report.documents)
    # severity colours: counts above zero in the summary, the severity cell of each finding
    for r in range(2, n + 2):
        for sev in ("error", "warning", "info"):
            c = ws.cell(row=r, column=keys.index(sev) + 1)
            if isinstance(c.value, int) and c.value > 0:
                c.fill = fills[sev]
    sev_col = fkeys.index("severity") + 1
    r = 2
    first_row: dict[int, int] = {}
    for i, d in enumerate(report.documents):
        for f in d.findings:
            ws2.cell(row=r, column=sev_col).fill = fills[f.severity.value]
            first_row.setdefault(i, r)
            # back to the document's row in the summary
            _link(ws2.cell(row=r, column=1), ws.title, i + 2)
            r += 1
    for i, fr in first_row.items():
        _link(ws.cell(row=i + 2, column=1), ws2.title, fr)
    # totals row, below the filter range so sorting and filtering leave it in place
    total = n + 2
    ws.cell(row=total, column=1, value=("Tổng cộng" if lang == "vi" else "Total") + f" ({n})")
    for k in ("error", "warning", "info"):
        j = keys.index(k) + 1
        ws.cell(row=total, column=j, value=sum(d.counts()[k] for d in report.documents))
    top = Border(top=Side(style="thin"))
    for j in range(1, len(keys) + 1):
        c = ws.cell(row=total, column=j)
        c.font = Font(bold=True)
        c.border = top
    ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(keys)).column_letter}{max(1, n + 1)}"


def _link(cell, sheet: str, row: int) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A{row}")
    cell.font = Font(color="0563C1", underline="single")


def _print_setup(ws) -> None:
    """Landscape A4, one page wide (as many pages long as needed), header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


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
