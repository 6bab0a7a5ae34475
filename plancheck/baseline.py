"""Re-check against a baseline: keep only what is new since an earlier JSON report.

A reviewer sends a plan back and gets a revised one; line numbers move, so findings
are matched by rule code and excerpt (NFC, whitespace collapsed), never by line.
Documents are matched by path, then by file name, then by file name without
extension (the revision often comes back as .docx when the first was a .pdf), then —
when the baseline and the run each hold a single document — to each other.

Within a document the match is one to one: first on (code, excerpt, message) so
that two findings of one rule on the same excerpt (two missing sections both anchored
on the title) are told apart, then on (code, excerpt) alone so that a message which
mentions a moved line still matches. Results go to ``DocReport.extra["baseline"]``:
``unchanged`` (current findings also in the baseline, removed from ``findings``) and
``fixed`` (baseline finding dicts with no current match). The JSON reporter writes
them as ``documents[i]["baseline"]`` and a top-level ``baseline`` summary (see
``baseline_summary``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path, PurePath
from typing import Any

import click

from .report.common import norm_excerpt


class BaselineError(click.ClickException, ValueError):
    """The baseline file is not a plancheck JSON report (the CLI exits with code 2)."""

    exit_code = 2

    def format_message(self) -> str:
        return f"baseline: {self.message}"


def load_baseline(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: không đọc được báo cáo JSON / cannot read JSON report: {exc}") from exc
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("plancheck/report@"):
        raise BaselineError(f"{path}: không phải báo cáo plancheck JSON / not a plancheck JSON report (schema)")
    if not isinstance(data.get("documents"), list):
        raise BaselineError(f"{path}: thiếu 'documents' / no 'documents' list")
    return data


def _name(p: str) -> str:
    return PurePath(p.replace("\\", "/")).name


def _stem(p: str) -> str:
    return PurePath(p.replace("\\", "/")).stem


def _match_documents(current: list[Any], base_docs: list[dict]) -> list[dict | None]:
    by_path: dict[str, list[dict]] = defaultdict(list)
    by_name: dict[str, list[dict]] = defaultdict(list)
    by_stem: dict[str, list[dict]] = defaultdict(list)
    for b in base_docs:
        p = str(b.get("path", ""))
        by_path[p].append(b)
        by_name[_name(p)].append(b)
        by_stem[_stem(p)].append(b)
    out: list[dict | None] = []
    for d in current:
        hit = None
        for table, key in ((by_path, d.path), (by_name, _name(d.path)), (by_stem, _stem(d.path))):
            cands = table.get(key, [])
            if len(cands) == 1:
                hit = cands[0]
                break
        out.append(hit)
    if len(current) == 1 and len(base_docs) == 1 and out[0] is None:
        out[0] = base_docs[0]
    return out


def _bkey(f: dict) -> tuple[str, str]:
    return (str(f.get("code", "")), norm_excerpt(f.get("excerpt")))


def _bmsg(f: dict) -> str:
    return str(f.get("message_vi") or f.get("message") or "")


def diff_findings(findings: list[Any], base: list[dict]) -> tuple[list[Any], list[Any], list[dict]]:
    """Split current findings into (new, unchanged) and return the baseline ones now fixed."""
    free = list(range(len(base)))
    matched: dict[int, int] = {}  # current index -> baseline index
    for strict in (True, False):
        for i, f in enumerate(findings):
            if i in matched:
                continue
            key = (f.code, norm_excerpt(f.excerpt))
            for j in free:
                b = base[j]
                if _bkey(b) != key:
                    continue
                if strict and _bmsg(b) != f.message.vi:
                    continue
                matched[i] = j
                free.remove(j)
                break
    new = [f for i, f in enumerate(findings) if i not in matched]
    unchanged = [f for i, f in enumerate(findings) if i in matched]
    fixed = [base[j] for j in free]
    return new, unchanged, fixed


def apply_baseline(report: Any, path: str | Path) -> None:
    """Keep only new findings in ``report``; record unchanged and fixed ones per document."""
    data = load_baseline(path)
    base_docs = [b for b in data["documents"] if isinstance(b, dict)]
    pairs = _match_documents(report.documents, base_docs)
    totals = {"new": 0, "unchanged": 0, "fixed": 0, "unmatched_documents": 0}
    for d, b in zip(report.documents, pairs, strict=True):
        base_findings = [f for f in (b or {}).get("findings", []) if isinstance(f, dict)]
        new, unchanged, fixed = diff_findings(d.findings, base_findings)
        d.findings = new
        d.extra["baseline"] = {
            "source": str(path),
            "matched": b.get("path") if b else None,
            "unchanged": unchanged,
            "fixed": fixed,
        }
        totals["new"] += len(new)
        totals["unchanged"] += len(unchanged)
        totals["fixed"] += len(fixed)
        if b is None:
            totals["unmatched_documents"] += 1
    if totals["unmatched_documents"]:
        report.notes.append(
            f"baseline: {totals['unmatched_documents']} văn bản không có trong {path} (mọi phát hiện là mới) / "
            f"document(s) not in the baseline (all findings new)"
        )


def baseline_summary(report: Any) -> dict[str, Any] | None:
    """Totals over the documents of a report a baseline was applied to (None otherwise)."""
    infos = [d.extra.get("baseline") for d in report.documents if d.extra.get("baseline") is not None]
    if not infos:
        return None
    return {
        "source": infos[0]["source"],
        "new": sum(len(d.findings) for d in report.documents if d.extra.get("baseline") is not None),
        "unchanged": sum(len(i["unchanged"]) for i in infos),
        "fixed": sum(len(i["fixed"]) for i in infos),
        "unmatched_documents": sum(1 for i in infos if i["matched"] is None),
    }
