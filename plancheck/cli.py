"""Command line: plancheck check | extract | rules | explain (and the commands other modules add)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__

FAIL_LEVELS = {"error": 3, "warning": 2, "info": 1, "never": 99}


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def _progress_factory(total: int, enabled: bool):
    if not enabled:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    prog = Progress(
        TextColumn("[bold]plancheck"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        transient=True,
        console=__import__("rich.console", fromlist=["Console"]).Console(stderr=True),
    )
    task = prog.add_task("", total=total)

    def cb(done: int, n: int, path: str) -> None:
        prog.update(task, completed=done, description=Path(path).name[:40])

    return prog, cb


# Commands whose modules add imports that ``plancheck check`` does not need are loaded
# when named (or listed by --help): name -> (module, attribute).
LAZY_COMMANDS = {
    "eval": ("plancheck.evaluate", "eval_cmd"),
    "config": ("plancheck.config", "config_cmd"),
    "serve": ("plancheck.server", "serve_cmd"),
}


class _LazyGroup(click.Group):
    """A group that imports the modules of ``LAZY_COMMANDS`` only when they are used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        cmd = self.commands.get(name)
        if cmd is None and name in LAZY_COMMANDS:
            import importlib

            mod, attr = LAZY_COMMANDS[name]
            try:
                cmd = getattr(importlib.import_module(mod), attr)
            except (ImportError, AttributeError):  # an optional part not installed: no such command
                return None
            self.add_command(cmd, name)
        return cmd


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plancheck")
def main() -> None:
    """plancheck: kiểm tra kế hoạch của UBND các cấp / checks Vietnamese local-government plans."""


