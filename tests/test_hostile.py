"""Hostile input (issue 16): bounded memory and time, one PC001 with the right reason,
and the rest of the batch reported.

The files come from ``tests/hostile_corpus.py`` (built once per module in a temporary
folder, well under a second). They are checked in ONE ``plancheck check`` batch with
two workers, in a child process under an address-space ceiling (so a regression
cannot endanger the machine) with a per-file ceiling of 300 MB set in ``[limits]``:
its peak RSS (largest process) and wall time are bounded, and each file's answer is
asserted per class.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import hostile_corpus
import pytest
from click.testing import CliRunner

from plancheck import engine
from plancheck.engine import Options, check
from plancheck.readers import Limits

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
CEILING_MB = 300  # [limits] max_memory_mb of the batch
OUTER_AS = 2 << 30  # address space of the whole child process tree, each process
PEAK_RSS_MB = 480  # largest process of the batch
WALL_S = 90  # whole batch on a loaded 2-core machine (about 15 s alone)

# class -> (PC001 reason, words the message must hold) or None: read and checked
EXPECTED = {
    "combining.txt": None,
    "pipes.md": None,
    "long-token.txt": None,
    "citations.txt": None,
    "gridspan.docx": None,
    "pdf-paths.pdf": None,
    "single-line.txt": ("out_of_memory", "300 MB"),
    "zip-lie.docx": ("zip_bomb", "declared 1024 bytes"),
    "empty-zip.docx": ("corrupt", "empty zip"),
    "two-documents.docx": ("corrupt", "two entries named word/document.xml"),
    "no-body.docx": ("corrupt", "w:body"),
    "pdf-inflate.pdf": ("stream_bomb", "inflates to over"),
}
NORMAL = ("seed001.txt", "seed002.docx", "seed003.pdf")

_WRAPPER = """
import json, resource, subprocess, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({outer}, {outer}))
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(json.dumps({{"rc": p.returncode, "wall": wall, "rss_mb": rss / 1024,
                             "out": p.stdout.decode("utf-8", "replace"), "err": p.stderr.decode("utf-8", "replace")}}))
