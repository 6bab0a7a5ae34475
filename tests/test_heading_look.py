"""PC103 on Word files judges what the reader sees (bold, italic, case, size, alignment,
indent, marker), never style names or outline levels nobody can see."""

from __future__ import annotations

from wordxml import make_docx, p

from plancheck import check

STYLES = (
    # converted from PDF: "Heading #2" has an outline level but looks like body text
    '<w:style w:type="paragraph" w:styleId="Heading20"><w:name w:val="Heading #2"/>'
    '<w:pPr><w:ind w:firstLine="567"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body"/>'
    '<w:pPr><w:ind w:firstLine="567"/></w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:style>'
)
B = "<w:b/>"


def pc103(tmp_path, body: str) -> list[str]:
    f = tmp_path / "plan.docx"
    f.write_bytes(make_docx(p("KẾ HOẠCH", rpr=B) + p("Thực hiện Chương trình năm 2024") + body, styles=STYLES))
    return [x.message.en for x in check([f]).documents[0].findings if x.code == "PC103"]


def test_style_names_and_outline_levels_that_look_alike_are_no_finding(tmp_path):
    body = (
        p("I. MỤC TIÊU", rpr=B, style="Body")
        + p("1. Mục tiêu chung", style="Heading20")
        + p("Nội dung.", style="Body")
        + p("2. Mục tiêu cụ thể", style="Body", rpr=B)
        + p("Nội dung.", style="Body")
    )
    assert pc103(tmp_path, body) == []


def test_a_tab_before_the_number_looks_like_a_first_line_indent(tmp_path):
    tab_first = '<w:p><w:pPr><w:pStyle w:val="Body"/><w:ind w:firstLine="0"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:tab/><w:t>2. Mục tiêu cụ thể</w:t></w:r></w:p>'
    body = (
        p("I. MỤC TIÊU", rpr=B, style="Body")
        + p("1. Mục tiêu chung", rpr=B, style="Body", ppr='<w:ind w:firstLine="720"/>')
        + p("Nội dung.", style="Body")
        + tab_first
        + p("Nội dung.", style="Body")
    )
    assert pc103(tmp_path, body) == []


def test_visible_differences_are_reported(tmp_path):
    body = (
        p("I. MỤC TIÊU", rpr=B, style="Body")
        + p("1. Mục tiêu chung", rpr=B, style="Body")
        + p("Nội dung.", style="Body")
        + p("2. Mục tiêu cụ thể", rpr=B + '<w:sz w:val="32"/>', style="Body")
        + p("Nội dung.", style="Body")
        + p("3. Mục tiêu khác", rpr=B + "<w:i/>", style="Body")
        + p("Nội dung.", style="Body")
        + p("4. Mục tiêu nữa", rpr=B, style="Body", ppr='<w:jc w:val="center"/>')
        + p("Nội dung.", style="Body")
        + p("5. Mục tiêu cuối", rpr=B, style="Body", ppr='<w:jc w:val="both"/>')  # justified: looks left
        + p("Nội dung.", style="Body")
    )
    got = pc103(tmp_path, body)
    assert len(got) == 3, got
    assert "size 16 pt" in got[0] and "size 14 pt" in got[0]
    assert "italic" in got[1]
    assert "centred" in got[2]
