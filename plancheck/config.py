"""Configuration: plancheck.toml or [tool.plancheck] in pyproject.toml, found upwards.

Keys (all optional)::

    select = ["PC1", "PC203"]          # codes, prefixes or slugs
    ignore = ["PC805"]
    extra-rules = ["rules-tinh"]        # folders of extra YAML rules (relative to the file)
    period = "2021-2025"                # program period override
    locality = ["Thịnh Đức"]            # the locality's official names
    [severity]            PC304 = "info"
    [per-file-ignores]    "xa-*/*.pdf" = ["PC6"]
    [limits]              max_bytes = 20000000, seconds_per_file = 60, max_pages = 500
    [[accept]]            file = "*.docx", code = "PC802", excerpt = "…", reason = "…"

A bad key or value raises ValueError naming the key (exit code 2 in the CLI).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import click

from .readers import Limits

KNOWN = {"select", "ignore", "extra-rules", "period", "locality", "severity", "per-file-ignores", "limits", "accept"}


@dataclass
class Config:
    path: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    unused_accepts: list[dict] = field(default_factory=list)

    @property
    def root(self) -> Path | None:
        return Path(self.path).parent if self.path else None

    def options(self, select=(), ignore=(), period=None):
        from .engine import Options

        d = self.data
        limits = Limits(**d.get("limits", {}))
        overrides: dict[str, Any] = {}
        if period or d.get("period"):
            overrides["period_override"] = period or d["period"]
        if d.get("locality"):
            overrides["locality_names"] = tuple(d["locality"])
        extra = tuple(str((self.root or Path.cwd()) / p) for p in d.get("extra-rules", []))
        return Options(
            select=tuple(select) or tuple(d.get("select", ())),
            ignore=tuple(ignore) + tuple(d.get("ignore", ())),
            extra_rules=extra,
            limits=limits,
            overrides=tuple(overrides.items()),
            severity=tuple((k.upper(), v) for k, v in d.get("severity", {}).items()),
            per_file_ignores=tuple((g, tuple(v)) for g, v in d.get("per-file-ignores", {}).items()),
            config_root=str(self.root) if self.root else None,
        )

    def apply_accepts(self, report) -> None:
        """Drop accepted findings; remember accept entries that matched nothing."""
        accepts = self.data.get("accept", [])
        if not accepts:
            return
        used = [False] * len(accepts)
        for d in report.documents:
            keep = []
            for f in d.findings:
                hit = None
                for i, a in enumerate(accepts):
                    if a["code"].upper() != f.code:
                        continue
                    if a.get("file") and not (
                        fnmatch.fnmatch(d.path, a["file"]) or fnmatch.fnmatch(Path(d.path).name, a["file"])
                    ):
                        continue
                    if a.get("excerpt") and a["excerpt"] not in f.excerpt:
                        continue
                    hit = i
                    break
                if hit is None:
                    keep.append(f)
                else:
                    used[hit] = True
            d.findings = keep
        self.unused_accepts = [a for a, u in zip(accepts, used) if not u]
        for a in self.unused_accepts:
            report.notes.append(
                f"[[accept]] không còn khớp phát hiện nào / matches nothing: code={a['code']} file={a.get('file', '*')}"
            )


def _validate(data: dict[str, Any], where: str) -> dict[str, Any]:
    for k in data:
        if k not in KNOWN:
            raise ValueError(f"{where}: khóa không hợp lệ / unknown key '{k}'")
    for k in ("select", "ignore", "extra-rules", "locality"):
        if k in data and not (isinstance(data[k], list) and all(isinstance(x, str) for x in data[k])):
            raise ValueError(f"{where}: '{k}' phải là danh sách chuỗi / must be a list of strings")
    if "period" in data and not (isinstance(data["period"], str) and len(data["period"]) == 9):
        raise ValueError(f"{where}: 'period' phải dạng 2021-2025 / must look like 2021-2025")
    for code, sev in data.get("severity", {}).items():
        if sev not in ("error", "warning", "info"):
            raise ValueError(f"{where}: 'severity.{code}' phải là error|warning|info")
    for g, v in data.get("per-file-ignores", {}).items():
        if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            raise ValueError(f"{where}: 'per-file-ignores.{g}' phải là danh sách mã / must be a list of codes")
    lim_names = {f.name for f in fields(Limits)}
    for k, v in data.get("limits", {}).items():
        if k not in lim_names:
            raise ValueError(f"{where}: khóa không hợp lệ / unknown key 'limits.{k}'")
        if not isinstance(v, (int, float)) or v <= 0:
            raise ValueError(f"{where}: 'limits.{k}' phải là số dương / must be a positive number")
    for i, a in enumerate(data.get("accept", [])):
        if not isinstance(a, dict) or "code" not in a or not a.get("reason"):
            raise ValueError(f"{where}: 'accept[{i}]' cần 'code' và 'reason' / needs 'code' and 'reason'")
        for k in a:
            if k not in ("file", "code", "excerpt", "reason"):
                raise ValueError(f"{where}: khóa không hợp lệ / unknown key 'accept[{i}].{k}'")
    return data


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    if path.name == "pyproject.toml":
        raw = raw.get("tool", {}).get("plancheck", {})
    return _validate(raw, str(path))


def find_config(start: Path) -> Path | None:
    p = start.resolve()
    if p.is_file():
        p = p.parent
    for d in (p, *p.parents):
        f = d / "plancheck.toml"
        if f.is_file():
            return f
        pp = d / "pyproject.toml"
        if pp.is_file():
            try:
                if "plancheck" in tomllib.loads(pp.read_text(encoding="utf-8")).get("tool", {}):
                    return pp
            except (tomllib.TOMLDecodeError, OSError):
                pass
    return None


def load_config(paths, config_file: str | None = None, no_config: bool = False) -> Config:
    if no_config:
        return Config()
    if config_file:
        f = Path(config_file)
    else:
        f = find_config(Path(paths[0])) if paths else None
    if f is None:
        return Config()
    data = read_config_file(f)
    return Config(path=str(f), data=data, origins={k: str(f) for k in data})


@click.command("config")
@click.option("--show", is_flag=True, default=True, help="Print the configuration in effect.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True))
@click.argument("path", required=False, default=".")
def config_cmd(show, config_file, path):
    """In cấu hình đang dùng / show the configuration in effect and where it came from."""
    import sys

    try:
        cfg = load_config([path], config_file=config_file)
    except ValueError as exc:
        click.echo(f"plancheck: cấu hình lỗi / configuration error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"# file: {cfg.path or '(none: defaults)'}")
    opts = cfg.options()
    for name in ("select", "ignore", "extra_rules", "overrides", "severity", "per_file_ignores"):
        key = name.replace("_", "-")
        src = cfg.origins.get(key) or cfg.origins.get(name) or "default"
        click.echo(f"{key} = {getattr(opts, name)!r}    # {src}")
    for fld in fields(Limits):
        src = cfg.origins.get("limits", "default") if fld.name in cfg.data.get("limits", {}) else "default"
        click.echo(f"limits.{fld.name} = {getattr(opts.limits, fld.name)!r}    # {src}")
    for a in cfg.data.get("accept", []):
        click.echo(f"accept: {a}    # {cfg.path}")
