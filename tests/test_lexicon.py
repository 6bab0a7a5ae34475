"""The language facts in rules/facts/lexicon/: shape, sources, and every typo entry's own examples."""

from __future__ import annotations

import pytest
import regex

from plancheck.checks import language
from plancheck.checks.language import Abbreviations, Typos, load_lexicon, load_typos, name_form
from plancheck.syllables import tone_key

TYPOS = load_lexicon("typos.yaml")
ENTRIES = TYPOS["entries"]
KIND = Typos({"lexicon": "typos.yaml"}, None)


def _hits(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], entry.right) for s, e, entry in KIND.matches(text)]


def test_every_entry_is_sourced_and_has_an_example():
    for e in ENTRIES:
        assert e.get("source"), e["wrong"]
        assert e.get("status") in ("verified", "corroborated", "memory"), e["wrong"]
        assert e.get("example"), e["wrong"]
        if e.get("kind") == "ctx":
            assert e.get("not_example") or e["wrong"] in ("chi thiếu hụt", "Vi người nghèo"), e["wrong"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: str(e["wrong"]))
def test_entry_example_fires_and_not_example_is_silent(entry):
    hits = _hits(entry["example"])
    assert any(right == entry["right"] for _, right in hits), (entry["example"], hits)
    if entry.get("not_example"):
        assert not [h for h in _hits(entry["not_example"]) if h[1] == entry["right"]], entry["not_example"]


def test_rules_md_seed_misspellings_are_listed():
    forms = {w.lower() for e in ENTRIES for w in ([e["wrong"]] if isinstance(e["wrong"], str) else e["wrong"])}
    for w in (
        "truyền truyền", "kiểm chế", "vi người nghèo", "đôi với", "cảm nang", "phân đầu", "phần đầu", "chia sẽ",
        "tuyền thanh", "chuyên giao", "trọng việc", "các bộ", "an ninh xã hội", "phòng sự", "tiêu thủ công nghiệp",
        "chi thiếu hụt", "đào nghề",
    ):  # fmt: skip
        assert w in forms, w


def _spelling(s: str) -> tuple:
    """Up to tone placement and i/y: the differences FACTS.md §5 says never to flag."""
    iy = regex.compile(r"(?<=^(?:[bcdđghklmnprstvx]+|qu))y$")
    return tuple((iy.sub("i", b), t) for b, t in (tone_key(w) for w in s.lower().split()))


def test_no_entry_is_only_an_i_y_or_tone_placement_variant():
    for e in ENTRIES:
        wrongs = [e["wrong"]] if isinstance(e["wrong"], str) else e["wrong"]
        for w in wrongs:
            assert _spelling(w) != _spelling(e["right"]), w
    for text in ("kĩ thuật và kỹ thuật", "lí do và lý do", "hằng năm và hàng năm", "hòa nhập và hoà nhập"):
        assert _hits(text) == []


@pytest.mark.parametrize(
    "text,right",
    [
        ("- Phần đầu giảm tỷ lệ nghèo đa chiều trên 0,2%.", "phấn đấu"),
        ("Đến cuối năm, phân đầu giải ngân 100% nguồn vốn", "phấn đấu"),
        ("Chỉ đạo các chi hội, các bộ, công chức phụ trách từng hộ", "cán bộ"),
        ("ưu tiên chính sách an ninh xã hội đối với hộ nghèo", "an sinh xã hội"),
    ],
)
def test_context_entries_fire_in_context(text, right):
    assert right in [r for _, r in _hits(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Phần đầu của báo cáo nêu kết quả.",  # a real "first part"
        "Theo phần đầu kế hoạch, mục tiêu giảm 1%.",  # not at a sentence start
        "phát triển kinh tế đi đôi với bảo vệ môi trường",
        "sánh đôi với các nước",
        "Đề nghị các bộ, ngành, địa phương phối hợp.",
        "các cấp ủy coi trọng việc tuyên truyền; quan trọng việc nhất",
        "bảo đảm an ninh xã hội, trật tự an toàn",
        "đề phòng sự cố mất điện",
        "bón phân đầu vụ cho lúa",
        "Chủ chương trình chịu trách nhiệm",
        "tiềm năng xuất khẩu của các sản phẩm",
    ],
)
def test_real_phrases_stay_silent(text):
    assert _hits(text) == []


def test_load_typos_reports_bad_entries():
    with pytest.raises(ValueError, match="unknown keys"):
        load_typos({"entries": [{"wrong": "a b", "right": "c", "colour": 1}]})
    with pytest.raises(ValueError, match="bad regex"):
        load_typos({"entries": [{"wrong": "a b", "right": "c", "kind": "ctx", "after": "("}]})
    with pytest.raises(ValueError, match="needs a condition"):
        load_typos({"entries": [{"wrong": "a b", "right": "c", "kind": "ctx"}]})
    with pytest.raises(ValueError, match="needs 'wrong'"):
        load_typos({"entries": [{"right": "c"}]})


def test_places_cover_63_provinces_and_34_units():
    places = load_lexicon("places.yaml")
    provs = places["provinces"]
    names = [p["name"] for p in provs]
    assert len(names) == 63 == len(set(names))
    after_2025 = {p["name"] for p in provs if not p.get("merged_into")}
    assert len(after_2025) == 34
    assert all(p["merged_into"] in after_2025 for p in provs if p.get("merged_into"))
    assert "Đắk Nông" in names and "Krông Nô" in places["districts"]["Đắk Nông"]


def test_abbreviation_lists_do_not_overlap(monkeypatch):
    data = load_lexicon("abbreviations.yaml")
    assert not set(data["spell_out"]) & set(data["well_known"])
    assert {"UBND", "HĐND", "MTTQ"} <= set(data["well_known"])
    bad = {"spell_out": {"UBND": ["Ủy ban nhân dân"]}, "well_known": ["UBND"]}
    monkeypatch.setattr(language, "load_lexicon", lambda name: bad)
    with pytest.raises(ValueError, match="UBND"):
        Abbreviations({}, None)


def test_repeat_lists():
    data = load_lexicon("repeats.yaml")
    single, allow = set(data["single"]), set(data["allow"])
    assert "trong" in single and not single & allow
    # syllables that end one compound and start the next are not function words here
    assert not {"số", "đồng", "theo", "tại", "trợ"} & single
    assert {"ngày", "người", "nhà", "đời"} <= allow


def test_place_names_compare_up_to_tone_placement_and_i_y():
    assert name_form("Tân Hòa") == name_form("TÂN HOÀ")
    assert name_form("Quý Lộc") == name_form("Quí Lộc")
    assert name_form("CƯỜNG LẶNG") != name_form("CƯỜNG LĂNG")
