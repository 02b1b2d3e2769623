"""What every reader yields: a stream of lines and tables with provenance.

Readers only decode and lay out; they never interpret numbering or metadata. Everything after
them (normalize → structure → extract) works the same whatever the input format was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import SourceFormat, TextLayer, Warning


# Values, never assigned to after creation (use dataclasses.replace), but not frozen: a frozen
# dataclass's __init__ sets each field through object.__setattr__, ~5x the cost, and one of
# these is made per line of every page. unsafe_hash keeps them hashable as frozen ones were.
@dataclass(slots=True, unsafe_hash=True)
class Line:
    """One visual line or paragraph of text, as the source wrote it (NFC, no newline)."""

    text: str
    line: int  # 1-based: the line in a text file, the paragraph in a DOCX, the line on a PDF page
    page: int | None = None  # 1-based page; None where the format has no pages
    gap: bool = False  # a paragraph boundary precedes it: blank line, new Word paragraph, gap
    bold: bool = False  # the whole line is bold (markdown ** or a Word/PDF bold run)
    heading: int = 0  # markdown '#' depth or Word heading level: a cue, never a level
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table in body order. ``rows`` holds cell texts; a merged cell repeats its text."""

    rows: list[list[str]]
    line: int
    page: int | None = None
    index: int = 1  # 1-based number of the table in the document


Block = Line | Table


@dataclass(slots=True)
class RawDocument:
    name: str
    format: SourceFormat
    sha256: str
    blocks: list[Block]
    pages: int | None = None
    text_layer: TextLayer | None = None
    warnings: list[Warning] = field(default_factory=list)
