"""Inject one-slip misspellings into the plans of ``corpus/`` and score PC806 on them.

    python -m plancheck.misspell OUTDIR [--seed 1] [--per-doc 10]   # writes the cases
    plancheck eval OUTDIR --select PC806 --no-unexpected           # scores them

For each plan of corpus/seeds (.txt) and corpus/realworld (.md) a copy is written with up
to ``per_doc`` slips, each on its own line, lines at least 6 apart, and an expectations
file: a ``must`` PC806 on that line whose message names the original word (the right
suggestion, in quotes). A slip (``SLIPS``: a tone, a vowel mark ă/â/ơ/ư/ê/ô, d/đ, s/x, ch/tr,
d/r/gi, l/n at the onset, a letter dropped or doubled) is made only

- on a lower-case syllable in running text whose pairs with both neighbours are frequent
  in formal Vietnamese (the passage is right as written), outside quotes;
- when its result is a real syllable that forms no attested pair or dictionary word with
  either neighbour (a real-word slip whose result is not itself a right phrase there), or
  a written form that is no Vietnamese syllable but keeps a Vietnamese mark (an invalid
  syllable); never a misspelling PC802 lists.

Deterministic for a given ``--seed``. The statistics it judges "right" and "not right"
by are PC806's own data, so it measures how well the check applies them, not the data.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from pathlib import Path

from .extract.words import text_words
from .syllables import MARK_SLIPS, ONSET_SLIPS, canon, is_syllable

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (("corpus/seeds", ".txt"), ("corpus/realworld", ".md"))

_TONES = "\u0300\u0301\u0309\u0303\u0323"


def _split_tone(w: str) -> tuple[str, str]:
    nfd = unicodedata.normalize("NFD", w)
    tone = next((c for c in nfd if c in _TONES), "")
    return unicodedata.normalize("NFC", nfd.replace(tone, "") if tone else nfd), tone


def _with_tone(base: str, tone: str, like: str) -> str:
    """``base`` with ``tone`` on the vowel that carries it in ``like`` (same letters around it)."""
    if not tone:
        return base
    # the tone goes on the same vowel position as in the original where possible
    nfd_like = unicodedata.normalize("NFD", like)
    pos = None
    letters = 0
    for c in nfd_like:
        if c in _TONES:
            pos = letters - 1
            break
        if not unicodedata.combining(c):
            letters += 1
    vowels = [i for i, c in enumerate(base) if c in "aăâeêioôơuưy"]
    if not vowels:
        return base
    if pos is None or pos >= len(base) or base[pos] not in "aăâeêioôơuưy":
        pos = vowels[-1] if len(vowels) == 1 or base[-1] not in "aăâeêioôơuưy" else vowels[-2]
    s = unicodedata.normalize("NFD", base[: pos + 1]) + tone + base[pos + 1 :]
    return unicodedata.normalize("NFC", s)


def slip_forms(word: str) -> dict[str, list[str]]:
    """Written forms one slip away from ``word`` (lower case), by kind of slip."""
    base, tone = _split_tone(word)
    out: dict[str, list[str]] = {}
    out["tone"] = [_with_tone(base, t, word) for t in ("", *_TONES) if t != tone]
    marks = []
    for i, ch in enumerate(base):
        for m in MARK_SLIPS.get(ch, ""):
            marks.append(_with_tone(base[:i] + m + base[i + 1 :], tone, word))
    out["mark"] = marks
    out["onset"] = [b + word[len(a) :] for a, b in ONSET_SLIPS if word.startswith(a)]
    out["drop"] = [word[:i] + word[i + 1 :] for i in range(len(word)) if len(word) > 2]
    out["double"] = [word[: i + 1] + word[i] + word[i + 1 :] for i in range(len(word))]
    return {k: [f for f in v if f and f != word] for k, v in out.items()}


def _match_case(found: str, form: str) -> str:
    return form[:1].upper() + form[1:] if found[:1].isupper() else form


def _typo_forms() -> set[str]:
    from .checks.language import _as_list, load_lexicon

    data = load_lexicon("typos.yaml")
    return {" ".join(str(w).lower().split()) for e in data.get("entries", []) for w in _as_list(e["wrong"])}


def pick_slips(text: str, rng: random.Random, per_doc: int) -> list[tuple[int, int, str, str, int, str]]:
    """Up to ``per_doc`` slips for ``text``: (start, end, wrong, right, line, how)."""
    from .checks.spelling import NOT_SYLLABLE, spell_data, syllable_id

    d = spell_data()
    typos = _typo_forms()
    ws = text_words(text)
    n = len(ws)
    lines = text.split("\n")
    line_starts = [0]
    for ln in lines:
        line_starts.append(line_starts[-1] + len(ln) + 1)

    def line_of(off: int) -> int:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi - 1:
            mid = (lo + hi) // 2
            if line_starts[mid] <= off:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def linked(i: int) -> bool:
        return 0 <= i < n - 1 and text[ws.ends[i] : ws.starts[i + 1]] == " "

    order = list(range(1, n - 1))
    rng.shuffle(order)
    used_lines: list[int] = []
    edits: list[tuple[int, int, str, str, int, str]] = []
    for i in order:
        if len(edits) >= per_doc:
            break
        tok = ws.texts[i]
        if not tok.islower() or not linked(i - 1) or not linked(i) or len(tok) < 2:
            continue
        ln = line_of(ws.starts[i])
        if any(abs(ln - u) < 6 for u in used_lines):
            continue
        line = lines[ln - 1]
        if "\t" in line or "|" in line or line.count("“") + line.count('"') > 0 or len(line) < 60:
            continue
        a, w, b = (syllable_id(x) for x in (ws.lows[i - 1], ws.lows[i], ws.lows[i + 1]))
        if min(a, w, b) < 0 or not d.known(a << 16 | w) or not d.known(w << 16 | b):
            continue  # only a passage that is right as written
        kinds = slip_forms(tok)
        kind = rng.choice([k for k in kinds if kinds[k]] or ["tone"])
        forms = kinds.get(kind) or []
        rng.shuffle(forms)
        for wrong in forms:
            low = wrong.lower()
            if any(f in typos for f in (low, f"{ws.lows[i - 1]} {low}", f"{low} {ws.lows[i + 1]}")):
                continue
            if is_syllable(low):
                c = syllable_id(low)
                if c == NOT_SYLLABLE or canon(low) == canon(tok):
                    continue
                if c >= 0 and (d.pair(a, c) or d.pair(c, b) or d.known(a << 16 | c) or d.known(c << 16 | b)):
                    continue  # the slip is itself a right phrase there
                variant = "real-word"
            else:
                if low.isascii() or syllable_id(low) != NOT_SYLLABLE:
                    continue
                variant = "invalid"
            edits.append((ws.starts[i], ws.ends[i], _match_case(tok, wrong), tok, ln, f"{kind}, {variant}"))
            used_lines.append(ln)
            break
    return edits


def make_cases(text: str, rng: random.Random, per_doc: int) -> tuple[str, list[dict]]:
    """The text with up to ``per_doc`` slips and the must entries (line, wrong, right)."""
    edits = pick_slips(text, rng, per_doc)
    out = text
    for s, e, wrong, _, _, _ in sorted(edits, reverse=True):
        out = out[:s] + wrong + out[e:]
    must = [
        {"code": "PC806", "line": ln, "anchor": [f'"{right}"'], "reason": f"{right} -> {wrong} ({how})"}
        for _, _, wrong, right, ln, how in sorted(edits, key=lambda x: x[4])
    ]
    return out, must


def write_cases(outdir: Path, seed: int = 1, per_doc: int = 10) -> int:
    import yaml

    outdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    total = 0
    for folder, ext in SOURCES:
        for src in sorted((ROOT / folder).glob(f"*{ext}")):
            text = src.read_text(encoding="utf-8")
            new, must = make_cases(text, rng, per_doc)
            if not must:
                continue
            dst = outdir / src.name
            dst.write_text(new, encoding="utf-8")
            exp = {"document": src.name, "strict": False, "must": must}
            (outdir / (src.name + ".expected.yaml")).write_text(
                yaml.safe_dump(exp, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            total += len(must)
    return total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-doc", type=int, default=10)
    args = ap.parse_args(argv)
    n = write_cases(args.outdir, args.seed, args.per_doc)
    print(f"{n} misspellings injected into {args.outdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
