"""Command line: plancheck check | extract | rules | explain (and the commands other modules add)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__

FAIL_LEVELS = {"error": 3, "warning": 2, "info": 1, "never": 99}
#: exit code when plancheck itself fails (a bug, not a finding nor a usage error)
EXIT_CRASH = 3


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
    from .report.common import display_path

    def cb(done: int, n: int, path: str) -> None:
        prog.update(task, completed=done, description=display_path(Path(path).name[:40]))

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

    def invoke(self, ctx: click.Context):
        """A failure of plancheck itself exits with EXIT_CRASH, never 1 ("findings found")."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception:
            import traceback

            traceback.print_exc()
            click.echo("plancheck: lỗi nội bộ, xin báo lại / internal error, please report it", err=True)
            sys.exit(EXIT_CRASH)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="plancheck")
def main() -> None:
    """plancheck: kiểm tra kế hoạch của UBND các cấp / checks Vietnamese local-government plans."""
    _utf8_console()


def _utf8_console() -> None:
    """Vietnamese on any console: stdout/stderr re-encoded as UTF-8 when they are not
    (cmd.exe and PowerShell default to a legacy code page such as cp1252 or cp437)."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot change
                pass


def use_color(stream=None) -> bool:
    """Colours for a terminal, following NO_COLOR and FORCE_COLOR (https://no-color.org);
    on Windows only where the console accepts ANSI sequences (turned on here)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    if not getattr(stream, "isatty", lambda: False)():
        return False
    return _windows_ansi() if os.name == "nt" else True


def _windows_ansi() -> bool:
    """Switch the Windows console to processing ANSI colour sequences (Windows 10 and later:
    ENABLE_VIRTUAL_TERMINAL_PROCESSING); False where it cannot, so no escape codes are shown raw."""
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.GetStdHandle(-11)  # STD_OUTPUT_HANDLE
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        return bool(kernel32.SetConsoleMode(handle, mode.value | 0x0004))
    except (AttributeError, OSError, ImportError):
        return False


def _fail(msg: str) -> None:
    click.echo(f"plancheck: {msg}", err=True)
    sys.exit(2)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _writable_dir(folder: Path) -> str | None:
    """None when a file can be created in ``folder``, else why not (tried, not guessed:
    permissions, read-only media and Windows ACLs all answer the same way)."""
    if not folder.exists():
        return "thư mục không tồn tại / folder does not exist"
    if not folder.is_dir():
        return "không phải thư mục / not a folder"
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".plancheck-", delete=True):
            pass
    except OSError as exc:
        return f"không ghi được / not writable ({exc.strerror or exc})"
    return None


def _check_outputs(output: str | None, annotate: str | None, files: list[Path]) -> None:
    """Refuse, before the run, outputs that would overwrite an input or cannot be written."""
    if output:
        out = Path(output)
        for f in files:
            if _same_file(out, f):
                _fail(f"-o {output} là một tệp đầu vào: không ghi đè / is one of the inputs: refusing to overwrite it")
        if out.is_dir():
            _fail(f"-o {output}: là thư mục / is a folder")
        why = _writable_dir(out.parent if str(out.parent) else Path("."))
        if why is None and out.exists() and not os.access(out, os.W_OK):
            why = "tệp chỉ đọc / file is read-only"
        if why:
            _fail(f"-o {output}: {why}")
    if annotate:
        from .report.docx import output_name

        outdir = Path(annotate)
        if outdir.exists() and not outdir.is_dir():
            _fail(f"--annotate {annotate}: không phải thư mục / not a folder")
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _fail(f"--annotate {annotate}: không tạo được thư mục / cannot create the folder ({exc.strerror or exc})")
        why = _writable_dir(outdir)
        if why:
            _fail(f"--annotate {annotate}: {why}")
        inputs = {f.resolve(): f for f in files}
        for f in files:
            fmt = f.suffix.lower().lstrip(".")
            target = (outdir / output_name(str(f), fmt)).resolve()
            if target in inputs:
                _fail(
                    f"--annotate {annotate}: tệp góp ý của {f} sẽ trùng tên tệp đầu vào {inputs[target]}; "
                    f"chọn thư mục khác / the annotated copy of {f} would have the name of the input "
                    f"{inputs[target]}; choose another folder"
                )


