"""Annotated dependency aliases for routes: the app state, paging, the plan, the write token."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from plangraph.api.errors import ApiError
from plangraph.api.routing import run_in_thread
from plangraph.api.services import known_plans, pick_plan
from plangraph.api.state import AppState

#: operations whose query string is the canned query's own parameters (checked when they are bound)
FREE_PARAMS = frozenset({"run_query"})
_PARAMS: dict[int, frozenset[str]] = {}


async def known_params(request: Request) -> None:
    """Refuse a query parameter the operation does not take (422, naming it and the ones it takes): a
    misspelt ``?limt=`` is an error, not a silent default. Applied to every operation of the API.

    The dependencies here are async where they do not block (most of the time), so that a request makes
    one trip to the thread pool (its route), not one per dependency: each trip cost about 0.1–0.2 ms on
    the shared machine (bench/serving.py, uncached rows)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema or route.operation_id in FREE_PARAMS:
        return
    allowed = _PARAMS.get(id(route))
    if allowed is None:
        allowed = frozenset(_query_names(route.dependant))
        _PARAMS[id(route)] = allowed
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ApiError(
            422,
            "invalid_parameters",
            f"unknown query parameter {', '.join(unknown)}; "
            f"this operation takes: {', '.join(sorted(allowed)) or 'none'}",
            errors=[{"loc": ["query", name], "msg": "unknown parameter"} for name in unknown],
        )


def _query_names(dependant: Dependant) -> Iterator[str]:
    yield from (p.alias for p in dependant.query_params)
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def state_of(request: Request) -> AppState:
    """The application's state. The dependencies below take the request and call this rather than depend
    on :data:`State`: each sub-dependency is one more round of FastAPI's dependency solving per request
    (its parameters looked for, its cache consulted), the largest part of what the app adds to a route."""
    state: AppState = request.app.state.plangraph
    return state


async def get_state(request: Request) -> AppState:
    """Async: it does not block, so it runs on the event loop, not in the thread pool (a hop less)."""
    return state_of(request)


State = Annotated[AppState, Depends(get_state)]


async def consistent(request: Request) -> AsyncIterator[None]:
    """Hold the read side of the state's lock for the whole request: a reload waits for the requests
    running, and requests coming meanwhile wait for it (routers that read add it as a dependency). Taken
    on the event loop when no reload writes or waits, else waited for in a thread (the routes' pool,
    :func:`api.routing.run_in_thread`, as every blocking call of a request)."""
    lock = state_of(request).consistency
    if not lock.try_read():
        await run_in_thread(lock.acquire_read)
    try:
        yield
    finally:
        lock.release_read()


Consistent = Depends(consistent)


async def get_plan(
    request: Request,
    plan: Annotated[
        str | None, Query(max_length=64, description="plan id; optional when one plan is loaded")
    ] = None,
) -> str:
    state = state_of(request)
    known = known_plans(state)
    if known is not None and (plan is None or plan in known):  # no store call: on the event loop
        return pick_plan(state, plan)
    result: str = await run_in_thread(pick_plan, state, plan)
    return result


PlanId = Annotated[str, Depends(get_plan)]


class Paging:
    def __init__(self, limit: int, offset: int) -> None:
        self.limit, self.offset = limit, offset


async def get_paging(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Paging:
    cap = state_of(request).settings.max_page_size
    if limit > cap:
        raise ApiError(
            422,
            "invalid_parameters",
            f"limit {limit} is over the page size cap {cap} (PLANGRAPH_MAX_PAGE_SIZE)",
        )
    return Paging(limit, offset)


Pages = Annotated[Paging, Depends(get_paging)]


async def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Async: a comparison, no store call, so it runs on the event loop (no trip to a thread pool)."""
    token = state_of(request).settings.token
    if token is None:
        raise ApiError(403, "writes_disabled", "write operations are switched off: set PLANGRAPH_TOKEN")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise ApiError(401, "unauthorized", "a valid bearer token is needed (Authorization: Bearer …)")


WriteAccess = Annotated[None, Depends(require_token)]
