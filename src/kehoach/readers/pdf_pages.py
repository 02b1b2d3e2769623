"""Which source reads each PDF page: the text layer, the repaired text layer, or OCR.

Per page, never per file: the native layer first; a garbled page (glyph ids, DOMAIN §1.7) is
repaired through its fonts (:mod:`.glyphs`), and a page that cannot be repaired or has no text
layer (a scan) is OCR'd (:mod:`.ocr`) unless ``ocr='never'``. ``ocr='always'`` OCRs every
page. ``source.text_layer`` is then ``ocr`` when any page was OCR'd, else ``repaired`` when
any page was repaired, else ``native``; warnings ``ocr_used`` and ``repaired_text_layer``
name the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from ..errors import ReadError
from ..models import TextLayer, Warning
from .glyphs import GlyphRepair, needs_repair
from .pdf_text import PageContent, PageProblem, PageSource, native_page
from .pdfium import Document

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "always", "never")
Page = PageContent | PageProblem


@dataclass(frozen=True, slots=True)
class OcrOptions:
    mode: OcrMode = "auto"
    lang: str = "vie"
    jobs: int = 1


@dataclass(slots=True)
class Pages:
    contents: list[Page]
    text_layer: TextLayer = "native"
    warnings: list[Warning] = field(default_factory=list)
    font_maps: dict[str, dict[int, str]] = field(default_factory=dict)  # for the table finder
    repaired: set[int] = field(default_factory=set)  # 0-based


def read_pages(
    doc: Document,
    name: str,
    options: OcrOptions,
    source: PageSource = native_page,
    read: Callable[[PageSource, Document, int], Page] | None = None,
) -> Pages:
    """Every page of ``doc`` through the best source available (see the module docstring)."""
    if options.mode not in OCR_MODES:
        raise ReadError(f"{name}: ocr must be one of {', '.join(OCR_MODES)}, not {options.mode!r}")
    call = read or (lambda s, d, i: s(d, i))
    pages = Pages([call(source, doc, i) for i in range(len(doc))])
    if source is native_page and options.mode != "always":
        _repair(doc, pages, call)
    wanted = [
        i
        for i, c in enumerate(pages.contents)
        if options.mode == "always" or (options.mode == "auto" and isinstance(c, PageProblem))
    ]
    if wanted:
        from .ocr import ocr_pages

        found = ocr_pages(doc.for_rendering(), wanted, name, options.lang, options.jobs)
        for i, content in found.items():
            pages.contents[i] = content
            pages.repaired.discard(i)
        pages.text_layer = "ocr"
        pages.warnings.append(_note("ocr_used", wanted, "read by OCR (tesseract)"))
    if pages.repaired:
        if not wanted:
            pages.text_layer = "repaired"
        done = sorted(pages.repaired)
        pages.warnings.append(
            _note("repaired_text_layer", done, "text layer repaired (glyph ids mapped to letters)")
        )
    return pages


def _repair(
    doc: Document,
    pages: Pages,
    call: Callable[[PageSource, Document, int], Page],
) -> None:
    """Re-read garbled pages, and pages showing the Mac Roman misreading, through the fonts."""
    fixer = GlyphRepair(doc)
    fixed_source = partial(native_page, fix=fixer.fix)
    for i, content in enumerate(pages.contents):
        garbled = isinstance(content, PageProblem) and content.code == "garbled_text_layer"
        if garbled or (isinstance(content, PageContent) and _mac_roman(content)):
            again = call(fixed_source, doc, i)
            if isinstance(again, PageContent):
                pages.contents[i] = again
                pages.repaired.add(i)
    pages.font_maps = fixer.font_maps()


def _mac_roman(content: PageContent) -> bool:
    return needs_repair(" ".join([s.text for s in content.segments]))


def _note(code: str, indices: list[int], what: str) -> Warning:
    from .pdf import _pages_label

    label = _pages_label([i + 1 for i in indices])
    return Warning(code=code, message=f"{label}: {what}", page=indices[0] + 1, line=None)
