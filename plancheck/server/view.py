"""Turn one document's result into what the report template shows.

Pure data shaping: the text cut into lines of segments (each segment knows the
findings that cover it), the findings grouped by section then severity, the
metadata rows. No HTML here: the template escapes every piece of text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..report.json import finding_dict
from .i18n import META_LABELS, UI
from .worker import DocResult

SEVERITIES = ("error", "warning", "info")
SEV_RANK = {"error": 3, "warning": 2, "info": 1}

COVERAGE_STATUS = {
    "addressed": {"vi": "Có", "en": "Addressed"},
    "present": {"vi": "Có", "en": "Addressed"},
    "missing": {"vi": "Thiếu", "en": "Missing"},
    "partial": {"vi": "Chưa đủ", "en": "Partial"},
    "mentioned": {"vi": "Chỉ nhắc tên", "en": "Mentioned only"},
    "not_applicable": {"vi": "Không áp dụng", "en": "Not applicable"},
}


@dataclass
class Seg:
    text: str
    ids: tuple[int, ...] = ()  # findings covering this piece
    sev: str = ""  # worst severity among them
    anchors: tuple[int, ...] = ()  # findings starting here (zero-width targets before the piece)
    pin: bool = False  # a zero-length finding: shown as a small marker


@dataclass
class Line:
    kind: str
    segs: list[Seg] = field(default_factory=list)


@dataclass
class FindingView:
    id: int
    code: str
    slug: str
    severity: str
    message: str
    excerpt: str
    suggestion: str | None
    location: str
    preview: bool
    anchored: bool
    section: str


def location_text(f: dict[str, Any], lang: str) -> str:
    w = {k: UI[k][lang] for k in ("line", "paragraph", "page")}
    if f.get("paragraph") is not None:
        return f"{w['paragraph']} {f['paragraph']}"
    if f.get("page") is not None:
        return f"{w['page']} {f['page']}, {w['line']} {f.get('line') or '?'}"
    if f.get("line") is not None:
        return f"{w['line']} {f['line']}"
    return ""


def segment_lines(text: str, kinds: list[str], spans: list[tuple[int, int]], sevs: list[str]) -> list[Line]:
    """Cut ``text`` at every finding boundary and every newline."""
    n = len(text)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    pins: dict[int, list[int]] = {}
    for i, (s, e) in enumerate(spans):
        if s < 0 or s > n:
            continue
        e = min(e, n)
        if e > s:
            starts.setdefault(s, []).append(i)
            ends.setdefault(e, []).append(i)
        else:
            pins.setdefault(s, []).append(i)
    cuts = sorted({0, n, *starts, *ends, *pins})
    lines: list[Line] = [Line(kinds[0] if kinds else "p")]
    active: set[int] = set()

    def add(piece: str, anchors: tuple[int, ...], ids: tuple[int, ...]) -> None:
        sev = max((sevs[i] for i in ids), key=lambda s: SEV_RANK.get(s, 0), default="")
        lines[-1].segs.append(Seg(piece, ids, sev, anchors))

    for k, pos in enumerate(cuts):
        for i in ends.get(pos, ()):
            active.discard(i)
        for i in pins.get(pos, ()):
            lines[-1].segs.append(Seg("", (i,), sevs[i], (i,), pin=True))
        new = starts.get(pos, [])
        active.update(new)
        if k + 1 >= len(cuts):
            break
        chunk = text[pos : cuts[k + 1]]
        ids = tuple(sorted(active))
        anchors = tuple(new)
        parts = chunk.split("\n")
        for j, part in enumerate(parts):
            if j > 0:
                lines.append(Line(kinds[len(lines)] if len(lines) < len(kinds) else "p"))
            if part or anchors:
                add(part, anchors, ids)
                anchors = ()
    return lines


def display_date(v: Any, lang: str) -> str:
    """ISO dates as the plans write them (24/10/2022), in both languages (the reports do the same)."""
    from ..report.common import display_date as dmy

    return dmy(v)


def _period(v: Any) -> str:
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return f"{v[0]}-{v[1]}"
    if isinstance(v, dict):
        a, b = v.get("start") or v.get("from"), v.get("end") or v.get("to")
        return f"{a}-{b}" if a and b else ""
    return "" if v is None else str(v)


def _meta_rows(meta: dict[str, Any], fmt: str, lang: str) -> list[tuple[str, str]]:
    values = dict(meta)
    values["period"] = _period(meta.get("period_override") or meta.get("period"))
    signer = " ".join(str(meta[k]) for k in ("signer_title", "signer_name") if meta.get(k))
    values["signer"] = meta.get("signer") if isinstance(meta.get("signer"), str) else signer
    rows: list[tuple[str, str]] = []
    for key, label in META_LABELS.items():
        v = values.get(key)
        if v is None or v == "" or isinstance(v, (dict, list, tuple)):
            continue
        if key == "issue_date":
            v = display_date(v, lang)
        rows.append((label[lang], str(v)))
    rows.append((UI["format"][lang], fmt))
    return rows


def _where(sec: Any, lang: str) -> str:
    """A coverage row's section: its heading text and where it is."""
    if not isinstance(sec, dict):
        return "" if sec is None else str(sec)
    where = location_text(sec, lang)
    text = str(sec.get("text") or "")
    return f"{text} ({where})" if where and text else text or where


