"""Vietnamese number parsing: "2.211" = 2211, "1,40" = 1.4, "06" = 6, "0,5%", "1.234,5"."""

from __future__ import annotations

import pytest

from plancheck.extract.numbers import format_vi, is_emptyish, iter_numbers, parse_number


@pytest.mark.parametrize(
    "text,value,decimals,percent",
    [
        ("2.211", 2211, 0, False),
        ("1,40", 1.4, 2, False),
        ("06", 6, 0, False),
        ("0,5%", 0.5, 1, True),
        ("1,5 %", 1.5, 1, True),
        ("1.234,5", 1234.5, 1, False),
        ("1.234.567", 1234567, 0, False),
        ("1,234,567", 1234567, 0, False),
        ("-5", -5, 0, False),
        ("(3)", 3, 0, False),
        ("  219 ", 219, 0, False),
    ],
)
def test_parse(text, value, decimals, percent):
    n = parse_number(text)
    assert n is not None
    assert n.value == pytest.approx(value)
    assert type(n.value) is type(value)
    assert (n.decimals, n.percent) == (decimals, percent)


@pytest.mark.parametrize("text", ["", "x", "abc", "12/5", "85/KH-UBND", "1.23.4", "2022-2025"])
def test_not_a_number(text):
    assert parse_number(text) is None


def test_ambiguous_forms_are_flagged():
    assert parse_number("2,211").ambiguous  # Vietnamese 2,211 or English 2211
    assert parse_number("12.5").ambiguous  # English decimal point
    assert not parse_number("2.211").ambiguous


def test_tolerance_is_half_the_last_shown_decimal():
    assert parse_number("1,40").tolerance == pytest.approx(0.005)
    assert parse_number("7").tolerance == pytest.approx(0.5)


@pytest.mark.parametrize(
    "text,expected", [("", True), ("-", True), ("x", True), ("…", True), ("3", False), ("Thôn 1", False)]
)
def test_emptyish(text, expected):
    assert is_emptyish(text) is expected


def test_numbers_in_running_text_skip_dates_and_codes():
    text = "giảm 06 hộ nghèo; 4.000 lao động; ngày 12/5/2022; số 85/KH-UBND; 0,5%; năm 2022."
    found = [(text[a:b], n.value) for a, b, n in iter_numbers(text)]
    assert found == [("06", 6), ("4.000", 4000), ("0,5%", 0.5), ("2022", 2022)]


def test_format_vi():
    assert format_vi(2211) == "2.211"
    assert format_vi(1.4) == "1,4"
    assert format_vi(1.402, 2) == "1,40"
    assert format_vi(1234567.5, 1) == "1.234.567,5"
