"""Agencies and who is made responsible for what.

A plan hands out work in two places: the "Tổ chức thực hiện" section (one entry per
agency: "1. Phòng Lao động - Thương binh và Xã hội: …") and, inside each project's
section, a "Phân công thực hiện" / "Đơn vị thực hiện" paragraph. An agency *leads*
when the text says it does ("chủ trì", "trực tiếp phụ trách", "chịu trách nhiệm",
"cơ quan thường trực"), *supports* when it "phối hợp". Agency names are written in
many ways ("Phòng LĐ-TB&XH", "Sở LĐ-TBXH"); ``canonical`` expands the abbreviations of
rules/facts/agencies.yaml and matches fuzzily, so the same office is recognised
however it is written.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..model import Document, Span
from ..yamlio import load_yaml
from .programs import FACTS_DIR, norm_name

# ------------------------------------------------------------------ facts


@dataclass(frozen=True)
class AgencyFact:
    id: str
    names: tuple[str, ...]
    simple: tuple[str, ...]
    pattern: Any  # compiled regex or None
    valid_from: _dt.date | None
    valid_to: _dt.date | None
    uncertain: tuple[_dt.date, _dt.date] | None
    successor: dict[str, str] | None
    status: str
    note: str | None = None
    # successors by the task's field: ((regex, {vi, en, from, to}), …), first match wins
    by_field: tuple[tuple[Any, dict[str, str]], ...] = ()
    # successor for a date on or after 01/07/2025 (two-level local government), if different
    two_level: dict[str, str] | None = None

    def successor_for(self, context: str, date: _dt.date | None) -> tuple[dict[str, str] | None, bool]:
        """(successor, named by the task's field): the field's successor when the task's
        words say which ("đào tạo nghề" -> Sở Giáo dục và Đào tạo), else the general one."""
        for rx, succ in self.by_field:
            lo, hi = succ.get("from"), succ.get("to")
            if (lo and (date is None or date < lo)) or (hi and (date is None or date > hi)):
                continue  # this successor held only in another span of dates
            if rx.search(context):
                return succ, True
        if self.two_level and date is not None and date >= two_level_from():
            return self.two_level, False
        return self.successor, False

    @property
    def display(self) -> str:
        return self.names[0] if self.names else self.id


def two_level_from() -> _dt.date:
    """The first day of the two-level local government (agencies.yaml `two_level_from`)."""
    return load_facts()["two_level_from"]


def _d(v: Any) -> _dt.date | None:
    if v is None or isinstance(v, _dt.date):
        return v
    return _dt.date.fromisoformat(str(v))


_VA = regex.compile(r"(?<!\p{L})và(?!\p{L})", regex.V1)
_REQUEST = regex.compile(r"^(?:Đề\s+nghị|Giao|Yêu\s+cầu)\s+")
_ITEM_MARK = regex.compile(r"^[\s\-–+*•]*(?:\d+\.|[a-zđ][.)])?\s*")


@functools.lru_cache(maxsize=2)
def load_facts(path: str | None = None) -> dict[str, Any]:
    p = Path(path) if path else FACTS_DIR / "agencies.yaml"
    data = load_yaml(p)
    abbr = sorted((data.get("abbreviations") or {}).items(), key=lambda kv: -len(kv[0]))
    abbr_re = [
        (regex.compile(r"(?<![\p{L}\d])" + regex.escape(k).replace(r"\ ", r"\s*") + r"(?![\p{L}\d])", regex.I), v)
        for k, v in abbr
    ]
    facts = []
    for a in data["agencies"]:
        unc = a.get("uncertain")
        names = tuple(a.get("names") or ())
        facts.append(
            AgencyFact(
                id=a["id"],
                names=names,
                simple=tuple(simplify(n, abbr_re) for n in names),
                pattern=regex.compile(a["pattern"], regex.I | regex.V1) if a.get("pattern") else None,
                valid_from=_d(a.get("valid_from")),
                valid_to=_d(a.get("valid_to")),
                uncertain=(_d(unc[0]), _d(unc[1])) if unc else None,
                successor=a.get("successor"),
                status=a.get("status", "verified"),
                note=a.get("note"),
                by_field=tuple(
                    (
                        regex.compile(f["field"], regex.I | regex.V1),
                        {"vi": f["vi"], "en": f["en"], "from": _d(f.get("from")), "to": _d(f.get("to"))},
                    )
                    for f in a.get("by_field") or ()
                ),
                two_level=a.get("two_level"),
            )
        )
    return {
        "abbr": abbr_re,
        "facts": tuple(facts),
        "threshold": float(data.get("match_threshold", 90)),
        "two_level_from": _d(data["two_level_from"]),
    }


def simplify(name: str, abbr: list | None = None) -> str:
    """Abbreviations expanded, lower case, no punctuation and no "và": a comparable key."""
    abbr = abbr if abbr is not None else load_facts()["abbr"]
    s = name
    for rx, full in abbr:
        s = rx.sub(full, s)
    s = norm_name(s)
    s = _VA.sub(" ", s)
    return " ".join(s.split())


# what may follow an office's name: the place it serves ("Phòng LĐTBXH huyện Krông Nô")
_PLACE_REST = regex.compile(r"(?:cấp\s+)?(?:huyện|thành phố|tỉnh|thị xã|quận|xã|phường|thị trấn|tp)\b")


@functools.lru_cache(maxsize=4096)
def canonical(name: str) -> AgencyFact | None:
    """The agencies.yaml entry a written agency name refers to, if any."""
    from rapidfuzz import fuzz

    f = load_facts()
    s = simplify(name, f["abbr"])
    head = s.split(" ", 1)[0] if s else ""
    for fact in f["facts"]:
        if fact.pattern is not None:
            if fact.pattern.match(name.strip()):
                return fact
            continue
        for n in fact.simple:
            if n.split(" ", 1)[0] != head:
                continue  # "Sở …" is never "Bộ …", "Cán bộ …" is a person
            if (
                s == n
                or (s.startswith(n + " ") and _PLACE_REST.match(s[len(n) + 1 :]))
                or fuzz.ratio(s, n) >= f["threshold"]
            ):
                return fact
    return None


_PLACE_TAIL = regex.compile(
    r"\s+(?i:(?:cấp\s+)?(?:xã|huyện|tỉnh|thành\s+phố|thị\s+xã|quận|phường|thị\s+trấn))(?:\s+\p{Lu}\p{Ll}*){0,3}$",
    regex.V1,
)


def agency_key(name: str) -> str:
    """One key per office however written: its agencies.yaml id, else its simplified
    name without the place ("Phòng Y tế huyện" = "Phòng Y tế")."""
    fact = canonical(name)
    if fact is not None:
        return fact.id
    return simplify(_PLACE_TAIL.sub("", name))


# ------------------------------------------------------------------ finding agencies in text

_HEAD = (
    r"(?:[Pp]hòng|[Ss]ở|Bộ|[Tt]rung\s+tâm|[Tt]rạm|Chi\s+[Cc]ục|Cục|[Vv]ăn\s+phòng|[Nn]gân\s+hàng|[Bb]ảo\s+hiểm\s+[Xx]ã\s+hội|"
    r"Công\s+an|Hội|Đoàn|[Cc]án\s+bộ|[Cc]ông\s+chức|Kế\s+toán|[Bb]an(?!\s+(?:hành|đầu))|Bưu\s+điện|Đài|Điểm|"
    r"(?:Ủy|Uỷ|ủy|uỷ)\s+ban(?!\s+nhân\s+dân)|Chi\s+nhánh)"
)
_UB = r"(?:(?:Ủy|Uỷ|ủy|uỷ)\s+ban\s+nhân\s+dân|UBND|Hội\s+đồng\s+nhân\s+dân|HĐND|Ban\s+nhân\s+dân)"
_STOPWORDS = (
    "chủ trì|phối hợp|tham mưu|thực hiện|triển khai|tổ chức|hướng dẫn|tổng hợp|chịu|có|căn cứ|chỉ đạo|theo dõi|"
    "kiểm tra|giám sát|xây dựng|trực tiếp|đôn đốc|cập nhật|rà soát|báo cáo|chủ động|được|phụ trách|là|với|để|trong|"
    "theo|về|qua|của|tại|cho|nhằm|đảm bảo|bảo đảm|tăng cường|đẩy mạnh|tiếp tục|quản lý|các|những|cùng|gửi|lập|"
    "đề xuất|vận động|tuyên truyền|làm|thường xuyên|nghiên cứu|hỗ trợ|phổ biến|đề nghị|trình|quyết định|"
    "ban hành|bố trí|cân đối|thẩm định|phê duyệt|sử dụng|nắm|giải quyết|thống kê|điều tra|phát động|lồng ghép|"
    "tích cực|kịp thời|định kỳ|hằng|hàng|trước|sau|khi|nếu|đến|từ|vào|bằng|nên|mà|thì|do|như|hoặc|hay"
)
_STOP1 = frozenset(w for w in _STOPWORDS.split("|") if " " not in w)
_STOP2 = frozenset(w for w in _STOPWORDS.split("|") if " " in w)
AGENCY_HEAD = regex.compile(rf"(?<![\p{{L}}])(?P<head>Ban\s+[Cc]hỉ\s+đạo|{_HEAD})(?![\p{{L}}])", regex.V1)
_NEXT = regex.compile(r"(?P<sep>\s*,\s*|\s*[-–&]\s*|[ \t]+)(?P<w>[\p{L}\d][\p{L}\d&]*(?:\.[\p{L}\d&]+)*)", regex.V1)
_COMMA_OK = frozenset({"Khoa", "Hạ"})  # "Phòng Văn hóa, Khoa học và Thông tin"; "Kinh tế, Hạ tầng và Đô thị"
_HEAD_WORDS = frozenset(
    {"Phòng", "Sở", "Bộ", "Ban", "Trung", "Trạm", "UBND", "Ủy", "Uỷ", "Cán", "Công", "Ngân", "Hội", "Đoàn"}
)
_UB_LEVEL = (
    r"(?:các\s+)?(?:xã|phường|thị\s+trấn|huyện|quận|thị\s+xã|thành\s+phố|tỉnh|thôn|xóm|ấp|khóm|bản|đặc\s+khu|TP\.?|"
    r"Tỉnh|Huyện|Xã|Thành\s+phố|Thị\s+xã|Quận|Phường|Thị\s+trấn)(?:\s*,\s*(?:xã|phường|thị\s+trấn|thị\s+xã))*"
)
AGENCY_UB = regex.compile(
    rf"{_UB}(?:\s+{_UB_LEVEL}(?:\s+(?!(?:{_STOPWORDS})\b)[\p{{Lu}}][\p{{L}}]*(?:\s+[\p{{Lu}}][\p{{L}}]*){{0,3}})?)?",
    regex.V1,
)
_TRAIL = regex.compile(r"(?:\s+và|\s*[,&\-–])+$")


@dataclass(frozen=True)
class AgencyMention:
    span: Span
    name: str


def _name_end(text: str, pos: int, strict_first: bool) -> int:
    """End of an agency name whose head ends at ``pos``: words up to a verb, a
    preposition, punctuation, or another agency."""
    end = pos
    n = 0
    m = _NEXT.match(text, pos)
    while m is not None and n < 12:
        sep, w = m.group("sep"), m.group("w")
        low = w.lower()
        nxt = _NEXT.match(text, m.end())
        w2 = f"{low} {nxt.group('w').lower()}" if nxt is not None and not nxt.group("sep").strip() else None
        if n == 0 and strict_first and not (w[0].isupper() or w[0].isdigit()):
            return pos
        if "," in sep and w not in _COMMA_OK:
            break
        if w[0].islower() and (low in _STOP1 or (w2 is not None and w2 in _STOP2)):
            break
        if low == "và" and (nxt is None or not nxt.group("w")[0].isupper() or nxt.group("w") in _HEAD_WORDS):
            break
        end = m.end()
        n += 1
        m = nxt
    return end


def find_agencies(text: str, offset: int = 0) -> list[AgencyMention]:
    """Agency names in a piece of text (offsets shifted by ``offset``), left to right."""
    found: list[tuple[int, int]] = [(m.start(), m.end()) for m in AGENCY_UB.finditer(text)]
    for m in AGENCY_HEAD.finditer(text):
        if any(a <= m.start() < z for a, z in found):
            continue
        ban_cd = m.group("head").lower().startswith("ban chỉ đạo")
        # "các phòng, ban", "cán bộ làm công tác…": a common noun, not a name
        end = _name_end(text, m.end(), strict_first=not ban_cd)
        if end == m.end() and not ban_cd:
            continue
        found.append((m.start(), end))
    out = []
    for a, z in sorted(found):
        name = _TRAIL.sub("", text[a:z].rstrip())
        if len(name) < 5:
            continue
        out.append(AgencyMention(Span(offset + a, offset + a + len(name)), name))
    return out


def block_agencies(doc: Document, b) -> list[AgencyMention]:
    """Agencies of one block, found once per document (several rules ask)."""
    cache = doc.derived("pc5.block_agencies", lambda d: {})
    got = cache.get(b.index)
    if got is None:
        got = cache[b.index] = find_agencies(doc.block_text(b), b.span.start)
    return got


# ------------------------------------------------------------------ assignments

LEAD_AFTER = regex.compile(
    r"\s*,?\s*(?:là\s+(?:cơ\s+quan|đơn\s+vị)\s+)?(?P<w>chủ\s+trì|trực\s+tiếp\s+phụ\s+trách|trực\s+tiếp\s+quản\s+lý|"
    r"chịu\s+trách\s+nhiệm|(?:là\s+)?cơ\s+quan\s+thường\s+trực)",
    regex.I | regex.V1,
)
LEAD_START = regex.compile(
    r"^[\s\-–+*•]*(?:Là\s+)?(?P<w>Chủ\s+trì|Trực\s+tiếp\s+(?:phụ\s+trách|quản\s+lý|chỉ\s+đạo)|Chịu\s+trách\s+nhiệm|"
    r"[Cc]ơ\s+quan\s+[Tt]hường\s+trực)",
    regex.V1,
)
SUPPORT_BEFORE = regex.compile(r"phối\s+hợp\s+(?:chặt\s+chẽ\s+)?(?:với\s+|cùng\s+)?$", regex.I)
LABEL = regex.compile(
    r"(?:^[\s\-–+*•]*(?:[a-zđ]\s*[.)]\s*)?|(?<=[.;]\s{1,3}))(?P<label>Phân\s+công\s+(?:thực\s+hiện|nhiệm\s+vụ|trách\s+nhiệm)|"
    r"Đơn\s+vị\s+(?:thực\s+hiện|chủ\s+trì|phụ\s+trách)|Cơ\s+quan\s+(?:chủ\s+trì|thực\s+hiện|phụ\s+trách)|"
    r"Trách\s+nhiệm\s+thực\s+hiện|Tổ\s+chức\s+thực\s+hiện)\s*:?",
    regex.I | regex.V1,
)
REPORT = regex.compile(
    r"(?i)(?<!Căn\s+cứ\s+)(?<![\p{L}])báo\s+cáo(?!\s+số)(?=\s+(?:kết\s+quả|định\s+kỳ|đột\s+xuất|tình\s+hình|về|cho|gửi|"
    r"UBND|Ủy\s+ban|Sở|Phòng|Ban|Bộ|tiến\s+độ|sơ\s+kết|tổng\s+kết|theo|năm|hằng|hàng|quý|tháng|06|6)|\s*[:,.;)]|$)"
    r"|chế\s+độ\s+(?:thông\s+tin,?\s+)?báo\s+cáo|(?:tổng\s+hợp|gửi|thông\s+tin)\s*,?\s*báo\s+cáo",
    regex.V1,
)
_ROLE_CUE = regex.compile(r"(?i)chủ\s+trì|trực\s+tiếp|trách\s+nhiệm|thường\s+trực|phối\s+hợp")
# a collective of lower-level bodies ("UBND các xã, thị trấn") implements in each locality:
# several of them leading their part is not two leads of one project (PC502)
LOWER_LEVEL = regex.compile(
    r"^(?:(?:Ủy|Uỷ|ủy|uỷ)\s+ban\s+nhân\s+dân|UBND|Ban\s+nhân\s+dân)\s+(?:các\s+)?(?:xã|phường|thị\s+trấn|thôn|xóm|ấp|khóm|bản)"
    r"|^các\s|\bcác\s+(?:xã|phường|thôn|xóm|huyện|đơn\s+vị|địa\s+phương)\b",
    regex.I | regex.V1,
)


# an entry heading that carries its own task ("3. Sở Tài chính chủ trì, phối hợp …")
_TASK_WORDS = regex.compile(
    r":\s*\S|\b(?:chủ\s+trì|phối\s+hợp|thực\s+hiện|triển\s+khai|tham\s+mưu|tổ\s+chức|chịu\s+trách\s+nhiệm|"
    r"có\s+trách\s+nhiệm|hướng\s+dẫn|căn\s+cứ|xây\s+dựng|kiện\s+toàn|tăng\s+cường|bố\s+trí|theo\s+dõi|báo\s+cáo|"
    r"phản\s+ánh|phản\s+hồi|tuyên\s+truyền)\b",
    regex.I | regex.V1,
)


@dataclass(frozen=True)
class Assignment:
    agency: str
    span: Span  # where the agency is named
    role: str  # lead | support | assigned
    items: tuple[str, ...]  # catalog items this assignment is about
    where: str  # tcth | section | table
    block: int
    cue: str | None = None  # the words that make it a lead ("chủ trì"…)


@dataclass(frozen=True)
class Entry:
    """One agency entry of Tổ chức thực hiện."""

    heading: int  # outline index
    agency: str
    span: Span  # the agency words in the heading
    has_task: bool


@dataclass
class Assignments:
    tcth: list[int] = field(default_factory=list)  # outline indices of Tổ chức thực hiện headings
    tcth_spans: list[Span] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    items: list[Assignment] = field(default_factory=list)
    labels: dict[str, list[int]] = field(default_factory=dict)  # item -> blocks with a Phân công label
    agencies_in_tcth: int = 0
    reports: list[Span] = field(default_factory=list)

    def leads(self, item: str, strict: bool = False) -> list[Assignment]:
        roles = ("lead",) if strict else ("lead", "assigned")
        return [a for a in self.items if item in a.items and a.role in roles]


@functools.lru_cache(maxsize=1)
def _organization_patterns() -> list[Any]:
    data = load_yaml(FACTS_DIR / "sections.yaml")
    for s in data["sections"]:
        if s["key"] == "organization":
            return [regex.compile(r"\b" + p + r"\b", regex.I) for p in s["synonyms"]]
    return [regex.compile(r"tổ\s+chức\s+thực\s+hiện", regex.I)]


def tcth_headings(doc: Document) -> list[int]:
    pats = _organization_patterns()
    hs = doc.outline.headings
    tops = [i for i, h in enumerate(hs) if h.parent is None and h.is_heading]
    found = [i for i in tops if any(p.search(hs[i].title) for p in pats)]
    if not found:
        found = [i for i, h in enumerate(hs) if h.is_heading and h.level <= 2 and any(p.search(h.title) for p in pats)]
    return found[:2]


def _entry_agency(title: str) -> str:
    t = _REQUEST.sub("", title.split(":")[0]).strip(" .*")
    return t


def _block_agency(doc: Document, b, default: tuple[str, Span] | None) -> tuple[str, Span] | None:
    """An agency that opens the block ("- Phòng LĐTBXH: …"), else the entry's agency."""
    t = doc.block_text(b)
    m = _ITEM_MARK.match(t)
    off = m.end() if m else 0
    ags = [a for a in block_agencies(doc, b) if a.span.start >= b.span.start + off]
    if ags and ags[0].span.start == b.span.start + off:
        after = t[ags[0].span.end - b.span.start : ags[0].span.end - b.span.start + 3]
        if after.startswith(":") or LEAD_AFTER.match(t, ags[0].span.end - b.span.start):
            return ags[0].name, ags[0].span
    return default


def _roles_in(
    doc: Document, b, text: str, base: int, items: tuple[str, ...], where: str, out: list[Assignment]
) -> None:
    """Explicit "<agency> chủ trì" and "phối hợp với <agency>" inside a block."""
    for ag in block_agencies(doc, b):
        rel_end = ag.span.end - base
        rel_start = ag.span.start - base
        lm = LEAD_AFTER.match(text, rel_end)
        if lm:
            out.append(Assignment(ag.name, ag.span, "lead", items, where, b.index, lm.group("w")))
            continue
        if SUPPORT_BEFORE.search(text[max(0, rel_start - 30) : rel_start]):
            out.append(Assignment(ag.name, ag.span, "support", items, where, b.index))


def build(doc: Document, an) -> Assignments:
    """Assignments of a document given its project analysis (``projects.Analysis``)."""
    res = Assignments()
    hs = doc.outline.headings
    end_doc = len(doc.text)
    res.tcth = tcth_headings(doc)
    res.tcth_spans = [Span(hs[i].span.start, doc.outline.section_end(i, end_doc)) for i in res.tcth]
    mentions = [m for m in an.mentions if m.item is not None and m.excluded is None]
    # --- Tổ chức thực hiện
    for ti, tsp in zip(res.tcth, res.tcth_spans, strict=True):
        base_level = hs[ti].level
        entry_idx = [i for i, h in enumerate(hs) if tsp.start < h.span.start < tsp.end and h.parent == ti]
        for i in entry_idx:
            h = hs[i]
            ag = _entry_agency(h.title)
            sec_end = doc.outline.section_end(i, end_doc)
            body = doc.text[h.span.end : sec_end].strip()
            has_task = bool(body) or len(h.title) > 100 or bool(_TASK_WORDS.search(h.title))
            a0 = (
                h.marker_span.end + doc.slice(Span(h.marker_span.end, h.span.end)).find(ag[:10]) if ag else h.span.start
            )
            res.entries.append(Entry(i, ag, Span(max(a0, h.span.start), max(a0, h.span.start) + len(ag)), has_task))
        for b in doc.blocks:
            if not (tsp.start <= b.span.start < tsp.end) or b.kind != "paragraph":
                continue
            if b.span.start == hs[ti].span.start:
                continue
            t = doc.block_text(b)
            if not res.agencies_in_tcth:  # PC503 only asks whether there is any
                res.agencies_in_tcth += len(block_agencies(doc, b))
            items = tuple(dict.fromkeys(m.item for m in mentions if b.span.start <= m.span.start < b.span.end))
            if not items:
                continue
            entry = None
            for e in res.entries:
                h = hs[e.heading]
                if (
                    h.span.start <= b.span.start < doc.outline.section_end(e.heading, end_doc)
                    and hs[e.heading].level > base_level
                ):
                    entry = e
            default = (entry.agency, entry.span) if entry else None
            owner = _block_agency(doc, b, default)
            if owner and items:
                cue = LEAD_START.match(t) or LEAD_AFTER.search(t)
                role = "lead" if cue else "assigned"
                res.items.append(
                    Assignment(owner[0], owner[1], role, items, "tcth", b.index, cue.group("w") if cue else None)
                )
            if items:
                _roles_in(doc, b, t, b.span.start, items, "tcth", res.items)
    # --- tables ("Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp"): the row of a project
    for m in mentions:
        if m.kind != "cell":
            continue
        b = doc.blocks[m.block]
        if b.table is None or b.row is None or b.table >= len(doc.tables):
            continue
        tab = doc.tables[b.table]
        row = tab.rows[b.row]
        header = tab.rows[0] if b.row > 0 else ()
        for ci, bi in enumerate(row):
            if bi == b.index:
                continue
            ags = block_agencies(doc, doc.blocks[bi])
            if not ags:
                continue
            htxt = doc.block_text(doc.blocks[header[ci]]).lower() if ci < len(header) else ""
            role = "lead" if "chủ trì" in htxt else "support" if "phối hợp" in htxt else "assigned"
            for a in ags if role == "support" else ags[:1]:
                cue = "chủ trì" if role == "lead" else None
                res.items.append(Assignment(a.name, a.span, role, (m.item,), "table", bi, cue))
    # --- each project's own section
    heads = [m for m in mentions if m.kind in ("heading", "list") and m.section is not None]
    for b in doc.blocks:
        if b.kind != "paragraph" or b.region != "body":
            continue
        if any(sp.start <= b.span.start < sp.end for sp in res.tcth_spans):
            continue
        owners = [m for m in heads if m.section.start <= b.span.start < m.section.end]
        if not owners:
            continue
        inner = max(owners, key=lambda m: m.section.start)
        items = tuple(dict.fromkeys(m.item for m in owners if m.section.start == inner.section.start))
        t = doc.block_text(b)
        lm = LABEL.search(t)
        if lm:
            for it in items:
                res.labels.setdefault(it, []).append(b.index)
            ags = [a for a in block_agencies(doc, b) if a.span.start >= b.span.start + lm.end()]
            if not ags:
                # the agencies are on the next lines ("Phân công thực hiện" then "- Phòng …")
                for nb in doc.blocks[b.index + 1 : b.index + 4]:
                    if nb.span.start >= inner.section.end:
                        break
                    ags = block_agencies(doc, nb)
                    if ags:
                        break
            if ags:
                a = ags[0]
                tail = doc.text[a.span.end : a.span.end + 40]
                lead = LEAD_AFTER.match(tail)
                res.items.append(
                    Assignment(
                        a.name,
                        a.span,
                        "lead" if lead else "assigned",
                        items,
                        "section",
                        b.index,
                        lead.group("w") if lead else lm.group("label"),
                    )
                )
        if _ROLE_CUE.search(t):
            _roles_in(doc, b, t, b.span.start, items, "section", res.items)
    # --- reporting duties (PC504)
    for b in doc.blocks:
        if b.kind == "paragraph" and b.region in ("body", "closing"):
            t = doc.block_text(b)
            if "áo c" in t:
                for m in REPORT.finditer(t):
                    res.reports.append(Span(b.span.start + m.start(), b.span.start + m.end()))
                    break
    return res


def assignments(doc: Document) -> Assignments:
    from .projects import analysis

    return doc.derived("pc5.assignments", lambda d: build(d, analysis(d)))


def lead_of(asg: Assignments, item_id: str, parent: str | None = None) -> str | None:
    """The agency that leads an item: an explicit lead before a merely assigned one, an
    office before a collective of lower-level bodies, the item's own section before
    Tổ chức thực hiện; a sub-project inherits its project's lead."""
    for key in (item_id, parent):
        if key is None:
            continue
        cands = [a for a in asg.items if key in a.items and a.role in ("lead", "assigned")]
        if cands:
            best = min(
                cands,
                key=lambda a: (
                    a.role != "lead",
                    bool(LOWER_LEVEL.search(a.agency)),
                    a.where != "section",
                    a.span.start,
                ),
            )
            return best.agency
    return None


def assignments_json(doc: Document) -> dict[str, Any]:
    asg = assignments(doc)
    hs = doc.outline.headings

    def loc(sp: Span) -> dict[str, Any]:
        lc = doc.locate(sp)
        return {k: v for k, v in (("line", lc.line), ("page", lc.page), ("paragraph", lc.paragraph)) if v is not None}

    return {
        "organization_sections": [hs[i].title for i in asg.tcth],
        "entries": [
            {
                "agency": e.agency,
                "known_as": (canonical(e.agency).display if canonical(e.agency) else None),
                "has_task": e.has_task,
                **loc(e.span),
            }
            for e in asg.entries
        ],
        "assignments": [
            {"agency": a.agency, "role": a.role, "items": list(a.items), "where": a.where, "cue": a.cue, **loc(a.span)}
            for a in asg.items
        ],
        "reporting": [doc.slice(s) for s in asg.reports[:5]],
    }
