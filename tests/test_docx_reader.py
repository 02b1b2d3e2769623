"""The DOCX reader: body order, Word numbering, merged cells, tracked changes, broken files.

Fixtures are built in ``tmp_path`` with python-docx; what it has no API for (numbering
definitions, footnote references, revisions, fields, text boxes) is injected with lxml.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from kehoach.errors import ReadError
from kehoach.readers.base import Line, RawDocument, Table
from kehoach.readers.docx import read_docx
from kehoach.readers.docx_numbering import format_number, to_letters, to_roman

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
W = nsdecls("w")


# -- helpers ----------------------------------------------------------------------------------


def save(document: Any, tmp_path: Path, name: str = "plan.docx") -> bytes:
    path = tmp_path / name
    document.save(str(path))
    return path.read_bytes()


def read(document: Any, tmp_path: Path) -> RawDocument:
    return read_docx(save(document, tmp_path), "plan.docx")


def lines(raw: RawDocument) -> list[Line]:
    return [block for block in raw.blocks if isinstance(block, Line)]


def texts(raw: RawDocument) -> list[str]:
    return [line.text for line in lines(raw)]


def tables(raw: RawDocument) -> list[Table]:
    return [block for block in raw.blocks if isinstance(block, Table)]


def add_list(document: Any, num_id: int, levels: list[tuple[str, str]], **extra: str) -> None:
    """Define abstractNum/num ``num_id`` with (numFmt, lvlText) per level."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {W} w:abstractNumId="{num_id}">{lvls}</w:abstractNum>')
    )
    override = extra.get("override", "")
    numbering.append(
        parse_xml(
            f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>{override}</w:num>'
        )
    )


def numbered(document: Any, text: str, num_id: int, ilvl: int = 0) -> Any:
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def inject(paragraph: Any, xml: str) -> None:
    paragraph._p.append(parse_xml(xml))


# -- body order and lines -----------------------------------------------------------------------


def test_body_order_of_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("")  # empty: skipped, not counted
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "TT"
    table.cell(0, 1).text = "Nội dung"
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "x"
    raw = read(document, tmp_path)
    kinds = [(type(b).__name__, b.line) for b in raw.blocks]
    assert kinds == [("Line", 1), ("Table", 2), ("Line", 3), ("Table", 4)]
    assert [t.index for t in tables(raw)] == [1, 2]
    assert tables(raw)[0].rows == [["TT", "Nội dung"]]
    assert raw.format == "docx" and raw.pages is None and raw.text_layer is None
    assert all(b.page is None for b in raw.blocks)