def _read_stdin(stdin_filename: str | None) -> tuple[tempfile.TemporaryDirectory, str]:
    """stdin into a temporary file named like ``--stdin-filename`` (its extension picks the reader)."""
    tmpdir = tempfile.TemporaryDirectory(prefix="plancheck-")
    name = Path(stdin_filename).name if stdin_filename else "stdin.txt"
    if not Path(name).suffix:
        name += ".txt"
    f = Path(tmpdir.name) / name
    f.write_bytes(sys.stdin.buffer.read())
    return tmpdir, str(f)


@main.command("check")
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "--output-format",
    "fmt",
    default="text",
    show_default=True,
    help="text|concise|json|sarif|html|csv|xlsx",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--select", multiple=True, help="Codes, prefixes (PC1) or slugs to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Codes, prefixes or slugs to skip (comma-separated).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--fail-on", type=click.Choice(list(FAIL_LEVELS)), default="error", show_default=True)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes, at least 1 (default: one per core on batches).",
)
@click.option("--annotate", type=click.Path(file_okay=False), help="Write a .docx with Word comments per input here.")
@click.option(
    "--no-track-changes",
    is_flag=True,
    help="With --annotate: comments only, suggestions not written as Word tracked changes.",
)
@click.option(
    "--baseline", type=click.Path(dir_okay=False, exists=True), help="Report only what is new since this JSON report."
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), help="Configuration file.")
@click.option("--no-config", is_flag=True, help="Ignore plancheck.toml / pyproject.toml.")
@click.option("--period", help="Program period override, e.g. 2021-2025.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
@click.option("--quiet", "-q", is_flag=True, help="Findings only: no summary line, notes or progress bar.")
@click.option(
    "--show-source/--no-show-source",
    default=None,
    help="Show each finding's excerpt (default: on, off with --format concise).",
)
@click.option("--stdin-filename", help="Name of the document read from stdin ('-'); its folder's config applies.")
def check_cmd(paths, stdin_filename, **kw):
    """Kiểm tra tệp và thư mục / check files and folders (.docx, .pdf, .txt, .md; '-' = stdin)."""
    if not paths:
        if not stdin_filename:
            raise click.UsageError("thiếu tệp cần kiểm tra / no file to check (PATHS, or '-' for stdin)")
        paths = ("-",)
    try:
        _check(paths, stdin_filename=stdin_filename, **kw)
    except KeyboardInterrupt:
        click.echo("\nplancheck: đã dừng (Ctrl+C) / interrupted", err=True)
        sys.exit(130)


def _check(
    paths,
    *,
    fmt,
    output,
    select,
    ignore,
    lang,
    fail_on,
    jobs,
    annotate,
    no_track_changes,
    baseline,
    config_file,
    no_config,
    period,
    no_progress,
    statistics,
    quiet,
    show_source,
    stdin_filename,
):
    from .config import load_config
    from .engine import check as run_check
    from .engine import iter_inputs
    from .report import get_renderer
    from .report.text import render_statistics, summary_line
    from .rulebook import RuleError

    tmpdir = None
    real_paths: list[str] = []
    config_from: list[str] = []  # where the configuration is looked for from
    missing: list[str] = []
    for p in paths:
        if p == "-":
            if tmpdir is not None:
                _fail("'-' (stdin) chỉ một lần / only once")
            tmpdir, f = _read_stdin(stdin_filename)
            real_paths.append(f)
            config_from.append(stdin_filename or ".")
        elif not os.path.lexists(p):
            missing.append(p)  # reported with its PC001 when other paths exist
            real_paths.append(p)
        else:
            real_paths.append(p)
            config_from.append(p)
    if missing:
        if len(missing) == len(real_paths):
            _fail(f"không tìm thấy / not found: {missing[0]}")
        from .report.common import display_path

        for p in missing:
            click.echo(f"plancheck: không tìm thấy / not found: {display_path(p)}", err=True)
    try:
        cfg = load_config(config_from, config_file=config_file, no_config=no_config)
        opts = cfg.options(select=_split(select), ignore=_split(ignore), period=period)
    except (ValueError, RuleError) as exc:
        _fail(f"cấu hình lỗi / configuration error: {exc}")
    try:
        renderer = get_renderer(fmt)
    except KeyError:
        from .report import FORMATS

        _fail(f"định dạng không hỗ trợ / unsupported format: {fmt} ({'|'.join(FORMATS)})")
    files = list(iter_inputs(real_paths))
    if not files:
        _fail("không có tệp nào để kiểm tra (.docx, .pdf, .txt, .md) / no files to check in: " + " ".join(paths))
    _check_outputs(output, annotate, files)
    n_files = len(files)
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 8) if n_files > 4 else 1
    show = not (no_progress or quiet) and n_files > 3 and sys.stderr.isatty()
    prog, cb = _progress_factory(n_files, show)
    views = fmt in ("html", "csv", "xlsx")  # the outputs that show the text or its sections
    try:
        if prog:
            with prog:
                report = run_check(real_paths, opts, jobs=jobs, progress=cb, views=views)
        else:
            report = run_check(real_paths, opts, jobs=jobs, views=views)
    except RuleError as exc:
        _fail(f"quy tắc lỗi / rule error: {exc}")
    if tmpdir is not None:
        for d in report.documents:
            if d.path.startswith(tmpdir.name):
                d.path = stdin_filename or "-"
    cfg.apply_accepts(report)
    if baseline:
        from .baseline import apply_baseline

        apply_baseline(report, baseline)
    if annotate:
        from .report.docx import annotate_all

        try:
            annotate_all(report, real_paths, annotate, lang=lang, track_changes=not no_track_changes)
        except OSError as exc:
            _fail(f"--annotate {annotate}: không ghi được / cannot write ({exc.strerror or exc})")
    color = use_color()
    if show_source is None:
        show_source = fmt != "concise"
    kw = {"show_source": show_source, "quiet": quiet}
    if output or not statistics:
        try:
            _write_report(renderer, report, lang, output, color=color and not output, **kw)
        except OSError as exc:  # the disk filled up, the folder went away during the run…
            if output is None:
                raise
            _fail(f"-o {output}: không ghi được / cannot write ({exc.strerror or exc})")
    if statistics:
        sys.stdout.write(render_statistics(report, lang=lang))
    elif output and not quiet:
        click.echo(f"{summary_line(report, lang)} → {output}")
    if tmpdir is not None:
        tmpdir.cleanup()
    level = FAIL_LEVELS[fail_on]
    worst = max((f.severity.rank for _, f in report.all_findings()), default=0)
    sys.exit(1 if worst >= level else 0)


