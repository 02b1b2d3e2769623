"""pdfium for the PDF text reader, loaded without importing pypdfium2.

Why: importing pypdfium2 cost every process that reads a PDF ~23 ms before its first page:
``pypdfium2_raw.bindings`` (ctypesgen's declarations of ~1000 functions) 12-15 ms and the
helper classes 10-12 ms, while loading libpdfium itself takes under 1 ms. That sat on the
critical path of every ``kehoach parse`` and ``kehoach batch``. This module loads the same
library the installed pypdfium2 ships (found with ``find_spec``, which imports nothing),
declares only the functions the reader calls and replaces the few helpers it used: opening a
document from bytes (:class:`Document`), counting a text page's chars and reading its text.
Measured (2 cores, medians of 5): ``import kehoach.readers.pdf`` after ``kehoach.cli`` 40.5 →
23 ms, a whole ``kehoach parse`` of a 3-page sample 140 → 118 ms; reading a file takes what it
took (3.45 ms best of 200 for that sample, either way).

The declarations copy the argtypes and restype of ``pypdfium2_raw/bindings.py``: ctypes
trusts them, so a wrong one crashes instead of raising (``tests/test_pdfium.py`` compares them
with pypdfium2's). pdfium is initialised as pypdfium2 initialises it, and pdfium ignores a
second initialisation, so importing pypdfium2 later in the same process (OCR renders pages
with it, pdfplumber can) works on the same loaded library. pdfium is not torn down at exit:
the process's end frees it (pypdfium2, once imported, tears it down as before). Where the
library is not beside pypdfium2_raw (a pypdfium2 built against a system pdfium) or does not
load, :data:`raw` is ``pypdfium2.raw`` itself, which has the same names, and only the start-up
saving is lost.
"""

from __future__ import annotations

import ctypes
import sys
from codecs import decode
from ctypes import (
    POINTER,
    c_char,
    c_double,
    c_float,
    c_int,
    c_size_t,
    c_ubyte,
    c_uint,
    c_ulong,
    c_ushort,
    c_void_p,
)
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Self, TypeAlias


# pdfium's opaque handles, named as bindings.py names them (the tests compare the names)
class struct_fpdf_document_t__(ctypes.Structure):
    pass


class struct_fpdf_page_t__(ctypes.Structure):
    pass


class struct_fpdf_textpage_t__(ctypes.Structure):
    pass


class struct_fpdf_pageobject_t__(ctypes.Structure):
    pass


class struct_fpdf_font_t__(ctypes.Structure):
    pass


class struct_fpdf_annotation_t__(ctypes.Structure):
    pass


class struct_FPDF_LIBRARY_CONFIG_(ctypes.Structure):
    _fields_ = (
        ("version", c_int),
        ("m_pUserFontPaths", POINTER(POINTER(c_char))),
        ("m_pIsolate", c_void_p),  # POINTER(None) in bindings.py, which is c_void_p
        ("m_v8EmbedderSlot", c_uint),
        ("m_pPlatform", c_void_p),
        ("m_RendererType", c_int),  # FPDF_RENDERER_TYPE, an enum
        ("m_FontLibraryType", c_int),  # FPDF_FONT_BACKEND_TYPE, an enum
        ("m_BrotliEnabled", c_int),
        ("m_IsolatePerDocument", c_int),
    )


FPDF_DOCUMENT = POINTER(struct_fpdf_document_t__)
FPDF_PAGE = POINTER(struct_fpdf_page_t__)
FPDF_TEXTPAGE = POINTER(struct_fpdf_textpage_t__)
FPDF_PAGEOBJECT = POINTER(struct_fpdf_pageobject_t__)
FPDF_FONT = POINTER(struct_fpdf_font_t__)
FPDF_ANNOTATION = POINTER(struct_fpdf_annotation_t__)
FPDF_BOOL = c_int
FPDF_ANNOTATION_SUBTYPE = c_int
FPDF_BYTESTRING = POINTER(c_char)

