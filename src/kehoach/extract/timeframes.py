"""Timeframes: find the slot that says when a task is due, and normalise its value.

Only slot text is normalised (DOMAIN §1.3): in running prose ``năm 2025`` is a mention, not a
timeframe. ``start``/``end`` are inclusive ISO dates and only what the text states (CONTRACT
"Timeframes"); ``trước X`` is a deadline ending with X, as the contract reads ``trước ngày``.
Pure functions that never raise: an unreadable or impossible date gives ``understood=False``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date

from kehoach.models import Recurrence, Timeframe, TimeframeKind
from kehoach.normalize import is_collapsed

from .. import patterns

__all__ = ["find_timeframe", "is_timeframe_line", "parse_timeframe"]

_Span = tuple[date, date]
_Result = tuple[TimeframeKind, date | None, date | None, Recurrence | None]
_Parser = Callable[[str, int | None], _Result | None]
_I = re.IGNORECASE

# One character for one character, so offsets found in the folded text index the clean text.
_FOLD = str.maketrans("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2044", "-------/")
_FOLDABLE = patterns.compile("[\u2010-\u2015\u2212\u2044]")

# ---- building blocks (named groups; `_plain` strips the names for use inside larger patterns)
_Y = r"(?<![0-9])[12][0-9]{3}(?![0-9])"
_N2 = r"[0-9]{1,2}(?![0-9])"
_DSEP = r"(?:\s*/\s*|\s+tháng\s+)"
_YSEP = r"(?:\s*/\s*|\s+năm\s+)"
_QU = r"(?:qu[ýí]|qúy)"
_QTOK = r"(?:[ivl1|]{1,3}|[1-4])(?!\w)"  # OCR turns the roman I into l, 1 or |
_QSEP = rf"\s*(?:,|và|-|đến|&)\s*(?:{_QU}\s*)?"
_DAY_C = rf"(?:ngày\s+)?(?P<d>{_N2}){_DSEP}(?P<m>{_N2})(?:{_YSEP}(?P<y>{_Y}))?"
_MONTH_C = rf"tháng\s*(?P<m>{_N2})(?:{_YSEP}(?P<y>{_Y}))?"
_QUARTER_C = rf"{_QU}\s*(?P<qs>{_QTOK}(?:{_QSEP}{_QTOK})*)(?:\s*,?\s*(?:/|-|năm)\s*(?P<y>{_Y}))?"
_HALF_C = rf"(?<![0-9])(?:6|06|sáu)\s+tháng\s+(?P<h>đầu|cuối)(?:\s+năm)?(?:\s*(?P<y>{_Y}))?"
_YEAR_C = rf"(?:năm\s+)?(?P<y>{_Y})"


def _plain(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_DAY, _MONTH, _QUARTER, _HALF = map(_plain, (_DAY_C, _MONTH_C, _QUARTER_C, _HALF_C))
_POINT = rf"(?:{_DAY}|{_MONTH}|{_QUARTER}|{_HALF}|{_plain(_YEAR_C)})"
_COARSE = rf"(?:{_MONTH}|{_QUARTER}|{_HALF}|năm\s+{_Y})"  # coarser than a day
# Without 'ngày' only a full d/m/yyyy is a date: 'hoàn thành 2/3 khối lượng' is a fraction.
_DATE = rf"(?:ngày\s+{_DAY}|{_N2}\s*/\s*{_N2}\s*/\s*{_Y})"

_LABEL = (
    r"(?<!\w)(?:thời\s+gian|thời\s+hạn|tiến\s+độ)"
    r"(?:\s+(?:thực\s+hiện|hoàn\s+thành|triển\s+khai|gửi\s+báo\s+cáo|báo\s+cáo|kiểm\s+tra|"
    r"tổ\s+chức|tập\s+huấn|giám\s+sát|khảo\s+sát|thanh\s+tra|tuyên\s+truyền)){0,2}\s*:"
)
_LABEL_RE = patterns.compile(_LABEL, _I)
_LABEL_PREFIX_RE = patterns.compile(rf"^[\s\-+•(]*{_LABEL}\s*", _I)
_LABEL_LINE_RE = patterns.compile(rf"^[-+•]?\s*\(?\s*{_LABEL}", _I)
_LINE_END_RE = patterns.compile(r"[\s.;,)]*")  # all a label line may have after its value

_VAGUE_START_RE = patterns.compile(
    r"^\(?theo\s+(?:quy\s+định|tiến\s+độ|kế\s+hoạch|yêu\s+cầu|chỉ\s+đạo|điều|nghị|quyết|thông"
    r"|hướng\s+dẫn|văn\s+bản|lịch)",
    _I,
)
_VAGUE_RE = patterns.compile(
    r"(?<!\w)(?:theo\s+(?:quy\s+định|tiến\s+độ|kế\s+hoạch|yêu\s+cầu|chỉ\s+đạo)"
    r"|khi\s+(?:có\s+yêu\s+cầu|cần\s+thiết)|đột\s+xuất)(?!\w)",
    _I,
)
_ONGOING_RE = patterns.compile(r"(?<!\w)thường\s+xuyên(?!\w)", _I)
_RECUR_RE = patterns.compile(
    r"(?<!\w)(?:(?:hằng|hàng|mỗi)\s+|định\s+kỳ\s+(?:(?:hằng|hàng)\s+)?)(?P<unit>năm|quý|tháng|tuần)(?!\w)"
    r"|(?<!\w)định\s+kỳ\s+(?P<n>[0-9]{1,2})\s+tháng"
    r"|(?<![\w0-9])(?P<k>[0-9]{1,2})\s+tháng\s+(?:một|1)\s+lần",
    _I,
)
_RECUR: dict[str, Recurrence] = {"năm": "P1Y", "quý": "P3M", "tháng": "P1M", "tuần": "P1W"}
_RECUR |= {"1": "P1M", "3": "P3M", "6": "P6M", "12": "P1Y"}  # 'định kỳ N tháng'


_QSEP_RE = patterns.compile(_QSEP, _I)
_Y_RE = patterns.compile(_Y)
_RANGE_RE = patterns.compile(
    rf"(?<!\w)(?:từ\s+)?(?P<a>{_POINT})\s*(?:-|đến|tới)\s*(?:hết\s+)?(?P<b>{_POINT})", _I
)
_DEADLINE_PREFIX = (
    r"(?<!\w)(?:trước|chậm\s+nhất(?:\s+(?:là|vào|trong))*|hạn\s+chót(?:\s+là)?|không\s+quá"
)
_DEADLINE_DAY_RE = patterns.compile(rf"{_DEADLINE_PREFIX}|đến(?:\s+hết)?)\s+(?P<p>{_DATE})", _I)
_DEADLINE_COARSE_RE = patterns.compile(
    rf"{_DEADLINE_PREFIX})\s+(?:(?:trong|vào)\s+)?(?P<p>{_COARSE})", _I
)
_FROM_RE = patterns.compile(rf"(?<!\w)từ\s+(?P<p>{_POINT})", _I)
_UNTIL_RE = patterns.compile(
    rf"(?<!\w)(?:đến|tới)(?:\s+hết)?\s+(?P<p>{_MONTH}|{_QUARTER}|(?:năm\s+)?{_Y})", _I
)
_PERIOD_RE = patterns.compile(rf"(?<!\w)(?P<p>ngày\s+{_DAY}|{_QUARTER}|{_HALF}|{_MONTH}|năm\s+{_Y})", _I)
_YEAR_RE = patterns.compile(rf"(?<!\w)năm\s+(?P<p>{_Y})", _I)
_BARE_YEAR_RE = patterns.compile(rf"(?:(?:hoàn\s+thành|xong)\s+)?(?:(?:trong|vào)\s+)?(?P<p>{_Y})", _I)

_CLAUSE_RE = patterns.compile(
    r"(?<!\w)(?:"
    r"(?:hoàn\s+thành|xong)(?:\s+(?:trước|trong|vào|chậm\s+nhất|là|đến|hết|cuối|dứt\s+điểm))*\s+"
    rf"(?:{_DATE}|{_QUARTER}|{_HALF}|{_MONTH}|năm\s+{_Y}(?:\s*-\s*{_Y})?)"
    rf"|(?:chậm\s+nhất(?:\s+(?:là|vào|trong))*|trước|hạn\s+chót(?:\s+là)?)\s+{_DATE}"
    rf"|chậm\s+nhất(?:\s+(?:là|vào|trong))*\s+{_COARSE}"
    r"|trước\s+ngày\s+[0-9]{1,2}\s+(?:hằng|hàng)\s+tháng"
    rf"|(?:thực\s+hiện|triển\s+khai)\s+trong\s+(?:{_COARSE})"
    r")",
    _I,
)
_REPORT_RE = patterns.compile(
    rf"(?<!\w)kỳ\s+(?:[0-9]{{1,2}}\s+tháng|năm|quý)\s*\(\s*từ\s+ngày\s+{_DAY}\s+đến\s+ngày\s+{_DAY}"
    r"[^()]*\)", _I)
# What the slot patterns need, tested before their scans (words in ``_hint_text``): every
# slot a ':', a parenthesis, a digit or a digit-less quarter or half year ('quý I', 'sáu
# tháng đầu năm'); a label its words and ':'; a reporting period 'kỳ' and '('; a clause the
# words that open its forms ('hoàn thành', 'xong', 'chậm nhất', 'trước', 'hạn chót',
# '(thực hiện|triển khai) trong').
_DIGIT = patterns.compile(r"[0-9]")
_UNDATED_WORDS = ("quý", "quí", "qúy", "sáu")
_LABEL_WORDS = ("thời gian", "thời hạn", "tiến độ")
_REPORT_WORDS = ("kỳ",)
_CLAUSE_WORDS = ("hoàn thành", "xong", "chậm nhất", "trước", "hạn chót", "thực hiện trong",
                 "triển khai trong")
# A time phrase opening the sentence, before its first comma: 'Định kỳ hằng quý, Sở … báo
# cáo', 'Hằng năm, …', 'Trong quý III/2024, …', 'Từ năm 2025, …' (markdown and a bullet may
# come first). Its first word must be one a time phrase opens with, and the whole phrase must
# parse to a timeframe ('Trong quá trình thực hiện, …' does not). A target year needs no
# comma: 'Đến năm 2030 có 100% xã …', 'Phấn đấu đến hết năm 2027 …'.
_LEAD_RE = patterns.compile(
    r"^[\s\-+•*_]*(?P<v>(?:phấn\s+đấu\s+)?(?:đến|tới)\s+(?:hết\s+)?năm\s+[12][0-9]{3}(?![0-9])"
    r"|(?:định\s+kỳ|hằng|hàng|mỗi|trong|từ|đến|tới|trước|chậm\s+nhất|năm|quý|quí|qúy|tháng|sáu"
    r"|6|giai\s+đoạn|thường\s+xuyên|phấn\s+đấu\s+đến)(?!\w)[^,;:.()]{0,60}?(?=\s*,))", _I)
# every word of an opening time phrase is one of these, a number, a date or a roman numeral
_TIME_WORDS = frozenset({
    "định", "kỳ", "hằng", "hàng", "mỗi", "trong", "từ", "đến", "tới", "hết", "trước", "chậm",
    "nhất", "là", "vào", "năm", "quý", "quí", "qúy", "tháng", "tuần", "ngày", "sáu", "đầu",
    "cuối", "giữa", "giai", "đoạn", "thường", "xuyên", "phấn", "đấu", "nay", "và", "một", "lần",
    "các",
})
_TIME_TOKEN = patterns.compile(r"[0-9ivxl/.\-]+")  # 2025, 15/12/2025, iii/2024
_PAREN_RE = patterns.compile(r"\((?P<v>[^()]{1,160})\)[\s.;,:]*$")
# A trailing parenthesis is a slot only when it opens like a timeframe, so a cited
# "(Kế hoạch số 12/KH-UBND ngày 5/3/2023)" is not read as an event date.
_PAREN_KEY_RE = patterns.compile(
    rf"^(?:(?:hoàn\s+thành|xong|thực\s+hiện)\s+)?(?:trong|trước|từ|đến|chậm|hạn|{_QU}|tháng|năm"
    r"|giai|thời|nhiệm|hằng|hàng|định|thường|6\s+tháng|ngày|[0-9])",
    _I,
)


# ---- points in time: a matched piece → its first and last day
def _need_year(y: str | None, year: int | None) -> int:
    if y:
        return int(y)
    if year is None:
        raise ValueError("no year stated and none given")
    return year


def _month_span(y: int, m: int) -> _Span:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _quarter_no(token: str) -> int:
    if token in {"1", "2", "3", "4"}:
        return int(token)
    roman = token.upper().replace("L", "I").replace("1", "I").replace("|", "I")  # OCR's I
    number = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(roman)
    if number is None:
        raise ValueError(f"not a quarter: {token!r}")
    return number


def _quarters(m: re.Match[str], year: int | None) -> _Span:
    y = _need_year(m["y"], year)
    numbers = [_quarter_no(t) for t in _QSEP_RE.split(m["qs"])]
    first, last = min(numbers), max(numbers)
    return date(y, 3 * first - 2, 1), _month_span(y, 3 * last)[1]


def _day(m: re.Match[str], year: int | None) -> _Span:
    d = date(_need_year(m["y"], year), int(m["m"]), int(m["d"]))
    return d, d


def _half(m: re.Match[str], year: int | None) -> _Span:
    y = _need_year(m["y"], year)
    first = m["h"].lower() == "đầu"
    return (date(y, 1, 1), date(y, 6, 30)) if first else (date(y, 7, 1), date(y, 12, 31))


_POINT_PARSERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], int | None], _Span]], ...] = (
    (patterns.compile(_DAY_C, _I), _day),
    (patterns.compile(_MONTH_C, _I), lambda m, yr: _month_span(_need_year(m["y"], yr), int(m["m"]))),
    (patterns.compile(_QUARTER_C, _I), _quarters),
    (patterns.compile(_HALF_C, _I), _half),
    (patterns.compile(_YEAR_C, _I), lambda m, _: (date(int(m["y"]), 1, 1), date(int(m["y"]), 12, 31))),
)


def _span(piece: str, year: int | None) -> _Span:
    for regex, build in _POINT_PARSERS:
        if match := regex.fullmatch(piece.strip()):
            return build(match, year)
    raise ValueError(f"not a point in time: {piece!r}")


def _year_of(piece: str) -> int | None:
    found = _Y_RE.search(piece)
    return int(found.group()) if found else None


def _form(regex: re.Pattern[str], kind: TimeframeKind, *, whole: bool = False) -> _Parser:
    """A parser for one form: the span of the `p` group, cut to the ends `kind` states."""

    def parse(s: str, year: int | None) -> _Result | None:
        m = regex.fullmatch(s) if whole else regex.search(s)
        if not m:
            return None
        first, last = _span(m["p"], year)
        start = None if kind in {"deadline", "until"} else first
        return kind, start, None if kind == "from" else last, None

    return parse


_from = _form(_FROM_RE, "from")
_until = _form(_UNTIL_RE, "until")
_period = _form(_PERIOD_RE, "period")
_year_period = _form(_YEAR_RE, "period")
_bare_year = _form(_BARE_YEAR_RE, "period", whole=True)
_deadline_coarse = _form(_DEADLINE_COARSE_RE, "deadline")


def _unspecified(test: Callable[[str], object]) -> _Parser:
    return lambda s, year: ("unspecified", None, None, None) if test(s) else None


# ---- value parsers, tried in order; each returns None when its form is absent
# 'Theo Quyết định … ngày 5/3/2023' cites a document; its dates are not the timeframe.
_vague_start = _unspecified(_VAGUE_START_RE.match)
_vague = _unspecified(_VAGUE_RE.search)


def _frequency(s: str, year: int | None) -> _Result | None:
    """'Thường xuyên' (it wins over 'hằng năm' beside it) or a stated frequency."""
    kind: TimeframeKind
    if _ONGOING_RE.search(s):
        kind, recurrence = "ongoing", None
    elif (recurrence := _recurrence(s)) is not None:
        kind = "recurring"
    else:
        return None
    start, end = _written_range(s, year)
    return kind, start, end, recurrence


def _recurrence(s: str) -> Recurrence | None:
    for m in _RECUR_RE.finditer(s):
        if found := _RECUR.get(m["unit"].lower() if m["unit"] else (m["n"] or m["k"]).lstrip("0")):
            return found  # 'định kỳ 2 tháng' has no code in the contract: look further
    return None


def _written_range(s: str, year: int | None) -> tuple[date | None, date | None]:
    """The range an ongoing or recurring value states beside its frequency, if any."""
    for parser in (_range, _from, _until, _year_period):
        try:
            found = parser(s, year)
        except ValueError:
            continue  # a garbled range does not undo a clear 'Thường xuyên'
        if found:
            return found[1], found[2]
    return None, None


def _range(s: str, year: int | None) -> _Result | None:
    m = _RANGE_RE.search(s)
    if not m:
        return None
    stated_a = _year_of(m["a"])
    last = _span(m["b"], stated_a or year)
    first = _span(m["a"], last[1].year)
    if first[0] > last[1] and stated_a is None:
        first = _span(m["a"], last[1].year - 1)  # '15/12 đến 14/6/2026' crosses a new year
    if first[0] > last[1]:
        raise ValueError("range ends before it starts")
    return "period", first[0], last[1], None


def _deadline(s: str, year: int | None) -> _Result | None:
    if m := _DEADLINE_DAY_RE.search(s):
        if year is None and _year_of(m["p"]) is None:
            return "deadline", None, None, None  # 'trước ngày 10/12': clear, year unknown
        return "deadline", None, _span(m["p"], year)[1], None
    return _deadline_coarse(s, year)


# Order decides overlaps: a frequency beats the dates inside it ('hằng năm (trước ngày 10/12)'),
# a range beats its endpoints, a deadline beats the period its date falls in. Beside each, the
# words (in ``_hint_text``) one of which its pattern needs: a parser whose words are all
# absent would find nothing, so it is not run; () is run always.
_PARSERS: tuple[tuple[_Parser, tuple[str, ...]], ...] = (
    (_vague_start, ()),
    (_frequency, ("thường xuyên", "hằng", "hàng", "mỗi", "định kỳ", "lần")),
    (_range, ("-", "đến", "tới")),
    (_deadline, ("trước", "chậm nhất", "hạn chót", "không quá", "đến")),
    (_from, ("từ",)),
    (_until, ("đến", "tới")),
    (_period, ()),
    (_bare_year, ()),
    (_vague, ()),
)


def _clean(text: str, marks: str = "*_") -> str:
    """NFC, markdown emphasis gone, whitespace collapsed: the text slot raws are cut from."""
    text = unicodedata.normalize("NFC", text)
    for mark in marks:  # str.translate with a dict costs µs per call; most text has no mark
        if mark in text:
            text = text.replace(mark, "")
    return text if is_collapsed(text) else " ".join(text.split())



def _fold(text: str) -> str:
    """Dashes as '-', the fraction slash as '/' (``_FOLD``), skipped when there is none."""
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


def _hint_text(folded: str) -> str:
    """``folded`` in lower case as an IGNORECASE pattern sees it, for cheap ``in`` tests.

    A case-insensitive search cannot skip ahead to a first letter, so it runs the whole pattern
    at every char; a lower-case word (of single spaces, as ``_clean`` leaves them) that such a
    pattern needs is looked for here first. ``re`` also matches 'i' to 'ı' and 'İ' (which
    lowers to 'i' + U+0307) and 's' to 'ſ': they are 'i' and 's' here, so no match is missed.
    """
    return folded.lower().replace("i\u0307", "i").replace("ı", "i").replace("ſ", "s")


def _mentions(hints: str, words: tuple[str, ...]) -> bool:
    for word in words:  # a loop, not any(): it runs for every slot scan of every text
        if word in hints:
            return True
    return False


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def parse_timeframe(raw: str, *, year: int | None = None) -> tuple[Timeframe, bool]:
    """Normalise the value of a timeframe slot and say whether it was understood.

    `raw` may be a bare value ('Trong quý I/2023', 'Thường xuyên') or a whole labelled slot
    ('Thời gian thực hiện: từ năm 2023'); the label is skipped when parsing. `year` is the
    document's year, used for year-less dates ('trước ngày 10/12', 'trong quý I').
    The returned Timeframe keeps `raw` NFC, whitespace collapsed, markdown '*' and trailing
    '.', ';', ',' removed. Not understood → kind 'unspecified', no dates, False; explicitly
    vague values ('Theo quy định', 'Khi có yêu cầu', 'Đột xuất') → 'unspecified', True.
    """
    cleaned = _clean(raw, "*").rstrip(".;, ")
    value = _LABEL_PREFIX_RE.sub("", _fold(cleaned)).strip()
    hints = _hint_text(value)
    try:
        found = next((r for p, words in _PARSERS
                      if (not words or _mentions(hints, words)) and (r := p(value, year)) is not None),
                     None)
    except (ValueError, OverflowError):
        found = None  # an impossible date ('31/2/2023', 'quý V') is a slot we cannot read
    if found is None:
        return Timeframe(raw=cleaned, kind="unspecified"), False
    kind, start, end, recurrence = found
    timeframe = Timeframe(
        raw=cleaned, kind=kind, start=_iso(start), end=_iso(end), recurrence=recurrence
    )
    return timeframe, True


# ---- slots in running text
def _value_end(text: str, i: int) -> int:
    """Where a label's value stops: ';', an unmatched ')', or a sentence-ending '.'."""
    depth = 0
    for j in range(i, len(text)):
        char = text[j]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return j
            depth -= 1
        elif depth == 0 and (char == ";" or (char == "." and text[j + 1 : j + 2] in {"", " "})):
            return j
    return len(text)


