"""OCR of PDF pages with tesseract (DOMAIN §1.8), as positioned segments for :mod:`.pdf_layout`.

Pages are rendered by pypdfium2 in the calling thread (pdfium is not thread-safe) and handed
to ``tesseract … tsv`` processes, ``jobs`` at a time, through one work queue; each tesseract
runs single-threaded (``OMP_THREAD_LIMIT=1``) so that N workers use N cores and 1 worker
really is one. A blank page gets no tesseract run (:func:`.ocr_bands.is_blank`). TSV words
are grouped by (band, block, paragraph, line) into segments in PDF user space;
:mod:`.pdf_layout` then builds lines and paragraph gaps exactly as for a text layer. Bold is
unknown.

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
* Bands: whole pages balance badly when the text pages do not divide among the workers
  (``kh-996``: 3 text pages, 2 workers take 2 pages' time, 0.67 of 1 worker). The last
  ``text pages mod jobs`` pages, still queued when rendering ends, are taken back and cut
  into ``jobs`` horizontal bands at ink-free rows (:func:`.ocr_bands.cut_rows`), each read
  on its own and shifted back by its top row. Only those: a band is read as well as its page
  (``kh-1105``, every page cut in two: CER 4.00 % against 4.04 %, word recall 93.2 % against
  92.8 %) but not identically (tesseract estimates the resolution and the Otsu threshold per
  image: cutting every page of ``kh-996`` turns page 2's bold ``5.``, read ``_`` on the page,
  into ``—``, and item II.5 is lost), and each tesseract start costs ~0.13 s. One worker never
  cuts (nothing to balance). Two bands cost what their page costs (``kh-996`` pages 1–3:
  6.58 s whole, 6.68 s as two bands each).
* Orientation: pdfium applies ``/Rotate`` when rendering. A page whose first pass reads badly
  (mean word confidence under :data:`LOW_CONFIDENCE`) is re-rendered whole and sent to
  tesseract's OSD (``--psm 0``, needs ``tesseract-ocr-osd``) and, if OSD finds it turned,
  re-read upright; running OSD on every page would cost a second tesseract pass per page.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import statistics
import subprocess
from collections import deque
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache

import pypdfium2 as pdfium
from PIL import Image

from ..errors import MissingDependency, ReadError
from .ocr_bands import cut_rows, is_blank
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
class Band:
    """A horizontal strip of a page image as PNG or BMP bytes, ``top`` its first pixel row."""

    top: int
    png: bytes


@dataclass(frozen=True, slots=True)
class PageImage:
    """One rendered page: its bands top to bottom (none when blank), size in points."""

    index: int  # 0-based
    bands: tuple[Band, ...]
    width: float
    height: float
    pixel_height: int


Key = tuple[int, int, int, int]  # band, block, paragraph, line
Word = tuple[Key, int, int, int, int, float, str]  # key, box (px in the page), conf, text


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


def render(
    doc: pdfium.PdfDocument, index: int, dpi: int = DPI
) -> tuple[PageImage, Image.Image | None]:
    """Page ``index`` (no bands yet) and its 8-bit grey image, None when the page is blank;
    /Rotate applied by pdfium."""
    page = doc[index]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, grayscale=True, rev_byteorder=False)
        image = bitmap.to_pil().convert("L")
    finally:
        page.close()
    if image.width > image.height and width < height:
        width, height = height, width
    shape = PageImage(index, (), width, height, image.height)
    return shape, None if is_blank(image) else image


def _cut(page: PageImage, image: Image.Image, bands: int, fmt: str = "PNG") -> PageImage:
    """``page`` with ``image`` in up to ``bands`` encoded bands."""
    rows = [0, *cut_rows(image, bands, DPI), image.height]
    parts = tuple(
        Band(top, _encode(_strip(image, top, bottom), fmt))
        for top, bottom in itertools.pairwise(rows)
    )
    return replace(page, bands=parts)


def _strip(image: Image.Image, top: int, bottom: int) -> Image.Image:
    whole = top == 0 and bottom == image.height
    return image if whole else image.crop((0, top, image.width, bottom))


def _encode(image: Image.Image, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    # PNG at zlib level 1: 0.13 s to encode, and tesseract reads it ~0.4 s faster than the PGM
    # that costs 0.09 s (leptonica's PNM reader is slow). That encoding overlaps tesseract on
    # an idle core with one worker; with several every core is busy, and BMP (0.002 s) is read
    # about as fast, with the same output as long as it states no resolution either (Pillow
    # writes 96 dpi by default, and tesseract then reads 96 dpi instead of estimating it)
    options = {"compress_level": 1} if fmt == "PNG" else {"dpi": (0, 0)}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def ocr_pages(
    doc: pdfium.PdfDocument, indices: list[int], name: str, lang: str, jobs: int
) -> dict[int, PageContent]:
    """OCR the pages ``indices`` (0-based) with ``jobs`` tesseract processes at a time."""
    program = tesseract(name, lang)
    jobs = max(1, jobs)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        read = _Reader(pool, program, lang, name)
        pages, words = read.pages(doc, indices, jobs)
        turned = {
            i: pool.submit(read.upright, _whole(doc, i), words[i])
            for i in indices
            if len(words[i]) >= MIN_WORDS_FOR_OSD and _confidence(words[i]) < LOW_CONFIDENCE
        }
        for i, future in turned.items():
            pages[i], words[i] = future.result()
    return {i: _content(pages[i], words[i]) for i in indices}


def _whole(doc: pdfium.PdfDocument, index: int) -> PageImage:
    page, image = render(doc, index)
    return page if image is None else _cut(page, image, 1)


Pending = deque[tuple[int, Band, Future[list[Word]]]]


@dataclass(frozen=True, slots=True)
class _Reader:
    pool: Executor
    program: str
    lang: str
    name: str

    def pages(
        self, doc: pdfium.PdfDocument, indices: list[int], jobs: int
    ) -> tuple[dict[int, PageImage], dict[int, list[Word]]]:
        """Every page through one queue, the tail cut into bands (see the module docstring);
        the pages and their words in page pixels."""
        fmt = "BMP" if jobs > 1 else "PNG"
        pages: dict[int, PageImage] = {}
        found: dict[int, list[tuple[Band, list[Word]]]] = {i: [] for i in indices}
        pending: Pending = deque()
        recent: deque[tuple[int, Image.Image]] = deque(maxlen=jobs - 1)  # tail candidates
        text = 0
        for index in indices:
            pages[index], image = render(doc, index)
            if image is None:
                continue
            text += 1
            pages[index] = self._submit(pending, _cut(pages[index], image, 1, fmt))
            recent.append((index, image))
            # render ahead by one page only: images are large, and the queue stays full
            while len(pending) > jobs + 1:
                self._collect(pending, found)
        for index, image in list(recent)[len(recent) - text % jobs :] if text % jobs else []:
            queued = next((e for e in pending if e[0] == index), None)
            if queued is not None and queued[2].cancel():  # not started: cut it
                pending.remove(queued)
                pages[index] = self._submit(pending, _cut(pages[index], image, jobs, fmt))
        while pending:
            self._collect(pending, found)
        return pages, {i: _merge(found[i]) for i in indices}

    def _submit(self, pending: Pending, page: PageImage) -> PageImage:
        for band in page.bands:
            pending.append((page.index, band, self.pool.submit(self.tsv, band.png, page.index)))
        return page

    @staticmethod
    def _collect(
        pending: Pending,
        found: dict[int, list[tuple[Band, list[Word]]]],
    ) -> None:
        index, band, future = pending.popleft()
        found[index].append((band, future.result()))

    def upright(self, image: PageImage, words: list[Word]) -> tuple[PageImage, list[Word]]:
        """A badly read page re-read upright when OSD finds it turned and that reads better."""
        angle = _orientation(self.program, image.bands[0].png) if image.bands else 0
        if not angle:
            return image, words
        turned = _rotate(image, angle)
        again = _merge([(turned.bands[0], self.tsv(turned.bands[0].png, image.index))])
        return (turned, again) if _confidence(again) > _confidence(words) else (image, words)

    def tsv(self, png: bytes, index: int) -> list[Word]:
        """Tesseract's words in one image, keyed (0, block, paragraph, line)."""
        command = [self.program, "stdin", "stdout", "-l", self.lang, "tsv"]
        out = _run(command, png, self.name, index)
        words: list[Word] = []
        for row in out.decode("utf-8", "replace").splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
                continue
            key = (0, int(cols[2]), int(cols[3]), int(cols[4]))
            left, top, width, height = (int(v) for v in cols[6:10])
            words.append((key, left, top, width, height, float(cols[10]), cols[11].strip()))
        return words


