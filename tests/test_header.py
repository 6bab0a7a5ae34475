"""Header parsing: number–ký hiệu, place and date, Quốc hiệu / Tiêu ngữ, issuer, title."""

from __future__ import annotations

import pytest

from plancheck.parse import parse, parse_text


def meta(text: str, name: str = "x.txt") -> dict:
    return dict(parse_text(text, name=name).metadata)


def test_seed001_header(seeds):
    m = parse(seeds / "seed001.txt").metadata
    assert m["number_raw"] == "Số: 85 /KH-UBND"  # markdown "*85*" removed, the space kept
    assert m["number"] == "85/KH-UBND"
    assert m["place"] == "Thái Nguyên"
    assert m["issue_date"] == "2022-10-24"
    assert m["issue_date_text"] == "ngày 24 tháng 10 năm 2022"
    assert (m["issuer_level"], m["issuer_locality"], m["issuer_unit_source"]) == ("xã", "Thịnh Đức", "issuing_sentence")
    assert m["title"].endswith("trên địa bàn xã Thịnh Đức")
    assert not m["has_quoc_hieu"] and not m["has_tieu_ngu"]


def test_pdf_columns_on_one_line():
    m = meta(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nXÃ THỊNH ĐỨC Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 85 /KH-UBND Thái Nguyên, ngày 24 tháng 10 năm 2022\n\nKẾ HOẠCH\n\nGiảm nghèo năm 2022"
    )
    assert m["number"] == "85/KH-UBND"
    assert m["number_raw"] == "Số: 85 /KH-UBND"
    assert m["place"] == "Thái Nguyên"
    assert m["has_quoc_hieu"] and m["has_tieu_ngu"]
    assert m["issuer"] == "ỦY BAN NHÂN DÂN XÃ THỊNH ĐỨC"
    assert m["issuer_locality"] == "Thịnh Đức"


def test_squeezed_header_two_bodies():
    m = meta(
        "UBND HUYỆN ĐỊNH HÓA ỦY BAN NHÂN DÂN XÃ BẢO CƯỜNG CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập – Tự do – Hạnh phúc Số: 12/KH-UBND Bảo Cường, ngày 05 tháng 02 năm 2024\n\nKẾ HOẠCH\n\nGiảm nghèo"
    )
    assert m["issuer"] == "ỦY BAN NHÂN DÂN XÃ BẢO CƯỜNG"
    assert m["issuer_parent"] == "UBND HUYỆN ĐỊNH HÓA"
    assert m["place"] == "Bảo Cường"
    assert (m["issue_day_text"], m["issue_month_text"]) == ("05", "02")


def test_markdown_header_table(root):
    m = parse(root / "corpus/realworld/kh-09daab284f92e2dd.md").metadata
    assert m["number"] == "141/KH-UBND"
    assert m["issuer"] == "UỶ BAN NHÂN DÂN TỈNH BẮC NINH"
    assert (m["issuer_level"], m["issuer_locality"]) == ("tỉnh", "Bắc Ninh")
    assert m["place"] == "Bắc Ninh" and m["issue_date"] == "2025-11-20"
    # The title stops before the "Thực hiện Kế hoạch số …" paragraph the reader joined to it.
    assert m["title"].endswith("GIAI ĐOẠN 2026 - 2030")


@pytest.mark.parametrize(
    "line,number,value",
    [
        ("Số: 33/2025/NQ-HĐND", "33/2025/NQ-HĐND", "33/2025"),
        ("Số: 2623/QĐ-TTg", "2623/QĐ-TTg", "2623"),
        ("Số:      /KH-UBND", "/KH-UBND", ""),
        ("Số 14-KH/ĐU", "14-KH/ĐU", "14"),
    ],
)
def test_number_forms(line, number, value):
    m = meta(f"{line}\n\nKẾ HOẠCH\n\nVề việc x")
    assert m["number"] == number
    assert m["number_value"] == value


def test_number_in_body_is_not_the_plan_number():
    m = meta("KẾ HOẠCH\n\nGiảm nghèo năm 2024\n\nCăn cứ Kế hoạch số 20/KH-UBND ngày 30/01/2023 của UBND huyện.")
    assert "number" not in m


def test_blank_date_line():
    m = meta("Số: /QĐ-TTg\n\nHà Nội, ngày     tháng     năm 2025\n\nQUYẾT ĐỊNH\n\nVề việc x")
    assert m["place"] == "Hà Nội"
    assert m.get("issue_date_blank") and "issue_date" not in m


