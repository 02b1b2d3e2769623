"""Just enough of a TrueType reader to map glyph ids back to letters (DOMAIN §1.7).

Ghostscript re-distils Word's CID TrueType subsets without a ``ToUnicode`` map and strips
``cmap`` and the glyph names (``post`` format 3) from the subset program, so the subset alone
cannot say which letter a glyph is. The same PDF usually embeds the *full* font too (Word's
simple-font copy of Times New Roman, with its ``cmap``); glyph ids of a subset keep the full
font's numbering, and :func:`same_glyphs` proves it by comparing outlines byte for byte.

fontTools would do all this, but it is not a dependency; the three tables needed (``maxp``,
``cmap`` formats 4 and 12, ``loca``/``glyf``) take ~100 lines.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

PREFERRED = {0x110: 0, 0x111: 0}  # 'Đ', 'đ' share a glyph with Icelandic 'Ð', 'ð' in TNR


@dataclass(slots=True)
class Font:
    """The tables of one font program that glyph repair uses."""

    glyph_count: int
    unicode_of: dict[int, str] = field(default_factory=dict)  # glyph id → char (from cmap)
    mac: dict[int, int] = field(default_factory=dict)  # (1,0) Mac Roman code → glyph id
    symbol: dict[int, int] = field(default_factory=dict)  # glyph id → (3,0) code (0xF0xx − 0xF000)
    _glyf: bytes = b""
    _loca: list[int] = field(default_factory=list)

    def outline(self, gid: int) -> bytes | None:
        """The glyph's raw ``glyf`` bytes; None when the program has no such glyph."""
        if not self._loca or gid + 1 >= len(self._loca):
            return None
        return self._glyf[self._loca[gid] : self._loca[gid + 1]]


def parse(data: bytes) -> Font | None:
    """The font's tables, or None when ``data`` is not a TrueType program we can read."""
    try:
        tables = _tables(data)
        if b"maxp" not in tables:
            return None
        count = struct.unpack(">H", tables[b"maxp"][4:6])[0]
        font = Font(count)
        if b"cmap" in tables:
            font.unicode_of = _invert(_cmap(tables[b"cmap"]))
            font.mac = _subtable(tables[b"cmap"], (1, 0))
            symbol = _subtable(tables[b"cmap"], (3, 0))
            font.symbol = {gid: code & 0xFF for code, gid in sorted(symbol.items(), reverse=True)}
        if b"loca" in tables and b"glyf" in tables and b"head" in tables:
            long_offsets = struct.unpack(">h", tables[b"head"][50:52])[0] == 1
            font._loca = _loca(tables[b"loca"], count, long_offsets)
            font._glyf = tables[b"glyf"]
        return font
    except (struct.error, IndexError, ValueError):
        return None


def components(font: Font, gid: int) -> list[int]:
    """The glyph ids a composite glyph is built from, base first; [] for a simple glyph."""
    data = font.outline(gid)
    if not data or len(data) < 10 or struct.unpack(">h", data[:2])[0] >= 0:
        return []
    out: list[int] = []
    at = 10
    while at + 4 <= len(data):
        flags, child = struct.unpack(">HH", data[at : at + 4])
        at += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
        at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0
        out.append(child)
        if not flags & 0x0020:  # MORE_COMPONENTS
            break
    return out


def same_glyphs(subset: Font, full: Font, gids: list[int]) -> bool:
    """Whether the subset's glyphs are the full font's under the same ids (non-empty ones)."""
    if subset.glyph_count != full.glyph_count:
        return False
    compared = 0
    for gid in gids:
        mine = subset.outline(gid)
        if not mine:  # empty outlines (space) prove nothing
            continue
        if mine != full.outline(gid):
            return False
        compared += 1
    return compared > 0


def _tables(data: bytes) -> dict[bytes, bytes]:
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise ValueError("not TrueType")
    count = struct.unpack(">H", data[4:6])[0]
    out = {}
    for k in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * k : 28 + 16 * k])
        out[tag] = data[offset : offset + length]
    return out


