"""Block ends are trimmed with str.strip(WS_CHARS): the same characters as the regex
class the readers were written against, and the same pieces as a regex trim."""

import sys

import regex

from plancheck.normalize import WS_CHARS, _trim

WS_CLASS = regex.compile(r"[\s\u00a0\u200b\ufeff]")
_LEAD = regex.compile(r"^[\s\u00a0\u200b\ufeff]+")
_TRAIL = regex.compile(r"[\s\u00a0\u200b\ufeff]+$")


def test_ws_chars_are_the_regex_class():
    found = {chr(c) for c in range(sys.maxunicode + 1) if WS_CLASS.match(chr(c))}
    assert found == set(WS_CHARS)


def _trim_regex(pieces):
    """The former implementation, with regex searches."""
    out = [p for p in pieces if p[0]]
    while out:
        t, s, syn = out[0]
        m = _LEAD.match(t)
        if not m:
            break
        k = m.end()
        if k == len(t):
            out.pop(0)
        else:
            out[0] = (t[k:], s + (0 if syn else k), syn)
            break
    while out:
        t, s, syn = out[-1]
        m = _TRAIL.search(t)
        if not m:
            break
        k = m.start()
        if k == 0:
            out.pop()
        else:
            out[-1] = (t[:k], s, syn)
            break
    return out


def test_trim_agrees_with_the_regex_trim():
    texts = ["", " ", "\u00a0x\u3000", "\ufeffKẾ HOẠCH \n", "a\n", "\n\n", " \t a b \u200b", "x\u2028", "đ", "  \u0085"]
    cases = [[(t, 10, syn)] for t in texts for syn in (False, True)]
    cases += [[(a, 0, False), (b, 5, True), (c, 9, False)] for a in texts for b in texts[:4] for c in texts]
    for pieces in cases:
        assert _trim(pieces) == _trim_regex(pieces), pieces
