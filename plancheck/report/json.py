"""The stable JSON contract: schema ``plancheck/report@1`` (documented in the README)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .. import __version__
from ..baseline import baseline_summary
from ..engine import DocReport, Report
from ..model import Finding

SCHEMA = "plancheck/report@1"


def finding_dict(f: Finding, lang: str = "vi") -> dict[str, Any]:
    loc = f.location
    return {
        "code": f.code,
        "slug": f.slug,
        "severity": f.severity.value,
        "message": f.message.get(lang),
        "message_vi": f.message.vi,
        "message_en": f.message.en,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "page": loc.page,
        "paragraph": loc.paragraph,
        "excerpt": f.excerpt,
        "suggestion": f.suggestion,
        "preview": f.preview,
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if hasattr(v, "items"):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return str(v)


def document_dict(d: DocReport, lang: str = "vi") -> dict[str, Any]:
    out = {
        "path": d.path,
        "format": d.format,
        "metadata": _jsonable(d.metadata),
        "counts": d.counts(),
        "error": d.error,
        "findings": [finding_dict(f, lang) for f in d.findings],
    }
    base = d.extra.get("baseline") if d.extra else None
    if base is not None:  # only with --baseline: what was already there, and what was fixed
        out["baseline"] = {
            "matched": base["matched"],
            "unchanged": [finding_dict(f, lang) for f in base["unchanged"]],
            "fixed": base["fixed"],
        }
    return out


def report_dict(report: Report, lang: str = "vi") -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "plancheck", "version": __version__},
        "lang": lang,
        "summary": {"documents": len(report.documents), **report.counts()},
        "documents": [document_dict(d, lang) for d in report.documents],
        **({"notes": report.notes} if report.notes else {}),
        **({"baseline": b} if (b := baseline_summary(report)) else {}),
    }


def render_json(report: Report, lang: str = "vi", **_: Any) -> str:
    return json.dumps(report_dict(report, lang), ensure_ascii=False, indent=2) + "\n"
