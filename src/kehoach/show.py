"""A human view of a parsed plan for the terminal (``kehoach show``), built with rich."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .models import Document, Item, Node, Timeframe

_TEXT_WIDTH = 110


def render_document(doc: Document) -> RenderableType:
    """Metadata, the section tree with each task's lead and deadline, then warnings."""
    items = {i.id: i for i in doc.goals + doc.tasks}
    root = Tree(Text(_heading(doc), style="bold"))
    for node in doc.sections:
        _add(root, node, items)
    parts: list[RenderableType] = [_metadata(doc), root]
    table_tasks = [t for t in doc.tasks if t.origin == "table"]
    if table_tasks:
        parts.append(_task_table(table_tasks))
    if doc.warnings:
        parts.append(Text(f"{len(doc.warnings)} warning(s):", style="bold yellow"))
        for w in doc.warnings:
            where = f"page {w.page}, line {w.line}" if w.page else f"line {w.line}"
            parts.append(Text(f"  {w.code} ({where}): {w.message}", style="yellow"))
    return Group(*parts)


def _heading(doc: Document) -> str:
    m = doc.metadata
    bits = [m.doc_type or "Văn bản", m.number or "(chưa số)"]
    if m.date:
        bits.append(m.date)
    return " · ".join(bits)


def _metadata(doc: Document) -> Table:
    m = doc.metadata
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    rows = [("Cơ quan", m.issuer), ("Trích yếu", m.title), ("Nơi, ngày", m.place),
            ("Chế độ", m.regime),
            ("Thực hiện", "; ".join(r.number or r.raw for r in m.references[:5]) or None),
            ("Ký", " / ".join(filter(None, [m.signer.authority, m.signer.position, m.signer.name]))
             if m.signer else None),
            ("Nơi nhận", f"{len(m.recipients)} nơi" if m.recipients else None)]
    for label, value in rows:
        if value:
            grid.add_row(label, escape(value))
    grid.add_row("Nhiệm vụ", f"{len(doc.tasks)} nhiệm vụ, {len(doc.goals)} mục tiêu")
    return grid


def _add(parent: Tree, node: Node, items: dict[str, Item]) -> None:
    label = Text()
    if node.marker:
        label.append(f"{node.marker} ", style="bold cyan")
    if node.title:
        label.append(_cut(node.title), style="bold")
    else:
        label.append(_cut(node.text))
    item = items.get(node.id)
    if item is not None and (item.owners.lead or item.owners.support or item.timeframe):
        label.append("\n")
        if item.owners.lead:
            label.append(f"  ▸ {'; '.join(item.owners.lead)}", style="magenta")
        if item.owners.support:
            label.append(f"  + {'; '.join(item.owners.support)}", style="dim magenta")
        if item.timeframe:
            label.append(f"  ⏱ {_when(item.timeframe)}", style="green")
    branch = parent.add(label)
    for child in node.children:
        _add(branch, child, items)


def _task_table(tasks: list[Item]) -> Table:
    table = Table(title="Nhiệm vụ trong bảng", show_lines=False, expand=False)
    for col in ("Id", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"):
        table.add_column(col)
    for t in tasks:
        table.add_row(t.id, _cut(t.text, 60), "; ".join(t.owners.lead),
                      "; ".join(t.owners.support), _when(t.timeframe) if t.timeframe else "")
    return table


def _when(tf: Timeframe) -> str:
    if tf.start and tf.end and tf.start != tf.end:
        return f"{tf.start}..{tf.end}"
    if tf.end:
        return f"≤ {tf.end}" if tf.kind == "deadline" else tf.end
    if tf.start:
        return f"≥ {tf.start}"
    return {"ongoing": "thường xuyên", "recurring": f"định kỳ {tf.recurrence or ''}".strip()}.get(
        tf.kind, tf.raw)


def _cut(text: str, width: int = _TEXT_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
