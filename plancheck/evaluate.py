"""Score the checker against corpus expectations: ``plancheck eval [PATH]``.

Next to a corpus document ``X`` lives ``X.expected.yaml`` (for a ``.txt`` also
``<stem>.expected.yaml``)::

    document: seed001.txt          # optional, for the reader of the file
    strict: false                  # true: unexpected findings fail too
    must:                          # defects that must be reported
      - {code: PC101, line: 251, reason: "V. then VII."}
      - {code: PC401, anchor: ["Dự án 1", "hạ tầng"]}
    not:                           # traps: must never be reported
      - {code: PC801, line: 41}
      - {code: PC102}              # no location: nowhere in the document
    reviewed:                      # the ledger: every other finding, read and judged
      - {code: PC103, line: 136, reason: "b) is ### while its sibling a) is bold text"}
      - {code: PC104, anchor: ["Kinh phí"], verdict: false, reason: "'2. Kinh phí thực hiện' under II"}
    known_missing:                 # codes of must entries whose rule does not exist yet
      - {code: PC802, reason: "PC8xx not implemented yet"}

An entry's ``code`` is a code or a list of acceptable codes. Locators (any one that
is given and matches is enough): ``line`` (±2 lines, like seed_score.py; for .pdf
together with ``page``), ``paragraph`` (.docx, ±2), ``text`` (contained in the text
of the block(s) the finding is in, whitespace and markdown marks ignored: reader
conventions for numbering paragraphs and PDF lines may differ, the text does not).
``anchor``: texts that must all appear in the finding (message vi/en, excerpt or
suggestion). ``severity`` optionally pins the severity.

The reviewed ledger: a ``reviewed`` entry carries a ``verdict`` (``true``: a real
defect, the default; ``false``: a false alarm; ``debatable``: a reviewer could argue
either way) and a one-line ``reason`` saying what the text shows. A found must entry
counts as true, a fired trap as false. Precision of a rule or a severity is
true / (true + false) over its findings (debatable ones are shown, not counted);
findings no entry matches are *unreviewed* and listed with a ready-to-fill entry.
``ledger_problems`` says what keeps a ledger corpus (corpus/realworld, corpus/office)
from its targets: an unreviewed finding, error+warning precision below
``TARGETS['error+warning']``, info below ``TARGETS['info']``, a rule below
``TARGETS['rule']`` that is neither info nor preview.

Enforcement is decided now, not when the file was written: a must entry counts as
enforced when one of its codes is a rule that exists (``load_rules()``); otherwise
it is reported as missed with "rule not implemented". ``known_missing`` documents
that state and is checked for staleness only. Formats whose reader module does not
exist yet (docx/pdf while being written) are reported as "reader unavailable".
"""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import regex

EXPECT_SUFFIX = ".expected.yaml"
LINE_TOLERANCE = 2
READER_MODULES = {"docx": "plancheck.readers.docx", "pdf": "plancheck.readers.pdf"}
DOC_EXTS = (".txt", ".md", ".docx", ".pdf", ".doc", ".odt", ".rtf")
SKIP_NAMES = ("README",)  # corpus documentation, not documents
VERDICTS = ("true", "false", "debatable")
# Precision the ledger corpora must reach (issue 13): error+warning together, info, and
# any single rule that is neither info nor preview.
TARGETS = {"error+warning": 0.95, "info": 0.80, "rule": 0.80}


# --------------------------------------------------------------------------- model


def norm_text(s: str) -> str:
    """Compare texts across formats: NFC, no markdown marks, whitespace collapsed."""
    s = unicodedata.normalize("NFC", s)
    for ch in ("\\", "*", "#", "|", "_"):
        s = s.replace(ch, " ")
    return " ".join(s.split())


