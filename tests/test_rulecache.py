"""The start-up cache of schema-validated rule files (plancheck/rulecache.py).

It may skip the JSON-schema check only for a rule text that passed it before: an
edited file (even one with the same size and mtime), a new schema or an unwritable
cache folder must never let an invalid rule through.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from plancheck import rulebook as rules
from plancheck import rulecache
from plancheck.rulebook import RULES_DIR, RuleError
from plancheck.yamlio import load_yaml, loads

SRC = RULES_DIR / "input" / "PC002-encoding-problem.yaml"


@pytest.fixture
def rule_dir(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    d.mkdir()
    shutil.copy(SRC, d / SRC.name)
    return d


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(d))
    monkeypatch.setenv("PLANCHECK_RULE_CACHE", "1")
    return d / "plancheck"


class _Counting:
    """Counts schema validations (wraps the real validator)."""

    def __init__(self, monkeypatch) -> None:
        self.calls = 0
        real = rules._validator

        def counting():
            self.calls += 1
            return real()

        monkeypatch.setattr(rules, "_validator", counting)


def _load(path: Path):
    return rules.load_rule_file(path, None, rules._schema_cache())


def test_second_load_skips_validation_of_an_unchanged_file(rule_dir, cache_dir, monkeypatch):
    count = _Counting(monkeypatch)
    c = rules._schema_cache()
    first = rules.load_rule_file(rule_dir / SRC.name, None, c)
    assert count.calls == 1
    c.save()
    assert (cache_dir / rulecache.FILE_NAME).is_file()
    again = _load(rule_dir / SRC.name)  # a new process: a fresh cache read from the file
    assert count.calls == 1  # validated before: not again
    assert again.code == first.code == "PC002"
    assert again.messages == first.messages and again.examples == first.examples


def test_cache_never_hides_an_invalid_file(rule_dir, cache_dir, monkeypatch):
    path = rule_dir / SRC.name
    c = rules._schema_cache()
    rules.load_rule_file(path, None, c)
    c.save()
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    bad = text.replace("severity: warning", "severity: warnin")  # one byte shorter
    bad = bad.replace("slug: encoding-problem", "slug: encoding-problemX")  # same size again
    assert len(bad.encode()) == len(text.encode())
    path.write_text(bad, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and mtime as the valid file
    with pytest.raises(RuleError, match="severity"):
        _load(path)


def test_load_rules_validates_every_file_when_asked(cache_dir, monkeypatch):
    rules._load_cached.cache_clear()
    try:
        rules.load_rules()  # fills the cache
        count = _Counting(monkeypatch)
        rules._load_cached.cache_clear()
        rules.load_rules()
        assert count.calls == 0  # every file came from the cache
        rules._load_cached.cache_clear()
        rules.load_rules(validate=True)
        assert count.calls >= 1
    finally:
        rules._load_cached.cache_clear()


def test_a_schema_change_invalidates_the_cache():
    a = rulecache.schema_key({"type": "object"}, "1")
    assert a != rulecache.schema_key({"type": "object", "required": ["x"]}, "1")
    assert a != rulecache.schema_key({"type": "object"}, "2")
    ca, cb = rulecache.ValidatedCache(a), rulecache.ValidatedCache(rulecache.schema_key({}, "1"))
    assert ca.key("code: PC001") != cb.key("code: PC001")
    assert ca.key("code: PC001") != ca.key("code: PC002")


def test_unwritable_cache_folder_means_no_cache(rule_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # plancheck/ cannot be made under a file
    monkeypatch.setenv("PLANCHECK_RULE_CACHE", "1")
    count = _Counting(monkeypatch)
    for _ in range(2):
        c = rules._schema_cache()
        assert rules.load_rule_file(rule_dir / SRC.name, None, c).code == "PC002"
        c.save()  # fails quietly
    assert count.calls == 2


def test_turned_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("PLANCHECK_RULE_CACHE", "0")
    assert rules._schema_cache() is None
    monkeypatch.setenv("PLANCHECK_RULE_CACHE", "1")
    assert rules._schema_cache() is not None


def test_fast_yaml_loader_reads_the_same_data():
    import yaml

    for path in sorted(RULES_DIR.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert load_yaml(path) == yaml.safe_load(text), path
    assert loads("d: 2024-01-31\nn: 1_000\nf: 1.5\nb: yes\n") == yaml.safe_load(
        "d: 2024-01-31\nn: 1_000\nf: 1.5\nb: yes\n"
    )
