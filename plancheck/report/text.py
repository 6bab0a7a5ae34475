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
        cov = meta.get("coverage_summary")
        if cov:
            con.print("  [dim]" + escape(str(cov)) + "[/dim]")
        con.print()
    c = report.counts()
    n = len(report.documents)
    if lang == "en":
        con.print(f"[bold]{n} document(s): {c['error']} errors, {c['warning']} warnings, {c['info']} info[/bold]")
    else:
        con.print(f"[bold]{n} văn bản: {c['error']} lỗi, {c['warning']} cảnh báo, {c['info']} lưu ý[/bold]")
    return buf.getvalue()
