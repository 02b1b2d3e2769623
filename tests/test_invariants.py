"""Properties that hold for any input: the builder never raises and never drops text, and the
JSON of any parse validates against the published schema and round-trips through the models."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kehoach import parse_text
from kehoach.errors import ReadError
from kehoach.exporters import to_json
from kehoach.models import json_schema, validate
from kehoach.normalize import Para, join_paragraphs
from kehoach.structure.tree import build_tree

from .conftest import SAMPLES

SCHEMA = json_schema()

MARKERS = ["I - ", "II. ", "1. ", "2- ", "3.1. ", "a) ", "đ) ", "- ", "+ ", "• ", "", "", ""]
WORDS = ["Sở Nội vụ", "chủ trì", "phối hợp với", "các cơ quan liên quan", "tổ chức", "KẾ HOẠCH",
         "Thời gian thực hiện:", "Thường xuyên.", "quý I/2023", "của", "MỤC TIÊU", "./.",
         "Nơi nhận:", "**", "###", "từ năm 2023", ",", "(Thời gian hoàn thành: trong tháng 02/2023)"]

line = st.builds(lambda m, ws: m + " ".join(ws), st.sampled_from(MARKERS),
                 st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
plan = st.lists(line, min_size=1, max_size=30).map("\n".join)


def _words(text: str) -> list[str]:
    return sorted(re.findall(r"\w+", text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60).filter(str.strip), max_size=25))
def test_builder_never_raises_never_drops_text(texts: list[str]) -> None:
    paras = [Para(t.strip(), i + 1, gap=i % 3 == 0) for i, t in enumerate(texts)]
    joined = join_paragraphs(list(paras))
    tree = build_tree(joined)
    kept = " ".join(f"{n.marker.label if n.marker else ''} {n.text}" for n in tree.walk())
    assert _words(kept) == _words(" ".join(p.text for p in paras))


@settings(max_examples=60, deadline=None)
@given(plan)
def test_any_parse_validates_and_round_trips(text: str) -> None:
    try:
        doc = parse_text(text)
    except ReadError:
        return
    data = json.loads(to_json(doc))
    jsonschema.validate(data, SCHEMA)
    assert validate(data) == doc


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises_anything_but_read_error(text: str) -> None:
    try:
        parse_text(text)
    except ReadError:
        pass


def test_samples_validate_against_schema() -> None:
    for sample in SAMPLES.glob("*.txt"):
        jsonschema.validate(json.loads(to_json(parse_text(sample.read_text()))), SCHEMA)


@pytest.mark.parametrize(
    ("where", "key", "value", "complaint"),
    [
        ("metadata", "extra", 1, "metadata.extra"),  # unknown keys are refused, at any depth
        ("source", "format", "xls", "source.format"),
        ("source", "pages", "many", "source.pages"),
    ],
)
def test_validate_refuses_what_the_contract_does_not_allow(
    where: str, key: str, value: object, complaint: str
) -> None:
    data = json.loads(to_json(parse_text("KẾ HOẠCH\nThực hiện chuyển đổi số.\n")))
    assert validate(data) == parse_text("KẾ HOẠCH\nThực hiện chuyển đổi số.\n")
    data[where][key] = value
    with pytest.raises(ValidationError, match=re.escape(complaint)):
        validate(data)
