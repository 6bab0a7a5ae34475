"""Header facts: issuer, level, locality, number–ký hiệu, place and issue date, title.

Text exports squeeze the header in many ways ("Số: *85* /KH-UBND", a header table as
``|`` rows, everything on one line); the patterns here look only at the header and
title regions, so a "Số:" inside the body is never taken for the plan's own number.
"""

from __future__ import annotations

from typing import Any

import regex

from ..model import Document

NUMBER_LINE = regex.compile(r"(?<!\p{L})Số\s*:?\s*(?P<num>[^\s,;]*(?:\s*/\s*[\p{Lu}Đ][\p{Lu}Đ\d&\-–. ]*)?)", regex.V1)
_NUMBER_VALUE = regex.compile(r"(?P<n>\d*)\s*/\s*(?P<code>[\p{Lu}Đ][\p{Lu}Đ\d&\-–/ ]*[\p{Lu}Đ\d])")
PLACE_DATE = regex.compile(
    r"(?P<place>[\p{L}][\p{L}\s.\-]{1,60}?)\s*,\s*ngày\s+(?P<d>\d{1,2}|\.{2,}|…+|\s*)\s*tháng\s+"
    r"(?P<m>\d{1,2}|\.{2,}|…+|\s*)\s*năm\s+(?P<y>\d{4})",
)
_ISSUER_HINT = regex.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|BAN CHỈ ĐẠO|BỘ|SỞ|PHÒNG|"
    r"VĂN PHÒNG|THỦ TƯỚNG|CHÍNH PHỦ|ĐẢNG ỦY|BAN)\b"
)
_QH = regex.compile(r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|CỘNG\s+HOÀ\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM")
_TN = regex.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", regex.I)
LEVEL_WORDS = regex.compile(
    r"\b(?P<level>xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh|đặc khu)\s+(?P<name>(?:\p{Lu}[\p{L}\-]*\s*){1,4})"
)
_YEAR_IN_TITLE = regex.compile(r"\bnăm\s+(?P<y>20\d\d)\b")
_PERIOD_IN_TITLE = regex.compile(r"giai\s+đoạn\s+(?P<a>20\d\d)\s*[-–—]\s*(?P<b>20\d\d)")


def _texts(doc: Document, regions: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(b.index, doc.block_text(b)) for b in doc.blocks if b.region in regions]


def extract_header(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    head = _texts(doc, ("header", "title"))
    if not head:
        head = [(b.index, doc.block_text(b)) for b in doc.blocks[:12]]
    # Number–ký hiệu
    for i, t in head:
        m = NUMBER_LINE.search(t)
        if m and "/" in m.group(0):
            raw = m.group(0)
            out["number_raw"] = raw
            out["number_block"] = i
            nv = _NUMBER_VALUE.search(raw)
            if nv:
                code = regex.sub(r"\s+", "", nv.group("code"))
                out["number"] = f"{nv.group('n')}/{code}"
            break
    # Place and date
    for i, t in head:
        m = PLACE_DATE.search(t)
        if m:
            place = regex.sub(r"\s+", " ", m.group("place")).strip()
            place = regex.sub(r"^(?:.*\b(?:Hạnh phúc|VIỆT NAM|UBND)\b\s*)", "", place).strip(" -–")
            out["place"] = place
            out["place_date_block"] = i
            d, mo, y = m.group("d").strip(), m.group("m").strip(), m.group("y")
            if d.isdigit() and mo.isdigit():
                out["issue_date_text"] = m.group(0)[m.start("d") - m.start() - len("ngày ") :].strip()
                try:
                    import datetime as _dt

                    out["issue_date"] = _dt.date(int(y), int(mo), int(d)).isoformat()
                except ValueError:
                    out["issue_date_invalid"] = f"{d}/{mo}/{y}"
            break
    out["has_quoc_hieu"] = any(_QH.search(t) for _, t in head)
    out["has_tieu_ngu"] = any(_TN.search(t) for _, t in head)
    # Issuer: header lines in capitals naming a body
    issuer_lines = []
    for i, t in head:
        s = t.strip()
        if meta.get("title_block") is not None and i >= meta["title_block"]:
            break
        if _QH.search(s) or _TN.search(s) or NUMBER_LINE.search(s) or PLACE_DATE.search(s):
            continue
        if s.isupper() and 3 <= len(s) <= 120:
            issuer_lines.append(s)
    if issuer_lines:
        issuer = " ".join(issuer_lines)
        issuer = regex.sub(r"\s+", " ", issuer).strip()
        out["issuer"] = issuer
    # Title (trích yếu)
    tb = meta.get("title_block")
    if tb is not None:
        title_text = doc.block_text(doc.blocks[tb]).strip()
        out["doc_type"] = regex.match(r"^\S+(?:\s+\S+)?", title_text).group(0) if title_text else None
        parts = []
        for b in doc.blocks[tb + 1 : tb + 4]:
            t = doc.block_text(b).strip()
            if b.kind != "paragraph" or regex.match(r"^(?:Căn cứ|Để|Nhằm|Theo|I\s*[.)]|\p{Lu}[\p{L} ]{0,30}:\s)", t):
                break
            if t.startswith("Thực hiện") and (regex.search(r"\bsố\s*\d", t) or len(t) > 250):
                break
            if parts and not (b.bold or t.isupper() or len(parts[0]) < 60):
                break
            parts.append(t)
            if len(" ".join(parts)) > 120:
                break
            if not b.bold and not t.isupper():
                break
        rest = title_text
        from ..layout import title_match

        m = title_match(rest)
        if m and m.group("rest"):
            parts.insert(0, m.group("rest"))
        if parts:
            out["title"] = regex.sub(r"\s+", " ", " ".join(parts)).strip()
    return out
