"""Seed expectations for PC6xx (format) and PC7xx (tables, numbers), in .txt, .docx and .pdf,
and the reviewed findings of these families on the real documents of corpus/realworld.

Only this family's rule files are loaded, so the test does not depend on other families.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from plancheck.engine import check_document
from plancheck.parse import parse
from plancheck.rulebook import load_rule_file

ROOT = Path(__file__).resolve().parent.parent
RULES = [
    load_rule_file(p) for d in ("format", "tables") for p in sorted((ROOT / "plancheck" / "rules" / d).glob("PC*.yaml"))
]
CODES = {r.code for r in RULES}

# seed -> (must [(code, line or None)], not [(code, line or None)]) from RULES.md / seeds-gold.yaml
SEEDS = {
    "000": (
        [("PC601", None), ("PC603", None), ("PC605", None)],
        [("PC606", None), ("PC607", None), ("PC608", None), ("PC704", None)],
    ),
    "001": (
        [
            ("PC602", 3),
            ("PC602", 305),
            ("PC602", 325),
            ("PC609", 5),
            ("PC607", 292),
            ("PC701", 321),
            ("PC701", 341),
            ("PC605", None),
        ],
        [("PC601", None), ("PC603", None), ("PC604", None), ("PC606", None), ("PC702", None), ("PC703", None)],
    ),
    "002": (
        [("PC602", 3), ("PC606", 266), ("PC608", 252), ("PC605", None)],
        [("PC601", None), ("PC603", None), ("PC604", None), ("PC607", None), ("PC704", None)],
    ),
    "003": (
        [("PC601", None), ("PC603", None), ("PC605", None)],
        [("PC606", None), ("PC704", 26)],
    ),
    "004": (
        [("PC601", None), ("PC603", None), ("PC605", None)],
        [("PC602", None), ("PC606", None), ("PC607", None)],
    ),
}
# Every finding of these families on the seeds: the musts above and nothing else.
EXACT_TXT = {
    "000": ["PC601", "PC603", "PC605"],
    "001": ["PC602", "PC602", "PC602", "PC605", "PC607", "PC609", "PC701", "PC701"],
    "002": ["PC602", "PC605", "PC606", "PC608"],
    "003": ["PC601", "PC603", "PC605"],
    "004": ["PC601", "PC603", "PC605"],
}


def _findings(path: Path):
    return check_document(parse(path), RULES)


def _hit(fs, code, line):
    return [f for f in fs if f.code == code and (line is None or abs((f.location.line or -99) - line) <= 2)]


@pytest.fixture(scope="module")
def txt_findings(seeds):
    return {s: _findings(seeds / f"seed{s}.txt") for s in SEEDS}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_must_and_not(txt_findings, seed):
    fs = txt_findings[seed]
    must, not_ = SEEDS[seed]
    for code, line in must:
        assert _hit(fs, code, line), (
            f"seed {seed}: {code} line {line} missed; got {[(f.code, f.location.line) for f in fs]}"
        )
    for code, line in not_:
        assert not _hit(fs, code, line), f"seed {seed}: trap {code} line {line} fired"
    assert sorted(f.code for f in fs) == EXACT_TXT[seed]


def test_txt_severity_is_info_for_header_parts(txt_findings):
    for fs in txt_findings.values():
        for f in fs:
            if f.code in ("PC601", "PC603", "PC605"):
                assert f.severity.value == "info"


def test_messages_give_computed_and_written_values(txt_findings):
    msgs = [f.message.vi for f in txt_findings["001"] if f.code == "PC701"]
    assert msgs[0] == 'Cột "Tổng số hộ năm 2022": các dòng cộng lại 2.111, dòng CỘNG ghi 2.211.'
    (pc609,) = [f for f in txt_findings["001"] if f.code == "PC609"]
    assert "Thái Nguyên" in pc609.message.vi and "xã Thịnh Đức" in pc609.message.vi


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_renderings_match_txt(txt_findings, seeds, seed, fmt):
    if importlib.util.find_spec(f"plancheck.readers.{fmt}") is None:
        pytest.skip(f"no {fmt} reader")
    fs = _findings(seeds / f"seed{seed}.{fmt}")
    assert Counter(f.code for f in fs) == Counter(f.code for f in txt_findings[seed])
    txt_excerpts = sorted((f.code, f.excerpt) for f in txt_findings[seed])
    assert sorted((f.code, f.excerpt) for f in fs) == txt_excerpts
    for f in fs:
        if f.code in ("PC601", "PC603", "PC605"):
            assert f.severity.value == "warning"  # full severity outside text extractions
        loc = f.location
        assert (loc.paragraph if fmt == "docx" else loc.page) is not None


# Reviewed: every PC6xx/PC7xx finding on corpus/realworld, with why a reviewer agrees.
REALWORLD = {
    # "(Kèm theo Kế hoạch số: /KH-UBND ngày / /2025 …)": the annex never got the plan's number.
    ("kh-31786b0833a4130d.md", "PC602", 414),
    # "(Kèm theo Quyết định số /QĐ-TTg ngày tháng năm 2025 …)": same defect in a TTg plan.
    ("kh-86367f2ddb2225cd.md", "PC602", 79),
    # The decision's body ends "…thi hành Quyết định này." with no "./." (info).
    ("kh-86367f2ddb2225cd.md", "PC608", 47),
    ("other-346647ab456312c0.md", "PC608", 210),
    # The plan's body ends with "(Kèm theo Phụ lục …)." and no "./." (info).
    ("kh-f004d93b21e7fc5f.md", "PC608", 1561),
    # No header findings on a resolution converted without its header (the plan it carries
    # opens "(Kèm theo Nghị quyết …)") nor on a web article quoting a plan (issue 13).
}


def test_realworld_findings_are_the_reviewed_ones(root):
    got = set()
    for p in sorted((root / "corpus" / "realworld").glob("*.md")):
        if p.name.startswith("README"):
            continue
        for f in _findings(p):
            got.add((p.name, f.code, f.location.line))
    assert got == REALWORLD
