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
