"""Annotated dependency aliases for routes: the app state, paging, the plan, the write token."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from plangraph.api.errors import ApiError
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


async def get_state(request: Request) -> AppState:
    """Async: it does not block, so it runs on the event loop, not in the thread pool (a hop less)."""
    state: AppState = request.app.state.plangraph
    return state


State = Annotated[AppState, Depends(get_state)]


async def consistent(state: State) -> AsyncIterator[None]:
    """Hold the read side of the state's lock for the whole request: a reload waits for the requests
    running, and requests coming meanwhile wait for it (routers that read add it as a dependency). Taken
    on the event loop when no reload writes or waits, else waited for in a thread."""
    lock = state.consistency
    if not lock.try_read():
        await run_in_threadpool(lock.acquire_read)
    try:
        yield
    finally:
        lock.release_read()


Consistent = Depends(consistent)


async def get_plan(
    state: State,
    plan: Annotated[
        str | None, Query(max_length=64, description="plan id; optional when one plan is loaded")
    ] = None,
) -> str:
    known = known_plans(state)
    if known is not None and (plan is None or plan in known):  # no store call: on the event loop
        return pick_plan(state, plan)
    return await run_in_threadpool(pick_plan, state, plan)


PlanId = Annotated[str, Depends(get_plan)]


class Paging:
    def __init__(self, limit: int, offset: int) -> None:
        self.limit, self.offset = limit, offset


async def get_paging(
    state: State,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Paging:
    if limit > state.settings.max_page_size:
        raise ApiError(
            422,
            "invalid_parameters",
            f"limit {limit} is over the page size cap "
            f"{state.settings.max_page_size} (PLANGRAPH_MAX_PAGE_SIZE)",
        )
    return Paging(limit, offset)


Pages = Annotated[Paging, Depends(get_paging)]


def require_token(state: State, authorization: Annotated[str | None, Header()] = None) -> None:
    token = state.settings.token
    if token is None:
        raise ApiError(403, "writes_disabled", "write operations are switched off: set PLANGRAPH_TOKEN")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise ApiError(401, "unauthorized", "a valid bearer token is needed (Authorization: Bearer …)")


WriteAccess = Annotated[None, Depends(require_token)]
