"""Word automatic numbering rendered as Word shows it (synthetic files, one feature each),
and on real office files compared with LibreOffice's own text export."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from wordxml import abstract, lvl, make_docx, num, p, start_override

from plancheck.model import Span
from plancheck.readers import read_bytes, read_path
from plancheck.readers.numbering import format_number

DATA = Path(__file__).parent / "data" / "realoffice"


def texts(data: bytes) -> list[str]:
    res = read_bytes(data, "x.docx")
    return [res.text[b.span.start : b.span.end] for b in res.blocks]


def test_formats():
    assert [format_number(n, "upperRoman") for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert [format_number(n, "lowerRoman") for n in (2, 3)] == ["ii", "iii"]
    assert [format_number(n, "lowerLetter") for n in (1, 26, 27, 28)] == ["a", "z", "aa", "bb"]
    assert format_number(3, "upperLetter") == "C"
    assert format_number(7, "decimalZero") == "07"
    assert format_number(5, "none") == ""
    assert format_number(5, "chineseCounting") == "5"  # unknown formats as decimal


OUTLINE = abstract(
    0,
    lvl(0, "upperRoman", "%1."),
    lvl(1, "decimal", "%2."),
    lvl(2, "decimal", "%2.%3."),
    lvl(3, "lowerLetter", "%4)"),
)


def test_levels_lvltext_and_restart_of_lower_levels():
    body = "".join(
        [
            p("MỤC TIÊU", num=(1, 0)),
            p("Mục tiêu chung", num=(1, 1)),
            p("Chi tiết", num=(1, 2)),
            p("Chi tiết hai", num=(1, 2)),
            p("việc một", num=(1, 3)),
            p("việc hai", num=(1, 3)),
            p("Mục tiêu cụ thể", num=(1, 1)),
            p("Chi tiết", num=(1, 2)),
            p("NHIỆM VỤ", num=(1, 0)),
            p("Nhiệm vụ một", num=(1, 1)),
        ]
    )
    got = texts(make_docx(body, numbering=OUTLINE + num(1, 0)))
    assert got == [
        "I. MỤC TIÊU",
        "1. Mục tiêu chung",
        "1.1. Chi tiết",
        "1.2. Chi tiết hai",
        "a) việc một",
        "b) việc hai",
        "2. Mục tiêu cụ thể",
        "2.1. Chi tiết",
        "II. NHIỆM VỤ",
        "1. Nhiệm vụ một",
    ]


def test_is_legal_shows_arabic_numbers():
    numbering = abstract(0, lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%1.%2.", extra="<w:isLgl/>")) + num(1, 0)
    body = p("A", num=(1, 0)) + p("B", num=(1, 0)) + p("b1", num=(1, 1))
    assert texts(make_docx(body, numbering=numbering)) == ["I. A", "II. B", "2.1. b1"]


def test_start_values_and_lvl_restart():
    numbering = abstract(
        0,
        lvl(0, "decimal", "%1.", start=3),
        lvl(1, "lowerLetter", "%2)", extra='<w:lvlRestart w:val="0"/>'),
    ) + num(1, 0)
    body = p("x", num=(1, 0)) + p("y", num=(1, 1)) + p("z", num=(1, 0)) + p("w", num=(1, 1))
    # level 2 never restarts: b) after the second number
    assert texts(make_docx(body, numbering=numbering)) == ["3. x", "a) y", "4. z", "b) w"]


def test_instances_share_counters_unless_start_is_overridden():
    numbering = abstract(0, lvl(0, "decimal", "%1.")) + num(1, 0) + num(2, 0) + num(3, 0, start_override(0, 1))
    body = "".join([p("a", num=(1, 0)), p("b", num=(1, 0)), p("c", num=(2, 0)), p("d", num=(3, 0)), p("e", num=(3, 0))])
    # numId 2 continues numId 1 (same abstract list); numId 3 restarts at its override
    assert texts(make_docx(body, numbering=numbering)) == ["1. a", "2. b", "3. c", "1. d", "2. e"]


def test_separate_abstract_lists_count_separately_and_formats():
    numbering = (
        abstract(0, lvl(0, "upperLetter", "%1."))
        + abstract(1, lvl(0, "lowerRoman", "(%1)"))
        + abstract(2, lvl(0, "bullet", "\uf0b7"))
        + abstract(3, lvl(0, "bullet", "-"))
        + abstract(4, lvl(0, "decimal", "%1.", extra='<w:suff w:val="space"/>'))
        + abstract(5, lvl(0, "none", ""))
        + num(1, 0)
        + num(2, 1)
        + num(3, 2)
        + num(4, 3)
        + num(5, 4)
        + num(6, 5)
    )
    body = "".join(
        [
            p("one", num=(1, 0)),
            p("two", num=(2, 0)),
            p("three", num=(1, 0)),
            p("four", num=(2, 0)),
            p("dot", num=(3, 0)),
            p("dash", num=(4, 0)),
            p("spaced", num=(5, 0)),
            p("plain", num=(6, 0)),
            p("not numbered", num=(0, 0)),
        ]
    )
    assert texts(make_docx(body, numbering=numbering)) == [
        "A. one",
        "(i) two",
        "B. three",
        "(ii) four",
        "• dot",
        "- dash",
        "1. spaced",
        "plain",
        "not numbered",
    ]


STYLES = (
    '<w:style w:type="paragraph" w:styleId="Muc"><w:name w:val="Muc"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="MucCon"><w:name w:val="Muc con"/><w:basedOn w:val="Muc"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Khoan"><w:name w:val="Khoan"/>'
    '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Tieu"><w:name w:val="Tieu"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
)


def test_numbering_inherited_from_paragraph_styles():
    numbering = abstract(
        0,
        lvl(0, "upperRoman", "%1.", extra='<w:pStyle w:val="Muc"/>'),
        lvl(1, "decimal", "%2."),
        lvl(2, "lowerLetter", "%3)", extra='<w:pStyle w:val="Tieu"/>'),
    ) + num(1, 0)
    body = "".join(
        [
            p("Phần một", style="Muc"),
            p("khoản", style="Khoan"),
            p("tiểu", style="Tieu"),  # the level whose w:pStyle is this style
            p("Phần hai", style="MucCon"),  # basedOn Muc: numbered as Muc
            p("direct level", style="Muc", num=(1, 1)),  # paragraph's own ilvl wins
        ]
    )
    assert texts(make_docx(body, numbering=numbering, styles=STYLES)) == [
        "I. Phần một",
        "1. khoản",
        "a) tiểu",
        "II. Phần hai",
        "1. direct level",
    ]


def test_marker_is_generated_in_the_source_map_and_located_at_its_paragraph():
    numbering = OUTLINE + num(1, 0)
    data = make_docx(p("Mở đầu") + p("MỤC TIÊU", num=(1, 0)) + p("NHIỆM VỤ", num=(1, 0)), numbering=numbering)
    res = read_bytes(data, "x.docx")
    sm = res.sourcemap
    b = res.blocks[2]
    assert res.text[b.span.start : b.span.end] == "II. NHIỆM VỤ"
    marker = Span(b.span.start, b.span.start + 3)
    assert sm.generated(marker)
    assert not sm.generated(Span(b.span.start + 4, b.span.end))
    loc = sm.locate(marker)
    assert (loc.paragraph, loc.column) == (3, 1)
    # the source holds what the file holds: the number is not in it
    assert sm.original(Span(b.span.start, b.span.end)) == "NHIỆM VỤ"


def test_word_list_restart_is_not_a_numbering_defect_but_a_typed_gap_is(tmp_path):
    from plancheck import check

    numbering = abstract(0, lvl(0, "decimal", "%1.")) + num(1, 0) + num(2, 0, start_override(0, 1))
    body = "".join(
        [
            p("KẾ HOẠCH"),
            p("Mục tiêu chung của kế hoạch", num=(1, 0)),
            p("Mục tiêu cụ thể của kế hoạch", num=(1, 0)),
            p("Nhiệm vụ thứ nhất của kế hoạch", num=(2, 0)),
            p("Nhiệm vụ thứ hai của kế hoạch", num=(2, 0)),
            p("a) Việc một;"),
            p("b) Việc hai;"),
            p("d) Việc bốn."),
        ]
    )
    f = tmp_path / "plan.docx"
    f.write_bytes(make_docx(body, numbering=numbering))
    found = [x for x in check([f]).documents[0].findings if x.code in ("PC101", "PC102")]
    assert [x.excerpt for x in found] == ["d)"]


# ---------------------------------------------------------------- real files vs LibreOffice

_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*[.)]|[IVXLivxl]+[.)]|[a-zđ][.)]|[•▪➢❖✓■●❑-])\s")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("*.docx")))
def test_real_files_show_the_numbers_libreoffice_shows(name):
    """Every numbered line of LibreOffice's text export (stored beside the file, made with
    ``soffice --headless --convert-to txt:Text``) is a paragraph of ours, number included."""
    lo = [_norm(x) for x in (DATA / f"{name}.lo.txt").read_text(encoding="utf-8-sig").splitlines()]
    lo_numbered = [x for x in lo if _NUMBERED.match(x)]
    res = read_path(DATA / f"{name}.docx")
    ours = {_norm(res.text[b.span.start : b.span.end]) for b in res.blocks}
    assert len(lo_numbered) > 50
    missing = [x for x in lo_numbered if x not in ours]
    assert not missing, missing[:5]
    # and nothing numbered of ours that LibreOffice does not show
    lo_set = set(lo)
    extra = [x for x in ours if _NUMBERED.match(x) and x not in lo_set]
    assert not extra, extra[:5]