def _coverage(meta: dict[str, Any], lang: str) -> list[dict[str, str]]:
    cov = meta.get("coverage")
    if isinstance(cov, dict):
        cov = cov.get("items") or []
    if not isinstance(cov, list):
        return []
    out = []
    for row in cov:
        if not isinstance(row, dict):
            continue
        status = str(row.get("status") or "")
        label = COVERAGE_STATUS.get(status, {}).get(lang, status)
        out.append(
            {
                "item": str(row.get("label") or row.get("item") or ""),
                "name": str(row.get("name") or ""),
                "status": label,
                "status_css": status if status in COVERAGE_STATUS else "other",
                "reason": str(row.get("reason") or ""),
                "section": _where(row.get("section"), lang),
                "lead": str(row.get("lead") or ""),
            }
        )
    return out


def document_view(res: DocResult, lang: str) -> dict[str, Any]:
    dr = res.report
    text = res.text
    fds = [finding_dict(f, lang) for f in dr.findings]
    spans = [(f.span.start, f.span.end) for f in dr.findings]
    sevs = [f["severity"] for f in fds]
    secs = [res.sections.get(f.key(), ("doc", "")) for f in dr.findings]
    anchored = [
        bool(text) and 0 <= f.span.start <= len(text) and not (f.code == "PC001" and f.span.end == 0)
        for f in dr.findings
    ]
    usable = [sp if a else (-1, -1) for sp, a in zip(spans, anchored, strict=True)]
    lines = segment_lines(text, res.line_kinds, usable, sevs) if text else []

    section_names = {"doc": UI["sec_doc"][lang], "head": UI["sec_head"][lang], "closing": UI["sec_closing"][lang]}
    groups: dict[str, dict[str, Any]] = {}
    order: list[tuple[int, str]] = []
    views = []
    for i, (f, (key, label)) in enumerate(zip(fds, secs, strict=True)):
        fv = FindingView(
            id=i,
            code=f["code"],
            slug=f["slug"],
            severity=f["severity"],
            message=f["message"],
            excerpt=f["excerpt"] or "",
            suggestion=f["suggestion"],
            location=location_text(f, lang),
            preview=bool(f["preview"]),
            anchored=anchored[i],
            section=key,
        )
        views.append(fv)
        if key not in groups:
            rank = {"doc": -2, "head": -1, "closing": 1 << 30}.get(key, int(key[1:]) if key[1:].isdigit() else 1 << 29)
            groups[key] = {
                "key": key,
                "title": label or section_names.get(key, key),
                "by_sev": {s: [] for s in SEVERITIES},
            }
            order.append((rank, key))
        groups[key]["by_sev"][fv.severity].append(fv)
    grouped = []
    for _, key in sorted(order):
        g = groups[key]
        g["sevs"] = [(s, g["by_sev"][s]) for s in SEVERITIES if g["by_sev"][s]]
        g["count"] = sum(len(v) for _, v in g["sevs"])
        grouped.append(g)
    return {
        "name": dr.path,
        "format": dr.format,
        "error": dr.error,
        "counts": dr.counts(),
        "meta_rows": _meta_rows(dr.metadata, dr.format, lang) if not dr.error else [(UI["format"][lang], dr.format)],
        "coverage": _coverage(dr.metadata, lang),
        "coverage_summary": str(dr.metadata.get("coverage_summary") or "") if lang == "vi" else "",
        "coverage_missing": sum(1 for c in _coverage(dr.metadata, lang) if c["status_css"] == "missing"),
        "groups": grouped,
        "findings": views,
        "lines": lines,
        "truncated": res.truncated,
        "has_annotated": lang in res.annotated,
        "annotate_error": res.annotate_error,
    }
