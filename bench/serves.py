"""SERVES/MEASURES quality over every plan with a gold mapping: the bundled plan and the corpus plans with a
reader's gold in ``../shared/corpus/serves/``.

Prints one row per plan and the macro average (the mean of the plans' figures; a figure a plan has no gold
for is left out of its mean): goal p@1 (each goal's first task), p@1 of the priority actions, of the 专栏
and of every source, SERVES precision, recall and F1, MEASURES F1. Inference alone first, then with the
curated ``links.yaml`` beside each plan. Asserts nothing (tests/test_graph_infer.py holds the line).
``--errors`` also lists, for each plan left out, the goals whose first task is wrong and every gold source
whose rank-1 goal is wrong: the gold goal and the chosen one, their scores, their weighted signals and the
terms each shares with the source.

    python bench/serves.py [--corpus DIR] [--errors]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import SOURCE  # noqa: E402
from plangraph.graph.build import links_beside  # noqa: E402
from plangraph.graph.evaluate import BoundGold, Score, bind, evaluate, first_tasks, load_gold  # noqa: E402
from plangraph.graph.fit import (  # noqa: E402
    GRIDS,
    START,
    FitPlan,
    fit,
    fit_plan,
    links,
    lopo,
    misses,
    serves_score,
)
from plangraph.graph.infer import Link, infer_links, serves_signals  # noqa: E402
from plangraph.graph.inferconfig import DEFAULT_CONFIG, InferConfig  # noqa: E402
from plangraph.graph.terms import shared_terms  # noqa: E402
from plangraph.ingest.models import PlanDocument  # noqa: E402
from plangraph.ingest.pipeline import parse_file  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
BUNDLED_GOLD = ROOT / "tests" / "gold" / "informatization-14fyp.yaml"
COLUMNS = ("goal p@1", "act p@1", "专栏 p@1", "p@1", "P", "R", "F1", "M F1")


@dataclass(frozen=True)
class GoldPlan:
    name: str
    source: Path
    doc: PlanDocument
    gold: BoundGold


def gold_plans(corpus: Path) -> list[GoldPlan]:
    """The bundled plan, then each corpus plan with a gold file ``serves/<file stem>.yaml``."""
    pairs = [(SOURCE, BUNDLED_GOLD)]
    for g in sorted((corpus / "serves").glob("*.yaml")):
        src = next((p for p in sorted(corpus.glob(f"{g.stem}.*")) if p.suffix != ".yaml"), None)
        if src is None:
            sys.exit(f"error: {g}: no plan file {g.stem}.* in {corpus}")
        pairs.append((src, g))
    out = []
    for src, g in pairs:
        doc = parse_file(src)
        bound = bind(load_gold(g), doc)
        for w in bound.warnings:
            print(f"warning: {w}", file=sys.stderr)
        out.append(GoldPlan(g.stem, src, doc, bound))
    return out


def figures(scores: list[Score]) -> dict[str, float | None]:
    """The table's figures of one plan (None: no gold for it)."""
    s = next(x for x in scores if x.rel == "SERVES")
    m = next((x for x in scores if x.rel == "MEASURES"), None)
    return {
        "goal p@1": s.goal_p_at_1 if s.goals else None,
        "act p@1": s.p_at_1_kind.get("Action"),
        "专栏 p@1": s.p_at_1_kind.get("Column"),
        "p@1": s.p_at_1,
        "P": s.precision,
        "R": s.recall,
        "F1": s.f1,
        "M F1": m.f1 if m is not None else None,
    }


