"""Legacy Vietnamese encodings (TCVN3/ABC, VNI) → Unicode NFC, detected from the text itself.

DOMAIN §1.6: decide per run or per line, never per file and never from font names (most files
that declare ``.VnTime`` hold Unicode). :func:`repair` guarantees:

1. A text holding any Vietnamese Unicode letter (U+1EA0–U+1EF9, ``ăâđêôơư`` with their capitals
   outside Latin-1) is returned unchanged except for NFC: it is already Unicode.
2. A text with fewer than :data:`MIN_SIGNS` chars that no Vietnamese Unicode text uses
   (``§ µ ¸ ¹ ä ø ï ñ ö …``) is returned unchanged except for NFC: English, French, ordinary
   Unicode Vietnamese, and a stray ``Müller`` stay as they are.
3. Otherwise the text is decoded as TCVN3 and as VNI; a decoding is kept only when no sign is
   left and at least :data:`SYLLABLE_SHARE` of the words it changed are Vietnamese syllables,
   and the better of the two wins. Upper-case words keep their case (``.VnTimeH`` draws the
   lower-case code points as capitals: ``CéNG`` → ``CỘNG``).
"""

from __future__ import annotations

import re
import unicodedata

from . import patterns

MIN_SIGNS = 2
SYLLABLE_SHARE = 0.7

# TCVN3 (TCVN 5712:1993, ABC): one Latin-1 byte per precomposed letter
_TCVN3_FROM = (
    "\u00a1\u00a2\u00a3\u00a4\u00a5\u00a6\u00a7\u00a8\u00a9\u00aa\u00ab\u00ac\u00ad\u00ae"
    "µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ\u2212"
)
_TCVN3_TO = (
    "ĂÂÊÔƠƯĐăâêôơưđ"
    "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵư"
)
TCVN3 = str.maketrans(_TCVN3_FROM, _TCVN3_TO)

_TONES = "\u0301\u0300\u0309\u0303\u0323"  # acute, grave, hook, tilde, dot below
_VNI_TONE = {"ù": 0, "ø": 1, "û": 2, "õ": 3, "ï": 4}
_VNI_CIRC = {"â": -1, "á": 0, "à": 1, "å": 2, "ã": 3, "ä": 4}
_VNI_BREVE = {"ê": -1, "é": 0, "è": 1, "ú": 2, "ü": 3, "ë": 4}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
               "î": "ỵ"}  # fmt: skip


def _vni_table() -> dict[str, str]:
    """Two-char VNI sequences (base letter + mark byte) → the precomposed letter."""
    table: dict[str, str] = {}
    groups = [
        ("aeouyiAEOUYI" + "ôöÔÖ", _VNI_TONE, ""),
        ("aeoAEO", _VNI_CIRC, "\u0302"),
        ("aA", _VNI_BREVE, "\u0306"),
    ]
    for bases, marks, shape in groups:
        for base in bases:
            letter = _VNI_SINGLE.get(base.lower(), base.lower())
            for mark, tone in marks.items():
                composed = unicodedata.normalize(
                    "NFC", letter + shape + (_TONES[tone] if tone >= 0 else "")
                )
                composed = composed.upper() if base.isupper() else composed
                for key in {base + mark, base + mark.upper()}:
                    table.setdefault(key, composed)
    return table


VNI_PAIRS = _vni_table()
VNI_SINGLE = {**_VNI_SINGLE, **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}}
VNI = {**VNI_SINGLE, **VNI_PAIRS}
# one pass, pairs before single bytes: 'oø' is 'ò', and that 'ò' must not then become 'ị'
_VNI_CODE = patterns.compile("|".join(sorted(map(re.escape, VNI), key=lambda s: (-len(s), s))))

# Latin-1 letters that Vietnamese Unicode itself uses: never a sign of a legacy encoding
_VIET_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SIGNS = patterns.compile(
    "[" + "".join(c for c in _TCVN3_FROM + "".join(VNI_SINGLE) + "äøûïåëüÄØÛÏÅËÜ"
                  if c not in _VIET_LATIN1) + "]"
)  # fmt: skip
_UNICODE_VIET = patterns.compile("[\u1ea0-\u1ef9\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u0128"
                           "\u0129\u0168\u0169]")  # fmt: skip
_NUCLEI = (  # noqa: SIM905
    "iêu yêu oai oay oeo uây uôi ươi ươu uya uyê uyu ai ao au ay âu ây eo êu ia iê iu oa oă oe "
    "oi ôi ơi ua uâ uê ui uô uơ ươ ưa ưi ưu uy yê a ă â e ê i o ô ơ u ư y"
).split()
_SYLLABLE = patterns.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?(" + "|".join(_NUCLEI) + ")"
    r"(ch|ng|nh|[cmnpt])?"
)
_WORD = patterns.compile(r"\S+")


def repair(text: str) -> str:
    """``text`` in Unicode NFC, decoded from TCVN3 or VNI when it is one (module docstring)."""
    text = unicodedata.normalize("NFC", text)
    if _UNICODE_VIET.search(text) or len(_SIGNS.findall(text)) < MIN_SIGNS:
        return text
    best, best_score = text, 0.0
    for decode in (_tcvn3, _vni):
        decoded = decode(text)
        score = _score(text, decoded)
        if score > best_score:
            best, best_score = decoded, score
    return best


def _tcvn3(text: str) -> str:
    return _keep_case(text, text.translate(TCVN3))


def _vni(text: str) -> str:
    return _VNI_CODE.sub(lambda m: VNI[m[0]], text)


def _keep_case(before: str, after: str) -> str:
    """Text written in capitals (``.VnTimeH``: every word of 2+ ASCII letters is upper case)
    comes out in capitals; a single capital (``Bé``) says nothing."""
    words = [w for w in before.split() if sum(c.isascii() and c.isalpha() for c in w) >= 2]
    if words and all(_upper_word(w) for w in words):
        return after.upper()
    return after


def _upper_word(word: str) -> bool:
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    return len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters)


def _score(before: str, after: str) -> float:
    """Share of changed words that are Vietnamese syllables; 0 when signs are left."""
    if after == before or _SIGNS.search(after):
        return 0.0
    changed = [
        new for old, new in zip(before.split(), after.split(), strict=False) if old != new
    ]
    if not changed:
        return 0.0
    good = sum(_is_syllable(w) for w in changed)
    share = good / len(changed)
    return share if share >= SYLLABLE_SHARE else 0.0


def _is_syllable(word: str) -> bool:
    letters = "".join(c for c in word if c.isalpha()).lower().replace("đ", "d")
    bare = "".join(c for c in unicodedata.normalize("NFD", letters) if c not in _TONES)
    return bool(_SYLLABLE.fullmatch(unicodedata.normalize("NFC", bare)))
