"""Load, validate and select the YAML rules under rules/ (one rule a file).

A rule names a check *kind* (Python, written once in plancheck/checks/) and gives it
parameters; messages, severity, scope and examples are data. A bad rule file is a
``RuleError`` naming the file and the field, which the CLI turns into exit code 2.
"""

from __future__ import annotations

import functools
import importlib
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Document, Finding, Message, Severity, Span
from .resources import RULES_DIR
from .yamlio import YAMLError, loads

_MSG = {
    "type": "object",
    "required": ["vi", "en"],
    "properties": {"vi": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}
_EXAMPLE = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string"},
        "format": {"enum": ["txt", "md"]},
        "suggest": {"type": "string"},
        "note": {"type": "string"},
        "meta": {"type": "object"},
        # batch rules (PC9xx): the other plans of the batch; findings are read on "text"
        "batch": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "text"],
                "properties": {"name": {"type": "string"}, "text": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    },
    "patternProperties": {"^(plan_year|issue_date|period|level|locality)$": {}},
    "additionalProperties": False,
}
RULE_SCHEMA = {
    "type": "object",
    "required": ["code", "slug", "severity", "kind", "title", "why", "message", "examples"],
    "properties": {
        "code": {"type": "string", "pattern": "^PC[0-9]{3}$"},
        "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "severity": {"enum": ["error", "warning", "info"]},
        "severity_by_format": {
            "type": "object",
            "propertyNames": {"enum": ["txt", "md", "docx", "pdf"]},
            "additionalProperties": {"enum": ["error", "warning", "info"]},
        },
        "kind": {"type": "string", "minLength": 1},
        "preview": {"type": "boolean"},
        "applies_to": {"enum": ["any", "plan", "program_plan"]},
        "title": _MSG,
        "why": {"type": "string", "minLength": 1},
        "why_en": {"type": "string", "minLength": 1},  # the same in English (plancheck explain --lang en)
        "message": _MSG,
        "messages": {"type": "object", "additionalProperties": _MSG},
        "suggestion": {"type": "string"},
        # how a finding's suggestion edits the text, written by --annotate as a Word tracked change
        "fix": {"enum": ["replace", "replace_date", "delete"]},
        "params": {"type": "object"},
        "examples": {
            "type": "object",
            "required": ["fire", "no_fire"],
            "properties": {
                "fire": {"type": "array", "items": _EXAMPLE},
                "no_fire": {"type": "array", "items": _EXAMPLE},
            },
            "additionalProperties": False,
        },
        "removed": {"type": "boolean"},
    },
    "additionalProperties": False,
}


class RuleError(Exception):
    """A rule file is invalid; the message names the file and the field."""


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fmt_value(v: Any) -> str:
    """Numbers written the Vietnamese way: 2.211 and 1,4."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    if isinstance(v, float):
        s = f"{v:,.2f}".rstrip("0").rstrip(".")
        return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return str(v)


@functools.lru_cache(maxsize=4096)
def _fields(template: str) -> tuple[str, ...] | None:
    """Names a template uses ("{found}", "{n:>3}", "{a.b}" -> found, n, a); None if it cannot be parsed."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    names = []
    for _, name, _, _ in parsed:
        if name is not None:
            names.append(name.split(".", 1)[0].split("[", 1)[0])
    return tuple(names)


def render(template: str, values: dict[str, Any]) -> str:
    """Fill a message template; only the values it names are formatted (a finding's
    context holds every metadata field)."""
    names = _fields(template)
    if names is None:  # let format_map raise as it does
        return template.format_map(_SafeDict({k: fmt_value(v) for k, v in values.items()}))
    return template.format_map(_SafeDict({k: fmt_value(values[k]) for k in names if k in values}))


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: Severity
    kind: str
    title: Message
    why: str
    message: Message
    messages: dict[str, Message]
    params: dict[str, Any]
    examples: dict[str, list[dict[str, Any]]]
    path: str
    preview: bool = False
    applies_to: str = "any"
    severity_by_format: dict[str, Severity] = field(default_factory=dict)
    suggestion: str | None = None
    fix: str | None = None  # replace | replace_date | delete: the suggestion as a tracked change
    why_en: str | None = None  # the explanation in English (falls back to ``why``)
    check: Any = None

    def severity_for(self, doc: Document) -> Severity:
        return self.severity_by_format.get(doc.format, self.severity)

    def finding(
        self,
        doc: Document,
        span: Span,
        *,
        variant: str | None = None,
        severity: Severity | str | None = None,
        suggestion: str | None = None,
        data: dict[str, Any] | None = None,
        **values: Any,
    ) -> Finding:
        """Build a Finding; the location and excerpt come from the SourceMap, once."""
        tmpl = self.messages.get(variant) if variant else None
        tmpl = tmpl or self.message
        ctx = dict(_metadata_context(doc))
        ctx.update(values)
        excerpt = doc.slice(span)
        ctx.setdefault("excerpt", excerpt)
        msg = Message(render(tmpl.vi, ctx), render(tmpl.en, ctx))
        sev = Severity.parse(severity) if isinstance(severity, str) else (severity or self.severity_for(doc))
        if suggestion is None and self.suggestion:
            suggestion = render(self.suggestion, ctx)
        return Finding(
            code=self.code,
            slug=self.slug,
            severity=sev,
            message=msg,
            span=span,
            excerpt=excerpt,
            location=doc.locate(span),
            suggestion=suggestion,
            preview=self.preview,
            data=data,
        )