def _label_slot(folded: str) -> tuple[int, int] | None:
    m = _LABEL_RE.search(folded)
    return (m.start(), _value_end(folded, m.end())) if m else None


def _report_slot(folded: str) -> tuple[int, int] | None:
    """A reporting period: 'kỳ 6 tháng (từ ngày 15/12/2025 đến ngày 14/6/2026, gửi trước …)'.
    Its data period is the timeframe; the submission date stays in ``raw`` (CONTRACT)."""
    m = _REPORT_RE.search(folded)
    return m.span() if m else None


def _clause_slot(folded: str) -> tuple[int, int] | None:
    m = _CLAUSE_RE.search(folded)
    return m.span() if m else None


def _paren_slot(folded: str, year: int | None) -> tuple[int, int] | None:
    m = _PAREN_RE.search(folded)
    if not m or not _PAREN_KEY_RE.match(m["v"].strip()):
        return None
    timeframe, understood = parse_timeframe(m["v"], year=year)
    return m.span("v") if understood and timeframe.kind != "unspecified" else None


def _lead_slot(lead: re.Match[str], year: int | None) -> tuple[int, int] | None:
    words = _hint_text(lead["v"]).split()
    if not all(w in _TIME_WORDS or _TIME_TOKEN.fullmatch(w) for w in words):
        return None  # 'Thường xuyên phổ biến các quy định, …': a verb phrase, not a time
    timeframe, understood = parse_timeframe(lead["v"], year=year)
    return lead.span("v") if understood and timeframe.kind != "unspecified" else None


