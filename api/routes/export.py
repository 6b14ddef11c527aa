"""Subgraph exports in every format of graph/export.py, with the right media type and a filename.

A subgraph is a plan's graph cut by :func:`graph.export.select` (``root``+``depth``, ``label``/``rel``
filters, a ``goal`` view), or the subgraph induced by a list of eids (``eid``, or ``POST /export`` with
the list in the body for long ones: what the explorer's Cypher console draws), optionally with their
neighbours, across plans.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import networkx as nx
from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from plangraph.api import services
from plangraph.api.deps import State
from plangraph.api.errors import READS, ApiError, problems
from plangraph.api.routing import Reading
from plangraph.graph.corpus import plan_graph
from plangraph.graph.export import render, select, to_csv_files, zip_bytes
from plangraph.graph.formats import DEFAULT_FORMAT, ExportFormat
from plangraph.graph.formats import MEDIA as FORMAT_MEDIA
from plangraph.graph.stores.readback import NodesNotFound, nodes_graph

router = APIRouter(route_class=Reading, tags=["export"], responses={**READS, **problems(404)})
MEDIA = {fmt: media for fmt, (media, _) in FORMAT_MEDIA.items()}
SUFFIX = {fmt: suffix for fmt, (_, suffix) in FORMAT_MEDIA.items()}
#: the most eids one export may name (a console result of PLANGRAPH_MAX_ROWS rows of several nodes each)
MAX_EIDS = 20_000
EID_LENGTH = 300
RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {m: {} for m in MEDIA.values()}}}


class NodesExport(BaseModel):
    """The subgraph induced by these nodes (with ``neighbours``: and every node one step from them)."""

    eids: list[str] = Field(min_length=1, max_length=MAX_EIDS, examples=[["informatization-14fyp/goal-5"]])
    neighbours: bool = Field(False, description="add every node one step from the eids")
    format: ExportFormat = DEFAULT_FORMAT


@router.get("/export", operation_id="export", responses=RESPONSES)
def export(
    state: State,
    plan: str | None = Query(None, max_length=64, description="plan id; optional when one plan is loaded"),
    format: ExportFormat = DEFAULT_FORMAT,
    root: str | None = Query(None, max_length=EID_LENGTH),
    depth: int | None = Query(None, ge=0, le=10),
    goal: str | None = Query(None, max_length=200),
    label: list[str] = Query(default_factory=list),
    rel: list[str] = Query(default_factory=list),
    eid: list[str] = Query(
        default_factory=list,
        description="export the subgraph induced by these nodes instead of a plan's (any plans; "
        "POST /export for long lists)",
    ),
    neighbours: bool = Query(False, description="with eid: add every node one step from them"),
) -> Response:
    """A plan's graph or a subgraph (``root``+``depth``, ``label``/``rel`` filters, or a ``goal`` view), or
    the subgraph induced by the nodes ``eid`` names, as a download. CSV comes as a zip in neo4j-admin
    import layout."""
    if eid:
        if root or depth is not None or goal or label or rel:
            raise ApiError(
                422, "invalid_parameters", "eid cannot be combined with root, depth, goal, label, rel"
            )
        return _nodes_export(state, NodesExport(eids=eid, neighbours=neighbours, format=format))
    if neighbours:
        raise ApiError(422, "invalid_parameters", "neighbours needs eid")
    if depth is not None and depth > state.settings.max_export_depth:
        raise ApiError(
            422,
            "invalid_parameters",
            f"depth {depth} is over PLANGRAPH_MAX_EXPORT_DEPTH ({state.settings.max_export_depth})",
        )
    plan = services.pick_plan(state, plan)
    graph = plan_graph(state.store, plan, timeout_s=state.settings.query_timeout_s)
    sub = select(graph, root=root, depth=depth, labels=label, rels=rel, goal=goal)
    name = f"{plan}{'-' + (goal or root or '').replace('/', '_') if (goal or root) else ''}"
    return _download(sub, format, name)


@router.post("/export", operation_id="export_nodes", responses=RESPONSES)
def export_nodes(state: State, body: NodesExport) -> Response:
    """The subgraph induced by a list of nodes (``neighbours``: and every node one step from them), across
    plans, as a download in any export format: what the explorer's console exports of a drawn result."""
    return _nodes_export(state, body)


def _nodes_export(state: State, body: NodesExport) -> Response:
    long = next((e for e in body.eids if len(e) > EID_LENGTH), None)
    if long is not None:
        raise ApiError(
            422, "invalid_parameters", f"eid {long[:40]!r}… is longer than {EID_LENGTH} characters"
        )
    try:
        sub = nodes_graph(
            state.store, body.eids, neighbours=body.neighbours, timeout_s=state.settings.query_timeout_s
        )
    except NodesNotFound as exc:
        raise ApiError(404, "unknown_node", str(exc), missing=exc.missing[:100]) from None
    return _download(sub, body.format, f"subgraph-{len(body.eids)}")


def _download(sub: nx.MultiDiGraph, fmt: str, name: str) -> Response:
    body = zip_bytes(to_csv_files(sub)) if fmt == "csv" else render(sub, fmt).encode("utf-8")
    disposition = f"attachment; filename*=UTF-8''{quote(f'{name}.{SUFFIX[fmt]}')}"
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})
