"""Check kinds of the batch layer (PC9xx), each written once and configured by YAML.

A batch kind never reports on one document alone (``run`` yields nothing); in the
worker its ``collect(doc, rule)`` may gather small data from the parsed plan, and in
the parent ``run_batch(batch, rule)`` compares the plans and yields
``(document index, Finding)``. See ``plancheck/batch/__init__.py``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import regex

from ..checks.base import Kind
from ..model import Document, Finding, Span
from . import make_finding, related, where
from .links import label, same_place
from .profile import LEVEL_RANK, Anchor, anchor, norm_name, similarity

_ROW_LEVEL = regex.compile(r"^(?:xã|phường|thị\s+trấn|huyện|quận|thị\s+xã|thành\s+phố|tp\.?)\s+", regex.I)


class BatchKind(Kind):
    batch = True

    def run(self, doc: Document, rule: Any):
        return ()

    def collect(self, doc: Document, rule: Any) -> Any:
        return None

    def run_batch(self, batch: Any, rule: Any) -> Iterator[tuple[int, Finding]]:  # pragma: no cover
        raise NotImplementedError


def _date_vi(iso: str | None) -> str:
    if not iso:
        return "?"
    y, m, d = iso.split("-")
    return f"{int(d)}/{int(m)}/{y}"


# ----------------------------------------------------------------------------- PC901


class CitationLinks(BatchKind):
    """A citation of a batch document that does not match it (number, date, issuer, title)."""

    _PARTS = {
        "date": ("ngày ban hành", "issue date"),
        "issuer": ("cơ quan ban hành", "issuer"),
        "title": ("trích yếu", "title"),
    }

    def run_batch(self, batch, rule):
        for lk in batch.links:
            if lk.status == "resolved":
                continue
            c = lk.citation
            j = lk.other
            tgt = batch.profiles[j]
            values = {
                "citation": c["anchor"].excerpt,
                "target": label(batch, j),
                "target_file": Path(batch.paths[j]).name,
                "target_title": tgt["identity"].get("title") or "",
            }
            rel = related(batch.paths[j], tgt["number_at"], "cited")
            if lk.status == "unresolved":
                yield lk.source, make_finding(rule, c["anchor"], variant="unresolved", related=rel, **values)
                continue
            vi = ", ".join(self._PARTS[p][0] for p in lk.problems)
            en = ", ".join(self._PARTS[p][1] for p in lk.problems)
            yield lk.source, make_finding(rule, c["anchor"], related=rel, parts_vi=vi, parts_en=en, **values)


# ----------------------------------------------------------------------------- PC902 / PC903


@functools.lru_cache(maxsize=1)
def _indicators() -> tuple[dict[str, Any], ...]:
    from ..resources import FACTS_DIR
    from ..yamlio import load_yaml

    out = []
    for ind in load_yaml(FACTS_DIR / "allocation.yaml")["indicators"]:
        out.append(
            {
                "key": ind["key"],
                "name": ind["name"],
                "column": regex.compile(ind["column"], regex.I),
                "column_not": regex.compile(ind["column_not"], regex.I) if ind.get("column_not") else None,
                "text": [regex.compile(p) for p in ind["text"]],
            }
        )
    return tuple(out)


def row_name(label_text: str) -> str:
    """A table row's locality, compared like a plan's ("Xã Đa Quyn", "ĐA QUYN" -> "đa quyn")."""
    return norm_name(_ROW_LEVEL.sub("", label_text.strip(" *:.")))


def _allocation(doc: Document) -> dict[str, Any]:
    """The plan's per-locality allocation tables and the targets its text states (once per doc)."""
    from ..extract.tables import tables

    inds = _indicators()
    out_tables = []
    for m in tables(doc):
        cols: dict[int, str] = {}
        for col in m.columns:
            path = " / ".join(col.path) if col.path else col.name
            for ind in inds:
                if ind["key"] in cols.values():
                    continue
                if ind["column"].search(path) and not (ind["column_not"] and ind["column_not"].search(path)):
                    cols[col.index] = ind["key"]
                    break
        if not cols:
            continue
        rows: dict[str, dict[str, tuple[float, Anchor]]] = {}
        total: dict[str, tuple[float, Anchor]] = {}
        for r in m.data_rows():
            vals = {}
            for ci, key in cols.items():
                if ci < len(r.cells) and r.cells[ci].number is not None:
                    vals[key] = (r.cells[ci].number.value, anchor(doc, r.cells[ci].span))
            if r.kind == "total":
                total = vals
            elif r.kind == "data" and r.label and vals:
                rows[row_name(r.label)] = vals
        if rows:
            out_tables.append({"rows": rows, "total": total, "anchor": anchor(doc, m.span)})
    stated: dict[str, tuple[float, Anchor]] = {}
    from ..extract.numbers import parse_number

    for b in doc.blocks:
        if b.kind != "paragraph" or b.region not in ("body", "title"):
            continue
        text = doc.block_text(b)
        for ind in inds:
            if ind["key"] in stated:
                continue
            for pat in ind["text"]:
                mt = pat.search(text)
                if mt:
                    n = parse_number(mt.group("value"))
                    if n is not None:
                        s = b.span.start + mt.start("value")
                        stated[ind["key"]] = (n.value, anchor(doc, Span(s, b.span.start + mt.end("value"))))
                    break
    return {"tables": out_tables, "stated": stated}


