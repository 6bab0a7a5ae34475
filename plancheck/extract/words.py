"""Word tokens with their spans, computed once per document.

The language rules (PC801–PC805) all walk the same tokens: a token is a run of
letters and digits (apostrophes inside kept: H'Mông, M'Đrắk); a *word* has no
digit. Tokens inside URLs, e-mail addresses and domain names are *masked* so no
rule reads "quangnam" in "www.quangnam.gov.vn" as two words run together.

Storage is columnar (parallel lists indexed by token number) because a plan has
some 5.000 tokens and the rules mostly compare lowercased forms; ``Token`` objects
are built only where a rule asks for one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import accumulate, compress
from typing import NamedTuple

import regex

from ..model import Document, Span

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*")
_TOKEN_SPLIT = regex.compile(f"({_TOKEN.pattern})")
# The same tokenizer in Python's re, about twice as fast, for texts whose every character
# is in SAFE_RANGES, where [^\W_] is [\p{L}\p{M}\p{N}] and [^\W\d_] is [\p{L}\p{M}]
# (tests/test_fast_paths.py checks each character): Latin, Vietnamese and punctuation,
# less the superscript digits and fractions.
SAFE_RANGES = ((0x00, 0xB1), (0xB4, 0xB8), (0xBA, 0xBB), (0xBF, 0x24F), (0x1E00, 0x1EFF), (0x2000, 0x206F))
_RE_TOKEN_SPLIT = re.compile(r"([^\W_]+(?:['’][^\W\d_]+)*)")
_RE_UNSAFE = re.compile("[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in SAFE_RANGES) + "]")
# URLs, e-mails and domain names: "https://…", "www.…", "a.b@c.vn", "sldtbxh.gov.vn".
_MASK = regex.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+"
    r"|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:vn|com|net|org|gov|edu|info|int)\b\S*"
)
# cheap test first: most plans hold few addresses or none
_MAYBE_ADDRESS = regex.compile(r"@|://|www\.|\.(?:vn|com|net|org|gov|edu|info|int)\b", regex.I)
_DIGITS = regex.compile(r"\d+")
_TLDS = ("vn", "com", "net", "org", "gov", "edu", "info", "int")


def _maybe_address(text: str) -> bool:
    """True wherever ``_MAYBE_ADDRESS`` matches (and a little more): plain substring tests
    on the case-folded text instead of a case-insensitive regex scan."""
    if "@" in text or "://" in text:
        return True
    folded = text.casefold()
    return "www." in folded or any("." + tld in folded for tld in _TLDS)


_SPACE_ONLY = regex.compile(r"\s+")


class Token(NamedTuple):
    """One token of ``Document.text``; ``text`` as written, ``low`` lowercased."""

    text: str
    low: str
    start: int
    end: int
    block: int
    is_word: bool  # no digit (letters, marks, apostrophes)
    masked: bool  # inside a URL, e-mail or domain name
    gap: str  # text up to the next token of the same block ("" for the last)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


class Words:
    """The tokens of one document, as parallel lists; ``range(block)`` gives a block's."""

    def __init__(self, text: str, starts: list[int], ends: list[int], texts: list[str], blocks: list[int],
                 by_block: dict[int, tuple[int, int]], masked: set[int]) -> None:  # fmt: skip
        self.text = text
        self.starts = starts
        self.ends = ends
        self.texts = texts
        self.lows = list(map(str.lower, texts))
        self.blocks = blocks  # block index of each token (-1: outside every block)
        self.by_block = by_block
        self.masked = masked
        self.is_word = _no_digit(text, starts, ends)  # no digit (letters, marks, apostrophes)

    def __len__(self) -> int:
        return len(self.texts)

    def range(self, block: int) -> range:
        a, b = self.by_block.get(block, (0, 0))
        return range(a, b)

    def gap(self, i: int) -> str:
        """Text between token i and the next token of the same block ("" if i is the last)."""
        j = i + 1
        if j >= len(self.texts) or self.blocks[j] != self.blocks[i]:
            return ""
        return self.text[self.ends[i] : self.starts[j]]

    def plain_gap(self, i: int) -> bool:
        """Only whitespace between token i and token i+1 of the same block."""
        return bool(_SPACE_ONLY.fullmatch(self.gap(i)))

    def plain_word(self, i: int) -> bool:
        return self.is_word[i] and i not in self.masked

    def span(self, i: int, j: int | None = None) -> Span:
        """Span from token i to token j (inclusive; default i)."""
        return Span(self.starts[i], self.ends[i if j is None else j])

    def token(self, i: int) -> Token:
        return Token(
            self.texts[i], self.lows[i], self.starts[i], self.ends[i], self.blocks[i], self.is_word[i],
            i in self.masked, self.gap(i),
        )  # fmt: skip

    @property
    def tokens(self) -> list[Token]:
        return [self.token(i) for i in range(len(self.texts))]

    def in_block(self, block: int) -> list[Token]:
        return [self.token(i) for i in self.range(block)]

    def counts(self) -> Counter:
        """How often each lowercased word occurs (not masked)."""
        keep = self.is_word
        if self.masked:
            keep = list(keep)
            for i in self.masked:
                keep[i] = False
        return Counter(compress(self.lows, keep))


def _split(text: str) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and texts of the tokens, without a Python step per token.

    ``split`` on the capturing pattern alternates gaps and tokens; running sums of the
    part lengths give every offset.
    """
    parts = (_RE_TOKEN_SPLIT if _RE_UNSAFE.search(text) is None else _TOKEN_SPLIT).split(text)
    offs = list(accumulate(map(len, parts), initial=0))
    return offs[1:-1:2], offs[2::2], parts[1::2]


def _no_digit(text: str, starts: list[int], ends: list[int]) -> list[bool]:
    """Per token: True if it holds no digit (a word). Digits are rare in a plan's text,
    so the tokens are marked from the digit runs rather than tested one by one."""
    out = [True] * len(starts)
    for m in _DIGITS.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        while k >= 0 and k < len(starts) and starts[k] < m.end():
            if m.start() < ends[k]:
                out[k] = False
            k += 1
    return out


def _tokenize(doc: Document) -> Words:
    text = doc.text
    starts, ends, texts = _split(text)
    blocks = [-1] * len(texts)
    by_block: dict[int, tuple[int, int]] = {}
    for b in doc.blocks:
        a = bisect_left(starts, b.span.start)
        z = bisect_left(starts, b.span.end, lo=a)
        by_block[b.index] = (a, z)
        blocks[a:z] = [b.index] * (z - a)
    masked: set[int] = set()
    if _maybe_address(text):
        for m in _MASK.finditer(text):
            a = bisect_left(starts, m.start())
            z = bisect_right(starts, m.end() - 1)
            masked.update(range(a, z))
    return Words(text, starts, ends, texts, blocks, by_block, masked)


def text_words(text: str) -> Words:
    """Tokens of a plain string, as one block (for tests and tools)."""
    starts, ends, texts = _split(text)
    n = len(texts)
    return Words(text, starts, ends, texts, [0] * n, {0: (0, n)}, set())


def words(doc: Document) -> Words:
    """The document's tokens (memoised: every language rule shares one pass)."""
    return doc.derived("words", _tokenize)
