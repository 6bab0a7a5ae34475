"""Run the rules over files: one Document per file, findings per rule, a Report.

Each file is read and parsed once; every selected rule reads the same frozen
Document. A file that cannot be read yields one PC001 finding and the batch goes
on; an exception inside a rule is reported as PC001 "internal" for that file rather
than ending the batch. Each file runs under a time limit and a memory ceiling
(``Limits.seconds_per_file``, ``Limits.max_memory_mb``). Batches use worker
processes (``jobs``): a worker that dies (killed, out of memory, a crash in a C
library) costs only the file it was checking, which gets PC001 "worker crashed";
the worker is replaced and the batch goes on.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .model import Document, Finding, Location, Message, Severity, Span
from .readers import SUPPORTED_EXTS, Limits, ReadError
from .rulebook import Rule, load_rules, render, select_rules

SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules", ".tox", ".mypy_cache", ".pytest_cache"}
EXPECTATION_SUFFIXES = (".expected.yaml", ".expected.yml")
OWN_OUTPUT_SUFFIXES = (".annotated.docx",)  # --annotate copies: never checked again by a folder scan


def is_own_output(path: Path) -> bool:
    """A file plancheck wrote: an annotated copy, or a text report (``-o x.txt``), which
    ends with the summary line ("3 văn bản: 1 lỗi, …" / "3 documents: 1 error, …")."""
    name = path.name.lower()
    if name.endswith(OWN_OUTPUT_SUFFIXES):
        return True
    if path.suffix.lower() not in (".txt", ".md"):
        return False
    import re

    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, fh.seek(0, 2) - 400))
            tail = fh.read().decode("utf-8", "replace").rstrip().rsplit("\n", 1)[-1]
    except OSError:
        return False
    return re.fullmatch(r"\d+ (?:văn bản|documents?): (?:mới |new )?\d+ (?:lỗi|errors?),.*", tail) is not None


@dataclass
class DocReport:
    path: str
    format: str
    metadata: dict[str, Any]
    findings: list[Finding]
    error: str | None = None  # PC001 reason key
    extra: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            c[f.severity.value] += 1
        return c


@dataclass
class Report:
    documents: list[DocReport]
    notes: list[str] = field(default_factory=list)
    options: Options | None = None  # what the run was configured with (rules dirs for SARIF)
    links: list[dict[str, Any]] = field(default_factory=list)  # batch layer: who cites whom ("Liên kết")

    def all_findings(self) -> Iterator[tuple[DocReport, Finding]]:
        for d in self.documents:
            for f in d.findings:
                yield d, f

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for d in self.documents:
            for k, v in d.counts().items():
                c[k] += v
        return c


@dataclass(frozen=True)
class Options:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extra_rules: tuple[str, ...] = ()
    limits: Limits = Limits()
    overrides: tuple[tuple[str, Any], ...] = ()  # metadata overrides (period, locality…)
    severity: tuple[tuple[str, str], ...] = ()  # code -> severity
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, selectors)
    config_root: str | None = None


def iter_inputs(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files given, and supported files under folders (recursively, symlink loops safe)."""
    seen: set[tuple[int, int]] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from _walk(p, seen)
        else:
            yield p


def _walk(root: Path, seen: set) -> Iterator[Path]:
    try:
        st = root.stat()
    except OSError:
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        yield root  # a folder that cannot be read: reported (PC001), not skipped in silence
        return
    for e in entries:
        if e.name.startswith(".") or e.name in SKIP_DIRS:
            continue
        path = Path(e.path)
        try:
            if e.is_dir():
                yield from _walk(path, seen)
            elif e.is_file():
                if e.name.endswith(EXPECTATION_SUFFIXES) or is_own_output(path):
                    continue
                if path.suffix.lower() in SUPPORTED_EXTS or path.suffix.lower() in (".doc", ".odt", ".rtf"):
                    yield path
            else:  # a dangling or looping symlink, a FIFO, a socket, a device: reported (PC001)
                yield path
        except OSError:
            yield path


