"""PDF: the native text layer → lines and tables in reading order, with page and line numbers.

Data flow: pdfium opens the file (through :mod:`.pdfium`, not pypdfium2, whose import cost
every process ~20 ms); a :data:`~.pdf_text.PageSource` (today :func:`~.pdf_text.native_page`;
later OCR or glyph repair plug in at the same seam) turns each page into positioned segments
or a :class:`~.pdf_text.PageProblem`; :mod:`.pdf_layout` builds visual lines, splits the
two-column header and signature blocks and removes page furniture; pdfplumber's table finder
runs only on pages that draw vertical rules, and lines inside a found table are dropped in
favour of the :class:`Table` block.

Speed (best of 20, this machine; pdfplumber best of 3): a 5-page LibreOffice PDF of a plan: raw
pypdfium2 (``get_textpage().get_text_bounded()`` per page) 4.2 ms, this reader 5.4 ms (≈1.3 ×
raw; ≈1.4 × over 120 copies read in a row), pdfplumber ``extract_text`` 207 ms (≈38 × slower
than this reader). Two costs come on top only where needed: flattening e-signing form fields
(ttr-176: +11 ms for the page) and pdfplumber's table finder on a ruled page (~15 ms a page).

Pages whose text is missing (a scan) or garbled (glyph ids, DOMAIN §0.4) never yield lines: if
every page is bad the file is refused with a :class:`ReadError` naming the pages, else each bad
page becomes a warning and is skipped.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace

from ..errors import ReadError
from ..models import Warning
from .base import Block, Line, RawDocument, Table
from .glyphs import repair_chars
from .pdf_layout import Piece, build_pieces, drop_furniture, order_header, order_signature
from .pdf_pages import OcrOptions, read_pages
from .pdf_text import PageContent, PageProblem, PageSource, clean, native_page
from .pdfium import Document, PdfiumError
from .pdfium import raw as pdfium_c

PROBLEM_TEXT = {
    "no_text_layer": "no text layer (a scan)",
    "garbled_text_layer": "garbled text layer (glyph ids instead of letters)",
}
TOP_OF_PAGE = 0.2  # a table starting this high up (share of the height) may continue one


@dataclass(frozen=True, slots=True)
class FoundTable:
    rows: list[list[str]]
    x0: float  # PDF user space, like the segments
    x1: float
    bottom: float
    top: float


def read_pdf(
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    source: PageSource = native_page,
    ocr: OcrOptions | None = None,
) -> RawDocument:
    """Read a PDF's text; ``source`` reads one page, then repair and OCR fill bad pages
    (:mod:`.pdf_pages`)."""
    doc = _open(data, name, password)
    try:
        pages = read_pages(
            doc, name, ocr or OcrOptions(), source, lambda s, d, i: _read_page(s, d, i, name)
        )
    finally:
        doc.close()
    contents = pages.contents
    good = {i: c for i, c in enumerate(contents) if isinstance(c, PageContent)}
    problems = [c for c in contents if isinstance(c, PageProblem)]
    if contents and not good and problems:
        raise ReadError(f"{name}: {_describe(problems)}; OCR was turned off (--ocr never)")
    maps = {i: pages.font_maps for i in pages.repaired}
    tables = _find_tables(data, password, name, good, maps)
    blocks = _assemble(good, tables)
    return RawDocument(
        name=name,
        format="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=blocks,
        pages=len(contents),
        text_layer=pages.text_layer,
        warnings=pages.warnings + [_warning(p) for p in problems],
    )


def _open(data: bytes, name: str, password: str | None) -> Document:
    if b"%%EOF" not in data[-8192:]:
        raise ReadError(f"{name}: not a readable PDF (truncated: no end-of-file marker)")
    try:
        return Document(data, password=password)
    except PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            if password is None:
                raise ReadError(f"{name}: the PDF is encrypted; pass --password") from None
            raise ReadError(f"{name}: the password does not open this PDF") from None
        reason = str(err).split(":")[-1].strip(" .)") or "corrupt"
        raise ReadError(f"{name}: not a readable PDF ({reason.lower()})") from None


def _read_page(
    source: PageSource, doc: Document, index: int, name: str
) -> PageContent | PageProblem:
    try:
        return source(doc, index)
    except PdfiumError as err:
        raise ReadError(f"{name}: page {index + 1}: not readable ({err})") from None


def _pages_label(numbers: list[int]) -> str:
    """'page 3', 'pages 1-4', 'pages 1, 3, 5-6'."""
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)
    return ("pages " if len(numbers) > 1 else "page ") + text


def _describe(problems: list[PageProblem]) -> str:
    parts = []
    for code, text in PROBLEM_TEXT.items():
        pages = [p.page for p in problems if p.code == code]
        if pages:
            parts.append(f"{_pages_label(pages)}: {text}")
    return "; ".join(parts)


def _warning(problem: PageProblem) -> Warning:
    text = PROBLEM_TEXT[problem.code]
    return Warning(
        code=problem.code,
        message=f"page {problem.page}: {text}; its text was skipped (OCR was turned off)",
        page=problem.page,
        line=None,
    )


def _find_tables(
    data: bytes,
    password: str | None,
    name: str,
    pages: dict[int, PageContent],
    font_maps: dict[int, dict[str, dict[int, str]]],
) -> dict[int, list[FoundTable]]:
    """pdfplumber's table finder, only on pages that draw rules (it costs ~80 ms a page)."""
    wanted = [i for i, c in pages.items() if c.ruled]
    if not wanted:
        return {}
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    found: dict[int, list[FoundTable]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data), password=password or "") as pdf:
            for i in wanted:
                page = pdf.pages[i]
                if i in font_maps:
                    repair_chars(page.chars, font_maps[i])
                found[i] = [_table(t, page.mediabox[3]) for t in page.find_tables()]
                page.close()
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as err:
        raise ReadError(f"{name}: tables could not be read ({type(err).__name__})") from None
    return found


