"""Website text around a scraped document (issue 13): site banners before the issuer's
header and related-document lists, copyright lines and footers after the signature are
the web page, not the document (rules/facts/website.yaml, layout region "web")."""

from __future__ import annotations

from plancheck.engine import check_document
from plancheck.parse import parse_text
from plancheck.rulebook import load_rules

DOC = """ỦY BAN NHÂN DÂN
XÃ AN BÌNH

Số: 12/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Độc lập - Tự do - Hạnh phúc

An Bình, ngày 12 tháng 3 năm 2024

KẾ HOẠCH

Tổ chức hội nghị tổng kết năm 2024

I. MỤC ĐÍCH, YÊU CẦU

Tổng kết công tác năm.

II. NỘI DUNG

Các nội dung của hội nghị.

III. TỔ CHỨC THỰC HIỆN

Giao các bộ phận thực hiện./.

Nơi nhận:

- UBND huyện;

- Lưu: VT.

TM. ỦY BAN NHÂN DÂN

CHỦ TỊCH

Nguyễn Văn A
"""

BEFORE = """Trang chủ | Văn bản | Đăng nhập

KẾ HOẠCH 12/KH-UBND NĂM 2024

Hiệu lực: Còn hiệu lực

I. Tải về

"""

AFTER = """
Văn bản liên quan

1. Quyết định 123/QĐ-UBND năm 2023

3. Thông tư 5/2023/TT-BTC

Bản quyền © 2024 Cổng thông tin
"""


def _run(text: str):
    doc = parse_text(text, name="trang.md")
    return doc, sorted((f.code, f.message.vi) for f in check_document(doc, load_rules()))


def test_web_page_text_is_not_the_document():
    clean_doc, clean = _run(DOC)
    doc, got = _run(BEFORE + DOC + AFTER)
    web = [doc.block_text(b) for b in doc.blocks if b.region == "web"]
    assert any("Đăng nhập" in t for t in web) and any("Bản quyền" in t for t in web)
    assert not any("ỦY BAN NHÂN DÂN" in t or "Nguyễn Văn A" in t for t in web)
    for key in ("number", "issue_date", "title", "is_plan"):
        assert doc.metadata.get(key) == clean_doc.metadata.get(key), key
    assert got == clean  # the banner's "I." and the list's "1." "3." are nobody's numbering


def test_a_document_without_web_text_keeps_all_its_blocks():
    doc, _ = _run(DOC + "\nPhụ lục: Danh sách đại biểu được mời tham dự hội nghị\n")
    assert not any(b.region == "web" for b in doc.blocks)
