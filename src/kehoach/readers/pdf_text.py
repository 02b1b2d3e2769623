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
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
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
# matches exactly where ODD_WORD has a match, but opens with a plain char class, which the
# regex engine skips through fast: 5x quicker on a clean page, where no match is the answer
ODD_HINT = re.compile(
    r"[+*$#@<>\d](?:(?<=[^\W\d_][+*$#@<>])|(?<=[^\W\d_]\d)\d*[^\W\d_]|(?<=\d)(?<!\S.)[^\W\d_])"
)
LINE = re.compile(r"[^\r\n]+")
LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"\S*[^\W\d_]\S*")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SUSPECT = re.compile(r"[\u0400-\u04ff\x00-\x08\x0b\x0c\x0e-\x1f]")  # CYRILLIC or CONTROL
DROP_CHARS = dict.fromkeys(
    [c for c in range(32) if chr(c) not in "\t"] + [0x7F, 0xAD, 0xFEFF, 0xFFFE, 0xFFFF]
)
# a dict-driven str.translate costs µs per segment; most segments have nothing to drop
ANY_DROP = re.compile("[" + "".join(re.escape(chr(c)) for c in DROP_CHARS) + "]")


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
    text = text.replace("\u00a0", " ").replace("\t", " ")
    if ANY_DROP.search(text):
        text = text.translate(DROP_CHARS)
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
    # regex scans run in C (a per-char Python loop cost as much as reading the page); a clean
    # page is settled by a letter count of its start and three `search`es that find nothing,
    # and the full counts are only taken where a sign of garble is present
    letters = len(LETTER.findall(text, 0, 2 * MIN_CHARS))
    if letters < MIN_CHARS:
        letters = len(LETTER.findall(text))
        if letters < MIN_CHARS:
            return "no_text_layer" if images else None
    if SUSPECT.search(text):  # one scan for the next two tests: a clean page has neither
        if CYRILLIC.search(text) and len(CYRILLIC.findall(text)) > CYRILLIC_SHARE * len(
            LETTER.findall(text)
        ):
            return "garbled_text_layer"
        if CONTROL.search(text) and len(CONTROL.findall(text)) > CONTROL_SHARE * len(text):
            return "garbled_text_layer"
    if ODD_HINT.search(text):
        words = len(WORD.findall(text))
        if len(ODD_WORD.findall(text)) > ODD_WORD_SHARE * max(words, 1):
            return "garbled_text_layer"
    return None


Rect = tuple[float, float, float, float]  # left, bottom, right, top
FontStyle = tuple[bool, bool]  # (bold, italic)


