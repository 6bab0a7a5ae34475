"""Extractors: read a Document, return facts about it (never mutate it).

``METADATA_EXTRACTORS`` run once when a Document is built; each returns a dict merged
into ``Document.metadata`` in order (later ones may use earlier keys). Other
extractors (citations, dates, projects…) are memoised with ``Document.derived``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Document

MetadataExtractor = Callable[[Document, dict[str, Any]], dict[str, Any]]

METADATA_EXTRACTORS: list[tuple[str, str]] = [
    # (module, function) imported lazily, in order
    ("plancheck.extract.header", "extract_header"),
    ("plancheck.extract.plan", "extract_plan_info"),
    # added by the rule families (a missing module is skipped):
    ("plancheck.extract.signature", "extract_signature"),  # PC6xx: signature, Nơi nhận
    ("plancheck.extract.dating", "extract_dating"),  # PC2xx/PC3xx: plan date, lower bound
    ("plancheck.extract.scope", "extract_scope"),  # PC4xx: program, period, scope
]


def register_metadata(module: str, func: str) -> None:
    if (module, func) not in METADATA_EXTRACTORS:
        METADATA_EXTRACTORS.append((module, func))


def run_metadata(doc: Document, base: dict[str, Any]) -> dict[str, Any]:
    import importlib

    meta = dict(base)
    for mod, fn in METADATA_EXTRACTORS:
        try:
            f = getattr(importlib.import_module(mod), fn)
        except (ImportError, AttributeError):
            continue
        meta.update(f(doc, meta) or {})
    return meta
