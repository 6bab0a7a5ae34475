"""Citations between the plans of a batch: which document of the batch each one names.

A citation names a document of the batch when its number–ký hiệu (canonical key) is
that document's own and its issuer fits (same body, level and locality when written;
an unnamed "UBND huyện" fits the district plan whose locality the citing plan names).
It is then ``resolved`` when the date, issuer and title agree too, else ``mismatch``
with the parts that disagree. A citation whose issuer and type name a plan of the batch
but whose number is no document's is ``unresolved``, with the closest candidate. Any
other citation (a decree, a ministry's circular) is outside the batch and not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .profile import cited_type_ok, level_of, norm_name

_ISSUER = regex.compile(
    r"(?<![\p{L}])(?P<level>(?i:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tp\.?|tỉnh))"
    r"(?:\s+(?P<name>\p{Lu}[\p{L}\p{M}\-]*(?:[ ]\p{Lu}[\p{L}\p{M}\-]*){0,3}))?",
    regex.V1,
)
_CLAUSE_LOCALITY = regex.compile(
    r"(?<![\p{L}])(?P<level>xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)\s+"
    r"(?P<name>\p{Lu}[\p{L}\p{M}\-]*(?:[ ]\p{Lu}[\p{L}\p{M}\-]*){0,3})",
    regex.V1,
)
_CLAUSE_YEAR = regex.compile(r"(?<!giai đoạn\s)\bnăm\s+(20\d\d)\b(?!\s*[-–])", regex.V1 | regex.I)
_SYLLABLE = regex.compile(r"\p{L}+", regex.V1)
# "về việc", "về", "V/v" before a trích yếu: not part of the subject
_CLAUSE_LEAD = regex.compile(r"^\s*(?:(?i:về\s+việc|v/v|về))\s+", regex.V1)
SUBJECT_MIN_PAIRS = 4  # a shorter clause says too little to compare
SUBJECT_MIN_SHARE = 0.25  # share of the clause's syllable pairs found in the target's title
_BODIES = (
    ("hdnd", regex.compile(r"(?i)hội đồng nhân dân|hđnd")),
    ("party", regex.compile(r"(?i)(?:huyện|tỉnh|thành|đảng|thị)\s*ủy|ban thường vụ|ban chấp hành")),
    ("bcd", regex.compile(r"(?i)ban chỉ đạo|bcđ")),
)


def body_of(text: str | None) -> str:
    for name, pat in _BODIES:
        if text and pat.search(text):
            return name
    return "ubnd"


def issuer_parts(text: str | None) -> tuple[str | None, str]:
    """(level, locality) an issuer text names; either may be missing."""
    if not text:
        return None, ""
    m = _ISSUER.search(text)
    if not m:
        return None, ""
    return level_of(m.group("level")), norm_name(m.group("name"))


def same_place(name: str, locality: str) -> bool:
    """A mention "đa quyn" (or "đa quyn năm", over-captured) names the locality "đa quyn"."""
    return bool(locality) and (name == locality or name.startswith(locality + " "))


@dataclass
class Link:
    source: int
    citation: dict[str, Any]
    target: int | None
    status: str  # resolved | mismatch | unresolved
    problems: list[str] = field(default_factory=list)
    closest: int | None = None

    @property
    def other(self) -> int | None:
        return self.target if self.target is not None else self.closest

    def row(self, batch: Any) -> dict[str, Any]:
        """One row of the "Liên kết" table (and of the JSON ``links``)."""
        c = self.citation
        loc = c["anchor"].location
        other = self.other
        ident = batch.profiles[other]["identity"] if other is not None else {}
        return {
            "source": batch.paths[self.source],
            "citation": c["anchor"].excerpt,
            "line": loc.line,
            "page": loc.page,
            "paragraph": loc.paragraph,
            "status": self.status,
            "problems": list(self.problems),
            "target": batch.paths[self.target] if self.target is not None else None,
            "closest": batch.paths[self.closest] if self.closest is not None else None,
            "target_number": ident.get("number"),
            "target_date": ident.get("issue_date"),
            "target_issuer": ident.get("issuer"),
        }


def _clause_facts(clause: str) -> tuple[set[str], set[int], list[tuple[str, str]]]:
    places = [(level_of(m.group("level")), norm_name(m.group("name"))) for m in _CLAUSE_LOCALITY.finditer(clause)]
    years = {int(y) for y in _CLAUSE_YEAR.findall(clause)}
    return {n for _, n in places}, years, places


def _issuer_fits(c: dict[str, Any], src: dict[str, Any], tgt: dict[str, Any]) -> str:
    """'yes', 'name' (same body and level, another locality named) or 'no'."""
    ident = tgt["identity"]
    if body_of(c["issuer"]) != body_of(ident.get("issuer")):
        return "no"
    level, name = issuer_parts(c["issuer"])
    if level is not None and ident["level"] and level != ident["level"]:
        return "no"
    if name:
        return "yes" if same_place(name, ident["locality_norm"]) else "name"
    if level is None:
        return "yes" if c["date"] and c["date"] == ident.get("issue_date") else "no"
    # "UBND huyện": the district whose date it gives, or that the citing plan or the clause names
    if c["date"] and c["date"] == ident.get("issue_date"):
        return "yes"
    loc = ident["locality_norm"]
    names, _, _ = _clause_facts(c["clause"])
    if any(same_place(n, loc) for n in names | src["mentions"]):
        return "yes"
    return "no"


def _bigrams(text: str) -> set[str]:
    words = _SYLLABLE.findall(text.lower())
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def _title_problem(c: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """The clause names another year or another locality of the target's level, or another
    subject: hardly any of its syllable pairs is in the target's title."""
    ident = tgt["identity"]
    _, years, places = _clause_facts(c["clause"])
    if years and ident["is_plan"] and ident.get("plan_year") and ident["plan_year"] not in years:
        return True
    for level, name in places:
        if level == ident["level"] and ident["locality_norm"] and not same_place(name, ident["locality_norm"]):
            return True
    clause = _bigrams(_CLAUSE_LEAD.sub("", c["clause"]))
    if len(clause) >= SUBJECT_MIN_PAIRS and ident.get("title"):
        shared = len(clause & _bigrams(ident["title"]))
        return shared < SUBJECT_MIN_SHARE * len(clause)
    return False


