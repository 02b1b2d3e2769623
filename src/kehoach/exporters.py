"""One exporter per format. Every field is always present; output is byte-stable."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from pydantic_core import to_json as _core_json
from pydantic_core import to_jsonable_python

from .models import Document, Item

FORMATS = ("json", "yaml", "jsonl", "csv")
CSV_COLUMNS = ["id", "kind", "section", "text", "lead", "support", "monitor", "timeframe_raw",
               "timeframe_kind", "start", "end", "recurrence"]


def to_data(doc: Document) -> dict[str, Any]:
    """The document as JSON data: dicts, lists, strings, numbers and None."""
    return to_jsonable_python(doc)  # type: ignore[no-any-return]


# pydantic-core's serializer walks the dataclasses in field order and gives the same bytes as
# json.dumps(to_data(doc), ensure_ascii=False, indent=2 | separators=(",", ":")) (same escapes,
# raw UTF-8, no floats in the contract; tests/test_batch.py checks it) at ~7x the speed:
# json.dumps falls back to pure Python as soon as indent is set.


def to_json(doc: Document) -> str:
    return _core_json(doc, indent=2).decode() + "\n"


def to_jsonl(doc: Document) -> str:
    return _core_json(doc).decode() + "\n"


def to_yaml(doc: Document) -> str:
    import yaml

    return str(yaml.safe_dump(to_data(doc), allow_unicode=True, sort_keys=False, width=100))


def csv_rows(doc: Document) -> list[list[str]]:
    """Goals then tasks, one row each, in CSV_COLUMNS order (lists joined with '; ')."""
    return [_row("goal", g) for g in doc.goals] + [_row("task", t) for t in doc.tasks]


def _row(kind: str, item: Item) -> list[str]:
    tf = item.timeframe
    return [item.id, kind, item.section or "", item.text, "; ".join(item.owners.lead),
            "; ".join(item.owners.support), "; ".join(item.owners.monitor),
            tf.raw if tf else "", tf.kind if tf else "", (tf.start or "") if tf else "",
            (tf.end or "") if tf else "", (tf.recurrence or "") if tf else ""]


def to_csv(docs: Sequence[Document], *, with_source: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow((["source"] if with_source else []) + CSV_COLUMNS)
    for doc in docs:
        for row in csv_rows(doc):
            writer.writerow(([doc.source.name] if with_source else []) + row)
    return buf.getvalue()


def render(docs: Sequence[Document], fmt: str) -> str:
    """All documents of one ``parse`` run in ``fmt``, as written to stdout or to a file."""
    if fmt == "csv":
        return to_csv(docs, with_source=len(docs) > 1)
    if fmt == "jsonl":
        return "".join(to_jsonl(d) for d in docs)
    if fmt == "yaml":
        return "---\n".join(to_yaml(d) for d in docs) if len(docs) > 1 else to_yaml(docs[0])
    if len(docs) == 1:
        return to_json(docs[0])
    return json.dumps([to_data(d) for d in docs], ensure_ascii=False, indent=2) + "\n"
