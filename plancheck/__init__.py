"""plancheck: a rule-based compliance checker for Vietnamese local-government plans.

Library use::

    import plancheck
    doc = plancheck.parse("ke-hoach.docx")      # the parsed, frozen Document
    report = plancheck.check(["ho-so/"])        # findings for files and folders
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "parse", "check"]


def parse(path, limits=None, overrides=None):
    """Parse one file into a Document (raises plancheck.readers.ReadError on bad input)."""
    from .parse import parse as _parse

    return _parse(path, limits, overrides)


def check(paths, options=None, jobs: int = 1, progress=None):
    """Check files and folders; returns a plancheck.engine.Report."""
    from .engine import Options
    from .engine import check as _check

    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    return _check(paths, options or Options(), jobs=jobs, progress=progress)
