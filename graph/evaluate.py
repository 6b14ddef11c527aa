"""Evaluate inferred SERVES and MEASURES links against a gold mapping (``tests/gold/<plan>.yaml``).

Gold file (eids without the plan prefix)::

    plan: informatization-14fyp
    first_task: {goal-1: task-1, …}          # each goal → the task a careful reader names first
    serves:   {task-1: [goal-1, goal-overall], task-1/subtask-1: [goal-1], column-3: [goal-1], …}
    measures: {indicator-1: [goal-overall], …}

Figures, for SERVES and for MEASURES, over the sources the gold file lists:

- ``goal_p@1`` (SERVES only): the share of goals in ``first_task`` whose highest-scoring Task among the
  asserted SERVES edges is the gold first task;
- ``p@1``: the share of gold sources whose rank-1 goal is one of their gold goals;
- ``precision``, ``recall``, ``f1`` of the asserted edges against the gold edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.infer import Link


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
        return out


@dataclass(frozen=True)
class Gold:
    plan: str
    serves: dict[str, tuple[str, ...]]
    measures: dict[str, tuple[str, ...]]
    first_task: dict[str, str]


def load_gold(path: Path) -> Gold:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or "plan" not in data:
        raise ValueError(f"{path}: a gold file needs 'plan' and 'serves'/'measures' mappings")
    plan = str(data["plan"])

    def full(ref: str) -> str:
        return ref if ref.startswith(plan + "/") else f"{plan}/{ref}"

    def mapping(name: str) -> dict[str, tuple[str, ...]]:
        raw = data.get(name) or {}
        return {
            full(str(k)): tuple(full(str(g)) for g in (v if isinstance(v, list) else [v]))
            for k, v in raw.items()
        }

    first = {full(str(k)): full(str(v)) for k, v in (data.get("first_task") or {}).items()}
    return Gold(plan, mapping("serves"), mapping("measures"), first)


def score_links(
    rel: str,
    links: Sequence[Link],
    gold: dict[str, tuple[str, ...]],
    first_task: dict[str, str] | None = None,
    task_ids: set[str] | None = None,
) -> Score:
    found = [lk for lk in links if lk.rel == rel and lk.start in gold]
    gold_edges = {(s, g) for s, gs in gold.items() for g in gs}
    found_edges = {(lk.start, lk.end) for lk in found}
    tp = len(found_edges & gold_edges)
    top = {lk.start: lk.end for lk in found if lk.rank == 1}
    p1 = sum(1 for s, gs in gold.items() if top.get(s) in gs) / len(gold) if gold else 0.0
    goal_p1 = None
    if first_task is not None:
        hits = 0
        for goal, task in first_task.items():
            cands = [
                lk
                for lk in links
                if lk.rel == rel and lk.end == goal and (task_ids is None or lk.start in task_ids)
            ]
            best = min(cands, key=lambda lk: (lk.source != "curated", -lk.score, lk.start), default=None)
            hits += best is not None and best.start == task
        goal_p1 = hits / len(first_task) if first_task else 0.0
    return Score(
        rel,
        len(gold),
        len(gold_edges),
        len(found_edges),
        tp,
        p1,
        tp / len(found_edges) if found_edges else 0.0,
        tp / len(gold_edges) if gold_edges else 0.0,
        goal_p1,
        len(first_task or {}),
    )


def evaluate(links: Sequence[Link], gold: Gold, task_ids: set[str]) -> list[Score]:
    """SERVES and MEASURES scores of ``links`` against ``gold`` (``task_ids``: the plan's Task eids)."""
    return [
        score_links("SERVES", links, gold.serves, gold.first_task, task_ids),
        score_links("MEASURES", links, gold.measures),
    ]
