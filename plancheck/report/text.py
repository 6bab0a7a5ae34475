"""Terminal reports: ``text`` (grouped by file, severity colour, code, location, message,
excerpt), ``concise`` (one ``file:line:col: CODE message`` line a finding, as ruff), and
the ``--statistics`` table (findings per rule).

Long lines are wrapped only at spaces, with a hanging indent, and only when a width is
given (the CLI gives the terminal's); a report written to a file or a pipe is never wrapped.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from ..engine import Report
from .common import coverage_line, display_path, sev_label

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_INDENT = 14  # where excerpts and suggestions start; a finding's message starts after code


def _excerpt(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _wrap(text: str, width: int | None, first: int, indent: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (the first starts at column ``first``,
    the others at ``indent``), broken at spaces only: a word longer than a line stays whole."""
    words = text.split()
    if not width or not words or first + len(text) <= width:
        return [text]
    lines: list[str] = []
    cur, room = "", max(20, width - first)
    for w in words:
        if cur and len(cur) + 1 + len(w) > room:
            lines.append(cur)
            cur, room = w, max(20, width - indent)
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return lines


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def counts_text(c: dict[str, int], lang: str) -> str:
    if lang == "en":
        return (
            f"{_plural(c['error'], 'error', 'errors')}, {_plural(c['warning'], 'warning', 'warnings')}, "
            f"{c['info']} info"
        )
    return f"{c['error']} lỗi, {c['warning']} cảnh báo, {c['info']} lưu ý"


def summary_line(report: Report, lang: str = "vi") -> str:
    """The last line of a report: documents and counts; after --baseline the counts are of
    the new findings and the ones still open and fixed are counted beside them."""
    from ..baseline import baseline_summary

    c = report.counts()
    n = len(report.documents)
    docs = _plural(n, "document", "documents") if lang == "en" else f"{n} văn bản"
    base = baseline_summary(report)
    if base is None:
        return f"{docs}: {counts_text(c, lang)}"
    still = {"error": 0, "warning": 0, "info": 0}
    for d in report.documents:
        for f in (d.extra.get("baseline") or {}).get("unchanged", []):
            still[f.severity.value] += 1
    if lang == "en":
        return (
            f"{docs}: new {counts_text(c, lang)}; still open {base['unchanged']} "
            f"({counts_text(still, lang)}); fixed {base['fixed']}"
        )
    return (
        f"{docs}: mới {counts_text(c, lang)}; còn {base['unchanged']} chưa sửa "
        f"({counts_text(still, lang)}); đã sửa {base['fixed']}"
    )


def render_text(
    report: Report,
    lang: str = "vi",
    color: bool = False,
    width: int | None = None,
    show_source: bool = True,
    quiet: bool = False,
    **_: Any,
) -> str:
    from rich.console import Console
    from rich.markup import escape

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=10_000, highlight=False, soft_wrap=True)
    for d in report.documents:
        base = d.extra.get("baseline") if d.extra else None
        if quiet and not d.findings:
            continue
        meta = d.metadata
        head = f"[bold]{escape(display_path(d.path))}[/bold]"
        bits = [str(meta.get(k)) for k in ("number", "issue_date", "plan_year") if meta.get(k)]
        if bits:
            from .common import display_date

            bits = [display_date(b) for b in bits]
            head += " [dim](" + escape(", ".join(bits)) + ")[/dim]"
        con.print(head)
        if not d.findings:
            if base is not None:
                none = "không có phát hiện mới" if lang == "vi" else "no new findings"
            else:
                none = "không có phát hiện" if lang == "vi" else "no findings"
            con.print(f"  [green]{none}[/green]")
        for f in d.findings:
            loc = f.location.short()
            sev = f.severity.value
            label = sev_label(sev, lang)
            first = 2 + max(10, len(loc)) + 2 + max(8, len(label)) + 1 + len(f.code) + 1
            lines = _wrap(f.message.get(lang), width, first, _INDENT)
            con.print(
                f"  {escape(loc):>10}  [{_STYLE[sev]}]{label:<8}[/{_STYLE[sev]}] "
                f"[bold]{f.code}[/bold] {escape(lines[0])}"
            )
            for more in lines[1:]:
                con.print(f"{'':{_INDENT}}{escape(more)}")
            if f.excerpt and show_source:
                con.print(f"{'':{_INDENT}}[dim]«{escape(_excerpt(f.excerpt))}»[/dim]")
            if f.suggestion:
                for i, more in enumerate(_wrap("→ " + f.suggestion, width, _INDENT, _INDENT + 2)):
                    con.print(f"{'':{_INDENT + (2 if i else 0)}}[green]{escape(more)}[/green]")
        if base is not None and not quiet:
            _baseline_lines(con, base, lang, width)
        cov = coverage_line(meta, lang)
        if cov and not quiet:
            for i, more in enumerate(_wrap(cov, width, 2, 4)):
                con.print(f"{'':{4 if i else 2}}[dim]{escape(more)}[/dim]")
        con.print()
    if quiet:
        return buf.getvalue()
    for note in report.notes:
        con.print("[dim]" + escape(note) + "[/dim]")
    con.print(f"[bold]{escape(summary_line(report, lang))}[/bold]")
    return buf.getvalue()


