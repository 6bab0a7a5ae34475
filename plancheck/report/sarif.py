"""SARIF 2.1.0 for CI users (GitHub code scanning, Azure DevOps, VS Code SARIF viewer).

One run; ``tool.driver.rules`` holds every rule of the run (built-in and extra-rules
folders) with its title, why-text as help and default severity. Each finding is a
result whose region carries the excerpt as snippet:

* .txt/.md — ``startLine``/``startColumn``/``endLine``/``endColumn`` of the file itself;
* .docx — ``startLine`` is the 1-based body paragraph (table cells included), said so
  in ``region.properties`` and in a logical location "paragraph N";
* .pdf — ``startLine`` is the line on the page, the page is in ``region.properties``
  and in a logical location "page P, line L".

Columns count Unicode code points (``columnKind``). After ``--baseline`` each result
has ``baselineState`` "new", and the baseline findings now fixed are added as
``kind: pass`` results with ``baselineState: absent``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from .common import norm_excerpt

# formats located by paragraph: .docx, and .doc/.odt/.rtf read through their .docx conversion
_PARAGRAPH_FORMATS = ("docx", "doc", "odt", "rtf")

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(os.fsencode(p.as_posix()), safe="/._-~")  # bytes: a name that is not UTF-8 too


def _fingerprint(code: str, excerpt: str) -> str:
    return hashlib.sha256(f"{code}\x00{norm_excerpt(excerpt)}".encode()).hexdigest()[:32]


def _rule_descriptor(r: Any, lang: str) -> dict[str, Any]:
    why = (getattr(r, "why_en", None) if lang == "en" else None) or r.why
    help_text = f"{r.title.get(lang)}\n\n{why}"
    return {
        "id": r.code,
        "name": r.slug,
        "shortDescription": {"text": r.title.get(lang)},
        "fullDescription": {"text": " ".join(why.split())},
        "help": {"text": help_text, "markdown": f"**{r.code} {r.title.get(lang)}**\n\n{why}"},
        "defaultConfiguration": {"level": LEVEL[r.severity.value], "enabled": True},
        "properties": {
            "severity": r.severity.value,
            "title_vi": r.title.vi,
            "title_en": r.title.en,
            "tags": ["plancheck", r.code[:3]] + (["preview"] if r.preview else []),
        },
    }


def _rules(report: Any) -> list[Any]:
    from ..rulebook import RuleError, load_rules

    extra = tuple(getattr(report.options, "extra_rules", ()) or ()) if getattr(report, "options", None) else ()
    try:
        return load_rules(extra)
    except RuleError:
        return load_rules()


def _region(fmt: str, loc: dict[str, Any], excerpt: str) -> dict[str, Any]:
    line = loc.get("line")
    region: dict[str, Any] = {}
    props: dict[str, Any] = {}
    if fmt in _PARAGRAPH_FORMATS and loc.get("paragraph"):
        region["startLine"] = loc["paragraph"]
        props = {"lineIs": "paragraph", "paragraph": loc["paragraph"]}
    elif fmt == "pdf" and loc.get("page"):
        region["startLine"] = line or 1
        props = {"lineIs": "line on page", "page": loc["page"]}
    else:
        region["startLine"] = line or 1
    if loc.get("column"):
        region["startColumn"] = loc["column"]
    multi = "\n" in excerpt
    if fmt in ("txt", "md") and loc.get("end_line"):
        region["endLine"] = loc["end_line"]
        if loc.get("end_column"):
            region["endColumn"] = max(loc["end_column"], 1)
    elif not multi and loc.get("end_column") and loc.get("column"):
        region["endColumn"] = max(loc["end_column"], loc["column"])
    if excerpt:
        region["snippet"] = {"text": excerpt}
    if props:
        region["properties"] = props
    return region


def _logical(fmt: str, loc: dict[str, Any]) -> list[dict[str, Any]]:
    if fmt in _PARAGRAPH_FORMATS and loc.get("paragraph"):
        return [{"name": f"paragraph {loc['paragraph']}", "kind": "paragraph"}]
    if fmt == "pdf" and loc.get("page"):
        return [{"name": f"page {loc['page']}, line {loc.get('line') or 1}", "kind": "page"}]
    return []


def _location(d: Any, art_index: int, loc: dict[str, Any], excerpt: str) -> dict[str, Any]:
    phys: dict[str, Any] = {"artifactLocation": {"uri": _uri(d.path), "index": art_index}}
    if d.error is None and (loc.get("line") or loc.get("paragraph") or loc.get("page")):
        phys["region"] = _region(d.format, loc, excerpt)
    out: dict[str, Any] = {"physicalLocation": phys}
    logical = _logical(d.format, loc)
    if logical:
        out["logicalLocations"] = logical
    return out


def _related_location(rel: dict[str, Any]) -> dict[str, Any]:
    from pathlib import Path
    from types import SimpleNamespace

    other = SimpleNamespace(path=rel["path"], format=Path(rel["path"]).suffix.lstrip(".").lower(), error=None)
    out = _location(other, 0, rel, rel.get("excerpt") or "")
    del out["physicalLocation"]["artifactLocation"]["index"]  # the other file may come later in the run
    return {"id": 1, **out, "message": {"text": rel.get("role") or "related"}}


def _loc_of(f: Any) -> dict[str, Any]:
    loc = f.location
    return {
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "page": loc.page,
        "paragraph": loc.paragraph,
    }


def sarif_dict(report: Any, lang: str = "vi") -> dict[str, Any]:
    rules = _rules(report)
    index = {r.code: i for i, r in enumerate(rules)}
    descriptors = [_rule_descriptor(r, lang) for r in rules]

    def rule_ref(code: str, slug: str) -> int:
        if code not in index:  # a finding of a rule not loaded here: describe it minimally
            index[code] = len(descriptors)
            descriptors.append({"id": code, "name": slug or code})
        return index[code]

    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    baseline_used = False
    art_index: dict[str, int] = {}
    for d in report.documents:
        uri = _uri(d.path)
        if uri not in art_index:  # the same file named twice is one artifact
            art_index[uri] = len(artifacts)
            artifacts.append(
                {
                    "location": {"uri": uri},
                    "roles": ["analysisTarget"],
                    **({"properties": {"format": d.format}} if d.format else {}),
                }
            )
        di = art_index[uri]
        base = d.extra.get("baseline") if d.extra else None
        baseline_used = baseline_used or base is not None
        for f in d.findings:
            res: dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": rule_ref(f.code, f.slug),
                "level": LEVEL[f.severity.value],
                "message": {"text": f.message.get(lang)},
                "locations": [_location(d, di, _loc_of(f), f.excerpt)],
                "partialFingerprints": {"plancheck/codeExcerpt/v1": _fingerprint(f.code, f.excerpt)},
                "properties": {
                    "severity": f.severity.value,
                    "slug": f.slug,
                    "message_vi": f.message.vi,
                    "message_en": f.message.en,
                    **({"suggestion": f.suggestion} if f.suggestion else {}),
                    **({"preview": True} if f.preview else {}),
                },
            }
            rel = f.data.get("related") if f.data else None
            if rel:  # a batch finding (PC9xx): the other document and where in it
                res["relatedLocations"] = [_related_location(rel)]
            if base is not None:
                res["baselineState"] = "new"
            results.append(res)
        for b in (base or {}).get("fixed", []):
            code = str(b.get("code", ""))
            results.append(
                {
                    "ruleId": code,
                    "ruleIndex": rule_ref(code, str(b.get("slug", ""))),
                    "kind": "pass",
                    "level": "none",
                    "baselineState": "absent",
                    "message": {"text": str(b.get("message") or b.get("message_vi") or code)},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(d.path), "index": di}}}],
                    "partialFingerprints": {
                        "plancheck/codeExcerpt/v1": _fingerprint(code, str(b.get("excerpt") or ""))
                    },
                    "properties": {"excerpt": str(b.get("excerpt") or ""), "fixed": True},
                }
            )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "plancheck",
                "version": __version__,
                "semanticVersion": __version__,
                "language": lang,
                "rules": descriptors,
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"message": {"text": n}, "level": "note"} for n in report.notes],
            }
        ],
        "artifacts": artifacts,
        "results": results,
        "columnKind": "unicodeCodePoints",
        "language": lang,
    }
    if baseline_used:
        run["properties"] = {"baseline": True}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Any, lang: str = "vi", **_: Any) -> str:
    return json.dumps(sarif_dict(report, lang), ensure_ascii=False, indent=2) + "\n"
