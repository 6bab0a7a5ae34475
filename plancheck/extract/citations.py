"""Citations of documents: type word, number, year, ký hiệu, date, issuer, with spans.

Anchored on the number–ký hiệu ("04/2022/TT-BNNPTNT", "90/QĐ-TTg", "19-NQ/TW"), the one
part every citation has; the type word before it, the date after "ngày" and the issuer
after "của" are attached when they are there. A run sharing one type word ("các Thông
tư: số 09/2022/TT-BLĐTBXH ngày …; số 10/2022/TT-BLĐTBXH ngày …") gives one citation per
number, each inheriting the type word. A ký hiệu written with stray spaces or without
its hyphen ("33/2015/QĐ- TTg") is still parsed, and the defect recorded (PC208).

The plan's own number in its header is not a citation. Memoised per document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Document, Span
from .dates import DateMention, dates_by_start, extract_dates
from .registry import abbreviations, doc_key, norm_kyhieu, registry

# Patterns used inside functions, compiled once (a module-level regex call looks its
# pattern up in regex's cache on every call).
_QH_TERM = regex.compile(r"^(QH|UBTVQH)\d+$")
_SPACED_DASH = regex.compile(r"[ ][-–]|[-–][ ]")
_KH_SPLIT = regex.compile(r"[ ]?[-–][ ]?|[ ]")
_LETTER_SPACE_LETTER = regex.compile(r"\p{L}[ ]\p{L}")
_DASH = regex.compile(r"[ ]?[-–][ ]?")


@functools.lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    ab = abbreviations()
    types = ab["types"]
    issuers = ab["issuers"]
    abbr_to_word: dict[str, str] = {}
    for t in types:
        for a in t.get("abbr") or ():
            abbr_to_word.setdefault(a.upper(), t["word"])
    words = sorted({t["word"] for t in types}, key=len, reverse=True)
    type_abbrs = sorted({a for t in types for a in (t.get("abbr") or ())}, key=len, reverse=True)
    issuer_abbrs = sorted({i["abbr"] for i in issuers}, key=len, reverse=True)
    # all capitals, except the few mixed-case groups (TTg, CTr, TTr, QĐi, QyĐ)
    group = r"(?:QyĐ|[\p{Lu}][\p{Lu}\d&]*(?:(?<=TT)g|(?<=CT|TT)r|(?<=QĐ)i)?)"
    known_issuer = r"(?:" + "|".join(regex.escape(a) for a in issuer_abbrs) + r")"
    sep = rf"(?:[ ]?[-–][ ]?|[ ](?={known_issuer}(?![\p{{L}}])))"
    number = regex.compile(
        rf"""
        (?<![\p{{L}}\d/.,\-])
        (?:
          (?P<n>\d{{1,5}}[a-z]?)(?P<s1>[ ]*)/(?P<s2>[ ]*)
          (?:(?P<yr>(?:19|20)\d{{2}})(?P<s3>[ ]*)/(?P<s4>[ ]*))?
          (?P<kh>{group}(?:{sep}{group}){{0,4}})
        | (?P<pn>\d{{1,4}})(?P<ps>[ ]?-[ ]?)(?P<pkh>[\p{{Lu}}]{{1,4}}i?/[\p{{Lu}}]{{1,5}})
        )
        (?![\p{{L}}\d])
        """,
        regex.V1 | regex.VERBOSE,
    )
    type_before = regex.compile(
        r"(?P<tw>" + "|".join(regex.escape(w) for w in words) + r")[ *:]*(?:(?:số|SỐ|Số)[ *]*:?[ *]*)?$",
        regex.V1 | regex.IGNORECASE,
    )
    glued = regex.compile(
        r"^(?P<t>"
        + "|".join(regex.escape(a.upper()) for a in type_abbrs)
        + r")(?P<i>"
        + "|".join(regex.escape(a.upper()) for a in issuer_abbrs)
        + r")$",
        regex.V1,
    )
    return {
        "number": number,
        "type_before": type_before,
        "abbr_to_word": abbr_to_word,
        "words": {w.lower(): w for w in words},
        "glued": glued,
        "types": {t["word"]: t for t in types},
        "issuers": issuers,
    }


_LIST_BEFORE = regex.compile(r"(?:[;,:]|\bvà|\bcác)[ *]*(?:số|Số)[ *]*:?[ *]*$", regex.V1)
_DATE_AFTER = regex.compile(r"[ ,*]*\(?[ *]*(?:được[ ]+)?(?:ban[ ]+hành[ ]+)?(?P<ngay>ngày)[ *]*", regex.V1 | regex.I)
_ISSUER_AFTER = regex.compile(
    r"[ ,*]*(?:của|do)[ ]+(?P<iss>[^;,.()\n:“\"”]{2,120}?)"
    r"(?=[ ]+(?:về|v/v|V/v|phê\s+duyệt|ban\s+hành|hướng\s+dẫn|quy\s+định|triển\s+khai|thực\s+hiện|sửa\s+đổi|"
    r"bổ\s+sung|giao|đẩy\s+mạnh|tiếp\s+tục|kiện\s+toàn|tổ\s+chức|thông\s+qua|đã|được|năm|ngày|việc|trong|tại|"
    r"nhằm|để|và\s+(?:[Đđ]iều|khoản|điểm|các|Nghị|Quyết|Thông|Kế|Chỉ|Luật)|cho|theo|với)\b|[ ]*[;,.():\n“\"”]|$)",
    regex.V1,
)
_TITLE_HOLDER = regex.compile(
    r"^(?:Bộ\s+trưởng|Thống\s+đốc|Chủ\s+nhiệm|Tổng\s+Kiểm\s+toán)\s+(?=\S)", regex.V1 | regex.I
)
_BASIS_LEAD = regex.compile(
    r"^[\s*\-–+•]*(?:Căn\s+cứ|Thực\s+hiện|Theo|Triển\s+khai|Trên\s+cơ\s+sở|Để\s+(?:triển\s+khai|thực\s+hiện|cụ\s+thể\s+hóa)|"
    r"Nhằm\s+(?:triển\s+khai|thực\s+hiện)|Thi\s+hành|Tiếp\s+tục\s+(?:triển\s+khai|thực\s+hiện)|Quán\s+triệt)\b",
    regex.V1 | regex.I,
)
_CLAUSE_END = regex.compile(r";|\.(?=\s|$)|\n")
#: characters a citation's clause (its trích yếu) may run past the citation
MAX_CLAUSE = 1000


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited document.

    ``key`` is canonical ("4/2022/TT-BNNPTNT") so two writings of one number compare
    equal. ``type_source``: word (written before the number) | list (inherited from
    the run it belongs to) | kyhieu (inferred from the ký hiệu) | None. ``malformed``
    lists what is wrong with how the ký hiệu is written (space, hyphen). ``basis``:
    the citation sits in the plan's opening "Căn cứ / Thực hiện …" paragraphs or title.
    ``tail_end`` is where the citation's clause (its trích yếu) ends.
    """

    span: Span
    number_span: Span
    number: str
    year: int | None
    kyhieu: str
    key: str
    type_word: str | None
    type_source: str | None
    type_span: Span | None
    date: DateMention | None
    issuer_text: str | None
    issuer_span: Span | None
    malformed: tuple[str, ...]
    block: int | None
    basis: bool
    tail_end: int
    party: bool = False

    @property
    def type_abbr(self) -> str | None:
        """The ký hiệu's type group ("TT" of "TT-BNNPTNT"), None for a Công văn style."""
        if self.party:
            return self.kyhieu.split("/")[0]
        parts = self.kyhieu.split("-")
        return parts[0] if len(parts) > 1 else None

    @property
    def issuer_abbr(self) -> str:
        """The ký hiệu's issuer group: the last one ("TTg"), "QH" for "QH15"."""
        last = self.kyhieu.split("/")[-1] if self.party else self.kyhieu.split("-")[-1]
        m = _QH_TERM.match(last)
        return m.group(1) if m else last

    @property
    def label(self) -> str:
        """How a message names it: "Thông tư 04/2022/TT-BNNPTNT"."""
        num = (
            f"{self.number}/{self.year}/{self.kyhieu}"
            if self.year
            else (f"{self.number}-{self.kyhieu}" if self.party else f"{self.number}/{self.kyhieu}")
        )
        return f"{self.type_word} {num}" if self.type_word else num

    @property
    def written(self) -> str:
        if self.party:  # "132-KL/TW"
            return f"{self.number}-{self.kyhieu}"
        return f"{self.number}/{self.year}/{self.kyhieu}" if self.year else f"{self.number}/{self.kyhieu}"


