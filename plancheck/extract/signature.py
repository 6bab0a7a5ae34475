"""The closing of a document: Nơi nhận with its entries, the signature block, the body's end mark.

A document ends with two columns printed side by side: Nơi nhận (recipients, the last
one "Lưu: VT, …") on the left and the signature on the right (authority "TM. ỦY BAN
NHÂN DÂN", "KT. CHỦ TỊCH", the title "PHÓ CHỦ TỊCH", then the signer's name). A text
export gives these columns one after the other (either order), a markdown conversion
as the cells of a ``|`` table, Word as the cells of a borderless table; bold markup
often runs the authority and title lines together ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH"). A
PDF's text layer may interleave the two columns line by line ("Nơi nhận: TM. ỦY BAN
NHÂN DÂN", "- UBND thành phố; KT. CHỦ TỊCH"), so a line is first split where a
signature part follows a recipient part. The parse is kept as plain data in metadata
(``signer_*``, ``recipients``) and, with offsets, under ``_signature`` for PC606–PC608.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from ..layout import title_match
from ..model import Block, Document
from ..resources import FACTS_DIR
from ..yamlio import load_yaml

FACTS = FACTS_DIR / "format.yaml"

_NOI_NHAN = regex.compile(r"^[\W_]*N(?:ơi|ƠI)\s+(?:nhận|NHẬN)\s*[:.]?\s*", regex.V1)
_ENTRY = regex.compile(r"^[-–+•*]\s*\S")
_STAMP = regex.compile(r"^[(\[]?\s*(?:đã ký|Đã ký|ĐÃ KÝ|daky|ký|Ký)[^)\]]{0,30}[)\]]?\s*$")
_ANNEX_START = regex.compile(
    r"^(?:PHỤ LỤC|Phụ lục\s+(?:\d|[IVX]|số)|BIỂU\b|Biểu\s+(?:số|mẫu|\d)|DANH MỤC|DANH SÁCH|MẪU\b|Mẫu số)"
)
_CAPS_START = regex.compile(r"^\s*\p{Lu}+\.?\s+\p{Lu}+(?:\s|$)")
_END_MARK = regex.compile(r"(?P<mark>[.;:,!?…/][.;:,!?…/\s]*)$")


# Patterns used inside functions, compiled once (a module-level regex call looks its
# pattern up in regex's cache on every call).
_ENDS_PUNCT = regex.compile(r"[.;:,]$")
_INLINE_ITEM = regex.compile(r"(?:^|(?<=[;.])\s+)[-–+•]\s*[^-–+•].*?(?=\s+[-–+•]\s|$)")
_BULLET = regex.compile(r"^[-–+•*]\s*")
_NO_WORD = regex.compile(r"[\W_]*")
_SPACES = regex.compile(r"\s+")


@lru_cache(maxsize=1)
def facts() -> dict[str, Any]:
    """Format facts (authority prefixes, titles, surnames, Lưu), loaded once."""
    return load_yaml(FACTS)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, regex.Pattern]:
    f = facts()
    prefixes = sorted(f["authority_prefixes"], key=len, reverse=True)
    titles = sorted(f["titles"], key=len, reverse=True)
    title_alt = "|".join(regex.escape(t).replace(r"\ ", r"\s+") for t in titles)
    surnames = "|".join(regex.escape(s) for s in sorted(f["surnames"], key=len, reverse=True))
    word = r"\p{Lu}[\p{Ll}\p{M}]*(?:['’]\p{Lu}?[\p{Ll}\p{M}]+)?"
    return {
        "authority": regex.compile(r"^(?P<prefix>" + "|".join(prefixes) + r")\s*\.\s*(?P<rest>\p{Lu}.*)$"),
        "prefix_inside": regex.compile(r"\s(?=(?:" + "|".join(prefixes) + r")\s*\.\s*\p{Lu})"),
        "title_end": regex.compile(r"(?:^|\s)(?P<title>(?:" + title_alt + r"))\s*$"),
        "title_full": regex.compile(r"^(?:" + title_alt + r")$"),
        "caps_then_name": regex.compile(
            r"^(?:\p{Lu}+[.]?\s+)+?\p{Lu}+\s+(?P<name>" + word + r"(?:\s+" + word + r"){1,4})$"
        ),
        # "GIÁM ĐỐC SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI": a title followed by its body's name
        "title_start": regex.compile(r"^(?:" + title_alt + r")\s+\p{Lu}"),
        "name": regex.compile(r"^" + word + r"(?:\s+" + word + r"){1,4}$"),
        "name_caps": regex.compile(r"^\p{Lu}+(?:\s+\p{Lu}+){1,4}$"),
        "surname": regex.compile(r"^(?:" + surnames + r")(?=\s|['’])"),
        "luu": regex.compile(f["luu_pattern"]),
        "luu_vt": regex.compile(f["luu_vt_pattern"]),
        # A signature part glued after a recipient part by a PDF column merge.
        "column_split": regex.compile(
            r"(?<=[;:.,)]|\bnhận)(?<!(?:^|\s)(?:"
            + "|".join(prefixes)
            + r")\s*\.)\s+(?=(?:(?:"
            + "|".join(prefixes)
            + r")\s*\.\s*\p{Lu}|(?:"
            + title_alt
            + r")\s*$|"
            r"(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN)\s*$))"
        ),
    }


_WS = regex.compile(r"\s+")


def _clean(t: str) -> str:
    return _WS.sub(" ", t.replace("*", " ").replace("_", " ")).strip()


_LOWER = regex.compile(r"\p{Ll}")
_UPPER = regex.compile(r"\p{Lu}")


def _is_caps(t: str) -> bool:
    return _LOWER.search(t) is None and _UPPER.search(t) is not None


class _Line:
    """A piece of a closing block: one block, or one side of a PDF line split in two."""

    __slots__ = ("block", "start", "end", "text", "kind")

    def __init__(self, block: int, start: int, end: int, text: str) -> None:
        self.block, self.start, self.end, self.text = block, start, end, text
        self.kind = "other"

    def as_dict(self) -> dict[str, Any]:
        return {"block": self.block, "span": (self.start, self.end), "text": self.text, "kind": self.kind}


def _lines(doc: Document, blocks: list[Block]) -> list[_Line]:
    pats = _patterns()
    out: list[_Line] = []
    for b in blocks:
        t = doc.block_text(b)
        s = b.span.start
        cuts = {0, len(t)} | {m.start() for m in pats["column_split"].finditer(t)}
        if _CAPS_START.match(t):
            # Soft line breaks in a Word signature cell: "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH …",
            # "PHÓ CHỦ TỊCH Lang Đại Thành".
            cuts |= {m.start() for m in pats["prefix_inside"].finditer(t)}
            nm = pats["caps_then_name"].match(t)
            if nm:
                cuts.add(nm.start("name") - 1)
        cuts = sorted(cuts)
        for a, z in zip(cuts, cuts[1:], strict=False):
            piece = t[a:z]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if piece:
                out.append(_Line(b.index, s + a + lead, s + a + lead + len(piece), piece))
    return out


def _classify(ln: _Line) -> None:
    pats = _patterns()
    t = _clean(ln.text)
    if _NOI_NHAN.match(t):
        ln.kind = "noi_nhan"
    elif _ENTRY.match(t):
        ln.kind = "entry"
    elif _STAMP.match(t):
        ln.kind = "stamp"
    elif pats["authority"].match(t):
        ln.kind = "authority"
    elif _is_caps(t) and (pats["title_end"].search(t) or pats["title_start"].match(t)) and len(t) <= 100:
        ln.kind = "title"
    elif pats["name"].match(t) and not t.endswith((".", ";", ":", ",")):
        ln.kind = "name"
    elif _is_caps(t) and len(t.split()) <= 8 and not _ENDS_PUNCT.search(t):
        ln.kind = "caps"
    elif t.endswith(";") or pats["luu"].match(t):
        ln.kind = "entry"


def _window(doc: Document, meta: dict[str, Any]) -> tuple[list[Block], int | None]:
    """Blocks of the closing, and the index (into that list) of the Nơi nhận block."""
    start = meta.get("doc_title_block") or meta.get("title_block") or 0
    blocks = doc.blocks
    anchor = None
    for b in blocks[start:]:
        head = doc.text[b.span.start : min(b.span.end, b.span.start + 40)]
        if ("hận" in head or "HẬN" in head) and _NOI_NHAN.match(_clean(head)):
            anchor = b.index
            break
    if anchor is None:
        # No Nơi nhận: the signature after the body, before any annex.
        end = meta.get("annex_block") or len(blocks)
        lo = meta.get("closing_block")
        if lo is None:
            pats = _patterns()
            lo = None
            for b in blocks[max(start, end - 40) : end]:
                if pats["authority"].match(_clean(doc.block_text(b))):
                    lo = b.index
                    break
            if lo is None:
                return [], None
        return list(blocks[max(lo - 2, start) : min(end, lo + 25)]), None
    lo = max(start, anchor - 10)
    win: list[Block] = []
    for b in blocks[lo : anchor + 70]:
        t = doc.block_text(b).strip()
        if b.index > anchor + 1 and (_ANNEX_START.match(_clean(t)) or title_match(t) is not None):
            break
        win.append(b)
    return win, anchor - lo


def _split_authority(text: str) -> tuple[str, str, str | None]:
    """ "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" -> ("KT", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    pats = _patterns()
    m = pats["authority"].match(text)
    prefix, rest = (m.group("prefix"), m.group("rest").strip()) if m else ("", text)
    tm = pats["title_end"].search(rest)
    if tm and tm.start("title") > 0:
        return prefix, rest[: tm.start("title")].strip(), tm.group("title")
    return prefix, rest, None


def _signature(lines: list[_Line], nn: int | None) -> dict[str, Any]:
    """Find the signature run (authority/title/name lines) and parse it into segments."""
    pats = _patterns()
    kinds = [ln.kind for ln in lines]
    sig_kinds = {"authority", "title", "name", "stamp", "caps"}
    # Prefer the run after the Nơi nhận entries; else the run just before Nơi nhận.
    start = None
    after = (nn + 1) if nn is not None else 0
    for i in range(after, len(lines)):
        if kinds[i] in ("authority", "title"):
            start = i
            break
        if kinds[i] == "name" and start is None:
            start = i
            break
    if start is None and nn is not None:
        j = nn - 1
        while j >= 0 and kinds[j] in sig_kinds:
            j -= 1
        if j + 1 < nn and any(kinds[k] in ("authority", "title") for k in range(j + 1, nn)):
            start = j + 1
    if start is None:
        return {}
    run: list[_Line] = []
    for ln in lines[start:]:
        if ln.kind not in sig_kinds:
            if ln.kind in ("entry", "noi_nhan") and any(r.kind == "name" for r in run):
                break
            if ln.kind in ("entry", "noi_nhan"):
                continue  # a PDF line's recipient half between signature halves
            break
        run.append(ln)
        if ln.kind == "name":
            break
    name = next((ln for ln in run if ln.kind == "name"), None)
    if name is None:
        # A capitals-only name ("NGUYỄN VĂN A") after a title line.
        caps = [ln for ln in run if ln.kind == "caps" and pats["name_caps"].match(_clean(ln.text))]
        if caps and run.index(caps[-1]) > 0:
            name = caps[-1]
            name.kind = "name"
    before = run[: run.index(name)] if name else run
    segments: list[dict[str, Any]] = []
    for ln in before:
        t = _clean(ln.text)
        if ln.kind == "authority":
            prefix, principal, title = _split_authority(t)
            segments.append(
                {"prefix": prefix, "principal": principal, "title": title, "line": ln.as_dict(), "lines": [t]}
            )
        elif ln.kind in ("title", "caps"):
            if segments and segments[-1]["title"] is None and segments[-1]["prefix"]:
                segments[-1]["title"] = t
                segments[-1]["lines"].append(t)
            else:
                segments.append({"prefix": "", "principal": "", "title": t, "line": ln.as_dict(), "lines": [t]})
    out: dict[str, Any] = {"segments": segments, "lines": [ln.as_dict() for ln in run]}
    if name is not None:
        out["name"] = name.as_dict()
        out["name_has_surname"] = bool(pats["surname"].match(_clean(name.text)))
    return out


def _recipients(lines: list[_Line], nn: int | None) -> dict[str, Any]:
    if nn is None:
        return {}
    pats = _patterns()
    head = lines[nn]
    entries: list[_Line] = []
    rest = _NOI_NHAN.sub("", _clean(head.text), count=1)
    if rest:
        entries.append(_Line(head.block, head.end - len(rest), head.end, rest))
    for ln in lines[nn + 1 :]:
        if ln.kind in ("entry",) or (ln.kind == "other" and not entries):
            entries.append(ln)
        elif ln.kind in ("authority", "title", "name", "stamp", "caps"):
            continue  # the signature column, interleaved or after
        else:
            break
    # "- A; - B; - Lưu: VT." squeezed on one line
    items: list[_Line] = []
    for e in entries:
        parts = list(_INLINE_ITEM.finditer(e.text))
        if len(parts) > 1:
            for p in parts:
                items.append(_Line(e.block, e.start + p.start(), e.start + p.end(), p.group(0).strip()))
        else:
            items.append(e)
    out: dict[str, Any] = {"recipients": [_BULLET.sub("", _clean(e.text)) for e in items]}
    luu = [e for e in items if pats["luu"].match(_clean(e.text))]
    out["has_luu"] = bool(luu)
    out["has_luu_vt"] = any(pats["luu_vt"].search(_clean(e.text)) for e in luu)
    if luu:
        out["luu"] = {
            "text": _BULLET.sub("", _clean(luu[-1].text)),
            "span": (luu[-1].start, luu[-1].end),
            "block": luu[-1].block,
        }
    out["noi_nhan"] = {"text": _clean(head.text), "span": (head.start, head.end), "block": head.block}
    out["entries"] = [e.as_dict() for e in items]
    return out


_ENCLOSURE = regex.compile(r"\b(?:gửi kèm|kèm theo|đính kèm|gửi theo)\b", regex.I)


def _body_end(doc: Document, first_closing_block: int, meta: dict[str, Any]) -> dict[str, Any]:
    """The mark ending the last body paragraph before the closing ("./." expected)."""
    lo = meta.get("doc_title_block")
    lo = 0 if lo is None else lo + 1
    blocks = doc.blocks[lo:first_closing_block]
    # An enclosure note after the body ("(Sở Tư pháp gửi kèm Đề án … và các văn bản có liên
    # quan)") is not the body: its end mark is the paragraph's before, when that one has "./.".
    tail, skip = "", set()
    for b in reversed(blocks[-4:]):
        tail = (doc.block_text(b).strip() + " " + tail).strip()
        if not tail.endswith((")", ").")):
            break
        if tail.startswith("(") and _ENCLOSURE.search(tail):
            skip = {x.index for x in blocks if x.index >= b.index}
            break
    if skip:
        before = [x for x in blocks if x.index not in skip and doc.block_text(x).strip()]
        if not before or not doc.block_text(before[-1]).rstrip(' \t*_"”’)').endswith("./."):
            skip = set()
    for b in reversed(blocks):
        if b.index in skip:
            continue
        t = doc.block_text(b)
        if t.strip(" \t*_") == "./.":  # the mark alone on the line after the last sentence
            start = b.span.start + t.index("./.")
            return {"mark": "./.", "span": (start, start + 3), "block": b.index}
        if not t.strip() or _NO_WORD.fullmatch(t):
            continue
        if b.kind != "paragraph" or b.region in ("header", "title") or b.index == meta.get("title_block"):
            return {}
        stripped = t.rstrip(' \t*_"”’)')
        m = _END_MARK.search(stripped)
        mark = _SPACES.sub(" ", m.group("mark")).strip() if m else ""
        end = b.span.start + len(stripped)
        start = end - len(m.group("mark").lstrip()) if m and mark else end
        return {"mark": mark, "span": (max(b.span.start, start - (0 if mark else 1)), end), "block": b.index}
    return {}


def parse_closing(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    """The raw closing parse (with offsets), used by PC606–PC608 and the JSON view."""
    win, nn = _window(doc, meta)
    if not win:
        return {}
    lines = _lines(doc, win)
    for ln in lines:
        _classify(ln)
    nn_line = None
    if nn is not None:
        anchor_block = win[nn].index
        nn_line = next((i for i, ln in enumerate(lines) if ln.block == anchor_block and ln.kind == "noi_nhan"), None)
        if nn_line is None:
            nn_line = next((i for i, ln in enumerate(lines) if ln.kind == "noi_nhan"), None)
    out: dict[str, Any] = {}
    out.update(_recipients(lines, nn_line))
    sig = _signature(lines, nn_line)
    if sig:
        out["signature"] = sig
    firsts = [lines[nn_line].block] if nn_line is not None else []
    if sig.get("lines"):
        firsts.append(sig["lines"][0]["block"])
    if firsts:
        out["body_end"] = _body_end(doc, min(firsts), meta)
    return out


def extract_signature(doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    """Metadata: signer's authority, title and name; recipients; Lưu: VT; the body's end mark."""
    c = parse_closing(doc, meta)
    out: dict[str, Any] = {"_signature": c, "has_noi_nhan": "noi_nhan" in c}
    if "recipients" in c:
        out["recipients"] = c["recipients"]
        out["has_luu"] = c["has_luu"]
        out["has_luu_vt"] = c["has_luu_vt"]
    sig = c.get("signature") or {}
    segs = sig.get("segments") or []
    if segs:
        out["signer_authority"] = (
            " / ".join(
                f"{s['prefix']}. {s['principal']}".strip() if s["prefix"] else s["principal"]
                for s in segs
                if s["prefix"]
            )
            or None
        )
        out["signer_title"] = segs[-1]["title"] or (segs[-1]["principal"] if not segs[-1]["prefix"] else None)
    if sig.get("name"):
        out["signer_name"] = _clean(sig["name"]["text"])
    if c.get("body_end"):
        out["body_end_mark"] = c["body_end"]["mark"]
    return {k: v for k, v in out.items() if v is not None}


def signature_json(doc: Document) -> dict[str, Any]:
    """View for ``plancheck extract``: the closing as found, with locations."""
    c = doc.metadata.get("_signature") or {}

    def loc(span) -> dict[str, Any]:
        from ..model import Span

        lo = doc.locate(Span(*span))
        return {k: getattr(lo, k) for k in ("line", "page", "paragraph") if getattr(lo, k) is not None}

    sig = c.get("signature") or {}
    return {
        "noi_nhan": ({**c["noi_nhan"], "location": loc(c["noi_nhan"]["span"])} if c.get("noi_nhan") else None),
        "recipients": c.get("recipients", []),
        "has_luu_vt": c.get("has_luu_vt"),
        "segments": [
            {
                "prefix": s["prefix"],
                "principal": s["principal"],
                "title": s["title"],
                "location": loc(s["line"]["span"]),
            }
            for s in sig.get("segments", [])
        ],
        "signer_name": _clean(sig["name"]["text"]) if sig.get("name") else None,
        "body_end": c.get("body_end"),
        "metadata": {
            k: doc.metadata.get(k)
            for k in ("signer_authority", "signer_title", "signer_name", "has_luu", "has_luu_vt", "body_end_mark")
        },
    }