def test_sha256_and_name(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Nội dung")
    data = save(document, tmp_path)
    raw = read_docx(data, "x.docx")
    assert raw.sha256 == hashlib.sha256(data).hexdigest()
    assert raw.name == "x.docx"


def test_line_break_splits_a_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Chủ trì, thẩm định của")
    paragraph.add_run().add_break()
    paragraph.add_run("tổ chức, cá nhân")
    document.add_paragraph("Tiếp theo")
    got = lines(read(document, tmp_path))
    assert [(x.text, x.line, x.gap) for x in got] == [
        ("Chủ trì, thẩm định của", 1, True),
        ("tổ chức, cá nhân", 1, False),
        ("Tiếp theo", 2, True),
    ]


def test_tabs_nbsp_trailing_space_and_nfc(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Số: 12/KH-UBND\tLào Cai, ngày 26 tháng 3 năm 2026   ")
    document.add_paragraph("Kế\u00a0hoạch")
    document.add_paragraph("Lào Cai".replace("à", "a\u0300"))  # decomposed input
    got = texts(read(document, tmp_path))
    assert got[0] == "Số: 12/KH-UBND  Lào Cai, ngày 26 tháng 3 năm 2026"
    assert re.split(r"\s{2,}", got[0]) == ["Số: 12/KH-UBND", "Lào Cai, ngày 26 tháng 3 năm 2026"]
    assert got[1] == "Kế hoạch"
    assert got[2] == "Lào Cai"


def test_bold_italic_and_heading_cues(tmp_path: Path) -> None:
    document = docx.Document()
    whole = document.add_paragraph()
    whole.add_run("I. MỤC ĐÍCH, ").bold = True
    whole.add_run("YÊU CẦU").bold = True
    whole.add_run("  ")  # a trailing non-bold space does not spoil the flag
    mixed = document.add_paragraph()
    mixed.add_run("Sở Nội vụ: ").bold = True
    mixed.add_run("chủ trì")
    style = document.styles.add_style("Bold Para", 1)
    style.font.bold = True
    style.font.italic = True
    document.add_paragraph("(Kèm theo Kế hoạch số 12/KH-UBND)", style="Bold Para")
    document.add_paragraph("Mục tiêu", style="Heading 2")
    document.add_paragraph("KẾ HOẠCH", style="Title")
    got = lines(read(document, tmp_path))
    assert [(x.bold, x.italic) for x in got[:3]] == [(True, False), (False, False), (True, True)]
    assert [x.heading for x in got] == [0, 0, 0, 2, 1]


# -- automatic numbering ------------------------------------------------------------------------


def test_roman_decimal_letter_with_restart(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(document, 90, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")])
    for text, level in [
        ("MỤC ĐÍCH", 0), ("Mục đích", 1), ("Một", 2), ("Hai", 2), ("Yêu cầu", 1),
        ("Ba", 2), ("NHIỆM VỤ", 0), ("Tuyên truyền", 1), ("Bốn", 2),
    ]:  # fmt: skip
        numbered(document, text, 90, level)
    assert texts(read(document, tmp_path)) == [
        "I. MỤC ĐÍCH", "1. Mục đích", "a) Một", "b) Hai", "2. Yêu cầu",
        "a) Ba", "II. NHIỆM VỤ", "1. Tuyên truyền", "a) Bốn",
    ]  # fmt: skip


def test_multilevel_decimal(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(document, 91, [("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3.")])
    for text, level in [("A", 0), ("B", 1), ("C", 1), ("D", 2), ("E", 0), ("F", 1)]:
        numbered(document, text, 91, level)
    assert texts(read(document, tmp_path)) == [
        "1. A", "1.1. B", "1.2. C", "1.2.1. D", "2. E", "2.1. F",
    ]  # fmt: skip


def test_letters_follow_word_not_vietnamese_alphabet(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(document, 92, [("lowerLetter", "%1)")])
    for text in ["một", "hai", "ba", "bốn", "năm", "sáu"]:
        numbered(document, text, 92)
    labels = [t.split()[0] for t in texts(read(document, tmp_path))]
    assert labels == ["a)", "b)", "c)", "d)", "e)", "f)"]


def test_start_override_and_phan_text(tmp_path: Path) -> None:
    document = docx.Document()
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride>'
    add_list(document, 93, [("decimal", "%1.")], override=override)
    add_list(document, 94, [("upperRoman", "Phần %1")])
    numbered(document, "Ba", 93)
    numbered(document, "Bốn", 93)
    numbered(document, "MỞ ĐẦU", 94)
    numbered(document, "NỘI DUNG", 94)
    assert texts(read(document, tmp_path)) == [
        "3. Ba",
        "4. Bốn",
        "Phần I MỞ ĐẦU",
        "Phần II NỘI DUNG",
    ]


def test_bullets_become_dash_or_plus(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(
        document, 95, [("bullet", "\uf0b7"), ("bullet", "+"), ("bullet", "o"), ("bullet", "–")]
    )
    for text, level in [("Một", 0), ("Hai", 1), ("Ba", 2), ("Bốn", 3)]:
        numbered(document, text, 95, level)
    assert texts(read(document, tmp_path)) == ["- Một", "+ Hai", "- Ba", "- Bốn"]


def test_numbering_through_template_list_styles(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Một", style="List Number")
    document.add_paragraph("Hai", style="List Number")
    document.add_paragraph("Ý", style="List Bullet")
    document.add_paragraph("Ba", style="List Number")
    assert texts(read(document, tmp_path)) == ["1. Một", "2. Hai", "- Ý", "3. Ba"]


def test_numbering_inside_table_cells(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(document, 96, [("decimal", "%1.")])
    table = document.add_table(rows=3, cols=2)
    for row in table.rows:
        cell = row.cells[0]
        cell.paragraphs[0]._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="96"/></w:numPr>')
        )
        row.cells[1].text = "Nhiệm vụ"
    assert [row[0] for row in tables(read(document, tmp_path))[0].rows] == ["1.", "2.", "3."]


@pytest.mark.parametrize(
    ("number", "fmt", "expected"),
    [
        (4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (14, "upperRoman", "XIV"),
        (5, "lowerLetter", "e"), (27, "lowerLetter", "aa"), (3, "upperLetter", "C"),
        (7, "decimalZero", "07"), (12, "decimal", "12"), (2, "ordinalText", "2"),
    ],
)  # fmt: skip
def test_format_number(number: int, fmt: str, expected: str) -> None:
    assert format_number(number, fmt) == expected


def test_roman_and_letters_helpers() -> None:
    assert [to_roman(n) for n in (1, 4, 5, 9, 40, 1994)] == ["I", "IV", "V", "IX", "XL", "MCMXCIV"]
    assert [to_letters(n) for n in (1, 26, 27, 53)] == ["A", "Z", "AA", "AAA"]


# -- tables -------------------------------------------------------------------------------------


def test_merged_cells_repeat_their_origin(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "I Cải cách thể chế"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "Thường xuyên"
    rows = tables(read(document, tmp_path))[0].rows
    assert rows == [
        ["I Cải cách thể chế", "I Cải cách thể chế", "02"],
        ["10", "11", "Thường xuyên"],
        ["20", "21", "Thường xuyên"],
    ]


def test_cell_paragraphs_join_and_nested_table_flattened(tmp_path: Path) -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "Trách nhiệm"
    cell.add_paragraph("")
    cell.add_paragraph("thực hiện")
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Sở Nội vụ"
    inner.cell(0, 1).text = "Quý I"
    assert tables(read(document, tmp_path))[0].rows == [
        ["Trách nhiệm\nthực hiện\nSở Nội vụ  Quý I"]
    ]


# -- what Word shows, not what the XML holds ------------------------------------------------------


def test_footnote_reference_dropped(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("pháp luật về khoáng sản")
    inject(
        paragraph,
        f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>',
    )
    paragraph.add_run(" trên địa bàn")
    inject(paragraph, f'<w:r {W}><w:endnoteReference w:id="2"/></w:r>')
    assert texts(read(document, tmp_path)) == ["pháp luật về khoáng sản trên địa bàn"]


def test_tracked_changes(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Hoàn thành ")
    rev = 'w:id="{}" w:author="A" w:date="2026-01-01T00:00:00Z"'
    inject(
        paragraph,
        f"<w:del {W} {rev.format(1)}><w:r><w:delText>trong quý I</w:delText></w:r></w:del>",
    )
    inject(paragraph, f"<w:ins {W} {rev.format(2)}><w:r><w:t>trong quý II</w:t></w:r></w:ins>")
    inject(paragraph, f"<w:moveFrom {W} {rev.format(3)}><w:r><w:t> cũ</w:t></w:r></w:moveFrom>")
    inject(
        paragraph,
        f'<w:moveTo {W} {rev.format(4)}><w:r><w:t xml:space="preserve"> năm 2026</w:t></w:r></w:moveTo>',
    )
    assert texts(read(document, tmp_path)) == ["Hoàn thành trong quý II năm 2026"]


def test_fields_show_their_result_only(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Trang ")
    inject(paragraph, f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>3</w:t></w:r></w:fldSimple>')
    paragraph.add_run(", số ")
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> MERGEFIELD so </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>12/KH-UBND</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        inject(paragraph, xml.replace("<w:r>", f"<w:r {W}>", 1))
    assert texts(read(document, tmp_path)) == ["Trang 3, số 12/KH-UBND"]


def test_text_box_read_once_after_its_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Neo")
    box = "<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>"
    inject(
        paragraph,
        f'<w:r {W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f'<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:x>{box}</w:x></w:drawing>'
        f"</mc:Choice><mc:Fallback><w:pict><w:x>{box}</w:x></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>",
    )
    document.add_paragraph("Sau")
    got = lines(read(document, tmp_path))
    assert [(x.text, x.line) for x in got] == [("Neo", 1), ("DỰ THẢO", 2), ("Sau", 3)]


def test_page_headers_and_footers_excluded(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Trang đầu"
    document.sections[0].footer.paragraphs[0].text = "Chân trang"
    document.add_paragraph("Nội dung")
    assert texts(read(document, tmp_path)) == ["Nội dung"]


# -- broken input ---------------------------------------------------------------------------------


def assert_one_line_error(data: bytes, pattern: str) -> None:
    with pytest.raises(ReadError) as info:
        read_docx(data, "hong.docx")
    message = str(info.value)
    assert message.startswith("hong.docx: ")
    assert "\n" not in message
    assert re.search(pattern, message), message


def test_truncated_docx(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Nội dung")
    data = save(document, tmp_path)
    assert_one_line_error(data[: len(data) // 2], "truncated|damaged")


def zip_with(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_missing_document_xml(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Nội dung")
    parts = parts_of(save(document, tmp_path))
    del parts["word/document.xml"]
    assert_one_line_error(zip_with(parts), "missing|not a")


def test_xml_syntax_error(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Nội dung")
    parts = parts_of(save(document, tmp_path))
    parts["word/document.xml"] = parts["word/document.xml"][:-40]
    assert_one_line_error(zip_with(parts), "XML")


def test_empty_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    document.add_table(rows=1, cols=1)
    assert_one_line_error(save(document, tmp_path), "the document has no text")


# -- the real corpus ------------------------------------------------------------------------------


def corpus(name: str) -> RawDocument:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} not available")
    return read_docx(path.read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "sections"),
    [
        ("kh-tuyen-truyen-cchc-lam-dong-2026.docx", ["I", "II", "III", "IV"]),
        ("kh-ubnd-lao-cai-chi-thi-11-khoang-san.docx", ["I", "II", "III", "IV", "V"]),
        ("kh-2242-kiem-tra-cap-gcn.docx", ["I", "II", "III"]),
        ("bc-ubnd-lao-cai-khoang-san-2025.docx", ["I", "II", "III", "IV"]),
    ],
)
def test_corpus_section_markers(name: str, sections: list[str]) -> None:
    raw = corpus(name)
    found = [m.group(1) for x in lines(raw) if (m := re.match(r"([IVX]+)\. [A-ZĐ]", x.text))]
    assert found == sections
    first = raw.blocks[0]
    assert isinstance(first, Table)  # every one of them puts the header in a table
    assert "Số:" in "\n".join(first.rows[-1])
    assert any(x.text == "KẾ HOẠCH" or x.text == "BÁO CÁO" for x in lines(raw)[:3])


def test_corpus_lam_dong_header_and_schedule_tables() -> None:
    raw = corpus("kh-tuyen-truyen-cchc-lam-dong-2026.docx")
    header, first_schedule, second_schedule, signature = tables(raw)
    assert header.rows[0][0] == "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    assert header.rows[0][1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert header.rows[-1][0] == "Số:           /KH-UBND"
    for schedule in (first_schedule, second_schedule):
        assert schedule.rows[0] == [
            "TT",
            "Nội dung",
            "Trách nhiệm\nthực hiện",
            "Thời gian\n(Năm 2026)",
        ]
    assert signature.rows[0][0].startswith("Nơi nhận:\n- Bộ Nội vụ;")
    assert "KT. CHỦ TỊCH" in signature.rows[0][1]
    letters = [x.text[:2] for x in lines(raw) if re.match(r"[a-zđ]\) ", x.text)]
    assert "đ)" in letters and "g)" in letters  # typed Vietnamese letters survive


def test_corpus_lao_cai_appendix_and_footnote() -> None:
    raw = corpus("kh-ubnd-lao-cai-chi-thi-11-khoang-san.docx")
    appendix = tables(raw)[-1]
    assert appendix.rows[0][:3] == ["TT", "Tên nhiệm vụ", "Sở, ngành chủ trì tham mưu"]
    assert appendix.rows[1] == ["", "(1)", "(2)", "(3)", "(4)", "(5)"]
    assert any("Xong trong Quý II/2026" in row[4] for row in appendix.rows)
    body = "\n".join(texts(raw))
    assert "pháp luật của Nhà nước về địa chất, khoáng sản đến cán bộ" in body  # ref sat here
    assert not re.search(r"khoáng sản\d", body)
    signature = tables(raw)[1]
    assert signature.rows[0][0].startswith("Nơi nhận:")
    assert signature.rows[0][1].startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH")


def test_corpus_2242_automatic_numbers_in_appendix() -> None:
    raw = corpus("kh-2242-kiem-tra-cap-gcn.docx")
    appendix = tables(raw)[-1]
    assert appendix.rows[0] == ["TT", "Nhiệm vụ thực hiện", "Người thực hiện", "Ghi chú"]
    assert [row[0] for row in appendix.rows[1:]] == [f"{n}." for n in range(1, 10)]
    header = tables(raw)[0]
    assert header.rows[1][0] == "SỞ CÔNG THƯƠNG"


def test_corpus_report_footnotes_and_kinh_gui() -> None:
    raw = corpus("bc-ubnd-lao-cai-khoang-san-2025.docx")
    body = "\n".join(texts(raw))
    assert not re.search(r"[^\W\d]\d{1,2}\b", body)  # no footnote number glued to a word
    kinh_gui = tables(raw)[1]
    assert kinh_gui.rows[0][0] == "Kính gửi:"


def test_macro_enabled_document_is_read(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Nội dung")
    parts = parts_of(save(document, tmp_path))
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    assert main in parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        main, b"application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    assert texts(read_docx(zip_with(parts), "plan.docm")) == ["Nội dung"]
