"""Legacy word-processor files (.doc, .odt, .rtf) read through LibreOffice.

`.ci/run` installs LibreOffice (Debian's `libreoffice-writer-nogui`); without it these
tests fail and say so (they are never skipped)."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest

from plancheck.engine import Options, check_path
from plancheck.readers import Limits, ReadError, convert, read_bytes, read_path

DATA = Path(__file__).parent / "data"
REAL = DATA / "realoffice"


@pytest.fixture(scope="module", autouse=True)
def _libreoffice():
    if convert.find_soffice() is None:
        pytest.fail(
            "LibreOffice (soffice) not found. Install Debian's package: "
            "`apt-get install -y libreoffice-writer-nogui` (.ci/run does this); the .doc tests are part of the suite."
        )


def texts(res) -> list[str]:
    return [res.text[b.span.start : b.span.end] for b in res.blocks]


@pytest.fixture(scope="module")
def decision():
    return read_path(REAL / "quyet-dinh-be13cd7a3d.doc")


def test_real_doc_is_read_with_paragraph_locations(decision):
    res = decision
    assert res.fmt == "doc"
    t = texts(res)
    assert "QUYẾT ĐỊNH" in t
    i = t.index("QUYẾT ĐỊNH")
    loc = res.sourcemap.locate(res.blocks[i].span)
    assert loc.paragraph is not None and loc.paragraph > 1 and loc.column == 1
    assert any(x.startswith("Căn cứ Nghị định số 126/2024/NĐ-CP ngày 08 tháng 10 năm 2024") for x in t)


def test_real_doc_checked_end_to_end_has_no_pc001():
    dr = check_path(REAL / "quyet-dinh-be13cd7a3d.doc", Options())
    assert dr.error is None and dr.format == "doc"
    assert not [f for f in dr.findings if f.code == "PC001"]
    assert all(f.location.paragraph for f in dr.findings if f.excerpt)


def test_real_doc_table_is_a_table():
    res = read_path(REAL / "khac-edce36c934.doc")
    assert res.tables, "the annex table of the .doc is read as a table"
    t = res.tables[0]
    head = [res.text[res.blocks[c].span.start : res.blocks[c].span.end] for c in t.rows[0]]
    assert head[:2] == ["Thứ hạng", "Đơn vị"]
    assert len(t.rows) > 20


def test_doc_named_docx_is_read_as_doc(tmp_path):
    f = tmp_path / "ke-hoach.docx"
    f.write_bytes((REAL / "quyet-dinh-be13cd7a3d.doc").read_bytes())
    assert "QUYẾT ĐỊNH" in texts(read_path(f))


def test_odt_with_numbering():
    res = read_path(DATA / "numbered.odt")
    assert res.fmt == "odt"
    assert texts(res) == [
        "KẾ HOẠCH",
        "Thực hiện Chương trình năm 2024",
        "I. MỤC TIÊU",
        "1. Mục tiêu chung",
        "II. NHIỆM VỤ",
    ]


def test_rtf():
    rtf = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}"
        rb"\pard\qc\b K\u7870? HO\u7840?CH\b0\par"
        rb"\pard Th\u7921?c hi\u7879?n Ch\u432?\u417?ng tr\u236?nh n\u259?m 2024\par}"
    )
    res = read_bytes(rtf, "plan.rtf")
    assert res.fmt == "rtf"
    assert texts(res) == ["KẾ HOẠCH", "Thực hiện Chương trình năm 2024"]
    assert res.blocks[0].bold


def _leftovers() -> set[str]:
    return {p for p in os.listdir(tempfile.gettempdir()) if p.startswith("plancheck-lo-")}


def test_missing_libreoffice_says_how_to_install(monkeypatch):
    monkeypatch.setenv("PLANCHECK_SOFFICE", "/nonexistent/soffice")
    dr = check_path(REAL / "quyet-dinh-be13cd7a3d.doc", Options())
    (f,) = dr.findings
    assert f.code == "PC001" and dr.error == "no_converter"
    for lang in ("vi", "en"):
        msg = f.message.get(lang)
        assert "apt-get install libreoffice-writer" in msg
        assert "Windows" in msg and "winget install TheDocumentFoundation.LibreOffice" in msg
        assert "macOS" in msg and "brew install --cask libreoffice" in msg


@pytest.mark.skipif(os.name != "posix", reason="the stand-in converter is a shell script")
def test_timeout_kills_the_converter_and_removes_its_folder(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    pidfile = tmp_path / "pid"
    fake.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PLANCHECK_SOFFICE", str(fake))
    private_tmp = tmp_path / "tmp"  # this test's own temp root: other processes' conversions do not count
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    before = _leftovers()
    t0 = time.monotonic()
    with pytest.raises(ReadError) as exc:
        read_bytes((REAL / "quyet-dinh-be13cd7a3d.doc").read_bytes(), "x.doc", Limits(seconds_per_file=3))
    assert exc.value.reason == "timeout"
    assert time.monotonic() - t0 < 25  # 3 s and the kill, however loaded the machine
    assert _leftovers() <= before
    if pidfile.exists():  # on a loaded machine the stand-in may be killed before it wrote its pid
        pid = int(pidfile.read_text())
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_find_soffice_looks_in_standard_install_paths(monkeypatch):
    monkeypatch.delenv("PLANCHECK_SOFFICE", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    mac = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
    win = r"C:\Program Files\LibreOffice\program\soffice.exe"
    for target in (mac, win):
        monkeypatch.setattr(convert.Path, "is_file", lambda self, t=target: str(self) == t)
        assert convert.find_soffice() == target
