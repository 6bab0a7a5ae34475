"""Windows and macOS matters that can be tested here (issue 17 item 2): Vietnamese on a
console whose code page is not UTF-8, and ``plancheck serve --open`` opening the browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from click.testing import CliRunner

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def test_vietnamese_on_a_legacy_code_page_console():
    """cmd.exe / PowerShell start with cp1252 or cp437: the report still comes out, as UTF-8."""
    exe = Path(sys.executable).with_name("plancheck")
    for enc in ("cp1252", "cp437", "ascii"):
        env = {**os.environ, "PYTHONIOENCODING": enc, "PYTHONUTF8": "0"}
        run = subprocess.run([str(exe), "check", str(SEEDS / "seed002.txt")], capture_output=True, env=env)
        assert run.returncode == 1, run.stderr.decode("utf-8", "replace")
        out = run.stdout.decode("utf-8")  # strict: every byte is UTF-8
        assert "văn bản: 3 lỗi" in out and "Kế hoạch thiếu phần" in out
        err = subprocess.run([str(exe), "check", "khong-co.txt"], capture_output=True, env=env)
        assert err.returncode == 2 and "không tìm thấy" in err.stderr.decode("utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_open_opens_the_browser_once_the_page_is_up(monkeypatch):
    import webbrowser

    import uvicorn

    from plancheck.server import serve_cmd

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    port = _free_port()

    def fake_run(app, host, port, **kw):
        """Stands in for uvicorn: start listening a little later, serve until the browser opened."""
        time.sleep(0.5)
        assert not opened  # not before the server is up
        with socket.create_server((host, port)) as srv:
            srv.settimeout(0.2)
            end = time.monotonic() + 10
            while not opened and time.monotonic() < end:
                try:
                    srv.accept()[0].close()
                except OSError:
                    pass

    monkeypatch.setattr(uvicorn, "run", fake_run)
    res = CliRunner().invoke(serve_cmd, ["--open", "--port", str(port), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert opened == [f"http://127.0.0.1:{port}/"]
    # without --open nothing is opened
    opened.clear()
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    CliRunner().invoke(serve_cmd, ["--port", str(port)])
    time.sleep(0.5)
    assert opened == [] and not [t for t in threading.enumerate() if t.name == "plancheck-open-browser"]


def test_time_limit_without_sigalrm_goes_through_a_watched_worker(monkeypatch, tmp_path):
    """Windows has no SIGALRM: even one file, with --jobs 1, is checked in a worker process
    that is stopped when its file runs past the limit (PC001 timeout), and the run goes on."""
    from contextlib import nullcontext

    import plancheck.parse
    from plancheck import engine
    from plancheck.readers import Limits

    slow = tmp_path / "slow.txt"
    slow.write_text((SEEDS / "seed002.txt").read_text(encoding="utf-8"), encoding="utf-8")
    real_parse = plancheck.parse.parse

    def parse(path, *a, **k):
        if str(path).endswith("slow.txt"):
            time.sleep(60)  # stuck where no signal would reach it
        return real_parse(path, *a, **k)

    monkeypatch.setattr(engine, "SIGNAL_TIMER", False)
    monkeypatch.setattr(engine, "time_limit", lambda seconds: nullcontext())  # what Windows does
    monkeypatch.setattr(plancheck.parse, "parse", parse)  # the workers are forked: they see it too
    opts = engine.Options(limits=Limits(seconds_per_file=1))
    t0 = time.monotonic()
    report = engine.check([slow], opts, jobs=1)
    assert time.monotonic() - t0 < 15
    (d,) = report.documents
    assert d.error == "timeout" and d.findings[0].code == "PC001"
    report = engine.check([SEEDS / "seed002.txt", slow], opts, jobs=1)
    assert [d.error for d in report.documents] == [None, "timeout"]
    assert {f.code for f in report.documents[0].findings} >= {"PC101", "PC104"}


def test_colours_on_windows_only_where_the_console_takes_them(monkeypatch):
    import plancheck.cli as cli

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert cli.use_color(Tty()) is True
    monkeypatch.setattr(cli.os, "name", "nt")
    # no Windows console API here (ctypes.windll missing): no colour codes rather than raw escapes
    assert cli._windows_ansi() is False and cli.use_color(Tty()) is False
    monkeypatch.setattr(cli, "_windows_ansi", lambda: True)
    assert cli.use_color(Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.use_color(Tty()) is False
