"""The batch layer (PC9xx): plans of one folder checked against each other.

Two halves, so no document is parsed twice:

* in the process that checked a file (a pool worker or the parent), ``collect``
  builds the plan's small profile (``profile.build``) and whatever each batch rule's
  kind gathers from it (``BatchKind.collect``); the engine keeps them in
  ``DocReport.extra["batch"]``;
* once every file is checked, ``run`` (in the parent) resolves the citations between
  the plans (``links.resolve``), lets each batch rule compare the profiles
  (``BatchKind.run_batch``), adds the findings to the documents they are about and
  returns the link table ("Liên kết": who cites whom, resolved or not).

Nothing runs for a single file, and nothing is reported when no plan of the batch
cites another one (unrelated plans).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Document, Finding, Message, Severity
from ..rulebook import Rule, render


def is_batch_rule(rule: Rule) -> bool:
    return bool(getattr(rule.check, "batch", False))


def batch_rules(rules: Iterable[Rule]) -> list[Rule]:
    return [r for r in rules if is_batch_rule(r)]


def collect(doc: Document, rules: list[Rule]) -> dict[str, Any]:
    """Worker side: the profile and each batch rule's own data (picklable, small)."""
    from .profile import build

    out: dict[str, Any] = {"profile": build(doc)}
    for r in rules:
        data = r.check.collect(doc, r)
        if data is not None:
            out[r.code] = data
    return out


def make_finding(
    rule: Rule,
    anchor: Any,
    *,
    variant: str | None = None,
    severity: Severity | None = None,
    related: dict[str, Any] | None = None,
    **values: Any,
) -> Finding:
    """A finding built from an anchor carried back from a worker (no Document here)."""
    tmpl = (rule.messages.get(variant) if variant else None) or rule.message
    values.setdefault("excerpt", anchor.excerpt)
    msg = Message(render(tmpl.vi, values), render(tmpl.en, values))
    return Finding(
        code=rule.code,
        slug=rule.slug,
        severity=severity or rule.severity,
        message=msg,
        span=anchor.span,
        excerpt=anchor.excerpt,
        location=anchor.location,
        suggestion=render(rule.suggestion, values) if rule.suggestion else None,
        preview=rule.preview,
        data={"related": related} if related else None,
    )


def related(path: str, anchor: Any, role: str) -> dict[str, Any]:
    """The other document of a batch finding: its path and where in it (JSON ``related``)."""
    loc = anchor.location
    return {
        "path": path,
        "role": role,
        "line": loc.line,
        "column": loc.column,
        "page": loc.page,
        "paragraph": loc.paragraph,
        "excerpt": anchor.excerpt,
    }


def where(path: str, anchor: Any) -> str:
    """ "seed.txt 12:3" / "ke-hoach.docx ¶40": how a message names a place in another file."""
    from pathlib import Path

    return f"{Path(path).name} {anchor.location.short()}"


class Batch:
    """What the batch rules see: the documents' paths and profiles, and the links."""

    def __init__(self, paths: list[str], data: list[dict[str, Any] | None]) -> None:
        self.paths = paths
        self.data = data
        self.profiles = [d["profile"] if d else None for d in data]
        from .links import resolve

        self.links = resolve(self)
        self.related_docs = {i for lk in self.links for i in (lk.source, lk.other)} | self._shared_basis()

    def _shared_basis(self) -> set[int]:
        """Plans that cite the same local document (same number, date and issuing locality),
        whether or not that document is in the batch."""
        from .links import issuer_parts

        citing: dict[tuple, dict[tuple, int]] = {}
        for i, p in enumerate(self.profiles):
            if not p:
                continue
            ident = p["identity"]
            who = (ident["key"], ident["issue_date"], ident["locality_norm"])  # one plan in several formats: once
            for c in p["citations"]:
                level, name = issuer_parts(c["issuer"])
                if level and c["date"]:
                    citing.setdefault((c["key"], c["date"], level, name), {})[who if ident["key"] else (i,)] = i
        return {i for plans in citing.values() if len(plans) > 1 for i in plans.values()}

    def own(self, code: str, i: int) -> Any:
        d = self.data[i]
        return d.get(code) if d else None

    def indices(self) -> list[int]:
        return [i for i, p in enumerate(self.profiles) if p is not None]


def run(reports: list[Any], rules: list[Rule]) -> list[dict[str, Any]]:
    """Parent side: add the batch findings to ``reports``; return the link table."""
    brules = batch_rules(rules)
    data = [dr.extra.pop("batch", None) for dr in reports]
    if not brules or sum(1 for d in data if d) < 2:
        return []
    batch = Batch([dr.path for dr in reports], data)
    if not batch.related_docs:
        return []
    added: dict[int, list[Finding]] = {}
    for r in brules:
        plans_only = r.applies_to in ("plan", "program_plan")
        for i, f in r.check.run_batch(batch, r):
            if plans_only and not batch.profiles[i]["identity"]["is_plan"]:
                continue
            added.setdefault(i, []).append(f)
    for i, fs in added.items():
        dr = reports[i]
        seen = {(f.code, f.span.start, f.message.vi) for f in dr.findings}
        new = [f for f in fs if (f.code, f.span.start, f.message.vi) not in seen]
        dr.findings = sorted(dr.findings + new, key=lambda f: (f.span.start, f.code, f.span.end))
    return [lk.row(batch) for lk in batch.links]
