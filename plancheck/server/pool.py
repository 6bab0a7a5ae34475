"""A process pool for checks, with a hard time limit per file.

Why processes: the engine's per-file time limit uses SIGALRM, which only works
in a process's main thread; a ProcessPoolExecutor runs each task in the main
thread of a worker. Why a second, outer limit: a worker stuck inside C code
(a PDF library) never returns to Python for SIGALRM to fire, so after
``seconds_per_file + kill_grace_seconds`` the pool's processes are killed and a
new pool is started. Files that were running beside it are retried once; a file
that kills its worker twice gets a PC001 finding like any unreadable file.

At most ``workers`` tasks are submitted at a time, so the outer clock measures
a file's own run time, not its wait in the queue.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import logging
import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..engine import input_error_report
from ..rulebook import RuleError, load_rules
from .settings import Settings
from .worker import DocResult, Task, init_worker, run_task, warm_up

log = logging.getLogger("plancheck.server")

MAX_TASKS_PER_CHILD = 200  # recycle workers now and then (bounded memory growth)


class CheckPool:
    """``fn`` is what a worker runs per task (``worker.run_task``; tests pass a stand-in)."""

    def __init__(self, settings: Settings, fn: Callable[[Task], DocResult] = run_task) -> None:
        self.settings = settings
        self.fn = fn
        self._ex: cf.ProcessPoolExecutor | None = None
        self._generation = 0
        self._slots: asyncio.Semaphore | None = None
        self._warming: asyncio.Future | None = None
        self.restarts = 0

    # -- lifecycle -----------------------------------------------------------
    def _new_executor(self) -> cf.ProcessPoolExecutor:
        # "spawn": workers never inherit the server's threads, sockets or event loop.
        return cf.ProcessPoolExecutor(
            max_workers=self.settings.workers,
            mp_context=mp.get_context("spawn"),
            initializer=init_worker,
            initargs=(self.settings.worker_memory_mb,),
            max_tasks_per_child=MAX_TASKS_PER_CHILD,
        )

    def start(self) -> None:
        """Start the pool and wait until its workers have loaded the rules (blocking)."""
        if self._ex is None:
            self._ex = self._new_executor()
            _warm(self._ex, self.settings.workers)

    def start_soon(self) -> None:
        """Start the pool and warm it in the background (call inside the event loop):
        the server answers at once, the first check waits for the warm workers."""
        if self._ex is None:
            self._ex = self._new_executor()
            self._warming = asyncio.get_running_loop().run_in_executor(None, _warm, self._ex, self.settings.workers)

    def close(self) -> None:
        ex, self._ex = self._ex, None
        if ex is not None:
            _kill(ex)
            ex.shutdown(wait=True, cancel_futures=True)

    def _restart(self, generation: int) -> None:
        """Kill the current pool's processes (once per generation) and start afresh."""
        if generation != self._generation or self._ex is None:
            return
        self._generation += 1
        self.restarts += 1
        old, self._ex = self._ex, self._new_executor()
        _kill(old)
        old.shutdown(wait=False, cancel_futures=True)
        # Workers start (imports, rules) before the next task's clock does.
        self._warming = asyncio.get_running_loop().run_in_executor(None, _warm, self._ex, self.settings.workers)

    def bind_loop(self) -> None:
        """Create the loop-bound semaphore inside the serving event loop."""
        self._slots = asyncio.Semaphore(self.settings.workers)

    # -- running -------------------------------------------------------------
    async def run(self, task: Task) -> DocResult:
        if self._slots is None:
            self.bind_loop()
        if self._ex is None:
            self.start_soon()
        limit = self.settings.seconds_per_file
        hard = limit + self.settings.kill_grace_seconds if limit > 0 else None
        async with self._slots:
            for _attempt in range(2):
                if self._warming is not None:
                    with contextlib.suppress(Exception):
                        await self._warming
                gen, ex = self._generation, self._ex
                try:
                    fut = ex.submit(self.fn, task)
                except (BrokenProcessPool, RuntimeError):
                    self._restart(gen)
                    continue
                try:
                    res = await asyncio.wait_for(asyncio.wrap_future(fut), timeout=hard)
                    if res.report.error == "out_of_memory":
                        # the file had its PC001; a worker that ran out of memory may keep a
                        # fragmented heap: fresh workers for the files that follow
                        log.warning("%s: out of memory; restarting the worker pool", task.name)
                        self._restart(gen)
                    return res
                except TimeoutError:
                    log.warning("%s: no answer after %.0f s; restarting the worker pool", task.name, hard)
                    self._restart(gen)
                    return error_result(task, "timeout", seconds=_num(limit))
                except BrokenProcessPool:
                    self._restart(gen)
                    continue
                except RuleError:
                    raise  # the rule set itself is broken: every file would fail alike
                except Exception as exc:  # a bug outside the engine's own guard
                    log.exception("%s: worker error", task.name)
                    return error_result(task, "internal", detail=f"{type(exc).__name__}: {exc}"[:200])
            return error_result(task, "internal", detail="worker process ended unexpectedly")


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _warm(ex: cf.ProcessPoolExecutor, n: int, timeout: float = 120.0) -> None:
    """Have every worker process start and initialise (one short task each)."""
    try:
        futs = [ex.submit(warm_up) for _ in range(n)]
        cf.wait(futs, timeout=timeout)
    except (BrokenProcessPool, RuntimeError):  # killed meanwhile: the next run restarts it
        pass


def _kill(ex: cf.ProcessPoolExecutor) -> None:
    for p in list((getattr(ex, "_processes", None) or {}).values()):
        try:
            p.kill()
        except Exception:  # already gone
            pass


def error_result(task: Task, reason: str, **params) -> DocResult:
    """A PC001 answer produced by the engine's own function, for a file no worker could finish."""
    opts = task.opts
    rules = load_rules(opts.extra_rules)
    fmt = Path(task.name).suffix.lower().lstrip(".") or "?"
    dr = input_error_report(task.name, fmt, reason, params, rules)
    return DocResult(report=dr)
