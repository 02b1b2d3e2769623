"""OCR bench (issue 6): run ``.venv/bin/python bench/bench_ocr.py [scan.pdf]``.

Prints, for the 4-page ``kh-996`` scan (one run each, wall clock):

1. kehoach reading it (``ocr='always'``, after one warm-up read) with 1 and with 2 OCR workers (target: 2 workers ≤ 0.6 × 1 worker);
2. kehoach's whole read with 1 worker against bare tesseract run page by page on the same
   page images written to PNG files beforehand, one tesseract thread as kehoach uses
   (target ≤ 1.15 ×). For reference: bare tesseract on the text pages only (kehoach skips
   blank ones) and with its default threading; and the load average.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from kehoach.readers import read_bytes
from kehoach.readers.ocr import DPI
from kehoach.readers.ocr_bands import is_blank

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "kh-996-tctlntw-c04-scan.pdf"


def _kehoach(data: bytes, jobs: int) -> float:
    start = time.perf_counter()
    raw = read_bytes(data, "scan.pdf", ocr="always", jobs=jobs)
    elapsed = time.perf_counter() - start
    assert raw.text_layer == "ocr"
    return elapsed


def _bare(images: list[Path], threads: str | None) -> float:
    env = dict(os.environ)
    if threads:
        env["OMP_THREAD_LIMIT"] = threads
    start = time.perf_counter()
    for image in images:
        subprocess.run(["tesseract", str(image), "stdout", "-l", "vie", "tsv"],
                       capture_output=True, check=True, env=env)  # fmt: skip
    return time.perf_counter() - start


def _images(data: bytes, folder: Path) -> tuple[list[Path], list[Path]]:
    """All page images, and those of the pages that are not blank."""
    doc = pdfium.PdfDocument(data)
    paths, text = [], []
    for i in range(len(doc)):
        path = folder / f"page-{i + 1}.png"
        image = doc[i].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
        image.save(path)
        paths.append(path)
        if not is_blank(image):
            text.append(path)
    doc.close()
    return paths, text


def _load() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    data = path.read_bytes()
    print(f"{path.name}: {len(pdfium.PdfDocument(data))} pages, {DPI} dpi, {os.cpu_count()} cpus, "
          f"load average {_load()}")
    with tempfile.TemporaryDirectory() as tmp:
        images, text = _images(data, Path(tmp))
        _kehoach(data, 1)  # warm-up: the model and the PDF into the page cache, imports done
        # kehoach and bare tesseract back to back, so that a load change hits both alike
        one = _kehoach(data, 1)
        bare = _bare(images, "1")
        two = _kehoach(data, 2)
        text_only = _bare(text, "1")
        bare_default = _bare(images, None)
    print(f"kehoach jobs=1: {one:6.2f} s")
    print(f"kehoach jobs=2: {two:6.2f} s   ratio {two / one:.2f} (target <= 0.60)")
    print(f"bare tesseract, 1 thread, PNG files: {bare:6.2f} s   kehoach jobs=1 / bare "
          f"{one / bare:.2f} (target <= 1.15)")
    print(f"  same, text pages only ({len(text)}):        {text_only:6.2f} s   kehoach jobs=1 / "
          f"this {one / text_only:.2f} (reference)")
    print(f"bare tesseract, default threads:     {bare_default:6.2f} s   (reference)")
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
