"""The command line as reviewers and CI users meet it (issue 17 items 3-5): outputs never
endanger inputs, ruff-like conventions, baseline wording."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck import __version__
from plancheck.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def run(*args: str, input: bytes | None = None, env: dict | None = None):
    r = CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "ho-so"
    d.mkdir()
    shutil.copy(SEEDS / "seed001.txt", d / "a.txt")
    shutil.copy(SEEDS / "seed002.txt", d / "b.txt")
    shutil.copy(SEEDS / "seed001.docx", d / "c.docx")
    return d


# ------------------------------------------------------------------ item 3: outputs and inputs


def test_output_onto_an_input_is_refused_and_the_input_kept(folder):
    before = (folder / "a.txt").read_bytes()
    code, out, err = run("check", str(folder), "-o", str(folder / "a.txt"))
    assert code == 2 and "là một tệp đầu vào" in err and "is one of the inputs" in err
    assert (folder / "a.txt").read_bytes() == before


def test_annotate_name_clashing_with_an_input_is_refused(folder):
    clash = folder / "a.txt.annotated.docx"
    shutil.copy(folder / "c.docx", clash)
    before = clash.read_bytes()
    code, out, err = run("check", str(folder / "a.txt"), str(clash), "--annotate", str(folder))
    assert code == 2 and "trùng tên tệp đầu vào" in err and "choose another folder" in err
    assert clash.read_bytes() == before


@pytest.mark.parametrize("where", ["missing-dir/r.json", "a-file/r.json"])
def test_unwritable_output_fails_before_the_run(folder, tmp_path, where):
    (tmp_path / "a-file").write_text("x")
    code, out, err = run("check", str(folder), "--format", "json", "-o", str(tmp_path / where))
    assert code == 2 and "Traceback" not in err and "-o " in err
    assert out == ""  # nothing was checked


def test_unwritable_annotate_folder_fails_before_the_run(folder, tmp_path):
    (tmp_path / "a-file").write_text("x")
    for target in (tmp_path / "a-file", tmp_path / "a-file" / "sub"):
        code, out, err = run("check", str(folder), "--annotate", str(target))
        assert code == 2 and "--annotate" in err and "Traceback" not in err


def test_folder_scan_skips_plancheck_outputs(folder):
    code, out, _ = run("check", str(folder), "--annotate", str(folder), "-o", str(folder / "bao-cao.txt"))
    assert code == 1 and out.startswith("3 văn bản:")
    run("check", str(folder), "--format", "concise", "--lang", "en", "-o", str(folder / "r.md"))
    assert {p.name for p in folder.iterdir()} >= {"a.txt.annotated.docx", "c.annotated.docx", "bao-cao.txt", "r.md"}
    code, out, _ = run("check", str(folder), "--format", "json")
    assert sorted(Path(d["path"]).name for d in json.loads(out)["documents"]) == ["a.txt", "b.txt", "c.docx"]


# ------------------------------------------------------------------ item 4: ruff-like conventions


def test_concise_format_one_line_a_finding_without_source(folder):
    code, out, _ = run("check", str(folder / "c.docx"), "--output-format", "concise")
    lines = out.splitlines()
    assert code == 1
    pat = re.compile(r"^.+c\.docx:\d+:\d+: PC\d{3} \[(lỗi|cảnh báo|lưu ý)\] \S")
    assert all(pat.match(x) for x in lines[:-1]), lines[:3]
    assert any(":124:1: PC101" in x for x in lines)  # paragraph 124 (SARIF's startLine)
    assert lines[-1].startswith("1 văn bản:")
    assert "«" not in out
    code, out2, _ = run("check", str(folder / "c.docx"), "--format", "concise", "--show-source")
    assert "    «VII.»" in out2.splitlines()
    code, out3, _ = run("check", str(folder / "c.docx"), "--no-show-source")
    assert "«" not in out3 and "PC101" in out3


def test_statistics_counts_per_rule(folder):
    code, out, _ = run("check", str(folder), "--statistics", "--format", "json")
    _, js, _ = run("check", str(folder), "--format", "json")
    findings = [f for d in json.loads(js)["documents"] for f in d["findings"]]
    rows = [x.split() for x in out.splitlines()[:-1]]
    assert {r[1]: int(r[0]) for r in rows} == {
        c: sum(f["code"] == c for f in findings) for c in {f["code"] for f in findings}
    }
    assert [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows), reverse=True)
    assert out.splitlines()[-1].startswith("3 văn bản:")


def test_quiet_prints_findings_only(folder):
    shutil.copy(SEEDS / "seed001.txt", folder / "a2.txt")
    code, out, _ = run("check", str(folder), "--quiet", "--format", "concise")
    assert code == 1 and out and all(": PC" in x for x in out.splitlines())
    code, out, _ = run("check", str(folder / "a.txt"), "-q", "-o", str(folder.parent / "r.json"), "--format", "json")
    assert out == "" and json.loads((folder.parent / "r.json").read_text("utf-8"))["documents"]


def test_summary_line_also_with_output_file(folder, tmp_path):
    code, out, _ = run("check", str(folder), "--format", "xlsx", "-o", str(tmp_path / "t.xlsx"))
    assert re.fullmatch(r"3 văn bản: \d+ lỗi, \d+ cảnh báo, \d+ lưu ý → .*t\.xlsx\n", out)


def test_no_color_force_color(folder):
    f = str(folder / "b.txt")
    assert "\x1b[" in run("check", f, env={"FORCE_COLOR": "1", "NO_COLOR": ""})[1]
    assert "\x1b[" not in run("check", f, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})[1]
    assert "\x1b[" not in run("check", f, env={"FORCE_COLOR": "", "NO_COLOR": ""})[1]  # not a terminal


def test_version():
    for flag in ("--version", "-V"):
        code, out, _ = run(flag)
        assert code == 0 and out.strip() == f"plancheck, version {__version__}"


def test_stdin_filename_names_the_document_and_uses_its_folders_config(folder):
    (folder / "plancheck.toml").write_text('ignore = ["PC8"]\n', encoding="utf-8")
    data = (folder / "c.docx").read_bytes()
    code, out, _ = run("check", "--stdin-filename", str(folder / "ke-hoach.docx"), "--format", "json", input=data)
    doc = json.loads(out)["documents"][0]
    assert doc["path"] == str(folder / "ke-hoach.docx") and doc["format"] == "docx"
    assert doc["findings"] and not any(f["code"].startswith("PC8") for f in doc["findings"])
    code, out, _ = run("check", "-", "--format", "json", input=(folder / "a.txt").read_bytes())
    assert json.loads(out)["documents"][0]["path"] == "-"


def test_jobs_must_be_at_least_one(folder):
    code, _, err = run("check", str(folder), "--jobs", "0")
    assert code == 2 and "--jobs" in err


def test_empty_folder_says_so(tmp_path):
    (tmp_path / "notes.xml").write_text("<x/>")
    code, out, err = run("check", str(tmp_path))
    assert code == 2 and "không có tệp nào để kiểm tra" in err and "no files to check" in err


def test_text_report_wraps_only_between_words(folder):
    from plancheck.engine import check
    from plancheck.report.text import render_text

    report = check([folder / "a.txt"])
    for width in (50, 80):
        out = render_text(report, width=width)
        words = {w for _, f in report.all_findings() for w in f.message.vi.split()}
        lines = out.splitlines()
        tokens = {t for line in lines for t in line.split()}
        assert words <= tokens  # every word of every message is whole on some line
        long = [x for x in lines if len(x) > width and len(x.split()) > 1 and not x.lstrip().startswith("«")]
        # a longer line only when one word cannot be broken (a path, a long quote)
        assert all(max(len(w) for w in x.split()) > width // 3 for x in long), long


def test_ctrl_c_exits_130_with_a_line(tmp_path):
    for i in range(600):  # long enough to be interrupted mid-batch even on a loaded machine
        shutil.copy(SEEDS / "seed001.txt", tmp_path / f"p{i:03}.txt")
    exe = Path(sys.executable).with_name("plancheck")
    for jobs in ("1", "2"):
        p = subprocess.Popen(
            [str(exe), "check", str(tmp_path), "--jobs", jobs, "--no-progress"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # the signal goes to plancheck and its workers, as Ctrl+C does
        )
        time.sleep(3)
        assert p.poll() is None
        os.killpg(p.pid, signal.SIGINT)
        err = p.communicate(timeout=60)[1]
        assert p.returncode == 130, err
        assert "đã dừng (Ctrl+C) / interrupted" in err and "Traceback" not in err


# ------------------------------------------------------------------ item 5: baseline wording


def test_baseline_with_open_findings_says_no_new_findings(tmp_path):
    plan = tmp_path / "ke-hoach.txt"
    shutil.copy(SEEDS / "seed002.txt", plan)
    base = tmp_path / "lan-1.json"
    run("check", str(plan), "--format", "json", "-o", str(base))
    n = len(json.loads(base.read_text("utf-8"))["documents"][0]["findings"])
    code, out, _ = run("check", str(plan), "--baseline", str(base))
    assert "không có phát hiện mới" in out and "0 lỗi" in out
    assert f"còn {n} chưa sửa" in out.splitlines()[-1]
    assert "không có phát hiện\n" not in out
    code, out, _ = run("check", str(plan), "--baseline", str(base), "--lang", "en")
    assert "no new findings" in out and f"still open {n}" in out.splitlines()[-1]


def test_a_write_that_fails_after_the_run_is_a_message_not_a_traceback(folder, tmp_path, monkeypatch):
    import plancheck.cli as cli
    import plancheck.report.docx as rdocx

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "_write_report", full)
    code, out, err = run("check", str(folder / "a.txt"), "-o", str(tmp_path / "r.json"), "--format", "json")
    assert code == 2 and "cannot write (No space left on device)" in err and "Traceback" not in err
    monkeypatch.setattr(rdocx, "annotate_all", full)
    code, out, err = run("check", str(folder / "a.txt"), "--annotate", str(tmp_path / "o"))
    assert code == 2 and "--annotate" in err and "No space left on device" in err
