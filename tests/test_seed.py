"""The plan the project started from: a Party plan, markdown from an OCR'd scan (issues 2, 3)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kehoach import parse_file
from kehoach.cli import main
from kehoach.models import Document, Item, Node

from .conftest import SEED, shared_file


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_file(shared_file(SEED))


def nodes(doc: Document) -> dict[str, Node]:
    out: dict[str, Node] = {}

    def walk(n: Node) -> None:
        out[n.id] = n
        for c in n.children:
            walk(c)

    for n in doc.sections:
        walk(n)
    return out


def items(doc: Document) -> dict[str, Item]:
    return {i.id: i for i in doc.goals + doc.tasks}


def test_top_sections(doc: Document) -> None:
    top = [(n.id, n.title) for n in doc.sections if n.kind == "roman"]
    assert top == [
        ("I", "MỤC ĐÍCH, YÊU CẦU"),
        ("II", "CÔNG TÁC QUÁN TRIỆT NGHỊ QUYẾT VÀ TRIỂN KHAI KẾ HOẠCH THỰC HIỆN"),
        ("III", "NHIỆM VỤ TRỌNG TÂM"),
        ("IV", "NHIỆM VỤ CỤ THỂ"),
        ("V", "TỔ CHỨC THỰC HIỆN"),
    ]


def test_numbered_children_and_bullets(doc: Document) -> None:
    by_id = nodes(doc)
    numbered = {k: [c.id for c in by_id[k].children if c.kind == "arabic"]
                for k in ("I", "II", "III", "IV", "V")}
    assert {k: len(v) for k, v in numbered.items()} == {"I": 2, "II": 2, "III": 4, "IV": 6, "V": 2}
    bullets = {k: sum(c.kind == "bullet" for c in by_id[k].children)
               for k in ("IV.1", "IV.2", "IV.3", "IV.5", "IV.6")}
    # IV.3–IV.5 are markdown '###' and IV.6 is '##': the same level all the same
    assert bullets == {"IV.1": 2, "IV.2": 3, "IV.3": 2, "IV.5": 3, "IV.6": 3}
    assert by_id["IV.3"].title == "Ban Tuyên giáo Tỉnh ủy"
    assert by_id["IV.6"].title == "Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"


def test_page_break_splits_rejoined(doc: Document) -> None:
    by_id = nodes(doc)
    assert "Kế hoạch thực hiện của Ban Thường vụ Tỉnh ủy và xây dựng" in by_id["II.2"].text
    assert "có liên quan về đổi mới, phát triển" in by_id["IV.2.-1"].text


def test_no_markdown_left_and_every_body_line_kept(doc: Document) -> None:
    texts = [n.text for n in nodes(doc).values()] + [n.title or "" for n in nodes(doc).values()]
    assert not any("**" in t or t.startswith("#") for t in texts)
    body = " ".join(n.text for n in nodes(doc).values())
    for phrase in ("cụ thể như sau:", "chiêu lè", "Thời gian hoàn thành: Trong quý I/2023.",
                   "thực hiện Kế hoạch."):
        assert phrase in body
    assert "Nơi nhận" not in body and "Ban Bí thư Trung ương Đảng" not in body


def test_metadata(doc: Document) -> None:
    m = doc.metadata
    assert (m.doc_type, m.doc_type_code, m.regime) == ("Kế hoạch", "KH", "party")
    assert m.title is not None and m.title.startswith("thực hiện Nghị quyết số 20-NQ/TW")
    assert m.number is None  # the incoming stamp's 684 is not the document's number
    assert m.received is not None
    assert (m.received.number, m.received.date) == ("684", "2023-01-18")
    ref = next(r for r in m.references if r.number == "20-NQ/TW")
    assert (ref.doc_type, ref.date, ref.issuer) == (
        "Nghị quyết", "2022-06-16", "Ban Chấp hành Trung ương Đảng khóa XIII")
    assert m.recipients[0] == "Ban Bí thư Trung ương Đảng"
    assert m.recipients[-1] == "Lưu Văn phòng Tỉnh ủy"
    assert 9 <= len(m.recipients) <= 10


def test_goals_and_tasks(doc: Document) -> None:
    assert [g.id for g in doc.goals] == ["I.1", "I.2"]
    assert len(doc.tasks) == 22
    led = [t for t in doc.tasks if t.owners.lead]
    assert len(led) >= 18
    assert {t.id for t in doc.tasks if not t.owners.lead} >= {"III.2", "III.3", "III.4"}
    assert all(t.origin == "body" and t.section for t in doc.tasks)


def test_owners_and_timeframes(doc: Document) -> None:
    it = items(doc)

    def tf(i: str) -> tuple[str | None, str | None, str | None]:
        t = it[i].timeframe
        return (t.kind, t.start, t.end) if t else (None, None, None)

    assert it["II.1"].owners.lead == ["Ban Tuyên giáo Tỉnh ủy"]
    assert it["II.1"].owners.support == ["các cơ quan liên quan"]
    assert tf("II.1") == ("ongoing", None, None)
    assert tf("II.2") == ("period", "2023-01-01", "2023-03-31")
    for i in ("IV.1.-1", "IV.1.-2"):
        assert it[i].owners.lead == ["Đảng đoàn Hội đồng nhân dân tỉnh"]
        assert tf(i) == ("from", "2023-01-01", None)
    for i in ("IV.2.-1", "IV.2.-2", "IV.2.-3"):
        assert it[i].owners.lead == ["Ban cán sự đảng Ủy ban nhân dân tỉnh"]
    for i in ("IV.3.-1", "IV.3.-2"):
        assert it[i].owners.lead == ["Ban Tuyên giáo Tỉnh ủy"]
        assert it[i].owners.support == ["các cơ quan, đơn vị liên quan"]
        assert tf(i) == ("ongoing", None, None)
    assert tf("IV.4.-1") == ("ongoing", None, None)
    assert nodes(doc)["IV.4"].timeframe is not None
    assert it["IV.5.-3"].owners.lead == ["Liên minh Hợp tác xã tỉnh"]
    assert tf("IV.5.-3") == ("from", "2022-01-01", None)
    assert "huyện ủy" in it["IV.6.-1"].owners.lead[0]
    assert tf("IV.6.-1") == ("period", "2023-02-01", "2023-02-28")
    assert tf("IV.6.-2") == ("period", "2023-01-01", "2023-03-31")
    assert it["V.2"].owners.lead == ["Văn phòng Tỉnh ủy"]
    assert "các Ban của Tỉnh ủy" in it["V.2"].owners.support


def test_csv_has_a_header_and_24_rows() -> None:
    result = CliRunner().invoke(main, ["parse", "--format", "csv", str(shared_file(SEED))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip("\n").split("\n")
    assert lines[0].startswith("id,kind,section,text,lead,support,monitor,timeframe_raw")
    assert len(lines) == 25


def test_yaml_equals_json() -> None:
    import yaml

    runner = CliRunner()
    as_json = runner.invoke(main, ["parse", str(shared_file(SEED))])
    as_yaml = runner.invoke(main, ["parse", "-f", "yaml", str(SEED)])
    assert as_json.exit_code == as_yaml.exit_code == 0
    assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout)
