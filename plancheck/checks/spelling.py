"""PC806: a misspelled word nobody listed, found with data rather than a list of typos.

Three layers, all data (``rules/facts/lexicon/spelling-*``, rebuilt by
scripts/build_lexicon.py from ../shared; sources and licences in
``rules/facts/lexicon/SOURCES.md``):

1. syllable structure (``syllables.is_syllable``): a lower-case token with Vietnamese
   marks that is no syllable ("triểt", "nươc") is reported on its own;
2. which syllable pairs formal Vietnamese writes, and how often (13,910 pages on law and
   administration and an office's real files), together with the pairs inside the
   multi-syllable words of a dictionary (pyvi's word list);
3. one slip (another tone, vowel mark, d/đ, s/x, ch/tr, d/r/gi, l/n, a letter dropped or
   doubled): a syllable that forms weak pairs with its neighbours while a syllable one
   slip away forms frequent ones ("xây dụng" 6 times in the corpus, "xây dựng" 37,455)
   is reported with that word; the right form written elsewhere in the same document
   raises the confidence.

Names (capitalised words inside a sentence), acronyms, codes, numbers, addresses,
quoted titles and foreign words (a neighbour that is no Vietnamese syllable) are never
corrected. The data is loaded on first use: a sorted array of pair keys searched by
bisection, the frequent pairs as a set.
"""

from __future__ import annotations

import functools
import math
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import lshift, or_
from typing import Any

from ..extract.words import words
from ..model import Document, Finding
from ..resources import LEXICON_DIR
from ..syllables import canon, is_syllable, slip_kind, slips, splits
from .base import Kind
from .language import _as_list, _checked_blocks, load_lexicon, match_case

MAGIC = b"PC806v1\0"
TRIPLES_MAGIC = b"PC806t1\0"
TRIPLES_FILE = "spelling-triples.bin"
PAIRS_FILE = "spelling-pairs.bin"
SYLLABLES_FILE = "spelling-syllables.tsv"
# the arrays of PAIRS_FILE, in order, after MAGIC and a uint32 length each
_LAYOUT = (("strong_keys", "I"), ("weak_keys", "I"), ("dict_keys", "I"), ("slip_offsets", "I"),
           ("slip_targets", "H"), ("strong_vals", "B"), ("weak_vals", "B"))  # fmt: skip
# what Vietnamese writes: these letters and marks (tones, breve, circumflex, horn)
_VIET_LETTERS = frozenset("abcdeghiklmnopqrstuvxyđfjwz")
_VIET_MARKS = frozenset("\u0300\u0301\u0309\u0303\u0323\u0306\u0302\u031b")
NOT_SYLLABLE = -2
_NONE = 0xFFFF  # stands for a token that is no known syllable in a pair key
UNKNOWN = -1
_QUOTES_OPEN = "“«\"'‘"
_SENTENCE_END = ".:;!?•-–+*>)"


def dequantize(q: int) -> int:
    """The count a byte of PAIRS_FILE stands for (inverse of build_lexicon.quantize)."""
    return q if q <= 4 else int(4 * 2 ** ((q - 4) / 4))


def triple_hash(a: int, b: int, c: int) -> int:
    """32-bit hash of a syllable triple (spelling-triples.bin holds these, sorted)."""
    return ((a << 32 | b << 16 | c) * 0x9E3779B97F4A7C15 >> 29) & 0xFFFFFFFF


