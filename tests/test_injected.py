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
from plancheck.evaluate import evaluate_document, load_expectations, reader_available, run_document
from plancheck.inject import KINDS, SEEDS_DIR, Seed, apply_txt, generate, plan_cases
from plancheck.rulebook import load_rules

RULES = load_rules()
IMPLEMENTED = {r.code for r in RULES}
# batch rules (PC9xx) compare the plans of a batch: their injected defects are the families
# of corpus/batches/ (scripts/make_batch_families.py), checked by test_batch_rule_has_family_cases
BATCH_CODES = {r.code for r in RULES if getattr(r.check, "batch", False)}
FAMILY_EXPECTATIONS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "batches").rglob("*.expected.yaml"))
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


@pytest.mark.parametrize("code", sorted(BATCH_CODES))
def test_batch_rule_has_family_cases(code):
    """A batch rule is tested on at least two planted defects in the families (their
    expectations run in tests/test_corpus.py)."""
    musts = [p for p in FAMILY_EXPECTATIONS for e in load_expectations(p).must if code in e.codes]
    assert len(musts) >= 2, f"{code}: only {len(musts)} planted defects in corpus/batches/"


@pytest.mark.parametrize("code", sorted(IMPLEMENTED - BATCH_CODES))
def test_three_cases_per_rule_code(code, cases):
    kinds = [k for k in KINDS.values() if code in k.codes and not k.trap]
    # every rule is tested on injected defects: a rule without a kind fails, it is not skipped
    assert kinds, f"no injection kind for {code}: add one in plancheck/inject.py"
    made = [c for c, _ in cases.values() if c is not None and c.kind in {k.name for k in kinds}]
    assert len(made) >= 3, f"{code}: only {len(made)} injected cases"
    assert len({c.seed for c in made}) >= 2 or len({c.fmt for c in made}) >= 2, "spread over seeds or formats"


# Cases whose defect the clean seed already shows where the expectation looks (see the test below).
KNOWN_NOT_NEW: dict[tuple[str, str, str], str] = {}


@pytest.fixture(scope="module")
def clean_views():
    """Findings of the clean seeds as the evaluation sees them, per (seed, format)."""
    memo: dict[tuple[str, str], list] = {}

    def get(seed: str, fmt: str) -> list:
        if (seed, fmt) not in memo:
            memo[(seed, fmt)] = run_document(SEEDS_DIR / f"{seed}.{fmt}", RULES)[0]
        return memo[(seed, fmt)]

    return get


PLANNED_DEFECTS = [p for p in PLANNED if not KINDS[p[0]].trap]


@pytest.mark.parametrize("planned", PLANNED_DEFECTS, ids=[_id(p) for p in PLANNED_DEFECTS])
def test_injected_defect_is_new(planned, cases, clean_views):
    """A case must test its injection: the clean seed must not already meet its expectations
    (a defect the seed already has, at the place and with the words the case looks for)."""
    case, why = cases[planned]
    if case is None:
        pytest.skip(f"not made: {why}")
    if not reader_available(case.fmt):
        pytest.skip(f"plancheck.readers.{case.fmt} does not exist yet")
    exp = load_expectations(case.expectations, case.path)
    clean = clean_views(case.seed, case.fmt)
    already = bool(exp.must) and all(any(e.matches(f) for f in clean) for e in exp.must)
    known = KNOWN_NOT_NEW.get((case.kind, case.seed, case.fmt))
    if known:
        assert already, f"{case.path.name} is new now: remove it from KNOWN_NOT_NEW"
        pytest.xfail(known)
    assert not already, f"{case.path.name}: the clean {case.seed}.{case.fmt} already meets " + ", ".join(
        e.describe() for e in exp.must
    )


def test_cases_spread_over_seeds_and_formats(cases):
    made = [c for c, _ in cases.values() if c is not None]
    assert {c.seed for c in made} == {p.stem for p in SEEDS_DIR.glob("seed???.txt")}
    assert {"txt", "docx"} <= {c.fmt for c in made}


def test_traps_cover_the_catalog_look_alikes():
    traps = {k.name for k in KINDS.values() if k.trap}
    assert {"trap_previous_period", "trap_leap_day", "trap_baseline_year", "trap_heading_synonym"} <= traps
    # format, tables and language look-alikes: a correct "ngày 05 tháng 3", a total that still adds
    # up, an achievement rate above 100 %, an abbreviation spelled out at its first use
    assert {
        "trap_issue_date_zero",
        "trap_total_still_adds",
        "trap_achievement_rate",
        "trap_abbreviation_defined",
    } <= traps


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
