"""The .docx reader: body order, paragraph locations, bold/heading hints, tables, errors.

The documents are built with python-docx in the test (no binary fixtures); the
expected paragraph index of a text is found independently by counting ``w:p``
elements of the body in document order (which is what "¶N" means).
"""

from __future__ import annotations

import copy
import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from plancheck.readers import Limits, ReadError, read_bytes
from plancheck.readers.docx import read_docx

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"

NFD_TEXT = "- Phấn đấu giảm nghèo bền vững, nâng cao đời sống người dân."


# ---------------------------------------------------------------- builders


def _no_borders(table) -> None:
    tblPr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tblPr.append(borders)


def _cell_lines(cell, lines: list[tuple[str, dict]]) -> None:
    for i, (text, fmt) in enumerate(lines):
        par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if text:
            run = par.add_run(text)
            run.bold = fmt.get("bold")
            run.italic = fmt.get("italic")


def _save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def build_plan() -> bytes:
    d = docx.Document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "Tiêu đề trang lặp lại"
    sec.footer.paragraphs[0].text = "Chân trang 1"

    # header table: borderless, issuer / "Số:" left, Quốc hiệu / Tiêu ngữ / date right
    t = d.add_table(rows=1, cols=2)
    _no_borders(t)
    left, right = t.rows[0].cells
    _cell_lines(left, [("ỦY BAN NHÂN DÂN", {}), ("XÃ THỊNH ĐỨC", {"bold": True}), ("Số: 85/KH-UBND", {})])
    _cell_lines(
        right,
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True}),
            ("Độc lập - Tự do - Hạnh phúc", {"bold": True}),
            ("Thịnh Đức, ngày 24 tháng 10 năm 2022", {"italic": True}),
        ],
    )

    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("KẾ HOẠCH").bold = True
    p = d.add_paragraph()
    p.add_run("Thực hiện Chương trình giảm nghèo bền vững năm 2022").bold = True
    d.add_paragraph("")  # empty: no block, but still a paragraph (¶)
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU", style="Heading 1")
    p = d.add_paragraph()
    p.add_run("1. Mục đích:").bold = True
    p.add_run(" Cụ thể hóa các mục tiêu giảm nghèo.")
    d.add_paragraph(unicodedata.normalize("NFD", NFD_TEXT))

    # a paragraph inside a block-level content control (w:sdt)
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Nội dung trong điều khiển.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    d.element.body.insert(len(d.element.body) - 1, sdt)  # before w:sectPr

    # hyperlink, tracked insertion and deletion
    p = d.add_paragraph("Xem ")
    p._p.append(
        parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="rId99"><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink>')
    )
    p._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> điện tử</w:t></w:r></w:ins>'
        )
    )
    p._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText> bị xóa</w:delText></w:r></w:del>')
    )
    p.add_run(".")

    # data table with a cell of two paragraphs, a vertical merge and a horizontal merge
    t = d.add_table(rows=4, cols=4)
    t.style = d.styles["Table Grid"]
    rows = [
        ["TT", "Tên xóm", "Số hộ", "Ghi chú"],
        ["1", None, "219", "Đạt"],
        ["2", "PHÚC HÒA", "1.992", ""],
        ["CỘNG", "", "2.211", ""],
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).paragraphs[0].add_run(text).bold = r in (0, 3)
    _cell_lines(t.cell(1, 1), [("Xóm", {}), ("NHÂN HÒA", {})])
    t.cell(1, 3).merge(t.cell(2, 3))  # vMerge: "Đạt" once
    t.cell(3, 0).merge(t.cell(3, 1))  # gridSpan 2: "CỘNG" once

    d.add_paragraph("Trên đây là Kế hoạch của UBND xã.")

    # signature table: no borders set explicitly, recognised by its content
    t = d.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    _cell_lines(left, [("Nơi nhận:", {"bold": True, "italic": True}), ("- Như trên;", {}), ("- Lưu: VT.", {})])
    _cell_lines(
        right,
        [
            ("KT. CHỦ TỊCH", {"bold": True}),
            ("PHÓ CHỦ TỊCH", {"bold": True}),
            ("", {}),
            ("Nguyễn Văn An", {"bold": True}),
        ],
    )
    return _save(d)


def para_index(data: bytes, text: str) -> int:
    """1-based index of the first body paragraph whose text (w:t only) starts with ``text``."""
    d = docx.Document(io.BytesIO(data))
    for i, p in enumerate(d.element.body.iter(qn("w:p")), 1):
        s = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if unicodedata.normalize("NFC", s).startswith(text):
            return i
    raise AssertionError(f"no paragraph {text!r}")


@pytest.fixture(scope="module")
def plan() -> tuple[bytes, object]:
    data = build_plan()
    return data, read_docx(data, Limits())