@dataclass(frozen=True)
class Entry:
    """One expectation (must / not / reviewed / known_missing)."""

    codes: tuple[str, ...]
    line: int | None = None
    paragraph: int | None = None
    page: int | None = None
    text: str | None = None
    anchor: tuple[str, ...] = ()
    severity: str | None = None
    reason: str | None = None
    verdict: str = "true"
    raw: dict = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str) -> Entry:
        if not isinstance(d, dict) or "code" not in d:
            raise ValueError(f"{where}: an entry needs 'code': {d!r}")
        known = {"code", "line", "paragraph", "page", "text", "anchor", "severity", "reason", "verdict"}
        bad = set(d) - known
        if bad:
            raise ValueError(f"{where}: unknown key(s) {sorted(bad)} in {d!r}")
        codes = d["code"] if isinstance(d["code"], list) else [d["code"]]
        verdict = d.get("verdict", True)
        verdict = {True: "true", False: "false"}.get(verdict, verdict)
        if verdict not in VERDICTS:
            raise ValueError(f"{where}: verdict must be true, false or debatable: {d!r}")
        anchor = d.get("anchor") or []
        if isinstance(anchor, str):
            anchor = [anchor]
        return cls(
            codes=tuple(str(c).upper() for c in codes),
            line=d.get("line"),
            paragraph=d.get("paragraph"),
            page=d.get("page"),
            text=d.get("text"),
            anchor=tuple(anchor),
            severity=d.get("severity"),
            reason=d.get("reason"),
            verdict=verdict,
            raw=dict(d),
        )

    @property
    def located(self) -> bool:
        return any(v is not None for v in (self.line, self.paragraph, self.page, self.text))

    def describe(self) -> str:
        code = "|".join(self.codes)
        parts = [code]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.paragraph is not None:
            parts.append(f"¶{self.paragraph}")
        if self.anchor:
            parts.append("anchor " + " + ".join(repr(a) for a in self.anchor))
        if self.text and self.line is None and self.paragraph is None:
            parts.append(f"text {self.text[:50]!r}")
        if not self.located and not self.anchor:
            parts.append("(anywhere)")
        return " ".join(parts)

    def matches(self, f: FindingView) -> bool:
        if f.code not in self.codes:
            return False
        if self.severity and f.severity != self.severity:
            return False
        hay = f.searchable
        if not all(a in hay for a in self.anchor):
            return False
        if not self.located:
            return True
        if self.line is not None and f.line is not None and abs(f.line - self.line) <= LINE_TOLERANCE:
            if self.page is None or self.page == f.page:
                return True
        if self.paragraph is not None and f.paragraph is not None:
            if abs(f.paragraph - self.paragraph) <= LINE_TOLERANCE:
                return True
        if self.text:
            needle = norm_text(self.text)
            if needle and needle in f.context:
                return True
        return False


@dataclass
class Expectations:
    path: Path
    document: Path
    must: list[Entry]
    not_: list[Entry]
    reviewed: list[Entry]
    known_missing: list[Entry]
    strict: bool = False


def load_expectations(path: Path, document: Path | None = None) -> Expectations:
    from .yamlio import load_yaml

    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a mapping")
    bad = set(data) - {"document", "strict", "must", "not", "reviewed", "known_missing", "source", "note"}
    if bad:
        raise ValueError(f"{path}: unknown key(s) {sorted(bad)}")
    if document is None:
        document = document_for(path)
    lists = {}
    for key in ("must", "not", "reviewed", "known_missing"):
        lists[key] = [Entry.from_dict(d, f"{path}:{key}[{i}]") for i, d in enumerate(data.get(key) or [])]
    for e in lists["reviewed"]:
        if not e.reason:
            raise ValueError(f"{path}: reviewed entry {e.describe()} needs a one-line 'reason'")
    return Expectations(
        path=path,
        document=document,
        must=lists["must"],
        not_=lists["not"],
        reviewed=lists["reviewed"],
        known_missing=lists["known_missing"],
        strict=bool(data.get("strict", False)),
    )


def document_for(exp: Path) -> Path:
    """The document an expectations file describes (seed001.expected.yaml -> seed001.txt)."""
    base = exp.name[: -len(EXPECT_SUFFIX)]
    cand = exp.with_name(base)
    if cand.suffix.lower() in DOC_EXTS and cand.exists():
        return cand
    for ext in (".txt", ".md"):
        c = exp.with_name(base + ext)
        if c.exists():
            return c
    raise ValueError(f"{exp}: no document next to it ({base}.txt / {base})")


