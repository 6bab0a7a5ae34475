"""Rebuild the spelling data of PC806 (rules/facts/lexicon/spelling-*) from ../shared.

Two steps, the first heavy (run it once, niced; its counts are cached):

    nice -n 19 .venv/bin/python scripts/build_lexicon.py count   # -> /tmp/spelling/counts.pkl
    .venv/bin/python scripts/build_lexicon.py pack --pyvi words.txt   # -> the shipped files

``count`` reads ../shared/corpus-admin/tvpl-2025-11.jsonl.xz (13,910 pages) and the text
of ../shared/realworld-office (.docx with python-docx, .pdf with pypdfium2; legacy .doc
skipped) and ../shared/realworld, and counts, per syllable key (``syllables.canon``: tone
placement and i/y merged), how often it occurs, how often it is written in lower case,
and how often two syllables follow each other with only spaces between them. Nothing
else is kept: no text, no sentence.

``pack`` keeps the aggregate counts above a threshold and writes:

- ``spelling-syllables.tsv``: one syllable a line (key, the most frequent written form,
  count, share written in lower case), line number = syllable id;
- ``spelling-pairs.bin``: little-endian arrays (layout in plancheck/checks/spelling.py):
  the attested pairs as sorted uint32 keys (id1 << 16 | id2), frequent ones and the
  rest apart, each with one byte per pair (the count on a log scale); the pairs inside
  the multi-syllable words of pyvi's word list (MIT); and for each syllable the frequent
  syllables one slip away (``syllables.slips``).
"""

from __future__ import annotations

import argparse
import json
import lzma
import math
import pickle
import re
import sys
from array import array
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plancheck.syllables import canon, is_syllable, slips  # noqa: E402

SHARED = ROOT.parent.parent / "shared" if (ROOT.parent.parent / "shared").is_dir() else ROOT.parent / "shared"
CACHE = Path("/tmp/spelling")
LEXICON = ROOT / "plancheck" / "rules" / "facts" / "lexicon"

# a chunk: letters and spaces between two marks of punctuation, digits or line breaks
_CHUNK_SPLIT = re.compile(r"[^\w \t\u00a0]|[\d_]")
MAX_IDS = 1 << 16


class Counts:
    def __init__(self) -> None:
        self.surface: Counter = Counter()  # written form (case kept) -> count
        self.pairs: Counter = Counter()  # id1 << 16 | id2 -> count
        self.triples: Counter = Counter()  # id1 << 32 | id2 << 16 | id3 -> count
        self.ids: dict[str, int] = {}  # canon key -> id
        self.memo: dict[str, int] = {}  # written form -> id (-1: no syllable)

    def _id(self, w: str) -> int:
        i = self.memo.get(w)
        if i is None:
            i = -1
            if len(w) <= 8 and is_syllable(w):
                k = canon(w)
                i = self.ids.get(k, -1)
                if i < 0 and len(self.ids) < MAX_IDS - 1:
                    i = self.ids[k] = len(self.ids)
            self.memo[w] = i
        return i

    def add_text(self, text: str) -> None:
        for line in text.splitlines():
            for chunk in _CHUNK_SPLIT.split(line):
                toks = chunk.split()
                if not toks:
                    continue
                self.surface.update(toks)
                if len(toks) < 2:
                    continue
                ids = [self._id(t) for t in toks]
                self.pairs.update(a << 16 | b for a, b in zip(ids, ids[1:]) if a >= 0 and b >= 0)
                if len(toks) > 2:
                    self.triples.update(
                        a << 32 | b << 16 | c for a, b, c in zip(ids, ids[1:], ids[2:]) if a >= 0 and b >= 0 and c >= 0
                    )


