"""Where the bundled rules and facts live: inside the package, found through importlib.resources.

The rule set (``plancheck/rules/``: one YAML a rule, ``facts/`` beside them) ships in the
wheel as package data, so an install outside the checkout (``pip install .``, a wheel,
pipx, uv tool) finds it exactly as the editable install does. plancheck is never imported
from a zip, so the resource root is a real folder and ordinary ``Path`` operations apply.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

RULES_DIR = Path(str(files("plancheck").joinpath("rules")))
FACTS_DIR = RULES_DIR / "facts"
LEXICON_DIR = FACTS_DIR / "lexicon"