def _texts(res, kind=None):
    return [res.text[b.span.start : b.span.end] for b in res.blocks if kind is None or b.kind == kind]


def _block(res, text):
    for b in res.blocks:
        if res.text[b.span.start : b.span.end] == text:
            return b
    raise AssertionError(f"no block {text!r} in {_texts(res)}")


def _table_texts(res, table):
    return [[res.text[res.blocks[i].span.start : res.blocks[i].span.end] for i in row] for row in table.rows]


# ---------------------------------------------------------------- content and order


def test_body_order_and_paragraph_blocks(plan):
    _, res = plan
    assert res.fmt == "docx"
    assert _texts(res, "paragraph") == [
        "KẾ HOẠCH",
        "Thực hiện Chương trình giảm nghèo bền vững năm 2022",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích: Cụ thể hóa các mục tiêu giảm nghèo.",
        NFD_TEXT,
        "Nội dung trong điều khiển.",
        "Xem Cổng thông tin điện tử.",
        "Trên đây là Kế hoạch của UBND xã.",
    ]
    # tables come where they are in the body
    first_cell = next(i for i, b in enumerate(res.blocks) if b.kind == "cell" and b.table == 1)
    assert _texts(res)[first_cell - 1] == "Xem Cổng thông tin điện tử."
    assert _texts(res)[first_cell] == "TT"


def test_page_furniture_and_deleted_text_are_ignored(plan):
    _, res = plan
    assert "Tiêu đề trang" not in res.text
    assert "Chân trang" not in res.text
    assert "bị xóa" not in res.text


def test_text_is_nfc_and_located_in_the_original(plan):
    data, res = plan
    b = _block(res, NFD_TEXT)
    assert unicodedata.is_normalized("NFC", res.text)
    i = res.text.index("bền vững", b.span.start)
    from plancheck.model import Span

    span = Span(i, i + len("bền vững"))
    loc = res.sourcemap.locate(span)
    assert loc.paragraph == para_index(data, NFD_TEXT)
    src = unicodedata.normalize("NFD", NFD_TEXT)
    assert loc.column == src.index(unicodedata.normalize("NFD", "bền vững")) + 1
    assert unicodedata.normalize("NFC", res.sourcemap.original(span)) == "bền vững"