def extract_citations(doc: Document) -> tuple[Citation, ...]:
    """All citations in document order (memoised per document)."""
    return doc.derived("citations", _extract)


def _first_heading_block(doc: Document) -> int:
    for h in doc.outline.headings:
        if h.is_heading and h.parent is None:
            return h.block
    return len(doc.blocks)


def _extract(doc: Document) -> tuple[Citation, ...]:
    tb = _tables()
    text = doc.text
    by_start = dates_by_start(doc)
    extract_dates(doc)
    first_heading = _first_heading_block(doc)
    out: list[Citation] = []
    for b in doc.blocks:
        if b.region == "header":
            continue  # the plan's own number–ký hiệu and date
        bstart, bend = b.span.start, b.span.end
        btext = text[bstart:bend]
        basis = b.region == "title" or (
            b.index < first_heading and b.region in ("body", "preamble") and bool(_BASIS_LEAD.match(btext))
        )
        prev: Citation | None = None
        for m in tb["number"].finditer(text, bstart, bend):
            c = _citation(doc, m, b, basis, prev, by_start, tb)
            if c is not None:
                out.append(c)
                prev = c
    return tuple(out)


def _citation(doc, m, b, basis, prev, by_start, tb) -> Citation | None:
    text = doc.text
    bstart, bend = b.span.start, b.span.end
    party = m.group("pn") is not None
    malformed: list[str] = []
    if party:
        number, year, kh_raw = m.group("pn"), None, m.group("pkh")
        kyhieu = kh_raw
        if m.group("ps") != "-":  # "132- KL/TW", "57 -NQ/TW"
            malformed.append("space")
    else:
        number, kh_raw = m.group("n"), m.group("kh")
        year = int(m.group("yr")) if m.group("yr") else None
        if any(m.group(g) for g in ("s1", "s2", "s3", "s4")) or _SPACED_DASH.search(kh_raw):
            malformed.append("space")
        groups = _KH_SPLIT.split(kh_raw)
        if _LETTER_SPACE_LETTER.search(_DASH.sub("-", kh_raw)):
            malformed.append("hyphen")
        elif len(groups) == 1:
            g = tb["glued"].match(groups[0].upper())
            if g:
                malformed.append("hyphen")
                groups = [groups[0][: len(g.group("t"))], groups[0][len(g.group("t")) :]]
            else:
                cut = _overlap(groups[0], tb)
                if cut:  # "27/CTTg": the type's last letter is the issuer's first (CT-TTg)
                    malformed.append("hyphen")
                    groups = [groups[0][:cut], groups[0][cut - 1 :]]
        kyhieu = "-".join(groups)
        if len(kyhieu) < 2 or (year is None and len(groups) == 1 and not _known_single(groups[0], tb)):
            return None  # "3/A", "1/TB": too little to be a document number
    key = doc_key(number, year, kyhieu) if not party else f"{number}-{norm_kyhieu(kyhieu)}"
    # type word right before the number, or inherited from the run it belongs to
    before = text[max(bstart, m.start() - 48) : m.start()]
    tm = tb["type_before"].search(before)
    type_word = type_span = None
    type_source = None
    if tm:
        off = m.start() - len(before)
        type_word = tb["words"][tm.group("tw").lower()]
        type_span = Span(off + tm.start("tw"), off + tm.end("tw"))
        type_source = "word"
    elif prev is not None and prev.type_word and _LIST_BEFORE.search(before) and m.start() - prev.span.end < 900:
        type_word, type_source = prev.type_word, "list"
    else:
        abbr = (kyhieu.split("/")[0] if party else kyhieu.split("-")[0]).upper()
        if abbr in tb["abbr_to_word"] and ("-" in kyhieu or party):
            type_word, type_source = tb["abbr_to_word"][abbr], "kyhieu"
    # date after "ngày"
    end = m.end()
    date = None
    dm = _DATE_AFTER.match(text, end, bend)
    if dm:
        cand = by_start.get(dm.start("ngay"))
        if cand is None:
            cand = by_start.get(dm.end())
        if cand is not None and cand.kind == "full":
            date = cand
            end = cand.span.end
    # issuer after "của"
    issuer_text = issuer_span = None
    im = _ISSUER_AFTER.match(text, end, bend)
    if im:
        issuer_text = " ".join(im.group("iss").split())
        issuer_span = Span(im.start("iss"), im.end("iss"))
        end = im.end("iss")
    stop = min(bend, end + MAX_CLAUSE)  # a bounded look-ahead: linear time in a huge paragraph
    ce = _CLAUSE_END.search(text, end, stop)
    tail_end = ce.start() if ce else stop
    start = type_span.start if type_span is not None else m.start()
    return Citation(
        span=Span(start, end),
        number_span=Span(m.start(), m.end()),
        number=number,
        year=year,
        kyhieu=kyhieu,
        key=key,
        type_word=type_word,
        type_source=type_source,
        type_span=type_span,
        date=date,
        issuer_text=issuer_text,
        issuer_span=issuer_span,
        malformed=tuple(malformed),
        block=b.index,
        basis=basis,
        tail_end=tail_end,
        party=party,
    )