def _loca(loca: bytes, count: int, long_offsets: bool) -> list[int]:
    if long_offsets:
        return list(struct.unpack(f">{count + 1}I", loca[: 4 * (count + 1)]))
    return [2 * v for v in struct.unpack(f">{count + 1}H", loca[: 2 * (count + 1)])]


def _offsets(cmap: bytes) -> dict[tuple[int, int], int]:
    count = struct.unpack(">H", cmap[2:4])[0]
    found: dict[tuple[int, int], int] = {}
    for k in range(count):
        platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * k : 12 + 8 * k])
        found[(platform, encoding)] = offset
    return found


def _cmap(cmap: bytes) -> dict[int, int]:
    """code point → glyph id from the best Unicode subtable (3,10 / 0,4 then 3,1 / 0,3)."""
    found = _offsets(cmap)
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0)):
        if key in found:
            table = _subtable(cmap, key)
            if table:
                return table
    return {}


def _subtable(cmap: bytes, key: tuple[int, int]) -> dict[int, int]:
    """code → glyph id of one (platform, encoding) subtable in format 0, 4, 6 or 12."""
    offset = _offsets(cmap).get(key)
    if offset is None:
        return {}
    sub = cmap[offset:]
    fmt = struct.unpack(">H", sub[:2])[0]
    if fmt == 0:
        return {code: gid for code, gid in enumerate(sub[6:262]) if gid}
    if fmt == 6:
        first, count = struct.unpack(">HH", sub[6:10])
        gids = struct.unpack(f">{count}H", sub[10 : 10 + 2 * count])
        return {first + k: gid for k, gid in enumerate(gids) if gid}
    if fmt == 4:
        return _format4(sub)
    if fmt == 12:
        return _format12(sub)
    return {}


def _format4(sub: bytes) -> dict[int, int]:
    segs = struct.unpack(">H", sub[6:8])[0] // 2
    ends = struct.unpack(f">{segs}H", sub[14 : 14 + 2 * segs])
    base = 16 + 2 * segs
    starts = struct.unpack(f">{segs}H", sub[base : base + 2 * segs])
    deltas = struct.unpack(f">{segs}h", sub[base + 2 * segs : base + 4 * segs])
    range_at = base + 4 * segs
    ranges = struct.unpack(f">{segs}H", sub[range_at : range_at + 2 * segs])
    out: dict[int, int] = {}
    for k in range(segs):
        for code in range(starts[k], ends[k] + 1):
            if code == 0xFFFF:
                continue
            if ranges[k] == 0:
                gid = (code + deltas[k]) & 0xFFFF
            else:
                at = range_at + 2 * k + ranges[k] + 2 * (code - starts[k])
                gid = struct.unpack(">H", sub[at : at + 2])[0]
                gid = (gid + deltas[k]) & 0xFFFF if gid else 0
            if gid:
                out[code] = gid
    return out


def _format12(sub: bytes) -> dict[int, int]:
    groups = struct.unpack(">I", sub[12:16])[0]
    out: dict[int, int] = {}
    for k in range(groups):
        first, last, gid = struct.unpack(">III", sub[16 + 12 * k : 28 + 12 * k])
        for code in range(first, last + 1):
            out[code] = gid + code - first
    return out


def _invert(codes: dict[int, int]) -> dict[int, str]:
    """glyph id → the code point that best names it: Vietnamese đ over ð, then the lowest
    (space before no-break space), never a private-use one."""
    best: dict[int, int] = {}
    for code, gid in codes.items():
        if 0xE000 <= code <= 0xF8FF or code < 0x20:
            continue
        rank = (PREFERRED.get(code, 1), code)
        if gid not in best or rank < (PREFERRED.get(best[gid], 1), best[gid]):
            best[gid] = code
    return {gid: chr(code) for gid, code in best.items()}