@dataclass(frozen=True)
class SpellData:
    ids: dict[str, int]  # canon key -> syllable id
    keys: tuple[str, ...]  # id -> canon key
    forms: tuple[str, ...]  # id -> most frequent written form
    counts: array  # id -> count in the corpus
    lower: bytes  # id -> % of its occurrences in lower case
    dict_pairs: frozenset[int]  # pairs inside dictionary words
    known_pairs: frozenset[int]  # these and the frequent pairs (id1 << 16 | id2)
    arrays: dict[str, array]

    def pair(self, a: int, b: int) -> int:
        """How often syllable b follows syllable a in the corpus (0: below the threshold)."""
        k = a << 16 | b
        if k in self.known_pairs:  # the frequent pairs (and the dictionary's) are searched first
            keys = self.arrays["strong_keys"]
            i = bisect_left(keys, k)
            if i < len(keys) and keys[i] == k:
                return dequantize(self.arrays["strong_vals"][i])
        keys = self.arrays["weak_keys"]
        i = bisect_left(keys, k)
        return dequantize(self.arrays["weak_vals"][i]) if i < len(keys) and keys[i] == k else 0

    def triple(self, a: int, b: int, c: int) -> int:
        """How often the three syllables follow each other in the corpus (0: below the threshold)."""
        keys = self.arrays["triple_keys"]
        h = triple_hash(a, b, c)
        i = bisect_left(keys, h)
        return dequantize(self.arrays["triple_vals"][i]) if i < len(keys) and keys[i] == h else 0

    def slip_ids(self, a: int) -> array:
        off = self.arrays["slip_offsets"]
        return self.arrays["slip_targets"][off[a] : off[a + 1]]

    def known(self, k: int) -> bool:
        """The pair is frequent or inside a dictionary word."""
        return k in self.known_pairs


@functools.lru_cache(maxsize=1)
def spell_data() -> SpellData:
    text = (LEXICON_DIR / SYLLABLES_FILE).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.split("\n") if line and not line.startswith("#")]
    keys, forms, counts_, lower_ = zip(*rows, strict=True)
    ids = dict(zip(keys, range(len(keys)), strict=True))
    counts = array("I", map(int, counts_))
    lower = bytes(map(int, lower_))
    arrays = _read_arrays(PAIRS_FILE, MAGIC, _LAYOUT)
    arrays.update(_read_arrays(TRIPLES_FILE, TRIPLES_MAGIC, (("triple_keys", "I"), ("triple_vals", "B"))))
    return SpellData(
        ids=ids,
        keys=keys,
        forms=forms,
        counts=counts,
        lower=lower,
        dict_pairs=frozenset(arrays["dict_keys"]),
        known_pairs=frozenset(arrays["strong_keys"]).union(arrays["dict_keys"]),
        arrays=arrays,
    )


def _read_arrays(name: str, magic: bytes, layout) -> dict[str, array]:
    """The little-endian arrays of a data file: ``magic``, a uint32 length per array, the arrays."""
    raw = (LEXICON_DIR / name).read_bytes()
    if not raw.startswith(magic):
        raise ValueError(f"{name}: không đúng định dạng / not a PC806 data file")
    pos = len(magic)
    header = array("I")
    header.frombytes(raw[pos : pos + 4 * len(layout)])
    if sys.byteorder != "little":
        header.byteswap()
    pos += 4 * len(layout)
    arrays: dict = {}
    view = memoryview(raw)
    for (key, code), n in zip(layout, header, strict=True):
        size = n * array(code).itemsize
        if sys.byteorder == "little":  # the file's own bytes, not a copy
            arrays[key] = view[pos : pos + size].cast(code)
        else:
            a = array(code)
            a.frombytes(raw[pos : pos + size])
            a.byteswap()
            arrays[key] = a
        pos += size
    return arrays


@functools.lru_cache(maxsize=8192)
def syllable_id(low: str) -> int:
    """Id of a lowercase token's syllable; UNKNOWN for a syllable not in the data,
    NOT_SYLLABLE for a token that is no Vietnamese syllable."""
    if len(low) > 8 or not is_syllable(low):
        return NOT_SYLLABLE
    return spell_data().ids.get(canon(low), UNKNOWN)


def _has_vowel(low: str) -> bool:
    return any(c in "aăâeêioôơuưy" for c in unicodedata.normalize("NFD", low))


def vietnamese_letters(low: str) -> bool:
    """Only letters and marks Vietnamese writes (not ƣ or ǜ: a font's or a code page's
    mapping, which is the reader's or the encoding's problem, not a misspelling)."""
    return all(c in _VIET_LETTERS or c in _VIET_MARKS for c in unicodedata.normalize("NFD", low))


@functools.lru_cache(maxsize=4096)
def slips_of(low: str, min_count: int) -> tuple[int, ...]:
    """Frequent syllables one slip away from a token that is not in the data (or no syllable)."""
    d = spell_data()
    out = []
    key = canon(low)
    for k in (key, *slips(key)):  # the key itself: a letter or mark written twice (đoààn, củủa)
        i = d.ids.get(k)
        if i is not None and d.counts[i] >= min_count:
            out.append(i)
    return tuple(sorted(out))


