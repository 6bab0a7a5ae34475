"""Rebuild plancheck/rules/facts/legal-consensus/consensus.yaml from the shared corpora.

Issue 15 item 5: the verified registry (rules/facts/legal/) knows ~60 documents; the
citations written in ../shared/corpus-admin (legal news and Q&A pages) and in the
office files of ../shared/realworld-office know thousands. A national document's
number–ký hiệu gets a consensus entry (type, issuer, date) when at least two source
documents cite it with the same date and none cites it with another date. Entries are
stored apart from the verified registry, with status "consensus of N mentions";
PC202 on such an entry is a warning, never an error, and a verified entry wins.

Citations are found with plancheck's own parser (plancheck/extract/citations.py) on
the paragraphs of each source that hold a number followed by "ngày". Only national
issuers count (Quốc hội, Chính phủ, Thủ tướng, ministries…: the ``issuers`` of
rules/facts/abbreviations.yaml, not UBND/HĐND, whose numbers repeat across provinces).
A number without a year ("123/QĐ-TTg") recurs every year: it is keyed by number and
year of its date. A number with a year must be dated in that year.

Heavy (150 million characters): run once, with nice; texts of the office files are
cached under --cache (default /tmp/plancheck-consensus/).

    nice python scripts/build_consensus_registry.py [--shared ../shared] [--cache DIR]
"""

from __future__ import annotations

import argparse
import collections
import json
import lzma
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "plancheck" / "rules" / "facts" / "legal-consensus" / "consensus.yaml"
MIN_MENTIONS = 2
_QH = regex.compile(r"^QH\d+$")
# a paragraph worth parsing: a number–ký hiệu with a dash (or a law's QHnn), then "ngày"
_PREFILTER = regex.compile(
    r"\d{1,5}\s*/\s*(?:(?:19|20)\d\d\s*/\s*)?(?:[\p{Lu}Đ]{1,6}\s*[-–]\s*[\p{Lu}\p{Ll}Đ&]{1,12}|QH\d\d).{0,60}?ngày",
    regex.V1,
)


def office_texts(folder: Path, cache: Path):
    """(name, text) of each readable office file, through plancheck's readers (cached)."""
    from plancheck.readers import read_path

    cache.mkdir(parents=True, exist_ok=True)
    for f in sorted(folder.iterdir()):
        if f.suffix.lower() not in (".docx", ".pdf", ".doc", ".txt", ".md"):
            continue
        c = cache / (f.name + ".txt")
        if c.exists():
            yield f.name, c.read_text(encoding="utf-8")
            continue
        try:
            res = read_path(f)
            text = res.text
        except Exception as exc:  # unreadable file: skipped, noted
            print(f"skip {f.name}: {exc}", file=sys.stderr)
            text = ""
        c.write_text(text, encoding="utf-8")
        yield f.name, text


def admin_texts(path: Path):
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            yield d["id"], d.get("text") or ""


def mentions(text: str):
    """(key, type, issuer group, ISO date) of each dated national citation in ``text``."""
    from plancheck.extract.citations import _tables, extract_citations, known_issuer
    from plancheck.parse import parse_text

    paras = [p for p in regex.split(r"\n\s*\n|\n", text) if "ngày" in p and _PREFILTER.search(p)]
    if not paras:
        return
    doc = parse_text("\n\n".join(p.strip() for p in paras))
    words = _tables()["abbr_to_word"]
    for c in extract_citations(doc):
        if c.party or c.date is None or c.date.date is None or not c.date.valid:
            continue
        groups = c.kyhieu.split("-")
        d = c.date.date
        if c.year is not None and d.year != c.year:
            continue
        if len(groups) == 1 and _QH.match(groups[0]):  # a Luật or Nghị quyết of the Quốc hội: 72/2025/QH15
            issuer, typ = "QH", c.type_word if c.type_word in ("Luật", "Nghị quyết", "Bộ luật") else None
            if typ is None:  # "Luật Đất đai số 31/2024/QH15": the law's name between type and number
                pre = doc.text[max(0, c.number_span.start - 60) : c.number_span.start]
                last = {w: pre.rfind(w) for w in ("Bộ luật", "Luật", "Nghị quyết")}
                w, at = max(last.items(), key=lambda kv: kv[1])
                typ = w if at >= 0 else None
        elif len(groups) == 2 and known_issuer(groups[1]) and groups[1].upper() not in ("UBND", "HĐND", "HDND"):
            issuer, typ = groups[1], words.get(groups[0].upper()) or c.type_word
        else:
            continue
        if not typ:
            continue
        key = c.key if c.year is not None else f"{c.key}@{d.year}"
        yield key, c.written, typ, issuer, d.isoformat()


