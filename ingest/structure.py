"""Stage 4 — structure: blocks → an outline tree by numbering level, with 专栏 boxes and their items.

Guarantees:
- a heading (第X篇/章/节, 一、, （一）, 1., （1）, ①, 1)) closes every open node of the same or a deeper
  level,
  so skipped levels and numbering that continues across parts nest correctly;
- a 专栏 box opens inside the current node; its numbered blocks are its items; the box ends at the first
  unnumbered block or the next heading of an outline level above its items;
- ``OutlineNode.content`` keeps blocks and child nodes in document order (a box knows what it follows);
- numbering gaps and repeats among siblings are reported as warnings with line numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from plangraph.ingest.models import ParseWarning
from plangraph.ingest.normalize import Attachment
from plangraph.ingest.segment import (
    MARKER_BY_NAME,
    Block,
    Marker,
    Role,
    ends_sentence,
    measure_lead,
    split_after_paragraph,
)

ATTACHMENT_LEVEL = -1  # above every outline level: nothing of the body nests in an attachment
BOX_LEVEL = 100  # a box is not an outline level: any heading closes it
LIST_LEVEL = MARKER_BY_NAME["arabic"].level


@dataclass
class OutlineNode:
    marker: Marker | None
    heading: Block | None
    level: int
    content: list[Block | OutlineNode] = field(default_factory=list)
    is_box: bool = False
    in_box: bool = False
    attachment: str | None = None  # the title of an attachment (附件 N) after the plan's body

    @property
    def children(self) -> list[OutlineNode]:
        return [c for c in self.content if isinstance(c, OutlineNode)]

    @property
    def blocks(self) -> list[Block]:
        return [c for c in self.content if isinstance(c, Block)]

    def all_blocks(self) -> list[Block]:
        out = [self.heading] if self.heading else []
        for c in self.content:
            out.extend(c.all_blocks() if isinstance(c, OutlineNode) else [c])
        return out


def structure(
    blocks: list[Block], attachments: Sequence[Attachment] = ()
) -> tuple[OutlineNode, list[ParseWarning]]:
    """The outline of ``blocks``; each attachment (from the boundaries stage) opens a top-level node of
    its own, so its lists and tables never become children of the plan's last part."""
    root = OutlineNode(None, None, -1)
    starts = {a.line: (k, a) for k, a in enumerate(attachments, start=1)}
    stack: list[OutlineNode] = [root]
    warnings: list[ParseWarning] = []

    def close_box() -> None:
        while stack[-1].is_box or stack[-1].in_box:
            stack.pop()

    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        found = starts.pop(block.line_start, None)
        if found is not None:
            number, att = found
            del stack[1:]
            marker = Marker("attachment", ATTACHMENT_LEVEL, number, att.label)
            node = OutlineNode(marker, block, ATTACHMENT_LEVEL, attachment=att.title or att.label)
            root.content.append(node)
            stack.append(node)
            continue
        m = block.marker
        if m is not None and m.role is Role.DASH:
            m = None  # a "——" entry is a paragraph of its container; classify reads its marker
        top = stack[-1]
        if m is not None and m.role is Role.BOX:
            repeated = _repeated_header(stack, block)
            if repeated is not None:  # a box split by a page break repeats its header: read it once
                while stack[-1] is not repeated:
                    stack.pop()
                warnings.append(
                    ParseWarning(
                        code="I301",
                        message=f"专栏 {m.number}: header repeated after a page break; read as one box",
                        line=block.line_start,
                    )
                )
                continue
            close_box()
            while stack[-1].level >= LIST_LEVEL:  # a box stands beside list items, never inside one
                stack.pop()
            node = OutlineNode(m, block, BOX_LEVEL, is_box=True)
            stack[-1].content.append(node)
            stack.append(node)
            continue
        if top.is_box or top.in_box:
            if "\t" in block.text:  # a row of a table-bodied box (HTML <table>): the box's own content
                while not stack[-1].is_box:
                    stack.pop()
                stack[-1].content.append(block)
                continue
            if m is not None and m.role is Role.LIST:
                box_item_level = _box_item_level(stack)
                if (box_item_level is None or m.level == box_item_level) and _continues_box(stack, m):
                    if top.in_box:
                        stack.pop()
                    item = OutlineNode(m, block, m.level, in_box=True)
                    stack[-1].content.append(item)
                    stack.append(item)
                    continue
                if box_item_level is not None and m.level > box_item_level:  # a sub-item in an item
                    top.content.append(block)
                    continue
            if m is None and top.in_box and _group_label(block):  # 打造智慧养老场景： items follow
                stack.pop()
                stack[-1].content.append(block)
                continue
            if m is None and _box_body(top, block):
                head, rest = split_after_paragraph(block) if top.in_box else (block, None)
                top.content.append(head)
                if rest is not None:  # the box's last item ends mid-line: the body text resumes
                    close_box()
                    queue.insert(0, rest)
                continue
            close_box()
        if m is None:
            stack[-1].content.append(block)
            continue
        while stack[-1].level >= m.level:
            stack.pop()
        node = OutlineNode(m, block, m.level)
        stack[-1].content.append(node)
        stack.append(node)

    _check_numbering(root, warnings)
    return root, warnings


