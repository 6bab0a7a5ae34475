"""The web page on a phone (issue 17 item 8): headless Chromium at a phone's width. One
column that scrolls as a whole (no pane scrolling inside the page), nothing wider than
the screen, a finding's excerpt reached by a tap and a button back to the list.
Screenshots are written to the test's folder (PLANCHECK_PHONE_SCREENSHOTS=DIR keeps them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_server_browser import ARGS, _chromium
from test_server_load import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}

NESTED_SCROLLERS = """() => Array.from(document.querySelectorAll('body *')).filter(e => {
  const s = getComputedStyle(e);
  return /(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 2;
}).map(e => e.tagName + '.' + e.className)"""


@pytest.fixture(scope="module")
def phone():
    exe = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS, headless=True)
        ctx = b.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        yield ctx.new_page()
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("phone-tmp")
    proc, base = start_server(tmp, "--workers", "1")
    yield base
    out = stop_server(proc)
    assert "Traceback" not in out, out[-3000:]


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 40) <= PHONE["height"]


def test_report_on_a_phone(phone, server, tmp_path):
    page = phone
    shots = Path(os.environ.get("PLANCHECK_PHONE_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "phone-upload.png"))
    page.set_input_files("#files", [str(ROOT / "corpus/seeds/seed001.docx"), str(ROOT / "corpus/seeds/seed002.pdf")])
    page.click("#submit")
    page.wait_for_selector("a[href*='/report/'][href$='lang=vi'], #findings-title", timeout=90_000)
    page.screenshot(path=str(shots / "phone-overview.png"), full_page=True)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(NESTED_SCROLLERS) == []

    page.goto(page.url.split("?")[0] + "/0")
    page.wait_for_selector("#findings-title")
    page.screenshot(path=str(shots / "phone-report.png"))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(NESTED_SCROLLERS) == []  # one scroll: the page's
    back = page.locator("#to-list")
    assert back.is_visible()

    link = page.locator("a.flink[data-f]", has_text="PC101").first
    fid = link.get_attribute("data-f")
    link.tap()
    mark = page.locator(f'mark[data-f~="{fid}"]').first
    page.wait_for_function("m => m.classList.contains('current')", arg=mark.element_handle(), timeout=5000)
    page.wait_for_timeout(300)
    assert _in_view(page, mark), mark.bounding_box()
    assert not _in_view(page, page.locator(f"#f{fid}"))
    page.screenshot(path=str(shots / "phone-text.png"))
    # the way back: the button leads to the finding just read, in the list
    assert back.is_visible() and back.get_attribute("href") == f"#f{fid}"
    back.tap()
    page.wait_for_timeout(300)
    assert _in_view(page, page.locator(f"#f{fid}"))
    assert not errors, errors