def build(shared: Path, cache: Path) -> dict:
    from plancheck.extract.registry import registry

    seen: dict[str, dict] = {}
    by_doc: dict[str, set] = collections.defaultdict(set)  # key -> {(source, date)}
    n_src = 0
    sources = [("corpus-admin", admin_texts(shared / "corpus-admin" / "tvpl-2025-11.jsonl.xz"))]
    sources.append(("realworld-office", office_texts(shared / "realworld-office", cache / "office")))
    for label, it in sources:
        for name, text in it:
            n_src += 1
            if n_src % 1000 == 0:
                print(f"{n_src} sources, {len(by_doc)} numbers", file=sys.stderr)
            for key, written, typ, issuer, iso in mentions(text):
                by_doc[key].add((f"{label}/{name}", iso))
                seen.setdefault(key, {"number": written, "types": collections.Counter(), "issuer": issuer})
                seen[key]["types"][typ] += 1
    return {"sources": n_src, "documents": select(by_doc, seen, registry())}


def select(by_doc: dict[str, set], seen: dict[str, dict], reg) -> list[dict]:
    """The consensus entries: numbers cited by >= MIN_MENTIONS sources with one date and
    no other, whose type words agree, and that the verified registry ``reg`` does not hold
    (for a number without a year: not for that year)."""
    out = []
    for key, ms in sorted(by_doc.items()):
        dates = {d for _, d in ms}
        srcs = {s for s, _ in ms}
        if len(dates) != 1 or len(srcs) < MIN_MENTIONS:
            continue
        info = seen[key]
        base, _, yr = key.partition("@")
        known = reg.by_key.get(base)
        if known is not None and (not yr or (known.date is not None and str(known.date.year) == yr)):
            continue  # the verified registry wins
        types = info["types"].most_common()
        if len(types) > 1 and types[1][1] * 3 > types[0][1]:
            continue  # the type words disagree
        number = info["number"]
        out.append(
            {
                "number": number,
                "type": types[0][0],
                "issuer": info["issuer"],
                "date": next(iter(dates)),
                "mentions": len(srcs),
            }
        )
    return out


def write(data: dict, path: Path = OUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Consensus registry: national documents whose number, type, issuer and date the",
        "# citations of ../shared/corpus-admin and ../shared/realworld-office agree on (>= 2",
        "# source documents citing the same date, none another). NOT verified: status",
        '# "consensus of N mentions". PC202 on an entry here is a warning, never an error;',
        "# rules/facts/legal/ wins. Rebuilt by scripts/build_consensus_registry.py",
        f"# ({data['sources']} source documents read). Numbers without a year are per year.",
        "kind: legal_consensus",
        f"min_mentions: {MIN_MENTIONS}",
        "documents:",
    ]
    for e in data["documents"]:
        lines.append(
            f"  - {{number: {json.dumps(e['number'], ensure_ascii=False)}, type: {e['type']}, "
            f"issuer: {e['issuer']}, date: {e['date']}, mentions: {e['mentions']}}}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent.parent / "shared")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/plancheck-consensus"))
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    data = build(a.shared, a.cache)
    write(data, a.out)
    print(f"{len(data['documents'])} consensus entries from {data['sources']} sources -> {a.out}")


if __name__ == "__main__":
    main()
