"""Batch summaries: CSV (UTF-8 with BOM) and .xlsx (summary + every finding), on the seeds in all formats."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck.cli import main
from plancheck.engine import DocReport, Options, Report, check
from plancheck.model import Finding, Location, Message, Severity, Span
from plancheck.report import get_renderer
from plancheck.report.common import missing_projects, summary_row
from plancheck.report.tabular import render_csv, render_xlsx

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The seeds checked once; the three outputs rendered from the same report."""
    out = tmp_path_factory.mktemp("tab")
    report = check([SEEDS], Options())
    (out / "r.csv").write_bytes(get_renderer("csv")(report, lang="vi").encode("utf-8"))
    (out / "r.xlsx").write_bytes(get_renderer("xlsx")(report, lang="vi"))
    (out / "r.json").write_text(get_renderer("json")(report, lang="vi"), encoding="utf-8")
    return out


def test_cli_writes_csv_with_bom_and_xlsx(tmp_path):
    for fmt in ("csv", "xlsx"):
        res = CliRunner().invoke(
            main, ["check", str(SEEDS / "seed001.txt"), "--format", fmt, "-o", str(tmp_path / f"r.{fmt}")]
        )
        assert res.exit_code in (0, 1), res.output
    rows = _csv_rows(tmp_path / "r.csv")
    assert len(rows) == 1 and rows[0]["Số, ký hiệu"] == "85/KH-UBND"
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_one_row_per_document_with_metadata(outputs):
    rows = _csv_rows(outputs / "r.csv")
    data = json.loads((outputs / "r.json").read_text(encoding="utf-8"))
    assert [r["Tệp"] for r in rows] == [d["path"] for d in data["documents"]]
    assert len(rows) == 15
    for fmt in ("txt", "docx", "pdf"):
        (r,) = [r for r in rows if r["Tệp"].endswith(f"seed001.{fmt}")]
        assert r["Số, ký hiệu"] == "85/KH-UBND"
        assert r["Ngày ban hành"] == "24/10/2022"  # dd/mm/yyyy (issue 17)
        assert r["Năm kế hoạch"] == "2022"
        assert r["Cấp"] == "xã" and r["Địa bàn"] == "Thịnh Đức"
        assert r["Định dạng"] == fmt
    for r, d in zip(rows, data["documents"], strict=True):
        assert int(r["Lỗi"]) == d["counts"]["error"]
        assert int(r["Cảnh báo"]) == d["counts"]["warning"]
        assert int(r["Lưu ý"]) == d["counts"]["info"]


def test_csv_english_headers_and_formula_guard():
    f = Finding("PC001", "unreadable-file", Severity.ERROR, Message("=HỎNG", "=BROKEN"), Span(0, 0), "", Location())
    d = DocReport(
        path="-plan.txt", format="txt", metadata={"number": "+12/KH", "issuer": "=cmd()"}, findings=[f], error="corrupt"
    )
    rows = list(csv.reader(io.StringIO(render_csv(Report([d]), lang="en").lstrip("\ufeff"))))
    head, row = rows
    assert head[0] == "File" and "Unreadable (PC001)" in head
    values = dict(zip(head, row, strict=True))
    assert values["File"] == "'-plan.txt"
    assert values["Issuer"] == "'=cmd()"
    assert values["Number"] == "'+12/KH"
    assert values["Unreadable (PC001)"] == "'=BROKEN"
    assert values["Errors"] == "1"


