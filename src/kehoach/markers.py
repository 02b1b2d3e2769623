"""The numbering grammar of Vietnamese administrative texts (pure and table-driven).

``match_marker`` recognises the marker a paragraph opens with and says which *style* it has.
Levels are never decided here: the tree builder ranks styles (``STYLE_RANK``) and nests them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import patterns
from .models import NodeKind

# Vietnamese letter lists run a b c d đ e g h i k …; Word's automatic letters add f j w z.
LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(frozen=True, slots=True)
class Marker:
    kind: NodeKind
    style: str  # what the level stack ranks: 'roman', 'arabic', 'decimal2', 'letter', 'dash' …
    label: str  # as written, spaces collapsed: 'I -', 'II.', '1.', '3.1.', 'a)', '-'
    number: str | None  # the id part: 'IV', '3', '3.1', 'đ'; None for bullets
    rest: str  # the text after the marker


def roman_value(numeral: str) -> int | None:
    """Value of a well-formed Roman numeral (I…CCCXCIX), else None."""
    total = 0
    values = [_ROMAN_VALUES.get(c) for c in numeral.upper()]
    if not numeral or None in values:
        return None
    nums = [v for v in values if v is not None]
    for i, v in enumerate(nums):
        total += -v if i + 1 < len(nums) and nums[i + 1] > v else v
    return total if to_roman(total) == numeral.upper() else None


def to_roman(value: int) -> str:
    out = []
    for v, s in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                 (4, "IV"), (1, "I")):
        while value >= v:
            out.append(s)
            value -= v
    return "".join(out)


_DIVISION = patterns.compile(
    r"^(?P<word>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU|Khoản|KHOẢN|Điểm|ĐIỂM)[ \t]+"
    r"(?P<num>[IVXLC]+|\d{1,3}|thứ[ \t]+\w+|THỨ[ \t]+\w+)(?P<punct>[ \t]*[.:\-–])?(?:[ \t]+|$)"
    r"(?P<rest>.*)$"
)
_APPENDIX = patterns.compile(
    r"^(?:PHỤ LỤC|Phụ lục)(?:[ \t]+(?:số[ \t]+|SỐ[ \t]+)?(?P<num>[IVX]{1,5}|\d{1,2}))?"
    r"(?P<punct>[ \t]*[.:\-–])?(?:[ \t]+|$)(?P<rest>.*)$"
)
_OCR_ROMAN = patterns.compile(r"^(?P<num>[IVXHl1]{1,5})[ \t]*\.[ \t]*(?P<rest>.*)$")
_ROMAN = patterns.compile(r"^(?P<num>[IVX]{1,6})[ \t]*(?P<punct>[.\-–:)])(?:[ \t]*)(?P<rest>.*)$")
_DECIMAL = patterns.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})(?P<punct>[.)])?(?:[ \t]+|(?=[^\W\d_]))(?P<rest>.*)$"
)
_ARABIC = patterns.compile(r"^(?P<num>\d{1,2})[ \t]*(?P<punct>[.\-–)])(?!\d)[ \t]*(?P<rest>.*)$")
_LETTER = patterns.compile(r"^(?P<num>[a-zđ])[ \t]*(?P<punct>[).])[ \t]*(?P<rest>.*)$")
_BULLET = patterns.compile(r"^(?P<b>[-–—+•●▪◦○*])(?:[ \t]+|(?=[^\W\d_]))(?P<rest>\S.*)$")

_SYMBOL = patterns.compile(r"^[A-ZĐ][A-Za-zĐđ]{0,4}/")  # the rest of a number-symbol: 'KH/TU …'
_ORDINALS = {"nhất": "1", "hai": "2", "ba": "3", "tư": "4", "bốn": "4", "năm": "5", "sáu": "6",
             "bảy": "7", "tám": "8", "chín": "9", "mười": "10"}
_BULLET_STYLE = {"-": "dash", "–": "dash", "—": "dash", "+": "plus", "*": "star"}
_DIVISION_STYLE = {"phần": "phan", "chương": "chuong", "mục": "muc", "điều": "dieu",
                   "khoản": "khoan", "điểm": "diem"}

# Canonical nesting order; bullets rank by their first appearance after these.
STYLE_RANK = {
    "phuluc": -1, "phan": 0, "chuong": 1, "muc": 2, "dieu": 3, "roman": 4, "khoan": 5, "arabic": 6,
    "decimal2": 7, "decimal3": 8, "decimal4": 9, "diem": 10, "letter": 11,
}


# What every probe's pattern needs at the start (a lower-case letter only as 'a)' / 'a.'):
# most paragraphs and wrapped lines fail this one test and skip seven regex probes, which
# matters because match_marker runs several times per line.
_CANDIDATE = patterns.compile(r"[PCMĐKIVXHl\d\-–—+•●▪◦○*]|[a-zđ][ \t]*[).]")


# A pure function of its argument returning frozen values: the normaliser, segmenter and tree
# builder each ask again about the same paragraph, so the answer is kept (bounded: flat memory).
@lru_cache(maxsize=4096)
def match_marker(text: str) -> Marker | None:
    """The marker ``text`` opens with, or None for running text."""
    text = text.lstrip()
    if not _CANDIDATE.match(text):
        return None
    for probe in _probes(text[0]):
        marker = probe(text)
        if marker is not None:
            return marker
    return None


def _division(text: str) -> Marker | None:
    m = _DIVISION.match(text)
    if not m:
        return None
    word, num = m["word"], " ".join(m["num"].split())
    if num.lower().startswith("thứ"):
        num = _ORDINALS.get(num.split()[-1].lower(), num.split()[-1])
    kind: NodeKind = "roman" if roman_value(num) else "arabic"
    return Marker(kind, _DIVISION_STYLE[word.lower()], _label(text, m), num, m["rest"].strip())


def _appendix(text: str) -> Marker | None:
    """'PHỤ LỤC I', 'Phụ lục 01', 'Phụ lục số 02:'; id 'PL.I', 'PL.01', or 'PL' alone."""
    m = _APPENDIX.match(text)
    if not m:
        return None
    rest = m["rest"].strip()
    if not (m["num"] or text.startswith("PHỤ LỤC") or not rest or rest == rest.upper()):
        return None
    if not m["num"] and rest[:1].islower():
        return None
    num = m["num"]
    kind: NodeKind = "arabic" if num and num.isdigit() else "roman"
    return Marker(kind, "phuluc", _label(text, m), f"PL.{num}" if num else "PL", rest)


def _decimal(text: str) -> Marker | None:
    m = _DECIMAL.match(text)
    if not m or not m["rest"]:
        return None
    if not m["punct"] and not m["rest"][:1].isupper():
        return None  # '1.5 triệu đồng' is a number, not a marker
    depth = m["num"].count(".") + 1
    return Marker("decimal", f"decimal{depth}", _label(text, m), m["num"], m["rest"].strip())


def _roman(text: str) -> Marker | None:
    m = _ROMAN.match(text)
    if not m or not roman_value(m["num"]):
        return _ocr_roman(text)
    rest = m["rest"].strip()
    if m["punct"] in ".:)" and rest[:1].islower():
        return None
    return Marker("roman", "roman", _label(text, m), m["num"], rest)


def _ocr_roman(text: str) -> Marker | None:
    """A Roman numeral as OCR misreads it ('HI.' or 'IlI.' for 'III.'), before an upper-case
    heading only: 'H' is two strokes run together, 'l' and '1' one stroke."""
    m = _OCR_ROMAN.match(text)
    if not m or not re.search(r"[IVXH]", m["num"]):
        return None
    rest = m["rest"].strip()
    num = m["num"].replace("H", "II").replace("l", "I").replace("1", "I")
    if not roman_value(num) or not rest or rest != rest.upper() or not rest[:1].isalpha():
        return None
    return Marker("roman", "roman", _label(text, m), num, rest)


def _arabic(text: str) -> Marker | None:
    m = _ARABIC.match(text)
    if not m:
        return None
    rest = m["rest"].strip()
    if m["punct"] in "-–" and (not rest or rest[:1].isdigit() or _SYMBOL.match(rest)):
        return None  # '2021 - 2025' ranges and '01-KH/BCĐTW' symbols are not markers
    return Marker("arabic", "arabic", _label(text, m), m["num"], rest)


def _letter(text: str) -> Marker | None:
    m = _LETTER.match(text)
    if not m:
        return None
    rest = m["rest"].strip()
    # 'a.' needs a capitalised text after it; 'v.v.' and initials are not markers.
    if m["punct"] == "." and not rest[:1].isupper():
        return None
    return Marker("letter", "letter", _label(text, m), m["num"], rest)


def _bullet(text: str) -> Marker | None:
    m = _BULLET.match(text)
    if not m:
        return None
    b = m["b"]
    return Marker("bullet", _BULLET_STYLE.get(b, "dot"), b, None, m["rest"].strip())


def _label(text: str, m: re.Match[str]) -> str:
    """The marker as written, inner whitespace collapsed: 'I -', 'II.', '3.1.', 'Điều 5.'."""
    return " ".join(text[: m.start("rest")].split())


# The chars each probe's pattern can open with (_roman's with its OCR fallback), in probe
# order: a paragraph opening with 'C' is tried as a division only, not by all seven probes.
_OPENERS: tuple[tuple[Callable[[str], Marker | None], re.Pattern[str]], ...] = tuple(
    (probe, patterns.compile(first)) for probe, first in (
        (_appendix, "P"), (_division, "[PCMĐK]"), (_decimal, r"\d"), (_roman, "[IVXHl1]"),
        (_arabic, r"\d"), (_letter, "[a-zđ]"), (_bullet, "[-–—+•●▪◦○*]"))
)


@lru_cache(maxsize=256)
def _probes(first: str) -> tuple[Callable[[str], Marker | None], ...]:
    """The probes that can match a paragraph opening with ``first``, in order."""
    return tuple(probe for probe, opener in _OPENERS if opener.match(first))