"""


def run_bounded(argv: list[str], cwd: Path, outer: int = OUTER_AS, timeout: float = 300) -> dict:
    """Run ``argv`` in a child under an address-space ceiling; exit code, wall time,
    peak RSS (largest process of its tree), stdout, stderr."""
    p = subprocess.run(
        [sys.executable, "-c", _WRAPPER.format(outer=outer), *argv],
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
    )
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    return json.loads(p.stdout)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    files = hostile_corpus.build(folder / "files")
    for name in NORMAL:
        (folder / "files" / name).write_bytes((SEEDS / name).read_bytes())
    (folder / "plancheck.toml").write_text(f"[limits]\nmax_memory_mb = {CEILING_MB}\nseconds_per_file = 30\n")
    argv = [sys.executable, "-m", "plancheck.cli", "check", "--format", "json", "-j", "2", "--no-progress"]
    argv += ["--config", "plancheck.toml", *sorted(str(p.relative_to(folder)) for p in (folder / "files").iterdir())]
    res = run_bounded(argv, folder)
    assert res["out"], res["err"][-3000:]
    res["report"] = json.loads(res["out"])
    res["docs"] = {Path(d["path"]).name: d for d in res["report"]["documents"]}
    res["files"] = files
    return res


def test_batch_bounded_and_complete(batch):
    assert batch["rc"] == 1, batch["err"][-2000:]  # findings found: not a crash
    assert "Traceback" not in batch["err"]
    assert sorted(batch["docs"]) == sorted([*EXPECTED, *NORMAL])
    assert batch["rss_mb"] < PEAK_RSS_MB, f"peak RSS {batch['rss_mb']:.0f} MB"
    assert batch["wall"] < WALL_S, f"{batch['wall']:.1f} s"


@pytest.mark.parametrize("name", NORMAL)
def test_rest_of_batch_reported(batch, name):
    doc = batch["docs"][name]
    assert not any(f["code"] == "PC001" for f in doc["findings"])
    assert len(doc["findings"]) >= 5


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_class(batch, name):
    doc = batch["docs"][name]
    pc001 = [f for f in doc["findings"] if f["code"] == "PC001"]
    want = EXPECTED[name]
    if want is None:
        assert pc001 == [], pc001
        assert doc["findings"], "read and checked"
        return
    reason, words = want
    assert len(pc001) == 1 and len(doc["findings"]) == 1, doc["findings"]
    assert doc["metadata"].get("error") == reason, doc["metadata"]
    msg = pc001[0]["message"] + " " + pc001[0].get("message_en", "")
    assert words in msg, msg


# --------------------------------------------------------------------------- dead workers


def _killing_check_path(path, *args, **kwargs):
    """A stand-in inherited by forked workers: the file named kill-me kills its worker."""
    if Path(path).name == "kill-me.txt":
        os.kill(os.getpid(), signal.SIGKILL)
    return _ORIGINAL(path, *args, **kwargs)


_ORIGINAL = engine.check_path


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers inherit the stand-in through fork")
def test_killed_worker_costs_only_its_file(tmp_path, monkeypatch):
    names = ["a.txt", "b.txt", "kill-me.txt", "c.txt", "d.txt", "e.txt"]
    for n in names:
        (tmp_path / n).write_bytes((SEEDS / "seed001.txt").read_bytes())
    monkeypatch.setattr(engine, "check_path", _killing_check_path)
    t = time.perf_counter()
    report = check([tmp_path / n for n in names], Options(), jobs=2, views=False)
    assert time.perf_counter() - t < 60
    by = {Path(d.path).name: d for d in report.documents}
    assert [Path(d.path).name for d in report.documents] == names  # input order kept
    dead = by["kill-me.txt"]
    assert dead.error == "worker_crashed" and len(dead.findings) == 1
    assert "SIGKILL" in dead.findings[0].message.en
    for n in names:
        if n != "kill-me.txt":
            assert by[n].error is None and len(by[n].findings) >= 5, n


def test_stuck_worker_is_killed(tmp_path, monkeypatch):
    """A worker that never returns (stuck in C code: no SIGALRM) is killed after the
    file's limit plus a grace; the file gets PC001 timeout, the others are reported."""

    def stuck(path, *args, **kwargs):
        if Path(path).name == "stuck.txt":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)
        return _ORIGINAL(path, *args, **kwargs)

    names = ["a.txt", "stuck.txt", "b.txt"]
    for n in names:
        (tmp_path / n).write_bytes((SEEDS / "seed001.txt").read_bytes())
    monkeypatch.setattr(engine, "check_path", stuck)
    monkeypatch.setattr(engine, "KILL_GRACE_SECONDS", 1.0)
    t = time.perf_counter()
    report = check([tmp_path / n for n in names], Options(limits=Limits(seconds_per_file=6)), jobs=2, views=False)
    assert time.perf_counter() - t < 30
    by = {Path(d.path).name: d for d in report.documents}
    assert by["stuck.txt"].error == "timeout"
    assert by["a.txt"].error is None and by["b.txt"].error is None


def test_tool_crash_has_its_own_exit_code(tmp_path, monkeypatch):
    """A failure of plancheck itself exits 3, never 1 ("findings found") nor 2 (usage)."""
    from plancheck import cli

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(engine, "check", boom)
    f = tmp_path / "a.txt"
    f.write_bytes((SEEDS / "seed001.txt").read_bytes())
    res = CliRunner().invoke(cli.main, ["check", "--no-config", str(f)])
    assert res.exit_code == cli.EXIT_CRASH == 3


def test_memory_ceiling_in_process():
    """With one job the ceiling applies in the process itself and is lifted afterwards."""
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError):
        with engine.memory_limit(64):
            bytearray(256 << 20)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    bytearray(256 << 20)  # allowed again


# --------------------------------------------------------------------------- file names


