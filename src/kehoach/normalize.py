"""Pre-parse normaliser: reader blocks → clean paragraphs.

Guarantees, whatever the reader:

1. Text is Unicode NFC; no-break spaces are spaces; the fraction slash is ``/``; dashes
   U+2010–U+2015 and U+2212 at the start of a line are ``-``; inner whitespace is collapsed.
2. Markdown marks are removed from the text but kept as cues: ``#``… depth → ``heading``, a
   line wholly in ``**`` → ``bold``, ``*…*`` → ``italic``; ``\\*`` becomes ``*``; adjacent bold
   runs (``****``) leave a space, so that stamp fields stay apart.
3. A line holding two columns (a tab or a run of 3+ spaces, as in ``Số: 134 /KH-UBND    Lào
   Cai, ngày …``) is split into its columns by :func:`clean_lines`.
4. :func:`join_paragraphs` re-joins lines wrapped mid-sentence and paragraphs split by a page
   break: a line continues the previous one unless it opens with a numbering marker or a
   label (``Thời gian …:``, ``Nơi nhận``, ``TM.``), or the previous line is a heading; across
   a paragraph boundary it continues only when the previous text stops mid-sentence (no final
   punctuation) and the new one starts in lower case, or the previous ends with a comma or a
   word that cannot end a sentence (``của``, ``và``, ``với`` …).
5. No text is dropped except empty lines and markdown marks: every word of the input is in
   exactly one output paragraph or table. Vietnamese is not hyphenated at line ends, so a
   trailing ``-`` is never removed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from . import patterns
from .markers import match_marker
from .readers.base import Block, Line, Table


# Values, never assigned to after creation (use dataclasses.replace), but not frozen: a frozen
# dataclass's __init__ sets each field through object.__setattr__, ~5x the cost, and one of
# these is made per line of every page. unsafe_hash keeps them hashable as frozen ones were.
@dataclass(slots=True, unsafe_hash=True)
class Para:
    text: str
    line: int
    page: int | None = None
    gap: bool = True
    bold: bool = False
    heading: int = 0
    italic: bool = False
    appendix: bool = False  # opens an appendix that has no 'Phụ lục' heading of its own


Chunk = Para | Table

_DASHES = patterns.compile(r"^[ \t]*[\u2010-\u2015\u2212](?=\s|\w)")
_HEADING = patterns.compile(r"^[ \t]*(#{1,6})[ \t]+")
_COLUMNS = patterns.compile(r"\t+|[ ]{3,}")
_BLANK_FIELD = patterns.compile(r"([Ss]ố(?:[ \t]*:)?|ngày|tháng)[ \t.…_]{2,}(?=[/\-]|tháng|năm)")
# _BLANK_FIELD from its 'ố' on: a search can skip to the words' first letters, which the
# '[Ss]' that _BLANK_FIELD opens with (for its group) rules out
_BLANK_HINT = patterns.compile(r"(?:ố(?:[ \t]*:)?|ngày|tháng)[ \t.…_]{2,}(?=[/\-]|tháng|năm)")
_SEPARATOR = patterns.compile(r"^[-_=*.…]{3,}$")
_SEPARATOR_FIRST = "-_=*.… "
_LABEL = patterns.compile(
    r"^[-+*•–]?\s*(?:\(?Thời\s+(?:gian|hạn)|Tiến\s+độ|Nơi\s+nhận|Kính\s+gửi|"
    r"(?:TM|KT|TL|TUQ|Q)\.\s*\S|T/M|K/T|T/L|Đơn\s+vị\s+(?:chủ\s+trì|phối\s+hợp)|"
    r"Cơ\s+quan\s+(?:chủ\s+trì|phối\s+hợp)|Trách\s+nhiệm\s+chỉ\s+đạo|Lãnh\s+đạo\s+phụ\s+trách)",
)
_CONNECTORS = frozenset(
    ["của", "và", "với", "các", "những", "cho", "trong", "để", "là", "về", "theo", "tại", "hoặc", "được", "bằng", "từ", "đến", "trên", "như", "nhằm", "gồm", "thì", "mà", "do", "bởi", "vì", "nên", "đối", "giữa", "sự", "việc", "công", "tác", "phối", "hợp", "cùng", "hay"]
)


# every char that one of clean_text's replacements or patterns needs (\x00 stands for '\*')
_MARKED = patterns.compile(r"[\u00a0\u2044\u2010-\u2015\u2212#*_\\\x00]")
_ITALIC_LINE = patterns.compile(r"\s*\*[^*]+\*\s*")
_ITALIC_SPAN = patterns.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")


def clean_text(text: str) -> tuple[str, bool, int, bool]:
    """One line's text without markdown marks, plus its (bold, heading, italic) cues."""
    text = unicodedata.normalize("NFC", text)
    if not _MARKED.search(text):  # nothing below would change it but the whitespace
        return text if is_collapsed(text) else " ".join(text.split()), False, 0, False
    text = text.replace("\u00a0", " ").replace("\u2044", "/")
    text = _DASHES.sub("-", text)
    heading = 0
    if m := _HEADING.match(text):
        heading, text = len(m[1]), text[m.end():]
    stripped = text.strip()
    bold = len(stripped) > 4 and stripped.startswith("**") and stripped.endswith("**")
    text = text.replace("\\*", "\x00").replace("****", " ").replace("**", "").replace("__", " ")
    italic = False
    if "*" in text:  # both patterns need one; most lines have none
        italic = bool(_ITALIC_LINE.fullmatch(text))
        text = _ITALIC_SPAN.sub(r"\1", text)
    text = text.replace("\x00", "*")
    return " ".join(text.split()), bold, heading, italic