# weak pair -> 1: a slip of its first syllable would make it a known pair, 2: of its second.
# Shared by the documents of a process (a batch meets the same pairs again), bounded.
_FIXABLE: dict[int, int] = {}
_FIXABLE_MAX = 50_000
# passages (syllable ids around a token) for which no syllable one slip away fits; bounded
_NO_CORRECTION: set[tuple] = set()


def _fixable(d: SpellData, k: int) -> int:
    a, b = k >> 16, k & _NONE
    known_pairs = d.known_pairs
    f = 0
    if not known_pairs.isdisjoint(map(or_, map(lshift, d.slip_ids(a), repeat(16)), repeat(b))):
        f |= 1
    if not known_pairs.isdisjoint(map(or_, repeat(a << 16), d.slip_ids(b))):
        f |= 2
    if len(_FIXABLE) >= _FIXABLE_MAX:
        _FIXABLE.clear()
    _FIXABLE[k] = f
    return f


class _Ids:
    """Token index -> syllable id, looked up when asked (only a few tokens are)."""

    __slots__ = ("lows", "memo")

    def __init__(self, lows: list[str], memo: dict[str, int]) -> None:
        self.lows, self.memo = lows, memo

    def __getitem__(self, i: int) -> int:
        return self.memo[self.lows[i]]