@main.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="text", show_default=True, help="text|json|sarif|html|csv|xlsx")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--select", multiple=True, help="Codes, prefixes (PC1) or slugs to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Codes, prefixes or slugs to skip (comma-separated).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--fail-on", type=click.Choice(list(FAIL_LEVELS)), default="error", show_default=True)
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (default: one per core on batches).")
@click.option("--annotate", type=click.Path(file_okay=False), help="Write a .docx with Word comments per input here.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True), help="Report only what is new since this JSON report.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), help="Configuration file.")
@click.option("--no-config", is_flag=True, help="Ignore plancheck.toml / pyproject.toml.")
@click.option("--period", help="Program period override, e.g. 2021-2025.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def check_cmd(paths, fmt, output, select, ignore, lang, fail_on, jobs, annotate, baseline, config_file, no_config, period, no_progress):
    """Kiểm tra tệp và thư mục / check files and folders (.docx, .pdf, .txt, .md; '-' = stdin)."""
    from .config import load_config
    from .engine import check as run_check
    from .report import get_renderer
    from .rulebook import RuleError

    tmpdir = None
    real_paths: list[str] = []
    for p in paths:
        if p == "-":
            tmpdir = tempfile.TemporaryDirectory(prefix="plancheck-")
            data = sys.stdin.buffer.read()
            f = Path(tmpdir.name) / "stdin.txt"
            f.write_bytes(data)
            real_paths.append(str(f))
        else:
            if not Path(p).exists():
                click.echo(f"plancheck: không tìm thấy / not found: {p}", err=True)
                sys.exit(2)
            real_paths.append(p)
    try:
        cfg = load_config(real_paths, config_file=config_file, no_config=no_config)
        opts = cfg.options(select=_split(select), ignore=_split(ignore), period=period)
    except (ValueError, RuleError) as exc:
        click.echo(f"plancheck: cấu hình lỗi / configuration error: {exc}", err=True)
        sys.exit(2)
    try:
        renderer = get_renderer(fmt)
    except KeyError:
        click.echo(f"plancheck: định dạng không hỗ trợ / unsupported format: {fmt}", err=True)
        sys.exit(2)
    from .engine import iter_inputs

    n_files = sum(1 for _ in iter_inputs(real_paths))
    if jobs <= 0:
        jobs = min(os.cpu_count() or 1, 8) if n_files > 4 else 1
    show = not no_progress and n_files > 3 and sys.stderr.isatty()
    prog, cb = _progress_factory(n_files, show)
    views = fmt in ("html", "csv", "xlsx")  # the outputs that show the text or its sections
    try:
        if prog:
            with prog:
                report = run_check(real_paths, opts, jobs=jobs, progress=cb, views=views)
        else:
            report = run_check(real_paths, opts, jobs=jobs, views=views)
    except RuleError as exc:
        click.echo(f"plancheck: quy tắc lỗi / rule error: {exc}", err=True)
        sys.exit(2)
    if tmpdir is not None:
        for d in report.documents:
            if d.path.startswith(tmpdir.name):
                d.path = "-"
    cfg.apply_accepts(report)
    if baseline:
        from .baseline import apply_baseline

        apply_baseline(report, baseline)
    if annotate:
        from .report.docx import annotate_all

        annotate_all(report, real_paths, annotate, lang=lang)
    color = output is None and sys.stdout.isatty()
    stream = getattr(renderer, "stream", None)  # a renderer that can give its text in pieces
    if stream is not None:  # the same text, without holding all of it (large batches)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.writelines(stream(report, lang=lang))
        else:
            sys.stdout.writelines(stream(report, lang=lang))
    else:
        out = renderer(report, lang=lang, color=color)
        if output:
            mode = "wb" if isinstance(out, bytes) else "w"
            with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as fh:
                fh.write(out)
        else:
            if isinstance(out, bytes):
                sys.stdout.buffer.write(out)
            else:
                sys.stdout.write(out)
    if tmpdir is not None:
        tmpdir.cleanup()
    level = FAIL_LEVELS[fail_on]
    worst = max((f.severity.rank for _, f in report.all_findings()), default=0)
    sys.exit(1 if worst >= level else 0)


@main.command("extract")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--pretty/--compact", default=True)
def extract_cmd(path, pretty):
    """In Document đã phân tích dưới dạng JSON / dump the parsed Document as JSON."""
    import json

    from .dump import document_json
    from .parse import parse
    from .readers import ReadError

    try:
        doc = parse(path)
    except ReadError as exc:
        click.echo(json.dumps({"path": path, "error": exc.reason, **{k: str(v) for k, v in exc.params.items()}}, ensure_ascii=False))
        sys.exit(1)
    click.echo(json.dumps(document_json(doc), ensure_ascii=False, indent=2 if pretty else None))


@main.command("rules")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
def rules_cmd(lang):
    """Liệt kê các quy tắc / list the rules."""
    from .rulebook import RuleError, load_rules

    try:
        rules = load_rules(validate=True)  # every rule file validated afresh, no start-up cache
    except RuleError as exc:
        click.echo(f"plancheck: {exc}", err=True)
        sys.exit(2)
    for r in rules:
        flag = " (preview)" if r.preview else ""
        click.echo(f"{r.code}  {r.severity.value:<7}  {r.slug:<34} {r.title.get(lang)}{flag}")


@main.command("explain")
@click.argument("code")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
def explain_cmd(code, lang):
    """Giải thích một quy tắc / explain one rule (code or slug)."""
    from .rulebook import load_rules, matches

    rules = [r for r in load_rules() if r.code == code.upper() or matches(r, code) and not code.upper().startswith("PC")]
    if not rules:
        click.echo(f"plancheck: không có quy tắc / no such rule: {code}", err=True)
        sys.exit(2)
    r = rules[0]
    click.echo(f"{r.code} {r.slug} [{r.severity.value}]{' (preview)' if r.preview else ''}")
    click.echo(f"{r.title.vi} / {r.title.en}")
    click.echo("")
    click.echo(r.why)
    click.echo("")
    click.echo(f"kind: {r.kind}   file: {os.path.relpath(r.path)}")
    doc = getattr(type(r.check), "__doc__", None)
    if doc:
        click.echo("  " + " ".join(doc.split()))
    click.echo("")
    click.echo("Ví dụ vi phạm / fires on:" if lang == "vi" else "Fires on:")
    for ex in r.examples.get("fire", []):
        click.echo("  + " + ex["text"].replace("\n", " ⏎ ")[:300])
    click.echo("Không vi phạm / must not fire on:" if lang == "vi" else "Does not fire on:")
    for ex in r.examples.get("no_fire", []):
        click.echo("  - " + ex["text"].replace("\n", " ⏎ ")[:300])


if __name__ == "__main__":  # pragma: no cover
    main()
