"""Vietnamese-formatted numbers: "2.211" = 2211, "1,40" = 1.4, "06" = 6, "0,5%", "1.234,5".

Plans write "." between thousands groups and "," before decimals, but exports and
careless typing mix in the English style ("1.5", "2,211"). The parser reads the
Vietnamese form first and accepts the other only where it cannot be mistaken:
a "." followed by exactly three digits is a thousands separator ("2.211"), a ","
is a decimal mark unless several ","-groups of three digits follow one another
("1,234,567"). It keeps how many decimals were written, so a percentage can be
compared "to half a unit of the last shown decimal" (PC702).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

# A number as a whole token: sign, digits with "." or "," groups, optional "%".
_NUM = r"(?P<sign>[-−–]\s?)?(?P<body>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?)"
_WHOLE = regex.compile(r"^\s*\(?\s*" + _NUM + r"\s*(?P<pct>%)?\s*\)?\s*$")
# In running text: not glued to letters, dates (12/5), codes (85/KH) or other digits.
_IN_TEXT = regex.compile(
    r"(?<![\p{L}\d.,/\-])" + _NUM.replace("(?P<sign>[-−–]\\s?)?", "") + r"(?P<pct>\s?%)?(?![\p{L}\d/]|[.,]\d)"
)
_EN_GROUPS = regex.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")
_VI_GROUPS = regex.compile(r"\d{1,3}(?:\.\d{3})+")
# Cells that mean "nothing here" in a table: zero or not applicable.
_EMPTYISH = regex.compile(r"^\s*(?:|[-–—_.…x×X/]+|0?\s*\(?không\)?)\s*$", regex.I)


@dataclass(frozen=True, slots=True)
class Number:
    """A parsed number: ``value`` (int when no decimals), decimals shown, percent sign."""

    value: float | int
    decimals: int
    percent: bool
    text: str
    ambiguous: bool = False  # e.g. "1,234": Vietnamese 1,234 but maybe English 1234

    @property
    def tolerance(self) -> float:
        """Half a unit of the last shown decimal."""
        return 0.5 * 10 ** (-self.decimals)


def _value(body: str) -> tuple[float | int, int, bool] | None:
    """Value, decimals shown and ambiguity of an unsigned number body."""
    if _EN_GROUPS.fullmatch(body):
        # "1,234,567(.5)": English grouping, unambiguous with two or more groups.
        ip, _, dp = body.partition(".")
        ip = ip.replace(",", "")
        return (float(f"{ip}.{dp}") if dp else int(ip)), len(dp), False
    if "." in body and "," in body:
        ip, _, dp = body.rpartition(",")
        if not _VI_GROUPS.fullmatch(ip):
            return None
        return float(ip.replace(".", "") + "." + dp), len(dp), False
    if "." in body:
        parts = body.split(".")
        if all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3:
            return int(body.replace(".", "")), 0, False
        if len(parts) == 2:
            # "1.5": a decimal written the English way
            return float(body), len(parts[1]), True
        return None
    if "," in body:
        ip, dp = body.split(",")
        return float(f"{ip}.{dp}"), len(dp), len(dp) == 3
    return int(body), 0, False


def parse_number(text: str) -> Number | None:
    """Parse a whole string as one number ("2.211", "1,40", "(0,5%)"); None otherwise."""
    m = _WHOLE.match(text)
    if not m:
        return None
    v = _value(m.group("body"))
    if v is None:
        return None
    value, dec, amb = v
    if m.group("sign"):
        value = -value
    if isinstance(value, float) and dec == 0:
        value = int(value)
    return Number(value=value, decimals=dec, percent=bool(m.group("pct")), text=text.strip(), ambiguous=amb)


def is_emptyish(text: str) -> bool:
    """An empty cell or a dash/"x": no value written (zero or not applicable)."""
    return bool(_EMPTYISH.match(text))


def iter_numbers(text: str) -> Iterator[tuple[int, int, Number]]:
    """Numbers in running text with their (start, end) offsets in ``text``."""
    for m in _IN_TEXT.finditer(text):
        v = _value(m.group("body"))
        if v is None:
            continue
        value, dec, amb = v
        if isinstance(value, float) and dec == 0:
            value = int(value)
        yield (
            m.start(),
            m.end(),
            Number(value=value, decimals=dec, percent=bool(m.group("pct")), text=m.group(0), ambiguous=amb),
        )


def format_vi(value: float | int, decimals: int | None = None) -> str:
    """Write a number the Vietnamese way: 2.211 and 1,4 (``decimals`` fixes the places)."""
    if isinstance(value, float) and value.is_integer() and decimals in (None, 0):
        value = int(value)
    if isinstance(value, int) and not decimals:
        return f"{value:,}".replace(",", ".")
    s = f"{value:,.{decimals if decimals is not None else 2}f}"
    if decimals is None:
        s = s.rstrip("0").rstrip(".")
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
