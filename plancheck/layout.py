"""Regions of a plan: header, title, preamble, body, closing, annex.

Rules need to know where they are: the outline is numbered only in the body, the
number–ký hiệu and place-and-date live in the header, Nơi nhận and the signer in the
closing, annex tables after it. A plan issued by a Quyết định ("Ban hành kèm theo")
has the decision first (preamble) and the plan's own title later.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import regex

from .model import Block

DOC_TYPES = (
    "KẾ HOẠCH",
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "BÁO CÁO",
    "CÔNG VĂN",
    "TỜ TRÌNH",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
    "ĐỀ ÁN",
    "THÔNG BÁO",
    "CHỈ THỊ",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "PHƯƠNG ÁN",
    "THÔNG TƯ",
    "NGHỊ ĐỊNH",
    "LUẬT",
    # the other kinds of Nghị định 30/2020/NĐ-CP, Điều 7 (and the office's phiếu trình)
    "THÔNG CÁO",
    "BIÊN BẢN",
    "HỢP ĐỒNG",
    "CÔNG ĐIỆN",
    "BẢN GHI NHỚ",
    "BẢN THỎA THUẬN",
    "GIẤY ỦY QUYỀN",
    "GIẤY MỜI",
    "GIẤY GIỚI THIỆU",
    "GIẤY NGHỈ PHÉP",
    "PHIẾU TRÌNH",
    "PHIẾU GỬI",
    "PHIẾU CHUYỂN",
    "PHIẾU BÁO",
    "THƯ CÔNG",
    "ĐIỀU LỆ",
)
_TITLE = regex.compile(r"^(?P<type>" + "|".join(DOC_TYPES) + r")(?:\s*[:.]?\s*$|\s+(?P<rest>\S.*)$)")
_CLOSING = regex.compile(
    r"^(?:Nơi nhận\s*:?|NƠI NHẬN\s*:?|(?:TM|T/M|KT|TL|TUQ|Q)\s*\.\s*\p{Lu}|"
    r"(?:PHÓ\s+)?CHỦ TỊCH\s*$|(?:PHÓ\s+)?TRƯỞNG BAN\s*$)"
)
_ANNEX = regex.compile(r"^(?:PHỤ LỤC|Phụ lục|BIỂU|Biểu\s+(?:số|mẫu|\d)|DANH MỤC|DANH SÁCH|MẪU|Mẫu số)\b")
_AUTHORITY_CAPS = regex.compile(
    r"^(?:(?:TM|KT|TL|TUQ|Q)\s*\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|TRƯỞNG BAN|"
    r"BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|BAN CHỈ ĐẠO|HỘI ĐỒNG NHÂN DÂN)\b"
)


def title_match(text: str) -> regex.Match | None:
    t = text.strip().strip("*").strip()
    if len(t) > 160:
        return None
    m = _TITLE.match(t)
    if not m:
        return None
    rest = m.group("rest")
    # "KẾ HOẠCH" alone, or with its trích yếu in capitals on the same line.
    if rest and not (rest.isupper() or len(rest) < 90 and rest[:1].isupper() and t.split()[0].isupper()):
        return None
    if rest and not t[: len(m.group("type"))].isupper():
        return None
    return m


_ISSUES_PLAN = regex.compile(
    r"(?:ban hành|phê duyệt)\s+(?:kèm theo\s+)?(?:\p{L}+\s+này\s+)?(?:các\s+)?kế hoạch", regex.I
)
_PLACEHOLDER = regex.compile(r"…|\.{3}")


def find_titles(texts: list[str], blocks: tuple[Block, ...]) -> tuple[int | None, int | None]:
    """Return (first document-type title block, the plan's own KẾ HOẠCH title block).

    A KẾ HOẠCH title after another document's title counts only when that document
    issues the plan ("Ban hành kèm theo Quyết định này Kế hoạch…") and it is not a
    blank form (a template with "…" placeholders in an annex).
    """
    first = plan = None
    for b in blocks:
        if b.kind == "cell" and b.region != "layout":
            continue
        m = title_match(texts[b.index])
        if not m:
            continue
        if first is None:
            first = b.index
            if m.group("type") == "KẾ HOẠCH":
                return first, first
            continue
        if m.group("type") != "KẾ HOẠCH":
            continue
        following = " ".join(texts[j] for j in range(b.index + 1, min(b.index + 3, len(texts))))
        if _PLACEHOLDER.search(following) or _PLACEHOLDER.search(texts[b.index]):
            continue
        issued = any(_ISSUES_PLAN.search(texts[j]) for j in range(first, b.index))
        if issued:
            plan = b.index
            break
    return first, plan


@lru_cache(maxsize=1)
def _website() -> tuple[regex.Pattern, regex.Pattern]:
    from .resources import FACTS_DIR
    from .yamlio import load_yaml

    data = load_yaml(FACTS_DIR / "website.yaml")
    web = regex.compile("|".join(f"(?:{p})" for p in data["boilerplate"]), regex.I)
    head = regex.compile("|".join(f"(?:{p})" for p in data["header_start"]))
    return web, head


def web_blocks(texts: list[str], blocks: tuple[Block, ...]) -> set[int]:
    """Blocks of the web page around the document (rules/facts/website.yaml): the lines
    before the issuer's header when one of them is site boilerplate, and the lines from
    the first boilerplate line after the signature to the end."""
    web, head = _website()
    out: set[int] = set()
    paras = [b for b in blocks if b.kind == "paragraph" or b.region == "layout"]
    start = next((b.index for b in paras[:60] if head.match(texts[b.index].strip(" *_#|"))), None)
    if start:
        lead = [b.index for b in blocks if b.index < start]
        if any(web.search(texts[i]) for i in lead):
            out.update(lead)
    closing = next((b.index for b in reversed(blocks) if _CLOSING.match(texts[b.index].strip())), None)
    if closing is not None:
        tail = next(
            (b.index for b in paras if b.index > closing and len(texts[b.index]) <= 120 and web.search(texts[b.index])),
            None,
        )
        if tail is not None:
            out.update(b.index for b in blocks if b.index >= tail)
    return out


def assign_regions(text: str, blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], dict]:
    """Give each block its region; return the new blocks and the title indices."""
    texts = [text[b.span.start : b.span.end] for b in blocks]
    web = web_blocks(texts, blocks)
    if web:  # the rest of the layout is found on the document alone
        texts = ["" if i in web else t for i, t in enumerate(texts)]
    first, plan = find_titles(texts, blocks)
    body_start = plan if plan is not None else first
    if body_start is None:
        # No title at all: everything before the first Roman heading or "Căn cứ" is header.
        body_start = 0
        for b in blocks[:40]:
            if regex.match(r"^(?:I\s*[.)]|Căn cứ|Thực hiện|Để)\s", texts[b.index]):
                body_start = b.index
                break
    closing = None
    for b in blocks[body_start + 1 :]:
        t = texts[b.index].strip()
        if _CLOSING.match(t) and (b.kind == "paragraph" or b.region == "layout"):
            closing = b.index
            break
    annex = None
    if closing is not None:
        for b in blocks[closing + 1 :]:
            t = texts[b.index].strip()
            if b.kind == "cell" and b.region != "layout":
                annex = b.index
                break
            if _ANNEX.match(t):
                annex = b.index
                break
            if (
                b.kind == "paragraph"
                and len(t) >= 15
                and t.isupper()
                and not _AUTHORITY_CAPS.match(t)
                and title_match(t) is None
            ):
                annex = b.index
                break
            if title_match(t) is not None and b.index > closing + 3:
                annex = b.index
                break
    out = []
    for b in blocks:
        i = b.index
        if i in web:
            region = "web"
        elif i < body_start:
            region = "header" if (first is None or i < first or first == body_start) else "preamble"
        elif i == body_start:
            region = "title"
        elif closing is None or i < closing:
            region = "body"
        elif annex is None or i < annex:
            region = "closing"
        else:
            region = "annex"
        if region != b.region:
            b = replace(b, region=region)
        out.append(b)
    info = {
        "doc_title_block": first,
        "title_block": body_start if (plan is not None or first is not None) else None,
        "plan_title_block": plan,
        "closing_block": closing,
        "annex_block": annex,
    }
    return tuple(out), info
