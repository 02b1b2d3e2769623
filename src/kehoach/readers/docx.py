"""DOCX: the body's paragraphs and tables in order, with Word's automatic numbers put back.

Guarantees of :func:`read_docx`, which the later stages rely on:

- only the main body is read: page headers, footers, footnote and comment texts never appear,
  and footnote/endnote reference marks are dropped so ``khoáng sản¹`` reads ``khoáng sản``;
- the text is what Word displays: tracked insertions and moves-to kept, deletions and
  moves-from dropped, hidden runs dropped, field results kept and field instructions dropped;
- automatic list labels (``I.``, ``1.``, ``a)``, ``1.2.``) are prepended from numbering.xml,
  bullets become ``-`` (or ``+`` when Word's bullet is a plus sign);
- a tab becomes two spaces so that ``Số: 12/KH-UBND<tab>Lào Cai, ngày …`` stays splittable on
  2+ spaces; no-break spaces become spaces; text is NFC; trailing whitespace is stripped;
- a line break inside a paragraph starts a new :class:`Line` with ``gap=False``;
- merged table cells repeat the text of their origin, so every row is as wide as the table.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.package import Package
from lxml import etree

from ..errors import ReadError
from ..legacy import repair
from .base import Block, Line, RawDocument, Table
from .docx_numbering import Numberer, NumberingDefs, Styles, list_label, toggle, w, w_val

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
ALTERNATE = f"{{{MC_NS}}}AlternateContent"
TXBX = w("txbxContent")
# Elements under a paragraph whose text Word does not display, or that carry no text at all.
SKIPPED = frozenset(
    w(tag) for tag in ("pPr", "rPr", "del", "moveFrom", "sdtPr", "sdtEndPr", "customXmlPr")
)
NO_TEXT_RUN_CHILDREN = frozenset(
    w(tag)
    for tag in (
        "rPr", "instrText", "delText", "delInstrText", "footnoteReference", "endnoteReference",
        "footnoteRef", "endnoteRef", "annotationRef", "commentReference", "separator",
        "continuationSeparator", "lastRenderedPageBreak",
    )
)  # fmt: skip
CHAR_OF = {w("tab"): "\t", w("ptab"): "\t", w("noBreakHyphen"): "-", w("softHyphen"): "\u00ad"}


def read_docx(data: bytes, name: str) -> RawDocument:
    main = _open(data, name)
    root = _root(main)
    body = None if root is None else root.find(w("body"))
    if body is None:
        raise ReadError(f"{name}: not a Word document (no document body)")
    styles = Styles(_related_root(main, RT.STYLES))
    numberer = Numberer(NumberingDefs.from_xml(_related_root(main, RT.NUMBERING)))
    walker = BodyWalker(styles, numberer)
    walker.blocks(body)
    if not any(_has_text(block) for block in walker.out):
        raise ReadError(f"{name}: the document has no text")
    return RawDocument(
        name=name, format="docx", sha256=hashlib.sha256(data).hexdigest(), blocks=walker.out
    )


def _open(data: bytes, name: str) -> Any:
    """The main document part. python-docx parses every XML part on load, so any damage
    surfaces here. Going below ``docx.Document`` also admits .docm/.dotx, which it refuses."""
    try:
        return Package.open(io.BytesIO(data)).main_document_part
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise ReadError(f"{name}: damaged or truncated DOCX ({_one_line(err)})") from None
    except KeyError as err:
        raise ReadError(f"{name}: not a complete DOCX (missing part {_one_line(err)})") from None
    except etree.XMLSyntaxError as err:
        raise ReadError(f"{name}: corrupt XML inside the DOCX ({_one_line(err)})") from None
    except (PackageNotFoundError, ValueError, OSError) as err:
        raise ReadError(f"{name}: not a readable DOCX ({_one_line(err)})") from None


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()).strip("'\"")
    return text[:200] or type(err).__name__


def _related_root(main: Any, reltype: str) -> Any | None:
    """Root element of the styles or numbering part, or None when the file has none."""
    try:
        return _root(main.part_related_by(reltype))
    except KeyError:
        return None


def _root(part: Any) -> Any | None:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    try:  # a part python-docx has no class for (a .docm body, say): it kept only the bytes
        return etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return None


def _has_text(block: Block) -> bool:
    if isinstance(block, Line):
        return bool(block.text.strip())
    return any(cell.strip() for row in block.rows for cell in row)


@dataclass(slots=True)
class ParaText:
    """A paragraph as displayed: lines of (text, bold, italic) pieces, plus its text boxes."""

    lines: list[list[tuple[str, bool, bool]]] = field(default_factory=lambda: [[]])
    boxes: list[Any] = field(default_factory=list)

    def add(self, text: str, bold: bool, italic: bool) -> None:
        # per run: a TCVN3/VNI run inside a Unicode paragraph (kehoach.legacy)
        self.lines[-1].append((repair(text), bold, italic))


def clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\t", "  ").replace("\u00a0", " ")).rstrip()


def _flags(pieces: list[tuple[str, bool, bool]]) -> tuple[bool, bool]:
    """(bold, italic) for the whole line: true only when every visible piece has it."""
    visible = [(b, i) for text, b, i in pieces if text.strip()]
    return (
        bool(visible) and all(b for b, _ in visible),
        bool(visible) and all(i for _, i in visible),
    )


class BodyWalker:
    """Walks the body once, in order; fields and list counters run across the whole body."""

    def __init__(self, styles: Styles, numberer: Numberer) -> None:
        self.styles = styles
        self.numberer = numberer
        self.out: list[Block] = []
        self.counter = 0
        self.tables = 0
        self.fields: list[bool] = []  # one per open complex field: True once past 'separate'

    # -- body level -------------------------------------------------------------------------

    def blocks(self, container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == w("p"):
                self._emit_paragraph(child)
            elif child.tag == w("tbl"):
                self.counter += 1
                self.tables += 1
                self.out.append(Table(self.table_rows(child), line=self.counter, index=self.tables))
            elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
                self.blocks(child)

    def _emit_paragraph(self, p: Any) -> None:
        para, style_id = self.paragraph(p)
        label = self._label(p, style_id)
        texts = [clean("".join(t for t, _, _ in pieces)) for pieces in para.lines]
        shown = [i for i, t in enumerate(texts) if t.strip()]
        if shown:
            if label:
                texts[shown[0]] = f"{label} {texts[shown[0]].lstrip()}"
            self.counter += 1
            heading = self.styles.heading(style_id)
            first = True
            for text, pieces in zip(texts, para.lines, strict=True):
                if text.strip():
                    bold, italic = _flags(pieces)
                    self.out.append(
                        Line(
                            text, self.counter, gap=first, bold=bold, heading=heading, italic=italic
                        )
                    )
                    first = False
        for box in para.boxes:  # after the paragraph that anchors them, as their own lines
            self.blocks(box)

    # -- paragraphs -------------------------------------------------------------------------

    def paragraph(self, p: Any) -> tuple[ParaText, str | None]:
        style_id = w_val(p.find(w("pPr")), "pStyle") or self.styles.default_paragraph
        para = ParaText()
        self._inline(p, para, style_id)
        return para, style_id

    def _label(self, p: Any, style_id: str | None) -> str:
        """The list label of ``p``; advances the counters, so call it once per paragraph."""
        return list_label(p.find(w("pPr")), style_id, self.styles, self.numberer)

    def _inline(self, el: Any, para: ParaText, style_id: str | None) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == w("r"):
                self._run(child, para, style_id)
            elif tag == ALTERNATE or tag in (w("drawing"), w("pict"), w("object")):
                para.boxes.extend(_text_boxes(child))
            elif tag == MATH_T and self._shown():
                para.add(child.text or "", False, False)
            elif isinstance(tag, str) and tag not in SKIPPED:
                # ins, moveTo, hyperlink, fldSimple, smartTag, sdt, dir, bdo, oMath …
                self._inline(child, para, style_id)

    def _shown(self) -> bool:
        return all(self.fields)

    def _run(self, r: Any, para: ParaText, style_id: str | None) -> None:
        rpr = r.find(w("rPr"))
        hidden = bool(toggle(rpr, "vanish"))
        bold, italic = self._run_flags(rpr, style_id)
        for child in r.iterchildren():
            tag = child.tag
            if tag == w("fldChar"):
                self._field(child.get(w("fldCharType")))
            elif tag in NO_TEXT_RUN_CHILDREN or hidden or not self._shown():
                continue
            elif tag == w("t"):
                para.add(child.text or "", bold, italic)
            elif tag in CHAR_OF:
                para.add(CHAR_OF[tag], bold, italic)
            elif tag in (w("br"), w("cr")):
                para.lines.append([])
            elif tag == w("sym"):
                para.add(_symbol(child.get(w("char"))), bold, italic)
            elif tag == ALTERNATE or tag in (w("drawing"), w("pict"), w("object")):
                para.boxes.extend(_text_boxes(child))

    def _field(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(False)
        elif kind == "separate" and self.fields:
            self.fields[-1] = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _run_flags(self, rpr: Any, style_id: str | None) -> tuple[bool, bool]:
        char_style = w_val(rpr, "rStyle")
        out = []
        for attr, tag, default in (
            ("bold", "b", self.styles.default_bold),
            ("italic", "i", self.styles.default_italic),
        ):
            value = toggle(rpr, tag)
            if value is None:
                value = self.styles.first(char_style, attr)
            if value is None:
                value = self.styles.first(style_id, attr)
            out.append(default if value is None else bool(value))
        return out[0], out[1]

    # -- tables -----------------------------------------------------------------------------

    def table_rows(self, tbl: Any) -> list[list[str]]:
        rows: list[list[str]] = []
        above: list[str] = []
        for tr in _children(tbl, w("tr")):
            trpr = tr.find(w("trPr"))
            row = [""] * _int_val(trpr, "gridBefore", 0)
            for tc in _children(tr, w("tc")):
                row.extend(self._cell(tc, row, above))
            row.extend([""] * _int_val(trpr, "gridAfter", 0))
            rows.append(row)
            above = row
        width = max((len(row) for row in rows), default=0)
        for row in rows:
            row.extend([""] * (width - len(row)))
        return rows

    def _cell(self, tc: Any, row: list[str], above: list[str]) -> list[str]:
        tcpr = tc.find(w("tcPr"))
        span = max(_int_val(tcpr, "gridSpan", 1), 1)
        vmerge = None if tcpr is None else tcpr.find(w("vMerge"))
        if vmerge is not None and vmerge.get(w("val"), "continue") == "continue":
            col = len(row)
            return [above[col] if col < len(above) else ""] * span
        if (w_val(tcpr, "hMerge") or "") == "continue":  # pre-2007 horizontal merge
            return [row[-1] if row else ""] * span
        return ["\n".join(self.container_text(tc)).strip()] * span

    def container_text(self, container: Any) -> list[str]:
        """Cell (or text-box) content as text lines: each paragraph with its label."""
        out: list[str] = []
        for child in container.iterchildren():
            if child.tag == w("p"):
                para, style_id = self.paragraph(child)
                label = self._label(child, style_id)
                text = "\n".join(clean("".join(t for t, _, _ in pieces)) for pieces in para.lines)
                text = text.strip("\n")
                text = f"{label} {text.lstrip()}".rstrip() if label else text
                if text.strip():
                    out.append(text)
                for box in para.boxes:
                    out.extend(self.container_text(box))
            elif child.tag == w("tbl"):  # a nested table: one line per row
                for row in self.table_rows(child):
                    out.append("  ".join(_dedupe(cell for cell in row if cell)))
            elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
                out.extend(self.container_text(child))
        return out


def _children(el: Any, tag: str) -> list[Any]:
    """Children named ``tag``, looking through content controls that may wrap rows or cells."""
    out: list[Any] = []
    for child in el.iterchildren():
        if child.tag == tag:
            out.append(child)
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            out.extend(_children(child, tag))
    return out


def _int_val(el: Any, tag: str, default: int) -> int:
    value = w_val(el, tag)
    return int(value) if value and value.isdigit() else default


def _dedupe(cells: Any) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if not out or out[-1] != cell:
            out.append(cell)
    return out


def _symbol(code: str | None) -> str:
    """A w:sym character; symbol-font glyphs live in the private-use area and mean nothing."""
    try:
        char = chr(int(code or "", 16))
    except ValueError:
        return ""
    return "" if 0xE000 <= ord(char) <= 0xF8FF else char


def _text_boxes(el: Any) -> list[Any]:
    """Outermost w:txbxContent under a drawing, taking one branch of mc:AlternateContent.

    Word writes a shape twice (DrawingML in mc:Choice, VML in mc:Fallback); reading both would
    double every text box.
    """
    if el.tag == ALTERNATE:
        for branch in el.iterchildren():
            found = _text_boxes(branch)
            if found:
                return found
        return []
    boxes = list(el.iter(TXBX))
    inner = {id(child) for box in boxes for child in box.iter(TXBX) if child is not box}
    return [box for box in boxes if id(box) not in inner]
