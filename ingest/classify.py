"""Stage 5 — classify: the outline → semantic drafts (goals, tasks, 专栏, actions, targets, indicators …).

Guarantees:
- meanings come from the title table in ``ingest.meanings`` only;
- every draft keeps the blocks it covers, so its span contains its title;
- a paragraph the rules cannot place is kept in its container's text and reported (W2xx), never dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from plangraph.ingest.drafts import Draft, Piece
from plangraph.ingest.indicators import take_tables
from plangraph.ingest.meanings import OVERALL, PRINCIPLE, TASK, Meaning, meaning_of, task_parts
from plangraph.ingest.models import Kind, ParseWarning
from plangraph.ingest.segment import Block, Role, sub_block
from plangraph.ingest.structure import OutlineNode

_SENTENCE = re.compile(r"^(.+?[。！？])")
_TIME_OPENING = re.compile(
    r"^(?:到|至|截至)\s*\d{4}|^\d{4}\s*年|^“?十[一二三四五六七八九十]+五”?(?:时期|期间)"
)
_TARGETS_LABEL = re.compile(r"^(?:行动目标|主要目标|工作目标|发展目标)\s*[：:]")
_DATED = re.compile(r"(?:到|至)\s*(\d{4})\s*年(?:底|末)?")
#: An outcome statement opening a goals section: dated (到 2025 年), or 经过三年努力 / 力争 / 通过实施.
_OUTCOME = re.compile(r"(?:到|至)\s*\d{4}\s*年|^经过.{0,8}努力|^力争|^通过实施")
_ABRIDGED = re.compile(r"^[（(]\s*本文有删减\s*[）)]$")
LEAD_MAX_CHARS = 32


def first_sentence(text: str) -> str:
    """The first sentence without its terminator (the whole text when it has none)."""
    m = _SENTENCE.match(text)
    return (m.group(1)[:-1] if m else text).strip()


def lead_sentence(text: str) -> str | None:
    """The lead sentence of a paragraph: short, first, not a time-setting opening, and the paragraph
    goes on after it. None when the paragraph has none (e.g. an introduction).

    >>> lead_sentence("坚持党的全面领导。坚持和完善党领导信息化发展的体制机制。")
    '坚持党的全面领导'
    >>> lead_sentence("到 2025 年，数字中国建设取得决定性进展。信息化发展水平大幅跃升。") is None
    True
    """
    m = _SENTENCE.match(text)
    if not m or not text[m.end() :].strip():
        return None
    core = m.group(1)[:-1].strip()
    if not 2 <= len(core) <= LEAD_MAX_CHARS or core.count("，") > 1 or "：" in core or "；" in core:
        return None
    if _TIME_OPENING.match(core):
        return None
    return core


class Classifier:
    def __init__(self) -> None:
        self.warnings: list[ParseWarning] = []
        self.abridged = False

    def warn(self, code: str, message: str, line: int | None) -> None:
        self.warnings.append(ParseWarning(code=code, message=message, line=line))

    # -- entry ---------------------------------------------------------------------------------
    def classify(self, root: OutlineNode, title: str) -> Draft:
        plan = Draft(Kind.PLAN, title, blocks=root.all_blocks())
        self._own_blocks(plan, root.blocks)
        parts = [n for n in root.children if not n.is_box and n.heading is not None]
        by_place = {id(parts[i]) for i in task_parts([first_sentence(p.heading.body) for p in parts])}  # type: ignore[union-attr]
        for node in root.children:
            if node.is_box:
                plan.children.append(self.column(node, None))
            elif id(node) in by_place:
                task = self.member(node, TASK)
                task.meaning, task.meaning_source = TASK.name, "position"
                plan.children.append(task)
                self.warn(
                    "I201",
                    f"part {node.marker.text if node.marker else ''}“{task.title}” is read as a task by its "
                    "place (after the parts that frame the plan, before its implementation)",
                    node.heading.line_start if node.heading else None,
                )
            else:
                plan.children.append(self.container(node, Kind.PART, None))
        return plan

    # -- containers (parts, sections) -------------------------------------------------------------
    def container(self, node: OutlineNode, kind: Kind, inherited: Meaning | None) -> Draft:
        assert node.heading is not None and node.marker is not None
        title = node.attachment or first_sentence(node.heading.body)
        meaning, source = meaning_of(title), "title"
        if node.attachment is not None:  # an attachment keeps its outline; its tables are read below
            meaning = None
        if meaning is None and inherited is not None:
            meaning, source = inherited, "position"
        if meaning is None and _principles_by_content(node):
            meaning, source = PRINCIPLE, "content"
        draft = Draft(
            kind,
            title,
            blocks=node.all_blocks(),
            ordinal=node.marker.number,
            meaning="Attachment" if node.attachment is not None else meaning.name if meaning else None,
            meaning_source=source if meaning or node.attachment is not None else None,
            marker=node.marker.text,
        )
        draft.pieces.append(Piece.of(node.heading))
        headings = [c for c in node.children if not c.is_box]
        # members are the numbered headings (tasks, measures …; goals or principles numbered 1．2．)
        listed = headings and all(h.marker is not None and h.marker.role is Role.LIST for h in headings)
        if meaning is not None and meaning.kind is not None and headings and (meaning.numbered or listed):
            self._members(draft, node, meaning)
        elif meaning is not None and meaning.kind is not None and not headings:
            self._lead_members(draft, node, meaning)
        else:
            self._sections(draft, node, meaning)
        return draft

    def _sections(self, draft: Draft, node: OutlineNode, meaning: Meaning | None) -> None:
        counts: dict[Kind, int] = {}
        for item in self._with_tables(draft, node.content):
            if isinstance(item, OutlineNode):
                if item.is_box:
                    draft.children.append(self.column(item, self._last_child(draft)))
                else:
                    inherit = meaning if meaning is not None and meaning.kind is not None else None
                    draft.children.append(self.container(item, Kind.SECTION, inherit))
            elif meaning is OVERALL and _dashed(item.text):
                # 总体要求 run in: "——坚持…" entries are principles, other "——" entries goals
                for start, end, marker, intro in entries(item.text, Kind.GOAL):
                    if intro:  # the text before the first "——" stays the part's own
                        draft.pieces.append(Piece.of(item, start, end))
                        continue
                    kind = (
                        Kind.PRINCIPLE if item.text[start:].lstrip("—－- ").startswith("坚持") else Kind.GOAL
                    )
                    counts[kind] = counts.get(kind, 0) + 1
                    draft.children.append(
                        self._entry(item, start, end, marker, kind, counts[kind], "content")
                    )
            else:
                self._own_blocks(draft, [item])

    def _members(self, draft: Draft, node: OutlineNode, meaning: Meaning) -> None:
        assert meaning.kind is not None
        for item in self._with_tables(draft, node.content):
            if isinstance(item, OutlineNode):
                if item.is_box:
                    draft.children.append(self.column(item, self._last_child(draft)))
                else:
                    draft.children.append(self.member(item, meaning))
            else:
                self._own_blocks(draft, [item])

    def _lead_members(self, draft: Draft, node: OutlineNode, meaning: Meaning) -> None:
        assert meaning.kind is not None
        members = 0
        for item in self._with_tables(draft, node.content):
            if isinstance(item, OutlineNode):
                draft.children.append(self.column(item, self._last_child(draft)))
                continue
            split = entries(item.text, meaning.kind)
            if len(split) > 1 or split[0].marker is not None:  # dashed or run-in entries in one paragraph
                for start, end, marker, intro in split:
                    if intro or (marker is None and not _entry_lead(item.text[start:end], meaning.kind)):
                        head = first_sentence(item.text[start:end])
                        if intro and meaning.kind == Kind.GOAL and members == 0 and _OUTCOME.search(head):
                            # 主要目标: "经过三年努力，…。——goal …" — the introduction states the overall goal
                            draft.children.append(self._overall_goal(item, start, end, head))
                            continue
                        draft.pieces.append(Piece.of(item, start, end))  # the introduction only
                        continue
                    members += 1
                    draft.children.append(self._entry(item, start, end, marker, meaning.kind, members, None))
                continue
            lead = lead_sentence(item.text)
            if lead is not None:
                members += 1
                d = Draft(meaning.kind, lead, blocks=[item], ordinal=members, lead=lead)
                d.pieces.append(Piece.of(item))
                draft.children.append(d)
            elif meaning.kind == Kind.GOAL and members == 0 and _DATED.search(first_sentence(item.text)):
                draft.children.append(self._overall_goal(item, 0, len(item.text), first_sentence(item.text)))
            else:
                if members:
                    self.warn(
                        "W201",
                        f"paragraph without a lead sentence after {meaning.kind.value} "
                        f"{members}; kept in the text of “{draft.title}”",
                        item.line_start,
                    )
                self._own_blocks(draft, [item])

    def _overall_goal(self, item: Block, start: int, end: int, head: str) -> Draft:
        """The overall goal statement (``goal-overall``): a dated paragraph, or the introduction of a
        goals section's entries."""
        dated = _DATED.search(item.text[start:end])
        year = int(dated.group(1)) if dated else None
        d = Draft(Kind.GOAL, head, blocks=[item], year=year, slug="goal-overall")
        d.pieces.append(Piece.of(item, start, end))
        return d

    def _entry(
        self, block: Block, start: int, end: int, marker: str | None, kind: Kind, n: int, source: str | None
    ) -> Draft:
        """One entry of a paragraph (a "——" line or a run-in lead sentence) as its own element."""
        piece = Piece.of(block, start, end)
        body = block.text[start:end].lstrip("—－- ")
        lead = lead_sentence(body) or first_sentence(body)
        d = Draft(
            kind,
            lead,
            blocks=[block],
            ordinal=n,
            lead=lead,
            marker=marker,
            meaning_source=source,
            span_override=(piece.offsets[0], piece.offsets[-1]),
        )
        d.pieces.append(piece)
        return d

    # -- members: tasks, actions, measures ---------------------------------------------------------
    def member(self, node: OutlineNode, meaning: Meaning) -> Draft:
        assert node.heading is not None and node.marker is not None and meaning.kind is not None
        title = first_sentence(node.heading.body)
        d = Draft(
            meaning.kind, title, blocks=node.all_blocks(), ordinal=node.marker.number, marker=node.marker.text
        )
        d.pieces.append(Piece.of(node.heading))
        items = 0
        for item in self._with_tables(d, node.content):
            if isinstance(item, OutlineNode):
                if item.is_box:
                    d.children.append(self.column(item, self._last_of(d, meaning.item_kind)))
                elif meaning.item_kind is not None:
                    assert item.heading is not None and item.marker is not None
                    items += 1
                    own, boxes = _split_boxes(item)
                    sub = Draft(
                        meaning.item_kind,
                        first_sentence(item.heading.body),
                        blocks=own,
                        ordinal=items,
                        marker=item.marker.text,
                    )
                    sub.pieces.extend(Piece.of(b) for b in own)
                    d.children.append(sub)
                    d.children.extend(self.column(box, sub) for box in boxes)
                else:
                    own, boxes = _split_boxes(item)
                    d.pieces.extend(Piece.of(b) for b in own)
                    d.children.extend(self.column(box, self._last_child(d)) for box in boxes)
                continue
            body = item.text
            if _ABRIDGED.match(body):
                self.abridged = True
                continue
            if meaning.kind == Kind.ACTION and _TARGETS_LABEL.match(body):
                d.children.extend(self.targets(item))
                continue
            # with numbered items, a lead-sentence paragraph is the member's introduction, not an item
            numbered = any(isinstance(c, OutlineNode) and not c.is_box for c in node.content)
            lead = lead_sentence(body) if meaning.item_kind is not None and not numbered else None
            if lead is not None:
                items += 1
                sub = Draft(meaning.item_kind, lead, blocks=[item], ordinal=items, lead=lead)  # type: ignore[arg-type]
                sub.pieces.append(Piece.of(item))
                d.children.append(sub)
            else:
                if items and meaning.item_kind is not None:
                    self.warn(
                        "W202",
                        f"paragraph without a lead sentence in {meaning.kind.value} "
                        f"“{title}”; kept in its text, not in item {items}",
                        item.line_start,
                    )
                d.pieces.append(Piece.of(item))
        return d

    def targets(self, block: Block) -> list[Draft]:
        text = block.text
        found = list(_DATED.finditer(text))
        if not found:
            self.warn("W203", "行动目标 without a dated target (到 YYYY 年)", block.line_start)
            return []
        out = []
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            seg = text[m.start() : end]
            stripped = seg.rstrip("；;，,。 ")
            piece = Piece.of(block, m.start(), m.start() + len(stripped))
            d = Draft(
                Kind.TARGET,
                stripped,
                blocks=[block],
                year=int(m.group(1)),
                slug=f"target-{m.group(1)}",
                span_override=(piece.offsets[0], piece.offsets[-1]),
            )
            d.pieces.append(piece)
            out.append(d)
        return out

    # -- 专栏 -------------------------------------------------------------------------------------
    def column(self, node: OutlineNode, follows: Draft | None) -> Draft:
        assert node.heading is not None and node.marker is not None
        title = node.heading.body.strip().rstrip("。")
        d = Draft(
            Kind.COLUMN,
            title,
            blocks=node.all_blocks(),
            ordinal=node.marker.number,
            follows=follows,
            marker=node.marker.text,
        )
        d.pieces.append(Piece.of(node.heading))
        rows = [b for b in node.content if isinstance(b, Block) and "\t" in b.text]
        d.children.extend(self.table_items(rows))
        if not rows and not node.children:  # items as paragraphs, run-in phrases or 一是…二是…
            d.title, body = _box_title(node.heading)
            d.children.extend(self.paragraph_items(([body] if body else []) + node.blocks))
            if d.children:
                last = node.all_blocks()[-1]
                self.warn(
                    "W302",
                    f"专栏 {node.marker.number} has no numbered items: {len(d.children)} unnumbered entries "
                    f"up to line {last.line_end} read as its items (check where the box ends)",
                    node.heading.line_start,
                )
                return d
        for item in node.content:
            if isinstance(item, Block) and item in rows:
                continue
            if isinstance(item, OutlineNode):
                assert item.heading is not None and item.marker is not None
                sub = Draft(
                    Kind.COLUMN_ITEM,
                    first_sentence(item.heading.body),
                    blocks=item.all_blocks(),
                    ordinal=item.marker.number,
                    marker=item.marker.text,
                )
                sub.pieces.extend(Piece.of(b) for b in item.all_blocks())
                d.children.append(sub)
            else:
                d.pieces.append(Piece.of(item))
        if not d.children:
            self.warn("W301", f"专栏 {node.marker.number} has no items", node.heading.line_start)
        return d

    def paragraph_items(self, blocks: list[Block]) -> list[Draft]:
        """Items of a 专栏 without numbering: each 一是/二是 entry, else each run-in lead phrase
        (``智能切割成形装备。型材…``), else each paragraph."""
        out: list[Draft] = []
        for block in blocks:
            # 一是…二是… are items where they are the box's whole body; beside other paragraphs the
            # paragraph that holds them is one item
            whole = [Entry(0, len(block.text), None, False)]
            spans = entries(block.text, Kind.COLUMN_ITEM) if len(blocks) == 1 else whole
            for start, end, _, intro in spans:
                if intro:
                    continue  # the box's own introduction, before its 一是 …
                body = block.text[start:end]
                title = lead_sentence(body) or first_sentence(body)
                piece = Piece.of(block, start, end)
                d = Draft(
                    Kind.COLUMN_ITEM,
                    title[:60],
                    blocks=[block],
                    ordinal=len(out) + 1,
                    span_override=(piece.offsets[0], piece.offsets[-1]),
                )
                d.pieces.append(piece)
                out.append(d)
        return out

    def table_items(self, rows: list[Block]) -> list[Draft]:
        """Items of a 专栏 whose body is a table (类别 / 细分 / 重点任务): one item per row after the header;
        the title is the cell before the last (the 细分), or the first sentence of a lone cell."""
        out: list[Draft] = []
        for row in rows:
            cells = [c.strip() for c in row.text.split("\t") if c.strip()]
            if not out and all(len(c) <= 8 and not any(t in c for t in "。；") for c in cells):
                continue  # the header row
            title = cells[-2] if len(cells) >= 2 else first_sentence(cells[0]) if cells else ""
            if not title:
                continue
            d = Draft(Kind.COLUMN_ITEM, title, blocks=[row], ordinal=len(out) + 1)
            d.pieces.append(Piece.of(row))
            out.append(d)
        return out

    # -- helpers -----------------------------------------------------------------------------------
    def _with_tables(self, draft: Draft, content: list[Block | OutlineNode]) -> list[Block | OutlineNode]:
        """Take the tables out of the content (Indicator and Table children, in document order) and
        return the rest (text that shared a block with a table comes back as blocks of its own). The
        outline was built from ``split_tables``'s blocks, which found every table: content without one of
        its table lines holds none and is not read again."""
        if not any(isinstance(c, Block) and c.table_line for c in content):
            return content
        drafts, rest, warnings = take_tables(content)
        self.warnings.extend(warnings)
        draft.children.extend(drafts)
        return rest

    def _own_blocks(self, draft: Draft, blocks: list[Block]) -> None:
        for b in blocks:
            if _ABRIDGED.match(b.text):
                self.abridged = True
                continue
            draft.pieces.append(Piece.of(b))

    @staticmethod
    def _last_child(draft: Draft) -> Draft | None:
        return next((c for c in reversed(draft.children) if c.kind != Kind.COLUMN), None)

    @staticmethod
    def _last_of(draft: Draft, kind: Kind | None) -> Draft | None:
        return next((c for c in reversed(draft.children) if c.kind == kind), None)


