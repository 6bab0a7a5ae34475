"""Configuration seen by every command (issue 17 item 6): ``rules`` and ``explain`` include the
configuration's extra-rules, ``rules --test DIR`` runs a province's own examples, and a
``--period`` that is not a program period is an error naming the valid ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck.cli import main
from plancheck.config import program_periods

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
PC104 = (ROOT / "plancheck" / "rules" / "structure" / "PC104-missing-section.yaml").read_text(encoding="utf-8")


def _invoke(*args: str):
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture()
def province(tmp_path, monkeypatch):
    rules = tmp_path / "quy-tac-tinh"
    rules.mkdir()
    extra = PC104.replace("code: PC104", "code: PC993").replace("slug: required-section-missing", "slug: tinh-muc")
    (rules / "PC993-tinh-muc.yaml").write_text(extra, encoding="utf-8")
    (tmp_path / "plancheck.toml").write_text('extra-rules = ["quy-tac-tinh"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_rules_and_explain_see_extra_rules(province):
    code, out, _ = _invoke("rules")
    assert code == 0 and "PC993  error    tinh-muc" in out and "PC101" in out
    code, out, _ = _invoke("explain", "PC993")
    assert code == 0 and out.startswith("PC993 tinh-muc [lỗi]")
    code, out, _ = _invoke("explain", "tinh-muc", "--lang", "en")
    assert code == 0 and out.startswith("PC993 tinh-muc [error]") and "Fires on:" in out
    code, out, _ = _invoke("rules", "--no-config")
    assert "PC993" not in out
    code, _, err = _invoke("explain", "PC993", "--no-config")
    assert code == 2 and "PC993" in err


def test_rules_test_runs_a_provinces_examples(province):
    code, out, _ = _invoke("rules", "--test", "quy-tac-tinh")
    lines = out.splitlines()
    assert code == 0, out
    assert any(x.startswith("ok   PC993 fire[0]") for x in lines) and any("no_fire[0]" in x for x in lines)
    assert not any(x.startswith("ok   PC1") for x in lines)  # only the folder's own rules
    assert lines[-1].startswith("1 quy tắc,") and lines[-1].endswith(": 0 không đạt")
    # an example that does not hold: exit 1 and the line says which and why
    import yaml

    data = yaml.safe_load((province / "quy-tac-tinh" / "PC993-tinh-muc.yaml").read_text(encoding="utf-8"))
    data["examples"]["no_fire"].append(
        {"text": data["examples"]["fire"][0]["text"].replace("[[", "").replace("]]", "")}
    )
    (province / "quy-tac-hong").mkdir()  # another folder: loaded rules are cached per folder
    (province / "quy-tac-hong" / "PC993.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = _invoke("rules", "--test", "quy-tac-hong", "--lang", "en")
    n = len(data["examples"]["no_fire"]) - 1
    assert code == 1 and f"FAIL PC993 no_fire[{n}]: báo sai / fired on" in out
    assert out.splitlines()[-1].endswith(": 1 failed")
    code, _, err = _invoke("rules", "--test", str(province / "quy-tac-hong" / "PC993.yaml"))
    assert code == 2  # a folder, not a file


def test_period_must_be_a_program_period(tmp_path):
    plan = tmp_path / "k.txt"
    shutil.copy(SEEDS / "seed002.txt", plan)
    assert program_periods() == ["2016-2020", "2021-2025", "2026-2030"]
    for bad in ("2020-2024", "2021", "2025-2021"):
        code, out, err = _invoke("check", str(plan), "--period", bad)
        assert code == 2 and "2016-2020, 2021-2025, 2026-2030" in err and out == "", err
    (tmp_path / "plancheck.toml").write_text('period = "2019-2023"\n', encoding="utf-8")
    code, _, err = _invoke("check", str(plan))
    assert code == 2 and "'period'" in err and "2021-2025" in err
    code, _, _ = _invoke("check", str(plan), "--no-config", "--period", "2021–2025")
    assert code == 1
