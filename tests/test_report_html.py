"""--format html: one self-contained file, findings linked to highlighted excerpts, all text escaped."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


class _Collect(HTMLParser):
    """Elements by tag, ids, hrefs and the text of <mark> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.marks: list[str] = []
        self._in_mark = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._in_mark:
            self.marks[-1] += data


def _render(*args: str) -> str:
    res = CliRunner().invoke(main, ["check", *args, "--format", "html", "-j", "1"])
    assert res.exit_code in (0, 1), res.output
    return res.stdout


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_seed_report_is_self_contained_and_linked(fmt):
    path = str(SEEDS / f"seed003.{fmt}")
    html = _render(path)
    data = json.loads(CliRunner().invoke(main, ["check", path, "--format", "json"]).stdout)
    findings = data["documents"][0]["findings"]
    assert findings
    p = _Collect()
    p.feed(html)
    # self-contained: no scripts, no external stylesheets, images, fonts or links out
    assert "script" not in p.tags and "link" not in p.tags and "img" not in p.tags and not p.srcs
    assert all(h.startswith("#") for h in p.hrefs)
    assert "url(" not in html and "@import" not in html
    # every finding has an entry, every link points at an existing id
    for j in range(len(findings)):
        assert f"d0-f{j}" in p.ids
    for h in p.hrefs:
        assert h[1:] in p.ids, h
    # each excerpt is highlighted in the text and linked both ways
    for j, f in enumerate(findings):
        if f["excerpt"].strip():
            assert f"d0-m{j}" in p.ids and f"#d0-m{j}" in p.hrefs and f"#d0-f{j}" in p.hrefs
    marked = " ".join(p.marks)
    for f in findings:
        for word in f["excerpt"].split()[:3]:
            assert word in marked
    assert "PC103" in html


def test_batch_has_one_section_per_document_and_a_summary():
    html = _render(str(SEEDS))
    p = _Collect()
    p.feed(html)
    assert {f"d{i}" for i in range(15)} <= p.ids
    assert html.count('class="doc"') == 15
    assert "Số, ký hiệu" in html and "85/KH-UBND" in html


def test_document_text_is_escaped(tmp_path):
    plan = tmp_path / "xss.txt"
    plan.write_text(
        "KẾ HOẠCH\n\nThực hiện năm 2024 <script>alert('x')</script>\n\n"
        'I. MỤC ĐÍCH <img src=x onerror=alert(1)>\n\nNội dung & "trích" <b>đậm</b>.\n',
        encoding="utf-8",
    )
    html = _render(str(plan))
    p = _Collect()
    p.feed(html)
    assert "script" not in p.tags and "img" not in p.tags and "b" not in p.tags
    assert "&lt;script&gt;alert(" in html
    text = "".join(p.text)
    assert "<script>alert('x')</script>" in text and "<img src=x onerror=alert(1)>" in text


def test_findings_grouped_by_section_then_severity():
    html = _render(str(SEEDS / "seed002.txt"))
    assert "<h4>V. TỔ CHỨC THỰC HIỆN</h4>" in html
    # within a group, errors come before warnings
    for group in html.split('<div class="group">')[1:]:
        sevs = [s.split('"')[0] for s in group.split('<li class="finding sev-')[1:]]
        order = {"error": 0, "warning": 1, "info": 2}
        assert sevs == sorted(sevs, key=order.get)


def test_english_labels():
    html = _render(str(SEEDS / "seed001.txt"), "--lang", "en")
    assert 'lang="en"' in html and "Findings" in html and "Full text" in html
