"""Which letter a glyph id is, from the font program alone (no ``cmap``, no glyph names).

Ghostscript's subsets of Times New Roman keep the full font's glyph ids but lose every table
that names glyphs. Two facts about the font remain, and both are checked against the program:

1. Glyphs 3–97 are ASCII in the Macintosh standard order every TrueType font starts with:
   ``chr(gid + 29)`` (DOMAIN §1.7: ``S``→``6``).
2. The Vietnamese block U+1EA0–U+1EF9 is stored contiguously (TNR regular/bold: ``Ạ`` = 1188;
   italic: 808). The offset is not assumed: every candidate is scored by whether the glyphs'
   composite outlines are built on the right base letter (``Ở`` = 1250 is ``Ơ`` + hook, and
   ``Ơ`` is built on ``O`` = 50), and the best-supported offset wins.

Everything else (``ă``, ``đ``-less composites like ``à``, ``Ô``, ``ĩ``, ``ơ``, ``ư``) is solved
from the composite structure as equations ``glyph = base component + mark components``:
knowing two sides gives the third (``ấ`` = ``â`` + acute names the ``â`` glyph; ``à`` = ``a`` +
the grave learnt from ``ầ``), iterated until nothing new is learnt.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from .truetype import Font, components

ASCII_SHIFT = 29
BLOCK = range(0x1EA0, 0x1EFA)
MIN_VOTES = 3
# spacing accents that fonts reuse as the mark of a composite (``à`` = ``a`` + the ASCII grave)
AS_MARK = {"`": "\u0300", "^": "\u0302", "~": "\u0303", "´": "\u0301", "ˆ": "\u0302",
           "˜": "\u0303", "¨": "\u0308", "˘": "\u0306", "˙": "\u0307", "¸": "\u0327"}


def derive(fonts: list[Font], times: bool = False) -> dict[int, str]:
    """glyph id → char for as many glyphs of ``fonts`` as can be proven. ``fonts`` share one
    glyph order (subsets of one family and glyph count: a small bold-italic subset alone has
    too few composites to name its marks); ``times``: they are Times New Roman, whose simple
    (non-composite) letters are known."""
    parts: dict[int, list[int]] = {}
    for font in fonts:
        gids = [g for g in range(font.glyph_count) if font.outline(g)]
        for g, comps in _parts(font, gids).items():
            if comps or g not in parts:
                parts[g] = comps
    known: dict[int, str] = {g: chr(g + ASCII_SHIFT) for g in parts if 3 <= g <= 97}
    offset = _block_offset(parts, known)
    if offset is not None:
        for g in parts:
            if g + offset in BLOCK:
                known.setdefault(g, chr(g + offset))
    if times:
        for g, char in _times_letters(offset).items():
            if g in parts:
                known.setdefault(g, char)
    _solve(parts, known)
    _recompose(parts, known)
    return {g: c for g, c in known.items() if len(c) == 1 and not unicodedata.combining(c)}


def _times_letters(offset: int | None) -> dict[int, str]:
    """Times New Roman letters drawn as simple glyphs (no composite to solve them from).

    Seen in every TNR weight of ``kh-1105`` (``ÿ``=đ, ``Ĉ``=Đ, ``QăP``=năm, ``1*+Ƭ$``=NGHĨA) and
    consistent with the Mac standard order (98–129: ``Ä`` … ``ü``) that TNR starts with; the
    horn letters sit 58 glyphs before ``Ạ`` in every weight.
    """
    table = {255: "đ", 264: "Đ", 259: "ă", 428: "Ĩ", 429: "ĩ"}
    table.update(zip(range(98, 130), "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü", strict=True))
    if offset is not None:
        block_start = BLOCK.start - offset
        table.update({block_start - 58 + k: c for k, c in enumerate("ƠơƯư")})
    return table


def _parts(font: Font, gids: list[int]) -> dict[int, list[int]]:
    """Every glyph reachable from ``gids`` with its components (empty for simple glyphs)."""
    out: dict[int, list[int]] = {}
    todo = list(gids)
    while todo:
        g = todo.pop()
        if g in out:
            continue
        out[g] = components(font, g)
        todo.extend(out[g])
    return out


def _base(g: int, parts: dict[int, list[int]], known: dict[int, str]) -> str | None:
    """The ASCII letter a glyph is ultimately built on, following first components."""
    seen = 0
    while g not in known and parts.get(g) and seen < 8:
        g, seen = parts[g][0], seen + 1
    char = known.get(g)
    return char if char and char.isascii() and char.isalpha() else None


def _block_offset(parts: dict[int, list[int]], known: dict[int, str]) -> int | None:
    votes: Counter[int] = Counter()
    for g, comps in parts.items():
        base = _base(g, parts, known) if comps else None
        if base is None:
            continue
        for cp in BLOCK:
            if unicodedata.normalize("NFD", chr(cp))[0] == base:
                votes[cp - g] += 1
    if not votes:
        return None
    offset, count = votes.most_common(1)[0]
    return offset if count >= MIN_VOTES else None


def _solve(parts: dict[int, list[int]], known: dict[int, str]) -> None:
    """Learn glyphs from composite equations, by majority over all equations of a pass (one
    odd composite must not name a mark for good), until a pass learns nothing new."""
    while True:
        votes: dict[int, Counter[str]] = {}
        for g, comps in parts.items():
            if len(comps) >= 2:
                for gid, char in _learn(g, comps, known):
                    votes.setdefault(gid, Counter())[char] += 1
        if not votes:
            return
        for gid, counter in votes.items():
            known[gid] = counter.most_common(1)[0][0]


def _recompose(parts: dict[int, list[int]], known: dict[int, str]) -> None:
    """A glyph's own parts outrank the block-order guess: TNR keeps ``ỹ`` where Unicode order
    says ``ỷ`` (1275 is ``y`` + the tilde of ``ã``)."""
    for g, comps in parts.items():
        if len(comps) >= 2 and all(c in known for c in comps):
            composed = unicodedata.normalize(
                "NFC", known[comps[0]] + "".join(_mark(known[m]) for m in comps[1:])
            )
            if len(composed) == 1:
                known[g] = composed


def _learn(g: int, comps: list[int], known: dict[int, str]) -> list[tuple[int, str]]:
    """What one equation ``g = comps[0] + marks`` teaches about unknown glyphs."""
    base, marks = comps[0], comps[1:]
    unknown_marks = [m for m in marks if m not in known]
    have = "".join(_mark(known[m]) for m in marks if m in known)
    if g in known and base in known and len(unknown_marks) == 1:
        rest = _minus(known[g], known[base] + have)
        if rest and len(rest) == 1 and unicodedata.combining(rest):
            return [(unknown_marks[0], rest)]
    if g in known and base not in known and not unknown_marks:
        rest = _minus(known[g], have)
        if rest:
            return [(base, unicodedata.normalize("NFC", rest))]
    if g not in known and base in known and not unknown_marks:
        composed = unicodedata.normalize("NFC", known[base] + have)
        if len(composed) == 1:
            return [(g, composed)]
    return []


def _mark(char: str) -> str:
    return AS_MARK.get(char, char)


def _minus(whole: str, part: str) -> str | None:
    """NFD(whole) without NFD(part)'s marks (and its base, when part has one), or None."""
    left = list(unicodedata.normalize("NFD", whole))
    for c in unicodedata.normalize("NFD", part):
        if c not in left:
            return None
        left.remove(c)
    return "".join(left)
