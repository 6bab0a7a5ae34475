"""Configuration: ``plancheck.toml`` or ``[tool.plancheck]`` in pyproject.toml, found upwards.

The file is looked for from the first checked path upwards (a plancheck.toml wins
over a pyproject.toml in the same folder), or given with ``--config FILE``;
``--no-config`` ignores it. Keys (all optional)::

    select = ["PC1", "PC203"]          # codes, prefixes or slugs to run
    ignore = ["PC805"]                 # … to skip (added to --ignore)
    extra-rules = ["rules-tinh"]        # folders of extra YAML rules, relative to the file
    period = "2021-2025"                # program period override
    locality = ["Thịnh Đức"]            # the locality's official names
    areas = ["HN"]                      # the locality qualifies for area-restricted projects (HN, XBN, X135)
    extra-facts = ["danh-muc-tinh.yaml"] # the province's own program catalog(s), files or folders
    [programs]            catalogs = ["danh-muc-tinh.yaml"]   # the same, as a table
    [severity]            PC304 = "info"
    [per-file-ignores]    "xa-*/*.pdf" = ["PC6"]
    [limits]              max_bytes = 20000000, seconds_per_file = 60, max_pages = 500, max_memory_mb = 2048
    [[accept]]            file = "*.docx", code = "PC802", excerpt = "…", reason = "…"

On the command line ``--select`` replaces the file's ``select`` and ``--ignore``
adds to its ``ignore`` (as in ruff). Overrides reach the Document's metadata as
``period_override`` (str "2021-2025") and ``locality_names`` (tuple of str).

Every value is checked on load: a bad key or value raises ``ValueError`` naming
the file and the key (exit code 2 in the CLI); codes and selectors must name rules
that exist (built-in or from ``extra-rules``, which are validated like the
built-in ones). ``[[accept]]`` entries need a reason; an entry that no longer
matches any finding is reported in the report's notes so stale acceptances do
not pile up.
"""

from __future__ import annotations

import difflib
import fnmatch
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import click
import regex

from .readers import Limits

KNOWN = (
    "select",
    "ignore",
    "extra-rules",
    "period",
    "locality",
    "areas",
    "extra-facts",
    "programs",
    "severity",
    "per-file-ignores",
    "limits",
    "accept",
)
# Area lists of the program catalogs (rules/facts/programs): huyện nghèo, xã đặc biệt khó khăn
# vùng bãi ngang ven biển và hải đảo, xã/thôn thuộc Chương trình 135.
AREA_CODES = ("HN", "XBN", "X135")
ACCEPT_KEYS = ("file", "code", "excerpt", "reason")
_CODE = regex.compile(r"^PC[0-9]{3}$")
_SELECTOR = regex.compile(r"^(?:PC[0-9]{0,3}|[a-z0-9]+(?:-[a-z0-9]+)*|ALL)$", regex.I)
_PERIOD = regex.compile(r"^\s*((?:19|20)[0-9]{2})\s*[-–—]\s*((?:19|20)[0-9]{2})\s*$")
DEFAULT = "default"
CLI = "command line"


