#!/usr/bin/env python3
"""Read a whole folder of real office files the way a user would, and say what breaks.

    .venv/bin/python scripts/check_office.py ../shared/realworld-office            # every file
    .venv/bin/python scripts/check_office.py ../shared/realworld-office --ext pdf  # one format
    .venv/bin/python scripts/check_office.py DIR --json out.json                   # per-file results

Every file is checked in-process with all rules (``plancheck.engine.check_path``) and
timed. A file fails when it crashes, takes longer than the time limit (10 s, ``--limit``),
or gets PC001 (unreadable) for another reason than being an image-only scan. The summary
gives the counts per format and the slowest files; the exit status is 1 when any file
failed (issue 12's done-criterion: no crash, no timeout, no PC001 but scans). Times depend
on the machine's load: run it on a quiet machine (``uptime``) before trusting a timeout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

EXTS = ("docx", "doc", "pdf", "odt", "rtf", "txt", "md")
ALLOWED = {"scanned"}  # PC001 reasons that are not a reader failure


def check_file(path: Path, rules) -> dict:
    from plancheck.engine import check_path

    t = time.perf_counter()
    try:
        dr = check_path(path, rules=rules)
        res = {"error": dr.error, "findings": len(dr.findings)}
    except Exception as exc:  # the point of this script: report, never stop
        res = {"error": f"crash: {type(exc).__name__}: {exc}", "findings": 0}
    res["seconds"] = round(time.perf_counter() - t, 2)
    return res


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--ext", action="append", choices=EXTS, help="only these formats (repeatable)")
    ap.add_argument("--limit", type=float, default=10.0, help="seconds a file may take (default 10)")
    ap.add_argument("--json", type=Path, help="write per-file results here")
    args = ap.parse_args(argv)

    from plancheck.rulebook import load_rules

    rules = load_rules()
    exts = tuple(args.ext or EXTS)
    files = sorted(p for p in args.folder.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in exts)
    results: dict[str, dict] = {}
    failed: list[str] = []
    for i, p in enumerate(files, 1):
        r = check_file(p, rules)
        results[p.name] = r
        err = r["error"]
        bad = (err is not None and err not in ALLOWED) or r["seconds"] > args.limit
        if bad:
            failed.append(p.name)
        print(f"[{i}/{len(files)}] {p.name}: {r['seconds']:.2f} s, {err or 'read'}" + ("  <-- FAIL" if bad else ""))
    by_ext = Counter(Path(n).suffix.lower() for n in results)
    errors = Counter(r["error"] or "read" for r in results.values())
    print(f"\n{len(results)} files ({', '.join(f'{n} {e}' for e, n in sorted(by_ext.items()))})")
    print("outcome: " + ", ".join(f"{k} {n}" for k, n in errors.most_common()))
    slow = sorted(results.items(), key=lambda kv: -kv[1]["seconds"])[:5]
    print("slowest: " + ", ".join(f"{n} {r['seconds']:.1f} s" for n, r in slow))
    print(f"failed (crash, > {args.limit:g} s, PC001 not a scan): {len(failed)}")
    for n in failed:
        print(f"  {n}: {results[n]['error'] or 'read'}, {results[n]['seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