def _merge(parts: list[tuple[Band, list[Word]]]) -> list[Word]:
    """Band words in page pixels, keyed by band first so that lines stay apart and in order."""
    return [
        ((number, key[1], key[2], key[3]), left, top + band.top, width, height, conf, text)
        for number, (band, words) in enumerate(parts)
        for key, left, top, width, height, conf, text in words
    ]


def _content(image: PageImage, words: list[Word]) -> PageContent:
    return PageContent(_clamp(_segments(words, image)), image.width, image.height, False)


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
    """A one-band page image turned ``angle`` degrees clockwise."""
    turned = Image.open(io.BytesIO(image.bands[0].png)).rotate(-angle, expand=True)
    width, height = (
        (image.height, image.width) if angle in (90, 270) else (image.width, image.height)
    )
    return PageImage(image.index, (Band(0, _encode(turned)),), width, height, turned.height)


def _segments(words: list[Word], image: PageImage) -> list[Segment]:
    """Tesseract lines as segments in PDF user space (points, y up); a line is cut where two
    words are further apart than :data:`COLUMN_GAP` line heights, as the text-layer reader
    cuts at a column gap (tesseract often reads ``BỘ CÔNG AN   CỘNG HOÀ …`` as one line)."""
    lines: dict[Key, list[Word]] = {}
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
