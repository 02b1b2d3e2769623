"""Metadata of the administrative form (Decree 30/2020/NĐ-CP; HD 36 and 05-HD/VPTW)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import date

from .. import patterns
from ..models import Metadata, Received, Reference, Regime, Signer
from ..normalize import Chunk, Para, is_separator, is_upper
from ..readers.base import Table
from ..segment import AUTHORITY, DIA_DANH_NGAY, TYPE_NAMES, Segments, is_stamp, type_of

QUOC_HIEU = patterns.compile(r"C[ỘO]NG\s+H(?:[ÒOÓ]A|O[ÀA])\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", re.IGNORECASE)
TIEU_NGU = patterns.compile(r"Đ[ộo]c\s+l[ậa]p\s*-\s*T[ựu]\s+do\s*-\s*H[ạa]nh\s+ph[úu]c", re.IGNORECASE)
PARTY_TITLE = patterns.compile(r"Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM", re.IGNORECASE)
SO_STATE = patterns.compile(
    r"^S[ốo]\s*:?\s*(?P<so>\d{1,5}[a-zA-Z]?)?[\s.…_]*/\s*(?:(?P<nam>\d{4})\s*/\s*)?"
    r"(?P<kh>[A-ZĐ][A-ZĐa-zđ0-9&]*(?:\s*-\s*[A-ZĐ0-9][A-ZĐa-zđ0-9&.]*)*)"
)
SO_PARTY = patterns.compile(
    r"^S[ốo]\s*:?\s*(?P<so>\d{1,5})?[\s.…_]*-\s*(?P<loai>[A-ZĐ][A-Za-zĐđ]{0,3})\s*/\s*"
    r"(?P<cq>[A-ZĐƯ][A-ZĐƯ0-9]*(?:\s*-\s*[A-ZĐƯ][A-ZĐƯ0-9]*)*)"
)
DEN_STAMP = patterns.compile(
    r"S[ốo]\s*:?\s*(?P<so>\d{1,6})\b.{0,30}?Ng[àa]y\s*:?\s*"
    r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{2,4})"
)
REF_DOC = patterns.compile(
    r"(?P<loai>Nghị quyết|Quyết định|Chỉ thị|Kết luận|Kế hoạch|Chương trình(?: hành động)?|"
    r"Hướng dẫn|Thông báo|Công văn|Văn bản|Nghị định|Thông tư|Đề án|Quy định|Luật)\s+(?:số\s+)?"
    r"(?P<so>\d{1,5}(?:\.\d+)?(?:/\d{4})?[-/][A-ZĐ][A-Za-zĐđ0-9\-/&]*[A-Za-zĐđ0-9])"
    r"(?:\s*,?\s*ngày\s+(?P<ngay>\d{1,2}/\d{1,2}/\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}))?"
    r"(?:\s+(?:của|do)\s+(?P<cq>[^,;()]+?)(?=\s+(?:về|ban hành|quy định|hướng dẫn|thực hiện)\b"
    r"|[,;()]|\s*$))?"
)
_MOTTO = patterns.compile(f"(?:{QUOC_HIEU.pattern}|{PARTY_TITLE.pattern})", re.IGNORECASE)
_SKIP_HEADER = patterns.compile(r"^(?:\*|THEO\s.*|SỐ\s*:?\s*\d.*|DỰ THẢO|MẬT|TỐI MẬT|KHẨN|THƯỢNG KHẨN|HỎA TỐC|HOẢ TỐC)$", re.IGNORECASE)
_LEVEL_START = patterns.compile(r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU)\b")
_COMMITTEE = patterns.compile(r"^(?:TỈNH|HUYỆN|THÀNH|QUẬN|THỊ|ĐẢNG) [UỦ][ỶY]\s*", re.IGNORECASE)
_POSITION = patterns.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|BÍ THƯ|GIÁM ĐỐC|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|BỘ TRƯỞNG|THỨ TRƯỞNG|"
    r"TỔ TRƯỞNG|TRƯỞNG ĐOÀN|HIỆU TRƯỞNG|CỤC TRƯỞNG|TRƯỞNG PHÒNG|CHÁNH THANH TRA|TỔNG CỤC TRƯỞNG|"
    r"TRƯỞNG|THƯỜNG TRỰC)\b"
)
_RANK = patterns.compile(r"^(?:Đại|Thượng|Trung|Thiếu)\s+(?:tá|úy|uý|tướng)\s+")
_NOI_NHAN = patterns.compile(r"^[-*\s]*N[ơo]i\s+nh[ậa]n\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_NUMBER = patterns.compile(r"\d+")
_KINH_GUI = patterns.compile(r"^Kính\s+gửi\s*:?\s*", re.IGNORECASE)
_SIGNATURE_NOISE = patterns.compile(r"^[\[(]?(?:đã ký|ký|daky|ký tên|ký, đóng dấu)[\])]?\.?$", re.IGNORECASE)


def extract_metadata(seg: Segments, body_text: str) -> Metadata:
    office = _stamp_office(seg.header)
    header = [p for p in seg.header
              if not is_stamp(p.text) and not is_separator(p.text) and p is not office]
    meta = Metadata()
    if seg.type_line and (t := type_of(seg.type_line.text)):
        meta.doc_type, meta.doc_type_code = t
    elif seg.letter:
        meta.doc_type = "Công văn"  # Decree 30: a letter's symbol has no type code
    _number(header, meta)
    _place_date(header + seg.title[:0], meta)
    _issuer(header, meta)
    if seg.title:
        meta.title = " ".join(p.text for p in seg.title)
    meta.references = references(" ".join(filter(None, [meta.title, body_text])))
    meta.signer, meta.recipients = _tail(seg.tail)
    meta.recipients = _addressees(seg.addressees) + meta.recipients
    meta.received = _received(seg.stamps + [p for p in seg.header if is_stamp(p.text)], office)
    meta.regime = _regime(header, meta, body_text)
    return meta


def _number(header: list[Para], meta: Metadata) -> None:
    for p in header:
        if m := SO_PARTY.match(p.text):
            meta.number = f"{m['so']}-{m['loai']}/{_nospace(m['cq'])}" if m["so"] else None
            _code_from_symbol(m["loai"], meta)
            return
        if m := SO_STATE.match(p.text):
            sym = _nospace(m["kh"])
            year = f"{m['nam']}/" if m["nam"] else ""
            meta.number = f"{m['so']}/{year}{sym}" if m["so"] else None
            _code_from_symbol(sym.split("-")[0], meta)
            return


def _code_from_symbol(code: str, meta: Metadata) -> None:
    if meta.doc_type_code is None:
        for name, c in TYPE_NAMES.values():
            if c == code:
                meta.doc_type, meta.doc_type_code = name, c
                return


def _nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _place_date(paras: list[Para], meta: Metadata) -> None:
    for p in paras:
        if "ngày" in p.text and (m := DIA_DANH_NGAY.search(p.text)):  # which needs the word
            meta.place = m["place"].strip()
            if m["d"] and m["m"]:
                meta.date = iso_date(int(m["y"]), int(m["m"]), int(m["d"]))
            return


def iso_date(y: int, m: int, d: int) -> str | None:
    if y < 100:
        y += 2000
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _issuer(header: list[Para], meta: Metadata) -> None:
    names: list[str] = []
    for p in header:
        # two columns read as one line: 'SỞ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
        motto = _may_name_country(p.text)
        t = (_MOTTO.split(p.text, maxsplit=1)[0] if motto else p.text).strip() or p.text
        if ((motto and (QUOC_HIEU.search(t) or PARTY_TITLE.search(t)))
                or ("-" in t and TIEU_NGU.search(t)) or SO_STATE.match(t) or SO_PARTY.match(t)
                or ("ngày" in t and DIA_DANH_NGAY.search(t)) or _SKIP_HEADER.match(t)
                or not is_upper(t)):
            continue
        if (names and _LEVEL_START.match(t) and not _LEVEL_START.match(names[-1])
                and not _COMMITTEE.match(t)):
            names[-1] = f"{names[-1]} {t}"  # 'ỦY BAN NHÂN DÂN' / 'TỈNH LÂM ĐỒNG'
        else:
            names.append(t)
    if names:
        meta.issuer = proper_case(names[-1])
        meta.issuer_parent = proper_case(names[-2]) if len(names) > 1 else None
        place = re.search(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|đặc khu) (.+)$",
                          meta.issuer_parent or "")
        if place and _COMMITTEE.fullmatch(names[-1]):
            meta.issuer = f"{meta.issuer} {place[1]}"  # 'TỈNH ỦY' under 'ĐẢNG BỘ TỈNH X'


def _may_name_country(text: str) -> bool:
    """Whether QUOC_HIEU or PARTY_TITLE may be in ``text``: both end in 'Việt Nam', and 'n',
    'a', 'm' match case-insensitively only themselves in either case. A plain test first,
    since a case-insensitive search runs its whole pattern at every char."""
    return "nam" in text.lower()


def proper_case(text: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' → 'Ủy ban nhân dân tỉnh Lâm Đồng'; mixed case is kept.

    Vietnamese capitalises the first word of a body's name, the first word of a department's
    own name after its head noun (``Sở Nội vụ``), the committees (``Tỉnh ủy``) and place names
    after an administrative level (``tỉnh Lâm Đồng``); acronyms (``UBND``) stay as written. A
    ministry's or department's name lists its fields, each capitalised (Decree 30/2020,
    Appendix II): after 'và', ',' or '-' (``Sở Văn hóa, Thể thao và Du lịch``). Names with a
    spelling of their own are kept so (``Đảng``, ``Công Thương``, ``Mặt trận Tổ quốc``, ``Việt
    Nam``).
    """
    if not is_upper(text):
        return text
    words = text.split()
    out: list[str] = []
    place = False
    fields = words[0].lower() in _FIELD_HEADS  # Bộ/Sở: the words after name fields
    for i, w in enumerate(words):
        core = w.rstrip(",;.")  # 'HÓA,' is the syllable 'hóa' and a comma
        low, tail = core.lower(), w[len(core):]
        nxt = words[i + 1].lower().rstrip(",;.") if i + 1 < len(words) else ""
        prev = words[i - 1].lower() if i else ""
        if not _SYLLABLE.match(_base(low)):
            out.append(w)  # not a Vietnamese syllable: an acronym (UBND, HĐND, MTTQ)
            continue
        if nxt in ("ủy", "uỷ") and low in _COMMITTEE_LEVELS:
            low = low.capitalize()
        elif low in ("ủy", "uỷ") and out and out[-1].lower() in _COMMITTEE_LEVELS:
            pass
        elif (place or i == 0 or (i == 1 and words[0].lower() in _ORG_HEADS)
              or (fields and (prev in ("và", "-", "–") or prev.endswith(",")))):
            low = low.capitalize()
        out.append(low + tail)
        if low.lower() in _LEVELS and nxt not in ("ủy", "uỷ", "hội"):  # not 'xã hội'
            place = True
        elif low.lower() in ("ủy", "uỷ") and prev in _PLACE_COMMITTEES:
            place = True  # 'Huyện ủy Bảo Lâm'
    return _FIXED_RE.sub(lambda m: _FIXED[m[0].lower()], " ".join(out))


