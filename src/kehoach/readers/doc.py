"""Legacy Word ``.doc`` (OLE): converted to DOCX by LibreOffice, then read as DOCX.

Each conversion gets its own temporary folder and LibreOffice profile
(``-env:UserInstallation``) so that parallel batch workers do not fight over one profile lock.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import MissingDependency, ReadError
from .base import RawDocument

TIMEOUT = 60  # seconds; a first start of LibreOffice with a fresh profile takes ~5 s


def _soffice(name: str) -> str:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise MissingDependency(
            f"{name}: reading .doc needs LibreOffice; install it "
            "(Debian: apt-get install libreoffice-writer-nogui)"
        )
    return program


def convert_to_docx(data: bytes, name: str) -> bytes:
    """The DOCX bytes LibreOffice makes of a ``.doc``; ReadError when it cannot."""
    program = _soffice(name)
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as tmp:
        folder = Path(tmp)
        source = folder / "input.doc"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(f"{name}: LibreOffice did not convert it within {TIMEOUT} s") from None
        target = folder / "out" / "input.docx"
        if done.returncode != 0 or not target.is_file():
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1] if detail else f"exit code {done.returncode}"
            raise ReadError(f"{name}: LibreOffice could not convert it ({reason})")
        return target.read_bytes()


def read_doc(data: bytes, name: str) -> RawDocument:
    from .docx import read_docx  # imported here: the DOCX reader is the heavier module

    raw = read_docx(convert_to_docx(data, name), name)
    return dataclasses.replace(raw, format="doc", sha256=hashlib.sha256(data).hexdigest())
