"""Hostile corpus: files built to exhaust a parser's memory or time (issue 16).

``build(folder)`` writes one file per class and returns {class: path}. Each file is
small on disk (at most a few MB) and cheap to build (well under a second each); the
sizes are those that blew up memory or time before the limits, scaled down where the
original size only made the test slower without testing anything more.

Run as a script to write the corpus to a folder: ``python tests/hostile_corpus.py DIR``.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">{body}</w:document>'


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_bytes(document: str, extra: tuple[tuple[str, bytes], ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)
        for name, data in extra:
            z.writestr(name, data)
    return buf.getvalue()


PLAN = (
    "ỦY BAN NHÂN DÂN XÃ THỊNH ĐỨC\n\nKẾ HOẠCH\n\nThực hiện Chương trình mục tiêu quốc gia giảm nghèo "
    "bền vững năm 2024\n\nI. MỤC ĐÍCH, YÊU CẦU\n\nNâng cao đời sống của người nghèo trên địa bàn xã.\n\n"
    "II. MỤC TIÊU\n\nGiảm tỷ lệ hộ nghèo đa chiều từ 1 đến 1,5%.\n\nIII. TỔ CHỨC THỰC HIỆN\n\n"
    "Ủy ban nhân dân xã chủ trì, phối hợp với các đoàn thể tổ chức thực hiện.\n"
)


def combining_marks(n: int = 100_000) -> bytes:
    """One letter and ``n`` combining accents: a 200 KB token (PC803's syllable split)."""
    return (PLAN + "Từ a" + "\u0301" * n + " hết.\n").encode("utf-8")


def pipe_line(n: int = 1_200_000) -> bytes:
    """A Markdown line of pipes (a table row with a million empty cells, PC701)."""
    return (PLAN + "|" * n + "\n").encode("utf-8")


def single_line(n: int = 8_000_000) -> bytes:
    """One line of words with no line break (the reader's and the rules' line loops)."""
    word = "nghèo "
    return (PLAN.replace("\n", " ") + word * (n // len(word))).encode("utf-8")


def long_token(n: int = 1_000_000) -> bytes:
    """A 1 MB token with no space (quadratic splits and lookups)."""
    return (PLAN + "Số " + "ab" * (n // 2) + " hết.\n").encode("utf-8")


def citations(n_bytes: int = 600_000) -> bytes:
    """Legal citations in one paragraph: 600 KB (the report's 1.6 MB took 250 s; the
    citation reader and PC206 re-read the paragraph for every citation: quadratic; it is
    linear now, ~15 s for 1.6 MB on a loaded machine, so the test uses less)."""
    cite = "căn cứ Quyết định số 59/2015/QĐ-TTg ngày 19/11/2015 của Thủ tướng Chính phủ, "
    n = n_bytes // len(cite.encode())
    return (PLAN + "Thực hiện " + cite * n + "hết.\n").encode("utf-8")


def grid_span(span: int = 100_000_000) -> bytes:
    """A .docx table cell with ``gridSpan`` a hundred million (the reader padded the grid)."""
    tbl = (
        "<w:tbl>"
        f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{para("ô")}</w:tc></w:tr>'
        f"<w:tr><w:tc>{para('a')}</w:tc><w:tc>{para('b')}</w:tc></w:tr>"
        "</w:tbl>"
    )
    body = "".join(para(x) for x in PLAN.split("\n") if x) + tbl
    return docx_bytes(document_xml(f"<w:body>{body}</w:body>"))


def deflate_repeat(head: bytes, block: bytes, count: int, tail: bytes, wbits: int) -> bytes:
    """A deflate stream of head + block * count + tail, built in time independent of
    ``count``: after a full flush the compressor's state is reset, so every block
    compresses to the same bytes and the compressed block is repeated as it is. The
    zlib trailer (wbits > 0) carries a made-up checksum: readers stop before it."""
    co = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    piece = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    return first + piece * count + co.compress(tail) + co.flush()


def zip_lie(actual: int = 300 * 1024 * 1024) -> bytes:
    """A .docx whose word/document.xml inflates to ``actual`` bytes while both zip
    headers declare 1 KB (a check of the declared sizes lets it through)."""
    body = "".join(para(x) for x in PLAN.split("\n") if x)
    head = document_xml(f"<w:body>{body}").encode()
    comp = deflate_repeat(head, b"<w:p/>" * (1 << 16), actual // (6 << 16), b"</w:body></w:document>", -15)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
    good = buf.getvalue()
    # rebuild: the two small parts, then the lying entry, then a central directory
    out = io.BytesIO()
    entries = []
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    for name, data in members:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        cd = c.compress(data) + c.flush()
        entries.append((name, out.tell(), zlib.crc32(data), len(cd), len(data)))
        _local(out, name, zlib.crc32(data), len(cd), len(data))
        out.write(cd)
    name = "word/document.xml"
    entries.append((name, out.tell(), 0, len(comp), 1024))
    _local(out, name, 0, len(comp), 1024)
    out.write(comp)
    cd_start = out.tell()
    for name, off, crc, csize, usize in entries:
        nb = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, csize, usize, len(nb), 0, 0, 0, 0, 0, off
            )
        )
        out.write(nb)
    cd_end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), cd_end - cd_start, cd_start, 0))
    return out.getvalue()


def _local(out: io.BytesIO, name: str, crc: int, csize: int, usize: int) -> None:
    nb = name.encode()
    out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, csize, usize, len(nb), 0))
    out.write(nb)