def clean_lines(blocks: list[Block]) -> list[Chunk]:
    """Clean every line and split two-column lines; tables pass through untouched."""
    out: list[Chunk] = []
    for block in blocks:
        if isinstance(block, Table):
            out.append(block)
            continue
        out.extend(_clean_line(block))
    return out


def _clean_line(line: Line) -> list[Para]:
    # A blank number or day ('Số:      /KH-UBND', 'ngày      tháng 3') is one field, not columns.
    text = line.text
    # plain substring tests are cheaper than the regex scans they stand before
    if ("ố" in text or "ngày" in text or "tháng" in text) and _BLANK_HINT.search(text):
        text = _BLANK_FIELD.sub(r"\1 ", text)
    if "\t" in text or "   " in text:
        parts = [p for p in _COLUMNS.split(text) if p.strip()]
    else:
        parts = [text] if text.strip() else []
    out = []
    for i, part in enumerate(parts):
        text, bold, heading, italic = clean_text(part)
        if text:
            out.append(Para(text, line.line, line.page, line.gap or i > 0, bold or line.bold,
                            heading or line.heading, italic or line.italic))
    return out


def is_collapsed(text: str) -> bool:
    """``" ".join(text.split()) == text``, tested without the split: whitespace other than
    the space is never printable, so a printable text with no double, first or last space
    holds only single inner spaces (as the normaliser leaves every paragraph; the extractors
    skip their own whitespace clean-up on such text)."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def is_separator(text: str) -> bool:
    # its first char rules out nearly every line without the copy ('' and ' ' go on to it)
    return text[:1] in _SEPARATOR_FIRST and bool(_SEPARATOR.match(text.replace(" ", "")))


def is_upper(text: str) -> bool:
    # Most lines are not upper case, and say so in their first words: upper() maps char by char
    # and never shortens, so a head it changes is a text it changes, whatever follows.
    head = text[:24]
    if head != head.upper():
        return False
    return text == text.upper() and _letters(text) == 2


def _letters(text: str) -> int:
    """How many letters ``text`` has, counted up to 2 (all :func:`is_upper` asks)."""
    letters = 0
    for c in text:
        if c.isalpha():
            letters += 1
            if letters == 2:
                break
    return letters


def join_paragraphs(chunks: list[Chunk]) -> list[Chunk]:
    """Re-join wrapped lines and page-split paragraphs (guarantee 4)."""
    out: list[Chunk] = []
    width = _wrap_width(chunks)
    last_len = 0  # length of the previous *line*, which tells a wrapped line from a short one
    for chunk in chunks:
        prev = out[-1] if out else None
        if (isinstance(chunk, Para) and isinstance(prev, Para)
                and _continues(prev, chunk, last_len < 0.6 * width)):
            out[-1] = _joined(prev, chunk)
        else:
            out.append(chunk)
        last_len = len(chunk.text) if isinstance(chunk, Para) else 0
    return out


def _joined(prev: Para, cur: Para) -> Para:
    """``cur`` appended to ``prev`` (dataclasses.replace, spelled out: it was a tenth of the
    joining time)."""
    return Para(f"{prev.text} {cur.text}", prev.line, prev.page, prev.gap,
                prev.bold and cur.bold, prev.heading, prev.italic and cur.italic, prev.appendix)


def _wrap_width(chunks: list[Chunk]) -> float:
    """The length of a full line where text is wrapped (80th percentile of line lengths)."""
    lengths = sorted(len(c.text) for c in chunks if isinstance(c, Para) and not c.gap)
    return float(lengths[int(len(lengths) * 0.8)]) if lengths else 0.0


def _continues(prev: Para, cur: Para, short: bool = False) -> bool:
    text = cur.text
    if match_marker(text) or _LABEL.match(text) or is_separator(text) or is_separator(prev.text):
        return False
    if prev.heading or cur.heading or _LABEL.match(prev.text):
        return False
    if is_upper(prev.text) != is_upper(text):
        return False
    last = prev.text[-1]
    if not cur.gap:
        if text[:1].islower():
            return True
        return last not in ".;!?:" and not short
    if last in ".;!?:":
        return False
    last_word = prev.text.rsplit(" ", 1)[-1].lower()
    return text[:1].islower() or last == "," or last_word in _CONNECTORS


def flatten_table(table: Table) -> list[Para]:
    """A layout table (header, signature block) read row by row, cell by cell, as lines."""
    out: list[Para] = []
    for row in table.rows:
        seen: set[str] = set()
        for cell in row:
            if cell in seen:  # a merged cell repeats its text across the grid
                continue
            seen.add(cell)
            for k, text in enumerate(t for t in cell.split("\n") if t.strip()):
                out.extend(_clean_line(Line(text, table.line, table.page, gap=True)))
    return out