# -- entries of a paragraph: "——" lines, run-in leads, 一是…二是… ------------------------------------
_DASH = re.compile(r"(?:^|(?<=[。；！？]))\s*(?:—{2,3}|－{2}|-{2,3})(?=\S)")
_ORDINAL_IS = re.compile(r"(?:^|(?<=[。；！？]))\s*[一二三四五六七八九十]是")
_RUN_IN_LEAD = {
    # a principle: 坚持… or two four-character phrases (需求拉动，供给升级)
    Kind.PRINCIPLE: re.compile(r"(?:坚持[^，。；]{2,18}|[\u4e00-\u9fff]{4}，[\u4e00-\u9fff]{4})[。；]"),
    # a box item: a short noun phrase closed by 。 (智能涂装装备。), not a list ending in 等
    Kind.COLUMN_ITEM: re.compile(r"(?:(?!等)[^，。；：:]){3,24}。"),
}


def _dashed(text: str) -> bool:
    return _DASH.search(text) is not None


def _entry_lead(text: str, kind: Kind) -> bool:
    pattern = _RUN_IN_LEAD.get(kind)
    return pattern is not None and pattern.match(text.lstrip("—－- ")) is not None


class Entry(NamedTuple):
    """One entry of a paragraph: ``text[start:end]``, its marker ("——" or None), and whether it is the
    introduction that stands before the first entry."""

    start: int
    end: int
    marker: str | None
    intro: bool