@pytest.mark.skipif(sys.platform != "linux", reason="a file name that is not UTF-8 needs a byte-named file system")
@pytest.mark.parametrize("fmt", ["text", "concise", "json", "html", "csv", "xlsx", "sarif"])
def test_file_names_escaped_in_every_writer(tmp_path, fmt):
    """A name that is not UTF-8 (zip archives made on Windows) and one with an escape
    sequence: every writer finishes, shows both escaped, and no control byte is written."""
    from plancheck import cli

    folder = tmp_path / "in"
    folder.mkdir()
    plan = (SEEDS / "seed001.txt").read_bytes()
    for raw in (b"k\xe9-hoach.txt", b"red\x1b[31m-\xe2\x80\xae-plan.txt"):
        with open(os.fsencode(folder) + b"/" + raw, "wb") as fh:
            fh.write(plan)
    out = tmp_path / f"report.{fmt}"
    res = CliRunner().invoke(
        cli.main, ["check", "--no-config", "--format", fmt, "-o", str(out), "-j", "1", str(folder)]
    )
    assert res.exit_code == 1, res.output + repr(res.exception)
    data = out.read_bytes()
    if fmt == "xlsx":
        import zipfile

        with zipfile.ZipFile(out) as z:
            data = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    assert b"\x1b" not in data and "\u202e".encode() not in data
    if fmt == "sarif":
        assert b"k%E9-hoach.txt" in data and b"red%1B%5B31m" in data
    else:
        text = data.decode("utf-8")
        if fmt == "json":
            text = " ".join(d["path"] for d in json.loads(text)["documents"])
        assert "k\\xe9-hoach.txt" in text and "red\\x1b[31m-\\u202e-plan.txt" in text


# --------------------------------------------------------------------------- text decoding


@pytest.mark.parametrize(
    "encode,problem",
    [
        (lambda t: t.encode("utf-16-be"), "UTF-16 (không có BOM)"),
        (lambda t: t.encode("utf-16-le"), "UTF-16 (không có BOM)"),
        (lambda t: t.encode("utf-32-le"), "UTF-32 (không có BOM)"),
        (lambda t: t.encode("utf-32-be"), "UTF-32 (không có BOM)"),
        (lambda t: t.encode("utf-32"), None),
        (lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be"), None),
    ],
)
def test_wide_encodings_decoded(encode, problem):
    from plancheck.readers import read_bytes

    res = read_bytes(encode(hostile_corpus.PLAN), "ke-hoach.txt")
    assert res.text.startswith("ỦY BAN NHÂN DÂN") and "Nâng cao đời sống" in res.text
    assert [p.get("encoding") for c, p in res.issues if c == "PC002"] == ([problem] if problem else [])


def test_stray_byte_costs_only_its_line(tmp_path):
    """One Windows byte in a UTF-8 plan: the other lines stay right, PC002 names the line,
    and the findings are those of the clean plan plus that PC002."""
    clean = tmp_path / "clean.txt"
    clean.write_bytes((SEEDS / "seed001.txt").read_bytes())
    text = clean.read_text("utf-8")
    i = text.index(" của ", 2000)  # a space inside a sentence past the header
    line_no = text.count("\n", 0, i) + 1
    dirty = tmp_path / "dirty.txt"
    dirty.write_bytes(text[:i].encode() + b"\xa0" + text[i + 1 :].encode())  # a Windows no-break space
    a = engine.check_path(clean, Options(), view=False)
    b = engine.check_path(dirty, Options(), view=False)
    pc002 = [f for f in b.findings if f.code == "PC002"]
    assert len(pc002) == 1 and f"dòng {line_no}" in pc002[0].message.vi
    assert {f.code for f in a.findings} == {f.code for f in b.findings if f.code != "PC002"}
    assert len(b.findings) - len(pc002) == len(a.findings)


# --------------------------------------------------------------------------- folders and paths


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and Unix sockets are POSIX")
def test_folder_special_entries_reported(tmp_path, monkeypatch):
    """Dangling and looping symlinks, a FIFO, a socket and a sub-folder that cannot be
    read each get one PC001 saying what they are; the plans beside them are checked."""
    import socket

    d = tmp_path / "ho-so"
    (d / "sub").mkdir(parents=True)
    (d / "locked").mkdir()
    (d / "ke-hoach.txt").write_bytes((SEEDS / "seed001.txt").read_bytes())
    (d / "sub" / "ke-hoach-2.txt").write_bytes((SEEDS / "seed002.txt").read_bytes())
    (d / "locked" / "hidden.txt").write_bytes((SEEDS / "seed003.txt").read_bytes())
    os.symlink("nowhere.txt", d / "dangling.txt")
    os.symlink("loop.txt", d / "loop.txt")
    os.mkfifo(d / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(d)  # a short socket path
    sock.bind("sock.txt")
    real_scandir = os.scandir

    def scandir(path="."):  # root can read any folder: refuse this one as a user's system would
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(engine.os, "scandir", scandir)
    monkeypatch.setattr("plancheck.readers.os.scandir", scandir)
    try:
        t = time.perf_counter()
        report = check([d], Options(), jobs=1, views=False)
        assert time.perf_counter() - t < 60
    finally:
        sock.close()
    by = {Path(x.path).relative_to(d).as_posix(): x for x in report.documents}
    want = {
        "dangling.txt": "symbolic link to nothing",
        "loop.txt": "symbolic links",
        "pipe.txt": "not a regular file (a FIFO)",
        "sock.txt": "not a regular file (a socket)",
        "locked": "a folder that cannot be read",
    }
    assert sorted(by) == sorted([*want, "ke-hoach.txt", "sub/ke-hoach-2.txt"])
    for name, words in want.items():
        assert by[name].error == "unreadable" and len(by[name].findings) == 1, name
        assert words in by[name].findings[0].message.en, by[name].findings[0].message.en
    assert by["ke-hoach.txt"].error is None and by["sub/ke-hoach-2.txt"].error is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifo_and_missing_path_on_the_command_line(tmp_path):
    """A FIFO named on the command line does not block (no writer ever comes); a missing
    path among several is reported and the others are checked."""
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "a.txt").write_bytes((SEEDS / "seed001.txt").read_bytes())
    argv = [sys.executable, "-m", "plancheck.cli", "check", "--no-config", "--format", "json", "-j", "1"]
    t = time.perf_counter()
    p = subprocess.run([*argv, "fifo.txt", "missing.txt", "a.txt"], cwd=tmp_path, capture_output=True, timeout=120)
    assert time.perf_counter() - t < 60
    assert p.returncode == 1, p.stderr.decode()[-2000:]
    docs = {d["path"]: d for d in json.loads(p.stdout)["documents"]}
    assert list(docs) == ["fifo.txt", "missing.txt", "a.txt"]
    assert docs["fifo.txt"]["error"] == "unreadable" and docs["missing.txt"]["error"] == "unreadable"
    assert docs["a.txt"]["error"] is None and len(docs["a.txt"]["findings"]) >= 5
    assert b"missing.txt" in p.stderr
    # every path missing: a usage error, as before
    p = subprocess.run([*argv, "missing.txt"], cwd=tmp_path, capture_output=True, timeout=120)
    assert p.returncode == 2


# TCVN3 (ABC, .VnTime) code points of the lower-case Vietnamese letters
_TCVN3 = dict(
    zip(
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ",
        strict=True,
    )
)


def test_tcvn3_text_file_is_named(tmp_path):
    """A .txt typed with a TCVN3 font (8-bit) is read, and PC002 says it is TCVN3/VNI."""
    f = tmp_path / "ke-hoach-tcvn3.txt"
    f.write_bytes("".join(_TCVN3.get(c, c) for c in (hostile_corpus.PLAN * 3).lower()).encode("latin-1"))
    dr = engine.check_path(f, Options(), view=False)
    assert dr.error is None
    assert any(x.code == "PC002" and "TCVN3" in x.message.en for x in dr.findings)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="worker processes found through /proc")
