"""The JSON contract (shared CONTRACT.md) as plain dataclasses; pydantic derives its schema.

Every key is always present: optional values default to ``None`` and lists to ``[]``, and the
exporters write defaults too. Field names are a public interface: extend freely, never rename
without bumping ``SCHEMA_VERSION``.

Why dataclasses and not pydantic models: building a dozen pydantic models costs ~0.1 s at
every start, and validating each node as the pipeline makes it costs as much again over a
batch, for values the pipeline itself produced. So the parse path builds slotted dataclasses,
and pydantic-core serialises them (:mod:`.exporters`). pydantic reads the same classes, with
the configuration below, wherever input from outside must be checked: :func:`validate` for a
document read back from JSON, :func:`json_schema` for ``kehoach schema``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from pydantic import TypeAdapter

SCHEMA_VERSION = "1.0"

SourceFormat = Literal["pdf", "docx", "doc", "text", "markdown"]
TextLayer = Literal["native", "ocr", "repaired"]
Regime = Literal["party", "state"]
NodeKind = Literal["roman", "arabic", "decimal", "letter", "bullet", "paragraph"]
TimeframeKind = Literal[
    "ongoing", "recurring", "period", "deadline", "from", "until", "unspecified"
]
Recurrence = Literal["P1Y", "P6M", "P3M", "P1M", "P1W"]
Origin = Literal["body", "table"]

# read by pydantic (a ConfigDict, spelled as the dict it is so that importing this module
# never imports pydantic): unknown keys are refused, and the serialization schema marks every
# key required, since the exporters always write it
_CONFIG: dict[str, Any] = {"extra": "forbid", "json_schema_serialization_defaults_required": True}


@dataclass(slots=True, kw_only=True)
class Source:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    name: str  # file name only, never a path of the machine; '-' for stdin
    format: SourceFormat
    pages: int | None = None
    sha256: str
    text_layer: TextLayer | None = None


@dataclass(slots=True, kw_only=True)
class Reference:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    doc_type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    raw: str


@dataclass(slots=True, kw_only=True)
class Signer:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    authority: str | None = None
    position: str | None = None
    name: str | None = None


@dataclass(slots=True, kw_only=True)
class Received:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    number: str | None = None
    date: str | None = None
    by: str | None = None


@dataclass(slots=True, kw_only=True)
class Metadata:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    doc_type: str | None = None
    doc_type_code: str | None = None
    regime: Regime | None = None
    number: str | None = None
    issuer: str | None = None
    issuer_parent: str | None = None
    place: str | None = None
    date: str | None = None
    title: str | None = None
    references: list[Reference] = field(default_factory=list)
    signer: Signer | None = None
    recipients: list[str] = field(default_factory=list)
    received: Received | None = None


@dataclass(slots=True, kw_only=True)
class Span:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    page: int | None = None
    line: int


@dataclass(slots=True, kw_only=True)
class Owners:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    monitor: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Timeframe:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    raw: str
    kind: TimeframeKind
    start: str | None = None
    end: str | None = None
    recurrence: Recurrence | None = None


@dataclass(slots=True, kw_only=True)
class Node:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    id: str
    marker: str | None = None
    kind: NodeKind
    title: str | None = None
    text: str
    owners: Owners | None = None
    timeframe: Timeframe | None = None
    children: list[Node] = field(default_factory=list)
    span: Span


@dataclass(slots=True, kw_only=True)
class Item:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    id: str
    section: str | None = None
    text: str
    owners: Owners = field(default_factory=Owners)
    timeframe: Timeframe | None = None
    origin: Origin
    span: Span


@dataclass(slots=True, kw_only=True)
class Warning:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    code: str
    message: str
    page: int | None = None
    line: int | None = None


@dataclass(slots=True, kw_only=True)
class Document:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG
    schema_version: Literal["1.0"] = "1.0"
    source: Source
    metadata: Metadata = field(default_factory=Metadata)
    sections: list[Node] = field(default_factory=list)
    goals: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


@cache
def _adapter() -> TypeAdapter[Document]:
    from pydantic import TypeAdapter

    return TypeAdapter(Document)


def validate(data: Any) -> Document:
    """A document from its JSON data (``json.loads`` of an output), checked against the
    contract; raises ``pydantic.ValidationError`` when it does not conform."""
    return _adapter().validate_python(data)


def json_schema() -> dict[str, object]:
    """The JSON Schema of a parse result, as ``kehoach schema`` prints it."""
    schema = _adapter().json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kehoach document"
    props = schema["$defs"]["Source"]["properties"]
    props["name"] = {"description": "File name only, never a path of the machine; '-' for "
                     "stdin.", **props["name"]}  # fmt: skip
    return schema
