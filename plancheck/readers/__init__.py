"""Pick a reader by content (not only by extension) and enforce the input limits.

A mislabelled file (a .txt that is really a .docx, a .pdf named .docx) is read as
what it is; anything unreadable raises ``ReadError`` which becomes one PC001 finding.
Heavy libraries (python-docx, pypdfium2, pdfplumber) are imported only by the reader
that needs them.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .base import ReadError, ReadResult

__all__ = ["Limits", "ReadError", "ReadResult", "read_path", "read_bytes", "sniff"]

TEXT_EXTS = {".txt", ".md", ".markdown", ".text"}
DOCX_EXTS = {".docx", ".docm"}
PDF_EXTS = {".pdf"}
SUPPORTED_EXTS = TEXT_EXTS | DOCX_EXTS | PDF_EXTS
LEGACY_EXTS = {".doc", ".odt", ".rtf", ".xls", ".xlsx", ".ppt", ".pptx", ".wpd"}
#: read through LibreOffice (converted to .docx first): Word 97-2003, OpenDocument text, RTF
CONVERTED_EXTS = {".doc", ".dot", ".odt", ".rtf"}
_WORD_STREAM = "WordDocument".encode("utf-16-le")


@dataclass(frozen=True)
class Limits:
    """Safe defaults against pathological input; all configurable."""

    max_bytes: int = 20 * 1024 * 1024
    max_zip_total: int = 200 * 1024 * 1024
    max_zip_entry: int = 100 * 1024 * 1024
    max_zip_ratio: float = 200.0
    max_zip_entries: int = 5000
    max_pages: int = 500
    seconds_per_file: float = 60.0
    max_table_depth: int = 10
    #: address space one file may add to the process checking it (MB; 0 = no ceiling).
    #: Past it the file gets PC001 "out of memory" and the batch goes on.
    max_memory_mb: int = 2048


def sniff(data: bytes, ext: str) -> str:
    """Return txt | docx | pdf | encrypted | legacy | binary | empty."""
    if not data.strip(b" \t\r\n\x00"):
        return "empty"
    if data.startswith(b"%PDF-") or data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # an entry, or an empty archive
        return "docx" if ext not in (".odt",) else "legacy"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE2: a .doc / .xls, or a password-protected .docx (an EncryptedPackage stream)
        if "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20] or b"EncryptedPackage" in data[: 1 << 20]:
            return "encrypted"
        return "legacy"
    if data.startswith(b"{\\rtf"):
        return "legacy"
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00\x00\xfe\xff")):
        return "txt"
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    # Text in any legacy code page has almost no control bytes; random or binary data
    # has ~10% (27 of 256 values), so a few percent in bytes that are not UTF-8 is binary.
    if ctrl > 0.1 * len(head) or (ctrl > 0.02 * len(head) and not _utf8_prefix(head)):
        # UTF-16 / UTF-32 without BOM show many NULs, where their byte order puts them
        from .txt import _wide_encoding

        return "txt" if _wide_encoding(data) is not None else "binary"
    return "txt"


def _utf8_prefix(head: bytes) -> bool:
    """True if ``head`` is UTF-8 (a character cut at the end of the sample allowed)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3
    return True


def _os_error_vi(exc: OSError) -> str:
    import errno

    return {
        errno.EACCES: "không có quyền đọc tệp",
        errno.EPERM: "không có quyền đọc tệp",
        errno.ENOENT: "không tìm thấy tệp",
        errno.EISDIR: "đây là thư mục",
        errno.ELOOP: "liên kết tượng trưng lặp vòng",
    }.get(exc.errno or 0, "lỗi hệ thống khi đọc tệp")


def check_zip(path_or_file, limits: Limits) -> None:
    """Reject zip bombs and broken archives before any XML is parsed."""
    try:
        with zipfile.ZipFile(path_or_file) as z:
            infos = z.infolist()
            if len(infos) > limits.max_zip_entries:
                raise ReadError("zip_bomb", detail=f"{len(infos)} entries", detail_vi=f"{len(infos)} mục")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > limits.max_zip_entry:
                    raise ReadError("zip_bomb", detail=info.filename, detail_vi=info.filename)
                if info.compress_size and info.file_size / max(info.compress_size, 1) > limits.max_zip_ratio:
                    if info.file_size > 1024 * 1024:
                        raise ReadError("zip_bomb", detail=info.filename, detail_vi=info.filename)
            if total > limits.max_zip_total:
                raise ReadError("zip_bomb", detail=f"{total} bytes", detail_vi=f"{total} byte")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                if "content.xml" in names:
                    raise ReadError("legacy", kind=".odt")
                raise ReadError("not_docx")
    except zipfile.BadZipFile as exc:
        raise ReadError("corrupt", detail=str(exc), detail_vi="tệp nén bị cắt cụt hoặc hỏng") from exc


