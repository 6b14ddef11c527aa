"""Fitting the SERVES weights and thresholds across plans, and leave-one-plan-out (LOPO) evaluation.

A :class:`FitPlan` is one plan's signals (computed once, :mod:`graph.serves`) and its gold mapping bound
to the parse. :func:`fit` is deterministic coordinate ascent: from each of :data:`STARTS`, for each
parameter in :data:`GRIDS` order, try every grid value and keep the best (a change only on a strict gain,
or on a tie of the objective when it asserts fewer edges over the plans, :func:`asserted`, or is a
tighter cap, :func:`_rank`), for ``rounds`` rounds or until nothing changes; the best end point wins.
The objective is the macro average over the plans of the mean of goal p@1 (where the gold has
``first_task``), p@1 and F1 of SERVES. ``goal_keeps_task`` (every goal area keeps its best task part) is
decided after the ascent: on unless it lowers the objective (on plans whose goals are all served anyway
it changes nothing, so it stays on for a plan where a goal would be left without a task).
``confidence_margin`` is fitted last, on its own: the margin under which a rank-1 goal is flagged
``low`` that best separates wrong rank-1 goals from right ones (F1 of "low" as a predictor of "wrong").
:func:`lopo` fits on all plans but one and scores the one left out, for each plan in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from plangraph.graph.evaluate import BoundGold, Score, evaluate
from plangraph.graph.infer import Link, serves_signals
from plangraph.graph.inferconfig import InferConfig
from plangraph.graph.serves import SIGNAL_WEIGHTS, Matrix, Signals, combine, method, ranked
from plangraph.ingest.models import PlanDocument

#: The parameters fitted, in the order coordinate ascent visits them, with their grids.
GRIDS: dict[str, tuple[float, ...]] = {  # max_goals: whole numbers
    "title_signal": (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
    "generic_weight": (1.0, 0.75, 0.5, 0.25, 0.1),
    "lead_signal": (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
    "order_signal": (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
    "vote_signal": (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
    "indicator_signal": (0.0, 0.05, 0.1, 0.2, 0.3, 0.5),
    "bigram_signal": (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0),
    "goal_norm": (0.0, 0.25, 0.5, 0.75, 1.0),
    "context_weight": (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
    "serves_min_score": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
    "serves_ratio": (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0),
    "overall_ratio": (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 9.0),
    "overall_task_ratio": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 9.0),
    "max_goals": (1, 2, 3, 4, 9),
    "max_goals_part": (1, 2, 3, 4, 9),
}
CONFIDENCE_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3)
#: The inference before fitting: the lexical signal alone, the thresholds chosen on the bundled plan.
START = InferConfig()
#: Where coordinate ascent starts: the inference before fitting with its scores relative to the plan's
#: mean best score. The fitted thresholds are relative: the absolute level of a cosine varies with how a
#: plan is written, so an absolute threshold fitted on some plans misses on others (leave-one-plan-out
#: showed it: fitted without the bundled plan, an absolute threshold dropped half of its 专栏).
STARTS = (replace(START, plan_scale=1.0, serves_min_score=0.5),)


@dataclass(frozen=True)
class FitPlan:
    name: str
    signals: Signals
    gold: BoundGold
    allowed: frozenset[tuple[str, str]]  # (source, goal) pairs that may be asserted (they share a term)


def links(plan: FitPlan, cfg: InferConfig) -> list[Link]:
    """The SERVES links the inference asserts with ``cfg`` (without evidence: figures only)."""
    chosen = ranked(combine(plan.signals, cfg), cfg, lambda s, g: (s, g) in plan.allowed, plan.signals.tasks)
    return [
        Link("SERVES", c.source, c.goal, c.score, method(cfg), rank=c.rank, confidence=c.confidence)
        for c in chosen
    ]


def serves_score(plan: FitPlan, cfg: InferConfig) -> Score:
    return next(s for s in evaluate(links(plan, cfg), plan.gold) if s.rel == "SERVES")


def plan_objective(s: Score) -> float:
    """The mean of goal p@1 (where there is a first_task), p@1 and F1."""
    vals = [s.p_at_1, s.f1] + ([s.goal_p_at_1] if s.goal_p_at_1 is not None and s.goals else [])
    return sum(vals) / len(vals)


def objective(plans: Sequence[FitPlan], cfg: InferConfig) -> float:
    return sum(plan_objective(serves_score(p, cfg)) for p in plans) / len(plans)


def asserted(plans: Sequence[FitPlan], cfg: InferConfig) -> int:
    """How many SERVES edges ``cfg`` asserts over ``plans`` (every source, with gold or not): on a tie of
    the objective, the fit prefers the config asserting fewer (the gold cannot tell them apart, so the
    smaller claim is made)."""
    return sum(len(links(p, cfg)) for p in plans)


def _rank(plans: Sequence[FitPlan], cfg: InferConfig) -> tuple[float, int, int]:
    """What the fit maximises: the objective; on a tie, fewer asserted edges; then the tighter caps
    (``max_goals`` + ``max_goals_part``: a cap the plans do not reach is set no higher than needed)."""
    return objective(plans, cfg), -asserted(plans, cfg), -(cfg.max_goals + cfg.max_goals_part)


def _confidence_f1(plans: Sequence[FitPlan], cfg: InferConfig) -> float:
    tp = flagged = wrong = 0
    for p in plans:
        for lk in links(p, cfg):
            if lk.rank != 1 or lk.start not in p.gold.serves:
                continue
            bad = lk.end not in p.gold.serves[lk.start]
            low = lk.confidence == "low"
            tp += bad and low
            flagged += low
            wrong += bad
    return 2 * tp / (flagged + wrong) if flagged + wrong else 0.0


def fit(
    plans: Sequence[FitPlan],
    starts: Sequence[InferConfig] = STARTS,
    grids: dict[str, tuple[float, ...]] = GRIDS,
    rounds: int = 3,
) -> InferConfig:
    """The config with the best :func:`objective` on ``plans``: coordinate ascent from each of ``starts``,
    the best end point (the first on ties), then ``confidence_margin``."""
    ends = [_ascend(plans, start, grids, rounds) for start in starts]
    cfg = max(ends, key=lambda c: (objective(plans, c), -ends.index(c)))
    keep = replace(cfg, goal_keeps_task=True)
    if objective(plans, keep) > objective(plans, cfg) - 1e-9:
        cfg = keep
    conf = max(CONFIDENCE_GRID, key=lambda m: (_confidence_f1(plans, replace(cfg, confidence_margin=m)), -m))
    return replace(cfg, confidence_margin=conf)


def _ascend(
    plans: Sequence[FitPlan], start: InferConfig, grids: dict[str, tuple[float, ...]], rounds: int
) -> InferConfig:
    cfg, best = start, _rank(plans, start)
    for _ in range(rounds):
        changed = False
        for name, grid in grids.items():
            for v in grid:
                trial = replace(cfg, **{name: v})  # type: ignore[arg-type]  # a float field of GRIDS
                if trial == cfg:
                    continue
                score = _rank(plans, trial)
                if score[0] > best[0] + 1e-9 or (score[0] > best[0] - 1e-9 and score[1:] > best[1:]):
                    cfg, best, changed = trial, score, True
        if not changed:
            break
    return cfg


@dataclass(frozen=True)
class HeldOut:
    """One round of leave-one-plan-out: the plan left out, the config fitted without it, its score."""

    name: str
    cfg: InferConfig
    score: Score


def lopo(plans: Sequence[FitPlan], **kw: object) -> list[HeldOut]:
    """For each plan: fit on the others, score on it."""
    out = []
    for i, p in enumerate(plans):
        cfg = fit([q for j, q in enumerate(plans) if j != i], **kw)  # type: ignore[arg-type]
        out.append(HeldOut(p.name, cfg, serves_score(p, cfg)))
    return out


def fit_plan(name: str, doc: PlanDocument, gold: BoundGold, cfg: InferConfig = START) -> FitPlan:
    """A plan ready for fitting: its signals (with ``cfg``'s vector weights) and its bound gold."""
    vec, sig = serves_signals(doc, cfg)
    allowed = frozenset((s, g) for s in vec.sources for g in vec.goals if vec.shares(s, g))
    return FitPlan(name, sig, gold, allowed)


@dataclass(frozen=True)
class Miss:
    """A gold source whose rank-1 goal is wrong (or that was given no goal): what the inference chose,
    the gold goal it scored highest, and why — each goal's combined score and its own weighted signals
    (before the context blend and the plan scale)."""

    source: str
    kind: str
    gold: tuple[str, ...]
    chosen: str | None
    gold_best: str
    scores: dict[str, float]  # goal → combined score, for chosen and gold_best
    parts: dict[str, dict[str, float]]  # goal → signal → weight × value
    context: str | None


_SIGNALS_OFF = dict.fromkeys(SIGNAL_WEIGHTS.values(), 0.0)


def _parts(sig: Signals, cfg: InferConfig, lexical: Matrix, source: str, goal: str) -> dict[str, float]:
    out = {"lexical": lexical[source][goal]}
    for name, fld in SIGNAL_WEIGHTS.items():
        if getattr(cfg, fld):
            out[name] = getattr(cfg, fld) * sig.matrix(name, cfg)[source][goal]
    return out


def misses(plan: FitPlan, cfg: InferConfig) -> list[Miss]:
    """The gold sources of ``plan`` whose rank-1 goal with ``cfg`` is not one of their gold goals, in
    document order (what ``bench/serves.py --errors`` prints)."""
    scores = combine(plan.signals, cfg)
    # the lexical term as combine weighs it (goal_norm), alone: no other signal, no blend, no plan scale
    alone = replace(cfg, **_SIGNALS_OFF, context_weight=0.0, plan_scale=0.0)  # type: ignore[arg-type]
    lexical = combine(replace(plan.signals, context={}), alone)
    top = {lk.start: lk.end for lk in links(plan, cfg) if lk.rank == 1}
    out = []
    for s in plan.signals.sources:
        gold = plan.gold.serves.get(s)
        if gold is None or top.get(s) in gold:
            continue
        best = max(gold, key=lambda g: (scores[s].get(g, 0.0), -gold.index(g)))
        shown = [g for g in (top.get(s), best) if g is not None]
        out.append(
            Miss(
                s,
                plan.gold.kinds.get(s, ""),
                gold,
                top.get(s),
                best,
                {g: scores[s].get(g, 0.0) for g in shown},
                {g: _parts(plan.signals, cfg, lexical, s, g) for g in shown},
                plan.signals.context.get(s),
            )
        )
    return out
