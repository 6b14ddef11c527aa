"""Evaluate inferred SERVES and MEASURES links against a gold mapping (``tests/gold/<plan>.yaml``).

Gold file (ids without the plan prefix)::

    plan: informatization-14fyp
    first_task: {goal-1: task-1, …}          # each goal → the task a careful reader names first
    serves:   {task-1: [goal-1, goal-overall], task-1/subtask-1: [goal-1], column-3: [goal-1], …}
    measures: {indicator-1: [goal-overall], …}
    titles:   {task-1: 培育智能产品, …}          # optional: the opening words of an id's heading

The gold's ids are the document's own, in reading order (``goal-N`` the N-th numbered goal,
``goal-overall`` the overall goal statement, ``task-N``, ``task-N/subtask-M`` the M-th subtask of the N-th
task, ``column-N``, ``action-N``, ``indicator-N``), so :func:`bind` maps them onto any parse of the plan by
order — whatever plan id and eids the parse derives — and, where ``titles`` gives a heading, by title (a
title that names another element of the same kind wins over order). A gold id the parse lacks is a
warning, and its gold edges count as missed.

Figures, for SERVES and for MEASURES, over the sources the gold file lists:

- ``goal_p@1`` (SERVES only): the share of goals in ``first_task`` whose highest-scoring Task among the
  asserted SERVES edges is the gold first task;
- ``p@1``: the share of gold sources whose rank-1 goal is one of their gold goals, also per kind of
  source (``p@1 Task``, ``p@1 Subtask``, ``p@1 Column``, ``p@1 Action``);
- ``precision``, ``recall``, ``f1`` of the asserted edges against the gold edges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangraph.graph.infer import OVERALL_SLUG, Link, is_overall, key
from plangraph.ingest.errors import PlanGraphError
from plangraph.ingest.models import Element, Kind, PlanDocument
from plangraph.ingest.yamlfile import place, read_user_yaml

#: Kinds of SERVES sources whose p@1 is reported separately, in report order.
P1_KINDS = ("Task", "Subtask", "Column", "Action")
MISSING = "missing:"  # prefix of a gold id the parse has no element for (never found)


class GoldError(PlanGraphError):
    """E121: a gold mapping file that cannot be read; the message names the file and the field."""

    code = "E121"


@dataclass(frozen=True)
class Score:
    rel: str
    sources: int
    gold_edges: int
    found_edges: int
    true_positives: int
    p_at_1: float
    precision: float
    recall: float
    goal_p_at_1: float | None = None
    goals: int = 0
    p_at_1_kind: dict[str, float] = field(default_factory=dict)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rel": self.rel,
            "sources": self.sources,
            "gold_edges": self.gold_edges,
            "found_edges": self.found_edges,
            "true_positives": self.true_positives,
            "p@1": round(self.p_at_1, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }
        if self.goal_p_at_1 is not None:
            out["goal_p@1"] = round(self.goal_p_at_1, 4)
            out["goals"] = self.goals
        for kind, v in self.p_at_1_kind.items():
            out[f"p@1 {kind}"] = round(v, 4)
        return out


@dataclass(frozen=True)
class Gold:
    """A gold mapping as written: ids relative to the plan, in the document's reading order."""

    plan: str
    serves: dict[str, tuple[str, ...]]
    measures: dict[str, tuple[str, ...]]
    first_task: dict[str, str]
    titles: dict[str, str] = field(default_factory=dict)
    path: str = ""


