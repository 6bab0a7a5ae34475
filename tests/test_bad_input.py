"""Malformed input: every file gets one PC001 in plain words, or a real report; the batch goes on.

The malformed corpus is generated in a temporary folder once per session (the 50 MB
file too) and checked in one CLI batch (a subprocess, ``--format json``): no
traceback, every file answered exactly once, exit code as ``--fail-on`` says,
inputs byte-identical afterwards, peak memory bounded.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from plancheck.engine import check_path
from plancheck.evaluate import reader_available
from plancheck.inject import cp1258
from plancheck.readers import Limits, ReadError, read_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
PLANCHECK = [sys.executable, "-m", "plancheck.cli"]

PLAN_TEXT = """ỦY BAN NHÂN DÂN XÃ THỊNH ĐỨC

KẾ HOẠCH

Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024

I. MỤC ĐÍCH, YÊU CẦU

Nâng cao đời sống của người nghèo, hộ nghèo trên địa bàn xã.

II. MỤC TIÊU

Giảm tỷ lệ hộ nghèo đa chiều từ 1 đến 1,5%.

III. NHIỆM VỤ, GIẢI PHÁP

Tuyên truyền, hỗ trợ sinh kế, đào tạo nghề cho người lao động.

IV. KINH PHÍ THỰC HIỆN

Ngân sách nhà nước và nguồn vốn lồng ghép.

V. TỔ CHỨC THỰC HIỆN