def _fmt(v: float) -> str:
    from ..rulebook import fmt_value

    return fmt_value(int(v) if float(v).is_integer() else v)


def _children(batch, j: int) -> dict[str, int]:
    """Plans of a lower level that cite plan j (resolved or not), by locality."""
    rank = LEVEL_RANK.get(batch.profiles[j]["identity"]["level"], 0)
    out: dict[str, int] = {}
    for lk in batch.links:
        if lk.other != j:
            continue
        ident = batch.profiles[lk.source]["identity"]
        if LEVEL_RANK.get(ident["level"], 9) < rank and ident["locality_norm"]:
            out.setdefault(ident["locality_norm"], lk.source)
    return out


class _AllocationKind(BatchKind):
    def collect(self, doc, rule):
        return doc.derived("batch.allocation", _allocation)

    def names(self) -> dict[str, dict[str, str]]:
        return {ind["key"]: ind["name"] for ind in _indicators()}

    @staticmethod
    def higher_plans(batch, rule) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """The plans with a per-locality allocation table: (index, tables)."""
        for j in batch.indices():
            alloc = batch.own(rule.code, j)
            if alloc and alloc["tables"]:
                yield j, alloc["tables"]


class AllocationRow(_AllocationKind):
    """A commune plan's stated target differs from its row in the higher plan's table (PC902)."""

    def run_batch(self, batch, rule):
        names = self.names()
        for j, tables in self.higher_plans(batch, rule):
            for loc, i in _children(batch, j).items():
                stated = (batch.own(rule.code, i) or {}).get("stated") or {}
                for t in tables:
                    row = t["rows"].get(loc)
                    if not row:
                        continue
                    for key, (want, cell) in row.items():
                        if key not in stated or abs(stated[key][0] - want) < 1e-9:
                            continue
                        got, at = stated[key]
                        yield (
                            i,
                            make_finding(
                                rule,
                                at,
                                related=related(batch.paths[j], cell, "allocation"),
                                indicator_vi=names[key]["vi"],
                                indicator_en=names[key]["en"],
                                stated=_fmt(got),
                                allocated=_fmt(want),
                                target=label(batch, j),
                                where=where(batch.paths[j], cell),
                            ),
                        )
                    break


class AllocationSum(_AllocationKind):
    """All the commune plans are in the batch and their targets do not add up to the total (PC903)."""

    def run_batch(self, batch, rule):
        names = self.names()
        for j, tables in self.higher_plans(batch, rule):
            kids = _children(batch, j)
            for t in tables:
                if len(t["rows"]) < 2 or not all(loc in kids for loc in t["rows"]):
                    continue
                keys = {k for row in t["rows"].values() for k in row}
                for key in sorted(keys):
                    stated = [(batch.own(rule.code, kids[loc]) or {}).get("stated", {}).get(key) for loc in t["rows"]]
                    if any(s is None for s in stated):
                        continue
                    got = sum(s[0] for s in stated)
                    if key in t["total"]:
                        want, at = t["total"][key]
                    else:
                        want = sum(row[key][0] for row in t["rows"].values() if key in row)
                        at = t["anchor"]
                    if abs(got - want) < 1e-9:
                        continue
                    off = [  # the plans whose target is not their row's
                        (kids[loc], s)
                        for loc, s in zip(t["rows"], stated, strict=True)
                        if key in t["rows"][loc] and abs(s[0] - t["rows"][loc][key][0]) >= 1e-9
                    ]
                    differ = "; ".join(f"{where(batch.paths[i], s[1])}: {_fmt(s[0])}" for i, s in off) or "-"
                    yield (
                        j,
                        make_finding(
                            rule,
                            at,
                            related=related(batch.paths[off[0][0]], off[0][1][1], "commune") if off else None,
                            indicator_vi=names[key]["vi"],
                            indicator_en=names[key]["en"],
                            total=_fmt(want),
                            sum=_fmt(got),
                            plans=len(stated),
                            differ=differ,
                        ),
                    )


