"""Tasks, subtasks, 专栏, actions and indicators of a plan."""

from __future__ import annotations

from fastapi import APIRouter, Path

from plangraph.api import services
from plangraph.api.deps import Pages, PlanId, State
from plangraph.api.errors import READS, problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import Page

router = APIRouter(route_class=Reading, tags=["elements"], responses={**READS, **problems(404)})
AMBIGUOUS = problems(409)
TaskRef = Path(
    description="an eid, task-4, an ordinal, or a fragment of the title",
    max_length=200,
    examples=["数字政府"],
)


@router.get("/tasks", operation_id="list_tasks", response_model=Page)
def list_tasks(state: State, plan: PlanId, paging: Pages) -> Page:
    """The plan's tasks with their numbers of subtasks and 专栏."""
    return services.plan_page(state, "tasks", plan, paging.limit, paging.offset, "Task")


def _task(state: State, plan: str, ref: str) -> str:
    return str(services.find(state, ref, {"Task"}, plan, "ref")["eid"])


@router.get("/tasks/{ref:path}/goals", operation_id="task_goals", response_model=Page, responses=AMBIGUOUS)
def task_goals(state: State, plan: PlanId, paging: Pages, ref: str = TaskRef) -> Page:
    """The goals a task serves, rank 1 first, with score and evidence."""
    res = services.run(state, "task_goals", {"task": _task(state, plan, ref)})
    return services.page(res, paging.limit, paging.offset, "Goal")


@router.get(
    "/tasks/{ref:path}/subtasks", operation_id="task_subtasks", response_model=Page, responses=AMBIGUOUS
)
def task_subtasks(state: State, plan: PlanId, paging: Pages, ref: str = TaskRef) -> Page:
    """The subtasks of a task in document order."""
    res = services.run(state, "task_subtasks", {"task": _task(state, plan, ref)})
    return services.page(res, paging.limit, paging.offset, "Subtask")


@router.get(
    "/tasks/{ref:path}/columns", operation_id="task_columns", response_model=Page, responses=AMBIGUOUS
)
def task_columns(state: State, plan: PlanId, paging: Pages, ref: str = TaskRef) -> Page:
    """The 专栏 of a task with their items (one row per item) and the subtask each 专栏 follows."""
    res = services.run(state, "task_columns", {"task": _task(state, plan, ref)})
    records = [
        {**r, "eid": r["item_eid"] or r["column_eid"], "title": r["item_title"] or r["column_title"]}
        for r in res.records()
    ]
    return services.page_records(records, res.truncated, paging.limit, paging.offset)


@router.get("/subtasks", operation_id="list_subtasks", response_model=Page)
def list_subtasks(state: State, plan: PlanId, paging: Pages) -> Page:
    """Every subtask of the plan with its task."""
    return services.plan_page(state, "subtasks", plan, paging.limit, paging.offset, "Subtask")


@router.get("/columns", operation_id="list_columns", response_model=Page)
def list_columns(state: State, plan: PlanId, paging: Pages) -> Page:
    """The plan's 专栏 with the task each stands in and its number of items."""
    return services.plan_page(state, "columns", plan, paging.limit, paging.offset, "Column")


@router.get("/actions", operation_id="list_actions", response_model=Page)
def list_actions(state: State, plan: PlanId, paging: Pages) -> Page:
    """The plan's priority actions with their numbers of items and dated targets."""
    return services.plan_page(state, "actions", plan, paging.limit, paging.offset, "Action")


@router.get("/actions/targets", operation_id="action_targets", response_model=Page)
def action_targets(state: State, plan: PlanId, paging: Pages) -> Page:
    """Every priority action with its dated targets (到 2023 年…; 到 2025 年…), one row per target."""
    return services.plan_page(state, "action_targets", plan, paging.limit, paging.offset, "Target")


@router.get("/indicators", operation_id="list_indicators", response_model=Page)
def list_indicators(state: State, plan: PlanId, paging: Pages) -> Page:
    """The indicator table: category, unit, baseline and target values and years, attribute."""
    return services.plan_page(state, "indicators", plan, paging.limit, paging.offset, "Indicator")
