"""Timeframe slots and their normalisation (CONTRACT "Timeframes", DOMAIN §1.3-1.4)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.extract.timeframes import find_timeframe, is_timeframe_line, parse_timeframe

# (phrase, kind, start, end, recurrence); parsed without a document year unless noted.
PARSE_CASES = [
    # ongoing
    ("Thường xuyên", "ongoing", None, None, None),
    ("Thường xuyên.", "ongoing", None, None, None),
    ("Thường xuyên, hằng năm", "ongoing", None, None, None),
    ("Thường xuyên, giai đoạn 2026-2030", "ongoing", "2026-01-01", "2030-12-31", None),
    ("Thường xuyên từ năm 2023", "ongoing", "2023-01-01", None, None),
    # recurring
    ("Hàng năm", "recurring", None, None, "P1Y"),
    ("Hằng năm", "recurring", None, None, "P1Y"),
    ("hằng năm (trước ngày 10/12)", "recurring", None, None, "P1Y"),
    ("Định kỳ 6 tháng", "recurring", None, None, "P6M"),
    ("định kỳ hằng quý", "recurring", None, None, "P3M"),
    ("hàng quý", "recurring", None, None, "P3M"),
    ("hằng tháng", "recurring", None, None, "P1M"),
    ("trước ngày 18 hằng tháng", "recurring", None, None, "P1M"),
    ("hằng tuần", "recurring", None, None, "P1W"),
    ("Hằng năm, giai đoạn 2026-2030", "recurring", "2026-01-01", "2030-12-31", "P1Y"),
    # quarters, with OCR slips
    ("Trong quý I/2023", "period", "2023-01-01", "2023-03-31", None),
    ("trong quý I/2023", "period", "2023-01-01", "2023-03-31", None),
    ("quý I/2023", "period", "2023-01-01", "2023-03-31", None),
    ("trong quý I năm 2026", "period", "2026-01-01", "2026-03-31", None),
    ("Xong trong Quý II/2026", "period", "2026-04-01", "2026-06-30", None),
    ("quý 2/2026", "period", "2026-04-01", "2026-06-30", None),
    ("Trong quý I và II/2024", "period", "2024-01-01", "2024-06-30", None),
    ("quý III, IV/2025", "period", "2025-07-01", "2025-12-31", None),
    ("Quý II - III/2026", "period", "2026-04-01", "2026-09-30", None),
    ("quý l/2023", "period", "2023-01-01", "2023-03-31", None),
    ("quý 1I/2023", "period", "2023-04-01", "2023-06-30", None),
    ("quý Il/2023", "period", "2023-04-01", "2023-06-30", None),
    ("Quí III/2024", "period", "2024-07-01", "2024-09-30", None),
    ("qúy IV/2024", "period", "2024-10-01", "2024-12-31", None),
    # halves and months
    ("6 tháng đầu năm 2023", "period", "2023-01-01", "2023-06-30", None),
    ("6 tháng cuối năm 2023", "period", "2023-07-01", "2023-12-31", None),
    ("trong tháng 02/2023", "period", "2023-02-01", "2023-02-28", None),
    ("tháng 02 năm 2023", "period", "2023-02-01", "2023-02-28", None),
    ("trong tháng 2/2024", "period", "2024-02-01", "2024-02-29", None),
    ("Xong trong tháng 5/2026", "period", "2026-05-01", "2026-05-31", None),
    # deadlines
    ("trước ngày 30/6/2023", "deadline", None, "2023-06-30", None),
    ("chậm nhất là ngày 15/4/2026", "deadline", None, "2026-04-15", None),
    ("trước ngày 01/01/2030", "deadline", None, "2030-01-01", None),
    ("hạn chót ngày 20/6/2026", "deadline", None, "2026-06-20", None),
    ("đến ngày 31/12/2025", "deadline", None, "2025-12-31", None),
    ("trước ngày 15 tháng 3 năm 2026", "deadline", None, "2026-03-15", None),
    ("trước ngày 10/12", "deadline", None, None, None),
    ("hoàn thành trước 30/6/2026", "deadline", None, "2026-06-30", None),
    ("hoàn thành trước quý III/2026", "deadline", None, "2026-09-30", None),
    # open starts
    ("từ năm 2023", "from", "2023-01-01", None, None),
    ("từ năm 2022", "from", "2022-01-01", None, None),
    ("từ năm 2023 trở đi", "from", "2023-01-01", None, None),
    ("từ 2023", "from", "2023-01-01", None, None),
    ("từ tháng 3/2026", "from", "2026-03-01", None, None),
    ("từ tháng3/2026", "from", "2026-03-01", None, None),
    ("từ ngày 15/3/2026", "from", "2026-03-15", None, None),
    # stated ranges
    ("từ ngày 15/12/2025 đến ngày 14/6/2026", "period", "2025-12-15", "2026-06-14", None),
    ("từ năm 2023 đến năm 2025", "period", "2023-01-01", "2025-12-31", None),
    ("từ 2023 - 2025", "period", "2023-01-01", "2025-12-31", None),
    ("từ tháng 3 đến tháng 6/2026", "period", "2026-03-01", "2026-06-30", None),
    ("Từ tháng 3/2026 đến hết năm 2026", "period", "2026-03-01", "2026-12-31", None),
    (
        "kỳ 6 tháng (từ ngày 15/12/2025 đến ngày 14/6/2026, gửi trước ngày 20/6/2026)",
        "period",
        "2025-12-15",
        "2026-06-14",
        None,
    ),
    # whole years and stages
    ("năm 2025", "period", "2025-01-01", "2025-12-31", None),
    ("Năm 2026", "period", "2026-01-01", "2026-12-31", None),
    ("Trong năm 2026", "period", "2026-01-01", "2026-12-31", None),
    ("hoàn thành trong năm 2026", "period", "2026-01-01", "2026-12-31", None),
    ("giai đoạn 2021 - 2025", "period", "2021-01-01", "2025-12-31", None),
    ("giai đoạn 2021-2030", "period", "2021-01-01", "2030-12-31", None),
    ("thời kỳ 2021–2030", "period", "2021-01-01", "2030-12-31", None),
    ("nhiệm kỳ 2025-2030", "period", "2025-01-01", "2030-12-31", None),
    ("2026 - 2030", "period", "2026-01-01", "2030-12-31", None),
    ("năm 2026-2030", "period", "2026-01-01", "2030-12-31", None),
    # horizons
    ("đến năm 2030", "until", None, "2030-12-31", None),
    ("đến hết năm 2030", "until", None, "2030-12-31", None),
    ("tầm nhìn đến năm 2050", "until", None, "2050-12-31", None),
    ("Phấn đấu đến năm 2030", "until", None, "2030-12-31", None),
    # event times
    ("13h30' ngày 29/4/2026", "period", "2026-04-29", "2026-04-29", None),
    ("ngày 29/4/2026", "period", "2026-04-29", "2026-04-29", None),
    # a labelled slot is parsed by its value
    ("Thời gian thực hiện: từ năm 2023", "from", "2023-01-01", None, None),
]


@pytest.mark.parametrize(("phrase", "kind", "start", "end", "recurrence"), PARSE_CASES)
def test_parse_timeframe(
    phrase: str, kind: str, start: str | None, end: str | None, recurrence: str | None
) -> None:
    timeframe, understood = parse_timeframe(phrase)
    assert understood
    assert (timeframe.kind, timeframe.start, timeframe.end, timeframe.recurrence) == (
        kind,
        start,
        end,
        recurrence,
    )


@pytest.mark.parametrize(
    ("phrase", "kind", "start", "end"),
    [
        ("trước ngày 10/12", "deadline", None, "2025-12-10"),
        ("Trong quý I", "period", "2025-01-01", "2025-03-31"),
        ("6 tháng đầu năm", "period", "2025-01-01", "2025-06-30"),
        ("từ ngày 15/12 đến ngày 14/6/2026", "period", "2025-12-15", "2026-06-14"),
    ],
)
def test_year_less_dates_take_the_document_year(
    phrase: str, kind: str, start: str | None, end: str | None
) -> None:
    timeframe, understood = parse_timeframe(phrase, year=2025)
    assert understood
    assert (timeframe.kind, timeframe.start, timeframe.end) == (kind, start, end)


@pytest.mark.parametrize(
    "phrase",
    ["Theo quy định", "Theo tiến độ của dự án", "Khi có yêu cầu", "Đột xuất", "theo kế hoạch"],
)
def test_vague_phrases_are_understood_but_unspecified(phrase: str) -> None:
    timeframe, understood = parse_timeframe(phrase)
    assert understood
    assert (timeframe.kind, timeframe.start, timeframe.end) == ("unspecified", None, None)


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "abc",
        "trước ngày 31/2/2023",
        "tháng 13/2023",
        "quý V/2023",
        "Trong quý I",
        "2030 - 2025",
    ],
)
def test_unreadable_or_invalid_values_are_not_understood(phrase: str) -> None:
    timeframe, understood = parse_timeframe(phrase)
    assert not understood
    assert (timeframe.kind, timeframe.start, timeframe.end) == ("unspecified", None, None)


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("Thường xuyên.", "Thường xuyên"),
        ("  Trong   quý I/2023 ;", "Trong quý I/2023"),
        ("*từ năm 2023*", "từ năm 2023"),
        ("thời kỳ 2021–2030,", "thời kỳ 2021–2030"),
    ],
)
def test_raw_is_kept_tidied(raw: str, kept: str) -> None:
    assert parse_timeframe(raw)[0].raw == kept


# (text, slot raw or None, kind, start, end). The slot raw is the whole slot as written, label
# included, without markdown or the enclosing parentheses; Timeframe.raw is the same string.
FIND_CASES = [
    (  # a reporting period (kh-996): the data period, the submission date kept in raw
        (
            "Các đơn vị báo cáo kết quả kỳ 6 tháng (từ ngày 15/12/2025 đến ngày 14/6/2026, gửi "
            "trước ngày 20/6/2026) và kỳ 12 tháng (từ ngày 15/12/2025 đến ngày 14/12/2026)."
        ),
        "kỳ 6 tháng (từ ngày 15/12/2025 đến ngày 14/6/2026, gửi trước ngày 20/6/2026)",
        "period",
        "2025-12-15",
        "2026-06-14",
    ),
    (
        (
            "- Bố trí ngân sách nhà nước trung hạn và hàng năm hỗ trợ phát triển kinh tế tập thể "
            "(*Thời gian thực hiện: từ năm 2023*)."
        ),
        "Thời gian thực hiện: từ năm 2023",
        "from",
        "2023-01-01",
        None,
    ),
    (
        (
            "Tổ chức nghiên cứu, quán triệt trong cán bộ, đảng viên và nhân dân thuộc phạm vi phụ "
            "trách (Thời gian hoàn thành: trong tháng 02/2023)."
        ),
        "Thời gian hoàn thành: trong tháng 02/2023",
        "period",
        "2023-02-01",
        "2023-02-28",
    ),
    (
        "Rà soát quy hoạch, hoàn thành trong quý IV năm 2026.",
        "hoàn thành trong quý IV năm 2026",
        "period",
        "2026-10-01",
        "2026-12-31",
    ),
    (
        (
            "Triển khai thực hiện hiệu quả Chiến lược phát triển kinh tế tập thể, hợp tác xã giai "
            "đoạn 2021 - 2030, kế hoạch phát triển kinh tế tập thể, hợp tác xã giai đoạn 2021 - 2025 "
            "và hàng năm."
        ),
        None,
        None,
        None,
        None,
    ),
    (
        (
            "Triển khai thực hiện hiệu quả Chiến lược phát triển kinh tế tập thể, hợp tác xã giai "
            "đoạn 2021 - 2030"
        ),
        None,
        None,
        None,
        None,
    ),
    (
        "Thời gian thực hiện: Thường xuyên.",
        "Thời gian thực hiện: Thường xuyên",
        "ongoing",
        None,
        None,
    ),
    (
        "- Thời gian hoàn thành: Trong quý I/2023.",
        "Thời gian hoàn thành: Trong quý I/2023",
        "period",
        "2023-01-01",
        "2023-03-31",
    ),
    (
        "Báo cáo kết quả về UBND tỉnh chậm nhất là ngày 15/4/2026.",
        "chậm nhất là ngày 15/4/2026",
        "deadline",
        None,
        "2026-04-15",
    ),
    (
        "Các sở gửi báo cáo trước ngày 15/4/2026 để tổng hợp.",
        "trước ngày 15/4/2026",
        "deadline",
        None,
        "2026-04-15",
    ),
    (
        "Sở Tài chính chủ trì, xong trước ngày 30/6/2026.",
        "xong trước ngày 30/6/2026",
        "deadline",
        None,
        "2026-06-30",
    ),
    (
        "Thực hiện trong tháng 02/2023 việc sơ kết.",
        "Thực hiện trong tháng 02/2023",
        "period",
        "2023-02-01",
        "2023-02-28",
    ),
    ("Xây dựng kế hoạch cụ thể (quý I/2023).", "quý I/2023", "period", "2023-01-01", "2023-03-31"),
    (
        "Tiến độ thực hiện: từ ngày 15/12/2025 đến ngày 14/6/2026; Đơn vị chủ trì: Sở Nội vụ.",
        "Tiến độ thực hiện: từ ngày 15/12/2025 đến ngày 14/6/2026",
        "period",
        "2025-12-15",
        "2026-06-14",
    ),
    (
        "Thời gian thực hiện: hằng năm (trước ngày 10/12).",
        "Thời gian thực hiện: hằng năm (trước ngày 10/12)",
        "recurring",
        None,
        None,
    ),
    ("Căn cứ Kế hoạch (Kế hoạch số 12/KH-UBND ngày 5/3/2023).", None, None, None, None),
    # a time phrase opening the sentence, before its first comma
    ("Phấn đấu đến năm 2030, 100% xã có hợp tác xã.", "Phấn đấu đến năm 2030", "until", None,
     "2030-12-31"),
    ("Định kỳ hằng quý, Sở Nội vụ tổng hợp, báo cáo.", "Định kỳ hằng quý", "recurring", None,
     None),
    ("- **Hằng năm**, các sở rà soát danh mục.", "Hằng năm", "recurring", None, None),
    ("Trong quý III/2024, hoàn thành việc rà soát.", "Trong quý III/2024", "period",
     "2024-07-01", "2024-09-30"),
    ("Từ năm 2025, các xã tự đánh giá.", "Từ năm 2025", "from", "2025-01-01", None),
    ("Đến hết năm 2027 có 100% hồ sơ được số hóa.", "Đến hết năm 2027", "until", None,
     "2027-12-31"),  # a target year needs no comma
    ("Trong quá trình thực hiện, nếu có vướng mắc, báo cáo Sở Nội vụ.", None, None, None, None),
    ("Trong thời gian tới, tập trung chỉ đạo.", None, None, None, None),
    ("Hằng năm các sở rà soát danh mục.", None, None, None, None),  # no comma: no opening phrase
    # a clause later in the sentence wins over the opening phrase
    ("Hằng năm, các đơn vị báo cáo, hoàn thành trước ngày 15/12/2024.",
     "hoàn thành trước ngày 15/12/2024", "deadline", None, "2024-12-15"),
    ("Rà soát, hoàn thành 2/3 khối lượng công việc.", None, None, None, None),
    ("Tổ chức hội nghị sơ kết trong năm 2025 tại tỉnh.", None, None, None, None),
]


@pytest.mark.parametrize(("text", "slot", "kind", "start", "end"), FIND_CASES)
def test_find_timeframe(
    text: str, slot: str | None, kind: str | None, start: str | None, end: str | None
) -> None:
    found = find_timeframe(text)
    if slot is None:
        assert found is None
        return
    assert found is not None
    raw, timeframe, understood = found
    assert understood
    assert raw == timeframe.raw == slot
    assert (timeframe.kind, timeframe.start, timeframe.end) == (kind, start, end)


def test_find_timeframe_reports_an_impossible_date_as_not_understood() -> None:
    found = find_timeframe("Gửi báo cáo trước ngày 31/2/2026.")
    assert found is not None
    raw, timeframe, understood = found
    assert (raw, timeframe.kind, understood) == ("trước ngày 31/2/2026", "unspecified", False)


def test_find_timeframe_passes_the_document_year() -> None:
    found = find_timeframe("Báo cáo UBND tỉnh trước ngày 10/12.", year=2024)
    assert found is not None
    assert found[1].end == "2024-12-10"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Thời gian thực hiện: Thường xuyên.", True),
        ("- Thời gian hoàn thành: Trong quý I/2023.", True),
        ("*Thời gian thực hiện: từ năm 2023*", True),
        ("_Thời gian thực hiện: từ năm 2023_", True),
        ("(Thời gian thực hiện: từ năm 2023).", True),
        ("Thời hạn hoàn thành: trước ngày 30/6/2023", True),
        ("Tiến độ: Quý II/2026", True),
        ("Thời gian thực hiện:", True),
        ("Thời gian thực hiện: quý I/2023. Sở Nội vụ chủ trì.", False),
        ("Thời gian thực hiện: quý I/2023; Đơn vị chủ trì: Sở Nội vụ", False),
        ("Rà soát văn bản (Thời gian thực hiện: từ năm 2023).", False),
        ("3. Thời gian thực hiện", False),
        ("Thường xuyên.", False),
    ],
)
def test_is_timeframe_line(line: str, expected: bool) -> None:
    assert is_timeframe_line(line) is expected


_VOCABULARY = (
    "quý quí l I 1I Il V IV và , - – / / năm tháng ngày trước từ đến hết hằng hàng định kỳ "
    "Thường xuyên giai đoạn hoàn thành xong chậm nhất là 6 đầu cuối ( ) : ; . Thời gian thực "
    "hiện 0 1 2 10 12 13 31 29 02 2023 2025 2030 0000 9999 18 theo quy định"
)
_WORDS = st.sampled_from(_VOCABULARY.split())


@settings(max_examples=300)
@given(st.one_of(st.text(), st.lists(_WORDS, max_size=14).map(" ".join)), st.none() | st.integers())
def test_never_raises_and_ranges_are_ordered(text: str, year: int | None) -> None:
    timeframe, understood = parse_timeframe(text, year=year)
    if timeframe.start and timeframe.end:
        assert timeframe.start <= timeframe.end
    if not understood:
        assert (timeframe.kind, timeframe.start, timeframe.end) == ("unspecified", None, None)
    found = find_timeframe(text, year=year)
    assert found is None or found[0] == found[1].raw
    is_timeframe_line(text)
