"""--baseline: only what is new since an earlier JSON report; what was fixed; moved text still matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck.baseline import BaselineError, diff_findings, load_baseline
from plancheck.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
SELECT = "PC101,PC104"  # seed002 has exactly two such defects: "V." after "III." and no Kinh phí section


def _check(*args: str) -> tuple[int, dict]:
    res = CliRunner().invoke(main, ["check", "--format", "json", "--select", SELECT, *args])
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.stdout)


@pytest.fixture()
def baseline(tmp_path) -> Path:
    plan = tmp_path / "v1" / "seed002.txt"
    plan.parent.mkdir()
    plan.write_bytes((SEEDS / "seed002.txt").read_bytes())
    _, data = _check(str(plan))
    codes = sorted(f["code"] for f in data["documents"][0]["findings"])
    assert codes == ["PC101", "PC104"]
    out = tmp_path / "base.json"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def _revised(tmp_path: Path, fix: bool, shift: bool = True) -> Path:
    text = (SEEDS / "seed002.txt").read_text(encoding="utf-8")
    if fix:  # add the missing section IV: fixes both the numbering gap and the missing Kinh phí
        text = text.replace(
            "\nV. TỔ CHỨC THỰC HIỆN",
            "\nIV. KINH PHÍ THỰC HIỆN\n\nKinh phí thực hiện từ ngân sách nhà nước và nguồn huy động hợp pháp.\n\n"
            "V. TỔ CHỨC THỰC HIỆN",
            1,
        )
    if shift:  # every line moves down: matching must not depend on line numbers
        text = "\n\n\n" + text
    p = tmp_path / "v2" / "seed002.txt"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_two_defects_fixed_are_listed_and_nothing_is_new(tmp_path, baseline):
    rc, data = _check(str(_revised(tmp_path, fix=True)), "--baseline", str(baseline))
    d = data["documents"][0]
    assert d["findings"] == []
    assert sorted(f["code"] for f in d["baseline"]["fixed"]) == ["PC101", "PC104"]
    assert d["baseline"]["unchanged"] == []
    assert data["baseline"] == {
        "source": str(baseline),
        "new": 0,
        "unchanged": 0,
        "fixed": 2,
        "unmatched_documents": 0,
    }
    assert rc == 0


def test_moved_lines_still_match(tmp_path, baseline):
    _, data = _check(str(_revised(tmp_path, fix=False, shift=True)), "--baseline", str(baseline))
    d = data["documents"][0]
    assert d["findings"] == [] and d["baseline"]["fixed"] == []
    assert sorted(f["code"] for f in d["baseline"]["unchanged"]) == ["PC101", "PC104"]
    assert (
        d["baseline"]["unchanged"][0]["line"] != json.loads(baseline.read_text())["documents"][0]["findings"][0]["line"]
    )


def test_a_new_defect_is_reported(tmp_path, baseline):
    p = _revised(tmp_path, fix=False)
    p.write_text(p.read_text(encoding="utf-8").replace("\nV. TỔ CHỨC THỰC HIỆN", "\nVI. TỔ CHỨC THỰC HIỆN"), "utf-8")
    _, data = _check(str(p), "--baseline", str(baseline))
    d = data["documents"][0]
    assert [f["excerpt"] for f in d["findings"]] == ["VI."]  # "V." was fixed by becoming "VI."
    assert [f["excerpt"] for f in d["baseline"]["fixed"]] == ["V."]


def test_text_report_lists_fixed(tmp_path, baseline):
    res = CliRunner().invoke(
        main,
        ["check", "--select", SELECT, str(_revised(tmp_path, fix=True)), "--baseline", str(baseline), "--lang", "en"],
    )
    assert "compared with the earlier report: 0 still open, 2 fixed" in res.stdout
    assert res.stdout.count("fixed ") >= 2


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_document_matched_by_name_when_revision_is_another_format(tmp_path, baseline, fmt):
    """seed002.txt in the baseline, seed002.docx/.pdf now: matched by file name without extension."""
    _, data = _check(str(SEEDS / f"seed002.{fmt}"), "--baseline", str(baseline))
    d = data["documents"][0]
    assert d["baseline"]["matched"].endswith("seed002.txt")
    assert d["findings"] == [] and d["baseline"]["fixed"] == []


def test_same_excerpt_twice_is_matched_one_for_one():
    class F:
        def __init__(self, msg):
            self.code, self.excerpt = "PC104", "KẾ HOẠCH"
            self.message = type("M", (), {"vi": msg})()

    base = [
        {"code": "PC104", "excerpt": "KẾ HOẠCH", "message_vi": "thiếu Kinh phí"},
        {"code": "PC104", "excerpt": "KẾ  HOẠCH", "message_vi": "thiếu Mục đích"},
    ]
    new, unchanged, fixed = diff_findings([F("thiếu Mục đích")], base)
    assert new == [] and len(unchanged) == 1
    assert [f["message_vi"] for f in fixed] == ["thiếu Kinh phí"]


def test_bad_baseline_file_exits_2(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"documents": []}', encoding="utf-8")
    with pytest.raises(BaselineError):
        load_baseline(bad)
    res = CliRunner().invoke(main, ["check", str(SEEDS / "seed000.txt"), "--baseline", str(bad)])
    assert res.exit_code == 2
    assert "schema" in res.stderr
