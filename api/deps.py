"""Annotated dependency aliases for routes: the app state, paging, the plan, the write token. (The query
parameters' names and the read lock are the route classes' work: :mod:`api.routing`.)"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from plangraph.api.errors import ApiError
from plangraph.api.routing import run_in_thread
from plangraph.api.services import known_plans, pick_plan
from plangraph.api.state import AppState


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
