"""Owners, timeframes, goals and tasks over the section tree and task tables.

Placement rules (CONTRACT "Meanings that tests hold to"):
- an item's owners are the ones it states, else its nearest ancestor's; an item that names only
  its partners (``Chủ trì, phối hợp với Y …``) keeps the inherited lead and adds Y as support;
- a ``Thời gian …:`` line applies to the item it follows, or, when it closes a group (the last
  line of its parent after the group's items), to the parent and every item of the group;
- a timeframe stated on a node applies to everything below it that states none.
"""

from __future__ import annotations

import re

from .. import patterns
from ..models import Item, Owners, Span, Timeframe, Warning
from ..segment import KEM_THEO
from ..structure.tree import Draft, PlacedTable, Tree
from ..tables import Columns, fold, group_label, task_columns
from .owners import heading_owner, owners_in_text, split_agencies
from .timeframes import find_timeframe, is_timeframe_line, parse_timeframe

_GOAL = patterns.compile(r"^(?:cac )?(?:muc dich|yeu cau|muc tieu|chi tieu)\b")
_ROMAN_GROUP = patterns.compile(r"^[IVX]+\.?\s")
_OWNER_LABEL = patterns.compile(
    r"^[-+•]?\s*(?:Đơn vị|Cơ quan)\s+(?:chủ trì|phối hợp|thực hiện)|^[-+•]?\s*Trách nhiệm chỉ đạo"
    r"|^[-+•]?\s*Lãnh đạo phụ trách|^[-+•]?\s*(?:Chủ trì|Phối hợp)(?: thực hiện)?\s*:", re.IGNORECASE)


def is_annotation(text: str) -> bool:
    """Lines that qualify their parent instead of standing as items."""
    return is_timeframe_line(text) or bool(_OWNER_LABEL.match(text) or KEM_THEO.match(text))


def annotate(tree: Tree, year: int | None, warnings: list[Warning]) -> None:
    """Fill ``owners`` and ``timeframe`` on every node of the tree."""
    for root in tree.roots:
        _own_timeframes(root, year, warnings)
    for root in tree.roots:
        _inherit(root, None, None)


def _own_timeframes(node: Draft, year: int | None, warnings: list[Warning]) -> None:
    if not node.annotation:
        node.timeframe = _slot(node, node.text, year, warnings)
    for i, child in enumerate(node.children):
        _own_timeframes(child, year, warnings)
        if child.annotation and is_timeframe_line(child.text):
            tf = _slot(child, child.text, year, warnings)
            if tf is not None:
                _place(node, i, tf)


def _slot(node: Draft, text: str, year: int | None, warnings: list[Warning]) -> Timeframe | None:
    found = find_timeframe(text, year=year)
    if found is None:
        return None
    _, tf, understood = found
    if not understood:
        warnings.append(Warning(code="unparsed_timeframe",
                                message=f"{node.id or 'body'}: cannot normalise '{tf.raw}'",
                                page=node.para.page, line=node.para.line))
    return tf


def _place(parent: Draft, index: int, tf: Timeframe) -> None:
    items = [c for c in parent.children[:index] if not c.annotation]
    later = [c for c in parent.children[index + 1:] if not c.annotation]
    # Between items it belongs to the one it follows; last, it closes the group (or, with no
    # item before it, qualifies the parent alone).
    targets = items[-1:] if items and later else [parent, *items]
    for t in targets:
        if t.timeframe is None:
            t.timeframe = tf


def _inherit(node: Draft, owners: Owners | None, tf: Timeframe | None) -> None:
    own = _own_owners(node)
    if own is not None and own.lead:
        owners = own
    elif own is not None:
        base = owners or Owners()
        owners = Owners(lead=base.lead, support=own.support or base.support,
                        monitor=own.monitor or base.monitor)
    node.owners = owners
    if node.timeframe is None:
        node.timeframe = tf
    for child in node.children:
        _inherit(child, node.owners, node.timeframe)


def _own_owners(node: Draft) -> Owners | None:
    found = owners_in_text(node.text) if not node.annotation else None
    if found is None and node.title:
        name = heading_owner(node.title)
        found = Owners(lead=[name]) if name else None
    for child in node.children:
        if child.annotation and _OWNER_LABEL.match(child.text):
            label = owners_in_text(child.text)
            if label is not None:
                found = _merge(found, label)
    return found


