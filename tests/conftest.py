import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


os.environ.setdefault("PLANCHECK_TEST", "1")
# Tests validate every rule file against the schema: no start-up cache (plancheck/rulecache.py).
os.environ.setdefault("PLANCHECK_RULE_CACHE", "0")