# ----------------------------------------------------------------------------- PC904


class CopiedText(BatchKind):
    """A paragraph copied from another plan of the batch still naming that plan's locality,
    number, date or year (PC904).

    Each paragraph that names one of those carries a bottom-k MinHash sketch; a mention
    is checked only against the plans it belongs to (an index from locality, number,
    date and year to the plans of the same level), and only their paragraphs holding
    the same mention are compared: no pair of paragraphs is compared for nothing.
    """

    def setup(self, params):
        self.threshold = float(params.get("similarity", 0.5))

    def run_batch(self, batch, rule):
        owners: dict[tuple[str, str], list[int]] = {}  # a locality, number, date or year -> its plans
        for j in batch.indices():
            for key in self._identity(batch.profiles[j]["identity"]):
                owners.setdefault(key, []).append(j)
        held: dict[int, dict[tuple[str, str], list]] = {}
        for i in batch.indices():
            ident = batch.profiles[i]["identity"]
            if not ident["is_plan"]:
                continue
            year_reported = False  # a year is every plan's of that year: one finding a plan is enough
            for para in batch.profiles[i]["paragraphs"]:
                reported: set[tuple[str, str]] = set()
                for kind, value, at in para["mentions"]:
                    if not self._comparable(kind, ident) or (kind == "year" and year_reported):
                        continue
                    for key in self._keys(kind, value):
                        if key in reported:
                            continue
                        for j in self._foreign_owners(batch, i, key, owners):
                            hit = self._source(batch, held, j, key, para["sketch"])
                            if hit is not None:
                                reported.add(key)
                                year_reported = year_reported or kind == "year"
                                yield i, self._finding(batch, rule, i, j, kind, at, hit)
                                break

    def _foreign_owners(self, batch, i: int, key: tuple[str, str], owners) -> Iterator[int]:
        """The other plans of plan i's level whose own locality, number, date or year ``key``
        is, when it is not plan i's own and not the number or date of a document plan i cites."""
        prof = batch.profiles[i]
        ident = prof["identity"]
        kind, value = key
        if key in set(self._identity(ident)):
            return
        own_place = ident["locality_norm"]
        if kind == "locality" and (same_place(value, own_place) or same_place(own_place, value)):
            return  # the plan's own locality, written longer or shorter
        cited_dates = {c["date"] for c in prof["citations"] if c["key"] == value} if kind == "number" else set()
        cited_keys = {c["key"] for c in prof["citations"] if c["date"] == value} if kind == "date" else set()
        for j in owners.get(key, ()):
            other = batch.profiles[j]["identity"]
            if j == i or other["level"] != ident["level"] or not other["is_plan"]:
                continue
            if kind == "number" and (
                self._cites(batch, i, j)
                or (cited_dates and None not in cited_dates and other["issue_date"] not in cited_dates)
            ):
                continue  # a citation of plan j itself, or of another document with plan j's number
            if kind == "date" and cited_keys and other["key"] not in cited_keys:
                continue  # the date of another cited document
            yield j

    def _finding(self, batch, rule, i: int, j: int, kind: str, at: Anchor, hit: Anchor) -> Finding:
        return make_finding(
            rule,
            at,
            related=related(batch.paths[j], hit, "copied_from"),
            what_vi=self._KINDS[kind][0],
            what_en=self._KINDS[kind][1],
            other=Path(batch.paths[j]).name,
            other_where=where(batch.paths[j], hit),
            own=self._own_value(kind, batch.profiles[i]["identity"]),
        )

    _KINDS = {
        "locality": ("địa danh", "locality"),
        "number": ("số, ký hiệu", "number"),
        "date": ("ngày", "date"),
        "year": ("năm", "year"),
    }

    @staticmethod
    def _identity(ident: dict[str, Any]) -> list[tuple[str, str]]:
        out = []
        if ident["locality_norm"]:
            out.append(("locality", ident["locality_norm"]))
        if ident["key"]:
            out.append(("number", ident["key"]))
        if ident["issue_date"]:
            out.append(("date", ident["issue_date"]))
        if ident["plan_year"]:
            out.append(("year", str(ident["plan_year"])))
        return out

    @staticmethod
    def _comparable(kind: str, ident: dict[str, Any]) -> bool:
        return bool(
            {
                "locality": ident["locality_norm"],
                "number": ident["key"],
                "date": ident["issue_date"],
                "year": ident["plan_year"],
            }[kind]
        )

    @staticmethod
    def _own_value(kind: str, ident: dict[str, Any]) -> str:
        v = {
            "locality": ident["locality"],
            "number": ident["number"],
            "date": _date_vi(ident["issue_date"]),
            "year": ident["plan_year"],
        }[kind]
        return str(v or "?")

    @staticmethod
    def _keys(kind: str, value: str) -> list[tuple[str, str]]:
        if kind != "locality":
            return [(kind, value)]
        words = value.split()
        return [(kind, " ".join(words[:n])) for n in range(len(words), 0, -1)]

    @staticmethod
    def _cites(batch, i: int, j: int) -> bool:
        return any(lk.source == i and lk.other == j for lk in batch.links)

    def _source(self, batch, held, j: int, key: tuple[str, str], sk: tuple[int, ...]) -> Anchor | None:
        """Where plan j holds mention ``key`` in a paragraph near-identical to the sketch."""
        if j not in held:
            idx: dict[tuple[str, str], list] = {}
            for para in batch.profiles[j]["paragraphs"]:
                for kind, value, at in para["mentions"]:
                    for k in self._keys(kind, value):
                        idx.setdefault(k, []).append((para["sketch"], at))
            held[j] = idx
        for qsk, at in held[j].get(key, ()):
            if similarity(sk, qsk) >= self.threshold:
                return at
        return None


