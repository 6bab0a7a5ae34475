"""Shared helpers for check kinds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import regex

from ..model import Block, Document, Finding


class Kind:
    """Base class: keep params, validate required ones."""

    required: tuple[str, ...] = ()

    def __init__(self, params: dict[str, Any], rule: Any) -> None:
        for k in self.required:
            if k not in params:
                raise ValueError(f"thiếu tham số '{k}' / missing parameter '{k}'")
        self.params = params
        self.setup(params)

    def setup(self, params: dict[str, Any]) -> None:  # pragma: no cover - default
        pass

    def run(self, doc: Document, rule: Any) -> Iterable[Finding]:  # pragma: no cover
        raise NotImplementedError


def compile_pattern(p: str, name: str = "pattern") -> regex.Pattern:
    try:
        return regex.compile(p, regex.V1 | regex.IGNORECASE if p.startswith("(?i)") else regex.V1)
    except regex.error as exc:
        raise ValueError(f"biểu thức '{name}' không hợp lệ / bad regex '{name}': {exc}") from exc


SCOPES = {"paragraph", "cell", "heading", "header", "title", "body", "closing", "annex", "preamble"}


def scoped_blocks(doc: Document, scope: Iterable[str] | None) -> Iterator[Block]:
    """Blocks in a scope list such as [body, annex, cell]; '~x' excludes."""
    scope = list(scope or ["body", "title", "annex"])
    inc = {s for s in scope if not s.startswith("~")}
    exc = {s[1:] for s in scope if s.startswith("~")}
    regions = inc & {"header", "title", "body", "closing", "annex", "preamble"}
    kinds = {"paragraph"}
    if "cell" in inc:
        kinds.add("cell")
    if "cell" in exc:
        kinds.discard("cell")
    heading_blocks = {h.block for h in doc.outline.headings if h.is_heading} if "heading" in exc else set()
    for b in doc.blocks:
        if b.kind not in kinds and not (b.region == "layout"):
            continue
        if regions and b.region not in regions:
            continue
        if b.region in exc or b.index in heading_blocks:
            continue
        yield b
