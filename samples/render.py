"""Render the sample plans as DOCX and PDF laid out like real ones.

``python samples/render.py`` turns each ``samples/*.txt|md`` into ``samples/<stem>.docx``
(python-docx) and then ``samples/<stem>.pdf`` (LibreOffice). The sample texts are split with
simple rules of their own, deliberately not with kehoach: the files exist to check the parser.

- lines before the type line ``KẾ HOẠCH`` are the header; a run of 3+ spaces splits the columns;
- lines after it, up to a rule (``---``), are the title;
- lines from ``Nơi nhận`` up to ``PHỤ LỤC`` are the signature block, split the same way;
- ``PHỤ LỤC``, its title, the ``(Kèm theo …)`` line and a markdown pipe table are the appendix.

Output is deterministic: the DOCX gets fixed core properties and zip entry dates, the PDF a
fixed creation date and file ID (same bytes for the same LibreOffice version and fonts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
COLUMNS = re.compile(r"\s{3,}")
RULE = re.compile(r"^-{3,}$")
ROMAN = re.compile(r"^[IVXLC]+\s*[.-]\s")
INLINE = re.compile(r"(\*\*.+?\*\*|\*.+?\*)")  # bold or italic spans of markdown
ALIGN = WD_ALIGN_PARAGRAPH
LEFT, CENTER, JUSTIFY = ALIGN.LEFT, ALIGN.CENTER, ALIGN.JUSTIFY


@dataclass
class Plan:
    header: list[tuple[str, str]] = field(default_factory=list)  # (left, right) per line
    doc_type: str = ""
    title: list[str] = field(default_factory=list)
    rule: str = ""  # the rule under the title as written ('-----'), '' for a drawn one
    body: list[str] = field(default_factory=list)
    signature: list[tuple[str, str]] = field(default_factory=list)
    appendix: list[str] = field(default_factory=list)  # lines before the table
    table: list[list[str]] = field(default_factory=list)


# -- reading the sample text ------------------------------------------------------------------


def plain(text: str) -> str:
    """The text without markdown cues (``#``, ``**``, ``*``)."""
    return re.sub(r"^#+\s*", "", text).replace("**", "").replace("*", "").strip()


def columns(line: str) -> tuple[str, str]:
    """(left, right) of a two-column line; a line that starts with spaces is right only."""
    if re.match(r"\s{3,}\S", line):
        return "", line.strip()
    parts = COLUMNS.split(line.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def read_plan(text: str) -> Plan:
    plan = Plan()
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if plain(line) == "KẾ HOẠCH")
    plan.header = [columns(line) for line in lines[:i] if line.strip()]
    plan.doc_type = plain(lines[i])
    rest = lines[i + 1 :]
    end = next(n for n, line in enumerate(rest) if RULE.match(line.strip()))
    plan.title = [line for line in rest[:end] if line.strip()]
    plan.rule = rest[end].strip() if len(rest[end].strip()) != 3 else ""  # '---' is markdown's
    rest = rest[end + 1 :]
    sign = next(n for n, line in enumerate(rest) if plain(line).startswith("Nơi nhận"))
    annex = next((n for n, line in enumerate(rest) if plain(line) == "PHỤ LỤC"), len(rest))
    plan.body = [line.strip() for line in rest[:sign] if line.strip()]
    plan.signature = [columns(line) for line in rest[sign:annex] if line.strip()]
    for line in rest[annex:]:
        if line.startswith("|"):
            cells = [plain(c) for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                plan.table.append(cells)
        elif line.strip():
            plan.appendix.append(line.strip())
    return plan


# -- writing the DOCX -------------------------------------------------------------------------


def runs(
    p: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    underline: bool = False,
) -> Paragraph:
    """Add ``text`` to ``p``, turning markdown ``**…**`` / ``*…*`` spans into bold/italic runs."""
    text = re.sub(r"^#+\s*", "", text)
    for piece in INLINE.split(text):
        if not piece:
            continue
        marked = INLINE.fullmatch(piece) is not None  # a lone '*' (Party header) is text
        strong, emph = marked and piece.startswith("**"), marked and not piece.startswith("**")
        run = p.add_run(piece.strip("*") if marked else piece)
        run.bold = bold or strong or None
        run.italic = italic or emph or None
        run.underline = underline or None
        if size:
            run.font.size = Pt(size)
    return p


def para(
    where: DocxDocument | _Cell,
    text: str = "",
    align: int = LEFT,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    underline: bool = False,
    indent: bool = False,
    after: float = 0,
) -> Paragraph:
    """A new paragraph; in a cell still holding only its own empty paragraph, that one."""
    fresh = isinstance(where, _Cell) and len(where.paragraphs) == 1 and not where.paragraphs[0].runs
    p = where.paragraphs[0] if fresh else where.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    return runs(p, text, bold=bold, italic=italic, size=size, underline=underline)


def sized(table: Table, widths: list[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word does)."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for c, width in zip(row.cells, widths, strict=True):
            c.width = Cm(width)


def setup(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    props = doc.core_properties
    props.author = props.last_modified_by = "kehoach"
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    props.title, props.comments = "", ""


def header(doc: DocxDocument, plan: Plan) -> None:
    """Issuer left / motto right, then 'Số …' left and the italic place-date right."""
    number = next(n for n, (left, _) in enumerate(plan.header) if plain(left).startswith("Số"))
    lefts = [left for left, _ in plan.header[:number] if left]
    rights = [right for _, right in plan.header[:number] if right]
    table = doc.add_table(rows=2, cols=2)
    sized(table, [7.0, 9.5])
    marked = any("**" in left for left in lefts)  # markdown says which lines are bold
    for n, line in enumerate(lefts):  # plain text: the issuer itself (last before '*') is bold
        bold = not marked and line != "*" and (n + 1 == len(lefts) or lefts[n + 1] == "*")
        para(table.cell(0, 0), line, CENTER, bold=bold, size=13)
    for n, line in enumerate(rights):  # the national motto / Party title, then its slogan
        para(table.cell(0, 1), line, CENTER, bold=True, size=12 if n == 0 else 14, underline=n > 0)
    left, right = plan.header[number]
    para(table.cell(1, 0), left, CENTER, size=13)
    para(table.cell(1, 1), plain(right), CENTER, italic=True)


def title(doc: DocxDocument, plan: Plan) -> None:
    para(doc, "", after=6)
    para(doc, plan.doc_type, CENTER, bold=True)
    for line in plan.title:
        para(doc, plain(line), CENTER, bold=True)
    if plan.rule:
        para(doc, plan.rule, CENTER, after=12)
    else:  # a short drawn line, as Word users make it: a bottom border on a narrow paragraph
        p = para(doc, "", CENTER, after=12)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(6.5)
        borders = OxmlElement("w:pBdr")
        edge = {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "auto"}
        borders.append(OxmlElement("w:bottom", {qn(k): v for k, v in edge.items()}))
        p._p.get_or_add_pPr().append(borders)


def body(doc: DocxDocument, plan: Plan) -> None:
    for line in plan.body:
        heading = bool(ROMAN.match(plain(line)))
        para(doc, line, JUSTIFY, bold=heading, indent=True, after=6)


def signature(doc: DocxDocument, plan: Plan) -> None:
    """'Nơi nhận:' and its '- X;' lines left; authority, position, blank lines, name right."""
    lefts = [left for left, _ in plan.signature if left]
    rights = [right for _, right in plan.signature if right]
    para(doc, "")
    table = doc.add_table(rows=1, cols=2)
    sized(table, [8.0, 8.0])
    keep = OxmlElement("w:cantSplit")  # the signature block never breaks across pages
    table.rows[0]._tr.get_or_add_trPr().append(keep)
    left, right = table.cell(0, 0), table.cell(0, 1)
    para(left, plain(lefts[0]), bold=True, italic=True, size=12)
    for line in lefts[1:]:
        para(left, plain(line), size=11)
    for line in rights[:-1]:
        para(right, plain(line), CENTER, bold=True)
    for _ in range(4):
        para(right, "")
    para(right, plain(rights[-1]), CENTER, bold=True)


def appendix(doc: DocxDocument, plan: Plan) -> None:
    """A landscape section: heading lines, then the bordered task table."""
    if not plan.appendix:
        return
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for line in plan.appendix:
        italic = plain(line).startswith("(")
        para(doc, plain(line), CENTER, bold=not italic, italic=italic, after=6 if italic else 0)
    width = len(plan.table[0])
    table = doc.add_table(rows=len(plan.table), cols=width)
    table.style = doc.styles["Table Grid"]
    first = [1.5, 9.0, 5.0, 5.0, 4.0]
    sized(table, first[:width] + [2.5] * (width - len(first)))  # before merging: sums widths
    for n, (row, cells) in enumerate(zip(table.rows, plan.table, strict=True)):
        group = n > 1 and bool(re.fullmatch(r"[IVXLC]+", cells[0])) and not any(cells[2:])
        if group:  # a Roman group row: the title cell spans the rest of the row
            row.cells[1].merge(row.cells[-1])
            para(row.cells[0], cells[0], CENTER, bold=True, size=12)
            para(row.cells[1], cells[1], bold=True, size=12)
            continue
        for k, text in enumerate(cells):
            align = LEFT if n > 1 and k in (1, 2, 3) else CENTER
            para(row.cells[k], text, align, bold=n == 0, italic=n == 1, size=12)


def render_docx(plan: Plan) -> bytes:
    doc = Document()
    setup(doc)
    header(doc, plan)
    title(doc, plan)
    body(doc, plan)
    signature(doc, plan)
    appendix(doc, plan)
    raw = io.BytesIO()
    doc.save(raw)
    return restamp(raw.getvalue())


def restamp(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so that equal content gives equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# -- PDF through LibreOffice ------------------------------------------------------------------


def to_pdf(docx: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("render.py: LibreOffice (soffice) is needed for the PDFs")
    with tempfile.TemporaryDirectory(prefix="kehoach-render-") as tmp:
        profile = f"-env:UserInstallation={Path(tmp).as_uri()}"  # private: no lock contention
        command = [soffice, profile, "--headless", "--norestore", "--convert-to", "pdf",
                   "--outdir", str(docx.parent), str(docx)]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    pdf = docx.with_suffix(".pdf")
    pdf.write_bytes(settle(pdf.read_bytes()))
    return pdf


def settle(data: bytes) -> bytes:
    """Fix what LibreOffice takes from the clock: the creation date, and in the trailer the
    file ID and checksum. Each gets text of the same length, so the xref offsets stay valid."""
    data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20260101000000", data)
    cut = data.rindex(b"trailer")
    head, tail = data[:cut], data[cut:]
    hexes = re.compile(rb"([</])[0-9A-F]{32}\b")
    digest = hashlib.md5(head + hexes.sub(rb"\1", tail)).hexdigest().upper().encode()
    return head + hexes.sub(lambda m: m[1] + digest, tail)


def main() -> None:
    sources = sorted(p for p in HERE.iterdir() if p.suffix in (".txt", ".md"))
    for source in sources:
        target = source.with_suffix(".docx")
        target.write_bytes(render_docx(read_plan(source.read_text(encoding="utf-8"))))
        pdf = to_pdf(target)
        for made in (target, pdf):
            print(f"{made.relative_to(HERE.parent)}: {made.stat().st_size} bytes")


if __name__ == "__main__":
    main()