@pytest.mark.parametrize(
    "text",
    ["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "Nội dung trong điều khiển.", "Số: 85/KH-UBND", "2.211", "Nguyễn Văn An"],
)
def test_paragraph_index_counts_cells_in_body_order(plan, text):
    data, res = plan
    loc = res.sourcemap.locate(_block(res, text).span)
    assert loc.paragraph == para_index(data, text)
    assert loc.column == 1


def test_cell_paragraphs_are_located_separately(plan):
    data, res = plan
    from plancheck.model import Span

    i = res.text.index("NHÂN HÒA")
    assert res.sourcemap.locate(Span(i, i + 8)).paragraph == para_index(data, "NHÂN HÒA")
    j = res.text.index("Xóm NHÂN")
    assert res.sourcemap.locate(Span(j, j + 3)).paragraph == para_index(data, "Xóm")


# ---------------------------------------------------------------- hints


def test_bold_italic_and_heading_hints(plan):
    _, res = plan
    title = _block(res, "KẾ HOẠCH")
    assert title.bold and title.bold_prefix == 0
    h = _block(res, "I. MỤC ĐÍCH, YÊU CẦU")
    assert h.level_hint == 1
    assert h.bold  # bold comes from the "Heading 1" style, not from the run
    runin = _block(res, "1. Mục đích: Cụ thể hóa các mục tiêu giảm nghèo.")
    assert not runin.bold and runin.bold_prefix == len("1. Mục đích:")
    body = _block(res, NFD_TEXT)
    assert not body.bold and body.bold_prefix == 0 and body.level_hint == 0
    assert _block(res, "Thịnh Đức, ngày 24 tháng 10 năm 2022").italic
    assert _block(res, "XÃ THỊNH ĐỨC").bold and not _block(res, "ỦY BAN NHÂN DÂN").bold


# ---------------------------------------------------------------- tables


def test_data_table_cells_and_merges(plan):
    _, res = plan
    data_tables = [t for t in res.tables if t.region != "layout"]
    assert len(data_tables) == 1
    assert _table_texts(res, data_tables[0]) == [
        ["TT", "Tên xóm", "Số hộ", "Ghi chú"],
        ["1", "Xóm NHÂN HÒA", "219", "Đạt"],
        ["2", "PHÚC HÒA", "1.992", ""],
        ["CỘNG", "", "2.211", ""],
    ]
    assert res.text.count("Đạt") == 1 and res.text.count("CỘNG") == 1 + res.text.count("CỘNG HÒA")
    total = _block(res, "CỘNG")
    assert total.kind == "cell" and total.bold and total.col == 0
    assert _block(res, "2.211").col == 2


def test_layout_tables_keep_lines_separate(plan):
    _, res = plan
    layout = [t for t in res.tables if t.region == "layout"]
    assert len(layout) == 2
    kt, pho = _block(res, "KT. CHỦ TỊCH"), _block(res, "PHÓ CHỦ TỊCH")
    assert kt.index + 1 == pho.index
    assert (kt.table, kt.row, kt.col) == (pho.table, pho.row, pho.col)
    assert kt.region == pho.region == "layout"
    for text in ("Nơi nhận:", "- Như trên;", "- Lưu: VT.", "Nguyễn Văn An", "Số: 85/KH-UBND"):
        assert _block(res, text).region == "layout"
    assert _block(res, "Nơi nhận:").bold and _block(res, "Nơi nhận:").italic
    header = _block(res, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert header.table == _block(res, "ỦY BAN NHÂN DÂN").table and header.col == 1


def test_small_bordered_table_without_header_content_is_data():
    d = docx.Document()
    d.add_paragraph("Bảng:")
    t = d.add_table(rows=2, cols=2)
    t.style = d.styles["Table Grid"]
    for r, row in enumerate([["Chỉ tiêu", "Kết quả"], [None, "12"]]):
        for c, text in enumerate(row):
            if text:
                _cell_lines(t.cell(r, c), [(text, {})])
    _cell_lines(t.cell(1, 0), [("Hộ", {}), ("nghèo", {})])  # two paragraphs, one cell
    res = read_docx(_save(d), Limits())
    assert [t.region for t in res.tables] == ["body"]
    assert _table_texts(res, res.tables[0]) == [["Chỉ tiêu", "Kết quả"], ["Hộ nghèo", "12"]]


def test_nested_tables_are_flattened_into_the_cell_and_depth_limited():
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    t = d.add_table(rows=1, cols=2)
    t.style = d.styles["Table Grid"]
    t.cell(0, 0).paragraphs[0].text = "Ngoài"
    inner = t.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).paragraphs[0].text = "Trong 1"
    inner.cell(0, 1).paragraphs[0].text = "Trong 2"
    deeper = inner.cell(0, 1).add_table(rows=1, cols=1)
    deeper.cell(0, 0).paragraphs[0].text = "Sâu"
    data = _save(d)
    res = read_docx(data, Limits())
    assert _table_texts(res, res.tables[0]) == [["Ngoài", "Trong 1 Trong 2 Sâu"]]
    from plancheck.model import Span

    i = res.text.index("Sâu")
    assert res.sourcemap.locate(Span(i, i + 3)).paragraph == para_index(data, "Sâu")
    with pytest.raises(ReadError) as exc:
        read_docx(data, Limits(max_table_depth=1))
    assert exc.value.reason == "corrupt" and "1" in exc.value.params["detail"]


def test_header_table_on_an_irregular_grid_is_layout():
    # Real header tables often sit on a grid of 4+ columns (cell borders that do not
    # line up from row to row): what counts is the cells shown, 2 per row here.
    d = docx.Document()
    t = d.add_table(rows=2, cols=4)
    _no_borders(t)
    a = t.cell(0, 0).merge(t.cell(0, 1))
    b = t.cell(0, 2).merge(t.cell(0, 3))
    c = t.cell(1, 0).merge(t.cell(1, 2))
    _cell_lines(a, [("ỦY BAN NHÂN DÂN", {}), ("XÃ THỊNH ĐỨC", {"bold": True})])
    _cell_lines(b, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True}), ("Độc lập - Tự do - Hạnh phúc", {})])
    _cell_lines(c, [("Số: 12/KH-UBND", {})])
    _cell_lines(t.cell(1, 3), [("Thịnh Đức, ngày 2 tháng 3 năm 2024", {"italic": True})])
    res = read_docx(_save(d), Limits())
    assert [t.region for t in res.tables] == ["layout"]
    assert _texts(res) == [
        "ỦY BAN NHÂN DÂN",
        "XÃ THỊNH ĐỨC",
        "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "Số: 12/KH-UBND",
        "",
        "",
        "Thịnh Đức, ngày 2 tháng 3 năm 2024",
    ]
    assert [(b.row, b.col) for b in res.blocks if res.text[b.span.start : b.span.end]] == [
        (0, 0),
        (0, 0),
        (0, 2),
        (0, 2),
        (1, 0),
        (1, 3),
    ]