def _year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


def resolve(batch: Any) -> list[Link]:
    profiles = batch.profiles
    by_key: dict[str, list[int]] = {}
    for j, p in enumerate(profiles):
        if p and p["identity"]["key"]:
            by_key.setdefault(p["identity"]["key"], []).append(j)
    places: dict[tuple[str, str], list[int]] = {}  # the plans of a batch by (level, locality)
    for j, p in enumerate(profiles):
        if p and p["identity"]["is_plan"] and p["identity"]["locality_norm"]:
            places.setdefault((p["identity"]["level"], p["identity"]["locality_norm"]), []).append(j)
    links: list[Link] = []
    for i, src in enumerate(profiles):
        if src is None:
            continue
        for c in src["citations"]:
            link = _match(i, c, src, profiles, by_key.get(c["key"], ()))
            if link is None:
                link = _candidate(i, c, src, profiles, _places_named(c, src, places))
            if link is not None:
                links.append(link)
    return links


def _places_named(c: dict[str, Any], src: dict[str, Any], places: dict[tuple[str, str], list[int]]) -> list[int]:
    """The plans whose issuer a citation can name: its issuer's locality (any prefix of an
    over-read name), or, for an unnamed "UBND huyện", the localities of that level the
    citing plan or the clause names. An index lookup: never every plan of the batch."""
    level, name = issuer_parts(c["issuer"])
    if level is None:
        return []
    names = [name] if name else list(src["mentions"] | _clause_facts(c["clause"])[0])
    out: list[int] = []
    for n in names:
        words = n.split()
        for k in range(len(words), 0, -1):
            out.extend(places.get((level, " ".join(words[:k])), ()))
    return out


def _match(i: int, c: dict[str, Any], src: dict[str, Any], profiles: list, same_key) -> Link | None:
    best: Link | None = None
    for j in same_key:
        if j == i:
            continue
        tgt = profiles[j]
        ident = tgt["identity"]
        if not cited_type_ok(c["type_word"], ident.get("doc_type")):
            continue
        fit = _issuer_fits(c, src, tgt)
        if fit == "no":
            continue
        problems = []
        same_date = bool(c["date"]) and c["date"] == ident.get("issue_date")
        if c["date"] and ident.get("issue_date") and not same_date:
            _, years, _ = _clause_facts(c["clause"])
            if _year(c["date"]) != _year(ident["issue_date"]) and ident.get("plan_year") not in years:
                continue  # a number of another year: another document
            problems.append("date")
        if fit == "name":
            if not same_date:
                continue  # another locality's document with the same number
            problems.append("issuer")
        if _title_problem(c, tgt):
            problems.append("title")
        link = Link(i, c, j, "mismatch" if problems else "resolved", problems)
        if best is None or len(link.problems) < len(best.problems):
            best = link
    return best


def _candidate(i: int, c: dict[str, Any], src: dict[str, Any], profiles: list, plans: list[int]) -> Link | None:
    """A citation whose issuer and type name a plan of the batch, under a number none has
    (``plans``: those of the issuer's level and locality, ``_places_named``)."""
    if not plans or not c["issuer"] or not c["type_word"]:
        return None  # only a local government's document (UBND/HĐND of a commune, district, province)
    _, years, _ = _clause_facts(c["clause"])
    best = None
    best_score = 0
    for j in plans:
        if j == i:
            continue
        tgt = profiles[j]
        ident = tgt["identity"]
        if not ident["key"] or not norm_name(ident.get("doc_type")).startswith(norm_name(c["type_word"])):
            continue
        own = src["identity"]
        if ident["level"] == own["level"] and ident["locality_norm"] == own["locality_norm"]:
            continue  # the plan itself (another format of it) or its own issuer's: another document
        if _issuer_fits(c, src, tgt) != "yes":
            continue
        same_date = bool(c["date"]) and c["date"] == ident.get("issue_date")
        same_year = _year(c["date"]) is not None and _year(c["date"]) == _year(ident.get("issue_date"))
        about = ident.get("plan_year") in years
        if not (same_date or (same_year and about)):
            continue
        score = 2 * same_date + same_year + about
        if score > best_score:
            best, best_score = j, score
    if best is None:
        return None
    return Link(i, c, None, "unresolved", ["number"], closest=best)


def label(batch: Any, j: int) -> str:
    """How a message names a document of the batch: "Kế hoạch 70/KH-UBND ngày 25/4/2025 (huyen.txt)"."""
    ident = batch.profiles[j]["identity"]
    parts = []
    if ident.get("number"):
        parts.append(f"{(ident.get('doc_type') or '').capitalize()} {ident['number']}".strip())
    if ident.get("issue_date"):
        y, m, d = ident["issue_date"].split("-")
        parts.append(f"{int(d)}/{int(m)}/{y}")
    if ident.get("issuer"):
        parts.append(ident["issuer"])
    return ", ".join(parts) + f" ({Path(batch.paths[j]).name})"
