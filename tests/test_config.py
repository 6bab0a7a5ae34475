"""plancheck.toml / [tool.plancheck]: found upwards, validated naming the key, and changing the report as documented."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck.cli import main
from plancheck.config import find_config, load_config

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
PC104 = (ROOT / "plancheck" / "rules" / "structure" / "PC104-missing-section.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def project(tmp_path) -> Path:
    """A reviewer's folder: plans of two communes in sub-folders."""
    for sub in ("xa-a", "xa-b"):
        (tmp_path / sub).mkdir()
        shutil.copy(SEEDS / "seed002.txt", tmp_path / sub / "ke-hoach.txt")
    return tmp_path


def _write(p: Path, text: str) -> Path:
    p.write_text(text, encoding="utf-8")
    return p


def _run(*args: str) -> tuple[int, dict | None, str]:
    res = CliRunner().invoke(main, ["check", "--format", "json", "-j", "1", *args])
    data = json.loads(res.stdout) if res.exit_code in (0, 1) else None
    return res.exit_code, data, res.stderr


def _codes(data: dict) -> dict[str, list[str]]:
    return {Path(d["path"]).parent.name: sorted(f["code"] for f in d["findings"]) for d in data["documents"]}


def test_found_from_the_checked_path_upwards(project):
    _write(project / "plancheck.toml", 'select = ["PC101"]\n')
    assert find_config(project / "xa-a" / "ke-hoach.txt") == project / "plancheck.toml"
    _, data, _ = _run(str(project / "xa-a"))
    assert _codes(data) == {"xa-a": ["PC101"]}
    _, data, _ = _run(str(project / "xa-a"), "--no-config", "--select", "PC1")
    assert _codes(data) == {"xa-a": ["PC101", "PC104"]}


def test_pyproject_tool_table(project):
    _write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.plancheck]\nselect = ["PC104"]\n')
    _, data, _ = _run(str(project / "xa-b"))
    assert _codes(data) == {"xa-b": ["PC104"]}
    other = project / "other.toml"
    _write(other, 'select = ["PC101"]\n')
    _, data, _ = _run(str(project / "xa-b"), "--config", str(other))
    assert _codes(data) == {"xa-b": ["PC101"]}


def test_select_ignore_severity_per_file_ignores(project):
    _write(
        project / "plancheck.toml",
        'select = ["PC1"]\nignore = ["PC105"]\n\n[severity]\nPC101 = "info"\n\n'
        '[per-file-ignores]\n"xa-b/*.txt" = ["PC104", "roman-numbering-broken"]\n',
    )
    _, data, _ = _run(str(project))
    assert _codes(data) == {"xa-a": ["PC101", "PC104"], "xa-b": []}
    sev = {f["code"]: f["severity"] for f in data["documents"][0]["findings"]}
    assert sev == {"PC101": "info", "PC104": "error"}
    # --select replaces the file's select; --ignore adds to its ignore
    _, data, _ = _run(str(project / "xa-a"), "--select", "PC104")
    assert _codes(data) == {"xa-a": ["PC104"]}
    _, data, _ = _run(str(project / "xa-a"), "--ignore", "PC104")
    assert _codes(data) == {"xa-a": ["PC101"]}


def test_extra_rules_folder_is_loaded_and_validated(project):
    rules = project / "rules-tinh"
    rules.mkdir()
    extra = PC104.replace("code: PC104", "code: PC991").replace("slug: required-section-missing", "slug: tinh-section")
    _write(rules / "PC991-tinh-section.yaml", extra)
    _write(project / "plancheck.toml", 'select = ["PC991"]\nextra-rules = ["rules-tinh"]\n')
    _, data, _ = _run(str(project / "xa-a"))
    assert _codes(data) == {"xa-a": ["PC991"]}
    # SARIF describes the province's rule too
    res = CliRunner().invoke(main, ["check", str(project / "xa-a"), "--format", "sarif"])
    ids = [r["id"] for r in json.loads(res.stdout)["runs"][0]["tool"]["driver"]["rules"]]
    assert "PC991" in ids
    # a broken extra rule is an error naming the file and the field (another folder: rule loading is cached)
    broken = project / "rules-tinh-2"
    broken.mkdir()
    _write(broken / "PC992-broken.yaml", extra.replace("code: PC991", "code: PC992").replace("why:", "whyy:"))
    _write(project / "plancheck.toml", 'extra-rules = ["rules-tinh-2"]\n')
    code, _, err = _run(str(project / "xa-a"))
    assert code == 2
    assert "PC992-broken.yaml" in err and "'why'" in err


BAD = [
    ('selct = ["PC1"]\n', "selct", "did you mean 'select'"),
    ('select = "PC1"\n', "'select'", "danh sách"),
    ('select = ["PC99"]\n', "'select'", "PC99"),
    ('ignore = ["PC1 01"]\n', "'ignore'", "PC1 01"),
    ('[severity]\nPC101 = "fatal"\n', "severity.PC101", "error|warning|info"),
    ('[severity]\nPC999 = "info"\n', "severity.PC999", "no such rule"),
    ('[severity]\nX1 = "info"\n', "severity.X1", "not a rule code"),
    ('[per-file-ignores]\n"*.pdf" = "PC6"\n', "per-file-ignores.*.pdf", "list"),
    ('[per-file-ignores]\n"*.pdf" = ["PC99"]\n', "per-file-ignores.*.pdf", "PC99"),
    ("[limits]\nmax_pagez = 10\n", "limits.max_pagez", "max_pages"),
    ('[limits]\nmax_pages = "10"\n', "limits.max_pages", "integer"),
    ("[limits]\nmax_bytes = -1\n", "limits.max_bytes", "positive"),
    ('[[accept]]\ncode = "PC802"\n', "accept[0].reason", "reason"),
    ('[[accept]]\ncode = "PC802"\nreason = "ok"\nline = 3\n', "accept[0].line", "unknown key"),
    ('[[accept]]\ncode = "802"\nreason = "ok"\n', "accept[0].code", "PC802"),
    ('period = "2021"\n', "'period'", "2021-2025"),
    ('period = "2025-2021"\n', "'period'", "2021-2025"),
    ('extra-rules = ["khong-co"]\n', "'extra-rules'", "khong-co"),
    ('select = ["PC1"\n', "plancheck.toml", ""),
]


