"""Every seed expectation holds in every layout real offices produce (issue 12).

scripts/layouts.py renders each seed plan as NĐ 30-faithful, with a plain two-paragraph
title, heading numbers from Word's automatic numbering, headings as Word styles, borderless tables, ragged text without indents and narrow
header columns (.docx and .pdf where the layout applies). The files are generated once per
test session into a temporary folder. For each one:

- the seed's expectations (derived for the file like the committed renderings') hold:
  every must found, no trap fired;
- the findings are the seed's .txt findings (code and excerpt), no new one, none lost.
  PC103 (heading styles alike) judges what the reader sees, so on Word files it is compared
  with the committed NĐ 30 rendering of the same format instead.
"""

from __future__ import annotations

import collections
import importlib.util
import sys
from pathlib import Path

import pytest

from plancheck.evaluate import evaluate_document, norm_text, run_document
from plancheck.rulebook import load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
VISUAL = {"PC103"}  # compared with the committed rendering of the same format


def _layouts_module():
    spec = importlib.util.spec_from_file_location("plancheck_layouts", ROOT / "scripts" / "layouts.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


LAY = _layouts_module()
CASES = [(seed, name, fmt) for seed in LAY.seeds() for name, (_lay, formats) in LAY.LAYOUTS.items() for fmt in formats]


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("layouts")
    for seed in LAY.seeds():
        for name in LAY.LAYOUTS:
            LAY.render(seed, name, out, expect=True)
    return out


_REF: dict[Path, collections.Counter] = {}


def _keys(path: Path, rules) -> collections.Counter:
    if path not in _REF:
        findings, _err, _meta = run_document(path, rules)
        _REF[path] = collections.Counter((f.code, norm_text(f.excerpt)[:40]) for f in findings)
    return _REF[path]


def test_every_layout_is_generated(rendered):
    assert len(CASES) >= 5 * 10
    assert {name for _s, name, _f in CASES} >= {"nd30", "plain-title", "word-numbering", "heading-styles",
                                                 "borderless", "ragged", "narrow-header"}  # fmt: skip
    for seed, name, fmt in CASES:
        assert (rendered / f"{seed}.{name}.{fmt}").stat().st_size > 1000


@pytest.mark.parametrize(("seed", "layout", "fmt"), CASES, ids=lambda v: str(v))
def test_seed_expectations_hold_in_layout(rendered, rules, seed, layout, fmt):
    path = rendered / f"{seed}.{layout}.{fmt}"
    ev = evaluate_document(path, rules)
    assert ev.error is None
    assert not ev.failures, "\n".join(ev.failures)
    got = collections.Counter((f.code, norm_text(f.excerpt)[:40]) for f in ev.findings)
    want = _keys(SEEDS / f"{seed}.txt", rules)
    ref = _keys(SEEDS / f"{seed}.{fmt}", rules)

    def split(c: collections.Counter, visual: bool) -> collections.Counter:
        return collections.Counter({k: n for k, n in c.items() if (k[0] in VISUAL) == visual})

    if fmt == "docx":
        assert split(got, True) == split(ref, True), "heading-style findings differ from the NĐ 30 rendering"
        got, want = split(got, False), split(want, False)
    new, lost = got - want, want - got
    assert not new and not lost, f"new {dict(new)}, lost {dict(lost)}"


def test_word_numbering_layout_numbers_headings_through_numbering_xml(rendered):
    import zipfile

    xml = zipfile.ZipFile(rendered / "seed001.word-numbering.docx").read("word/document.xml").decode()
    assert xml.count("<w:numPr>") >= 15  # the typed markers are gone, Word numbers them
    from plancheck.parse import parse

    doc = parse(rendered / "seed001.word-numbering.docx")
    texts = [doc.block_text(b) for b in doc.blocks]
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts and "1. Mục đích" in texts
