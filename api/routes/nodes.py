"""Nodes by eid with their neighbours, bounded paths, and keyword search."""

from __future__ import annotations

from fastapi import APIRouter, Query

from plangraph.api import services
from plangraph.api.deps import Consistent, Pages, State
from plangraph.api.errors import READS, ApiError, problems
from plangraph.api.schemas import NodeView, Page, Rows

router = APIRouter(tags=["nodes"], responses={**READS, **problems(404)}, dependencies=[Consistent])


@router.get("/nodes/{eid:path}", operation_id="get_node", response_model=NodeView)
def get_node(state: State, eid: str) -> NodeView:
    """A node (any label) and every node one step away, with relationship type and direction."""
    if len(eid) > 300:
        raise ApiError(422, "invalid_parameters", "eid is longer than 300 characters")
    found = services.run(state, "node", {"eid": eid}).records()
    if not found:
        raise ApiError(404, "unknown_node", f"no node {eid!r}")
    neighbours = services.items(services.run(state, "neighbours", {"eid": eid}))
    return NodeView(node=services.to_item(found[0]), neighbours=neighbours)


@router.get("/paths", operation_id="paths", response_model=Rows)
def paths(
    state: State, from_: str = Query(alias="from", max_length=300), to: str = Query(max_length=300)
) -> Rows:
    """Paths of one to three steps between two nodes (bounded; no unbounded search)."""
    for eid in (from_, to):
        if not services.run(state, "node", {"eid": eid}).rows:
            raise ApiError(404, "unknown_node", f"no node {eid!r}")
    return services.rows(services.run(state, "path", {"from": from_, "to": to}), "path")


@router.get("/search", operation_id="search", response_model=Page)
def search(
    state: State, paging: Pages, q: str = Query(min_length=1, max_length=100, examples=["区块链"])
) -> Page:
    """Elements and entities whose title or text contains the keyword (title matches first)."""
    return services.page(services.run(state, "search", {"q": q}), paging.limit, paging.offset)
