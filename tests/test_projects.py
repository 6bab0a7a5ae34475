"""Project extraction, scope and coverage (plancheck/extract/projects.py, scope.py)."""

from __future__ import annotations

import pytest

from plancheck.extract.projects import analysis, coverage_json, projects_json
from plancheck.parse import parse_text

HEAD = "KẾ HOẠCH\n\nThực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023\n\n"


def doc(body: str, title: str | None = None, **overrides):
    text = (f"KẾ HOẠCH\n\n{title}\n\n" if title else HEAD) + body
    return parse_text(text, overrides=overrides or None)


def mentions(d):
    return [(m.project, m.sub, m.item, m.kind) for m in analysis(d).mentions]


def test_heading_forms():
    d = doc(
        "I. NỘI DUNG\n\n2.1. Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo\n\nNội dung.\n\n"
        "2.2. Tiểu dự án 1: Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp (Dự án 3: Hỗ trợ phát triển sản xuất, "
        "cải thiện dinh dưỡng)\n\nNội dung.\n\n2.3. Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững\n\n"
        "b) Tiểu dự án 3: Hỗ trợ việc làm bền vững\n\nNội dung."
    )
    assert mentions(d) == [
        (2, None, "DA2", "heading"),
        (3, 1, "DA3.TDA1", "heading"),
        (4, None, "DA4", "heading"),
        (4, 3, "DA4.TDA3", "heading"),
    ]
    m = analysis(d).mentions[1]
    assert m.parent_from == "parens" and m.name == "Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp"
    assert analysis(d).mentions[3].parent_from == "context"


def test_running_text_lists():
    d = doc(
        "I. TỔ CHỨC THỰC HIỆN\n\n1. Phòng Lao động - Thương binh và Xã hội\n\n"
        "- Chủ trì triển khai thực hiện Dự án 2, Tiểu dự án 3 thuộc Dự án 4, Tiểu dự án 2 thuộc Dự án 6 và "
        "Tiểu dự án 1, 2 thuộc Dự án 7."
    )
    assert [m[2] for m in mentions(d)] == ["DA2", "DA4.TDA3", "DA6.TDA2", "DA7.TDA1", "DA7.TDA2"]
    assert all(m.kind == "text" and m.implements for m in analysis(d).mentions)


def test_name_only_headings_and_local_numbers():
    d = doc(
        "III. KẾ HOẠCH THỰC HIỆN CÁC DỰ ÁN\n\n1. Dự án đa dạng hóa sinh kế, phát triển mô hình giảm nghèo\n\nNội dung.\n\n"
        "2. Dự án phát triển giáo dục nghề nghiệp, việc làm bền vững\n\n2.1. Tiểu dự án 1: Phát triển giáo dục nghề nghiệp"
        "\n\nNội dung.\n\n2.2. Tiểu dự án 2: Hỗ trợ việc làm bền vững\n\nNội dung."
    )
    ms = analysis(d).mentions
    assert [m.item for m in ms] == ["DA2", "DA4", "DA4.TDA1", "DA4.TDA3"]
    # the local item numbers "1." and "2." are not project numbers
    assert ms[0].project == 2 and ms[1].project == 4
    # number and name disagree: the name decides what is covered
    assert ms[3].by_number == "DA4.TDA2" and ms[3].by_name == "DA4.TDA3"


def test_policy_heading_is_not_a_project():
    d = doc("I. NHIỆM VỤ\n\n5.4. Hỗ trợ nhà ở:\n\nVận động nguồn lực hỗ trợ hộ nghèo về nhà ở.")
    assert analysis(d).mentions == []


@pytest.mark.parametrize(
    "line,reason",
    [
        (
            "1. Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các xã đặc biệt khó khăn, ven biển và hải đảo "
            "(không thực hiện do huyện Hồng Ngự không có xã đặc biệt khó khăn, ven biển và hải đảo).",
            "không thực hiện do huyện Hồng Ngự không có xã đặc biệt khó khăn, ven biển và hải đảo",
        ),
        ("b) Tiểu dự án 2: Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng (không có).", "không có"),
        (
            "5. Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo:(huyện Hồng Ngự không "
            "thuộc huyện nghèo nên không triển khai dự án này).",
            "huyện Hồng Ngự không thuộc huyện nghèo nên không triển khai dự án này",
        ),
    ],
)
def test_not_applicable_statements(line, reason):
    d = doc("II. NỘI DUNG\n\n4. Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững\n\nNội dung.\n\n" + line)
    m = analysis(d).mentions[-1]
    assert m.na and m.na_reason == reason


