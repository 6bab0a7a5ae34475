"""When was the plan made, and for which year: the dates rules compare against.

The issue date comes from the place-and-date line (``issue_date``, extract/header.py).
Many text exports lose that line; then the latest date the plan cites is a lower bound
of its date (a plan cannot cite a document issued after it). ``plan_date`` is the issue
date when there is one, else that lower bound, and ``plan_date_source`` says which, so
a rule's message can say what it compared against.

The plan year comes from the title ("… năm 2024"), but a title may also carry the date
of the document it implements ("THỰC HIỆN CHỈ THỊ SỐ 21/CT-TTg NGÀY 25 THÁNG 11 NĂM
2022"), a horizon ("ĐẾN NĂM 2035") or a law's name ("Luật … năm 2024"): those years are
not the plan's. ``plan_year`` is corrected here when the title's only year is one of
those, or when an upper-case "NĂM 2026" was missed.
"""

from __future__ import annotations

from typing import Any

import regex

from ..model import Document
from .citations import extract_citations
from .dates import DATE_PATTERN, parse_iso, show_date

_TITLE_CUT = regex.compile(
    r"\s(?:Căn\s+cứ|Thực\s+hiện|Theo)\s+(?:các\s+)?(?:Luật|Nghị|Quyết|Thông|Chỉ|Kế|Công|Chương|Văn)", regex.V1
)
_NOT_PLAN_YEAR = regex.compile(
    r"(?:đến|tới|sau|trước|từ|giai\s+đoạn|tầm\s+nhìn|Luật(?:\s+\S+){0,8}|Hiến\s+pháp|khóa|khoá)[\s*]*$",
    regex.V1 | regex.IGNORECASE,
)


def title_year(title: str) -> int | None:
    """The plan year a title names, ignoring dates, horizons and law names; None if none."""
    t = _TITLE_CUT.split(title, maxsplit=1)[0]
    years = []
    for m in DATE_PATTERN.finditer(t):
        if not m.group("y"):
            continue
        if _NOT_PLAN_YEAR.search(t[max(0, m.start() - 60) : m.start()]):
            continue
        years.append(int(m.group("yy")))
    return years[0] if len(set(years)) == 1 else None


def extract_dating(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    latest = None
    for c in extract_citations(doc):
        d = c.date.date if c.date is not None else None
        if d is not None and (latest is None or d > latest):
            latest = d
    if latest is not None:
        out["latest_cited_date"] = latest.isoformat()
    issue = parse_iso(meta.get("issue_date"))
    if issue is not None:
        out["plan_date"] = issue.isoformat()
        out["plan_date_source"] = "issue_date"
    elif latest is not None:
        out["date_lower_bound"] = latest.isoformat()
        out["plan_date"] = latest.isoformat()
        out["plan_date_source"] = "latest_citation"
    title = meta.get("title") or ""
    ty = title_year(title)
    src = meta.get("plan_year_source")
    if ty is not None and (src != "title" or meta.get("plan_year") != ty):
        out["plan_year"] = ty
        out["plan_year_source"] = "title"
    elif ty is None and src == "title" and issue is not None:
        out["plan_year"] = issue.year
        out["plan_year_source"] = "issue_date"
    return out


def plan_date_phrase(meta: Any) -> dict[str, str]:
    """How messages name the date compared against (vi, en)."""
    d = parse_iso(meta.get("plan_date"))
    if meta.get("plan_date_source") == "issue_date":
        return {
            "basis_vi": f"ngày ban hành kế hoạch {show_date(d)}",
            "basis_en": f"the plan's issue date {show_date(d)}",
        }
    return {
        "basis_vi": f"kế hoạch không ghi ngày ban hành; ngày muộn nhất được trích dẫn là {show_date(d)}",
        "basis_en": f"the plan has no issue date; the latest date it cites is {show_date(d)}",
    }