def load_gold(path: Path) -> Gold:
    """Read a gold file; its ids may carry the plan prefix or not."""
    data = read_user_yaml(path, lambda message, line: GoldError(message, where=place(path, line))) or {}
    if not isinstance(data, dict) or "plan" not in data:
        raise GoldError(f"{path}: a gold file needs 'plan' and 'serves'/'measures' mappings")
    plan = str(data["plan"])

    def rel(ref: object) -> str:
        r = str(ref)
        return r[len(plan) + 1 :] if r.startswith(plan + "/") else r

    def mapping(name: str) -> dict[str, tuple[str, ...]]:
        raw = data.get(name) or {}
        if not isinstance(raw, dict):
            raise GoldError(f"{path}: '{name}' must be a mapping of ids to lists of goal ids")
        return {rel(k): tuple(rel(g) for g in (v if isinstance(v, list) else [v])) for k, v in raw.items()}

    first = {rel(k): rel(v) for k, v in (data.get("first_task") or {}).items()}
    titles = {rel(k): str(v) for k, v in (data.get("titles") or {}).items()}
    return Gold(plan, mapping("serves"), mapping("measures"), first, titles, str(path))


@dataclass(frozen=True)
class BoundGold:
    """A gold mapping bound to one parse: the parse's eids (or ``missing:…``), with what did not fit."""

    plan: str
    serves: dict[str, tuple[str, ...]]
    measures: dict[str, tuple[str, ...]]
    first_task: dict[str, str]
    kinds: dict[str, str]  # source eid → its kind (Task, Subtask, Column, Action, Indicator)
    task_ids: frozenset[str]
    warnings: tuple[str, ...] = ()


_KIND_SLUG = {
    Kind.TASK: "task",
    Kind.COLUMN: "column",
    Kind.ACTION: "action",
    Kind.INDICATOR: "indicator",
}


def order_ids(doc: PlanDocument) -> dict[str, Element]:
    """The document's own ids in reading order → the parse's elements.

    ``goal-N`` is the N-th numbered goal (``goal-overall`` the overall statement), ``task-N``,
    ``column-N``, ``action-N``, ``indicator-N`` the N-th of their kind, ``task-N/subtask-M`` the M-th
    subtask of the N-th task.
    """
    out: dict[str, Element] = {}
    goals = doc.by_kind(Kind.GOAL)
    for g in goals:
        if is_overall(g.eid):
            out.setdefault(OVERALL_SLUG, g)
    for n, g in enumerate((g for g in goals if not is_overall(g.eid)), 1):
        out[f"goal-{n}"] = g
    for kind, slug in _KIND_SLUG.items():
        for n, e in enumerate(doc.by_kind(kind), 1):
            out[f"{slug}-{n}"] = e
            if kind == Kind.TASK:
                subs = [c for c in e.children if c.kind == Kind.SUBTASK]
                for m, s in enumerate(subs, 1):
                    out[f"{slug}-{n}/subtask-{m}"] = s
    return out


def _slug_kind(ref: str) -> str:
    return re.sub(r"-\d+$", "", ref.rsplit("/", 1)[-1])


