"""Run a rule's YAML examples: ``[[…]]`` marks the span a ``fire`` example must hit."""

from __future__ import annotations

from typing import Any

import regex

from .engine import check_document
from .model import Finding, Span
from .parse import parse_text
from .rulebook import Rule

_MARK = regex.compile(r"\[\[(.*?)\]\]", regex.S)
_META_KEYS = ("plan_year", "issue_date", "period", "level", "locality")


def prepare(example: dict[str, Any]) -> tuple[str, list[tuple[int, int]], dict[str, Any]]:
    """Strip [[ ]] marks; return text, marked (start, end) offsets in it, metadata overrides."""
    raw = example["text"]
    out = []
    marks = []
    pos = 0
    length = 0
    for m in _MARK.finditer(raw):
        out.append(raw[pos : m.start()])
        length += m.start() - pos
        inner = m.group(1)
        marks.append((length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(raw[pos:])
    meta = dict(example.get("meta") or {})
    for k in _META_KEYS:
        if k in example:
            meta[k] = example[k]
    return "".join(out), marks, meta


def run_example(rule: Rule, example: dict[str, Any]) -> tuple[list[Finding], list[Span], Any]:
    text, marks, meta = prepare(example)
    name = "example.md" if example.get("format") == "md" else "example.txt"
    doc = parse_text(text, name=name, overrides=meta or None)
    # Map raw-text offsets to normalised spans through the source map (units are lines).
    spans = []
    src = doc.sourcemap
    for a, b in marks:
        # source offsets == raw text offsets for the txt reader (lines joined by "\n")
        idx = [
            i for i in range(len(src.starts)) if src.starts[i] >= a and src.ends[i] <= b and src.ends[i] > src.starts[i]
        ]
        spans.append(Span(idx[0], idx[-1] + 1) if idx else Span(0, 0))
    if example.get("batch"):
        findings = _run_batch(rule, doc, example["batch"])
    else:
        findings = [f for f in check_document(doc, [rule]) if f.code == rule.code]
    return findings, spans, doc


def _run_batch(rule: Rule, doc: Any, others: list[dict[str, Any]]) -> list[Finding]:
    """A batch rule's example: the example's plan and the other plans of its batch; the
    findings on the example's plan."""
    from .batch import collect, run
    from .engine import DocReport

    reports = []
    for name, d in [("example.txt", doc)] + [(o["name"], parse_text(o["text"], name=o["name"])) for o in others]:
        dr = DocReport(path=name, format=d.format, metadata=dict(d.metadata), findings=[])
        dr.extra["batch"] = collect(d, [rule])
        reports.append(dr)
    run(reports, [rule])
    return [f for f in reports[0].findings if f.code == rule.code]
