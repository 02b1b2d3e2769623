"""Split a document's paragraphs into its administrative zones.

``header`` (issuer, motto, number, place and date: ô 1–4), the type line and ``title``
(trích yếu, ô 5a), ``stamps`` (the incoming-document stamp, wherever it sits before the body),
``addressees`` (``Kính gửi``), ``body`` (ô 6, which ends with ``./.``) and ``tail`` (signature
and ``Nơi nhận``). Only ``body`` becomes sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import patterns
from .markers import match_marker
from .normalize import Chunk, Para, is_separator, is_upper, join_paragraphs
from .readers.base import Table
from .tables import fold

TYPE_NAMES = {
    "KẾ HOẠCH": ("Kế hoạch", "KH"), "CHƯƠNG TRÌNH HÀNH ĐỘNG": ("Chương trình hành động", "CTr"),
    "CHƯƠNG TRÌNH": ("Chương trình", "CTr"), "QUYẾT ĐỊNH": ("Quyết định", "QĐ"),
    "NGHỊ QUYẾT": ("Nghị quyết", "NQ"), "CHỈ THỊ": ("Chỉ thị", "CT"),
    "KẾT LUẬN": ("Kết luận", "KL"), "BÁO CÁO": ("Báo cáo", "BC"),
    "THÔNG BÁO": ("Thông báo", "TB"), "HƯỚNG DẪN": ("Hướng dẫn", "HD"),
    "ĐỀ ÁN": ("Đề án", "ĐA"), "PHƯƠNG ÁN": ("Phương án", "PA"), "TỜ TRÌNH": ("Tờ trình", "TTr"),
    "QUY ĐỊNH": ("Quy định", "QyĐ"), "QUY CHẾ": ("Quy chế", "QC"),
    "CÔNG ĐIỆN": ("Công điện", "CĐ"), "BIÊN BẢN": ("Biên bản", "BB"),
    "THÔNG TRI": ("Thông tri", "TT"), "DỰ ÁN": ("Dự án", "DA"), "THÔNG CÁO": ("Thông cáo", "TC"),
}
# Folded (no diacritics) so that OCR's 'KÉ HOẠCH' for 'KẾ HOẠCH' still names the type.
_TYPE_FOLDED = {fold(name): value for name, value in TYPE_NAMES.items()}
STAMP = patterns.compile(
    r"\b(?:ĐẾN|Đ?EN|Ký\s+hiệu\s+HS|Số\s+và\s+ký\s+hiệu|Lưu\s+hồ\s+sơ\s+số)\b|\bChuyển\s*:"
    r"|S[ốo]\s*:?\s*\d{1,6}\W{0,20}Ng[àa]y\s*:\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}"
)
# What STAMP needs one of (case-sensitive, as it is): most lines are told apart by these
# alone, in a search that skips to their first letters (STAMP's opens with a \b)
_STAMP_HINT = patterns.compile("ĐẾN|EN|Ký|Số|Lưu|Chuyển|Ng")
_BODY_OPENER = patterns.compile(r"^(?:Căn cứ|Thực hiện|Triển khai|Tiếp tục thực hiện|Nhằm|Để)\b")
_NOI_NHAN = patterns.compile(r"^[-*\s]*N[ơo]i\s+nh[ậa]n\b", re.IGNORECASE)
AUTHORITY = patterns.compile(r"^(?P<qh>TM\.|KT\.|TL\.|TUQ\.|Q\.|T/M|K/T|T/L)\s*(?P<ten>\S.*)$")
_VV = patterns.compile(r"^V/v\s+", re.IGNORECASE)
# Place and date on one line; the number and the day may be blank (drafts, e-signed files).
DIA_DANH_NGAY = patterns.compile(
    r"(?P<place>(?:(?:Thành phố|Thị xã|Phường|Xã|Quận|Huyện|Tỉnh|Đặc khu|TP\.|TX\.) ?)?"
    r"[A-ZĐ][\w.]*(?: [A-ZĐ][\w.]*){0,4})\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*"
    r"(?P<m>\d{1,2})?[\s.…_]*năm\s*(?P<y>\d{4})"
)
_KINH_GUI = patterns.compile(r"^Kính\s+gửi\b", re.IGNORECASE)
KEM_THEO = patterns.compile(r"^\((?:Ban hành )?[Kk]èm theo\b")
_RECIPIENT = patterns.compile(
    r"^[-–•]\s*\S.{2,120}\((?:để|đê|đề)\s+(?:b[áa]o\s+c[áa]o|theo\s+d[õo]i|th[ựư]c\s+hi[ệê]n|"
    r"bi[ếê]t|ph[ốô]i\s+h[ợo]p|ch[ỉi]\s+đ[ạa]o)|^[-–•]\s*L[ưu]u\s*:\s*VT\b", re.IGNORECASE)
_END = patterns.compile(r"\./\.\s*$")
_FRONT_LIMIT = 40  # paragraphs: the type line of a real document is never further down


@dataclass(slots=True)
class Segments:
    header: list[Para] = field(default_factory=list)
    type_line: Para | None = None
    title: list[Para] = field(default_factory=list)
    stamps: list[Para] = field(default_factory=list)
    addressees: list[Para] = field(default_factory=list)
    body: list[Chunk] = field(default_factory=list)
    tail: list[Chunk] = field(default_factory=list)
    letter: bool = False  # a 'V/v …' subject and no type line: an official letter (công văn)


def type_of(text: str) -> tuple[str, str] | None:
    return _TYPE_FOLDED.get(fold(text)) if text == text.upper() else None


def is_stamp(text: str) -> bool:
    return (_STAMP_HINT.search(text) is not None and STAMP.search(text) is not None
            and match_marker(text) is None)


def segment(lines: list[Chunk]) -> Segments:
    """Zones of a document given as cleaned lines (not yet joined into paragraphs).

    The header keeps its lines as laid out (joining would glue issuer, '*' and number); the
    rest is re-joined into paragraphs before the title, body and tail are told apart.
    """
    seg = Segments()
    start = _type_index(lines)
    chunks = lines
    i = 0
    if start is not None:
        seg.header = [c for c in lines[:start] if isinstance(c, Para)]
        seg.type_line = lines[start]  # type: ignore[assignment]
        chunks = join_paragraphs(_pull_stamps(lines[start + 1:], seg))
        i = _take_title(chunks, 0, seg)
    else:
        head = _letter_header(lines, seg)
        chunks = join_paragraphs(lines[head:])
    i = _take_front(chunks, i, seg)
    end = _body_end(chunks, i)
    appendix = _appendix_start(chunks, end)
    body = chunks[i:end] + chunks[appendix:]
    seg.body = [c for c in body if not (isinstance(c, Para) and is_separator(c.text))]
    seg.tail = chunks[end:appendix]
    return seg


def _pull_stamps(lines: list[Chunk], seg: Segments) -> list[Chunk]:
    """Stamp lines between the title's lines (a scan's stamp shares their rows) go to
    ``stamps`` before joining, so that the title is not glued to 'Chuyển: …'."""
    front = 0
    while front < min(len(lines), 15):
        c = lines[front]
        if not isinstance(c, Para) or match_marker(c.text) or _BODY_OPENER.match(c.text):
            break
        front += 1
    stamps = [c for c in lines[:front] if isinstance(c, Para) and is_stamp(c.text)]
    seg.stamps.extend(stamps)
    pulled = {id(s) for s in stamps}
    return [c for c in lines if id(c) not in pulled]


def _appendix_start(chunks: list[Chunk], end: int) -> int:
    """Appendices (``PHỤ LỤC``) after the signature belong with the body, not the tail."""
    for j in range(end, len(chunks)):
        c = chunks[j]
        if isinstance(c, Para) and (m := match_marker(c.text)) and m.style == "phuluc":
            return j
        if isinstance(c, Para) and KEM_THEO.match(c.text):  # an appendix with no 'Phụ lục'
            prev = chunks[j - 1]
            start = j - 1 if j - 1 > end and isinstance(prev, Para) and is_upper(prev.text) else j
            chunks[start] = replace(chunks[start], appendix=True)  # type: ignore[arg-type]
            return start
    return len(chunks)


def _letter_header(lines: list[Chunk], seg: Segments) -> int:
    """With no type line (an official letter, or a type line OCR lost), the header still ends
    with its place-and-date line or its 'V/v <subject>' line (the letter's trích yếu)."""
    end = 0
    for i, c in enumerate(lines[:15]):
        if not isinstance(c, Para):
            continue
        marker = match_marker(c.text)
        if marker is not None and marker.kind != "bullet":
            break
        if DIA_DANH_NGAY.search(c.text) or _VV.match(c.text):
            end = i + 1
    head = [c for c in lines[:end] if isinstance(c, Para)]
    for k, c in enumerate(head):
        if _VV.match(c.text):
            seg.letter = True
            seg.title.append(replace(c, text=_VV.sub("", c.text)))
            # its wrapped lines follow it in the same column
            seg.title += [t for t in _takewhile_lower(head[k + 1:])]
    seg.header = [c for c in head if c not in seg.title and not _VV.match(c.text)]
    return end


def _takewhile_lower(paras: list[Para]) -> list[Para]:
    out = []
    for p in paras:
        if not p.text[:1].islower():
            break
        out.append(p)
    return out


def _type_index(chunks: list[Chunk]) -> int | None:
    for i, c in enumerate(chunks[:_FRONT_LIMIT]):
        if isinstance(c, Para):
            if type_of(c.text):
                return i
            if (marker := match_marker(c.text)) and marker.kind != "bullet":
                return None
    return None


def _take_title(chunks: list[Chunk], i: int, seg: Segments) -> int:
    while i < len(chunks):
        c = chunks[i]
        if not isinstance(c, Para) or match_marker(c.text) or _KINH_GUI.match(c.text):
            break
        if is_separator(c.text):
            return i + 1
        if is_stamp(c.text):
            seg.stamps.append(c)
        elif seg.title and (not (c.bold and seg.title[0].bold) or _BODY_OPENER.match(c.text)):
            break
        else:
            seg.title.append(c)
        i += 1
    return i


def _take_front(chunks: list[Chunk], i: int, seg: Segments) -> int:
    """Stamps, separators and ``Kính gửi`` lines between the title and the body."""
    while i < len(chunks):
        c = chunks[i]
        if not isinstance(c, Para):
            break
        if is_stamp(c.text):
            seg.stamps.append(c)
        elif _KINH_GUI.match(c.text) or (seg.addressees and c.text.startswith("-")
                                          and len(seg.addressees) < 20 and not _ends_sentence(c)):
            seg.addressees.append(c)
        elif not is_separator(c.text):
            break
        i += 1
    return i


def _ends_sentence(c: Para) -> bool:
    return len(c.text.split()) > 25


def _body_end(chunks: list[Chunk], i: int) -> int:
    for j in range(i, len(chunks)):
        c = chunks[j]
        if isinstance(c, Table):
            continue
        if _END.search(c.text):
            return j + 1
        if _NOI_NHAN.match(c.text) or (AUTHORITY.match(c.text) and c.text == c.text.upper()):
            return j
        if _RECIPIENT.match(c.text):  # 'Nơi nhận' lost (OCR): the list itself ends the body
            return _back_over_debris(chunks, i, j)
    return len(chunks)


def _back_over_debris(chunks: list[Chunk], start: int, j: int) -> int:
    """Step back over short unfinished lines before ``j`` (a scan's signature and stamp
    fragments: 'THƯỜNG TRỤC', '— Là TRƯỜNGs)') to where the last sentence ended."""
    while j > start:
        c = chunks[j - 1]
        if not isinstance(c, Para) or len(c.text.split()) >= 15 or c.text.endswith((".", ";", ":")):
            break
        j -= 1
    return j