def _write_report(renderer, report, lang: str, output: str | None, color: bool, **kw) -> None:
    stream = getattr(renderer, "stream", None)  # a renderer that can give its text in pieces
    if stream is not None:  # the same text, without holding all of it (large batches)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.writelines(stream(report, lang=lang))
        else:
            sys.stdout.writelines(stream(report, lang=lang))
        return
    width = None
    if not output and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size((120, 24)).columns
    out = renderer(report, lang=lang, color=color, width=width, **kw)
    if output:
        mode = "wb" if isinstance(out, bytes) else "w"
        with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as fh:
            fh.write(out)
    elif isinstance(out, bytes):
        sys.stdout.buffer.write(out)
    else:
        sys.stdout.write(out)


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
        click.echo(
            json.dumps(
                {"path": path, "error": exc.reason, **{k: str(v) for k, v in exc.params.items()}}, ensure_ascii=False
            )
        )
        sys.exit(1)
    click.echo(json.dumps(document_json(doc), ensure_ascii=False, indent=2 if pretty else None))


def _configured_rules(config_file: str | None, no_config: bool, validate: bool = False):
    """Built-in rules plus the ``extra-rules`` of the configuration in effect here (the
    plancheck.toml found from the current folder upwards, or ``--config``)."""
    from .config import load_config
    from .rulebook import RuleError, load_rules

    try:
        cfg = load_config(["."], config_file=config_file, no_config=no_config)
        return load_rules(cfg.extra_rule_dirs(), validate=validate)
    except ValueError as exc:
        _fail(f"cấu hình lỗi / configuration error: {exc}")
    except RuleError as exc:
        _fail(f"quy tắc lỗi / rule error: {exc}")


_config_options = [
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, exists=True),
        help="Configuration file (its extra-rules are included).",
    ),
    click.option("--no-config", is_flag=True, help="Ignore plancheck.toml / pyproject.toml."),
]


def _with_config(f):
    for opt in reversed(_config_options):
        f = opt(f)
    return f


@main.command("rules")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
@click.option(
    "--test",
    "test_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Run the examples of the rules in this folder (a province's own rules) as the tests do.",
)
@_with_config
def rules_cmd(lang, test_dir, config_file, no_config):
    """Liệt kê các quy tắc / list the rules (with the configuration's extra-rules)."""
    if test_dir:
        sys.exit(_test_rules(test_dir, lang))
    # every rule file validated afresh, no start-up cache
    rules = _configured_rules(config_file, no_config, validate=True)
    for r in rules:
        flag = " (preview)" if r.preview else ""
        click.echo(f"{r.code}  {r.severity.value:<7}  {r.slug:<34} {r.title.get(lang)}{flag}")


