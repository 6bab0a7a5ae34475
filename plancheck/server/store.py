"""Results kept for the report page and its downloads, bounded and short-lived.

An entry is keyed by a random token (the only way to reach it), lives at most
``store_ttl_seconds`` and the store holds at most ``store_max_entries`` entries
and ``store_max_bytes`` bytes (oldest dropped first). Uploaded files are never
kept here: only the report, the text shown on the page and the annotated .docx
bytes. Nothing is written to disk.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import regex

from ..engine import Report
from .worker import DocResult

TOKEN_RE = regex.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass
class Job:
    token: str
    names: list[str]
    lang: str
    created: float = field(default_factory=time.monotonic)
    done: int = 0
    finished: bool = False
    failed: str | None = None
    results: list[DocResult] = field(default_factory=list)
    report: Report | None = None
    #: rendered downloads cached by (kind, lang)
    cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    task: Any = None  # the asyncio task checking the files

    @property
    def total(self) -> int:
        return len(self.names)

    def size(self) -> int:
        n = 0
        for r in self.results:
            n += 2 * len(r.text) + sum(len(b) for b in r.annotated.values()) + 500 * len(r.report.findings)
        for v in self.cache.values():
            n += len(v)
        return n + 1000


class Store:
    def __init__(self, max_entries: int, max_bytes: int, ttl: float) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.ttl = ttl
        self._jobs: OrderedDict[str, Job] = OrderedDict()

    def __len__(self) -> int:
        return len(self._jobs)

    def new(self, names: list[str], lang: str) -> Job:
        self.sweep()
        job = Job(token=secrets.token_urlsafe(24), names=names, lang=lang)
        self._jobs[job.token] = job
        self._trim()
        return job

    def get(self, token: str) -> Job | None:
        if not TOKEN_RE.fullmatch(token or ""):
            return None
        self.sweep()
        return self._jobs.get(token)

    def drop(self, token: str) -> None:
        job = self._jobs.pop(token, None)
        if job is not None and job.task is not None and not job.task.done():
            job.task.cancel()

    def sweep(self) -> None:
        """Drop expired entries (a job still checking is not expired: its clock starts when it finishes)."""
        now = time.monotonic()
        for token in [t for t, j in self._jobs.items() if j.finished and now - j.created > self.ttl]:
            self.drop(token)

    def total_bytes(self) -> int:
        return sum(j.size() for j in self._jobs.values())

    def _trim(self) -> None:
        """Oldest first until within the entry and byte bounds (the newest is kept)."""
        while len(self._jobs) > self.max_entries:
            self.drop(next(iter(self._jobs)))
        while len(self._jobs) > 1 and self.total_bytes() > self.max_bytes:
            self.drop(next(iter(self._jobs)))

    def settle(self, job: Job) -> None:
        """Called when a job finished or a download was rendered: re-apply the bounds."""
        self._trim()

    def clear(self) -> None:
        for token in list(self._jobs):
            self.drop(token)