def read_bytes(data: bytes, name: str, limits: Limits | None = None) -> ReadResult:
    """Read a file's bytes; ``name`` gives the extension hint and nothing else."""
    limits = limits or Limits()
    ext = Path(name).suffix.lower()
    if len(data) > limits.max_bytes:
        raise ReadError("too_large", size=len(data), limit=limits.max_bytes)
    kind = sniff(data, ext)
    if kind == "empty":
        raise ReadError("empty")
    if kind == "encrypted":
        raise ReadError("encrypted")
    if kind in ("legacy", "docx"):
        conv = _converted_kind(data, ext)
        if conv is not None:
            return _read_converted(data, conv, limits)
    if kind == "legacy" or (ext in LEGACY_EXTS and kind != "pdf" and kind != "docx"):
        raise ReadError("legacy", kind=ext or "?")
    if kind == "binary":
        raise ReadError("binary")
    if kind == "pdf":
        from .guards import check_pdf_streams
        from .pdf import read_pdf

        check_pdf_streams(data, limits)
        return read_pdf(data, limits)
    if kind == "docx":
        import io

        from .guards import check_zip_bytes

        check_zip_bytes(data, limits)
        check_zip(io.BytesIO(data), limits)
        from .docx import read_docx

        return read_docx(data, limits)
    from .txt import decode_text, read_text

    text, problem, bad_lines = decode_text(data)
    fmt = "md" if ext in (".md", ".markdown") else "txt"
    res = read_text(text, fmt=fmt)
    if problem:
        res.issues.append(("PC002", {"encoding": problem}))
    if bad_lines:
        shown = ", ".join(map(str, bad_lines[:10])) + (", …" if len(bad_lines) > 10 else "")
        res.issues.append(("PC002", {"encoding": "bad_bytes", "lines": shown, "count": len(bad_lines)}))
    if "\ufffd" in text:
        res.issues.append(("PC002", {"encoding": "U+FFFD"}))
    if not res.text.strip():
        raise ReadError("empty")
    return res


def _converted_kind(data: bytes, ext: str) -> str | None:
    """ ".doc" / ".odt" / ".rtf" when LibreOffice should convert this file (by content)."""
    if data.startswith(b"{\\rtf"):
        return ".rtf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # an OLE2 file with a "WordDocument" stream is a Word 97-2003 document, whatever its name
        if _WORD_STREAM in data:
            return ".doc"
        if ext in (".doc", ".dot"):
            raise ReadError(
                "corrupt",
                detail="OLE2 file without a Word document stream",
                detail_vi="tệp OLE không chứa nội dung Word",
            )
        return None
    if data.startswith(b"PK\x03\x04") and b"application/vnd.oasis.opendocument.text" in data[:200]:
        return ".odt"
    return None


def _read_converted(data: bytes, ext: str, limits: Limits) -> ReadResult:
    import io

    from .convert import to_docx
    from .docx import read_docx

    docx = to_docx(data, ext, limits.seconds_per_file)
    check_zip(io.BytesIO(docx), limits)
    res = read_docx(docx, limits)
    res.fmt = ext.lstrip(".")  # locations are paragraphs of the converted document
    return res


def read_path(path: str | os.PathLike, limits: Limits | None = None) -> ReadResult:
    """Open read-only, check the size before reading, then dispatch on content."""
    limits = limits or Limits()
    p = Path(path)
    try:
        # O_NONBLOCK: a FIFO opens at once instead of waiting for a writer; anything that
        # is not a regular file is refused from the open descriptor (no race with a rename)
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _open_error(p, exc) from exc
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise _not_a_file(p, st.st_mode)
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > limits.max_bytes:
            raise ReadError("too_large", size=st.st_size, limit=limits.max_bytes)
        try:
            data = fh.read(limits.max_bytes + 1)
        except OSError as exc:
            raise ReadError("unreadable", detail=exc.strerror or str(exc), detail_vi=_os_error_vi(exc)) from exc
    return read_bytes(data, p.name, limits)


def _open_error(p: Path, exc: OSError) -> ReadError:
    import errno

    if exc.errno == errno.ENOENT and os.path.islink(p):
        return ReadError(
            "unreadable",
            detail="a symbolic link to nothing",
            detail_vi="liên kết tượng trưng trỏ tới tệp không tồn tại",
        )
    try:
        mode = os.stat(p).st_mode
    except OSError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):  # a folder, a socket, a device
        return _not_a_file(p, mode)
    return ReadError("unreadable", detail=exc.strerror or str(exc), detail_vi=_os_error_vi(exc))


def _not_a_file(p: Path, mode: int) -> ReadError:
    if stat.S_ISDIR(mode):
        try:
            os.scandir(p).close()
            return ReadError("unreadable", detail="a folder, not a file", detail_vi="đây là thư mục, không phải tệp")
        except OSError as exc:
            return ReadError(
                "unreadable",
                detail=f"a folder that cannot be read ({exc.strerror or exc})",
                detail_vi="thư mục không đọc được (không có quyền)",
            )
    kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
    kind_vi = {"FIFO": "ống dẫn (FIFO)", "socket": "socket", "device": "thiết bị"}[kind]
    return ReadError(
        "unreadable", detail=f"not a regular file (a {kind})", detail_vi=f"không phải tệp thường ({kind_vi})"
    )