def _table(table: object, top_y: float) -> FoundTable:
    x0, top, x1, bottom = table.bbox  # type: ignore[attr-defined]
    # A cell's line breaks stay '\n' (as in DOCX cells): they separate words and list entries.
    rows = [["\n".join(clean(ln) for ln in (cell or "").split("\n")) for cell in row]
            for row in table.extract()]  # type: ignore[attr-defined]
    return FoundTable(rows, x0, x1, float(top_y) - bottom, float(top_y) - top)


def _inside(piece: Piece, table: FoundTable) -> bool:
    cx, cy = (piece.x0 + piece.x1) / 2, (piece.bottom + piece.top) / 2
    return table.x0 - 1 <= cx <= table.x1 + 1 and table.bottom - 1 <= cy <= table.top + 1


def _assemble(pages: dict[int, PageContent], tables: dict[int, list[FoundTable]]) -> list[Block]:
    order = sorted(pages)
    pieces = [build_pieces(pages[i].segments, pages[i].width) for i in order]
    pieces = drop_furniture(pieces, [pages[i].height for i in order])
    if order and order[0] == 0:
        pieces[0] = order_header(pieces[0], pages[0].height)
    signed = False
    blocks: list[Block] = []
    count = 0
    for index, page_pieces in zip(order, pieces, strict=True):
        if not signed:
            page_pieces, signed = order_signature(page_pieces)
        found = tables.get(index, [])
        kept = page_pieces
        if found:  # most pages hold no table
            kept = [p for p in page_pieces if not any(_inside(p, t) for t in found)]
        count = _emit(blocks, kept, found, pages[index].height, index + 1, count)
    return blocks


def _emit(
    blocks: list[Block],
    pieces: list[Piece],
    tables: list[FoundTable],
    height: float,
    page: int,
    count: int,
) -> int:
    """Append one page's lines and tables in reading order; returns the table count so far."""
    if not tables:  # most pages
        blocks += [
            Line(p.text, n, page, p.gap, p.bold, 0, p.italic) for n, p in enumerate(pieces, 1)
        ]
        return count
    items: list[Piece | FoundTable] = list(pieces)
    for table in sorted(tables, key=lambda t: -t.top):
        at = next((k for k, it in enumerate(items) if _is_below(it, table)), len(items))
        items.insert(at, table)
    for number, item in enumerate(items, 1):
        if isinstance(item, Piece):
            blocks.append(Line(item.text, number, page, item.gap, item.bold, 0, item.italic))
        elif number == 1 and item.top > (1 - TOP_OF_PAGE) * height and _continues(blocks, item):
            prev = blocks[-1]
            assert isinstance(prev, Table)
            rows = item.rows[1:] if item.rows[0] == prev.rows[0] else item.rows
            blocks[-1] = replace(prev, rows=prev.rows + rows)
        else:
            count += 1
            blocks.append(Table(item.rows, number, page, count))
    return count


def _is_below(item: Piece | FoundTable, table: FoundTable) -> bool:
    return isinstance(item, Piece) and item.top <= table.top


def _continues(blocks: list[Block], table: FoundTable) -> bool:
    """The previous block is a table this one carries on: same columns, no header row."""
    if not blocks or not isinstance(blocks[-1], Table) or not table.rows:
        return False
    prev = blocks[-1]
    if len(prev.rows[0]) != len(table.rows[0]):
        return False
    first = table.rows[0]
    repeated_header = first == prev.rows[0]
    return repeated_header or first[0].strip().lower() not in {"tt", "stt", "số tt"}
