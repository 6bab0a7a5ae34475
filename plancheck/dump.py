"""The parsed Document as JSON (``plancheck extract``): for debugging and reuse."""

from __future__ import annotations

import importlib
from typing import Any

from .model import Document

# Extractor views added by extract modules: name -> "module:function(doc) -> jsonable"
VIEWS: dict[str, str] = {}


def register_view(name: str, target: str) -> None:
    VIEWS[name] = target


def _views() -> dict[str, str]:
    # Known extract modules register their view functions under these names.
    defaults = {
        "dates": "plancheck.extract.dates:dates_json",
        "citations": "plancheck.extract.citations:citations_json",
        "projects": "plancheck.extract.projects:projects_json",
        "assignments": "plancheck.extract.agencies:assignments_json",
        "coverage": "plancheck.extract.projects:coverage_json",
        "signature": "plancheck.extract.signature:signature_json",
        "numbers": "plancheck.extract.tables:tables_json",
    }
    return {**defaults, **VIEWS}


def document_json(doc: Document) -> dict[str, Any]:
    from .report.json import _jsonable

    out: dict[str, Any] = {
        "path": doc.path,
        "format": doc.format,
        "metadata": _jsonable({k: v for k, v in doc.metadata.items()}),
        "outline": [
            {
                "marker": h.marker,
                "kind": h.marker_kind,
                "number": list(h.number) if isinstance(h.number, tuple) else h.number,
                "title": h.title,
                "level": h.level,
                "heading": h.is_heading,
                "runin": h.runin,
                "parent": h.parent,
                "location": _loc(doc, h.span),
            }
            for h in doc.outline.headings
        ],
        "blocks": [
            {
                "i": b.index,
                "kind": b.kind,
                "region": b.region,
                "text": doc.block_text(b)[:200],
                "location": _loc(doc, b.span),
            }
            for b in doc.blocks
        ],
        "tables": [
            {
                "index": t.index,
                "region": t.region,
                "rows": [[doc.block_text(doc.blocks[c]) for c in row] for row in t.rows],
            }
            for t in doc.tables
        ],
    }
    for name, target in _views().items():
        mod, _, fn = target.partition(":")
        try:
            f = getattr(importlib.import_module(mod), fn)
        except (ImportError, AttributeError):
            continue
        out[name] = _jsonable(f(doc))
    return out


def _loc(doc: Document, span) -> dict[str, Any]:
    loc = doc.locate(span)
    return {k: getattr(loc, k) for k in ("line", "column", "page", "paragraph") if getattr(loc, k) is not None}
