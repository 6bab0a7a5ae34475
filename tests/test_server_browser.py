"""End to end in a real headless Chromium (Debian's package) driven by Playwright.

Upload corpus/seeds/seed001.docx on the page, see its findings, click one (the
text pane scrolls to the highlighted excerpt), download the annotated .docx and
open it with python-docx. `.ci/run` installs chromium with apt-get; without it
this test fails and says so (it is never skipped).

Set PLANCHECK_SCREENSHOT=docs/screenshot-report.png to also save the README's
screenshot of the report page.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_server_load import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seeds" / "seed001.docx"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def _chromium() -> str:
    for c in (os.environ.get("PLANCHECK_CHROMIUM"), *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if c and Path(c).is_file():
            return c
    pytest.fail(
        "Chromium not found (looked for /usr/bin/chromium). Install Debian's package: "
        "`apt-get install -y chromium` (.ci/run does this); the browser test is part of the suite.",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: `pip install -e '.[dev]'` installs it.", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-tmp")
    proc, base = start_server(tmp, "--workers", "1")
    yield base, tmp
    out = stop_server(proc)
    assert "Traceback" not in out, out[-3000:]


def test_upload_report_click_and_download(browser, server, tmp_path):
    base, tmp = server
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.set_input_files("#files", str(SEED))
    assert "seed001.docx" in page.locator("#chosen-list").inner_text()
    page.click("#submit")

    # the progress page, then the report
    page.wait_for_selector("#findings-title", timeout=90_000)
    assert "/report/" in page.url
    assert page.locator("h1 .doc-name").inner_text() == "seed001.docx"
    findings = page.locator("li.finding")
    assert findings.count() >= 1
    assert "PC101" in page.locator("#findings").inner_text()

    # click a finding: the text pane scrolls to its excerpt, which is highlighted
    link = page.locator("a.flink[data-f]", has_text="PC101").first
    fid = link.get_attribute("data-f")
    link.click()
    mark = page.locator(f'mark[data-f~="{fid}"]').first
    page.wait_for_function("m => m.classList.contains('current')", arg=mark.element_handle(), timeout=5000)
    assert mark.inner_text().strip() == "VII."
    pane = page.locator(".text-pane").bounding_box()
    box = mark.bounding_box()
    assert pane["y"] <= box["y"] <= pane["y"] + pane["height"], (pane, box)
    assert page.evaluate("location.hash") == f"#x{fid}"

    # the keyboard reaches the same: focus a finding link, press Enter
    page.evaluate("window.scrollTo(0, 0)")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("m => m.classList.contains('current')", arg=mark.element_handle(), timeout=5000)

    shot = os.environ.get("PLANCHECK_SCREENSHOT")
    if shot:  # the README's picture: summary, findings and the highlighted excerpt together
        page.set_viewport_size({"width": 1366, "height": 900})
        page.locator(".findings-pane").evaluate("p => p.scrollTop = 0")
        mark.evaluate("m => m.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ROOT / shot))

    # download the annotated .docx and open it
    with page.expect_download() as dl:
        page.click("#dl-docx")
    target = tmp_path / dl.value.suggested_filename
    dl.value.save_as(target)
    assert target.name == "seed001.annotated.docx"
    import docx

    comments = [c.text for c in docx.Document(str(target)).comments]
    assert any("PC101" in c for c in comments), comments

    # English switch keeps the report
    page.click("a.lang")
    page.wait_for_selector("#findings-title")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#findings-title").inner_text().startswith("Findings")

    assert not errors, errors
    ctx.close()
    assert list(tmp.iterdir()) == []


def test_drop_several_files_with_an_unsupported_one(browser, server):
    """Drag and drop of several files: unsupported ones are listed and skipped, the others checked."""
    base, _ = server
    page = browser.new_page()
    page.goto(base + "/?lang=en")
    dropped = [
        {
            "name": "a.txt",
            "type": "text/plain",
            "body": (ROOT / "corpus/seeds/seed001.txt").read_text(encoding="utf-8"),
        },
        {
            "name": "b.txt",
            "type": "text/plain",
            "body": (ROOT / "corpus/seeds/seed004.txt").read_text(encoding="utf-8"),
        },
        {"name": "photo.png", "type": "image/png", "body": "not a plan"},
    ]
    transfer = page.evaluate_handle(
        """files => {
            const dt = new DataTransfer();
            for (const f of files) dt.items.add(new File([f.body], f.name, {type: f.type}));
            return dt;
        }""",
        dropped,
    )
    page.dispatch_event("#drop", "dragenter", {"dataTransfer": transfer})
    assert "over" in page.locator("#drop").get_attribute("class")
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_function("document.querySelectorAll('#chosen-list li').length === 2")
    assert "photo.png" in page.locator("#skipped-list").inner_text()
    page.click("#submit")
    page.wait_for_selector("table.overview", timeout=90_000)
    rows = page.locator("table.overview tbody tr")
    assert rows.count() == 2
    assert page.locator("#dl-xlsx").count() == 1  # several files: the batch spreadsheet is offered
    page.locator("table.overview a", has_text="b.txt").click()
    page.wait_for_selector("#findings-title")
    assert page.locator("h1 .doc-name").inner_text() == "b.txt"
    page.close()


def test_keyboard_reaches_the_file_picker(browser, server):
    base, _ = server
    page = browser.new_page()
    page.goto(base + "/")
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
        if seen[-1] == "files":
            break
    assert "files" in seen, seen
    outline = page.evaluate("getComputedStyle(document.querySelector('label[for=files]')).outlineStyle")
    assert outline != "none"
    page.close()