def _overlap(group: str, tb) -> int | None:
    """Where a glued "CTTg" splits into type "CT" and issuer "TTg" sharing one letter."""
    up = group.upper()
    issuers = {i["abbr"].upper() for i in tb["issuers"]}
    for t in tb["abbr_to_word"]:
        n = len(t)
        if 1 < n < len(up) and up.startswith(t) and up[n - 1 :] in issuers:
            return n
    return None


def _known_single(group: str, tb) -> bool:
    """A one-group ký hiệu ("123/UBND") counts only when the group is a known issuer."""
    g = group.upper()
    return any(i["abbr"].upper() == g for i in tb["issuers"])


def resolve_issuer(text: str | None) -> str | None:
    """The issuer abbreviation a "của …" text names ("Bộ Tài chính" -> "BTC"), else None."""
    if not text:
        return None
    t = _TITLE_HOLDER.sub("", text.strip()).lower()
    best = None
    best_len = 0
    for i in _tables()["issuers"]:
        for name in i["names"]:
            n = name.lower()
            if t.startswith(n) and len(n) > best_len and (len(t) == len(n) or not t[len(n)].isalpha()):
                best, best_len = i["abbr"], len(n)
    return best


def issuer_compatible(kyhieu_issuer: str, named: str) -> bool:
    """Whether the issuer a text names may issue a document with this ký hiệu issuer group."""
    if kyhieu_issuer.upper() == named.upper():
        return True
    for i in _tables()["issuers"]:
        if i["abbr"].upper() == named.upper():
            return kyhieu_issuer.upper() in {a.upper() for a in i.get("also") or ()}
    return False