def test_kill_9_of_a_worker_from_outside(tmp_path):
    """``kill -9`` of a pool worker while ``plancheck check`` runs: exit code 1 (findings),
    every file in the report, at most the file in flight answered PC001 worker_crashed."""
    n = 40
    for i in range(n):
        (tmp_path / f"p{i:02}.txt").write_bytes((SEEDS / "seed001.txt").read_bytes())
    argv = [sys.executable, "-m", "plancheck.cli", "check", "--no-config", "--format", "json", "-j", "2", str(tmp_path)]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    victim = None
    deadline = time.time() + 60
    while victim is None and time.time() < deadline and p.poll() is None:
        time.sleep(0.2)
        try:
            kids = Path(f"/proc/{p.pid}/task/{p.pid}/children").read_text().split()
        except OSError:
            kids = []
        if kids:
            time.sleep(1.0)  # let it get some files done
            victim = int(kids[0])
            os.kill(victim, signal.SIGKILL)
    out, err = p.communicate(timeout=180)
    assert victim is not None, "no worker seen"
    assert p.returncode == 1, err.decode()[-2000:]
    docs = json.loads(out)["documents"]
    assert len(docs) == n
    crashed = [d for d in docs if d["error"]]
    assert len(crashed) <= 1 and all(d["error"] == "worker_crashed" for d in crashed)
    assert sum(1 for d in docs if d["error"] is None and len(d["findings"]) >= 5) >= n - 1
