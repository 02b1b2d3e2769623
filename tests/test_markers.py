from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach.markers import match_marker, roman_value, to_roman

CASES = [
    # text, kind, style, label, number, rest
    ("I - MỤC ĐÍCH, YÊU CẦU", "roman", "roman", "I -", "I", "MỤC ĐÍCH, YÊU CẦU"),
    ("I- MỤC ĐÍCH", "roman", "roman", "I-", "I", "MỤC ĐÍCH"),
    ("II. NỘI DUNG", "roman", "roman", "II.", "II", "NỘI DUNG"),
    ("IV – NHIỆM VỤ CỤ THỂ", "roman", "roman", "IV –", "IV", "NHIỆM VỤ CỤ THỂ"),
    ("XII. KINH PHÍ", "roman", "roman", "XII.", "XII", "KINH PHÍ"),
    ("1. Tạo chuyển biến", "arabic", "arabic", "1.", "1", "Tạo chuyển biến"),
    ("1.Tạo chuyển biến", "arabic", "arabic", "1.", "1", "Tạo chuyển biến"),
    ("2- Ban Tuyên giáo", "arabic", "arabic", "2-", "2", "Ban Tuyên giáo"),
    ("3) Sở Nội vụ", "arabic", "arabic", "3)", "3", "Sở Nội vụ"),
    ("12. Ủy ban nhân dân các xã", "arabic", "arabic", "12.", "12", "Ủy ban nhân dân các xã"),
    ("1.1. Mục tiêu chung", "decimal", "decimal2", "1.1.", "1.1", "Mục tiêu chung"),
    ("3.2.1 Kiểm tra", "decimal", "decimal3", "3.2.1", "3.2.1", "Kiểm tra"),
    ("3.5) Báo cáo", "decimal", "decimal2", "3.5)", "3.5", "Báo cáo"),
    ("a) Rà soát", "letter", "letter", "a)", "a", "Rà soát"),
    ("đ) Tổ chức", "letter", "letter", "đ)", "đ", "Tổ chức"),
    ("g) Kiểm tra", "letter", "letter", "g)", "g", "Kiểm tra"),
    ("b. Công khai", "letter", "letter", "b.", "b", "Công khai"),
    ("- Bố trí ngân sách", "bullet", "dash", "-", None, "Bố trí ngân sách"),
    ("-Bố trí ngân sách", "bullet", "dash", "-", None, "Bố trí ngân sách"),
    ("– Bố trí", "bullet", "dash", "–", None, "Bố trí"),
    ("+ Cấp tỉnh", "bullet", "plus", "+", None, "Cấp tỉnh"),
    ("• Cấp xã", "bullet", "dot", "•", None, "Cấp xã"),
    ("* Cấp xã", "bullet", "star", "*", None, "Cấp xã"),
    ("Phần I. NHỮNG VẤN ĐỀ CHUNG", "roman", "phan", "Phần I.", "I", "NHỮNG VẤN ĐỀ CHUNG"),
    ("Phần thứ nhất: ĐÁNH GIÁ", "arabic", "phan", "Phần thứ nhất:", "1", "ĐÁNH GIÁ"),
    ("Chương II QUY ĐỊNH CỤ THỂ", "roman", "chuong", "Chương II", "II", "QUY ĐỊNH CỤ THỂ"),
    ("Mục 2. Trách nhiệm", "arabic", "muc", "Mục 2.", "2", "Trách nhiệm"),
    ("Điều 5. Hiệu lực thi hành", "arabic", "dieu", "Điều 5.", "5", "Hiệu lực thi hành"),
    ("Khoản 1. Phạm vi", "arabic", "khoan", "Khoản 1.", "1", "Phạm vi"),
    ("PHỤ LỤC I", "roman", "phuluc", "PHỤ LỤC I", "PL.I", ""),
    ("Phụ lục số 02: DANH MỤC", "arabic", "phuluc", "Phụ lục số 02:", "PL.02", "DANH MỤC"),
]

NOT_MARKERS = [
    "Thực hiện Nghị quyết số 20-NQ/TW",
    "Mục tiêu cụ thể",
    "2021 - 2025 là giai đoạn",
    "1.5 triệu đồng mỗi năm",
    "*",
    "-5% so với năm trước",
    "V/v triển khai kế hoạch",
    "Việt Nam",
    "I. là chữ cái",
    "Phụ lục kèm theo Kế hoạch",
    "-----",
    "15/4/2026 là hạn chót",
]


@pytest.mark.parametrize(("text", "kind", "style", "label", "number", "rest"), CASES)
def test_marker(text: str, kind: str, style: str, label: str, number: str | None,
                rest: str) -> None:
    m = match_marker(text)
    assert m is not None
    assert (m.kind, m.style, m.label, m.number, m.rest) == (kind, style, label, number, rest)


@pytest.mark.parametrize("text", NOT_MARKERS)
def test_not_a_marker(text: str) -> None:
    assert match_marker(text) is None


@given(st.integers(min_value=1, max_value=399))
def test_roman_round_trip(n: int) -> None:
    assert roman_value(to_roman(n)) == n


@pytest.mark.parametrize("bad", ["IIII", "VX", "IL", "", "ABC"])
def test_malformed_roman(bad: str) -> None:
    assert roman_value(bad) is None


@given(st.text())
def test_match_marker_never_raises(text: str) -> None:
    match_marker(text)