def macro(rows: list[dict[str, float | None]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for c in COLUMNS:
        vals = [v for r in rows if (v := r[c]) is not None]
        out[c] = sum(vals) / len(vals) if vals else None
    return out


def print_table(title: str, rows: list[tuple[str, dict[str, float | None]]]) -> None:
    width = max(len(n) for n, _ in [*rows, ("macro average", {})])
    print(f"\n{title}")
    print(f"{'plan':<{width}}  " + "  ".join(f"{c:>8}" for c in COLUMNS))
    for name, r in [*rows, ("macro average", macro([r for _, r in rows]))]:
        cells = ("       –" if (v := r[c]) is None else f"{v:8.3f}" for c in COLUMNS)
        print(f"{name:<{width}}  " + "  ".join(cells))


def score_all(
    plans: list[GoldPlan], links: dict[str, list[Link]]
) -> list[tuple[str, dict[str, float | None]]]:
    return [(p.name, figures(evaluate(links[p.name], p.gold))) for p in plans]


def changed(cfg: InferConfig) -> str:
    """The fitted parameters of ``cfg``, as ``name=value`` pairs."""
    return ", ".join(
        f"{k}={getattr(cfg, k):g}" for k in (*GRIDS, "plan_scale", "goal_keeps_task", "confidence_margin")
    )


def print_errors(plan: GoldPlan, fplan: FitPlan, cfg: InferConfig) -> None:
    """What ``cfg`` gets wrong on ``plan`` (see the module docstring)."""
    vec, _ = serves_signals(plan.doc, START)  # the term vectors do not depend on the fitted parameters

    def short(eid: str | None) -> str:
        return "–" if eid is None else eid.removeprefix(plan.doc.plan.id + "/")

    def terms(s: str, g: str) -> str:
        return "、".join(shared_terms(vec.sources[s], vec.goals[g], 4)) or "–"

    print(f"\nerrors of {plan.name} (fitted without it)")
    found = links(fplan, cfg)
    for goal, task in first_tasks(found, fplan.gold.first_task, fplan.gold.task_ids).items():
        if task != fplan.gold.first_task[goal]:
            print(f"  {short(goal)}: first task {short(task)}, gold {short(fplan.gold.first_task[goal])}")
    for m in misses(fplan, cfg):
        gold = ", ".join(short(g) for g in m.gold)
        where = f"{m.kind}; context {short(m.context)}"
        print(f"  {short(m.source)} ({where}): chose {short(m.chosen)}, gold {gold}")
        for g in dict.fromkeys(x for x in (m.chosen, m.gold_best) if x is not None):
            parts = " ".join(f"{n} {v:.2f}" for n, v in m.parts[g].items())
            print(f"      {short(g):<14} {m.scores[g]:.3f}  {parts}  terms {terms(m.source, g)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("PLANGRAPH_CORPUS", DEFAULT_CORPUS)))
    ap.add_argument("--errors", action="store_true", help="list what leave-one-plan-out gets wrong")
    args = ap.parse_args()
    if not (args.corpus / "serves").is_dir():
        sys.exit(f"error: no serves/ gold folder in {args.corpus} (set --corpus or PLANGRAPH_CORPUS)")
    plans = gold_plans(args.corpus)
    fplans = [fit_plan(p.name, p.doc, p.gold) for p in plans]
    # MEASURES does not depend on the fitted SERVES parameters: its figures come with every SERVES row
    inferred = {p.name: infer_links(p.doc) for p in plans}
    measures = {p.name: [s for s in evaluate(inferred[p.name], p.gold) if s.rel == "MEASURES"] for p in plans}
    start = [(p.name, figures([serves_score(p, START), *measures[p.name]])) for p in fplans]
    print_table("baseline: inference before fitting (lexical signal alone, graph.fit.START)", start)
    held = lopo(fplans)
    rows = [(h.name, figures([h.score, *measures[h.name]])) for h in held]
    print_table("leave-one-plan-out: fitted on the other plans, scored on the one left out", rows)
    for h in held:
        print(f"  fitted without {h.name}: {changed(h.cfg)}")
    if args.errors:
        for p, fp, h in zip(plans, fplans, held, strict=True):
            print_errors(p, fp, h.cfg)
    print_table(
        "inference alone, defaults in graph.inferconfig (fitted on all plans)", score_all(plans, inferred)
    )
    curated = {p.name: infer_links(p.doc, links=links_beside(p.source)) for p in plans}
    print_table("with the curated links.yaml (where a plan has one)", score_all(plans, curated))
    cfg = fit(fplans)
    same = "the same" if cfg == DEFAULT_CONFIG else "DIFFERENT: update graph/inferconfig.py"
    print(f"\nfitted on all plans: {changed(cfg)}\ndefaults in code:    {changed(DEFAULT_CONFIG)} ({same})")


if __name__ == "__main__":
    main()