def expectations_for(doc: Path) -> Path | None:
    for cand in (doc.with_name(doc.name + EXPECT_SUFFIX), doc.with_name(doc.stem + EXPECT_SUFFIX)):
        if cand.exists():
            if cand.name == doc.stem + EXPECT_SUFFIX and doc.suffix.lower() not in (".txt", ".md"):
                continue  # seedNNN.expected.yaml belongs to the .txt
            return cand
    return None


# --------------------------------------------------------------------------- running


@dataclass
class FindingView:
    """A finding as the evaluation sees it (location + the text around it)."""

    code: str
    severity: str
    message: str
    message_en: str
    excerpt: str
    suggestion: str | None
    line: int | None
    column: int | None
    page: int | None
    paragraph: int | None
    context: str  # normalised text of the block(s) the finding is in
    preview: bool = False

    @property
    def searchable(self) -> str:
        return "\n".join(x for x in (self.message, self.message_en, self.excerpt, self.suggestion or "") if x)

    def where(self) -> str:
        if self.paragraph is not None:
            return f"¶{self.paragraph}"
        if self.page is not None:
            return f"p{self.page}:{self.line}"
        if self.line is not None:
            return f"{self.line}"
        return "-"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "where": self.where(),
            "line": self.line,
            "page": self.page,
            "paragraph": self.paragraph,
            "message": self.message,
            "excerpt": self.excerpt,
            **({"preview": True} if self.preview else {}),
        }

    def entry(self) -> str:
        """A ledger entry to fill in for this finding (YAML flow mapping)."""
        loc = (
            f"paragraph: {self.paragraph}"
            if self.paragraph is not None
            else (f"page: {self.page}, line: {self.line}" if self.page is not None else f"line: {self.line}")
        )
        if self.line is None and self.paragraph is None:
            loc = "anchor: " + json.dumps([self.excerpt[:40] or self.message[:40]], ensure_ascii=False)
        else:  # the quoted words of the message tell apart findings at one place (PC104's sections)
            quoted = regex.search(r'"([^"\s][^"]{0,38}[^"\s])"', self.message)
            if quoted:
                loc += ", anchor: " + json.dumps([quoted.group(1)], ensure_ascii=False)
        return f'- {{code: {self.code}, {loc}, verdict: ?, reason: ""}}'


def _context(doc, span) -> str:
    """Text of the blocks a span touches; a table cell brings its whole row."""
    if doc is None or not doc.blocks:
        return ""
    first = doc.block_at(span.start)
    if first is None:
        return ""
    parts = []
    i = first.index
    while i < len(doc.blocks):
        b = doc.blocks[i]
        if b.span.start > span.end and parts:
            break
        if b.kind == "cell" and b.table is not None and b.row is not None:
            row = [x for x in doc.blocks if x.table == b.table and x.row == b.row]
            parts.append(" ".join(doc.block_text(x) for x in row))
        else:
            parts.append(doc.block_text(b))
        i += 1
        if b.span.end >= span.end:
            break
    return norm_text(" ".join(parts))


def view(f, doc=None) -> FindingView:
    loc = f.location
    return FindingView(
        code=f.code,
        severity=f.severity.value,
        message=f.message.vi,
        message_en=f.message.en,
        excerpt=f.excerpt,
        suggestion=f.suggestion,
        line=loc.line,
        column=loc.column,
        page=loc.page,
        paragraph=loc.paragraph,
        context=_context(doc, f.span),
        preview=bool(getattr(f, "preview", False)),
    )


def reader_available(fmt: str) -> bool:
    mod = READER_MODULES.get(fmt)
    return mod is None or importlib.util.find_spec(mod) is not None


def run_document(path: Path, rules) -> tuple[list[FindingView], str | None, dict[str, Any]]:
    """Findings of one document (PC001 included), its PC001 reason if any, its metadata."""
    from .engine import check_path

    dr = check_path(path, rules=rules)
    doc = dr.extra.pop("document", None)
    return [view(f, doc) for f in dr.findings], dr.error, dict(dr.metadata)


FAMILY_MARK = "family.yaml"  # a folder of plans checked together (the batch layer, PC9xx)


def family_of(path: Path) -> Path | None:
    return path.parent if (path.parent / FAMILY_MARK).exists() else None


