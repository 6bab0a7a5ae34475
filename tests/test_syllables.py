"""The Vietnamese syllable validator (rules/facts/lexicon/syllables.yaml + plancheck/syllables.py)."""

from __future__ import annotations

import pytest
import yaml

from plancheck.extract.words import words
from plancheck.parse import parse
from plancheck.syllables import (
    SYLLABLES_FILE,
    SyllableTable,
    is_syllable,
    splits,
    strip_diacritics,
    tone_key,
)

VALID = (
    "quốc giữa gì gìn giếng nghiêng khuya khuỷu boong xoong oái uyên quỳnh quân quê thuở hoạch ngoằn ngoèo "
    "kỹ kĩ lý lí hoà hòa thuỷ thủy yêu yên ưu hươu quý quí quyết khuyến huyện tuyển người được những "
    "chuyện nghĩa khoẻ khỏe thuê huỳnh quà ạ ừ ơi gỉ giặt xuống học tập các thông lớp"
).split()


@pytest.mark.parametrize("word", VALID)
def test_real_syllables_validate(word):
    assert is_syllable(word)
    assert is_syllable(word.upper())
    assert is_syllable(word.capitalize())


@pytest.mark.parametrize(
    "word,why",
    [
        ("hoc", "a stop coda takes only the sắc or nặng tone"),
        ("hòc", "a stop coda takes only the sắc or nặng tone"),
        ("cap", "a stop coda takes only the sắc or nặng tone"),
        ("ci", "c is never written before i"),
        ("ka", "k only before i, e, ê, y"),
        ("gha", "gh only before i, e, ê"),
        ("ngha", "ngh only before i, e, ê"),
        ("ngi", "ng is never written before i"),
        ("quu", "qu takes no rounded vowel"),
        ("hóà", "two tone marks"),
        ("lớptập", "two syllables"),
        ("cácthông", "two syllables"),
        ("krông", "kr is no Vietnamese onset"),
        ("đắk", "k is no Vietnamese coda"),
        ("jrai", "j is no Vietnamese letter"),
        ("ubnd", "an acronym"),
        ("internet", "a loanword"),
        ("", "empty"),
        ("a1", "a digit"),
    ],
)
def test_non_syllables_rejected(word, why):
    assert not is_syllable(word), why


def test_splits_find_the_two_words():
    assert ("lớp", "tập") in splits("lớptập")
    assert ("các", "thông") in splits("cácthông")
    assert splits("krông") == []
    assert splits("học") == [] or all(is_syllable(a) and is_syllable(b) for a, b in splits("học"))


def test_diacritic_helpers():
    assert strip_diacritics("Đắk Nông") == "dak nong"
    assert strip_diacritics("CƯỜNG LẶNG") == strip_diacritics("cường lăng")
    assert tone_key("hòa") == tone_key("hoà")
    assert tone_key("thủy") == tone_key("thuỷ")
    assert tone_key("hòa") != tone_key("hóa")


def test_table_rejects_yaml_booleans():
    data = yaml.safe_load(SYLLABLES_FILE.read_text(encoding="utf-8"))
    SyllableTable.from_data(data)  # the shipped file is clean
    bad = dict(data, onsets=[*data["onsets"], False])  # what a bare `n` or `no` becomes
    with pytest.raises(ValueError, match="onsets"):
        SyllableTable.from_data(bad)
    bad = dict(data, rhymes=dict(data["rhymes"], o=["o", True]))  # a bare `on`
    with pytest.raises(ValueError, match="rhymes"):
        SyllableTable.from_data(bad)
    missing = {k: v for k, v in data.items() if k != "rhymes"}
    with pytest.raises(ValueError, match="rhymes"):
        SyllableTable.from_data(missing)


def test_lexicon_lists_are_strings_and_valid():
    data = yaml.safe_load(SYLLABLES_FILE.read_text(encoding="utf-8"))
    for key in ("frequent", "allow", "names"):
        assert all(isinstance(w, str) for w in data[key]), key
    assert all(is_syllable(w) for w in data["frequent"])
    assert len(set(data["frequent"])) == len(data["frequent"])


def test_every_lowercase_word_of_the_seeds_validates(seeds):
    """Only the two run-together tokens and one loanword are no syllable in the five seeds."""
    bad = set()
    for n in range(5):
        doc = parse(seeds / f"seed00{n}.txt")
        for t in words(doc).tokens:
            if t.is_word and not t.masked and t.text.islower() and len(t.text) > 1 and not is_syllable(t.text):
                bad.add(t.text)
    assert bad == {"lớptập", "cácthông", "internet"}
