"""The 31 real documents of corpus/realworld: read without error, outline and header found,
the two non-plans recognised (PC003) and spared the plan-only rules.

Reviewed expectations for some of them (corpus/realworld/*.expected.yaml) are checked
by test_corpus.py like the seeds'.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from plancheck.engine import check_path
from plancheck.rulebook import load_rules

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "corpus" / "realworld"
DOCS = sorted(p for p in REAL.glob("*.md") if not p.name.startswith("README"))
RULES = load_rules()
PLAN_ONLY = {r.code for r in RULES if r.applies_to != "any"}

# Documents whose outline cannot be numbered headings: the whole plan is one table.
NO_OUTLINE = {"kh-ae8d299abf846604.md": "the plan is a single table whose I./II. are table rows"}
# Named kh- in the dataset, but the file opens with another document (checked as what it opens with).
NOT_A_PLAN_FIRST = {
    "kh-1796a553dfee88ef.md": "opens with a Quyết định công bố thủ tục hành chính",
    "kh-d3abe8b4b4980057.md": "a questions-and-answers web article quoting parts of a plan",
}

# Independent of plancheck's extractors: the "Số:" line and the place-and-date line of the header.
NUMBER = regex.compile(r"Số:\s*\**\s*([0-9][^\s|*]*)")
PLACE_DATE = regex.compile(
    r"\p{Lu}[\p{L} .]*,\s*ngày\s*\**\s*(\d{1,2})\s*\**\s*tháng\s*\**\s*(\d{1,2})\s*\**\s*năm\s*\**\s*(\d{4})"
)


@pytest.fixture(scope="module")
def reports():
    out = {}
    for p in DOCS:
        dr = check_path(p, rules=RULES)
        out[p.name] = (dr, dr.extra.pop("document", None))
    return out


def test_corpus_is_complete():
    assert len(DOCS) == 31
    assert sum(p.name.startswith("other-") for p in DOCS) == 2


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_read_without_error(path, reports):
    dr, doc = reports[path.name]
    assert dr.error is None, f"PC001 {dr.error}: {[f.message.vi for f in dr.findings]}"
    assert doc is not None and doc.text.strip()
    if path.name in NO_OUTLINE:
        return
    assert doc.outline.headings, "no outline found"
    assert any(h.level == 1 for h in doc.outline.headings)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_header_metadata(path, reports):
    dr, _ = reports[path.name]
    head = path.read_text(encoding="utf-8")[:4000]
    meta = dr.metadata
    m = NUMBER.search(head)
    if m:
        assert meta.get("number") == m.group(1).rstrip(".,;"), f"number: {meta.get('number')!r}"
    d = PLACE_DATE.search(head)
    if d:
        iso = f"{int(d.group(3)):04d}-{int(d.group(2)):02d}-{int(d.group(1)):02d}"
        assert meta.get("issue_date") == iso, f"issue date: {meta.get('issue_date')!r} != {iso}"
    if path.name.startswith("kh-") and path.name not in NOT_A_PLAN_FIRST:
        assert meta.get("is_plan"), "a Kế hoạch not recognised"
        title = meta.get("title") or ""
        assert len(title) > 10, f"title: {title!r}"
        first = regex.sub(r"\W+", " ", title).split()[:3]
        flat = regex.sub(r"\W+", " ", path.read_text(encoding="utf-8")).upper()
        assert " ".join(first).upper() in flat, f"title {title!r} not in the document"


@pytest.mark.parametrize("path", [p for p in DOCS if p.name.startswith("other-")], ids=lambda p: p.name)
def test_non_plans(path, reports):
    dr, _ = reports[path.name]
    codes = {f.code for f in dr.findings}
    assert "PC003" in codes
    assert not dr.metadata.get("is_plan")
    bad = sorted(c for c in codes if c in PLAN_ONLY or c.startswith(("PC4", "PC5")))
    assert not bad, f"plan-only findings on a non-plan: {bad}"


def test_no_internal_errors_in_any_rule(reports):
    """No rule raised: an exception inside a rule would be PC001 'internal'."""
    internal = [name for name, (dr, _) in reports.items() if dr.error == "internal"]
    assert not internal