def empty_zip() -> bytes:
    """The 22-byte empty zip archive (an end-of-central-directory record only)."""
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0, 0, 0, 0, 0)


def two_documents() -> bytes:
    """Two ``word/document.xml`` entries: which one a reader takes is undefined."""
    import warnings

    body = "".join(para(x) for x in PLAN.split("\n") if x)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", CT)
            z.writestr("_rels/.rels", RELS)
            z.writestr("word/document.xml", document_xml(f"<w:body>{body}</w:body>"))
            z.writestr("word/document.xml", document_xml(f"<w:body>{para('KẾ HOẠCH khác')}</w:body>"))
    return buf.getvalue()


def no_body() -> bytes:
    """A .docx whose document has no ``w:body``."""
    return docx_bytes(document_xml(""))


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (1-based), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _pdf_page(content: bytes, filters: bytes = b"") -> bytes:
    stream = b"<< /Length %d %s>>\nstream\n" % (len(content), filters) + content + b"\nendstream"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            stream,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


TEXT_OPS = b"BT /F1 12 Tf 72 770 Td (KE HOACH thuc hien nam 2024) Tj ET\n"


def pdf_inflate(actual: int = 1024 * 1024 * 1024) -> bytes:
    """A page whose content stream inflates to ``actual`` bytes (1 GiB of spaces from 1 MB)."""
    return _pdf_page(deflate_repeat(TEXT_OPS, b" " * (1 << 20), actual >> 20, b"", 15), b"/Filter /FlateDecode ")


def pdf_paths(n: int = 200_000) -> bytes:
    """One page with ``n`` path objects: small stroked squares on a grid (a ruled table
    for the grid test, so the table reader gets the page)."""
    ops = [TEXT_OPS]
    for i in range(n):
        x, y = 20 + 8 * (i % 60), 20 + 8 * ((i // 60) % 90)
        ops.append(b"%d %d 8 8 re S\n" % (x, y))
    return _pdf_page(b"".join(ops))


def bad_byte() -> bytes:
    """A UTF-8 plan with one stray Latin-1 byte in one line."""
    return PLAN.encode("utf-8").replace("Nâng cao".encode(), b"N\xe2ng cao", 1)


CLASSES = {
    "combining.txt": combining_marks,
    "pipes.md": pipe_line,
    "single-line.txt": single_line,
    "long-token.txt": long_token,
    "citations.txt": citations,
    "gridspan.docx": grid_span,
    "zip-lie.docx": zip_lie,
    "empty-zip.docx": empty_zip,
    "two-documents.docx": two_documents,
    "no-body.docx": no_body,
    "pdf-inflate.pdf": pdf_inflate,
    "pdf-paths.pdf": pdf_paths,
}


def build(folder: str | Path, names: tuple[str, ...] | None = None) -> dict[str, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in CLASSES.items():
        if names is not None and name not in names:
            continue
        p = folder / name
        p.write_bytes(make())
        out[name] = p
    return out


if __name__ == "__main__":
    for _name, p in build(sys.argv[1] if len(sys.argv) > 1 else "hostile").items():
        print(f"{p.stat().st_size:>10}  {p}")
