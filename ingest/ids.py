"""Deterministic element ids (eids) from each element's place in the document, and the freeze of drafts.

Scheme (plan-scoped; never random):
- plan-level kinds count in document order across the whole plan: ``{plan}/task-4``, ``{plan}/column-9``,
  ``{plan}/action-7``, ``{plan}/indicator-12``, ``{plan}/goal-3``, ``{plan}/goal-overall`` …;
- parts and sections nest: ``{plan}/part-2``, ``{plan}/part-2/section-3``;
- members of a task, 专栏 or action nest under it: ``…/task-4/subtask-2``, ``…/column-9/item-3``,
  ``…/action-7/item-1``, ``…/action-7/target-2023``;
- a repeated id gets ``~2``, ``~3`` … (with a warning), so ids stay unique.
"""

from __future__ import annotations

from collections.abc import Iterable

from plangraph.ingest.drafts import Draft
from plangraph.ingest.models import Element, Kind, ParseWarning, SourceSpan
from plangraph.ingest.normalize import Normalized

PLAN_LEVEL: dict[Kind, str] = {
    Kind.ACHIEVEMENT: "achievement",
    Kind.PRINCIPLE: "principle",
    Kind.GOAL: "goal",
    Kind.INDICATOR: "indicator",
    Kind.DIRECTION: "direction",
    Kind.TASK: "task",
    Kind.COLUMN: "column",
    Kind.ACTION: "action",
    Kind.MEASURE: "measure",
    Kind.TABLE: "table",
}
NESTED: dict[Kind, str] = {
    Kind.PART: "part",
    Kind.SECTION: "section",
    Kind.SUBTASK: "subtask",
    Kind.COLUMN_ITEM: "item",
    Kind.ACTION_ITEM: "item",
    Kind.TARGET: "target",
}


def eid_segment(kind: Kind, n: int) -> str:
    """The eid segment of an element: its kind's slug and its number.

    >>> eid_segment(Kind.TASK, 4)
    'task-4'
    """
    return f"{(PLAN_LEVEL | NESTED)[kind]}-{n}"


class IdGenerator:
    def __init__(self, plan_id: str):
        self.plan_id = plan_id
        self.counters: dict[Kind, int] = {}
        self.seen: set[str] = set()
        self.warnings: list[ParseWarning] = []

    def unique(self, eid: str, line: int | None) -> str:
        if eid not in self.seen:
            self.seen.add(eid)
            return eid
        k = 2
        while f"{eid}~{k}" in self.seen:
            k += 1
        self.warnings.append(
            ParseWarning(code="W501", message=f"repeated id {eid!r}; used {eid}~{k}", line=line)
        )
        self.seen.add(f"{eid}~{k}")
        return f"{eid}~{k}"

    def assign(self, draft: Draft, parent_eid: str, nested_index: dict[Kind, int]) -> str:
        line = draft.blocks[0].line_start if draft.blocks else None
        if draft.kind == Kind.PLAN:
            return self.unique(self.plan_id, line)
        if draft.slug is not None:
            base = self.plan_id if draft.kind in PLAN_LEVEL else parent_eid
            return self.unique(f"{base}/{draft.slug}", line)
        if draft.kind in PLAN_LEVEL:
            n = self.counters[draft.kind] = self.counters.get(draft.kind, 0) + 1
            return self.unique(f"{self.plan_id}/{eid_segment(draft.kind, n)}", line)
        n = nested_index[draft.kind] = nested_index.get(draft.kind, 0) + 1
        if draft.kind in (Kind.PART, Kind.SECTION) and draft.ordinal is not None:
            n = draft.ordinal
        return self.unique(f"{parent_eid}/{eid_segment(draft.kind, n)}", line)


