"""Outputs a reviewer works with all day (issue 17 items 7-8): whole table cells in the HTML,
the Excel summary's totals, colours, print setup and links, dates dd/mm/yyyy, English
complete with --lang en, no English words in Vietnamese messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck.cli import main
from plancheck.engine import check

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def _cli(*args: str):
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_html_shows_every_paragraph_of_a_table_cell_and_anchors_every_finding(tmp_path):
    from plancheck.parse import parse

    src = SEEDS / "seed001.docx"
    doc = parse(src)
    # the recipients' cell of the signature table holds several paragraphs
    multi = [b for b in doc.blocks if b.kind == "cell" and b.row == 0 and b.col == 0 and b.table == 1]
    assert len(multi) > 3
    out = tmp_path / "r.html"
    _cli("check", str(src), "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    for b in multi:
        words = doc.text[b.span.start : b.span.end].split()
        assert re.search(r"\s*".join(re.escape(w.replace("&", "&amp;")) for w in words[:3]), html), words
    findings = len(re.findall(r'<li class="finding ', html))
    assert findings and len(re.findall(r'class="jump"', html)) == findings  # every finding has its place in the text


def test_xlsx_totals_colours_print_setup_and_links(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    code, _, _ = _cli(
        "check", str(SEEDS / "seed001.txt"), str(SEEDS / "seed002.txt"), "--format", "xlsx", "-o", str(out)
    )
    report = check([SEEDS / "seed001.txt", SEEDS / "seed002.txt"])
    wb = load_workbook(out)
    summary, findings = wb["Tổng hợp"], wb["Phát hiện"]
    head = [c.value for c in summary[1]]
    total = [c.value for c in summary[summary.max_row]]
    assert total[0] == "Tổng cộng (2)"
    for k, h in (("error", "Lỗi"), ("warning", "Cảnh báo"), ("info", "Lưu ý")):
        assert total[head.index(h)] == report.counts()[k]
    assert summary.auto_filter.ref.endswith("3")  # the totals row stays out of the filter
    assert summary.cell(row=2, column=head.index("Lỗi") + 1).fill.fgColor.rgb.endswith("F8D7DA")
    fhead = [c.value for c in findings[1]]
    sev = {"lỗi": "F8D7DA", "cảnh báo": "FFF3CD", "lưu ý": "D1ECF1"}
    for r in findings.iter_rows(min_row=2):
        assert r[fhead.index("Mức độ")].fill.fgColor.rgb.endswith(sev[r[fhead.index("Mức độ")].value])
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
    # summary -> first finding of the document; each finding -> its document's row
    n1 = len(report.documents[0].findings)
    assert summary["A2"].hyperlink.location == "'Phát hiện'!A2"
    assert summary["A3"].hyperlink.location == f"'Phát hiện'!A{2 + n1}"
    assert findings[f"A{2 + n1}"].hyperlink.location == "'Tổng hợp'!A3"
    assert findings[f"A{1 + n1}"].hyperlink.location == "'Tổng hợp'!A2"


def test_dates_dd_mm_yyyy_in_every_human_output(tmp_path):
    src = SEEDS / "seed001.txt"
    for fmt in ("text", "csv", "html"):
        for lang in ("vi", "en"):
            _, out, _ = _cli("check", str(src), "--format", fmt, "--lang", lang)
            assert "24/10/2022" in out and "2022-10-24" not in out, (fmt, lang)


def test_lang_en_complete(tmp_path):
    src = SEEDS / "seed001.txt"
    _, out, _ = _cli("check", str(src), "--lang", "en")
    assert "Projects: 5/7 addressed" in out and "Dự án:" not in out
    assert out.splitlines()[-1] == "1 document: 4 errors, 12 warnings, 3 info"
    _, csv, _ = _cli("check", str(src), "--format", "csv", "--lang", "en")
    row = csv.splitlines()[1]
    assert "Sub-project 2 (Project 4)" in row and "Tiểu dự án" not in row and ",commune," in row
    _, html, _ = _cli("check", str(src), "--format", "html", "--lang", "en")
    assert "Sub-project 1 (Project 1)" in html
    one = tmp_path / "one.txt"
    shutil.copy(SEEDS / "seed002.txt", one)
    _, out, _ = _cli("check", str(one), "--lang", "en", "--select", "PC101")
    assert out.splitlines()[-1] == "1 document: 1 error, 0 warnings, 0 info"


ENGLISH = re.compile(r"\b(?:bold|plain|mixed|upper|lower|heading|level|error|warning|found|expected)\b", re.I)


@pytest.mark.parametrize("seed", ["seed003.docx", "seed001.docx", "seed004.docx"])
def test_no_english_words_in_vietnamese_messages(seed):
    report = check([SEEDS / seed])
    assert report.documents[0].findings
    for _, f in report.all_findings():
        outside_quotes = re.sub(r'"[^"]*"|“[^”]*”', "", f.message.vi)
        assert not ENGLISH.search(outside_quotes), f.message.vi


def test_pc103_style_words_vietnamese_and_english():
    from plancheck.rulebook import load_rules

    (rule,) = [r for r in load_rules() if r.code == "PC103"]
    from plancheck.examples import run_example

    head = "KẾ HOẠCH\nThực hiện năm 2024\n\n## I. MỤC TIÊU\n\n"
    case = head + "Nội dung.\n\n## II. Kinh phí thực hiện\n\nNội dung.\n\n## III. TỔ CHỨC\n\nNội dung."
    (f,), _, _ = run_example(rule, {"format": "md", "text": case})
    assert f.message.vi == 'Đề mục "II." viết chữ thường, các mục La Mã khác viết chữ in hoa.'
    assert f.message.en == 'Heading "II." is in mixed case, other Roman headings are upper.'
    bold = head + "### **1. Mục tiêu chung**\n\nNội dung.\n\n### 2. Mục tiêu cụ thể\n\nNội dung."
    (f,), _, _ = run_example(rule, {"format": "md", "text": bold})
    assert f.message.vi == 'Đề mục "2." viết không đậm, khác mục cùng cấp "1." (chữ đậm).'
    assert f.message.en == 'Heading "2." is plain, unlike its sibling "1." (bold).'


def test_one_word_for_suggestion():
    from plancheck.report.common import comment_text
    from plancheck.report.html import UI
    from plancheck.report.tabular import FINDING_COLUMNS
    from plancheck.server.i18n import UI as T

    assert UI["vi"]["suggestion"] == "Đề xuất"
    assert dict((k, v) for k, v, _ in FINDING_COLUMNS)["suggestion"] == "Đề xuất"
    assert T["suggestion"]["vi"] == "Đề xuất"
    f = check([SEEDS / "seed001.txt"]).documents[0].findings
    s = next(x for x in f if x.suggestion)
    assert "\nĐề xuất: " in comment_text(s, "vi")


def test_explain_and_sarif_in_english():
    from plancheck.rulebook import load_rules

    rules = load_rules()
    vi_only = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
    for r in rules:
        assert r.why_en, f"{r.code}: no why_en"
        # English prose (Vietnamese only in quoted names, document numbers and titles)
        prose = re.sub(r'"[^"]*"|“[^”]*”|\([^)]*\)|`[^`]*`|\S*/\S*|\b(?:[A-ZĐ][\wđ]*\s?){2,}', "", r.why_en)
        assert len(vi_only.findall(prose)) <= 3, (r.code, prose)
    code, out, _ = _cli("explain", "PC101", "--lang", "en")
    assert code == 0 and "The main parts of a plan are numbered I, II, III" in out and "Các phần lớn" not in out
    code, out, _ = _cli("explain", "PC101")
    assert "Các phần lớn của kế hoạch" in out and "Ví dụ vi phạm:" in out
    import json

    _, sarif, _ = _cli("check", str(SEEDS / "seed002.txt"), "--format", "sarif", "--lang", "en")
    desc = {r["id"]: r["fullDescription"]["text"] for r in json.loads(sarif)["runs"][0]["tool"]["driver"]["rules"]}
    assert desc["PC101"].startswith("The main parts of a plan")
