"""The PDF and DOC readers.

Fixture PDFs are made at test time: small ASCII ones by hand (exact positions, rules, RC4
encryption), a Vietnamese one from a python-docx document through LibreOffice (skipped when
``soffice`` is absent). The real corpus is read from ``../shared/corpus`` when present.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from kehoach.errors import ReadError
from kehoach.readers import read_bytes
from kehoach.readers.base import Line, RawDocument, Table
from kehoach.readers.pdf import read_pdf

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

# --------------------------------------------------------------------- hand-made PDFs


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _text(x: float, y: float, text: str, size: int = 12) -> str:
    return f"BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET\n"


def _rule(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"0.5 w {x0} {y0} m {x1} {y1} l S\n"


def make_pdf(pages: list[str], password: str | None = None) -> bytes:
    """A PDF of A4 pages with Helvetica text; RC4-40 (revision 2) encrypted with a password."""
    file_id = hashlib.md5(b"kehoach-test").digest()
    key = b""
    encrypt = ""
    if password is not None:
        owner = _rc4(hashlib.md5(PAD).digest()[:5], (password.encode() + PAD)[:32])
        perms = struct.pack("<i", -4)
        key = hashlib.md5((password.encode() + PAD)[:32] + owner + perms + file_id).digest()[:5]
        user = _rc4(key, PAD)
        encrypt = "/Encrypt 99 0 R"
    n = len(pages)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(n))}] "
        f"/Count {n} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for i, content in enumerate(pages):
        num = 4 + 2 * i
        objects[num] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {num + 1} 0 R >>"
        ).encode()
        stream = content.encode("latin-1")
        if key:
            stream = _rc4(
                hashlib.md5(key + struct.pack("<i", num + 1)[:3] + b"\0\0").digest()[:10], stream
            )
        objects[num + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    if key:
        objects[99] = (
            b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <"
            + owner.hex().encode()
            + b"> /U <"
            + user.hex().encode()
            + b"> >>"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[num]) if num in offsets else b"0000000000 65535 f \n"
    out += (
        f"trailer\n<< /Size {size} /Root 1 0 R {encrypt} /ID [<{file_id.hex()}> <{file_id.hex()}>] >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


BODY = "The provincial committee shall carry out the tasks listed in this plan in the year"


def _page(number: int | None, extra: str = "") -> str:
    top = _text(290, 800, str(number)) if number else ""
    lines = "".join(_text(72, 700 - 18 * k, f"{BODY} {number or 1} line {k}") for k in range(6))
    footer = _text(72, 40, "Running footer of the plan")
    return top + lines + footer + extra


HEADER = (
    _text(80, 780, "ISSUER OF THE PLAN")
    + _text(330, 780, "NATIONAL MOTTO LINE")
    + _text(80, 760, "No: 134 /KH-X")
    + _text(330, 760, "City, day 26 month 3")
    + _text(260, 730, "PLAN", 14)
)
TABLE = (
    "".join(_rule(72, y, 400, y) for y in (560, 540, 520))
    + "".join(_rule(x, 520, x, 560) for x in (72, 150, 400))
    + _text(80, 546, "TT")
    + _text(160, 546, "Task name")
    + _text(80, 526, "1")
    + _text(160, 526, "Inspect the depots")
    + _text(72, 490, "After the table.")
)


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    return make_pdf([HEADER + _page(None)[0:0] + _page(None), _page(2, TABLE), _page(3)])


def _lines(doc: RawDocument) -> list[Line]:
    return [b for b in doc.blocks if isinstance(b, Line)]


def _texts(doc: RawDocument) -> list[str]:
    return [line.text for line in _lines(doc)]


def test_lines_and_pages(plan_pdf: bytes) -> None:
    doc = read_pdf(plan_pdf, "plan.pdf")
    assert (doc.format, doc.pages, doc.text_layer) == ("pdf", 3, "native")
    assert doc.sha256 == hashlib.sha256(plan_pdf).hexdigest()
    lines = _lines(doc)
    assert {line.page for line in lines} == {1, 2, 3}
    page3 = [line for line in lines if line.page == 3]
    assert [line.line for line in page3] == list(range(1, len(page3) + 1))
    assert page3[0].text == f"{BODY} 3 line 0" and page3[0].gap
    assert not page3[1].gap


def test_header_columns_are_split_left_first(plan_pdf: bytes) -> None:
    texts = _texts(read_pdf(plan_pdf, "plan.pdf"))
    assert texts[:5] == [
        "ISSUER OF THE PLAN",
        "No: 134 /KH-X",
        "NATIONAL MOTTO LINE",
        "City, day 26 month 3",
        "PLAN",
    ]


def test_page_numbers_and_running_footer_removed(plan_pdf: bytes) -> None:
    texts = _texts(read_pdf(plan_pdf, "plan.pdf"))
    assert "2" not in texts and "3" not in texts
    assert not any("Running footer" in t for t in texts)


def test_table_is_a_block_not_lines(plan_pdf: bytes) -> None:
    doc = read_pdf(plan_pdf, "plan.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert tables[0].rows == [["TT", "Task name"], ["1", "Inspect the depots"]]
    assert (tables[0].page, tables[0].index) == (2, 1)
    assert not any("Inspect" in t or t == "TT" for t in _texts(doc))
    page2 = [b for b in doc.blocks if b.page == 2]
    at = page2.index(tables[0])
    assert isinstance(page2[at + 1], Line) and page2[at + 1].text == "After the table."
    assert tables[0].line == at + 1


def _grid(top: float, rows: list[tuple[str, str]]) -> str:
    ys = [top - 20 * k for k in range(len(rows) + 1)]
    out = "".join(_rule(72, y, 400, y) for y in ys)
    out += "".join(_rule(x, ys[-1], x, top) for x in (72, 150, 400))
    for y, (a, b) in zip(ys, rows, strict=False):
        out += _text(80, y - 14, a) + _text(160, y - 14, b)
    return out


def test_table_continued_on_next_page_is_merged() -> None:
    body = "".join(_text(72, 700 - 18 * k, f"{BODY} line {k}") for k in range(6))
    first = body + _grid(300, [("TT", "Task name"), ("1", "Inspect the depots")])
    second = _grid(810, [("2", "Report to the committee")]) + _text(72, 700, "Closing words.")
    tables = [
        b for b in read_pdf(make_pdf([first, second]), "t.pdf").blocks if isinstance(b, Table)
    ]
    assert len(tables) == 1
    assert tables[0].rows[-1] == ["2", "Report to the committee"]
    assert (tables[0].page, len(tables[0].rows)) == (1, 3)


def test_encrypted_pdf() -> None:
    pdf = make_pdf([_page(None)], password="secret")
    with pytest.raises(ReadError, match=r"^e\.pdf: the PDF is encrypted; pass --password$"):
        read_pdf(pdf, "e.pdf")
    with pytest.raises(ReadError, match="password does not open"):
        read_pdf(pdf, "e.pdf", password="wrong")
    assert _texts(read_pdf(pdf, "e.pdf", password="secret"))[0].startswith(BODY)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_pdf_is_a_one_line_read_error(plan_pdf: bytes, cut: float) -> None:
    with pytest.raises(ReadError) as err:
        read_pdf(plan_pdf[: int(len(plan_pdf) * cut)], "cut.pdf")
    assert str(err.value).startswith("cut.pdf: not a readable PDF (")
    assert "\n" not in str(err.value)


def test_corrupt_pdf_is_a_read_error() -> None:
    with pytest.raises(ReadError, match=r"^bad\.pdf: not a readable PDF"):
        read_bytes(b"%PDF-1.4\nnot really\n%%EOF\n", "bad.pdf")


# --------------------------------------------------------------------- through LibreOffice


@pytest.fixture(scope="session")
def vietnamese_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    cells = [
        "UBND TỈNH LÀO CAI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 134 /KH-UBND",
        "Lào Cai, ngày 26 tháng 3 năm 2026",
    ]
    for cell, text in zip((c for row in header.rows for c in row.cells), cells, strict=True):
        cell.text = text
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title = doc.add_paragraph("KẾ HOẠCH")
    title.runs[0].bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for page in range(3):
        for k in range(8):
            doc.add_paragraph(f"{k + 1}. Nhiệm vụ trọng tâm số {k + 1} của trang {page + 1}.")
        if page < 2:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    grid = doc.add_table(rows=2, cols=2, style="Table Grid")
    for cell, text in zip(
        (c for row in grid.rows for c in row.cells),
        ["TT", "Nội dung", "1", "Kiểm tra kho"],
        strict=True,
    ):
        cell.text = text
    folder = tmp_path_factory.mktemp("vi")
    doc.save(str(folder / "plan.docx"))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(folder / "plan.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (folder / "plan.pdf").read_bytes()


def test_vietnamese_pdf_from_word(vietnamese_pdf: bytes) -> None:
    doc = read_pdf(vietnamese_pdf, "plan.pdf")
    texts = _texts(doc)
    assert texts[:5] == [
        "UBND TỈNH LÀO CAI",
        "Số: 134 /KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",  # the cell wraps, as LibreOffice lays it out
        "VIỆT NAM",
        "Lào Cai, ngày 26 tháng 3 năm 2026",
    ]
    assert texts[5] == "KẾ HOẠCH" and _lines(doc)[5].bold
    assert "1. Nhiệm vụ trọng tâm số 1 của trang 2." in texts
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables and tables[-1].rows == [["TT", "Nội dung"], ["1", "Kiểm tra kho"]]
    assert "Kiểm tra kho" not in texts


# --------------------------------------------------------------------- the real corpus

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def _read_corpus(name: str) -> RawDocument:
    return read_bytes((CORPUS / name).read_bytes(), name)


@needs_corpus
def test_corpus_ttr_176_native() -> None:
    doc = _read_corpus("ttr-176-snv-lam-dong.pdf")
    assert (doc.pages, doc.text_layer, doc.warnings) == (1, "native", [])
    texts = _texts(doc)
    assert "Số: 176 /TTr-SNV" in texts  # the number is a flattened e-signing form field
    assert any("TTr-SNV" in t for t in texts)
    assert any(t.startswith("Kính gửi") for t in texts)
    assert texts.index("UBND TỈNH LÂM ĐỒNG") < texts.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert texts.index("- Lưu: VT, CCHC&VTLT(Tín).") < texts.index("KT. GIÁM ĐỐC")


@needs_corpus
@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("kh-1105-dkt-kiem-tra-vlncn.pdf", "pages 1-6: garbled text layer"),
        ("kh-996-tctlntw-c04-scan.pdf", "pages 1-4: no text layer (a scan)"),
    ],
)
def test_corpus_broken_text_layers_never_yield_garbage(name: str, problem: str) -> None:
    try:
        doc = _read_corpus(name)
    except ReadError as err:
        assert problem in str(err) and "\n" not in str(err)
        return
    assert doc.warnings
    assert not any(any("\u0400" <= c <= "\u04ff" for c in t) for t in _texts(doc))


@needs_corpus
def test_corpus_doc_through_libreoffice() -> None:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pytest.importorskip("kehoach.readers.docx")
    data = (CORPUS / "ttr-05-snv-lam-dong.doc").read_bytes()
    doc = read_bytes(data, "ttr-05-snv-lam-dong.doc")
    assert doc.format == "doc" and doc.sha256 == hashlib.sha256(data).hexdigest()
    texts = [b.text for b in doc.blocks if isinstance(b, Line)]
    assert any("Tờ trình" in t or "TỜ TRÌNH" in t for t in texts)


def test_doc_without_libreoffice_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from kehoach.errors import MissingDependency

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(MissingDependency, match="apt-get install libreoffice-writer-nogui"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")


def test_partly_scanned_pdf_warns_and_skips_the_page(plan_pdf: bytes) -> None:
    from kehoach.readers.pdf_pages import OcrOptions
    from kehoach.readers.pdf_text import PageProblem, native_page

    def source(doc: object, index: int) -> object:
        return PageProblem("no_text_layer", 2) if index == 1 else native_page(doc, index)  # type: ignore[arg-type]

    # OCR off: the page is skipped with a warning (tests/test_ocr.py covers OCR filling it)
    doc = read_pdf(plan_pdf, "plan.pdf", source=source, ocr=OcrOptions("never"))  # type: ignore[arg-type]
    assert [(w.code, w.page) for w in doc.warnings] == [("no_text_layer", 2)]
    assert {line.page for line in _lines(doc)} == {1, 3}