def _box_body(node: OutlineNode, block: Block | None = None) -> bool:
    """Whether an unnumbered block after ``node`` (a box or its current item) still belongs to the box:
    a box without numbered items keeps its paragraphs up to the next heading (its items are paragraphs,
    run-in phrases or 一是…二是…); an item whose heading is its title only (``01 智能场景``) keeps the
    paragraphs of its body. After an item that carries its own text, the running text resumes."""
    if node.is_box:  # a table-bodied box ends with its table; a box of noun-phrase items at a measure
        if node.children or any("\t" in b.text for b in node.blocks):
            return False
        items = node.blocks
        if block is None or not items:
            return True
        spaced = any(b.double_spaced for b in items) and not any(b.single_spaced for b in items)
        if spaced and block.single_spaced:
            return False  # the box was printed double-spaced (layout text of a frame), the body is not
        return not (
            len(items) >= 2 and measure_lead(block.text) and not any(measure_lead(b.text) for b in items)
        )
    if not node.in_box or node.heading is None:
        return False
    if _title_only(node.heading) and not node.blocks:
        return True
    last = node.blocks[-1] if node.blocks else node.heading
    return not ends_sentence(last.text)  # an item cut mid-sentence (a wrap, a page break) goes on


def _repeated_header(stack: list[OutlineNode], block: Block) -> OutlineNode | None:
    """The open box whose header ``block`` repeats (same number, same title, or the title plus （续）)."""
    box = next((node for node in reversed(stack) if node.is_box), None)
    if box is None or box.heading is None or box.marker is None or block.marker is None:
        return None
    title = block.body.strip().removesuffix("（续）").removesuffix("(续)").strip()
    same = box.marker.number == block.marker.number and box.heading.body.strip().startswith(title)
    return box if same and title else None


def _group_label(block: Block) -> bool:
    """A short label that groups the items of a box that follow it (``创新智慧养老服务：``)."""
    text = block.text.strip()
    return len(text) <= 24 and text[-1:] in "：:" and not any(t in text for t in "。；，")


def _title_only(block: Block) -> bool:
    body = block.body.strip()
    return 0 < len(body) <= 30 and not any(t in body for t in "。；：:")


def _continues_box(stack: list[OutlineNode], m: Marker) -> bool:
    """An item continues the box when its number follows the box's last item (or is 1 and starts it)."""
    box = next(node for node in reversed(stack) if node.is_box)
    items = box.children
    if not items:
        return m.number == 1
    last = items[-1].marker
    return last is not None and m.number == last.number + 1


def _box_item_level(stack: list[OutlineNode]) -> int | None:
    for node in reversed(stack):
        if node.is_box:
            items = node.children
            return items[0].level if items else None
    return None


def _check_numbering(
    node: OutlineNode, warnings: list[ParseWarning], last_seen: dict[tuple[int, str], int] | None = None
) -> None:
    """Siblings count 1, 2, 3 …; a first sibling may also continue the numbering of the previous
    parent's children at the same depth (numbering that runs on across parts)."""
    last_seen = {} if last_seen is None else last_seen
    depth = node.level
    by_type: dict[str, list[OutlineNode]] = {}
    for child in node.children:
        if child.marker is not None and not child.is_box and child.marker.role is not Role.DASH:
            by_type.setdefault(child.marker.type, []).append(child)
    for mtype, siblings in by_type.items():
        first = siblings[0].marker
        assert first is not None
        continued = last_seen.get((depth, mtype))
        expected = first.number if first.number in (1, (continued or 0) + 1) else 1
        for sib in siblings:
            assert sib.marker is not None
            if sib.marker.number != expected:
                _warn_number(warnings, sib, expected)
            expected = sib.marker.number + 1
        last_seen[(depth, mtype)] = expected - 1
    for child in node.children:
        _check_numbering(child, warnings, last_seen)


def _warn_number(warnings: list[ParseWarning], node: OutlineNode, expected: int) -> None:
    assert node.marker is not None and node.heading is not None
    warnings.append(
        ParseWarning(
            code="W101",
            message=f"numbering {node.marker.text!r}: expected number {expected}, found {node.marker.number}"
            " (missing, repeated or shuffled heading)",
            line=node.heading.line_start,
        )
    )
