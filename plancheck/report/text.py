"""Terminal report: grouped by file, severity colour, code, location, message, excerpt."""

from __future__ import annotations

import io
from typing import Any

from ..engine import Report

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_LABEL = {
    "vi": {"error": "lỗi", "warning": "cảnh báo", "info": "lưu ý"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def _excerpt(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def render_text(report: Report, lang: str = "vi", color: bool = False, width: int = 120, **_: Any) -> str:
    from rich.console import Console
    from rich.markup import escape

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width, highlight=False, soft_wrap=True)
    labels = _LABEL.get(lang, _LABEL["vi"])
    for d in report.documents:
        meta = d.metadata
        head = f"[bold]{escape(d.path)}[/bold]"
        bits = [str(meta.get(k)) for k in ("number", "issue_date", "plan_year") if meta.get(k)]
        if bits:
            head += " [dim](" + escape(", ".join(bits)) + ")[/dim]"
        con.print(head)
        if not d.findings:
            con.print("  [green]" + ("không có phát hiện" if lang == "vi" else "no findings") + "[/green]")
        for f in d.findings:
            loc = f.location.short()
            sev = f.severity.value
            line = (
                f"  {escape(loc):>10}  [{_STYLE[sev]}]{labels[sev]:<8}[/{_STYLE[sev]}] "
                f"[bold]{f.code}[/bold] {escape(f.message.get(lang))}"
            )
            con.print(line)
            if f.excerpt:
                con.print(f"{'':14}[dim]«{escape(_excerpt(f.excerpt))}»[/dim]")
            if f.suggestion:
                con.print(f"{'':14}[green]→ {escape(f.suggestion)}[/green]")
        base = d.extra.get("baseline") if d.extra else None
        if base is not None:
            _baseline_lines(con, base, lang)
        cov = meta.get("coverage_summary")
        if cov:
            con.print("  [dim]" + escape(str(cov)) + "[/dim]")
        con.print()
    for note in report.notes:
        con.print("[dim]" + escape(note) + "[/dim]")
    c = report.counts()
    n = len(report.documents)
    if lang == "en":
        con.print(f"[bold]{n} document(s): {c['error']} errors, {c['warning']} warnings, {c['info']} info[/bold]")
    else:
        con.print(f"[bold]{n} văn bản: {c['error']} lỗi, {c['warning']} cảnh báo, {c['info']} lưu ý[/bold]")
    return buf.getvalue()


def _baseline_lines(con, base: dict, lang: str) -> None:
    """After --baseline: how many findings are still open, and each one now fixed."""
    from rich.markup import escape

    n_open, fixed = len(base["unchanged"]), base["fixed"]
    if lang == "en":
        con.print(f"  [dim]baseline: {n_open} still open, {len(fixed)} fixed[/dim]")
    else:
        con.print(f"  [dim]so với lần trước: còn {n_open}, đã sửa {len(fixed)}[/dim]")
    for f in fixed:
        msg = f.get("message_en" if lang == "en" else "message_vi") or f.get("message") or ""
        label = "fixed" if lang == "en" else "đã sửa"
        con.print(f"  {'':>10}  [green]{label:<8}[/green] [bold]{escape(str(f.get('code', '')))}[/bold] {escape(msg)}")
        if f.get("excerpt"):
            con.print(f"{'':14}[dim]«{escape(_excerpt(f['excerpt']))}»[/dim]")
