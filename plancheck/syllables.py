"""Is a token a written Vietnamese syllable? Onsets, rhymes and tone rules are data.

The table lives in ``rules/facts/lexicon/syllables.yaml``; this module only applies
it. Used by PC803 (words run together: a token that is not a syllable but splits
into two), by PC804 (diacritic-insensitive comparison of place names) and by PC806
(misspelled word: ``canon`` keys, one-slip neighbours ``slips`` and ``slip_kind``).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from .resources import FACTS_DIR
from .yamlio import load_yaml

SYLLABLES_FILE = FACTS_DIR / "lexicon" / "syllables.yaml"

# vowel-quality marks stay (â ê ô ă ơ ư); only the five tone marks are removed
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
#: longest written syllable in characters: "nghiêng" has 7 letters, decomposed (NFD)
#: text adds up to two marks. Longer tokens are no syllable and never reach the cache,
#: whose size therefore stays bounded (65,536 short strings, a few MB) whatever a
#: document holds: a 100,000-character token made it hold gigabytes of slices.
MAX_SYLLABLE_CHARS = 10


@dataclass(frozen=True)
class SyllableTable:
    onsets: tuple[str, ...]  # longest first
    rhymes: frozenset[str]
    front_only: frozenset[str]
    not_front: frozenset[str]
    front_vowels: tuple[str, ...]
    qu_excluded: tuple[str, ...]
    medial_groups: tuple[str, ...]
    stop_codas: tuple[str, ...]
    stop_tones: frozenset[str]
    tone_names: dict[str, str]

    @classmethod
    def from_data(cls, data: dict) -> SyllableTable:
        for key in ("onsets", "rhymes", "stop_codas", "tone_marks"):
            if key not in data:
                raise ValueError(f"syllables.yaml: thiếu khóa '{key}' / missing key '{key}'")
        for name in ("onsets", "front_only", "not_front", "front_vowels", "stop_codas", "qu_excluded_starts"):
            _strings(data.get(name, []), name)
        for group, items in data["rhymes"].items():
            _strings([group, *items], f"rhymes.{group}")
        rhymes = frozenset(r for group in data["rhymes"].values() for r in group)
        medial = tuple(g for g in data["rhymes"] if len(g) == 2 and g[0] in "ou" and g not in ("uô", "ươ"))
        return cls(
            onsets=tuple(sorted(data["onsets"], key=len, reverse=True)),
            rhymes=rhymes,
            front_only=frozenset(data.get("front_only", [])),
            not_front=frozenset(data.get("not_front", [])),
            front_vowels=tuple(data.get("front_vowels", ["i", "e", "ê", "y"])),
            qu_excluded=tuple(data.get("qu_excluded_starts", [])),
            medial_groups=medial,
            stop_codas=tuple(sorted(data["stop_codas"], key=len, reverse=True)),
            stop_tones=frozenset(data.get("stop_tones", ["sac", "nang"])),
            tone_names=dict(data["tone_marks"]),
        )


def _strings(items: list, name: str) -> None:
    """YAML reads bare on / y / n as booleans: insist on strings so that cannot slip in."""
    bad = [x for x in items if not isinstance(x, str)]
    if bad:
        raise ValueError(f"syllables.yaml: '{name}' phải là chuỗi / must be strings (quote them): {bad}")


@functools.lru_cache(maxsize=1)
def table() -> SyllableTable:
    data = load_yaml(SYLLABLES_FILE)
    return SyllableTable.from_data(data)


def split_tone(word: str) -> tuple[str, list[str]]:
    """Lowercase ``word`` without its tone marks, and the tone marks found (in order)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_MARKS]
    base = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", base), tones