def test_soft_line_breaks_split_lines_in_layout_cells_only():
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    _no_borders(t)
    p = t.cell(0, 0).paragraphs[0]
    p.add_run("ỦY BAN NHÂN DÂN").add_break()
    p.add_run("XÃ THỊNH ĐỨC").bold = True
    t.cell(0, 1).paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    p = d.add_paragraph("Dòng một")
    p.runs[0].add_break()
    p.add_run("dòng hai")
    res = read_docx(_save(d), Limits())
    assert _texts(res) == ["ỦY BAN NHÂN DÂN", "XÃ THỊNH ĐỨC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Dòng một dòng hai"]
    assert _block(res, "XÃ THỊNH ĐỨC").bold and not _block(res, "ỦY BAN NHÂN DÂN").bold


def test_run_formatting_caps_hidden_character_style_and_alternate_content():
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    label = d.styles.add_style("Nhãn đậm", WD_STYLE_TYPE.CHARACTER)
    label.font.bold = True
    p = d.add_paragraph()
    r = p.add_run("i. mục đích")
    r.font.all_caps = True
    r.bold = True
    p = d.add_paragraph()
    p.add_run("Ghi chú:", style="Nhãn đậm")
    hidden = p.add_run(" (ẩn)")
    hidden.font.hidden = True
    p.add_run(" nội dung.")
    p = d.add_paragraph("Trước ")
    p._p.append(
        parse_xml(
            f'<mc:AlternateContent {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            '<mc:Choice Requires="w14"><w:r><w:t>lựa chọn</w:t></w:r></mc:Choice>'
            "<mc:Fallback><w:r><w:t>dự phòng</w:t></w:r></mc:Fallback></mc:AlternateContent>"
        )
    )
    p.add_run(" sau.")
    res = read_docx(_save(d), Limits())
    assert _texts(res) == ["I. MỤC ĐÍCH", "Ghi chú: nội dung.", "Trước lựa chọn sau."]
    assert _block(res, "I. MỤC ĐÍCH").bold
    b = _block(res, "Ghi chú: nội dung.")
    assert not b.bold and b.bold_prefix == len("Ghi chú:")


# ---------------------------------------------------------------- errors


def test_encrypted_ole_container():
    # An encrypted .docx is an OLE2 compound file holding an "EncryptedPackage" stream.
    blob = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    blob[600 : 600 + 32] = "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(ReadError) as exc:
        read_docx(bytes(blob), Limits())
    assert exc.value.reason == "encrypted"
    with pytest.raises(ReadError) as exc:
        read_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, Limits())
    assert exc.value.reason == "corrupt"


def test_corrupt_inputs():
    with pytest.raises(ReadError) as exc:
        read_docx(b"PK\x03\x04 this is not a zip", Limits())
    assert exc.value.reason == "corrupt" and exc.value.params.get("detail")
    # a valid zip whose document.xml is not XML
    good = build_plan()
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "word/document.xml":
                blob = blob[: len(blob) // 2]
            z.writestr(info.filename, blob)
    with pytest.raises(ReadError) as exc:
        read_docx(buf.getvalue(), Limits())
    assert exc.value.reason == "corrupt"


def test_document_without_text_is_empty():
    d = docx.Document()
    d.add_paragraph("")
    d.add_paragraph("   ")
    d.add_table(rows=1, cols=2)
    with pytest.raises(ReadError) as exc:
        read_docx(_save(d), Limits())
    assert exc.value.reason == "empty"


def test_docm_content_type_is_read():
    data = build_plan()
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            z.writestr(info, blob)
    res = read_docx(buf.getvalue(), Limits())
    assert "KẾ HOẠCH" in res.text


def test_dispatch_through_read_bytes():
    res = read_bytes(build_plan(), "ke-hoach.docx")
    assert res.fmt == "docx" and "I. MỤC ĐÍCH, YÊU CẦU" in res.text


def test_reading_does_not_modify_the_input():
    data = build_plan()
    before = copy.copy(data)
    read_docx(data, Limits())
    assert data == before


# ---------------------------------------------------------------- rendered seeds


@pytest.mark.skipif(not (SEEDS / "seed001.docx").exists(), reason="seed001.docx not rendered")
def test_seed001_docx_total_row_and_heading():
    res = read_docx((SEEDS / "seed001.docx").read_bytes(), Limits())
    assert "VII. TỔ CHỨC THỰC HIỆN" in _texts(res, "paragraph")
    rows = [r for t in res.tables if t.region != "layout" for r in _table_texts(res, t)]
    total = [r for r in rows if "CỘNG" in r]
    assert total and all("2.211" in r for r in total)
    assert total[0][total[0].index("CỘNG") :].index("2.211") in (1, 2)
    assert [t.region for t in res.tables].count("layout") == 2
