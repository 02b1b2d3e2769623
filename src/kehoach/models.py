"""The JSON contract (shared CONTRACT.md) as pydantic models.

Every key is always present: optional values default to ``None`` and lists to ``[]``, and the
exporters dump with defaults included. Field names are a public interface: extend freely,
never rename without bumping ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

SourceFormat = Literal["pdf", "docx", "doc", "text", "markdown"]
TextLayer = Literal["native", "ocr", "repaired"]
Regime = Literal["party", "state"]
NodeKind = Literal["roman", "arabic", "decimal", "letter", "bullet", "paragraph"]
TimeframeKind = Literal["ongoing", "recurring", "period", "deadline", "from", "until", "unspecified"]
Recurrence = Literal["P1Y", "P6M", "P3M", "P1M", "P1W"]
Origin = Literal["body", "table"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Source(_Model):
    name: str = Field(description="File name only, never a path of the machine; '-' for stdin.")
    format: SourceFormat
    pages: int | None = None
    sha256: str
    text_layer: TextLayer | None = None


class Reference(_Model):
    doc_type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    raw: str


class Signer(_Model):
    authority: str | None = None
    position: str | None = None
    name: str | None = None


class Received(_Model):
    number: str | None = None
    date: str | None = None
    by: str | None = None


class Metadata(_Model):
    doc_type: str | None = None
    doc_type_code: str | None = None
    regime: Regime | None = None
    number: str | None = None
    issuer: str | None = None
    issuer_parent: str | None = None
    place: str | None = None
    date: str | None = None
    title: str | None = None
    references: list[Reference] = Field(default_factory=list)
    signer: Signer | None = None
    recipients: list[str] = Field(default_factory=list)
    received: Received | None = None


class Span(_Model):
    page: int | None = None
    line: int


class Owners(_Model):
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    monitor: list[str] = Field(default_factory=list)


class Timeframe(_Model):
    raw: str
    kind: TimeframeKind
    start: str | None = None
    end: str | None = None
    recurrence: Recurrence | None = None


class Node(_Model):
    id: str
    marker: str | None = None
    kind: NodeKind
    title: str | None = None
    text: str
    owners: Owners | None = None
    timeframe: Timeframe | None = None
    children: list[Node] = Field(default_factory=list)
    span: Span


class Item(_Model):
    id: str
    section: str | None = None
    text: str
    owners: Owners = Field(default_factory=Owners)
    timeframe: Timeframe | None = None
    origin: Origin
    span: Span


class Warning(_Model):
    code: str
    message: str
    page: int | None = None
    line: int | None = None


class Document(_Model):
    schema_version: Literal["1.0"] = "1.0"
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    sections: list[Node] = Field(default_factory=list)
    goals: list[Item] = Field(default_factory=list)
    tasks: list[Item] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)


def json_schema() -> dict[str, object]:
    """The JSON Schema of a parse result, as ``kehoach schema`` prints it."""
    schema = Document.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kehoach document"
    return schema
