"""Metadata details that no sample exercises: how issuers written in capitals are respelled."""

from __future__ import annotations

import pytest

from kehoach.extract.metadata import proper_case


@pytest.mark.parametrize(
    ("written", "spelled"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Ủy ban nhân dân tỉnh Lâm Đồng"),
        ("BAN THƯỜNG VỤ TỈNH ỦY", "Ban Thường vụ Tỉnh ủy"),
        ("SỞ NỘI VỤ", "Sở Nội vụ"),
        # a department's fields are capitalised each (Decree 30/2020, Appendix II)
        ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở Tài nguyên và Môi trường"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
        ("SỞ CÔNG THƯƠNG TỈNH LÀO CAI", "Sở Công Thương tỉnh Lào Cai"),
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Bộ Khoa học và Công nghệ"),
        # elsewhere a comma is only a comma, and 'xã hội' is no commune
        ("BAN CHỈ ĐẠO PHÒNG, CHỐNG THAM NHŨNG", "Ban Chỉ đạo phòng, chống tham nhũng"),
        ("BẢO HIỂM XÃ HỘI TỈNH LÂM ĐỒNG", "Bảo hiểm xã hội tỉnh Lâm Đồng"),
        # committees, the Party and names spelled their own way
        ("HUYỆN ỦY BẢO LÂM", "Huyện ủy Bảo Lâm"),
        ("ĐẢNG ỦY XÃ TÂN PHÚ", "Đảng ủy xã Tân Phú"),
        ("BAN CHẤP HÀNH ĐẢNG BỘ TỈNH LÂM ĐỒNG", "Ban Chấp hành Đảng bộ tỉnh Lâm Đồng"),
        ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH LÀO CAI",
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai"),
        ("UBND XÃ HÒA BÌNH", "UBND xã Hòa Bình"),  # acronyms stay as written
        ("Sở Công thương", "Sở Công thương"),  # mixed case is the writer's own
    ],
)
def test_proper_case(written: str, spelled: str) -> None:
    assert proper_case(written) == spelled
