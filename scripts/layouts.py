#!/usr/bin/env python3
"""Layout-variation generator: every seed plan rendered the ways real offices lay plans out.

``scripts/render_corpus.py`` renders each seed once, faithful to Nghị định 30/2020 (the
committed ``corpus/seeds/seedNNN.docx/.pdf``). Real offices do otherwise: an unbold
trích yếu over two paragraphs, headings as Word heading styles, tables without ruling
lines, ragged text without first-line indents, narrow header columns where the place
and date wrap. This script renders every seed in each of those layouts (same words,
same order; only the layout differs), as .docx and .pdf where the layout applies::

    .venv/bin/python scripts/layouts.py OUTDIR                  # all seeds, all layouts
    .venv/bin/python scripts/layouts.py OUTDIR seed001 ragged   # some seeds / layouts

Files are named ``seedNNN.LAYOUT.docx`` / ``.pdf``; with ``--expect`` each gets a
``….expected.yaml`` derived from the seed's own expectations (plancheck.evaluate.derive).
tests/test_layouts.py generates them into a temporary folder and checks that every
seed expectation holds in every layout and that the findings equal the seed's .txt run.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import render_corpus as rc  # noqa: E402

# name -> (layout, formats it applies to)
LAYOUTS: dict[str, tuple[rc.Layout, tuple[str, ...]]] = {
    # bold centred title, ruled tables, justified with first-line indent
    "nd30": (rc.NĐ30, ("docx", "pdf")),
    # the trích yếu not bold and cut over two paragraphs (the second one plain)
    "plain-title": (replace(rc.NĐ30, title_bold=False, title_split=True), ("docx", "pdf")),
    # numbered headings carried by Word "Heading 1/2/3" styles (a PDF has no styles)
    "heading-styles": (replace(rc.NĐ30, heading_styles=True), ("docx",)),
    # data tables drawn without any ruling line
    "borderless": (replace(rc.NĐ30, ruled_tables=False), ("docx", "pdf")),
    # ragged right, no first-line indent: wrapped lines start at the margin like new paragraphs
    "ragged": (replace(rc.NĐ30, justify=False, first_indent=False), ("docx", "pdf")),
    # narrow header columns: issuer lines and the place-and-date wrap
    "narrow-header": (replace(rc.NĐ30, header_mm=(48, 66)), ("docx", "pdf")),
}


def seeds() -> list[str]:
    return sorted(p.stem for p in rc.SEED_DIR.glob("seed[0-9][0-9][0-9].txt"))


def render(seed: str, layout: str, outdir: Path, expect: bool = False) -> list[Path]:
    """Render one seed in one layout into outdir; return the files written."""
    lay, formats = LAYOUTS[layout]
    plan = rc.load(rc.SEED_DIR / f"{seed}.txt")
    outdir.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for fmt in formats:
        path = outdir / f"{seed}.{layout}.{fmt}"
        (rc.build_docx if fmt == "docx" else rc.build_pdf)(plan, path, lay)
        out.append(path)
        if expect:
            write_expectations(seed, path)
    return out


def write_expectations(seed: str, target: Path) -> Path:
    import yaml

    from plancheck.evaluate import EXPECT_SUFFIX, derive

    res = derive(rc.SEED_DIR / f"{seed}.expected.yaml", target)
    res["document"] = target.name
    outp = target.with_name(target.name + EXPECT_SUFFIX)
    outp.write_text(yaml.safe_dump(res, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    return outp


def main(argv: list[str]) -> int:
    expect = "--expect" in argv
    args = [a for a in argv if a != "--expect"]
    if not args:
        print(__doc__)
        return 2
    outdir = Path(args[0])
    names = [a for a in args[1:] if a in seeds()] or seeds()
    lays = [a for a in args[1:] if a in LAYOUTS] or list(LAYOUTS)
    for s in names:
        for lay in lays:
            for p in render(s, lay, outdir, expect):
                print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
