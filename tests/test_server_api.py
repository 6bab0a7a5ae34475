"""plancheck serve through Starlette's TestClient: API, pages, downloads, limits, hostile input.

The app runs its real worker pool (spawned processes), so these tests exercise
the same path as a running server, only without the socket.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from plancheck.engine import Options, check
from plancheck.readers import Limits
from plancheck.report.json import report_dict
from plancheck.server.app import annotate_available, create_app, renderer_available
from plancheck.server.pool import CheckPool
from plancheck.server.settings import Settings
from plancheck.server.worker import DocResult, Task

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
SEED_TXT = SEEDS / "seed001.txt"
SEED_DOCX = SEEDS / "seed001.docx"
HOSTILE_NAME = '<img src=x onerror="alert(1)">.txt'


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serve-tmp")


@pytest.fixture(scope="module")
def client(tmp_root):
    app = create_app(Settings(workers=2, tmp_dir=str(tmp_root)))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """An app with tiny limits, for the refusals."""
    root = tmp_path_factory.mktemp("serve-small")
    app = create_app(Settings(workers=1, tmp_dir=str(root), max_file_bytes=2000, max_total_bytes=5000, max_files=3))
    with TestClient(app) as c:
        c.tmp_root = root
        yield c


def _files(*items: tuple[str, bytes]) -> list:
    return [("files", (name, data, "application/octet-stream")) for name, data in items]


def _wait(client, token: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = client.get(f"/jobs/{token}").json()
        if s["finished"]:
            return s
        time.sleep(0.05)
    raise AssertionError("job did not finish in time")


def _job(client, files: list, lang: str = "vi") -> tuple[str, str]:
    r = client.post(f"/check?lang={lang}", files=files, headers={"accept": "application/json"})
    assert r.status_code == 202, r.text
    body = r.json()
    _wait(client, body["token"])
    return body["token"], body["report_url"]


# -- JSON API -----------------------------------------------------------------------


def test_api_returns_the_engines_report(client, tmp_root):
    r = client.post("/api/check", files=_files(("seed001.txt", SEED_TXT.read_bytes())))
    assert r.status_code == 200
    body = r.json()
    assert body["schema"] == "plancheck/report@1"
    (doc,) = body["documents"]
    assert doc["path"] == "seed001.txt"
    codes = [f["code"] for f in doc["findings"]]
    assert "PC101" in codes
    # Same engine as the CLI: identical document report apart from the path.
    direct = report_dict(check([str(SEED_TXT)]))["documents"][0]
    direct["path"] = "seed001.txt"
    assert doc == direct
    assert list(tmp_root.iterdir()) == []


def test_api_several_files_in_order_and_english(client):
    files = _files(
        ("b.txt", SEED_TXT.read_bytes()),
        ("a.docx", SEED_DOCX.read_bytes()),
        ("c.md", "# KẾ HOẠCH\n\nThực hiện năm 2024\n".encode()),
    )
    r = client.post("/api/check?lang=en", files=files)
    assert r.status_code == 200
    body = r.json()
    assert body["lang"] == "en"
    assert [d["path"] for d in body["documents"]] == ["b.txt", "a.docx", "c.md"]
    assert body["summary"]["documents"] == 3
    f = body["documents"][0]["findings"][0]
    assert f["message"] == f["message_en"]


def test_api_corrupt_file_gets_pc001(client):
    r = client.post("/api/check", files=_files(("broken.docx", b"PK\x03\x04 this is not a zip archive")))
    assert r.status_code == 200
    (doc,) = r.json()["documents"]
    assert doc["path"] == "broken.docx"
    assert doc["error"] == "corrupt"
    assert [f["code"] for f in doc["findings"]] == ["PC001"]
    assert "/" not in doc["findings"][0]["message"].split("(")[0]  # no temp path leaks into the message


def test_api_file_name_is_never_a_path(client, tmp_root):
    r = client.post("/api/check", files=_files(("../../../../tmp/evil.txt", b"KE HOACH\n\nnoi dung")))
    assert r.status_code == 200
    assert r.json()["documents"][0]["path"] == "evil.txt"
    assert not Path("/tmp/evil.txt").exists()
    assert list(tmp_root.iterdir()) == []


def test_api_refusals(small):
    c = small
    big = b"a" * 2500
    cases = [
        (_files(("big.txt", big)), 413, "file_too_large"),
        (_files(("a.txt", b"x" * 1900), ("b.txt", b"x" * 1900), ("c.txt", b"x" * 1900)), 413, "total_too_large"),
        (_files(*[(f"{i}.txt", b"x") for i in range(4)]), 413, "too_many_files"),
        (_files(("virus.exe", b"MZ")), 415, "unsupported"),
        (_files(("noext", b"text")), 415, "unsupported"),
        ([("other", ("a.txt", b"x", "text/plain"))], 422, "no_file"),
        ([("files", ("", b"", "application/octet-stream"))], 422, "no_file"),
    ]
    for files, status, code in cases:
        r = c.post("/api/check", files=files)
        assert r.status_code == status, (code, r.text)
        err = r.json()["error"]
        assert err["code"] == code
        assert err["message_vi"] and err["message_en"]
        assert r.headers["content-security-policy"]
    r = c.post("/api/check", data={"lang": "vi"})
    assert r.status_code in (415, 422)
    r = c.post("/api/check", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415 and r.json()["error"]["code"] == "not_multipart"
    # a clear message naming the limit and the file
    r = c.post("/api/check", files=_files(("big.txt", big)))
    assert "big.txt" in r.json()["error"]["message_vi"] and "KB" in r.json()["error"]["message_en"]
    # an announced body over the total limit is refused before it is read
    r = c.post(
        "/api/check",
        content=b"x",
        headers={"content-type": "multipart/form-data; boundary=x", "content-length": "999999"},
    )
    assert r.status_code == 413
    assert list(c.tmp_root.iterdir()) == []


def test_page_refusal_renders_the_upload_page_with_a_message(small):
    r = small.post("/check?lang=vi", files=_files(("virus.exe", b"MZ")))
    assert r.status_code == 415
    assert "text/html" in r.headers["content-type"]
    assert "virus.exe" in r.text and 'role="alert"' in r.text


# -- pages and downloads ------------------------------------------------------------


def test_upload_page_is_self_contained(client):
    r = client.get("/")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert 'lang="vi"' in html and "Kiểm tra" in html
    assert "http://" not in html and "https://" not in html  # nothing external
    for asset in ("/static/app.css", "/static/app.js"):
        a = client.get(asset)
        assert a.status_code == 200 and "http://" not in a.text and "https://" not in a.text
    assert 'lang="en"' in client.get("/?lang=en").text


def test_form_post_redirects_to_the_report(client):
    r = client.post("/check", files=_files(("seed001.txt", SEED_TXT.read_bytes())), follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"]
    token = url.split("/")[2].split("?")[0]
    _wait(client, token)
    page = client.get(url)
    assert page.status_code == 200
    assert "seed001.txt" in page.text and "PC101" in page.text


def test_report_page_single_document(client):
    token, url = _job(client, _files(("seed001.docx", SEED_DOCX.read_bytes())))
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    assert "PC101" in html
    assert "85/KH-UBND" in html  # metadata
    assert 'id="x0"' in html and 'href="#x0"' in html  # the finding links to its highlighted excerpt
    assert "<mark" in html and "VII." in html
    assert 'id="dl-json"' in html
    assert ('id="dl-docx"' in html) == annotate_available()
    assert ('id="dl-html"' in html) == renderer_available("html")
    en = client.get(url.replace("lang=vi", "lang=en")).text
    assert "Findings" in en and "Download" in en


def test_downloads(client):
    token, url = _job(client, _files(("seed001.docx", SEED_DOCX.read_bytes())))
    r = client.get(f"/report/{token}/download/report.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["schema"] == "plancheck/report@1" and data["documents"][0]["path"] == "seed001.docx"

    r = client.get(f"/report/{token}/0/annotated.docx")
    if annotate_available():
        import docx

        assert r.status_code == 200
        assert "seed001.annotated.docx" in r.headers["content-disposition"]
        d = docx.Document(io.BytesIO(r.content))
        comments = [c.text for c in d.comments]
        assert any("PC101" in c for c in comments)
        assert client.get(f"/report/{token}/0/annotated.docx?lang=en").status_code == 200
    else:
        assert r.status_code == 404

    r = client.get(f"/report/{token}/download/report.html")
    if renderer_available("html"):
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        assert "PC101" in r.text and "85/KH-UBND" in r.text
    else:
        assert r.status_code == 404
    assert client.get(f"/report/{token}/download/nothing").status_code == 404


def test_several_files_overview_and_batch_downloads(client):
    files = _files(
        ("seed001.txt", SEED_TXT.read_bytes()),
        ("seed001.docx", SEED_DOCX.read_bytes()),
        ("hỏng.pdf", b"%PDF-1.4 garbage"),
    )
    token, url = _job(client, files)
    page = client.get(url)
    assert page.status_code == 200
    assert all(name in page.text for name in ("seed001.txt", "seed001.docx", "hỏng.pdf"))
    assert f"/report/{token}/2" in page.text
    doc2 = client.get(f"/report/{token}/2")
    assert doc2.status_code == 200 and "PC001" in doc2.text
    assert client.get(f"/report/{token}/3").status_code == 404

    r = client.get(f"/report/{token}/download/summary.xlsx")
    if renderer_available("xlsx"):
        import openpyxl

        assert r.status_code == 200
        wb = openpyxl.load_workbook(io.BytesIO(r.content))
        cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert any("seed001.docx" in c for c in cells)
        assert 'id="dl-xlsx"' in page.text
    else:
        assert r.status_code == 404 and 'id="dl-xlsx"' not in page.text
    r = client.get(f"/report/{token}/download/annotated.zip")
    if annotate_available():
        names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
        assert sorted(names) == ["seed001.annotated.docx", "seed001.txt.annotated.docx"]


def test_hostile_plan_and_file_name_are_escaped(client):
    text = (
        "KẾ HOẠCH\n\nThực hiện Chương trình năm 2024\n\n"
        "I. MỤC ĐÍCH\n\nNội dung <script>alert('x')</script> và <b onmouseover=alert(2)>đậm</b>\n\n"
        "III. TỔ CHỨC\n\nHết.\n"
    )
    token, url = _job(client, _files((HOSTILE_NAME, text.encode())))
    html = client.get(url).text
    assert "<script>alert" not in html and "<b onmouseover" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=" in html
    assert html.count("<script") == 1  # only our own /static/app.js
    assert "III. TỔ CHỨC" in html  # the finding's line is there, escaped text around it
    # downloads: JSON is data (kept as is), the header never carries raw quotes or newlines
    r = client.get(f"/report/{token}/download/report.json")
    assert r.json()["documents"][0]["path"] == HOSTILE_NAME
    cd = r.headers["content-disposition"]
    m = re.fullmatch(r"attachment; filename=\"([^\"\\\\;]*)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)", cd)
    assert m, cd
    assert unquote(m.group(2)).startswith(HOSTILE_NAME[:-4])


def test_progress_page_while_checking(client):
    """A job still running shows its progress (works without JavaScript too)."""
    store = client.app.state.store
    job = store.new(["a.docx", "b.pdf", "<i>c</i>.txt"], "vi")
    job.done = 1
    try:
        page = client.get(f"/report/{job.token}")
        assert page.status_code == 200
        assert '<progress id="progress-bar" value="1" max="3">' in page.text
        assert "Đã kiểm tra 1/3 tệp" in page.text
        assert '<noscript><meta http-equiv="refresh"' in page.text
        assert "&lt;i&gt;c&lt;/i&gt;.txt" in page.text
        assert client.get(f"/jobs/{job.token}").json() == {"done": 1, "total": 3, "finished": False, "failed": None}
        assert client.get(f"/report/{job.token}/download/report.json").status_code == 409
    finally:
        store.drop(job.token)


def test_unknown_or_malformed_token(client):
    assert client.get("/report/" + "A" * 32).status_code == 404
    assert client.get("/report/../../etc/passwd").status_code == 404
    assert client.get("/jobs/short").status_code == 404
    assert client.get("/report/" + "A" * 32 + "/download/report.json").json()["error"]["code"] == "gone"


def test_store_is_bounded(client, monkeypatch):
    store = client.app.state.store
    monkeypatch.setattr(store, "max_entries", 2)
    tokens = [_job(client, _files(("p.txt", b"KE HOACH\n\nnam 2024\n")))[0] for _ in range(3)]
    assert len(store) == 2
    assert client.get(f"/report/{tokens[0]}").status_code == 404
    assert client.get(f"/report/{tokens[2]}").status_code == 200


def test_store_expires(client, monkeypatch, tmp_root):
    store = client.app.state.store
    token, url = _job(client, _files(("p.txt", b"KE HOACH\n\nnam 2024\n")))
    assert client.get(url).status_code == 200
    monkeypatch.setattr(store, "ttl", 0.3)
    time.sleep(0.5)
    assert client.get(url).status_code == 404
    assert store.get(token) is None
    assert list(tmp_root.iterdir()) == []


# -- the worker pool: per-file time limits and crashes -------------------------------


def slow_parse_task(task: Task) -> DocResult:  # runs in a worker process
    """The real run_task with a parse that spins in Python for 30 s."""
    import plancheck.parse
    from plancheck.server.worker import run_task

    def slow(*args, **kwargs):
        t0 = time.monotonic()
        while time.monotonic() - t0 < 30:
            pass

    plancheck.parse.parse = slow
    return run_task(task)


def test_engine_time_limit_works_in_the_worker(tmp_path):
    """SIGALRM only fires in a main thread: the pool's workers run tasks there, so the
    engine's own limit answers (PC001 timeout) long before the pool's hard kill."""
    src = tmp_path / "p.txt"
    src.write_bytes(SEED_TXT.read_bytes())
    settings = Settings(workers=1, kill_grace_seconds=60, options=Options(limits=Limits(seconds_per_file=0.5)))

    async def go():
        pool = CheckPool(settings, fn=slow_parse_task)
        pool.start()
        try:
            t0 = time.monotonic()
            res = await pool.run(Task(str(src), "p.txt", settings.options))
            return res, time.monotonic() - t0, pool.restarts
        finally:
            pool.close()

    res, took, restarts = asyncio.run(go())
    assert res.report.error == "timeout" and res.report.findings[0].code == "PC001"
    assert res.report.path == "p.txt"
    assert took < 20 and restarts == 0


def stuck_task(task: Task) -> DocResult:  # runs in a worker process
    if task.name.startswith("stuck"):
        time.sleep(60)
    if task.name.startswith("crash"):
        os._exit(3)
    from plancheck.server.worker import run_task

    return run_task(task)


def test_pool_kills_a_stuck_worker_and_survives_a_crash(tmp_path):
    src = tmp_path / "ok.txt"
    src.write_bytes(SEED_TXT.read_bytes())
    settings = Settings(workers=2, kill_grace_seconds=1.0, options=Options(limits=Limits(seconds_per_file=3.0)))

    async def go():
        pool = CheckPool(settings, fn=stuck_task)
        pool.start()
        try:
            t0 = time.monotonic()
            stuck, ok = await asyncio.gather(
                pool.run(Task(str(src), "stuck.txt", settings.options)),
                pool.run(Task(str(src), "ok.txt", settings.options)),
            )
            took = time.monotonic() - t0
            crash = await pool.run(Task(str(src), "crash.txt", settings.options))
            after = await pool.run(Task(str(src), "after.txt", settings.options))
            return stuck, ok, took, crash, after, pool.restarts
        finally:
            pool.close()

    stuck, ok, took, crash, after, restarts = asyncio.run(go())
    assert stuck.report.error == "timeout" and stuck.report.findings[0].code == "PC001"
    assert ok.report.error is None and any(f.code == "PC101" for f in ok.report.findings)
    assert 3.5 < took < 30  # killed after seconds_per_file + grace, not before
    assert crash.report.error == "internal"
    assert after.report.error is None and after.report.path == "after.txt"
    assert restarts >= 2