# for annotations (in the fallback the handles are pypdfium2's pointer types, of the same shape)
DocumentHandle: TypeAlias = "ctypes._Pointer[struct_fpdf_document_t__]"
Page: TypeAlias = "ctypes._Pointer[struct_fpdf_page_t__]"
TextPage: TypeAlias = "ctypes._Pointer[struct_fpdf_textpage_t__]"
Font: TypeAlias = "ctypes._Pointer[struct_fpdf_font_t__]"

if sys.platform.startswith(("win32", "cygwin", "msys")):  # bindings.py's _LIB_PREFIX/_SUFFIX
    LIBRARY = "pdfium.dll"
elif sys.platform.startswith(("darwin", "ios")):
    LIBRARY = "libpdfium.dylib"
else:
    LIBRARY = "libpdfium.so"

ERRORS = {  # FPDF_GetLastError codes, worded as pypdfium2's ErrorToStr words them
    0: "Success",
    1: "Unknown error",
    2: "File access error",
    3: "Data format error",
    4: "Incorrect password error",
    5: "Unsupported security scheme error",
    6: "Page not found or content error",
}


class Api:
    """The functions the reader calls, declared as ``pypdfium2_raw/bindings.py`` declares
    them, and the constants it uses: the names of ``pypdfium2.raw``, which stands in for it."""

    FPDF_ERR_PASSWORD = 4
    FLAT_NORMALDISPLAY = 0
    FPDF_PAGEOBJ_TEXT = 1
    FPDF_PAGEOBJ_PATH = 2
    FPDF_PAGEOBJ_IMAGE = 3

    def __init__(self, lib: ctypes.CDLL) -> None:
        def fn(name: str, argtypes: tuple[Any, ...], restype: Any) -> Any:
            function = lib[name]  # AttributeError when the library lacks it
            function.argtypes, function.restype = argtypes, restype
            return function

        # bindings.py's POINTER(None) is c_void_p, its uint8_t c_ubyte
        doc, page, text, obj = FPDF_DOCUMENT, FPDF_PAGE, FPDF_TEXTPAGE, FPDF_PAGEOBJECT
        p_double, p_float = POINTER(c_double), POINTER(c_float)
        self.lib = lib
        # fpdfview.h
        self.FPDF_InitLibraryWithConfig = fn(
            "FPDF_InitLibraryWithConfig", (POINTER(struct_FPDF_LIBRARY_CONFIG_),), None
        )
        self.FPDF_LoadMemDocument64 = fn(
            "FPDF_LoadMemDocument64", (c_void_p, c_size_t, FPDF_BYTESTRING), doc
        )
        self.FPDF_GetLastError = fn("FPDF_GetLastError", (), c_ulong)
        self.FPDF_GetPageCount = fn("FPDF_GetPageCount", (doc,), c_int)
        self.FPDF_LoadPage = fn("FPDF_LoadPage", (doc, c_int), page)
        self.FPDF_GetPageWidthF = fn("FPDF_GetPageWidthF", (page,), c_float)
        self.FPDF_GetPageHeightF = fn("FPDF_GetPageHeightF", (page,), c_float)
        self.FPDF_ClosePage = fn("FPDF_ClosePage", (page,), None)
        self.FPDF_CloseDocument = fn("FPDF_CloseDocument", (doc,), None)
        # fpdf_annot.h, fpdf_flatten.h
        annot = FPDF_ANNOTATION
        self.FPDFPage_GetAnnotCount = fn("FPDFPage_GetAnnotCount", (page,), c_int)
        self.FPDFPage_GetAnnot = fn("FPDFPage_GetAnnot", (page, c_int), annot)
        self.FPDFPage_CloseAnnot = fn("FPDFPage_CloseAnnot", (annot,), None)
        self.FPDFAnnot_GetSubtype = fn("FPDFAnnot_GetSubtype", (annot,), FPDF_ANNOTATION_SUBTYPE)
        self.FPDFPage_Flatten = fn("FPDFPage_Flatten", (page, c_int), c_int)
        # fpdf_edit.h
        self.FPDFPage_CountObjects = fn("FPDFPage_CountObjects", (page,), c_int)
        self.FPDFPage_GetObject = fn("FPDFPage_GetObject", (page, c_int), obj)
        self.FPDFPageObj_GetType = fn("FPDFPageObj_GetType", (obj,), c_int)
        self.FPDFPageObj_GetBounds = fn(
            "FPDFPageObj_GetBounds", (obj, p_float, p_float, p_float, p_float), FPDF_BOOL
        )
        self.FPDFTextObj_GetFont = fn("FPDFTextObj_GetFont", (obj,), FPDF_FONT)
        self.FPDFFont_GetBaseFontName = fn(
            "FPDFFont_GetBaseFontName", (FPDF_FONT, POINTER(c_char), c_size_t), c_size_t
        )
        self.FPDFFont_GetFontData = fn(
            "FPDFFont_GetFontData",
            (FPDF_FONT, POINTER(c_ubyte), c_size_t, POINTER(c_size_t)),
            FPDF_BOOL,
        )
        # fpdf_text.h
        self.FPDFText_LoadPage = fn("FPDFText_LoadPage", (page,), text)
        self.FPDFText_ClosePage = fn("FPDFText_ClosePage", (text,), None)
        self.FPDFText_CountChars = fn("FPDFText_CountChars", (text,), c_int)
        self.FPDFText_GetUnicode = fn("FPDFText_GetUnicode", (text, c_int), c_uint)
        self.FPDFText_GetTextObject = fn("FPDFText_GetTextObject", (text, c_int), obj)
        self.FPDFText_HasUnicodeMapError = fn("FPDFText_HasUnicodeMapError", (text, c_int), c_int)
        self.FPDFText_GetFontInfo = fn(
            "FPDFText_GetFontInfo", (text, c_int, c_void_p, c_ulong, POINTER(c_int)), c_ulong
        )
        self.FPDFText_GetCharBox = fn(
            "FPDFText_GetCharBox", (text, c_int, p_double, p_double, p_double, p_double), FPDF_BOOL
        )
        self.FPDFText_GetTextIndexFromCharIndex = fn(
            "FPDFText_GetTextIndexFromCharIndex", (text, c_int), c_int
        )
        self.FPDFText_GetText = fn(
            "FPDFText_GetText", (text, c_int, c_int, POINTER(c_ushort)), c_int
        )
        self.FPDFText_CountRects = fn("FPDFText_CountRects", (text, c_int, c_int), c_int)
        self.FPDFText_GetRect = fn(
            "FPDFText_GetRect", (text, c_int, p_double, p_double, p_double, p_double), FPDF_BOOL
        )