@dataclass
class Config:
    path: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # key -> where its value came from
    unused_accepts: list[dict] = field(default_factory=list)

    @property
    def root(self) -> Path | None:
        return Path(self.path).resolve().parent if self.path else None

    def extra_rule_dirs(self) -> tuple[str, ...]:
        return tuple(str((self.root or Path.cwd()) / p) for p in self.data.get("extra-rules", []))

    def options(self, select=(), ignore=(), period=None, validate: bool = True):
        """Engine options: the file's values, with the command line's on top."""
        from .engine import Options

        d = self.data
        if period:
            period = _check_period(period, "--period", d.get("extra-facts", ()))
        limits = Limits(**d.get("limits", {}))
        overrides: dict[str, Any] = {}
        if period or d.get("period"):
            overrides["period_override"] = period or d["period"]
        if d.get("locality"):
            overrides["locality_names"] = tuple(d["locality"])
        if d.get("areas"):
            overrides["locality_areas"] = tuple(d["areas"])
        if d.get("extra-facts"):
            overrides["extra_catalogs"] = tuple(d["extra-facts"])
        opts = Options(
            select=tuple(select) or tuple(d.get("select", ())),
            ignore=tuple(ignore) + tuple(d.get("ignore", ())),
            extra_rules=self.extra_rule_dirs(),
            limits=limits,
            overrides=tuple(overrides.items()),
            severity=tuple((k.upper(), v) for k, v in d.get("severity", {}).items()),
            per_file_ignores=tuple((g, tuple(v)) for g, v in d.get("per-file-ignores", {}).items()),
            config_root=str(self.root) if self.root else None,
        )
        if validate:
            self.validate_codes(select=select, ignore=ignore)
        return opts

    def rules(self):
        """Built-in rules plus the extra-rules folders (RuleError on a bad rule file)."""
        from .rulebook import load_rules

        return load_rules(self.extra_rule_dirs())

    def validate_codes(self, select=(), ignore=()) -> None:
        """Every code and selector must name an existing rule; the error names the key."""
        from .rulebook import matches

        rules = self.rules()
        where = self.path or CLI

        def check(sel: str, key: str, src: str) -> None:
            if not any(matches(r, sel) for r in rules):
                near = difflib.get_close_matches(sel, [r.code for r in rules] + [r.slug for r in rules], n=1)
                hint = f" (ý là / did you mean '{near[0]}'?)" if near else ""
                raise ValueError(f"{src}: '{key}': '{sel}' không khớp quy tắc nào / matches no rule{hint}")

        for s in select:
            check(s, "--select", CLI)
        for s in ignore:
            check(s, "--ignore", CLI)
        for k in ("select", "ignore"):
            for s in self.data.get(k, []):
                check(s, k, where)
        for g, sels in self.data.get("per-file-ignores", {}).items():
            for s in sels:
                check(s, f"per-file-ignores.{g}", where)
        codes = {r.code for r in rules}
        for code in self.data.get("severity", {}):
            if code.upper() not in codes:
                raise ValueError(f"{where}: 'severity.{code}': không có quy tắc này / no such rule")

    def apply_accepts(self, report) -> None:
        """Drop accepted findings; note the accept entries that matched nothing."""
        from .report.common import norm_excerpt

        accepts = self.data.get("accept", [])
        if not accepts:
            return
        used = [False] * len(accepts)
        root = self.root
        for d in report.documents:
            names = {d.path, Path(d.path).name}
            if root is not None:
                try:
                    names.add(Path(d.path).resolve().relative_to(root).as_posix())
                except (ValueError, OSError):
                    pass
            keep = []
            for f in d.findings:
                hit = None
                for i, a in enumerate(accepts):
                    if a["code"].upper() != f.code:
                        continue
                    if a.get("file") and not any(fnmatch.fnmatch(n, a["file"]) for n in names):
                        continue
                    if a.get("excerpt") and norm_excerpt(a["excerpt"]) not in norm_excerpt(f.excerpt):
                        continue
                    hit = i
                    break
                if hit is None:
                    keep.append(f)
                else:
                    used[hit] = True
                    d.extra.setdefault("accepted", []).append((f, accepts[hit]["reason"]))
            d.findings = keep
        self.unused_accepts = [a for a, u in zip(accepts, used, strict=True) if not u]
        for a in self.unused_accepts:
            report.notes.append(
                f"[[accept]] không còn khớp phát hiện nào / matches no finding: "
                f"code={a['code']} file={a.get('file', '*')} excerpt={a.get('excerpt', '')!r} ({self.path})"
            )


# --------------------------------------------------------------------------- validation


def _where_key(where: str, key: str) -> str:
    return f"{where}: '{key}'"


def _str_list(v: Any, key: str, where: str, allow_str: bool = False) -> list[str]:
    if allow_str and isinstance(v, str):
        v = [v]
    if not (isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)):
        raise ValueError(f"{_where_key(where, key)} phải là danh sách chuỗi / must be a list of strings")
    return [x.strip() for x in v]


def _catalog_files(paths: list[str], where: str, base: Path | None) -> list[str]:
    """Absolute paths of the catalog YAML files given (a folder gives its *.yaml), each
    validated against the schema of rules/facts/programs/ (ValueError naming the file)."""
    from .extract.programs import load_catalog_file

    out: list[str] = []
    for p in paths:
        f = ((base or Path.cwd()) / p).resolve()
        files = sorted(f.glob("*.yaml")) if f.is_dir() else [f]
        if not f.exists() or not files:
            raise ValueError(f"{_where_key(where, 'extra-facts')}: không tìm thấy / not found: {f}")
        for x in files:
            try:
                load_catalog_file(str(x))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{_where_key(where, 'extra-facts')}: {exc}") from exc
            out.append(str(x))
    return out


