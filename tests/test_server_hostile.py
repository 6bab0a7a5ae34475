"""plancheck serve under attack (issue 16): an upload that exhausts a worker's memory
does not poison the next ones, slow clients hold no checking slot, cross-origin posts
and foreign Host headers are refused, malformed multipart bodies get the right status
with the security headers.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import hostile_corpus
import pytest
from starlette.testclient import TestClient

from plancheck.engine import Options
from plancheck.readers import Limits
from plancheck.server.app import create_app
from plancheck.server.settings import Settings

PLAN = hostile_corpus.PLAN.encode("utf-8")


def _files(*items: tuple[str, bytes]) -> list:
    return [("files", (name, data, "application/octet-stream")) for name, data in items]


def _codes(doc: dict) -> list[tuple[str, int | None]]:
    return sorted((f["code"], (f.get("location") or {}).get("line")) for f in doc["findings"])


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-hostile")
    settings = Settings(
        workers=1,
        tmp_dir=str(root),
        allowed_hosts=("localhost", "127.0.0.1", "testserver"),
        options=Options(limits=Limits(max_memory_mb=200, seconds_per_file=30)),
    )
    with TestClient(create_app(settings)) as c:
        yield c


def test_poisoning_sequence(guarded):
    """A file that runs out of memory gets PC001 out_of_memory; the 20 uploads after it
    (the same worker, replaced) are all answered as the first normal one."""
    first = guarded.post("/api/check", files=_files(("plan.txt", PLAN)))
    assert first.status_code == 200
    want = _codes(first.json()["documents"][0])
    assert want and not any(c == "PC001" for c, _ in want)
    for name, data in (("combining.txt", hostile_corpus.combining_marks()), ("line.txt", hostile_corpus.single_line())):
        r = guarded.post("/api/check", files=_files((name, data)))
        assert r.status_code == 200
        doc = r.json()["documents"][0]
        if name == "line.txt":
            assert doc["error"] == "out_of_memory", doc["findings"][:1]
        else:
            assert doc["error"] is None
    t = time.perf_counter()
    for _ in range(20):
        r = guarded.post("/api/check", files=_files(("plan.txt", PLAN)))
        assert r.status_code == 200
        assert _codes(r.json()["documents"][0]) == want
    assert time.perf_counter() - t < 60


def _multipart(boundary: str, parts: list[tuple[str, str | None, bytes]], close: bool = True) -> bytes:
    out = b""
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode() + data + b"\r\n"
    if close:
        out += f"--{boundary}--\r\n".encode()
    return out


def _post_raw(client, body: bytes, boundary: str, **headers):
    return client.post(
        "/api/check", content=body, headers={"content-type": f"multipart/form-data; boundary={boundary}", **headers}
    )


def _secure(r) -> bool:
    return "default-src 'none'" in r.headers.get("content-security-policy", "")


def test_long_boundary_is_400_with_security_headers(guarded):
    b = "x" * 300
    r = _post_raw(guarded, _multipart(b, [("files", "a.txt", PLAN)]), b)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_multipart" and _secure(r)


def test_part_without_filename_is_not_a_file(guarded):
    b = "bnd123"
    r = _post_raw(guarded, _multipart(b, [("files", None, PLAN * 10)]), b)
    assert r.status_code == 422 and r.json()["error"]["code"] == "no_file" and _secure(r)


def test_truncated_body_is_refused(guarded):
    b = "bnd123"
    body = _multipart(b, [("files", "a.txt", PLAN)], close=False)[:-40]
    r = _post_raw(guarded, body, b)
    assert r.status_code == 400 and r.json()["error"]["code"] == "truncated" and _secure(r)


def test_cross_origin_post_refused_scripts_welcome(guarded):
    files = _files(("plan.txt", PLAN))
    r = guarded.post("/api/check", files=files, headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "cross_origin" and _secure(r)
    r = guarded.post("/check", files=files, headers={"origin": "null"})
    assert r.status_code == 403
    r = guarded.post("/api/check", files=files, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    r = guarded.post("/api/check", files=files, headers={"origin": "http://testserver"})
    assert r.status_code == 200  # the page itself
    assert guarded.post("/api/check", files=files).status_code == 200  # a script: no Origin


def test_foreign_host_refused(guarded):
    r = guarded.get("/", headers={"host": "rebind.evil.example"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_host" and _secure(r)
    assert guarded.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert guarded.get("/api", headers={"host": "localhost"}).status_code == 200


# --------------------------------------------------------------------------- slow clients


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A real server (uvicorn in a thread) with short body timeouts."""
    import uvicorn

    root = tmp_path_factory.mktemp("serve-live")
    settings = Settings(
        workers=1, tmp_dir=str(root), max_active_requests=2, read_timeout_seconds=2, body_timeout_seconds=6
    )
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    deadline = time.time() + 60
    while not server.started and time.time() < deadline:
        time.sleep(0.1)
    assert server.started
    yield port
    server.should_exit = True
    th.join(30)


def _slow_client(port: int) -> socket.socket:
    """Headers and the start of a body that never comes."""
    s = socket.create_connection(("127.0.0.1", port))
    body_start = b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nKE HOACH'
    s.sendall(
        b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        b"Content-Length: 100000\r\n\r\n" + body_start
    )
    return s


def test_slow_clients_hold_no_slot(live):
    import httpx

    slow = [_slow_client(live) for _ in range(6)]  # three times the checking slots
    try:
        t = time.perf_counter()
        r = httpx.post(f"http://127.0.0.1:{live}/api/check", files=_files(("plan.txt", PLAN)), timeout=60)
        assert r.status_code == 200 and r.json()["documents"][0]["findings"]
        assert time.perf_counter() - t < 20  # not behind the slow ones
        # each slow client is answered 408 once its body stalls past the read timeout
        slow[0].settimeout(20)
        answer = slow[0].recv(200)
        assert answer.startswith(b"HTTP/1.1 408"), answer
    finally:
        for s in slow:
            s.close()


def test_dead_worker_server_goes_on(guarded):
    """Smoke: after all of the above the server still answers a normal upload."""
    r = guarded.post("/api/check", files=_files(("plan.txt", PLAN)))
    assert r.status_code == 200


def test_hostile_generator_is_fast(tmp_path):
    t = time.perf_counter()
    files = hostile_corpus.build(tmp_path)
    assert time.perf_counter() - t < 10
    assert all(Path(p).stat().st_size < 10 << 20 for p in files.values())
