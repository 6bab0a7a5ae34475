"""A wheel built from the tree, installed in a fresh venv outside the checkout, checks a plan.

Issue 17 item 1: only the editable install used to work (a wheel shipped no rule files).
The wheel is built from a copy of the package (no stale ``build/`` of the checkout), then
installed with ``--no-deps`` into a new venv; the dependencies come from this test run's
own environment through a ``.pth`` line (a path, so the editable install's finder there is
not run), which keeps the test fast and offline. The plan is checked from a folder outside
the checkout, and the imported ``plancheck`` must be the installed one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def test_wheel_installed_outside_checkout_checks_a_plan(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "plancheck", src / "plancheck", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("plancheck-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = _bin(venv, "python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "_deps_from_test_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "corpus" / "seeds" / "seed002.txt", work / "ke-hoach.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(py), "-c", "import plancheck, plancheck.resources as r; print(plancheck.__file__); print(r.RULES_DIR)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert Path(where[0]).is_relative_to(venv), where
    assert Path(where[1]).is_relative_to(venv) and (Path(where[1]) / "facts").is_dir(), where

    run = subprocess.run(
        [str(_bin(venv, "plancheck")), "check", "--format", "json", "ke-hoach.txt"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr  # seed002 has errors
    report = json.loads(run.stdout)
    codes = {f["code"] for f in report["documents"][0]["findings"]}
    assert {"PC101", "PC104"} <= codes
    rules = subprocess.run([str(_bin(venv, "plancheck")), "rules"], cwd=work, env=env, capture_output=True, text=True)
    assert rules.returncode == 0 and rules.stdout.count("\nPC") > 30