def program_periods(extra_facts: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The periods with a project catalog (rules/facts/programs, and the configuration's
    ``extra-facts``): the values ``period`` may take."""
    from .extract.programs import load_catalog_file, load_catalogs

    cats = [*load_catalogs(), *(load_catalog_file(str(f)) for f in extra_facts)]
    return sorted({c.period for c in cats})


def _check_period(v: Any, where_key: str, extra_facts: tuple[str, ...] | list[str] = ()) -> str:
    periods = program_periods(extra_facts)
    valid = ", ".join(periods)
    m = _PERIOD.match(v) if isinstance(v, str) else None
    if not m or int(m.group(1)) >= int(m.group(2)):
        raise ValueError(
            f"{where_key}: giai đoạn phải dạng 2021-2025 ({valid}) / period must look like 2021-2025 ({valid}), got {v!r}"
        )
    period = f"{m.group(1)}-{m.group(2)}"
    if period not in periods:
        raise ValueError(
            f"{where_key}: {period} không phải giai đoạn của chương trình; giai đoạn hợp lệ: {valid} / "
            f"not a program period; valid periods: {valid}"
        )
    return period


def _validate(data: dict[str, Any], where: str, base: Path | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in data:
        if k not in KNOWN:
            near = difflib.get_close_matches(k, KNOWN, n=1)
            hint = f" (ý là / did you mean '{near[0]}'?)" if near else ""
            raise ValueError(f"{where}: khóa không hợp lệ / unknown key '{k}'{hint}")
    for k in ("select", "ignore"):
        if k in data:
            out[k] = _str_list(data[k], k, where)
            for s in out[k]:
                if not _SELECTOR.match(s):
                    raise ValueError(
                        f"{_where_key(where, k)}: '{s}' không phải mã, tiền tố hay slug / not a code, prefix or slug"
                    )
    if "locality" in data:
        out["locality"] = _str_list(data["locality"], "locality", where, allow_str=True)
    if "areas" in data:
        out["areas"] = _str_list(data["areas"], "areas", where, allow_str=True)
        for a in out["areas"]:
            if a not in AREA_CODES:
                raise ValueError(
                    f"{_where_key(where, 'areas')}: '{a}' không phải {', '.join(AREA_CODES)} / must be one of them"
                )
    if "extra-rules" in data:
        out["extra-rules"] = _str_list(data["extra-rules"], "extra-rules", where, allow_str=True)
        for p in out["extra-rules"]:
            d = (base or Path.cwd()) / p
            if not d.is_dir():
                raise ValueError(f"{_where_key(where, 'extra-rules')}: thư mục không tồn tại / folder not found: {d}")
    cats: list[str] = []
    if "extra-facts" in data:
        cats += _str_list(data["extra-facts"], "extra-facts", where, allow_str=True)
    if "programs" in data:
        pr = data["programs"]
        if not isinstance(pr, dict) or set(pr) - {"catalogs"}:
            raise ValueError(
                f"{_where_key(where, 'programs')} phải là bảng catalogs = [...] / must be a table catalogs = [...]"
            )
        cats += _str_list(pr.get("catalogs", []), "programs.catalogs", where, allow_str=True)
    if cats:
        out["extra-facts"] = _catalog_files(cats, where, base)
    if "period" in data:
        out["period"] = _check_period(data["period"], _where_key(where, "period"), out.get("extra-facts", ()))
    if "severity" in data:
        sev = data["severity"]
        if not isinstance(sev, dict):
            raise ValueError(f"{_where_key(where, 'severity')} phải là bảng mã = mức / must be a table code = level")
        for code, level in sev.items():
            if not _CODE.match(code.upper()):
                raise ValueError(f"{_where_key(where, 'severity.' + code)}: không phải mã quy tắc / not a rule code")
            if level not in ("error", "warning", "info"):
                raise ValueError(f"{_where_key(where, 'severity.' + code)} phải là error|warning|info, got {level!r}")
        out["severity"] = {c.upper(): lv for c, lv in sev.items()}
    if "per-file-ignores" in data:
        pfi = data["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise ValueError(f"{_where_key(where, 'per-file-ignores')} phải là bảng glob = [mã] / must be a table")
        out["per-file-ignores"] = {}
        for g, v in pfi.items():
            key = f"per-file-ignores.{g}"
            sels = _str_list(v, key, where)
            for s in sels:
                if not _SELECTOR.match(s):
                    raise ValueError(f"{_where_key(where, key)}: '{s}' không phải mã / not a code, prefix or slug")
            out["per-file-ignores"][g] = sels
    if "limits" in data:
        lim = data["limits"]
        if not isinstance(lim, dict):
            raise ValueError(f"{_where_key(where, 'limits')} phải là bảng / must be a table")
        types = {f.name: f.type for f in fields(Limits)}
        for k, v in lim.items():
            if k not in types:
                near = difflib.get_close_matches(k, list(types), n=1)
                hint = f" (ý là / did you mean '{near[0]}'?)" if near else ""
                raise ValueError(f"{where}: khóa không hợp lệ / unknown key 'limits.{k}'{hint}")
            is_int = "int" in str(types[k])
            ok = isinstance(v, int) if is_int else isinstance(v, (int, float))
            if isinstance(v, bool) or not ok or v <= 0:
                kind = "số nguyên dương / a positive integer" if is_int else "số dương / a positive number"
                raise ValueError(f"{_where_key(where, 'limits.' + k)} phải là {kind}, got {v!r}")
        out["limits"] = dict(lim)
    if "accept" in data:
        acc = data["accept"]
        if not isinstance(acc, list):
            raise ValueError(f"{_where_key(where, 'accept')} phải là [[accept]] / must be an array of tables")
        out["accept"] = []
        for i, a in enumerate(acc):
            key = f"accept[{i}]"
            if not isinstance(a, dict):
                raise ValueError(f"{_where_key(where, key)} phải là bảng / must be a table")
            for k in a:
                if k not in ACCEPT_KEYS:
                    raise ValueError(f"{where}: khóa không hợp lệ / unknown key '{key}.{k}'")
            for k in ACCEPT_KEYS:
                if k in a and not isinstance(a[k], str):
                    raise ValueError(f"{_where_key(where, key + '.' + k)} phải là chuỗi / must be a string")
            if not _CODE.match(str(a.get("code", "")).upper()):
                raise ValueError(f"{_where_key(where, key + '.code')} cần mã quy tắc như PC802 / needs a rule code")
            if not str(a.get("reason", "")).strip():
                raise ValueError(
                    f"{_where_key(where, key + '.reason')} bắt buộc: ghi lý do chấp nhận / a reason is required"
                )
            out["accept"].append({**a, "code": a["code"].upper()})
    return out


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    if path.name == "pyproject.toml":
        raw = raw.get("tool", {}).get("plancheck", {})
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: '[tool.plancheck]' phải là bảng / must be a table")
    return _validate(raw, str(path), path.resolve().parent)


def find_config(start: Path) -> Path | None:
    p = start.resolve()
    if not p.is_dir():
        p = p.parent
    for d in (p, *p.parents):
        f = d / "plancheck.toml"
        if f.is_file():
            return f
        pp = d / "pyproject.toml"
        if pp.is_file():
            try:
                if "plancheck" in tomllib.loads(pp.read_text(encoding="utf-8-sig")).get("tool", {}):
                    return pp
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                pass
    return None


def load_config(paths, config_file: str | None = None, no_config: bool = False) -> Config:
    if no_config:
        return Config()
    if config_file:
        f = Path(config_file)
    else:
        f = find_config(Path(paths[0])) if paths else find_config(Path.cwd())
    if f is None:
        return Config()
    data = read_config_file(f)
    return Config(path=str(f), data=data, origins={k: str(f) for k in data})


# --------------------------------------------------------------------------- plancheck config --show


def _toml(v: Any) -> str:
    import json

    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if v is None:
        return '""'
    return json.dumps(str(v), ensure_ascii=False)


def _key(k: str) -> str:
    return k if regex.fullmatch(r"[A-Za-z0-9_-]+", k) else _toml(k)


def show_lines(cfg: Config, select=(), ignore=(), period=None) -> list[str]:
    """The configuration in effect, as TOML, each value with where it came from."""
    src = cfg.path or DEFAULT
    d = cfg.data
    rows: list[tuple[str, str | None]] = []  # (TOML text, origin or None for a plain line)
    rows.append(
        (
            f"select = {_toml(list(select) or d.get('select', []))}",
            CLI if select else (src if "select" in d else DEFAULT),
        )
    )
    ign = list(ignore) + d.get("ignore", [])
    ign_src = " + ".join(x for x in ((CLI if ignore else ""), (src if "ignore" in d else "")) if x) or DEFAULT
    rows.append((f"ignore = {_toml(ign)}", ign_src))
    rows.append((f"extra-rules = {_toml(d.get('extra-rules', []))}", src if "extra-rules" in d else DEFAULT))
    per = _check_period(period, "--period", d.get("extra-facts", ())) if period else d.get("period")
    per_src = CLI if period else (src if "period" in d else DEFAULT)
    rows.append((f"period = {_toml(per or '')}", per_src if per else "default: từ năm kế hoạch / from the plan year"))
    rows.append((f"locality = {_toml(d.get('locality', []))}", src if "locality" in d else DEFAULT))
    rows.append((f"areas = {_toml(d.get('areas', []))}", src if "areas" in d else DEFAULT))
    rows.append((f"extra-facts = {_toml(d.get('extra-facts', []))}", src if "extra-facts" in d else DEFAULT))
    rows += [("", None), ("[severity]", None)]
    rows += [(f"{code} = {_toml(lv)}", src) for code, lv in d.get("severity", {}).items()]
    rows += [("", None), ("[per-file-ignores]", None)]
    rows += [(f"{_key(g)} = {_toml(sels)}", src) for g, sels in d.get("per-file-ignores", {}).items()]
    rows += [("", None), ("[limits]", None)]
    lim = d.get("limits", {})
    eff = Limits(**lim)
    rows += [(f"{f.name} = {_toml(getattr(eff, f.name))}", src if f.name in lim else DEFAULT) for f in fields(Limits)]
    for a in d.get("accept", []):
        rows += [("", None), ("[[accept]]", src)]
        rows += [(f"{k} = {_toml(a[k])}", None) for k in ACCEPT_KEYS if k in a]
    width = max(len(t) for t, o in rows if o) + 2
    out = [f"# plancheck config — tệp / file: {cfg.path or '(không có / none: defaults)'}"]
    out += [f"{t:<{width}}# {o}" if o else t for t, o in rows]
    return out


@click.command("config")
@click.option("--show", is_flag=True, default=True, help="Print the configuration in effect (the default).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), help="Configuration file.")
@click.option("--no-config", is_flag=True, help="Ignore plancheck.toml / pyproject.toml.")
@click.option("--select", multiple=True, help="As for check: codes, prefixes or slugs.")
@click.option("--ignore", multiple=True, help="As for check.")
@click.option("--period", help="As for check.")
@click.argument("path", required=False, default=".")
def config_cmd(show, config_file, no_config, select, ignore, period, path):
    """In cấu hình đang dùng và nguồn của từng giá trị / show the configuration in effect and where each value came from."""
    import sys

    from .rulebook import RuleError

    def split(values):
        return tuple(x.strip() for v in values for x in v.split(",") if x.strip())

    select, ignore = split(select), split(ignore)
    try:
        cfg = load_config([path], config_file=config_file, no_config=no_config)
        cfg.options(select=select, ignore=ignore, period=period)  # validates codes and extra rules
        lines = show_lines(cfg, select, ignore, period)
        rules = cfg.rules()
    except (ValueError, RuleError) as exc:
        click.echo(f"plancheck: cấu hình lỗi / configuration error: {exc}", err=True)
        sys.exit(2)
    for line in lines:
        click.echo(line.rstrip())
    from .rulebook import RULES_DIR, select_rules

    n_extra = sum(1 for r in rules if not Path(r.path).resolve().is_relative_to(RULES_DIR.resolve()))
    active = select_rules(
        rules, select or tuple(cfg.data.get("select", ())), ignore + tuple(cfg.data.get("ignore", ()))
    )
    click.echo("")
    click.echo(
        f"# quy tắc / rules: {len(active)} đang chạy / selected of {len(rules)} ({n_extra} từ extra-rules / from extra-rules)"
    )
