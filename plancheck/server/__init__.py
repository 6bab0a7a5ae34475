"""``plancheck serve``: a local web page and a JSON API over the same engine.

Only click is imported here: the CLI registers this command at every start, and
``plancheck check`` must stay fast, so Starlette, uvicorn and Jinja2 are imported
inside the command (and by ``plancheck.server.app``).
"""

from __future__ import annotations

import ipaddress
import sys

import click

__all__ = ["serve_cmd", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; a warning is printed for anything else."""
    h = host.strip("[]")
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


MB = 1024 * 1024


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Worker processes that check files (default: cores, at most 4)."
)
@click.option(
    "--max-file-mb", type=click.FloatRange(0.01), default=20, show_default=True, help="Largest file accepted."
)
@click.option(
    "--max-total-mb", type=click.FloatRange(0.01), default=100, show_default=True, help="Largest upload (all files)."
)
@click.option("--max-files", type=click.IntRange(1), default=200, show_default=True, help="Most files in one upload.")
@click.option(
    "--timeout", "seconds", type=click.FloatRange(1), help="Seconds allowed per file (default: the engine's limit)."
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), help="plancheck.toml to apply.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Default page language.")
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser once it is up.")
def serve_cmd(
    host, port, workers, max_file_mb, max_total_mb, max_files, seconds, config_file, lang, log_level, open_browser
):
    """Mở trang web kiểm tra kế hoạch trên máy này / start the local web page (http://127.0.0.1:8000)."""
    import dataclasses

    import uvicorn

    from ..config import load_config
    from ..rulebook import RuleError, load_rules
    from .app import create_app
    from .settings import Settings

    try:
        cfg = load_config([], config_file=config_file, no_config=not config_file)
        opts = cfg.options()
    except (ValueError, RuleError) as exc:
        click.echo(f"plancheck: cấu hình lỗi / configuration error: {exc}", err=True)
        sys.exit(2)
    try:  # fail at start, not on the first upload
        load_rules(opts.extra_rules)
    except RuleError as exc:
        click.echo(f"plancheck: quy tắc lỗi / rule error: {exc}", err=True)
        sys.exit(2)
    if seconds:
        opts = dataclasses.replace(opts, limits=dataclasses.replace(opts.limits, seconds_per_file=seconds))
    kw = {"workers": workers} if workers else {}
    settings = Settings(
        max_file_bytes=int(max_file_mb * MB),
        max_total_bytes=int(max_total_mb * MB),
        max_files=max_files,
        options=opts,
        accept_config=cfg if cfg.data.get("accept") else None,
        default_lang=lang,
        allowed_hosts=("localhost", "127.0.0.1", "::1", host.strip("[]")) if is_loopback(host) else (),
        **kw,
    )
    if not is_loopback(host):
        click.secho(
            f"CẢNH BÁO / WARNING: listening on {host}: other machines on the network can reach this page "
            "and upload files. There is no login. Use --host 127.0.0.1 unless you mean it.",
            fg="yellow",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"plancheck serve: http://{shown}:{port}/  (Ctrl+C để dừng / to stop)", err=True)
    if open_browser:
        open_when_ready(host if host not in ("0.0.0.0", "::") else "127.0.0.1", port)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, access_log=False)


def open_when_ready(host: str, port: int, timeout: float = 60.0) -> None:
    """Open http://host:port/ in the default browser (Windows, macOS, Linux) as soon as the
    server accepts connections, from a background thread (the server starts meanwhile)."""
    import socket
    import threading
    import time
    import webbrowser

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"

    def wait_and_open() -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with socket.create_connection((host, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            return
        if not webbrowser.open(url):
            click.echo(f"plancheck serve: mở trình duyệt tại / open your browser at {url}", err=True)

    threading.Thread(target=wait_and_open, name="plancheck-open-browser", daemon=True).start()