def known_issuer(abbr: str) -> bool:
    return any(i["abbr"].upper() == abbr.upper() for i in _tables()["issuers"])


def type_entry(word: str | None) -> dict[str, Any] | None:
    return _tables()["types"].get(word) if word else None


def context_of(doc: Document, c: Citation) -> str:
    """The citation and its clause (for registry keywords)."""
    return doc.text[c.span.start : c.tail_end]


def resolve(doc: Document, c: Citation):
    """The registry entry a citation names, or None."""
    if c.party:
        return None
    return registry().resolve(c.key, c.date.date if c.date else None, context_of(doc, c))


def citations_json(doc: Document) -> list[dict[str, Any]]:
    """View for ``plancheck extract``: each citation, resolved to its registry entry."""
    out = []
    for c in extract_citations(doc):
        loc = doc.locate(c.span)
        item: dict[str, Any] = {
            "text": doc.slice(c.span),
            "type": c.type_word,
            "type_source": c.type_source,
            "number": c.written if not c.party else f"{c.number}-{c.kyhieu}",
            "key": c.key,
            "line": loc.line,
        }
        if loc.page is not None:
            item["page"] = loc.page
        if loc.paragraph is not None:
            item["paragraph"] = loc.paragraph
        if c.date is not None:
            item["date"] = c.date.iso if c.date.valid else c.date.show()
        if c.issuer_text:
            item["issuer"] = c.issuer_text
        if c.malformed:
            item["malformed"] = list(c.malformed)
        if c.basis:
            item["basis"] = True
        e = resolve(doc, c)
        if e is not None:
            item["registry"] = {
                "number": e.number,
                "date": e.date.isoformat() if e.date else None,
                "title": e.title,
                "status": e.status,
            }
        out.append(item)
    return out
