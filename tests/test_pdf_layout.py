"""PDF layouts real offices produce (issue 12): structural words at a line wrap, wrapped
header columns, tables without ruling lines, hyphenated line ends.

The PDFs are drawn here with reportlab at known positions; the wraps are the greedy
wraps of the text (the words fall where they fall), checked before the test relies on them.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from plancheck.outline import build_outline
from plancheck.parse import parse_text
from plancheck.readers import Limits
from plancheck.readers.pdf import read_pdf

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REG, BOLD, ITAL, BI = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"
W, H = A4
L, R = 85.0, 530.0
SIZE, LEAD = 12, 16

FILLER = (
    "Ủy ban nhân dân xã tổ chức triển khai thực hiện các nội dung đã được phê duyệt theo đúng quy định "
    "hiện hành và hướng dẫn của các sở ngành cấp tỉnh về quản lý sử dụng nguồn vốn đầu tư phát triển "
    "cũng như nguồn vốn sự nghiệp được giao trong năm kế hoạch theo quy định tại"
).split()


def _fonts() -> None:
    if REG in pdfmetrics.getRegisteredFontNames():
        return
    faces = ((REG, "DejaVuSerif.ttf"), (BOLD, "DejaVuSerif-Bold.ttf"), (ITAL, "DejaVuSerif-Italic.ttf"),
             (BI, "DejaVuSerif-BoldItalic.ttf"))  # fmt: skip
    for name, file in faces:
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REG, normal=REG, bold=BOLD, italic=ITAL, boldItalic=BI)


def wrap(text: str, width: float = R - L, font: str = REG, size: float = SIZE) -> list[str]:
    out: list[str] = []
    cur = ""
    for w in text.split(" "):
        cand = f"{cur} {w}" if cur else w
        if pdfmetrics.stringWidth(cand, font, size) <= width:
            cur = cand
        else:
            out.append(cur)
            cur = w
    out.append(cur)
    return out


def wrapped_before(marker_text: str) -> str:
    """A paragraph of filler words then ``marker_text``, where the greedy wrap puts the
    marker at the start of a line."""
    _fonts()
    for k in range(12, len(FILLER)):
        text = " ".join(FILLER[:k]) + " " + marker_text
        if any(line.startswith(marker_text.split()[0] + " " + marker_text.split()[1]) for line in wrap(text)[1:]):
            return text
    raise AssertionError(f"no filler puts {marker_text!r} at a line start")


class Doc:
    """Paragraphs drawn top-down, ragged right, without first-line indents."""

    def __init__(self) -> None:
        _fonts()
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.y = H - 70

    def line(self, s: str, font: str = REG, x: float = L, centred: bool = False, size: float = SIZE) -> None:
        if self.y < 80:
            self.c.showPage()
            self.y = H - 70
        self.c.setFont(font, size)
        if centred:
            self.c.drawCentredString((L + R) / 2, self.y, s)
        else:
            self.c.drawString(x, self.y, s)
        self.y -= LEAD

    def para(self, text: str, font: str = REG, gap: float = 6.0) -> None:
        self.y -= gap
        for s in wrap(text, font=font):
            self.line(s, font)

    def pdf(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def paragraphs(data: bytes) -> list[str]:
    res = read_pdf(data, Limits())
    return [res.text[b.span.start : b.span.end] for b in res.blocks]


PROSE = [
    "Chương II của Nghị định số 27/2022/NĐ-CP ngày 19/3/2022 của Chính phủ về cơ chế quản lý.",
    "Dự án 4 của Chương trình về phát triển giáo dục nghề nghiệp, việc làm bền vững.",
    "Điều 3 Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ.",
    "1. Phần II của Kế hoạch số 211/KH-UBND ngày 30/9/2022 của UBND thành phố.",
    "a) khoản 2 Điều 5 của Thông tư số 15/2022/TT-BTC ngày 04/3/2022 của Bộ Tài chính.",
]


def test_structural_words_at_a_wrap_stay_in_their_paragraph():
    d = Doc()
    d.line("KẾ HOẠCH", BOLD, centred=True)
    d.line("I. MỤC ĐÍCH, YÊU CẦU", BOLD)
    texts = [wrapped_before(p) for p in PROSE]
    for t in texts:
        d.para(t)
    # real items: after a paragraph that ended, short, bold heading / list items
    d.line("1. Mục tiêu", BOLD)
    d.para("a) Tuyên truyền chính sách giảm nghèo.")
    d.para("b) Hỗ trợ sinh kế cho hộ nghèo.")
    got = paragraphs(d.pdf())
    assert got == ["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", *texts, "1. Mục tiêu", "a) Tuyên truyền chính sách giảm nghèo.",
                   "b) Hỗ trợ sinh kế cho hộ nghèo."]  # fmt: skip


def test_a_full_line_that_ended_its_sentence_ends_the_paragraph():
    # the line before "2. …" is full but ends with ".": the item is a new paragraph
    first = wrapped_before("1. Kết quả.")
    text = first[: -len("1. Kết quả.")].rstrip() + "."
    d = Doc()
    d.para("KẾ HOẠCH")
    d.para(text)
    d.para("2. Giao Ủy ban nhân dân xã tổ chức thực hiện.")
    got = paragraphs(d.pdf())
    assert got[-1] == "2. Giao Ủy ban nhân dân xã tổ chức thực hiện."


def test_part_marker_without_heading_evidence_does_not_reshape_the_outline():
    doc = parse_text(
        "KẾ HOẠCH\n\nGiảm nghèo năm 2024\n\nI. MỤC TIÊU\n\n1. Mục tiêu chung\n\n"
        "Thực hiện theo quy định tại\n\nChương II của Nghị định số 27/2022/NĐ-CP về cơ chế quản lý\n\n"
        "2. Mục tiêu cụ thể\n\nII. NHIỆM VỤ\n\nCHƯƠNG III. TỔ CHỨC THỰC HIỆN\n\nI. TRÁCH NHIỆM\n",
        name="x.txt",
    )
    outline = build_outline(doc.text, doc.blocks)
    assert [(h.marker, h.level) for h in outline.headings] == [
        ("I.", 1),
        ("1.", 2),
        ("2.", 2),
        ("II.", 1),
        ("CHƯƠNG III.", 1),
        ("I.", 2),
    ]


# ---------------------------------------------------------------- tables without ruling lines (item 5)

ROWS = [
    ("TT", "Tên thôn", "Số hộ", "Hộ nghèo", "Tỷ lệ %"),
    ("1", "Thôn Đông", "219", "3", "1,37"),
    ("2", "Thôn Tây", "209", "6", "2,87"),
    ("3", "Thôn Nam", "198", "2", "1,01"),
    ("4", "Thôn Bắc", "182", "4", "2,20"),
    ("", "CỘNG", "808", "15", "1,86"),
]
COLS = [L + 5, L + 45, L + 200, L + 290, L + 380]  # left edges: no line is drawn


def _borderless(d: Doc, rows=ROWS) -> None:
    for row in rows:
        for x, cell in zip(COLS, row, strict=True):
            if cell:
                d.c.setFont(BOLD if row is rows[0] else REG, 10)
                d.c.drawString(x, d.y, cell)
        d.y -= 15


def test_borderless_table_is_read_as_a_table():
    d = Doc()
    d.para("Biểu chi tiết số hộ nghèo năm 2024 của các thôn như sau:")
    _borderless(d)
    d.y -= 10
    d.para("Trên đây là kết quả rà soát hộ nghèo năm 2024 của xã.")
    res = read_pdf(d.pdf(), Limits())
    assert len(res.tables) == 1
    cells = [[res.text[res.blocks[i].span.start : res.blocks[i].span.end] for i in row] for row in res.tables[0].rows]
    assert cells == [list(r) for r in ROWS]
    paras = [res.text[b.span.start : b.span.end] for b in res.blocks if b.kind == "paragraph"]
    assert paras == [
        "Biểu chi tiết số hộ nghèo năm 2024 của các thôn như sau:",
        "Trên đây là kết quả rà soát hộ nghèo năm 2024 của xã.",
    ]


def test_borderless_table_total_is_checked(tmp_path):
    from plancheck.engine import check_path

    rows = [*ROWS[:-1], ("", "CỘNG", "818", "15", "1,86")]  # 219 + 209 + 198 + 182 = 808
    d = Doc()
    d.line("KẾ HOẠCH", BOLD, centred=True)
    d.para("Giảm nghèo bền vững năm 2024")
    _borderless(d, rows)
    path = tmp_path / "kh.pdf"
    path.write_bytes(d.pdf())
    found = [f for f in check_path(path).findings if f.code == "PC701"]
    assert [f.excerpt for f in found] == ["818"]


def test_prose_columns_and_signature_are_not_tables():
    d = Doc()
    d.line("ỦY BAN NHÂN DÂN", REG)
    d.y += LEAD
    d.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", BOLD, x=300)
    for _ in range(3):
        d.para(" ".join(FILLER))
    # short justified-looking lines with wide gaps, two columns (Nơi nhận | signer)
    for left, right in (("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- Như trên;", "CHỦ TỊCH"), ("- Lưu: VT.", "")):
        d.line(left)
        if right:
            d.y += LEAD
            d.line(right, BOLD, x=360)
    d.line("Hộ      nghèo      được      hỗ      trợ")  # one line with wide gaps
    res = read_pdf(d.pdf(), Limits())
    assert res.tables == () or len(res.tables) == 0


# ---------------------------------------------------------------- hyphenated line ends (item 8)


def test_hyphenated_line_end_is_joined_without_space_and_located():
    from plancheck.model import Span

    d = Doc()
    d.para(" ".join(FILLER[:6]) + ".")
    first = "Căn cứ khoản 2 Điều 30 Nghị định số 126/2024/NĐ-"
    d.y -= 6
    d.line(first)
    d.line("CP ngày 08/10/2024 của Chính phủ quy định về tổ chức, hoạt động và quản lý hội;")
    res = read_pdf(d.pdf(), Limits())
    paras = [res.text[b.span.start : b.span.end] for b in res.blocks]
    want = (
        "Căn cứ khoản 2 Điều 30 Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ quy định về tổ chức, "
        "hoạt động và quản lý hội;"
    )
    assert paras[-1] == want
    i = res.text.index("NĐ-CP")
    loc = res.sourcemap.locate(Span(i, i + len("NĐ-CP")))
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (2, len(first) - 2, 3, 3)
