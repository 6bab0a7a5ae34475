#!/usr/bin/env python3
"""Throughput, memory, scaling and start-up of plancheck; prints a Markdown table.

    .venv/bin/python benchmarks/run.py            # print the table
    .venv/bin/python benchmarks/run.py --write    # and write benchmarks/RESULTS.md
    .venv/bin/python benchmarks/run.py --quick    # fewer files (a smoke run)

What it measures (targets from issue 4, 2-core machine):

- documents per second for .txt, .docx and .pdf: the seed corpus replicated to a few
  hundred files (1,000 for .txt) in a temporary folder, one ``plancheck check`` batch
  (``--format json``) with ``--jobs 1`` and ``--jobs 2`` (target with 2 jobs: >= 100
  .txt, >= 30 .docx, >= 20 .pdf a second);
- documents per second for legacy .doc (Word 97-2003): the .docx seeds saved as .doc by
  LibreOffice, replicated (30 files), read through LibreOffice as plancheck reads them
  (one headless conversion per file); skipped when LibreOffice is missing;
- peak RSS: the largest single process of the batch (the CLI or one pool worker),
  from ``getrusage(RUSAGE_CHILDREN)`` of a fresh wrapper process (target <= 200 MB);
- scaling: one plan at 1x and 10x its size, parse + all rules in-process, median of
  several runs (target: 10x the size in <= 11x the time);
- start-up: ``plancheck check`` on one .txt plan, process start to exit, median of
  5 (target <= 0.5 s).

- per plan in-process: parse and all rules, median over the five seeds, for each format
  (where the time goes, without process start-up and pool overhead).

The package's bytecode is compiled first (``compileall``), as an installed package has it:
with PYTHONDONTWRITEBYTECODE set and no ``__pycache__``, every process would compile the
sources again (about 0.1 s of each start-up). The load average is printed before and after:
other work on the machine slows every number.

Numbers stay out of the tests; this script is run by hand and its table is kept in
benchmarks/RESULTS.md (``--write`` replaces the table and keeps the notes below the
``<!-- notes -->`` line).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
CLI = [sys.executable, "-m", "plancheck.cli"]


def child_main(argv: list[str]) -> None:
    """Run a command; print its wall time and the peak RSS of its largest process (JSON)."""
    t = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    wall = time.perf_counter() - t
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_kb = ru.ru_maxrss
    cpu = ru.ru_utime + ru.ru_stime  # the command and its pool workers
    print(
        json.dumps(
            {"wall": wall, "cpu": cpu, "rss_mb": rss_kb / 1024, "rc": p.returncode, "stderr": p.stderr.decode()[-300:]}
        )
    )


def measure(argv: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *argv], capture_output=True, text=True, env=ENV)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    if data["rc"] not in (0, 1):
        raise SystemExit(f"plancheck failed (exit {data['rc']}): {data['stderr']}")
    return data


def replicate(fmt: str, n: int, into: Path, seeds: Path = SEEDS) -> Path:
    d = into / fmt
    d.mkdir(parents=True)
    srcs = sorted(seeds.glob(f"seed*.{fmt}"))
    for i in range(n):
        src = srcs[i % len(srcs)]
        dst = d / f"{src.stem}-{i:04d}.{fmt}"
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
    return d


def make_doc_seeds(into: Path) -> bool:
    """The .docx seeds saved as Word 97-2003 .doc by LibreOffice (False without it)."""
    sys.path.insert(0, str(ROOT))
    from plancheck.readers.convert import find_soffice

    soffice = find_soffice()
    if soffice is None:
        return False
    into.mkdir(parents=True, exist_ok=True)
    profile = into / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(into),
            *map(str, sorted(SEEDS.glob("seed*.docx"))),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=300,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return any(into.glob("seed*.doc"))


def batch(fmt: str, n: int, jobs: int, tmp: Path) -> dict:
    folder = tmp / fmt
    r = measure(
        [*CLI, "check", "--format", "json", "--no-config", "--fail-on", "never", "--jobs", str(jobs), str(folder)]
    )
    r["docs_per_s"] = n / r["wall"]
    return r


def batch_layer(n: int, tmp: Path, jobs: int = 2) -> tuple[float, float, float, float]:
    """A district plan and n - 1 commune plans (scripts/make_batch_families.py): the wall
    and CPU time (the command and its workers) of ``plancheck check`` with the batch layer
    (PC9xx) and without it (--ignore PC9). Each is the best of two runs, alternated, so both
    see the same machine load; the CPU time barely depends on that load."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_batch_families import write_many

    folder = tmp / "batch-layer"
    write_many(n, folder)
    base = [*CLI, "check", "--format", "json", "--no-config", "--fail-on", "never", "--jobs", str(jobs), str(folder)]
    on, off = [], []
    for _ in range(2):
        off.append(measure([*base, "--ignore", "PC9"]))
        on.append(measure(base))
    return (
        min(r["wall"] for r in on),
        min(r["wall"] for r in off),
        min(r["cpu"] for r in on),
        min(r["cpu"] for r in off),
    )


