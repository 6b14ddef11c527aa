"""Goals, and the question the service exists for: which tasks serve goal X."""

from __future__ import annotations

from fastapi import APIRouter, Path

from plangraph.api import services
from plangraph.api.deps import Pages, PlanId, State
from plangraph.api.errors import READS, problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import GoalTasks, Page, Rows, Served

router = APIRouter(
    route_class=Reading,
    prefix="/goals",
    tags=["goals"],
    responses={**READS, **problems(404)},
)
AMBIGUOUS = problems(409)
Ref = Path(
    description="an eid, a plan-relative eid (goal-3), an ordinal (3), 'overall', or a fragment of "
    "the Chinese title (数字政府)",
    max_length=200,
    examples=["数字政府"],
)


@router.get("", operation_id="list_goals", response_model=Page)
def list_goals(state: State, plan: PlanId, paging: Pages) -> Page:
    """The plan's goals in document order (the overall goal statement first)."""
    return services.plan_page(state, "goals", plan, paging.limit, paging.offset, "Goal")


@router.get("/coverage", operation_id="goal_coverage", response_model=Rows)
def coverage(state: State, plan: PlanId) -> Rows:
    """Each goal with the number of tasks, actions and 专栏 serving it; weakly covered goals first."""
    return services.rows(services.run(state, "goal_coverage", {"plan": plan}), "goal_coverage")


def _served(state: State, plan: str, ref: str, query: str, label: str) -> GoalTasks:
    goal = services.find(state, ref, {"Goal"}, plan, "ref")
    found = services.run(state, query, {"goal": goal["eid"]})
    return GoalTasks(goal=services.to_item(goal, "Goal"), items=services.items_as(found, label, Served))


@router.get("/{ref:path}/tasks", operation_id="goal_tasks", response_model=GoalTasks, responses=AMBIGUOUS)
def goal_tasks(state: State, plan: PlanId, ref: str = Ref) -> GoalTasks:
    """The tasks serving a goal, ranked by score, each with the evidence (shared terms and sentence)."""
    return _served(state, plan, ref, "goal_tasks", "Task")


@router.get("/{ref:path}/actions", operation_id="goal_actions", response_model=GoalTasks, responses=AMBIGUOUS)
def goal_actions(state: State, plan: PlanId, ref: str = Ref) -> GoalTasks:
    """The priority actions serving a goal, ranked, with evidence."""
    return _served(state, plan, ref, "goal_actions", "Action")


@router.get("/{ref:path}/columns", operation_id="goal_columns", response_model=GoalTasks, responses=AMBIGUOUS)
def goal_columns(state: State, plan: PlanId, ref: str = Ref) -> GoalTasks:
    """The 专栏 serving a goal, ranked, with evidence."""
    return _served(state, plan, ref, "goal_columns", "Column")


@router.get(
    "/{ref:path}/indicators", operation_id="goal_indicators", response_model=GoalTasks, responses=AMBIGUOUS
)
def goal_indicators(state: State, plan: PlanId, ref: str = Ref) -> GoalTasks:
    """The indicators measuring a goal with baseline, target and growth ratio."""
    return _served(state, plan, ref, "goal_indicators", "Indicator")