def _metadata_context(doc: Document) -> dict[str, Any]:
    """The metadata values a message may name (str, int, float), once per document."""
    memo = doc.derived("_message_context", lambda d: [None, None])
    if memo[0] is not doc.metadata:
        memo[0] = doc.metadata
        memo[1] = {k: v for k, v in doc.metadata.items() if isinstance(v, (str, int, float))}
    return memo[1]


def _kind_class(name: str):
    from .checks import KINDS

    target = KINDS.get(name)
    if target is None and "." in name:
        # "module.Class" names a class in plancheck/checks/<module>.py
        mod, _, cls = name.rpartition(".")
        target = f"plancheck.checks.{mod}:{cls}"
    if target is None:
        raise KeyError(name)
    mod, _, cls = target.partition(":")
    try:
        return getattr(importlib.import_module(mod), cls)
    except (ImportError, AttributeError):
        raise KeyError(name) from None


@functools.lru_cache(maxsize=1)
def _validator():
    import jsonschema  # imported only when a rule file has to be validated

    return jsonschema.Draft202012Validator(RULE_SCHEMA)


def _schema_cache():
    """The cache of rule texts that already passed the schema (None when turned off)."""
    from . import __version__, rulecache

    if not rulecache.enabled():
        return None
    return rulecache.ValidatedCache(rulecache.schema_key(RULE_SCHEMA, __version__), rulecache.default_dir())


def load_rule_file(path: Path, validator=None, cache=None) -> Rule:
    """Read, validate and set up one rule file.

    ``cache`` (a ``rulecache.ValidatedCache``) skips the schema check for a text that
    passed it before; a text it has not seen is validated and, if valid, remembered.
    """
    text = path.read_text(encoding="utf-8")
    try:
        data = loads(text)
    except YAMLError as exc:
        raise RuleError(f"{path}: YAML không hợp lệ / invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleError(f"{path}: không phải một quy tắc / not a rule mapping")
    key = cache.key(text) if cache is not None else None
    if key is None or key not in cache:
        validator = validator or _validator()
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            e = errors[0]
            where = ".".join(str(p) for p in e.absolute_path) or "(root)"
            raise RuleError(f"{path}: trường '{where}': {e.message}")
        if key is not None:
            cache.add(key)
    if not path.name.startswith(data["code"]):
        raise RuleError(f"{path}: tên tệp phải bắt đầu bằng mã {data['code']} / file name must start with the code")
    try:
        kind_cls = _kind_class(data["kind"])
    except KeyError:
        raise RuleError(f"{path}: trường 'kind': loại kiểm tra không tồn tại / unknown kind '{data['kind']}'") from None
    rule = Rule(
        code=data["code"],
        slug=data["slug"],
        severity=Severity(data["severity"]),
        kind=data["kind"],
        title=Message(**data["title"]),
        why=data["why"],
        message=Message(**data["message"]),
        messages={k: Message(**v) for k, v in (data.get("messages") or {}).items()},
        params=data.get("params") or {},
        examples=data["examples"],
        path=str(path),
        preview=bool(data.get("preview", False)),
        applies_to=data.get("applies_to", "any"),
        severity_by_format={k: Severity(v) for k, v in (data.get("severity_by_format") or {}).items()},
        suggestion=data.get("suggestion"),
        fix=data.get("fix"),
        why_en=data.get("why_en"),
    )
    try:
        check = kind_cls(rule.params, rule)
    except (ValueError, TypeError, KeyError) as exc:
        raise RuleError(f"{path}: trường 'params': {exc}") from exc
    object.__setattr__(rule, "check", check)
    return rule


def load_rules(extra_dirs: Iterable[str | Path] = (), *, validate: bool = False) -> list[Rule]:
    """The rules of rules/ and ``extra_dirs``, loaded once per process.

    Every file is parsed and its kind set up each time; the JSON-schema check is
    skipped for a file whose exact text passed it before (``plancheck.rulecache``),
    unless ``validate`` is true (``plancheck rules`` checks every file afresh).
    """
    dirs = [RULES_DIR, *[Path(d) for d in extra_dirs]]
    return list(_load_cached(tuple(str(d) for d in dirs), validate))


@functools.lru_cache(maxsize=8)
def _load_cached(dirs: tuple[str, ...], validate: bool = False) -> tuple[Rule, ...]:
    cache = None if validate else _schema_cache()
    rules: dict[str, Rule] = {}
    for d in dirs:
        p = Path(d)
        if not p.is_dir():
            raise RuleError(f"{p}: thư mục quy tắc không tồn tại / rule folder not found")
        for f in sorted(p.rglob("PC*.yaml")):
            if "facts" in f.relative_to(p).parts:
                continue
            r = load_rule_file(f, None, cache)
            if r.code in rules:
                raise RuleError(f"{f}: mã {r.code} trùng với {rules[r.code].path} / duplicate code")
            rules[r.code] = r
    if cache is not None:
        cache.save()
    return tuple(sorted(rules.values(), key=lambda r: r.code))


def matches(rule: Rule, selector: str) -> bool:
    """A selector is a code (PC203), a prefix (PC2, PC20) or a slug."""
    s = selector.strip()
    if not s:
        return False
    if s.upper().startswith("PC"):
        return rule.code.startswith(s.upper())
    return rule.slug == s.lower() or s.upper() == "ALL"


def select_rules(rules: list[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    select = [s for s in select if s]
    ignore = [s for s in ignore if s]
    out = []
    for r in rules:
        if select and not any(matches(r, s) for s in select):
            continue
        if any(matches(r, s) for s in ignore):
            continue
        out.append(r)
    return out