def batch_row(n: int, on: float, off: float, cpu_on: float, cpu_off: float) -> str:
    return (
        f"| {n}-plan batch, batch layer (PC9xx) on vs off | {n} | 2 | wall {on:.1f} s vs {off:.1f} s: "
        f"ratio {on / off:.2f}; CPU {cpu_on:.1f} s vs {cpu_off:.1f} s: ratio {cpu_on / cpu_off:.2f} | <= 1.2 |"
    )


def scaling(repeats: int = 7) -> tuple[float, float, float]:
    """Seconds for parse + all rules on seed001.txt at 1x and at 10x its size."""
    sys.path.insert(0, str(ROOT))
    from plancheck.engine import check_document
    from plancheck.parse import parse_text
    from plancheck.rulebook import load_rules

    rules = [r for r in load_rules() if r.code != "PC001"]
    text = (SEEDS / "seed001.txt").read_text(encoding="utf-8")
    head, sep, body = text.partition("I. MỤC ĐÍCH")
    big = head + "\n\n".join(sep + body for _ in range(10))  # one header, the body ten times

    def run(t: str) -> float:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            doc = parse_text(t, name="bench.txt")
            check_document(doc, rules)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    run(text)  # warm caches (rule loading, compiled patterns)
    t1, t10 = run(text), run(big)
    return t1, t10, len(big) / len(text)


def per_plan(repeats: int = 5) -> dict[str, tuple[float, float]]:
    """Median ms per plan in-process over the five seeds: (parse, all rules), per format."""
    sys.path.insert(0, str(ROOT))
    from plancheck.engine import check_document
    from plancheck.parse import parse
    from plancheck.rulebook import load_rules

    rules = load_rules()
    out = {}
    for fmt in ("txt", "docx", "pdf"):
        files = sorted(SEEDS.glob(f"seed*.{fmt}"))
        for f in files:
            check_document(parse(f), rules)  # warm: facts loaded, patterns compiled
        parse_t, rules_t = [], []
        for _ in range(repeats):
            for f in files:
                t0 = time.perf_counter()
                doc = parse(f)
                t1 = time.perf_counter()
                check_document(doc, rules)
                parse_t.append(t1 - t0)
                rules_t.append(time.perf_counter() - t1)
        out[fmt] = (statistics.median(parse_t) * 1000, statistics.median(rules_t) * 1000)
    return out


def compile_bytecode() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "plancheck")], stdout=subprocess.DEVNULL)


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def startup(repeats: int = 5) -> float:
    times = []
    one = SEEDS / "seed001.txt"
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(
            [*CLI, "check", "--no-config", "--fail-on", "never", str(one)], stdout=subprocess.DEVNULL, env=ENV
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine(load_before: str) -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        commit = "?"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu}, {mem:.0f} GiB; "
        f"Python {platform.python_version()}; {platform.system()} {platform.release()}; commit {commit or '?'}; "
        f"load average (1, 5, 15 min) before {load_before}, at the end {load()} "
        "(other work on the machine slows every number)"
    )


