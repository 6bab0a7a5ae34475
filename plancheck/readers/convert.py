"""Legacy word-processor files (.doc, .odt, .rtf) converted to .docx by LibreOffice.

``soffice --headless --convert-to docx`` runs in a temporary folder that is always
removed, with a private user profile inside it (never the user's own LibreOffice
settings or a running LibreOffice; a fresh profile costs ~0.3 s of the ~1.5 s a
conversion takes, and lets conversions run in parallel), under the per-file time
limit: on timeout the whole process group is killed. The .docx it writes is then read as usual;
paragraph locations are those of the converted document, which keeps the paragraphs
of the original in order.

Where LibreOffice is missing the file gets one PC001 saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .base import ReadError

#: where LibreOffice installs itself when it is not on PATH
_STANDARD_PATHS = (
    # Windows
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    # macOS
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    # Linux distributions, the official .deb/.rpm (/opt), snap and flatpak exports
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/usr/lib64/libreoffice/program/soffice",
    "/usr/local/bin/soffice",
    "/snap/bin/libreoffice",
    "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
)
_OPT_GLOB = ("/opt/libreoffice*/program/soffice", "/opt/homebrew/bin/soffice")


def find_soffice() -> str | None:
    """LibreOffice's ``soffice``: $PLANCHECK_SOFFICE, then PATH, then the standard install paths."""
    env = os.environ.get("PLANCHECK_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    for name in ("soffice", "libreoffice", "soffice.exe"):
        hit = shutil.which(name)
        if hit:
            return hit
    for cand in _STANDARD_PATHS:
        if Path(cand).is_file():
            return cand
    import glob

    for pattern in _OPT_GLOB:
        for hit in sorted(glob.glob(pattern), reverse=True):
            if Path(hit).is_file():
                return hit
    local = os.environ.get("LOCALAPPDATA") or os.environ.get("ProgramFiles")
    if local:
        cand = Path(local) / "LibreOffice" / "program" / "soffice.exe"
        if cand.is_file():
            return str(cand)
    return None


def _kill(proc: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.wait(timeout=5)
    except Exception:
        pass


def to_docx(data: bytes, ext: str, seconds: float) -> bytes:
    """The bytes of ``data`` (a .doc/.odt/.rtf file) converted to .docx by LibreOffice."""
    soffice = find_soffice()
    if soffice is None:
        raise ReadError("no_converter", kind=ext)
    return _convert(soffice, data, ext, seconds)


def _convert(soffice: str, data: bytes, ext: str, seconds: float) -> bytes:
    work = tempfile.mkdtemp(prefix="plancheck-lo-")
    proc: subprocess.Popen | None = None
    try:
        src = Path(work) / f"input{ext}"
        src.write_bytes(data)
        out = Path(work) / "out"
        out.mkdir()
        cmd = [
            soffice,
            f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(src),
        ]
        kw: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
        if os.name == "posix":
            kw["start_new_session"] = True  # its own process group: killed whole on timeout
        elif sys.platform == "win32":
            kw["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        limit = seconds if seconds and seconds > 0 else 120.0
        proc = subprocess.Popen(cmd, **kw)
        try:
            _, err = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            raise ReadError("timeout", seconds=seconds) from None
        result = out / "input.docx"
        if not result.is_file():
            detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
            msg = detail[-1][:200] if detail else f"exit {proc.returncode}"
            raise ReadError(
                "corrupt",
                detail=f"LibreOffice could not convert the file ({msg})",
                detail_vi="LibreOffice không chuyển đổi được tệp",
            )
        return result.read_bytes()
    finally:
        if proc is not None and proc.poll() is None:
            _kill(proc)  # a timeout, or the per-file alarm interrupted the wait
        shutil.rmtree(work, ignore_errors=True)
