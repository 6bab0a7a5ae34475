"""Remember which rule files already passed the JSON-schema check, to skip it at start-up.

Validating ~50 rule files with jsonschema (and importing jsonschema) is a large part
of a one-file ``plancheck check``. The result of that check depends only on the file's
text and on the schema, so a file is looked up by a hash of both: the same text under
the same schema passed before, so it passes now; any edit (whatever its mtime or size)
or a schema change gives a new key and the file is validated again. Only successes are
stored, so the cache can never let an invalid file through.

The keys live in one small text file under ``$XDG_CACHE_HOME/plancheck`` (or
``~/.cache/plancheck``); a cache that cannot be read or written is simply not used.
``PLANCHECK_RULE_CACHE=0`` turns it off (the test suite does, so tests always validate).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FILE_NAME = "validated-rules.txt"
MAX_KEYS = 4000  # a few versions of every rule file; older keys are dropped


def enabled() -> bool:
    return os.environ.get("PLANCHECK_RULE_CACHE", "1").strip().lower() not in ("0", "no", "false", "off")


def default_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if base and Path(base).is_absolute():
        return Path(base) / "plancheck"
    try:
        return Path.home() / ".cache" / "plancheck"
    except (RuntimeError, KeyError):  # no home directory
        return None


def schema_key(schema: dict[str, Any], version: str) -> str:
    """What the validity of a file depends on besides its text."""
    blob = json.dumps(schema, sort_keys=True, ensure_ascii=False) + "\0" + version
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()


class ValidatedCache:
    """The set of (schema, file text) keys that validated OK."""

    def __init__(self, schema: str, directory: Path | None = None) -> None:
        self.schema = schema
        self.path = directory / FILE_NAME if directory is not None else None
        self.keys: list[str] = []
        self._known: set[str] = set()
        self._dirty = False
        if self.path is not None:
            try:
                self.keys = self.path.read_text(encoding="ascii").split()
            except (OSError, UnicodeDecodeError):
                self.keys = []
            self._known = set(self.keys)

    def key(self, text: str) -> str:
        h = hashlib.blake2b(digest_size=20)
        h.update(self.schema.encode("ascii"))
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def __contains__(self, key: str) -> bool:
        return key in self._known

    def add(self, key: str) -> None:
        if key not in self._known:
            self._known.add(key)
            self.keys.append(key)
            self._dirty = True

    def save(self) -> None:
        """Write the keys atomically; any failure leaves the run without a cache, nothing else."""
        if not self._dirty or self.path is None:
            return
        keys = self.keys[-MAX_KEYS:]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".validated-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="ascii") as fh:
                    fh.write("\n".join(keys) + "\n")
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return
        self._dirty = False
