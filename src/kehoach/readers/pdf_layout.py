"""Page layout for the PDF reader: positioned text segments → ordered visual lines.

Pure geometry, no PDF library: whatever produced the segments (the native text layer today, OCR
or a glyph-repair step later) gets the same line building. Coordinates are PDF user space (points,
y grows upwards); ``top`` > ``bottom``.

Rules, each measured on the corpus (``ttr-176-snv-lam-dong.pdf``) rather than guessed:

* Segments whose vertical extents overlap by half the smaller height form one visual line; a
  superscript footnote mark therefore joins its line (``Lâm Đồng1.``, as pdftotext shows it).
* A visual line is split into separate pieces where the horizontal gap between segments is wider
  than :data:`COLUMN_GAP` of the page width, or, between segments that the text layer wrote as
  separate runs, wider than 1.2 × the line height. The header columns are only ~25 pt apart
  (``UBND TỈNH LÂM ĐỒNG`` | ``CỘNG HÒA …``, 4 % of the width) and ``Số: … /TTr-SNV`` |
  ``Lâm Đồng, ngày …`` 70 pt (12 %), so the brief's 15 % would miss both; justified body text
  keeps its word gaps under ~8 pt.
* Header zone (page 1, top): from the first line down to the first unsplit line that is centred
  on the text area or spans most of it (the document type line, ``TỜ TRÌNH``). Signature zone:
  from the line holding ``Nơi nhận`` to the first later line spanning most of the text area (a
  footnote) or the page end. In both zones the left column's pieces come first, then the right
  column's, each in top-down order.
* ``gap``: first line of a page, the first line of a right column, or a baseline pitch above
  1.25 × the page's median pitch. Paragraph spacing in the corpus is 25.3 pt against a 19.3 pt
  pitch (1.31 ×), which a 1.4 × rule misses.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .. import patterns

COLUMN_GAP = 0.08  # share of the page width that separates two columns on one line
WIDE = 0.6  # share of the text area a line must span to end a two-column zone
MARGIN = 0.12  # share of the page height at top and bottom where page numbers live
PAGE_NUMBER = patterns.compile(
    r"(?:Trang\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*/\s*\d{1,4})?", re.IGNORECASE
)
DIGITS = patterns.compile(r"\d+")
SIGNATURE_START = patterns.compile(r"\s*N[ơo]i\s+nh[ậa]n\b", re.IGNORECASE)


# Values, never assigned to after creation (make a new one), but not frozen: a frozen
# dataclass's __init__ sets each field through object.__setattr__, ~5x the cost, and one of
# these is made per line of every page. unsafe_hash keeps them hashable as frozen ones were.
@dataclass(slots=True, unsafe_hash=True)
class Segment:
    """A run of text on one baseline, as the text source found it."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    bold: bool = False
    italic: bool = False
    run: int = 0  # segments sharing a run came from one text-layer line


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Segment
class Piece:
    """One output line with its box; becomes a :class:`~kehoach.readers.base.Line`."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    bold: bool
    italic: bool
    gap: bool
    split: bool  # its visual line held more than one piece (two columns)


def _with_gap(piece: Piece, gap: bool) -> Piece:
    """``dataclasses.replace(piece, gap=gap)``, spelt out: ``replace`` costs 6 × as much."""
    return Piece(
        piece.text, piece.x0, piece.x1, piece.bottom, piece.top, piece.bold, piece.italic, gap,
        piece.split,
    )


def _height(s: Segment | Piece) -> float:
    return max(s.top - s.bottom, 1.0)


def group_rows(segments: list[Segment]) -> list[list[Segment]]:
    """Visual lines, top-down, each sorted left to right."""
    rows: list[list[Segment]] = []
    box: list[tuple[float, float]] = []  # (bottom, top) of each row so far
    # min() and max() spelt as conditionals (same results, NaN included; hence the noqa): this
    # loop runs for every segment, and the builtin calls were a third of its time
    for seg in sorted(segments, key=lambda s: -s.top):
        bottom, top = seg.bottom, seg.top
        height = top - bottom
        height = 1.0 if 1.0 > height else height  # noqa: FURB136  # _height, inlined
        n = len(rows)
        for k in (n - 1, n - 2):
            if k < 0:
                continue
            low, high = box[k]
            overlap_top = top if top < high else high  # noqa: FURB136
            overlap_bottom = bottom if bottom > low else low  # noqa: FURB136
            overlap = overlap_top - overlap_bottom
            if overlap >= 0.5 * (height if height < high - low else high - low):  # noqa: FURB136
                rows[k].append(seg)
                box[k] = (
                    bottom if bottom < low else low,  # noqa: FURB136
                    top if top > high else high,  # noqa: FURB136
                )
                break
        else:
            rows.append([seg])
            box.append((bottom, top))
    return [row if len(row) == 1 else sorted(row, key=lambda s: s.x0) for row in rows]


def _split_row(row: list[Segment], page_width: float) -> list[list[Segment]]:
    if len(row) == 1:
        return [row]
    parts: list[list[Segment]] = [[row[0]]]
    for prev, seg in itertools.pairwise(row):
        gap = seg.x0 - prev.x1
        height = min(_height(prev), _height(seg))
        if gap > COLUMN_GAP * page_width or (seg.run != prev.run and gap > 1.2 * height):
            parts.append([seg])
        else:
            parts[-1].append(seg)
    return parts


def _join(part: list[Segment]) -> str:
    text = part[0].text
    for prev, seg in itertools.pairwise(part):
        spaced = text.endswith(" ") or seg.text.startswith(" ")
        # a superscript footnote mark sits 1-2 pt from its word; a space is 3+ pt
        wide = seg.x0 - prev.x1 > 0.15 * max(_height(prev), _height(seg))
        text += (" " if wide and not spaced else "") + seg.text
    return _tidy(text)


def _tidy(text: str) -> str:
    """Trimmed; where two spaces meet, every whitespace run made one space."""
    return " ".join(text.split()) if "  " in text else text.strip()


def _piece(part: list[Segment], gap: bool, split: bool) -> Piece:
    if len(part) == 1:  # most lines are one segment: skip the joining and min/max passes
        s = part[0]
        return Piece(_tidy(s.text), s.x0, s.x1, s.bottom, s.top, bool(s.bold), bool(s.italic), gap, split)
    return Piece(
        text=_join(part),
        x0=min(s.x0 for s in part),
        x1=max(s.x1 for s in part),
        bottom=min(s.bottom for s in part),
        top=max(s.top for s in part),
        bold=all(s.bold for s in part),
        italic=all(s.italic for s in part),
        gap=gap,
        split=split,
    )


def _gaps(rows: list[list[Segment]]) -> list[bool]:
    # the median of one value is that value: most rows hold one segment
    bottoms = [row[0].bottom if len(row) == 1 else statistics.median(s.bottom for s in row)
               for row in rows]
    pitches = [a - b for a, b in itertools.pairwise(bottoms)]
    usual = statistics.median(pitches) if len(pitches) >= 3 else None
    if usual:  # one limit for the page
        limit = 1.25 * usual
        return [True] + [pitch > limit for pitch in pitches]
    flags = [True]
    for pitch, row in zip(pitches, rows[1:], strict=False):
        flags.append(pitch > 1.5 * max(_height(s) for s in row))
    return flags


def build_pieces(segments: list[Segment], page_width: float) -> list[Piece]:
    """Visual lines of one page, split into column pieces, in top-down order."""
    rows = group_rows([s for s in segments if s.text.strip()])
    if not rows:
        return []
    pieces: list[Piece] = []
    for row, gap in zip(rows, _gaps(rows), strict=True):
        if len(row) == 1:  # most rows: one segment, so one piece
            pieces.append(_piece(row, gap, False))
            continue
        parts = _split_row(row, page_width)
        for k, part in enumerate(parts):
            pieces.append(_piece(part, gap or k > 0, len(parts) > 1))
    return pieces


def _text_area(pieces: list[Piece]) -> tuple[float, float]:
    return min(p.x0 for p in pieces), max(p.x1 for p in pieces)


def _wide(piece: Piece, area: tuple[float, float]) -> bool:
    return piece.x1 - piece.x0 > WIDE * (area[1] - area[0])


def _columns(zone: list[Piece], mid: float) -> list[Piece]:
    left = [p for p in zone if (p.x0 + p.x1) / 2 < mid]
    right = [p for p in zone if (p.x0 + p.x1) / 2 >= mid]
    return _column_gaps(left) + _column_gaps(right)


def _column_gaps(column: list[Piece]) -> list[Piece]:
    """Within a column, a gap is white space over half a line high above the piece."""
    out = []
    for k, piece in enumerate(column):
        gap = k == 0 or column[k - 1].bottom - piece.top > 0.5 * _height(piece)
        out.append(_with_gap(piece, gap))
    return out


def order_header(pieces: list[Piece], page_height: float) -> list[Piece]:
    """Page 1: the issuer column before the national-motto column (see module docstring)."""
    if not pieces:
        return pieces
    area = _text_area(pieces)
    mid = (area[0] + area[1]) / 2
    for end, piece in enumerate(pieces):
        if piece.top < 0.6 * page_height:
            return pieces  # no document-type line near the top: leave the order alone
        centred = abs((piece.x0 + piece.x1) / 2 - mid) < 0.06 * (area[1] - area[0])
        if not piece.split and (centred or _wide(piece, area)):
            return _columns(pieces[:end], mid) + pieces[end:]
    return pieces


def order_signature(pieces: list[Piece]) -> tuple[list[Piece], bool]:
    """Recipients before the signer from ``Nơi nhận`` on; True when the zone was found."""
    # the regex only where the first visible char is an N (its only case-insensitive match):
    # it ran on every line of every page before the signature
    start = next(
        (
            i
            for i, p in enumerate(pieces)
            if p.text.lstrip()[:1] in ("N", "n") and SIGNATURE_START.match(p.text)
        ),
        None,
    )
    if start is None:
        return pieces, False
    area = _text_area(pieces)
    end = next((i for i in range(start + 1, len(pieces)) if _wide(pieces[i], area)), len(pieces))
    # a signer title on the same visual line as 'Nơi nhận' belongs to the zone too
    while start > 0 and pieces[start - 1].split and pieces[start - 1].top >= pieces[start].bottom:
        start -= 1
    mid = (area[0] + area[1]) / 2
    return pieces[:start] + _columns(pieces[start:end], mid) + pieces[end:], True


def _furniture_key(piece: Piece) -> tuple[str, int]:
    return DIGITS.sub("#", piece.text), round(piece.top / 3)


def drop_furniture(pages: list[list[Piece]], heights: list[float]) -> list[list[Piece]]:
    """Remove page numbers at a page's top or bottom and headers/footers repeated on ≥3 pages."""
    keys = [_margin_keys(page, h) for page, h in zip(pages, heights, strict=True)]
    seen = Counter(key for page_keys in keys for key in set(page_keys) if key is not None)
    kept: list[list[Piece]] = []
    for page, page_keys in zip(pages, keys, strict=True):
        last = len(page) - 1
        keep = []
        for i, (piece, key) in enumerate(zip(page, page_keys, strict=True)):
            furniture = key is not None and (
                seen[key] >= 3 or (i in (0, last) and PAGE_NUMBER.fullmatch(piece.text.strip()))
            )
            if not furniture:
                keep.append(piece)
        if keep and page and keep[0] is not page[0]:
            keep[0] = _with_gap(keep[0], True)
        kept.append(keep)
    return kept


def _margin_keys(page: list[Piece], height: float) -> list[tuple[str, int] | None]:
    """:func:`_furniture_key` of each piece in the page's top or bottom margin, else None."""
    top, bottom = (1 - MARGIN) * height, MARGIN * height
    return [_furniture_key(p) if p.top > top or p.bottom < bottom else None for p in page]
