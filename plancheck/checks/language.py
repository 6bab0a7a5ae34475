"""PC8xx: repeated words, known misspellings, words run together, a place spelled
two ways, abbreviations used before they are spelled out.

All five kinds read the same memoised tokens (``plancheck.extract.words``) and take
their vocabulary from ``rules/facts/lexicon/*.yaml``; nothing Vietnamese-specific is
hard-coded here beyond the shape of a sentence.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress
from operator import eq
from typing import Any

import regex

from ..extract.words import Words, text_words, words
from ..model import Document, Finding, Severity, Span
from ..normalize import SPACE_CHARS
from ..resources import LEXICON_DIR
from ..syllables import is_syllable, splits, strip_diacritics, tone_key
from ..yamlio import load_yaml
from .base import Kind

# A paragraph that stops mid-sentence ends in a letter, a mark or a comma; the next one
# starting in lower case continues it. Tested on one character after str.strip (a
# regex search for r"[\p{L}\p{M},]\s*$" rescans the whole paragraph; tests/test_fast_paths.py
# checks both functions against the regexes).
_OPEN_END_CHAR = regex.compile(r"[\p{L}\p{M},]")
_LOWER_CHAR = regex.compile(r"\p{Ll}")


# Patterns used inside functions, compiled once (a module-level regex call looks its
# pattern up in regex's cache on every call).
_NAME_SEPS = regex.compile(r"[\s\-–.]+")
_SYLLABLE = regex.compile(r"[\p{L}\p{M}'’]+")
_TOTAL_ROW = regex.compile(r"(?i)^(?:cộng|tổng|toàn|tc\b)")
_RANGE_SPLIT = regex.compile(r"\s*[-–]\s*|\s+")


def _ends_open(text: str) -> bool:
    """The last non-space character is a letter, a mark or a comma."""
    t = text.rstrip(SPACE_CHARS)
    return bool(t) and _OPEN_END_CHAR.match(t, len(t) - 1) is not None


def _starts_lower(text: str) -> bool:
    """The first non-space character is a lower-case letter."""
    t = text.lstrip(SPACE_CHARS)
    return bool(t) and _LOWER_CHAR.match(t) is not None


@functools.lru_cache(maxsize=16)
def load_lexicon(name: str) -> Any:
    """A YAML file of rules/facts/lexicon/, read once per process."""
    path = LEXICON_DIR / name
    if not path.is_file():
        raise ValueError(f"không tìm thấy tệp từ vựng / lexicon file not found: {name}")
    return load_yaml(path)


def _checked_blocks(doc: Document, regions: set[str]) -> Iterator[int]:
    for b in doc.blocks:
        if b.region in regions:
            yield b.index


def match_case(found: str, right: str) -> str:
    """Write the correction in the case of the text found (Phân đầu -> Phấn đấu)."""
    if found.isupper() and len(found) > 1:
        return right.upper()
    if found[:1].isupper():
        return right[:1].upper() + right[1:]
    return right


# --------------------------------------------------------------------- PC801


class RepeatedWords(Kind):
    """A word or phrase written twice in a row ("trên địa bàn trên địa bàn").

    Only whitespace may separate the two copies: punctuation marks an enumeration
    ("học sinh, sinh viên") and a new paragraph a new item ("Kinh phí: / - Kinh
    phí"). A paragraph that breaks mid-sentence (no closing mark, next starts in
    lower case: a page or line break in the source) is read on as one. Real
    reduplicatives ("ngày ngày", "người người") come from ``allow`` in the YAML
    lexicon; a single syllable counts only if it is a function word (``single``),
    since "hỗ trợ trợ cấp" is two compounds sharing a syllable. Doubled words that
    are known misspellings ("truyền truyền") are left to PC802, which knows the
    right word.
    """

    def setup(self, params: dict[str, Any]) -> None:
        self.max_n = int(params.get("max_words", 6))
        if not 1 <= self.max_n <= 12:
            raise ValueError("max_words phải từ 1 đến 12 / max_words must be 1..12")
        data = load_lexicon(params.get("lexicon", "repeats.yaml"))
        self.allow = {str(w).lower() for w in data.get("allow", [])}
        self.single = {str(w).lower() for w in data.get("single", [])} - self.allow
        self.noun_verb = {str(w).lower() for w in data.get("noun_verb", [])}
        self.plural = {str(w).lower() for w in data.get("plural", [])}
        self.regions = set(params.get("regions", ["title", "preamble", "body", "closing", "annex"]))
        typos = load_lexicon(params.get("typos", "typos.yaml"))
        self.typo_pairs = set()
        for e in typos.get("entries", []):
            for w in _as_list(e["wrong"]):
                parts = w.lower().split()
                if len(parts) % 2 == 0 and parts[: len(parts) // 2] == parts[len(parts) // 2 :]:
                    self.typo_pairs.add(" ".join(parts[: len(parts) // 2]))

    def _runs(self, doc: Document) -> Iterator[list[int]]:
        """Token indices, one run per paragraph, joined across a mid-sentence paragraph break."""
        ws = words(doc)
        run: list[int] = []
        prev_block = None
        for bi in _checked_blocks(doc, self.regions):
            b = doc.blocks[bi]
            joined = (
                run
                and prev_block is not None
                and b.kind == "paragraph"
                and prev_block.kind == "paragraph"
                and prev_block.index == bi - 1
                and _ends_open(doc.block_text(prev_block))
                and _starts_lower(doc.block_text(b))
            )
            if not joined and run:
                yield run
                run = []
            run.extend(ws.range(bi))
            prev_block = b
        if run:
            yield run

    @staticmethod
    def _corrected(ws: Words, idx: list[int], j: int, i: int, n: int, ctx: int = 2) -> str:
        """The passage with the second copy deleted, with up to ``ctx`` words either side
        (stopping at punctuation): "đơn vị liên quan tổ chức"."""
        a = j

        def joined(p: int, q: int) -> bool:  # the new token q is a word next to p, only a space between
            return ws.is_word[idx[q]] and ws.blocks[idx[p]] == ws.blocks[idx[q]] and ws.plain_gap(idx[min(p, q)])

        a = j
        while a > 0 and j - a < ctx and joined(a, a - 1):
            a -= 1
        z = i + n - 1
        while z + 1 < len(idx) and z - (i + n - 1) < ctx and joined(z, z + 1):
            z += 1
        head = " ".join(ws.texts[idx[p]] for p in range(a, i))
        tail = " ".join(ws.texts[idx[p]] for p in range(i + n, z + 1))
        return f"{head} {tail}".strip()

    def _noun_then_verb(self, lows: list[str], j: int) -> bool:
        """The first copy is a noun: it comes after a plural word ("các tổ chức tổ chức …").

        A list item ("cấp ủy, tổ chức tổ chức đảng") is not enough: there the second
        copy is often the same noun again, a real slip.
        """
        if j == 0:
            return False
        return lows[j - 1] in self.plural or (j >= 2 and f"{lows[j - 2]} {lows[j - 1]}" in self.plural)

    def _near(self, lows: list[str]) -> dict[int, list[int]]:
        """Position -> the earlier positions of the same word at most max_n back, oldest first.

        Only such a place can start a repeat. They are found by comparing the token list
        with itself shifted by n (n = 1..max_n), without a Python step per token.
        """
        near: dict[int, list[int]] = {}
        n_tok = len(lows)
        for n in range(self.max_n, 0, -1):
            for i in compress(range(n, n_tok), map(eq, lows[n:], lows[:-n])):
                near.setdefault(i, []).append(i - n)
        return near

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        ws = words(doc)
        doc_near = self._near(ws.lows)
        doc_keys = sorted(doc_near)
        for idx in self._runs(doc):
            n_tok = len(idx)
            lows = list(map(ws.lows.__getitem__, idx))

            def plain(p: int, idx: list[int] = idx) -> bool:  # only whitespace (or a joined break) after idx[p]
                k = idx[p]
                return ws.blocks[idx[p + 1]] != ws.blocks[k] or ws.plain_gap(k)

            # i runs over the start of a second copy; j over the earlier places of the same
            # word at most max_n tokens back, oldest first (the longest repeat wins).
            if n_tok and idx[-1] - idx[0] == n_tok - 1:  # a run of consecutive tokens
                a = idx[0]
                lo, hi = bisect_left(doc_keys, a + 1), bisect_right(doc_keys, idx[-1])
                near = {k - a: [j - a for j in doc_near[k] if j >= a] for k in doc_keys[lo:hi]}
            else:
                near = self._near(lows)
            done = 0  # tokens before this are part of a reported repeat
            for i in sorted(near):
                hit = 0
                for j in near[i]:
                    n = i - j
                    if j < done or i + n > n_tok or lows[j:i] != lows[i : i + n]:
                        continue
                    if not all(ws.plain_word(idx[p]) for p in range(j, i)):
                        continue
                    if not all(plain(p) for p in range(j, i + n - 1)):
                        continue
                    phrase = " ".join(lows[j:i])
                    if (n == 1 and phrase not in self.single) or phrase in self.typo_pairs:
                        continue
                    if phrase in self.noun_verb and self._noun_then_verb(lows, j):
                        continue
                    hit = n
                    break
                if not hit:
                    continue
                j, n = i - hit, hit
                second = ws.span(idx[i], idx[i + n - 1])
                first_text = " ".join(ws.texts[idx[p]] for p in range(j, i))
                suggestion = self._corrected(ws, idx, j, i, n)
                done = i + n
                yield rule.finding(doc, second, suggestion=suggestion, phrase=first_text, count=n)


# --------------------------------------------------------------------- PC802


@dataclass(frozen=True)
class TypoEntry:
    wrong: tuple[str, ...]
    right: str
    kind: str
    before: regex.Pattern | None
    not_before: regex.Pattern | None
    after: regex.Pattern | None
    not_after: regex.Pattern | None
    near: regex.Pattern | None
    window: int
    severity: Severity | None
    source: str
    example: str | None
    not_example: str | None

    def accepts(self, block_text: str, start: int, end: int) -> bool:
        """The context conditions of a ``ctx`` entry (safe entries may carry them too)."""
        before, after = block_text[:start], block_text[end:]
        if self.before and not self.before.search(before):
            return False
        if self.not_before and self.not_before.search(before):
            return False
        if self.after and not self.after.match(after):
            return False
        if self.not_after and self.not_after.match(after):
            return False
        if self.near:
            lo, hi = max(0, start - self.window), min(len(block_text), end + self.window)
            if not self.near.search(block_text[lo:hi]):
                return False
        return True


_TYPO_KEYS = {
    "wrong", "right", "kind", "before", "not_before", "after", "not_after", "near", "window",
    "severity", "status", "source", "example", "not_example", "note",
}  # fmt: skip


def _as_list(v: Any) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def _ctx(p: str | None, where: str, name: str) -> regex.Pattern | None:
    if not p:
        return None
    body = f"(?:{p})\\s*$" if where == "before" else f"\\s*(?:{p})"
    try:
        return regex.compile(body, regex.V1 | regex.IGNORECASE)
    except regex.error as exc:
        raise ValueError(f"typos.yaml '{name}': biểu thức không hợp lệ / bad regex: {exc}") from exc


def load_typos(data: dict) -> list[TypoEntry]:
    """Validate and compile the typo lexicon (raises ValueError naming the entry)."""
    window = int((data.get("defaults") or {}).get("window", 120))
    out = []
    for i, e in enumerate(data.get("entries") or []):
        name = f"entries[{i}]"
        if not isinstance(e, dict) or "wrong" not in e or "right" not in e:
            raise ValueError(f"typos.yaml {name}: cần 'wrong' và 'right' / needs 'wrong' and 'right'")
        unknown = set(e) - _TYPO_KEYS
        if unknown:
            raise ValueError(f"typos.yaml {name}: khóa lạ / unknown keys {sorted(unknown)}")
        kind = e.get("kind", "safe")
        if kind not in ("safe", "ctx"):
            raise ValueError(f"typos.yaml {name}: kind phải là safe|ctx / kind must be safe|ctx")
        has_ctx = any(e.get(k) for k in ("before", "not_before", "after", "not_after", "near"))
        if kind == "ctx" and not has_ctx:
            raise ValueError(f"typos.yaml {name}: mục ctx cần điều kiện / a ctx entry needs a condition")
        sev = e.get("severity")
        out.append(
            TypoEntry(
                wrong=tuple(_as_list(e["wrong"])),
                right=str(e["right"]),
                kind=kind,
                before=_ctx(e.get("before"), "before", name),
                not_before=_ctx(e.get("not_before"), "before", name),
                after=_ctx(e.get("after"), "after", name),
                not_after=_ctx(e.get("not_after"), "after", name),
                near=regex.compile(e["near"], regex.V1 | regex.IGNORECASE) if e.get("near") else None,
                window=int(e.get("window", window)),
                severity=Severity.parse(sev) if sev else None,
                source=str(e.get("source", "")),
                example=e.get("example"),
                not_example=e.get("not_example"),
            )
        )
    return out


def _form_key(s: str) -> str:
    return " ".join(s.lower().split())


class Typos(Kind):
    """Known misspellings from ``rules/facts/lexicon/typos.yaml``, with the correction.

    Wrong forms are looked up token by token (whole words, any case, only spaces
    between their words, a line wrap included); a hit is kept if its entry's
    context conditions hold, so real phrases ("đi đôi với", "phần đầu của báo
    cáo", "các bộ, ngành") stay silent.
    """

    def setup(self, params: dict[str, Any]) -> None:
        self.entries = load_typos(load_lexicon(params.get("lexicon", "typos.yaml")))
        self.by_form: dict[str, list[TypoEntry]] = {}
        for e in self.entries:
            for w in e.wrong:
                self.by_form.setdefault(_form_key(w), []).append(e)
        # wrong forms by their first syllable, longest first: a dictionary look-up per token
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for f in sorted(self.by_form, key=lambda f: -len(f.split())):
            parts = tuple(f.split())
            self.by_first.setdefault(parts[0], []).append(parts)
        self.regions = set(params.get("regions", ["title", "preamble", "body", "closing", "annex"]))

    def _hits(self, ws: Words, rng: range) -> Iterator[tuple[int, int]]:
        """(start, end) offsets of wrong forms among tokens (only spaces between their words)."""
        lows, end = ws.lows, rng.stop
        for i in rng:
            forms = self.by_first.get(lows[i])
            if not forms:
                continue
            for parts in forms:
                k = len(parts)
                if i + k > end:
                    continue
                if all(lows[i + j] == parts[j] and ws.plain_gap(i + j - 1) for j in range(1, k)):
                    yield ws.starts[i], ws.ends[i + k - 1]
                    break

    def _accept(self, text: str, start: int, end: int) -> Iterator[tuple[int, int, TypoEntry]]:
        for e in self.by_form.get(_form_key(text[start:end]), []):
            if e.accepts(text, start, end):
                yield start, end, e
                return

    def matches(self, text: str) -> Iterator[tuple[int, int, TypoEntry]]:
        """(start, end, entry) of every accepted misspelling in a plain string (tests, tools)."""
        ws = text_words(text)
        for s, e in self._hits(ws, range(len(ws))):
            yield from self._accept(text, s, e)

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        ws = words(doc)
        for bi in _checked_blocks(doc, self.regions):
            rng = ws.range(bi)
            if not rng:
                continue
            b = doc.blocks[bi]
            text = None
            for gs, ge in self._hits(ws, rng):
                text = text if text is not None else doc.block_text(b)
                for s, e, entry in self._accept(text, gs - b.span.start, ge - b.span.start):
                    found = text[s:e]
                    right = match_case(found, entry.right)
                    yield rule.finding(
                        doc,
                        Span(b.span.start + s, b.span.start + e),
                        severity=entry.severity,
                        suggestion=right,
                        wrong=" ".join(found.split()),
                        right=right,
                    )


# --------------------------------------------------------------------- PC803


class RunTogether(Kind):
    """A token that is no Vietnamese syllable but two run together ("lớptập").

    Precision first: the token must split into two syllables of at least two
    letters that are each words of this document (or frequent syllables), must
    not be all capitals (acronyms), hold a digit (codes), sit in a URL or e-mail,
    or be a capitalised word next to another one (a proper name such as "Ea Súp").
    Loanwords and minority names are allowed by the lexicon.
    """

    def setup(self, params: dict[str, Any]) -> None:
        data = load_lexicon(params.get("lexicon", "syllables.yaml"))
        self.frequent = {str(w).lower() for w in data.get("frequent", [])}
        self.allow = {str(w).lower() for w in data.get("allow", [])}
        self.names = {str(w).lower() for n in data.get("names", []) for w in str(n).split()}
        self.max_repeats = int(params.get("max_repeats", 2))
        self.min_part = int(params.get("min_part", 2))
        self.regions = set(params.get("regions", ["title", "preamble", "body", "closing", "annex"]))

    def _known(self, part: str, counts: dict[str, int]) -> bool:
        low = part.lower()
        return low in self.frequent or counts.get(low, 0) > 0

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        ws = words(doc)
        counts = doc.derived("word_counts", lambda d: ws.counts())
        # the few distinct forms that are no syllable: only their tokens are looked at
        odd = {
            w
            for w, c in counts.items()
            if len(w) >= 2 * self.min_part and c <= self.max_repeats and w not in self.allow and w not in self.names
            and "'" not in w and "’" not in w and not is_syllable(w)
        }  # fmt: skip
        if not odd:
            return
        regions_ok = {bi for bi in _checked_blocks(doc, self.regions)}
        for i, low in enumerate(ws.lows):
            if low not in odd or ws.blocks[i] not in regions_ok or not ws.plain_word(i):
                continue
            w = ws.texts[i]
            if not (w.islower() or (w[0].isupper() and w[1:].islower())):
                continue  # acronyms and mixed-case names
            if not w.islower() and self._in_name(ws, i):
                continue
            cands = [
                (a, b)
                for a, b in splits(w)
                if len(a) >= self.min_part
                and len(b) >= self.min_part
                and self._known(a, counts)
                and self._known(b, counts)
            ]
            if not cands:
                continue
            a, b = max(cands, key=lambda ab: counts.get(ab[0].lower(), 0) + counts.get(ab[1].lower(), 0))
            yield rule.finding(doc, ws.span(i), suggestion=f"{a} {b}", first=a, second=b)

    @staticmethod
    def _in_name(ws: Words, i: int) -> bool:
        """A capitalised token next to another capitalised word of its block, only a space or dash between."""
        if i > 0 and ws.blocks[i - 1] == ws.blocks[i] and ws.texts[i - 1][:1].isupper():
            if ws.gap(i - 1).strip() in ("", "-", "–"):
                return True
        if ws.gap(i) and ws.texts[i + 1][:1].isupper() and ws.gap(i).strip() in ("", "-", "–"):
            return True
        return False


# --------------------------------------------------------------------- PC804

_UNIT_CLASS = {
    "xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune",
    "huyện": "district", "quận": "district", "thị xã": "district",
    "thành phố": "city", "tp.": "city", "tp": "city", "tỉnh": "province",
    "thôn": "hamlet", "xóm": "hamlet", "bản": "hamlet", "ấp": "hamlet", "buôn": "hamlet", "bon": "hamlet",
    "làng": "hamlet", "khóm": "hamlet", "tổ dân phố": "hamlet", "khu phố": "hamlet", "sóc": "hamlet",
    "plei": "hamlet",
}  # fmt: skip
# not "tổ" / "khu" alone: "Tổ Công tác", "Khu Công nghiệp" are no places
_NAME_WORD = r"(?:\p{Lu}[\p{L}\p{M}'’]*|\d{1,3}[A-Za-z]?(?![\p{L}\p{N}]))"
_MENTION = regex.compile(
    r"(?<![\p{L}\p{M}])(?P<unit>(?i:"
    + "|".join(sorted((regex.escape(u) for u in _UNIT_CLASS), key=len, reverse=True))
    + rf"))[ \t\u00a0]+(?P<name>{_NAME_WORD}(?:(?:[ \t\u00a0]+|[ \t\u00a0]*[-–][ \t\u00a0]*){_NAME_WORD})*)",
    regex.V1,
)
# In an all-capitals line the name cannot be told from the words after it by case:
# "TỈNH THANH HÓA NĂM 2025" -> cut at the first of these words.
_CAPS_STOP = frozenset(
    "năm giai đoạn về và của trên đến theo tại giảm nghèo thực hiện kế hoạch ban hành chương trình với trong "
    "cho các triển khai giai quý tháng ngày số phê duyệt".split()
)
_UPPER_START = regex.compile(r"^\p{Lu}")
# a column of place names: "Tên xóm", "Thôn", "Xã, phường", "Địa bàn" (not "Đơn vị": agencies)
_NAME_HEADER = regex.compile(
    r"^(?:tên\s+)?(?P<unit>xóm|thôn|bản|ấp|buôn|bon|làng|khóm|tổ dân phố|khu phố|xã|phường|thị trấn|"
    r"đơn vị hành chính|địa bàn|địa phương)(?:\s*[,/]\s*(?:phường|thị trấn|đặc khu|xã|thôn|xóm|tổ dân phố))*\s*$",
    regex.V1 | regex.IGNORECASE,
)
_HEADER_UNIT = {"đơn vị hành chính": None, "địa bàn": None, "địa phương": None}
_OWN_CONTEXT = regex.compile(
    r"(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hội đồng nhân dân|hđnd|địa bàn|của)\s*$", regex.V1 | regex.IGNORECASE
)


_UNIT_WORDS = tuple(_UNIT_CLASS)


def _unit_candidates(text: str) -> list[int] | None:
    """Sorted offsets in ``text`` where a unit word of ``_MENTION`` may start (a superset:
    every place where the case-insensitive unit alternation matches, found with
    ``str.find`` on the case-folded text). None when case folding changes the length."""
    folded = text.casefold()
    if len(folded) != len(text):
        return None
    out: set[int] = set()
    find = folded.find
    for w in _UNIT_WORDS:
        i = find(w)
        while i >= 0:
            out.add(i)
            i = find(w, i + 1)
    return sorted(out)


def _finditer_at(
    pattern: regex.Pattern, chunk: str, cands: list[int] | None, base: int, word_start: bool = False
) -> Iterator[regex.Match]:
    """``pattern.finditer(chunk)``, trying only the candidate offsets (``base`` + offset in
    chunk). Same matches, as long as the candidates include every offset where the
    pattern can match; ``cands`` None: a plain finditer. ``word_start``: the pattern
    cannot match right after a letter (it starts with such a look-behind)."""
    if cands is None:
        yield from pattern.finditer(chunk)
        return
    lo, hi = bisect_left(cands, base), bisect_left(cands, base + len(chunk))
    last = 0
    for k in range(lo, hi):
        p = cands[k] - base
        if p < last or (word_start and p and chunk[p - 1].isalpha()):
            continue
        m = pattern.match(chunk, p)
        if m is not None:
            last = m.end()
            yield m


def _cut_caps(name: str) -> str:
    words_ = name.split(" ")
    for i, w in enumerate(words_):
        if i and w.isupper() and w.lower() in _CAPS_STOP:
            return " ".join(words_[:i]).rstrip(" -–")
    return name


@dataclass(frozen=True)
class PlaceMention:
    name: str
    span: Span
    unit: str | None  # class: commune | district | city | province | hamlet | None (table column)
    own_context: bool


# a final y after an onset is the i/y spelling variant (kỹ/kĩ, lý/lí, Quý/Quí), not "ay"/"uy"
_IY = regex.compile(r"(?<=^(?:[bcdđghklmnprstvx]+|qu))y$")


def name_skeleton(name: str) -> str:
    """Diacritics, case, hyphens and i/y dropped: what two spellings of one name share."""
    s = strip_diacritics(name)
    s = _NAME_SEPS.sub(" ", s).strip()
    return " ".join(_IY.sub("i", w) for w in s.split(" "))


def name_form(name: str) -> tuple:
    """The spelling of a name up to case, tone placement (hòa/hoà) and i/y."""
    out = []
    for syl in _SYLLABLE.findall(name):
        base, tone = tone_key(syl)
        out.append((_IY.sub("i", base), tone))
    return tuple(out)


class PlaceVariants(Kind):
    """One place written two ways: a hamlet that lost its diacritics between two
    tables ("CƯỜNG LẶNG" / "CƯỜNG LĂNG"), or the plan's own locality misspelled
    where the plan speaks of its own authority or territory ("Ủy ban nhân dân
    huyện Krông Nông" in the plan of huyện Krông Nô). Provinces and the districts
    listed in ``places.yaml`` are real places, never variants.
    """

    def setup(self, params: dict[str, Any]) -> None:
        data = load_lexicon(params.get("lexicon", "places.yaml"))
        known = set()
        for p in data.get("provinces", []):
            for n in [p["name"], *(p.get("aliases") or []), *([p["merged_into"]] if p.get("merged_into") else [])]:
                known.add(name_skeleton(n))
        for names in (data.get("districts") or {}).values():
            known.update(name_skeleton(n) for n in names)
        self.known = known
        self.threshold = float(params.get("locality_threshold", 85))
        if not 50 <= self.threshold <= 100:
            raise ValueError("locality_threshold phải từ 50 đến 100 / must be 50..100")
        self.regions = set(params.get("regions", ["title", "preamble", "body", "closing", "annex"]))

    def mentions(self, doc: Document) -> list[PlaceMention]:
        return doc.derived("place_mentions", self._mentions)

    def _mentions(self, doc: Document) -> list[PlaceMention]:
        out: list[PlaceMention] = []
        starts = _unit_candidates(doc.text)
        for bi in _checked_blocks(doc, self.regions):
            b = doc.blocks[bi]
            chunk = doc.block_text(b)
            for m in _finditer_at(_MENTION, chunk, starts, b.span.start, word_start=True):
                name = _cut_caps(m.group("name").strip())
                if not name or not _UPPER_START.match(name) or name[0].isdigit():
                    continue
                if len(name.split()) < 2:  # "Bản Kế…", "Buôn Hồ": one capitalised word is too weak a name
                    continue
                s = b.span.start + m.start("name")
                own = bool(_OWN_CONTEXT.search(chunk[max(0, m.start() - 40) : m.start()]))
                out.append(PlaceMention(name, Span(s, s + len(name)), _UNIT_CLASS.get(m.group("unit").lower()), own))
        for t in doc.tables:
            out.extend(self._table_names(doc, t))
        # a cell "LÀNG MƠN" is both a table name and the mention "làng MƠN": keep the longer
        out.sort(key=lambda p: (p.span.start, -p.span.end))
        kept: list[PlaceMention] = []
        for p in out:
            if kept and kept[-1].span.contains(p.span):
                continue
            kept.append(p)
        return kept

    def _table_names(self, doc: Document, table) -> Iterator[PlaceMention]:
        """Cells of a name column ("Tên xóm", "Thôn", "Đơn vị") below its header."""
        rows = table.rows
        for hr in range(min(2, len(rows))):
            for ci, cell in enumerate(rows[hr]):
                hm = _NAME_HEADER.match(doc.block_text(doc.blocks[cell]).strip())
                if not hm:
                    continue
                unit_word = hm.group("unit").lower()
                unit = _UNIT_CLASS.get(unit_word) if unit_word not in _HEADER_UNIT else None
                for row in rows[hr + 1 :]:
                    if ci >= len(row):
                        continue
                    cb = doc.blocks[row[ci]]
                    raw = doc.block_text(cb)
                    name = raw.strip()
                    if not name or not _UPPER_START.match(name) or any(ch.isdigit() for ch in name):
                        continue
                    if _TOTAL_ROW.match(name):
                        continue
                    s = cb.span.start + (len(raw) - len(raw.lstrip()))
                    yield PlaceMention(name, Span(s, s + len(name)), unit, False)
                return

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        ms = self.mentions(doc)
        reported: set[int] = set()
        loc, level = doc.metadata.get("locality"), doc.metadata.get("level")
        loc_form = name_form(str(loc)) if loc else None
        # 1. the same skeleton written with different diacritics; the plan's own locality
        # (from its issuer or title) is the right spelling, else the most frequent one
        groups: dict[str, list[PlaceMention]] = {}
        for m in ms:
            groups.setdefault(name_skeleton(m.name), []).append(m)
        for group in groups.values():
            forms = Counter(name_form(m.name) for m in group)
            if len(forms) < 2:
                continue
            order = {f: i for i, f in reversed(list(enumerate(name_form(m.name) for m in group)))}
            main = max(forms, key=lambda f: (f == loc_form, forms[f], -order[f]))
            main_name = next(m.name for m in group if name_form(m.name) == main)
            for m in group:
                if name_form(m.name) != main:
                    reported.add(m.span.start)
                    yield rule.finding(
                        doc,
                        m.span,
                        variant="diacritics",
                        suggestion=main_name,
                        found=m.name,
                        other=main_name,
                        times=forms[main],
                    )
        # 2. the plan's own locality with letters changed, where the plan speaks of itself
        if not loc or not level:
            return
        loc_class = _UNIT_CLASS.get(str(level).lower())
        loc_sk = name_skeleton(str(loc))
        loc_count = sum(1 for m in ms if name_skeleton(m.name) == loc_sk)
        variant_counts = Counter(name_skeleton(m.name) for m in ms)
        for m in ms:
            if m.span.start in reported or m.unit != loc_class or not m.own_context:
                continue
            sk = name_skeleton(m.name)
            if sk == loc_sk or sk in self.known:
                continue
            from rapidfuzz import fuzz  # imported only here: a name close to the plan's own locality

            if fuzz.ratio(sk, loc_sk) < self.threshold or variant_counts[sk] >= max(loc_count, 1):
                continue
            yield rule.finding(doc, m.span, variant="locality", suggestion=str(loc), found=m.name, other=str(loc))


# --------------------------------------------------------------------- PC805


_DEFINES = regex.compile(r"(?:\(\s*|(?:viết|gọi) tắt(?: là)?\s*[:\-–]?\s*[\"“]?)$", regex.V1 | regex.IGNORECASE)


class Abbreviations(Kind):
    """An abbreviation of the lexicon used before its full form is written.

    Nghị định 30/2020/NĐ-CP asks for the full form at first use. Only the
    abbreviations listed under ``spell_out`` are checked; a code such as
    "TT-BLĐTBXH" (joined by a hyphen or slash) is a ký hiệu, not a use.
    """

    def setup(self, params: dict[str, Any]) -> None:
        data = load_lexicon(params.get("lexicon", "abbreviations.yaml"))
        spell = data.get("spell_out") or {}
        well = {str(w) for w in data.get("well_known") or []}
        clash = well & set(spell)
        if clash:
            raise ValueError(f"abbreviations.yaml: vừa cần viết đầy đủ vừa phổ biến / both lists: {sorted(clash)}")
        # The two patterns of an abbreviation are compiled the first time a plan holds it
        # (most plans hold few of the list; their text is escaped, so always valid).
        self.items: list[tuple[str, str, str, str]] = []
        for abbr, expansions in spell.items():
            abbr = str(abbr)
            use = rf"(?<![\p{{L}}\p{{N}}\-/–&]){regex.escape(abbr)}(?![\p{{L}}\p{{N}}\-/–&])"
            alts = []
            for exp in _as_list(expansions):
                parts = _RANGE_SPLIT.split(exp.strip())
                alts.append(r"[\s\-–,]+".join(regex.escape(p) for p in parts))
            full = rf"(?<![\p{{L}}])(?:{'|'.join(alts)})(?![\p{{L}}])"
            self.items.append((abbr, _as_list(expansions)[0], use, full))
        self._compiled: dict[str, tuple[regex.Pattern, regex.Pattern]] = {}
        self.regions = set(params.get("regions", ["title", "preamble", "body", "closing", "annex"]))
        # uses are looked for in running text only: table cells abbreviate for room
        self.use_kinds = set(params.get("use_in", ["paragraph"]))

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        text = doc.text
        for abbr, expansion, use_p, full_p in self.items:
            if abbr not in text:  # most abbreviations are absent: a substring test settles it
                continue
            pats = self._compiled.get(abbr)
            if pats is None:
                pats = (regex.compile(use_p, regex.V1), regex.compile(full_p, regex.V1 | regex.IGNORECASE))
                self._compiled[abbr] = pats
            use, full = pats
            first = self._first(doc, use, self.use_kinds)
            if first is None:
                continue
            b, m = first
            if _DEFINES.search(text[max(b.span.start, m.start() - 40) : m.start()]):
                continue  # "(BHYT)", "(sau đây viết tắt là BHYT)": it is being defined here
            spelled = self._first(doc, full, ("paragraph", "cell"))
            if spelled is not None and spelled[1].start() < m.start():
                continue
            variant = "later" if spelled is not None else "never"
            yield rule.finding(
                doc, Span(m.start(), m.end()), variant=variant, abbr=abbr, full=expansion,
                suggestion=f"{expansion} ({abbr})",
            )  # fmt: skip

    def _first(self, doc: Document, pattern: regex.Pattern, kinds) -> tuple[Any, Any] | None:
        """The first match inside a block of the checked regions and kinds."""
        for m in pattern.finditer(doc.text):
            b = doc.block_at(m.start())
            if b is not None and b.region in self.regions and b.kind in kinds and m.end() <= b.span.end:
                return b, m
        return None
