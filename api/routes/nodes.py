"""Nodes by eid with their neighbours, bounded paths, and keyword search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from plangraph.api import services
from plangraph.api.deps import Pages, State
from plangraph.api.errors import READS, ApiError, problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import NodeView, Page, Rows

router = APIRouter(route_class=Reading, tags=["nodes"], responses={**READS, **problems(404)})


AMBIGUOUS = problems(409)
REF = (
    "a reference: an eid, a plan-relative eid (goal-5), an ordinal, a title, name or alias, or a fragment "
    "of one (graph/refs.py)"
)
#: the plan a relative reference is in (optional when one plan is loaded, or with a full eid)
PlanScope = Annotated[str | None, Query(max_length=64, description="plan id of a relative reference")]


@router.get("/nodes/{eid:path}", operation_id="get_node", response_model=NodeView, responses=AMBIGUOUS)
def get_node(state: State, eid: str = Path(description=REF), plan: PlanScope = None) -> NodeView:
    """A node (any label) and every node one step away, with relationship type and direction."""
    if len(eid) > 300:
        raise ApiError(422, "invalid_parameters", "eid is longer than 300 characters")
    ref = services.find(state, eid, None, plan, "eid")
    found = services.run(state, "node", {"eid": ref["eid"]}).records()
    neighbours = services.items(services.run(state, "neighbours", {"eid": ref["eid"]}))
    return NodeView(node=services.to_item(found[0]), neighbours=neighbours)


@router.get("/paths", operation_id="paths", response_model=Rows, responses=AMBIGUOUS)
def paths(
    state: State,
    from_: str = Query(alias="from", max_length=300, description=REF),
    to: str = Query(max_length=300, description=REF),
    plan: PlanScope = None,
) -> Rows:
    """Paths of one to three steps between two nodes (bounded; no unbounded search)."""
    ends = [services.find(state, ref, None, plan, name)["eid"] for name, ref in (("from", from_), ("to", to))]
    return services.rows(services.run(state, "path", {"from": ends[0], "to": ends[1]}), "path")


@router.get("/search", operation_id="search", response_model=Page)
def search(
    state: State, paging: Pages, q: str = Query(min_length=1, max_length=100, examples=["区块链"])
) -> Page:
    """Elements and entities whose title or text contains the keyword (title matches first)."""
    return services.page(services.run(state, "search", {"q": q}), paging.limit, paging.offset)