def _base(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


_SYLLABLE = patterns.compile(r"^[bcdđghklmnpqrstvx]{0,3}[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
_LEVELS = frozenset(["tỉnh", "huyện", "quận", "xã", "phường", "khu", "phố"])  # 'thành phố', 'đặc khu' end so
_COMMITTEE_LEVELS = frozenset(["tỉnh", "huyện", "quận", "thành", "thị", "đảng"])
_ORG_HEADS = frozenset(["sở", "bộ", "ban", "cục", "phòng", "viện", "trường", "đài", "báo"])
_FIELD_HEADS = frozenset(["sở", "bộ"])
_PLACE_COMMITTEES = frozenset(["tỉnh", "huyện", "thành", "thị"])  # a place name follows them
_FIXED = {
    "đảng": "Đảng", "công thương": "Công Thương", "mặt trận tổ quốc": "Mặt trận Tổ quốc",
    "việt nam": "Việt Nam", "hồ chí minh": "Hồ Chí Minh",
}
_FIXED_RE = patterns.compile(r"(?<!\w)(?:" + "|".join(_FIXED) + r")(?!\w)", re.IGNORECASE)


def references(text: str) -> list[Reference]:
    refs: dict[str, Reference] = {}
    for m in REF_DOC.finditer(text):
        number = m["so"]
        if number in refs:
            continue
        d = None
        if m["ngay"]:
            parts = [int(x) for x in _NUMBER.findall(m["ngay"])]
            d = iso_date(parts[2], parts[1], parts[0])
        issuer = " ".join(m["cq"].split()) if m["cq"] else None
        refs[number] = Reference(doc_type=m["loai"], number=number, date=d, issuer=issuer,
                                 raw=" ".join(m[0].split()))
    return list(refs.values())


def _tail(tail: list[Chunk]) -> tuple[Signer | None, list[str]]:
    lines = [c.text for c in tail if isinstance(c, Para)]
    lines += [ln for c in tail if isinstance(c, Table) for row in c.rows for cell in row
              for ln in cell.split("\n") if ln.strip()]
    return _signer(lines), _recipients(lines)


def _signer(lines: list[str]) -> Signer | None:
    signer = Signer()
    for i, t in enumerate(lines):
        if signer.authority is None and (m := AUTHORITY.match(t)) and is_upper(t):
            signer.authority = f"{m['qh']} {m['ten']}"
            continue
        if signer.position is None and _POSITION.match(t) and is_upper(t):
            signer.position = t
            continue
        if signer.position and signer.name is None and _looks_like_name(t):
            signer.name = t
            break
    return None if signer == Signer() else signer


def _looks_like_name(t: str) -> bool:
    words = _RANK.sub("", t).split()  # 'Đại tá Bùi Duy Hưng': a rank may precede the name
    return (2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not is_upper(t)
            and not _SIGNATURE_NOISE.match(t))


def _recipients(lines: list[str]) -> list[str]:
    out: list[str] = []
    # Where 'Nơi nhận' was lost (a scan), the tail's bullets are the list all the same.
    found = [_NOI_NHAN.match(t) for t in lines]
    inside = not any(found)
    for t, m in zip(lines, found, strict=True):
        if m:
            inside = True
            t = m["rest"]
            if not t:
                continue
        if not inside:
            continue
        if not t.startswith(("-", "+", "•")):
            continue  # the signature column, interleaved when two columns were split
        name = t.lstrip("-+• ").rstrip(" ,;.").strip()
        if name:
            out.append(name)
    return out


def _addressees(paras: list[Para]) -> list[str]:
    out = []
    for p in paras:
        text = _KINH_GUI.sub("", p.text)
        name = text.lstrip("-+• ").rstrip(" ,;.").strip()
        if name:
            out.append(name)
    return out


def _stamp_office(header: list[Para]) -> Para | None:
    """The receiving office named on the line above a stamp's 'ĐẾN' (a scan's 'UBND TỈNH …')."""
    for above, p in itertools.pairwise(header):
        if _DEN.match(p.text) and is_upper(above.text) and not is_stamp(above.text):
            return above
    return None


def _received(stamps: list[Para], office: Para | None) -> Received | None:
    """The incoming stamp: its number and date where they can be read, and who received it."""
    for p in stamps:
        if m := DEN_STAMP.search(p.text):
            by = re.split(r"\b(?:ĐẾN|Đ?EN)\b|S[ốo]\s*:", p.text)[0].strip(" -:") or None
            return Received(number=m["so"], date=iso_date(int(m["y"]), int(m["m"]), int(m["d"])),
                            by=by or (office.text if office else None))
    if office is not None or any(_DEN.match(p.text) for p in stamps):
        return Received(by=office.text if office else None)  # handwritten: only the office
    return None


_DEN = patterns.compile(r"^\W{0,3}(?:ĐẾN|Đ?EN)\b")


_PARTY_WORDS = patterns.compile(r"\b(?:Ban Thường vụ|Ban Chấp hành|Thường trực) (?:Tỉnh|Thành|Huyện|"
                          r"Quận|Đảng) ?[uủ][ỷy]|^Lưu Văn phòng (?:Tỉnh|Thành|Huyện) [uủ][ỷy]")


def _regime(header: list[Para], meta: Metadata, body_text: str) -> Regime | None:
    text = "\n".join(p.text for p in header)
    country = _may_name_country(text)
    if country and PARTY_TITLE.search(text):
        return "party"
    if (country and QUOC_HIEU.search(text)) or ("-" in text and TIEU_NGU.search(text)):
        return "state"
    if meta.number:
        return "party" if re.match(r"^\d+-", meta.number) else "state"
    if meta.signer and meta.signer.authority:
        return "party" if "/" in meta.signer.authority.split()[0] else "state"
    intro = body_text[:600]
    if _PARTY_WORDS.search(intro) or any(_PARTY_WORDS.search(r) for r in meta.recipients):
        return "party"
    if re.search(r"\b(?:Ủy ban nhân dân|UBND)\b[^.]{0,60}\bban hành\b", intro):
        return "state"
    return None
