"""Load on loopback: a real `plancheck serve` process, 50 uploads from 10 concurrent clients.

All must be answered with the right report (none lost, none mixed up), within a
bounded time, with bounded memory, and the temporary folder must be empty after.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
UPLOADS = 50
CLIENTS = 10
TIME_BUDGET = 240.0  # seconds for all 50 (about 10 s expected on 2 cores)
RSS_GROWTH_LIMIT = 400 * 1024 * 1024  # bytes, server and its workers together


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss(pid: int) -> int:
    """Resident memory of a process and its children (Linux /proc)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for t in Path(f"/proc/{p}/task").iterdir():
                kids = (t / "children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def start_server(tmp: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """`plancheck serve` on 127.0.0.1 and a free port, its temp folders under ``tmp``."""
    for _attempt in range(3):
        port = _free_port()
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-c", "from plancheck.cli import main; main()", "serve", "--host", "127.0.0.1"]
        proc = subprocess.Popen(
            [*cmd, "--port", str(port), "--log-level", "warning", *extra],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(base + "/api", timeout=2).status_code == 200:
                    return proc, base
            except httpx.HTTPError:
                time.sleep(0.1)
        stop_server(proc)
    raise AssertionError("plancheck serve did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])


def stop_server(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return proc.stdout.read().decode(errors="replace") if proc.stdout else ""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("load-tmp")
    proc, base = start_server(tmp, "--workers", "2")
    yield proc, base, tmp
    out = stop_server(proc)
    assert "Traceback" not in out, out[-3000:]


def _plan(i: int) -> tuple[str, bytes]:
    kinds = [
        ("txt", SEEDS / "seed001.txt"),
        ("docx", SEEDS / "seed002.docx"),
        ("pdf", SEEDS / "seed003.pdf"),
        ("txt", SEEDS / "seed004.txt"),
    ]
    ext, path = kinds[i % len(kinds)]
    return f"load-{i:03d}.{ext}", path.read_bytes()


def test_fifty_uploads_from_ten_clients(server):
    proc, base, tmp = server
    # warm up: the first request starts the worker processes
    with httpx.Client(base_url=base, timeout=120) as c:
        name, data = _plan(0)
        assert c.post("/api/check", files=[("files", (name, data))]).status_code == 200
    rss_before = _rss(proc.pid)
    expected = {}
    for i in range(UPLOADS):
        name, _ = _plan(i)
        expected[name] = i

    def client_run(k: int) -> list[tuple[str, int, dict | None]]:
        out = []
        with httpx.Client(base_url=base, timeout=120) as c:
            for i in range(k, UPLOADS, CLIENTS):
                name, data = _plan(i)
                r = c.post("/api/check", files=[("files", (name, data, "application/octet-stream"))])
                out.append((name, r.status_code, r.json() if r.status_code == 200 else None))
        return out

    t0 = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as ex:
        results = [x for batch in ex.map(client_run, range(CLIENTS)) for x in batch]
    took = time.monotonic() - t0
    rss_after = _rss(proc.pid)

    assert len(results) == UPLOADS
    assert all(status == 200 for _, status, _ in results), [(n, s) for n, s, _ in results if s != 200]
    for name, _, body in results:
        (doc,) = body["documents"]
        assert doc["path"] == name  # each answer is about the file that was sent
        assert doc["error"] is None, (name, doc["findings"][:1])
    assert sorted(n for n, _, _ in results) == sorted(expected)
    assert took < TIME_BUDGET, f"{UPLOADS} uploads took {took:.1f} s"
    print(f"\n{UPLOADS} uploads in {took:.1f} s; RSS {rss_before / 2**20:.0f} -> {rss_after / 2**20:.0f} MiB")
    assert rss_after - rss_before < RSS_GROWTH_LIMIT, (rss_before, rss_after)
    assert list(tmp.iterdir()) == [], list(tmp.iterdir())


def test_refusals_over_the_socket(server):
    """A body announced over the limit is refused before it is read (the connection stays usable)."""
    _, base, tmp = server
    with httpx.Client(base_url=base, timeout=30) as c:
        r = c.post("/api/check", files=[("files", ("x.exe", b"MZ"))])
        assert r.status_code == 415
        r = c.post("/api/check", files=[("files", ("big.txt", b"a" * (21 * 1024 * 1024)))])
        assert r.status_code == 413 and r.json()["error"]["code"] in ("file_too_large", "total_too_large")
        assert c.get("/api").status_code == 200
    assert list(tmp.iterdir()) == []


def test_non_loopback_host_warns(monkeypatch):
    """Binding to another address than loopback prints a warning (uvicorn.run stubbed: nothing binds)."""
    from click.testing import CliRunner

    from plancheck.server import is_loopback, serve_cmd

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.5.0.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    res = CliRunner().invoke(serve_cmd, ["--host", "0.0.0.0", "--port", "8123"])
    quiet = CliRunner().invoke(serve_cmd, ["--port", "8123"])
    assert res.exit_code == 0, res.output
    assert "WARNING" in res.output and "0.0.0.0" in res.output
    assert "WARNING" not in quiet.output
    assert calls[0]["host"] == "0.0.0.0" and calls[1]["host"] == "127.0.0.1"


def test_cli_import_stays_light():
    """`plancheck check` must not pay for the web stack: importing the CLI loads no starlette/uvicorn."""
    code = "import sys, plancheck.cli; print(any(m.split('.')[0] in ('starlette','uvicorn','jinja2','multipart','python_multipart') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
