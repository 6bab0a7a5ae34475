"""The stable JSON contract: schema ``plancheck/report@1`` (documented in the README)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from .. import __version__
from ..baseline import baseline_summary
from ..engine import DocReport, Report
from ..model import Finding
from .common import display_path

SCHEMA = "plancheck/report@1"


def finding_dict(f: Finding, lang: str = "vi") -> dict[str, Any]:
    loc = f.location
    out = {
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
    if f.data and f.data.get("related"):  # batch findings (PC9xx): the other document and where in it
        out["related"] = dict(f.data["related"])
    return out


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
        "path": display_path(d.path),
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
        **({"links": report.links} if report.links else {}),
        **({"baseline": b} if (b := baseline_summary(report)) else {}),
    }


_DOCS = "\x00plancheck-documents\x00"  # stands for the documents while the frame is written


def iter_json(report: Report, lang: str = "vi") -> Iterator[str]:
    """The text of ``json.dumps(report_dict(report, lang), ensure_ascii=False, indent=2)``
    and a final newline, in pieces of one document each.

    The standard encoder keeps every small piece of the whole text alive until it joins
    them (some 150 MB for a batch of 1,000 plans); written piece by piece, a batch
    needs no more memory than its largest document. A document nested two levels deep
    is its own dump with four more spaces after each line break.
    """
    if not report.documents:
        yield json.dumps(report_dict(report, lang), ensure_ascii=False, indent=2) + "\n"
        return
    frame = report_dict(Report(documents=[], notes=report.notes, options=report.options, links=report.links), lang)
    frame["summary"] = {"documents": len(report.documents), **report.counts()}
    frame["documents"] = [_DOCS]
    if b := baseline_summary(report):
        frame["baseline"] = b
    head, sep, tail = json.dumps(frame, ensure_ascii=False, indent=2).partition(
        "    " + json.dumps(_DOCS, ensure_ascii=False)
    )
    if not sep:  # cannot happen; never guess
        yield json.dumps(report_dict(report, lang), ensure_ascii=False, indent=2) + "\n"
        return
    yield head
    for i, d in enumerate(report.documents):
        if i:
            yield ",\n"
        yield "    " + json.dumps(document_dict(d, lang), ensure_ascii=False, indent=2).replace("\n", "\n    ")
    yield tail + "\n"


def render_json(report: Report, lang: str = "vi", **_: Any) -> str:
    return "".join(iter_json(report, lang))


render_json.stream = iter_json  # type: ignore[attr-defined]  # the CLI writes the pieces as they come