class _Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Per-file time limit (SIGALRM; only in the main thread of a process)."""
    use = seconds and seconds > 0 and hasattr(signal, "setitimer")
    if use:
        try:
            old = signal.signal(signal.SIGALRM, _raise_timeout)
        except ValueError:  # not the main thread
            use = False
    if use:
        # An interval timer: if the first alarm lands where the exception is swallowed
        # (inside a __del__), the next one still stops the file.
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        if use:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def _raise_timeout(signum, frame):
    raise _Timeout()


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextmanager
def memory_limit(mb: int):
    """Let the block add at most ``mb`` MB of address space (RLIMIT_AS soft limit,
    raised back afterwards): past it allocations fail with MemoryError instead of
    growing until the machine's OOM killer ends the whole batch. A no-op where the
    platform has no RLIMIT_AS or the process size cannot be read."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        resource = None
    base = _address_space() if mb and mb > 0 and resource is not None else None
    if base is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = base + (mb << 20)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft != resource.RLIM_INFINITY and soft <= want:
        yield  # a tighter ceiling is already in force (a server worker's, a test's)
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):  # pragma: no cover
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _rules_for(opts: Options) -> list[Rule]:
    rules = load_rules(opts.extra_rules)
    return select_rules(rules, opts.select, opts.ignore)


def input_error_report(path: str, fmt: str, reason: str, params: dict, rules: list[Rule]) -> DocReport:
    rule = next((r for r in rules if r.code == "PC001"), None)
    if rule is None:
        from .rulebook import load_rules as _lr

        rule = next(r for r in _lr() if r.code == "PC001")
    tmpl = rule.messages.get(reason, rule.message)
    values = {"reason": reason, "detail": "", "kind": "", **params}
    # A reader's ``detail`` is usually a library's English text: the Vietnamese message
    # shows ``detail_vi`` when given (else no detail, except for internal errors that
    # must be reported as they are); the English one ``detail_en`` or ``detail``.
    vi_values = dict(values)
    if "detail_vi" in params:
        vi_values["detail"] = params["detail_vi"]
    elif reason != "internal":
        vi_values["detail"] = ""
    if "detail_en" in params:
        values["detail"] = params["detail_en"]
    msg = Message(_tidy(render(tmpl.vi, vi_values)), _tidy(render(tmpl.en, values)))
    f = Finding(
        code="PC001",
        slug=rule.slug,
        severity=rule.severity,
        message=msg,
        span=Span(0, 0),
        excerpt="",
        location=Location(line=None),
    )
    return DocReport(path=path, format=fmt, metadata={"error": reason}, findings=[f], error=reason)


def _tidy(msg: str) -> str:
    """Drop what an empty detail leaves behind: "()" and ": )"."""
    return msg.replace(" ()", "").replace("()", "").replace(": )", ")")


