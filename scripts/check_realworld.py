"""Check every Word/PDF file of a folder the way a reviewer would, and say which fail.

A file fails when plancheck crashes on it (PC001 "internal"), times out (more than
``--seconds``, 10 by default) or cannot read it (any other PC001) — except an image-only
scan, which has no text to read. Prints one row per file and a summary; exit 1 on any
failure. Each file runs in its own pool task with the per-file time limit of the engine.

    nice .venv/bin/python scripts/check_realworld.py ../shared/realworld-office --jobs 2
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

EXTS = (".docx", ".doc", ".pdf", ".odt", ".rtf")
ALLOWED = {"scanned"}  # PC001 reasons that are no failure: an image-only scan has no text


def one(args: tuple[str, float]) -> tuple[str, str, float, int, int, str]:
    path, seconds = args
    from plancheck.engine import Options, check_path

    opts = Options()
    opts = replace(opts, limits=replace(opts.limits, seconds_per_file=seconds))
    t0 = time.perf_counter()
    dr = check_path(path, opts, view=False)
    dt = time.perf_counter() - t0
    doc = dr.extra.get("document")
    paras = len(doc.blocks) if doc is not None else 0
    if dr.error:
        status = "ok (scan)" if dr.error in ALLOWED else f"FAIL {dr.error}"
    elif dt > seconds:
        status = "FAIL slow"
    else:
        status = "ok"
    return Path(path).name, dr.format, dt, paras, len(dr.findings), status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--ext", action="append", help="only these extensions (.doc, .docx, .pdf…); repeatable")
    a = ap.parse_args(argv)
    exts = tuple(a.ext) if a.ext else EXTS
    files = sorted(str(p) for p in Path(a.folder).iterdir() if p.suffix.lower() in exts)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        rows = list(ex.map(one, [(f, a.seconds) for f in files], chunksize=4))
    wall = time.perf_counter() - t0
    print(f"{'file':<34} {'fmt':<5} {'s':>6} {'blocks':>6} {'found':>5}  status")
    for name, fmt, dt, paras, n, status in rows:
        print(f"{name:<34} {fmt:<5} {dt:6.2f} {paras:6d} {n:5d}  {status}")
    print()
    by_fmt: dict[str, list[float]] = {}
    for _, fmt, dt, *_ in rows:
        by_fmt.setdefault(fmt, []).append(dt)
    for fmt, ts in sorted(by_fmt.items()):
        ts.sort()
        print(f"{fmt:<5} {len(ts):4d} files  median {ts[len(ts) // 2]:.2f} s  max {ts[-1]:.2f} s")
    summary = Counter(r[5] for r in rows)
    print(f"{len(rows)} files in {wall:.0f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.items())))
    return 1 if any(s.startswith("FAIL") for s in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