def test_not_applicable_in_section_body():
    d = doc(
        "II. NỘI DUNG\n\n1. Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo\n\n"
        "Xã không thuộc huyện nghèo nên không thực hiện.\n\n2. Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo"
        "\n\nNội dung hỗ trợ các mô hình giảm nghèo trên địa bàn xã, không có gì đặc biệt."
    )
    ms = analysis(d).mentions
    assert ms[0].na and "không thuộc huyện nghèo" in ms[0].na_reason
    assert not ms[1].na


def test_other_program_sections_never_count():
    d = doc(
        "I. NHIỆM VỤ\n\n3. Thực hiện lồng ghép các dự án, tiểu dự án thuộc Chương trình MTQG phát triển kinh tế - xã hội "
        "vùng đồng bào dân tộc thiểu số:\n\n- Dự án 1: Giải quyết tình trạng thiếu đất ở, nhà ở, đất sản xuất, nước sinh hoạt."
        "\n\n- Tiểu dự án 2 thuộc Dự án 3: Hỗ trợ phát triển sản xuất theo chuỗi giá trị.\n\n"
        "4. Thực hiện các dự án của Chương trình giảm nghèo\n\n4.1. Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo"
    )
    ms = analysis(d).mentions
    assert [m.excluded for m in ms] == ["other_program", "other_program", None]
    assert [m.credits for m in ms] == [False, False, True]


def test_citation_mentions_do_not_count():
    d = doc("I. NỘI DUNG\n\nCăn cứ Thông tư số 09/2022/TT-BLĐTBXH hướng dẫn thực hiện Dự án 2.\n\nNội dung.")
    assert [m.excluded for m in analysis(d).mentions] == ["citation"]


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize(
    "title,scope,items",
    [
        ("Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023", "program", []),
        ("Thực hiện công tác giảm nghèo năm 2023", "program", []),
        ("Truyền thông về giảm nghèo đa chiều năm 2023", "project", ["DA6.TDA2"]),
        (
            "Thực hiện Tiểu dự án 2 thuộc Dự án 6 Chương trình MTQG giảm nghèo bền vững năm 2023",
            "project",
            ["DA6.TDA2"],
        ),
        ("Giám sát, đánh giá thực hiện Chương trình MTQG giảm nghèo bền vững năm 2023", "project", ["DA7.TDA2"]),
        ("Phát triển kinh tế số và xã hội số năm 2023", "other", []),
        ("Cải thiện dinh dưỡng cho trẻ em năm 2023", "other", []),  # a name alone, no poverty program
    ],
)
def test_scope_from_title(title, scope, items):
    d = doc("I. NỘI DUNG\n\nNội dung.", title=title)
    assert d.metadata["scope"] == scope
    assert d.metadata["scope_items"] == items
    if scope != "other":
        assert d.metadata["scope_text"] and d.metadata["period"] == "2021-2025"
    else:
        assert "period" not in d.metadata and "coverage" not in d.metadata


def test_period_from_year_and_override():
    d = doc("I. NỘI DUNG\n\nNội dung.", title="Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2019")
    assert (d.metadata["period"], d.metadata["period_source"]) == ("2016-2020", "plan_year")
    d = doc(
        "I. NỘI DUNG\n\nNội dung.",
        title="Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2019",
        period_override="2021-2025",
    )
    assert (d.metadata["period"], d.metadata["period_source"]) == ("2021-2025", "override")
    assert "_overrides" not in d.metadata


def test_unknown_catalog_guesses_nothing():
    d = doc(
        "I. NỘI DUNG\n\n1. Dự án 2: Đa dạng hóa sinh kế",
        title="Thực hiện Chương trình MTQG giảm nghèo bền vững năm 2027",
    )
    assert d.metadata["period"] == "2026-2030" and d.metadata["catalog_status"] == "unknown"
    assert d.metadata["coverage"] == [] and "Chưa có danh mục" in d.metadata["coverage_summary"]
    assert [m.item for m in analysis(d).mentions] == [None]