def run_family(folder: Path, rules) -> dict[Path, tuple[list[FindingView], str | None, dict[str, Any]]]:
    """Every document of a family folder checked as one batch, as ``plancheck check FOLDER`` does."""
    from .engine import Report, check_path, iter_inputs, run_batch

    reports = [check_path(p, rules=rules, batch=True) for p in iter_inputs([folder])]
    docs = [dr.extra.pop("document", None) for dr in reports]
    run_batch(Report(documents=reports), rules)
    return {
        Path(dr.path): ([view(f, doc) for f in dr.findings], dr.error, dict(dr.metadata))
        for dr, doc in zip(reports, docs, strict=True)
    }


@dataclass
class MustResult:
    entry: Entry
    status: str  # found | missed | not_implemented | reader_unavailable
    finding: FindingView | None = None


@dataclass
class DocEval:
    path: Path
    fmt: str
    expectations: Expectations | None
    findings: list[FindingView]
    error: str | None
    metadata: dict[str, Any]
    musts: list[MustResult] = field(default_factory=list)
    traps: list[tuple[Entry, FindingView]] = field(default_factory=list)
    reviewed: list[tuple[Entry, FindingView]] = field(default_factory=list)
    stale_reviewed: list[Entry] = field(default_factory=list)
    stale_known_missing: list[Entry] = field(default_factory=list)
    unexpected: list[FindingView] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        """What makes the corpus test fail for this document."""
        out = [f"MISSED {m.entry.describe()}" for m in self.musts if m.status == "missed"]
        out += [f"TRAP {e.describe()} fired at {f.where()}: {f.message}" for e, f in self.traps]
        if self.expectations and self.expectations.strict:
            out += [f"UNEXPECTED {f.code} at {f.where()}: {f.message}" for f in self.unexpected]
        return out


def evaluate_document(path: Path, rules, implemented: set[str] | None = None, result=None) -> DocEval:
    """``result``: the document's (findings, error, metadata) when already computed (a family)."""
    path = Path(path)
    implemented = implemented if implemented is not None else {r.code for r in rules}
    exp_path = expectations_for(path)
    exp = load_expectations(exp_path, path) if exp_path else None
    fmt = path.suffix.lower().lstrip(".")
    findings, error, meta = result if result is not None else run_document(path, rules)
    ev = DocEval(path=path, fmt=fmt, expectations=exp, findings=findings, error=error, metadata=meta)
    if exp is None:
        ev.unexpected = list(findings)
        return ev
    reader_ok = reader_available(fmt)
    used: set[int] = set()
    for e in exp.must:
        k = next((i for i, f in enumerate(findings) if i not in used and e.matches(f)), None)
        if k is not None:
            used.add(k)
            ev.musts.append(MustResult(e, "found", findings[k]))
        elif not any(c in implemented for c in e.codes):
            ev.musts.append(MustResult(e, "not_implemented"))
        elif not reader_ok:
            ev.musts.append(MustResult(e, "reader_unavailable"))
        else:
            ev.musts.append(MustResult(e, "missed"))
    for e in exp.reviewed:
        k = next((i for i, f in enumerate(findings) if i not in used and e.matches(f)), None)
        if k is None:
            ev.stale_reviewed.append(e)
        else:
            used.add(k)
            ev.reviewed.append((e, findings[k]))
    for e in exp.not_:
        hit = next((f for f in findings if e.matches(f)), None)
        if hit is not None:
            ev.traps.append((e, hit))
    ev.stale_known_missing = [e for e in exp.known_missing if any(c in implemented for c in e.codes)]
    ev.unexpected = [f for i, f in enumerate(findings) if i not in used]
    return ev


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """Documents under the given paths (expectation files name their document too)."""
    from .engine import iter_inputs

    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_file() and p.name.endswith(EXPECT_SUFFIX):
            cands = [document_for(p)]
        else:
            cands = list(iter_inputs([p]))
        for c in cands:
            if c.name.startswith(SKIP_NAMES) and p.is_dir():
                continue
            if c not in seen:
                seen.add(c)
                out.append(c)
    return out