def entries(text: str, kind: Kind) -> list[Entry]:
    """Where a paragraph holds several entries: ``(start, end, marker)`` for each "——" entry (marker
    "——"), each 一是/二是 entry, or each run-in lead sentence of ``kind`` (principles, box items);
    otherwise the whole paragraph, once. A stretch before the first entry is returned too (marker None).

    >>> t = "——创新能力显著增强。打造平台。——集群发展。形成集群。"
    >>> [(t[a:b], m) for a, b, m, _ in entries(t, Kind.GOAL)]
    [('——创新能力显著增强。打造平台。', '——'), ('——集群发展。形成集群。', '——')]
    >>> t = "夯实基础，补齐短板。面向行业发展需求，完善标准体系。重点突破，以点带面。立足关键环节。"
    >>> [t[a:b] for a, b, _, _ in entries(t, Kind.PRINCIPLE)]
    ['夯实基础，补齐短板。面向行业发展需求，完善标准体系。', '重点突破，以点带面。立足关键环节。']
    >>> t = "结合现状，建设体系。一是开展遴选，鼓励探索。二是举办大会。"
    >>> [(t[a:b], intro) for a, b, _, intro in entries(t, Kind.COLUMN_ITEM)]
    [('结合现状，建设体系。', True), ('一是开展遴选，鼓励探索。', False), ('二是举办大会。', False)]
    """
    for pattern, marker in ((_DASH, "——"), (_ORDINAL_IS, None)):
        starts = [m.start() + len(m.group(0)) - len(m.group(0).lstrip()) for m in pattern.finditer(text)]
        if starts and (marker is not None or len(starts) > 1):
            return _cut(text, starts, marker)
    lead = _RUN_IN_LEAD.get(kind)
    if lead is not None:
        starts = [0] + [m.end() for m in re.finditer(r"[。；]", text) if m.end() < len(text)]
        starts = [i for i in starts if lead.match(text, i) is not None and _pair_ends(text, i, kind)]
        if len(starts) > 1:
            return _cut(text, starts, None)
    return [Entry(0, len(text), None, False)]


