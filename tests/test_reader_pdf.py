"""The .pdf reader: lines and pages, furniture dropped, wrapped lines joined, tables, errors.

The PDFs are drawn in the test with reportlab (a dev dependency) and DejaVu Serif, at
known positions, so the expected page/line of every text is known.
"""

from __future__ import annotations

import io
import time
import unicodedata
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from plancheck.model import Span
from plancheck.readers import Limits, ReadError, read_bytes
from plancheck.readers.pdf import read_pdf

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

REG, BOLD, ITAL, BI = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"
W, H = A4
L, R = 85.0, 540.0  # text column
SIZE, LEAD = 12, 16


def _fonts() -> None:
    if REG in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (
        (REG, "DejaVuSerif.ttf"),
        (BOLD, "DejaVuSerif-Bold.ttf"),
        (ITAL, "DejaVuSerif-Italic.ttf"),
        (BI, "DejaVuSerif-BoldItalic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REG, normal=REG, bold=BOLD, italic=ITAL, boldItalic=BI)


def wrap(text: str, first_indent: float = 28.0, font: str = REG, size: float = SIZE) -> list[tuple[float, str]]:
    """Greedy wrap into (x, line) pairs inside [L, R], first line indented."""
    out: list[tuple[float, str]] = []
    words = text.split(" ")
    cur = ""
    x = L + first_indent
    for w in words:
        cand = f"{cur} {w}" if cur else w
        if pdfmetrics.stringWidth(cand, font, size) <= R - x:
            cur = cand
        else:
            out.append((x, cur))
            cur, x = w, L
    out.append((x, cur))
    return out


class Page:
    """Draws lines top-down on a canvas page, recording each line's visual index."""

    def __init__(
        self,
        c: canvas.Canvas,
        no: int,
        header: str | None = "Kế hoạch số 85/KH-UBND của UBND xã Thịnh Đức",
        top_number: str | None = None,
    ) -> None:
        self.c, self.no = c, no
        self.y = H - 70
        self.line = 0
        if top_number:  # page number at the top centre (Nghị định 30/2020 layout)
            c.setFont(REG, 11)
            c.drawCentredString(W / 2, H - 24, top_number)
            self.line += 1
        if header:
            c.setFont(ITAL, 9)
            c.drawCentredString(W / 2, H - 40, header)
            self.line += 1

    def text(self, x: float, s: str, font: str = REG, size: float = SIZE, gap: float = 0.0) -> int:
        self.y -= gap
        self.c.setFont(font, size)
        self.c.drawString(x, self.y, s)
        self.line += 1
        self.y -= LEAD
        return self.line

    def runs(self, x: float, runs: list[tuple[str, str]], size: float = SIZE) -> int:
        for text, font in runs:
            self.c.setFont(font, size)
            self.c.drawString(x, self.y, text)
            x += pdfmetrics.stringWidth(text, font, size)
        self.line += 1
        self.y -= LEAD
        return self.line

    def para(self, text: str, gap: float = 4.0, font: str = REG) -> list[int]:
        self.y -= gap
        return [self.text(x, s, font) for x, s in wrap(text, font=font)]

    def footer(self, s: str) -> None:
        self.c.setFont(REG, 11)
        self.c.drawCentredString(W / 2, 30, s)


P1 = (
    "Căn cứ Kế hoạch số 211/KH-UBND ngày 30/9/2022 của UBND thành phố Thái Nguyên về việc thực hiện "
    "Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2022 trên địa bàn thành phố, Ủy ban nhân dân "
    "xã xây dựng kế hoạch như sau."
)
P2_LABEL = "a) Mục tiêu:"
P2_REST = (
    " Hỗ trợ đa dạng hóa sinh kế, phát triển mô hình giảm nghèo, tạo việc làm bền vững cho người lao động "
    "thuộc hộ nghèo, hộ cận nghèo trên địa bàn xã."
)
NFD = "Người nghèo được thụ hưởng chính sách hỗ trợ của Nhà nước."
P3 = (
    "Tổ chức quán triệt các nội dung phù hợp với từng đối tượng, thành phần, từng cấp, ngành, nhằm giúp cho "
    "cán bộ, đảng viên và Nhân dân nắm vững, hiểu rõ những nội dung cơ bản của Kế hoạch giảm nghèo; việc tổ "
    "chức quán triệt phải nghiêm túc, thiết thực, hiệu quả, tránh hình thức, gắn với kiểm tra, giám sát thường "
    "xuyên của cấp ủy và chính quyền các cấp trong suốt quá trình thực hiện kế hoạch."
)
P4 = "Giao Ủy ban nhân dân xã chủ trì, phối hợp với các đoàn thể tổ chức thực hiện kế hoạch này."


def build_plan() -> tuple[bytes, dict]:
    """Three pages; returns the PDF and where things were drawn: name -> (page, line)."""
    _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    at: dict[str, tuple[int, int]] = {}

    pg = Page(c, 1)
    # header: two columns drawn on the same baselines
    c.setFont(REG, 11)
    c.drawString(L, pg.y, "ỦY BAN NHÂN DÂN")
    c.setFont(BOLD, 11)
    c.drawString(300, pg.y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pg.line += 1
    pg.y -= LEAD
    c.setFont(REG, 11)
    c.drawString(L + 10, pg.y, "Số: 85/KH-UBND")
    c.setFont(BOLD, 11)
    c.drawString(335, pg.y, "Độc lập - Tự do - Hạnh phúc")
    pg.line += 1
    pg.y -= LEAD + 14
    pg.c.setFont(BOLD, 13)
    pg.c.drawCentredString((L + R) / 2, pg.y, "KẾ HOẠCH")
    pg.line += 1
    at["title"] = (1, pg.line)
    pg.y -= LEAD + 8
    at["heading"] = (1, pg.text(L + 28, "I. MỤC ĐÍCH, YÊU CẦU", BOLD))
    at["p1"] = (1, pg.para(P1)[0])
    # run-in bold label, then the wrapped rest of the paragraph
    lines = wrap(P2_LABEL + P2_REST)
    pg.y -= 4
    x0, first = lines[0]
    at["p2"] = (1, pg.runs(x0, [(P2_LABEL, BOLD), (first[len(P2_LABEL) :], REG)]))
    for x, s in lines[1:]:
        pg.text(x, s)
    at["item1"] = (1, pg.text(L + 28, "- Thứ nhất: tuyên truyền;", gap=4))
    at["item2"] = (1, pg.text(L + 28, "- Thứ hai: hỗ trợ sinh kế.", gap=4))
    at["nfd"] = (1, pg.para(unicodedata.normalize("NFD", NFD))[0])
    # P3 starts near the bottom of page 1 and runs on to page 2
    p3 = wrap(P3)
    pg.y = 60 + LEAD * 2 + 4
    pg.line += 0
    at["p3"] = (1, pg.text(p3[0][0], p3[0][1], gap=4))
    pg.text(p3[1][0], p3[1][1])
    pg.footer("- 1 -")
    c.showPage()

    pg = Page(c, 2)
    at["p3_cont"] = (2, pg.text(p3[2][0], p3[2][1]))
    for x, s in p3[3:]:
        pg.text(x, s)
    at["heading2"] = (2, pg.text(L + 28, "II. NỘI DUNG THỰC HIỆN", BOLD, gap=6))
    at["p4"] = (2, pg.para(P4)[0])
    pg.footer("Trang 2")
    c.showPage()

    pg = Page(c, 3, top_number="3")
    at["p5"] = (3, pg.para("Trên đây là Kế hoạch thực hiện Chương trình năm 2022 của xã.")[0])
    pg.y -= 10
    # signature: "Nơi nhận" left, authority and signer right, on shared baselines
    left = [("Nơi nhận:", BI), ("- Như trên;", REG), ("- Lưu: VT.", REG)]
    right = [("KT. CHỦ TỊCH", BOLD), ("PHÓ CHỦ TỊCH", BOLD), ("", REG)]
    for (lt, lf), (rt, rf) in zip(left, right, strict=True):
        c.setFont(lf, 11)
        c.drawString(L, pg.y, lt)
        if rt:
            c.setFont(rf, 12)
            c.drawCentredString(430, pg.y, rt)
        pg.line += 1
        at[lt] = (3, pg.line)
        pg.y -= LEAD
    pg.y -= 40
    c.setFont(BOLD, 12)
    c.drawCentredString(430, pg.y, "Nguyễn Văn An")
    pg.line += 1
    at["signer"] = (3, pg.line)
    c.showPage()
    c.save()
    return buf.getvalue(), at


@pytest.fixture(scope="module")
def plan():
    data, at = build_plan()
    return data, at, read_pdf(data, Limits())


def _texts(res, kind=None):
    return [res.text[b.span.start : b.span.end] for b in res.blocks if kind is None or b.kind == kind]


def _block(res, text):
    for b in res.blocks:
        if res.text[b.span.start : b.span.end] == text:
            return b
    raise AssertionError(f"no block {text!r} in {_texts(res)}")


def _loc_of(res, text, start_block=None):
    i = res.text.index(text, start_block.span.start if start_block else 0)
    return res.sourcemap.locate(Span(i, i + len(text)))


# ---------------------------------------------------------------- paragraphs


def test_blocks_in_reading_order(plan):
    _, _, res = plan
    assert res.fmt == "pdf"
    assert _texts(res) == [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 85/KH-UBND",
        "Độc lập - Tự do - Hạnh phúc",
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        P1,
        P2_LABEL + P2_REST,
        "- Thứ nhất: tuyên truyền;",
        "- Thứ hai: hỗ trợ sinh kế.",
        NFD,
        P3,
        "II. NỘI DUNG THỰC HIỆN",
        P4,
        "Trên đây là Kế hoạch thực hiện Chương trình năm 2022 của xã.",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "- Như trên;",
        "PHÓ CHỦ TỊCH",
        "- Lưu: VT.",
        "Nguyễn Văn An",
    ]


def test_wrapped_lines_are_joined_with_one_space(plan):
    _, _, res = plan
    assert len(wrap(P1)) >= 3 and len(wrap(P3)) >= 4  # the fixture really wraps
    b = _block(res, P1)
    assert "\n" not in res.text[b.span.start : b.span.end]


def test_page_numbers_and_running_header_dropped(plan):
    _, _, res = plan
    assert "Kế hoạch số 85/KH-UBND của UBND" not in res.text
    assert "Trang 2" not in res.text and "- 1 -" not in res.text
    assert not any(t.strip() in ("3", "- 1 -", "Trang 2") for t in _texts(res))


def test_locations_are_page_and_line(plan):
    _, at, res = plan
    for key, text in (
        ("title", "KẾ HOẠCH"),
        ("heading", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("p1", P1),
        ("p4", P4),
        ("signer", "Nguyễn Văn An"),
    ):
        loc = res.sourcemap.locate(_block(res, text).span)
        assert (loc.page, loc.line) == at[key], key
    # a word on the second line of P1 (x = L: column counts from the line start)
    x, second = wrap(P1)[1]
    word = second.split(" ")[2]
    loc = _loc_of(res, " ".join(second.split(" ")[2:4]), _block(res, P1))
    assert (loc.page, loc.line) == (1, at["p1"][1] + 1)
    assert loc.column == second.index(word) + 1
    assert res.sourcemap.locate(_block(res, "Nơi nhận:").span).line == at["Nơi nhận:"][1]
    kt = res.sourcemap.locate(_block(res, "KT. CHỦ TỊCH").span)
    assert (kt.page, kt.line) == at["Nơi nhận:"] and kt.column > 1  # second fragment of the line


def test_paragraph_runs_on_across_the_page_break(plan):
    _, at, res = plan
    b = _block(res, P3)
    assert res.sourcemap.locate(b.span).page == 1
    third = wrap(P3)[2][1]
    loc = _loc_of(res, third, b)
    assert (loc.page, loc.line, loc.column) == (*at["p3_cont"], 1)


def test_bold_hints(plan):
    _, _, res = plan
    assert _block(res, "KẾ HOẠCH").bold
    assert _block(res, "I. MỤC ĐÍCH, YÊU CẦU").bold
    assert _block(res, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold
    assert not _block(res, "ỦY BAN NHÂN DÂN").bold
    p2 = _block(res, P2_LABEL + P2_REST)
    assert not p2.bold and p2.bold_prefix == len(P2_LABEL)
    p1 = _block(res, P1)
    assert not p1.bold and p1.bold_prefix == 0 and not p1.italic
    assert _block(res, "Nơi nhận:").italic and _block(res, "Nơi nhận:").bold


def test_nfd_text_comes_out_nfc(plan):
    _, at, res = plan
    assert unicodedata.is_normalized("NFC", res.text)
    b = _block(res, NFD)
    loc = res.sourcemap.locate(b.span)
    assert (loc.page, loc.line) == at["nfd"]
    assert unicodedata.normalize("NFC", res.sourcemap.original(b.span)) == NFD


# ---------------------------------------------------------------- tables


def build_table_pdf() -> bytes:
    _fonts()
    body = ParagraphStyle("b", fontName=REG, fontSize=12, leading=16, firstLineIndent=28)
    cell = ParagraphStyle("c", fontName=REG, fontSize=10, leading=12)
    head = ParagraphStyle("h", parent=cell, fontName=BOLD)
    data = [
        [Paragraph("TT", head), Paragraph("Tên xóm", head), Paragraph("Số hộ nghèo đầu năm 2022", head)],
        [Paragraph("1", cell), Paragraph("NHÂN HÒA", cell), Paragraph("219", cell)],
        [Paragraph("2", cell), Paragraph("PHÚC HÒA", cell), Paragraph("1.992", cell)],
        [Paragraph("CỘNG", head), "", Paragraph("2.211", head)],
    ]
    t = Table(data, colWidths=[40, 200, 110])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("SPAN", (0, 3), (1, 3))]))
    story = [
        Paragraph("Số hộ nghèo của từng xóm được tổng hợp trong bảng sau đây:", body),
        Spacer(1, 8),
        t,
        Spacer(1, 8),
        Paragraph("Bảng trên là số liệu rà soát cuối năm.", body),
    ]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(story)
    return buf.getvalue()


def test_ruled_table_cells():
    res = read_pdf(build_table_pdf(), Limits())
    assert len(res.tables) == 1
    rows = [[res.text[res.blocks[i].span.start : res.blocks[i].span.end] for i in row] for row in res.tables[0].rows]
    assert rows == [
        ["TT", "Tên xóm", "Số hộ nghèo đầu năm 2022"],
        ["1", "NHÂN HÒA", "219"],
        ["2", "PHÚC HÒA", "1.992"],
        ["CỘNG", "", "2.211"],
    ]
    paras = _texts(res, "paragraph")
    assert paras == [
        "Số hộ nghèo của từng xóm được tổng hợp trong bảng sau đây:",
        "Bảng trên là số liệu rà soát cuối năm.",
    ]
    kinds = [b.kind for b in res.blocks]
    assert kinds[0] == "paragraph" and kinds[-1] == "paragraph" and set(kinds[1:-1]) == {"cell"}
    total = _block(res, "CỘNG")
    assert total.bold and total.row == 3 and total.col == 0
    loc = res.sourcemap.locate(_block(res, "2.211").span)
    assert loc.page == 1 and loc.line == res.sourcemap.locate(total.span).line


def test_table_continued_on_next_page_is_one_table():
    _fonts()
    body = ParagraphStyle("b", fontName=REG, fontSize=12, leading=16)
    rows = [["TT", "Tên xóm", "Số hộ"]] + [[str(i), f"Xóm số {i}", str(100 + i)] for i in range(1, 61)]
    rows.append(["CỘNG", "", "6.030"])
    t = Table(rows, colWidths=[40, 200, 110], repeatRows=1)
    t.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.6, "black"), ("FONT", (0, 0), (-1, -1), REG, 10), ("SPAN", (0, -1), (1, -1))]
        )
    )
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(
        [Paragraph("Bảng tổng hợp:", body), t, Paragraph("Hết bảng.", body)]
    )
    res = read_pdf(buf.getvalue(), Limits())
    assert res.sourcemap.locate(Span(len(res.text) - 1, len(res.text))).page == 2  # really two pages
    assert len(res.tables) == 1
    got = [[res.text[res.blocks[i].span.start : res.blocks[i].span.end] for i in row] for row in res.tables[0].rows]
    assert got == rows[:-1] + [["CỘNG", "", "6.030"]]
    assert res.text.count("Tên xóm") == 1  # the header row repeated on page 2 is not a data row
    assert _texts(res, "paragraph") == ["Bảng tổng hợp:", "Hết bảng."]


