"""Section headings of plans, spelled right: OCR drops tone marks ('YÊU CẢU', 'NỌI DUNG',
'TÓ CHỨC'), and a heading that matches one of these once diacritics are folded away is
given its proper spelling (DOMAIN §1.3 lists the headings seen across the corpus)."""

from __future__ import annotations

from ..tables import fold

KNOWN = [
    "MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH", "YÊU CẦU", "MỤC TIÊU", "MỤC TIÊU CHUNG", "MỤC TIÊU CỤ THỂ",
    "CHỈ TIÊU", "CHỈ TIÊU, NHIỆM VỤ", "NỘI DUNG", "NHIỆM VỤ", "NHIỆM VỤ, GIẢI PHÁP",
    "NHIỆM VỤ VÀ GIẢI PHÁP", "NHIỆM VỤ TRỌNG TÂM", "NHIỆM VỤ CỤ THỂ", "GIẢI PHÁP THỰC HIỆN",
    "NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "TỔ CHỨC THỰC HIỆN", "KINH PHÍ THỰC HIỆN", "KINH PHÍ",
    "CHẾ ĐỘ BÁO CÁO", "VỐN ĐẦU TƯ", "PHẠM VI, ĐỐI TƯỢNG", "ĐỐI TƯỢNG, PHẠM VI",
    "THỜI GIAN, ĐỊA ĐIỂM", "THÀNH PHẦN", "PHÂN CÔNG NHIỆM VỤ", "TRÁCH NHIỆM THỰC HIỆN",
]
_BY_FOLD = {fold(k): k for k in KNOWN}


def canonical(title: str) -> str | None:
    """The proper spelling of an upper-case heading whose diacritics were misread, else None."""
    if title != title.upper():
        return None
    known = _BY_FOLD.get(fold(title))
    return known if known and known != title else None
