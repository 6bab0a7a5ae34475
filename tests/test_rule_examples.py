"""Every example of every rule file runs as a test (fire: hits the marked span; no_fire: silent)."""

from __future__ import annotations

import pytest

from plancheck.examples import run_example
from plancheck.rulebook import load_rules

RULES = load_rules()
CASES = [
    pytest.param(rule, kind, i, ex, id=f"{rule.code}-{kind}-{i}")
    for rule in RULES
    for kind in ("fire", "no_fire")
    for i, ex in enumerate(rule.examples.get(kind, []))
]


def test_every_rule_has_examples():
    for r in RULES:
        if r.code == "PC001":
            continue  # fires on unreadable files, tested in test_bad_input
        if r.code == "PC004":
            assert r.examples["no_fire"]
            continue  # fires on Word files with tracked changes, tested in test_docx_content
        assert r.examples["fire"], f"{r.code} has no fire example"
        assert r.examples["no_fire"], f"{r.code} has no no_fire example"


def test_codes_unique_and_documented():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for r in RULES:
        assert r.title.vi and r.title.en and r.why and r.message.vi and r.message.en


@pytest.mark.parametrize("rule,kind,i,example", CASES)
def test_example(rule, kind, i, example):
    findings, spans, doc = run_example(rule, example)
    if kind == "fire":
        assert findings, f"{rule.code} did not fire on: {example['text']!r}"
        for sp in spans:
            assert any(f.span.overlaps(sp) or f.span == sp for f in findings), (
                f"{rule.code} fired at {[doc.slice(f.span) for f in findings]}, not at {doc.slice(sp)!r}"
            )
        if "suggest" in example:
            assert any(f.suggestion == example["suggest"] for f in findings)
    else:
        assert not findings, f"{rule.code} fired on no_fire example: {[f.message.vi for f in findings]}"
