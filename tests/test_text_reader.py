"""Text and markdown input: encodings, line endings, NFC, pipe tables, warnings."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from click.testing import CliRunner

from kehoach import parse_bytes, parse_text
from kehoach.cli import main
from kehoach.errors import StrictError
from kehoach.readers.base import Line, Table
from kehoach.readers.text import read_text

PLAN = ("KẾ HOẠCH\nTuyên truyền cải cách hành chính\n\nI. NHIỆM VỤ\n"
        "1. Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức tập huấn (Thời gian thực hiện: "
        "trong quý II/2026).\n")


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    lambda s: s.encode("utf-16"),  # with its BOM
    lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
    lambda s: s.replace("\n", "\r\n").encode("utf-8"),
    lambda s: s.replace("\n", "\r").encode("utf-8"),
    lambda s: unicodedata.normalize("NFD", s).encode("utf-8"),
], ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "crlf", "cr", "nfd"])
def test_encodings_and_line_endings_give_the_same_plan(encode) -> None:  # type: ignore[no-untyped-def]
    expected = parse_text(PLAN)
    doc = parse_bytes(encode(PLAN), "plan.txt")
    assert doc.sections == expected.sections
    assert doc.tasks == expected.tasks
    task = doc.tasks[0]
    assert task.owners.lead == ["Sở Nội vụ"] and task.owners.support == ["Sở Tư pháp"]
    assert task.timeframe is not None and task.timeframe.start == "2026-04-01"


def test_lines_keep_their_numbers_and_gaps() -> None:
    raw = read_text(b"a\n\n\nb\nc\n", "x.txt")
    assert [(b.text, b.line, b.gap) for b in raw.blocks if isinstance(b, Line)] == [
        ("a", 1, True), ("b", 4, True), ("c", 5, False)]
    assert raw.format == "text" and read_text(b"x", "x.md").format == "markdown"


def test_markdown_pipe_table_is_a_table() -> None:
    raw = read_text(b"| TT | Nhi\xe1\xbb\x87m v\xe1\xbb\xa5 |\n|---|---|\n| 1 | A \\| B |\nsau\n", "t.md")
    table = raw.blocks[0]
    assert isinstance(table, Table)
    assert table.rows == [["TT", "Nhiệm vụ"], ["1", "A | B"]]
    assert isinstance(raw.blocks[1], Line) and raw.blocks[1].text == "sau"


def test_unparsed_timeframe_is_a_warning_and_strict_makes_it_an_error() -> None:
    text = PLAN.replace("trong quý II/2026", "khi có đủ điều kiện về kinh phí")
    doc = parse_text(text)
    assert doc.tasks[0].timeframe is not None
    assert doc.tasks[0].timeframe.kind == "unspecified"
    assert doc.tasks[0].timeframe.raw == "Thời gian thực hiện: khi có đủ điều kiện về kinh phí"
    assert [(w.code, w.line) for w in doc.warnings] == [("unparsed_timeframe", 5)]
    with pytest.raises(StrictError, match=r"unparsed_timeframe \(line 5\)"):
        parse_text(text, strict=True)
    result = CliRunner().invoke(main, ["parse", "--strict", "-"], input=text.encode())
    assert result.exit_code == 1 and "unparsed_timeframe" in result.stderr
