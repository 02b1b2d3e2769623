"""Our pdfium bindings (kehoach.readers.pdfium) against pypdfium2's, which they stand in for.

Declarations must match pypdfium2_raw's (a wrong one crashes instead of raising), helpers must
give pypdfium2's results and errors, pypdfium2 must keep working when imported after us, and
reading a text-layer PDF must not import pypdfium2 (its import cost is why the module exists).
Subprocesses check what depends on import order; the rest runs in this process, where
pypdfium2 may already be imported.
"""

from __future__ import annotations

import ctypes
import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from kehoach.readers import pdfium, read_bytes
from kehoach.readers.pdf_text import native_page
from kehoach.readers.pdfium import Document, PdfiumError, count_chars, raw, text_range

from .conftest import CORPUS, SAMPLES
from .test_pdf_reader import _page, make_pdf

SAMPLE = SAMPLES / "ke-hoach-ubnd-cai-cach-hanh-chinh.pdf"  # has tables
PDFS = [
    *sorted(SAMPLES.glob("*.pdf")),
    CORPUS / "kh-1105-dkt-kiem-tra-vlncn.pdf",  # garbled text layer: the glyph repair path
    CORPUS / "ttr-176-snv-lam-dong.pdf",  # e-signing stamps: flattened pages
]


def _exists(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not available (../shared absent)")
    return path


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, check=True)  # fmt: skip


def _blocks(path: Path) -> list[str]:
    return [repr(b) for b in read_bytes(path.read_bytes(), path.name).blocks]


# -- declarations -----------------------------------------------------------------------------


def _shape(kind: Any) -> object:
    """A ctypes type as comparable data: pointers and structs by what they point at or hold
    (ours and pypdfium2's are different classes of the same shape and name)."""
    if isinstance(kind, type) and issubclass(kind, ctypes._Pointer):
        return ("*", _shape(kind._type_))
    if isinstance(kind, type) and issubclass(kind, ctypes.Structure):
        fields = getattr(kind, "_fields_", ())
        return (kind.__name__, tuple((name, _shape(t)) for name, t in fields))
    return kind


@pytest.mark.skipif(not isinstance(raw, pdfium.Api), reason="pdfium runs on pypdfium2.raw here")
def test_declarations_match_pypdfium2_raw() -> None:
    functions = {k: v for k, v in vars(raw).items() if k.startswith("FPDF")}
    assert len(functions) > 30
    for name, ours in functions.items():
        theirs = getattr(pypdfium2.raw, name)
        assert [_shape(t) for t in ours.argtypes] == [_shape(t) for t in theirs.argtypes], name
        assert _shape(ours.restype) == _shape(theirs.restype), name
    constants = {k: v for k, v in vars(pdfium.Api).items() if k.startswith(("FPDF", "FLAT"))}
    assert constants == {k: getattr(pypdfium2.raw, k) for k in constants}


# -- helpers against pypdfium2's ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "password"),
    [
        (make_pdf([_page(None)], password="secret"), None),
        (make_pdf([_page(None)], password="secret"), "wrong"),
        (b"%PDF-1.4\nnot really\n%%EOF\n", None),
        (b"", None),
        (make_pdf([]), None),  # opens, but has no page: the handle must be closed
    ],
)
def test_open_errors_match_pypdfium2(data: bytes, password: str | None) -> None:
    with pytest.raises(PdfiumError) as ours:
        Document(data, password)
    with pytest.raises(pypdfium2.PdfiumError) as theirs:
        pypdfium2.PdfDocument(data, password=password)
    assert (str(ours.value), ours.value.err_code) == (str(theirs.value), theirs.value.err_code)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_text_range_matches_pypdfium2(path: Path) -> None:
    data = _exists(path).read_bytes()
    theirs = pypdfium2.PdfDocument(data)
    with Document(data) as doc:
        assert len(doc) == len(theirs)
        for i in range(len(doc)):
            page = doc.load_page(i)
            textpage = raw.FPDFText_LoadPage(page)
            try:
                expected = theirs[i].get_textpage()
                count = count_chars(textpage)
                assert count == expected.count_chars()
                ranges = [(0, count)] + [(k, 11) for k in range(0, max(count - 11, 0), 7)]
                for start, n in ranges:
                    assert text_range(textpage, start, n) == expected.get_text_range(start, n)
            finally:
                raw.FPDFText_ClosePage(textpage)
                raw.FPDF_ClosePage(page)