def freeze(root: Draft, plan_id: str, norm: Normalized) -> tuple[Element, list[ParseWarning]]:
    """Assign eids and turn the draft tree into frozen :class:`Element` s."""
    gen = IdGenerator(plan_id)
    eids: dict[int, str] = {}

    def number(d: Draft, parent_eid: str, idx: dict[Kind, int]) -> None:
        eids[id(d)] = gen.assign(d, parent_eid, idx)
        child_idx: dict[Kind, int] = {}
        # plan-level kinds nest their members under themselves; parts/sections pass the plan on
        for c in d.children:
            number(c, eids[id(d)] if c.kind in NESTED else plan_id, child_idx)

    number(root, plan_id, {})

    def build(d: Draft) -> Element:
        return Element(
            kind=d.kind,
            eid=eids[id(d)],
            title=d.title,
            ordinal=d.ordinal,
            text=d.text,
            lead=d.lead,
            span=span_of(d, norm),
            indicator=d.indicator,
            table=d.table,
            year=d.year,
            meaning=d.meaning,
            meaning_source=d.meaning_source,
            marker=d.marker,
            follows=eids[id(d.follows)] if d.follows is not None else None,
            children=tuple(build(c) for c in d.children),
            mentions=tuple(d.mentions),
            responsibilities=tuple(d.responsibilities),
        )

    return build(root), gen.warnings


def span_of(d: Draft, norm: Normalized) -> SourceSpan:
    if d.span_override is not None:
        start, end = d.span_override
    elif d.blocks:
        start = min(b.offsets[0] for b in d.blocks)
        end = max(b.offsets[-1] for b in d.blocks)
    else:
        start = end = 0
    return make_span(start, end, norm)


def make_span(start: int, end: int, norm: Normalized) -> SourceSpan:
    last = max(start, end - 1)
    return SourceSpan(
        char_start=start,
        char_end=end,
        line_start=norm.line_of(start),
        line_end=norm.line_of(last),
        page=norm.source.page_of(start),
        page_end=norm.source.page_of(last),
    )


_ENTITY_PREFIX = {
    "body": "Body",
    "technology": "Technology",
    "region": "Region",
    "document": "Document",
    "initiative": "Initiative",
    "metric": "Metric",
}
_SEGMENT_KIND = {
    **{seg: kind.value for kind, seg in PLAN_LEVEL.items()},
    "part": "Part",
    "section": "Section",
    "subtask": "Subtask",
    "target": "Target",
}


def segments_of(labels: Iterable[str]) -> set[str]:
    """The eid segments that name these labels (``Goal`` → ``goal``), the inverse of :func:`label_of_eid`.

    >>> sorted(segments_of(["Goal", "Subtask"]))
    ['goal', 'subtask']
    """
    wanted = set(labels)
    return {seg for seg, kind in _SEGMENT_KIND.items() if kind in wanted}


def label_of_eid(eid: str) -> str:
    """The label an eid names, read from the id scheme above (entities: ``body/…``; a plan: its bare id).

    >>> [label_of_eid(e) for e in ["p/task-4/subtask-2", "p/column-9/item-3", "p/action-7/item-1",
    ...  "p/goal-overall", "body/国家发展改革委", "metric/5G用户普及率[%]", "p", "p/action-1/target-2023",
    ...  "p/part-2/section-1"]]
    ['Subtask', 'ColumnItem', 'ActionItem', 'Goal', 'Body', 'Metric', 'Plan', 'Target', 'Section']
    """
    head, _, rest = eid.partition("/")
    if head in _ENTITY_PREFIX:
        return _ENTITY_PREFIX[head]
    if not rest:
        return "Plan"
    parts = rest.split("/")
    last = parts[-1].split("~")[0].rsplit("-", 1)[0]
    if last == "item":
        parent = parts[-2].rsplit("-", 1)[0] if len(parts) > 1 else ""
        return "ColumnItem" if parent == "column" else "ActionItem"
    if last not in _SEGMENT_KIND:
        raise ValueError(f"{eid!r}: no label has the eid segment {last!r}")
    return _SEGMENT_KIND[last]