def _baseline_lines(con, base: dict, lang: str, width: int | None = None) -> None:
    """After --baseline: how many findings are still open, and each one now fixed."""
    from rich.markup import escape

    n_open, fixed = len(base["unchanged"]), base["fixed"]
    if lang == "en":
        con.print(f"  [dim]compared with the earlier report: {n_open} still open, {len(fixed)} fixed[/dim]")
    else:
        con.print(f"  [dim]so với lần trước: còn {n_open} chưa sửa, đã sửa {len(fixed)}[/dim]")
    for f in fixed:
        msg = f.get("message_en" if lang == "en" else "message_vi") or f.get("message") or ""
        label = "fixed" if lang == "en" else "đã sửa"
        code = str(f.get("code", ""))
        lines = _wrap(msg, width, 2 + 10 + 2 + 9 + len(code), _INDENT)
        con.print(f"  {'':>10}  [green]{label:<8}[/green] [bold]{escape(code)}[/bold] {escape(lines[0])}")
        for more in lines[1:]:
            con.print(f"{'':{_INDENT}}{escape(more)}")
        if f.get("excerpt"):
            con.print(f"{'':14}[dim]«{escape(_excerpt(f['excerpt']))}»[/dim]")


def concise_location(d: Any, f: Any) -> str:
    """``line:col`` as SARIF's region: the line of a .txt/.md, the paragraph of a .docx,
    the line on the page of a .pdf (the page is said in the message); 1:1 for the whole file."""
    loc = f.location
    line = loc.paragraph if loc.paragraph is not None else loc.line
    return f"{line or 1}:{loc.column or 1}"


def render_concise(
    report: Report,
    lang: str = "vi",
    color: bool = False,
    show_source: bool = False,
    quiet: bool = False,
    **_: Any,
) -> str:
    """One line a finding, ``file:line:col: CODE [severity] message`` (editors and CI read it)."""
    out: list[str] = []
    for d in report.documents:
        for f in d.findings:
            page = ""
            if f.location.page is not None:
                page = f"[trang {f.location.page}] " if lang == "vi" else f"[page {f.location.page}] "
            sev = sev_label(f.severity.value, lang)
            code = f"\x1b[1m{f.code}\x1b[0m" if color else f.code
            out.append(
                f"{display_path(d.path)}:{concise_location(d, f)}: {code} [{sev}] {page}{' '.join(f.message.get(lang).split())}"
            )
            if show_source and f.excerpt:
                out.append(f"    «{_excerpt(f.excerpt, 160)}»")
    if not quiet:
        out.append(summary_line(report, lang))
    return "\n".join(out) + ("\n" if out else "")


def render_statistics(report: Report, lang: str = "vi") -> str:
    """``--statistics``: findings per rule, most frequent first (count, code, slug), then the summary line."""
    n = Counter(f.code for _, f in report.all_findings())
    slug = {f.code: f.slug for _, f in report.all_findings()}
    rows = sorted(n.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max((len(str(c)) for c in n.values()), default=1)
    lines = [f"{c:>{width}}  {code}  {slug[code]}" for code, c in rows]
    lines.append(summary_line(report, lang))
    return "\n".join(lines) + "\n"
