"""What a worker process does with one uploaded file: the engine's check_path, then
the pieces the report page needs (the text, a section per finding) and, for the
web page, the annotated .docx.

Runs in a child process of the pool, in its main thread, so the engine's own
SIGALRM time limit works there. Everything returned is plain picklable data.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..engine import DocReport, Options, Report, check_path
from ..model import Message
from ..rulebook import load_rules, select_rules

log = logging.getLogger("plancheck.server")

MAX_TEXT_CHARS = 2_000_000  # text shown on the page; findings beyond are listed, not highlighted


@dataclass
class Task:
    path: str  # generated path inside the request folder
    name: str  # display label (client file name), set as the report's path
    opts: Options
    annotate_langs: tuple[str, ...] = ()
    want_view: bool = False
    batch: bool = False  # one of several uploads: keep what the batch layer (PC9xx) needs


@dataclass
class DocResult:
    report: DocReport
    text: str = ""
    truncated: bool = False
    #: per line of ``text``: "p" paragraph, "row" table row, "head" header/title block, "hN" heading level N
    line_kinds: list[str] = field(default_factory=list)
    #: finding.key() -> (section key, section label); keyed, not positional, because
    #: [[accept]] entries may drop findings after the check
    sections: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    #: section_index(doc), to place the findings the batch layer adds after the worker
    section_index: tuple = ()
    #: lang -> annotated .docx bytes
    annotated: dict[str, bytes] = field(default_factory=dict)
    annotate_error: str | None = None


def init_worker(memory_mb: int) -> None:
    """Pool initializer: cap the address space, load the rules once."""
    if memory_mb > 0:
        try:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
            pass
    try:
        load_rules()
    except Exception:  # a rule error is reported by the check itself
        pass


def _plain(v: Any) -> Any:
    if isinstance(v, MappingProxyType):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _picklable(dr: DocReport) -> DocReport:
    dr.metadata = _plain(dr.metadata)
    dr.findings = [
        dataclasses.replace(f, data=_plain(f.data)) if isinstance(f.data, MappingProxyType) else f for f in dr.findings
    ]
    dr.extra = {k: v for k, v in dr.extra.items() if k != "document"}
    return dr


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def line_kinds(doc) -> list[str]:
    """A display kind per line of doc.text, from the blocks and the outline."""
    starts = _line_starts(doc.text)
    kinds = ["p"] * len(starts)
    for b in doc.blocks:
        ln = bisect_right(starts, b.span.start) - 1
        if b.kind == "cell":
            kinds[ln] = "row"
        elif b.region in ("header", "title"):
            kinds[ln] = "head"
    for h in doc.outline.headings:
        if h.is_heading and not h.runin:
            ln = bisect_right(starts, h.span.start) - 1
            if kinds[ln] == "p":
                kinds[ln] = f"h{min(max(h.level, 1), 4)}"
    return kinds


def section_index(doc) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Where the sections start (offset, key, label of each top-level heading) and where
    the regions change (offset, region): small, so findings added after the worker (the
    batch layer, PC9xx) are placed like the others (``section_at``)."""
    tops = []
    for i, h in enumerate(doc.outline.headings):
        if h.parent is None and h.is_heading:
            label = doc.text[h.span.start : h.span.end].split("\n", 1)[0].strip()
            if len(label) > 90:
                label = label[:88].rstrip() + "…"
            tops.append((h.span.start, f"h{i}", label))
    regions: list[tuple[int, str]] = []
    for b in doc.blocks:
        if not regions or regions[-1][1] != b.region:
            regions.append((b.span.start, b.region))
    return tops, regions


def section_at(index, f) -> tuple[str, str]:
    """A finding's section: the top-level heading above it, or the part of the document
    it is in (opening, closing) when no heading applies."""
    if f.span.start == f.span.end == 0 and f.code == "PC001":
        return ("doc", "")
    tops, regions = index
    start = f.span.start
    r = bisect_right([x[0] for x in regions], start) - 1
    region = regions[r][1] if r >= 0 else "body"
    k = bisect_right([t[0] for t in tops], start) - 1
    if region in ("header", "title", "preamble") or k < 0:
        return ("head", "")
    if region == "closing":
        return ("closing", "")
    return tops[k][1], tops[k][2]


