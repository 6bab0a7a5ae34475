"""Program catalogs (rules/facts/programs/*.yaml): load them, pick the period, match names.

A catalog lists the Dự án (projects) and Tiểu dự án (sub-projects) of one period of a
national target program with their official names, the short names plans use, and the
areas an item is restricted to. Facts live in YAML only; this module turns them into
frozen objects and offers the one name matcher every PC4xx rule shares, so that a
name is recognised the same way in coverage, number/name and period checks.
"""

from __future__ import annotations

import datetime as _dt
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..resources import FACTS_DIR
from ..yamlio import load_yaml

PROGRAMS_DIR = FACTS_DIR / "programs"

# Fuzzy-name thresholds (rapidfuzz ratio on normalised names, 0-100); see
# tests/test_programs_facts.py for the seed names and look-alikes that fix them.
NAME_MATCH = 85.0  # a "Dự án <name>" heading names this item
NAME_BARE = 92.0  # a heading without the words "Dự án" names this item
NAME_AGREES = 80.0  # a name this close to the numbered item's names agrees with the number
EXTENSION_SCORE = 96.0  # "<official name> tại các huyện nghèo…": the official name plus a qualifier


@dataclass(frozen=True)
class Item:
    """One Dự án or Tiểu dự án of a catalog."""

    id: str  # "DA3" or "DA3.TDA2"
    project: int
    sub: int | None
    name: str
    short_names: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    status: str = "verified"
    children: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # words opening the title of a plan about this item only

    @property
    def parent(self) -> str | None:
        return f"DA{self.project}" if self.sub is not None else None

    @property
    def is_sub(self) -> bool:
        return self.sub is not None

    @property
    def label(self) -> str:
        """Vietnamese label: "Dự án 3" or "Tiểu dự án 2 (Dự án 3)"."""
        return f"Tiểu dự án {self.sub} (Dự án {self.project})" if self.sub is not None else f"Dự án {self.project}"

    @property
    def label_en(self) -> str:
        return (
            f"Sub-project {self.sub} of Project {self.project}" if self.sub is not None else f"Project {self.project}"
        )

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.short_names)

    @functools.cached_property
    def normalised(self) -> tuple[str, ...]:
        return tuple(norm_name(n) for n in self.names)


@dataclass(frozen=True)
class Catalog:
    key: str  # file stem, e.g. "gnbv-2021-2025"
    program: str
    period: str
    start: int
    end: int
    status: str
    name: str
    approved_number: str | None
    approved_date: _dt.date | None
    areas: dict[str, dict[str, str]]
    items: dict[str, Item] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        """False for a period whose project list is not yet known (``status: unknown``)."""
        return self.status != "unknown" and bool(self.items)

    def projects(self) -> list[Item]:
        return [i for i in self.items.values() if not i.is_sub]

    def get(self, project: int, sub: int | None = None) -> Item | None:
        return self.items.get(item_id(project, sub))

    def area_names(self, codes: Iterable[str], lang: str = "vi") -> str:
        return ", ".join(self.areas.get(c, {}).get(lang, c) for c in codes)


def item_id(project: int, sub: int | None = None) -> str:
    return f"DA{project}" if sub is None else f"DA{project}.TDA{sub}"


# ---------------------------------------------------------------- loading


def _date(v: Any) -> _dt.date | None:
    if v is None or isinstance(v, _dt.date):
        return v
    return _dt.date.fromisoformat(str(v))


def _items(raw: list[dict[str, Any]]) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for p in raw or []:
        n = int(p["number"])
        subs = p.get("subprojects") or []
        kids = tuple(item_id(n, int(s["number"])) for s in subs)
        out[item_id(n)] = Item(
            id=item_id(n),
            project=n,
            sub=None,
            name=p["name"],
            short_names=tuple(p.get("short_names") or ()),
            areas=tuple(p.get("areas") or ()),
            status=p.get("status", "verified"),
            children=kids,
            topics=tuple(p.get("topics") or ()),
        )
        for s in subs:
            k = int(s["number"])
            out[item_id(n, k)] = Item(
                id=item_id(n, k),
                project=n,
                sub=k,
                name=s["name"],
                short_names=tuple(s.get("short_names") or ()),
                areas=tuple(s.get("areas") or ()),
                status=s.get("status", "verified"),
                topics=tuple(s.get("topics") or ()),
            )
    return out


def parse_catalog(key: str, data: dict[str, Any]) -> Catalog:
    start, end = (int(x) for x in data["years"])
    ab = data.get("approved_by") or {}
    return Catalog(
        key=key,
        program=data["program"],
        period=data["period"],
        start=start,
        end=end,
        status=data.get("status", "verified"),
        name=data["name"],
        approved_number=ab.get("number"),
        approved_date=_date(ab.get("date")),
        areas=dict(data.get("areas") or {}),
        items=_items(data.get("projects") or []),
    )


