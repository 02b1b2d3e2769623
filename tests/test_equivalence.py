"""The same plan as text, DOCX and PDF must parse to the same result.

``samples/render.py`` lays each sample text out as a real DOCX and converts it to PDF with
LibreOffice; both files are committed, so these tests need no LibreOffice. Each comparison is its
own case (stem, format, aspect). The cases marked xfail fail today because of the parser, not the
rendering; they are strict, so a parser fix turns them into an XPASS failure: drop the mark then.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from typing import Any

import pytest

from kehoach import parse_file
from kehoach.models import Document, Item, Node

from .conftest import SAMPLES

STEMS = {
    "ke-hoach-tinh-uy-chuyen-doi-so": "txt",
    "ke-hoach-ubnd-cai-cach-hanh-chinh": "md",
}
PARTY, STATE = STEMS
FORMATS = ("docx", "pdf")


@cache
def parsed(stem: str, ext: str) -> Document:
    return parse_file(SAMPLES / f"{stem}.{ext}")


def walk(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out


def items(xs: list[Item]) -> list[tuple[Any, ...]]:
    return [
        (
            i.id, i.section, i.owners.lead, i.owners.support,
            (i.timeframe.kind, i.timeframe.start, i.timeframe.end) if i.timeframe else None,
        )
        for i in xs
    ]  # fmt: skip


def tree(doc: Document) -> list[tuple[str, str | None, str | None]]:
    return [(n.id, n.marker, n.title) for n in walk(doc.sections)]


def goals(doc: Document) -> list[tuple[Any, ...]]:
    return items(doc.goals)


def tasks(doc: Document) -> list[tuple[Any, ...]]:
    return items(doc.tasks)


def metadata(doc: Document) -> dict[str, Any]:
    m = doc.metadata
    return {
        "number": m.number, "date": m.date, "issuer": m.issuer, "doc_type": m.doc_type,
        "signer": asdict(m.signer) if m.signer else None, "recipients": m.recipients,
    }  # fmt: skip


ASPECTS = {"tree": tree, "goals": goals, "tasks": tasks, "metadata": metadata}

# (stem, format, aspect) → why the parser gets it wrong; empty while every format agrees.
PARSER_BUGS: dict[tuple[str, str, str], str] = {}


def _cases() -> list[Any]:
    cases = []
    for stem in STEMS:
        for fmt in FORMATS:
            for aspect in ASPECTS:
                bug = PARSER_BUGS.get((stem, fmt, aspect))
                marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
                cases.append(
                    pytest.param(stem, fmt, aspect, marks=marks, id=f"{stem}-{fmt}-{aspect}")
                )
    return cases


@pytest.mark.parametrize(("stem", "fmt", "aspect"), _cases())
def test_same_as_text(stem: str, fmt: str, aspect: str) -> None:
    extract = ASPECTS[aspect]
    assert extract(parsed(stem, fmt)) == extract(parsed(stem, STEMS[stem]))


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_source(stem: str, fmt: str) -> None:
    doc = parsed(stem, fmt)
    assert doc.source.format == fmt
    if fmt == "pdf":
        assert doc.source.pages is not None and doc.source.pages >= 1
        assert all(node.span.page is not None for node in walk(doc.sections))


@pytest.mark.parametrize("stem", STEMS)
def test_parsed_something(stem: str) -> None:
    """Guard against equal-but-empty results making the comparisons vacuous."""
    doc = parsed(stem, STEMS[stem])
    assert len(walk(doc.sections)) >= 10 and doc.tasks and doc.metadata.number