def test_issuer_from_the_issuing_sentence(seeds):
    m = parse(seeds / "seed003.txt").metadata
    assert m["issuer"] == "Ủy ban nhân dân huyện Krông Nô"
    assert (m["issuer_level"], m["issuer_locality"]) == ("huyện", "Krông Nô")
    # A plan that names its area only in the title does not tell who issued it.
    m = meta("Số: 35/KH-UBND\n\nKẾ HOẠCH\n\nGiảm nghèo năm 2019 trên địa bàn xã Xuân Hải")
    assert m["issuer_unit_source"] == "title" and "issuer" not in m


# ---------------------------------------------------------------- titles over several paragraphs (issue 12, item 4)

_SEED1_TITLE = "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2022 trên địa bàn xã Thịnh Đức\n"


def _seed1(seeds, title: str, drop_issuing: bool = False) -> str:
    text = (seeds / "seed001.txt").read_text(encoding="utf-8").replace(_SEED1_TITLE, title, 1)
    if drop_issuing:
        text = text.replace("UBND xã Thịnh Đức xây dựng Kế hoạch", "UBND xã Thịnh Đức triển khai", 1)
    return text


@pytest.mark.parametrize(
    "title",
    [
        "Triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền\n\nvững năm 2022 trên địa bàn xã Thịnh Đức\n",
        "Triển khai thực hiện Chương trình mục tiêu quốc gia\n\ngiảm nghèo bền vững năm 2022 trên địa bàn xã Thịnh Đức\n",
        "TRIỂN KHAI THỰC HIỆN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO\n\nBỀN VỮNG NĂM 2022 TRÊN ĐỊA BÀN XÃ THỊNH ĐỨC\n",
    ],
)
def test_title_over_two_paragraphs(seeds, title):
    m = meta(_seed1(seeds, title))
    assert m["title"].casefold().endswith("trên địa bàn xã thịnh đức")
    assert (m["plan_year"], m["plan_year_source"], m["scope"]) == (2022, "title", "program")


def test_title_in_docx_bold_then_plain(tmp_path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    for text, bold in (
        ("KẾ HOẠCH", True),
        ("Triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững", True),
        ("năm 2024 trên địa bàn huyện Krông Nô", False),
        ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;", False),
        ("I. MỤC ĐÍCH, YÊU CẦU", True),
    ):
        p = d.add_paragraph()
        p.add_run(text).bold = bold
        if bold or text.startswith("năm"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    path = tmp_path / "kh.docx"
    d.save(str(path))
    m = parse(path).metadata
    assert m["title"].endswith("năm 2024 trên địa bàn huyện Krông Nô")
    assert (m["plan_year"], m["scope"]) == (2024, "program")


def test_title_completed_from_the_issuing_sentence(seeds):
    # only the first line of the trích yếu is left (the rest lost to the layout)
    m = meta(_seed1(seeds, "Triển khai thực hiện Chương trình mục tiêu quốc gia\n"))
    assert m["title_source"] == "issuing_sentence"
    assert m["title_read"] == "Triển khai thực hiện Chương trình mục tiêu quốc gia"
    assert (m["plan_year"], m["scope"], m["program"]) == (2022, "program", "gnbv")


def test_title_completed_from_the_closing_sentence():
    text = (
        "KẾ HOẠCH\n\nThực hiện Chương trình mục tiêu quốc gia\n\n"
        "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;\n\n"
        "I. MỤC ĐÍCH\n\nNâng cao đời sống người dân.\n\n"
        "Trên đây là Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024 "
        "của UBND xã Đa Quyn.\n"
    )
    m = meta(text)
    assert m["title_source"] == "closing_sentence"
    assert (m["plan_year"], m["scope"]) == (2024, "program")


def test_title_of_another_subject_is_not_completed(seeds):
    m = meta(_seed1(seeds, "Phát triển du lịch cộng đồng năm 2022\n"))
    assert m["scope"] == "other" and "title_source" not in m


def test_title_stops_before_the_body():
    m = meta(
        "KẾ HOẠCH\n\nGiảm nghèo bền vững năm 2024\n\nUBND xã A xây dựng Kế hoạch giảm nghèo bền vững năm 2024 như sau\n\n"
        "- Tổ chức tuyên truyền\n"
    )
    assert m["title"] == "Giảm nghèo bền vững năm 2024"


def test_place_and_date_wrapped_over_two_header_lines():
    m = meta(
        "ỦY BAN NHÂN DÂN\n\nXÃ THỊNH ĐỨC\n\nSố: 85 /KH-UBND\n\nThái Nguyên, ngày 24 tháng 10 năm\n\n2022\n\n"
        "KẾ HOẠCH\n\nGiảm nghèo năm 2022"
    )
    assert (m["place"], m["issue_date"]) == ("Thái Nguyên", "2022-10-24")
    assert m["issue_date_text"] == "ngày 24 tháng 10 năm 2022"