def _test_rules(folder: str, lang: str) -> int:
    """Every fire / no_fire example of the rules in ``folder``: 0 when all pass, 1 otherwise."""
    from .examples import run_example
    from .rulebook import RuleError, load_rules

    root = Path(folder).resolve()
    try:
        rules = [r for r in load_rules([root], validate=True) if Path(r.path).resolve().is_relative_to(root)]
    except RuleError as exc:
        _fail(f"quy tắc lỗi / rule error: {exc}")
    if not rules:
        _fail(f"{folder}: không có tệp quy tắc PC*.yaml / no PC*.yaml rule file")
    failed = total = 0
    for r in rules:
        if not r.examples.get("fire") or not r.examples.get("no_fire"):
            failed += 1
            click.echo(f"FAIL {r.code}: cần ít nhất một ví dụ fire và một no_fire / needs a fire and a no_fire example")
        for kind in ("fire", "no_fire"):
            for i, ex in enumerate(r.examples.get(kind, [])):
                total += 1
                why = _example_failure(run_example, r, kind, ex)
                if why:
                    failed += 1
                    click.echo(f"FAIL {r.code} {kind}[{i}]: {why}")
                else:
                    click.echo(f"ok   {r.code} {kind}[{i}]")
    if lang == "en":
        click.echo(f"{len(rules)} rules, {total} examples: {failed} failed")
    else:
        click.echo(f"{len(rules)} quy tắc, {total} ví dụ: {failed} không đạt")
    return 1 if failed else 0


def _example_failure(run_example, rule, kind: str, example: dict) -> str | None:
    """Why an example does not hold (as tests/test_rule_examples.py judges it), or None."""
    text = example["text"].replace("\n", " ⏎ ")[:120]
    try:
        findings, spans, doc = run_example(rule, example)
    except Exception as exc:  # a broken rule must not stop the other examples
        return f"{type(exc).__name__}: {exc}"
    if kind == "no_fire":
        return f"báo sai / fired on {text!r}: {findings[0].message.vi}" if findings else None
    if not findings:
        return f"không báo / did not fire on {text!r}"
    for sp in spans:
        if not any(f.span.overlaps(sp) or f.span == sp for f in findings):
            got = [doc.slice(f.span) for f in findings]
            return f"báo ở / fired at {got}, không phải / not at {doc.slice(sp)!r}"
    if "suggest" in example and not any(f.suggestion == example["suggest"] for f in findings):
        return f"đề xuất khác / suggestion is not {example['suggest']!r}"
    return None


@main.command("explain")
@click.argument("code")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
@_with_config
def explain_cmd(code, lang, config_file, no_config):
    """Giải thích một quy tắc / explain one rule (code or slug; with the configuration's extra-rules)."""
    from .rulebook import matches

    all_rules = _configured_rules(config_file, no_config)
    rules = [r for r in all_rules if r.code == code.upper() or matches(r, code) and not code.upper().startswith("PC")]
    if not rules:
        _fail(f"không có quy tắc / no such rule: {code}")
    r = rules[0]
    click.echo(f"{r.code} {r.slug} [{sev_name(r.severity.value, lang)}]{' (preview)' if r.preview else ''}")
    click.echo(f"{r.title.vi} / {r.title.en}")
    click.echo("")
    click.echo(" ".join((r.why_en if lang == "en" and r.why_en else r.why).split()))
    click.echo("")
    kind = "loại kiểm tra" if lang == "vi" else "kind"
    file = "tệp" if lang == "vi" else "file"
    click.echo(f"{kind}: {r.kind}   {file}: {_shown_path(r.path)}")
    doc = getattr(type(r.check), "__doc__", None)
    if doc and lang == "en":  # the check kinds' documentation is written in English
        click.echo("  " + " ".join(doc.split()))
    click.echo("")
    click.echo("Ví dụ vi phạm:" if lang == "vi" else "Fires on:")
    for ex in r.examples.get("fire", []):
        click.echo("  + " + ex["text"].replace("\n", " ⏎ ")[:300])
    click.echo("Không vi phạm:" if lang == "vi" else "Does not fire on:")
    for ex in r.examples.get("no_fire", []):
        click.echo("  - " + ex["text"].replace("\n", " ⏎ ")[:300])


def sev_name(sev: str, lang: str) -> str:
    from .report.common import sev_label

    return sev_label(sev, lang)


def _shown_path(path) -> str:
    """A rule file's path relative to the current folder when it is inside it, else absolute
    (relpath fails across Windows drives)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


if __name__ == "__main__":  # pragma: no cover
    main()
