"""Plain text and markdown: UTF-8 (BOM or not) or UTF-16 with a BOM; CRLF, CR or LF.

Markdown cues (``#`` depth, a line wholly in ``**``) are recorded on the line by the normaliser,
not here: the text reader hands lines over exactly as written, NFC-composed.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

from .. import patterns
from ..errors import ReadError
from ..models import SourceFormat
from .base import Block, Line, RawDocument, Table


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes that claim to be text, or raise ReadError naming the file."""
    if not data.strip():
        raise ReadError(f"{name}: the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ReadError(f"{name}: not valid UTF-16 text ({err.reason})") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ReadError(
                f"{name}: not a text file (invalid UTF-8 at byte {err.start}) "
                "and not a PDF, DOCX or DOC either"
            ) from None
    if "\x00" in text or _control_share(text) > 0.01:
        raise ReadError(f"{name}: not a text file (binary content)")
    if not text.strip():
        raise ReadError(f"{name}: the file has no text")
    return unicodedata.normalize("NFC", text)


def _control_share(text: str) -> float:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    return controls / max(len(text), 1)


def read_text(data: bytes, name: str) -> RawDocument:
    text = decode_text(data, name)
    fmt: SourceFormat = "markdown" if name.lower().endswith((".md", ".markdown")) else "text"
    return RawDocument(
        name=name,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=_blocks(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")),
    )


def _blocks(rows: list[str]) -> list[Block]:
    """Lines, with markdown pipe tables (``| a | b |``) gathered into Table blocks."""
    blocks: list[Block] = []
    gap = True
    table: list[list[str]] = []
    tables = 0
    for number, raw in enumerate(rows, 1):
        raw = raw.replace("\f", "").rstrip()
        cells = _pipe_cells(raw)
        if cells is not None:
            if not table:
                tables += 1
                blocks.append(Table(rows=table, line=number, index=tables))
            if not all(_PIPE_RULE.match(c) for c in cells):
                table.append(cells)
            continue
        table = []
        if not raw.strip():
            gap = True
            continue
        blocks.append(Line(text=raw, line=number, gap=gap))
        gap = False
    return blocks


_PIPE_RULE = patterns.compile(r"^:?-{3,}:?$")


def _pipe_cells(raw: str) -> list[str] | None:
    s = raw.strip()
    if len(s) < 3 or not (s.startswith("|") and s.endswith("|")):
        return None
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", s[1:-1])]