def test_area_claim_and_config():
    body = "I. NỘI DUNG\n\nHuyện Mường Nhé là huyện nghèo theo Quyết định số 353/QĐ-TTg.\n\n1. Dự án 2: Đa dạng hóa sinh kế"
    assert analysis(doc(body)).areas == ("HN",)
    body2 = "I. NỘI DUNG\n\nHuyện Hồng Ngự không thuộc huyện nghèo.\n\n1. Dự án 2: Đa dạng hóa sinh kế"
    assert analysis(doc(body2)).areas == ()
    assert analysis(doc(body2, locality_areas=["XBN"])).areas == ("XBN",)


def test_coverage_table_and_views():
    d = doc(
        "I. NỘI DUNG\n\n1. Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo\n\nĐơn vị thực hiện: Phòng Lao động "
        "- Thương binh và Xã hội chủ trì, phối hợp với các ngành.\n\n2. Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo "
        "trên địa bàn các huyện nghèo (không thực hiện)."
    )
    rows = {r["item"]: r for r in d.metadata["coverage"]}
    assert rows["DA2"]["status"] == "addressed" and rows["DA2"]["lead"] == "Phòng Lao động - Thương binh và Xã hội"
    assert rows["DA2"]["section"]["line"] == 7
    assert rows["DA5"]["status"] == "not_applicable" and rows["DA5"]["reason"] == "không thực hiện"
    assert rows["DA3"]["status"] == "missing" and rows["DA3"]["lead"] is None
    assert d.metadata["coverage_summary"].startswith("Dự án: 1/7 có, 1 không áp dụng, 5 thiếu")
    cj = coverage_json(d)
    assert cj["scope"] == "program" and len(cj["items"]) == 18
    pj = projects_json(d)
    assert pj[0]["item"] == "DA2" and pj[0]["line"] == 7 and pj[1]["not_applicable"] is True


@pytest.mark.parametrize(
    "title,scope,items",
    [
        ("Kiểm tra, giám sát thực hiện Chương trình MTQG giảm nghèo bền vững năm 2024", "project", ["DA7.TDA2"]),
        ("Tuyên truyền về giảm nghèo bền vững năm 2024", "project", ["DA6.TDA2"]),
        ("Tổ chức các hoạt động truyền thông giảm nghèo năm 2024", "project", ["DA6.TDA2"]),
        ("Triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024", "program", []),
        ("Giảm nghèo và giải quyết việc làm năm 2024", "program", []),  # a combined plan, not one item
        ("Tuyên truyền phổ biến pháp luật năm 2024", "other", []),  # the topic without the program
    ],
)
def test_scope_from_title_topic(title, scope, items):
    d = doc("I. NỘI DUNG\n\nNội dung.", title=title)
    assert (d.metadata["scope"], d.metadata["scope_items"]) == (scope, items)


def test_project_scope_plan_is_addressed_by_its_title():
    d = doc(
        "I. NỘI DUNG\n\n1. Tổ chức hội thi tuyên truyền viên giỏi\n\nNội dung.",
        title="Truyền thông về giảm nghèo đa chiều năm 2023",
    )
    rows = d.metadata["coverage"]
    assert [(r["item"], r["status"]) for r in rows] == [("DA6.TDA2", "addressed")]
    assert rows[0]["section"]["text"].startswith("(tên kế hoạch")
    assert d.metadata["scope_text"] == "Truyền thông về giảm nghèo đa chiều"  # the name in the title


def test_table_rows_credit_and_assign():
    text = (
        HEAD + "I. NỘI DUNG\n\n1. Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo\n\nNội dung.\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n\nPhân công theo bảng.\n\n"
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |\n|---|---|---|---|\n"
        "| 1 | Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo | Phòng Lao động - Thương binh và Xã hội "
        "| Phòng Nông nghiệp và Phát triển nông thôn |\n"
        "| 2 | Dự án 4: Cải thiện dinh dưỡng | Phòng Y tế | |\n"
    )
    d = parse_text(text, name="plan.md")
    ms = [m for m in analysis(d).mentions if m.kind == "cell"]
    assert [m.item for m in ms] == ["DA2", None]  # a row whose name and number disagree credits nothing
    rows = {r["item"]: r for r in d.metadata["coverage"]}
    assert rows["DA2"]["lead"] == "Phòng Lao động - Thương binh và Xã hội"
    assert rows["DA4"]["status"] == "missing"


@pytest.mark.parametrize(
    "title",
    [
        "Thực hiện Dự án 1 thuộc Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số năm 2023",
        "Thực hiện Dự án 2 năm 2023",  # a numbered project of what?
        "Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2023",
    ],
)
def test_scope_other_programs_and_bare_numbers(title):
    assert doc("I. NỘI DUNG\n\nNội dung.", title=title).metadata["scope"] == "other"