def locate() -> Path:
    """The pdfium library inside the installed pypdfium2_raw package, which is not imported."""
    spec = find_spec("pypdfium2_raw")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        raise OSError("pypdfium2_raw is not installed")
    path = Path(folders[0]) / LIBRARY
    if not path.is_file():  # a pypdfium2 built against a system pdfium
        raise OSError(f"{path} does not exist")
    return path


def load() -> Api:
    """Our declarations over the located library, initialised as pypdfium2's
    ``_library_scope.init_lib`` does it; ``pypdfium2.raw`` when that fails."""
    try:
        api = Api(ctypes.CDLL(str(locate())))
    except (OSError, AttributeError, ValueError):  # no library, not loadable, a symbol missing
        import pypdfium2  # initialises pdfium

        fallback: Api = pypdfium2.raw
        return fallback
    config = struct_FPDF_LIBRARY_CONFIG_(
        version=2, m_pUserFontPaths=None, m_pIsolate=None, m_v8EmbedderSlot=0
    )
    api.FPDF_InitLibraryWithConfig(config)
    return api


raw = load()


class PdfiumError(RuntimeError):
    """pdfium refused a call (pypdfium2's ``PdfiumError``, same messages); ``err_code`` is
    FPDF_GetLastError's code where opening a document failed."""

    def __init__(self, message: str, err_code: int | None = None) -> None:
        super().__init__(message)
        self.err_code = err_code


