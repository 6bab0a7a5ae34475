"""Date extraction: every writing of a date, partial dates, periods; look-alikes are not dates."""

from __future__ import annotations

import pytest

from plancheck.extract.dates import extract_dates
from plancheck.extract.dating import title_year
from plancheck.parse import parse_text


def _dates(text: str):
    return extract_dates(parse_text(text))


@pytest.mark.parametrize(
    "text,iso,fmt",
    [
        ("Căn cứ Quyết định ngày 18/01/2022 của UBND.", "2022-01-18", "slash"),
        ("Căn cứ Quyết định ngày 18-01-2022 của UBND.", "2022-01-18", "dash"),
        ("Căn cứ Quyết định ngày 18.01.2022 của UBND.", "2022-01-18", "dot"),
        ("Căn cứ Quyết định ngày 18 tháng 01 năm 2022 của UBND.", "2022-01-18", "words"),
        ("Căn cứ Quyết định NGÀY 02 THÁNG 01 NĂM 2025 CỦA THỦ TƯỚNG.", "2025-01-02", "words"),
        ("Ký ngày *24* tháng 10 năm 2022 tại xã.", "2022-10-24", "words"),
        ("Căn cứ Chỉ thị số 21/CT-TTg ngày\n\n25 tháng 11 năm 2022 của Thủ tướng.", "2022-11-25", "words"),
    ],
)
def test_full_dates(text, iso, fmt):
    full = [d for d in _dates(text) if d.kind == "full"]
    assert [d.iso for d in full] == [iso]
    assert full[0].fmt == fmt


@pytest.mark.parametrize(
    "text,kind,values",
    [
        ("Các xã báo cáo trước ngày 10/6 hằng năm.", "day_month", {"day": 10, "month": 6}),
        ("Báo cáo trong tháng 10 năm 2022.", "month_year", {"month": 10, "year": 2022}),
        ("Báo cáo trong tháng 10/2022.", "month_year", {"month": 10, "year": 2022}),
        ("Hoàn thành trong quý I năm 2022.", "quarter", {"quarter": 1, "year": 2022}),
        ("Hoàn thành trong quý IV/2023.", "quarter", {"quarter": 4, "year": 2023}),
        ("Sơ kết 6 tháng đầu năm 2024.", "half", {"half": "first", "year": 2024}),
        ("Phấn đấu năm 2025 giảm 5 hộ.", "year", {"year": 2025}),
        ("Chương trình giai đoạn 2021-2025.", "period", {"year": 2021, "year_end": 2025}),
        ("Kết quả 2016 - 2020 rất tốt.", "period", {"year": 2016, "year_end": 2020}),
        ("Thực hiện 2021 – 2025.", "period", {"year": 2021, "year_end": 2025}),
        ("Giai đoạn từ năm 2021 đến năm 2025.", "period", {"year": 2021, "year_end": 2025}),
    ],
)
def test_partial_dates_and_periods(text, kind, values):
    ds = _dates(text)
    assert len(ds) == 1, ds
    assert ds[0].kind == kind
    for k, v in values.items():
        assert getattr(ds[0], k) == v


@pytest.mark.parametrize("text", ["31/4/2024", "29/02/2023", "15/13/2022", "ngày 31 tháng 6 năm 2023"])
def test_impossible_dates_are_kept_and_flagged(text):
    ds = _dates(f"Báo cáo trước ngày {text}." if "ngày" not in text else f"Báo cáo {text}.")
    assert len(ds) == 1 and ds[0].kind == "full" and ds[0].valid is False
    assert ds[0].date is None


def test_leap_day_is_valid():
    (d,) = _dates("Báo cáo trước ngày 29/02/2024.")
    assert d.valid and d.iso == "2024-02-29"


@pytest.mark.parametrize(
    "text",
    [
        "Hỗ trợ 1/3 số hộ nghèo.",
        "Trực 24/24 giờ.",
        "Giảm bình quân 0,5%/năm.",
        "Đạt 30/31 chỉ tiêu.",
        "Dân số 1.234.567 người.",
        "Theo Nghị định số 07/2021/NĐ-CP của Chính phủ.",
    ],
)
def test_look_alikes_are_not_dates(text):
    assert [d for d in _dates(text) if d.kind != "year"] == []


def test_day_month_in_a_table_cell_is_not_a_date():
    doc = parse_text("KẾ HOẠCH\n\nThực hiện năm 2024\n\nTT\tTên xóm\tTỷ lệ\n1\tXóm A\t10/6\n2\tXóm B\t3/4\n")
    assert [d for d in extract_dates(doc) if d.kind == "day_month"] == []


def test_spans_point_at_the_text():
    doc = parse_text("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ.")
    (d,) = [d for d in extract_dates(doc) if d.kind == "full"]
    assert doc.slice(d.span) == "18/01/2022"
    assert doc.locate(d.span).line == 1


@pytest.mark.parametrize(
    "title,year",
    [
        ("Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024 trên địa bàn huyện", 2024),
        ("QUAN TRẮC MÔI TRƯỜNG NUÔI TRỒNG THỦY SẢN NĂM 2026", 2026),
        ("THỰC HIỆN CHỈ THỊ SỐ 21/CT-TTg NGÀY 25 THÁNG 11 NĂM 2022 CỦA THỦ TƯỚNG", None),
        ("THỰC HIỆN LỘ TRÌNH ĐỔI MỚI CÔNG NGHỆ ĐẾN NĂM 2035", None),
        ("PHÁT TRIỂN KINH TẾ SỐ GIAI ĐOẠN 2026 - 2030", None),
    ],
)
def test_title_year(title, year):
    assert title_year(title) == year
