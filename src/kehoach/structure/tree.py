"""Build the section tree from body paragraphs.

Levels come from the numbering alone: each marker style has a rank (``STYLE_RANK``; bullets
rank by first appearance after every numbered style), and a new node closes every open node
of the same or a deeper rank. Markdown ``#`` depth and bold are cues for heading-vs-item only.
A paragraph without a marker belongs to the nearest open numbered node (or to the document).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import patterns
from ..markers import STYLE_RANK, Marker, match_marker, roman_value, to_roman
from ..models import NodeKind, Owners, Timeframe
from ..normalize import Chunk, Para, is_upper
from ..readers.base import Table

_TITLE_WORDS = 50
_STRAY = patterns.compile(r"^([_~`'‘’,.»«])[ \t]+(?=[A-ZĐÀ-Ỹ])")
_END_MARK = patterns.compile(r"\s*\./\.$")
# The plan's closing words ('Trên đây là Kế hoạch …') stand at the top level, under no item.
_CLOSING = patterns.compile(r"^(?:Trên đây là|Trong quá trình (?:tổ chức )?(?:triển khai|thực hiện)"
                      r"[^.]{0,80}(?:khó khăn|vướng mắc))")


@dataclass(eq=False, slots=True)
class Draft:
    """A node under construction; extract/ fills owners and timeframe."""

    kind: NodeKind
    marker: Marker | None
    text: str
    para: Para
    parent: Draft | None = None
    children: list[Draft] = field(default_factory=list)
    id: str = ""
    title: str | None = None
    owners: Owners | None = None
    timeframe: Timeframe | None = None
    annotation: bool = False  # a 'Thời gian …:' or owner-label line that qualifies its parent

    @property
    def numbered(self) -> bool:
        return self.marker is not None and self.marker.number is not None

    def walk(self) -> list[Draft]:
        """This node and all below it, in reading order."""
        out: list[Draft] = []
        self._walk_into(out)
        return out

    def _walk_into(self, out: list[Draft]) -> None:  # one list for the whole walk
        out.append(self)
        for c in self.children:
            c._walk_into(out)


@dataclass(slots=True)
class PlacedTable:
    table: Table
    owner: Draft | None  # the nearest numbered node open where the table stands

    @property
    def section(self) -> str | None:
        return self.owner.id if self.owner else None


@dataclass(slots=True)
class Tree:
    roots: list[Draft]
    tables: list[PlacedTable]

    def walk(self) -> list[Draft]:
        return [n for r in self.roots for n in r.walk()]


def build_tree(body: list[Chunk], annotation: Callable[[str], bool] = lambda _: False) -> Tree:
    """``annotation`` says which unnumbered lines qualify their parent (``Thời gian …:``)."""
    roots: list[Draft] = []
    stack: list[Draft] = []
    bullet_ranks: dict[str, int] = {}
    tables: list[PlacedTable] = []
    chunks = _attach_lone_markers(body)
    overrides = _repair_numbering(chunks)
    for i, chunk in enumerate(chunks):
        if isinstance(chunk, Table):
            tables.append(PlacedTable(chunk, _nearest_numbered(stack)))
            continue
        marker = overrides.get(i) or match_marker(chunk.text)
        if marker is None and chunk.appendix:
            marker = Marker("paragraph", "phuluc", "", "PL", chunk.text)
        if marker is None:
            node = Draft("paragraph", None, chunk.text, chunk, annotation=annotation(chunk.text))
            parent = None if _CLOSING.match(chunk.text) else next(
                (n for n in reversed(stack) if n.numbered), None)
        else:
            node = Draft(marker.kind, marker, marker.rest, chunk)
            rank = _rank(marker, bullet_ranks)
            while stack and _rank(stack[-1].marker, bullet_ranks) >= rank:  # type: ignore[arg-type]
                stack.pop()
            parent = stack[-1] if stack else None
            stack.append(node)
        node.parent = parent
        (parent.children if parent else roots).append(node)
    _assign_ids(roots, "")
    for n in (n for r in roots for n in r.walk()):
        n.title = _title(n)
        if "./." in n.text:  # the closing mark, on the body's last paragraph only
            n.text = _END_MARK.sub(".", n.text)
    return Tree(roots, tables)


def _attach_lone_markers(body: list[Chunk]) -> list[Chunk]:
    """'I.' or 'PHỤ LỤC' alone on its line takes the heading that follows it as its text."""
    out: list[Chunk] = []
    for chunk in body:
        prev = out[-1] if out else None
        if (isinstance(chunk, Para) and isinstance(prev, Para) and not match_marker(chunk.text)
                and (m := match_marker(prev.text)) and not m.rest and m.kind != "bullet"
                and (is_upper(chunk.text) or chunk.bold or chunk.heading)):
            out[-1] = Para(f"{prev.text} {chunk.text}", prev.line, prev.page, prev.gap,
                           prev.bold, prev.heading, prev.italic)
        else:
            out.append(chunk)
    return out


def _repair_numbering(chunks: list[Chunk]) -> dict[int, Marker]:
    """Numbering slips (OCR's above all) mended from the sequence, by chunk index:
    a Roman heading repeated after the same or a higher one ('II. NỘI DUNG' … 'II. TỔ CHỨC
    THỰC HIỆN') takes the next value; a line opening with a stray mark ('_ Tiếp tục …')
    between items n and n+2 of one section is item n+1."""
    markers = [match_marker(c.text) if isinstance(c, Para) else None for c in chunks]
    overrides: dict[int, Marker] = {}
    last_roman, last_arabic = 0, 0
    for i, (chunk, m) in enumerate(zip(chunks, markers, strict=True)):
        if m is not None and m.style == "roman" and m.number:
            value = roman_value(m.number) or 0
            if value <= last_roman and m.rest and m.rest == m.rest.upper():
                value = last_roman + 1
                overrides[i] = replace(m, number=to_roman(value))
            last_roman, last_arabic = value, 0
        elif m is not None and m.style == "arabic" and m.number and m.number.isdigit():
            last_arabic = int(m.number)
        elif m is None and isinstance(chunk, Para) and (stray := _STRAY.match(chunk.text)):
            following = next((n for n in markers[i + 1:] if n and n.style in ("arabic", "roman")),
                             None)
            if (last_arabic and following and following.style == "arabic"
                    and following.number == str(last_arabic + 2)):
                last_arabic += 1
                overrides[i] = Marker("arabic", "arabic", stray[1], str(last_arabic),
                                      chunk.text[stray.end():].strip())
    return overrides


def _rank(marker: Marker, bullet_ranks: dict[str, int]) -> int:
    if marker.style in STYLE_RANK:
        return STYLE_RANK[marker.style]
    return 100 + bullet_ranks.setdefault(marker.style, len(bullet_ranks))


def _nearest_numbered(stack: list[Draft]) -> Draft | None:
    return next((n for n in reversed(stack) if n.numbered), None)


def _assign_ids(nodes: list[Draft], parent_id: str) -> None:
    used: set[str] = set()
    unnumbered = 0
    for node in nodes:
        if node.numbered and node.marker and node.marker.number:
            base = _numbered_id(parent_id, node.marker)
        else:
            unnumbered += 1
            base = f"{parent_id}.-{unnumbered}" if parent_id else f"-{unnumbered}"
        node.id, k = base, 1
        while node.id in used:  # a repeated number (a slip in the source) keeps ids unique
            k += 1
            node.id = f"{base}~{k}"
        used.add(node.id)
        _assign_ids(node.children, node.id)


def _numbered_id(parent_id: str, marker: Marker) -> str:
    number = marker.number or ""
    if marker.kind == "decimal":
        prefix, last = number.rsplit(".", 1)
        if parent_id == prefix or parent_id.endswith("." + prefix):
            number = last
    return f"{parent_id}.{number}" if parent_id else number


def _title(node: Draft) -> str | None:
    """A heading's text, or None for a running-text item."""
    text = node.text.strip()
    if not text or node.marker is None:
        return None
    ends_colon = text.endswith(":")
    # each test only where its branch needs it, the costly word count last
    if node.kind == "bullet":
        is_title = ends_colon and _has_items(node)
    elif node.kind == "roman" or node.marker and node.marker.style in ("phan", "chuong", "muc"):
        is_title = len(text.split()) <= _TITLE_WORDS * 2 or is_upper(text)
    else:
        heading_cue = node.para.heading > 0 or node.para.bold
        is_title = (is_upper(text) or ends_colon
                    or (not text.endswith((".", ";")) and (heading_cue or _has_items(node))
                        and len(text.split()) <= _TITLE_WORDS))
    return text.rstrip(":").strip() if is_title else None


def _has_items(node: Draft) -> bool:
    return any(not c.annotation for c in node.children)
