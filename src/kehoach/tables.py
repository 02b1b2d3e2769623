"""Task tables: which columns of a header row mean what (DOMAIN §1.5 synonyms).

Matching folds diacritics and case, so OCR'd or oddly typed headers still map.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import patterns
from .readers.base import Table

# U+0300–U+036F, every one a nonspacing mark (Mn): all of Vietnamese's tone and vowel marks
_COMBINING = patterns.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), whitespace collapsed: for matching only."""
    text = _COMBINING.sub("", unicodedata.normalize("NFD", text.lower()).replace("đ", "d"))
    if not text.isascii():  # rarer marks (other blocks) char by char: a per-char loop is slow
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.split())


_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("index", patterns.compile(r"^(?:stt|tt|so tt)$")),
    ("monitor", patterns.compile(r"theo doi|don doc")),
    ("support", patterns.compile(r"phoi hop")),
    ("lead", patterns.compile(r"chu tri|phan cong|co quan thuc hien|don vi thuc hien|nguoi thuc hien|"
                        r"trach nhiem thuc hien|co quan, don vi thuc hien")),
    ("time", patterns.compile(r"thoi gian|thoi han|tien do|lo trinh")),
    ("product", patterns.compile(r"san pham|hinh thuc|ket qua")),
    ("task", patterns.compile(r"noi dung|nhiem vu|cong viec|giai phap|hoat dong")),
    ("note", patterns.compile(r"ghi chu|kinh phi|nguon|phuong phap")),
]
_NUMBERING_ROW = patterns.compile(r"^\(?\d{1,2}\)?$")
_ROMAN_INDEX = patterns.compile(r"[IVX]{1,6}\.?")


@dataclass(frozen=True, slots=True)
class Columns:
    roles: dict[str, int]  # role → column index
    header_rows: int  # rows to skip: the header and a '(1) (2) (3)' numbering row

    def cell(self, row: list[str], role: str) -> str:
        i = self.roles.get(role)
        return row[i].strip() if i is not None and i < len(row) else ""


def task_columns(table: Table) -> Columns | None:
    """The column map when ``table`` is a task table, else None."""
    for h, header in enumerate(table.rows[:3]):
        roles: dict[str, int] = {}
        for i, cell in enumerate(header):
            folded = fold(cell)
            for role, pattern in _ROLES:
                if pattern.search(folded) and role not in roles:
                    if i not in roles.values():
                        roles[role] = i
                    break
        if "task" in roles and ({"lead", "time", "support"} & roles.keys()):
            skip = h + 1
            if skip < len(table.rows) and all(
                    _NUMBERING_ROW.match(c.strip()) or not c.strip() for c in table.rows[skip]):
                skip += 1
            return Columns(roles, skip)
    return None


def group_label(row: list[str], cols: Columns) -> str | None:
    """A group row (``I | Cải cách thể chế`` spanning the table) → its label, else None."""
    cells = [c.strip() for c in row]
    distinct = {c for c in cells if c}
    index = cols.cell(row, "index")
    if len(distinct) == 1:
        return next(iter(distinct))
    if _ROMAN_INDEX.fullmatch(index):
        others = {c for i, c in enumerate(cells) if c and i != cols.roles.get("index")}
        if len(others) <= 1:
            return f"{index.rstrip('.')} {next(iter(others), '')}".strip()
    return None
