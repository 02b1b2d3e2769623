"""The three parts of a DOCX that the reader uses (body, styles, numbering), read from the zip.

This replaces python-docx's ``Package.open``, which read every part the relationships reach
and parsed every XML part it has a class for (headers, footers, settings, comments …) when
the reader only ever looks at these three. Opening costs about the same (2.4-6.5 ms a file on
the samples and corpus); what it saves is elsewhere:

- python-docx's package and parts refer to each other, so each file's parsed XML outlived it
  until a full garbage collection, which seldom comes: reading the bench's DOCX 200 times
  grew the process to 119 MB (28 MB now), and ``kehoach batch -j2`` over its 120 copies took
  0.92-1.04 s against 0.69-0.77 s now, the rest of the reader being the same;
- importing the reader no longer imports python-docx: ~40 ms became ~15 ms, paid by every
  ``kehoach parse`` of a DOCX and once by ``kehoach batch`` before it forks.

The lookups follow the rules python-docx applied, and raise what it raised with the same
messages, so that :func:`kehoach.readers.docx.read_docx` reports a broken file as before:
a missing member is zipfile's ``KeyError``, a relationship target is resolved against its
source part's folder, a part's content type comes from an override, else from its
extension's default. What differs: damage in a part the reader never reads (a header, the
settings, a bad CRC in the theme) no longer stops the file, and two styles or numbering
relationships, or an external one, are a ReadError rather than an uncaught ValueError.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT, STYLES, NUMBERING = _RT + "officeDocument", _RT + "styles", _RT + "numbering"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# The content types python-docx parsed on open, where broken XML failed the open ("corrupt
# XML"). Other parts (a .docm body, say) it kept as bytes, and the reader parsed them leniently.
_PARSED_ON_OPEN = frozenset(
    {
        _WML + "document.main+xml", _WML + "styles+xml", _WML + "numbering+xml",
        _WML + "comments+xml", _WML + "header+xml", _WML + "footer+xml", _WML + "settings+xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
    }
)  # fmt: skip
# python-docx's parser options: whitespace-only text between elements is dropped
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


@dataclass(frozen=True, slots=True)
class _Rel:
    type: str | None
    target: str  # an absolute part name, or the URL of an external target
    external: bool


@dataclass(frozen=True, slots=True)
class DocxParts:
    """Root elements; None for a part that is absent, or unreadable where that is allowed."""

    document: Any | None
    styles: Any | None
    numbering: Any | None


def read_parts(data: bytes) -> DocxParts:
    """Raises what zipfile and lxml raise for a damaged file, KeyError for a missing part or
    relationship and ValueError for an ambiguous one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = _content_types(archive.read("[Content_Types].xml"))
        main = _target(_rels(archive, "/"), OFFICE_DOCUMENT)
        related = _rels(archive, main)
        names = [main, _optional_target(related, STYLES), _optional_target(related, NUMBERING)]
        # every part read and typed before any is parsed: a missing part is reported first
        found = [None if name is None else (archive.read(name[1:]), types(name)) for name in names]
    document, styles, numbering = (None if part is None else _parse(*part) for part in found)
    return DocxParts(document, styles, numbering)


def _parse(xml: bytes, content_type: str | None) -> Any | None:
    if content_type in _PARSED_ON_OPEN:
        return etree.fromstring(xml, _PARSER)
    try:
        return etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return None


def _content_types(xml: bytes) -> Callable[[str], str | None]:
    """Part name → content type; the names and extensions compare case-insensitively."""
    root = etree.fromstring(xml, _PARSER)
    overrides: dict[str, str | None] = {
        (el.get("PartName") or "").lower(): el.get("ContentType")
        for el in root.iterchildren(_TYPES + "Override")
    }
    defaults: dict[str, str | None] = {
        (el.get("Extension") or "").lower(): el.get("ContentType")
        for el in root.iterchildren(_TYPES + "Default")
    }

    def content_type(partname: str) -> str | None:
        if partname.lower() in overrides:
            return overrides[partname.lower()]
        ext = posixpath.splitext(partname)[1].removeprefix(".").lower()
        if ext in defaults:
            return defaults[ext]
        raise KeyError(f"no content type for partname '{partname}' in [Content_Types].xml")

    return content_type


def _rels(archive: zipfile.ZipFile, partname: str) -> list[_Rel]:
    """Relationships of ``partname`` ('/' for the package), targets as absolute part names."""
    folder, file = posixpath.split(partname)
    try:
        xml = archive.read(posixpath.join(folder, "_rels", f"{file}.rels")[1:])
    except KeyError:
        return []
    by_id: dict[str | None, _Rel] = {}  # a repeated Id: the last one counts, as in python-docx
    for el in etree.fromstring(xml, _PARSER).iterchildren(_RELS):
        external = el.get("TargetMode", "Internal") == "External"
        target = el.get("Target") or ""
        if not external:
            target = posixpath.normpath(posixpath.join(folder, target))
        by_id[el.get("Id")] = _Rel(el.get("Type"), target, external)
    return list(by_id.values())


def _target(rels: list[_Rel], reltype: str) -> str:
    found = [rel for rel in rels if rel.type == reltype]
    if not found:
        raise KeyError(f"no relationship of type '{reltype}' in collection")
    if len(found) > 1:
        raise ValueError(f"multiple relationships of type '{reltype}' in collection")
    if found[0].external:
        raise ValueError(
            "target_part property on _Relationship is undefined when target mode is External"
        )
    return found[0].target


def _optional_target(rels: list[_Rel], reltype: str) -> str | None:
    try:
        return _target(rels, reltype)
    except KeyError:
        return None
