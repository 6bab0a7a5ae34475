"""Annotated .docx: a Word comment per finding, anchored on exactly its excerpt; inputs untouched."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import zlib
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from plancheck.cli import main
from plancheck.model import Finding, Message, Severity, Span
from plancheck.parse import parse
from plancheck.report.common import norm_excerpt
from plancheck.report.docx import (
    annotate_docx,
    body_paragraphs,
    output_name,
    paragraph_text,
    read_comments,
    render_docx,
)

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
FORMATS = ("txt", "docx", "pdf")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _title_text(path: str) -> str:
    doc = parse(path)
    return doc.slice(doc.title_span)


@pytest.fixture(scope="module")
def annotated_seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("annotated")
    before = {p: _sha(p) for p in SEEDS.iterdir() if p.suffix in (".txt", ".docx", ".pdf")}
    report = out / "report.json"
    res = CliRunner().invoke(
        main, ["check", str(SEEDS), "--annotate", str(out / "docx"), "--format", "json", "-o", str(report), "-j", "1"]
    )
    assert res.exit_code in (0, 1), res.output
    return out / "docx", json.loads(report.read_text(encoding="utf-8")), before


def test_one_annotated_file_per_seed_and_inputs_unchanged(annotated_seeds):
    outdir, data, before = annotated_seeds
    written = sorted(p.name for p in outdir.iterdir())
    assert len(written) == 15
    for n in range(5):
        assert f"seed00{n}.annotated.docx" in written
        assert f"seed00{n}.txt.annotated.docx" in written
        assert f"seed00{n}.pdf.annotated.docx" in written
    for p, h in before.items():
        assert _sha(p) == h, f"{p} was modified"


@pytest.mark.parametrize("fmt", FORMATS)
def test_comments_match_json_findings_one_for_one(annotated_seeds, fmt):
    outdir, data, _ = annotated_seeds
    docs = [d for d in data["documents"] if d["path"].endswith("." + fmt)]
    assert len(docs) == 5
    total = 0
    for d in docs:
        out = outdir / output_name(d["path"], d["format"])
        comments = read_comments(out)
        assert len(comments) == len(d["findings"]), d["path"]
        title = _title_text(d["path"])
        for c, f in zip(comments, d["findings"], strict=True):
            assert c["author"] == "plancheck" and c["initials"] == "PC"
            assert c["text"].startswith(f["code"] + " [")
            assert f["message"] in c["text"]
            if f["suggestion"]:
                assert f["suggestion"] in c["text"]
            expected = f["excerpt"] if f["excerpt"].strip() else title
            assert norm_excerpt(c["anchor"]) == norm_excerpt(expected), (d["path"], f["code"])
        total += len(comments)
    assert total > 0  # the seeds have findings in every format


def _synthetic(doc, n: int, seed: int) -> list[Finding]:
    """Findings on random spans: partial words, several paragraphs, table cells, overlaps."""
    rnd = random.Random(seed)
    words = [m.span() for m in regex.finditer(r"\S+", doc.text)]
    spans = []
    for _ in range(n):
        i = rnd.randrange(len(words))
        j = min(len(words) - 1, i + rnd.choice([0, 0, 1, 3, 12, 40]))
        a, b = words[i][0], words[j][1]
        if rnd.random() < 0.3 and b - a > 3:
            a += 1
        spans.append(Span(a, b))
    spans.append(Span(0, 0))  # a whole-document finding goes on the title
    return [
        Finding(
            code="PC999",
            slug="synthetic",
            severity=Severity.WARNING,
            message=Message(f"m{k}", f"m{k}"),
            span=s,
            excerpt=doc.slice(s),
            location=doc.locate(s),
        )
        for k, s in enumerate(spans)
    ]


@pytest.mark.parametrize("name", ["seed001", "seed003", "seed004"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_random_spans_are_anchored_exactly(tmp_path, name, fmt):
    path = SEEDS / f"{name}.{fmt}"
    doc = parse(path)
    findings = _synthetic(doc, 60, seed=zlib.crc32(f"{name}.{fmt}".encode()))
    out = tmp_path / "a.docx"
    if doc.format == "docx":
        n = annotate_docx(path, doc, findings, out)
    else:
        n = render_docx(doc, findings, out)
    assert n == len(findings)
    by_msg = {c["text"].rsplit(" ", 1)[1]: c for c in read_comments(out)}
    title = doc.slice(doc.title_span)
    for k, f in enumerate(findings):
        c = by_msg[f"m{k}"]
        expected = f.excerpt if f.excerpt.strip() else title
        assert norm_excerpt(c["anchor"]) == norm_excerpt(expected), (k, f.excerpt[:60])


def test_split_runs_keep_the_text_of_every_paragraph(tmp_path):
    src = SEEDS / "seed001.docx"
    doc = parse(src)
    out = tmp_path / "a.docx"
    annotate_docx(src, doc, _synthetic(doc, 80, seed=7), out)
    import docx

    before = [paragraph_text(p) for p in body_paragraphs(docx.Document(str(src)).element.body)]
    after = [paragraph_text(p) for p in body_paragraphs(docx.Document(str(out)).element.body)]
    assert before == after


def test_paragraph_walk_matches_the_reader():
    """The annotator's paragraph order and text are the reader's source units."""
    import docx

    for n in range(5):
        src = SEEDS / f"seed00{n}.docx"
        sm = parse(src).sourcemap
        units = sm.source.split("\n")
        paras = [paragraph_text(p) for p in body_paragraphs(docx.Document(str(src)).element.body)]
        assert paras == units


def test_name_collisions_and_never_overwriting_an_input(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(SEEDS / "seed002.txt", a / "plan.txt")
    shutil.copy(SEEDS / "seed002.txt", b / "plan.txt")
    trap = tmp_path / "plan.txt.annotated.docx"  # an input whose name is an output name
    shutil.copy(SEEDS / "seed002.docx", trap)
    h = _sha(trap)
    res = CliRunner().invoke(
        main, ["check", str(a), str(b), str(trap), "--annotate", str(tmp_path), "--format", "json", "--select", "PC1"]
    )
    # an input whose name an annotated copy would take: refused before anything is written (issue 17)
    assert res.exit_code == 2 and "trùng tên tệp đầu vào" in res.stderr, res.output
    assert _sha(trap) == h and sorted(p.name for p in tmp_path.glob("*.docx")) == [trap.name]
    trap.unlink()
    res = CliRunner().invoke(
        main, ["check", str(a), str(b), "--annotate", str(tmp_path), "--format", "json", "--select", "PC1"]
    )
    assert res.exit_code in (0, 1), res.output
    names = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert names == ["plan.txt.annotated-2.docx", "plan.txt.annotated.docx"]


def test_whole_document_finding_goes_on_the_title(tmp_path):
    doc = parse(SEEDS / "seed002.txt")
    f = Finding(
        code="PC104",
        slug="x",
        severity=Severity.ERROR,
        message=Message("Thiếu phần", "Missing"),
        span=Span(0, 0),
        excerpt="",
        location=doc.locate(Span(0, 0)),
        suggestion="Thêm phần Kinh phí",
    )
    out = tmp_path / "t.docx"
    render_docx(doc, [f], out, lang="vi")
    (c,) = read_comments(out)
    assert norm_excerpt(c["anchor"]) == norm_excerpt(doc.slice(doc.title_span)) == "KẾ HOẠCH"
    assert c["text"] == "PC104 [lỗi] Thiếu phần\nĐề xuất: Thêm phần Kinh phí"


def test_unreadable_input_is_skipped_with_a_note(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["check", str(bad), "--annotate", str(out), "--format", "json"])
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert not list(out.glob("*.docx"))
    assert any("annotate" in n for n in data.get("notes", []))
