"""The route class of every router: a request to a route goes to the thread pool once, the short way.

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
the read lock a route holds (:func:`api.deps.consistent`) is released only after its store calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.routing import APIRoute

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


class OneTrip(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint) and not inspect.isasyncgenfunction(endpoint):
            endpoint = in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)
