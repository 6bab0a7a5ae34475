"""Inject one known defect (or one look-alike that is not a defect) into a clean plan.

Each *injection kind* is a small function registered with ``@injection(...)``: it
looks at a seed plan (its .txt lines and parsed outline) and returns an ``Edit``
(line operations plus the findings that must / must not follow), or None when the
seed has nothing to edit. ``make_case`` applies the edit to the seed in one format
and writes the case file and its expectations file (format of plancheck/evaluate.py):

- .txt: the lines are edited;
- .docx: a copy of the seed's .docx is edited with python-docx (the paragraph that
  holds the edited line, run by run, so the layout stays the seed's);
- .pdf: the edited .txt is rendered with the corpus renderer (scripts/render_corpus.py,
  reportlab), as the seed's own .pdf was; where the renderer or its fonts are
  missing, pdf cases are not made (``CaseUnavailable``).

Adding a kind for a new rule: write ``@injection("name", codes=("PC7xx",))`` over a
function ``(seed: Seed) -> Edit | None``; the tests pick it up (three or more cases
over the seeds and formats), and skip it while none of its codes has a rule.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "corpus" / "seeds"
RENDERER = ROOT / "scripts" / "render_corpus.py"
FORMATS = ("txt", "docx", "pdf")
EXPECT_SUFFIX = ".expected.yaml"


class CaseUnavailable(Exception):
    """This kind cannot be made for this seed / format (nothing to edit, no renderer)."""


# --------------------------------------------------------------------------- edits


@dataclass(frozen=True)
class Replace:
    line: int  # 1-based line of the seed .txt
    old: str
    new: str


@dataclass(frozen=True)
class Delete:
    first: int
    last: int  # inclusive


@dataclass(frozen=True)
class InsertAfter:
    line: int
    text: str  # one new paragraph (a blank line is put before it)


@dataclass(frozen=True)
class InsertBefore:
    line: int
    text: str  # one new paragraph (a blank line is put after it): a header line above the title


@dataclass(frozen=True)
class Clear:
    line: int  # the line's text is emptied (.docx: the paragraph stays, empty — it may be a table cell's)


@dataclass(frozen=True)
class ReplaceCell:
    line: int  # a table row of the seed .txt (cells separated by tabs)
    col: int  # 0-based cell
    old: str
    new: str


Op = Replace | Delete | InsertAfter | InsertBefore | Clear | ReplaceCell


@dataclass
class Edit:
    """Operations, and expectations that point at operations: ``{"code": .., "op": i}``.

    An expectation with ``"op": i`` is located at the line operation i produced (for
    Delete: the line just before the deleted range); without ``op`` it holds for the
    whole document.
    """

    ops: list[Op]
    must: list[dict[str, Any]] = field(default_factory=list)
    not_: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    encoding: str | None = None  # txt only: write in this legacy encoding
    corrupt: bool = False  # write a truncated / empty file
    tracked: bool = False  # docx only: leave a tracked change (a word deleted and typed again)


@dataclass(frozen=True)
class InjectionKind:
    name: str
    codes: tuple[str, ...]
    fn: Callable[[Seed], Edit | None]
    trap: bool = False
    formats: tuple[str, ...] = FORMATS
    description: str = ""


KINDS: dict[str, InjectionKind] = {}


def injection(name: str, codes: tuple[str, ...], *, trap: bool = False, formats: tuple[str, ...] = FORMATS):
    """Register an injection kind (the decorated function's docstring describes it)."""

    def deco(fn: Callable[[Seed], Edit | None]) -> Callable[[Seed], Edit | None]:
        if name in KINDS:
            raise ValueError(f"injection kind {name!r} registered twice")
        KINDS[name] = InjectionKind(name, codes, fn, trap, formats, (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return deco


# --------------------------------------------------------------------------- seeds


@dataclass
class Seed:
    """A clean plan to inject into: its .txt lines and parsed Document."""

    name: str
    path: Path
    lines: list[str]
    doc: Any

    @classmethod
    def load(cls, name: str) -> Seed:
        from .parse import parse

        path = SEEDS_DIR / f"{name}.txt"
        lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        return cls(name, path, lines, parse(path))

    def line_of(self, span) -> int:
        return self.doc.locate(span).line

    def headings(self, level: int | None = None, kind: str | None = None) -> list[tuple[int, Any, int]]:
        """(line, heading, index) of real headings in the body."""
        out = []
        for i, h in enumerate(self.doc.outline.headings):
            if not h.is_heading or h.runin:
                continue
            if level is not None and h.level != level:
                continue
            if kind is not None and h.marker_kind != kind:
                continue
            if self.doc.blocks[h.block].region != "body":
                continue
            out.append((self.line_of(h.span), h, i))
        return out

    def next_heading_line(self, index: int, same_or_higher: bool = True) -> int | None:
        """Line of the heading after heading ``index`` (at its level or higher if asked)."""
        hs = self.doc.outline.headings
        h = hs[index]
        for g in hs[index + 1 :]:
            if not same_or_higher or g.level <= h.level:
                return self.line_of(g.span)
        return None

    @property
    def plan_year(self) -> int:
        return int(self.doc.metadata.get("plan_year") or 2024)

    def body_paragraph_lines(self) -> list[int]:
        """Lines of body paragraphs that are not headings, list items or table rows."""
        heads = {h.block for h in self.doc.outline.headings}
        out = []
        for b in self.doc.blocks:
            if b.kind != "paragraph" or b.region != "body" or b.index in heads:
                continue
            t = self.doc.block_text(b)
            if len(t) < 80 or "\t" in t:
                continue
            loc = self.doc.locate(b.span)
            if loc.line == loc.end_line:  # one source line: safe to edit in every format
                out.append(loc.line)
        return out


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _roman_in(line: str, numeral: str) -> regex.Match | None:
    return regex.search(rf"(?<![IVXLC]){numeral}(?=\s*\.)", line)


# --------------------------------------------------------------------------- kinds: PC0xx


@injection("truncate_file", ("PC001",))
def truncate_file(seed: Seed) -> Edit:
    """Cut the file (txt: empty; docx/pdf: first 1,000 bytes): unreadable."""
    return Edit([], must=[{"code": "PC001"}], corrupt=True)


@injection("legacy_encoding", ("PC002",), formats=("txt",))
def legacy_encoding(seed: Seed) -> Edit:
    """Save the .txt in Windows-1258 (combining tone marks) instead of UTF-8."""
    return Edit([], must=[{"code": "PC002"}], encoding="cp1258")


@injection("tracked_change", ("PC004",), formats=("docx",))
def tracked_change(seed: Seed) -> Edit | None:
    """Leave Word revisions in the file: the body's first paragraph gets a tracked
    deletion and its text a tracked insertion (the text once accepted is unchanged)."""
    return Edit([], must=[{"code": "PC004"}], tracked=True)


@injection("not_a_plan", ("PC003",), formats=("txt", "docx"))
def not_a_plan(seed: Seed) -> Edit | None:
    """Retitle the document "BÁO CÁO" instead of "KẾ HOẠCH" (pdf: the renderer needs the title)."""
    for i, ln in enumerate(seed.lines):
        if "KẾ HOẠCH" in ln and len(ln.replace("*", "").strip()) <= 12:
            ops: list[Op] = [Replace(i + 1, "KẾ HOẠCH", "BÁO CÁO")]
            # a report's number says BC, not KH: otherwise "Số: 85/KH-UBND" still names a plan
            ops += [Replace(j + 1, "/KH-", "/BC-") for j, h in enumerate(seed.lines[:i]) if "/KH-" in h]
            return Edit(ops, must=[{"code": "PC003"}])
    return None


# --------------------------------------------------------------------------- kinds: PC1xx


@injection("roman_gap", ("PC101",))
def roman_gap(seed: Seed) -> Edit | None:
    """Renumber a top-level heading one too far (II. -> III.): a gap in the Roman numbering."""
    tops = seed.headings(level=1, kind="roman")
    for line, h, _ in tops[1:3]:
        n = h.number
        if not isinstance(n, int) or n >= len(ROMAN):
            continue
        old, new = ROMAN[n - 1], ROMAN[n]
        if _roman_in(seed.lines[line - 1], old):
            return Edit([Replace(line, f"{old}.", f"{new}.")], must=[{"code": "PC101", "op": 0}])
    return None


@injection("sub_gap", ("PC102",))
def sub_gap(seed: Seed) -> Edit | None:
    """Renumber the second arabic sub-heading of a section 2. -> 3.: a gap."""
    for line, h, _ in seed.headings(level=2, kind="arabic"):
        if h.number == 2 and f"{h.number}." in seed.lines[line - 1]:
            return Edit([Replace(line, "2.", "3.")], must=[{"code": "PC102", "op": 0}])
    return None


@injection("heading_case", ("PC103",))
def heading_case(seed: Seed) -> Edit | None:
    """Write one upper-case Roman heading (not the first) in sentence case."""
    tops = seed.headings(level=1, kind="roman")
    if len(tops) < 3 or not all(h.title.isupper() for _, h, _ in tops):
        return None
    line, h, _ = tops[2]
    title = h.title.strip(" .")
    if title not in seed.lines[line - 1]:
        return None
    sentence = title[0] + title[1:].lower()
    return Edit([Replace(line, title, sentence)], must=[{"code": "PC103", "op": 0}])


def _section(seed: Seed, words: tuple[str, ...]) -> tuple[int, Any, int] | None:
    for line, h, i in seed.headings(level=1, kind="roman"):
        if any(w in h.title.lower() for w in words):
            return line, h, i
    return None


@injection("drop_section", ("PC104",))
def drop_section(seed: Seed) -> Edit | None:
    """Drop the whole Kinh phí section and renumber the sections after it."""
    found = _section(seed, ("kinh phí",))
    if not found:
        return None
    line, h, i = found
    end = seed.next_heading_line(i)
    if end is None:
        return None
    ops: list[Op] = [Delete(line, end - 1)]
    for ln, g, _ in seed.headings(level=1, kind="roman"):
        if ln > line and isinstance(g.number, int) and 1 < g.number <= len(ROMAN):
            old, new = ROMAN[g.number - 1], ROMAN[g.number - 2]
            if _roman_in(seed.lines[ln - 1], old):
                ops.append(Replace(ln, f"{old}.", f"{new}."))
    return Edit(ops, must=[{"code": "PC104", "anchor": ["Kinh phí"]}])


@injection("empty_section", ("PC105",))
def empty_section(seed: Seed) -> Edit | None:
    """Delete the text under a sub-heading that is followed by a sibling: an empty section."""
    hs = seed.doc.outline.headings
    for line, h, i in seed.headings(level=2, kind="arabic"):
        if i + 1 >= len(hs) or hs[i + 1].level != h.level or hs[i + 1].parent != h.parent:
            continue
        nxt = seed.line_of(hs[i + 1].span)
        body = [ln for ln in range(line + 1, nxt) if seed.lines[ln - 1].strip()]
        if 1 <= len(body) <= 12 and not any("\t" in seed.lines[ln - 1] or "|" in seed.lines[ln - 1] for ln in body):
            return Edit([Delete(line + 1, nxt - 1)], must=[{"code": "PC105", "op": 0}])
    return None


# --------------------------------------------------------------------------- traps


def _after_first_paragraph(seed: Seed) -> int | None:
    lines = seed.body_paragraph_lines()
    return lines[1] if len(lines) > 1 else (lines[0] if lines else None)


@injection("trap_previous_period", ("PC303", "PC304"), trap=True)
def trap_previous_period(seed: Seed) -> Edit | None:
    """A reference to the previous period's results: not a wrong period, not a stale year."""
    at = _after_first_paragraph(seed)
    if at is None:
        return None
    # the program's own previous period (FACTS.md: 2012–2015, 2016–2020, 2021–2025)
    prev = "2016 - 2020" if seed.plan_year >= 2021 else "2012 - 2015"
    text = (
        f"Kết quả thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn {prev} "
        "đã được tổng kết, đánh giá; những kinh nghiệm đó tiếp tục được vận dụng."
    )
    return Edit([InsertAfter(at, text)], not_=[{"code": ["PC303", "PC304"], "op": 0}])


@injection("trap_leap_day", ("PC301",), trap=True)
def trap_leap_day(seed: Seed) -> Edit | None:
    """A correct leap day (29/02 of a leap year before the plan year ends)."""
    at = _after_first_paragraph(seed)
    if at is None:
        return None
    leap = max(y for y in range(2012, seed.plan_year + 1) if y % 4 == 0)
    text = f"Số liệu hộ nghèo, hộ cận nghèo được tổng hợp đến ngày 29/02/{leap} theo báo cáo của các thôn."
    return Edit([InsertAfter(at, text)], not_=[{"code": ["PC301", "PC302", "PC305"], "op": 0}])


@injection("trap_baseline_year", ("PC304",), trap=True)
def trap_baseline_year(seed: Seed) -> Edit | None:
    """A baseline year ("so với năm Y-1"): a comparison, not a stale target year."""
    at = _after_first_paragraph(seed)
    if at is None:
        return None
    text = f"Tỷ lệ hộ nghèo đa chiều giảm thêm 1% so với năm {seed.plan_year - 1}."
    return Edit([InsertAfter(at, text)], not_=[{"code": ["PC304", "PC302"], "op": 0}])


@injection("trap_heading_synonym", ("PC104", "PC103"), trap=True)
def trap_heading_synonym(seed: Seed) -> Edit | None:
    """Rename the Kinh phí heading with a synonym ("Nguồn kinh phí thực hiện"): still there."""
    found = _section(seed, ("kinh phí",))
    if not found:
        return None
    line, h, _ = found
    title = h.title.strip(" .")
    if title not in seed.lines[line - 1]:
        return None
    new = "NGUỒN KINH PHÍ THỰC HIỆN" if title.isupper() else "Nguồn kinh phí thực hiện"
    return Edit(
        [Replace(line, title, new)], not_=[{"code": ["PC104"], "anchor": ["Kinh phí"]}, {"code": ["PC103"], "op": 0}]
    )


# --------------------------------------------------------------------------- kinds for later rule families
# (their tests are skipped until a rule with one of the codes exists)


@injection("repeat_word", ("PC801",))
def repeat_word(seed: Seed) -> Edit | None:
    """Write a word twice back to back ("triển khai triển khai")."""
    for ln in seed.body_paragraph_lines():
        text = seed.lines[ln - 1]
        # verbs only: "tổ chức tổ chức" (noun + verb) or "hỗ trợ hỗ trợ" can be right
        for w in ("triển khai", "tăng cường", "thực hiện"):
            if f" {w} " in text and f"{w} {w}" not in text:
                return Edit([Replace(ln, f" {w} ", f" {w} {w} ")], must=[{"code": "PC801", "op": 0, "anchor": [w]}])
    return None


def _safe_typos() -> list[tuple[str, str]]:
    """(correct, misspelt) pairs of the lexicon's unconditional entries (rules/facts/lexicon/typos.yaml)."""
    from .checks.language import load_lexicon

    pairs = []
    for e in load_lexicon("typos.yaml")["entries"]:
        wrong = e["wrong"]
        if e.get("kind") == "safe" and isinstance(wrong, str) and " " in wrong and e.get("severity") != "info":
            pairs.append((e["right"], wrong))
    return pairs


@injection("misspelling", ("PC802",))
def misspelling(seed: Seed) -> Edit | None:
    """Replace a correct word by a known misspelling (đối với -> đôi với)."""
    for ln in seed.body_paragraph_lines():
        text = seed.lines[ln - 1]
        for good, bad in _safe_typos():
            if f" {good} " in text:
                return Edit([Replace(ln, f" {good} ", f" {bad} ")], must=[{"code": "PC802", "op": 0, "anchor": [bad]}])
    return None


@injection("misspelled_word", ("PC806",))
def misspelled_word(seed: Seed) -> Edit | None:
    """One slip (tone, vowel mark, d/đ, s/x, ch/tr, d/r/gi, l/n, a letter dropped or doubled)
    whose result is no right phrase there (plancheck/misspell.py): "xây dựng" -> "xây dụng"."""
    import random

    from .misspell import pick_slips

    for ln in seed.body_paragraph_lines():
        text = seed.lines[ln - 1]
        for s, e, wrong, right, _, _ in pick_slips(text, random.Random(ln), 1):
            # the word with its neighbours, so the replaced text is unique on the line
            a, z = text.rfind(" ", 0, max(0, s - 1)) + 1, text.find(" ", e + 1)
            z = len(text) if z < 0 else z
            old, new = text[a:z], text[a:s] + wrong + text[e:z]
            if text.count(old) == 1:
                return Edit([Replace(ln, old, new)], must=[{"code": "PC806", "op": 0, "anchor": [f'"{right}"']}])
    return None


@injection("join_words", ("PC803",))
def join_words(seed: Seed) -> Edit | None:
    """Run two words together ("các thông" -> "cácthông")."""
    for ln in seed.body_paragraph_lines():
        m = regex.search(r" các (\p{Ll}{3,}) ", seed.lines[ln - 1])
        if m:
            old = f"các {m.group(1)}"
            return Edit([Replace(ln, old, f"các{m.group(1)}")], must=[{"code": "PC803", "op": 0}])
    return None


_CITATION = regex.compile(r"số (\d{1,4})/(20\d\d)/([\p{Lu}Đ\-]+) ngày (\d{1,2})/(\d{1,2})/(20\d\d)")


@injection("citation_year", ("PC201",))
def citation_year(seed: Seed) -> Edit | None:
    """Change the year of a citation's date so it disagrees with the year in its number."""
    for i, text in enumerate(seed.lines):
        for m in _CITATION.finditer(text):
            if m.group(2) == m.group(6):
                old = m.group(0)
                new = old[: m.start(6) - m.start()] + str(int(m.group(6)) - 1)
                return Edit([Replace(i + 1, old, new)], must=[{"code": "PC201", "op": 0}])
    return None


@injection("issue_date_shift", ("PC302",))
def issue_date_shift(seed: Seed) -> Edit | None:
    """Move the issue date two years after the plan year."""
    for i, text in enumerate(seed.lines[:15]):
        # the place-and-date line: "Nghi Xuân, ngày 21 tháng 3 năm 2019" (not a citation's date)
        m = regex.search(r"^\W*\p{Lu}[\p{L} .]*, ngày \W*\d{1,2}\W* tháng \d{1,2} năm (20\d\d)\W*$", text.strip())
        if m:
            year = int(m.group(1))
            if year == seed.plan_year + 2:
                return None
            return Edit([Replace(i + 1, f"năm {year}", f"năm {seed.plan_year + 2}")], must=[{"code": "PC302"}])
    return None


# --------------------------------------------------------------------------- kinds: PC2xx/PC3xx (citations, dates)


def _issue_date(seed: Seed):
    import datetime as _dt

    v = seed.doc.metadata.get("issue_date")
    return _dt.date.fromisoformat(v) if isinstance(v, str) else None


def _insert_paragraph(seed: Seed, text: str, code: str, anchor: str) -> Edit | None:
    at = _after_first_paragraph(seed)
    if at is None:
        return None
    return Edit([InsertAfter(at, text)], must=[{"code": code, "op": 0, "anchor": [anchor]}])


@injection("citation_registry_date", ("PC202",))
def citation_registry_date(seed: Seed) -> Edit | None:
    """Cite a national document with a date other than the registry's (verified) one."""
    if seed.plan_year >= 2022:
        text = (
            "Thực hiện theo hướng dẫn tại Thông tư số 04/2022/TT-BNNPTNT ngày 28/7/2022 của Bộ Nông nghiệp "
            "và Phát triển nông thôn về hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp."
        )
        return _insert_paragraph(seed, text, "PC202", "04/2022/TT-BNNPTNT")
    text = (
        "Thực hiện theo Quyết định số 1722/QĐ-TTg ngày 02/10/2016 của Thủ tướng Chính phủ phê duyệt "
        "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2016 - 2020."
    )
    return _insert_paragraph(seed, text, "PC202", "1722/QĐ-TTg")


@injection("citation_two_dates", ("PC203",))
def citation_two_dates(seed: Seed) -> Edit | None:
    """Cite one local document twice with two different dates."""
    y = seed.plan_year - 1
    text = (
        f"Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/{y} của UBND tỉnh; các nội dung theo Kế hoạch "
        f"số 15/KH-UBND ngày 12/01/{y} của UBND tỉnh được lồng ghép vào kế hoạch này."
    )
    return _insert_paragraph(seed, text, "PC203", "12/01")


@injection("citation_after_plan", ("PC204",))
def citation_after_plan(seed: Seed) -> Edit | None:
    """Cite a document dated a month after the plan's own issue date."""
    import datetime as _dt

    issue = _issue_date(seed)
    if issue is None:
        return None
    later = issue + _dt.timedelta(days=31)
    text = f"Thực hiện Kế hoạch số 30/KH-UBND ngày {later.day:02d}/{later.month:02d}/{later.year} của UBND tỉnh về giảm nghèo."
    return _insert_paragraph(seed, text, "PC204", "30/KH-UBND")


@injection("kyhieu_space", ("PC208",))
def kyhieu_space(seed: Seed) -> Edit | None:
    """Write a cited number–ký hiệu with a stray space ("12 /KH-UBND")."""
    text = f"Thực hiện Kế hoạch số 12 /KH-UBND ngày 05/01/{seed.plan_year} của UBND tỉnh về công tác giảm nghèo."
    return _insert_paragraph(seed, text, "PC208", "12 /KH-UBND")


@injection("type_kyhieu_mismatch", ("PC205",))
def type_kyhieu_mismatch(seed: Seed) -> Edit | None:
    """A Thông tư cited with a Quyết định's ký hiệu ("Thông tư số 12/QĐ-UBND")."""
    text = f"Thực hiện Thông tư số 12/QĐ-UBND ngày 10/01/{seed.plan_year} của UBND tỉnh về hỗ trợ phát triển sản xuất."
    return _insert_paragraph(seed, text, "PC205", "12/QĐ-UBND")


@injection("cites_ended_document", ("PC206",))
def cites_ended_document(seed: Seed) -> Edit | None:
    """The 2016–2020 poverty line (applied through 2021) cited in a plan for 2022 or later."""
    if seed.plan_year < 2022:
        return None
    text = (
        "Rà soát, xác định hộ nghèo, hộ cận nghèo theo chuẩn nghèo tại Quyết định số 59/2015/QĐ-TTg "
        "ngày 19/11/2015 của Thủ tướng Chính phủ."
    )
    return _insert_paragraph(seed, text, "PC206", "59/2015")


@injection("drop_plan_basis", ("PC207",))
def drop_plan_basis(seed: Seed) -> Edit | None:
    """Delete the opening "Căn cứ / Thực hiện …" paragraphs: the plan states no basis."""
    doc = seed.doc
    first = next((h.block for h in doc.outline.headings if h.is_heading and h.parent is None), None)
    if first is None:
        return None
    ops: list[Op] = []
    for b in doc.blocks[:first]:
        if b.region != "body" or b.kind != "paragraph":
            continue
        t = doc.block_text(b)
        if not regex.match(r"^[\s*]*(?:Căn cứ|Thực hiện|Theo)\s", t) or not regex.search(r"\d/", t):
            continue  # not a basis citation (the trích yếu may start with "Thực hiện" too)
        loc = doc.locate(b.span)
        ops.append(Delete(loc.line, loc.end_line or loc.line))
    body = doc.text[doc.blocks[first].span.start :]
    if not ops or regex.search(r"(?:90|1722)/QĐ-TTg", body):
        return None  # nothing to drop, or the decision is cited in the body too
    return Edit(ops, must=[{"code": "PC207"}])


@injection("impossible_date", ("PC301",))
def impossible_date(seed: Seed) -> Edit | None:
    """A date that does not exist (31/4)."""
    text = f"Các thôn gửi báo cáo kết quả rà soát hộ nghèo về Ủy ban nhân dân trước ngày 31/4/{seed.plan_year}."
    return _insert_paragraph(seed, text, "PC301", "31/4")


@injection("wrong_program_period", ("PC303",))
def wrong_program_period(seed: Seed) -> Edit | None:
    """Right after the program's name, a period it never had (2022 - 2025)."""
    text = (
        "Tuyên truyền sâu rộng mục tiêu, nội dung của Chương trình mục tiêu quốc gia giảm nghèo bền vững "
        "giai đoạn 2022 - 2025 đến toàn thể cán bộ và nhân dân."
    )
    return _insert_paragraph(seed, text, "PC303", "2022")


@injection("stale_task_year", ("PC304",))
def stale_task_year(seed: Seed) -> Edit | None:
    """A task naming last year, as copied from last year's plan."""
    text = (
        f"Tổ chức triển khai Kế hoạch hỗ trợ hộ nghèo thoát nghèo năm {seed.plan_year - 1} đến từng thôn, tổ dân phố."
    )
    return _insert_paragraph(seed, text, "PC304", str(seed.plan_year - 1))


@injection("deadline_before_issue", ("PC305",))
def deadline_before_issue(seed: Seed) -> Edit | None:
    """A deadline ten days before the plan's own issue date."""
    import datetime as _dt

    issue = _issue_date(seed)
    if issue is None:
        return None
    d = issue - _dt.timedelta(days=10)
    text = f"Các thôn gửi báo cáo kết quả rà soát về Ủy ban nhân dân trước ngày {d.day:02d}/{d.month:02d}/{d.year}."
    return _insert_paragraph(seed, text, "PC305", f"{d.day:02d}/{d.month:02d}")


# --------------------------------------------------------------------------- kinds: PC4xx/PC5xx (coverage, leads)


def _program(seed: Seed):
    """The project analysis and catalog of a whole-program seed plan, else None."""
    from .extract.projects import analysis

    if seed.doc.metadata.get("scope") != "program":
        return None
    an = analysis(seed.doc)
    return an if an.catalog is not None and an.catalog.known else None


def _loc(seed: Seed, span) -> tuple[int, int]:
    loc = seed.doc.locate(span)
    return loc.line, loc.end_line or loc.line


def _tcth_line(seed: Seed) -> int | None:
    """Line of the Tổ chức thực hiện heading: new assignments go right after it."""
    from .extract.agencies import tcth_headings

    hs = seed.doc.outline.headings
    idx = tcth_headings(seed.doc)
    return seed.line_of(hs[idx[0]].span) if idx else None


@injection("project_renumbered", ("PC402",))
def project_renumbered(seed: Seed) -> Edit | None:
    """A sub-project heading given the number of its sibling ("Tiểu dự án 3: Hỗ trợ việc làm…" → 2)."""
    an = _program(seed)
    if an is None:
        return None
    cat = an.catalog
    for m in an.mentions:
        if m.kind != "heading" or m.sub is None or m.item != m.by_number or m.name_fit != 100.0:
            continue
        siblings = [c for c in cat.items[f"DA{m.project}"].children if c != m.item]
        line, end = _loc(seed, m.span)
        old = f"Tiểu dự án {m.sub}"
        if not siblings or line != end or old not in seed.lines[line - 1]:
            continue
        new = f"Tiểu dự án {cat.items[siblings[0]].sub}"
        return Edit([Replace(line, old, new)], must=[{"code": "PC402", "op": 0}])
    return None


@injection("subproject_under_wrong_project", ("PC403",))
def subproject_under_wrong_project(seed: Seed) -> Edit | None:
    """An assignment naming a sub-project under a project it does not belong to."""
    if _program(seed) is None or (at := _tcth_line(seed)) is None:
        return None
    text = (
        "Giao Ủy ban nhân dân các xã, thị trấn chủ trì thực hiện Tiểu dự án 2 thuộc Dự án 4: Cải thiện dinh dưỡng "
        "trên địa bàn."
    )
    return Edit([InsertAfter(at, text)], must=[{"code": "PC403", "op": 0, "anchor": ["Cải thiện dinh dưỡng"]}])


@injection("project_of_other_period", ("PC404",))
def project_of_other_period(seed: Seed) -> Edit | None:
    """A project named as in the other program period (2016–2020 vs 2021–2025)."""
    an = _program(seed)
    if an is None or (at := _tcth_line(seed)) is None:
        return None
    if an.catalog.period == "2021-2025":
        name = (
            "Hỗ trợ phát triển sản xuất, đa dạng hóa sinh kế và nhân rộng mô hình giảm nghèo trên địa bàn các xã "
            "ngoài Chương trình 30a và Chương trình 135"
        )
        text = f"Tiếp tục triển khai thực hiện Dự án 3: “{name}”."
    else:
        text = "Tiếp tục triển khai thực hiện Dự án 4: “Phát triển giáo dục nghề nghiệp, việc làm bền vững”."
    return Edit([InsertAfter(at, text)], must=[{"code": "PC404", "op": 0}])


@injection("program_draft_name", ("PC405",))
def program_draft_name(seed: Seed) -> Edit | None:
    """The program named with the 2020 draft's words ("… giảm nghèo và an sinh xã hội bền vững")."""
    old = "Chương trình mục tiêu quốc gia giảm nghèo bền vững"
    for line in seed.body_paragraph_lines():
        if old in seed.lines[line - 1]:
            new = "Chương trình mục tiêu quốc gia giảm nghèo và an sinh xã hội bền vững"
            return Edit([Replace(line, old, new)], must=[{"code": "PC405", "op": 0}])
    return None


@injection("subproject_dropped", ("PC401",))
def subproject_dropped(seed: Seed) -> Edit | None:
    """A sub-project's whole section deleted, and the plan names it nowhere else."""
    an = _program(seed)
    if an is None:
        return None
    cat = an.catalog
    credited = [m for m in an.mentions if m.item is not None and m.excluded is None]
    for m in an.mentions:
        if m.kind != "heading" or m.sub is None or m.section is None or m.item is None or m.na:
            continue
        if m.parent_from != "context" or any(o.item == m.item and o is not m for o in credited):
            continue  # the heading also opens its project, or the plan names the item elsewhere
        first, _ = _loc(seed, m.span)
        inside = [b for b in seed.doc.blocks if m.section.start <= b.span.start < m.section.end]
        last = seed.doc.locate(inside[-1].span).end_line if inside else None
        if last is None or last <= first or cat.items[m.item].areas:
            continue
        it = cat.items[m.item]
        return Edit([Delete(first, last)], must=[{"code": "PC401", "anchor": [f"Tiểu dự án {it.sub}", it.name]}])
    return None


@injection("project_lead_dropped", ("PC501",))
def project_lead_dropped(seed: Seed) -> Edit | None:
    """A project's only "Phân công thực hiện" paragraph deleted: nobody leads it."""
    from .extract.agencies import assignments

    an = _program(seed)
    if an is None:
        return None
    asg = assignments(seed.doc)
    cat = an.catalog
    for p in cat.projects():
        family = {p.id, *p.children}
        blocks = sorted({b for k in family for b in asg.labels.get(k, [])})
        if len(blocks) != 1:
            continue
        others = [a for a in asg.items if set(a.items) & family and a.block not in blocks]
        b0 = seed.doc.blocks[blocks[0]]
        first, _ = _loc(seed, b0.span)
        heads = {h.block for h in seed.doc.outline.headings if h.block > b0.index}
        nxt = min(heads) if heads else len(seed.doc.blocks)
        group = [b for b in seed.doc.blocks[b0.index : nxt] if b.kind == "paragraph"]
        if any(a.block not in {b.index for b in group} for a in others):
            continue
        last = seed.doc.locate(group[-1].span).end_line
        return Edit([Delete(first, last)], must=[{"code": "PC501", "anchor": [p.label, p.name]}])
    return None


@injection("second_lead", ("PC502",))
def second_lead(seed: Seed) -> Edit | None:
    """A second office made lead ("chủ trì") of a project that already has one."""
    from .extract.agencies import assignments

    if _program(seed) is None:
        return None
    for a in assignments(seed.doc).items:
        if a.where != "section" or a.role != "lead" or a.cue is None or "chủ" not in a.cue:
            continue
        if a.agency.lower().startswith(("ủy ban", "uỷ ban", "ubnd", "các")):
            continue
        _, end = _loc(seed, seed.doc.blocks[a.block].span)
        text = "- Phòng Tư pháp chủ trì tổ chức thực hiện các nội dung trên."
        return Edit([InsertAfter(end, text)], must=[{"code": "PC502", "op": 0}])
    return None


@injection("agency_out_of_date", ("PC505",))
def agency_out_of_date(seed: Seed) -> Edit | None:
    """An office that did not exist on the plan's date (the 2025 restructuring)."""
    from .checks.assignments import plan_dates

    at = _tcth_line(seed)
    lo, hi, _ = plan_dates(seed.doc)
    if at is None or (lo is None and hi is None):
        return None
    import datetime as _dt

    if hi is not None and hi < _dt.date(2025, 2, 15):
        agency = "Phòng Nông nghiệp và Môi trường"  # created in 2025
    elif lo is not None and lo > _dt.date(2025, 3, 1):
        agency = "Sở Lao động - Thương binh và Xã hội"  # merged on 01/03/2025
    else:
        return None
    text = f"{agency} phối hợp tổng hợp, báo cáo kết quả thực hiện Kế hoạch."
    return Edit([InsertAfter(at, text)], must=[{"code": "PC505", "op": 0, "anchor": [agency]}])


@injection("organization_entry_without_task", ("PC503",))
def organization_entry_without_task(seed: Seed) -> Edit | None:
    """An agency listed under Tổ chức thực hiện with no task under it."""
    at = _tcth_line(seed)
    if at is None:
        return None
    from .extract.agencies import tcth_headings

    hs = seed.doc.outline.headings
    ti = tcth_headings(seed.doc)[0]
    kids = [h for h in hs if h.parent == ti and h.marker_kind == "arabic"]
    if not kids:
        return None
    return Edit([InsertAfter(at, "1. Phòng Tư pháp")], must=[{"code": "PC503", "op": 0, "anchor": ["Phòng Tư pháp"]}])


@injection("reporting_dropped", ("PC504",))
def reporting_dropped(seed: Seed) -> Edit | None:
    """Every reporting duty reworded away: nobody is told to report."""
    from .extract.agencies import REPORT

    ops: list[Op] = []
    for b in seed.doc.blocks:
        if b.kind != "paragraph" or b.region not in ("body", "closing"):
            continue
        t = seed.doc.block_text(b)
        found = list(REPORT.finditer(t))
        if not found:
            continue
        line, end = _loc(seed, b.span)
        src = seed.lines[line - 1]
        if line != end or any(m.group(0) not in src for m in found):
            return None  # a duty split over lines: cannot reword it in every format
        for word, repl in (("báo cáo", "trao đổi"), ("Báo cáo", "Trao đổi")):
            ops.extend(Replace(line, word, repl) for _ in range(src.count(word)))
    return Edit(ops, must=[{"code": "PC504"}]) if ops else None


@injection("trap_other_program_project", ("PC402", "PC403", "PC404"), trap=True)
def trap_other_program_project(seed: Seed) -> Edit | None:
    """Another program's numbered project (the ethnic-minority program's Dự án 4) is no defect."""
    if _program(seed) is None or (at := _tcth_line(seed)) is None:
        return None
    text = (
        "Phối hợp lồng ghép Dự án 4: Đầu tư cơ sở hạ tầng thiết yếu, phục vụ sản xuất, đời sống trong vùng đồng bào "
        "dân tộc thiểu số và miền núi thuộc Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào "
        "dân tộc thiểu số và miền núi."
    )
    return Edit([InsertAfter(at, text)], not_=[{"code": ["PC402", "PC403", "PC404"], "op": 0}])


# --------------------------------------------------------------------------- kinds: PC6xx (format)


def _line_of_block(seed: Seed, key: str) -> int | None:
    """Line of a header block the header extractor found (``number_block``, ``place_date_block``…)."""
    i = seed.doc.metadata.get(key)
    return seed.line_of(seed.doc.blocks[i].span) if isinstance(i, int) else None


def _own_line(seed: Seed, key: str, pattern: regex.Pattern) -> int | None:
    """The header line of ``key`` when it holds that part only (not squeezed with another)."""
    line = _line_of_block(seed, key)
    if line is None:
        return None
    text = seed.lines[line - 1]
    others = [p for p in (_NUMBER_PART, _PLACE_DATE_PART) if p is not pattern]
    if not pattern.search(text) or any(p.search(text) for p in others):
        return None
    return line


_NUMBER_PART = regex.compile(r"Số\s*:")
_PLACE_DATE_PART = regex.compile(r",\s*ngày\b.*\btháng\b.*\bnăm\b")
_DMY = regex.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(20\d\d)(?!\d)|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(20\d\d)")


def _cited_dates(seed: Seed, upto: int | None = None):
    """Dates written in the seed's text (dd/mm/yyyy or "ngày d tháng m năm y"), up to a line."""
    import datetime as _dt

    out = []
    for text in seed.lines[: upto or len(seed.lines)]:
        for m in _DMY.finditer(text):
            d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
            try:
                out.append(_dt.date(int(y), int(mo), int(d)))
            except ValueError:
                continue
    return out


def _new_issue_date(seed: Seed):
    """A plausible issue date for a seed without one: a week or so after the documents its
    preamble cite, on a day 3–9 of the month (a day that takes a leading zero)."""
    import datetime as _dt

    first = seed.headings(level=1)
    upto = first[0][0] if first else None
    cited = _cited_dates(seed, upto)
    d = (max(cited) if cited else _dt.date(seed.plan_year, 1, 1)) + _dt.timedelta(days=7)
    while not 3 <= d.day <= 9:
        d += _dt.timedelta(days=1)
    return d


def _date_text(d, zeros: bool = True) -> str:
    """ "ngày 05 tháng 02 năm 2022" (zeros: the rule's form) or "ngày 5 tháng 2 năm 2022"."""
    if not zeros:
        return f"ngày {d.day} tháng {d.month} năm {d.year}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


_PARENT_UNIT = regex.compile(r"\b(?P<level>huyện|thành phố|thị xã|tỉnh) (?P<name>\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){0,3})")


def _units_above(seed: Seed) -> list[str]:
    """Names of the units above the plan's own one that the text mentions (district, province)."""
    level = seed.doc.metadata.get("issuer_level") or seed.doc.metadata.get("level")
    own = seed.doc.metadata.get("issuer_locality") or seed.doc.metadata.get("locality")
    wanted = (
        ("tỉnh",) if level in ("huyện", "quận", "thị xã", "thành phố") else ("huyện", "thị xã", "thành phố", "tỉnh")
    )
    found = []
    for text in seed.lines:
        for m in _PARENT_UNIT.finditer(text):
            name = m.group("name")
            if m.group("level") in wanted and name != own and name not in found:
                found.append(name)
    return found


def _header_place(seed: Seed) -> str | None:
    """The place for a new place-and-date line: the plan's own unit, else a province it names."""
    own = seed.doc.metadata.get("issuer_locality") or seed.doc.metadata.get("locality")
    if own:
        return str(own)
    for text in seed.lines:
        m = regex.search(r"\btỉnh (\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){0,2})", text)
        if m:
            return m.group(1)
    return None


def _title_line(seed: Seed) -> int | None:
    return _line_of_block(seed, "title_block")


def _header_insert(seed: Seed, text: str) -> Op | None:
    """Put a header line after the seed's last header line, or above the title if it has none."""
    last = max(
        (ln for ln in (_line_of_block(seed, k) for k in ("number_block", "place_date_block")) if ln), default=None
    )
    if last is not None:
        return InsertAfter(last, text)
    title = _title_line(seed)
    return InsertBefore(title, text) if title else None


@injection("number_line_dropped", ("PC601",))
def number_line_dropped(seed: Seed) -> Edit | None:
    """Remove the plan's "Số: 85/KH-UBND" line."""
    line = _own_line(seed, "number_block", _NUMBER_PART)
    if line is None:
        return None
    return Edit([Clear(line)], must=[{"code": "PC601"}])


@injection("number_type_wrong", ("PC602",))
def number_type_wrong(seed: Seed) -> Edit | None:
    """Number the plan as a Quyết định ("85/QĐ-UBND"), or add a number with a space ("12 /KH-UBND").

    A seed with a number line gets the wrong type; one without gets a new, malformed line.
    """
    line = _own_line(seed, "number_block", _NUMBER_PART)
    if line is not None:
        if "/KH-" not in seed.lines[line - 1]:
            return None
        return Edit([Replace(line, "/KH-", "/QĐ-")], must=[{"code": "PC602", "op": 0, "anchor": ['"QĐ"', '"KH"']}])
    if seed.doc.metadata.get("number_raw"):
        return None
    op = _header_insert(seed, "Số: 12 /KH-UBND")
    return Edit([op], must=[{"code": "PC602", "op": 0, "anchor": ["12 /KH-UBND", "12/KH-UBND"]}]) if op else None


@injection("place_date_dropped", ("PC603",))
def place_date_dropped(seed: Seed) -> Edit | None:
    """Remove the place-and-date line ("Nghi Xuân, ngày 21 tháng 3 năm 2019")."""
    line = _own_line(seed, "place_date_block", _PLACE_DATE_PART)
    if line is None:
        return None
    return Edit([Clear(line)], must=[{"code": "PC603"}])


@injection("issue_date_no_zero", ("PC604",))
def issue_date_no_zero(seed: Seed) -> Edit | None:
    """Write the issue date against the rule ("tháng 03" for March; a new date line with "ngày 5").

    A seed without a place-and-date line gets a new one with a one-digit day.
    """
    m = seed.doc.metadata
    line = _own_line(seed, "place_date_block", _PLACE_DATE_PART)
    if line is not None:
        d, mo = m.get("issue_day_text") or "", m.get("issue_month_text") or ""
        text = seed.lines[line - 1]
        if mo.isdigit() and 3 <= int(mo) <= 9 and len(mo) == 1 and f"tháng {mo} " in text:
            return Edit([Replace(line, f"tháng {mo} ", f"tháng 0{mo} ")], must=[{"code": "PC604", "op": 0}])
        if d.isdigit() and len(d) == 2 and d.startswith("0") and f"ngày {d} " in text:
            return Edit([Replace(line, f"ngày {d} ", f"ngày {d[1]} ")], must=[{"code": "PC604", "op": 0}])
        return None  # "ngày 24 tháng 10": nothing to write wrong without changing the date
    if m.get("place_date_block") is not None or (place := _header_place(seed)) is None:
        return None
    op = _header_insert(seed, f"{place}, {_date_text(_new_issue_date(seed), zeros=False)}")
    return Edit([op], must=[{"code": "PC604", "op": 0}]) if op else None


@injection("national_motto_missing", ("PC605",))
def national_motto_missing(seed: Seed) -> Edit | None:
    """A header with the Tiêu ngữ but without the Quốc hiệu line above it."""
    if seed.doc.metadata.get("has_quoc_hieu") or seed.doc.metadata.get("has_tieu_ngu"):
        return None
    op = _header_insert(seed, "Độc lập - Tự do - Hạnh phúc")
    return Edit([op], must=[{"code": "PC605", "anchor": ["Có Tiêu ngữ"]}]) if op else None


def _signature(seed: Seed) -> dict[str, Any]:
    return (seed.doc.metadata.get("_signature") or {}).get("signature") or {}


@injection("signer_title_dropped", ("PC606",))
def signer_title_dropped(seed: Seed) -> Edit | None:
    """Remove the signer's title ("PHÓ CHỦ TỊCH" under "KT. CHỦ TỊCH") from the signature block."""
    sig = _signature(seed)
    segs, name = sig.get("segments") or [], sig.get("name")
    if not segs or not name or not segs[-1]["prefix"] or not segs[-1]["title"]:
        return None
    from .model import Span

    title = segs[-1]["title"]
    start = seed.line_of(Span(*segs[-1]["line"]["span"]))
    end = seed.line_of(Span(*name["span"]))
    for ln in range(start + 1, end):
        if seed.lines[ln - 1].replace("*", "").strip() == title:
            return Edit([Replace(ln, title, "")], must=[{"code": "PC606", "anchor": ["không có chức vụ"]}])
    return None


@injection("archive_entry_dropped", ("PC607",))
def archive_entry_dropped(seed: Seed) -> Edit | None:
    """Remove the last recipient "- Lưu: VT, …" from Nơi nhận."""
    from .model import Span

    luu = (seed.doc.metadata.get("_signature") or {}).get("luu")
    if not luu:
        return None
    line = seed.line_of(Span(*luu["span"]))
    if "Lưu" not in seed.lines[line - 1]:
        return None
    return Edit([Clear(line)], must=[{"code": "PC607", "anchor": ['không có mục "Lưu']}])


@injection("body_end_mark_dropped", ("PC608",))
def body_end_mark_dropped(seed: Seed) -> Edit | None:
    """End the body with "." instead of "./."."""
    from .model import Span

    end = (seed.doc.metadata.get("_signature") or {}).get("body_end")
    if not end or end["mark"] != "./.":
        return None
    line = seed.line_of(Span(*end["span"]))
    if seed.lines[line - 1].count("./.") != 1:
        return None
    return Edit([Replace(line, "./.", ".")], must=[{"code": "PC608", "op": 0}])


@injection("place_is_parent_unit", ("PC609",))
def place_is_parent_unit(seed: Seed) -> Edit | None:
    """Date the plan from the unit above the issuer ("Đức Trọng, ngày …" in a xã plan)."""
    m = seed.doc.metadata
    own = m.get("issuer_locality")
    if not own or m.get("issuer_unit_source") not in ("header", "issuing_sentence", "closing_sentence"):
        return None
    above = _units_above(seed)
    if not above:
        return None
    line = _own_line(seed, "place_date_block", _PLACE_DATE_PART)
    if line is not None:
        place = m.get("place") or ""
        if place != own or place not in seed.lines[line - 1]:
            return None  # already another unit's name (or written apart): nothing to inject
        return Edit([Replace(line, place, above[0])], must=[{"code": "PC609", "op": 0}])
    if m.get("place_date_block") is not None:
        return None
    op = _header_insert(seed, f"{above[0]}, {_date_text(_new_issue_date(seed))}")
    return Edit([op], must=[{"code": "PC609", "op": 0, "anchor": [above[0]]}]) if op else None


@injection("trap_issue_date_zero", ("PC604",), trap=True)
def trap_issue_date_zero(seed: Seed) -> Edit | None:
    """A correct issue date with a leading zero ("ngày 05 tháng 3"), no cited date moved past it."""
    import datetime as _dt

    line = _own_line(seed, "place_date_block", _PLACE_DATE_PART)
    iso = seed.doc.metadata.get("issue_date")
    if line is None or not isinstance(iso, str):
        return None
    issue = _dt.date.fromisoformat(iso)
    new = issue.replace(day=5)
    if new == issue or any(new <= d < issue for d in _cited_dates(seed)):
        return None  # a document cited between the two dates would be cited after the plan
    m = regex.search(r"ngày\W*\d{1,2}\W*\s+tháng\s+\d{1,2}\s+năm\s+20\d\d", seed.lines[line - 1])
    if not m:
        return None
    return Edit([Replace(line, m.group(0), _date_text(new))], not_=[{"code": ["PC604"], "op": 0}])


# --------------------------------------------------------------------------- kinds: PC7xx (tables, numbers)


def _additive_column(name: str) -> bool:
    return not regex.search(r"(?i)%|tỷ\s*lệ|tỉ\s*lệ|bình\s*quân|^(?:S?TT|Tên)\b|tổng\s+số|dân\s+số", name)


def _summing_columns(seed: Seed):
    """(table, total row, column, data rows) where the data rows add up to the total: safe to break."""
    from .extract.tables import tables

    for m in tables(seed.doc):
        totals = [r for r in m.rows if r.kind == "total"]
        data = [r for r in m.rows if r.kind == "data"]
        if len(totals) != 1 or len(data) < 2 or any(r.kind in ("group", "sub") for r in m.rows):
            continue
        tot = totals[0]
        for col in m.columns:
            if col.percent or not _additive_column(col.name) or tot.cells[col.index].number is None:
                continue
            nums = [r.cells[col.index].number for r in data]
            if any(r.cells[col.index].is_text for r in data) or any(n is not None and n.decimals for n in nums):
                continue
            if sum(n.value for n in nums if n is not None) == tot.cells[col.index].number.value:
                yield m, tot, col, data


def _cell_edit(seed: Seed, row, col: int, new: str) -> ReplaceCell | None:
    cell = row.cells[col]
    line = seed.line_of(cell.span)
    if cell.text.strip() not in seed.lines[line - 1].split("\t")[col : col + 1]:
        return None  # the txt row's cells are not the table's (merged or shifted)
    return ReplaceCell(line, col, cell.text.strip(), new)


@injection("total_row_off", ("PC701",))
def total_row_off(seed: Seed) -> Edit | None:
    """Add one to a row of an annex table column whose total row then no longer adds up."""
    from .extract.numbers import format_vi

    for _m, tot, col, data in _summing_columns(seed):
        row = next(
            (r for r in data if r.cells[col.index].number is not None and r.cells[col.index].number.value >= 1), None
        )
        if row is None:
            continue
        n = int(row.cells[col.index].number.value)
        op = _cell_edit(seed, row, col.index, str(n + 1))
        if op is None:
            continue
        written = tot.cells[col.index].number
        anchor = [f"cộng lại {format_vi(int(written.value) + 1)}", f"ghi {written.text}"]
        return Edit([op], must=[{"code": "PC701", "anchor": anchor}])
    return None


@injection("trap_total_still_adds", ("PC701",), trap=True)
def trap_total_still_adds(seed: Seed) -> Edit | None:
    """Two rows of one column changed in opposite directions: the total still adds up."""
    for _m, _tot, col, data in _summing_columns(seed):
        rows = [r for r in data if r.cells[col.index].number is not None]
        down = next((r for r in rows[1:] if r.cells[col.index].number.value >= 1), None)
        if not rows or down is None:
            continue
        up = rows[0]
        a, b = int(up.cells[col.index].number.value), int(down.cells[col.index].number.value)
        ops = [_cell_edit(seed, up, col.index, str(a + 1)), _cell_edit(seed, down, col.index, str(b - 1))]
        if None in ops:
            continue
        return Edit(ops, not_=[{"code": ["PC701"], "anchor": [f'"{col.name}"']}])
    return None


@injection("percent_cell_off", ("PC702",))
def percent_cell_off(seed: Seed) -> Edit | None:
    """Change a "Tỷ lệ %" cell so it no longer equals its count over the row's total."""
    from itertools import permutations

    from .extract.numbers import format_vi
    from .extract.tables import tables

    for m in tables(seed.doc):
        pcols = [c for c in m.columns if c.percent and regex.search(r"(?i)^(?:tỷ\s*lệ|tỉ\s*lệ)?\s*\(?%\)?$", c.name)]
        for pc in pcols:
            for r in m.rows:
                cell = r.cells[pc.index].number
                if r.kind in ("header", "numbering") or cell is None or not cell.decimals:
                    continue
                nums = [
                    r.cells[c.index].number.value for c in m.columns[1:] if not c.percent and r.cells[c.index].number
                ]
                new = round(cell.value + 0.2, cell.decimals)
                if any(b and abs(a / b * 100 - new) <= 0.5 * 10**-cell.decimals for a, b in permutations(nums, 2)):
                    continue
                text = format_vi(new, cell.decimals)
                op = _cell_edit(seed, r, pc.index, text)
                if op is not None:
                    return Edit([op], must=[{"code": "PC702", "op": 0, "anchor": [f"ghi {text}%"]}])
    return None


_STATED = regex.compile(r"\bgiảm (?P<n>\d{1,3}) (?P<subject>hộ cận nghèo|hộ nghèo)\b")


@injection("stated_target_off", ("PC703",))
def stated_target_off(seed: Seed) -> Edit | None:
    """Raise the target stated in the text ("giảm 06 hộ nghèo" -> 08) above the annex table's total."""
    from .extract.tables import tables

    if not any(m.column_by_name(regex.compile(r"(?i)kế\s+hoạch\s+giảm")) for m in tables(seed.doc)):
        return None
    for i, text in enumerate(seed.lines):
        if "\t" in text:
            continue
        mm = _STATED.search(text)
        if mm:
            n = mm.group("n")
            new = str(int(n) + 2).zfill(len(n))
            old, repl = mm.group(0), mm.group(0).replace(n, new, 1)
            return Edit([Replace(i + 1, old, repl)], must=[{"code": "PC703", "op": 0, "anchor": [repl]}])
    return None


_PART = regex.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*) (lao động|hộ|người), trong đó (\d{1,3}(?:\.\d{3})*) \2\b")


@injection("part_exceeds_whole", ("PC704",))
def part_exceeds_whole(seed: Seed) -> Edit | None:
    """Swap a whole and its "trong đó" part ("1.200 lao động, trong đó 4.000 lao động…"), or write one."""
    from .extract.numbers import parse_number

    for ln in seed.body_paragraph_lines():
        m = _PART.search(seed.lines[ln - 1])
        if m and parse_number(m.group(1)).value > parse_number(m.group(3)).value:
            swapped = f"{m.group(3)} {m.group(2)}, trong đó {m.group(1)} {m.group(2)}"
            return Edit([Replace(ln, m.group(0), swapped)], must=[{"code": "PC704", "op": 0, "anchor": [m.group(1)]}])
    text = "Hỗ trợ đào tạo nghề cho 120 lao động, trong đó 150 lao động thuộc hộ nghèo, hộ cận nghèo."
    return _insert_paragraph(seed, text, "PC704", "150")


_FULL_SHARE = regex.compile(r"(?<![\d.,])100% (?=hộ|người)")
_NOT_SHARE_BEFORE = regex.compile(r"(?i)(?:tăng|vượt|gấp|hơn|đạt|bằng|so\s+với)\s*(?:thêm\s*|khoảng\s*|trên\s*)?$")


@injection("share_over_100", ("PC705",))
def share_over_100(seed: Seed) -> Edit | None:
    """A share above 100 % ("Đảm bảo 110% hộ nghèo…")."""
    for ln in seed.body_paragraph_lines():
        text = seed.lines[ln - 1]
        for m in _FULL_SHARE.finditer(text):
            if _NOT_SHARE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                continue
            old = text[m.start() : m.end() + 8]
            if text.count(old) != 1:
                continue
            return Edit(
                [Replace(ln, old, old.replace("100%", "110%", 1))],
                must=[{"code": "PC705", "op": 0, "anchor": ["110%"]}],
            )
    text = "Phấn đấu 110% hộ nghèo có nhu cầu được vay vốn tín dụng ưu đãi."
    return _insert_paragraph(seed, text, "PC705", "110%")


@injection("trap_achievement_rate", ("PC705",), trap=True)
def trap_achievement_rate(seed: Seed) -> Edit | None:
    """An achievement rate above 100 % ("giải ngân đạt 105% kế hoạch vốn"): not a share."""
    at = _after_first_paragraph(seed)
    if at is None:
        return None
    text = "Năm trước, tỷ lệ giải ngân nguồn vốn sự nghiệp đạt 105% kế hoạch vốn được giao."
    return Edit([InsertAfter(at, text)], not_=[{"code": ["PC705"], "op": 0}])


# --------------------------------------------------------------------------- kinds: PC804/PC805 (language)


def _no_marks(s: str) -> str:
    import unicodedata

    s = s.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    )


@injection("place_without_diacritics", ("PC804",))
def place_without_diacritics(seed: Seed) -> Edit | None:
    """Write the plan's own locality without diacritics in one body sentence ("xã Thinh Duc").

    Without a known locality, a district or province the plan names at least twice.
    """
    loc, level = seed.doc.metadata.get("locality"), seed.doc.metadata.get("level")
    names: list[tuple[str, str]] = []
    if loc and level:
        names.append((str(level), str(loc)))
    counts: dict[tuple[str, str], int] = {}
    for text in seed.lines:
        for m in _PARENT_UNIT.finditer(text):
            counts[(m.group("level"), m.group("name"))] = counts.get((m.group("level"), m.group("name")), 0) + 1
    names += [k for k, n in counts.items() if n >= 2 and k not in names]
    first = seed.headings(level=1)
    # not the title or the issuing sentence: they tell the checker which the plan's locality is
    body = [ln for ln in seed.body_paragraph_lines() if first and ln > first[0][0]]
    for unit, name in names:
        plain = _no_marks(name)
        if plain == name:
            continue
        old = f"{unit} {name}"
        uses = [ln for ln, t in enumerate(seed.lines, 1) if old in t]
        for ln in body:
            if old in seed.lines[ln - 1] and len(uses) >= 2:
                new = f"{unit} {plain}"
                return Edit([Replace(ln, old, new)], must=[{"code": "PC804", "op": 0, "anchor": [plain]}])
    return None


_EARLY_ABBR = (  # (abbreviation, a sentence that uses it)
    ("NHCSXH", "Phối hợp với NHCSXH giải ngân kịp thời vốn vay ưu đãi cho hộ nghèo, hộ cận nghèo."),
    ("GDNN", "Hỗ trợ người lao động thuộc hộ nghèo tham gia các khóa đào tạo GDNN phù hợp với nhu cầu."),
    ("BHYT", "Rà soát, cấp thẻ BHYT kịp thời cho người thuộc hộ nghèo, hộ cận nghèo theo quy định."),
    ("DTTS", "Ưu tiên hỗ trợ hộ nghèo là người DTTS sinh sống trên địa bàn."),
)


def _unused_abbreviation(seed: Seed) -> tuple[str, str] | None:
    text = "\n".join(seed.lines)
    for abbr, sentence in _EARLY_ABBR:
        if not regex.search(rf"(?<![\p{{L}}\p{{N}}]){abbr}(?![\p{{L}}\p{{N}}])", text):
            return abbr, sentence
    return None


@injection("abbreviation_before_definition", ("PC805",))
def abbreviation_before_definition(seed: Seed) -> Edit | None:
    """Use an abbreviation ("NHCSXH") early in the body, before (or without) its full form."""
    found = _unused_abbreviation(seed)
    at = _after_first_paragraph(seed)
    if found is None or at is None:
        return None
    abbr, sentence = found
    return Edit([InsertAfter(at, sentence)], must=[{"code": "PC805", "op": 0, "anchor": [abbr]}])


_FULL_FORMS = {
    "NHCSXH": "Ngân hàng Chính sách xã hội",
    "GDNN": "giáo dục nghề nghiệp",
    "BHYT": "bảo hiểm y tế",
    "DTTS": "dân tộc thiểu số",
}


@injection("trap_abbreviation_defined", ("PC805",), trap=True)
def trap_abbreviation_defined(seed: Seed) -> Edit | None:
    """An abbreviation spelled out at its first use ("Ngân hàng Chính sách xã hội (NHCSXH)"), then used."""
    found = _unused_abbreviation(seed)
    at = _after_first_paragraph(seed)
    if found is None or at is None:
        return None
    abbr = found[0]
    text = (
        f"Phối hợp với các cơ quan liên quan lồng ghép nội dung về {_FULL_FORMS[abbr]} ({abbr}) trong các hoạt động "
        f"truyền thông; các chính sách {abbr} được phổ biến đến từng thôn."
    )
    return Edit([InsertAfter(at, text)], not_=[{"code": ["PC805"], "anchor": [abbr]}])


# --------------------------------------------------------------------------- applying


def apply_txt(lines: list[str], ops: list[Op]) -> tuple[list[str], list[int]]:
    """Apply ops to the seed lines; returns new lines and the new line of each op."""
    out = list(lines)
    deleted = [False] * (len(lines) + 2)
    inserted_after: dict[int, list[str]] = {}
    inserted_before: dict[int, list[tuple[int, str]]] = {}
    for i, op in enumerate(ops):
        if isinstance(op, Replace):
            cur = out[op.line - 1]
            if op.old not in cur:
                raise CaseUnavailable(f"line {op.line} has no {op.old!r}")
            out[op.line - 1] = cur.replace(op.old, op.new, 1)
        elif isinstance(op, Delete):
            for ln in range(op.first, op.last + 1):
                deleted[ln] = True
        elif isinstance(op, InsertAfter):
            inserted_after.setdefault(op.line, []).extend(["", op.text])
        elif isinstance(op, InsertBefore):
            inserted_before.setdefault(op.line, []).append((i, op.text))
        elif isinstance(op, Clear):
            out[op.line - 1] = ""
        elif isinstance(op, ReplaceCell):
            cells = out[op.line - 1].split("\t")
            if op.col >= len(cells) or op.old not in cells[op.col]:
                raise CaseUnavailable(f"line {op.line}, cell {op.col} has no {op.old!r}")
            cells[op.col] = cells[op.col].replace(op.old, op.new, 1)
            out[op.line - 1] = "\t".join(cells)
    new: list[str] = []
    newline_of: dict[int, int] = {}
    before_at: dict[int, int] = {}  # op index -> new line of an InsertBefore's text
    for ln, text in enumerate(out, start=1):
        for i, t in inserted_before.get(ln, []):
            new.append(t)
            before_at[i] = len(new)
            new.append("")
        if not deleted[ln]:
            new.append(text)
        newline_of[ln] = len(new)  # the line itself, or the one before a deleted range
        for t in inserted_after.get(ln, []):
            new.append(t)
    where = []
    for i, op in enumerate(ops):
        if isinstance(op, Replace | Clear | ReplaceCell):
            where.append(newline_of[op.line])
        elif isinstance(op, InsertBefore):
            where.append(before_at[i])
        elif isinstance(op, Delete):
            where.append(newline_of[op.first - 1] if op.first > 1 else 1)
        else:
            where.append(newline_of[op.line] + 2)
    return new, where


def _norm(s: str) -> str:
    from .evaluate import norm_text

    return norm_text(s)


def _docx_paragraphs(d) -> list[Any]:
    from docx.oxml.ns import qn

    out = []

    def walk(el):
        for child in el.iterchildren():
            if child.tag == qn("w:p"):
                out.append(child)
            elif child.tag == qn("w:tbl"):
                for tr in child.iterchildren(qn("w:tr")):
                    for tc in tr.iterchildren(qn("w:tc")):
                        walk(tc)

    walk(d.element.body)
    return out


def _ptext(p) -> str:
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _find_paragraph(paras: list[Any], texts: list[str], lines: list[str], line: int) -> int:
    """Index of the paragraph holding seed line ``line`` (k-th of identical lines -> k-th hit)."""
    key = _norm(lines[line - 1])[:60]
    if not key:
        raise CaseUnavailable(f"line {line} is blank")
    k = sum(1 for ln in lines[: line - 1] if _norm(ln)[:60] == key)
    hits = [i for i, t in enumerate(texts) if key in t]
    if len(hits) <= k:
        raise CaseUnavailable(f"no paragraph for line {line}: {key!r}")
    return hits[k]


def _replace_in_paragraph(p, old: str, new: str) -> None:
    from docx.oxml.ns import qn

    ts = list(p.iter(qn("w:t")))
    for t in ts:
        if t.text and old in t.text:
            t.text = t.text.replace(old, new, 1)
            return
    full = "".join(t.text or "" for t in ts)
    stripped = old.strip("*# ")
    if stripped not in full:
        raise CaseUnavailable(f"paragraph has no {old!r}")
    ts[0].text = full.replace(stripped, new.strip("*# "), 1)
    for t in ts[1:]:
        t.text = ""


def _paragraph_like(p, text: str):
    """A new paragraph with p's paragraph and first run's properties, not bold, holding text."""
    from docx.oxml.ns import qn

    new = copy.deepcopy(p)
    runs = list(new.iterchildren(qn("w:r")))
    for r in runs[1:]:
        new.remove(r)
    ts = list(new.iter(qn("w:t")))
    if not ts:
        raise CaseUnavailable("paragraph without text run")
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""
    for rpr in new.iter(qn("w:b")):  # an inserted sentence is body text
        rpr.getparent().remove(rpr)
    return new


def _find_row(d, lines: list[str], line: int) -> list[Any]:
    """The cells (w:tc) of the Word table row that holds seed line ``line`` (a tab-separated row)."""
    from docx.oxml.ns import qn

    def key(cells: list[str]) -> tuple[str, ...]:
        cells = [_norm(c) for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        return tuple(cells)

    want = key(lines[line - 1].split("\t"))
    k = sum(1 for ln in lines[: line - 1] if "\t" in ln and key(ln.split("\t")) == want)
    hits = []
    for tr in d.element.body.iter(qn("w:tr")):
        tcs = list(tr.iterchildren(qn("w:tc")))
        if key(["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tcs]) == want:
            hits.append(tcs)
    if len(hits) <= k:
        raise CaseUnavailable(f"no table row for line {line}: {want!r}")
    return hits[k]


def _track_first_paragraph(d) -> None:
    """Wrap the runs of the body's first paragraph with text in a tracked insertion and
    put a tracked deletion before them (accepted, the text reads as before)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    for p in d.element.body.iter(qn("w:p")):
        runs = [r for r in p if r.tag == qn("w:r") and "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]
        if not runs:
            continue
        attrs = 'w:id="{}" w:author="plancheck" w:date="2024-01-01T00:00:00Z"'
        ins = parse_xml(f"<w:ins {nsdecls('w')} {attrs.format(9001)}/>")
        dele = parse_xml(f"<w:del {nsdecls('w')} {attrs.format(9002)}><w:r><w:delText>cũ </w:delText></w:r></w:del>")
        runs[0].addprevious(dele)
        runs[0].addprevious(ins)
        for r in runs:
            ins.append(r)
        return


def apply_docx(src: Path, dst: Path, lines: list[str], ops: list[Op], tracked: bool = False) -> None:
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(src))
    if tracked:
        _track_first_paragraph(d)
    paras = _docx_paragraphs(d)
    texts = [_norm(_ptext(p)) for p in paras]
    body = d.element.body
    removals = []
    for op in ops:
        if isinstance(op, Replace):
            p = paras[_find_paragraph(paras, texts, lines, op.line)]
            _replace_in_paragraph(p, op.old.replace("**", ""), op.new.replace("**", ""))
        elif isinstance(op, InsertAfter):
            p = paras[_find_paragraph(paras, texts, lines, op.line)]
            p.addnext(_paragraph_like(p, op.text))
        elif isinstance(op, InsertBefore):
            p = paras[_find_paragraph(paras, texts, lines, op.line)]
            p.addprevious(_paragraph_like(p, op.text))
        elif isinstance(op, Clear):
            p = paras[_find_paragraph(paras, texts, lines, op.line)]
            for t in p.iter(qn("w:t")):
                t.text = ""
        elif isinstance(op, ReplaceCell):
            cell = _find_row(d, lines, op.line)[op.col]
            ps = list(cell.iter(qn("w:p")))
            hit = next((q for q in ps if op.old in _ptext(q)), None)
            if hit is None:
                raise CaseUnavailable(f"line {op.line}, cell {op.col} has no {op.old!r}")
            _replace_in_paragraph(hit, op.old, op.new)
        elif isinstance(op, Delete):
            for ln in range(op.first, op.last + 1):
                if _norm(lines[ln - 1]):
                    p = paras[_find_paragraph(paras, texts, lines, ln)]
                    if p.getparent() is not body:
                        raise CaseUnavailable(f"line {ln} is inside a table")
                    removals.append(p)
    for p in {id(p): p for p in removals}.values():
        p.getparent().remove(p)
    d.save(str(dst))


_RENDERER = None


def renderer():
    """The corpus renderer module (scripts/render_corpus.py), or CaseUnavailable."""
    global _RENDERER
    if _RENDERER is None:
        if not RENDERER.exists():
            raise CaseUnavailable("scripts/render_corpus.py not found")
        spec = importlib.util.spec_from_file_location("plancheck_render_corpus", RENDERER)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        _RENDERER = mod
    fonts = getattr(_RENDERER, "FONT_DIR", None)
    if fonts is not None and not all(
        (fonts / f).exists()
        for f in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf")
    ):
        raise CaseUnavailable(f"renderer fonts missing in {fonts} (fonts-dejavu-core, fonts-dejavu-extra)")
    return _RENDERER


def render_pdf(txt: Path, dst: Path) -> None:
    rc = renderer()
    try:
        plan = rc.load(txt)
    except StopIteration as exc:
        raise CaseUnavailable("the renderer needs a KẾ HOẠCH title and a Nơi nhận block") from exc
    rc.build_pdf(plan, dst)


@dataclass
class Case:
    kind: str
    seed: str
    fmt: str
    path: Path
    expectations: Path
    trap: bool
    codes: tuple[str, ...]


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tone marks combining."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        dec = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in dec if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in dec if c not in tones))
        out += (base + tone).encode("cp1258", errors="replace")
    return bytes(out)


def make_case(kind: str | InjectionKind, seed: Seed | str, fmt: str, outdir: Path) -> Case:
    """Write one injected case and its expectations file into ``outdir``."""
    import yaml

    k = KINDS[kind] if isinstance(kind, str) else kind
    seed = Seed.load(seed) if isinstance(seed, str) else seed
    if fmt not in k.formats:
        raise CaseUnavailable(f"{k.name} is not made for .{fmt}")
    edit = k.fn(seed)
    if edit is None:
        raise CaseUnavailable(f"{k.name}: nothing to edit in {seed.name}")
    new_lines, where = apply_txt(seed.lines, edit.ops)
    outdir.mkdir(parents=True, exist_ok=True)
    base = f"{seed.name}-{k.name}"
    target = outdir / f"{base}.{fmt}"
    if edit.corrupt:
        if fmt == "txt":
            target.write_bytes(b"")
        else:
            target.write_bytes((SEEDS_DIR / f"{seed.name}.{fmt}").read_bytes()[:1000])
    elif fmt == "txt":
        text = "\n".join(new_lines)
        target.write_bytes(cp1258(text) if edit.encoding == "cp1258" else text.encode("utf-8"))
    elif fmt == "docx":
        apply_docx(SEEDS_DIR / f"{seed.name}.docx", target, seed.lines, edit.ops, tracked=edit.tracked)
    else:
        work = outdir / f".{base}"
        work.mkdir(exist_ok=True)
        txt = work / f"{seed.name}.txt"  # the renderer keys its layout on the seed name
        txt.write_text("\n".join(new_lines), encoding="utf-8")
        render_pdf(txt, target)

    def locate(e: dict[str, Any]) -> dict[str, Any]:
        e = dict(e)
        op = e.pop("op", None)
        if op is not None:
            line = where[op]
            if fmt == "txt":
                e["line"] = line
            else:
                e["text"] = _norm(new_lines[line - 1])[:80]
        return e

    exp = {
        "document": target.name,
        "source": f"injected: {k.name} into {seed.name}.{fmt} ({k.description})",
        "must": [locate(e) for e in edit.must],
        "not": [locate(e) for e in edit.not_],
    }
    exp_path = target.with_name(target.name + EXPECT_SUFFIX)
    exp_path.write_text(yaml.safe_dump(exp, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Case(k.name, seed.name, fmt, target, exp_path, k.trap, k.codes)


SEED_NAMES = ("seed000", "seed001", "seed002", "seed003", "seed004")


def plan_cases(per_kind: int = 3) -> list[tuple[str, str, str]]:
    """(kind, seed, format) triples: each kind over its formats in turn and rotating seeds.

    The first seed tried for a kind depends on a hash of its name, so the cases of all
    kinds spread over the five seeds and adding a kind moves no other kind's cases; a seed that has nothing to edit is passed over
    when the case is made (see ``generate``).
    """
    import zlib

    out = []
    for name in sorted(KINDS):
        k = KINDS[name]
        ki = zlib.crc32(name.encode("utf-8"))  # stable: adding a kind moves no other kind's cases
        for j in range(max(per_kind, len(k.formats))):
            fmt = k.formats[j % len(k.formats)]
            seed = SEED_NAMES[(ki + j) % len(SEED_NAMES)]
            out.append((name, seed, fmt))
    return out


def generate(
    outdir: Path, per_kind: int = 3, kinds: list[str] | None = None
) -> list[tuple[tuple[str, str, str], Case | None, str]]:
    """Make every planned case, trying the next seeds when one has nothing to edit.

    Returns (planned (kind, seed, format), the case made or None, why not made).
    """
    seeds: dict[str, Seed] = {}
    out: list[tuple[tuple[str, str, str], Case | None, str]] = []
    done: set[tuple[str, str, str]] = set()
    for planned in plan_cases(per_kind):
        name, seed_name, fmt = planned
        if kinds and name not in kinds:
            continue
        start = SEED_NAMES.index(seed_name)
        made = None
        last_error = ""
        for s in range(len(SEED_NAMES)):
            cand = SEED_NAMES[(start + s) % len(SEED_NAMES)]
            if (name, cand, fmt) in done:
                continue
            seed = seeds.get(cand) or seeds.setdefault(cand, Seed.load(cand))
            try:
                made = make_case(name, seed, fmt, outdir / fmt)
            except CaseUnavailable as exc:
                last_error = str(exc)
                if "renderer" in last_error or "not made for" in last_error:
                    break
                continue
            done.add((name, cand, fmt))
            break
        out.append((planned, made, "" if made else last_error))
    return out


if __name__ == "__main__":  # python -m plancheck.inject OUTDIR  (writes the cases, prints them)
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "injected")
    for planned, case, why in generate(out):
        if case:
            print(f"{case.kind:<22} {case.seed} {case.fmt:<4} {case.path}")
        else:
            print(f"{planned[0]:<22} not made for .{planned[2]}: {why}")
