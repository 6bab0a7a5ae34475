"""Seeds: PC4xx/PC5xx findings (RULES.md must/not) and the coverage table of each seed,
read side by side with the plan; the .docx and .pdf renderings must agree with the .txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancheck.engine import check_document
from plancheck.parse import parse
from plancheck.rulebook import load_rules

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
RULES = [r for r in load_rules() if r.code[:3] in ("PC4", "PC5")]

# (code, .txt line, severity, item) of every PC4xx/PC5xx finding, reviewed against the plans.
FINDINGS = {
    0: {
        ("PC401", 63, "info", "DA1"),  # area-restricted (huyện nghèo, xã bãi ngang)
        ("PC401", 63, "info", "DA5"),
        ("PC405", 63, "info", None),  # "… giảm nghèo và an sinh xã hội bền vững"
        ("PC501", 65, "warning", "DA2"),
        ("PC401", 75, "warning", "DA3.TDA2"),
        ("PC501", 75, "warning", "DA3"),  # the project's heading is its sub-project's: "(Dự án 3: …)"
        ("PC401", 83, "warning", "DA4.TDA2"),
        ("PC401", 83, "warning", "DA4.TDA3"),
        ("PC501", 83, "warning", "DA4"),
        ("PC401", 93, "warning", "DA6.TDA1"),
        ("PC501", 93, "warning", "DA6"),
        ("PC501", 101, "warning", "DA7"),
    },
    1: {
        ("PC401", 63, "info", "DA1"),
        ("PC401", 63, "info", "DA5"),
        ("PC401", 91, "warning", "DA3.TDA2"),
        ("PC401", 119, "warning", "DA4.TDA2"),  # "3.2. Tiểu dự án 2" is Tiểu dự án 3 by name
        ("PC402", 139, "error", "DA4.TDA2"),
        ("PC401", 163, "warning", "DA6.TDA1"),
    },
    2: {  # 2019: judged against the 2016-2020 catalog; only Dự án 3 is named (line 165)
        ("PC401", 7, "info", "DA1"),
        ("PC401", 7, "info", "DA2"),
        ("PC401", 7, "info", "DA4"),  # not named, but "2.2. Công tác tuyên truyền" carries its content
        ("PC401", 7, "info", "DA5"),  # "1.4. Tập huấn tăng cường năng lực …"
    },
    3: {
        ("PC401", 64, "info", "DA1"),
        ("PC401", 64, "info", "DA5"),
        ("PC401", 90, "warning", "DA3.TDA2"),
        ("PC401", 116, "warning", "DA4.TDA2"),
        ("PC401", 156, "warning", "DA6.TDA1"),
        ("PC402", 156, "warning", "DA6"),  # the project given its sub-project's name
        ("PC402", 240, "warning", "DA6"),  # and again in Tổ chức thực hiện
    },
    4: {
        ("PC405", 424, "info", None),  # lines 424-426, hard-wrapped
    },
}

# Coverage table: item -> (status, .txt line of the section that addresses it, lead)
A, N, M = "addressed", "not_applicable", "missing"
COVERAGE = {
    0: {
        "DA1": (M, None, None),
        "DA1.TDA1": (M, None, None),
        "DA1.TDA2": (M, None, None),
        "DA2": (A, 65, None),
        "DA3": (A, 75, None),
        "DA3.TDA1": (A, 75, None),
        "DA3.TDA2": (M, None, None),
        "DA4": (A, 83, None),
        "DA4.TDA1": (A, 85, None),
        "DA4.TDA2": (M, None, None),
        "DA4.TDA3": (M, None, None),
        "DA5": (M, None, None),
        "DA6": (A, 93, None),
        "DA6.TDA1": (M, None, None),
        "DA6.TDA2": (A, 93, None),
        "DA7": (A, 101, None),
        "DA7.TDA1": (A, 103, None),
        "DA7.TDA2": (A, 113, None),
    },
    1: {
        "DA1": (M, None, None),
        "DA1.TDA1": (M, None, None),
        "DA1.TDA2": (M, None, None),
        "DA2": (A, 65, "Cán bộ Khuyến nông xã"),
        "DA3": (A, 91, "Cán bộ Khuyến nông xã"),
        "DA3.TDA1": (A, 93, "Cán bộ Khuyến nông xã"),
        "DA3.TDA2": (M, None, None),
        "DA4": (A, 119, "Cán bộ Lao động TBXH xã"),  # one civil servant, written two ways
        "DA4.TDA1": (A, 121, "Cán bộ Lao động TBXH xã"),
        "DA4.TDA2": (M, None, None),
        "DA4.TDA3": (A, 139, "Cán bộ Lao động - Thương binh và Xã hội xã"),
        "DA5": (M, None, None),
        "DA6": (A, 163, "Cán bộ Lao động - Thương binh và Xã hội"),
        "DA6.TDA1": (M, None, None),
        "DA6.TDA2": (A, 165, "Cán bộ Lao động - Thương binh và Xã hội"),
        "DA7": (A, 191, "Cán bộ Lao động - Thương binh và Xã hội xã"),
        "DA7.TDA1": (A, 193, "Cán bộ Lao động - Thương binh và Xã hội xã"),
        "DA7.TDA2": (A, 209, "Cán bộ Lao động - Thương binh và Xã hội"),
    },
    2: {
        "DA1": (M, None, None),
        "DA2": (M, None, None),
        "DA3": (A, 165, "Phòng Nông nghiệp - Phát triển Nông thôn"),
        "DA4": (M, None, None),
        "DA5": (M, None, None),
        **{f"DA1.TDA{k}": (M, None, None) for k in (1, 2, 3, 4)},
        **{f"DA2.TDA{k}": (M, None, None) for k in (1, 2, 3)},
    },
    3: {
        "DA1": (M, None, None),
        "DA1.TDA1": (M, None, None),
        "DA1.TDA2": (M, None, None),
        "DA2": (A, 66, "Phòng Nông nghiệp và Phát triển nông thôn"),
        "DA3": (A, 90, "Phòng Nông nghiệp và Phát triển nông thôn"),
        "DA3.TDA1": (A, 92, "Phòng Nông nghiệp và Phát triển nông thôn"),
        "DA3.TDA2": (M, None, None),
        "DA4": (A, 116, "Phòng Lao động – Thương binh và Xã hội"),
        "DA4.TDA1": (A, 118, "Phòng Lao động - Thương binh và Xã hội"),
        "DA4.TDA2": (M, None, None),
        "DA4.TDA3": (A, 136, "Phòng Lao động - Thương binh và Xã hội"),
        "DA5": (M, None, None),
        "DA6": (A, 156, "Phòng Lao động - Thương binh và Xã hội"),
        "DA6.TDA1": (M, None, None),
        "DA6.TDA2": (A, 156, "Phòng Lao động - Thương binh và Xã hội"),
        "DA7": (A, 178, "Phòng Lao động – Thương binh và Xã hội"),
        "DA7.TDA1": (A, 180, "Phòng Lao động - Thương binh và Xã hội"),
        "DA7.TDA2": (A, 202, "Phòng Lao động - Thương binh và Xã hội"),
    },
    4: {
        "DA1": (N, 72, None),
        "DA1.TDA1": (N, 72, None),
        "DA1.TDA2": (N, 72, None),
        "DA2": (A, 78, "Phòng Lao động - Thương binh và Xã hội"),
        "DA3": (A, 116, "Phòng Nông nghiệp và Phát triển nông thôn; Phòng Y tế"),
        "DA3.TDA1": (A, 118, "Phòng Nông nghiệp và Phát triển nông thôn"),
        "DA3.TDA2": (A, 151, "Phòng Y tế"),
        "DA4": (A, 191, "Phòng Lao động - Thương binh và Xã hội"),
        "DA4.TDA1": (N, 193, None),
        "DA4.TDA2": (N, 197, None),
        "DA4.TDA3": (A, 203, "Phòng Lao động - Thương binh và Xã hội"),
        "DA5": (N, 226, None),
        "DA6": (A, 232, "Phòng Văn hóa và Thông tin; Phòng Lao động - Thương binh và Xã hội"),
        "DA6.TDA1": (A, 234, "Phòng Văn hóa và Thông tin"),
        "DA6.TDA2": (A, 254, "Phòng Lao động - Thương binh và Xã hội"),
        "DA7": (A, 294, "Phòng Lao động - Thương binh và Xã hội"),
        "DA7.TDA1": (A, 296, "Phòng Lao động - Thương binh và Xã hội"),
        "DA7.TDA2": (A, 333, "Phòng Lao động - Thương binh và Xã hội"),
    },
}
REASONS_004 = {
    "DA1": "không thực hiện do huyện Hồng Ngự không có xã đặc biệt khó khăn, ven biển và hải đảo",
    "DA4.TDA1": "không thực hiện do huyện Hồng Ngự không có vùng nghèo, vùng khó khăn",
    "DA4.TDA2": "không có",
    "DA5": "huyện Hồng Ngự không thuộc huyện nghèo nên không triển khai dự án này",
}
SUMMARY = {
    0: "Dự án: 5/7 có, 0 không áp dụng, 2 thiếu; tiểu dự án: 5/11 có, 0 không áp dụng, 6 thiếu",
    4: "Dự án: 5/7 có, 2 không áp dụng, 0 thiếu; tiểu dự án: 7/11 có, 4 không áp dụng, 0 thiếu",
}

_DOCS: dict = {}


def _doc(n: int, ext: str = "txt"):
    key = (n, ext)
    if key not in _DOCS:
        d = parse(SEEDS / f"seed00{n}.{ext}")
        _DOCS[key] = (d, check_document(d, RULES))
    return _DOCS[key]


def _item(f):
    data = f.data or {}
    return data.get("item")


@pytest.mark.parametrize("n", range(5))
def test_seed_findings(n):
    d, fs = _doc(n)
    got = {(f.code, f.location.line, f.severity.value, _item(f)) for f in fs}
    assert got == FINDINGS[n]


@pytest.mark.parametrize("n", range(5))
def test_seed_coverage_table(n):
    d, _ = _doc(n)
    rows = {r["item"]: r for r in d.metadata["coverage"]}
    got = {k: (r["status"], (r.get("section") or {}).get("line"), r["lead"]) for k, r in rows.items()}
    assert got == COVERAGE[n]
    if n in SUMMARY:
        assert d.metadata["coverage_summary"] == SUMMARY[n]
    counts = d.metadata["coverage_counts"]
    assert counts["missing"] == sum(v[0] == M for v in COVERAGE[n].values())
    assert sum(counts.values()) == len(COVERAGE[n])
    if n == 4:
        assert {k: r["reason"] for k, r in rows.items() if r["status"] == N and k in REASONS_004} == REASONS_004


def test_seed_scope_and_period():
    for n in range(5):
        d, _ = _doc(n)
        assert d.metadata["scope"] == "program"
        assert d.metadata["period"] == ("2016-2020" if n == 2 else "2021-2025")
        assert d.metadata["period_source"] == "plan_year"


def test_seed_messages_name_number_and_official_name():
    _, fs = _doc(0)
    msgs = [f.message.vi for f in fs if f.code in ("PC401", "PC501")]
    assert any("Tiểu dự án 2 (Dự án 3)" in m and "Cải thiện dinh dưỡng" in m for m in msgs)
    assert any("Dự án 3" in m and "Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng" in m for m in msgs)
    _, fs = _doc(1)
    p402 = next(f for f in fs if f.code == "PC402")
    assert "Tiểu dự án 3" in p402.message.vi and p402.suggestion == "Tiểu dự án 3: Hỗ trợ việc làm bền vững"


def test_seed_traps():
    """RULES.md **not** examples of PC4xx/PC5xx."""
    _, fs0 = _doc(0)
    for f in fs0:  # the ethnic-minority program's projects, lines 121-135
        assert not (f.code in ("PC402", "PC403", "PC404") and 121 <= f.location.line <= 135)
    assert not [f for f in fs0 if f.code == "PC405" and f.location.line == 196]
    assert not [f for f in fs0 if f.code == "PC505"]
    _, fs1 = _doc(1)
    assert not [f for f in fs1 if f.code == "PC402" and f.location.line in (65, 91, 119, 163, 191)]
    assert not [f for f in fs1 if f.code in ("PC403", "PC501")]
    _, fs2 = _doc(2)
    assert not [f for f in fs2 if f.code in ("PC404", "PC405", "PC501", "PC502")]
    _, fs3 = _doc(3)
    assert not [f for f in fs3 if f.code in ("PC501", "PC502", "PC505")]
    _, fs4 = _doc(4)
    assert not [f for f in fs4 if f.code in ("PC401", "PC501", "PC502", "PC505")]
    assert not [f for f in fs4 if f.code == "PC405" and f.location.line in (15, 394)]


@pytest.mark.parametrize("ext", ["docx", "pdf"])
@pytest.mark.parametrize("n", range(5))
def test_renderings_agree(n, ext):
    dt_, ft = _doc(n)
    dr, fr = _doc(n, ext)
    assert dr.metadata["scope"] == dt_.metadata["scope"] and dr.metadata["period"] == dt_.metadata["period"]
    strip = [{k: v for k, v in r.items() if k != "section"} for r in dt_.metadata["coverage"]]
    assert [{k: v for k, v in r.items() if k != "section"} for r in dr.metadata["coverage"]] == strip
    assert dr.metadata["coverage_summary"] == dt_.metadata["coverage_summary"]
    assert sorted((f.code, f.severity.value, _item(f), f.message.vi) for f in fr) == sorted(
        (f.code, f.severity.value, _item(f), f.message.vi) for f in ft
    )
    loc = "paragraph" if ext == "docx" else "page"
    assert all(getattr(f.location, loc) for f in fr)
    for r in dr.metadata["coverage"]:
        if r["section"]:
            assert loc in r["section"]
