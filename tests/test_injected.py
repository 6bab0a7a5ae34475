"""Injected defects: one known defect put into a clean seed must be found where it was put;
look-alikes that are not defects (traps) must change nothing.

Cases are generated into a temporary folder (plancheck/inject.py) over the five seeds
and the three formats, three or more per kind. A case whose codes have no rule yet,
or whose format has no reader yet, is skipped with the reason.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from plancheck.engine import check_path
from plancheck.evaluate import evaluate_document, reader_available
from plancheck.inject import KINDS, SEEDS_DIR, Seed, apply_txt, generate, plan_cases
from plancheck.rules import load_rules

RULES = load_rules()
IMPLEMENTED = {r.code for r in RULES}
PLANNED = plan_cases()


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    out = tmp_path_factory.mktemp("injected")
    return {planned: (case, why) for planned, case, why in generate(out)}


@pytest.fixture(scope="module")
def clean_codes():
    """Finding codes of the clean seeds, per (seed, format): what a trap must leave as it is."""
    memo: dict[tuple[str, str], Counter] = {}

    def get(seed: str, fmt: str) -> Counter:
        if (seed, fmt) not in memo:
            dr = check_path(SEEDS_DIR / f"{seed}.{fmt}", rules=RULES)
            memo[(seed, fmt)] = Counter(f.code for f in dr.findings)
        return memo[(seed, fmt)]

    return get


def _id(p):
    return f"{p[0]}-{p[1]}-{p[2]}"


@pytest.mark.parametrize("planned", PLANNED, ids=[_id(p) for p in PLANNED])
def test_injected_case(planned, cases, clean_codes):
    case, why = cases[planned]
    kind = KINDS[planned[0]]
    if case is None:
        pytest.skip(f"not made: {why}")
    if not any(c in IMPLEMENTED for c in kind.codes):
        pytest.skip(f"{'/'.join(kind.codes)} not implemented yet")
    if not reader_available(case.fmt):
        pytest.skip(f"plancheck.readers.{case.fmt} does not exist yet")
    ev = evaluate_document(case.path, RULES)
    assert not ev.failures, f"{case.path.name} ({kind.description}):\n" + "\n".join(ev.failures)
    if not kind.trap:
        assert any(m.status == "found" for m in ev.musts), [m.status for m in ev.musts]
    else:
        # a look-alike changes nothing: the same findings as the clean seed in that format
        got = Counter(f.code for f in ev.findings)
        assert got == clean_codes(case.seed, case.fmt), f"{case.path.name}: trap changed the findings"


@pytest.mark.parametrize("code", sorted(IMPLEMENTED))
def test_three_cases_per_rule_code(code, cases):
    kinds = [k for k in KINDS.values() if code in k.codes and not k.trap]
    if not kinds:
        pytest.skip(f"no injection kind for {code} yet: add one in plancheck/inject.py")
    made = [c for c, _ in cases.values() if c is not None and c.kind in {k.name for k in kinds}]
    assert len(made) >= 3, f"{code}: only {len(made)} injected cases"
    assert len({c.seed for c in made}) >= 2 or len({c.fmt for c in made}) >= 2, "spread over seeds or formats"


def test_cases_spread_over_seeds_and_formats(cases):
    made = [c for c, _ in cases.values() if c is not None]
    assert {c.seed for c in made} == {p.stem for p in SEEDS_DIR.glob("seed???.txt")}
    assert {"txt", "docx"} <= {c.fmt for c in made}


def test_traps_cover_the_catalog_look_alikes():
    traps = {k.name for k in KINDS.values() if k.trap}
    assert {"trap_previous_period", "trap_leap_day", "trap_baseline_year", "trap_heading_synonym"} <= traps


def test_apply_txt_line_bookkeeping():
    from plancheck.inject import Delete, InsertAfter, Replace

    lines = ["a", "b", "c", "d", "e"]
    new, where = apply_txt(lines, [Delete(2, 3), Replace(4, "d", "D"), InsertAfter(1, "x")])
    assert new == ["a", "", "x", "D", "e"]
    assert where == [3, 4, 3] or where[1] == 4  # the replaced line moved from 4 to 4 (2 deleted, 2 inserted)
    assert new[where[1] - 1] == "D" and new[where[2] - 1] == "x"


def test_registry_is_data_driven(tmp_path):
    """A new kind is one function and one decorator; it is planned and made like the others."""
    from plancheck.inject import Edit, Replace, injection, make_case

    @injection("test_only_kind", ("PC101",), formats=("txt",))
    def _kind(seed: Seed):
        """Test kind: rename the first Roman heading's numeral."""
        line = next(ln for ln, h, _ in seed.headings(level=1, kind="roman"))
        return Edit([Replace(line, "I.", "II.")], must=[{"code": "PC101", "op": 0}])

    try:
        assert any(p[0] == "test_only_kind" for p in plan_cases())
        case = make_case("test_only_kind", "seed000", "txt", tmp_path)
        assert case.path.exists() and case.expectations.exists()
        text = Path(case.path).read_text(encoding="utf-8")
        assert "II. MỤC ĐÍCH" in text
    finally:
        KINDS.pop("test_only_kind", None)
