"""Weights and thresholds of the inferred links (``graph.infer``), with the values fitted across plans.

The SERVES combination weights and thresholds (``*_signal``, ``generic_weight`` (the genre's generic words
in the title signal, ``graph/genre_terms.yaml``), ``context_weight``, ``serves_min_score``,
``serves_ratio``, ``overall_ratio``, the caps ``max_goals`` and ``max_goals_part``, ``goal_keeps_task``,
``confidence_margin``) are fitted by :func:`graph.fit.fit` on every plan with a gold mapping (the
bundled plan and the corpus plans with a reader's gold, see ``bench/serves.py``): coordinate ascent
over the grids in :data:`graph.fit.GRIDS`, starting from the inference before fitting (only the lexical
signal), objective the macro average over the plans of the mean of goal p@1, p@1 and F1.
``bench/serves.py`` reports the same procedure leave-one-plan-out (fitted on the other plans, scored on
the one left out); ``tests/test_graph_fit.py`` checks that these defaults are what the fit on all plans
gives.

The vector weights (``title_weight``, ``child_text_weight``) and the MEASURES thresholds are not fitted:
they build the term vectors every signal shares, and MEASURES has gold on one plan only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InferConfig:
    """Weights and thresholds of the inference (see the module docstring and ``docs/schema.md``)."""

    title_weight: float = 2.0
    child_text_weight: float = 0.5
    # SERVES: the signals' weights (the lexical cosine has weight 1), see graph.serves
    title_signal: float = 0.0
    generic_weight: float = 1.0  # the weight of the genre's generic words (genre_terms.yaml) in ``title``
    lead_signal: float = 0.0
    order_signal: float = 0.0
    vote_signal: float = 0.0
    indicator_signal: float = 0.0
    bigram_signal: float = 0.0
    goal_norm: float = 1.0  # how strongly the lexical cosine is divided by the goal's mean (0: not at all)
    context_weight: float = 0.4
    plan_scale: float = 0.0  # 1: scores divided by the plan's mean best score (thresholds relative to it)
    serves_min_score: float = 0.08
    serves_ratio: float = 0.8
    overall_ratio: float = 9.0  # the overall goal joins the goal areas at ≥ this × the best (9: never)
    overall_task_ratio: float = 9.0  # the same for a Task (a task part)
    max_goals: int = 9  # at most this many goals per task part
    max_goals_part: int = 9  # at most this many per subtask, 专栏 or action
    goal_keeps_task: bool = False  # a goal area no task part was asserted for gets its best task part
    confidence_margin: float = 0.0
    # MEASURES
    measures_min_score: float = 0.03
    measures_ratio: float = 0.9
    max_terms: int = 6


#: Fitted on all plans with gold (see the module docstring); ``graph.fit.fit`` reproduces it.
DEFAULT_CONFIG = InferConfig(
    title_signal=0.3,
    generic_weight=0.5,
    indicator_signal=0.3,
    bigram_signal=0.5,
    goal_norm=1.0,
    context_weight=0.4,
    plan_scale=1.0,
    serves_min_score=0.5,
    serves_ratio=0.8,
    overall_ratio=1.2,
    overall_task_ratio=0.4,
    max_goals=4,
    max_goals_part=1,
    goal_keeps_task=True,
    confidence_margin=0.1,
)
