"""Readers: bytes of one input → :class:`RawDocument`. The format comes from the content."""

from __future__ import annotations

from .base import Block, Line, RawDocument, Table

__all__ = ["Block", "Line", "RawDocument", "Table", "read_bytes", "sniff"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """'pdf', 'docx', 'doc', 'zip' (a zip that is not a Word document) or 'text'."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data else "zip"
    return "text"


def read_bytes(data: bytes, name: str, *, password: str | None = None) -> RawDocument:
    """Read one input; ``name`` is what messages and ``source.name`` call it."""
    from ..errors import UnsupportedFormat

    kind = sniff(data)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, name, password=password)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, name)
    if kind == "doc":
        from .doc import read_doc

        return read_doc(data, name)
    if kind == "zip":
        raise UnsupportedFormat(f"{name}: a zip archive that is not a Word document")
    from .text import read_text

    return read_text(data, name)
