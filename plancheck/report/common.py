"""What several reporters share: severity labels, the summary row of a document, comment text.

Metadata keys come from extractors other modules own (issuer, signer, period,
coverage); they are read tolerantly here so a missing or differently shaped value
gives an empty cell, never an exception.
"""

from __future__ import annotations

import unicodedata
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEV_LABEL = {
    "vi": {"error": "lỗi", "warning": "cảnh báo", "info": "lưu ý"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}


# Characters of a file name never written raw: C0/C1 controls (a terminal would obey an
# escape sequence), bidirectional overrides (they reorder what is shown) and lone
# surrogates (bytes of a name that is not UTF-8, kept by Python's surrogateescape: no
# UTF-8 writer can encode them).
_UNSAFE_NAME = None


def display_path(path: str) -> str:
    """A file name as every report shows it: unsafe characters escaped (``\\x1b``,
    ``\\u202e``; a byte that is not UTF-8 as ``\\xe9``), everything else as is."""
    global _UNSAFE_NAME
    if _UNSAFE_NAME is None:
        import re

        _UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
    return _UNSAFE_NAME.sub(_escape_char, path) if _UNSAFE_NAME.search(path) else path


def _escape_char(m) -> str:
    o = ord(m.group())
    if 0xDC80 <= o <= 0xDCFF:  # surrogateescape: the byte o - 0xDC00
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def sev_label(sev: str, lang: str) -> str:
    return SEV_LABEL.get(lang, SEV_LABEL["vi"]).get(sev, sev)


def norm_excerpt(s: str | None) -> str:
    """NFC and collapsed whitespace: how excerpts are compared across runs and formats."""
    return " ".join(unicodedata.normalize("NFC", s or "").split())


_ISO_DATE = None


def display_date(v: Any) -> str:
    """An ISO date (2022-10-24) as Vietnamese write it, dd/mm/yyyy (24/10/2022); anything else as is."""
    global _ISO_DATE
    if _ISO_DATE is None:
        import re

        _ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
    s = "" if v is None else str(v)
    m = _ISO_DATE.match(s)
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else s


def coverage_line(meta: dict[str, Any], lang: str = "vi") -> str:
    """The plan's coverage of the program's projects in one line (the extractor writes the
    Vietnamese one; the English one is counted from the same items)."""
    if lang != "en":
        return str(meta.get("coverage_summary") or "")
    items = coverage_items(meta)
    if not items:
        return "No project catalog for this program: coverage not assessed" if meta.get("coverage_summary") else ""

    def part(label: str, rs: list[dict[str, Any]]) -> str:
        n = {s: sum(str(r.get("status")) == s for r in rs) for s in ("addressed", "not_applicable", "missing")}
        return f"{label}: {n['addressed']}/{len(rs)} addressed, {n['not_applicable']} not applicable, {n['missing']} missing"

    subs = [r for r in items if str(r.get("label", "")).lower().startswith("tiểu dự án")]
    projects = [r for r in items if r not in subs]
    return "; ".join(p for p in (projects and part("Projects", projects), subs and part("sub-projects", subs)) if p)


def comment_text(f: Any, lang: str = "vi") -> str:
    """Text of the Word comment (and HTML tooltip) for one finding: code, severity, message, suggestion."""
    sev = f.severity.value
    head = f"{f.code} [{sev_label(sev, lang)}] {f.message.get(lang)}"
    if f.suggestion:
        head += "\n" + ("Đề xuất: " if lang == "vi" else "Suggestion: ") + f.suggestion
    return head


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict):
        for k in ("name", "text", "value", "label"):
            if v.get(k):
                return str(v[k])
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(_text(x) for x in v if _text(x))
    return str(v)


def signer(meta: dict[str, Any]) -> str:
    for k in ("signer", "signer_name"):
        if meta.get(k):
            return _text(meta[k])
    sig = meta.get("signature")
    if isinstance(sig, dict):
        for k in ("signer", "name", "signer_name"):
            if sig.get(k):
                return _text(sig[k])
    return ""


def period(meta: dict[str, Any]) -> str:
    v = meta.get("period_override") or meta.get("period")
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return f"{v[0]}-{v[1]}"
    if isinstance(v, dict):
        a, b = v.get("start") or v.get("from"), v.get("end") or v.get("to")
        return f"{a}-{b}" if a and b else _text(v)
    return _text(v)


