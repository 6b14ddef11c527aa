"""The genre's table of section titles → meanings. One place for this decision; plans of the genre
(national, provincial, sectoral) parse through it, never through line numbers of one file.

A *numbered* meaning makes each numbered child heading an element of that kind (tasks, actions, measures);
a *lead* meaning makes each lead-sentence paragraph an element (goals, principles, directions, achievements).
When a numbered meaning has no numbered children, its lead paragraphs are used instead, and vice versa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Kind


@dataclass(frozen=True)
class Meaning:
    name: str
    kind: Kind | None  # the element kind of the container's members; None: context only
    item_kind: Kind | None = None  # lead paragraphs inside a member become these
    numbered: bool = False  # members are the numbered child headings


MEANINGS: tuple[tuple[re.Pattern[str], Meaning], ...] = (
    (
        re.compile(r"发展现状|发展基础|回顾与总结|主要成就|发展成就|取得的成就|工作回顾"),
        Meaning("Achievement", Kind.ACHIEVEMENT),
    ),
    (re.compile(r"发展形势|面临的形势|形势与挑战|机遇与挑战|^形势"), Meaning("Context", None)),
    (re.compile(r"指导思想|总体思路"), Meaning("Guidance", None)),
    (re.compile(r"基本原则|主要原则|工作原则"), Meaning("Principle", Kind.PRINCIPLE)),
    (re.compile(r"主要指标|指标体系"), Meaning("Indicator", Kind.INDICATOR)),
    (re.compile(r"发展目标|主要目标|总体目标|规划目标"), Meaning("Goal", Kind.GOAL)),
    (re.compile(r"主攻方向|战略方向|重点方向|发展方向"), Meaning("Direction", Kind.DIRECTION)),
    (
        re.compile(r"重大任务|主要任务|重点任务"),
        Meaning("Task", Kind.TASK, item_kind=Kind.SUBTASK, numbered=True),
    ),
    (
        re.compile(r"优先行动|重大工程|专项行动|重点行动|重大行动"),
        Meaning("Action", Kind.ACTION, item_kind=Kind.ACTION_ITEM, numbered=True),
    ),
    (
        re.compile(r"组织实施|保障措施|实施保障|规划实施|保障机制"),
        Meaning("Measure", Kind.MEASURE, numbered=True),
    ),
)


def meaning_of(title: str) -> Meaning | None:
    """The meaning of a part or section title, or None when the table has no entry.

    >>> meaning_of("四、重大任务和重点工程").name
    'Task'
    >>> meaning_of("（三）发展目标").kind.value
    'Goal'
    >>> meaning_of("（一）指导思想").kind is None
    True
    """
    for pattern, meaning in MEANINGS:
        if pattern.search(title):
            return meaning
    return None
