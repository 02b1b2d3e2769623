"""Small plans written for one rule each: levels, ids, zones (the contract's meanings)."""

from __future__ import annotations

from kehoach import parse_text
from kehoach.models import Document, Node


def _ids(doc: Document) -> list[str]:
    def walk(n: Node) -> list[str]:
        return [n.id, *(i for c in n.children for i in walk(c))]

    return [i for n in doc.sections for i in walk(n)]


def test_decimal_ids_carry_their_parent_number() -> None:
    doc = parse_text("II. NỘI DUNG\n3. Kiểm tra\n3.1. Hồ sơ\n3.2. Thực địa\na) Kho\n")
    assert _ids(doc) == ["II", "II.3", "II.3.1", "II.3.2", "II.3.2.a"]
    top = parse_text("1. Mục tiêu\n3.1. Hồ sơ\n")
    assert _ids(top) == ["1", "1.3.1"]


def test_bullets_under_a_roman_heading_do_not_capture_later_items() -> None:
    doc = parse_text("I. MỤC ĐÍCH\n- Nâng cao nhận thức.\n- Bảo đảm tiến độ.\n"
                     "II. NHIỆM VỤ\n1. Sở Nội vụ chủ trì tổ chức tập huấn.\n- Cấp tỉnh.\n"
                     "2. Sở Tư pháp rà soát văn bản.\n")
    assert _ids(doc) == ["I", "I.-1", "I.-2", "II", "II.1", "II.1.-1", "II.2"]


def test_markdown_heading_depth_never_decides_a_level() -> None:
    doc = parse_text("# I - NHIỆM VỤ\n### 1. Sở Nội vụ\n- Tập huấn.\n## 2. Sở Tư pháp\n- Rà soát.\n")
    assert _ids(doc) == ["I", "I.1", "I.1.-1", "I.2", "I.2.-1"]


def test_plus_bullets_nest_under_dash_bullets() -> None:
    doc = parse_text("I. NHIỆM VỤ\n1. Tuyên truyền:\n- Trên báo chí:\n+ Báo tỉnh.\n+ Đài tỉnh.\n"
                     "- Trên mạng xã hội.\n")
    assert _ids(doc) == ["I", "I.1", "I.1.-1", "I.1.-1.-1", "I.1.-1.-2", "I.1.-2"]
    assert [t.id for t in doc.tasks] == ["I.1.-1.-1", "I.1.-1.-2", "I.1.-2"]


def test_a_closing_timeframe_line_qualifies_the_whole_group() -> None:
    doc = parse_text("I. NHIỆM VỤ\n1. Sở Nội vụ\n- Tập huấn cán bộ.\n- Kiểm tra các xã.\n"
                     "Thời gian thực hiện: Trong quý III/2026.\n2. Sở Tư pháp rà soát văn bản.\n")
    tasks = {t.id: t for t in doc.tasks}
    assert set(tasks) == {"I.1.-1", "I.1.-2", "I.2"}
    for i in ("I.1.-1", "I.1.-2"):
        assert tasks[i].timeframe is not None and tasks[i].timeframe.end == "2026-09-30"
        assert tasks[i].owners.lead == ["Sở Nội vụ"]
    assert tasks["I.2"].timeframe is None


def test_official_letter_header_without_a_type_line() -> None:
    doc = parse_text(
        "ỦY BAN NHÂN DÂN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH THANH SƠN   Độc lập - Tự do - Hạnh phúc\n"
        "Số: 12/UBND-VX   Thanh Sơn, ngày 05 tháng 3 năm 2026\n"
        "V/v triển khai Kế hoạch cải cách hành chính\n\n"
        "Kính gửi: Các sở, ban, ngành tỉnh.\n\n"
        "1. Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức kiểm tra trước ngày 30/6/2026.\n"
    )
    m = doc.metadata
    assert (m.number, m.date, m.place, m.issuer) == (
        "12/UBND-VX", "2026-03-05", "Thanh Sơn", "Ủy ban nhân dân tỉnh Thanh Sơn")
    assert (m.doc_type, m.title) == ("Công văn", "triển khai Kế hoạch cải cách hành chính")
    assert m.recipients == ["Các sở, ban, ngành tỉnh"]
    assert _ids(doc) == ["1"]
    assert doc.tasks[0].owners.support == ["Sở Tư pháp"]
