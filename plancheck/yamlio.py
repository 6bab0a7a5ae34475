"""Read YAML the fast way: libyaml's C loader when PyYAML has it, else the pure-Python one.

Every rule and fact file is YAML, and start-up reads some seventy of them: the
pure-Python ``yaml.safe_load`` spends about a quarter of a second on that, libyaml's
``CSafeLoader`` a tenth of it, with the same result (same safe tags, same types).
All YAML readers of the package go through here so that none is left on the slow path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

YAMLError = yaml.YAMLError


def loads(text: str) -> Any:
    """Parse one YAML document from a string (safe tags only)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def load_yaml(path: str | Path) -> Any:
    """Parse one YAML file (UTF-8) with the safe loader."""
    return loads(Path(path).read_text(encoding="utf-8"))
