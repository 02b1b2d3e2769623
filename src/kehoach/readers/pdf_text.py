"""Page text acquisition for the PDF reader: one page → positioned segments, or a problem.

:func:`native_page` is the only source today. Its signature, :data:`PageSource`, is the seam
where an OCR or glyph-repair step plugs in later: take the open document and a page index,
return a :class:`PageContent` (segments in PDF user space) or a :class:`PageProblem`.

How the native text is read, and why (timings on the 6-page ``kh-1105`` PDF, best of 10):
``get_textpage().get_text_bounded()`` per page 18 ms; one ``FPDFText_GetCharBox`` per char
44 ms (2.4 ×, too close to the 2.5 × budget); ``get_text_bounded`` per text rect 81 ms, and it
duplicates glyphs whose boxes overlap a neighbour (``Lâm Đồng, `` + ``g, ngày``). Chosen: the
page text once (``get_text_range``, whose indices are char indices), split at pdfium's own
line breaks, plus ``FPDFText_CountRects``/``GetRect`` per line for its box (16 ms all told).
Only a line with a wide gap inside it (a column gap or a blank left for a stamped number) is
re-read char by char to find where to cut it. Bold/italic come from three sampled chars per
segment (``FPDFText_GetFontInfo``), not from every char.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdf_layout import Segment

ProblemCode = Literal["no_text_layer", "garbled_text_layer"]

MIN_CHARS = 100  # below this many letters, a page with an image is a scan (DOMAIN §1.7)
CYRILLIC_SHARE = 0.02  # glyph-id garble maps accented letters into U+0400–U+04FF
ODD_WORD_SHARE = 0.08
CONTROL_SHARE = 0.01
FLATTEN_SUBTYPES = {3, 13, 20}  # FreeText, Stamp, Widget: e-signing stamps the number here
BOLD_FLAG = 1 << 18  # PDF font flag ForceBold
ITALIC_FLAG = 1 << 6
# glyph-id garble puts digits and +*$# inside words: '6Ӣ', '7+ѬѪ1*', '48<ӂ7'
ODD_WORD = re.compile(r"[^\W\d_][+*$#@<>]|[^\W\d_]\d+[^\W\d_]|(?<!\S)\d[^\W\d_]")
LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"\S*[^\W\d_]\S*")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DROP_CHARS = dict.fromkeys(
    [c for c in range(32) if chr(c) not in "\t"] + [0x7F, 0xAD, 0xFEFF, 0xFFFE, 0xFFFF]
)


@dataclass(frozen=True, slots=True)
class PageProblem:
    """Why a page's text cannot be used."""

    code: ProblemCode
    page: int  # 1-based


@dataclass(frozen=True, slots=True)
class PageContent:
    segments: list[Segment]
    width: float
    height: float
    ruled: bool  # the page draws lines that may be a table's borders


PageSource = Callable[[pdfium.PdfDocument, int], PageContent | PageProblem]
# repairs a page's text in place of pdfium's (same length: char indices must stay valid);
# None when it cannot (see :mod:`.glyphs`)
TextFix = Callable[[pdfium.PdfTextPage, str], str | None]


def clean(text: str) -> str:
    """NFC, no-break space as space, hyphenation/control marks pdfium emits dropped."""
    text = text.replace("\u00a0", " ").replace("\t", " ").translate(DROP_CHARS)
    return unicodedata.normalize("NFC", text)


def native_page(
    doc: pdfium.PdfDocument, index: int, fix: TextFix | None = None
) -> PageContent | PageProblem:
    """Read page ``index`` (0-based) from the PDF's own text layer, through ``fix`` if given."""
    page = _load(doc, index)
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = _page_text(textpage, count)
        if fix is not None:
            fixed = fix(textpage, text)
            if fixed is None:
                return PageProblem("garbled_text_layer", index + 1)
            text = fixed
        images, ruled = _graphics(page)
        problem = _problem(text, images)
        if problem:
            return PageProblem(problem, index + 1)
        width, height = page.get_size()
        segments = _segments(textpage.raw, text, width)
        return PageContent(segments, width, height, ruled)
    finally:
        textpage.close()
        page.close()


