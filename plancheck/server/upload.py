"""Receive a multipart upload straight into a per-request folder, within limits.

The body is streamed through python-multipart and each file part is written to
``<folder>/NNN<ext>``: the client's file name is kept only as a display label and
is never part of a path. Limits (bytes per file, bytes in total, file count,
accepted extensions) are enforced while reading, so an oversized upload is
refused without being held in memory or on disk.
"""

from __future__ import annotations

import asyncio
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from .settings import ACCEPTED_EXTS, Settings

FIELD = "files"
MAX_FIELD_BYTES = 4096  # small text fields such as "lang"
MAX_FIELDS = 20
MULTIPART_OVERHEAD = 64 * 1024  # headers and boundaries on top of file bytes
MAX_BOUNDARY = 70  # RFC 2046: 1 to 70 characters


class UploadError(Exception):
    """A refused upload: HTTP status, a reason key (see i18n) and its values."""

    def __init__(self, status: int, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.params = params


@dataclass
class Upload:
    name: str  # display label only (sanitised client file name)
    path: Path  # generated: <folder>/NNN<ext>
    ext: str
    size: int = 0


@dataclass
class Received:
    files: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def display_name(raw: str, index: int) -> str:
    """The client's base name, printable and bounded; a fallback when empty."""
    # Browsers (WHATWG) and httpx send '"' in a multipart file name as %22.
    name = raw.replace("%22", '"').replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110 - len(ext)] + "…" + dot + ext) if dot and len(ext) <= 8 else name[:120]
    return name or f"file{index + 1}"


def extension(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    return ext if ext in ACCEPTED_EXTS else ""


def _decode(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


class _Receiver:
    """python-multipart callbacks writing file parts to generated paths."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.s = settings
        self.out = Received()
        self.total = 0
        self.fields = 0
        self._hname = b""
        self._hvalue = b""
        self._disposition = b""
        self._fh = None
        self._cur: Upload | None = None
        self._field: str | None = None
        self._data = bytearray()
        self._skip = False
        self.ended = False  # the closing boundary was read

    # -- parts -------------------------------------------------------------
    def on_part_begin(self) -> None:
        self._disposition = b""
        self._cur, self._field, self._skip = None, None, False
        self._data.clear()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._hname += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._hvalue += data[start:end]

    def on_header_end(self) -> None:
        if self._hname.lower() == b"content-disposition":
            self._disposition = self._hvalue
        self._hname, self._hvalue = b"", b""

    def on_headers_finished(self) -> None:
        _, opts = parse_options_header(self._disposition)
        fname = _decode(opts.get(b"name", b""))
        if b"filename" not in opts and fname == FIELD:
            self._skip = True  # content in the files field without a file name: not a file
            return
        if b"filename" not in opts:
            self.fields += 1
            if self.fields > MAX_FIELDS:
                raise UploadError(413, "too_many_fields", limit=MAX_FIELDS)
            self._field = fname
            return
        if fname != FIELD:
            self._skip = True  # a file under another field name is ignored
            return
        raw = _decode(opts[b"filename"])
        if not raw.strip():
            self._skip = True  # an empty file input (nothing chosen)
            return
        index = len(self.out.files)
        if index + 1 > self.s.max_files:
            raise UploadError(413, "too_many_files", limit=self.s.max_files)
        label = display_name(raw, index)
        ext = extension(label)
        if not ext:
            raise UploadError(415, "unsupported", name=label, accepted=", ".join(ACCEPTED_EXTS))
        up = Upload(name=label, path=self.folder / f"{index + 1:03d}{ext}", ext=ext)
        self.out.files.append(up)
        self._cur = up
        # O_EXCL: never follow or overwrite anything already there.
        fd = os.open(up.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        n = end - start
        if self._cur is not None:
            self._cur.size += n
            self.total += n
            if self._cur.size > self.s.max_file_bytes:
                raise UploadError(413, "file_too_large", name=self._cur.name, limit=self.s.max_file_bytes)
            if self.total > self.s.max_total_bytes:
                raise UploadError(413, "total_too_large", limit=self.s.max_total_bytes)
            self._fh.write(data[start:end])
        elif self._field is not None:
            self._data += data[start:end]
            if len(self._data) > MAX_FIELD_BYTES:
                raise UploadError(413, "field_too_large", limit=MAX_FIELD_BYTES)

    def on_part_end(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        elif self._field is not None:
            self.out.fields[self._field] = _decode(bytes(self._data))
        self._cur, self._field = None, None

    def on_end(self) -> None:
        self.ended = True

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


async def receive(request, folder: Path, settings: Settings) -> Received:
    """Stream the request body into ``folder``; raise UploadError on any refusal."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError(415, "not_multipart")
    if not 1 <= len(params[b"boundary"]) <= MAX_BOUNDARY:
        raise UploadError(400, "bad_multipart")
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > settings.max_total_bytes + MULTIPART_OVERHEAD:
        raise UploadError(413, "total_too_large", limit=settings.max_total_bytes)
    rec = _Receiver(folder, settings)
    callbacks = {
        name: getattr(rec, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_end",
        )
    }
    try:
        parser = MultipartParser(params[b"boundary"], callbacks)
    except (ValueError, FormParserError) as exc:
        raise UploadError(400, "bad_multipart") from exc
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.body_timeout_seconds
    chunks = request.stream().__aiter__()
    try:
        while True:
            wait = min(settings.read_timeout_seconds, deadline - loop.time())
            try:
                if wait <= 0:
                    raise TimeoutError
                chunk = await asyncio.wait_for(chunks.__anext__(), timeout=wait)
            except StopAsyncIteration:
                break
            except TimeoutError as exc:
                raise UploadError(408, "slow_upload") from exc
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise UploadError(400, "bad_multipart") from exc
    except ClientDisconnect as exc:
        raise UploadError(400, "truncated") from exc
    finally:
        rec.close()
    if not rec.ended:
        raise UploadError(400, "truncated")
    if not rec.out.files:
        raise UploadError(422, "no_file", field=FIELD)
    return rec.out
