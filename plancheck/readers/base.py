"""What a reader returns, and the error it raises for unreadable input (PC001)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Block, Table
from ..sourcemap import SourceMap


class ReadError(Exception):
    """The file cannot be read. ``reason`` is a key of the PC001 messages (rules/input)."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass
class ReadResult:
    fmt: str
    text: str
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...]
    sourcemap: SourceMap
    issues: list[tuple[str, dict]] = field(default_factory=list)  # (code, params), e.g. PC002
