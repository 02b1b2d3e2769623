"""Word automatic numbering, rebuilt from ``word/numbering.xml``.

python-docx leaves list labels out of ``paragraph.text`` (python-docx #92, #471, #677), yet in
Vietnamese plans the labels *are* the structure: ``I.``, ``1.``, ``a)``, ``1.2.``. This module
reads the numbering part and hands out labels paragraph by paragraph, keeping one set of
counters per ``numId``. Numbering often comes through a paragraph style (``List Number``,
a custom ``Heading``), so the little of styles.xml the reader needs lives here too.

Both parts are read only as far as the body asks: a list definition or a style is parsed the
first time a paragraph uses it. Templates define 70-160 styles and often dozens of lists, and a
document uses a handful: parsing them all up front took 0.9-3.6 ms of each sample and corpus
file, ~20 % of the reading time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from .. import patterns

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_LEVELS = 9
# Symbol-font bullets come through as private-use code points (U+F0B7 …): the glyph is
# meaningless as text, so every bullet becomes '-', except '+' which plans use as a 2nd level.
PLUS_BULLETS = frozenset({"+", "\uf02b"})
FALSE_VALUES = frozenset({"0", "false", "off", "none"})
HEADING = patterns.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_VAL = w("val")


def w_val(el: Any, tag: str) -> str | None:
    """``w:val`` of the child ``tag`` of ``el``, or None when either is missing."""
    if el is None:
        return None
    child = el.find(w(tag))
    return None if child is None else child.get(W_VAL)


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: 0 = never restart, n = after level n (1-based)
    legal: bool = False  # w:isLgl: show every level's number as decimal
    style: str | None = None  # w:pStyle: the paragraph style bound to this level


def _parse_level(el: Any) -> Level:
    return Level(
        fmt=w_val(el, "numFmt") or "decimal",
        text=w_val(el, "lvlText") or "",
        start=_int(w_val(el, "start"), 1) or 0,
        restart=_int(w_val(el, "lvlRestart")),
        legal=el.find(w("isLgl")) is not None,
        style=w_val(el, "pStyle"),
    )


class NumberingDefs:
    """Levels per numId (abstractNum levels with the num's overrides applied)."""

    def __init__(self, root: Any | None) -> None:
        # numId → (w:num, its w:abstractNum); the last w:num of an id whose abstractNum exists
        self.sources: dict[str, tuple[Any, Any]] = {}
        self.parsed: dict[str, list[Level]] = {}
        if root is None:
            return
        abstract = {a.get(w("abstractNumId")): a for a in root.iterchildren(w("abstractNum"))}
        for num in root.iterchildren(w("num")):
            source = abstract.get(w_val(num, "abstractNumId"))
            if source is not None:
                self.sources[num.get(w("numId")) or ""] = (num, source)

    def levels(self, num_id: str) -> list[Level] | None:
        """The levels of ``num_id``, parsed on first use; None for an undefined list."""
        levels = self.parsed.get(num_id)
        if levels is None and num_id in self.sources:
            num, source = self.sources[num_id]
            levels = self.parsed[num_id] = _abstract_levels(source)
            _apply_overrides(num, levels)
        return levels

    def level_for_style(self, num_id: str, style_id: str) -> int:
        """The level whose ``w:pStyle`` names ``style_id``: how a list style picks its level."""
        for index, level in enumerate(self.levels(num_id) or []):
            if level.style == style_id:
                return index
        return 0


def _abstract_levels(source: Any) -> list[Level]:
    levels = [Level(text="") for _ in range(MAX_LEVELS)]
    for lvl in source.iterchildren(w("lvl")):
        index = _int(lvl.get(w("ilvl")), 0) or 0
        if 0 <= index < MAX_LEVELS:
            levels[index] = _parse_level(lvl)
    return levels


def _apply_overrides(num: Any, levels: list[Level]) -> None:
    for override in num.iterchildren(w("lvlOverride")):
        index = _int(override.get(w("ilvl")), 0) or 0
        if not 0 <= index < MAX_LEVELS:
            continue
        lvl = override.find(w("lvl"))
        if lvl is not None:
            levels[index] = _parse_level(lvl)
        start = _int(w_val(override, "startOverride"))
        if start is not None:
            levels[index] = replace(levels[index], start=start)


def toggle(rpr: Any, tag: str) -> bool | None:
    el = None if rpr is None else rpr.find(w(tag))
    return None if el is None else is_on(el)


def is_on(el: Any) -> bool:
    """A toggle (``w:b``, ``w:i``, ``w:vanish``) that is present: on unless its val says off."""
    return (el.get(W_VAL) or "true").lower() not in FALSE_VALUES


@dataclass(frozen=True, slots=True)
class StyleInfo:
    name: str
    based_on: str | None
    bold: bool | None
    italic: bool | None
    num_id: str | None
    ilvl: int | None


class Styles:
    """Just what the reader needs from styles.xml, resolved along ``basedOn`` chains."""

    def __init__(self, root: Any | None) -> None:
        self.elements: dict[str, Any] = {}  # styleId → w:style (a repeated id: the last one)
        self.styles: dict[str, StyleInfo] = {}  # those read so far
        self.default_paragraph: str | None = None
        self.default_bold = self.default_italic = False
        if root is None:
            return
        defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self.default_bold = bool(toggle(defaults, "b"))
        self.default_italic = bool(toggle(defaults, "i"))
        style_id_attr, type_attr, default_attr = w("styleId"), w("type"), w("default")
        for style in root.iterchildren(w("style")):
            style_id = style.get(style_id_attr) or ""
            if style.get(type_attr) == "paragraph" and style.get(default_attr) in ("1", "true"):
                self.default_paragraph = style_id
            self.elements[style_id] = style

    def info(self, style_id: str) -> StyleInfo | None:
        """The style's own settings, read on first use; None for an undefined style."""
        info = self.styles.get(style_id)
        if info is None and style_id in self.elements:
            info = self.styles[style_id] = _style_info(self.elements[style_id], style_id)
        return info

    def chain(self, style_id: str | None) -> list[StyleInfo]:
        out: list[StyleInfo] = []
        while style_id and len(out) < 20:  # 20: cycles exist
            info = self.info(style_id)
            if info is None:
                break
            out.append(info)
            style_id = info.based_on
        return out

    def first(self, style_id: str | None, attr: str) -> Any:
        for info in self.chain(style_id):
            value = getattr(info, attr)
            if value is not None:
                return value
        return None

    def heading(self, style_id: str | None) -> int:
        info = self.info(style_id or "")
        if info is None:
            return 0
        if info.name.lower() == "title":
            return 1
        match = HEADING.match(info.name)
        return int(match.group(1)) if match else 0


def _style_info(style: Any, style_id: str) -> StyleInfo:
    rpr, ppr = style.find(w("rPr")), style.find(w("pPr"))
    num_pr = None if ppr is None else ppr.find(w("numPr"))
    ilvl = w_val(num_pr, "ilvl")
    return StyleInfo(
        name=w_val(style, "name") or style_id,
        based_on=w_val(style, "basedOn"),
        bold=toggle(rpr, "b"),
        italic=toggle(rpr, "i"),
        num_id=w_val(num_pr, "numId"),
        ilvl=int(ilvl) if ilvl and ilvl.isdigit() else None,
    )


def list_label(ppr: Any, style_id: str | None, styles: Styles, numberer: Numberer) -> str:
    """The label of a paragraph numbered directly (``w:numPr``) or through its style."""
    num_pr = None if ppr is None else ppr.find(w("numPr"))
    num_id = w_val(num_pr, "numId") or styles.first(style_id, "num_id")
    if not num_id or num_id == "0":  # numId 0 switches a style's numbering off
        return ""
    ilvl_text = w_val(num_pr, "ilvl")
    if ilvl_text is not None and ilvl_text.isdigit():
        return numberer.label(num_id, int(ilvl_text))
    from_style = styles.first(style_id, "ilvl")
    if from_style is None:
        from_style = numberer.defs.level_for_style(num_id, style_id or "")
    return numberer.label(num_id, from_style)


class Numberer:
    """Hands out labels in document order; call :meth:`label` once per numbered paragraph."""

    def __init__(self, defs: NumberingDefs) -> None:
        self.defs = defs
        self.counters: dict[str, list[int | None]] = {}

    def label(self, num_id: str, ilvl: int) -> str:
        """The rendered label ('I.', 'a)', '1.2.', '-', '+'), '' when the level shows none."""
        levels = self.defs.levels(num_id)
        if not levels or not 0 <= ilvl < MAX_LEVELS:
            return ""
        counts = self.counters.setdefault(num_id, [None] * MAX_LEVELS)
        current = counts[ilvl]
        counts[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            restart = levels[deeper].restart
            if restart is None or (restart != 0 and ilvl < restart):
                counts[deeper] = None
        return _render(levels, counts, ilvl)


def _render(levels: list[Level], counts: list[int | None], ilvl: int) -> str:
    level = levels[ilvl]
    if level.fmt == "bullet":
        return "+" if level.text.strip() in PLUS_BULLETS else "-"
    if not level.text:
        return ""
    out = level.text
    for ref in range(MAX_LEVELS, 0, -1):  # %10 does not exist; go high to low all the same
        token = f"%{ref}"
        if token in out:
            ref_level = levels[ref - 1]
            value = counts[ref - 1]
            number = ref_level.start if value is None else value
            fmt = "decimal" if level.legal and ref - 1 < ilvl else ref_level.fmt
            out = out.replace(token, format_number(number, fmt))
    return out.strip()


def format_number(number: int, fmt: str) -> str:
    """One counter as Word draws it for ``fmt``; unknown formats fall back to decimal."""
    if fmt in ("upperRoman", "lowerRoman"):
        roman = to_roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letters = to_letters(number)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def to_roman(number: int) -> str:
    if number <= 0:
        return str(number)
    out = []
    for value, glyph in ROMAN:
        count, number = divmod(number, value)
        out.append(glyph * count)
    return "".join(out)


def to_letters(number: int) -> str:
    """Word's letter counter: A…Z, then AA…ZZ, AAA… (repeats the letter, not base 26).

    Word knows no Vietnamese alphabet: its lowerLetter runs a b c d e, never đ. The label is
    kept as Word renders it; mapping to the Vietnamese sequence is the structure stage's call.
    """
    if number <= 0:
        return str(number)
    repeat, index = divmod(number - 1, 26)
    return chr(ord("A") + index) * (repeat + 1)