def _office_texts():
    office = SHARED / "realworld-office"
    for p in sorted(office.iterdir()):
        try:
            if p.suffix == ".docx":
                import docx

                d = docx.Document(str(p))
                parts = [para.text for para in d.paragraphs]
                for t in d.tables:
                    for row in t.rows:
                        parts.extend(c.text for c in row.cells)
                yield "\n".join(parts)
            elif p.suffix == ".pdf":
                import pypdfium2

                pdf = pypdfium2.PdfDocument(str(p))
                yield "\n".join(page.get_textpage().get_text_range() for page in pdf)
        except Exception as exc:  # a broken file is skipped, the count goes on
            print(f"skip {p.name}: {exc}", file=sys.stderr)
    for p in sorted((SHARED / "realworld").rglob("*")):
        if p.suffix in (".md", ".txt"):
            yield p.read_text(encoding="utf-8", errors="replace")


def count() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    c = Counts()
    with lzma.open(SHARED / "corpus-admin" / "tvpl-2025-11.jsonl.xz", "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            c.add_text(json.loads(line)["text"])
            if n % 1000 == 0:
                print(f"corpus-admin {n} pages, {len(c.pairs)} pairs", file=sys.stderr)
    for n, text in enumerate(_office_texts()):
        c.add_text(text)
        if n % 100 == 0:
            print(f"office {n} files", file=sys.stderr)
    with open(CACHE / "counts.pkl", "wb") as f:
        pickle.dump({"surface": c.surface, "pairs": c.pairs, "ids": c.ids}, f)
    with open(CACHE / "triples.pkl", "wb") as f:
        pickle.dump({k: n for k, n in c.triples.items() if n >= 2}, f)
    print(f"{len(c.ids)} syllables, {len(c.pairs)} pairs, {sum(c.surface.values())} tokens", file=sys.stderr)


def quantize(n: int) -> int:
    """A count on a byte: 1..255, about 4 steps per doubling (exact up to 4)."""
    return min(255, n if n <= 4 else int(4 + 4 * math.log2(n / 4)))


def pack(min_syllable: int, min_pair: int, strong: int, min_slip: int, pyvi_words: Path | None) -> None:
    from plancheck.checks.spelling import MAGIC

    with open(CACHE / "counts.pkl", "rb") as f:
        data = pickle.load(f)
    surface: Counter = data["surface"]
    old_ids: dict[str, int] = data["ids"]
    # per key: total count, lower-case count, most frequent lower-case written form
    total: Counter = Counter()
    lower: Counter = Counter()
    forms: dict[str, Counter] = {}
    for w, n in surface.items():
        if len(w) > 8 or not is_syllable(w):
            continue
        k = canon(w)
        if k not in old_ids:
            continue
        total[k] += n
        if w.islower():
            lower[k] += n
        forms.setdefault(k, Counter())[w.lower()] += n
    keep = sorted((k for k, n in total.items() if n >= min_syllable), key=lambda k: (-total[k], k))
    index = {k: i for i, k in enumerate(keep)}
    new_id = {old_ids[k]: i for i, k in enumerate(keep)}
    with open(LEXICON / "spelling-syllables.tsv", "w", encoding="utf-8") as f:
        f.write(f"# PC806 syllables (line = id): key, written form, count, % in lower case; count >= {min_syllable}\n")
        for k in keep:
            form = forms[k].most_common(1)[0][0]
            f.write(f"{k}\t{form}\t{total[k]}\t{round(100 * lower[k] / total[k])}\n")
    strong_pairs, weak_pairs = [], []
    for key, n in data["pairs"].items():
        if n < min_pair:
            continue
        a, b = new_id.get(key >> 16), new_id.get(key & 0xFFFF)
        if a is None or b is None:
            continue
        (strong_pairs if n >= strong else weak_pairs).append((a << 16 | b, quantize(n)))
    # pairs inside the dictionary's words (pyvi, MIT): known right whatever the corpus says
    dict_pairs: set[int] = set()
    if pyvi_words:
        for line in pyvi_words.read_text(encoding="utf-8").splitlines():
            sy = line.lower().split()
            if len(sy) < 2 or not all(is_syllable(x) for x in sy):
                continue
            ks = [index.get(canon(x)) for x in sy]
            dict_pairs.update(a << 16 | b for a, b in zip(ks, ks[1:]) if a is not None and b is not None)
    # one-slip neighbours of each syllable among the frequent ones
    slip_ok = {k for k in keep if total[k] >= min_slip}
    offsets, targets = array("I", [0]), array("H")
    for k in keep:
        targets.extend(sorted(index[c] for c in slips(k) if c in slip_ok))
        offsets.append(len(targets))
    sections = []
    for pairs in (sorted(strong_pairs), sorted(weak_pairs)):
        sections.append((array("I", (k for k, _ in pairs)), array("B", (q for _, q in pairs))))
    dkeys = array("I", sorted(dict_pairs))
    arrays = [sections[0][0], sections[1][0], dkeys, offsets, targets, sections[0][1], sections[1][1]]
    header = array("I", [len(a) for a in arrays])
    if sys.byteorder != "little":
        for a in (header, *arrays):
            a.byteswap()
    with open(LEXICON / "spelling-pairs.bin", "wb") as f:
        f.write(MAGIC)
        f.write(header.tobytes())
        for a in arrays:
            f.write(a.tobytes())
    print(
        f"{len(keep)} syllables, {len(strong_pairs)} + {len(weak_pairs)} pairs, {len(dkeys)} dictionary pairs, "
        f"{len(targets)} slips",
        file=sys.stderr,
    )


def pack_triples(min_triple: int) -> None:
    """spelling-triples.bin: hashes (``spelling.triple_hash``) of the frequent syllable triples."""
    from plancheck.checks.spelling import TRIPLES_MAGIC, triple_hash

    with open(CACHE / "counts.pkl", "rb") as f:
        old_ids: dict[str, int] = pickle.load(f)["ids"]
    index = {}
    with open(LEXICON / "spelling-syllables.tsv", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                index[line.split("\t", 1)[0]] = len(index)
    new_id = {old_ids[k]: i for k, i in index.items() if k in old_ids}
    with open(CACHE / "triples.pkl", "rb") as f:
        triples: dict[int, int] = pickle.load(f)
    best: dict[int, int] = {}
    for key, n in triples.items():
        if n < min_triple:
            continue
        a, b, c = new_id.get(key >> 32), new_id.get(key >> 16 & 0xFFFF), new_id.get(key & 0xFFFF)
        if a is None or b is None or c is None:
            continue
        h = triple_hash(a, b, c)
        best[h] = max(best.get(h, 0), quantize(n))
    keys = array("I", sorted(best))
    vals = array("B", (best[k] for k in keys))
    header = array("I", [len(keys), len(vals)])
    if sys.byteorder != "little":
        keys.byteswap()
        header.byteswap()
    with open(LEXICON / "spelling-triples.bin", "wb") as f:
        f.write(TRIPLES_MAGIC)
        f.write(header.tobytes())
        f.write(keys.tobytes())
        f.write(vals.tobytes())
    print(f"{len(keys)} triples", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="step", required=True)
    sub.add_parser("count")
    p = sub.add_parser("pack")
    p.add_argument("--min-syllable", type=int, default=5)
    p.add_argument("--min-pair", type=int, default=3)
    p.add_argument("--strong", type=int, default=30, help="pairs at least this frequent are loaded as a set")
    p.add_argument("--min-slip", type=int, default=50, help="a suggestion is a syllable at least this frequent")
    p.add_argument("--min-triple", type=int, default=3)
    p.add_argument("--pyvi", type=Path, help="pyvi's models/words.txt (from `pip download pyvi`)")
    args = ap.parse_args()
    if args.step == "count":
        count()
    else:
        pack(args.min_syllable, args.min_pair, args.strong, args.min_slip, args.pyvi)
        pack_triples(args.min_triple)


if __name__ == "__main__":
    main()
