"""The genre's table of section titles → meanings. One place for this decision; plans of the genre
(national, provincial, sectoral) parse through it, never through line numbers of one file.

A *numbered* meaning makes each numbered child heading an element of that kind (tasks, actions, measures);
a *lead* meaning makes each lead-sentence paragraph an element (goals, principles, directions, achievements).
When a numbered meaning has no numbered children, its lead paragraphs are used instead, and vice versa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plangraph.ingest.models import Kind


@dataclass(frozen=True)
class Meaning:
    name: str
    kind: Kind | None  # the element kind of the container's members; None: context only
    item_kind: Kind | None = None  # lead paragraphs inside a member become these
    numbered: bool = False  # members are the numbered child headings
    framing: bool = False  # a part that frames the plan (review, guidance, goals): tasks come after it


ACHIEVEMENT = Meaning("Achievement", Kind.ACHIEVEMENT, framing=True)
CONTEXT = Meaning("Context", None, framing=True)
OVERALL = Meaning("Overall", None, framing=True)  # 总体要求: guidance, principles and goals together
GUIDANCE = Meaning("Guidance", None, framing=True)
PRINCIPLE = Meaning("Principle", Kind.PRINCIPLE, framing=True)
INDICATOR = Meaning("Indicator", Kind.INDICATOR, framing=True)
GOAL = Meaning("Goal", Kind.GOAL, framing=True)
DIRECTION = Meaning("Direction", Kind.DIRECTION)
TASK = Meaning("Task", Kind.TASK, item_kind=Kind.SUBTASK, numbered=True)
ACTION = Meaning("Action", Kind.ACTION, item_kind=Kind.ACTION_ITEM, numbered=True)
MEASURE = Meaning("Measure", Kind.MEASURE, numbered=True)

MEANINGS: tuple[tuple[re.Pattern[str], Meaning], ...] = (
    (
        re.compile(
            r"发展现状|发展基础|发展回顾|回顾与总结|主要成就|发展成就|取得的成就|工作回顾|基础与优势|现实基础|取得的|主要进展|发展成效"
        ),
        ACHIEVEMENT,
    ),
    (
        re.compile(r"发展形势|面临的形势|面临形势|形势分析|背景形势|形势与挑战|机遇与挑战|^形势|面临的"),
        CONTEXT,
    ),
    (re.compile(r"总体要求|总体思路|总体部署|总体考虑|总体框架"), OVERALL),
    (re.compile(r"指导思想|指导方针"), GUIDANCE),
    (re.compile(r"基本原则|主要原则|工作原则|原则$"), PRINCIPLE),
    (re.compile(r"主要指标|指标体系"), INDICATOR),
    (
        re.compile(r"发展目标|主要目标|总体目标|规划目标|行动目标|工作目标|发展愿景|目标任务|目标指标|目标$"),
        GOAL,
    ),
    (re.compile(r"主攻方向|战略方向|重点方向|发展方向"), DIRECTION),
    (re.compile(r"重大任务|主要任务|重点任务"), TASK),
    (re.compile(r"优先行动|重大工程|专项行动|重点行动|重大行动|主要行动|重点工程"), ACTION),
    (
        re.compile(
            r"组织实施|保障措施|实施保障|规划实施|保障机制|组织保障|组织领导|保障体系|推进机制|实施机制"
        ),
        MEASURE,
    ),
)


def task_parts(titles: list[str]) -> set[int]:
    """Indexes of the parts that are tasks by their place: after the last part that frames the plan
    (review, situation, 总体要求, guidance, principles, goals) and before implementation (保障措施,
    组织实施 …), the parts without a title meaning of their own (三、加快…, 四、推进…) are the tasks.

    >>> sorted(task_parts(["一、发展回顾", "二、总体要求", "三、加快数字化转型", "四、推进平台建设",
    ...                    "五、保障措施"]))
    [2, 3]
    >>> sorted(task_parts(["一、总体要求", "二、主要任务", "三、资源配置", "四、保障措施"]))
    []
    >>> sorted(task_parts(["一、加快数字化转型", "二、推进平台建设"]))  # nothing frames them: no decision
    []
    """
    meanings = [meaning_of(t) for t in titles]
    if TASK in meanings:  # the plan names its tasks (主要任务): the other parts are not tasks by place
        return set()
    end = next((i for i, m in enumerate(meanings) if m is MEASURE), len(meanings))
    # a framing title is short (发展形势, 总体要求); a long title that mentions 目标 or 基础 is a task
    framing = [
        i for i, m in enumerate(meanings[:end]) if m is not None and m.framing and len(titles[i]) <= 16
    ]
    if not framing:
        return set()
    return {i for i in range(framing[-1] + 1, end) if meanings[i] is None}


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
