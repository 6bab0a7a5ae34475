"""SourceMap round-trip (property test): whatever the markdown, wrapping or Unicode form
of the input, a word found in the normalised text is located on the line it was on in
the input, and its original excerpt is that word (compared in NFC).
"""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.model import Span
from plancheck.parse import parse_text

LETTERS = "abcdeghiklmnopqrstuvxyăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
TAG = "bcdghklmnpqrstvx"  # consonants only: a tag never forms a syllable of another word


def _tag(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i, len(TAG))
        s += TAG[r]
    return s


@st.composite
def documents(draw):
    """Paragraphs of unique words, hard-wrapped, with markdown marks; maybe NFD."""
    n_par = draw(st.integers(1, 6))
    lines: list[str] = []
    words: list[tuple[str, int]] = []  # (word in NFC, 1-based input line)
    k = 0
    for _ in range(n_par):
        if lines:
            lines.extend([""] * draw(st.integers(1, 2)))
        n_words = draw(st.integers(1, 14))
        heading = draw(st.booleans()) and draw(st.booleans())
        cur: list[str] = []
        first_line = True
        for _w in range(n_words):
            stem = draw(st.text(alphabet=LETTERS, min_size=1, max_size=7))
            word = stem + "z" + _tag(k)  # unique, and no word is part of another
            k += 1
            mark = draw(st.sampled_from(["", "", "", "**", "*"]))
            token = f"{mark}{word}{mark}"
            if cur and draw(st.integers(0, 4)) == 0:  # hard wrap
                lines.append(" ".join(cur))
                cur = []
                first_line = False
            if not cur and first_line and heading:
                cur.append("##")
            cur.append(token)
            words.append((word, len(lines) + 1))
        lines.append(" ".join(cur))
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return text, words


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(documents())
def test_words_map_back_to_their_line(case):
    text, words = case
    doc = parse_text(text, name="prop.md")
    for word, line in words:
        hits = [m.span() for m in regex.finditer(rf"(?<!\w){regex.escape(word)}(?!\w)", doc.text)]
        assert len(hits) == 1, f"{word!r} found {len(hits)} times in {doc.text!r}"
        span = Span(*hits[0])
        loc = doc.locate(span)
        assert loc.line == line, f"{word!r}: line {loc.line}, was on line {line}"
        original = doc.sourcemap.original(span)
        assert unicodedata.normalize("NFC", original) == word, f"{original!r} != {word!r}"


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet=LETTERS + " ", min_size=1, max_size=30), min_size=1, max_size=8))
def test_every_character_maps_inside_the_source(paragraphs):
    text = "\n\n".join(p.strip() or "x" for p in paragraphs)
    doc = parse_text(unicodedata.normalize("NFD", text), name="prop.txt")
    sm = doc.sourcemap
    assert len(sm.starts) == len(doc.text)
    for i in range(len(doc.text)):
        a, b = sm.source_range(Span(i, i + 1))
        assert 0 <= a <= b <= len(sm.source)
        if doc.text[i].strip():  # a real character maps to the same letter in the input
            assert unicodedata.normalize("NFC", sm.source[a:b]) == doc.text[i]