@pytest.mark.parametrize("toml,key,hint", BAD, ids=[b[1] for b in BAD])
def test_bad_config_exits_2_naming_the_key(project, toml, key, hint):
    _write(project / "plancheck.toml", toml)
    code, _, err = _run(str(project / "xa-a"))
    assert code == 2
    assert "configuration error" in err and key in err and hint in err
    res = CliRunner().invoke(main, ["config", str(project)])
    assert res.exit_code == 2 and key in res.stderr


def test_accept_drops_the_finding_and_stale_entries_are_reported(project):
    _write(
        project / "plancheck.toml",
        'select = ["PC1"]\n\n'
        '[[accept]]\nfile = "xa-a/*.txt"\ncode = "PC104"\nexcerpt = "KẾ HOẠCH"\n'
        'reason = "Xã này lập kinh phí ở kế hoạch riêng"\n\n'
        '[[accept]]\ncode = "PC102"\nreason = "không còn"\n',
    )
    _, data, _ = _run(str(project))
    assert _codes(data) == {"xa-a": ["PC101"], "xa-b": ["PC101", "PC104"]}
    notes = data["notes"]
    assert len(notes) == 1 and "PC102" in notes[0] and "PC104" not in notes[0]
    res = CliRunner().invoke(main, ["check", str(project)])
    assert "code=PC102" in res.stdout


def test_period_and_locality_reach_the_metadata(project):
    _write(
        project / "plancheck.toml", 'select = ["PC1"]\nperiod = "2021–2025"\nlocality = ["Thịnh Đức", "xã Thịnh Đức"]\n'
    )
    _, data, _ = _run(str(project / "xa-a"))
    meta = data["documents"][0]["metadata"]
    assert meta["period_override"] == "2021-2025"
    assert meta["locality_names"] == ["Thịnh Đức", "xã Thịnh Đức"]
    _, data, _ = _run(str(project / "xa-a"), "--period", "2016-2020")
    assert data["documents"][0]["metadata"]["period_override"] == "2016-2020"


def test_limits_apply(project):
    _write(project / "plancheck.toml", "[limits]\nmax_bytes = 1000\n")
    _, data, _ = _run(str(project / "xa-a"))
    assert data["documents"][0]["error"] == "too_large"


def test_config_show_prints_values_and_origins(project):
    cfg = _write(
        project / "plancheck.toml",
        'select = ["PC1"]\nperiod = "2021-2025"\n[severity]\nPC101 = "warning"\n[limits]\nmax_pages = 50\n'
        '[[accept]]\ncode = "PC104"\nreason = "đã xem"\n',
    )
    res = CliRunner().invoke(main, ["config", str(project / "xa-a"), "--ignore", "PC105"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()

    def line(prefix: str) -> str:
        return next(x for x in lines if x.startswith(prefix))

    assert line("select = ").endswith(f"# {cfg}") and '["PC1"]' in line("select = ")
    assert line("ignore = ").endswith("# command line") and "PC105" in line("ignore = ")
    assert line("period = ").startswith('period = "2021-2025"') and line("period = ").endswith(str(cfg))
    assert line("PC101 = ").endswith(str(cfg))
    assert line("max_pages = 50").endswith(str(cfg))
    assert line("max_bytes = ").endswith("# default")
    assert line("extra-rules = ").endswith("# default")
    assert 'reason = "đã xem"' in res.stdout
    assert "rules:" in res.stdout
    res = CliRunner().invoke(main, ["config", str(project), "--no-config"])
    assert "(không có / none: defaults)" in res.stdout and "select = []" in res.stdout


def test_load_config_origins(project):
    _write(project / "plancheck.toml", 'ignore = ["PC105"]\n')
    cfg = load_config([str(project / "xa-a")])
    assert cfg.origins == {"ignore": str(project / "plancheck.toml")}
    assert load_config([str(project)], no_config=True).path is None


def test_areas_key_makes_area_restricted_projects_warnings(tmp_path):
    """`areas = ["HN"]`: the locality is a huyện nghèo, so a missing Dự án 1 (HN, XBN) is a warning."""
    import shutil

    from plancheck.config import load_config
    from plancheck.engine import check

    seed = Path(__file__).resolve().parent.parent / "corpus" / "seeds" / "seed000.txt"
    plan = tmp_path / "seed000.txt"
    shutil.copy(seed, plan)

    def da1_severity():
        cfg = load_config([str(plan)])
        rep = check([plan], cfg.options(select=("PC401",)))
        hits = [f for f in rep.documents[0].findings if "nêu Dự án 1:" in f.message.vi]
        return {f.severity.value for f in hits}

    assert da1_severity() == {"info"}
    (tmp_path / "plancheck.toml").write_text('areas = ["HN"]\n', encoding="utf-8")
    assert da1_severity() == {"warning"}
    (tmp_path / "plancheck.toml").write_text('areas = ["HUYEN"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="areas"):
        load_config([str(plan)])
