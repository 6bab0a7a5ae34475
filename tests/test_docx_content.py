"""What a Word file shows beyond plain runs: tracked changes (read as accepted, said once),
comments (ignored), text boxes, footnotes and endnotes, fields, content controls."""

from __future__ import annotations

from wordxml import make_docx, p

from plancheck import check
from plancheck.model import Span
from plancheck.readers import read_bytes


def read(body: str, **kw):
    return read_bytes(make_docx(body, **kw), "x.docx")


def texts(res) -> list[str]:
    return [res.text[b.span.start : b.span.end] for b in res.blocks]


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


INS = '<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">{}</w:ins>'
DEL = '<w:del w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>{}</w:delText></w:r></w:del>'


def test_tracked_changes_read_as_accepted_and_reported_once(tmp_path):
    body = (
        p("KẾ HOẠCH")
        + "<w:p>"
        + r("Thực hiện năm ")
        + DEL.format("2023")
        + INS.format(r("2024"))
        + "</w:p>"
        + '<w:p><w:moveFrom w:id="3" w:author="A"><w:r><w:t>cũ</w:t></w:r></w:moveFrom>'
        + r("Nội dung")
        + "</w:p>"
        # the mark of this paragraph was deleted: accepted, it joins the next one
        + '<w:p><w:pPr><w:rPr><w:del w:id="4" w:author="A"/></w:rPr></w:pPr>'
        + r("Mục tiêu ")
        + "</w:p>"
        + p("chung của kế hoạch.")
        + '<w:tbl><w:tr><w:trPr><w:del w:id="5" w:author="A"/></w:trPr><w:tc><w:p>'
        + r("hàng xóa")
        + "</w:p></w:tc></w:tr><w:tr><w:tc><w:p>"
        + r("hàng giữ")
        + "</w:p></w:tc></w:tr></w:tbl>"
        + p("Cuối.")
    )
    res = read(body)
    assert texts(res) == [
        "KẾ HOẠCH",
        "Thực hiện năm 2024",
        "Nội dung",
        "Mục tiêu chung của kế hoạch.",
        "hàng giữ",
        "Cuối.",
    ]
    # paragraph numbers stay those of the file: the joined paragraph is ¶4, the deleted row ¶6
    i = texts(res).index("Cuối.")
    assert res.sourcemap.locate(res.blocks[i].span).paragraph == 8
    assert res.issues == [("PC004", {})]
    f = tmp_path / "plan.docx"
    f.write_bytes(make_docx(body))
    found = [x for x in check([f]).documents[0].findings if x.code == "PC004"]
    assert len(found) == 1 and found[0].severity.value == "info"


def test_no_revisions_no_notice():
    res = read(p("KẾ HOẠCH") + p("Thực hiện năm 2024"))
    assert res.issues == []


def test_comments_are_ignored_and_fields_show_their_result():
    body = (
        '<w:p><w:commentRangeStart w:id="0"/>' + r("Kế hoạch ") + '<w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \\@ "yyyy" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("2024") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:fldSimple w:instr=" PAGE ">' + r("3") + "</w:fldSimple></w:p>"
    )
    assert texts(read(body)) == ["Kế hoạch 20243"]


def test_content_controls_are_read():
    body = (
        '<w:sdt><w:sdtPr><w:alias w:val="Tiêu đề"/></w:sdtPr><w:sdtContent>'
        + p("KẾ HOẠCH")
        + "</w:sdtContent></w:sdt>"
        + "<w:p><w:sdt><w:sdtPr/><w:sdtContent>"
        + r("Năm 2024")
        + "</w:sdtContent></w:sdt></w:p>"
    )
    assert texts(read(body)) == ["KẾ HOẠCH", "Năm 2024"]


def _box(text: str) -> str:
    return (
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:drawing><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
        f'wordprocessingShape"><wps:txbx><w:txbxContent>{p(text)}</w:txbxContent></wps:txbx></wps:wsp></w:drawing>'
        f"</mc:Choice><mc:Fallback><w:pict><w:txbxContent>{p(text)}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def test_text_boxes_follow_their_paragraph_once_and_are_located_at_it():
    body = p("KẾ HOẠCH") + "<w:p>" + r("Thực hiện năm 2024") + _box("DỰ THẢO") + "</w:p>" + p("Nội dung.")
    res = read(body)
    assert texts(res) == ["KẾ HOẠCH", "Thực hiện năm 2024", "DỰ THẢO", "Nội dung."]
    locs = [res.sourcemap.locate(b.span).paragraph for b in res.blocks]
    assert locs == [1, 2, 2, 3]


FOOTNOTES = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> Nghị định số 27/2022/NĐ-CP ngày 19/4/2022 của Chính phủ.</w:t></w:r></w:p></w:footnote>'
)


def test_cited_footnotes_are_read_after_their_paragraph():
    body = (
        p("KẾ HOẠCH")
        + "<w:p>"
        + r("Căn cứ cơ chế quản lý")
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + r(";")
        + "</w:p>"
        + p("Nội dung.")
    )
    res = read(body, footnotes=FOOTNOTES)
    assert texts(res) == [
        "KẾ HOẠCH",
        "Căn cứ cơ chế quản lý;",
        "Nghị định số 27/2022/NĐ-CP ngày 19/4/2022 của Chính phủ.",
        "Nội dung.",
    ]
    i = 2
    assert res.sourcemap.locate(Span(res.blocks[i].span.start, res.blocks[i].span.start + 5)).paragraph == 2
