"""--format sarif validates against the official SARIF 2.1.0 schema, on every seed in every format."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from plancheck.cli import main
from plancheck.engine import Options, check
from plancheck.report import get_renderer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _validator():
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    return jsonschema.Draft4Validator(SCHEMA)


@pytest.fixture(scope="module")
def seeds_sarif():
    """The seeds checked once, rendered as SARIF and as the JSON it must agree with."""
    report = check([SEEDS], Options())
    return json.loads(get_renderer("sarif")(report, lang="vi")), json.loads(get_renderer("json")(report, lang="vi"))


def test_cli_sarif_output(tmp_path):
    res = CliRunner().invoke(
        main, ["check", str(SEEDS / "seed001.txt"), "--format", "sarif", "-o", str(tmp_path / "r.sarif")]
    )
    assert res.exit_code in (0, 1), res.output
    assert not list(_validator().iter_errors(json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))))


def test_seeds_validate_against_the_official_schema(seeds_sarif):
    sarif, _ = seeds_sarif
    errors = sorted(_validator().iter_errors(sarif), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_the_schema_check_can_fail(seeds_sarif):
    """Control: the validator does reject a broken log (a level SARIF does not know)."""
    sarif = copy.deepcopy(seeds_sarif[0])
    sarif["runs"][0]["results"][0]["level"] = "info"
    assert list(_validator().iter_errors(sarif))


def test_rules_have_help_and_default_severity(seeds_sarif):
    rules = seeds_sarif[0]["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    assert len(by_id) == len(rules)
    r = by_id["PC101"]
    assert r["name"] == "roman-numbering-broken"
    assert r["help"]["text"] and r["shortDescription"]["text"] and r["fullDescription"]["text"]
    assert r["defaultConfiguration"]["level"] == "error"
    assert {x["defaultConfiguration"]["level"] for x in rules} <= {"error", "warning", "note"}


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_results_match_findings_with_locations_and_snippets(seeds_sarif, fmt):
    sarif, data = seeds_sarif
    run = sarif["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    for d in data["documents"]:
        if not d["path"].endswith("." + fmt):
            continue
        uri = Path(d["path"]).as_uri()  # absolute paths become file: URIs
        results = [
            r for r in run["results"] if uris[r["locations"][0]["physicalLocation"]["artifactLocation"]["index"]] == uri
        ]
        assert [r["ruleId"] for r in results] == [f["code"] for f in d["findings"]]
        for r, f in zip(results, d["findings"], strict=True):
            region = r["locations"][0]["physicalLocation"]["region"]
            assert region["snippet"]["text"] == f["excerpt"]
            assert r["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
            if fmt == "txt":
                assert (region["startLine"], region["startColumn"]) == (f["line"], f["column"])
            elif fmt == "docx":
                assert region["startLine"] == f["paragraph"] == region["properties"]["paragraph"]
                assert r["locations"][0]["logicalLocations"][0]["name"] == f"paragraph {f['paragraph']}"
            else:
                assert region["properties"]["page"] == f["page"] and region["startLine"] == f["line"]


def test_seed001_roman_numbering_result(seeds_sarif):
    run = seeds_sarif[0]["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    hits = [
        r
        for r in run["results"]
        if r["ruleId"] == "PC101"
        and uris[r["locations"][0]["physicalLocation"]["artifactLocation"]["index"]].endswith("seed001.txt")
    ]
    assert len(hits) == 1
    region = hits[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 251 and region["snippet"]["text"] == "VII."
    assert hits[0]["partialFingerprints"]


def test_unreadable_file_and_baseline_states_validate(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    plan = tmp_path / "seed002.txt"
    plan.write_bytes((SEEDS / "seed002.txt").read_bytes())
    base = tmp_path / "base.json"
    res = CliRunner().invoke(main, ["check", str(plan), "--format", "json", "--select", "PC101,PC104", "-o", str(base)])
    plan.write_text(plan.read_text(encoding="utf-8").replace("\nV. TỔ CHỨC", "\nIV. TỔ CHỨC"), encoding="utf-8")
    res = CliRunner().invoke(
        main, ["check", str(plan), str(bad), "--format", "sarif", "--select", "PC1", "--baseline", str(base)]
    )
    sarif = json.loads(res.stdout)
    assert not list(_validator().iter_errors(sarif))
    states = [(r["ruleId"], r.get("baselineState")) for r in sarif["runs"][0]["results"]]
    assert ("PC101", "absent") in states
    assert ("PC001", "new") in states