def test_the_document_holds_its_bytes() -> None:
    """pdfium reads the buffer in place: the document alone must keep it alive."""
    expected = [native_page(Document(SAMPLE.read_bytes()), i) for i in range(2)]
    doc = Document(bytes(bytearray(SAMPLE.read_bytes())))  # a buffer nothing else refers to
    gc.collect()
    assert [native_page(doc, i) for i in range(2)] == expected
    doc.close()


def test_close_twice_and_use_after_close_raise_no_crash() -> None:
    doc = Document(SAMPLE.read_bytes())
    doc.close()
    doc.close()
    with pytest.raises(PdfiumError, match=r"^Failed to load page\.$"):
        doc.load_page(0)


def test_rendering_goes_through_pypdfium2_on_the_same_document() -> None:
    doc = Document(SAMPLE.read_bytes())
    rendering = doc.for_rendering()
    assert doc.for_rendering() is rendering and len(rendering) == len(doc)
    assert rendering[0].render(scale=0.1).to_pil().width > 0
    doc.close()
    assert rendering.raw is None  # closed once, by its owner


# -- loading, fallback and import order ------------------------------------------------------


def test_a_library_that_cannot_be_found_falls_back_to_pypdfium2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdfium, "LIBRARY", "libno-such-pdfium.so")
    with pytest.raises(OSError, match="does not exist"):
        pdfium.locate()
    assert pdfium.load() is pypdfium2.raw


FALLBACK = """
import importlib.util, json, sys
from pathlib import Path
real = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name == "pypdfium2_raw" else real(name, *a)
from kehoach.readers import pdfium, read_bytes
import pypdfium2
path = Path(sys.argv[1])
blocks = [repr(b) for b in read_bytes(path.read_bytes(), path.name).blocks]
print(json.dumps({"fallback": pdfium.raw is pypdfium2.raw, "blocks": blocks}))
"""


@pytest.mark.parametrize("path", PDFS[:1] + PDFS[2:3], ids=lambda p: p.name)
def test_fallback_reads_the_same(path: Path) -> None:
    out = json.loads(_run(FALLBACK, str(_exists(path))).stdout)
    assert out["fallback"]
    assert out["blocks"] == _blocks(path)


PYPDFIUM2_LATER = """
import json, sys
from pathlib import Path
from kehoach.readers import pdfium, read_bytes
path = Path(sys.argv[1])
first = [repr(b) for b in read_bytes(path.read_bytes(), path.name).blocks]
imported = "pypdfium2" in sys.modules
import pypdfium2, pypdfium2_raw.bindings
text = pypdfium2.PdfDocument(path.read_bytes())[0].get_textpage().get_text_range()
again = [repr(b) for b in read_bytes(path.read_bytes(), path.name).blocks]
same = pypdfium2_raw.bindings._libs["pdfium"]._handle == pdfium.raw.lib._handle
print(json.dumps({"imported": imported, "text": bool(text), "same_library": same,
                  "unchanged": first == again}))
"""


def test_pypdfium2_imported_later_works_on_the_same_library() -> None:
    out = json.loads(_run(PYPDFIUM2_LATER, str(SAMPLE)).stdout)
    assert out == {"imported": False, "text": True, "same_library": True, "unchanged": True}


NO_PYPDFIUM2 = """
import sys
from kehoach.cli import main
try:
    main(["parse", *sys.argv[1:]])
except SystemExit as stop:
    assert not stop.code, stop.code
print(sorted(m for m in sys.modules if m.startswith("pypdfium2")), file=sys.stderr)
"""


def test_parsing_a_text_layer_pdf_does_not_import_pypdfium2() -> None:
    done = _run(NO_PYPDFIUM2, *[str(p) for p in sorted(SAMPLES.glob("*.pdf"))])
    assert len(json.loads(done.stdout)) == 2
    assert done.stderr.strip().splitlines()[-1] == "[]"
