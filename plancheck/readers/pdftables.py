"""PDF tables drawn without ruling lines, found from the alignment of their words.

Word exports of borderless tables, and tables whose grid is too light to be drawn as
paths, reach the PDF reader as lines of text. A table shows in how its lines are cut:
its rows are lines cut into three or more pieces at wide gaps (``_Frag`` of the reader),
several in a row, and its columns are the x-ranges that the words of those rows leave
empty all the way down. Prose never does that: a paragraph's line is one piece, and a
two-column layout (header, signature) has two.

``find_text_tables`` returns, per table, its bounding box and a grid of cell boxes in
the same shape as the ruled tables pdfplumber finds (display coordinates, y up), so the
reader puts each character in its cell the same way. Only lines already cut into pieces
start a table; the words of a candidate region are measured, nothing else: pages of
prose cost one pass over their lines.
"""

from __future__ import annotations

from bisect import bisect_right

import regex

_WORD = regex.compile(r"\S+")

MIN_COLS = 3  # a table has at least three columns (two are a layout: header, signature)
MIN_ROWS = 3  # and at least three rows cut into columns


def _lines(frags) -> list[list]:
    """Frags grouped into visual lines, top-down, each left to right."""
    out: list[list] = []
    for f in sorted(frags, key=lambda f: -f.base):
        if out and abs(out[-1][0].base - f.base) <= 0.3 * min(out[-1][0].size, f.size):
            out[-1].append(f)
        else:
            out.append([f])
    for ln in out:
        ln.sort(key=lambda f: f.x0)
    return out


def _words(geo, f) -> list[tuple[float, float]]:
    """(x0, x1) of each word of a fragment."""
    if f.k2t is None:
        spans = [(m.start(), m.end()) for m in _WORD.finditer(f.text)]
    else:  # text offsets back to character indices
        spans = [
            (bisect_right(f.k2t, m.start()) - 1, bisect_right(f.k2t, m.end() - 1) - 1 + 1)
            for m in _WORD.finditer(f.text)
        ]
    out = []
    for a, b in spans:
        a, b = max(0, min(a, f.n - 1)), max(1, min(b, f.n))
        x0 = geo.box(f.ci + a)[0]
        x1 = geo.box(f.ci + b - 1)[2]
        if x1 > x0:
            out.append((x0, x1))
    return out or [(f.x0, f.x1)]


def find_text_tables(geo, frags, page_width: float) -> list[tuple[tuple[float, float, float, float], list]]:
    # cheap test first: are there three baselines holding three pieces or more?
    per_base: dict[int, int] = {}
    for f in frags:
        k = round(f.base)
        per_base[k] = per_base.get(k, 0) + 1
    if sum(n >= MIN_COLS for n in per_base.values()) < MIN_ROWS:
        return []
    lines = _lines([f for f in frags if not f.dropped and f.cell is None])
    cut = [len(ln) >= MIN_COLS for ln in lines]
    if sum(cut) < MIN_ROWS:
        return []
    text_w = max((f.x1 for f in frags), default=page_width) - min((f.x0 for f in frags), default=0.0)
    out = []
    i = 0
    while i < len(lines):
        if not cut[i]:
            i += 1
            continue
        # the data rows: consecutive cut lines at a steady pitch
        j = i
        while j + 1 < len(lines) and cut[j + 1] and _close(lines[j], lines[j + 1], 2.5):
            j += 1
        if j - i + 1 >= MIN_ROWS:
            t = _table(geo, lines, i, j, text_w)
            if t is not None:
                out.append(t)
        i = j + 1
    return out


def _close(a: list, b: list, k: float) -> bool:
    return a[0].base - b[0].base <= k * max(f.size for f in a + b)


def _table(geo, lines, i: int, j: int, text_w: float):
    rows = list(range(i, j + 1))
    size = sorted(f.size for k in rows for f in lines[k])[len(rows) // 2]
    words = {k: [w for f in lines[k] for w in _words(geo, f)] for k in rows}
    # columns: x-ranges the words of the data rows leave empty all the way down
    spans = sorted(w for k in rows for w in words[k])
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 < cols[-1][1] + 0.5 * size:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < MIN_COLS:
        return None

    def filled(k: int) -> int:
        return sum(any(c[0] <= (a + b) / 2 <= c[1] for a, b in words[k]) for c in cols)

    full = sum(filled(k) >= MIN_COLS for k in rows)
    if full < MIN_ROWS or full < 0.6 * len(rows):
        return None
    left, right = cols[0][0], cols[-1][1]
    # header lines above the data rows: close, inside the table's width, no wide line of prose
    top = i
    while top > 0 and i - top < 24:
        ln = lines[top - 1]
        if not _close(ln, lines[top], 2.2) or any(abs(f.size - size) > 1.0 for f in ln):
            break
        if any(f.x0 < left - size or f.x1 > right + size or f.width > 0.5 * min(right - left, text_w) for f in ln):
            break
        top -= 1
    # cell boxes: columns reach halfway to their neighbours; a row runs down to the next
    bounds = [left - 2.0] + [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:], strict=False)] + [right + 2.0]
    # a header word across a boundary moves it to the word's edge, inside the gap
    head_words = [w for k in range(top, i) for f in lines[k] for w in _words(geo, f)]
    for c in range(1, len(cols)):
        lo, hi = cols[c - 1][1], cols[c][0]
        for w0, w1 in head_words:
            b = bounds[c]
            if w0 < b < w1:
                if lo < w0 - 0.5 < hi:
                    bounds[c] = w0 - 0.5
                elif lo < w1 + 0.5 < hi:
                    bounds[c] = w1 + 0.5
    starts = ([top] if top < i else []) + rows
    grid = []
    for r, k in enumerate(starts):
        y1 = max(f.base for f in lines[k]) + 0.9 * size
        if r + 1 < len(starts):
            y0 = max(f.base for f in lines[starts[r + 1]]) + 0.9 * size + 0.01
        else:
            y0 = lines[j][0].base - 0.4 * size
        grid.append([(bounds[c], y0, bounds[c + 1], y1) for c in range(len(cols))])
    bbox = (bounds[0], grid[-1][0][1], bounds[-1], grid[0][0][3])
    return bbox, grid
