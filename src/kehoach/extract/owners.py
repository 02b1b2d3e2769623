"""Who owns a plan item: the lead (chủ trì), the support (phối hợp) and the monitor (theo dõi).

Matching runs on a *folded* copy of the text (lower case, one tone placement) that keeps every
character at its index, so a match found on the folded copy slices the original: owners are
returned exactly as written. Patterns also accept their toneless spelling because OCR often
drops the marks ('Tinh uy'); a toneless pattern can only match toneless text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kehoach.models import Owners
from kehoach.normalize import is_collapsed

from .. import patterns

MAX_OWNER_WORDS = 30  # a sentence subject longer than this is prose, not an agency
MAX_HEADING_WORDS = 40  # collective headings (the MTTQ one of the seed) run to ~31 words

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
# 'hoà'/'hòa' and 'uỷ'/'ủy' both occur in real plans; fold to the old placement (2 chars → 2).
_TONE_MOVES = {
    unicodedata.normalize("NFC", a + b + mark): unicodedata.normalize("NFC", a + mark) + b
    for a, b in (("o", "a"), ("o", "e"), ("u", "y"))
    for mark in _TONE_MARKS
}
# 'o' or 'u' then one of the vowels after it: a search tests 2 alternatives at an 'o', not 10
_TONE_RE = patterns.compile("|".join(
    f"{first}[{''.join(key[1] for key in _TONE_MOVES if key[0] == first)}]" for first in "ou"))


def _moved_tone(m: re.Match[str]) -> str:
    return _TONE_MOVES[m.group()]


def _fold(text: str) -> str:
    """Lower case and canonical tone placement, same length as ``text`` (indices stay valid)."""
    low = text.lower()
    # str.lower() maps char by char except final sigma, and only a char that lowers to two
    # changes the length: otherwise it equals the per-char loop, which is hot and 20x slower
    if len(low) != len(text) or "Σ" in text:
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _TONE_RE.sub(_moved_tone, low)


def _bare(text: str) -> str:
    """The folded text without any diacritic, as OCR sometimes returns it."""
    return "".join("d" if c == "đ" else unicodedata.normalize("NFD", c)[0] for c in _fold(text))


def _forms(phrases: str, toneless: bool) -> set[str]:
    forms = {_fold(p.strip()) for p in phrases.split("|")}
    return forms | {_bare(f) for f in forms} if toneless else forms


def _words(phrases: str, *, toneless: bool = True) -> str:
    """A regex alternation of '|'-separated phrases, longest first, spaces as ``\\s+``.

    Ties in alphabetical order: the pattern's text is then the same in every process (a set's
    order is not), which the compiled-pattern cache needs.
    """
    alts = sorted(_forms(phrases, toneless), key=lambda a: (-len(a), a))
    return "(?:" + "|".join(re.escape(a).replace(r"\ ", " ").replace(" ", r"\s+") for a in alts) + ")"


_Tree = dict[str, "_Tree"]  # char → the rest of the phrases; "" ends a phrase


def _word_tree(phrases: str) -> str:
    """:func:`_words` as a prefix tree ('phối hợp' and 'phổ biến' share their 'ph').

    It matches the same, the same way: where several phrases fit, the longest is tried first.
    A search then tries ~20 branches at each word instead of ~200 phrases, 2-3x faster for
    the verbs, which are searched for in every candidate owner; elsewhere the tree does not
    pay for the time it takes to build and compile.
    """
    tree: _Tree = {}
    for form in _forms(phrases, True):
        node = tree
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _branches(tree) + ")"


def _branches(tree: _Tree) -> str:
    # a phrase's end comes last: a longer phrase through this node is tried before it ends
    out = [(r"\s+" if char == " " else re.escape(char)) + _branches(rest)
           for char, rest in sorted(tree.items()) if char]
    if "" in tree:
        out.append("")
    return out[0] if len(out) == 1 else "(?:" + "|".join(out) + ")"


def _head(phrases: str, not_before: str = "") -> str:
    """An agency head noun, refused when followed by a word that makes it something else."""
    guard = rf"(?!\s*{_words(not_before)}(?!\w))" if not_before else ""
    return rf"{_words(phrases)}(?!\w){guard}"


# Nouns an agency name starts with; the exclusions keep out 'Ban hành', 'Phòng, chống', …
_HEADS = (
    _head("ban", "hành|đầu|ngày|đêm|bố|phát"),
    _head("sở", "hữu|dĩ|thích|trường|cứ|tại"),
    _head("bộ", "máy|phận|tiêu chí|chỉ số|chỉ tiêu|thủ tục|công cụ|hồ sơ|luật|sách|đề|môn|"
          "dữ liệu|mặt|quy tắc|câu hỏi|tài liệu"),
    _head("đoàn", "kết|viên|tụ"),
    _head("hội", "nghị|thảo|nhập|thi|viên|tụ|chợ|diễn|họa|đủ|ý|chứng|trại|sách|làng"),
    _head("phòng", ",|chống|ngừa|cháy|tránh|dịch|bệnh|thủ|vệ|họp|khám|hộ|ở|trọ|thí nghiệm"),
    _head("báo", "cáo|chí|động|giá|hiệu|đáp|tin|thức"),
    _head("trường", "hợp|độ|kỳ|tồn"),
    _head("quỹ", "đất|thời gian|lương|nhà"),
    _head("cục", "bộ|diện"),
    _head("văn phòng", "phẩm"),
    _head("thanh tra", ",|và|kiểm tra|việc|chuyên ngành|công vụ|hành chính"),
    _head("cơ quan|đơn vị", "chủ trì|phối hợp|thực hiện|tính|theo dõi|tham mưu"),
    _head("ủy ban|ubnd|hđnd|ubmttq|mttq|ubkt|đảng đoàn|đảng ủy|đảng bộ|chi bộ|tỉnh ủy|huyện ủy|"
          "thị ủy|thành ủy|tỉnh đoàn|huyện đoàn|thành đoàn|công an|hội đồng|mặt trận|liên minh|"
          "liên đoàn|công đoàn|chi cục|trung tâm|người đứng đầu|đồng chí|đ/c|đài|kho bạc|viện|"
          "học viện|bệnh viện|đại học|bảo hiểm xã hội|ngân hàng|tòa án|viện kiểm sát|tổ công tác|"
          "tổ giúp việc|tổ biên tập|thường trực|thường vụ|cấp ủy|chính quyền|chủ tịch|"
          "phó chủ tịch|giám đốc|thủ trưởng|bí thư|ủy viên|tạp chí|cổng thông tin|nhà xuất bản|"
          "cảnh sát|bộ đội|thuế tỉnh|hải quan"),
)
# Lower-case collectives ('các sở, ban, ngành', 'các cấp ủy, tổ chức đảng', …).
_COLLECTIVE = (
    _words("tất cả các|các|những") + r"\s+"
    + _head("sở|ban|ngành|bộ|cơ quan|đơn vị|cấp ủy|cấp|huyện ủy|thị ủy|thành ủy|đảng ủy|"
            "đảng đoàn|đảng bộ|chi bộ|ban cán sự|tổ chức|địa phương|đoàn thể|hội|ủy ban|ubnd|xã|"
            "phường|thị trấn|huyện|thị xã|thành phố|tỉnh ủy viên|đồng chí|đ/c|doanh nghiệp|"
            "hợp tác xã|trường|trung tâm|phòng|lực lượng|văn phòng|tòa án|viện|cục|chi cục|"
            "hội đồng|mặt trận|ngân hàng|cơ sở|thành viên|thôn|tổ|chủ đầu tư|nhà trường|"
            "bệnh viện|đài|báo|ủy viên",
            "máy|phận|nghị|thảo|hợp|dữ liệu|học|tiêu chí|chỉ số|viên")
)
# The collective is tried first: where it fits, a match's 'collective' group is set.
_AGENCY_RE = patterns.compile("|".join((f"(?P<collective>{_COLLECTIVE})", *_HEADS)))

# Words that end an owner and start what it does (DOMAIN §1.3 plus the common governing verbs).
_VERB_RE = patterns.compile(r"(?<!\w)" + _word_tree(
    "tổ chức|hướng dẫn|theo dõi|thực hiện|triển khai|tham mưu|xây dựng|rà soát|kiểm tra|đôn đốc|"
    "tổng hợp|chỉ đạo|nghiên cứu|đề xuất|báo cáo|quán triệt|tuyên truyền|giám sát|đánh giá|"
    "phổ biến|cập nhật|hoàn thiện|ban hành|bố trí|phân bổ|thẩm định|hỗ trợ|vận động|sơ kết|"
    "tổng kết|đẩy mạnh|tăng cường|nâng cao|bảo đảm|đảm bảo|lãnh đạo|chấn chỉnh|cụ thể hóa|"
    "thể chế hóa|kịp thời|chủ động|tập trung|tiếp tục|quan tâm|căn cứ|khẩn trương|nghiêm túc|"
    "thường xuyên|định kỳ|phối hợp|chủ trì|chịu trách nhiệm|có trách nhiệm|là|cần|phải|xử lý|"
    "công bố|công khai|lồng ghép|duy trì|phát huy|ưu tiên|thành lập|cung cấp|hoàn thành|"
    "tích cực|tham gia|giúp|chuẩn bị|tiếp nhận|bổ sung|sửa đổi|lựa chọn|kiện toàn|đề nghị"
) + r"(?!\w)")
# A verb right after these nouns is part of a name: 'các ban chỉ đạo', 'các báo cáo', 'tổ công tác'.
_NAME_NOUN_BEFORE = patterns.compile(r"(?<!\w)" + _words(
    "các|những|ban|tổ|ủy ban|trung tâm|hội đồng|cơ quan"
) + r"\s+$")
# Without a case signal (all caps) 'SỞ XÂY DỰNG' must be caught by the noun before it too.
_CAPS_NOUN_BEFORE = patterns.compile(r"(?<!\w)" + _words("sở|bộ|cục|phòng|chi cục|viện") + r"\s+$")
_TO_CHUC = patterns.compile(_words("tổ chức"))
# 'tổ chức' is a noun in 'tổ chức đảng', 'các cơ quan, tổ chức có liên quan', 'tổ chức, cá nhân'.
_TO_CHUC_NOUN = patterns.compile(r"\s*(?:[,;.)]|$|" + _words(
    "và|có liên quan|liên quan|đảng|chính trị|thành viên|đoàn thể|xã hội|cơ sở|kinh tế|tín dụng|"
    "quốc tế|quần chúng|cá nhân|trên địa bàn|trực thuộc|của|hội"
) + r"(?!\w))")

_APPOSITION = patterns.compile(r"\s+[-–]\s+(?=(?:là\s+)?(?:đơn vị|cơ quan)\b)")
_AGENCY_COLON = patterns.compile(r"^([^:;.]{3,120}):\s+(\S.*)$")
_ROLE_PREFIX = patterns.compile(r"^(?:Đối với|Trách nhiệm của|Nhiệm vụ của)\s+")
# ';', ':', a newline, or a '.' before a space or the end; spelled so that a search can skip
# to those chars ('[;:\n]|\.(?=\s|$)' would be tried at every char)
_CLAUSE_END_RE = patterns.compile(r"[.;:\n](?:(?<![.])|(?=\s|$))")
_BULLET_RE = patterns.compile(r"^[\s*_#]*(?:[-–•+][\s*_]*)?")
_BULLET_FIRST = frozenset("*_#-–•+")  # a first char _BULLET_RE removes, with whitespace
_KEYWORD_RE = patterns.compile(r"(?<!\w)" + _words("giao|đề nghị|yêu cầu|do", toneless=False)
                         + r"\s+(?:" + _words("nhiệm vụ|trách nhiệm", toneless=False)
                         + r"\s+)?(?:" + _words("cho", toneless=False) + r"\s+)?")
_ASKING = patterns.compile(_words("đề nghị|yêu cầu", toneless=False))
_PIVOT_RE = patterns.compile(r"(?<!\w)" + _words("chủ trì|chịu trách nhiệm|có trách nhiệm") + r"(?!\w)")
# The same words without the look-behind: where a pattern opens with one, a search runs it
# at every char; without, the search skips to the words' first letters. No hint, no match:
# the hint tells the many texts that have none without that slow scan.
_PIVOT_HINT = patterns.compile(_words("chủ trì|chịu trách nhiệm|có trách nhiệm") + r"(?!\w)")
_KEYWORD_HINT = patterns.compile(_words("giao|đề nghị|yêu cầu|do", toneless=False) + r"\s")
_CHU_TRI = patterns.compile(_words("chủ trì"))
_SUPPORT_INTRO = patterns.compile(
    r"\s*(?:" + _words("tham mưu|thực hiện") + r"\s*)?,?\s*(?:" + _words("và") + r"\s+)?"
    + _words("phối hợp") + r"(?:\s+" + _words("chặt chẽ") + r")?(?:\s+" + _words("với") + r")?\s+")
_INHERITED_RE = patterns.compile(
    _words("chủ trì") + r"(?:\s+" + _words("tham mưu|thực hiện") + r")?\s*,?\s*(?:"
    + _words("và") + r"\s+)?" + _words("phối hợp") + r"(?:\s+" + _words("chặt chẽ") + r")?\s+"
    + r"(?:" + _words("với") + r"\s+)?|" + _words("phối hợp") + r"\s+" + _words("với") + r"\s+")
_DANGLING_RE = patterns.compile(r"(?<!\w)" + _words("và|của|với|cho|hoặc") + r"[\s,]*$")
_SUPPORT_TAIL = patterns.compile(r"(?:[\s,]+(?:" + _words("để|nhằm|trong|cùng|và") + r"))+[\s,]*$")

_LABEL_ROLES = {
    "lead": "đơn vị chủ trì|cơ quan chủ trì|cơ quan, đơn vị chủ trì|sở, ngành chủ trì|"
            "sở, ngành chủ trì tham mưu|đơn vị chủ trì thực hiện|cơ quan chủ trì thực hiện|"
            "chủ trì|chủ trì thực hiện|chủ trì tham mưu|trách nhiệm chỉ đạo thực hiện|"
            "trách nhiệm chỉ đạo|trách nhiệm thực hiện|cơ quan thực hiện|đơn vị thực hiện|"
            "cơ quan tham mưu|đơn vị tham mưu",
    "support": "đơn vị phối hợp|đơn vị phối hợp thực hiện|cơ quan phối hợp|"
               "cơ quan phối hợp thực hiện|cơ quan, đơn vị phối hợp|phối hợp|phối hợp thực hiện",
    "monitor": "lãnh đạo phụ trách|theo dõi, kiểm tra, đôn đốc|theo dõi, đôn đốc|"
               "theo dõi, kiểm tra|kiểm tra, đôn đốc|đơn vị theo dõi|cơ quan theo dõi|theo dõi",
}
_LABEL_RE = patterns.compile(
    r"(?:^|(?<=[;.\n(]))\s*(?:[-–•+]\s*)?(?:"
    + "|".join(rf"(?P<{role}>{_words(p)})" for role, p in _LABEL_ROLES.items()) + r")\s*:")
# The last words of the labels right before a ':': a text with none is spared the scan above,
# which tests its look-behinds at every char.
_LABEL_HINT = patterns.compile(_words("|".join(
    {phrase.split()[-1] for p in _LABEL_ROLES.values() for phrase in p.split("|")})) + r"\s*:")
# Any 'Label:' after a separator ends a labelled value ('; Thời gian thực hiện: …').
_NEXT_LABEL_RE = patterns.compile(r"[;.\n(]\s*[^\W\d_][^:;.\n()]{0,40}:")
_HEADING_PREFIX = patterns.compile(
    r"(?:" + _words("trách nhiệm|nhiệm vụ") + r"(?:\s+" + _words("của") + r")?|"
    + _words("đối với") + r")\s+")
_SOFT_SEP_RE = patterns.compile(r",|\s+" + _words("và") + r"\s+")
_HARD_SEP = patterns.compile(r"[;\n]")
_WORD = patterns.compile(r"\w+")
_ENTRY_EDGE_LEFT = patterns.compile(r"^[\s\-–•+*]+")
_ENTRY_EDGE_RIGHT = patterns.compile(r"[\s.,;:/]+$")


def _tidy(text: str) -> str:
    """NFC, spaces collapsed, newlines kept (they separate labelled lines and table rows)."""
    text = unicodedata.normalize("NFC", text)
    if is_collapsed(text):  # as the normaliser leaves a paragraph: nothing below changes it
        return text
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()



def _unbulleted(text: str) -> str:
    """``text`` without the bullet or markdown it opens with (most texts open with neither,
    and are returned as they are without the copy a substitution makes)."""
    if text[:1] in _BULLET_FIRST or text[:1].isspace():
        return _BULLET_RE.sub("", text, count=1)
    return text


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


@lru_cache(maxsize=64)  # asked once per verb candidate of the same text
def _mostly_caps(text: str) -> bool:
    """All-caps text has no case signal, so verbs cannot be told from names by their case."""
    letters = list(filter(str.isalpha, text))  # map/filter: no bytecode run per char
    return bool(letters) and sum(map(str.isupper, letters)) > 0.8 * len(letters)


def _is_verb(text: str, folded: str, m: re.Match[str], caps: bool) -> bool:
    # Verbs inside agency names are capitalised ('Sở Xây dựng'); running verbs are not.
    if not caps and not text[m.start()].islower():
        return False
    before = folded[max(0, m.start() - 16):m.start()]
    if _NAME_NOUN_BEFORE.search(before) or (caps and _CAPS_NOUN_BEFORE.search(before)):
        return False
    return not (_TO_CHUC.fullmatch(m.group()) and _TO_CHUC_NOUN.match(folded, m.end()))


def _first_verb(text: str, folded: str, start: int, end: int) -> re.Match[str] | None:
    caps = _mostly_caps(text)
    for m in _VERB_RE.finditer(folded, start, end):
        if _is_verb(text, folded, m, caps):
            return m
    return None


def _clause_end(folded: str, start: int) -> int:
    m = _CLAUSE_END_RE.search(folded, start)
    return m.start() if m else len(folded)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _plausible(text: str, folded: str, start: int, end: int) -> bool:
    """Short, non-empty, and not cut mid-phrase ('Ban Thường vụ Tỉnh ủy và' + a verb)."""
    owner = text[start:end].strip(" ,")
    return (bool(owner) and _word_count(owner) <= MAX_OWNER_WORDS
            and _DANGLING_RE.search(folded, start, end) is None)


def _is_owner(text: str, folded: str, start: int, end: int) -> bool:
    """An agency or collective: starts with an agency noun, short, and holds no verb."""
    return (_AGENCY_RE.match(folded, start) is not None and _plausible(text, folded, start, end)
            and _first_verb(text, folded, start, end) is None)


def _support_after(text: str, folded: str, pos: int) -> list[str]:
    """The 'phối hợp (với) Y' list starting at ``pos``: it ends at the first action verb."""
    end = _clause_end(folded, pos)
    verb = _first_verb(text, folded, pos, end)
    value = text[pos:verb.start() if verb else end]
    return split_agencies(_SUPPORT_TAIL.sub("", value))


def _lead_with_support(text: str, folded: str, start: int, end: int,
                       verb: re.Match[str] | None) -> Owners:
    subject = _APPOSITION.split(text[start:end], maxsplit=1)[0]  # '… Bộ Công an - đơn vị thường trực …'
    lead = [" ".join(part.split()).strip(" ,") for part in subject.split(";")]
    support: list[str] = []
    if verb is not None and _CHU_TRI.fullmatch(verb.group()):
        intro = _SUPPORT_INTRO.match(folded, verb.end())
        if intro:
            support = _support_after(text, folded, intro.end())
    return Owners(lead=lead, support=support)


def _labelled(text: str, folded: str) -> Owners | None:
    if ":" not in folded or _LABEL_HINT.search(folded) is None:  # a label's last word + ':'
        return None
    roles: dict[str, list[str]] = {"lead": [], "support": [], "monitor": []}
    for m in _LABEL_RE.finditer(folded):
        role = m.lastgroup or "lead"
        nxt = _NEXT_LABEL_RE.search(folded, m.end())
        roles[role] += split_agencies(text[m.end():nxt.start() if nxt else len(text)])
    return Owners(**roles) if any(roles.values()) else None


def _inherited(text: str, folded: str) -> Owners | None:
    """'Chủ trì, phối hợp với Y …' with no subject: the lead comes from the heading."""
    m = _INHERITED_RE.match(folded)
    support = _support_after(text, folded, m.end()) if m else []
    return Owners(support=support) if support else None


def _from_start(text: str, folded: str, start: int) -> Owners | None:
    """'<agency> <verb> …' (also after 'Giao', 'Đề nghị', 'Yêu cầu'): the subject is the lead."""
    if _AGENCY_RE.match(folded, start) is None:
        return None
    end = _clause_end(folded, start)
    verb = _first_verb(text, folded, start, end)
    # 'Các sở, ban, ngành; UBND các xã, phường có trách nhiệm …': ';' lists subjects here.
    while (verb is None and end < len(folded) and folded[end] == ";"
           and _AGENCY_RE.match(folded, _skip_space(text, end + 1))):
        end = _clause_end(folded, end + 1)
        verb = _first_verb(text, folded, start, end)
    # 'Đề nghị <agency>, …' may name the agency without a verb of ours: take the clause.
    asking = start > 0 and _ASKING.match(folded) is not None
    if verb is None and not asking:
        return None
    stop = verb.start() if verb else end
    if not _plausible(text, folded, start, stop):
        return None
    return _lead_with_support(text, folded, start, stop, verb)


def _from_pivot(text: str, folded: str) -> Owners | None:
    """'…, <agency> chủ trì / chịu trách nhiệm …' in mid-sentence: search back for the subject."""
    hint = _PIVOT_HINT.search(folded)
    if hint is None:
        return None
    for pivot in _PIVOT_RE.finditer(folded, hint.start()):  # none starts before the hint
        if not _is_verb(text, folded, pivot, _mostly_caps(text)):
            continue
        # An owner has at most MAX_OWNER_WORDS words: look no further back than that.
        window = max(0, pivot.start() - 12 * MAX_OWNER_WORDS)
        ends = [m.end() for m in _CLAUSE_END_RE.finditer(folded, window, pivot.start())]
        clause = ends[-1] if ends else window
        starts = {i + 1 for i in range(clause, pivot.start()) if text[i] == ","}
        starts |= {m.end() for m in _KEYWORD_RE.finditer(folded, clause, pivot.start())}
        if ends or window == 0:
            starts.add(clause)
        for start in sorted(_skip_space(text, s) for s in starts):
            if start < pivot.start() and _is_owner(text, folded, start, pivot.start()):
                return _lead_with_support(text, folded, start, pivot.start(), pivot)
    return None


def _from_keyword(text: str, folded: str) -> Owners | None:
    """'…, giao Sở X tham mưu …' / '… đề nghị Ủy ban … quan tâm …' anywhere in the text."""
    hint = _KEYWORD_HINT.search(folded)
    if hint is None:
        return None
    for m in _KEYWORD_RE.finditer(folded, hint.start()):  # none starts before the hint
        found = _from_start(text, folded, m.end())
        if found is not None:
            return found
    return None


def owners_in_text(text: str) -> Owners | None:
    """Owners an item states in its own text, or None if it names none (DOMAIN §1.3 forms)."""
    text = _tidy(text)
    text = _unbulleted(text)
    folded = _fold(text)
    start = _skip_space(text, m.end()) if (m := _KEYWORD_RE.match(folded)) else 0
    return (_labelled(text, folded) or _inherited(text, folded)
            or _from_start(text, folded, start) or _from_pivot(text, folded)
            or _from_keyword(text, folded) or _agency_colon(text))


def _agency_colon(text: str) -> Owners | None:
    """'Sở Tư pháp: Lồng ghép …', 'Đối với Đoàn kiểm tra: …': an agency, then its tasks."""
    m = _AGENCY_COLON.match(text) if ":" in text else None
    if m is None or heading_owner(m[1]) is None:
        return None
    rest = owners_in_text(m[2])  # 'Sở KH&CN: Chủ trì, phối hợp với …' adds the partners
    agency = _ROLE_PREFIX.sub("", m[1].strip())
    return Owners(lead=[agency], support=rest.support if rest else [])


def heading_owner(title: str) -> str | None:
    """The agency a heading names, for the items under it to inherit; None for other headings."""
    text = _tidy(title).replace("\n", " ")
    text = _unbulleted(text).strip("*_ ")
    text = _ENTRY_EDGE_RIGHT.sub("", text)
    folded = _fold(text)
    start = 0
    prefix = _HEADING_PREFIX.match(folded)
    if prefix and _AGENCY_RE.match(folded, prefix.end()):
        start = prefix.end()  # 'Trách nhiệm của các sở, ngành' → 'các sở, ngành'
    if _AGENCY_RE.match(folded, start) is None:
        return None
    end = _clause_end(folded, start)
    verb = _first_verb(text, folded, start, end)  # 'Đảng đoàn HĐND tỉnh lãnh đạo HĐND tỉnh'
    owner = _ENTRY_EDGE_RIGHT.sub("", text[start:verb.start() if verb else end])
    if not owner or _word_count(owner) > MAX_HEADING_WORDS:
        return None
    return owner


def _starts_entry(text: str, folded: str, pos: int) -> bool:
    """A new list entry: a capitalised agency noun or a lower-case collective ('các cơ quan')."""
    pos = _skip_space(text, pos)
    agency = _AGENCY_RE.match(folded, pos) if pos < len(text) else None
    return agency is not None and (text[pos].isupper() or agency["collective"] is not None)


def _tidy_entry(entry: str) -> str:
    entry = " ".join(entry.split())
    return _ENTRY_EDGE_RIGHT.sub("", _ENTRY_EDGE_LEFT.sub("", entry))


def split_agencies(text: str) -> list[str]:
    """Split a prose list or a table cell of agencies into entries, kept as written (NFC).

    ';' and newlines always separate; ',' and 'và' only when the next part starts a new agency,
    so 'các cơ quan, đơn vị liên quan' and 'Sở Kế hoạch và Đầu tư' stay whole.
    """
    entries: list[str] = []
    for chunk in _HARD_SEP.split(unicodedata.normalize("NFC", text)):
        folded = _fold(chunk)
        last = 0
        for sep in _SOFT_SEP_RE.finditer(folded):
            if _starts_entry(chunk, folded, sep.end()):
                entries.append(chunk[last:sep.start()])
                last = sep.end()
        entries.append(chunk[last:])
    return [e for e in map(_tidy_entry, entries) if e]