def _annotate(
    dr: DocReport, doc, path: str, name: str, langs: tuple[str, ...], fixes: dict[str, str] | None = None
) -> tuple[dict[str, bytes], str | None]:
    """Annotated .docx bytes per language, from the Document already parsed (no re-read).

    Uses the docx reporter's per-document functions when present (a .docx input gets
    its own copy with comments, anything else a rendering of its text); otherwise its
    batch entry point ``annotate_all``. Files go to a folder beside the upload, which
    the request deletes.
    """
    try:
        from ..report import docx as reporter
    except ImportError:
        return {}, None
    single = getattr(reporter, "annotate_docx", None), getattr(reporter, "render_docx", None)
    shown = dataclasses.replace(doc, path=name)  # the rendering names its source: the upload's label
    out: dict[str, bytes] = {}
    base = Path(path)
    for lang in langs:
        outdir = base.parent / f"annotated-{lang}-{base.stem}"
        try:
            outdir.mkdir()
            target = outdir / "annotated.docx"
            if all(single) and doc.format == "docx":  # suggestions also as tracked changes (``fixes``)
                single[0](path, doc, list(dr.findings), target, lang, fixes)
            elif all(single):
                single[1](shown, list(dr.findings), target, lang, fixes)
            else:
                written = reporter.annotate_all(Report(documents=[dr]), [path], str(outdir), lang=lang)
                target = Path(written[0]) if written else target
            if target.is_file():
                out[lang] = target.read_bytes()
        except Exception as exc:  # an annotation failure must not lose the report
            log.warning("annotate failed for %s: %s", name, exc)
            return out, f"{type(exc).__name__}: {exc}"[:200]
        finally:
            if outdir.is_dir():
                for f in outdir.iterdir():
                    f.unlink()
                outdir.rmdir()
    return out, None


def _unpath(f, path: str, name: str):
    """Messages that quote the generated path (an exception text) show the file's name."""
    if path in f.message.vi or path in f.message.en:
        msg = Message(f.message.vi.replace(path, name), f.message.en.replace(path, name))
        return dataclasses.replace(f, message=msg)
    return f


def run_task(task: Task) -> DocResult:
    """Check one file with the engine and gather what the page and downloads need."""
    opts = task.opts
    rules = select_rules(load_rules(opts.extra_rules), opts.select, opts.ignore)
    dr = check_path(task.path, opts, rules, batch=task.batch)
    doc = dr.extra.get("document")
    res = DocResult(report=dr)
    if doc is not None and "view" not in dr.extra:
        # Reporters (HTML) draw the text from extra["view"]; without it they would
        # re-read dr.path, which becomes a display label below, never a path.
        try:
            from ..report.view import document_view

            dr.extra["view"] = document_view(doc)
        except ImportError:
            pass
    if doc is not None and task.want_view:
        res.text = doc.text[:MAX_TEXT_CHARS]
        res.truncated = len(doc.text) > MAX_TEXT_CHARS
        res.line_kinds = line_kinds(doc)[: res.text.count("\n") + 1]
        res.section_index = section_index(doc)
        res.sections = {f.key(): section_at(res.section_index, f) for f in dr.findings}
    if task.annotate_langs and dr.error is None and doc is not None:
        fixes = {r.code: r.fix for r in rules if r.fix}
        res.annotated, res.annotate_error = _annotate(dr, doc, task.path, task.name, task.annotate_langs, fixes)
    dr.path = task.name
    dr.findings = [_unpath(f, task.path, task.name) for f in dr.findings]
    res.report = _picklable(dr)
    return res


WARM_TEXT = "KẾ HOẠCH\n\nThực hiện Chương trình năm 2024\n\nI. MỤC ĐÍCH\n\n1. Mục đích\n\nNội dung.\n"


def warm_up() -> int:
    """A short task per worker at pool start: each process spawns, loads the rules (in
    its initializer) and the readers, and runs the rules once on a tiny plan, so that
    the first real file's time limit counts only its own work."""
    t0 = time.monotonic()
    try:
        import importlib

        from ..engine import check_document
        from ..parse import parse_text

        for mod in ("plancheck.readers.docx", "plancheck.readers.pdf", "plancheck.report.docx"):
            try:
                importlib.import_module(mod)
            except ImportError:
                pass
        check_document(parse_text(WARM_TEXT, "warm.txt"), load_rules())
    except Exception:  # warming is best effort; a real error shows on a real file
        pass
    time.sleep(max(0.0, 0.2 - (time.monotonic() - t0)))  # so each warm-up lands on its own worker
    return os.getpid()
