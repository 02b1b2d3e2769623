"""The DOCX reader's own package reading (no python-docx on the way in) and run properties.

python-docx only builds the fixtures here; the reader itself must not import it.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from kehoach.errors import ReadError
from kehoach.readers.base import Line
from kehoach.readers.docx import read_docx

W = nsdecls("w")
DOC_RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"


def plan() -> Any:
    document = docx.Document()
    document.add_paragraph("Mục tiêu", style="Heading 1")
    document.add_paragraph("Một", style="List Number")
    document.add_paragraph("Hai", style="List Number")
    return document


def parts_of(document: Any) -> dict[str, bytes]:
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def lines(data: bytes) -> list[tuple[str, int]]:
    raw = read_docx(data, "plan.docx")
    return [(b.text, b.heading) for b in raw.blocks if isinstance(b, Line)]


EXPECTED = [("Mục tiêu", 1), ("1. Một", 0), ("2. Hai", 0)]
NO_XML_TYPES = (
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/></Types>'
)


SECOND_STYLES = (
    b'<Relationship Id="rId99" Target="styles.xml" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/styles"/>'
)


def test_reading_does_not_import_python_docx() -> None:
    code = "import sys, kehoach.readers.docx; print('docx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_main_part_found_through_the_relationships() -> None:
    parts = parts_of(plan())
    parts["word/main.xml"] = parts.pop("word/document.xml")
    parts["word/_rels/main.xml.rels"] = parts.pop(DOC_RELS)
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"/word/main.xml")
    parts[TYPES] = parts[TYPES].replace(b"/word/document.xml", b"/WORD/MAIN.XML")  # any case
    assert lines(zipped(parts)) == EXPECTED


def test_related_targets_resolve_against_the_source_folder() -> None:
    parts = parts_of(plan())
    parts["styles/s.xml"] = parts.pop("word/styles.xml")
    parts[DOC_RELS] = parts[DOC_RELS].replace(b'Target="styles.xml"', b'Target="../styles/s.xml"')
    parts[TYPES] = parts[TYPES].replace(b"/word/styles.xml", b"/styles/s.xml")
    assert lines(zipped(parts)) == EXPECTED


def test_without_styles_and_numbering_parts() -> None:
    parts = parts_of(plan())
    rels = parts[DOC_RELS].decode()
    for kind in ("styles", "numbering"):
        start = rels.index(f'relationships/{kind}"')
        rels = rels[: rels.rindex("<Relationship ", 0, start)] + rels[rels.index("/>", start) + 2 :]
    parts[DOC_RELS] = rels.encode()
    assert lines(zipped(parts)) == [("Mục tiêu", 0), ("Một", 0), ("Hai", 0)]


def test_a_broken_part_the_reader_never_reads_does_not_stop_it() -> None:
    document = plan()
    document.sections[0].header.paragraphs[0].text = "Trang đầu"
    parts = parts_of(document)
    header = next(name for name in parts if name.startswith("word/header"))
    parts[header] = parts[header][:-30]
    assert lines(zipped(parts)) == EXPECTED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.pop("word/styles.xml"), "not a complete DOCX .*'word/styles.xml'"),
        (lambda p: p.update({"word/numbering.xml": b"<w:numbering"}), "corrupt XML"),
        (lambda p: p.pop(TYPES), r"missing part .*\[Content_Types\]\.xml"),
        (lambda p: p.pop("_rels/.rels"), "no relationship of type .*officeDocument"),
        (lambda p: p.update({TYPES: NO_XML_TYPES}), "no content type for partname '/word/"),
        (
            lambda p: p.update({DOC_RELS: p[DOC_RELS].replace(b"</Rel", SECOND_STYLES + b"</Rel")}),
            "not a readable DOCX .*multiple relationships",
        ),
    ],
)
def test_broken_packages_give_one_line_errors(change: Any, message: str) -> None:
    parts = parts_of(plan())
    change(parts)
    with pytest.raises(ReadError, match=message) as info:
        read_docx(zipped(parts), "plan.docx")
    assert "\n" not in str(info.value)


def test_run_properties_anywhere_in_the_run_and_through_character_styles(tmp_path: Path) -> None:
    document = docx.Document()
    strong = document.styles.add_style("Nhấn", 2)  # a character style
    strong.font.bold = True
    heading = document.styles.add_style("Đậm", 1)  # a bold paragraph style
    heading.font.bold = True
    p = document.add_paragraph()
    p.add_run("qua kiểu ký tự").style = strong
    p = document.add_paragraph(style=heading)
    p.add_run("không đậm").bold = False
    p = document.add_paragraph()
    p._p.append(parse_xml(f"<w:r {W}><w:t>rPr sau chữ</w:t><w:rPr><w:i/><w:b/></w:rPr></w:r>"))
    p = document.add_paragraph()
    p._p.append(parse_xml(f'<w:r {W}><w:rPr><w:b w:val="0"/><w:b/></w:rPr><w:t>đầu</w:t></w:r>'))
    p._p.append(parse_xml(f"<w:r {W}><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>"))
    path = tmp_path / "flags.docx"
    document.save(str(path))
    got = [
        (b.text, b.bold, b.italic)
        for b in read_docx(path.read_bytes(), "flags.docx").blocks
        if isinstance(b, Line)
    ]
    assert got == [
        ("qua kiểu ký tự", True, False),
        ("không đậm", False, False),
        ("rPr sau chữ", True, True),
        ("đầu", False, False),  # the first w:b counts
    ]
