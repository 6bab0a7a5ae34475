"""Suggestions as Word tracked changes in --annotate (issue 17 item 9): w:del / w:ins authored
"plancheck" next to the comment, python-docx reopens the file, LibreOffice reads the changes,
and --no-track-changes leaves comments only."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from plancheck.cli import main
from plancheck.report.docx import planned_change, read_comments

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _f(suggestion):
    return SimpleNamespace(suggestion=suggestion)


@pytest.mark.parametrize(
    "fix,text,excerpt,suggestion,want",
    [
        ("replace", "Hỗ trợ chuyên giao kỹ thuật", "chuyên giao", "chuyển giao", ("chuyên", "chuyển")),
        ("replace", "xã CƯỜNG LĂNG có", "CƯỜNG LĂNG", "CƯỜNG LẶNG", ("LĂNG", "LẶNG")),
        ("replace", "Phần đầu đạt", "Phần đầu", "Phấn đấu", ("Phần đầu", "Phấn đấu")),
        (
            "replace",
            "của ngành LĐTBXH và",
            "LĐTBXH",
            "Lao động - Thương binh và Xã hội (LĐTBXH)",
            ("LĐTBXH", "Lao động - Thương binh và Xã hội (LĐTBXH)"),
        ),
        (
            "replace_date",
            "Thông tư số 04/2022/TT-BNNPTNT ngày 28/7/2022 của Bộ",
            "04/2022/TT-BNNPTNT ngày 28/7/2022",
            "11/07/2022",
            ("28/7/2022", "11/07/2022"),
        ),
        ("delete", "trên địa bàn trên địa bàn xã", "trên địa bàn", None, (" trên địa bàn", "")),
    ],
)
def test_planned_change(fix, text, excerpt, suggestion, want):
    c0 = text.rindex(excerpt) if fix == "delete" else text.index(excerpt)
    a, b, new = planned_change(_f(suggestion), fix, text, c0, c0 + len(excerpt))
    assert (text[a:b], new) == want


def test_no_change_without_a_fix_or_when_unsure():
    assert planned_change(_f("x"), None, "abc", 0, 3) is None
    assert planned_change(_f("abc"), "replace", "abc", 0, 3) is None  # nothing to change
    two = "ngày 1/2/2020 và 3/4/2021"
    assert planned_change(_f("5/6/2022"), "replace_date", two, 0, len(two)) is None  # which date?


def _revisions(path: Path) -> list[tuple[str, str, str]]:
    """(kind, author, text) of every w:del / w:ins, in document order."""
    import docx

    body = docx.Document(str(path)).element.body  # python-docx reopens the file
    out = []
    for el in body.iter(f"{W}del", f"{W}ins"):
        kind = el.tag.split("}")[1]
        text = "".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText"))
        out.append((kind, el.get(f"{W}author"), text))
    return out


def _paragraph_versions(path: Path, needle: str) -> tuple[str, str]:
    """The paragraph holding ``needle`` with every change rejected, and with every change accepted."""
    import docx

    body = docx.Document(str(path)).element.body
    for p in body.iter(f"{W}p"):
        rejected, accepted = [], []
        for t in p.iter(f"{W}t", f"{W}delText"):
            in_del = any(a.tag == f"{W}del" for a in t.iterancestors())
            in_ins = any(a.tag == f"{W}ins" for a in t.iterancestors())
            if not in_ins:
                rejected.append(t.text or "")
            if not in_del:
                accepted.append(t.text or "")
        if needle in "".join(rejected):
            return "".join(rejected), "".join(accepted)
    raise AssertionError(needle)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    d = tmp_path_factory.mktemp("ann")
    src = d / "ke-hoach.docx"
    shutil.copy(SEEDS / "seed001.docx", src)
    res = CliRunner().invoke(main, ["check", str(src), "--annotate", str(d / "out"), "--format", "json"])
    assert res.exit_code == 1, res.output
    return d / "out" / "ke-hoach.annotated.docx", src


def test_suggestions_written_as_tracked_changes(annotated):
    out, src = annotated
    revs = _revisions(out)
    assert revs and all(author == "plancheck" for _, author, _ in revs)
    assert ("del", "plancheck", "chuyên") in revs and ("ins", "plancheck", "chuyển") in revs
    i = revs.index(("del", "plancheck", "chuyên"))
    assert revs[i + 1] == ("ins", "plancheck", "chuyển")  # the insertion right after the deletion
    before, after = _paragraph_versions(out, "chuyên giao")
    import docx

    original = [p.text for p in docx.Document(str(src)).paragraphs]
    assert before in original  # rejecting every change gives the plan back
    assert "chuyển giao" in after and "chuyên giao" not in after
    # every finding still has its comment, on the words it is about
    comments = read_comments(out)
    assert any(c["anchor"] == "chuyên giao" for c in comments), [c["anchor"] for c in comments][:10]
    ids = [int(e.get(f"{W}id")) for e in docx.Document(str(out)).element.body.iter(f"{W}del", f"{W}ins")]
    assert len(ids) == len(set(ids))


def test_no_track_changes_flag(tmp_path):
    src = tmp_path / "k.docx"
    shutil.copy(SEEDS / "seed001.docx", src)
    res = CliRunner().invoke(main, ["check", str(src), "--annotate", str(tmp_path / "o"), "--no-track-changes"])
    assert res.exit_code == 1
    out = tmp_path / "o" / "k.annotated.docx"
    assert _revisions(out) == [] and read_comments(out)


def test_libreoffice_reads_the_tracked_changes(annotated, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed for this test: apt-get install libreoffice-writer-nogui"
    out, _ = annotated
    profile = (tmp_path / "profile").as_uri()
    run = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    odt = tmp_path / (out.stem + ".odt")
    assert odt.exists(), run.stderr
    content = zipfile.ZipFile(odt).read("content.xml").decode("utf-8")
    regions = re.findall(r"<text:changed-region.*?</text:changed-region>", content, re.S)
    deletions = [r for r in regions if "<text:deletion>" in r]
    insertions = [r for r in regions if "<text:insertion>" in r]
    assert deletions and insertions and len(deletions) == len(insertions)
    assert all("<dc:creator>plancheck</dc:creator>" in r for r in regions)
    assert any("huyên" in re.sub(r"<[^>]+>", "", r) for r in deletions)  # the deleted word is kept, shown struck out
    # the inserted text is in the body, between the change's start and end marks
    body = re.sub(r"<office:annotation .*?</office:annotation>", "", content, flags=re.S)
    inserted = [
        re.sub(r"<[^>]+>", "", m.group(2))
        for m in re.finditer(
            r'<text:change-start text:change-id="([^"]+)"/>(.*?)<text:change-end text:change-id="\1"/>', body
        )
    ]
    assert "chuyển" in inserted and "3:" in inserted, inserted


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_rendered_copies_of_txt_and_pdf_get_tracked_changes_too(tmp_path, fmt):
    src = tmp_path / f"k.{fmt}"
    shutil.copy(SEEDS / f"seed001.{fmt}", src)
    res = CliRunner().invoke(main, ["check", str(src), "--annotate", str(tmp_path / "o"), "-q"])
    assert res.exit_code == 1
    out = tmp_path / "o" / f"k.{fmt}.annotated.docx"
    revs = _revisions(out)
    assert ("del", "plancheck", "chuyên") in revs and ("ins", "plancheck", "chuyển") in revs
    assert any(c["anchor"] == "chuyên giao" for c in read_comments(out))


def test_a_repeated_word_is_a_tracked_deletion(tmp_path):
    text = (SEEDS / "seed002.txt").read_text(encoding="utf-8")
    i = text.index("trên địa bàn")
    src = tmp_path / "lap.txt"
    src.write_text(text[:i] + "trên địa bàn " + text[i:], encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(src), "--annotate", str(tmp_path / "o"), "--select", "PC801", "-q"])
    assert res.exit_code == 0, res.output  # PC801 is a warning
    revs = _revisions(tmp_path / "o" / "lap.txt.annotated.docx")
    assert {k for k, _, _ in revs} == {"del"}  # deleted (one w:del a run), nothing inserted
    assert "".join(t for _, _, t in revs) == " trên địa bàn"
    before, after = _paragraph_versions(tmp_path / "o" / "lap.txt.annotated.docx", "trên địa bàn trên địa bàn")
    assert after == before.replace("trên địa bàn trên địa bàn", "trên địa bàn", 1)


def test_web_page_download_has_the_tracked_changes(tmp_path):
    """plancheck serve's annotated .docx (worker.run_task) carries them as well."""
    import io

    from plancheck.engine import Options
    from plancheck.server.worker import Task, run_task

    src = tmp_path / "upload-1.docx"
    shutil.copy(SEEDS / "seed001.docx", src)
    res = run_task(Task(path=str(src), name="ke-hoach.docx", opts=Options(), annotate_langs=("vi",)))
    out = tmp_path / "dl.docx"
    out.write_bytes(res.annotated["vi"])
    revs = _revisions(out)
    assert ("del", "plancheck", "chuyên") in revs and ("ins", "plancheck", "chuyển") in revs
    assert io.BytesIO(res.annotated["vi"]).getvalue()[:2] == b"PK"
