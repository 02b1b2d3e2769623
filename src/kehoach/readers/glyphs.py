"""Glyph-id repair: a garbled PDF text layer mapped back to letters through the fonts' tables.

Two breakages are repaired, each detected per character or per font, never per file:

* **CID fonts without ToUnicode** (Ghostscript re-distilling, DOMAIN §1.7): pdfium reports a
  mapping error and returns the CID, which is the glyph id (``Identity`` CIDToGIDMap), so
  ``S`` reads ``6`` and ``Ở`` reads ``Ӣ``. The subset program has no ``cmap``; the full copy
  of the same font embedded elsewhere in the PDF does, and :func:`.truetype.same_glyphs`
  checks that the subset's outlines are the full font's under the same ids before its
  ``cmap`` is used. Without such a sibling only the ASCII block is certain (glyph id + 29 in
  the Macintosh standard order every TrueType font starts with); anything else stays
  unrepaired and the page goes to OCR.
* **Simple TrueType fonts read as Mac Roman**: Word's WinAnsi subsets without an
  ``/Encoding`` come out of pdfium as ``L‡o Cai``, ``th·ng``; re-encoding the font's chars as
  Mac Roman and decoding them as cp1252 gives ``Lào Cai``. Applied to a font only when that
  turns its non-ASCII chars into Vietnamese letters and the original reading did not.

The repaired text keeps one char per pdfium char, so the caller's char indices (boxes, line
spans) stay valid.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from dataclasses import dataclass, field

from .. import patterns
from . import glyph_order, truetype
from .pdfium import Document, Font, TextPage
from .pdfium import raw as pdfium_c

ASCII_SHIFT = 29  # glyph 3 is the space in the Macintosh standard order: chr(gid + 29)
UNREPAIRED_SHARE = 0.005  # more unmapped chars than this and the page goes to OCR
LATIN1_VIET = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Mac Roman chars that sit inside words when a cp1252 font is read as Mac Roman
MAC_SIGNS = patterns.compile(r"[^\W\d_][‡·˙˝˘‚„ı‘“ÙÍÛÏÌÈ]|[‡·˙˝˘‚„ı][^\W\d_]")
MAC_CHARS = patterns.compile(r"[‡·˙˝˘‚„ı‘“ÙÍÛÏÌÈ]")  # in every MAC_SIGNS match; a fast first look
Key = tuple[bytes, int]  # (base font name, program size)


@dataclass(slots=True)
class FontRecord:
    name: bytes
    font: truetype.Font | None
    mapping: dict[int, str] | None = None  # glyph id → char, once a source was found
    mac_roman: bool = False  # proven read as Mac Roman on some page: so on every page


@dataclass(slots=True)
class GlyphRepair:
    """Per-document state: the fonts seen and how each is read back."""

    doc: Document
    fonts: dict[Key, FontRecord] = field(default_factory=dict)
    _scanned: bool = False

    def fix(self, raw: TextPage, text: str) -> str | None:
        """``text`` with broken chars replaced; None when too much cannot be mapped."""
        chars = list(text)
        by_font: dict[Key, list[int]] = defaultdict(list)
        errors: dict[Key, list[int]] = defaultdict(list)
        for i in range(len(chars)):
            key = self._font_key(raw, i)
            if key is None:
                continue
            by_font[key].append(i)
            if pdfium_c.FPDFText_HasUnicodeMapError(raw, i):
                errors[key].append(i)
        missing = 0
        for key, indices in by_font.items():
            record = self.fonts[key]
            record.mac_roman = _fix_mac_roman(raw, indices, chars, record.font, record.mac_roman)
            if not record.mac_roman and errors.get(key):
                missing += self._fix_cids(key, raw, errors[key], chars)
        if missing > UNREPAIRED_SHARE * max(len(chars), 1):
            return None
        return "".join(chars)

    def font_maps(self) -> dict[str, dict[int, str]]:
        """base font name → glyph id map, for the table finder's ``(cid:N)`` chars."""
        return {
            r.name.decode("latin-1"): r.mapping for r in self.fonts.values() if r.mapping
        }

    def _font_key(self, raw: TextPage, i: int) -> Key | None:
        obj = pdfium_c.FPDFText_GetTextObject(raw, i)
        if not obj:
            return None
        return self._record(pdfium_c.FPDFTextObj_GetFont(obj))

    def _record(self, handle: Font) -> Key | None:
        if not handle:
            return None
        name = ctypes.create_string_buffer(128)
        pdfium_c.FPDFFont_GetBaseFontName(handle, name, len(name))
        size = ctypes.c_size_t()
        pdfium_c.FPDFFont_GetFontData(handle, None, 0, ctypes.byref(size))
        key = (name.value, size.value)
        if key not in self.fonts:
            data = (ctypes.c_uint8 * size.value)()
            pdfium_c.FPDFFont_GetFontData(handle, data, size.value, ctypes.byref(size))
            self.fonts[key] = FontRecord(name.value, truetype.parse(bytes(data)))
        return key

    def _fix_cids(self, key: Key, raw: TextPage, indices: list[int], chars: list[str]) -> int:
        """Map glyph ids of one font in place; returns how many stayed unmapped."""
        gids = {i: pdfium_c.FPDFText_GetUnicode(raw, i) for i in indices}
        mapping = self._mapping(key, sorted(set(gids.values())))
        missing = 0
        for i, gid in gids.items():
            char = mapping.get(gid)
            if char is None:
                missing += 1
            else:
                chars[i] = char
        return missing

    def _mapping(self, key: Key, gids: list[int]) -> dict[int, str]:
        record = self.fonts[key]
        if record.mapping is None or any(g not in record.mapping for g in gids):
            record.mapping = self._sibling_map(record, gids) or self._derived_map(record, gids)
        return record.mapping

    def _derived_map(self, record: FontRecord, gids: list[int]) -> dict[int, str]:
        # every glyph of every subset sharing this glyph order: a subset keeps only the glyphs
        # used, and more composites make the block offset and the marks surer
        font = record.font
        if font is None:
            return _ascii_map(gids)
        self._scan_document()
        family = [
            r.font
            for r in self.fonts.values()
            if r.font is not None
            and r.font.glyph_count == font.glyph_count
            and not r.font.unicode_of
            and _family(r.name) == _family(record.name)
        ]
        return glyph_order.derive(family or [font], times=b"TimesNewRoman" in record.name)

    def _sibling_map(self, record: FontRecord, gids: list[int]) -> dict[int, str] | None:
        """The cmap of a full copy of this font in the document, checked outline by outline."""
        if record.font is None:
            return None
        self._scan_document()
        for other in self.fonts.values():
            full = other.font
            if full is None or not full.unicode_of or other is record:
                continue
            if _ps_name(other.name) == _ps_name(record.name) and truetype.same_glyphs(
                record.font, full, gids
            ):
                return full.unicode_of
        return None

    def _scan_document(self) -> None:
        """Register every font of every page once: the full copy may sit on another page."""
        if self._scanned:
            return
        self._scanned = True
        for index in range(len(self.doc)):
            page = self.doc.load_page(index)
            try:
                for i in range(pdfium_c.FPDFPage_CountObjects(page)):
                    obj = pdfium_c.FPDFPage_GetObject(page, i)
                    if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
                        self._record(pdfium_c.FPDFTextObj_GetFont(obj))
            finally:
                pdfium_c.FPDF_ClosePage(page)


