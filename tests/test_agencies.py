"""Agencies and assignments (plancheck/extract/agencies.py) and plan dates for PC505."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plancheck.checks.assignments import _invalid, agency_key, plan_dates
from plancheck.extract.agencies import (
    assignments,
    assignments_json,
    canonical,
    find_agencies,
    lead_of,
)
from plancheck.parse import parse, parse_text

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
HEAD = "KẾ HOẠCH\n\nThực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023\n\n"


@pytest.mark.parametrize(
    "text,names",
    [
        (
            "Phòng Lao động - Thương binh và Xã hội chủ trì, phối hợp với Phòng Nông nghiệp và Phát triển nông thôn huyện"
            " tham mưu UBND huyện kiểm tra.",
            ["Phòng Lao động - Thương binh và Xã hội", "Phòng Nông nghiệp và Phát triển nông thôn huyện", "UBND huyện"],
        ),
        ("UBND các xã, thị trấn chủ trì, phối hợp với các phòng, ban, đơn vị.", ["UBND các xã, thị trấn"]),
        (
            "Cán bộ Khuyến nông xã: Phối hợp với cán bộ Lao động - Thương binh và Xã hội xã, Trung tâm Dịch vụ Nông "
            "nghiệp thành phố tổ chức triển khai.",
            [
                "Cán bộ Khuyến nông xã",
                "cán bộ Lao động - Thương binh và Xã hội xã",
                "Trung tâm Dịch vụ Nông nghiệp thành phố",
            ],
        ),
        ("Phòng Văn hóa, Khoa học và Thông tin chủ trì.", ["Phòng Văn hóa, Khoa học và Thông tin"]),
        ("Phòng Giáo dục và Đào tạo và các ngành.", ["Phòng Giáo dục và Đào tạo"]),
        # common nouns are not agency names
        ("Các cơ quan chủ trì các dự án thành phần; cán bộ làm công tác giảm nghèo; các phòng, ban.", []),
    ],
)
def test_find_agencies(text, names):
    assert [a.name for a in find_agencies(text)] == names


def test_agency_key_merges_spellings():
    assert agency_key("Phòng LĐ-TB&XH huyện") == agency_key("Phòng Lao động - Thương binh và Xã hội")
    assert agency_key("Phòng Y tế huyện") == agency_key("Phòng Y tế")
    assert agency_key("Phòng Y tế") != agency_key("Phòng Tư pháp")


def test_seed004_assignments():
    d = parse(SEEDS / "seed004.txt")
    asg = assignments(d)
    leads = {(a.agency, it) for a in asg.items if a.role == "lead" and a.where == "tcth" for it in a.items}
    ldtbxh = "Phòng Lao động - Thương binh và Xã hội"
    for it in ("DA2", "DA4.TDA3", "DA6.TDA2", "DA7.TDA1", "DA7.TDA2"):
        assert (ldtbxh, it) in leads  # "Chủ trì triển khai thực hiện Dự án 2, Tiểu dự án 3 thuộc Dự án 4, …"
    assert ("Phòng Y tế", "DA3.TDA2") in leads  # "Trực tiếp quản lý, tổ chức thực hiện Tiểu dự án 2 thuộc Dự án 3"
    assert lead_of(asg, "DA3.TDA1", "DA3") == "Phòng Nông nghiệp và Phát triển nông thôn"
    assert lead_of(asg, "DA6.TDA1", "DA6") == "Phòng Văn hóa và Thông tin"
    assert len(asg.entries) == 12 and all(e.has_task for e in asg.entries)
    assert asg.reports  # "báo cáo kết quả định kỳ, đột xuất"
    js = assignments_json(d)
    assert js["organization_sections"] == ["TỔ CHỨC THỰC HIỆN."]
    assert js["entries"][0]["known_as"] == ldtbxh


def test_seed003_leads_prefer_the_office_over_the_communes():
    d = parse(SEEDS / "seed003.txt")
    asg = assignments(d)
    assert lead_of(asg, "DA2") == "Phòng Nông nghiệp và Phát triển nông thôn"
    # "- Phòng Lao động – Thương binh và Xã hội: Dự án 4: …; Dự án 6: …; Dự án 7: …" (line 240)
    tcth = [a for a in asg.items if a.where == "tcth" and "DA4" in a.items]
    assert tcth and tcth[0].agency.startswith("Phòng Lao động")


def test_seed000_has_no_lead_anywhere():
    d = parse(SEEDS / "seed000.txt")
    asg = assignments(d)
    assert not [a for a in asg.items if a.role in ("lead", "assigned")]
    assert not asg.labels
    assert asg.reports  # "báo cáo kết quả định kỳ, đột xuất về Ủy ban nhân dân xã" (line 236)


def test_plan_dates():
    d0 = parse(SEEDS / "seed000.txt")  # no issue date: the latest document it cites
    assert plan_dates(d0) == (dt.date(2025, 4, 25), dt.date(2025, 12, 31), "cited")
    d1 = parse(SEEDS / "seed001.txt")
    assert plan_dates(d1) == (dt.date(2022, 10, 24), dt.date(2022, 10, 24), "issue_date")


@pytest.mark.parametrize(
    "name,date,state",
    [
        ("Phòng Lao động - Thương binh và Xã hội", dt.date(2025, 2, 20), None),  # inside the local window
        ("Phòng Lao động - Thương binh và Xã hội", dt.date(2025, 3, 5), "ended"),
        ("Sở LĐ-TBXH", dt.date(2025, 3, 1), "ended"),
        ("Sở LĐ-TBXH", dt.date(2025, 2, 28), None),
        ("Phòng Nông nghiệp và Môi trường", dt.date(2024, 12, 1), "not_yet"),
        ("Phòng Nông nghiệp và Môi trường", dt.date(2025, 4, 25), None),
        ("Phòng Nông nghiệp và Môi trường", dt.date(2025, 7, 2), "ended"),
        ("UBND huyện Krông Nô", dt.date(2025, 6, 30), None),
        ("UBND huyện Krông Nô", dt.date(2025, 7, 1), "ended"),
    ],
)
def test_validity(name, date, state):
    fact = canonical(name)
    assert fact is not None
    assert _invalid(fact, date, date) == state


def test_pc505_silent_on_seeds_and_on_historic_mentions():
    from plancheck.engine import check_document
    from plancheck.rulebook import load_rules

    rule = [r for r in load_rules() if r.code == "PC505"]
    for n in range(5):
        assert not check_document(parse(SEEDS / f"seed00{n}.txt"), rule)
    d = parse_text(
        HEAD
        + "I. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nông nghiệp và Môi trường (trước đây là Sở Lao động - Thương binh và Xã hội"
        " phụ trách giảm nghèo)\n\nChủ trì tổng hợp báo cáo.",
        overrides={"issue_date": "2025-10-01"},
    )
    assert not check_document(d, rule)