def check_document(doc: Document, rules: list[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    is_plan = bool(doc.metadata.get("is_plan"))
    for rule in rules:
        if rule.code == "PC001":
            continue
        if rule.applies_to in ("plan", "program_plan") and not is_plan:
            continue
        if getattr(rule.check, "batch", False):  # PC9xx: run over the whole batch (plancheck.batch)
            continue
        findings.extend(rule.check.run(doc, rule))
    findings.sort(key=lambda f: (f.span.start, f.code, f.span.end))
    return _dedupe(findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out = []
    seen = set()
    for f in findings:
        k = (f.code, f.span.start, f.span.end, f.message.vi)
        if k in seen:
            continue
        seen.add(k)
        out.append(f)
    return out


def _apply_options(dr: DocReport, opts: Options) -> DocReport:
    if opts.severity:
        sev = dict(opts.severity)
        import dataclasses

        dr.findings = [
            dataclasses.replace(f, severity=Severity.parse(sev[f.code])) if f.code in sev else f for f in dr.findings
        ]
    if opts.per_file_ignores:
        import fnmatch

        from .rulebook import matches

        rel = dr.path
        if opts.config_root:
            try:
                rel = str(Path(dr.path).resolve().relative_to(Path(opts.config_root).resolve()))
            except ValueError:
                rel = dr.path
        drop: list[str] = []
        for glob, sels in opts.per_file_ignores:
            if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(Path(dr.path).name, glob):
                drop.extend(sels)
        if drop:

            class _R:  # minimal shim for matches()
                def __init__(self, f):
                    self.code, self.slug = f.code, f.slug

            dr.findings = [f for f in dr.findings if not any(matches(_R(f), s) for s in drop)]
    return dr


def check_path(
    path: str | os.PathLike,
    opts: Options = Options(),
    rules: list[Rule] | None = None,
    view: bool = True,
    batch: bool = False,
) -> DocReport:
    """Check one file; never raises for bad input.

    ``view``: keep ``extra["view"]``, the text and layout the HTML and table outputs
    draw (``report.view.get_view`` re-parses the file for a report made without it).
    ``batch``: also keep ``extra["batch"]``, what the batch layer needs from this plan.
    """
    from .parse import parse

    rules = rules if rules is not None else _rules_for(opts)
    path = str(path)
    fmt = Path(path).suffix.lower().lstrip(".") or "?"
    try:
        with memory_limit(opts.limits.max_memory_mb), time_limit(opts.limits.seconds_per_file):
            doc = parse(path, opts.limits, dict(opts.overrides) or None)
            findings = check_document(doc, rules)
    except ReadError as exc:
        return _apply_options(input_error_report(path, fmt, exc.reason, exc.params, rules), opts)
    except _Timeout:
        return input_error_report(path, fmt, "timeout", {"seconds": opts.limits.seconds_per_file}, rules)
    except RecursionError:
        return input_error_report(path, fmt, "corrupt", {"detail": "cấu trúc lồng quá sâu / nesting too deep"}, rules)
    except MemoryError:
        return input_error_report(path, fmt, "out_of_memory", {"limit": opts.limits.max_memory_mb}, rules)
    except Exception as exc:  # a bug must not end the batch
        detail = f"{type(exc).__name__}: {exc}"
        if os.environ.get("PLANCHECK_DEBUG"):
            traceback.print_exc()
        return input_error_report(path, fmt, "internal", {"detail": detail[:200]}, rules)
    meta = _public_metadata(doc)
    dr = DocReport(path=path, format=doc.format, metadata=meta, findings=findings)
    if batch:
        _collect_batch(dr, doc, rules)
    dr.extra["document"] = doc  # callers that need the parsed text (plancheck serve) read it; check() drops it
    if view:
        from .report.view import document_view

        dr.extra["view"] = document_view(doc)  # text and layout kept for the HTML and table outputs
    return _apply_options(dr, opts)


def _collect_batch(dr: DocReport, doc: Document, rules: list[Rule]) -> None:
    from .batch import batch_rules, collect

    brules = batch_rules(rules)
    if not brules:
        return
    try:
        dr.extra["batch"] = collect(doc, brules)
    except Exception:  # the batch layer must not lose the file's own findings
        if os.environ.get("PLANCHECK_DEBUG"):
            traceback.print_exc()


def _public_metadata(doc: Document) -> dict[str, Any]:
    out = {}
    for k, v in doc.metadata.items():
        if k.endswith("_block") or k.startswith("_"):
            continue
        if isinstance(v, MappingProxyType):
            v = dict(v)
        out[k] = v
    return out


def _worker_init() -> None:
    """In each pool worker: the objects inherited from the parent (rules, compiled
    patterns, facts) are never garbage, so the cyclic collector stops scanning them.
    (Collecting less often instead keeps python-docx's cyclic trees longer: a worker
    then grows to 200 MB over 1,000 .docx files instead of 120 MB.)"""
    import gc

    gc.freeze()


def _worker_main(conn, opts: Options, views: bool, batch: bool) -> None:
    """A pool worker: check the (index, path) tasks it is sent, one at a time, and
    send back (index, DocReport) in the same order; ``None`` ends it. Ctrl+C is the
    parent's to handle (it stops the workers): ignored here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_init()
    rules = _rules_for(opts)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        idx, path = task
        dr = check_path(path, opts, rules, view=views, batch=batch)
        dr.extra.pop("document", None)
        conn.send((idx, dr))


#: tasks sent ahead to a busy worker (it reads the next one as soon as it is done)
_AHEAD = 2
#: seconds past a file's own time limit before its worker is killed (a worker stuck in
#: C code never returns to Python for the SIGALRM limit to fire)
KILL_GRACE_SECONDS = 15.0
#: the per-file time limit stops a file inside its own process by a timer signal (SIGALRM)
#: where the platform has one; where it has none (Windows) every file is checked in a
#: watched worker process, stopped as soon as its file runs past the limit
SIGNAL_TIMER = hasattr(signal, "setitimer")


class _Worker:
    __slots__ = ("proc", "conn", "tasks", "since")

    def __init__(self, ctx, opts: Options, views: bool, batch: bool) -> None:
        import time

        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, opts, views, batch), daemon=True)
        self.proc.start()
        child.close()
        self.tasks: list[int] = []  # indices sent and not answered, the first one running
        self.since = time.monotonic()  # when the running task started (about)

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.proc.kill()
            else:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(5 if not kill else None)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _crash_detail(exitcode: int | None) -> tuple[str, dict]:
    """The PC001 reason and parameters for a worker that died with ``exitcode``."""
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == getattr(signal, "SIGKILL", 9):
            return "worker_crashed", {
                "detail": f"{name}: killed, most often by the system for lack of memory",
                "detail_vi": f"{name}: bị hệ thống dừng, thường do thiếu bộ nhớ",
            }
        return "worker_crashed", {"detail": name, "detail_vi": name}
    return "worker_crashed", {"detail": f"exit code {exitcode}", "detail_vi": f"mã thoát {exitcode}"}


def _pool_check(
    files: list[str],
    opts: Options,
    rules: list[Rule],
    jobs: int,
    views: bool,
    progress: Callable[[int, int, str], None] | None,
    batch: bool = True,
) -> list[DocReport]:
    """Check ``files`` in ``jobs`` worker processes that are watched one by one: the
    file a dead worker was checking gets PC001, the worker is replaced, the others go
    on; a worker past its file's time limit (plus a grace) is killed the same way."""
    import multiprocessing as mp
    import time
    from collections import deque
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context("spawn")
    results: list[DocReport | None] = [None] * len(files)
    todo = deque(range(len(files)))
    limit = opts.limits.seconds_per_file
    hard = limit + (KILL_GRACE_SECONDS if SIGNAL_TIMER else 0) if limit and limit > 0 else None
    workers: list[_Worker] = []
    done = 0

    def finish(idx: int, dr: DocReport) -> None:
        nonlocal done
        results[idx] = dr
        done += 1
        if progress:
            progress(done, len(files), files[idx])

    def fail(w: _Worker, reason: str, params: dict) -> None:
        """The worker's running file gets PC001; the files queued behind it go back."""
        idx = w.tasks[0]
        fmt = Path(files[idx]).suffix.lower().lstrip(".") or "?"
        finish(idx, _apply_options(input_error_report(files[idx], fmt, reason, params, rules), opts))
        todo.extendleft(reversed(w.tasks[1:]))
        w.tasks.clear()

    spawned = 0

    def spawn() -> _Worker:
        nonlocal spawned
        spawned += 1
        if spawned > 2 * len(files) + jobs:  # workers die before any file: plancheck itself is broken
            raise RuntimeError("worker processes keep dying at start")
        return _Worker(ctx, opts, views, batch)

    try:
        for _ in range(min(jobs, len(files))):
            workers.append(spawn())
        while done < len(files):
            for i, w in enumerate(workers):
                while todo and len(w.tasks) < _AHEAD:
                    idx = todo.popleft()
                    try:
                        w.conn.send((idx, files[idx]))
                    except OSError:  # it died while idle (killed from outside)
                        todo.appendleft(idx)
                        if w.tasks:
                            break  # the crash check below reports its running file
                        w.stop(kill=True)
                        w = workers[i] = spawn()
                        continue
                    if not w.tasks:
                        w.since = time.monotonic()
                    w.tasks.append(idx)
            busy = [w for w in workers if w.tasks]
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=1.0))
            now = time.monotonic()
            for i, w in enumerate(workers):
                if not w.tasks:
                    continue
                dead = retire = False
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        while w.tasks and w.conn.poll():
                            idx, dr = w.conn.recv()
                            w.tasks.remove(idx)
                            finish(idx, dr)
                            w.since = now
                            # a worker that ran out of memory may keep a fragmented heap:
                            # replaced, the files queued behind it go to a fresh one
                            retire = retire or dr.error == "out_of_memory"
                    except (EOFError, OSError):
                        dead = True
                    if w.tasks and not w.proc.is_alive():
                        dead = True
                if retire and not dead:
                    todo.extendleft(reversed(w.tasks))
                    w.tasks.clear()
                    dead = True
                elif dead:
                    w.proc.join()
                    if w.tasks:
                        fail(w, *_crash_detail(w.proc.exitcode))
                elif hard is not None and w.tasks and now - w.since > hard:
                    w.proc.kill()
                    w.proc.join()
                    fail(w, "timeout", {"seconds": limit})
                    dead = True
                if dead:
                    w.stop(kill=True)
                    workers[i] = spawn()
    finally:
        for w in workers:
            w.stop(kill=done < len(files))
    return [r for r in results if r is not None]


def check(
    paths: Iterable[str | os.PathLike],
    opts: Options = Options(),
    jobs: int = 1,
    progress: Callable[[int, int, str], None] | None = None,
    views: bool = True,
) -> Report:
    """Check files and folders; ``jobs`` > 1 uses worker processes (``_pool_check``).

    ``views``: keep each document's view (``check_path``); outputs that do not show
    the text (text, JSON, SARIF) run without, which saves building and, with a pool,
    sending it back.
    """
    files = [str(p) for p in iter_inputs(paths)]
    rules = _rules_for(opts)  # validate rules once, before any worker starts
    batch = len(files) > 1  # the batch layer (PC9xx) compares the plans of a batch, never one file
    reports: list[DocReport] = []
    limit = opts.limits.seconds_per_file
    watched = not SIGNAL_TIMER and bool(limit and limit > 0)  # no SIGALRM: the limit needs a worker
    if (jobs > 1 and len(files) > 1) or (watched and files):
        reports = _pool_check(files, opts, rules, max(1, jobs), views, progress, batch)
    else:
        for i, f in enumerate(files):
            dr = check_path(f, opts, rules, view=views, batch=batch)
            dr.extra.pop("document", None)
            reports.append(dr)
            if progress:
                progress(i + 1, len(files), f)
    report = Report(documents=reports, options=opts)
    if batch:
        run_batch(report, rules, opts)
    return report


def run_batch(report: Report, rules: list[Rule], opts: Options = Options()) -> None:
    """The batch layer over per-file reports made with ``batch=True`` (their findings and
    the small profiles the workers carried back): PC9xx findings and ``report.links``."""
    from .batch import run

    report.links = run(report.documents, rules)
    if report.links:
        for dr in report.documents:
            _apply_options(dr, opts)
