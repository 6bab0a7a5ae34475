"""Citation extraction: type word, number, year, ký hiệu, date, issuer; runs; malformed ký hiệu."""

from __future__ import annotations

import pytest

from plancheck.extract.citations import extract_citations, resolve, resolve_issuer
from plancheck.parse import parse_text


def _cits(text: str):
    doc = parse_text(text)
    return doc, extract_citations(doc)


def test_full_citation_parts():
    doc, (c,) = _cits("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình.")
    assert (c.type_word, c.number, c.year, c.kyhieu) == ("Quyết định", "90", None, "QĐ-TTg")
    assert c.date.iso == "2022-01-18"
    assert c.issuer_text == "Thủ tướng Chính phủ"
    assert doc.slice(c.number_span) == "90/QĐ-TTg"
    assert doc.slice(c.type_span) == "Quyết định"
    assert c.issuer_abbr == "TTg" and c.type_abbr == "QĐ"


def test_a_run_sharing_one_type_word_gives_one_citation_per_number():
    text = (
        "Căn cứ các Thông tư: số 09/2022/TT-BLĐTBXH ngày 25/5/2022 của Bộ Lao động - Thương binh và Xã hội "
        "hướng dẫn đa dạng hóa sinh kế; số 10/2022/TT-BLĐTBXH ngày 31/5/2022 của Bộ Lao động - Thương binh "
        "và Xã hội hướng dẫn giám sát; số 55/2023/TT-BTC ngày 15/8/2023 của Bộ Tài chính quy định kinh phí;"
    )
    _, cs = _cits(text)
    assert [c.written for c in cs] == ["09/2022/TT-BLĐTBXH", "10/2022/TT-BLĐTBXH", "55/2023/TT-BTC"]
    assert [c.type_word for c in cs] == ["Thông tư"] * 3
    assert [c.type_source for c in cs] == ["word", "list", "list"]
    assert [c.date.iso for c in cs] == ["2022-05-25", "2022-05-31", "2023-08-15"]
    assert cs[2].issuer_text == "Bộ Tài chính"


@pytest.mark.parametrize(
    "text,written,malformed",
    [
        ("theo Quyết định 33/2015/QĐ- TTg của Thủ tướng Chính phủ.", "33/2015/QĐ-TTg", ("space",)),
        ("Căn cứ Kế hoạch số 70 /KH-UBND ngày 25/4/2025 của UBND huyện.", "70/KH-UBND", ("space",)),
        ("Căn cứ Quyết định số 90/QĐ TTg ngày 18/01/2022.", "90/QĐ-TTg", ("hyphen",)),
        ("Căn cứ Quyết định số 90/QĐTTg ngày 18/01/2022.", "90/QĐ-TTg", ("hyphen",)),
        ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022.", "90/QĐ-TTg", ()),
    ],
)
def test_malformed_kyhieu_is_parsed_and_recorded(text, written, malformed):
    _, (c,) = _cits(text)
    assert c.written == written
    assert c.malformed == malformed
    assert c.key == "90/QĐ-TTG" or c.written != "90/QĐ-TTg"


def test_party_numbers_and_laws():
    _, cs = _cits(
        "Quán triệt Nghị quyết số 19-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương; Luật số 72/2025/QH15."
    )
    assert [(c.party, c.kyhieu) for c in cs] == [(True, "NQ/TW"), (False, "QH15")]
    assert cs[1].issuer_abbr == "QH"


@pytest.mark.parametrize("text", ["Hỗ trợ 1/3 số hộ; trực 24/24 giờ; 0,5%/năm.", "Số hộ 12/A, lô 3/B."])
def test_look_alikes_are_not_citations(text):
    assert _cits(text)[1] == ()


def test_the_plans_own_number_in_the_header_is_not_a_citation():
    doc, cs = _cits(
        "UBND XÃ A\n\nSố: 85/KH-UBND\n\nKẾ HOẠCH\n\nThực hiện năm 2022\n\nCăn cứ Kế hoạch số 81/KH-UBND ngày 10/10/2022."
    )
    assert [c.written for c in cs] == ["81/KH-UBND"]
    assert cs[0].basis


def test_resolves_to_the_registry():
    doc, (a, b) = _cits(
        "Căn cứ Thông tư số 04/2022/TT-BNNPTNT ngày 28/7/2022 của Bộ Nông nghiệp và Phát triển nông thôn; "
        "Quyết định số 90/QĐ-TTg ngày 12/01/2023 của Thủ tướng Chính phủ về việc thành lập Hội đồng."
    )
    e = resolve(doc, a)
    assert e is not None and e.date.isoformat() == "2022-07-11"
    assert resolve(doc, b) is None  # another year's 90/QĐ-TTg


@pytest.mark.parametrize(
    "text,abbr",
    [
        ("Thủ tướng Chính phủ", "TTg"),
        ("Bộ trưởng Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH"),
        ("Ủy ban nhân dân huyện Krông Nô", "UBND"),
        ("Bộ Tài chính", "BTC"),
        ("Ban Chấp hành Trung ương", None),
    ],
)
def test_resolve_issuer(text, abbr):
    assert resolve_issuer(text) == abbr


@pytest.mark.parametrize(
    "text, written, malformed",
    [
        ("Thực hiện Kết luận số 132- KL/TW ngày 15/8/2024 của Bộ Chính trị.", "132-KL/TW", ("space",)),
        ("Nghị quyết số 57 -NQ/TW ngày 22/12/2024 của Bộ Chính trị.", "57-NQ/TW", ("space",)),
        ("Nghị quyết số 05-NQ/TU ngày 01/02/2024 của Tỉnh ủy.", "05-NQ/TU", ()),
        ("Chỉ thị số 27/CTTg ngày 05/6/2023 của Thủ tướng Chính phủ.", "27/CT-TTg", ("hyphen",)),
    ],
)
def test_party_number_with_a_stray_space_and_a_glued_kyhieu(text, written, malformed):
    """Issue 13: "132- KL/TW" and "27/CTTg" (CT-TTg sharing its T) were dropped."""
    _, (c,) = _cits(text)
    assert (c.written, c.malformed) == (written, malformed)
    assert c.date is not None


def _pc203(text: str):
    from plancheck.engine import check_document
    from plancheck.rulebook import load_rules

    rules = [r for r in load_rules() if r.code == "PC203"]
    doc = parse_text(text)
    return doc, check_document(doc, rules)


def test_pc203_reports_the_odd_date_once():
    lines = [
        "KẾ HOẠCH",
        "Thực hiện năm 2025",
        "Căn cứ Kết luận số 132-KL/TW ngày 15/7/2024 của Bộ Chính trị;",
        "I. MỤC ĐÍCH",
        "Quán triệt Kết luận số 132-KL/TW ngày 15/8/2024 của Bộ Chính trị.",
        "Thực hiện Kết luận số 132-KL/TW ngày 15/8/2024 của Bộ Chính trị.",
        "Theo Kết luận số 132-KL/TW ngày 15/8/2024 của Bộ Chính trị.",
    ]
    doc, fs = _pc203("\n\n".join(lines))
    (f,) = fs  # the one that differs, not the three that agree, and once
    assert f.location.line == 5 and "15/07/2024 ở đây nhưng ngày 15/08/2024" in f.message.vi
