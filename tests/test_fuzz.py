"""Fuzzing: arbitrary text and mutated real plans through the parser and every rule.

No exception may escape parse_text or any rule's run() (the engine would turn one
into PC001 "internal", which hides a bug). Bounded: 50 examples each, no deadline.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.engine import check_document
from plancheck.parse import parse_text
from plancheck.rulebook import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = [r for r in load_rules() if r.code != "PC001"]
SOURCES = [
    *(sorted((ROOT / "corpus" / "seeds").glob("seed*.txt"))),
    *(sorted((ROOT / "corpus" / "realworld").glob("kh-*.md"))[:6]),
]
TEXTS = [p.read_text(encoding="utf-8") for p in SOURCES]

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

# Pieces that steer the parser into its special cases: markers, tables, markdown, dates.
PIECES = [
    "KẾ HOẠCH",
    "I.",
    "II.",
    "IV.",
    "1.",
    "2.1.",
    "a)",
    "đ)",
    "b.",
    "- ",
    "+ ",
    "**",
    "*",
    "\\*",
    "#",
    "## ",
    "|",
    "\t",
    "\n",
    "\n\n",
    "Số: 85/KH-UBND",
    "ngày 29 tháng 02 năm 2023",
    "31/4/2024",
    "Nghị định số 07/2021/NĐ-CP ngày 27/01/2012",
    "Dự án 4",
    "Tiểu dự án 2:",
    "CỘNG\t2.211\t37\t1,40",
    "Nơi nhận:",
    "- Lưu: VT.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "giai đoạn 2021 - 2025",
    "năm 2018",
    "trên địa bàn trên địa bàn",
    "\u0301",
    "\ufffd",
    "\x00",
    "\u200b",
    "Ủy ban nhân dân xã",
]
ALPHABET = st.characters(
    codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs", "Cc"), exclude_characters="\r"
) | st.sampled_from("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def _run_all(text: str, name: str = "fuzz.txt") -> None:
    doc = parse_text(text, name=name)
    findings = check_document(doc, RULES)
    for f in findings:  # every finding is located and quotes the text it is about
        assert 0 <= f.span.start <= f.span.end <= len(doc.text)
        assert f.excerpt == doc.text[f.span.start : f.span.end]
        assert f.message.vi and f.message.en


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(ALPHABET, max_size=40)), max_size=60))
def test_arbitrary_text(parts):
    _run_all(" ".join(parts))


@FUZZ
@given(st.text(ALPHABET, max_size=2000), st.sampled_from(["fuzz.txt", "fuzz.md"]))
def test_raw_text(text, name):
    _run_all(text, name)


@st.composite
def mutated_plan(draw):
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 400)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "swap_lines", "upper", "strip_newlines"]))
        if op == "delete":
            text = text[:a] + text[b:]
        elif op == "duplicate":
            text = text[:b] + text[a:b] + text[b:]
        elif op == "insert":
            text = text[:a] + draw(st.sampled_from(PIECES)) + text[a:]
        elif op == "swap_lines":
            lines = text.split("\n")
            if len(lines) > 2:
                i = draw(st.integers(0, len(lines) - 2))
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
                text = "\n".join(lines)
        elif op == "upper":
            text = text[:a] + text[a:b].upper() + text[b:]
        else:
            text = text[:a] + text[a:b].replace("\n", " ") + text[b:]
    return text


@FUZZ
@given(mutated_plan())
def test_mutated_real_plans(text):
    _run_all(text)
