"""PC801–PC805 check kinds on small texts: what fires, what must stay silent, and why."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from plancheck.engine import check_document
from plancheck.examples import run_example
from plancheck.extract.words import words
from plancheck.parse import parse, parse_text
from plancheck.rulebook import RULES_DIR, RuleError, load_rule_file

RULE_FILES = sorted((RULES_DIR / "language").glob("PC80*.yaml"))
RULES = {p.name[:5]: load_rule_file(p) for p in RULE_FILES}


def run(code: str, text: str, name: str = "t.txt", **meta) -> list:
    doc = parse_text(text, name=name, overrides=meta or None)
    return [(doc.slice(f.span), f) for f in check_document(doc, [RULES[code]]) if f.code == code]


def excerpts(code: str, text: str, **meta) -> list[str]:
    return [e for e, _ in run(code, text, **meta)]


def test_all_six_rules_exist():
    assert sorted(RULES) == ["PC801", "PC802", "PC803", "PC804", "PC805", "PC806"]
    assert RULES["PC805"].preview and RULES["PC805"].severity.value == "info"
    # promoted from preview: its ledger (corpus/realworld, corpus/office) shows 29 true, 0 false
    assert not RULES["PC806"].preview and RULES["PC806"].severity.value == "warning"


# The YAML examples run here too, for these rules alone (tests/test_rule_examples.py runs them
# for the whole catalog; this keeps the language family checked while other rules are edited).
EXAMPLES = [
    pytest.param(code, kind, i, ex, id=f"{code}-{kind}-{i}")
    for code, rule in RULES.items()
    for kind in ("fire", "no_fire")
    for i, ex in enumerate(rule.examples[kind])
]


@pytest.mark.parametrize("code,kind,i,example", EXAMPLES)
def test_yaml_example(code, kind, i, example):
    findings, spans, doc = run_example(RULES[code], example)
    if kind == "fire":
        assert findings
        for sp in spans:
            assert any(f.span.overlaps(sp) for f in findings), [doc.slice(f.span) for f in findings]
        if "suggest" in example:
            assert example["suggest"] in [f.suggestion for f in findings]
    else:
        assert not findings, [f.message.vi for f in findings]


# ---------------------------------------------------------------- tokens


def test_tokens_mask_addresses_and_keep_apostrophe_names():
    doc = parse_text("Gửi giamngheo@quangnam.gov.vn, xem https://abc.vn/xyz và sldtbxh.gov.vn; đồng bào H'Mông.")
    toks = {t.text: t for t in words(doc).tokens}
    assert toks["giamngheo"].masked and toks["quangnam"].masked and toks["xyz"].masked and toks["sldtbxh"].masked
    assert not toks["Gửi"].masked and not toks["đồng"].masked
    assert "H'Mông" in toks and toks["H'Mông"].is_word
    assert all(t.masked for t in words(doc).tokens if t.text in ("gov", "vn", "https"))


def test_tokens_are_memoised_per_document():
    doc = parse_text("Một hai ba.")
    assert words(doc) is words(doc)


# ---------------------------------------------------------------- PC801


def test_repeat_reports_second_copy_with_suggestion():
    [(ex, f)] = run("PC801", "Thực hiện tăng cường tăng cường khả năng tiếp cận pháp luật.")
    assert ex == "tăng cường"
    assert f.suggestion == "Thực hiện tăng cường khả năng"  # the passage without the second copy
    assert "tăng cường" in f.message.vi and f.message.en


def test_repeat_longest_phrase_and_one_finding_for_three_copies():
    assert excerpts("PC801", "giảm nghèo trên địa bàn trên địa bàn xã") == ["trên địa bàn"]
    assert len(excerpts("PC801", "công tác của của của xã")) == 1


def test_repeat_is_case_insensitive_but_needs_plain_space():
    assert excerpts("PC801", "Căn cứ Căn cứ Kế hoạch số 92/KH-UBND") == ["Căn cứ"]
    assert excerpts("PC801", "Đơn giá đơn giá quan trắc") == ["đơn giá"]
    assert excerpts("PC801", "việc tìm người - người tìm việc; học sinh, sinh viên; (trong) trong") == []


def test_repeat_across_a_mid_sentence_paragraph_break_only():
    assert excerpts("PC801", "đạt chỉ tiêu giao trong\n\ntrong quý I năm 2022.") == ["trong"]
    # a heading and the item under it are two paragraphs, not one sentence
    assert excerpts("PC801", "1. Kinh phí:\n\n- Kinh phí thực hiện") == []
    assert excerpts("PC801", "II. MỤC TIÊU\n\n1. Mục tiêu tổng quát") == []
    assert excerpts("PC801", "Kết quả đạt được.\n\nđạt được nhiều mặt") == []


def test_single_syllable_repeats_only_for_function_words():
    assert excerpts("PC801", "phát triển hạ tầng số trong trong các khu công nghệ cao") == ["trong"]
    for text in (
        "chính sách hỗ trợ trợ cấp xã hội",
        "các nền tảng số số lượng người dùng lớn",
        "cộng đồng đồng bào dân tộc thiểu số",
        "hàng sản xuất xuất khẩu",
        "ngày ngày người người thi đua",
    ):
        assert excerpts("PC801", text) == [], text


def test_noun_then_verb_is_not_a_repeat():
    assert excerpts("PC801", "Đề nghị các tổ chức tổ chức tuyên truyền.") == []
    # after a comma the second copy is often the same noun again: reported
    assert excerpts("PC801", "vai trò của cấp ủy, tổ chức tổ chức đảng, chính quyền") == ["tổ chức"]
    assert excerpts("PC801", "Một số quy định quy định chưa rõ.") == []
    assert excerpts("PC801", "Ủy ban nhân dân xã tổ chức tổ chức thực hiện.") == ["tổ chức"]


def test_doubled_typo_is_left_to_pc802():
    assert excerpts("PC801", "công tác truyền truyền vận động") == []
    assert excerpts("PC802", "công tác truyền truyền vận động") == ["truyền truyền"]


def test_repeat_ignores_numbers_and_cells_are_separate():
    assert excerpts("PC801", "Tổng 12 12 hộ") == []
    assert excerpts("PC801", "TT\tTên\tGhi chú\n1\tXóm Phú\tXóm Phú") == []


# ---------------------------------------------------------------- PC802


def test_typo_suggestion_keeps_case_and_severity_from_lexicon():
    [(ex, f)] = run("PC802", "- Phân đầu 100% hộ nghèo được vay vốn.")
    assert ex == "Phân đầu" and f.suggestion == "Phấn đấu"
    [(ex, f)] = run("PC802", "KIỂM TRA VIỆC SỬ LÝ VI PHẠM")
    assert f.suggestion == "XỬ LÝ"
    [(_, f)] = run("PC802", "tổ chức thăm quan mô hình")
    assert f.severity.value == "info"
    [(_, f)] = run("PC802", "sát nhập các thôn")
    assert f.severity.value == "warning"


def test_typo_across_a_line_wrap_but_not_across_punctuation():
    assert excerpts("PC802", "đẩy mạnh công tác đào\nnghề nông thôn") == ["đào nghề"]  # the reader joins the wrap
    assert excerpts("PC802", "công tác đào, nghề nông thôn") == []


# ---------------------------------------------------------------- PC803


def test_run_together_needs_two_known_parts():
    text = "Tham dự các lớptập huấn.\n\nMở lớp tập huấn cho cán bộ."
    [(ex, f)] = run("PC803", text)
    assert ex == "lớptập" and f.suggestion == "lớp tập"
    # "deo" is no word of the document nor a frequent syllable: a loanword, not two words
    assert excerpts("PC803", "Xem đoạn phim vidteo ngắn.") == []


def test_run_together_skips_names_acronyms_codes_and_addresses():
    for text in (
        "Xã Ea Ly, Xã Yang Mao, sông Krông Ana thuộc tỉnh Đắk Lắk.",
        "Ứng dụng Big Data và AI; thị trường EU, UAE, Oman.",
        "Mã số QĐ-TTg, 30a, lớptập2024.",
        "Trang web www.lớptập.vn và thư lớptập@gmail.com",
    ):
        assert excerpts("PC803", text) == [], text


def test_run_together_capitalised_word_alone_is_checked():
    text = "trước ngày nghỉ Tếtít nhất 20 ngày; thưởng Tết cho người lao động, ít nhất một tháng lương."
    assert excerpts("PC803", text) == ["Tếtít"]


def test_run_together_repeated_token_is_a_term():
    text = "Dùng cácthông số. Ghi cácthông số. Lưu cácthông số. Các thông số khác."
    assert excerpts("PC803", text) == []  # written the same way three times: a term, not a slip


# ---------------------------------------------------------------- PC804


def test_locality_variant_needs_own_context_and_is_not_a_province():
    text = (
        "Ủy ban nhân dân huyện Krông Nô ban hành kế hoạch trên địa bàn huyện Krông Nô.\n\n"
        "Quyết định của Ủy ban nhân dân huyện Krông Nông; tỉnh Đắk Nông; huyện Krông Năng."
    )
    got = run("PC804", text, level="huyện", locality="Krông Nô")
    assert [e for e, _ in got] == ["Krông Nông"]
    assert got[0][1].suggestion == "Krông Nô"
    # without the own-authority context a similar name may be another place
    assert excerpts("PC804", "Phối hợp với huyện Krông Nông.", level="huyện", locality="Krông Nô") == []


def test_table_names_compared_across_tables_and_text():
    text = (
        "TT\tTên thôn\tSố hộ\n1\tPhú Lộc\t10\n2\tTân Hòa\t20\n3\tCỘNG\t30\n\n"
        "Biểu 2\n\nTT\tTên thôn\tSố hộ\n1\tPhú Lộc\t10\n2\tTân Hoà\t20\n\n"
        "Ưu tiên thôn Phu Lộc."
    )
    assert excerpts("PC804", text) == ["Phu Lộc"]


def test_threshold_param_is_validated(tmp_path):
    src = (RULES_DIR / "language" / "PC804-place-name-variant.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "PC804-place-name-variant.yaml"
    bad.write_text(src.replace("locality_threshold: 85", "locality_threshold: 5"), encoding="utf-8")
    with pytest.raises(RuleError, match="locality_threshold"):
        load_rule_file(bad)


# ---------------------------------------------------------------- PC805


def test_abbreviation_first_use_only_in_running_text():
    text = "Căn cứ Thông tư 09/2022/TT-BLĐTBXH.\n\nHỗ trợ mua BHYT.\n\nThẻ BHYT.\n\nbảo hiểm y tế cho hộ nghèo."
    got = run("PC805", text)
    assert [e for e, _ in got] == ["BHYT"]
    assert "bảo hiểm y tế" in got[0][1].message.vi
    assert excerpts("PC805", "TT\tNội dung\n1\tMua BHYT") == []  # a table cell abbreviates for room


# ---------------------------------------------------------------- speed


def test_language_rules_are_fast_on_a_plan(seeds: Path):
    doc = parse(seeds / "seed000.txt")
    rules = list(RULES.values())
    t = time.perf_counter()
    check_document(doc, rules)
    assert time.perf_counter() - t < 0.5  # ~20 ms unloaded; generous for a busy CI machine


def test_abbreviation_defined_in_brackets_is_not_reported():
    assert excerpts("PC805", "Phối hợp Ngân hàng CSXH (NHCSXH) huyện cho vay.\n\nNHCSXH giải ngân.") == []
    assert excerpts("PC805", "Hỗ trợ thẻ (sau đây viết tắt là BHYT) cho hộ nghèo; cấp BHYT.") == []
    assert excerpts("PC805", "Phối hợp NHCSXH huyện cho vay.") == ["NHCSXH"]


def test_own_locality_spelling_wins_over_a_more_frequent_variant():
    text = "Kế hoạch của xã Thịnh Đúc.\n\nNhân dân xã Thịnh Đúc.\n\nCán bộ xã Thịnh Đức."
    got = run("PC804", text, level="xã", locality="Thịnh Đức")
    assert [e for e, _ in got] == ["Thịnh Đúc", "Thịnh Đúc"]
    assert {f.suggestion for _, f in got} == {"Thịnh Đức"}
    # without a known locality the most frequent spelling is taken as the right one
    assert excerpts("PC804", text) == ["Thịnh Đức"]


def test_weak_place_mentions_are_not_compared():
    text = "Thành lập Tổ Công tác liên ngành.\n\nHọp Tổ Cộng tác viên.\n\nKhu Công nghiệp và Khu Cộng đồng."
    assert excerpts("PC804", text) == []  # "tổ", "khu" alone are no place words
    assert excerpts("PC804", "Thị xã Buôn Hồ và buôn Hổ.") == []  # a single capitalised word is too weak