CATALOG_KEYS = frozenset(
    {"program", "kind", "period", "years", "status", "name", "approved_by", "source", "areas", "projects"}
)
PROJECT_KEYS = frozenset({"number", "name", "short_names", "areas", "status", "subprojects", "note", "topics"})
SUB_KEYS = frozenset({"number", "name", "short_names", "areas", "status", "note", "topics"})
STATUSES = frozenset({"verified", "corroborated", "memory", "unknown"})


def validate_catalog(data: Any, where: str) -> None:
    """The schema of a catalog (rules/facts/programs/*.yaml, or a province's own list given
    with ``extra-facts``): raise ValueError naming the file and the field on a bad one."""

    def bad(msg: str) -> ValueError:
        return ValueError(f"{where}: {msg}")

    if not isinstance(data, dict) or data.get("kind") != "catalog":
        raise bad("không phải danh mục (kind: catalog) / not a catalog (kind: catalog)")
    extra = set(data) - CATALOG_KEYS
    if extra:
        raise bad(f"khóa không hợp lệ / unknown keys {sorted(extra)}")
    missing = {"program", "period", "years", "status", "name", "projects"} - set(data)
    if missing:
        raise bad(f"thiếu khóa / missing keys {sorted(missing)}")
    years = data["years"]
    if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)):
        raise bad("years phải là [năm đầu, năm cuối] / years must be [first, last]")
    a, b = years
    if not (a < b and data["period"] == f"{a}-{b}"):
        raise bad(f"period '{data['period']}' không khớp years / does not match years {years}")
    if data["status"] not in STATUSES:
        raise bad(f"status phải là một trong / must be one of {sorted(STATUSES)}")
    ab = data.get("approved_by")
    if ab is not None and (not isinstance(ab, dict) or not isinstance(ab.get("date"), _dt.date) or ab["date"].year > b):
        raise bad("approved_by cần number và date (ISO) trong giai đoạn / needs number and an ISO date")
    areas = data.get("areas") or {}
    if not isinstance(data["projects"], list):
        raise bad("projects phải là danh sách / must be a list")
    if data["status"] == "unknown":
        if data["projects"]:
            raise bad("status unknown: projects phải rỗng / must be []")
        return
    numbers = [p.get("number") for p in data["projects"]]
    if numbers != list(range(1, len(numbers) + 1)):
        raise bad("dự án đánh số 1..n / projects numbered 1..n")
    for p in data["projects"]:
        w = f"Dự án {p.get('number')}"
        if set(p) - PROJECT_KEYS:
            raise bad(f"{w}: khóa không hợp lệ / unknown keys {sorted(set(p) - PROJECT_KEYS)}")
        if not isinstance(p.get("name"), str) or p["name"].strip() != p["name"] or not p["name"]:
            raise bad(f"{w}: name")
        if p.get("status", "verified") not in STATUSES:
            raise bad(f"{w}: status")
        for ar in p.get("areas") or []:
            if ar not in areas:
                raise bad(f"{w}: địa bàn chưa khai báo / unknown area {ar}")
        subs = p.get("subprojects") or []
        if [x.get("number") for x in subs] != list(range(1, len(subs) + 1)):
            raise bad(f"{w}: tiểu dự án đánh số 1..n / sub-projects numbered 1..n")
        for x in subs:
            if set(x) - SUB_KEYS or not isinstance(x.get("name"), str) or x.get("status", "verified") not in STATUSES:
                raise bad(f"{w}, Tiểu dự án {x.get('number')}: khóa hoặc giá trị sai / bad key or value")
            for ar in x.get("areas") or []:
                if ar not in areas:
                    raise bad(f"{w}, Tiểu dự án {x.get('number')}: unknown area {ar}")


@functools.lru_cache(maxsize=16)
def load_catalog_file(path: str) -> Catalog:
    """A province's own catalog (``extra-facts`` in plancheck.toml), validated."""
    data = load_yaml(Path(path))
    validate_catalog(data, path)
    return parse_catalog(f"extra:{Path(path).stem}", data)


def extra_catalogs(meta: Any) -> tuple[Catalog, ...]:
    """The catalogs a configuration supplies (metadata ``extra_catalogs``: file paths)."""
    over = dict(meta.get("_overrides") or {}) if hasattr(meta, "get") else {}
    paths = over.get("extra_catalogs") or (meta.get("extra_catalogs") if hasattr(meta, "get") else None) or ()
    return tuple(load_catalog_file(str(p)) for p in paths)


