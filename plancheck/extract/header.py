"""Header facts: issuer, level, locality, number–ký hiệu, place and issue date, title.

Text exports squeeze the header in many ways ("Số: *85* /KH-UBND", a header table as
``|`` rows, the two header columns of a PDF printed side by side on one line:
"Số: 85 /KH-UBND Thái Nguyên, ngày 24 tháng 10 năm 2022", everything on one line);
the patterns here look only at the header and title regions, so a "Số:" inside the
body is never taken for the plan's own number. Each found item keeps its offsets in
``Document.text`` (``_…_span`` keys, not shown in reports) so the format rules can
point at it without searching again.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import regex

from ..layout import title_match
from ..model import Document

# "Số: 85/KH-UBND", "Số: 85 /KH-UBND", "Số:   /KH-UBND", "Số: 33/2025/NQ-HĐND", "Số 12/BC-UBND".
_CODE = r"[\p{Lu}Đ\d&][\p{L}\d&.]*"
NUMBER_LINE = regex.compile(
    r"(?<![\p{L}\d])Số\s*:?[ \t]*(?P<n>\d+(?:[ \t]*/[ \t]*\d{4}(?=[ \t]*/))?|[.…_ \t]*?)[ \t]*(?P<slash>/)[ \t]*"
    r"(?P<code>" + _CODE + r"(?:[ \t]*[-–/][ \t]*" + _CODE + r")*)"
)
# Party documents: "Số 14-KH/TU", "Số: 05-KH/ĐU" (number-type/issuer).
NUMBER_PARTY = regex.compile(r"(?<![\p{L}\d])Số\s*:?[ \t]*(?P<n>\d+)-(?P<code>[\p{Lu}Đ]+/[\p{Lu}Đ\d]+)")
_NUMBER_VALUE = regex.compile(r"(?P<n>\d*)\s*/\s*(?P<code>[\p{Lu}Đ][\p{Lu}Đ\d&\-–/ ]*[\p{Lu}Đ\d])")
# The place: capitalised words just before ", ngày" ("Thái Nguyên", "Thành phố Hồ Chí Minh").
_PLACE_WORD = r"(?:\p{Lu}[\p{L}\p{M}.\-]*|phố|xã|trấn|khu)"
_DAYPART = r"\d{1,2}|[.…_]+|\s*"
PLACE_DATE = regex.compile(
    r"(?P<place>" + _PLACE_WORD + r"(?:[ \t]+" + _PLACE_WORD + r"){0,6})[ \t]*,[ \t]*ngày[ \t]*"
    r"(?P<d>" + _DAYPART + r")[ \t]*tháng[ \t]*(?P<m>" + _DAYPART + r")[ \t]*năm[ \t]*(?P<y>\d{4}|20[.…_ ]*)"
)
_QH = regex.compile(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM", regex.I)
_TN = regex.compile(r"Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc", regex.I)
LEVEL_WORDS = regex.compile(
    r"\b(?P<level>xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh|đặc khu)\s+(?P<name>(?:\p{Lu}[\p{L}\-]*\s*){1,4})"
)
_YEAR_IN_TITLE = regex.compile(r"\bnăm\s+(?P<y>20\d\d)\b")
_PERIOD_IN_TITLE = regex.compile(r"giai\s+đoạn\s+(?P<a>20\d\d)\s*[-–—]\s*(?P<b>20\d\d)")

# A new issuing body starts a header line (or, squeezed, the middle of one).
_BODY_START = regex.compile(
    r"^(?:ỦY BAN|UỶ BAN|UBND|HỘI ĐỒNG|HĐND|BAN |BỘ |SỞ |PHÒNG |VĂN PHÒNG|THỦ TƯỚNG|CHÍNH PHỦ|ĐẢNG|TỔNG |"
    r"CỤC |TRUNG TÂM|CÔNG AN|BỘ CHỈ HUY|MẶT TRẬN|ỦY BAN MẶT TRẬN|HỘI |ĐOÀN |LIÊN ĐOÀN|TRƯỜNG |BỆNH VIỆN|"
    r"CHI CỤC|VIỆN |TÒA ÁN|VIỆN KIỂM SÁT|KHO BẠC|NGÂN HÀNG|BẢO HIỂM|QUỐC HỘI)"
)
_INNER_BODY = regex.compile(r"(?<=\S)\s+(?=(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)\s)")
_UNIT = regex.compile(
    r"(?<![\p{L}])(?P<level>XÃ|PHƯỜNG|THỊ TRẤN|HUYỆN|QUẬN|THỊ XÃ|THÀNH PHỐ|TP\.?|TỈNH|ĐẶC KHU)\s+"
    r"(?P<name>[\p{Lu}\d][\p{Lu}\p{M}\d\-]*(?:\s+[\p{Lu}\d][\p{Lu}\p{M}\d\-]*){0,4})\s*$"
)
_NAME = r"(?P<name>(?:\p{Lu}[\p{Ll}\p{M}\-]*|\d+)(?:[ \t]+(?:\p{Lu}[\p{Ll}\p{M}\-]*|\d+)){0,4})"
_LEVEL_LC = r"(?P<level>xã|phường|thị trấn|huyện|quận|thị xã|thành phố|TP\.?|tỉnh|đặc khu)"
# "UBND xã Thịnh Đức xây dựng Kế hoạch…", "Ủy ban nhân dân huyện Krông Nô ban hành Kế hoạch…"
_ISSUING_SENTENCE = regex.compile(
    r"(?P<body>Ủy ban nhân dân|Uỷ ban nhân dân|UBND|ỦY BAN NHÂN DÂN)\s+"
    + _LEVEL_LC
    + r"\s+"
    + _NAME
    + r"\s+(?:xây dựng|ban hành)\s+(?:[Kk]ế hoạch|KẾ HOẠCH)"
)
# "Trên đây là Kế hoạch … của UBND xã Đa Quyn"
_CLOSING_SENTENCE = regex.compile(
    r"Trên đây là [Kk]ế hoạch.{0,300}?\bcủa\s+(?P<body>Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+"
    + _LEVEL_LC
    + r"\s+"
    + _NAME
)
_TITLE_SCOPE = regex.compile(r"(?:trên địa bàn|của)\s+" + _LEVEL_LC + r"\s+" + _NAME)
_TITLE_STOP = regex.compile(r"^(?:Căn cứ|Để|Nhằm|Theo|I\s*[.)]|\p{Lu}[\p{L} ]{0,30}:\s)")
# Where an all-capitals title runs on into a sentence the reader joined to it.
_TITLE_TAIL = regex.compile(
    r"\s+(?=\(?(?:Ban hành )?[Kk]èm theo\b|(?:Thực hiện|Căn cứ|Triển khai thực hiện|Để|Nhằm)\s)"
)
_DECOR = regex.compile(r"^[\s\-–—_=*.~]*$")


def _head_blocks(doc: Document, meta: dict[str, Any]) -> list[tuple[int, str]]:
    """Header and title blocks (paragraphs and header-table cells), in order."""
    head = [(b.index, doc.block_text(b)) for b in doc.blocks if b.region in ("header", "title")]
    if not head:
        head = [(b.index, doc.block_text(b)) for b in doc.blocks[:12]]
    return head


def _number(doc: Document, head: list[tuple[int, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, t in head:
        m = NUMBER_LINE.search(t)
        if not m:
            pm = NUMBER_PARTY.search(t)
            if pm:
                base = doc.blocks[i].span.start
                out.update(
                    number_raw=pm.group(0),
                    number_block=i,
                    number_value=pm.group("n"),
                    number_code=pm.group("code"),
                    number=f"{pm.group('n')}-{pm.group('code')}",
                    number_style="party",
                    _number_span=(base + pm.start(), base + pm.end()),
                )
                break
            continue
        raw = m.group(0).rstrip()
        base = doc.blocks[i].span.start
        out["number_raw"] = raw
        out["number_block"] = i
        out["_number_span"] = (base + m.start(), base + m.start() + len(raw))
        n = regex.sub(r"\s+", "", m.group("n"))
        code = regex.sub(r"\s+", "", m.group("code")).replace("–", "-")
        out["number_value"] = n if n.isdigit() or "/" in n else ""
        out["number_code"] = code
        out["number"] = f"{out['number_value']}/{code}"
        break
    return out


def _trim_place(words: list[str]) -> list[str]:
    """Drop capitals glued on from the other header column ("KH-UBND Thái Nguyên", "XÃ A A")."""
    while len(words) > 1 and regex.search(r"[-/\d]", words[0]):
        words = words[1:]
    while len(words) > 1 and words[0].isupper() and len(words[0]) > 1 and not words[0].startswith("TP"):
        if all(w.isupper() for w in words):
            break
        words = words[1:]
    if len(words) > 1 and all(w.isupper() for w in words):
        # "ỦY BAN NHÂN DÂN XÃ A A": an issuer line run into a one-word place
        for k in range(len(words) - 1, 0, -1):
            if _BODY_START.match(" ".join(words[k - 1 :]) + " ") or words[k - 1] in ("XÃ", "HUYỆN", "TỈNH", "PHƯỜNG"):
                return words[k:] if k < len(words) else words
    return words


def _place_date_match(doc: Document, head: list[tuple[int, str]]):
    """(block index, text, match, offset of text position k in Document.text).

    The place-and-date may wrap in a narrow header column ("…, ngày 21 tháng 3 năm" /
    "2019") and reach us as two header paragraphs: it is read across them."""
    for i, t in head:
        m = PLACE_DATE.search(t)
        if m:
            base = doc.blocks[i].span.start
            return i, t, m, lambda k, base=base: base + k
    for (i, t), (j, u) in zip(head, head[1:], strict=False):
        if j != i + 1 or "ngày" not in t:
            continue
        joined = f"{t} {u}"
        m = PLACE_DATE.search(joined)
        if m and m.start() < len(t) and m.end() > len(t) + 1 and not PLACE_DATE.search(u):
            bi, bj = doc.blocks[i].span.start, doc.blocks[j].span.start
            return i, joined, m, lambda k, bi=bi, bj=bj, n=len(t): bi + k if k <= n else bj + k - n - 1
    return None


def _place_date(doc: Document, head: list[tuple[int, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    found = _place_date_match(doc, head)
    if found is not None:
        i, t, m, at = found
        words = _trim_place(m.group("place").split())
        place = " ".join(words).strip(" -–")
        pstart = at(m.start("place") + m.group("place").find(words[0]))
        out["place"] = place
        out["place_date_block"] = i
        out["_place_span"] = (pstart, at(m.end("place")))
        out["_place_date_span"] = (pstart, at(m.end()))
        out["issue_date_text"] = regex.sub(r"\s+", " ", t[m.end("place") : m.end()]).lstrip(" ,")
        d, mo, y = m.group("d").strip(), m.group("m").strip(), m.group("y")
        out["issue_day_text"], out["issue_month_text"] = d, mo
        out["_issue_day_span"] = (at(m.start("d")), at(m.end("d")))
        out["_issue_month_span"] = (at(m.start("m")), at(m.end("m")))
        if d.isdigit() and mo.isdigit() and y.isdigit():
            try:
                out["issue_date"] = _dt.date(int(y), int(mo), int(d)).isoformat()
            except ValueError:
                out["issue_date_invalid"] = f"{d}/{mo}/{y}"
        else:
            out["issue_date_blank"] = True
    return out


def _issuer_lines(head: list[tuple[int, str]], stop: int | None) -> list[str]:
    """Capitals left on header lines once Quốc hiệu, Tiêu ngữ, number and date are removed."""
    lines = []
    for i, t in head:
        if stop is not None and i >= stop:
            break
        s = _QH.sub(" ", t)
        s = _TN.sub(" ", s)
        s = NUMBER_LINE.sub(" ", s)
        pm = PLACE_DATE.search(s)
        if pm:
            kept = _trim_place(pm.group("place").split())
            cut = pm.start("place") + pm.group("place").rfind(kept[0]) if kept else pm.start()
            s = s[:cut] + " " + s[pm.end() :]
        s = regex.sub(r"[-–—_=~*]{3,}", " ", s)
        s = regex.sub(r"\s+", " ", s).strip(" -–")
        if not s or _DECOR.match(s):
            continue
        letters = [c for c in s if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and 2 <= len(s) <= 160:
            lines.append(s)
    return lines


def split_bodies(lines: list[str]) -> list[str]:
    """Group header capitals into issuing bodies: "UBND HUYỆN A" / "UBND XÃ B" are two."""
    bodies: list[str] = []
    for s in lines:
        for part in _INNER_BODY.split(s):
            part = part.strip()
            if not part:
                continue
            if bodies and not _BODY_START.match(part):
                bodies[-1] = f"{bodies[-1]} {part}"
            else:
                bodies.append(part)
    return bodies


def _level_name(level: str, name: str) -> tuple[str, str]:
    lv = level.lower().rstrip(".")
    if lv == "tp":
        lv = "thành phố"
    name = regex.sub(r"\s+", " ", name).strip()
    # "TỈNH UỶ ĐỒNG THÁP", "HUYỆN ỦY …": a Party committee of the unit, named after it
    name = regex.sub(r"^(?:UỶ|ỦY|Uỷ|Ủy)\s+", "", name)
    if name.isupper():
        name = name.title()
    return lv, name


def _issuer(doc: Document, head: list[tuple[int, str]], meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    stop = meta.get("doc_title_block")
    if stop is None:
        stop = meta.get("title_block")
    bodies = split_bodies(_issuer_lines(head, stop))
    if bodies:
        out["issuer"] = bodies[-1]
        if len(bodies) > 1:
            out["issuer_parent"] = bodies[-2]
        for b in reversed(bodies):
            m = _UNIT.search(b)
            if m:
                out["issuer_level"], out["issuer_locality"] = _level_name(m.group("level"), m.group("name"))
                out["issuer_unit_source"] = "header"
                break
    return out


def _issuer_from_text(doc: Document, meta: dict[str, Any], title: str) -> dict[str, Any]:
    """Without a header, the issuing unit from "UBND xã X xây dựng Kế hoạch…" or "Trên đây là…"."""
    texts = [doc.block_text(b) for b in doc.blocks if b.kind == "paragraph" and b.region in ("preamble", "body")]
    for src, pat, pool in (
        ("issuing_sentence", _ISSUING_SENTENCE, texts[:15]),
        ("closing_sentence", _CLOSING_SENTENCE, texts[-15:]),
        ("title", _TITLE_SCOPE, [title]),
    ):
        for t in pool:
            m = pat.search(t)
            if m:
                level, name = _level_name(m.group("level"), m.group("name"))
                out = {"issuer_level": level, "issuer_locality": name, "issuer_unit_source": src}
                if "body" in pat.groupindex and not meta.get("issuer"):
                    out["issuer"] = regex.sub(r"\s+", " ", t[m.start("body") : m.end("name")])
                return out
    return {}


def _title(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tb = meta.get("title_block")
    if tb is None:
        return out
    title_text = doc.block_text(doc.blocks[tb]).strip()
    tm = title_match(title_text)
    out["doc_type"] = tm.group("type") if tm else (regex.match(r"^\S+(?:\s+\S+)?", title_text) or [None])[0]
    dtb = meta.get("doc_title_block")
    if dtb is not None and dtb != tb:
        dm = title_match(doc.block_text(doc.blocks[dtb]))
        if dm:
            out["issuing_doc_type"] = dm.group("type")
    parts: list[str] = []
    styles: list[tuple[bool, bool]] = []  # (bold, capitals) of each part
    if tm and tm.group("rest"):
        parts.append(tm.group("rest"))
        styles.append((doc.blocks[tb].bold, True))
    for b in doc.blocks[tb + 1 : tb + 6]:
        t = doc.block_text(b).strip()
        if b.kind != "paragraph" or not t or _TITLE_STOP.match(t) or _DECOR.match(t):
            break
        if t.startswith("Thực hiện") and (parts or regex.search(r"\bsố\s*\d", t) or len(t) > 250):
            break
        if t.startswith("(") and regex.search(r"[Kk]èm theo", t[:30]):
            break
        caps = t.isupper()
        if parts and not _continues_title(parts, styles, t, b.bold, caps):
            break
        parts.append(t)
        styles.append((b.bold, caps))
        if len(" ".join(parts)) > 400:
            break
    if parts:
        title = regex.sub(r"\s+", " ", " ".join(parts)).strip()
        cut = _TITLE_TAIL.search(title)
        if cut and cut.start() > 10:
            head = title[: cut.start()]
            if sum(c.isupper() for c in head) > 0.6 * sum(c.isalpha() for c in head) or title[cut.end() :].startswith(
                ("(", "Kèm", "kèm")
            ):
                title = head
        out["title"] = title.strip()
        out["title_paragraphs"] = len(parts)
    return out


def _continues_title(parts: list[str], styles: list[tuple[bool, bool]], t: str, bold: bool, caps: bool) -> bool:
    """Whether a paragraph after the trích yếu's first paragraph still belongs to it.

    A title has no end punctuation and is short; its continuation looks like it (same
    weight or case) or reads on (a lower-case start, a short phrase without a final
    stop). The sentences that open the body end with ":" / ";" / "." or are long.
    """
    prev = parts[-1].rstrip()
    if _ends_sentence(prev) or prev.endswith(","):
        return False
    if len(t) > 200 or t.endswith((":", ";")) or _ISSUES_PLAN_SENTENCE.search(t) or _LIST_START.match(t):
        return False
    if _AUTHORITY_LINE.match(t):
        return False  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" / "BỘ TRƯỞNG …" opening a decision
    pbold, pcaps = styles[-1]
    if t[:1].islower():
        return True
    if (bold and pbold) or (caps and pcaps):
        return not _ends_sentence(t) or len(t) < 120
    if pcaps and not caps:
        return False  # a capitals title does not run on in sentence case
    return len(t) <= 160 and not _ends_sentence(t)


def _ends_sentence(t: str) -> bool:
    u = t.rstrip(' \t"”’)*')
    return bool(u) and u[-1] in ".:;!?…"


# "UBND xã … xây dựng Kế hoạch thực hiện … năm 2024 …, cụ thể như sau:" and the closing
# "Trên đây là Kế hoạch … của UBND xã …": what the plan is, whatever its title's layout.
_ISSUES_PLAN_SENTENCE = regex.compile(r"(?:xây dựng|ban hành|triển khai)\s+(?:[Kk]ế hoạch|KẾ HOẠCH)\b")
_PLAN_PHRASE = regex.compile(
    r"(?:(?P<verb>xây dựng|ban hành)|Trên đây là)\s+(?:[Kk]ế hoạch|KẾ HOẠCH)\s+(?P<p>[^:;]{8,400}?)"
    r"(?=\s*(?:,\s*(?:cụ thể|với|như sau|gồm|trong đó)|:|;|\.(?:\s|$)|\s+của\s+(?:Ủy|Uỷ|UBND|Ban|HĐND)|$))"
)
_AUTHORITY_LINE = regex.compile(
    r"^(?:(?:TM|KT|TL|TUQ|Q)\s*\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|TRƯỞNG BAN|BỘ TRƯỞNG|"
    r"THỨ TRƯỞNG|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|BAN CHỈ ĐẠO|HỘI ĐỒNG NHÂN DÂN|THỦ TƯỚNG|CHÍNH PHỦ)\b"
)
_ANY_YEAR = regex.compile(r"\b(?:năm|giai\s+đoạn)\s+20\d\d\b", regex.I)
_LIST_START = regex.compile(r"^(?:[-–+•*]\s|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s|[a-zđ]\)\s)")
_WORD = regex.compile(r"[\p{L}\d]+")


def _plan_phrase(doc: Document) -> tuple[str, str] | None:
    """(what the plan sets out to do, where it was read) from its own sentences."""
    paras = [b for b in doc.blocks if b.kind == "paragraph" and b.region in ("preamble", "body")]
    for src, pool in (("issuing_sentence", paras[:15]), ("closing_sentence", paras[-12:])):
        for b in pool:
            t = doc.block_text(b)
            for m in _PLAN_PHRASE.finditer(t):
                if (m.group("verb") is None) != (src == "closing_sentence"):
                    continue
                phrase = regex.sub(r"\s+", " ", m.group("p")).strip(" ,")
                if len(phrase) >= 15:
                    return phrase, src
    return None


def _covers(phrase: str, title: str) -> bool:
    """The phrase says what the title says (and maybe more): most title words are in it."""
    tw = [w.casefold() for w in _WORD.findall(title)]
    if not tw:
        return True
    pw = {w.casefold() for w in _WORD.findall(phrase)}
    return sum(w in pw for w in tw) >= 0.8 * len(tw)


def _complete_title(doc: Document, out: dict[str, Any]) -> dict[str, Any]:
    """When the title read lacks the program or the year, take them from the plan's own
    sentence that repeats it ("… xây dựng Kế hoạch thực hiện … năm 2024 …")."""
    title = out.get("title") or ""
    has_program = bool(regex.search(r"giảm\s+nghèo", title, regex.I))
    has_year = bool(_ANY_YEAR.search(title))
    if has_program and has_year:
        return {}
    found = _plan_phrase(doc)
    if found is None:
        return {}
    phrase, src = found
    if not _covers(phrase, title):
        return {}
    gains_program = not has_program and regex.search(r"giảm\s+nghèo", phrase, regex.I)
    gains_year = not has_year and _ANY_YEAR.search(phrase)
    if not (gains_program or gains_year):
        return {}
    res: dict[str, Any] = {"title": phrase[:1].upper() + phrase[1:], "title_source": src}
    if title:
        res["title_read"] = title
    return res


def extract_header(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    head = _head_blocks(doc, meta)
    out: dict[str, Any] = {}
    out.update(_number(doc, head))
    out.update(_place_date(doc, head))
    # a narrow header column may wrap them ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA" / "VIỆT NAM")
    joined = " ".join(t for _, t in head)
    out["has_quoc_hieu"] = bool(_QH.search(joined))
    out["has_tieu_ngu"] = bool(_TN.search(joined))
    out.update(_issuer(doc, head, meta))
    out.update(_title(doc, meta))
    out.update(_complete_title(doc, out))
    if "issuer_level" not in out:
        out.update(_issuer_from_text(doc, {**meta, **out}, out.get("title") or ""))
    return out
