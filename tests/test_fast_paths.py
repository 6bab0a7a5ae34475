"""Fast paths that replace a regex scan must find exactly what the scan found.

Block ends are trimmed with str.strip(WS_CHARS) (the regex class the readers were
written against); whole-text scans try only candidate offsets found with str.find;
tokens come from one split. Each test compares with the plain regex on the seeds
(as written, upper- and lower-cased) and on hand-made samples.
"""

import sys
from pathlib import Path

import regex

from plancheck.checks.language import _ends_open, _starts_lower
from plancheck.normalize import SPACE_CHARS, WS_CHARS, _trim

ROOT = Path(__file__).resolve().parent.parent
WS_CLASS = regex.compile(r"[\s\u00a0\u200b\ufeff]")
_LEAD = regex.compile(r"^[\s\u00a0\u200b\ufeff]+")
_TRAIL = regex.compile(r"[\s\u00a0\u200b\ufeff]+$")


def test_ws_chars_are_the_regex_class():
    found = {chr(c) for c in range(sys.maxunicode + 1) if WS_CLASS.match(chr(c))}
    assert found == set(WS_CHARS)
    space = regex.compile(r"\s")
    assert {c for c in found if space.match(c)} == set(SPACE_CHARS)


def test_paragraph_end_and_start_tests_agree_with_the_regexes():
    ends_open = regex.compile(r"[\p{L}\p{M},]\s*$")
    starts_lower = regex.compile(r"^\s*\p{Ll}")
    texts = ["", " ", "kế hoạch", "kế hoạch.", "a,", "a, \n", "a\n", "x\u00a0", "x\u200b", "\u0301", "1", "Đ", "đ",
             " \u3000đ", "\u200bđ", "(a", "a)", "ǅ", "a\n\n", "ß"]  # fmt: skip
    for t in texts:
        assert _ends_open(t) == bool(ends_open.search(t)), t
        assert _starts_lower(t) == bool(starts_lower.search(t)), t


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


# ----------------------------------------------------------------- whole-text scans

SAMPLES = [
    "",
    "Ngày 18 tháng 01 năm 2022, NGÀY 5/6/2023; sáu tháng đầu năm 2024; giai đoạn 2021-2025.",
    "từ 2021 đến 2025, trước 30/6, vào ngày 1-2-2020, quý IV/2023, 12.5% số hộ, ſau 3 Sáu",
    "Thôn Bản Cái, xã Tân Thành, huyện Krông Nô; THÔN LÀNG MƠN; cấp xã, văn bản, chăm sóc xóm.",
    "ß năm 2024 ǰ ngày 1/1/2024 xã Đắk",
]


def _texts():
    from plancheck.parse import parse

    out = list(SAMPLES)
    for f in sorted((ROOT / "corpus" / "seeds").glob("seed*.txt")):
        t = parse(f).text
        out += [t, t.upper(), t.lower()]
    return out


def test_date_triggers_are_the_regex_matches():
    from plancheck.extract.dates import _TRIGGER, _triggers

    for t in _texts():
        assert _triggers(t) == [m.start() for m in _TRIGGER.finditer(t)]


def test_place_mentions_found_from_candidates_as_by_finditer():
    from plancheck.checks.language import _MENTION, _finditer_at, _unit_candidates

    for t in _texts():
        cands = _unit_candidates(t)
        for a in range(0, len(t), 97):  # chunks starting anywhere, as blocks do
            chunk = t[a : a + 400]
            want = [(m.span(), m.group()) for m in _MENTION.finditer(chunk)]
            got = [(m.span(), m.group()) for m in _finditer_at(_MENTION, chunk, cands, a, word_start=True)]
            assert got == want, chunk


def test_tcvn3_prefilter_holds_every_match():
    from plancheck.checks.input import _TCVN3, _TCVN3_ANY

    legacy = "Ch\u00ad\u00a8ng tr×nh môc ti\u00aau qu\u00e8c gia gi\u00b6m ngh\u00d7o"
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạ"
    sets = "¸µ¶·¹¨©®ª«¬»¼½¾ÆÇËÎÏÐÑÖ×ØÛÜÞßæçëîïñöøûüþ"
    samples = [legacy, *(a + b for a in letters for b in sets), *(b + a for a in letters for b in sets)]
    for s in samples:
        if _TCVN3.search(s):
            assert _TCVN3_ANY.search(s), s
    assert not _TCVN3_ANY.search("Kế hoạch thực hiện Chương trình mục tiêu quốc gia")


def test_word_tokens_as_by_finditer():
    from plancheck.extract.words import _TOKEN, _no_digit, _split

    for t in _texts()[:8] + ["H'Mông M’Đrắk 2.211 km2 x1 1x ²"]:
        found = list(_TOKEN.finditer(t))
        starts, ends, texts = _split(t)
        assert starts == [m.start() for m in found]
        assert ends == [m.end() for m in found]
        assert texts == [m.group() for m in found]
        assert _no_digit(t, starts, ends) == [regex.search(r"\d", w) is None for w in texts]