def find_timeframe(text: str, *, year: int | None = None) -> tuple[str, Timeframe, bool] | None:
    """Find the timeframe slot of running text and parse it; None when there is no slot.

    Slots, in priority order: (1) a label 'Thời gian thực hiện/hoàn thành: …', 'Thời hạn: …',
    'Tiến độ: …' anywhere (also in a trailing parenthesis), its value running to ';', an
    unmatched ')' or the sentence's end; (2) a clause 'hoàn thành|xong … <date>', 'chậm nhất
    …', 'trước ngày …', 'thực hiện trong <month|quarter|year>'; (3) a trailing parenthesis that
    is itself a timeframe; (4) a time phrase opening the sentence before its first comma
    ('Định kỳ hằng quý, …', 'Trong quý III/2024, …'). Bare 'năm 2025' / 'giai đoạn 2021 -
    2030' elsewhere in prose is no slot.
    Returns (slot_raw, timeframe, understood); slot_raw == timeframe.raw, the whole slot as
    written, label included, without markdown or parentheses ('Thời gian thực hiện: từ năm
    2023', 'hoàn thành trong quý IV năm 2026').
    """
    clean = _clean(text)
    folded = _fold(clean)
    # Each scan below is tried only where what it needs is in the text: a third of task texts
    # need none of them, most of the others one or two.
    hints = _hint_text(folded)
    colon, paren = ":" in folded, "(" in folded
    lead = _LEAD_RE.match(folded)  # anchored: fails at the first word of most texts
    if not (colon or paren or lead or _DIGIT.search(folded)
            or _mentions(hints, _UNDATED_WORDS)):
        return None
    bounds = ((colon and _mentions(hints, _LABEL_WORDS) and _label_slot(folded))
              or (paren and _mentions(hints, _REPORT_WORDS) and _report_slot(folded))
              or (_mentions(hints, _CLAUSE_WORDS) and _clause_slot(folded))
              or (paren and _paren_slot(folded, year))
              or (lead and _lead_slot(lead, year)) or None)
    if bounds is None:
        return None
    timeframe, understood = parse_timeframe(clean[bounds[0] : bounds[1]], year=year)
    return timeframe.raw, timeframe, understood


def is_timeframe_line(text: str) -> bool:
    """True when the whole line is a label line ('- Thời gian hoàn thành: Trong quý I/2023.').

    A bullet, markdown emphasis and enclosing parentheses are allowed; only punctuation may
    follow the value. An empty value ('Thời gian thực hiện:') counts: it is on the next line.
    """
    folded = _fold(_clean(text))
    m = _LABEL_LINE_RE.match(folded)
    if not m:
        return False
    rest = folded[_value_end(folded, m.end()) :]
    return _LINE_END_RE.fullmatch(rest) is not None
