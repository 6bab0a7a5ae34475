"""The Starlette application: upload page, report pages, downloads, JSON API.

Checking goes through the engine only (``worker.run_task`` calls
``engine.check_path`` in a worker process); this module receives uploads,
schedules them, keeps results for a while and renders them.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import io
import json
import logging
import shutil
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..engine import Report
from ..report.json import SCHEMA, report_dict
from ..rulebook import RuleError
from .i18n import Words, error_message, human_bytes
from .pool import CheckPool
from .settings import Settings
from .store import Job, Store
from .upload import FIELD, UploadError, receive
from .view import display_date, document_view
from .worker import Task

log = logging.getLogger("plancheck.server")

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

MIME = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}


class SecurityHeaders:
    """Pure ASGI middleware: the CSP and friends on every HTTP response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _host_name(host: str) -> str:
    """The name of a Host header or an origin's netloc, without the port, lowercased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostOriginGuard:
    """Refuse what a web page could make the officer's browser send: a Host the server
    does not answer to (DNS rebinding: 400) and a state-changing request from another
    origin (cross-site form posts, CSRF: 403). Scripts (curl, requests) send no Origin
    and stay welcome."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.allowed = {h.strip("[]").lower() for h in settings.allowed_hosts}
        self.lang = settings.default_lang

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        reason = None
        if self.allowed and _host_name(host) not in self.allowed:
            reason, status = "bad_host", 400
        elif scope.get("method") in UNSAFE_METHODS:
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site", "")
            if site == "cross-site" or (origin is not None and _origin_netloc(origin) != host.strip().lower()):
                reason, status = "cross_origin", 403
        if reason is None:
            return await self.app(scope, receive, send)
        response = _error_json(status, reason, {}, self.lang)
        await response(scope, receive, send)


