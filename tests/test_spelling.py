"""PC806 (misspelled word): syllable keys and slips, the shipped data, and its recall on
one-slip misspellings injected into the plans of corpus/ (plancheck/misspell.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plancheck.checks import spelling
from plancheck.checks.spelling import NOT_SYLLABLE, UNKNOWN, spell_data, syllable_id
from plancheck.misspell import SOURCES, make_cases, slip_forms, write_cases
from plancheck.parse import parse
from plancheck.rulebook import RULES_DIR, load_rule_file
from plancheck.syllables import canon, slip_kind, slips

RULE = load_rule_file(RULES_DIR / "language" / "PC806-misspelled-word.yaml")
ROOT = Path(__file__).resolve().parent.parent


def _check(text: str, tmp_path: Path):
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    return list(RULE.check.run(parse(p), RULE))


def test_canon_merges_tone_placement_and_i_y():
    assert canon("hoà") == canon("hòa") == canon("HÒA")
    assert canon("thuỷ") == canon("thủy")
    assert canon("kĩ") == canon("kỹ") and canon("lí") == canon("lý") and canon("quí") == canon("quý")
    assert canon("tay") != canon("tai") and canon("hoà") != canon("hoa")


def test_slips_cover_the_kinds_of_slip():
    assert canon("dựng") in slips(canon("dụng"))  # vowel mark
    assert canon("kinh") in slips(canon("kính"))  # tone
    assert canon("dời") in slips(canon("rời"))  # d / r
    assert canon("xây") in slips(canon("sây"))  # s / x
    assert canon("trình") in slips(canon("chình"))  # ch / tr
    assert canon("trường") in slips(canon("tường"))  # a dropped letter
    assert canon("các") in slips(canon("cáac"))  # a doubled letter
    assert slip_kind(canon("tính"), canon("tỉnh")) == "tone"
    assert slip_kind(canon("dụng"), canon("dựng")) == "mark"
    assert slip_kind(canon("rời"), canon("dời")) == "onset"
    assert slip_kind(canon("vào"), canon("và")) == "letter"


def test_data_is_loaded_lazily_and_is_compact():
    spell_data.cache_clear()
    assert spell_data.cache_info().currsize == 0
    d = spell_data()
    assert len(d.ids) < 0xFFFF  # ids fit the 16-bit halves of a pair key
    # the corpus signal of issue 14: right pairs frequent, the slips rare or absent
    assert d.pair(d.ids[canon("xây")], d.ids[canon("dựng")]) > 10_000
    assert d.pair(d.ids[canon("xây")], d.ids[canon("dụng")]) < 20
    assert d.pair(d.ids[canon("kinh")], d.ids[canon("phí")]) > 1_000
    assert d.pair(d.ids[canon("kính")], d.ids[canon("phí")]) == 0
    assert syllable_id("triểt") == NOT_SYLLABLE
    assert syllable_id("xây") >= 0
    assert UNKNOWN == -1
    total = sum(f.stat().st_size for f in (RULES_DIR / "facts" / "lexicon").glob("spelling-*"))
    assert total < 8_000_000


def test_caches_are_bounded():
    assert spelling.syllable_id.cache_info().maxsize is not None
    assert spelling.slips_of.cache_info().maxsize is not None
    assert spelling._FIXABLE_MAX <= 200_000


def test_suggestion_in_the_documents_own_spelling(tmp_path):
    text = "Nâng cao chất lượng hoà giải ở cơ sở; tổ chức hoà giải viên.\n\nCác tổ hỏa giải ở cơ sở hoạt động tốt.\n"
    fs = _check(text, tmp_path)
    assert [f.suggestion for f in fs] == ["hoà"]


def test_a_term_repeated_in_the_document_is_not_corrected(tmp_path):
    text = "\n\n".join(["Hỗ trợ mô hình nuôi bân cá tại thôn."] * 4)
    assert _check(text, tmp_path) == []


def test_slip_forms_of_a_word():
    forms = slip_forms("dựng")
    assert "dụng" in forms["mark"] and "dừng" in forms["tone"] and "rựng" in forms["onset"]
    assert "dựngg" in forms["double"] and "dựg" in forms["drop"]


def test_injected_cases_are_slips_whose_result_is_not_right_there():
    import random

    text = (ROOT / "corpus" / "seeds" / "seed001.txt").read_text(encoding="utf-8")
    new, must = make_cases(text, random.Random(3), 5)
    assert must and new != text
    d = spell_data()
    for m in must:
        right, _, rest = m["reason"].partition(" -> ")
        wrong = rest.split(" (")[0]
        assert wrong != right
        line = new.split("\n")[m["line"] - 1]
        assert wrong in line
        w = syllable_id(wrong.lower())
        assert w != d.ids.get(canon(right))


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    out = tmp_path_factory.mktemp("misspelled")
    n = write_cases(out, seed=1, per_doc=10)
    return out, n


def test_recall_on_injected_misspellings(injected):
    """>= 300 one-slip misspellings over the seeds and corpus/realworld; PC806 must find
    at least 80% of them with the original word as its suggestion."""
    out, n = injected
    assert n >= 300
    hit = total = 0
    kinds = set()
    for exp in sorted(out.glob("*.expected.yaml")):
        doc = parse(out / exp.name[: -len(".expected.yaml")])
        fs = list(RULE.check.run(doc, RULE))
        for m in yaml.safe_load(exp.read_text(encoding="utf-8"))["must"]:
            total += 1
            kinds.add(m["reason"].rsplit("(", 1)[1].split(",")[0])
            right = m["anchor"][0].strip('"')
            if any(abs(f.location.line - m["line"]) <= 2 and f.suggestion == right for f in fs):
                hit += 1
    assert total == n
    assert {"tone", "mark", "onset", "drop", "double"} <= kinds
    assert hit / total >= 0.8, f"recall {hit}/{total}"


def test_sources_of_injection_are_in_corpus():
    for folder, ext in SOURCES:
        assert list((ROOT / folder).glob(f"*{ext}"))
