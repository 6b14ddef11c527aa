"""Subgraph exports in every format of graph/export.py, with the right media type and a filename."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from plangraph.api.deps import Consistent, PlanId, State
from plangraph.api.errors import READS, ApiError, problems
from plangraph.graph.corpus import plan_graph
from plangraph.graph.export import (
    DEFAULT_FORMAT,
    MEDIA,
    ExportFormat,
    render,
    select,
    to_csv_files,
    zip_bytes,
)

router = APIRouter(tags=["export"], responses={**READS, **problems(404)}, dependencies=[Consistent])


@router.get(
    "/export", operation_id="export", responses={200: {"content": {m: {} for m, _ in MEDIA.values()}}}
)
def export(
    state: State,
    plan: PlanId,
    format: ExportFormat = DEFAULT_FORMAT,
    root: str | None = Query(None, max_length=300),
    depth: int | None = Query(None, ge=0, le=10),
    goal: str | None = Query(None, max_length=200),
    label: list[str] = Query(default_factory=list),
    rel: list[str] = Query(default_factory=list),
) -> Response:
    """A plan's graph or a subgraph (``root``+``depth``, ``label``/``rel`` filters, or a ``goal`` view) as a
    download. CSV comes as a zip in neo4j-admin import layout."""
    if depth is not None and depth > state.settings.max_export_depth:
        raise ApiError(
            422,
            "invalid_parameters",
            f"depth {depth} is over PLANGRAPH_MAX_EXPORT_DEPTH ({state.settings.max_export_depth})",
        )
    graph = plan_graph(state.store, plan, timeout_s=state.settings.query_timeout_s)
    sub = select(graph, root=root, depth=depth, labels=label, rels=rel, goal=goal)
    fmt = str(format.value)
    media, suffix = MEDIA[fmt]
    name = f"{plan}{'-' + (goal or root or '').replace('/', '_') if (goal or root) else ''}.{suffix}"
    body = zip_bytes(to_csv_files(sub)) if fmt == "csv" else render(sub, fmt).encode("utf-8")
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}"},
    )


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
