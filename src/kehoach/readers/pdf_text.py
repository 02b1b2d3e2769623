"""Page text acquisition for the PDF reader: one page → positioned segments, or a problem.

:func:`native_page` is the only source today. Its signature, :data:`PageSource`, is the seam
where an OCR or glyph-repair step plugs in later: take the open document and a page index,
return a :class:`PageContent` (segments in PDF user space) or a :class:`PageProblem`.

How the native text is read, and why (timings on the 6-page ``kh-1105`` PDF, best of 10):
``get_textpage().get_text_bounded()`` per page 18 ms; one ``FPDFText_GetCharBox`` per char
44 ms (2.4 ×, too close to the 2.5 × budget); ``get_text_bounded`` per text rect 81 ms, and it
duplicates glyphs whose boxes overlap a neighbour (``Lâm Đồng, `` + ``g, ngày``). Chosen: the
page text once (pypdfium2's ``get_text_range``, now :func:`.pdfium.text_range`; its indices
are char indices), split at pdfium's own line breaks, plus ``FPDFText_CountRects``/``GetRect``
per line for its box (16 ms all told; since the per-line calls skip ctypes' argument
conversion, 13.5 ms against 11.8 ms for ``get_text_bounded``, measured later on a quieter
machine). Only a line with a wide gap inside it (a column gap or a blank left for a stamped
number) is re-read char by char to find where to cut it. Bold/italic come from the first and
last visible chars of a segment (``FPDFText_GetFontInfo``; the first alone when it is plain),
not from every char.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import patterns
from .pdf_layout import Segment
from .pdfium import Document, Page, PdfiumError, TextPage, count_chars, text_range
from .pdfium import raw as pdfium_c

ProblemCode = Literal["no_text_layer", "garbled_text_layer"]

MIN_CHARS = 100  # below this many letters, a page with an image is a scan (DOMAIN §1.7)
CYRILLIC_SHARE = 0.02  # glyph-id garble maps accented letters into U+0400–U+04FF
ODD_WORD_SHARE = 0.08
CONTROL_SHARE = 0.01
FLATTEN_SUBTYPES = {3, 13, 20}  # FreeText, Stamp, Widget: e-signing stamps the number here
BOLD_FLAG = 1 << 18  # PDF font flag ForceBold
ITALIC_FLAG = 1 << 6
# glyph-id garble puts digits and +*$# inside words: '6Ӣ', '7+ѬѪ1*', '48<ӂ7'
ODD_WORD = patterns.compile(r"[^\W\d_][+*$#@<>]|[^\W\d_]\d+[^\W\d_]|(?<!\S)\d[^\W\d_]")
# matches exactly where ODD_WORD has a match, but opens with a plain char class, which the
# regex engine skips through fast: 5x quicker on a clean page, where no match is the answer
ODD_HINT = patterns.compile(
    r"[+*$#@<>\d](?:(?<=[^\W\d_][+*$#@<>])|(?<=[^\W\d_]\d)\d*[^\W\d_]|(?<=\d)(?<!\S.)[^\W\d_])"
)
LETTER = patterns.compile(r"[^\W\d_]")
LETTERS = patterns.compile(r"[^\W\d_]+")
WORD = patterns.compile(r"\S*[^\W\d_]\S*")
CYRILLIC = patterns.compile(r"[\u0400-\u04ff]")
CONTROL = patterns.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SUSPECT = patterns.compile(r"[\u0400-\u04ff\x00-\x08\x0b\x0c\x0e-\x1f]")  # CYRILLIC or CONTROL
DROP_CHARS = dict.fromkeys(
    [c for c in range(32) if chr(c) not in "\t"] + [0x7F, 0xAD, 0xFEFF, 0xFFFE, 0xFFFF]
)
# a dict-driven str.translate costs µs per segment; most segments have nothing to drop, which
# str.isprintable settles quicker still
ANY_DROP = patterns.compile("[" + "".join(re.escape(chr(c)) for c in DROP_CHARS) + "]")


def _unchecked(fn: Any) -> Any:
    """pdfium's ``fn`` with no argument types: ctypes then passes ctypes objects through as
    they are instead of converting each argument, which cost 2-4 × pdfium's own work in these
    small calls (``FPDFText_GetRect`` 1.1 → 0.3 µs). Pass only ctypes objects, ``byref``s and
    ints where the C parameter is an ``int``. The GIL stays held (``PYFUNCTYPE``): releasing
    and taking it back around a call this short cost a sixth of it."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    assert address is not None
    return ctypes.PYFUNCTYPE(fn.restype)(address)


