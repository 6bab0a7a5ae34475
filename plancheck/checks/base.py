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


# what changes meaning when a pattern becomes one alternative of a larger one: numbered
# and named backreferences, inline flags, recursion
_UNSAFE_TO_COMBINE = regex.compile(r"\\[1-9]|\\g|\(\?P=|\(\?[a-zA-Z]+[:)]|\(\?[a-zA-Z]*-[a-zA-Z]+[:)]|\(\?[&R0-9+-]")


def any_start(patterns: list[regex.Pattern]) -> regex.Pattern | None:
    """One zero-width pattern matching wherever one of ``patterns`` can start a match.

    Scanning a text once with it and then trying each pattern only at those places
    (``finditer_at``) finds what each pattern's own ``finditer`` finds, for a fraction
    of the cost when most patterns start with an alternation the regex engine cannot
    skip ahead for. None (scan each pattern) when the patterns do not share their flags
    or use what would change meaning inside a larger pattern (backreferences, inline
    flags, recursion).
    """
    if len(patterns) < 2 or len({p.flags for p in patterns}) != 1 or patterns[0].flags & regex.VERBOSE:
        return None
    if any(_UNSAFE_TO_COMBINE.search(p.pattern) for p in patterns):
        return None
    try:
        return regex.compile("(?=" + "|".join(f"(?:{p.pattern})" for p in patterns) + ")", patterns[0].flags)
    except regex.error:
        return None


def finditer_at(pattern: regex.Pattern, text: str, starts: list[int]) -> Iterator[regex.Match]:
    """``pattern.finditer(text)``, trying only the offsets ``starts`` (sorted; all the places
    where a match can begin). A pattern that matches the empty string is scanned whole."""
    last = 0
    out = []
    for p in starts:
        if p < last:
            continue
        m = pattern.match(text, p)
        if m is None:
            continue
        if m.end() == m.start():
            yield from pattern.finditer(text)
            return
        out.append(m)
        last = m.end()
    yield from out


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