def _origin_netloc(origin: str) -> str | None:
    """ "http://127.0.0.1:8000" -> "127.0.0.1:8000"; None for "null" or anything odd."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts.netloc.lower()


# -- optional reporters (written by another module; offered when present) ------
def renderer_available(kind: str) -> bool:
    from ..report import get_renderer

    try:
        get_renderer(kind)
    except (KeyError, ImportError, AttributeError):
        return False
    return True


def annotate_available() -> bool:
    try:
        mod = importlib.import_module("plancheck.report.docx")
    except ImportError:
        return False
    return hasattr(mod, "annotate_all")


def _lang(request: Request, default: str) -> str:
    lang = request.query_params.get("lang", "")
    return lang if lang in ("vi", "en") else default


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or request.url.path.startswith("/api/")


def _error_json(status: int, reason: str, params: dict[str, Any], lang: str) -> JSONResponse:
    vi, en = error_message(reason, params)
    body = {
        "error": {
            "status": status,
            "code": reason,
            "message": en if lang == "en" else vi,
            "message_vi": vi,
            "message_en": en,
        }
    }
    return JSONResponse(body, status_code=status)


def _content_disposition(filename: str) -> str:
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def annotated_name(name: str) -> str:
    """seed.docx -> seed.annotated.docx; seed.pdf -> seed.pdf.annotated.docx (as the CLI names them)."""
    if PurePosixPath(name).suffix.lower() in (".docx", ".docm"):
        return f"{PurePosixPath(name).stem}.annotated.docx"
    return f"{name}.annotated.docx"


def _stem(name: str) -> str:
    stem = PurePosixPath(name).stem or "document"
    return stem


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the application; the worker pool starts with the app and stops with it."""
    settings = settings or Settings()
    tmp_root = Path(settings.tmp_dir)
    pool = CheckPool(settings)
    store = Store(settings.store_max_entries, settings.store_max_bytes, settings.store_ttl_seconds)
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.globals["version"] = __version__
    env.filters["bytes"] = human_bytes
    env.filters["date"] = display_date
    # Loop-bound primitives are made in the lifespan, inside the serving loop.
    limits: dict[str, asyncio.Semaphore] = {}
    jobs_running: set[asyncio.Task] = set()

    def page(name: str, lang: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            t=Words(lang), lang=lang, other="en" if lang == "vi" else "vi", settings=settings, **ctx
        )
        return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})

    def new_folder() -> Path:
        tmp_root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="plancheck-", dir=tmp_root))

    def make_tasks(uploads, view: bool, langs: tuple[str, ...]) -> list[Task]:
        return [
            Task(
                path=str(u.path),
                name=u.name,
                opts=settings.options,
                annotate_langs=langs,
                want_view=view,
                batch=len(uploads) > 1,
            )
            for u in uploads
        ]

    def build_report(results) -> Report:
        report = Report(documents=[r.report for r in results])
        if len(results) > 1:  # a folder or several files: the plans checked against each other (PC9xx)
            from ..engine import run_batch
            from ..rulebook import load_rules, select_rules
            from .worker import section_at

            opts = settings.options
            run_batch(report, select_rules(load_rules(opts.extra_rules), opts.select, opts.ignore), opts)
            for r in results:  # the findings added by the batch layer, placed in their section
                if r.section_index:
                    for f in r.report.findings:
                        r.sections.setdefault(f.key(), section_at(r.section_index, f))
        if settings.accept_config is not None:
            settings.accept_config.apply_accepts(report)
        return report

    # -- JSON API ----------------------------------------------------------------
    async def api_check(request: Request) -> Response:
        lang = _lang(request, settings.default_lang)
        folder = new_folder()
        try:
            try:  # the body is read first (with time limits): a slow client holds no checking slot
                received = await receive(request, folder, settings)
            except UploadError as exc:
                return _error_json(exc.status, exc.reason, exc.params, lang)
            async with limits["active"]:
                try:
                    results = await asyncio.gather(*(pool.run(t) for t in make_tasks(received.files, False, ())))
                except RuleError as exc:
                    return _error_json(500, "rule_error", {"detail": str(exc)}, lang)
                report = build_report(results)
        finally:
            await run_in_threadpool(shutil.rmtree, folder, True)
        return JSONResponse(report_dict(report, lang))

    async def api_info(request: Request) -> Response:
        return JSONResponse(
            {
                "name": "plancheck",
                "version": __version__,
                "schema": SCHEMA,
                "field": FIELD,
                "limits": {
                    "max_files": settings.max_files,
                    "max_file_bytes": settings.max_file_bytes,
                    "max_total_bytes": settings.max_total_bytes,
                    "seconds_per_file": settings.seconds_per_file,
                },
            }
        )

    # -- pages -------------------------------------------------------------------
    async def index(request: Request) -> Response:
        return page("upload.html", _lang(request, settings.default_lang))

    async def run_job(job: Job, folder: Path, tasks: list[Task]) -> None:
        async def one(task: Task):
            r = await pool.run(task)
            job.done += 1
            return r

        try:
            async with limits["active"]:
                results = await asyncio.gather(*(one(t) for t in tasks))
            job.results = list(results)
            job.report = build_report(job.results)
        except asyncio.CancelledError:
            job.failed = "cancelled"
            raise
        except Exception as exc:  # reported on the page rather than lost
            log.exception("job failed")
            job.failed = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            job.finished = True
            job.created = time.monotonic()  # the download lifetime starts when results are ready
            await asyncio.shield(run_in_threadpool(shutil.rmtree, folder, True))
            store.settle(job)

    async def check_page(request: Request) -> Response:
        lang = _lang(request, settings.default_lang)
        folder = new_folder()
        try:
            received = await receive(request, folder, settings)
        except UploadError as exc:
            await run_in_threadpool(shutil.rmtree, folder, True)
            if _wants_json(request):
                return _error_json(exc.status, exc.reason, exc.params, lang)
            vi, en = error_message(exc.reason, exc.params)
            return page("upload.html", lang, status=exc.status, error=en if lang == "en" else vi)
        except BaseException:
            await run_in_threadpool(shutil.rmtree, folder, True)
            raise
        form_lang = received.fields.get("lang")
        if form_lang in ("vi", "en"):
            lang = form_lang
        langs = ("vi", "en") if annotate_available() else ()
        job = store.new([u.name for u in received.files], lang)
        job.task = asyncio.create_task(run_job(job, folder, make_tasks(received.files, True, langs)))
        jobs_running.add(job.task)
        job.task.add_done_callback(jobs_running.discard)
        url = f"/report/{job.token}?lang={lang}"
        if _wants_json(request):
            return JSONResponse(
                {"token": job.token, "report_url": url, "status_url": f"/jobs/{job.token}"}, status_code=202
            )
        return RedirectResponse(url, status_code=303)

    async def job_status(request: Request) -> Response:
        job = store.get(request.path_params["token"])
        if job is None:
            return _error_json(404, "gone", {}, _lang(request, settings.default_lang))
        return JSONResponse(
            {"done": job.done, "total": job.total, "finished": job.finished, "failed": job.failed},
            headers={"cache-control": "no-store"},
        )

    def _job_or_gone(request: Request, lang: str) -> tuple[Job | None, Response | None]:
        job = store.get(request.path_params["token"])
        if job is None:
            return None, page("message.html", lang, status=404, message=Words(lang).expired)
        return job, None

    def _doc_links(job: Job) -> dict[str, bool]:
        return {
            "html": renderer_available("html"),
            "xlsx": renderer_available("xlsx") and job.total > 1,
            "json": True,
            "zip": any(r.annotated for r in job.results) and job.total > 1,
        }

    async def report_page(request: Request) -> Response:
        lang = _lang(request, settings.default_lang)
        job, gone = _job_or_gone(request, lang)
        if gone:
            return gone
        if not job.finished:
            return page("progress.html", lang, job=job)
        if job.failed:
            return page("message.html", lang, status=500, message=f"{Words(lang).failed}: {job.failed}")
        raw = request.path_params.get("index")
        if raw is None and job.total > 1:
            rows = [(i, r.report) for i, r in enumerate(job.results)]
            from ..report.common import headers
            from ..report.tabular import LINK_COLUMNS, link_rows

            return page(
                "overview.html",
                lang,
                job=job,
                rows=rows,
                links=_doc_links(job),
                totals=job.report.counts(),
                cites=link_rows(job.report, lang),
                cite_heads=headers(LINK_COLUMNS, lang),
            )
        index = int(raw or 0)
        if not 0 <= index < job.total:
            return page("message.html", lang, status=404, message=Words(lang).expired)
        doc = document_view(job.results[index], lang)
        return page("report.html", lang, job=job, index=index, doc=doc, links=_doc_links(job))

    async def download(request: Request) -> Response:
        lang = _lang(request, settings.default_lang)
        job = store.get(request.path_params["token"])
        if job is None:
            return _error_json(404, "gone", {}, lang)
        if not job.finished or job.report is None:
            return _error_json(409, "not_ready", {}, lang)
        kind = request.path_params["kind"]
        base = f"{_stem(job.names[0])}-plancheck" if job.total == 1 else "plancheck"
        if kind == "report.json":
            body = json.dumps(report_dict(job.report, lang), ensure_ascii=False, indent=2).encode("utf-8")
            return _file(body, f"{base}-report.json", "json")
        if kind in ("report.html", "summary.xlsx"):
            fmt = "html" if kind == "report.html" else "xlsx"
            if not renderer_available(fmt):
                return _error_json(404, "unavailable", {}, lang)
            key = (fmt, lang)
            if key not in job.cache:
                from ..report import get_renderer

                out = await run_in_threadpool(get_renderer(fmt), job.report, lang=lang)
                job.cache[key] = out.encode("utf-8") if isinstance(out, str) else out
                store.settle(job)
            name = f"{base}-report.html" if fmt == "html" else "plancheck-summary.xlsx"
            return _file(job.cache[key], name, fmt)
        if kind == "annotated.zip":
            buf = io.BytesIO()
            used: set[str] = set()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for i, r in enumerate(job.results):
                    data = r.annotated.get(lang)
                    if data is None:
                        continue
                    name = annotated_name(job.names[i])
                    if name in used:
                        name = f"{i + 1}-{name}"
                    used.add(name)
                    z.writestr(name, data)
            if not used:
                return _error_json(404, "unavailable", {}, lang)
            return _file(buf.getvalue(), "plancheck-annotated.zip", "zip")
        return _error_json(404, "not_found", {}, lang)

    async def download_docx(request: Request) -> Response:
        lang = _lang(request, settings.default_lang)
        job = store.get(request.path_params["token"])
        if job is None:
            return _error_json(404, "gone", {}, lang)
        index = request.path_params["index"]
        if not job.finished or not 0 <= index < len(job.results):
            return _error_json(404, "not_found", {}, lang)
        data = job.results[index].annotated.get(lang)
        if data is None:
            return _error_json(404, "unavailable", {}, lang)
        return _file(data, annotated_name(job.names[index]), "docx")

    async def not_found(request: Request, exc) -> Response:
        lang = _lang(request, settings.default_lang)
        if _wants_json(request):
            return _error_json(404, "not_found", {}, lang)
        return page("message.html", lang, status=404, message=error_message("not_found", {})[lang == "en"])

    async def method_not_allowed(request: Request, exc) -> Response:
        return JSONResponse({"error": {"status": 405, "code": "method_not_allowed"}}, status_code=405)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        limits["active"] = asyncio.Semaphore(settings.max_active_requests)
        pool.bind_loop()
        pool.start_soon()
        try:
            yield
        finally:
            for task in list(jobs_running):
                task.cancel()
            if jobs_running:
                await asyncio.gather(*jobs_running, return_exceptions=True)
            store.clear()
            await run_in_threadpool(pool.close)

    routes = [
        Route("/", index),
        Route("/check", check_page, methods=["POST"]),
        Route("/jobs/{token}", job_status),
        Route("/report/{token}", report_page),
        Route("/report/{token}/download/{kind}", download),
        Route("/report/{token}/{index:int}", report_page),
        Route("/report/{token}/{index:int}/annotated.docx", download_docx),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api", api_info),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = _App(routes=routes, lifespan=lifespan, exception_handlers={404: not_found, 405: method_not_allowed})
    app.state.settings = settings
    app.state.pool = pool
    app.state.store = store
    app.add_middleware(HostOriginGuard, settings=settings)
    return app


class _App(Starlette):
    """The security headers wrap everything, the 500 page of Starlette's error
    middleware (outermost of its own stack) included."""

    def build_middleware_stack(self):
        return SecurityHeaders(super().build_middleware_stack())


def _file(body: bytes, filename: str, fmt: str) -> Response:
    return Response(
        body,
        media_type=MIME[fmt],
        headers={"content-disposition": _content_disposition(filename), "cache-control": "no-store"},
    )