# called per line, per char or per page object; the rest keep their checked declarations
_count_rects = _unchecked(pdfium_c.FPDFText_CountRects)
_get_rect = _unchecked(pdfium_c.FPDFText_GetRect)
_font_info = _unchecked(pdfium_c.FPDFText_GetFontInfo)
_char_box = _unchecked(pdfium_c.FPDFText_GetCharBox)
_get_object = _unchecked(pdfium_c.FPDFPage_GetObject)
_object_type = _unchecked(pdfium_c.FPDFPageObj_GetType)
_object_bounds = _unchecked(pdfium_c.FPDFPageObj_GetBounds)
NAME_SIZE = 96  # font name buffer


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


PageSource = Callable[[Document, int], PageContent | PageProblem]
# repairs a page's text in place of pdfium's (same length: char indices must stay valid);
# None when it cannot (see :mod:`.glyphs`)
TextFix = Callable[[TextPage, str], str | None]


def clean(text: str) -> str:
    """NFC, no-break space as space, hyphenation/control marks pdfium emits dropped."""
    text = text.replace("\u00a0", " ").replace("\t", " ")
    if not text.isprintable() and ANY_DROP.search(text):  # every DROP_CHARS char is unprintable
        text = text.translate(DROP_CHARS)
    return unicodedata.normalize("NFC", text)


def native_page(doc: Document, index: int, fix: TextFix | None = None) -> PageContent | PageProblem:
    """Read page ``index`` (0-based) from the PDF's own text layer, through ``fix`` if given.

    The page and its text page are pdfium's raw handles, closed here: pypdfium2's
    ``PdfPage``/``PdfTextPage`` attached a weakref finalizer each, 3-4 % of the reader's time.
    (The document never gets a form environment, so no page needs pdfium's form notifications.)
    """
    page = _load(doc, index)
    try:
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise PdfiumError("Failed to load text page.")
        try:
            return _read(page, textpage, index, fix)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _read(
    page: Page, textpage: TextPage, index: int, fix: TextFix | None
) -> PageContent | PageProblem:
    text = _page_text(textpage, count_chars(textpage))
    if fix is not None:
        fixed = fix(textpage, text)
        if fixed is None:
            return PageProblem("garbled_text_layer", index + 1)
        text = fixed
    width, height = _size(page)
    images, ruled = _graphics(page, width, height)
    problem = _problem(text, images)
    if problem:
        return PageProblem(problem, index + 1)
    segments = _segments(textpage, text, width)
    return PageContent(segments, width, height, ruled)


def _size(page: Page) -> tuple[float, float]:
    return pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)


def _load(doc: Document, index: int) -> Page:
    """The page, with annotation appearances flattened into it when they may hold text."""
    page = doc.load_page(index)
    if not _has_text_annots(page):
        return page
    pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY)
    pdfium_c.FPDF_ClosePage(page)  # pdfium only shows flattened content on a fresh load
    return doc.load_page(index)


def _has_text_annots(page: Page) -> bool:
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, i)
        subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
        pdfium_c.FPDFPage_CloseAnnot(annot)
        if subtype in FLATTEN_SUBTYPES:
            return True
    return False


def _page_text(textpage: TextPage, count: int) -> str:
    text = text_range(textpage, 0, count) if count else ""
    if len(text) != count:  # astral chars (surrogate pairs) break the index mapping
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    return text


