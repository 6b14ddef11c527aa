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
    plans.writes,
    goals.router,
    elements.router,
    entities.router,
    nodes.router,
    queries.router,
    export.router,
    document.router,  # the web explorer's JSON: the plan tree, source spans, links
    explorer.router,  # the explorer at /, the API docs at /docs and /redoc
]

#: every router's routes in that order, for the app's own route list. An APIRouter gives its routes its
#: prefix, tags, responses and route class when they are declared, so nothing is lost; included instead
#: (``include_router``), FastAPI 0.163 matches a request through one more layer per router, twice (to
#: find the route, then to run it): about 40 µs of CPU a request on this machine (bench/app_overhead.py)
ROUTES = [route for router in ROUTERS for route in router.routes]
