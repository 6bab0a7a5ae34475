"""Foundation: sniffing, decoding, the source map on real seeds, regions and the outline,
and the same outline from a seed's .txt, .docx and .pdf."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from plancheck.inject import cp1258
from plancheck.parse import parse, parse_text
from plancheck.readers import ReadError, read_bytes

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def test_encrypted_docx_is_reported_as_encrypted():
    blob = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    with pytest.raises(ReadError) as ei:
        read_bytes(blob, "ke-hoach.docx")
    assert ei.value.reason == "encrypted"


def test_ole_without_word_stream_is_not_a_doc():
    # a real .doc is read through LibreOffice (tests/test_legacy.py); an OLE2 file with no
    # "WordDocument" stream is not one, and another OLE2 format (.xls) stays unsupported
    with pytest.raises(ReadError) as ei:
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "ke-hoach.doc")
    assert ei.value.reason == "corrupt"
    with pytest.raises(ReadError) as ei:
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "bang.xls")
    assert ei.value.reason == "legacy"


@pytest.mark.parametrize(
    "data,problem",
    [
        (codecs.BOM_UTF8 + "KẾ HOẠCH\n\nThực hiện năm 2024".encode(), None),
        ("KẾ HOẠCH\n\nThực hiện năm 2024".encode("utf-16"), None),
        (cp1258("KẾ HOẠCH\n\nThực hiện năm 2024"), "Windows-1258"),
    ],
)
def test_decoding(data, problem):
    res = read_bytes(data, "x.txt")
    assert res.text.startswith("KẾ HOẠCH")
    codes = [c for c, p in res.issues if p.get("encoding") == problem]
    assert (problem is None and not res.issues) or codes == ["PC002"]


def test_mislabelled_docx_named_txt_is_read_as_docx():
    data = (SEEDS / "seed001.docx").read_bytes()
    res = read_bytes(data, "ke-hoach.txt")
    assert res.fmt == "docx"


def test_sourcemap_points_at_original_line_and_column():
    doc = parse(SEEDS / "seed001.txt")
    # "Số: *85* /KH-UBND" on line 3: markdown stripped in the text, original column kept.
    i = doc.text.index("Số: 85 /KH-UBND")
    loc = doc.locate(type(doc.blocks[0].span)(i, i + len("Số: 85 /KH-UBND")))
    assert (loc.line, loc.column) == (3, 1)
    assert loc.end_line == 3 and loc.end_column == len("Số: *85* /KH-UBND") + 1
    raw = (SEEDS / "seed001.txt").read_text(encoding="utf-8").splitlines()[2]
    assert raw == "Số: *85* /KH-UBND"


def test_wrapped_pdf_extraction_rejoined_and_located():
    doc = parse(SEEDS / "seed004.txt")
    # seed004 is hard-wrapped with a blank line between lines: paragraphs are re-joined
    text = doc.text
    assert "Thực hiện Kế hoạch số 314/KH-UBND ngày 28 tháng 10 năm 2021 của Ủy ban nhân dân tỉnh Đồng Tháp" in text
    i = text.index("Ủy ban nhân dân tỉnh Đồng Tháp")
    loc = doc.locate(type(doc.blocks[0].span)(i, i + 3))
    assert loc.line == 13  # the word is on the next physical line of the file


def test_nfd_input_normalised_and_mapped():
    nfd = "KE\u0302\u0301 HOA\u0323CH\n\nThu\u031b\u0323c hie\u0323\u0302n na\u0306m 2024\n"
    doc = parse_text(nfd)
    assert doc.text.startswith("KẾ HOẠCH")
    i = doc.text.index("năm")
    loc = doc.locate(type(doc.blocks[0].span)(i, i + 3))
    assert loc.line == 3 and doc.sourcemap.original(type(doc.blocks[0].span)(i, i + 3)) == "na\u0306m"


def test_regions_and_metadata_of_a_seed():
    doc = parse(SEEDS / "seed001.txt")
    m = doc.metadata
    assert m["number"] == "85/KH-UBND"
    assert m["issue_date"] == "2022-10-24"
    assert m["plan_year"] == 2022 and m["is_plan"] is True
    regions = {b.region for b in doc.blocks}
    assert {"header", "title", "body", "closing", "annex"} <= regions


OUTLINE_SEEDS = ["seed000", "seed001", "seed002", "seed003", "seed004"]


def _outline(doc):
    return [
        (h.marker, h.marker_kind, h.level) for h in doc.outline.headings if h.is_heading or h.marker_kind == "roman"
    ]


@pytest.mark.parametrize("seed", OUTLINE_SEEDS)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_same_roman_outline_in_every_format(seed, fmt):
    txt = parse(SEEDS / f"{seed}.txt")
    other = parse(SEEDS / f"{seed}.{fmt}")
    romans_txt = [h.marker for h in txt.outline.headings if h.marker_kind == "roman"]
    romans_other = [h.marker for h in other.outline.headings if h.marker_kind == "roman"]
    assert romans_txt == romans_other
    markers_txt = [h.marker for h in txt.outline.headings]
    markers_other = [h.marker for h in other.outline.headings]
    # every numbered heading of the text is found in the rendering, in order
    it = iter(markers_other)
    assert all(any(m == x for x in it) for m in markers_txt)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_rendered_seed_findings_located_by_paragraph_or_page(fmt):
    from plancheck.engine import check_document
    from plancheck.rulebook import load_rules

    rules = [r for r in load_rules() if r.code == "PC101"]
    doc = parse(SEEDS / f"seed001.{fmt}")
    fs = check_document(doc, rules)
    assert [f.excerpt for f in fs] == ["VII."]
    loc = fs[0].location
    if fmt == "docx":
        assert loc.paragraph and loc.line is None
    else:
        assert loc.page and loc.line