def _load(doc: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """The page, with annotation appearances flattened into it when they may hold text."""
    page = doc[index]
    if not _has_text_annots(page):
        return page
    pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
    page.close()  # pdfium only shows flattened content on a fresh load
    return doc[index]


def _has_text_annots(page: pdfium.PdfPage) -> bool:
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
        pdfium_c.FPDFPage_CloseAnnot(annot)
        if subtype in FLATTEN_SUBTYPES:
            return True
    return False


def _page_text(textpage: pdfium.PdfTextPage, count: int) -> str:
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:  # astral chars (surrogate pairs) break the index mapping
        raw = textpage.raw
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    return text


def _graphics(page: pdfium.PdfPage) -> tuple[bool, bool]:
    """(has an image, has at least two thin vertical rules or one big path box)."""
    width, height = page.get_size()
    images = False
    vertical = 0
    box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
    refs = [ctypes.byref(v) for v in box]
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images = True
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
            w = box[2].value - box[0].value
            h = box[3].value - box[1].value
            if w < 3 and h > 8:
                vertical += 1
            elif w > 0.2 * width and h > 0.05 * height:
                vertical += 2  # one path drawing a whole grid
    return images, vertical >= 2


def _problem(text: str, images: bool) -> ProblemCode | None:
    # regex counts run in C: a per-char Python loop here cost as much as reading the page
    letters = len(LETTER.findall(text))
    if letters < MIN_CHARS:
        return "no_text_layer" if images else None
    words = len(WORD.findall(text))
    if (
        len(CYRILLIC.findall(text)) > CYRILLIC_SHARE * letters
        or len(CONTROL.findall(text)) > CONTROL_SHARE * len(text)
        or len(ODD_WORD.findall(text)) > ODD_WORD_SHARE * max(words, 1)
    ):
        return "garbled_text_layer"
    return None


def _line_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]


Rect = tuple[float, float, float, float]  # left, bottom, right, top


def _rects(raw: pdfium_c.FPDF_TEXTPAGE, start: int, end: int) -> list[Rect]:
    values = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in values]
    rects = []
    for j in range(pdfium_c.FPDFText_CountRects(raw, start, end - start)):
        pdfium_c.FPDFText_GetRect(raw, j, *refs)
        left, top, right, bottom = (v.value for v in values)
        rects.append((left, bottom, right, top))
    return rects


def _segments(raw: pdfium_c.FPDF_TEXTPAGE, text: str, width: float) -> list[Segment]:
    lines = [(run, a, b, _rects(raw, a, b)) for run, (a, b) in enumerate(_line_spans(text))]
    lines = [line for line in lines if line[3]]
    boxes = [_union(line[3]) for line in lines]
    segments: list[Segment] = []
    for k, (run, start, end, rects) in enumerate(lines):
        height = max(r[3] - r[1] for r in rects)
        gaps = [b[0] - a[2] for a, b in itertools.pairwise(rects)]
        # a blank left for a stamped day or number ('ngày      tháng') may be one wide rect:
        # cut the line where another line's text sits inside it, or the stamped '10' lands
        # after the whole line
        if (gaps and max(gaps) > height) or _holds_other(k, boxes):
            spans = _cut(raw, text, start, end, height)
        else:
            spans = [(start, end, boxes[k])]
        for a, b, box in spans:
            body = clean(text[a:b])
            if body.strip():
                bold, italic = _style(raw, text, a, b)
                segments.append(Segment(body, box[0], box[2], box[1], box[3], bold, italic, run))
    return segments


def _holds_other(k: int, boxes: list[Rect]) -> bool:
    """Another line's box lies within line ``k``'s, horizontally and on the same baseline."""
    left, bottom, right, top = boxes[k]
    for j, (x0, y0, x1, y1) in enumerate(boxes):
        if j != k and left < x0 and x1 < right and min(top, y1) - max(bottom, y0) > 0.5 * (
            y1 - y0
        ):
            return True
    return False


def _union(rects: list[Rect]) -> Rect:
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )


def _cut(
    raw: pdfium_c.FPDF_TEXTPAGE, text: str, start: int, end: int, height: float
) -> list[tuple[int, int, Rect]]:
    """Split a line at gaps wider than its height, char box by char box."""
    values = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in values]
    spans: list[tuple[int, int, Rect]] = []
    first, box, after = start, None, start  # after: just past the last visible char
    for i in range(start, end):
        if text[i].isspace() or not pdfium_c.FPDFText_GetCharBox(raw, i, *refs):
            continue
        left, right, bottom, top = (v.value for v in values)
        if right - left <= 0 or top - bottom <= 0:
            continue
        if box and left - box[2] > height:
            # both sides keep the blank between them: it says "a word boundary" to the
            # joiner when stamped text (a flattened number) lands in the hole
            spans.append((first, i, box))
            first, box = after, None
        after = i + 1
        box = (
            (left, bottom, right, top) if box is None else _union([box, (left, bottom, right, top)])
        )
    if box:
        spans.append((first, end, box))
    return spans


def _style(raw: pdfium_c.FPDF_TEXTPAGE, text: str, start: int, end: int) -> tuple[bool, bool]:
    """(bold, italic) from the first and last visible chars of a segment.

    The font name (``TimesNewRomanPS-BoldItalicMT``) and flags say both in one call; the
    weight call would double the cost and agreed with the name on every corpus font.
    """
    visible = {i for i in (start, end - 1) if not text[i].isspace()}
    name = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    bold = italic = bool(visible)
    for i in visible:
        pdfium_c.FPDFText_GetFontInfo(raw, i, name, len(name), ctypes.byref(flags))
        lowered = name.value.lower()
        bold &= b"bold" in lowered or bool(flags.value & BOLD_FLAG)
        italic &= b"italic" in lowered or b"oblique" in lowered or bool(flags.value & ITALIC_FLAG)
    return bold, italic