def _pair_ends(text: str, i: int, kind: Kind) -> bool:
    """A run-in lead of a principle may be a 4+4 pair that spans two sentences' worth of text; a box
    item's lead must be followed by its description (not end the paragraph)."""
    m = _RUN_IN_LEAD[kind].match(text, i)
    return m is not None and (kind != Kind.COLUMN_ITEM or m.end() < len(text))


def _cut(text: str, starts: list[int], marker: str | None) -> list[Entry]:
    out: list[Entry] = []
    if starts[0] > 0 and text[: starts[0]].strip():
        out.append(Entry(0, starts[0], None, True))
    for k, a in enumerate(starts):
        b = starts[k + 1] if k + 1 < len(starts) else len(text)
        out.append(Entry(a, len(text[a:b].rstrip()) + a, marker, False))
    return out


def _principles_by_content(node: OutlineNode) -> bool:
    """A section without a title meaning whose paragraphs open with 坚持… (two or more) is principles."""
    leads = [lead_sentence(b.text) or "" for b in node.blocks]
    return sum(1 for lead in leads if lead.startswith("坚持")) >= 2


def _split_boxes(node: OutlineNode) -> tuple[list[Block], list[OutlineNode]]:
    """A node's own blocks (heading and text, nested headings included) and the 专栏 boxes inside it."""
    blocks: list[Block] = [node.heading] if node.heading else []
    boxes: list[OutlineNode] = []
    for c in node.content:
        if isinstance(c, Block):
            blocks.append(c)
        elif c.is_box:
            boxes.append(c)
        else:
            inner, more = _split_boxes(c)
            blocks.extend(inner)
            boxes.extend(more)
    return blocks, boxes


_BOX_TITLE_END = re.compile(r"(?:重点|工程|行动|计划|专项|项目|任务)(?=[^，。]{2,})")


def _box_title(heading: Block) -> tuple[str, Block | None]:
    """The title of a 专栏 and, where its first item runs on after the title in the same paragraph
    (``专栏 1 …技术研发重点智能制造总体技术。重点研究…``), that rest as a block of its own."""
    body = heading.body.strip()
    if not any(t in body for t in "。；"):
        return body.rstrip("。"), None
    first = first_sentence(body)
    cut = None
    for m in _BOX_TITLE_END.finditer(first):
        cut = m.end()
    if cut is None:
        return first, None
    start = heading.body_start + (len(heading.body) - len(heading.body.lstrip())) + cut
    return first[:cut], sub_block(heading, start, len(heading.text))
