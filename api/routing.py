"""The route classes of every router: a request to a route goes to the thread pool once, the short way;
its query parameters are checked by name; a reading route holds the state's read lock.

A route written as a plain function (it calls the store, which blocks) runs in a thread; FastAPI would
also check its answer against the response model in the thread pool, a second trip for a check of
microseconds. :class:`OneTrip` runs such a function as one call in a thread from an async endpoint, so the
check runs on the event loop. The endpoint's signature (parameters, dependencies, return type) is the
function's.

The trip itself goes straight to a thread pool of the route's own (:func:`pool`, as many threads as
anyio's default limiter allows) through the event loop's ``run_in_executor``, with the request's context
variables: anyio's ``to_thread.run_sync`` (Starlette's ``run_in_threadpool``) cost about 0.2 ms of CPU a
request on the shared machine, this about a third of it (bench/serving.py; the README's performance
section). As with anyio's, a cancelled request waits for its function to return before it is cancelled:
the read lock a route holds (:class:`Reading`) is released only after its store calls.

What every request to an operation of the API needs whatever its route, the route class does in its
``handle``, not as a FastAPI dependency: each dependency is one more round of FastAPI's dependency solving,
an async generator's (a lock held across the request) about 55 µs of CPU on this machine, a plain check's
15 µs (bench/app_overhead.py). The OpenAPI document does not change: neither takes a parameter.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import inspect
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import QueryParams
from starlette.types import Message, Receive, Scope, Send

from plangraph.api import timing
from plangraph.api.errors import ApiError
from plangraph.api.timing import StoreTime

if TYPE_CHECKING:  # api.state imports the stores: not at import time for a type
    from plangraph.api.state import ReadWriteLock

#: threads for the routes' functions (anyio's default limiter: 40 at a time)
THREADS = 40

_pool: ThreadPoolExecutor | None = None


def pool() -> ThreadPoolExecutor:
    """The routes' thread pool (made on first use; its threads end with the process)."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="plangraph-route")
    return _pool


async def run_in_thread(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in :func:`pool` with this context's variables; a cancelled caller waits
    for a call that started to return before it is cancelled."""
    ctx = contextvars.copy_context()
    call = pool().submit(ctx.run, fn, *args, **kwargs)
    try:
        return await asyncio.wrap_future(call)
    except asyncio.CancelledError:
        while not call.done():  # started: it runs on (not started: cancelled with the request)
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([asyncio.wrap_future(call)])
        raise


def in_thread(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` as an async function that runs it in :func:`pool` (``__wrapped__``: FastAPI reads the
    signature and the annotations' names from ``fn``)."""

    @functools.wraps(fn)
    async def call(*args: Any, **kwargs: Any) -> Any:
        return await run_in_thread(fn, *args, **kwargs)

    return call


#: operations whose query string is the canned query's own parameters (checked when they are bound)
FREE_PARAMS = frozenset({"run_query"})


class OneTrip(APIRoute):
    """A route whose plain function runs in :func:`pool` (one trip), and which refuses a query parameter
    the operation does not take (422, naming it and the ones it takes): a misspelt ``?limt=`` is an error,
    not a silent default. Not checked: the operations outside the API's schema (the explorer's pages)
    and those in :data:`FREE_PARAMS`. The check comes before the method's (405) and after the path's
    (404), as a dependency's did."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint) and not inspect.isasyncgenfunction(endpoint):
            endpoint = in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)
        checked = self.include_in_schema and self.operation_id not in FREE_PARAMS
        #: the query parameters the operation takes (None: not checked)
        self.query_names = frozenset(_query_names(self.dependant)) if checked else None

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed = self.query_names
        if allowed is not None and scope["query_string"] and scope["method"] in (self.methods or ()):
            refuse_unknown(QueryParams(scope["query_string"]), allowed)
        await super().handle(scope, receive, send)


def refuse_unknown(params: QueryParams, allowed: frozenset[str]) -> None:
    """422 naming the parameters of ``params`` not in ``allowed``, and the ones the operation takes."""
    unknown = sorted(set(params) - allowed)
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


class Reading(OneTrip):
    """A route that reads the store: it holds the read side of the state's lock for the whole request
    (:attr:`api.state.AppState.consistency`). A reload waits for the requests running, and requests
    coming meanwhile wait for it. Taken on the event loop when no reload writes or waits, else waited
    for in :func:`pool`. Its answer says how long its store calls took (:mod:`api.timing`)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        lock = scope["app"].state.plangraph.consistency
        spent = StoreTime()

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start" and spent.calls:
                message = {**message, "headers": [*message.get("headers", []), spent.header()]}
            await send(message)

        await read_side(lock)
        token = timing.CURRENT.set(spent)
        try:
            await super().handle(scope, receive, send_timed)
        finally:
            timing.CURRENT.reset(token)
            lock.release_read()


async def read_side(lock: ReadWriteLock) -> None:
    """Take ``lock``'s read side (an :class:`api.state.ReadWriteLock`): at once if no writer holds or
    waits for it, else in a thread. A caller cancelled while the thread waits gets nothing held: the
    thread runs on until it has the lock (:func:`run_in_thread`), and the lock is given back."""
    if lock.try_read():
        return
    taken = False

    def wait() -> None:
        nonlocal taken
        lock.acquire_read()
        taken = True

    try:
        await run_in_thread(wait)
    except BaseException:
        if taken:
            lock.release_read()
        raise