Ủy ban nhân dân xã chủ trì, phối hợp với các đoàn thể tổ chức thực hiện.
"""

# file name -> (expected PC001 reason, or None for a real report; content format whose reader decides)
EXPECTED: dict[str, tuple[str | None, str]] = {
    "empty.txt": ("empty", "txt"),
    "empty.docx": ("empty", "docx"),
    "empty.pdf": ("empty", "pdf"),
    "blank-lines.txt": ("empty", "txt"),
    "random.txt": ("binary", "txt"),
    "random.docx": ("binary", "docx"),
    "random.pdf": ("binary", "pdf"),
    "truncated.docx": ("corrupt", "docx"),
    "zip-bomb.docx": ("zip_bomb", "docx"),
    "not-word.docx": ("not_docx", "docx"),
    "encrypted.pdf": ("encrypted", "pdf"),
    "image-only.pdf": ("scanned", "pdf"),
    "truncated.pdf": ("corrupt", "pdf"),
    "nested-tables.docx": ("any", "docx"),  # a report, or PC001 corrupt (nesting too deep)
    "huge.txt": ("too_large", "txt"),
    "windows-1258.txt": (None, "txt"),
    "utf-16.txt": (None, "txt"),
    "utf-16-nobom.txt": (None, "txt"),
    "nul-bytes.txt": (None, "txt"),
    "docx-named.txt": (None, "docx"),
    "text-named.docx": (None, "txt"),
    "pdf-named.docx": (None, "pdf"),
    "legacy.doc": ("corrupt", "doc"),  # an OLE2 file without a Word document stream
    "legacy.odt": ("corrupt", "odt"),  # an .odt without content: LibreOffice cannot convert it
    "loop/plan.txt": (None, "txt"),
    "loop/self": ("unreadable", "?"),  # a symlink to itself: reported (issue 16), not followed
}
NON_PLAN_CODES = ("PC4", "PC5", "PC104")


# ---------------------------------------------------------------- generators


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _zip_bomb(path: Path, size: int = 64 * 1024 * 1024) -> None:
    """A .docx whose document.xml inflates to 64 MB from ~64 KB (ratio ~1000)."""
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes(["x"])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                fh.write(chunk)


def _nested_tables_docx(depth: int = 60) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    for i in range(depth):
        cell.paragraphs[0].text = f"Mức {i}"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(path: Path, *, text: bool = True, encrypt: str | None = None) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    if text:
        c.setFont("Helvetica", 12)
        for i, line in enumerate(["KE HOACH", "I. MUC DICH", "Noi dung"]):
            c.drawString(72, 760 - 20 * i, line)
    else:  # a "scan": only drawn shapes, no text layer
        for i in range(40):
            c.rect(60 + i * 10, 400 + (i % 7) * 20, 8, 15, fill=1)
    c.showPage()
    c.save()


def _odt_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


@pytest.fixture(scope="session")
def huge_txt(tmp_path_factory) -> Path:
    """A 50 MB text file, made once per session (sparse-free, written in 1 MB chunks)."""
    p = tmp_path_factory.mktemp("huge") / "huge.txt"
    line = ("Nội dung kế hoạch giảm nghèo bền vững. " * 25 + "\n").encode("utf-8")
    chunk = line * (1024 * 1024 // len(line) + 1)
    with open(p, "wb") as fh:
        written = 0
        while written < 50 * 1024 * 1024:
            fh.write(chunk)
            written += len(chunk)
    return p


@pytest.fixture(scope="session")
def bad_corpus(tmp_path_factory, huge_txt) -> Path:
    d = tmp_path_factory.mktemp("bad")
    rnd = random.Random(4)
    w = lambda name, data: (d / name).write_bytes(data)  # noqa: E731
    w("empty.txt", b"")
    w("empty.docx", b"")
    w("empty.pdf", b"")
    w("blank-lines.txt", b"\n\n   \r\n\t\n")
    w("random.txt", bytes(rnd.randrange(256) for _ in range(4096)))
    w("random.docx", bytes(rnd.randrange(256) for _ in range(4096)))
    w("random.pdf", bytes(rnd.randrange(256) for _ in range(4096)))
    seed_docx = (SEEDS / "seed001.docx").read_bytes()
    w("truncated.docx", seed_docx[: len(seed_docx) // 2])
    _zip_bomb(d / "zip-bomb.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    w("not-word.docx", buf.getvalue())
    _pdf(d / "encrypted.pdf", encrypt="mat-khau")
    _pdf(d / "image-only.pdf", text=False)
    seed_pdf = (SEEDS / "seed000.pdf").read_bytes()
    w("truncated.pdf", seed_pdf[:2000])
    w("nested-tables.docx", _nested_tables_docx())
    os.link(huge_txt, d / "huge.txt") if huge_txt.stat().st_dev == d.stat().st_dev else w(
        "huge.txt", huge_txt.read_bytes()
    )
    w("windows-1258.txt", cp1258(PLAN_TEXT))
    w("utf-16.txt", PLAN_TEXT.encode("utf-16"))
    w("utf-16-nobom.txt", PLAN_TEXT.encode("utf-16-le"))
    w("nul-bytes.txt", PLAN_TEXT.replace("Nâng cao", "Nâng\x00cao").replace("II.", "II.\x00").encode("utf-8"))
    w("docx-named.txt", seed_docx)
    w("text-named.docx", PLAN_TEXT.encode("utf-8"))
    w("pdf-named.docx", seed_pdf)
    w("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rnd.randrange(256) for _ in range(2048)))
    w("legacy.odt", _odt_bytes())
    (d / "loop").mkdir()
    (d / "loop" / "plan.txt").write_text(PLAN_TEXT, encoding="utf-8")
    os.symlink("..", d / "loop" / "parent")  # a cycle: loop/parent/loop/parent/...
    os.symlink("self", d / "loop" / "self")  # a looping self-reference: one PC001
    return d


def _hashes(d: Path) -> dict[str, str]:
    out = {}
    for p in sorted(d.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(d))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _run_batch(d: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run(
        [*PLANCHECK, "check", "--format", "json", "--no-config", *args, str(d)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=str(d),
    )
    data = json.loads(p.stdout) if p.stdout.strip().startswith("{") else {}
    return p, data


def _reader_ok(fmt: str) -> bool:
    return fmt not in ("docx", "pdf") or reader_available(fmt)


# ---------------------------------------------------------------- the batch


@pytest.fixture(scope="session")
def batch(bad_corpus):
    before = _hashes(bad_corpus)
    p_vi, vi = _run_batch(bad_corpus)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p_en, en = _run_batch(bad_corpus, "--lang", "en", "--jobs", "1", "--fail-on", "never")
    after = _hashes(bad_corpus)
    return {"vi": (p_vi, vi), "en": (p_en, en), "before": before, "after": after, "peak_kb": peak_kb}


def _by_name(data: dict, root: Path) -> dict[str, dict]:
    out = {}
    for doc in data["documents"]:
        p = Path(doc["path"])
        p = p if p.is_absolute() else root / p
        out[str(p.relative_to(root))] = doc
    return out


def test_batch_completes_without_traceback(batch, bad_corpus):
    for lang in ("vi", "en"):
        p, data = batch[lang]
        assert "Traceback" not in p.stderr, p.stderr[-2000:]
        assert data, f"no JSON report ({lang}): rc={p.returncode} {p.stderr[-500:]}"
        assert data["schema"] == "plancheck/report@1"
        names = _by_name(data, bad_corpus)
        assert sorted(names) == sorted(EXPECTED), "each file answered exactly once (symlink loop not followed)"
        assert len(data["documents"]) == len(EXPECTED)


def test_exit_code_follows_fail_on(batch):
    assert batch["vi"][0].returncode == 1  # --fail-on error (default): PC001 is an error
    assert batch["en"][0].returncode == 0  # --fail-on never


def test_inputs_unchanged(batch):
    assert batch["before"] == batch["after"]


def test_memory_bounded(batch):
    # ru_maxrss of the largest child (kB on Linux): the 50 MB file and the 64 MB zip bomb
    # are refused before being read or inflated, so no child comes near their size.
    assert batch["peak_kb"] < 400 * 1024, f"peak RSS {batch['peak_kb'] // 1024} MB"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_answer(name, batch, bad_corpus):
    reason, content = EXPECTED[name]
    doc = _by_name(batch["vi"][1], bad_corpus)[name]
    doc_en = _by_name(batch["en"][1], bad_corpus)[name]
    codes = [f["code"] for f in doc["findings"]]
    if not _reader_ok(content):
        pytest.skip(f"plancheck.readers.{content} does not exist yet")
    assert doc["error"] != "internal", doc["findings"]
    if reason is None:
        assert doc["error"] is None, f"{name}: PC001 {doc['error']}: {doc['findings']}"
        assert "PC001" not in codes
        assert doc["metadata"].get("title") or doc["metadata"].get("doc_type"), f"{name}: no title found"
    elif reason == "any":
        assert doc["error"] in (None, "corrupt"), doc["findings"]
    else:
        assert doc["error"] == reason, f"{name}: {doc['error']} != {reason}: {doc['findings']}"
        assert codes == ["PC001"], "a file that cannot be read gets exactly one finding"
    if doc["error"]:
        f, fe = doc["findings"][0], doc_en["findings"][0]
        assert f["severity"] == "error"
        assert "{" not in f["message"] and "{" not in fe["message"], "unfilled placeholder"
        assert f["message"] != fe["message"] and f["message"] == f["message_vi"] and fe["message"] == fe["message_en"]
        assert any(ch in f["message"] for ch in "ăâđêôơưệệợ"), f"not Vietnamese: {f['message']}"
        assert "Error" not in f["message"] and "Traceback" not in f["message"]


ENGLISH = re.compile(
    r"\b(?:the|is|not|file|failed|error|document|format|data|invalid|nested|entries|bytes|page)\b", re.I
)


def test_messages_plain_vietnamese(batch, bad_corpus):
    """PC001 in Vietnamese has no English library text (that goes to --lang en)."""
    bad = []
    for name, doc in _by_name(batch["vi"][1], bad_corpus).items():
        content = EXPECTED[name][1]
        if doc["error"] and doc["error"] != "internal" and _reader_ok(content):
            msg = doc["findings"][0]["message"]
            if ENGLISH.search(re.sub(r"\S*\w[/.]\w\S*", "", msg)):  # file names aside
                bad.append(f"{name}: {msg}")
    assert not bad, "\n".join(bad)


def test_windows_1258_is_reported_as_encoding_problem(batch, bad_corpus):
    doc = _by_name(batch["vi"][1], bad_corpus)["windows-1258.txt"]
    assert "PC002" in [f["code"] for f in doc["findings"]]
    assert "Thịnh Đức".upper() in json.dumps(doc["metadata"], ensure_ascii=False).upper() or doc["metadata"].get(
        "title", ""
    ).startswith("Thực hiện")


def test_nul_bytes_do_not_reach_the_text(bad_corpus):
    from plancheck.parse import parse

    doc = parse(bad_corpus / "nul-bytes.txt")
    assert "\x00" not in doc.text
    assert [h.marker for h in doc.outline.headings if h.level == 1][:2] == ["I.", "II."]


def test_huge_file_rejected_by_size_before_reading(huge_txt, monkeypatch):
    opened = []
    real_open = open

    def spy(file, mode="r", *a, **k):
        if str(file) == str(huge_txt) and "b" in mode:
            opened.append(mode)
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    with pytest.raises(ReadError) as exc:
        read_path(huge_txt)
    assert exc.value.reason == "too_large" and not opened
    assert check_path(huge_txt).error == "too_large"
    # the limit is a setting: raised above the size, the file is read (not refused)
    assert huge_txt.stat().st_size > Limits().max_bytes


def test_zip_bomb_refused_before_inflating(bad_corpus):
    with pytest.raises(ReadError) as exc:
        read_path(bad_corpus / "zip-bomb.docx")
    assert exc.value.reason == "zip_bomb"


def test_limits_are_settings(bad_corpus):
    small = Limits(max_bytes=100)
    with pytest.raises(ReadError) as exc:
        read_path(bad_corpus / "utf-16.txt", small)
    assert exc.value.reason == "too_large"