TARGETS = {"txt": 100, "docx": 30, "pdf": 20}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    ap.add_argument("--quick", action="store_true", help="fewer files")
    for fmt, n in (("txt", 1000), ("docx", 300), ("pdf", 300), ("doc", 30)):
        ap.add_argument(f"--{fmt}", type=int, default=n, help=f"number of .{fmt} files (default {n})")
    ap.add_argument("--batch", type=int, default=500, help="plans of the batch-layer measurement (default 500)")
    ap.add_argument("--only-batch", action="store_true", help="only the batch-layer measurement (no --write)")
    ap.add_argument(
        "--only",
        nargs="+",
        choices=("txt", "docx", "pdf", "doc"),
        help="only the throughput of these formats (a quick comparison; no --write)",
    )
    args = ap.parse_args()
    if args.only_batch:
        with tempfile.TemporaryDirectory(prefix="plancheck-bench-") as tmp:
            print(batch_row(args.batch, *batch_layer(args.batch, Path(tmp))))
        return
    counts = {"txt": args.txt, "docx": args.docx, "pdf": args.pdf, "doc": args.doc}
    if args.quick:
        counts = {"txt": 100, "docx": 30, "pdf": 30, "doc": 10}
    if args.only:
        counts = {f: n for f, n in counts.items() if f in args.only}
        args.write = False
    compile_bytecode()
    load_before = load()
    rows = []
    with tempfile.TemporaryDirectory(prefix="plancheck-bench-") as tmp:
        tmp = Path(tmp)
        for fmt, n in counts.items():
            if fmt == "doc":
                if not make_doc_seeds(tmp / "doc-seeds"):
                    print("  .doc: LibreOffice not found, skipped", file=sys.stderr)
                    continue
                replicate(fmt, n, tmp, tmp / "doc-seeds")
            else:
                replicate(fmt, n, tmp)
            for jobs in (1, 2):
                r = batch(fmt, n, jobs, tmp)
                rows.append((fmt, n, jobs, r["docs_per_s"], r["wall"], r["rss_mb"]))
                print(
                    f"  {fmt} x{n} --jobs {jobs}: {r['docs_per_s']:.1f} docs/s, peak RSS {r['rss_mb']:.0f} MB",
                    file=sys.stderr,
                )
        if args.only:
            return
        nb = args.batch if not args.quick else 50
        layer = batch_layer(nb, tmp)
    t1, t10, size = scaling()
    st = startup()
    plans = per_plan()
    lines = [
        f"Machine: {machine(load_before)}",
        "",
        "| measure | files | --jobs | result | target (2 jobs) |",
        "|---|---:|---:|---:|---|",
    ]
    for fmt, n, jobs, dps, wall, rss in rows:
        tgt = f">= {TARGETS[fmt]} docs/s, <= 200 MB" if jobs == 2 and fmt in TARGETS else ""
        lines.append(
            f"| .{fmt} throughput | {n} | {jobs} | {dps:.1f} docs/s ({wall:.1f} s), peak RSS {rss:.0f} MB | {tgt} |"
        )
    lines.append(batch_row(nb, *layer))
    lines.append(
        f"| one plan 1x vs 10x size ({size:.1f}x chars) | 1 | - | {t1 * 1000:.0f} ms vs {t10 * 1000:.0f} ms: "
        f"ratio {t10 / t1:.1f} | <= 11 |"
    )
    lines.append(f"| start-up + check of one .txt plan | 1 | 1 | {st:.2f} s | <= 0.5 s |")
    for fmt, (p_ms, r_ms) in plans.items():
        lines.append(
            f"| one .{fmt} plan in-process (median of the seeds) | 1 | - | "
            f"parse {p_ms:.0f} ms + rules {r_ms:.0f} ms = {p_ms + r_ms:.0f} ms | |"
        )
    table = "\n".join(lines)
    print(table)
    if args.write:
        path = ROOT / "benchmarks" / "RESULTS.md"
        marker = "<!-- notes -->"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        notes = old[old.index(marker) :] if marker in old else marker + "\n"
        path.write_text(
            "# Benchmark results\n\n"
            f"`.venv/bin/python benchmarks/run.py --write` on {time.strftime('%Y-%m-%d')}.\n\n"
            + table
            + "\n\n"
            + notes,
            encoding="utf-8",
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
