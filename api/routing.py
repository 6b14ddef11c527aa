"""The route class of every router: a request to a route goes to the thread pool once.

A route written as a plain function (it calls the store, which blocks) runs in the thread pool; FastAPI
then also checks its answer against the response model in the thread pool, a second trip for a check of
microseconds (each trip cost about 0.1–0.2 ms on the shared machine: bench/serving.py, uncached rows).
:class:`OneTrip` runs such a function as one call in the thread pool from an async endpoint, so the check
runs on the event loop. The endpoint's signature (parameters, dependencies, return type) is the function's.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def in_thread(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` as an async function that runs it in the thread pool (``__wrapped__``: FastAPI reads the
    signature and the annotations' names from ``fn``)."""

    @functools.wraps(fn)
    async def call(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(fn, *args, **kwargs)

    return call


class OneTrip(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint) and not inspect.isasyncgenfunction(endpoint):
            endpoint = in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)