def test_boxes_and_underlines_are_not_tables(monkeypatch):
    import plancheck.readers.pdf as pdfmod

    def no_plumber(data):
        raise AssertionError("pdfplumber opened for a page without a ruled table")

    monkeypatch.setattr(pdfmod, "_open_plumber", no_plumber)
    _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont(BOLD, 12)
    c.drawString(L, 760, "ỦY BAN NHÂN DÂN")
    c.line(L + 20, 754, L + 90, 754)  # the short rule under the issuer
    c.rect(L, 600, R - L, 120)  # a box around a note
    c.setFont(REG, 12)
    c.drawString(L + 10, 700, "Ghi chú: văn bản này là dự thảo.")
    c.showPage()
    c.save()
    res = read_pdf(buf.getvalue(), Limits())
    assert not res.tables
    assert _texts(res) == ["ỦY BAN NHÂN DÂN", "Ghi chú: văn bản này là dự thảo."]


# ---------------------------------------------------------------- errors and limits


def _simple_pdf(pages: int = 1, text: bool = True, encrypt=None) -> bytes:
    _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)
    for p in range(pages):
        if text:
            c.setFont(REG, 12)
            c.drawString(L, H - 80, f"KẾ HOẠCH trang {p + 1}")
        else:
            for i in range(30):
                c.rect(60 + i * 12, 400 + (i % 5) * 20, 9, 15, fill=1)
            c.line(60, 300, 500, 300)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_encrypted_pdf():
    from reportlab.lib.pdfencrypt import StandardEncryption

    with pytest.raises(ReadError) as exc:
        read_pdf(_simple_pdf(encrypt=StandardEncryption("mat-khau", ownerPassword="chu")), Limits())
    assert exc.value.reason == "encrypted"
    # only an owner password (permissions): opens without a password and is read
    res = read_pdf(_simple_pdf(encrypt=StandardEncryption("", ownerPassword="chu", canCopy=0)), Limits())
    assert "KẾ HOẠCH" in res.text


