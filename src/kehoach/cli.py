"""The ``kehoach`` command: thin wiring over :mod:`kehoach.pipeline`.

stdout carries only data; messages go to stderr. Exit codes: 0 ok, 1 a document could not be
processed, 2 bad usage (click's own).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .batch import FileResult, Summary
    from .models import Document

F = TypeVar("F", bound=Callable[..., Any])


def _reading_options(f: F) -> F:
    f = click.option("--password", default=None, help="Password of an encrypted PDF.")(f)
    f = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(f)
    return f


def _ocr_choice(f: F) -> F:
    """--ocr and --ocr-lang, shared by parse, text and batch."""
    f = click.option("--ocr-lang", default="vie", show_default=True,
                     help="Tesseract language(s), e.g. 'vie' or 'vie+eng'.")(f)
    f = click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True,
                     help="OCR PDF pages: auto = only pages without a usable text layer.")(f)
    return f


def _ocr_options(f: F) -> F:
    f = click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Pages OCR'd in parallel (one tesseract process each).")(f)
    return _ocr_choice(f)


def _say(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="kehoach")
def main() -> None:
    """Turn Vietnamese government plans (Kế hoạch) into structured data."""


def _parse_all(files: tuple[str, ...], password: str | None, strict: bool,
               **ocr: Any) -> Iterator[tuple[str, Document | str]]:
    """(file, document) or (file, error message) for each input, in order."""
    from .errors import KehoachError
    from .pipeline import parse_bytes, parse_file

    for f in files:
        try:
            if f == "-":
                yield f, parse_bytes(sys.stdin.buffer.read(), "-", password=password,
                                     strict=strict, **ocr)
            else:
                yield f, parse_file(f, password=password, strict=strict, **ocr)
        except KehoachError as err:
            yield f, str(err)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "yaml", "jsonl", "csv"]),
              default="json", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of stdout.")
@_reading_options
@_ocr_options
def parse(files: tuple[str, ...], fmt: str, output: str | None, password: str | None,
          strict: bool, ocr: str, ocr_lang: str, jobs: int) -> None:
    """Parse plans (PDF, DOCX, DOC, text or markdown; '-' for stdin) to JSON, YAML, JSONL or CSV.

    Several FILES give a JSON array (json), a multi-document stream (yaml), one line each
    (jsonl) or one table with a source column (csv). A file that fails is reported on stderr
    and the others are still written; the exit code is then 1.
    """
    from .exporters import render

    docs: list[Document] = []
    failed = 0
    for _, result in _parse_all(files, password, strict, ocr=ocr, ocr_lang=ocr_lang, jobs=jobs):
        if isinstance(result, str):
            failed += 1
            _say(f"Error: {result}")
        else:
            docs.append(result)
    if docs:
        text = render(docs, fmt)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
    if failed:
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the output."""
    import json

    from .models import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _one(file: str, password: str | None, strict: bool) -> Document:
    result = next(_parse_all((file,), password, strict))[1]
    if isinstance(result, str):
        raise click.ClickException(result)
    return result


@main.command()
@click.argument("file", type=click.Path(allow_dash=True))
@_reading_options
def show(file: str, password: str | None, strict: bool) -> None:
    """Show a plan in the terminal: numbering, titles, each task's lead and deadline."""
    from rich.console import Console

    from .show import render_document

    Console(highlight=False).print(render_document(_one(file, password, strict)))


@main.command()
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@_ocr_options
def text(file: str, password: str | None, ocr: str, ocr_lang: str, jobs: int) -> None:
    """Print the document's text in reading order (pages apart by a form feed)."""
    from .errors import KehoachError
    from .pipeline import document_text, read_file
    from .readers import read_bytes

    try:
        options: dict[str, Any] = {"ocr": ocr, "ocr_lang": ocr_lang, "jobs": jobs}
        raw = (read_bytes(sys.stdin.buffer.read(), "-", password=password, **options)
               if file == "-" else read_file(file, password=password, **options))
    except KehoachError as err:
        raise click.ClickException(str(err)) from None
    click.echo(document_text(raw), nl=False)


# -- batch ------------------------------------------------------------------------------------


@contextmanager
def _sink(path: str | None, newline: str | None = None) -> Iterator[IO[str] | None]:
    """A text stream for --jsonl/--tasks-csv: '-' is stdout, a file appears only when complete."""
    if path is None:
        yield None
    elif path == "-":
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline=newline)
        try:
            yield out
        finally:
            out.flush()
            out.detach()  # leave stdout open for click
    else:
        target = Path(path)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("w", encoding="utf-8", newline=newline) as out:
                yield out
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)