def evaluate(paths: Iterable[str | Path], rules=None) -> list[DocEval]:
    from .rulebook import load_rules

    rules = rules if rules is not None else load_rules()
    implemented = {r.code for r in rules}
    families: dict[Path, dict] = {}
    out = []
    for p in corpus_files(paths):
        fam = family_of(p)
        if fam is not None and fam not in families:
            families[fam] = run_family(fam, rules)
        result = families[fam].get(Path(p)) if fam is not None else None
        out.append(evaluate_document(p, rules, implemented, result))
    return out


# --------------------------------------------------------------------------- scoring


def verdicts(ev: DocEval) -> list[tuple[FindingView, str | None, str | None]]:
    """Every finding of a document with its verdict (None: unreviewed) and the reason."""
    out: list[tuple[FindingView, str | None, str | None]] = []
    by_id: dict[int, tuple[str, str | None]] = {}
    for m in ev.musts:
        if m.finding is not None:
            by_id[id(m.finding)] = ("true", m.entry.reason)
    for e, f in ev.reviewed:
        by_id[id(f)] = (e.verdict, e.reason)
    for e, f in ev.traps:
        by_id.setdefault(id(f), ("false", e.reason))
    for f in ev.findings:
        v, why = by_id.get(id(f), (None, None))
        out.append((f, v, why))
    return out


def _ratio(t: int, f: int) -> float | None:
    return t / (t + f) if t + f else None


def precision(evals: list[DocEval]) -> dict[str, Any]:
    """Ledger counts per rule and per severity: true, false, debatable, unreviewed, precision.

    Severity groups count rules out of preview only; "error+warning" is the two together."""
    blank = {"true": 0, "false": 0, "debatable": 0, "unreviewed": 0, "preview": False}
    rules: dict[str, dict[str, Any]] = defaultdict(lambda: dict(blank))
    sev: dict[str, dict[str, Any]] = defaultdict(lambda: dict(blank))
    for ev in evals:
        for f, v, _ in verdicts(ev):
            key = v or "unreviewed"
            row = rules[f.code]
            row[key] += 1
            row["preview"] = row["preview"] or f.preview
            row.setdefault("severities", set()).add(f.severity)
            groups = ["preview"] if f.preview else [f.severity]
            if f.severity in ("error", "warning") and not f.preview:
                groups.append("error+warning")
            for g in groups:
                sev[g][key] += 1
    for table in (rules, sev):
        for row in table.values():
            row["precision"] = _ratio(row["true"], row["false"])
            if "severities" in row:
                row["severities"] = sorted(row["severities"])
    order = ["error", "warning", "error+warning", "info", "preview"]
    return {
        "rules": dict(sorted(rules.items())),
        "severities": {k: sev[k] for k in order if k in sev},
    }


def ledger_problems(evals: list[DocEval], targets: dict[str, float] | None = None) -> list[str]:
    """What keeps a ledger corpus from its targets, one line each (empty: on target)."""
    targets = targets or TARGETS
    out: list[str] = []
    for ev in evals:
        for f, v, _ in verdicts(ev):
            if v is None:
                exp = ev.expectations.path if ev.expectations else Path(str(ev.path) + EXPECT_SUFFIX)
                out.append(
                    f"UNREVIEWED {ev.path}:{f.where()} {f.code} {f.severity}: {f.message}  -> add to {exp}: {f.entry()}"
                )
    p = precision(evals)
    for group, key in (("error+warning", "error+warning"), ("info", "info")):
        row = p["severities"].get(group)
        if row and row["precision"] is not None and row["precision"] < targets[key]:
            out.append(
                f"PRECISION {group} {row['precision']:.1%} < {targets[key]:.0%} "
                f"({row['true']} true, {row['false']} false)"
            )
    for code, row in p["rules"].items():
        if row["preview"] or row["severities"] == ["info"]:
            continue
        if row["precision"] is not None and row["precision"] < targets["rule"]:
            out.append(
                f"RULE {code} precision {row['precision']:.1%} < {targets['rule']:.0%} "
                f"({row['true']} true, {row['false']} false): fix it, downgrade it to info or put it in preview"
            )
    return out


