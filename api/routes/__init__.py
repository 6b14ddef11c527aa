"""The API's routers in the order the app includes them (``/plans/compare`` before ``/plans/{id}``; the web
explorer and the API docs last). A new endpoint: a router module here, and one line in :data:`ROUTERS`."""

from fastapi import APIRouter

from plangraph.api.routes import (
    codes,
    compare,
    document,
    elements,
    entities,
    explorer,
    export,
    goals,
    meta,
    nodes,
    plans,
    queries,
)

ROUTERS: list[APIRouter] = [
    meta.router,
    codes.router,  # the message codes: from the package, not the store
    compare.router,
    plans.router,
    goals.router,
    elements.router,
    entities.router,
    nodes.router,
    queries.router,
    export.router,
    document.router,  # the web explorer's JSON: the plan tree, source spans, links
    explorer.router,  # the explorer at /, the API docs at /docs and /redoc
]
