"""Owners of plan items (CONTRACT 'Owners', DOMAIN §1.3): sentences, headings, agency lists."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.extract.owners import heading_owner, owners_in_text, split_agencies
from kehoach.models import Owners

SEED_COLLECTIVE_1 = (
    "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh, người đứng đầu các cấp ủy, tổ chức đảng, "
    "các cơ quan, đơn vị"
)
SEED_COLLECTIVE_2 = (
    "Các đảng đoàn, ban cán sự đảng, Ban Thường vụ Tỉnh đoàn, các huyện ủy, thị ủy, thành ủy, "
    "đảng ủy trực thuộc Tỉnh ủy"
)
SEED_COLLECTIVE_3 = (
    "Các cấp ủy, tổ chức đảng, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"
)

# (text, lead, support, monitor)
OWNER_CASES: list[tuple[str, list[str], list[str], list[str]]] = [
    # --- the seed plan (95-KH/TU, Bình Định) ---
    (("Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan hướng dẫn các cấp ủy "
     "tổ chức nghiên cứu, học tập, quán triệt Nghị quyết số 20-NQ/TW."),
     ["Ban Tuyên giáo Tỉnh ủy"], ["các cơ quan liên quan"], []),
    (("Chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức học tập, quán triệt, tuyên "
     "truyền, phổ biến về nội dung và kết quả thực hiện Nghị quyết số 20-NQ/TW."),
     [], ["các cơ quan, đơn vị liên quan"], []),
    (("- Chủ trì, phối hợp với các cơ quan, đơn vị liên quan chỉ đạo các cơ quan thông tin đại "
     "chúng tăng cường tuyên truyền nội dung Nghị quyết số 20-NQ/TW."),
     [], ["các cơ quan, đơn vị liên quan"], []),
    (("Văn phòng Tỉnh ủy chủ trì, phối hợp với các Ban của Tỉnh ủy và các cơ quan, đơn vị liên "
     "quan theo dõi, kiểm tra, giám sát, đôn đốc việc tổ chức thực hiện Kế hoạch./."),
     ["Văn phòng Tỉnh ủy"], ["các Ban của Tỉnh ủy", "các cơ quan, đơn vị liên quan"], []),
    (("Liên minh Hợp tác xã tỉnh xây dựng chương trình, kế hoạch thực hiện Nghị quyết số "
     "20-NQ/TW, bảo đảm thực hiện tốt vai trò là tổ chức đại diện (Thời gian thực hiện: từ năm "
     "2022)."),
     ["Liên minh Hợp tác xã tỉnh"], [], []),
    (SEED_COLLECTIVE_3 + " căn cứ nội dung Nghị quyết số 20-NQ/TW, Kế hoạch thực hiện của Ban "
     "Thường vụ Tỉnh ủy, tập trung lãnh đạo, chỉ đạo nghiên cứu, xây dựng chương trình.",
     [SEED_COLLECTIVE_3], [], []),
    (SEED_COLLECTIVE_1 + " chịu trách nhiệm chỉ đạo, tổ chức nghiên cứu, quán triệt Nghị quyết "
     "số 20-NQ/TW, Kế hoạch thực hiện của Ban Thường vụ Tỉnh ủy.",
     [SEED_COLLECTIVE_1], [], []),
    (SEED_COLLECTIVE_2 + " chịu trách nhiệm triển khai thực hiện Kế hoạch này.",
     [SEED_COLLECTIVE_2], [], []),
    # --- state-plan style (UBND / Sở) ---
    (("Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp, Công an tỉnh tổ chức kiểm tra công tác cải "
     "cách hành chính."),
     ["Sở Nội vụ"], ["Sở Tư pháp", "Công an tỉnh"], []),
    (("Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan tham mưu Ủy ban nhân dân "
     "tỉnh bố trí kinh phí."),
     ["Sở Tài chính"], ["các sở, ngành liên quan"], []),
    (("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh chỉ đạo các tổ chức thành viên tăng cường "
     "tuyên truyền, vận động."),
     ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], [], []),
    ("UBND các xã, phường có trách nhiệm triển khai thực hiện Kế hoạch này trên địa bàn.",
     ["UBND các xã, phường"], [], []),
    ("Đơn vị chủ trì: Sở Công Thương; Đơn vị phối hợp: Sở Tài chính, Công an tỉnh.",
     ["Sở Công Thương"], ["Sở Tài chính", "Công an tỉnh"], []),
    ("Trách nhiệm chỉ đạo thực hiện: Ban Thường vụ Tỉnh ủy",
     ["Ban Thường vụ Tỉnh ủy"], [], []),
    ("Công an tỉnh chủ trì tham mưu triển khai Đề án 06 trên địa bàn tỉnh.",
     ["Công an tỉnh"], [], []),
    ("Sở Y tế chủ trì thực hiện.", ["Sở Y tế"], [], []),
    ("Hằng năm, Sở Nội vụ chủ trì, phối hợp với Sở Kế hoạch và Đầu tư tổng hợp kết quả.",
     ["Sở Nội vụ"], ["Sở Kế hoạch và Đầu tư"], []),
    (("Tuyên truyền, phổ biến pháp luật về phòng, chống tham nhũng do Sở Tư pháp chủ trì thực "
     "hiện."),
     ["Sở Tư pháp"], [], []),
    ("Cải cách thủ tục hành chính; giao Văn phòng UBND tỉnh theo dõi, đôn đốc các sở, ngành.",
     ["Văn phòng UBND tỉnh"], [], []),
    ("Yêu cầu Thủ trưởng các sở, ban, ngành nghiêm túc triển khai thực hiện.",
     ["Thủ trưởng các sở, ban, ngành"], [], []),
    (("Sở Thông tin và Truyền thông chủ trì, phối hợp chặt chẽ với Đài Phát thanh và Truyền hình "
     "tỉnh, Báo Bình Định để tuyên truyền rộng rãi."),
     ["Sở Thông tin và Truyền thông"],
     ["Đài Phát thanh và Truyền hình tỉnh", "Báo Bình Định"], []),
    (("Sở Xây dựng chủ trì, phối hợp với Mặt trận Tổ quốc và các tổ chức chính trị - xã hội "
     "tuyên truyền, vận động nhân dân."),
     ["Sở Xây dựng"], ["Mặt trận Tổ quốc", "các tổ chức chính trị - xã hội"], []),
    ("Phối hợp với Ban Tổ chức Tỉnh ủy rà soát, kiện toàn bộ máy.",
     [], ["Ban Tổ chức Tỉnh ủy"], []),
    (("Lãnh đạo phụ trách: Phó Giám đốc Sở; Phối hợp: Công an tỉnh, Sở Tư pháp; các cơ quan "
     "liên quan"),
     [], ["Công an tỉnh", "Sở Tư pháp", "các cơ quan liên quan"], ["Phó Giám đốc Sở"]),
    ("Theo dõi, kiểm tra, đôn đốc: Văn phòng UBND tỉnh", [], [], ["Văn phòng UBND tỉnh"]),
    ("Cơ quan thực hiện: Sở Giáo dục và Đào tạo; Thời gian thực hiện: Quý II/2024.",
     ["Sở Giáo dục và Đào tạo"], [], []),
    (("Chủ trì thực hiện: Sở Nông nghiệp và Phát triển nông thôn.\nPhối hợp thực hiện: UBND các "
     "huyện, thị xã, thành phố."),
     ["Sở Nông nghiệp và Phát triển nông thôn"], ["UBND các huyện, thị xã, thành phố"], []),
    ("Uỷ ban nhân dân tỉnh chỉ đạo các sở, ngành xây dựng kế hoạch.",
     ["Uỷ ban nhân dân tỉnh"], [], []),
    ("Ban Dân vận Tỉnh ủy chủ trì, hướng dẫn Mặt trận Tổ quốc tổ chức các hoạt động.",
     ["Ban Dân vận Tỉnh ủy"], [], []),    # subjects listed with ';' before a responsibility verb (the project's state sample)
    ("Các sở, ban, ngành; Ủy ban nhân dân các xã, phường có trách nhiệm triển khai các nhiệm vụ.",
     ["Các sở, ban, ngành", "Ủy ban nhân dân các xã, phường"], [], []),
]

NO_OWNER_CASES = [
    ("Xây dựng nội dung, hình thức tuyên truyền về phát triển kinh tế tập thể phù hợp với từng "
    "đối tượng, bảo đảm thiết thực và hiệu quả."),
    ("Đẩy mạnh công tác kiểm tra, giám sát việc tổ chức triển khai thực hiện Nghị quyết số "
    "20-NQ/TW, Kế hoạch thực hiện của Ban Thường vụ Tỉnh ủy của các cấp ủy, tổ chức đảng, cơ "
    "quan, đơn vị; kịp thời chỉ đạo, chấn chỉnh những nơi chưa làm tốt."),
    ("Tập trung chỉ đạo quyết liệt, toàn diện, đồng bộ, hiệu quả việc triển khai thực hiện Nghị "
    "quyết số 20-NQ/TW trên địa bàn."),
    ("Tổ chức tuyên truyền trong các tổ chức thành viên, đoàn viên, hội viên và nhân dân về chủ "
    "trương, đường lối của Đảng."),
    ("Định kỳ sơ kết, tổng kết và báo cáo kết quả thực hiện Nghị quyết số 20-NQ/TW và Kế hoạch "
    "này cho Ban Thường vụ Tỉnh ủy."),
    "Nêu cao trách nhiệm của các cấp ủy, tổ chức đảng, các cấp, các ngành.",
    "Ban Thường vụ Tỉnh ủy và xây dựng kế hoạch thực hiện trong phạm vi phụ trách.",
    "Báo cáo kết quả thực hiện trước ngày 15/12 hằng năm.",
    "Bộ máy tổ chức được kiện toàn.",
    "Chủ trì tham mưu xây dựng kế hoạch.",
    "",
]


@pytest.mark.parametrize(("text", "lead", "support", "monitor"), OWNER_CASES)
def test_owners_in_text(text: str, lead: list[str], support: list[str], monitor: list[str]) -> None:
    assert owners_in_text(text) == Owners(lead=lead, support=support, monitor=monitor)


@pytest.mark.parametrize("text", NO_OWNER_CASES)
def test_owners_in_text_none(text: str) -> None:
    assert owners_in_text(text) is None


def test_collective_lead_is_one_entry() -> None:
    owners = owners_in_text(SEED_COLLECTIVE_2 + " chịu trách nhiệm triển khai thực hiện.")
    assert owners is not None and len(owners.lead) == 1


def test_owners_keep_text_as_written_from_nfd_input() -> None:
    text = unicodedata.normalize("NFD", "Sở Tư pháp chủ trì, phối hợp với Công an tỉnh tổ chức kiểm tra.")
    assert owners_in_text(text) == Owners(lead=["Sở Tư pháp"], support=["Công an tỉnh"])


HEADING_CASES: list[tuple[str, str | None]] = [
    ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"),
    ("Đảng đoàn Hội đồng nhân dân tỉnh lãnh đạo Hội đồng nhân dân tỉnh:",
     "Đảng đoàn Hội đồng nhân dân tỉnh"),
    (("Ban cán sự đảng Ủy ban nhân dân tỉnh chỉ đạo Ủy ban nhân dân tỉnh, chính quyền các địa "
     "phương:"), "Ban cán sự đảng Ủy ban nhân dân tỉnh"),
    ("Các đảng đoàn, ban cán sự đảng, các cơ quan, tổ chức có liên quan trên địa bàn tỉnh",
     "Các đảng đoàn, ban cán sự đảng, các cơ quan, tổ chức có liên quan trên địa bàn tỉnh"),
    ("Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
     "Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"),
    (("Đảng đoàn Mặt trận Tổ quốc Việt Nam tỉnh, các tổ chức chính trị - xã hội, Liên minh Hợp "
     "tác xã tỉnh và Ban Thường vụ Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
     ("Đảng đoàn Mặt trận Tổ quốc Việt Nam tỉnh, các tổ chức chính trị - xã hội, Liên minh Hợp "
     "tác xã tỉnh và Ban Thường vụ Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh")),
    ("Sở Tài chính", "Sở Tài chính"),
    ("Ủy ban nhân dân các xã, phường", "Ủy ban nhân dân các xã, phường"),
    ("Trách nhiệm của các sở, ngành", "các sở, ngành"),
    ("Văn phòng Tỉnh ủy:", "Văn phòng Tỉnh ủy"),
    ("Ban  Tuyên giáo   Tinh uy.", "Ban Tuyên giáo Tinh uy"),  # OCR without tone marks
    ("Uỷ ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh"),  # new-style tone placement
    ("Công an tỉnh", "Công an tỉnh"),
    ("ĐẢNG ĐOÀN HĐND TỈNH LÃNH ĐẠO HĐND TỈNH:", "ĐẢNG ĐOÀN HĐND TỈNH"),
    ("MỤC ĐÍCH, YÊU CẦU", None),
    ("NHIỆM VỤ TRỌNG TÂM", None),
    ("Mục tiêu cụ thể", None),
    ("Công tác tuyên truyền", None),
    ("Nhiệm vụ, giải pháp", None),
    ("Đẩy mạnh cải cách hành chính", None),
    ("Tổ chức thực hiện", None),
    ("Kinh phí thực hiện", None),
    ("Phòng, chống tham nhũng", None),
    ("Các chỉ tiêu cụ thể đến năm 2030", None),
    ("Ban hành văn bản hướng dẫn", None),
    ("", None),
]


@pytest.mark.parametrize(("title", "expected"), HEADING_CASES)
def test_heading_owner(title: str, expected: str | None) -> None:
    assert heading_owner(title) == expected


SPLIT_CASES: list[tuple[str, list[str]]] = [
    ("các cơ quan, đơn vị liên quan", ["các cơ quan, đơn vị liên quan"]),
    ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
    ("Sở Tài chính, Sở Nội vụ và UBND các xã", ["Sở Tài chính", "Sở Nội vụ", "UBND các xã"]),
    ("các Ban của Tỉnh ủy và các cơ quan, đơn vị liên quan",
     ["các Ban của Tỉnh ủy", "các cơ quan, đơn vị liên quan"]),
    ("Công an tỉnh, Sở Tư pháp; các cơ quan liên quan",
     ["Công an tỉnh", "Sở Tư pháp", "các cơ quan liên quan"]),
    ("- Sở Kế hoạch và Đầu tư;\n+ Sở Văn hóa, Thể thao và Du lịch.",
     ["Sở Kế hoạch và Đầu tư", "Sở Văn hóa, Thể thao và Du lịch"]),
    ("Sở Lao động - Thương binh và Xã hội, UBND các huyện, thị xã, thành phố",
     ["Sở Lao động - Thương binh và Xã hội", "UBND các huyện, thị xã, thành phố"]),
    ("Sở Tài chính  (chủ trì, tổng hợp)", ["Sở Tài chính (chủ trì, tổng hợp)"]),
    ("Ủy ban nhân dân các huyện, thị xã, thành phố.", ["Ủy ban nhân dân các huyện, thị xã, thành phố"]),
    (" ; ,\n- ", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT_CASES)
def test_split_agencies(text: str, expected: list[str]) -> None:
    assert split_agencies(text) == expected


def test_split_agencies_returns_nfc() -> None:
    text = unicodedata.normalize("NFD", "Sở Tư pháp, Công an tỉnh")
    assert split_agencies(text) == ["Sở Tư pháp", "Công an tỉnh"]


_VI_WORDS = st.sampled_from([
    "Sở", "Ban", "chủ trì", "phối hợp", "với", "các", "cơ quan", ",", ";", ":", ".", "\n", "và",
    "Đơn vị chủ trì:", "Phối hợp:", "giao", "Đề nghị", "tổ chức", "chịu trách nhiệm", "Tỉnh ủy",
    "UBND", "-", "(", ")", "Uỷ", "TINH UY", "thực hiện",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_VI_WORDS, max_size=40).map(" ".join)))
def test_never_raises(text: str) -> None:
    owners = owners_in_text(text)
    assert owners is None or isinstance(owners, Owners)
    assert heading_owner(text) is None or isinstance(heading_owner(text), str)
    assert all(entry for entry in split_agencies(text))