def _graphics(page: Page, width: float, height: float) -> tuple[bool, bool]:
    """(has an image, has at least two thin vertical rules or one big path box)."""
    images = False
    vertical = 0
    box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
    refs = [ctypes.byref(v) for v in box]
    image, path = pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = _get_object(page, i)
        kind = _object_type(obj)
        if kind == image:
            images = True
        elif kind == path and _object_bounds(obj, *refs):
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
    head = text[: 2 * MIN_CHARS]
    letters = len(head) - len(LETTERS.sub("", head))  # findall made a string per letter
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

    raw: TextPage
    values: tuple[ctypes.c_double, ...] = field(
        default_factory=lambda: tuple(ctypes.c_double() for _ in range(4))
    )
    refs: tuple[object, ...] = ()
    name: ctypes.Array[ctypes.c_char] = field(
        default_factory=lambda: ctypes.create_string_buffer(NAME_SIZE)
    )
    name_size: ctypes.c_ulong = field(default_factory=lambda: ctypes.c_ulong(NAME_SIZE))
    flags: ctypes.c_int = field(default_factory=ctypes.c_int)
    flags_ref: object = None
    fonts: dict[tuple[bytes, int], FontStyle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.refs = tuple(ctypes.byref(v) for v in self.values)
        self.flags_ref = ctypes.byref(self.flags)


def _segments(raw: TextPage, text: str, width: float) -> list[Segment]:
    """One segment per line of ``text`` that has a box and shows something, or several for a
    line cut at its gaps (:func:`_cut`).

    Lines are the runs between pdfium's line breaks, numbered (``run``) whether or not they
    have a box; they are found with ``str.split`` (a regex scan of the page cost 3 × as much).
    Each line's segment is made in the same pass as its box; the few lines that :func:`_cut`
    then splits are made again.
    """
    calls = _Calls(raw)
    count, get, refs, style = _count_rects, _get_rect, calls.refs, _styler(calls, text)
    left, top, right, bottom = calls.values
    lines: list[tuple[int, int, int]] = []  # (run, start, end) of each line with a box
    boxes: list[Rect] = []
    whole: list[Segment | None] = []  # its segment, None when it shows nothing
    several: dict[int, list[Rect]] = {}  # the rects of lines with more than one
    run = 0
    start = 0
    for part in text.replace("\r", "\n").split("\n"):
        end = start + len(part)
        if part:
            n = count(raw, start, end - start)
            if n > 0:
                get(raw, 0, *refs)
                box = (left.value, bottom.value, right.value, top.value)
                if n > 1:
                    rects = [box]
                    for j in range(1, n):
                        get(raw, j, *refs)
                        rects.append((left.value, bottom.value, right.value, top.value))
                    several[len(boxes)] = rects
                    box = _union(rects)
                lines.append((run, start, end))
                boxes.append(box)
                body = clean(part)
                if body.strip():
                    bold, italic = style(start, end)
                    whole.append(Segment(body, box[0], box[2], box[1], box[3], bold, italic, run))
                else:
                    whole.append(None)
            run += 1
        start = end + 1
    segments: list[Segment] = []
    for k, held in enumerate(_holding(boxes)):
        parts = several.get(k)
        # a blank left for a stamped day or number ('ngày      tháng') may be one wide rect:
        # cut the line where another line's text sits inside it, or the stamped '10' lands
        # after the whole line
        if held or (parts and _wide_gap(parts)):
            run, start, end = lines[k]
            height = max(r[3] - r[1] for r in parts or [boxes[k]])
            for a, b, box in _cut(calls, text, start, end, height):
                body = clean(text[a:b])
                if body.strip():
                    bold, italic = style(a, b)
                    segments.append(
                        Segment(body, box[0], box[2], box[1], box[3], bold, italic, run)
                    )
        else:
            segment = whole[k]
            if segment is not None:
                segments.append(segment)
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
    lows = [box[1] for box in boxes]
    order = sorted(range(len(boxes)), key=lows.__getitem__)
    bottoms = [lows[j] for j in order]
    # a box overlapping line k has bottom < k's top and top > k's bottom, so its bottom is
    # above k's bottom less the tallest height (1 pt of slack against float rounding)
    tallest = max((y1 - y0 for _, y0, _, y1 in boxes), default=0.0) + 1.0
    out = []
    for k, (_, bottom, _, top) in enumerate(boxes):
        low, high = bisect_left(bottoms, bottom - tallest), bisect_left(bottoms, top)
        out.append(high - low > 1 and _holds_other(k, boxes, order[low:high]))
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
    raw, refs, char_box = calls.raw, calls.refs, _char_box
    v_left, v_right, v_bottom, v_top = calls.values  # FPDFText_GetCharBox's order
    spans: list[tuple[int, int, Rect]] = []
    box: Rect | None = None
    first, after = start, start  # after: just past the last visible char
    for i in range(start, end):
        if text[i].isspace() or not char_box(raw, i, *refs):
            continue
        left, right, bottom, top = v_left.value, v_right.value, v_bottom.value, v_top.value
        if right - left <= 0 or top - bottom <= 0:
            continue
        if box and left - box[2] > height:
            # both sides keep the blank between them: it says "a word boundary" to the
            # joiner when stamped text (a flattened number) lands in the hole
            spans.append((first, i, box))
            first, box = after, None
        after = i + 1
        if box is None:
            box = (left, bottom, right, top)
        else:  # _union of the two, spelt out (same results, NaN included): it runs per char
            x0, y0, x1, y1 = box
            box = (
                left if left < x0 else x0,  # noqa: FURB136
                bottom if bottom < y0 else y0,  # noqa: FURB136
                right if right > x1 else x1,  # noqa: FURB136
                top if top > y1 else y1,  # noqa: FURB136
            )
    if box:
        spans.append((first, end, box))
    return spans


def _styler(calls: _Calls, text: str) -> Callable[[int, int], FontStyle]:
    """(bold, italic) of a segment ``text[start:end]``, from its first and last visible chars
    (only the first when that one is plain).

    The font name (``TimesNewRomanPS-BoldItalicMT``) and flags say both in one call; the
    weight call would double the cost and agreed with the name on every corpus font. The
    closure binds pdfium's call and its out-parameters once per page: two calls per line
    made the attribute look-ups around them cost as much as the calls.
    """
    info, raw, name, name_size, flags, flags_ref = (
        _font_info, calls.raw, calls.name, calls.name_size, calls.flags, calls.flags_ref
    )
    fonts = calls.fonts

    def font(index: int) -> FontStyle:
        flags.value = 0  # pdfium leaves both out-parameters alone when it fails
        size = info(raw, index, name, name_size, flags_ref)
        # a name longer than the buffer is not copied: read it as no name, as a fresh buffer did
        key = (name.value if 0 < size <= NAME_SIZE else b"", flags.value)
        found = fonts.get(key)
        if found is None:
            found = fonts[key] = _font_verdict(*key)
        return found

    def style(start: int, end: int) -> FontStyle:
        last = end - 1
        first_shown = not text[start].isspace()
        if last == start:
            return font(start) if first_shown else (False, False)
        last_shown = not text[last].isspace()
        if first_shown and last_shown:
            b1, i1 = font(start)
            if not (b1 or i1):  # plain: the last char cannot change that (most lines)
                return b1, i1
            b2, i2 = font(last)
            return b1 and b2, i1 and i2
        if first_shown or last_shown:
            return font(start if first_shown else last)
        return False, False

    return style


@functools.lru_cache(maxsize=256)
def _font_verdict(name: bytes, flags: int) -> FontStyle:
    """Bold/italic of a font name and its flags; remembered across pages, as a page holds
    the same few fonts as the one before."""
    lowered = name.lower()
    return (
        b"bold" in lowered or bool(flags & BOLD_FLAG),
        b"italic" in lowered or b"oblique" in lowered or bool(flags & ITALIC_FLAG),
    )