def test_xlsx_two_sheets_filters_frozen_widths(outputs):
    from openpyxl import load_workbook

    wb = load_workbook(outputs / "r.xlsx")
    assert wb.sheetnames == ["Tổng hợp", "Phát hiện"]
    data = json.loads((outputs / "r.json").read_text(encoding="utf-8"))
    summary, findings = wb["Tổng hợp"], wb["Phát hiện"]
    for ws in (summary, findings):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all(ws.column_dimensions[c].width and ws.column_dimensions[c].width >= 8 for c in "ABCDE")
        assert all(c.font.bold for c in ws[1])
    assert summary.max_row == 2 + len(data["documents"])  # header, one row a document, totals
    n_findings = sum(len(d["findings"]) for d in data["documents"])
    assert findings.max_row == 1 + n_findings
    head = [c.value for c in summary[1]]
    row = {
        h: c.value
        for h, c in zip(
            head, next(r for r in summary.iter_rows(min_row=2) if r[0].value.endswith("seed001.txt")), strict=True
        )
    }
    assert row["Số, ký hiệu"] == "85/KH-UBND"
    assert isinstance(row["Ngày ban hành"], datetime) and row["Ngày ban hành"].date().isoformat() == "2022-10-24"
    assert row["Năm kế hoạch"] == 2022
    fhead = [c.value for c in findings[1]]
    assert fhead[:3] == ["Tệp", "Mã", "Mức độ"]
    frows = [[c.value for c in r] for r in findings.iter_rows(min_row=2)]
    seed001 = [r for r in frows if r[0].endswith("seed001.txt") and r[1] == "PC101"]
    assert seed001 and seed001[0][fhead.index("Trích đoạn")] == "VII."
    assert seed001[0][fhead.index("Dòng")] == 251
    # Vietnamese intact, messages as in JSON
    msgs = {f["message"] for d in data["documents"] for f in d["findings"]}
    assert {r[fhead.index("Nội dung")] for r in frows} == msgs


def test_xlsx_text_starting_with_equals_is_not_a_formula():
    from openpyxl import load_workbook

    f = Finding("PC802", "x", Severity.WARNING, Message("m", "m"), Span(0, 5), "=SUM(A1)", Location(line=1, column=1))
    d = DocReport(path="p.txt", format="txt", metadata={}, findings=[f])
    wb = load_workbook(io.BytesIO(render_xlsx(Report([d]), lang="vi")))
    ws = wb["Phát hiện"]
    head = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=head.index("Trích đoạn") + 1)
    assert cell.value == "=SUM(A1)" and cell.data_type == "s"


def test_missing_projects_from_coverage_metadata():
    meta = {
        "coverage": [
            {"label": "Dự án 1", "status": "addressed"},
            {"label": "Tiểu dự án 2 (Dự án 3)", "status": "missing"},
            {"name": "Dự án 6", "status": "missing"},
        ]
    }
    assert missing_projects(meta) == ["Tiểu dự án 2 (Dự án 3)", "Dự án 6"]
    assert missing_projects({}) == []
    d = DocReport(path="p.txt", format="txt", metadata=meta, findings=[])
    assert summary_row(d)["missing_projects"] == "Tiểu dự án 2 (Dự án 3); Dự án 6"


def test_realworld_batch_rows_carry_the_stated_metadata(tmp_path):
    """One row per real document; number, date, year and issuer as the JSON metadata has them."""
    from plancheck.report.common import display_date

    corpus = SEEDS.parent / "realworld"
    report = check([corpus], Options())
    csv_path = tmp_path / "r.csv"
    csv_path.write_bytes(get_renderer("csv")(report, lang="vi").encode("utf-8"))
    json_text = get_renderer("json")(report, lang="vi")
    rows = _csv_rows(csv_path)
    docs = json.loads(json_text)["documents"]
    assert len(rows) == len(docs) >= 30
    with_number = 0
    for r, d in zip(rows, docs, strict=True):
        m = d["metadata"]
        assert r["Tệp"] == d["path"]
        assert r["Số, ký hiệu"] == (m.get("number") or "")
        assert r["Ngày ban hành"] == display_date(m.get("issue_date") or "")  # dd/mm/yyyy
        assert r["Cơ quan ban hành"] == (m.get("issuer") or "")
        with_number += bool(r["Số, ký hiệu"])
    assert with_number >= 20  # most real plans state their number–ký hiệu