def bind(gold: Gold, doc: PlanDocument) -> BoundGold:
    """Map the gold's ids onto the parse ``doc`` by reading order (and by title where the gold gives one).

    A ``plan:`` other than the parse's id, a gold id without an element and a title that fits no element
    are warnings; the edges of a missing id stay in the gold (so they count as missed).
    """
    by_order = order_ids(doc)
    warnings: list[str] = []
    if gold.plan != doc.plan.id:
        warnings.append(
            f"{gold.path or 'gold'}: plan {gold.plan!r} differs from the parse's {doc.plan.id!r}; "
            "ids mapped by reading order"
        )
    resolved: dict[str, str] = {}
    missing: dict[str, int] = {}

    def eid(ref: str) -> str:
        if ref not in resolved:
            e = by_order.get(ref)
            want = gold.titles.get(ref)
            if want is not None and (e is None or not key(e.title).startswith(key(want))):
                same = [
                    x
                    for r, x in by_order.items()
                    if _slug_kind(r) == _slug_kind(ref) and key(x.title).startswith(key(want))
                ]
                if same:
                    e = same[0]
                else:
                    warnings.append(f"{gold.path or 'gold'}: {ref} “{want}” matches no heading of the parse")
            resolved[ref] = e.eid if e is not None else f"{MISSING}{ref}"
        if resolved[ref].startswith(MISSING):
            missing[ref] = missing.get(ref, 0) + 1
        return resolved[ref]

    def mapped(m: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {eid(s): tuple(eid(g) for g in gs) for s, gs in m.items()}

    serves, measures = mapped(gold.serves), mapped(gold.measures)
    first = {eid(g): eid(t) for g, t in gold.first_task.items()}
    for ref, n in sorted(missing.items()):
        warnings.append(
            f"{gold.path or 'gold'}: {ref} has no element in the parse of {doc.plan.id} "
            f"({n} gold mention(s) cannot be found)"
        )
    kinds = {e.eid: e.kind.value for e in doc.elements()}
    return BoundGold(
        doc.plan.id,
        serves,
        measures,
        first,
        {s: kinds.get(s, "") for s in (*serves, *measures)},
        frozenset(e.eid for e in doc.by_kind(Kind.TASK)),
        tuple(warnings),
    )


def first_tasks(
    links: Sequence[Link],
    goals: Sequence[str] | dict[str, str],
    task_ids: frozenset[str] | set[str] | None = None,
    rel: str = "SERVES",
) -> dict[str, str | None]:
    """Each goal's first task among ``links``: the highest-scoring Task (a curated edge first) asserted for
    it, or None."""
    out: dict[str, str | None] = {}
    for goal in goals:
        cands = [
            lk
            for lk in links
            if lk.rel == rel and lk.end == goal and (task_ids is None or lk.start in task_ids)
        ]
        best = min(cands, key=lambda lk: (lk.source != "curated", -lk.score, lk.start), default=None)
        out[goal] = best.start if best is not None else None
    return out


def score_links(
    rel: str,
    links: Sequence[Link],
    gold: dict[str, tuple[str, ...]],
    first_task: dict[str, str] | None = None,
    task_ids: frozenset[str] | set[str] | None = None,
    kinds: dict[str, str] | None = None,
) -> Score:
    found = [lk for lk in links if lk.rel == rel and lk.start in gold]
    gold_edges = {(s, g) for s, gs in gold.items() for g in gs}
    found_edges = {(lk.start, lk.end) for lk in found}
    tp = len(found_edges & gold_edges)
    top = {lk.start: lk.end for lk in found if lk.rank == 1}

    def p1(sources: Sequence[str]) -> float:
        return sum(1 for s in sources if top.get(s) in gold[s]) / len(sources) if sources else 0.0

    by_kind: dict[str, float] = {}
    if kinds is not None:
        for kind in P1_KINDS:
            of_kind = [s for s in gold if kinds.get(s) == kind]
            if of_kind:
                by_kind[kind] = p1(of_kind)
    goal_p1 = None
    if first_task is not None:
        chosen = first_tasks(links, first_task, task_ids, rel)
        hits = sum(chosen[goal] == task for goal, task in first_task.items())
        goal_p1 = hits / len(first_task) if first_task else 0.0
    return Score(
        rel,
        len(gold),
        len(gold_edges),
        len(found_edges),
        tp,
        p1(list(gold)),
        tp / len(found_edges) if found_edges else 0.0,
        tp / len(gold_edges) if gold_edges else 0.0,
        goal_p1,
        len(first_task or {}),
        by_kind,
    )


def evaluate(links: Sequence[Link], gold: BoundGold) -> list[Score]:
    """SERVES (and, where the gold has any, MEASURES) scores of ``links`` against a gold mapping bound to
    their parse."""
    out = [score_links("SERVES", links, gold.serves, gold.first_task, gold.task_ids, gold.kinds)]
    if gold.measures:
        out.append(score_links("MEASURES", links, gold.measures))
    return out


def evaluate_doc(doc: PlanDocument, gold: Gold, links: Sequence[Link]) -> tuple[list[Score], tuple[str, ...]]:
    """Bind ``gold`` to ``doc`` and score ``links`` (inferred for ``doc``); the scores and the warnings."""
    bound = bind(gold, doc)
    return evaluate(links, bound), bound.warnings
