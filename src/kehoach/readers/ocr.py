"""OCR of PDF pages with tesseract (DOMAIN §1.8), as positioned segments for :mod:`.pdf_layout`.

Pages are rendered by pypdfium2 in the calling thread (pdfium is not thread-safe) and handed
to ``tesseract … tsv`` processes, ``jobs`` at a time; each tesseract runs single-threaded
(``OMP_THREAD_LIMIT=1``) so that N workers use N cores and 1 worker really is one. TSV words
are grouped by (block, paragraph, line) into segments in PDF user space; :mod:`.pdf_layout`
then builds lines and paragraph gaps exactly as for a text layer. Bold is unknown.

Choices, measured on this machine (2 cores; ``kh-1105`` page 1 against its ``.truth.txt``,
``-l vie``, one tesseract thread):

* Resolution: 150 dpi CER 1.80 % (1.27 s), 200 dpi 2.19 % (1.38 s), 250 dpi 2.24 % (1.46 s),
  300 dpi 1.85 % (1.61 s), 400 dpi 1.80 % (2.19 s). Born-digital 13 pt text reads as well at
  150 dpi, but scans are made at 300 ppi (``kh-996``: 302 ppi) and small print (footnotes,
  stamps) needs the pixels, so :data:`DPI` is 300: the native resolution of the scans, and
  within noise of the best CER for +25 % time over 150 dpi.
* Direct subprocess vs pytesseract vs OCRmyPDF: pytesseract writes the image to a temporary
  file and shells out to the same binary (so it can only add cost), and OCRmyPDF rebuilds a
  whole PDF with a text layer (ghostscript, unpaper, optimisation) that would then have to be
  read back; both are extra dependencies. Piping a fast-compressed PNG to ``tesseract stdin
  stdout … tsv`` costs what bare tesseract on a PNG file costs (``bench/bench_ocr.py``).
* Orientation: pdfium applies ``/Rotate`` when rendering. A page whose first pass reads badly
  (mean word confidence under :data:`LOW_CONFIDENCE`) is sent to tesseract's OSD
  (``--psm 0``, needs ``tesseract-ocr-osd``) and, if OSD finds it turned, re-read upright;
  running OSD on every page would cost a second tesseract pass per page.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache

import pypdfium2 as pdfium

from ..errors import MissingDependency, ReadError
from .pdf_layout import Segment
from .pdf_text import PageContent

DPI = 300
LOW_CONFIDENCE = 45.0
TALL = 2.0
COLUMN_GAP = 2.0  # word gap, in line heights, that separates two columns on one OCR line
MIN_WORDS_FOR_OSD = 10  # an almost blank page (a signature page) reads badly upright too
TIMEOUT = 300  # seconds for one page
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
ROTATE = re.compile(rb"Rotate:\s*(\d+)")


@dataclass(frozen=True, slots=True)
class PageImage:
    """One rendered page: PNG bytes and the page size in points."""

    index: int  # 0-based
    png: bytes
    width: float
    height: float
    pixel_height: int


def tesseract(name: str, lang: str) -> str:
    """The tesseract program, checked to have ``lang``; MissingDependency when it cannot."""
    program = shutil.which("tesseract")
    if program is None:
        raise MissingDependency(
            f"{name}: OCR needs tesseract; install it "
            f"(Debian: apt-get install tesseract-ocr {_packages(lang)})"
        )
    missing = [code for code in lang.split("+") if code not in _languages(program)]
    if missing:
        raise MissingDependency(
            f"{name}: tesseract has no '{missing[0]}' model; install it "
            f"(Debian: apt-get install {_packages('+'.join(missing))})"
        )
    return program


def _packages(lang: str) -> str:
    return " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in lang.split("+"))


@lru_cache(maxsize=4)
def _languages(program: str) -> frozenset[str]:
    done = subprocess.run([program, "--list-langs"], capture_output=True, check=False)
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def render(doc: pdfium.PdfDocument, index: int, dpi: int = DPI) -> PageImage:
    """Page ``index`` as an 8-bit grey PNG; /Rotate applied by pdfium."""
    page = doc[index]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, grayscale=True, rev_byteorder=False)
        image = bitmap.to_pil().convert("L")
    finally:
        page.close()
    out = io.BytesIO()
    # PNG at zlib level 1: 0.13 s to encode, and tesseract reads it ~0.4 s faster than the PGM
    # that costs 0.09 s (leptonica's PNM reader is slow); BMP and TIFF fall in between
    image.save(out, format="PNG", compress_level=1)
    if image.width > image.height and width < height:
        width, height = height, width
    return PageImage(index, out.getvalue(), width, height, image.height)


def ocr_pages(
    doc: pdfium.PdfDocument, indices: list[int], name: str, lang: str, jobs: int
) -> dict[int, PageContent]:
    """OCR the pages ``indices`` (0-based) with ``jobs`` tesseract processes at a time."""
    program = tesseract(name, lang)
    jobs = max(1, jobs)
    results: dict[int, PageContent] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending: list[Future[tuple[int, PageContent]]] = []
        for image in _images(doc, indices):
            pending.append(pool.submit(read_image, program, image, lang, name))
            if len(pending) > jobs:  # render ahead by one page only: images are large
                index, content = pending.pop(0).result()
                results[index] = content
        for future in pending:
            index, content = future.result()
            results[index] = content
    return results


def _images(doc: pdfium.PdfDocument, indices: list[int]) -> Iterator[PageImage]:
    for index in indices:
        yield render(doc, index)


Word = tuple[tuple[int, int, int], int, int, int, int, float, str]  # key, box, conf, text


def read_image(program: str, image: PageImage, lang: str, name: str) -> tuple[int, PageContent]:
    """One page image → (index, segments); re-read upright when OSD finds it turned."""
    words = _tsv(program, image.png, lang, name, image.index)
    if len(words) >= MIN_WORDS_FOR_OSD and _confidence(words) < LOW_CONFIDENCE:
        angle = _orientation(program, image.png)
        if angle:
            turned = _rotate(image, angle)
            again = _tsv(program, turned.png, lang, name, image.index)
            if _confidence(again) > _confidence(words):
                image, words = turned, again
    segments = _clamp(_segments(words, image))
    return image.index, PageContent(segments, image.width, image.height, False)


def _clamp(segments: list[Segment]) -> list[Segment]:
    """A segment over :data:`TALL` usual line heights (an incoming stamp's big ``ĐẾN``,
    a handwritten number) keeps only its top line's height: left tall, it would make the
    layout merge the three title lines beside it into one row."""
    if len(segments) < 3:
        return segments
    usual = statistics.median(s.top - s.bottom for s in segments)
    return [
        replace(s, bottom=s.top - usual) if s.top - s.bottom > TALL * usual else s
        for s in segments
    ]


def _run(command: list[str], data: bytes, name: str, index: int) -> bytes:
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=TIMEOUT, check=False, env=ENV
        )
    except subprocess.TimeoutExpired:
        raise ReadError(f"{name}: page {index + 1}: OCR took over {TIMEOUT} s") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit code {done.returncode}"
        raise ReadError(f"{name}: page {index + 1}: tesseract failed ({reason})")
    return done.stdout


def _tsv(program: str, png: bytes, lang: str, name: str, index: int) -> list[Word]:
    out = _run([program, "stdin", "stdout", "-l", lang, "tsv"], png, name, index)
    words: list[Word] = []
    for row in out.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
        left, top, width, height = (int(v) for v in cols[6:10])
        words.append((key, left, top, width, height, float(cols[10]), cols[11].strip()))
    return words


def _confidence(words: list[Word]) -> float:
    """Mean word confidence weighted by length; 0 for a page with no words."""
    total = sum(len(w[6]) for w in words)
    return sum(w[5] * len(w[6]) for w in words) / total if total else 0.0


def _orientation(program: str, png: bytes) -> int:
    """Degrees to turn the page clockwise to make it upright (OSD), 0 when unknown."""
    if "osd" not in _languages(program):
        return 0
    done = subprocess.run(
        [program, "stdin", "stdout", "--psm", "0"], input=png, capture_output=True,
        timeout=TIMEOUT, check=False, env=ENV,
    )  # fmt: skip
    found = ROTATE.search(done.stdout)
    return int(found[1]) % 360 if found else 0


def _rotate(image: PageImage, angle: int) -> PageImage:
    from PIL import Image

    turned = Image.open(io.BytesIO(image.png)).rotate(-angle, expand=True)
    out = io.BytesIO()
    turned.save(out, format="PNG", compress_level=1)
    width, height = (image.height, image.width) if angle in (90, 270) else (image.width,
                                                                             image.height)
    return PageImage(image.index, out.getvalue(), width, height, turned.height)


def _segments(words: list[Word], image: PageImage) -> list[Segment]:
    """Tesseract lines as segments in PDF user space (points, y up); a line is cut where two
    words are further apart than :data:`COLUMN_GAP` line heights, as the text-layer reader
    cuts at a column gap (tesseract often reads ``BỘ CÔNG AN   CỘNG HOÀ …`` as one line)."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word[0], []).append(word)
    segments = []
    for run, line in enumerate(lines.values()):
        line.sort(key=lambda w: w[1])
        height = max(w[4] for w in line)
        part = [line[0]]
        for prev, word in itertools.pairwise(line):
            if word[1] - (prev[1] + prev[3]) > COLUMN_GAP * height:
                segments.append(_segment(part, image, run))
                part = []
            part.append(word)
        segments.append(_segment(part, image, run))
    return segments


def _segment(words: list[Word], image: PageImage, run: int) -> Segment:
    scale = image.height / image.pixel_height
    return Segment(
        " ".join(w[6] for w in words),
        min(w[1] for w in words) * scale,
        max(w[1] + w[3] for w in words) * scale,
        image.height - max(w[2] + w[4] for w in words) * scale,
        image.height - min(w[2] for w in words) * scale,
        run=run,
    )