def test_repeat_candidates_are_the_near_equal_words():
    from plancheck.rulebook import load_rules

    rule = next(r for r in load_rules() if r.code == "PC801")
    lows = "trên địa bàn trên địa bàn và và các các xã xã xã a b c d e f a".split()
    near = rule.check._near(lows)
    m = rule.check.max_n
    want = {i: [j for j in range(max(0, i - m), i) if lows[j] == lows[i]] for i in range(len(lows))}
    assert near == {i: js for i, js in want.items() if js}


def test_word_counts_skip_numbers_and_masked_tokens():
    from collections import Counter

    from plancheck.extract.words import text_words

    ws = text_words("Xem www.quangnam.gov.vn và và 2024 năm năm")
    ws.masked = {1, 2, 3, 4}  # as the tokenizer masks an address
    want = Counter(w for i, w in enumerate(ws.lows) if ws.is_word[i] and i not in ws.masked)
    assert ws.counts() == want and list(ws.counts()) == list(want)
    assert ws.counts()["và"] == 2 and "2024" not in ws.counts() and "quangnam" not in ws.counts()


def test_render_formats_only_the_named_values_with_the_same_result():
    from plancheck.rulebook import _SafeDict, fmt_value, render

    values = {"n": 2211, "x": 1.4, "s": "xã", "unused": object(), "b": True}
    for tmpl in ["{n} hộ, {x}%", "{s:>5}|{missing}|{n!r}", "no fields", "{{literal}} {s}", "{b} {n}{n}"]:
        want = tmpl.format_map(_SafeDict({k: fmt_value(v) for k, v in values.items()}))
        assert render(tmpl, values) == want
    for bad in ["{", "{0}", "{}"]:
        try:
            bad.format_map(_SafeDict({k: fmt_value(v) for k, v in values.items()}))
        except (ValueError, IndexError) as exc:
            want_exc = type(exc)
        try:
            render(bad, values)
        except (ValueError, IndexError) as exc:
            assert type(exc) is want_exc
        else:
            raise AssertionError(bad)


def test_reports_without_views_render_the_same():
    """The CLI keeps document views only for the outputs that show the text; the HTML
    and CSV outputs of a report made without them (re-parsed) are the same."""
    from plancheck.engine import check
    from plancheck.report import get_renderer

    paths = [str(ROOT / "corpus" / "seeds" / "seed001.txt"), str(ROOT / "corpus" / "seeds" / "seed003.docx")]
    with_views, without = check(paths, views=True), check(paths, views=False)
    assert all("view" in d.extra for d in with_views.documents)
    assert not any("view" in d.extra for d in without.documents)
    stamp = regex.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")  # the HTML's "generated" time
    for fmt in ("json", "html", "csv"):
        render = get_renderer(fmt)
        a, b = render(without, lang="vi"), render(with_views, lang="vi")
        assert stamp.sub("", a) == stamp.sub("", b), fmt


def test_pdf_tables_from_graphics_only_layout_are_pdfplumbers():
    """Ruled-table pages are laid out without their characters: same tables as pdfplumber."""
    import io

    import pdfplumber

    from plancheck.readers.pdf import _layout_without_text

    data = (ROOT / "corpus" / "seeds" / "seed001.pdf").read_bytes()

    def tables(fast: bool):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            out = []
            for page in pdf.pages:
                if fast:
                    _layout_without_text(page)
                    assert not page.chars
                out.append([(t.bbox, [r.cells for r in t.rows]) for t in page.find_tables()])
            return out

    full = tables(False)
    assert sum(len(t) for t in full) >= 1  # the seed has ruled tables
    assert tables(True) == full


def test_sentence_end_tests_of_the_readers_agree_with_their_patterns():
    from plancheck.readers import pdf, txt

    ends = [".", ":", ";", "!", "?", "…", "./.", ". /", ".  /", "./", "/", ". )", '."', ".”", ".’)", ".*", "._", ". \n",
            ".\u00a0", "a", "", " ", "1.5", "a./b", "x /", "x.\u3000/", ")", "./.)", ".)\u200b"]  # fmt: skip
    for e in ends:
        for t in (e, "Kế hoạch" + e, e + " "):
            assert pdf._ends_terminal(t) == bool(pdf._TERMINAL.search(t)), repr(t)
            assert txt._ends_terminal(t) == bool(txt._TERMINAL.search(t)), repr(t)


