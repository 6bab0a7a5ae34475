"""The legal registry (rules/facts/legal/*.yaml) and the fact tables citations use.

Facts are data: adding a document is a YAML edit. Each entry carries a status (✔
verified, ◐ corroborated, ✱ memory) for the document and optionally per field, so a
rule can refuse to raise an error on an unconfirmed fact. Loaded once per process.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..resources import FACTS_DIR
from ..yamlio import load_yaml

LEGAL_DIR = FACTS_DIR / "legal"
CONSENSUS_FILE = FACTS_DIR / "legal-consensus" / "consensus.yaml"

VERIFIED, CORROBORATED, MEMORY = "✔", "◐", "✱"
STATUSES = (VERIFIED, CORROBORATED, MEMORY)

_KEY_SPACES = regex.compile(r"\s+")
_NUM = regex.compile(r"^(?P<n>\d+)(?P<suffix>[a-zA-Z]?)$")


def norm_kyhieu(kh: str) -> str:
    """Ký hiệu compared without spaces and case: "QĐ- TTg" == "QĐ-TTG"."""
    return _KEY_SPACES.sub("", kh).replace("–", "-").replace("—", "-").upper()


def doc_key(number: str, year: int | None, kyhieu: str) -> str:
    """Canonical key "4/2022/TT-BNNPTNT": number without leading zeros, ký hiệu normalised."""
    m = _NUM.match(number.strip())
    n = f"{int(m.group('n'))}{m.group('suffix').lower()}" if m else number.strip().lower()
    return f"{n}/{year}/{norm_kyhieu(kyhieu)}" if year else f"{n}/{norm_kyhieu(kyhieu)}"


def parse_number(text: str) -> tuple[str, int | None, str]:
    """Split "04/2022/TT-BNNPTNT" into ("04", 2022, "TT-BNNPTNT")."""
    parts = [p.strip() for p in text.split("/")]
    if len(parts) >= 3 and parts[1].isdigit() and len(parts[1]) == 4:
        return parts[0], int(parts[1]), "/".join(parts[2:])
    return parts[0], None, "/".join(parts[1:])


@dataclass(frozen=True)
class LegalDoc:
    """One registry entry."""

    number: str
    type: str
    issuer: str
    date: dt.date | None
    title: str
    status: str
    source: str
    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    replaced_by: str | None = None
    amended_by: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    assume_replaced_from: dt.date | None = None
    field_status: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    path: str = ""

    @property
    def key(self) -> str:
        n, y, kh = parse_number(self.number)
        return doc_key(n, y, kh)

    @property
    def year(self) -> int | None:
        return parse_number(self.number)[1]

    def status_of(self, name: str) -> str:
        """Status of one field ("date", "in_force_to", "replaced_by"…), else of the entry."""
        return self.field_status.get(name, self.status)

    def show_date(self) -> str:
        return f"{self.date.day:02d}/{self.date.month:02d}/{self.date.year}" if self.date else "?"

    def label(self) -> str:
        return f"{self.type} {self.number}"


_FIELDS = {
    "number",
    "type",
    "issuer",
    "date",
    "title",
    "status",
    "source",
    "in_force_from",
    "in_force_to",
    "replaced_by",
    "amended_by",
    "keywords",
    "assume_replaced_from",
    "note",
    "date_status",
    "in_force_from_status",
    "in_force_to_status",
    "replaced_by_status",
}
_REQUIRED = ("number", "type", "issuer", "date", "title", "status", "source")


def _date(v: Any, where: str) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.date):
        return v
    raise ValueError(f"{where}: not an ISO date: {v!r}")


def load_entries(folder: Path = LEGAL_DIR) -> list[LegalDoc]:
    """Read every legal/*.yaml; raise ValueError naming the file and entry on a bad one."""
    out: list[LegalDoc] = []
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path) or {}
        for i, e in enumerate(data.get("documents") or []):
            where = f"{path.name}#{i} ({e.get('number')})"
            unknown = set(e) - _FIELDS
            if unknown:
                raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
            missing = [k for k in _REQUIRED if k not in e]
            if missing:
                raise ValueError(f"{where}: missing keys {missing}")
            statuses = {k[: -len("_status")]: e[k] for k in e if k.endswith("_status")}
            for s in [e["status"], *statuses.values()]:
                if s not in STATUSES:
                    raise ValueError(f"{where}: status must be one of {STATUSES}, not {s!r}")
            out.append(
                LegalDoc(
                    number=str(e["number"]),
                    type=e["type"],
                    issuer=e["issuer"],
                    date=_date(e["date"], where),
                    title=e["title"],
                    status=e["status"],
                    source=str(e["source"]),
                    in_force_from=_date(e.get("in_force_from"), where),
                    in_force_to=_date(e.get("in_force_to"), where),
                    replaced_by=e.get("replaced_by"),
                    amended_by=tuple(e.get("amended_by") or ()),
                    keywords=tuple(e.get("keywords") or ()),
                    assume_replaced_from=_date(e.get("assume_replaced_from"), where),
                    field_status=statuses,
                    note=e.get("note"),
                    path=str(path),
                )
            )
    return out


class Registry:
    """Look documents up by number–ký hiệu."""

    def __init__(self, entries: list[LegalDoc]) -> None:
        self.entries = entries
        self.by_key: dict[str, LegalDoc] = {}
        for e in entries:
            if e.key in self.by_key:
                raise ValueError(f"{e.path}: {e.number} listed twice")
            self.by_key[e.key] = e

    def get(self, number: str) -> LegalDoc | None:
        n, y, kh = parse_number(number)
        return self.by_key.get(doc_key(n, y, kh))

    def resolve(self, key: str, date: dt.date | None = None, context: str = "") -> LegalDoc | None:
        """The entry a citation names, or None.

        A number with a year is unique. A number without one ("90/QĐ-TTg") recurs every
        year, so it resolves only when the cited date has the entry's year or the
        citation's own words contain one of the entry's keywords.
        """
        e = self.by_key.get(key)
        if e is None:
            return None
        if e.year is not None:
            return e
        if date is not None and e.date is not None and date.year == e.date.year:
            return e
        low = context.lower()
        if e.keywords and any(k.lower() in low for k in e.keywords):
            return e
        return None


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    return Registry(load_entries())


@functools.lru_cache(maxsize=1)
def abbreviations() -> dict[str, Any]:
    return load_yaml(FACTS_DIR / "abbreviations.yaml")


@functools.lru_cache(maxsize=1)
def programs() -> list[dict[str, Any]]:
    return load_yaml(FACTS_DIR / "programs_periods.yaml")["programs"]


@dataclass(frozen=True)
class ConsensusDoc:
    """A document the shared corpora's citations agree on (scripts/build_consensus_registry.py).

    Not verified: ``status`` reads "consensus of N mentions"; a rule may warn on it,
    never raise an error. A number without a year is keyed by the year of its date.
    """

    number: str
    type: str
    issuer: str
    date: dt.date
    mentions: int

    @property
    def status(self) -> str:
        return f"consensus of {self.mentions} mentions"

    def show_date(self) -> str:
        return f"{self.date.day:02d}/{self.date.month:02d}/{self.date.year}"

    def label(self) -> str:
        return f"{self.type} {self.number}"


def consensus_key(key: str, year: int | None, date: dt.date | None) -> str | None:
    """Key of the consensus registry for a citation: "4/2022/TT-BNNPTNT", or
    "90/QĐ-TTG@2022" for a number without a year (the year of the cited date)."""
    if year is not None:
        return key
    return f"{key}@{date.year}" if date is not None else None


@functools.lru_cache(maxsize=1)
def consensus() -> dict[str, ConsensusDoc]:
    """The consensus registry, keyed like ``consensus_key`` (empty when the file is absent)."""
    if not CONSENSUS_FILE.exists():
        return {}
    data = load_yaml(CONSENSUS_FILE) or {}
    out: dict[str, ConsensusDoc] = {}
    for e in data.get("documents") or ():
        d = e["date"] if isinstance(e["date"], dt.date) else dt.date.fromisoformat(str(e["date"]))
        doc = ConsensusDoc(str(e["number"]), e["type"], e["issuer"], d, int(e["mentions"]))
        n, y, kh = parse_number(doc.number)
        k = consensus_key(doc_key(n, y, kh), y, d)
        if k is not None:
            out[k] = doc
    return out