class Document:
    """A PDF opened from bytes, as ``pypdfium2.PdfDocument(data, password=...)`` opens it;
    close it (or use ``with``): nothing closes it behind the caller's back."""

    def __init__(self, data: bytes, password: str | None = None) -> None:
        key = None if password is None else (password + "\x00").encode("utf-8")
        handle = raw.FPDF_LoadMemDocument64(data, len(data), key)
        pages: int = raw.FPDF_GetPageCount(handle)  # 0 for a NULL handle
        if pages < 1:
            code: int = raw.FPDF_GetLastError()
            if handle:  # it opened, but has no pages
                raw.FPDF_CloseDocument(handle)
            reason = ERRORS.get(code, f"Unhandled constant {code}")
            raise PdfiumError(f"Failed to load document (PDFium: {reason}).", err_code=code)
        self.raw: DocumentHandle | None = handle
        self.pages = pages
        # pdfium reads the caller's buffer in place, never copying it: it must outlive the handle
        self.data = data
        self._rendering: Any = None  # the pypdfium2 document over the same handle, once made

    def __len__(self) -> int:
        return self.pages

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def load_page(self, index: int) -> Page:
        """Page ``index`` (0-based), to be closed with ``raw.FPDF_ClosePage``."""
        page: Page = raw.FPDF_LoadPage(self.raw, index)  # NULL as well once closed
        if not page:
            raise PdfiumError("Failed to load page.")
        return page

    def for_rendering(self) -> Any:
        """This very document as a ``pypdfium2.PdfDocument``, for OCR's page rendering (which
        imports pypdfium2 only then): pages the reader flattened stay flattened, as before.
        From then on pypdfium2 owns the handle, and :meth:`close` closes it through it."""
        if self._rendering is None:
            import pypdfium2

            assert self.raw is not None, "the document is closed"
            handle = ctypes.cast(self.raw, pypdfium2.raw.FPDF_DOCUMENT)
            self._rendering = pypdfium2.PdfDocument(handle)
        return self._rendering

    def close(self) -> None:
        if self.raw is None:
            return
        if self._rendering is not None:
            self._rendering.close()
        else:
            raw.FPDF_CloseDocument(self.raw)
        self.raw = None


def count_chars(textpage: TextPage) -> int:
    """pypdfium2's ``PdfTextPage.count_chars``."""
    count: int = raw.FPDFText_CountChars(textpage)
    if count == -1:
        raise PdfiumError("Failed to get character count.")
    return count


def text_range(textpage: TextPage, index: int, count: int) -> str:
    """pypdfium2's ``PdfTextPage.get_text_range(index, count)``, step for step: chars that
    have no text index (pdfium excludes them from its text) are first trimmed off both ends,
    or pdfium would read past the range (pypdfium2 issue 261)."""
    to_text = raw.FPDFText_GetTextIndexFromCharIndex
    first, last = index, index + count - 1
    while first <= last and (t_first := to_text(textpage, first)) == -1:
        first += 1
    while first <= last and (t_last := to_text(textpage, last)) == -1:
        last -= 1
    if first > last:
        return ""
    size = t_last + 2 - t_first  # the chars, plus the NUL pdfium writes
    buffer = (c_ushort * size)()
    written: int = raw.FPDFText_GetText(textpage, first, last - first + 1, buffer)
    assert size >= written, f"Buffer too small: {size} vs {written}"
    return decode(memoryview(buffer)[: written - 1], "utf-16-le", errors="ignore")
