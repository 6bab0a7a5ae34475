"""Plan-level facts derived from the header: is it a plan, its year, level, locality."""

from __future__ import annotations

from typing import Any

import regex

from ..model import Document
from .header import _PERIOD_IN_TITLE, _YEAR_IN_TITLE, LEVEL_WORDS

_LEVEL_FROM_ISSUER = regex.compile(
    r"(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)\s+(?P<level>XÃ|PHƯỜNG|THỊ TRẤN|HUYỆN|QUẬN|"
    r"THỊ XÃ|THÀNH PHỐ|TỈNH|ĐẶC KHU)\s+(?P<name>.+)$"
)


def extract_plan_info(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # A KH number counts only when no title was found: a "BÁO CÁO" numbered …/KH-… is not a plan.
    out["is_plan"] = meta.get("plan_title_block") is not None or (
        meta.get("doc_title_block") is None and "/KH-" in (meta.get("number") or "")
    )
    ptb = meta.get("plan_title_block")
    if out["is_plan"] and ptb and not meta.get("number_raw") and not meta.get("has_quoc_hieu"):
        # A web article (questions and answers, news) that quotes a plan: no issuer header, a
        # headline question before the quoted "KẾ HOẠCH". It is an article, not the plan.
        before = [doc.block_text(b) for b in doc.blocks[: min(ptb, len(doc.blocks))]]
        if any(t.rstrip(" *_").endswith("?") for t in before):
            out["is_plan"] = False
            out["web_article"] = True
            out["doc_type"] = "BÀI VIẾT TRÍCH KẾ HOẠCH / ARTICLE QUOTING A PLAN"
    title = meta.get("title") or ""
    m = _YEAR_IN_TITLE.search(title)
    if m:
        out["plan_year"] = int(m.group("y"))
        out["plan_year_source"] = "title"
    pm = _PERIOD_IN_TITLE.search(title)
    if pm:
        out["title_period"] = f"{pm.group('a')}-{pm.group('b')}"
    if "plan_year" not in out and meta.get("issue_date"):
        out["plan_year"] = int(meta["issue_date"][:4])
        out["plan_year_source"] = "issue_date"
    issuer = meta.get("issuer") or ""
    lm = _LEVEL_FROM_ISSUER.search(issuer)
    if lm:
        out["level"] = lm.group("level").lower()
        out["locality"] = lm.group("name").strip().title()
    else:
        # "… trên địa bàn xã Thịnh Đức", "… huyện Krông Nô" in the title or first paragraphs
        texts = [title] + [doc.block_text(b) for b in doc.blocks if b.region in ("body",)][:6]
        for t in texts:
            for mm in LEVEL_WORDS.finditer(t):
                name = mm.group("name").strip()
                if name and name.split()[0] not in ("Đồng", "Tỉnh", "Huyện"):
                    out["level"] = mm.group("level")
                    out["locality"] = name
                    break
            if "level" in out:
                break
    return out