def coverage_items(meta: dict[str, Any]) -> list[dict[str, Any]]:
    cov = meta.get("coverage")
    if isinstance(cov, dict):
        cov = cov.get("items") or cov.get("coverage") or []
    return [c for c in cov or [] if isinstance(c, dict)]


_LEVEL_EN = {"xã": "commune", "phường": "ward", "thị trấn": "township", "huyện": "district", "tỉnh": "province"}


def level_label(v: Any, lang: str = "vi") -> str:
    """The plan's level (xã, huyện, tỉnh) in the report's language."""
    s = _text(v)
    return _LEVEL_EN.get(s.lower(), s) if lang == "en" else s


def project_label(label: str, lang: str = "vi") -> str:
    """A catalog item's label ("Tiểu dự án 2 (Dự án 4)") in the report's language."""
    if lang != "en":
        return label
    import re

    label = re.sub(r"\bTiểu dự án\b", "Sub-project", label)
    return re.sub(r"\bDự án\b", "Project", label)


def missing_projects(meta: dict[str, Any], lang: str = "vi") -> list[str]:
    """Catalog items (Dự án / Tiểu dự án) the plan does not address, from metadata["coverage"]."""
    out = []
    for c in coverage_items(meta):
        if str(c.get("status", "")).lower() != "missing":
            continue
        label = ""
        for k in ("label", "name", "title", "item", "id", "code"):
            if c.get(k):
                label = _text(c[k])
                break
        if label:
            out.append(project_label(label, lang))
    return out


SUMMARY_COLUMNS = (
    # key, Vietnamese header, English header
    ("path", "Tệp", "File"),
    ("format", "Định dạng", "Format"),
    ("issuer", "Cơ quan ban hành", "Issuer"),
    ("level", "Cấp", "Level"),
    ("locality", "Địa bàn", "Locality"),
    ("number", "Số, ký hiệu", "Number"),
    ("issue_date", "Ngày ban hành", "Issue date"),
    ("plan_year", "Năm kế hoạch", "Plan year"),
    ("period", "Giai đoạn", "Period"),
    ("signer", "Người ký", "Signer"),
    ("error", "Lỗi", "Errors"),
    ("warning", "Cảnh báo", "Warnings"),
    ("info", "Lưu ý", "Info"),
    ("missing_projects", "Dự án/tiểu dự án chưa có", "Missing projects"),
    ("unreadable", "Không đọc được (PC001)", "Unreadable (PC001)"),
)


def summary_row(d: Any, lang: str = "vi") -> dict[str, Any]:
    """One batch-summary row for a DocReport (values typed: int years and counts, ISO date strings)."""
    m = d.metadata or {}
    counts = d.counts()
    reason = ""
    if d.error:
        pc1 = next((f for f in d.findings if f.code == "PC001"), None)
        reason = pc1.message.get(lang) if pc1 else d.error
    year = m.get("plan_year")
    return {
        "path": display_path(d.path),
        "format": d.format,
        "issuer": _text(m.get("issuer")),
        "level": level_label(m.get("level"), lang),
        "locality": _text(m.get("locality")),
        "number": _text(m.get("number")),
        "issue_date": _text(m.get("issue_date")),
        "plan_year": year if isinstance(year, int) else (_text(year) or None),
        "period": period(m),
        "signer": signer(m),
        "error": counts["error"],
        "warning": counts["warning"],
        "info": counts["info"],
        "missing_projects": "; ".join(missing_projects(m, lang)),
        "unreadable": reason,
    }


def headers(columns: tuple[tuple[str, str, str], ...], lang: str) -> list[str]:
    return [c[2] if lang == "en" else c[1] for c in columns]


def section_of(d: Any, f: Any, lang: str = "vi") -> str:
    """Top-level section label of a finding (for grouping), from the document view."""
    from .view import get_view

    if d.error:
        return ""
    v = d.extra.get("view") if d.extra else None
    if v is None:
        v = get_view(d)
    if v is None:
        return ""
    label = v.section_of(f.span.start)
    if label is None:
        return "Phần đầu văn bản" if lang == "vi" else "Document header"
    return label