def test_upper_case_heading_with_dot():
    d = doc("I. NỘI DUNG\n\n1. DỰ ÁN 2. ĐA DẠNG HÓA SINH KẾ, PHÁT TRIỂN MÔ HÌNH GIẢM NGHÈO\n\nNội dung.")
    m = analysis(d).mentions[0]
    assert (m.item, m.by_name, m.name_fit) == ("DA2", "DA2", 100.0)
    d = doc("I. NỘI DUNG\n\nThực hiện Dự án 2. Tiếp tục hỗ trợ các mô hình giảm nghèo.")
    assert analysis(d).mentions[0].name is None  # in running text a full stop ends the sentence


@pytest.mark.parametrize(
    "title,scope,items",
    [
        (  # a provincial plan for one content of the program (Bình Định, 2022)
            "THỰC HIỆN NỘI DUNG “CẢI THIỆN DINH DƯỠNG” THUỘC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG TRÊN "
            "ĐỊA BÀN TỈNH BÌNH ĐỊNH GIAI ĐOẠN 2021-2025",
            "project",
            ["DA3.TDA2"],
        ),
        (
            "PHÒNG CHỐNG SUY DINH DƯỠNG THẤP CÒI Ở TRẺ EM DƯỚI 5 TUỔI VÙNG ĐỒNG BÀO DÂN TỘC THIỂU SỐ VÀ MIỀN NÚI GIAI "
            "ĐOẠN 2021-2025",
            "other",
            [],
        ),
        ("Thực hiện Dự án 4 thuộc Chương trình MTQG 1719 năm 2023", "other", []),
    ],
)
def test_scope_real_titles(title, scope, items):
    d = doc("I. NỘI DUNG\n\nNội dung.", title=title)
    assert (d.metadata["scope"], d.metadata["scope_items"]) == (scope, items)


VARIANTS = [
    # (heading as plans write it, item it credits)
    ("Tiểu dự án 1 (Dự án 6): Giảm nghèo về thông tin", "DA6.TDA1"),
    ("Dự án 7: Nâng cao năng lực và giám sát, đánh giá", "DA7"),  # "Chương trình" left out
    ("Dự án 4: Giáo dục nghề nghiệp, việc làm bền vững", "DA4"),
    ("Dự án 2 - Đa dạng hoá sinh kế, phát triển mô hình giảm nghèo", "DA2"),
    ("TIỂU DỰ ÁN 2 THUỘC DỰ ÁN 3: CẢI THIỆN DINH DƯỠNG", "DA3.TDA2"),
    ("Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững: 200 triệu đồng", "DA4"),
    ("Dự án 3: Hỗ trợ phát triển sản xuất", "DA3"),  # shortened: matches no name well enough
    ("Dự án 5 (không có)", "DA5"),
]


@pytest.mark.parametrize("heading,item", VARIANTS)
def test_heading_variants_credit_without_naming_findings(heading, item):
    from plancheck.engine import check_document
    from plancheck.rulebook import load_rules

    d = doc(f"I. NỘI DUNG\n\n1. {heading}\n\nNội dung.")
    ms = analysis(d).mentions
    assert ms and ms[0].item == item
    rules = [r for r in load_rules() if r.code in ("PC402", "PC403", "PC404")]
    assert not check_document(d, rules)


def test_sub_project_named_inside_its_project_heading():
    d = doc(
        "I. NỘI DUNG\n\n1. Dự án 3: Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng (Tiểu dự án 1: Hỗ trợ phát triển "
        "sản xuất trong lĩnh vực nông nghiệp)\n\nNội dung."
    )
    assert [m.item for m in analysis(d).mentions] == ["DA3", "DA3.TDA1"]


def test_no_coverage_table_for_a_document_that_is_not_a_plan():
    d = parse_text(
        "NGHỊ QUYẾT\n\nQuy định định mức phân bổ vốn thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm "
        "2023\n\nĐiều 1. Phạm vi điều chỉnh\n\nNội dung.\n\nĐiều 2. Dự án 2: Đa dạng hóa sinh kế"
    )
    assert not d.metadata.get("is_plan")
    assert "coverage" not in d.metadata and "coverage_summary" not in d.metadata