def render_precision(evals: list[DocEval]) -> list[str]:
    p = precision(evals)
    if not any(r["true"] + r["false"] + r["debatable"] for r in p["rules"].values()):
        return []

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.1%}"

    out = ["", f"{'precision':<14}{'true':>6}{'false':>7}{'debat.':>8}{'unrev.':>8}{'precision':>11}"]
    for name, row in list(p["rules"].items()) + [("—", None)] + list(p["severities"].items()):
        if row is None:
            continue
        label = name + (" (preview)" if name.startswith("PC") and row["preview"] else "")
        out.append(
            f"{label:<14}{row['true']:>6}{row['false']:>7}{row['debatable']:>8}{row['unreviewed']:>8}"
            f"{pct(row['precision']):>11}"
        )
    return out


def per_code(evals: list[DocEval]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(
        lambda: {"expected": 0, "found": 0, "traps": 0, "unexpected": 0, "reviewed": 0, "not_implemented": 0}
    )
    for ev in evals:
        for m in ev.musts:
            code = m.finding.code if m.finding else m.entry.codes[0]
            row = table[code]
            row["expected"] += 1
            row["found"] += m.status == "found"
            row["not_implemented"] += m.status == "not_implemented"
        for _e, f in ev.traps:
            table[f.code]["traps"] += 1
        for _, f in ev.reviewed:
            table[f.code]["reviewed"] += 1
        for f in ev.unexpected:
            table[f.code]["unexpected"] += 1
    return dict(sorted(table.items()))


def summary(evals: list[DocEval]) -> dict[str, Any]:
    musts = [m for ev in evals for m in ev.musts]
    return {
        "documents": len(evals),
        "with_expectations": sum(1 for ev in evals if ev.expectations),
        "expected": len(musts),
        "found": sum(m.status == "found" for m in musts),
        "missed": sum(m.status == "missed" for m in musts),
        "not_implemented": sum(m.status == "not_implemented" for m in musts),
        "reader_unavailable": sum(m.status == "reader_unavailable" for m in musts),
        "traps": sum(len(ev.traps) for ev in evals),
        "reviewed": sum(len(ev.reviewed) for ev in evals),
        "unexpected": sum(len(ev.unexpected) for ev in evals),
        "unexpected_in_expected_docs": sum(len(ev.unexpected) for ev in evals if ev.expectations),
        "failures": sum(len(ev.failures) for ev in evals),
    }


def to_json(evals: list[DocEval]) -> dict[str, Any]:
    docs = []
    for ev in evals:
        docs.append(
            {
                "path": str(ev.path),
                "format": ev.fmt,
                "expectations": str(ev.expectations.path) if ev.expectations else None,
                "error": ev.error,
                "musts": [
                    {"expect": m.entry.raw, "status": m.status, "finding": m.finding.to_json() if m.finding else None}
                    for m in ev.musts
                ],
                "traps": [{"expect": e.raw, "finding": f.to_json()} for e, f in ev.traps],
                "reviewed": [{"expect": e.raw, "verdict": e.verdict, "finding": f.to_json()} for e, f in ev.reviewed],
                "stale_reviewed": [e.raw for e in ev.stale_reviewed],
                "stale_known_missing": [e.raw for e in ev.stale_known_missing],
                "unexpected": [f.to_json() for f in ev.unexpected],
                "failures": ev.failures,
            }
        )
    return {
        "schema": "plancheck/eval@1",
        "summary": summary(evals),
        "per_code": per_code(evals),
        "precision": precision(evals),
        "documents": docs,
    }


def render_text(evals: list[DocEval], show_unexpected: bool = True) -> str:
    out: list[str] = []
    table = per_code(evals)
    out.append(f"{'code':<7}{'found/expected':>15}{'traps':>7}{'unexpected':>12}{'reviewed':>10}  note")
    for code, r in table.items():
        note = "rule not implemented" if r["not_implemented"] and r["not_implemented"] == r["expected"] else ""
        fe = f"{r['found']}/{r['expected']}" if r["expected"] else "-"
        out.append(f"{code:<7}{fe:>15}{r['traps']:>7}{r['unexpected']:>12}{r['reviewed']:>10}  {note}".rstrip())
    s = summary(evals)
    impl = s["expected"] - s["not_implemented"]
    out.append(
        f"TOTAL  found {s['found']}/{s['expected']} (implemented rules: {s['found']}/{impl}), "
        f"missed {s['missed']}, not implemented {s['not_implemented']}, "
        + (f"reader unavailable {s['reader_unavailable']}, " if s["reader_unavailable"] else "")
        + f"traps {s['traps']}, reviewed {s['reviewed']}, unexpected {s['unexpected']} "
        f"({s['unexpected_in_expected_docs']} in documents with expectations), documents {s['documents']}"
    )
    missed = [(ev, m) for ev in evals for m in ev.musts if m.status != "found"]
    if missed:
        out.append("")
        out.append("Missed:")
        for ev, m in missed:
            tag = {
                "missed": "",
                "not_implemented": "  (rule not implemented)",
                "reader_unavailable": "  (reader unavailable)",
            }
            why = f" — {m.entry.reason}" if m.entry.reason else ""
            out.append(f"  {ev.path}: {m.entry.describe()}{tag[m.status]}{why}")
    traps = [(ev, e, f) for ev in evals for e, f in ev.traps]
    if traps:
        out.append("")
        out.append("Traps fired:")
        for ev, e, f in traps:
            out.append(f"  {ev.path}:{f.where()} {f.code} (trap {e.describe()}): {f.message}")
    stale = [(ev, e) for ev in evals for e in ev.stale_reviewed]
    if stale:
        out.append("")
        out.append("Reviewed entries that matched nothing (fixed? remove them):")
        for ev, e in stale:
            out.append(f"  {ev.path}: {e.describe()} — {e.reason}")
    stale_km = [(ev, e) for ev in evals for e in ev.stale_known_missing]
    if stale_km:
        out.append("")
        out.append("known_missing entries whose rule now exists (their musts are enforced):")
        for ev, e in stale_km:
            out.append(f"  {ev.expectations.path if ev.expectations else ev.path}: {e.describe()}")
    out += render_precision(evals)
    if show_unexpected:
        unexp = [(ev, f) for ev in evals for f in ev.unexpected]
        if unexp:
            out.append("")
            out.append(
                "Unreviewed findings (read each: add it to 'reviewed:' with verdict true/false/debatable "
                "and a one-line reason, or fix the rule):"
            )
            for ev, f in unexp:
                mark = "" if ev.expectations else " [no expectations file]"
                out.append(f"  {ev.path}:{f.where()} {f.code} {f.severity}: {f.message}{mark}")
                out.append(f"      {f.entry()}  # «{f.excerpt[:60]}»")
    return "\n".join(out) + "\n"


@click.command("eval")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--select", multiple=True, help="Only these codes / prefixes (comma-separated).")
@click.option("--no-unexpected", is_flag=True, help="Do not list unexpected findings.")
def eval_cmd(paths, fmt, select, no_unexpected):
    """Chấm điểm theo kỳ vọng của corpus / score the checker against corpus expectations.

    Exit 1 when a must finding of an existing rule is missed, a trap fires, or a
    strict expectations file has unexpected findings; 0 otherwise.
    """
    from .rulebook import RuleError, load_rules, select_rules

    try:
        rules = load_rules()
    except RuleError as exc:
        click.echo(f"plancheck: quy tắc lỗi / rule error: {exc}", err=True)
        sys.exit(2)
    sel = tuple(x.strip() for v in select for x in v.split(",") if x.strip())
    if sel:
        rules = select_rules(rules, sel)
    targets = list(paths) or ["corpus"]
    for t in targets:
        if not Path(t).exists():
            click.echo(f"plancheck: không tìm thấy / not found: {t}", err=True)
            sys.exit(2)
    try:
        evals = evaluate(targets, rules)
    except ValueError as exc:
        click.echo(f"plancheck: tệp kỳ vọng lỗi / bad expectations file: {exc}", err=True)
        sys.exit(2)
    if sel:  # score only the selected codes
        keep = {r.code for r in rules}
        for ev in evals:
            ev.musts = [m for m in ev.musts if any(c in keep for c in m.entry.codes)]
            ev.stale_reviewed = [e for e in ev.stale_reviewed if any(c in keep for c in e.codes)]
    if fmt == "json":
        click.echo(json.dumps(to_json(evals), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(evals, show_unexpected=not no_unexpected), nl=False)
    sys.exit(1 if any(ev.failures for ev in evals) else 0)


# --------------------------------------------------------------------------- deriving docx/pdf files


def docx_paragraphs(path: Path) -> list[str]:
    """Body-order paragraphs of a .docx, table-cell paragraphs included (1-based = index+1)."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(path))
    out: list[str] = []

    def walk(el) -> None:
        for child in el.iterchildren():
            if child.tag == qn("w:p"):
                out.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
            elif child.tag == qn("w:tbl"):
                for tr in child.iterchildren(qn("w:tr")):
                    for tc in tr.iterchildren(qn("w:tc")):
                        walk(tc)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(d.element.body)
    return out


def pdf_lines(path: Path) -> list[tuple[int, int, str]]:
    """(page, line on page, text) for every text line of a PDF (pypdfium2 text layer)."""
    import pypdfium2 as pdfium

    out = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for pno in range(len(pdf)):
            tp = pdf[pno].get_textpage()
            text = tp.get_text_range()
            for i, ln in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
                out.append((pno + 1, i + 1, ln))
    finally:
        pdf.close()
    return out


def _locate_snippet(snippet: str, units: list[str]) -> int | None:
    """Index of the unit that best contains a snippet (whole, else its longest prefix)."""
    n = norm_text(snippet)
    if not n:
        return None
    joined = [norm_text(u) for u in units]
    for size in (len(n), 60, 40, 25):
        probe = n[:size]
        for i, u in enumerate(joined):
            if probe and probe in u:
                return i
    # the snippet may run over several units (hard-wrapped PDF lines, table cells of a row)
    for i in range(len(joined)):
        acc = ""
        for u in joined[i : i + 24]:
            acc = f"{acc} {u}".strip()
            if n in acc:
                return i
            if not n.startswith(acc):
                break
    return None


def derive(txt_exp: Path, target: Path) -> dict[str, Any]:
    """Expectations for target (.docx/.pdf rendering) from the .txt expectations.

    Each located entry gets ``text`` (the source line, markdown removed) and the
    paragraph (docx) or page+line (pdf) where that text is; entries without a line
    are copied as they are.
    """
    from .yamlio import load_yaml

    data = load_yaml(txt_exp) or {}
    src_lines = document_for(txt_exp).read_text(encoding="utf-8-sig").splitlines()
    fmt = target.suffix.lower().lstrip(".")
    if fmt == "docx":
        units = docx_paragraphs(target)
    else:
        plines = pdf_lines(target)
        units = [t for _, _, t in plines]

    def convert(d: dict[str, Any]) -> dict[str, Any]:
        d = dict(d)
        line = d.pop("line", None)
        if line is None:
            return d
        snippet = norm_text(src_lines[line - 1]) if 0 < line <= len(src_lines) else ""
        snippet = snippet[:80]
        out = {"code": d.pop("code")}
        if snippet:
            out["text"] = snippet
        i = _locate_snippet(snippet, units)
        if i is not None:
            if fmt == "docx":
                out["paragraph"] = i + 1
            else:
                out["page"], out["line"] = plines[i][0], plines[i][1]
        out.update(d)
        out.setdefault("reason", f"seed .txt line {line}")
        return out

    res: dict[str, Any] = {"document": target.name, "source": f"derived from {txt_exp.name}"}
    for key in ("must", "not", "reviewed", "known_missing"):
        if data.get(key):
            res[key] = [convert(d) for d in data[key]]
    return res


if __name__ == "__main__":  # python -m plancheck.evaluate derive corpus/seeds/seed001.expected.yaml
    if len(sys.argv) >= 3 and sys.argv[1] == "derive":
        import yaml

        for arg in sys.argv[2:]:
            exp = Path(arg)
            doc = document_for(exp)
            for ext in (".docx", ".pdf"):
                target = doc.with_suffix(ext)
                if target.exists():
                    res = derive(exp, target)
                    outp = target.with_name(target.name + EXPECT_SUFFIX)
                    outp.write_text(
                        "# Derived from the .txt expectations (python -m plancheck.evaluate derive); text = source line.\n"
                        + yaml.safe_dump(res, allow_unicode=True, sort_keys=False, width=200),
                        encoding="utf-8",
                    )
                    print(f"wrote {outp}")
    else:
        print("usage: python -m plancheck.evaluate derive EXPECTED.yaml...")