# ----------------------------------------------------------------------------- PC905


class Consistency(BatchKind):
    """The plans of one level in a batch disagree on the program, period or higher basis;
    the outlier gets an info finding (PC905)."""

    def setup(self, params):
        self.share = float(params.get("majority", 0.66))
        self.min_plans = int(params.get("min_plans", 3))

    def run_batch(self, batch, rule):
        for i, variant, rel, values in self._outlier_plans(batch):
            for m in self._copies(batch, i):  # the same plan given in several formats: each copy
                yield m, make_finding(rule, batch.profiles[m]["title"], variant=variant, related=rel, **values)

    @staticmethod
    def _plan_id(batch, i: int) -> tuple:
        ident = batch.profiles[i]["identity"]
        return (ident["key"], ident["issue_date"], ident["locality_norm"]) if ident["key"] else (i,)

    def _copies(self, batch, i: int) -> list[int]:
        pid = self._plan_id(batch, i)
        return [j for j in batch.indices() if self._plan_id(batch, j) == pid] if len(pid) > 1 else [i]

    def _outlier_plans(self, batch):
        """(plan, message variant, related, values) of each outlier; a plan given in several
        formats counts once."""
        by_level: dict[str, dict[tuple, int]] = {}
        for i in batch.indices():
            ident = batch.profiles[i]["identity"]
            if ident["is_plan"] and ident["level"]:
                by_level.setdefault(ident["level"], {}).setdefault(self._plan_id(batch, i), i)
        for level, plans in by_level.items():
            docs = list(plans.values())
            if len(docs) < self.min_plans or not any(i in batch.related_docs for i in docs):
                continue
            rank = LEVEL_RANK.get(level, 0)
            basis = {}
            for i in docs:
                basis[i] = {
                    lk.other
                    for lk in batch.links
                    if lk.source == i and LEVEL_RANK.get(batch.profiles[lk.other]["identity"]["level"], 0) > rank
                }
            attrs = (
                ("program_name", "Chương trình", "program"),
                ("period", "Giai đoạn", "period"),
                ("plan_year", "Năm kế hoạch", "plan year"),
            )
            for attr, vi, en in attrs:  # among the plans that cite or are cited
                values = {}
                for i in docs:
                    if i in batch.related_docs:
                        ident = batch.profiles[i]["identity"]
                        values[i] = ident[attr] or (ident["program"] if attr == "program_name" else None)
                yield from self._outliers(batch, values, vi, en)
            cited = Counter(j for s in basis.values() for j in s)
            if cited:
                top, n = cited.most_common(1)[0]
                if n >= 2 and n >= self.share * len(docs):
                    rel = related(batch.paths[top], batch.profiles[top]["title"], "basis")
                    for i in docs:
                        if top not in basis[i]:
                            yield i, "basis", rel, {"target": label(batch, top), "count": n, "total": len(docs)}

    def _outliers(self, batch, values: dict[int, Any], vi: str, en: str):
        present = {i: v for i, v in values.items() if v}
        if len(present) < self.min_plans:
            return
        top, n = Counter(present.values()).most_common(1)[0]
        if n < 2 or n < self.share * len(present):
            return
        ref = next(i for i, v in present.items() if v == top)
        rel = related(batch.paths[ref], batch.profiles[ref]["title"], "majority")
        for i, v in present.items():
            if v != top:
                values = {"attr_vi": vi, "attr_en": en, "value": str(v), "majority": str(top)}
                yield i, None, rel, {**values, "count": n, "total": len(present)}
