"""Every date mention of a plan, with its span: full dates, partial dates, years, periods.

Plans write dates many ways ("18/01/2022", "18-01-2022", "18.01.2022", "ngày 18 tháng 01
năm 2022", split by a line break or by markdown "*24*"), and numbers that only look like
dates ("1/3 số hộ", "24/24 giờ", "0,5%/năm", numbers in table cells) must not become
dates. An impossible calendar date is kept with ``valid=False`` (PC301 reports it);
dropping it would hide the defect.

One pass of one compiled pattern over ``doc.text``; the result is memoised with
``doc.derived("dates", ...)`` so every rule shares it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Document, Span

ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Markdown leftovers and line breaks may sit between the parts of a worded date.
_G = r"[\s*_]{1,6}"
_G0 = r"[\s*_]{0,6}"
_Y = r"(?:19|20)\d{2}"

DATE_PATTERN = regex.compile(
    rf"""
    (?P<words>(?<!\p{{L}})ngày{_G}(?P<wd>\d{{1,2}}){_G}tháng{_G}(?P<wm>\d{{1,2}}){_G0}(?:năm|/){_G0}(?P<wy>\d{{4}})(?!\d))
  | (?P<num>(?<![\d/.,\-])(?P<nd>\d{{1,2}})[ ]?(?P<sep>[/.\-])[ ]?(?P<nm>\d{{1,2}})[ ]?(?P=sep)[ ]?(?P<ny>{_Y})(?![\d/]|[.,]\d))
  | (?P<dmw>(?<!\p{{L}})ngày{_G}(?P<dwd>\d{{1,2}}){_G}tháng{_G}(?P<dwm>\d{{1,2}})(?![\d/]|{_G0}năm{_G0}\d))
  | (?P<dm>(?<!\p{{L}})(?P<dmlead>ngày|trước|đến|từ|sau|vào|hạn)[ ]+(?:ngày[ ]+)?(?P<dd>\d{{1,2}})/(?P<dmm>\d{{1,2}})(?![\d/]|[.,]\d|%))
  | (?P<my>(?<!\p{{L}})tháng{_G}(?P<mm>\d{{1,2}}){_G0}(?:năm{_G0}|/[ ]?)(?P<myy>\d{{4}})(?!\d))
  | (?P<q>(?<!\p{{L}})quý[ ]+(?P<qn>IV|I{{1,3}}|[1-4])(?!\p{{L}})(?:[ ]*(?:năm[ ]+|/[ ]?)(?P<qy>{_Y})(?!\d))?)
  | (?P<h>(?<!\p{{L}})(?:6|sáu)[ ]+tháng[ ]+(?P<hw>đầu|cuối)[ ]+năm(?:[ ]+(?P<hy>{_Y})(?!\d))?)
  | (?P<p>(?<![\d/.,\p{{L}}])(?:(?P<pgd>giai[ ]+đoạn|nhiệm[ ]+kỳ)[ ]+)?(?:từ[ ]+)?(?:năm[ ]+)?(?P<p1>{_Y})[ ]*(?:[-–—][ ]*|đến[ ]+(?:năm[ ]+)?)(?P<p2>{_Y})(?![\d/]))
  | (?P<y>(?<!\p{{L}})năm{_G}(?P<yy>{_Y})(?![\d/]|[.,]\d))
    """,
    regex.V1 | regex.IGNORECASE | regex.VERBOSE,
)


# Where a date can start: a keyword at a word start, or a digit that does not continue a
# number. DATE_PATTERN is tried only there (one big alternation at every offset is slow).
_KEYWORDS = ("ngày", "tháng", "quý", "năm", "giai", "nhiệm", "từ", "trước", "đến", "sau", "vào", "hạn", "sáu")
_TRIGGER = regex.compile(rf"(?<!\p{{L}})(?:{'|'.join(_KEYWORDS)})|(?<!\d)\d", regex.V1 | regex.IGNORECASE)
_DIGIT_RUN = regex.compile(r"\d+")


def _triggers(text: str) -> list[int]:
    """The offsets where ``_TRIGGER`` matches, in order.

    Scanning the whole text with ``_TRIGGER`` costs more than the dates themselves: the
    candidates are found with ``str.find`` on the case-folded text (a keyword) and one
    pass for digit runs, and only they are tried with ``_TRIGGER.match``. Matches of
    ``_TRIGGER`` never overlap another place where it could match, so this finds the
    same offsets as ``_TRIGGER.finditer``. A text whose case folding changes its length
    (rare letters such as "ß") is scanned the old way.
    """
    folded = text.casefold()
    if len(folded) != len(text):
        return [m.start() for m in _TRIGGER.finditer(text)]
    cands = [m.start() for m in _DIGIT_RUN.finditer(text)]
    find = folded.find
    for kw in _KEYWORDS:
        i = find(kw)
        while i >= 0:
            cands.append(i)
            i = find(kw, i + 1)
    cands.sort()
    match = _TRIGGER.match
    return [p for p in cands if match(text, p)]


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date mention. ``kind``: full | day_month | month_year | quarter | half | year | period.

    ``valid`` is False for an impossible calendar date (31/4, 29/02/2023, month 13).
    ``fmt`` is the writing: slash | dash | dot | words. ``year_end`` is set for periods.
    """

    span: Span
    kind: str
    text: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    year_end: int | None = None
    quarter: int | None = None
    half: str | None = None
    fmt: str = "words"
    valid: bool = True
    block: int | None = None

    @property
    def date(self) -> dt.date | None:
        if self.kind == "full" and self.valid:
            return dt.date(self.year, self.month, self.day)
        return None

    @property
    def iso(self) -> str | None:
        d = self.date
        return d.isoformat() if d else None

    def show(self) -> str:
        """dd/mm/yyyy for a full date, else the text as written."""
        if self.kind == "full":
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        return " ".join(self.text.replace("*", "").split())