def strip_diacritics(text: str) -> str:
    """Lowercase ASCII-ish skeleton: all marks removed, đ -> d (for fuzzy comparison)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tone_key(word: str) -> tuple[str, str]:
    """(toneless syllable, tone) so that "hòa" and "hoà" compare equal."""
    base, tones = split_tone(word)
    return base, "".join(sorted(tones))


def _rhyme_ok(t: SyllableTable, onset: str, rhyme: str, tone: str) -> bool:
    if rhyme not in t.rhymes:
        return False
    front = rhyme.startswith(t.front_vowels)
    if onset in t.front_only and not front:
        return False
    if onset in t.not_front and front:
        return False
    if onset == "qu" and rhyme.startswith(t.qu_excluded):
        return False
    if onset in ("c", "k", "gh", "ngh", "qu") and rhyme.startswith(t.medial_groups):
        return False
    if rhyme.endswith(t.stop_codas) and tone not in t.stop_tones:
        return False
    return True


def is_syllable(word: str) -> bool:
    """True if ``word`` (any case) is a well-formed Vietnamese written syllable."""
    if not word or len(word) > MAX_SYLLABLE_CHARS:
        return False
    return _is_syllable(word)


@functools.lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    if not word.isalpha():
        return False
    t = table()
    base, tones = split_tone(word)
    if len(tones) > 1:
        return False
    tone = t.tone_names.get(tones[0], "?") if tones else "ngang"
    for onset in (*t.onsets, ""):
        if not base.startswith(onset):
            continue
        rest = base[len(onset) :]
        if onset == "gi":  # gi + i-rhyme is written with one i: gì, gìn, giếng
            if (rest and _rhyme_ok(t, onset, rest, tone)) or _rhyme_ok(t, onset, "i" + rest, tone):
                return True
            continue
        if onset == "qu" and rest and _rhyme_ok(t, "", "u" + rest, tone):  # the u is the medial: quỳnh, quân
            return True
        if rest and _rhyme_ok(t, onset, rest, tone):
            return True
    return False


def splits(word: str) -> list[tuple[str, str]]:
    """Every way to cut ``word`` into two well-formed syllables ("lớptập" -> lớp + tập)."""
    if len(word) > 2 * MAX_SYLLABLE_CHARS:
        return []
    out = []
    for i in range(1, len(word)):
        a, b = word[:i], word[i:]
        if is_syllable(a) and is_syllable(b):
            out.append((a, b))
    return out


_TONE_DIGIT = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
# a final y after an onset is the i/y spelling variant (kỹ/kĩ, lý/lí, quý/quí)
_FINAL_Y = ("b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")


def canon(word: str) -> str:
    """One key for the spellings of one syllable: lowercase toneless base + tone digit.

    Old and new tone placement (hoà / hòa, uỷ / ủy) and i / y after an onset (kĩ / kỹ,
    lí / lý, quí / quý) give the same key: "hoa2", "uy3", "ki4". No tone: digit "0".
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    digit = "0"
    for c in decomposed:
        if c in _TONE_DIGIT:
            digit = _TONE_DIGIT[c]
            decomposed = decomposed.replace(c, "")
            break
    base = unicodedata.normalize("NFC", decomposed)
    if base.endswith("y") and len(base) >= 2 and (base[-2] in _FINAL_Y or base[-3:-1] == "qu"):
        base = base[:-1] + "i"
    return base + digit


# One slip of the keyboard or the ear, as data for PC806 (which syllable could have been
# meant): vowel marks, onset confusions, and a letter dropped or doubled.
MARK_SLIPS = {"a": "ăâ", "ă": "aâ", "â": "aă", "o": "ôơ", "ô": "oơ", "ơ": "oô", "u": "ư", "ư": "u", "e": "ê", "ê": "e"}
ONSET_SLIPS = (("đ", "d"), ("d", "đ"), ("s", "x"), ("x", "s"), ("ch", "tr"), ("tr", "ch"), ("d", "r"), ("r", "d"),
           ("d", "gi"), ("gi", "d"), ("r", "gi"), ("gi", "r"), ("l", "n"), ("n", "l"))  # fmt: skip
_GLIDES = (("ươ", "uô"), ("uô", "ươ"))
_LETTERS = "abcdđeghiklmnopqrstuvxyăâêôơư"


def slips(key: str) -> set[str]:
    """Keys one slip away from ``key`` (a ``canon`` key): another tone, another vowel mark,
    d/đ, s/x, ch/tr, d/r/gi, l/n at the onset, one letter more or less. Not all are
    syllables: the caller keeps those it knows."""
    base, tone = key[:-1], key[-1]
    out = {base + t for t in "012345" if t != tone}
    for i, ch in enumerate(base):
        for m in MARK_SLIPS.get(ch, ""):
            out.add(base[:i] + m + base[i + 1 :] + tone)
    for a, b in ONSET_SLIPS:
        if base.startswith(a):
            out.add(b + base[len(a) :] + tone)
    for a, b in _GLIDES:
        if a in base:
            out.add(base.replace(a, b, 1) + tone)
    for i in range(len(base)):
        out.add(base[:i] + base[i + 1 :] + tone)
    for i in range(len(base) + 1):
        for ch in _LETTERS:
            out.add(base[:i] + ch + base[i:] + tone)
    out.discard(key)
    out.discard(tone)
    return {canon_of_key(k) for k in out}


def canon_of_key(key: str) -> str:
    """A key made by editing another, in its canonical i/y form ("ky1" -> "ki1")."""
    base = key[:-1]
    if base.endswith("y") and len(base) >= 2 and (base[-2] in _FINAL_Y or base[-3:-1] == "qu"):
        return base[:-1] + "i" + key[-1]
    return key


def slip_kind(wrong: str, right: str) -> str:
    """The kind of slip between two ``canon`` keys: "tone", "mark" (ă/â/ơ/ư/ê/ô), "onset"
    (d/đ, s/x, ch/tr, d/r/gi, l/n), "initial" (the first letter missing), "letter" (one
    dropped or added elsewhere) or "other"."""
    wb, wt, rb, rt = wrong[:-1], wrong[-1], right[:-1], right[-1]
    if wb == rb:
        return "tone" if wt != rt else "other"
    if wt != rt:
        return "other"
    if len(wb) == len(rb):
        diff = [(a, b) for a, b in zip(wb, rb, strict=True) if a != b]
        if len(diff) == 1 and diff[0][1] in MARK_SLIPS.get(diff[0][0], ""):
            return "mark"
    for a, b in (*ONSET_SLIPS, *_GLIDES):
        if wb.startswith(a) and b + wb[len(a) :] == rb or (a in wb and wb.replace(a, b, 1) == rb):
            return "onset"
    if len(rb) == len(wb) + 1 and rb[1:] == wb:
        return "initial"  # the first letter missing: rarely typed so, often lost by a PDF's font
    if abs(len(wb) - len(rb)) == 1:
        return "letter"
    return "other"
