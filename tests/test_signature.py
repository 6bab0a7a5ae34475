"""Closing parse: Nơi nhận entries, Lưu: VT, signature segments, signer name, body end mark."""

from __future__ import annotations

from plancheck.parse import parse, parse_text


def test_seed001_closing(seeds):
    m = parse(seeds / "seed001.txt").metadata
    assert m["signer_authority"] == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"
    assert m["signer_title"] == "PHÓ CHỦ TỊCH"
    assert m["signer_name"] == "Lang Đại Thành"
    assert m["recipients"][0] == "UBND thành phố Thái nguyên;"
    assert m["recipients"][-1] == "Lưu: VP."
    assert m["has_luu"] and not m["has_luu_vt"]
    assert m["body_end_mark"] == "./."


def test_seed002_name_without_title(seeds):
    m = parse(seeds / "seed002.txt").metadata
    assert m["signer_name"] == "Bùi Việt Hùng"
    assert "signer_title" not in m and "signer_authority" not in m
    assert m["body_end_mark"] == ". /"
    assert m["has_luu_vt"]  # "Lưu: VT, LĐTBXH;"


def test_seed000_bold_lines_run_together(seeds):
    # "**TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH**" is one paragraph: split at the title.
    m = parse(seeds / "seed000.txt").metadata
    assert m["signer_authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert m["signer_title"] == "CHỦ TỊCH"
    assert m["signer_name"] == "Nguyễn Văn Dương"
    assert m["has_luu_vt"]  # "Lưu: VT LT."


def test_markdown_closing_table(root):
    m = parse(root / "corpus/realworld/kh-1796a553dfee88ef.md").metadata
    assert m["signer_authority"] == "KT. BỘ TRƯỞNG"
    assert m["signer_title"] == "THỨ TRƯỞNG"
    assert m["signer_name"] == "Hoàng Trung"
    assert m["recipients"][0] == "Như Điều 3;" and m["has_luu_vt"]


def test_pdf_interleaved_columns():
    text = (
        "KẾ HOẠCH\n\nGiảm nghèo năm 2022\n\nTrên đây là Kế hoạch./.\n\n"
        "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n\n- UBND thành phố Thái nguyên; KT. CHỦ TỊCH\n\n"
        "- Lưu: VP. PHÓ CHỦ TỊCH\n\nLang Đại Thành"
    )
    m = parse_text(text).metadata
    assert m["recipients"] == ["UBND thành phố Thái nguyên;", "Lưu: VP."]
    assert m["signer_authority"] == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"
    assert m["signer_title"] == "PHÓ CHỦ TỊCH"
    assert m["signer_name"] == "Lang Đại Thành"


def test_recipients_squeezed_on_one_line():
    m = parse_text(
        "KẾ HOẠCH\n\nX năm 2022\n\nNội dung./.\n\nNơi nhận: - Như trên; - Lưu: VT.\n\nCHỦ TỊCH\n\nLê Văn Ba"
    ).metadata
    assert m["recipients"] == ["Như trên;", "Lưu: VT."]
    assert m["signer_title"] == "CHỦ TỊCH" and m["signer_name"] == "Lê Văn Ba"


def test_no_closing():
    m = parse_text("KẾ HOẠCH\n\nGiảm nghèo năm 2024\n\nI. MỤC ĐÍCH\n\nNội dung.").metadata
    assert not m["has_noi_nhan"] and "signer_name" not in m and "body_end_mark" not in m


def test_word_soft_breaks_in_one_cell():
    # A Word signature cell with soft line breaks arrives as one block.
    text = (
        "KẾ HOẠCH\n\nX năm 2022\n\nNội dung./.\n\nNơi nhận:\n\n- UBND Q. Hải Châu;\n\n- Lưu: VT.\n\n"
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lang Đại Thành"
    )
    m = parse_text(text).metadata
    assert m["recipients"] == ["UBND Q. Hải Châu;", "Lưu: VT."]  # "Q. Hải Châu" is a quận, not "Q." acting
    assert m["signer_authority"] == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"
    assert (m["signer_title"], m["signer_name"]) == ("PHÓ CHỦ TỊCH", "Lang Đại Thành")


def test_title_followed_by_its_body_name():
    text = (
        "KẾ HOẠCH\n\nX năm 2022\n\nNội dung./.\n\nNơi nhận:\n\n- Lưu: VT.\n\nTUQ. CHỦ TỊCH\n\n"
        "GIÁM ĐỐC SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\n\nLê Văn Ba"
    )
    m = parse_text(text).metadata
    assert m["signer_authority"] == "TUQ. CHỦ TỊCH"
    assert m["signer_title"].startswith("GIÁM ĐỐC SỞ")
    assert m["signer_name"] == "Lê Văn Ba"


def test_title_is_not_the_body_end():
    m = parse_text("KẾ HOẠCH\n\nTM. ỦY BAN NHÂN DÂN\n\nCHỦ TỊCH\n\nLê Văn Ba").metadata
    assert "body_end_mark" not in m
