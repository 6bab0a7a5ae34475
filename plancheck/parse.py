"""read -> normalize -> Document: regions, outline and metadata, once per file."""

from __future__ import annotations

import os
from types import MappingProxyType
from typing import Any

from .extract import run_metadata
from .layout import assign_regions
from .model import Document, Outline
from .outline import build_outline
from .readers import Limits, ReadResult, read_path
from .readers.txt import read_text


def build_document(res: ReadResult, path: str, overrides: dict[str, Any] | None = None) -> Document:
    blocks, info = assign_regions(res.text, res.blocks)
    outline = build_outline(res.text, blocks)
    doc = Document(
        path=path,
        format=res.fmt,
        text=res.text,
        blocks=blocks,
        tables=tuple(t for t in res.tables),
        outline=outline,
        sourcemap=res.sourcemap,
        metadata=MappingProxyType(dict(info)),
        issues=tuple(res.issues),
    )
    base = dict(info)
    if overrides:
        base["_overrides"] = dict(overrides)  # visible to extractors (period_override…), dropped below
    meta = run_metadata(doc, base)
    meta.pop("_overrides", None)
    if overrides:
        meta.update(overrides)
    meta["format"] = res.fmt
    object.__setattr__(doc, "metadata", MappingProxyType(meta))
    return doc


def parse(path: str | os.PathLike, limits: Limits | None = None, overrides: dict[str, Any] | None = None) -> Document:
    """Parse one file into a Document (raises ReadError for unreadable input)."""
    res = read_path(path, limits)
    return build_document(res, str(path), overrides)


def parse_text(text: str, name: str = "<text>", overrides: dict[str, Any] | None = None) -> Document:
    """Parse a string as a .txt plan (used by rule examples and tests)."""
    fmt = "md" if name.endswith(".md") else "txt"
    return build_document(read_text(text, fmt=fmt), name, overrides)


EMPTY_OUTLINE = Outline()