class Misspelled(Kind):
    """A syllable that is no Vietnamese syllable, or that forms weak pairs with its
    neighbours while one slip away it forms frequent ones. A correction's score is the
    log-ratio of the corpus probabilities of the corrected and the written passage (pairs,
    triples, the written syllable's rarity), less the cost of its kind of slip; it is
    reported at ``threshold`` (both neighbours) or ``one_side_threshold`` (one). The other
    parameters (rules/language/PC806-*.yaml) bound what counts as evidence: ``evidence``
    (the right pair elsewhere in the document), ``known_ratio``, ``decisive_ratio`` and
    ``dictionary_ratio`` (how much more frequent a correction must be where the written
    syllable is itself frequent or a dictionary word), ``slip_cost`` / ``pdf_slip_cost``,
    ``equivalent`` (spellings both right), ``max_broken_share`` / ``max_plain_share`` (a text
    layer not worth checking)."""

    def setup(self, params: dict[str, Any]) -> None:
        self.alpha = float(params.get("alpha", 1.0))
        self.threshold = float(params.get("threshold", 5.0))
        self.one_side = float(params.get("one_side_threshold", 6.0))
        self.evidence = float(params.get("evidence", 2.0))
        self.dict_count = int(params.get("dictionary_count", 50))
        self.min_count = int(params.get("min_count", 50))
        self.min_lower = int(params.get("min_lower_share", 50))
        self.repeats = int(params.get("max_repeats", 2))
        self.min_pair = int(params.get("min_pair", 3))
        self.trigram_weight = float(params.get("trigram_weight", 1.0))
        self.known_ratio = float(params.get("known_ratio", 4.0))
        self.decisive = float(params.get("decisive_ratio", 300.0))
        self.dict_ratio = float(params.get("dictionary_ratio", 30.0))
        self.max_broken = float(params.get("max_broken_share", 0.01))
        self.max_plain = float(params.get("max_plain_share", 0.6))
        self.min_broken = int(params.get("min_broken", 4))
        self.rare = float(params.get("rare_count", 1000))
        # how much more a correction must win by, per kind of slip (a letter more or less
        # turns one frequent word into another far more often than a tone slip does)
        self.slip_cost = {str(k): float(v) for k, v in (params.get("slip_cost") or {}).items()}
        # a PDF's text layer loses letters a writer does not (the first of a word: "ờ trình")
        self.pdf_slip_cost = {
            **self.slip_cost,
            **{str(k): float(v) for k, v in (params.get("pdf_slip_cost") or {}).items()},
        }
        # syllables written either way in a word (hàng năm / hằng năm): never corrected into each other
        self.equivalent = set()
        for group in params.get("equivalent", []):
            keys = [canon(str(w)) for w in group]
            self.equivalent.update((a, b) for a in keys for b in keys if a != b)
        self.regions = set(params.get("regions", ["title", "preamble", "body", "closing", "annex"]))
        typos = load_lexicon(params.get("typos", "typos.yaml"))
        self.typo_forms = {
            " ".join(str(w).lower().split()) for e in typos.get("entries", []) for w in _as_list(e["wrong"])
        }
        self.typo_len = max((len(f.split()) for f in self.typo_forms), default=0)
        data = load_lexicon(params.get("lexicon", "syllables.yaml"))
        self.allow = {str(w).lower() for w in data.get("allow", [])}
        self.names = {str(w).lower() for n in data.get("names", []) for w in str(n).split()}

    # ---------------------------------------------------------------- scoring

    def _count(self, d: SpellData, a: int, b: int) -> float:
        n = d.pair(a, b)
        if (a << 16 | b) in d.dict_pairs:
            n = max(n, self.dict_count)
        return n + self.alpha

    def _best(self, d: SpellData, w: int, wkey: str, left, right, cands, seen: set[int], left2, right2, costs):
        """(score, candidate) of the best correction of syllable w between left and right.

        The score is the log-ratio of the bigram probabilities of the corrected and the
        written passage. A correction must be attested beside every neighbour, frequent
        or a dictionary word beside one, and fit at least as well where the written
        syllable is itself frequent."""
        # only a syllable that forms a frequent pair or a dictionary word with a neighbour
        # (set look-ups) is scored
        known = d.known
        cands = [
            c for c in cands
            if (left is not None and known(left << 16 | c)) or (right is not None and known(c << 16 | right))
        ]  # fmt: skip
        if not cands:
            return None
        best: tuple[float, int] | None = None
        sides = [(x, True) for x in (left,) if x is not None] + [(x, False) for x in (right,) if x is not None]
        orig = []
        dict_side = False  # the written syllable makes a dictionary word with a neighbour
        for x, is_left in sides:
            k = (x << 16 | w) if is_left else (w << 16 | x)
            n = self._count(d, x, w) if is_left else self._count(d, w, x)
            in_dict = w >= 0 and k in d.dict_pairs
            orig.append((n, w >= 0 and d.known(k), in_dict))
            dict_side = dict_side or in_dict
        for c in cands:
            score, fits_known = 0.0, False
            counts = []
            for x, is_left in sides:
                counts.append(self._count(d, x, c) if is_left else self._count(d, c, x))
            # where the written pair is rare, the correction is decisive when far more frequent
            decisive = not dict_side and any(
                not wk and cn >= self.decisive * wn for cn, (wn, wk, _) in zip(counts, orig, strict=True)
            )
            for (x, is_left), (wn, w_known, w_dict), cn in zip(sides, orig, counts, strict=True):
                k = (x << 16 | c) if is_left else (c << 16 | x)
                known = d.known(k)
                if cn < self.min_pair + self.alpha and not known:
                    break  # not attested beside this neighbour
                if w_known and cn < self.known_ratio * wn and not decisive:
                    break  # the written syllable is frequent here and the correction not much more
                if w_dict and cn < self.dict_ratio * wn:
                    break  # the written syllable makes a dictionary word here (chuyên mục)
                fits_known = fits_known or known
                score += math.log(cn / wn)
                if wn < self.min_pair + self.alpha and k in seen:
                    score += self.evidence  # the right pair is written elsewhere in the document
            else:
                if not fits_known:
                    continue
                if len(sides) == 2 and w >= 0:
                    score -= math.log((d.counts[c] + 100) / (d.counts[w] + 100))
                # a rare syllable is more often a slip than a frequent one
                score += max(0.0, math.log(self.rare / (d.counts[w] + 1))) if w >= 0 else math.log(self.rare)
                ckey = d.keys[c]
                if (wkey, ckey) in self.equivalent:
                    continue
                score -= costs.get(slip_kind(wkey, ckey), 0.0)
                score += self.trigram_weight * self._triples(d, w, c, left, right, left2, right2)
                if best is None or score > best[0]:
                    best = (score, c)
        return best

    @staticmethod
    def _triples(d: SpellData, w: int, c: int, left, right, left2, right2) -> float:
        """Log-ratio of the corpus counts of the triples around the corrected and the written
        syllable (only where one of the two is attested)."""
        out = 0.0
        for a, b, pos in ((left2, left, 2), (left, right, 1), (right, right2, 0)):
            if a is None or b is None:
                continue
            if pos == 2:
                tc, tw = d.triple(a, b, c), d.triple(a, b, w) if w >= 0 else 0
            elif pos == 1:
                tc, tw = d.triple(a, c, b), d.triple(a, w, b) if w >= 0 else 0
            else:
                tc, tw = d.triple(c, a, b), d.triple(w, a, b) if w >= 0 else 0
            if tc or tw:
                out += math.log((tc + 1) / (tw + 1))
        return out

    # ---------------------------------------------------------------- run

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        ws = words(doc)
        n = len(ws)
        if n < 2:
            return
        d = spell_data()
        lows, blocks, text = ws.lows, ws.blocks, ws.text
        memo = {low: syllable_id(low) for low in set(lows)}
        # the document's own spelling of a syllable (hoà or hòa, kỹ or kĩ) for its suggestions
        forms = {v: low for low, v in memo.items() if v >= 0}
        ids = _Ids(lows, memo)
        starts, ends = ws.starts, ws.ends

        def linked(i: int) -> bool:  # tokens i and i+1: one block, only spaces between
            if i < 0 or i + 1 >= n or blocks[i] != blocks[i + 1]:
                return False
            gap = text[ends[i] : starts[i + 1]]
            return gap == " " or (gap.isspace() if gap else False)

        # pair keys of neighbouring tokens, built without a Python step per token; a token
        # that is no known syllable stands for _NONE, which no data pair holds
        kid = {low: (v if v >= 0 else _NONE) for low, v in memo.items()}
        kids = list(map(kid.__getitem__, lows))
        pair_keys = list(map(or_, map(lshift, kids, repeat(16)), kids[1:]))
        seen = set(pair_keys)  # pairs written in the document (evidence for a correction)
        weak = {k for k in seen - d.known_pairs if k >> 16 != _NONE and k & _NONE != _NONE}
        odd = {low for low, v in memo.items() if v < 0 and self._maybe_word(low, v)}
        # a weak pair is worth a look on the side where a syllable one slip away would
        # make it a frequent pair or a dictionary word
        fix_left, fix_right = set(), set()
        for k in weak:
            f = _FIXABLE.get(k)
            if f is None:
                f = _fixable(d, k)
            if f & 1:
                fix_left.add(k)
            if f & 2:
                fix_right.add(k)
        look: set[int] = set()
        if fix_left:
            look.update(compress(range(n), map(fix_left.__contains__, pair_keys)))
        if fix_right:
            look.update(compress(range(1, n), map(fix_right.__contains__, pair_keys)))
        if odd:
            look.update(compress(range(n), map(odd.__contains__, lows)))
        if not look:
            return
        repeats = pair_keys.count
        regions_ok = set(_checked_blocks(doc, self.regions))
        found: dict[int, tuple[float, Any]] = {}
        answers: dict = {}  # passage -> best correction, once per document
        for i in sorted(look):
            hit = self._check(doc, rule, ws, d, i, ids, linked, seen, regions_ok, repeats, answers, forms)
            if hit is None or self._known_typo(lows, i, linked):
                continue  # nothing, or a misspelling PC802 knows with its right form
            # two neighbours that do not go together: correct the one whose correction wins most
            prev = found.get(i - 1)
            if prev is not None and linked(i - 1):
                if prev[0] >= hit[0]:
                    continue
                del found[i - 1]
            found[i] = hit
        # only now (most documents have no finding): is the text layer worth reading at all
        if found and not self._unreliable(doc, ws, d, memo, odd, linked):
            for _, finding in found.values():
                yield finding

    def _unreliable(self, doc: Document, ws, d: SpellData, memo: dict[str, int], odd: set[str], linked) -> bool:
        """A text layer that is no text to spell-check: a PDF whose font maps letters to
        other characters ("CØNG HOÀ", "thñc") or splits syllables ("đượ c", "thự c"), an OCR
        without diacritics. Misspellings are not counted: a sloppy document is still read."""
        counts = doc.derived("word_counts", lambda d: ws.counts())
        total = sum(counts.values())
        if total < 50:
            return False
        broken = sum(
            counts[low]
            for low, v in memo.items()
            if v == NOT_SYLLABLE and not low.isascii() and "'" not in low and "’" not in low
            and not vietnamese_letters(low)
        )  # fmt: skip
        short = {low for low in memo if len(low) == 1} | odd
        for i in compress(range(len(ws.lows)), map(short.__contains__, ws.lows)):
            if self._fragment(ws, d, i):
                broken += 1
        plain = sum(counts[low] for low, v in memo.items() if v >= 0 and low.isascii())
        return broken > max(self.min_broken, self.max_broken * total) or plain > self.max_plain * total

    def _maybe_word(self, low: str, v: int) -> bool:
        """A token outside the data that may still be a misspelt Vietnamese word."""
        if not 2 <= len(low) <= 8 or not low.isalpha() or low in self.allow or low in self.names:
            return False
        return (v == UNKNOWN or not low.isascii()) and vietnamese_letters(low)

    def _known_typo(self, lows: list[str], i: int, linked) -> bool:
        """The token is part of a misspelling listed in typos.yaml (PC802's)."""
        if not self.typo_forms:
            return False
        for a in range(i - self.typo_len + 1, i + 1):
            if a < 0:
                continue
            for z in range(max(i, a), min(len(lows), a + self.typo_len)):
                if z > a and not linked(z - 1):
                    break
                if z >= i and " ".join(lows[a : z + 1]) in self.typo_forms:
                    return True
        return False

    def _check(self, doc, rule, ws, d: SpellData, i: int, ids, linked, seen, regions_ok, repeats, answers, forms):
        w = ids[i]
        tok, low = ws.texts[i], ws.lows[i]
        if ws.blocks[i] not in regions_ok or not ws.plain_word(i) or "'" in tok or "’" in tok:
            return None
        if low in self.allow or low in self.names:
            return None
        if not tok.islower():
            # a capital only at the start of a sentence, on a word mostly written in lower case
            if not (tok[0].isupper() and tok[1:].islower()) or not self._sentence_start(ws, i, linked):
                return None
            if linked(i) and ws.texts[i + 1][:1].isupper():
                return None
            if w >= 0 and d.lower[w] < self.min_lower:
                return None
        left = ids[i - 1] if linked(i - 1) else None
        right = ids[i + 1] if linked(i) else None
        # a neighbour that is no Vietnamese syllable: a foreign phrase, a name, a code
        if (left is not None and left < 0) or (right is not None and right < 0):
            if w != NOT_SYLLABLE:
                return None
        if w == NOT_SYLLABLE:
            if self._fragment(ws, d, i):
                return None  # a syllable split by the reader ("đượ c", "T ổ")
            return self._invalid(doc, rule, ws, d, i, left, right)
        if left is None and right is None:
            return None
        if (left is None) != (right is None) and tok.islower():
            if ws.texts[i - 1 if left is not None else i + 1][:1].isupper():
                return None  # one neighbour only, and it starts a name or title ("chúc Hội nghị")
        lk = left << 16 | w if left is not None and w >= 0 else -1
        rk = w << 16 | right if right is not None and w >= 0 else -1
        if (left is None or d.known(lk)) and (right is None or d.known(rk)):
            return None
        cands = d.slip_ids(w) if w >= 0 else slips_of(low, self.min_count)
        # the syllables two away, for the triples around the token
        left2 = ids[i - 2] if left is not None and linked(i - 2) and ids[i - 2] >= 0 else None
        right2 = ids[i + 2] if right is not None and linked(i + 1) and ids[i + 2] >= 0 else None
        pdf = doc.format == "pdf"
        ctx = (w if w >= 0 else low, left, right, left2, right2, pdf)
        if ctx in _NO_CORRECTION:
            return None
        best = answers.get(ctx, answers)
        if best is answers:  # the same passage again in this document: the same answer
            costs = self.pdf_slip_cost if pdf else self.slip_cost
            wkey = d.keys[w] if w >= 0 else canon(low)
            best = answers[ctx] = self._best(d, w, wkey, left, right, cands, seen, left2, right2, costs)
        if best is None:
            # no correction fits at all: that does not depend on the document (only a
            # correction's score does), so other documents need not ask again
            if len(_NO_CORRECTION) >= _FIXABLE_MAX:
                _NO_CORRECTION.clear()
            _NO_CORRECTION.add(ctx)
            return None
        score, c = best
        need = self.threshold if (left is not None and right is not None) else self.one_side
        if score < need or self._quoted(doc, ws, i) or self._fragment(ws, d, i):
            return None
        if (lk >= 0 and not d.known(lk) and repeats(lk) > self.repeats) or (
            rk >= 0 and not d.known(rk) and repeats(rk) > self.repeats
        ):
            return None  # written the same way again and again: a term of this document
        right_form = match_case(tok, forms.get(c) or d.forms[c])
        return score, rule.finding(
            doc, ws.span(i), suggestion=right_form, wrong=tok, right=right_form,
            data={"score": round(score, 2)},
        )  # fmt: skip

    def _invalid(self, doc, rule, ws, d: SpellData, i: int, left, right):
        tok, low = ws.texts[i], ws.lows[i]
        if low.isascii() or not 2 <= len(low) <= 8 or not low.isalpha() or self._run_together(d, low):
            return None  # foreign words, list letters (đ)); two syllables run together are PC803's
        if self._quoted(doc, ws, i):
            return None
        left = left if left is not None and left >= 0 else None
        right = right if right is not None and right >= 0 else None
        cands = slips_of(low, self.min_count)
        key = canon(low)
        best = None
        for c in cands:
            # the context first, then the likelier slip, then the more frequent syllable
            s = math.log1p(d.pair(left, c) if left is not None else 0) + math.log1p(
                d.pair(c, right) if right is not None else 0
            )
            costs = self.pdf_slip_cost if doc.format == "pdf" else self.slip_cost
            s -= costs.get(slip_kind(key, d.keys[c]), 0.0) if key != d.keys[c] else 0.0
            rank = (s, d.counts[c])
            if best is None or rank > best[0]:
                best = (rank, c)
        right_form = match_case(tok, d.forms[best[1]]) if best else None
        return math.inf, rule.finding(
            doc, ws.span(i), variant="invalid" if right_form else "invalid_no_suggestion",
            suggestion=right_form, wrong=tok, right=right_form or "",
        )  # fmt: skip

    @staticmethod
    def _fragment(ws, d: SpellData, i: int) -> bool:
        """Token i and a neighbour are one syllable split by spaces or tabs ("đượ c", "T ổ"),
        as a PDF's text layer gives them (sometimes in two cells of its layout)."""
        lows, text = ws.lows, ws.text
        for a, b in ((i - 1, i), (i, i + 1)):
            if a < 0 or b >= len(lows) or min(len(lows[a]), len(lows[b])) > 2:
                continue
            gap = text[ws.ends[a] : ws.starts[b]]
            if gap and not gap.isspace():
                continue
            joined = lows[a] + lows[b]
            if len(joined) <= 8 and syllable_id(joined) >= 0:
                return True
        return False

    @staticmethod
    def _run_together(d: SpellData, low: str) -> bool:
        """Two syllables of two letters or more that go together, written without a space (PC803)."""
        for a, b in splits(low):
            if len(a) >= 2 and len(b) >= 2:
                x, y = syllable_id(a), syllable_id(b)
                if x >= 0 and y >= 0 and d.known(x << 16 | y):
                    return True
        return False

    @staticmethod
    def _sentence_start(ws, i: int, linked) -> bool:
        if i == 0 or ws.blocks[i - 1] != ws.blocks[i]:
            return True
        gap = ws.text[ws.ends[i - 1] : ws.starts[i]].strip()
        return bool(gap) and gap[-1] in _SENTENCE_END

    @staticmethod
    def _quoted(doc: Document, ws, i: int) -> bool:
        """The token is inside quotation marks opened earlier in its block (a title, a name)."""
        before = ws.text[doc.blocks[ws.blocks[i]].span.start : ws.starts[i]]
        opens = sum(before.count(q) for q in "“«‘")
        closes = sum(before.count(q) for q in "”»’")
        return opens > closes or before.count('"') % 2 == 1
