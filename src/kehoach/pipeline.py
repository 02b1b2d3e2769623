"""read → normalize → segment → structure → extract: one input to one :class:`Document`."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ReadError, StrictError
from .extract.items import annotate, body_items, is_annotation, table_items
from .extract.metadata import extract_metadata
from .models import Document, Node, Source, Span, Warning
from .normalize import Chunk, clean_lines, flatten_table
from .readers import RawDocument, Table, read_bytes
from .segment import segment
from .structure.headings import canonical
from .structure.tree import Draft, build_tree
from .tables import task_columns


def parse_file(path: str | Path, *, password: str | None = None, strict: bool = False,
               name: str | None = None, ocr: str = "auto", ocr_lang: str = "vie",
               jobs: int = 1) -> Document:
    """Parse one file. ``name`` replaces the file name in ``source.name`` and messages;
    ``ocr``/``ocr_lang``/``jobs``: see :func:`kehoach.readers.read_bytes`."""
    p = Path(path)
    label = name or p.name
    return parse_bytes(_read(p, label), label, password=password, strict=strict, ocr=ocr,
                       ocr_lang=ocr_lang, jobs=jobs)


def _read(p: Path, label: str) -> bytes:
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise ReadError(f"{label}: is a directory, not a file") from None
    except OSError as err:
        raise ReadError(f"{label}: cannot read ({err.strerror})") from None


def parse_text(text: str, name: str = "-", *, strict: bool = False) -> Document:
    """Parse a plan given as a string (plain text or markdown)."""
    return parse_bytes(text.encode("utf-8"), name, strict=strict)


def parse_bytes(data: bytes, name: str, *, password: str | None = None,
                strict: bool = False, ocr: str = "auto", ocr_lang: str = "vie",
                jobs: int = 1) -> Document:
    raw = read_bytes(data, name, password=password, ocr=ocr, ocr_lang=ocr_lang, jobs=jobs)
    doc = build_document(raw)
    if strict and doc.warnings:
        w = doc.warnings[0]
        where = f" (page {w.page}, line {w.line})" if w.page else f" (line {w.line})" if w.line else ""
        raise StrictError(f"{name}: {w.code}{where}: {w.message}")
    return doc


def read_file(path: str | Path, *, password: str | None = None,
              name: str | None = None, ocr: str = "auto", ocr_lang: str = "vie",
              jobs: int = 1) -> RawDocument:
    """Read one file into lines and tables, without interpreting them."""
    p = Path(path)
    return read_bytes(_read(p, name or p.name), name or p.name, password=password, ocr=ocr,
                      ocr_lang=ocr_lang, jobs=jobs)


def document_text(raw: RawDocument) -> str:
    """The text in reading order: paragraphs apart by a blank line, table rows as cells joined
    by ' | ', pages apart by a form feed (as pdftotext does)."""
    out: list[str] = []
    page = None
    for block in raw.blocks:
        if block.page != page and page is not None:
            out.append("\f")
        page = block.page
        if isinstance(block, Table):
            out.extend(["", *(" | ".join(" ".join(c.split()) for c in row) for row in block.rows),
                        ""])
            continue
        if block.gap and out and out[-1] not in ("", "\f"):
            out.append("")
        out.append(block.text)
    return "\n".join(out).strip("\n") + "\n"


def build_document(raw: RawDocument) -> Document:
    chunks: list[Chunk] = []
    for c in clean_lines(raw.blocks):
        chunks.extend(flatten_table(c) if isinstance(c, Table) and not task_columns(c) else [c])
    seg = segment(chunks)
    tree = build_tree(seg.body, annotation=is_annotation)
    if raw.text_layer == "ocr":
        for node in tree.walk():
            node.title = canonical(node.title or "") or node.title
    body_text = " ".join(n.text for n in tree.walk())
    meta = extract_metadata(seg, body_text)
    warnings = list(raw.warnings)
    annotate(tree, _year(meta.date, meta.title), warnings)
    goals, tasks = body_items(tree)
    tasks += table_items(tree, _year(meta.date, meta.title), warnings)
    source = Source(name=raw.name, format=raw.format, pages=raw.pages, sha256=raw.sha256,
                    text_layer=raw.text_layer)
    return Document(source=source, metadata=meta, sections=[_node(r) for r in tree.roots],
                    goals=goals, tasks=tasks, warnings=warnings)


def _year(date: str | None, title: str | None) -> int | None:
    if date:
        return int(date[:4])
    m = re.search(r"\bnăm (20\d\d)\b", title or "")
    return int(m[1]) if m else None


def _node(d: Draft) -> Node:
    marker = (d.marker.label or None) if d.marker else None  # '' for an unheaded appendix
    return Node(id=d.id, marker=marker, kind=d.kind, title=d.title, text=d.text,
                owners=d.owners, timeframe=d.timeframe, children=[_node(c) for c in d.children],
                span=Span(page=d.para.page, line=d.para.line))


__all__ = [
    "Warning",
    "build_document",
    "document_text",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "read_file",
]