@functools.lru_cache(maxsize=4)
def load_catalogs(folder: str | None = None) -> tuple[Catalog, ...]:
    """All catalogs of the folder, sorted by period start."""
    d = Path(folder) if folder else PROGRAMS_DIR
    out = []
    for f in sorted(d.glob("*.yaml")):
        data = load_yaml(f) or {}
        if data.get("kind") == "catalog":
            out.append(parse_catalog(f.stem, data))
    return tuple(sorted(out, key=lambda c: c.start))


@functools.lru_cache(maxsize=4)
def load_program_names(folder: str | None = None) -> dict[str, Any]:
    d = Path(folder) if folder else PROGRAMS_DIR
    data = load_yaml(d / "program-names.yaml")
    progs = []
    for p in data["programs"]:
        progs.append({**p, "regex": regex.compile(p["marker"], regex.IGNORECASE | regex.V1)})
    return {"programs": progs, "wrong_names": data.get("wrong_names") or []}


def catalog_for(
    period: str | None = None, year: int | None = None, program: str | None = None, extra: tuple[Catalog, ...] = ()
) -> Catalog | None:
    """The catalog of a period ("2021-2025"), else the one whose years contain ``year``.
    ``extra`` catalogs (a province's own list) come before the built-in ones."""
    cats = (*extra, *load_catalogs())
    if period:
        p = regex.sub(r"\s*[-–—]\s*", "-", period.strip())
        for c in cats:
            if c.period == p and (program is None or c.program == program):
                return c
        return None
    if year is not None:
        for c in cats:
            if c.start <= year <= c.end and (program is None or c.program == program):
                return c
    return None


# ---------------------------------------------------------------- names

# Old and new tone placement ("hoá"/"hóa", "uỷ"/"ủy") are the same word.
_OLD_TONES = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
# only in an open syllable: "hoá" / "hóa", but "hoạt" is always "hoạt"
_OLD_TONE_RE = regex.compile("(?:" + "|".join(_OLD_TONES) + r")(?!\p{L})", regex.V1)
_PUNCT = regex.compile(r"[\p{P}\p{S}]+")
_SPACE = regex.compile(r"\s+")


def norm_name(s: str) -> str:
    """Lower case, one tone placement, punctuation and dashes dropped, spaces collapsed."""
    s = unicodedata.normalize("NFC", s).lower()
    s = _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group(0)], s)
    s = _PUNCT.sub(" ", s)
    return _SPACE.sub(" ", s).strip()


def name_score(given_norm: str, item: Item) -> float:
    """How well a (normalised) written name fits an item, 0-100.

    rapidfuzz ``ratio`` against the official and short names; a written name that
    is an official name followed by a qualifier ("… theo hợp đồng tại các huyện
    nghèo, …") scores ``EXTENSION_SCORE``.
    """
    from rapidfuzz import fuzz

    best = 0.0
    for n in item.normalised:
        r = fuzz.ratio(given_norm, n)
        if len(n) >= 10 and given_norm.startswith(n + " "):
            r = max(r, EXTENSION_SCORE)
        best = max(best, r)
    return best


_RANKED: dict[tuple[str, str], list[tuple[Item, float]]] = {}


def best_items(given: str, catalog: Catalog, limit: int = 3) -> list[tuple[Item, float]]:
    """Catalog items ranked by name score for a written name (memoised: plans repeat names)."""
    g = norm_name(given)
    if not g:
        return []
    key = (catalog.key, g)
    scored = _RANKED.get(key)
    if scored is None:
        scored = [(it, name_score(g, it)) for it in catalog.items.values()]
        scored.sort(key=lambda t: (-t[1], t[0].is_sub))
        if len(_RANKED) > 20000:
            _RANKED.clear()
        _RANKED[key] = scored
    return scored[:limit]


# words before the subject of a title or heading: "(Kế hoạch) triển khai các hoạt động …"
_OPENING = regex.compile(
    r"^(?:kế hoạch\s+)?(?:(?:triển khai|tổ chức|thực hiện|về|công tác|đẩy mạnh|tăng cường)\s+)*"
    r"(?:(?:các\s+)?hoạt động\s+|công tác\s+)?"
)


def opening_topic(text: str, item: Item) -> str | None:
    """The item's topic that ``text`` (a title or heading) opens with, if any:
    "Công tác tuyên truyền" opens with the topic "tuyên truyền"."""
    lead = _OPENING.sub("", norm_name(text))
    best = None
    for tp in item.topics:
        nt = norm_name(tp)
        if (lead == nt or lead.startswith(nt + " ")) and (best is None or len(tp) > len(best)):
            best = tp
    return best
