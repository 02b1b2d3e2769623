"""OCR bench (issue 6): run ``.venv/bin/python bench/bench_ocr.py [scan.pdf]``.

Prints, for the 4-page ``kh-996`` scan (one run each, wall clock):

1. kehoach reading it (``ocr='always'``, after one warm-up read) with 1 and with 2 OCR workers (target: 2 workers ≤ 0.6 × 1 worker);
2. kehoach's whole read with 1 worker against bare tesseract run page by page on the same
   page images written to PNG files beforehand, one tesseract thread as kehoach uses
   (target ≤ 1.15 ×). Bare tesseract with its default threading is shown for reference.
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


def _images(data: bytes, folder: Path) -> list[Path]:
    doc = pdfium.PdfDocument(data)
    paths = []
    for i in range(len(doc)):
        path = folder / f"page-{i + 1}.png"
        doc[i].render(scale=DPI / 72, grayscale=True).to_pil().convert("L").save(path)
        paths.append(path)
    doc.close()
    return paths


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    data = path.read_bytes()
    print(f"{path.name}: {len(pdfium.PdfDocument(data))} pages, {DPI} dpi, {os.cpu_count()} cpus")
    _kehoach(data, 1)  # warm-up: the model and the PDF into the page cache, imports done
    one = _kehoach(data, 1)
    two = _kehoach(data, 2)
    print(f"kehoach jobs=1: {one:6.2f} s")
    print(f"kehoach jobs=2: {two:6.2f} s   ratio {two / one:.2f} (target <= 0.60)")
    with tempfile.TemporaryDirectory() as tmp:
        images = _images(data, Path(tmp))
        bare = _bare(images, "1")
        bare_default = _bare(images, None)
    print(f"bare tesseract, 1 thread, PNG files: {bare:6.2f} s   kehoach jobs=1 / bare "
          f"{one / bare:.2f} (target <= 1.15)")
    print(f"bare tesseract, default threads:     {bare_default:6.2f} s   (reference)")


if __name__ == "__main__":
    main()
