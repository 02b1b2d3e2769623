"""The ``kehoach`` command: thin wiring over :mod:`kehoach.pipeline`.

stdout carries only data; messages go to stderr. Exit codes: 0 ok, 1 a document could not be
processed, 2 bad usage (click's own).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .models import Document

F = TypeVar("F", bound=Callable[..., Any])


def _reading_options(f: F) -> F:
    f = click.option("--password", default=None, help="Password of an encrypted PDF.")(f)
    f = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(f)
    return f


def _say(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="kehoach")
def main() -> None:
    """Turn Vietnamese government plans (Kế hoạch) into structured data."""


def _parse_all(files: tuple[str, ...], password: str | None,
               strict: bool) -> Iterator[tuple[str, Document | str]]:
    """(file, document) or (file, error message) for each input, in order."""
    from .errors import KehoachError
    from .pipeline import parse_bytes, parse_file

    for f in files:
        try:
            if f == "-":
                yield f, parse_bytes(sys.stdin.buffer.read(), "-", password=password,
                                     strict=strict)
            else:
                yield f, parse_file(f, password=password, strict=strict)
        except KehoachError as err:
            yield f, str(err)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "yaml", "jsonl", "csv"]),
              default="json", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of stdout.")
@_reading_options
def parse(files: tuple[str, ...], fmt: str, output: str | None, password: str | None,
          strict: bool) -> None:
    """Parse plans (PDF, DOCX, DOC, text or markdown; '-' for stdin) to JSON, YAML, JSONL or CSV.

    Several FILES give a JSON array (json), a multi-document stream (yaml), one line each
    (jsonl) or one table with a source column (csv). A file that fails is reported on stderr
    and the others are still written; the exit code is then 1.
    """
    from .exporters import render

    docs: list[Document] = []
    failed = 0
    for _, result in _parse_all(files, password, strict):
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
def text(file: str, password: str | None) -> None:
    """Print the document's text in reading order (pages apart by a form feed)."""
    from .errors import KehoachError
    from .pipeline import document_text, read_file
    from .readers import read_bytes

    try:
        raw = (read_bytes(sys.stdin.buffer.read(), "-", password=password) if file == "-"
               else read_file(file, password=password))
    except KehoachError as err:
        raise click.ClickException(str(err)) from None
    click.echo(document_text(raw), nl=False)
