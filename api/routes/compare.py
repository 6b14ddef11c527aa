"""Two plans compared: ``/plans/compare?a=&b=`` (shared entities, tasks that name the same entities,
indicators of one measure, citations either way), from the canned cross-plan queries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from plangraph.api import services
from plangraph.api.deps import State
from plangraph.api.errors import READS, problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import PlanComparison
from plangraph.graph.corpus import held
from plangraph.graph.crossplan import COMPARISON

router = APIRouter(route_class=Reading, prefix="/plans", tags=["plans"], responses=READS)
PlanParam = Annotated[str, Query(min_length=1, max_length=64, description="a plan id")]


@router.get("/compare", operation_id="compare_plans", response_model=PlanComparison, responses=problems(404))
def compare(state: State, a: PlanParam, b: PlanParam) -> PlanComparison:
    """What plans ``a`` and ``b`` share (entities, tasks naming the same entities, indicators of one
    measure) and where one cites the other."""
    for plan in (a, b):
        services.pick_plan(state, plan)
    catalogue = {r["plan_id"]: r for r in held(state.store)}
    params = {"plan_a": a, "plan_b": b}
    parts = {key: services.rows(services.run(state, name, params), name) for key, name in COMPARISON.items()}
    return PlanComparison(a=services.json_safe(catalogue[a]), b=services.json_safe(catalogue[b]), **parts)
