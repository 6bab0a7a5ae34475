"""Word tokens with their spans, per block, computed once per document.

The language rules (PC801–PC805) all walk the same tokens: a word is a run of
letters (apostrophes inside kept: H'Mông, M'Đrắk), a number or code is a run with a
digit. Tokens inside URLs, e-mail addresses and file names are marked ``masked`` so
no rule reads "quangnam" in "www.quangnam.gov.vn" as two words run together.
``gap`` is the text between a token and the next one in the same block: PC801 only
compares tokens separated by whitespace.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

import regex

from ..model import Document, Span

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*")
# URLs, e-mails and domain names: "https://…", "www.…", "a.b@c.vn", "sldtbxh.gov.vn".
_MASK = regex.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+"
    r"|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:vn|com|net|org|gov|edu|info|int)\b\S*"
)
# cheap test first: most paragraphs hold no address at all
_MAYBE_ADDRESS = regex.compile(r"@|://|www\.|\.(?:vn|com|net|org|gov|edu|info|int)\b", regex.I)
_DIGIT = regex.compile(r"\d")


class Token(NamedTuple):
    """One token of ``Document.text``; ``text`` is as written, ``low`` lowercased.

    A NamedTuple, not a frozen dataclass: a plan has ~5.000 tokens and building
    them must stay cheap.
    """

    text: str
    low: str
    start: int
    end: int
    block: int
    is_word: bool  # letters only (apostrophes allowed)
    masked: bool  # inside a URL, e-mail or domain name
    gap: str  # text up to the next token of the same block ("" for the last)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Words:
    tokens: tuple[Token, ...]
    by_block: dict[int, tuple[int, int]]  # block index -> [first, last+1) token indices

    def in_block(self, block: int) -> tuple[Token, ...]:
        a, b = self.by_block.get(block, (0, 0))
        return self.tokens[a:b]

    def counts(self) -> dict[str, int]:
        """How often each casefolded word occurs standalone (not masked)."""
        out: dict[str, int] = {}
        for t in self.tokens:
            if t.is_word and not t.masked:
                out[t.low] = out.get(t.low, 0) + 1
        return out


def _tokenize(doc: Document) -> Words:
    text = doc.text
    tokens: list[Token] = []
    by_block: dict[int, tuple[int, int]] = {}
    for b in doc.blocks:
        s, e = b.span.start, b.span.end
        chunk = text[s:e]
        masks = [(m.start() + s, m.end() + s) for m in _MASK.finditer(chunk)] if _MAYBE_ADDRESS.search(chunk) else []
        mask_starts = [m[0] for m in masks]
        first = len(tokens)
        found = [(m.start() + s, m.end() + s, m.group()) for m in _TOKEN.finditer(chunk)]
        last = len(found) - 1
        for i, (ts, te, word) in enumerate(found):
            masked = False
            if masks:
                j = bisect_right(mask_starts, ts) - 1
                masked = j >= 0 and masks[j][0] <= ts < masks[j][1]
            tokens.append(
                Token(
                    word,
                    word.lower(),
                    ts,
                    te,
                    b.index,
                    word.isalpha() or _DIGIT.search(word) is None,
                    masked,
                    text[te : found[i + 1][0]] if i < last else "",
                )
            )
        by_block[b.index] = (first, len(tokens))
    return Words(tuple(tokens), by_block)


def words(doc: Document) -> Words:
    """The document's tokens (memoised: every language rule shares one pass)."""
    return doc.derived("words", _tokenize)