def test_re_tokenizer_classes_agree_on_the_safe_ranges():
    import re

    from plancheck.extract.words import _RE_TOKEN_SPLIT, _RE_UNSAFE, _TOKEN_SPLIT, SAFE_RANGES

    lmn, lm = regex.compile(r"[\p{L}\p{M}\p{N}]"), regex.compile(r"[\p{L}\p{M}]")
    word, letter = re.compile(r"[^\W_]"), re.compile(r"[^\W\d_]")
    for a, b in SAFE_RANGES:
        for c in map(chr, range(a, b + 1)):
            assert bool(lmn.match(c)) == bool(word.match(c)), hex(ord(c))
            assert bool(lm.match(c)) == bool(letter.match(c)), hex(ord(c))
            assert _RE_UNSAFE.match(c) is None
    for c in "²³¹¼½¾\u0301中ßǰ\u0300":
        assert (_RE_UNSAFE.match(c) is None) == any(a <= ord(c) <= b for a, b in SAFE_RANGES), c
    for t in _texts():
        if _RE_UNSAFE.search(t) is None:
            assert _RE_TOKEN_SPLIT.split(t) == _TOKEN_SPLIT.split(t)


def test_address_prefilter_holds_every_regex_hit():
    from plancheck.extract.words import _MAYBE_ADDRESS, _maybe_address

    samples = ["a@b", "http://x", "WWW.X", "sldtbxh.gov.vn", "x.VN", "A.Com", "plain text.", "1.5 triệu", "ab.int"]
    for t in [*samples, *_texts()]:
        if _MAYBE_ADDRESS.search(t):
            assert _maybe_address(t), t
    assert not _maybe_address("Kế hoạch số 12/KH-UBND. Thực hiện năm 2024.")


def test_program_names_found_from_shared_starts_as_by_each_finditer():
    from plancheck.checks.base import any_start, finditer_at
    from plancheck.rulebook import load_rules

    rule = next(r for r in load_rules() if r.code == "PC303")
    pats = [p for _, ps, *_ in rule.check.programs for p in ps]
    starts_re = any_start(pats)
    assert starts_re is not None
    extra = "CTMTQG giảm nghèo; chương trình MTQG xây dựng nông thôn mới, giảm nghèo bền vững và phát triển kinh tế"
    for t in [*_texts(), extra, extra.upper()]:
        starts = [m.start() for m in starts_re.finditer(t)]
        for p in pats:
            assert [m.span() for m in finditer_at(p, t, starts)] == [m.span() for m in p.finditer(t)]


def test_patterns_that_cannot_be_combined_are_scanned_alone():
    from plancheck.checks.base import any_start, finditer_at

    v1i = regex.V1 | regex.IGNORECASE
    assert any_start([regex.compile(r"(a)\1", v1i), regex.compile("b", v1i)]) is None
    assert any_start([regex.compile("(?i:a)b"), regex.compile("b")]) is None
    assert any_start([regex.compile("a", v1i), regex.compile("b", regex.V1)]) is None  # other flags
    assert any_start([regex.compile("a", regex.VERBOSE), regex.compile("b", regex.VERBOSE)]) is None
    empty = regex.compile("x*")
    assert [m.span() for m in finditer_at(empty, "axxb", [0, 1])] == [m.span() for m in empty.finditer("axxb")]


def test_json_report_written_document_by_document_is_the_whole_dump(tmp_path):
    import json

    from plancheck.baseline import apply_baseline
    from plancheck.engine import Report, check
    from plancheck.report.json import render_json, report_dict

    def whole(r, lang):
        return json.dumps(report_dict(r, lang), ensure_ascii=False, indent=2) + "\n"

    seeds = ROOT / "corpus" / "seeds"
    report = check([seeds / "seed001.txt", seeds / "seed002.pdf", seeds / "seed003.docx"])
    one = check([seeds / "seed004.txt"])
    one.notes.append("a note")
    for r in (report, one, Report(documents=[])):
        for lang in ("vi", "en"):
            assert render_json(r, lang) == whole(r, lang)
    base = tmp_path / "baseline.json"
    base.write_text(render_json(one), encoding="utf-8")
    again = check([seeds / "seed004.txt"])
    apply_baseline(again, str(base))
    assert again.documents[0].extra.get("baseline") is not None
    assert render_json(again) == whole(again, "vi")


def test_docx_style_tables_are_shared_only_between_identical_styles_parts(tmp_path):
    import zipfile

    import plancheck.readers.docx as D
    from plancheck.parse import parse

    seeds = ROOT / "corpus" / "seeds"
    D._STYLES_SEEN.clear()
    first = parse(seeds / "seed001.docx")
    assert len(D._STYLES_SEEN) == 1
    parse(seeds / "seed002.docx")  # the same template
    assert len(D._STYLES_SEEN) == 1
    # the same document with a changed styles part gets its own table
    changed = tmp_path / "changed.docx"
    with zipfile.ZipFile(seeds / "seed001.docx") as src, zipfile.ZipFile(changed, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", b"<w:style w:type='paragraph' w:styleId='X'/></w:styles>")
            dst.writestr(item, data)
    again = parse(changed)
    assert len(D._STYLES_SEEN) == 2
    assert again.text == first.text and again.blocks == first.blocks
    D._STYLES_SEEN.clear()
    fresh = parse(seeds / "seed001.docx")  # built anew: the same document as with the shared table
    assert fresh.text == first.text and fresh.blocks == first.blocks and fresh.outline == first.outline
