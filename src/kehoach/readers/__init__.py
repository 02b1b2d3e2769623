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


def read_bytes(
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    ocr: str = "auto",
    ocr_lang: str = "vie",
    jobs: int = 1,
) -> RawDocument:
    """Read one input; ``name`` is what messages and ``source.name`` call it. ``ocr``
    ('auto': only pages without a usable text layer, 'always', 'never'), ``ocr_lang`` and
    ``jobs`` (parallel OCR processes) matter only for PDFs."""
    return _unlegacy(_read(data, name, password, ocr, ocr_lang, jobs))


def _unlegacy(raw: RawDocument) -> RawDocument:
    """TCVN3/VNI lines and table cells decoded to Unicode, whatever the format (see
    :mod:`kehoach.legacy`: decided per line from the content, Unicode lines untouched)."""
    from dataclasses import replace

    from ..legacy import repair

    blocks: list[Block] = []
    for block in raw.blocks:
        if isinstance(block, Line):
            text = repair(block.text)
            blocks.append(block if text == block.text else replace(block, text=text))
        else:
            rows = [[repair(cell) for cell in row] for row in block.rows]
            blocks.append(block if rows == block.rows else replace(block, rows=rows))
    raw.blocks = blocks
    return raw


def _read(
    data: bytes, name: str, password: str | None, ocr: str, ocr_lang: str, jobs: int
) -> RawDocument:
    from ..errors import UnsupportedFormat

    kind = sniff(data)
    if kind == "pdf":
        from .pdf import read_pdf
        from .pdf_pages import OcrOptions

        options = OcrOptions(ocr, ocr_lang, jobs)  # type: ignore[arg-type]  # checked there
        return read_pdf(data, name, password=password, ocr=options)
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