class _Report:
    """Renders batch results on stderr: a rich bar on a terminal, else failures only."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.progress: Any = None
        if quiet:  # no bar to draw: rich's import is not worth paying
            return
        from rich.console import Console

        console = Console(stderr=True, highlight=False)
        if console.is_terminal:
            self.progress = _progress(console)
            self.task = self.progress.add_task("batch", total=total, pages=0, failed=0)
            self.progress.start()

    def show(self, result: FileResult | None, summary: Summary) -> None:
        if result is not None and result.status == "failed":
            line = f"{result.job.display}: {result.message}"
            if self.progress is not None:
                self.progress.console.print(line, markup=False)
            else:
                _say(line)
        if self.progress is not None:
            advance = 0 if result is None else 1
            self.progress.update(self.task, advance=advance, pages=summary.pages,
                                 failed=summary.failed, refresh=True)  # fmt: skip

    def close(self, summary: Summary, interrupted: bool = False) -> None:
        if self.progress is not None:
            self.progress.stop()
        if not self.quiet:
            head = "interrupted: " if interrupted else ""
            _say(f"{head}converted {summary.converted}, failed {summary.failed}, skipped "
                 f"{summary.skipped}; {summary.pages} pages in {summary.seconds:.2f} s")  # fmt: skip


def _progress(console: Any) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class PagesColumn(ProgressColumn):
        """Pages so far and pages per second: rich's own speed columns count files."""

        def render(self, task: Any) -> Text:
            pages, elapsed = task.fields["pages"], task.elapsed or 0.0
            return Text(f"{pages} pages, {pages / elapsed if elapsed else 0:.0f}/s")

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    PagesColumn(), TimeRemainingColumn(), TextColumn("failed: {task.fields[failed]}"),
                    console=console, auto_refresh=False)  # fmt: skip


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), default=None,
              help="Folder for the documents; the input tree is mirrored under it.")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "yaml"]), default="json",
              show_default=True, help="Format of each document in the output folder.")
@click.option("--jsonl", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Also write every document as one compact JSON line to FILE ('-': stdout).")
@click.option("--tasks-csv", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Also write every goal and task of every document to one CSV table, with "
                   "the source file as its first column.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes.  [default: the CPU count]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=120.0,
              show_default=True, help="Seconds one file may take before its worker is ended.")
@click.option("--resume", is_flag=True,
              help="Skip inputs whose output exists for the same content and kehoach version.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_ocr_choice
@_reading_options
def batch(inputs: tuple[str, ...], outdir: str | None, fmt: str, jsonl: str | None,
          tasks_csv: str | None, jobs: int | None, timeout: float, resume: bool, quiet: bool,
          ocr: str, ocr_lang: str, password: str | None, strict: bool) -> None:  # fmt: skip
    """Convert many plans at once, in parallel, into an output folder.

    INPUTS are files, folders or globs ('plans/**/*.pdf', quoted). Folders are searched
    recursively for .pdf .docx .doc .txt .md files (hidden ones skipped); a file named
    explicitly is taken whatever its extension. 'plans/sub/a.docx' becomes 'OUT/sub/a.json'
    for the input folder 'plans' ('a.pdf.json' where a.pdf and a.docx sit side by side).

    A file that fails is reported as 'path: message' on stderr and in OUT/errors.jsonl, and
    the others go on; the exit code is then 1. --resume consults OUT/.kehoach-batch.json,
    which records each output's source sha256 and kehoach version. JSONL lines and CSV rows
    come in completion order; skipped files are included, re-read from their output.
    """
    from . import batch as lib

    if outdir is None and jsonl is None and tasks_csv is None:
        raise click.UsageError("give -o OUTDIR, --jsonl or --tasks-csv")
    if resume and outdir is None:
        raise click.UsageError("--resume needs -o OUTDIR")
    planned = lib.plan(inputs, fmt)
    if not planned:
        raise click.UsageError("no input files found")
    report = _Report(len(planned), quiet)
    summary = lib.Summary()
    try:
        with _sink(jsonl) as jsonl_out, _sink(tasks_csv, newline="") as csv_out:
            opts = lib.Options(Path(outdir) if outdir else None, fmt, jobs or os.cpu_count() or 1,
                               timeout, resume, password, strict, jsonl_out, csv_out, ocr,
                               ocr_lang)  # fmt: skip
            for result in lib.run(planned, opts):
                if result is not None:
                    summary.add(result)
                report.show(result, summary)
    except KeyboardInterrupt:
        report.close(summary, interrupted=True)
        sys.exit(130)
    report.close(summary)
    if summary.failed:
        sys.exit(1)