def _merge(a: Owners | None, b: Owners) -> Owners:
    if a is None:
        return b
    return Owners(lead=a.lead or b.lead, support=a.support + b.support,
                  monitor=a.monitor + b.monitor)


def body_items(tree: Tree) -> tuple[list[Item], list[Item]]:
    """(goals, tasks) from the section tree, in reading order."""
    goals: list[Item] = []
    tasks: list[Item] = []
    memo: dict[int, bool] = {}
    for root in tree.roots:
        for node in root.walk():
            if not _is_item(node):
                continue
            section = _section(node)
            item = Item(id=node.id, section=section, text=node.text,
                        owners=node.owners or Owners(), timeframe=node.timeframe, origin="body",
                        span=Span(page=node.para.page, line=node.para.line))
            (goals if _in_goal_section(node, memo) else tasks).append(item)
    return goals, tasks


def _is_item(node: Draft) -> bool:
    if node.annotation or any(not c.annotation for c in node.children):
        return False
    if not node.text or (node.title and node.title.upper() == node.title):
        return False
    return node.numbered or _section(node) is not None


def _section(node: Draft) -> str | None:
    p = node.parent
    while p is not None and not p.numbered:
        p = p.parent
    return p.id if p else None


def _in_goal_section(node: Draft, memo: dict[int, bool]) -> bool:
    """``node`` or an ancestor has a goal heading; kept per node in ``memo`` (by id, for one
    tree): every item asks about the same ancestors, and folding their titles is not free."""
    found = memo.get(id(node))
    if found is None:
        parent = node.parent
        found = bool(node.title and _GOAL.match(fold(node.title))) or (
            parent is not None and _in_goal_section(parent, memo))
        memo[id(node)] = found
    return found


def table_items(tree: Tree, year: int | None, warnings: list[Warning]) -> list[Item]:
    items: list[Item] = []
    number = 0  # task tables only: layout tables differ between formats of the same plan
    for placed in tree.tables:
        cols = task_columns(placed.table)
        if cols is not None:
            number += 1
            items.extend(_rows(placed, cols, number, year, warnings))
    return items


def _rows(placed: PlacedTable, cols: Columns, number: int, year: int | None,
          warnings: list[Warning]) -> list[Item]:
    table, group = placed.table, placed.section
    out: list[Item] = []
    for r, row in enumerate(table.rows[cols.header_rows:], cols.header_rows + 1):
        label = group_label(row, cols)
        if label is not None:
            group = label.split()[0].rstrip(".") if _ROMAN_GROUP.match(label) else label
            continue
        text = cols.cell(row, "task")
        if not text:
            continue
        raw_time = cols.cell(row, "time")
        tf = None
        if raw_time:
            tf, understood = parse_timeframe(raw_time, year=year)
            if not understood:
                warnings.append(Warning(code="unparsed_timeframe", message=(
                    f"table {number} row {r}: cannot normalise '{tf.raw}'"),
                    page=table.page, line=table.line))
        owners = Owners(lead=_agencies(cols.cell(row, "lead")),
                        support=_agencies(cols.cell(row, "support")),
                        monitor=_agencies(cols.cell(row, "monitor")))
        out.append(Item(id=f"table:{number}:{r}", section=group,
                        text=" ".join(text.split()), owners=owners, timeframe=tf, origin="table",
                        span=Span(page=table.page, line=table.line)))
    return out


def _is_name(text: str) -> bool:
    """A person's name, every word capitalised: 'Đỗ Mạnh Cường'."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() for w in words)


def _agencies(cell: str) -> list[str]:
    """A table cell's agencies. A line continues the one before (a wrap, not a new entry) when
    it starts in lower case or the line before names no agency ('Lãnh đạo' / 'Sở Y tế')."""
    lines: list[str] = []
    for line in (ln.strip() for ln in cell.split("\n") if ln.strip()):
        if (lines and not lines[-1].endswith((",", ";", "."))
                and (line[:1].islower() or not (heading_owner(lines[-1]) or _is_name(lines[-1])))):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return split_agencies("\n".join(lines))