def test_pages_without_text_layer_are_scanned():
    with pytest.raises(ReadError) as exc:
        read_pdf(_simple_pdf(pages=2, text=False), Limits())
    assert exc.value.reason == "scanned"


def test_broken_pdf_is_corrupt():
    good = _simple_pdf()
    for bad in (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", good[: len(good) // 3]):
        with pytest.raises(ReadError) as exc:
            read_pdf(bad, Limits())
        assert exc.value.reason == "corrupt" and exc.value.params.get("detail")


def test_too_many_pages():
    with pytest.raises(ReadError) as exc:
        read_pdf(_simple_pdf(pages=3), Limits(max_pages=2))
    assert exc.value.reason == "too_many_pages"
    assert exc.value.params == {"pages": 3, "limit": 2}


def test_dispatch_through_read_bytes(plan):
    data, _, _ = plan
    res = read_bytes(data, "ke-hoach.pdf")
    assert res.fmt == "pdf" and "I. MỤC ĐÍCH, YÊU CẦU" in res.text


def test_rotated_page_reads_in_display_order():
    _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    lines = ["Dòng thứ nhất của đoạn văn trên trang quay ngang", "tiếp tục ở dòng thứ hai.", "1. Mục mới"]
    for k, s in enumerate(lines):  # drawn upwards so that /Rotate 90 shows them upright
        c.saveState()
        c.translate(100 + 16 * k, 100)
        c.rotate(90)
        c.setFont(REG, 12)
        c.drawString(0, 0, s)
        c.restoreState()
    c.showPage()
    c.save()
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(buf.getvalue())
    doc[0].set_rotation(90)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    res = read_pdf(out.getvalue(), Limits())
    assert _texts(res) == [lines[0] + " " + lines[1], "1. Mục mới"]
    assert res.sourcemap.locate(_block(res, "1. Mục mới").span).line == 3


# ---------------------------------------------------------------- performance


def test_ten_page_pdf_without_tables_is_fast():
    _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for p in range(10):
        pg = Page(c, p + 1)
        while pg.y > 120:
            pg.para(P3 if pg.line % 2 else P1)
        pg.footer(f"- {p + 1} -")
        c.showPage()
    c.save()
    data = buf.getvalue()
    best = min(_timed(read_pdf, data) for _ in range(3))
    res = read_pdf(data, Limits())
    assert res.sourcemap.locate(Span(len(res.text) - 1, len(res.text))).page == 10
    # A guard against pathological slowness only (a per-page search gone quadratic): the
    # real numbers live in benchmarks/RESULTS.md, not in a timed test on a shared machine.
    assert best < 1.0, f"10 pages took {best * 1000:.0f} ms"


def _timed(fn, data) -> float:
    t = time.perf_counter()
    fn(data, Limits())
    return time.perf_counter() - t


# ---------------------------------------------------------------- rendered seeds


@pytest.mark.skipif(not (SEEDS / "seed001.pdf").exists(), reason="seed001.pdf not rendered")
def test_seed001_pdf_total_row_and_heading():
    res = read_pdf((SEEDS / "seed001.pdf").read_bytes(), Limits())
    heading = _block(res, "VII. TỔ CHỨC THỰC HIỆN")
    assert heading.kind == "paragraph" and heading.bold
    rows = [
        [res.text[res.blocks[i].span.start : res.blocks[i].span.end] for i in row] for t in res.tables for row in t.rows
    ]
    total = [r for r in rows if "CỘNG" in r]
    assert total and all("2.211" in r for r in total)
    assert not any("2.211" in t for t in _texts(res, "paragraph"))


@pytest.mark.skipif(
    not all((SEEDS / f"seed00{i}.{e}").exists() for i in range(5) for e in ("pdf", "docx")), reason="seeds not rendered"
)
@pytest.mark.parametrize("seed", [f"seed00{i}" for i in range(5)])
def test_seed_pdf_paragraphs_match_docx(seed):
    """The same plan rendered to .docx and .pdf: the same paragraphs, tables and bold hints."""
    from plancheck.readers.docx import read_docx

    d = read_docx((SEEDS / f"{seed}.docx").read_bytes(), Limits())
    p = read_pdf((SEEDS / f"{seed}.pdf").read_bytes(), Limits())

    def paras(res, with_layout):
        return [
            (" ".join(res.text[b.span.start : b.span.end].split()), b.bold, b.bold_prefix, b.italic)
            for b in res.blocks
            if b.kind == "paragraph" or (with_layout and b.region == "layout")
        ]

    assert paras(p, False) == paras(d, True)

    def cells(res):
        return [
            [res.text[res.blocks[i].span.start : res.blocks[i].span.end] for i in row]
            for t in res.tables
            if t.region != "layout"
            for row in t.rows
        ]

    assert cells(p) == cells(d)