def _ps_name(name: bytes) -> bytes:
    """``KERPTY+TimesNewRomanPSMT`` → ``TimesNewRomanPSMT``."""
    return name.split(b"+", 1)[1] if name[6:7] == b"+" else name


def _family(name: bytes) -> bytes:
    """``KERPTY+TimesNewRomanPS-BoldMT`` → ``TimesNewRomanPS``: weights share a glyph order."""
    return _ps_name(name).split(b"-")[0].removesuffix(b"MT")


def _ascii_map(gids: list[int]) -> dict[int, str]:
    return {g: chr(g + ASCII_SHIFT) for g in gids if 3 <= g <= 97}


def _fix_mac_roman(
    raw: TextPage,
    indices: list[int],
    chars: list[str],
    font: truetype.Font | None,
    proven: bool,
) -> bool:
    """Re-read one font's chars as cp1252 when pdfium read them as Mac Roman (see above).

    The test compares Vietnamese letters before and after: ``Ù``, ``Í`` are letters in both
    readings, so the new reading must win clearly, not merely be mostly letters."""
    high = [i for i in indices if ord(chars[i]) > 0x7F]
    if not high:
        return proven
    fixed = {i: _cp1252(raw, i, chars[i], font) for i in high}
    before = sum(chars[i] in LATIN1_VIET for i in high)
    after = sum(c in LATIN1_VIET for c in fixed.values() if c)
    if not proven and (after < 0.8 * len(high) or after <= before + 0.1 * len(high)):
        return False
    for i, char in fixed.items():
        if char:
            chars[i] = char
    return True


def _cp1252(raw: TextPage, i: int, char: str, font: truetype.Font | None) -> str | None:
    """The WinAnsi char behind pdfium's Mac Roman reading: through the glyph when the program
    has both Mac and symbol cmaps (Word's subsets do), else byte for byte."""
    try:
        if pdfium_c.FPDFText_HasUnicodeMapError(raw, i):  # pdfium gave up: the code itself
            code = ord(char) if ord(char) < 0x100 else -1
        else:
            code = char.encode("mac_roman")[0]
            if font is not None and code in font.mac and font.mac[code] in font.symbol:
                code = font.symbol[font.mac[code]]
        return bytes([code]).decode("cp1252") if 0 <= code < 0x100 else None
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


CID_TEXT = patterns.compile(r"\(cid:(\d+)\)")


def repair_chars(chars: list[dict[str, object]], maps: dict[str, dict[int, str]]) -> None:
    """Map pdfminer's ``(cid:N)`` chars (pdfplumber's table finder) through the font maps."""
    for char in chars:
        text = char.get("text")
        found = CID_TEXT.fullmatch(text) if isinstance(text, str) else None
        mapping = maps.get(str(char.get("fontname")))
        if found and mapping and int(found[1]) in mapping:
            char["text"] = mapping[int(found[1])]


def needs_repair(text: str) -> bool:
    """A cheap look for the Mac Roman misreading in an otherwise readable page: three
    ``MAC_SIGNS`` matches, as ``findall`` counts them.

    Every match is two chars with a ``MAC_CHARS`` char first or second, so it is only tried
    where one stands, in order and never inside the previous match: the same matches as
    ``findall``, whose scan of every position cost 20 µs a page wherever one (a “, an Í) stood.
    """
    found = 0
    end = 0  # where the last match ended
    for mac in MAC_CHARS.finditer(text):
        at = mac.start()
        for start in (at - 1, at):
            sign = MAC_SIGNS.match(text, start) if start >= end else None
            if sign:
                found += 1
                if found == 3:
                    return True
                end = sign.end()
                break
    return False
