"""Guards run before a parser sees a file: what a header declares is never trusted.

A zip entry's declared size and a PDF stream's length say nothing of what they
inflate to, and the libraries (zipfile's ``read``, pdfium) inflate a whole part in
one call. So each compressed part is inflated here first, a chunk at a time,
counting the bytes it really holds, and the file is refused (PC001) as soon as a
limit is passed: memory stays at one chunk whatever the file claims.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections import Counter

from .base import ReadError

CHUNK = 1 << 20  # bytes inflated at a time
STEP = 1 << 16  # compressed bytes fed at a time
#: an entry (or stream) this small never counts as a bomb, whatever its ratio
SMALL = 1 << 20
#: columns of a table grid (Word allows 63); a gridSpan past it is clamped
MAX_GRID_COLUMNS = 64
#: objects on one PDF page past which it is not searched for ruled tables
MAX_PAGE_OBJECTS = 20_000

_LOCAL = struct.Struct("<IHHHHHIIIHH")


def _bomb(detail: str, detail_vi: str) -> ReadError:
    return ReadError("zip_bomb", detail=detail, detail_vi=detail_vi)


def inflated_size(comp, limit: int, wbits: int = -15) -> tuple[int, int]:
    """Inflate ``comp`` (bytes or memoryview) a piece at a time; (bytes it holds,
    compressed bytes used), stopping with a size past ``limit`` as soon as it is
    passed. Broken data ends the count where it breaks (the parser reports it)."""
    d = zlib.decompressobj(wbits)
    total = 0
    k = 0
    n = len(comp)
    try:
        while k < n and not d.eof:
            piece = comp[k : k + STEP]
            k += len(piece)
            while piece and not d.eof:
                out = d.decompress(piece, CHUNK)
                total += len(out)
                if total > limit:
                    return total, k
                piece = d.unconsumed_tail
    except zlib.error:
        return total, k
    return total, (k - len(d.unused_data)) if d.eof else k


def check_zip_bytes(data: bytes, limits) -> None:
    """Refuse zip bombs and malformed archives before any XML is parsed: the number of
    entries, duplicated names, and each entry's real inflated size against the entry,
    total and ratio limits (and against the size its header declares)."""
    import io

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError("corrupt", detail=str(exc), detail_vi="tệp nén bị cắt cụt hoặc hỏng") from exc
    with z:
        infos = z.infolist()
        if not infos:
            raise ReadError(
                "corrupt", detail="an empty zip archive (no entries)", detail_vi="tệp nén rỗng, không có nội dung"
            )
        if len(infos) > limits.max_zip_entries:
            raise _bomb(f"{len(infos)} entries", f"{len(infos)} mục")
        dup = [n for n, c in Counter(i.filename for i in infos).items() if c > 1]
        if dup:
            raise ReadError(
                "corrupt",
                detail=f"two entries named {dup[0]}",
                detail_vi=f"có hai mục cùng tên {dup[0]}",
            )
        total = 0
        for info in infos:
            budget = min(limits.max_zip_entry, limits.max_zip_total - total)
            size = _entry_size(z, data, info, budget)
            total += size
            name = info.filename
            if size > info.file_size and size > SMALL:
                raise _bomb(
                    f"{name}: declared {info.file_size} bytes, holds more than {size}",
                    f"{name}: khai {info.file_size} byte, thực chứa hơn {size} byte",
                )
            if size > limits.max_zip_entry:
                raise _bomb(f"{name}: over {limits.max_zip_entry} bytes", f"{name}: quá {limits.max_zip_entry} byte")
            if total > limits.max_zip_total:
                raise _bomb(f"over {limits.max_zip_total} bytes in all", f"tổng quá {limits.max_zip_total} byte")
            if size > SMALL and size / max(info.compress_size, 1) > limits.max_zip_ratio:
                raise _bomb(
                    f"{name}: ratio over {limits.max_zip_ratio:g}", f"{name}: tỷ lệ nén quá {limits.max_zip_ratio:g}"
                )


def _entry_size(z: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo, budget: int) -> int:
    """Bytes the entry really inflates to (stopping past ``budget``)."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1:
        off = info.header_offset
        head = data[off : off + _LOCAL.size]
        if len(head) == _LOCAL.size and head[:4] == b"PK\x03\x04":
            n_name, n_extra = _LOCAL.unpack(head)[-2:]
            start = off + _LOCAL.size + n_name + n_extra
            return inflated_size(data[start : start + info.compress_size], budget)[0]
    # another method (bzip2, lzma) or an odd header: zipfile's reader, a chunk at a time
    total = 0
    try:
        with z.open(info) as fh:
            while chunk := fh.read(CHUNK):
                total += len(chunk)
                if total > budget:
                    break
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
        pass  # the reader reports a broken or encrypted entry
    return total


def check_pdf_streams(data: bytes, limits) -> None:
    """Inflate every Flate stream of a PDF that is not an image (content, object,
    font and form streams: what the text reader decodes) and refuse the file when
    one of them, or all together, hold more than the zip limits allow."""
    total = 0
    pos = 0
    find = data.find
    while True:
        i = find(b"stream", pos)
        if i < 0:
            return
        j = i + 6
        if data[j : j + 2] == b"\r\n":
            j += 2
        elif data[j : j + 1] in (b"\n", b"\r"):
            j += 1
        else:
            pos = j
            continue
        if data[i - 3 : i] == b"end":  # "endstream"
            pos = j
            continue
        head = data[max(data.rfind(b"obj", 0, i), 0) : i]
        if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head or b"/Image" in head:
            pos = j
            continue
        budget = min(limits.max_zip_entry, limits.max_zip_total - total)
        size, used = inflated_size(memoryview(data)[j:], budget, 15)
        total += size
        if size > limits.max_zip_entry or total > limits.max_zip_total:
            raise ReadError(
                "stream_bomb",
                detail=f"a stream at byte {i} inflates to over {min(size, limits.max_zip_entry)} bytes",
                detail_vi=f"luồng ở byte {i} giải nén ra hơn {min(size, limits.max_zip_entry)} byte",
            )
        if size > SMALL and size / max(used, 1) > limits.max_zip_ratio:
            raise ReadError(
                "stream_bomb",
                detail=f"a stream at byte {i} with ratio over {limits.max_zip_ratio:g}",
                detail_vi=f"luồng ở byte {i} có tỷ lệ nén quá {limits.max_zip_ratio:g}",
            )
        pos = j + max(used, 1)


def too_many_objects(count: int) -> bool:
    """A PDF page with more objects than a table page ever has (a map, a vector
    drawing, or a page built to exhaust the table reader): no table detection."""
    return count > MAX_PAGE_OBJECTS


def grid_span(value: int, least: int = 1) -> int:
    """A table cell's gridSpan (or a row's gridBefore, ``least`` 0), clamped to the
    columns a table can have."""
    return min(max(least, value), MAX_GRID_COLUMNS)
