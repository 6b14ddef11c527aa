"""The document as a reader sees it: a plan's element tree with the parser's warnings, element counts of
every plan, an element's span in the context of the original text, and its inferred links."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from plangraph.api import services
from plangraph.api.deps import State
from plangraph.api.errors import READS, ApiError, problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import Rows, Span
from plangraph.graph.warnings import from_property
from plangraph.ingest.ids import label_of_eid

router = APIRouter(route_class=Reading, tags=["document"], responses={**READS, **problems(404)})
#: the most characters of context on either side of a span that /source returns
MAX_CONTEXT = 5000


class TreeNode(BaseModel):
    eid: str
    kind: str = Field(description="the node's label (Task, Subtask, Column …)")
    parent: str = Field(description="the innermost element holding it (the plan for a top-level part)")
    title: str | None = None
    ordinal: int | None = None
    page: int | None = None
    span: Span


class TreeWarning(BaseModel):
    code: str
    message: str
    line: int | None = None
    page: int | None = None
    column: int | None = None
    eid: str | None = Field(None, description="the innermost element whose lines hold the warning")


class PlanTree(BaseModel):
    """Every element of a plan in document order with its holder, and the parser's warnings on its source."""

    plan_id: str
    nodes: list[TreeNode]
    truncated: bool = Field(description="the tree query hit the row cap (PLANGRAPH_MAX_ROWS)")
    warnings: list[TreeWarning]
    warnings_available: bool = Field(
        description="false when the store holds no warnings for the plan (loaded before stores kept them: "
        "plangraph add reads it again)"
    )


class SourceContext(BaseModel):
    """An element's span in the original text: ``before`` + ``span`` + ``after`` is the original text from
    ``window_start`` to ``window_end`` (for PDF and Word: the text extracted from the file)."""

    eid: str
    plan_id: str
    source_sha256: str
    span: Span
    page: int | None = None
    window_start: int
    window_end: int
    before: str
    text: str = Field(description="the original text of the span itself")
    after: str
    source_chars: int


def _node(state: State, eid: str) -> dict[str, Any]:
    if len(eid) > 300:
        raise ApiError(422, "invalid_parameters", "eid is longer than 300 characters")
    ref = services.find(state, eid, None, None, "eid")
    return services.run(state, "node", {"eid": ref["eid"]}).records()[0]


def _plan_row(state: State, query: str, plan: str) -> dict[str, Any]:
    """The one row of a query about a Plan node (``plan_text``, ``plan_warnings``)."""
    found = services.run(state, query, {"plan": plan}).records()
    if not found:
        raise ApiError(404, "unknown_plan", f"no plan {plan!r} is loaded", valid=services.plan_ids(state))
    return found[0]


@router.get("/plans/counts", operation_id="plan_counts", response_model=Rows)
def plan_counts(state: State) -> Rows:
    """How many parts, goals, indicators, tasks, subtasks, 专栏, actions, targets, measures each plan has."""
    return services.rows(services.run(state, "plan_counts", {}), "plan_counts")


@router.get("/plans/{plan_id}/tree", operation_id="plan_tree", response_model=PlanTree)
def plan_tree(state: State, plan_id: str) -> PlanTree:
    """The plan's elements as a tree (parts, sections, tasks, subtasks, 专栏 with items, actions with
    targets, goals, indicators …) and the parser's warnings, each placed at the innermost element whose
    lines hold it."""
    services.pick_plan(state, plan_id)
    res = services.run(state, "plan_tree", {"plan": plan_id})
    holders: dict[str, tuple[int, str]] = {}
    rows: dict[str, dict[str, Any]] = {}
    for r in res.records():
        depth = -1 if r["holder"] == plan_id else (r["holder_start"] or 0)  # the plan's shortcut: last choice
        if r["eid"] not in holders or depth > holders[r["eid"]][0]:
            holders[r["eid"]] = (depth, r["holder"])
        rows.setdefault(r["eid"], r)
    nodes = [
        TreeNode(
            eid=eid,
            kind=label_of_eid(eid),
            parent=holders[eid][1],
            title=r["title"],
            ordinal=r["ordinal"],
            page=r["page"],
            span=Span(**{k: r[k] for k in services.SPAN_KEYS}),
        )
        for eid, r in rows.items()
    ]
    stored = _plan_row(state, "plan_warnings", plan_id)["warnings"]
    return PlanTree(
        plan_id=plan_id,
        nodes=nodes,
        truncated=res.truncated,
        warnings=[TreeWarning(**w) for w in from_property(stored)],
        warnings_available=stored is not None,
    )


@router.get("/source", operation_id="source_context", response_model=SourceContext)
def source_context(
    state: State,
    eid: str = Query(max_length=300, examples=["informatization-14fyp/goal-5"]),
    context: int = Query(400, ge=0, le=MAX_CONTEXT, description="characters of context on either side"),
) -> SourceContext:
    """An element's span in the original text of its plan (as the store keeps it), with ``context``
    characters either side. 404 ``source_unavailable`` when the store holds no text for the plan (loaded
    before stores kept it)."""
    node = _node(state, eid)
    start, end = node.get("char_start"), node.get("char_end")
    plan = node.get("plan_id") or ""
    if start is None or end is None or not plan:
        raise ApiError(404, "no_span", f"node {eid!r} has no span in a plan's text (an entity?)")
    row = _plan_row(state, "plan_text", plan)
    sha, text = str(row["source_sha256"]), row["source_text"]
    if text is None:
        raise ApiError(
            404,
            "source_unavailable",
            f"the store holds no source text for plan {plan!r} (loaded before stores kept it): add it "
            "again (plangraph add) to show its spans in context",
        )
    lo, hi = max(0, start - context), min(len(text), end + context)
    return SourceContext(
        eid=eid,
        plan_id=plan,
        source_sha256=sha,
        span=Span(**{k: node.get(k) for k in services.SPAN_KEYS}),
        page=node.get("page"),
        window_start=lo,
        window_end=hi,
        before=text[lo:start],
        text=text[start:end],
        after=text[end:hi],
        source_chars=len(text),
    )


@router.get("/links", operation_id="node_links", response_model=Rows)
def node_links(
    state: State, eid: str = Query(max_length=300, examples=["informatization-14fyp/task-7"])
) -> Rows:
    """The inferred links (SERVES, MEASURES) from or to a node, best score first, with method, evidence,
    terms and the other end's text."""
    _node(state, eid)
    res = services.run(state, "node_links", {"eid": eid})
    rows = services.rows(res, "node_links")
    score = rows.columns.index("score")
    rows.rows.sort(key=lambda r: -(r[score] or 0))
    return rows