@dataclass(slots=True)
class _Calls:
    """pdfium's out-parameters, made once per page: building ctypes objects for every line
    cost as much as the calls themselves."""

    raw: pdfium_c.FPDF_TEXTPAGE
    values: tuple[ctypes.c_double, ...] = field(
        default_factory=lambda: tuple(ctypes.c_double() for _ in range(4))
    )
    refs: tuple[object, ...] = ()
    name: ctypes.Array[ctypes.c_char] = field(default_factory=lambda: ctypes.create_string_buffer(96))
    flags: ctypes.c_int = field(default_factory=ctypes.c_int)
    flags_ref: object = None
    fonts: dict[tuple[bytes, int], FontStyle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.refs = tuple(ctypes.byref(v) for v in self.values)
        self.flags_ref = ctypes.byref(self.flags)


def _rects(calls: _Calls, start: int, end: int) -> list[Rect]:
    raw, refs, get = calls.raw, calls.refs, pdfium_c.FPDFText_GetRect
    left, top, right, bottom = calls.values
    rects = []
    for j in range(pdfium_c.FPDFText_CountRects(raw, start, end - start)):
        get(raw, j, *refs)
        rects.append((left.value, bottom.value, right.value, top.value))
    return rects


def _segments(raw: pdfium_c.FPDF_TEXTPAGE, text: str, width: float) -> list[Segment]:
    calls = _Calls(raw)
    lines = []
    for run, m in enumerate(LINE.finditer(text)):
        start, end = m.span()
        rects = _rects(calls, start, end)
        if rects:
            lines.append((run, start, end, rects))
    boxes = [line[3][0] if len(line[3]) == 1 else _union(line[3]) for line in lines]
    holding = _holding(boxes)
    segments: list[Segment] = []
    append, style = segments.append, _styler(calls, text)
    for k, (run, start, end, rects) in enumerate(lines):
        # a blank left for a stamped day or number ('ngày      tháng') may be one wide rect:
        # cut the line where another line's text sits inside it, or the stamped '10' lands
        # after the whole line
        if holding[k] or (len(rects) > 1 and _wide_gap(rects)):
            height = max(r[3] - r[1] for r in rects)
            spans = _cut(calls, text, start, end, height)
        else:
            spans = [(start, end, boxes[k])]
        for a, b, box in spans:
            body = clean(text[a:b])
            if body.strip():
                bold, italic = style(a, b)
                append(Segment(body, box[0], box[2], box[1], box[3], bold, italic, run))
    return segments


def _wide_gap(rects: list[Rect]) -> bool:
    """Two rects of the line lie further apart than the line is high."""
    height = max(r[3] - r[1] for r in rects)
    return max(b[0] - a[2] for a, b in itertools.pairwise(rects)) > height


def _holding(boxes: list[Rect]) -> list[bool]:
    """:func:`_holds_other` for every line, comparing each only with the lines at its height.

    The plain all-pairs scan was a tenth of the reader's time on a 30-line page.
    """
    if not all(y1 >= y0 for _, y0, _, y1 in boxes):  # inverted or NaN boxes: the plain scan
        return [_holds_other(k, boxes) for k in range(len(boxes))]
    order = sorted(range(len(boxes)), key=lambda j: boxes[j][1])
    bottoms = [boxes[j][1] for j in order]
    # a box overlapping line k has bottom < k's top and top > k's bottom, so its bottom is
    # above k's bottom less the tallest height (1 pt of slack against float rounding)
    tallest = max((y1 - y0 for _, y0, _, y1 in boxes), default=0.0) + 1.0
    out = []
    for k, (_, bottom, _, top) in enumerate(boxes):
        near = order[bisect_left(bottoms, bottom - tallest) : bisect_left(bottoms, top)]
        out.append(len(near) > 1 and _holds_other(k, boxes, near))
    return out


def _holds_other(k: int, boxes: list[Rect], among: list[int] | None = None) -> bool:
    """Another line's box lies within line ``k``'s, horizontally and on the same baseline."""
    left, bottom, right, top = boxes[k]
    for j in range(len(boxes)) if among is None else among:
        x0, y0, x1, y1 = boxes[j]
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
    calls: _Calls, text: str, start: int, end: int, height: float
) -> list[tuple[int, int, Rect]]:
    """Split a line at gaps wider than its height, char box by char box."""
    raw, refs, values = calls.raw, calls.refs, calls.values
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


def _styler(calls: _Calls, text: str) -> Callable[[int, int], FontStyle]:
    """(bold, italic) of a segment ``text[start:end]``, from its first and last visible chars.

    The font name (``TimesNewRomanPS-BoldItalicMT``) and flags say both in one call; the
    weight call would double the cost and agreed with the name on every corpus font. The
    closure binds pdfium's call and its out-parameters once per page: two calls per line
    made the attribute look-ups around them cost as much as the calls.
    """
    info, raw, name, flags, flags_ref = (
        pdfium_c.FPDFText_GetFontInfo, calls.raw, calls.name, calls.flags, calls.flags_ref
    )
    fonts = calls.fonts

    def font(index: int) -> FontStyle:
        flags.value = 0  # pdfium leaves both out-parameters alone when it fails
        size = info(raw, index, name, 96, flags_ref)
        # a name longer than the buffer is not copied: read it as no name, as a fresh buffer did
        key = (name.value if 0 < size <= 96 else b"", flags.value)
        found = fonts.get(key)
        return found if found is not None else _font_verdict(fonts, key)

    def style(start: int, end: int) -> FontStyle:
        last = end - 1
        first_shown = not text[start].isspace()
        if last == start:
            return font(start) if first_shown else (False, False)
        last_shown = not text[last].isspace()
        if first_shown and last_shown:
            b1, i1 = font(start)
            b2, i2 = font(last)
            return b1 and b2, i1 and i2
        if first_shown or last_shown:
            return font(start if first_shown else last)
        return False, False

    return style


def _font_verdict(fonts: dict[tuple[bytes, int], FontStyle], key: tuple[bytes, int]) -> FontStyle:
    """Bold/italic of a (font name, flags) pair, remembered for the rest of the page."""
    lowered = key[0].lower()
    style = fonts[key] = (
        b"bold" in lowered or bool(key[1] & BOLD_FLAG),
        b"italic" in lowered or b"oblique" in lowered or bool(key[1] & ITALIC_FLAG),
    )
    return style
