"""Page images before OCR: blank-page detection and cutting a page into horizontal bands.

Both work on the 8-bit grey page image with Pillow's C loops only (a thumbnail histogram, a
one-column resize); together they cost a few tens of milliseconds of a page that tesseract
reads in about three seconds (:mod:`.ocr`).

Bands exist to balance the work across OCR workers below whole pages: a 3-page scan read by
2 workers as whole pages takes 2 pages' time (0.67 of 1 worker) at best. A band is cut only in
the middle of an ink-free run of rows at least :data:`MIN_GAP_PT` tall, so no text line — nor a
Vietnamese accent, which sits a point or so above its letter — is ever cut through. Tesseract
reads a band about as well as the page (it estimates resolution and threshold per image, so
not always identically): see :mod:`.ocr`.
"""

from __future__ import annotations

from array import array

from PIL import Image

MARGIN = 0.04  # of the short side, each edge: scanners leave shadows and lines at the border
BLANK_DARK = 1e-4  # a page is blank when under 1 in 10 000 thumbnail pixels is dark
DARK = 128  # grey level under which a pixel counts as ink
THUMB = 4  # thumbnail reduction factor for the blank test (300 dpi → 75 dpi)
MIN_GAP_PT = 2.0  # a cut needs an ink-free run this tall: above an accent's gap to its letter
WINDOW = 0.1  # of the page height, each side of the intended cut, searched for a gap
NOISE = 0.002  # of the width: ink a row may hold and still count as empty (specks, table rules)


def is_blank(image: Image.Image) -> bool:
    """True when the page holds (almost) no ink inside its margins.

    Measured on ``kh-996`` at 300 dpi, margins cropped and reduced 4×: the blank last page has
    2 dark pixels of 472 788 (4e-6), text pages 19 000–23 000 (4–5 %). The threshold, 1e-4
    (about 47 pixels), keeps a page holding a single short word or a signature."""
    margin = int(MARGIN * min(image.size))
    inner = image.crop((margin, margin, image.width - margin, image.height - margin))
    thumb = inner.reduce(THUMB)
    dark = sum(thumb.histogram()[:DARK])
    return dark < BLANK_DARK * thumb.width * thumb.height


def cut_rows(image: Image.Image, bands: int, dpi: int) -> list[int]:
    """Rows (ascending, excluding 0 and the height) at which to cut ``image`` into at most
    ``bands`` bands of about equal ink; fewer when no safe gap lies near an intended cut."""
    if bands < 2:
        return []
    ink = _row_ink(image)
    total = sum(ink)
    if not total:
        return []
    cuts: list[int] = []
    running, want = 0, 1
    for row, amount in enumerate(ink):
        running += amount
        if running >= want * total / bands:
            cut = _gap_near(image, row, dpi)
            if cut is not None and (not cuts or cut > cuts[-1]):
                cuts.append(cut)
            want += 1
            if want == bands:
                break
    return cuts


def _row_ink(image: Image.Image) -> list[int]:
    """Ink per row (255 minus the row's mean grey): enough to place cuts by amount of text."""
    column = image.resize((1, image.height), Image.Resampling.BOX)
    return [255 - v for v in column.tobytes()]


def _gap_near(image: Image.Image, target: int, dpi: int) -> int | None:
    """The middle row of the tallest ink-free run within :data:`WINDOW` of ``target`` (the
    nearest of equals), or None when no run is :data:`MIN_GAP_PT` tall."""
    reach = int(WINDOW * image.height)
    top = max(0, target - reach)
    bottom = min(image.height, target + reach)
    counts = _dark_per_row(image.crop((0, top, image.width, bottom)))
    empty = [c <= NOISE * image.width for c in counts]
    best: tuple[int, int] | None = None  # (length, -distance)
    cut = None
    start = None
    for row, is_empty in enumerate([*empty, False]):
        if is_empty and start is None:
            start = row
        elif not is_empty and start is not None:
            middle = top + (start + row) // 2
            score = (row - start, -abs(middle - target))
            if best is None or score > best:
                best, cut = score, middle
            start = None
    if best is None or best[0] < MIN_GAP_PT * dpi / 72:
        return None
    return cut


def _dark_per_row(strip: Image.Image) -> list[float]:
    """Number of dark pixels in each row of ``strip``, exactly (a float column of the mask's
    mean: an int column would round a row's few accent pixels away)."""
    mask = strip.point(lambda v: 1 if v < DARK else 0).convert("F")
    column = mask.resize((1, strip.height), Image.Resampling.BOX)
    return [v * strip.width for v in array("f", column.tobytes())]