def _days_in(month: int, year: int | None) -> int:
    if year is None:  # a day and month without a year: 29/2 is possible
        return 29 if month == 2 else calendar.monthrange(2023, month)[1]
    return calendar.monthrange(year, month)[1]


def valid_dmy(day: int, month: int, year: int | None) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _days_in(month, year)


def _mention(doc: Document, m: regex.Match) -> DateMention | None:
    g = m.groupdict()
    span = Span(m.start(), m.end())
    text = m.group(0)
    if g["words"]:
        d, mo, y = int(g["wd"]), int(g["wm"]), int(g["wy"])
        return DateMention(span, "full", text, d, mo, y, fmt="words", valid=valid_dmy(d, mo, y))
    if g["num"]:
        d, mo, y = int(g["nd"]), int(g["nm"]), int(g["ny"])
        sep = g["sep"]
        ok = valid_dmy(d, mo, y)
        if sep != "/" and not (1 <= mo <= 12 and 1 <= d <= 31):
            return None  # "1.23.2020", "3-15-2020": not written as a date
        return DateMention(span, "full", text, d, mo, y, fmt={"/": "slash", "-": "dash", ".": "dot"}[sep], valid=ok)
    if g["dmw"]:
        d, mo = int(g["dwd"]), int(g["dwm"])
        return DateMention(span, "day_month", text, d, mo, fmt="words", valid=valid_dmy(d, mo, None))
    if g["dm"]:
        d, mo = int(g["dd"]), int(g["dmm"])
        lead = g["dmlead"].lower()
        if lead != "ngày" and not valid_dmy(d, mo, None):
            return None  # "đến 24/24": a ratio after a preposition, not a date
        start = m.start("dd") if lead != "ngày" else m.start()
        return DateMention(
            Span(start, m.end()),
            "day_month",
            doc.text[start : m.end()],
            d,
            mo,
            fmt="slash",
            valid=valid_dmy(d, mo, None),
        )
    if g["my"]:
        mo, y = int(g["mm"]), int(g["myy"])
        if not 1900 <= y <= 2099:
            return None
        return DateMention(span, "month_year", text, None, mo, y, valid=1 <= mo <= 12)
    if g["q"]:
        y = int(g["qy"]) if g["qy"] else None
        return DateMention(span, "quarter", text, year=y, quarter=ROMAN_QUARTERS[g["qn"].upper()])
    if g["h"]:
        y = int(g["hy"]) if g["hy"] else None
        return DateMention(span, "half", text, year=y, half="first" if g["hw"].lower() == "đầu" else "second")
    if g["p"]:
        a, b = int(g["p1"]), int(g["p2"])
        if not (a < b <= a + 30):
            return None
        return DateMention(span, "period", text, year=a, year_end=b)
    if g["y"]:
        return DateMention(span, "year", text, year=int(g["yy"]))
    return None


def extract_dates(doc: Document) -> tuple[DateMention, ...]:
    """All date mentions in document order (memoised per document)."""
    return doc.derived("dates", _extract)


def _extract(doc: Document) -> tuple[DateMention, ...]:
    out: list[DateMention] = []
    cells = {b.index for b in doc.blocks if b.kind == "cell"}
    text = doc.text
    last = 0
    for start in _triggers(text):
        if start < last:
            continue
        m = DATE_PATTERN.match(text, start)
        if m is None:
            continue
        last = m.end()
        dm = _mention(doc, m)
        if dm is None:
            continue
        b = doc.block_at(dm.span.start)
        bi = b.index if b is not None else None
        if bi in cells and dm.kind == "day_month":
            continue  # "10/6" in a table cell is a count or a ratio more often than a date
        out.append(_with_block(dm, bi))
    return tuple(out)


def _with_block(dm: DateMention, block: int | None) -> DateMention:
    """``dataclasses.replace(dm, block=block)`` for a mention nobody else holds yet (faster)."""
    object.__setattr__(dm, "block", block)
    return dm


def dates_by_start(doc: Document) -> dict[int, DateMention]:
    """Date mentions keyed by their start offset (citations attach the date after "ngày")."""
    return doc.derived("dates_by_start", lambda d: {m.span.start: m for m in extract_dates(d)})


def parse_iso(value: Any) -> dt.date | None:
    """A metadata date (ISO string or date) as a date, else None."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def show_date(d: dt.date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else "?"


def dates_json(doc: Document) -> list[dict[str, Any]]:
    """View for ``plancheck extract``: each mention with its kind, value and location."""
    out = []
    for m in extract_dates(doc):
        loc = doc.locate(m.span)
        item: dict[str, Any] = {"text": m.text, "kind": m.kind, "line": loc.line}
        if loc.page is not None:
            item["page"] = loc.page
        if loc.paragraph is not None:
            item["paragraph"] = loc.paragraph
        if m.kind == "full":
            item["value"] = m.iso if m.valid else f"{m.day}/{m.month}/{m.year}"
            item["format"] = m.fmt
        elif m.kind == "period":
            item["value"] = f"{m.year}-{m.year_end}"
        else:
            item["value"] = {
                k: v
                for k, v in (
                    ("day", m.day),
                    ("month", m.month),
                    ("year", m.year),
                    ("quarter", m.quarter),
                    ("half", m.half),
                )
                if v is not None
            }
        if not m.valid:
            item["valid"] = False
        out.append(item)
    return out
