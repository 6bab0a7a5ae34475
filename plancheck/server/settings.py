"""Server settings: limits with safe defaults, kept free of web imports.

Everything a hostile or careless upload could exhaust (bytes, files, CPU time,
memory, stored results) has a bound here, so the defaults are safe on an
officer's laptop and a reviewer can raise them for a large batch.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from ..engine import Options

MB = 1024 * 1024

#: Extensions accepted on upload: what the engine reads (.doc/.odt/.rtf through
#: LibreOffice; without it a PC001 that says how to install it).
ACCEPTED_EXTS: tuple[str, ...] = (
    ".docx",
    ".docm",
    ".pdf",
    ".txt",
    ".md",
    ".markdown",
    ".text",
    ".doc",
    ".odt",
    ".rtf",
)


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    """What ``create_app`` needs; every field has a safe default."""

    max_file_bytes: int = 20 * MB
    max_total_bytes: int = 100 * MB
    max_files: int = 200
    workers: int = field(default_factory=_default_workers)
    #: Hard wall-clock guard per file on top of the engine's own (SIGALRM) limit:
    #: a worker stuck in C code is killed after seconds_per_file + this grace.
    kill_grace_seconds: float = 10.0
    #: Address-space limit of a worker process in MiB (0: none): a pathological
    #: file becomes a PC001 "out of memory" instead of swapping the laptop (and the
    #: workers are replaced, so the files after it are not affected).
    worker_memory_mb: int = 4096
    #: Requests checked at the same time; later ones wait (bounded memory).
    max_active_requests: int = 8
    #: Results kept for downloads: entries, bytes, lifetime.
    store_max_entries: int = 50
    store_max_bytes: int = 300 * MB
    store_ttl_seconds: float = 3600.0
    #: Parent of the per-request upload folders (each deleted after use).
    tmp_dir: str = field(default_factory=tempfile.gettempdir)
    #: Engine options (select/ignore/limits/overrides), e.g. from --config.
    options: Options = field(default_factory=Options)
    #: [[accept]] entries of a configuration file, applied like the CLI does.
    accept_config: object | None = None
    default_lang: str = "vi"
    #: An upload's body is read before it takes a checking slot, within these: the
    #: longest wait for its next chunk, and the whole body (a slow client gets 408).
    read_timeout_seconds: float = 30.0
    body_timeout_seconds: float = 600.0
    #: Host names the server answers to (the Host header, port aside); empty: any.
    #: ``plancheck serve`` on a loopback address sets the loopback names, so a web page
    #: whose name is re-pointed at 127.0.0.1 (DNS rebinding) is refused.
    allowed_hosts: tuple[str, ...] = ()

    @property
    def seconds_per_file(self) -> float:
        return float(self.options.limits.seconds_per_file or 0)

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_total_bytes", "max_files", "workers", "max_active_requests"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.default_lang not in ("vi", "en"):
            raise ValueError("default_lang must be vi or en")
