"""Table model: header rows, column names (merged headings), row kinds, the table's title."""

from __future__ import annotations

import pytest

from plancheck.extract.tables import tables, tables_json
from plancheck.parse import parse, parse_text


def _formats():
    import importlib.util

    return ["txt"] + [f for f in ("docx", "pdf") if importlib.util.find_spec(f"plancheck.readers.{f}") is not None]


@pytest.mark.parametrize("fmt", _formats())
def test_seed001_annex_tables(seeds, fmt):
    doc = parse(seeds / f"seed001.{fmt}")
    models = tables(doc)
    assert len(models) == 2  # the header / signature layout tables of Word are not data tables
    t1, t2 = models
    assert "GIẢM HỘ NGHÈO" in t1.title and "CẬN NGHÈO" in t2.title
    assert t1.header_rows == 2
    names = [c.name for c in t1.columns]
    assert names[2] == "Tổng số hộ năm 2022"
    assert t1.columns[5].path == ("Giảm hộ nghèo năm 2022", "Kế hoạch giảm năm 2022")
    assert t1.columns[7].percent and not t1.columns[6].percent
    kinds = [r.kind for r in t1.rows]
    assert kinds == ["header", "header"] + ["data"] * 12 + ["total"]
    total = t1.rows[-1]
    assert total.label == "CỘNG"
    assert total.cells[2].number.value == 2211
    assert total.cells[7].number.value == pytest.approx(1.4)
    assert t1.rows[2].cells[5].empty  # NHÂN HÒA has no "Kế hoạch giảm": empty, not text
    assert t2.rows[-1].label == "CỘNG"  # the label sits in the second column there


def test_numbering_row_and_groups():
    text = (
        "STT\tNội dung\tSố hộ\tKinh phí (triệu đồng)\n(1)\t(2)\t(3)\t(4)\n"
        "I\tXã A\t15\t30\n1\tThôn 1\t10\t20\n2\tThôn 2\t5\t10\n- Trong đó hộ DTTS\t\t2\t4\nTổng cộng\t\t15\t30"
    )
    (m,) = tables(parse_text(text))
    assert m.header_rows == 2
    assert [r.kind for r in m.rows] == ["header", "numbering", "group", "data", "data", "sub", "total"]
    assert [r.marker for r in m.rows[2:5]] == ["I", "1", "2"]


def test_word_merged_heading_repeated():
    # Word repeats a merged cell's text in each grid column it covers.
    text = "TT\tXã\tHộ nghèo\tHộ nghèo\n\t\tĐầu kỳ\tCuối kỳ\n1\tA\t5\t3\nCộng\t\t5\t3"
    (m,) = tables(parse_text(text))
    assert [c.path for c in m.columns[2:]] == [("Hộ nghèo", "Đầu kỳ"), ("Hộ nghèo", "Cuối kỳ")]


def test_text_cells_and_json_view():
    text = "TT\tTên\tSố hộ\n1\tThôn 1\tx\n2\tThôn 2\tchưa rà soát\nCộng\t\t5"
    doc = parse_text(text)
    (m,) = tables(doc)
    assert m.rows[1].cells[2].empty and m.rows[2].cells[2].is_text
    view = tables_json(doc)
    assert view[0]["rows"][-1] == {"kind": "total", "marker": "", "label": "Cộng", "values": ["Cộng", None, "5"]}
