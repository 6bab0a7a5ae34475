"""The legal registry's own consistency (rules/facts/legal/*.yaml) and the fact tables."""

from __future__ import annotations

import regex

from plancheck.extract.registry import STATUSES, abbreviations, load_entries, programs, registry

ENTRIES = load_entries()

# FACTS.md §2: every national document of the table and of the "Also ✔" line.
FACTS_NATIONAL = """
76/2014/QH13 33/2015/QĐ-TTg 59/2015/QĐ-TTg 1722/QĐ-TTg 88/2019/QH14 30/2020/NĐ-CP 07/2021/NĐ-CP
24/2021/QĐ-TTg 07/2021/TT-BLĐTBXH 24/2021/QH15 1705/QĐ-TTg 36/2021/QĐ-TTg 90/QĐ-TTg 353/QĐ-TTg
02/2022/TT-BLĐTBXH 27/2022/NĐ-CP 09/2022/TT-BLĐTBXH 10/2022/TT-BLĐTBXH 11/2022/TT-BLĐTBXH
06/2022/TT-BTTTT 01/2022/TT-BXD 1768/QĐ-BYT 04/2022/TT-BNNPTNT 880/QĐ-TTg 46/2022/TT-BTC
17/2022/TT-BLĐTBXH 03/2023/TT-BLĐTBXH 38/2023/NĐ-CP 55/2023/TT-BTC 176/2025/QH15 150/2025/NĐ-CP
72/2025/QH15 13/2025/TT-BNNMT 257/2025/QH15 417/QĐ-BNNMT 35/2025/NĐ-CP 100/2015/QH13 120/2020/QH14
25/2021/QH15 263/QĐ-TTg 15/2017/TT-BTC 18/2017/TT-BNNPTNT 06/2017/TT-BTTTT 17/2016/TT-BLĐTBXH
1719/QĐ-TTg 275/QĐ-TTg 131/QĐ-TTg
""".split()


def test_every_facts_document_is_in_the_registry():
    reg = registry()
    missing = [n for n in FACTS_NATIONAL if reg.get(n) is None]
    assert not missing


def test_year_in_the_number_is_the_year_of_the_date():
    for e in ENTRIES:
        if e.year is not None and e.date is not None:
            assert e.year == e.date.year, e.number


def test_references_resolve():
    reg = registry()
    for e in ENTRIES:
        for ref in [e.replaced_by, *e.amended_by]:
            if ref:
                assert reg.get(ref) is not None, f"{e.number}: {ref} is not in the registry"


def test_dates_are_ordered():
    for e in ENTRIES:
        if e.in_force_from and e.in_force_to:
            assert e.in_force_from <= e.in_force_to, e.number
        if e.date and e.in_force_from:
            assert e.date <= e.in_force_from, e.number
        if e.date and e.in_force_to:
            assert e.date <= e.in_force_to, e.number


def test_statuses_and_sources():
    for e in ENTRIES:
        assert e.status in STATUSES and e.source, e.number
        assert all(s in STATUSES for s in e.field_status.values()), e.number
        if e.date is None:
            assert e.status_of("date") == "✱", f"{e.number}: a missing date must be marked ✱"


def test_numbers_without_a_year_carry_keywords():
    for e in ENTRIES:
        if e.year is None:
            assert e.keywords, f"{e.number} recurs every year: give it keywords"


def test_verified_facts_of_rules_md():
    reg = registry()
    assert reg.get("04/2022/TT-BNNPTNT").date.isoformat() == "2022-07-11"
    assert reg.get("07/2021/NĐ-CP").date.isoformat() == "2021-01-27"
    assert reg.get("59/2015/QĐ-TTg").in_force_to.isoformat() == "2021-12-31"
    t46 = reg.get("46/2022/TT-BTC")
    assert t46.replaced_by == "55/2023/TT-BTC" and t46.status_of("replaced_by") == "✱"
    assert t46.assume_replaced_from.isoformat() == "2024-01-01"


def test_program_periods_and_decisions():
    reg = registry()
    keys = {p["key"] for p in programs()}
    for p in programs():
        for pat in p["names"]:
            regex.compile(pat, regex.V1 | regex.IGNORECASE)
        for per in [*p["periods"], *(p.get("phases") or [])]:
            assert per["from"] < per["to"]
            if per.get("decision"):
                e = reg.get(per["decision"])
                assert e is not None and e.date == per["decision_date"], per["decision"]
        assert p.get("successor") in (None, *keys)


def test_abbreviation_tables():
    ab = abbreviations()
    words = [t["word"] for t in ab["types"]]
    assert len(words) == len(set(words))
    abbrs = [i["abbr"] for i in ab["issuers"]]
    assert len(abbrs) == len(set(abbrs))
    kh = next(t for t in ab["types"] if t["word"] == "Kế hoạch")
    assert kh["abbr"] == ["KH"]
