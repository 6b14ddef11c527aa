"""The routes' thread trip (:func:`api.routing.run_in_thread`): the function's answer or error, the request's
context variables, and a cancelled request that waits for the function it started."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from plangraph.api.routing import THREADS, in_thread, pool, run_in_thread

REQUEST = contextvars.ContextVar[str]("request")
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``coro`` on an event loop of its own in another thread, as a server's: this thread may have one
    running already (the browser tests' Playwright keeps its loop running in the test thread)."""
    with ThreadPoolExecutor(1) as one:
        return one.submit(asyncio.run, coro).result()


def test_the_function_runs_in_the_routes_pool_with_the_requests_context() -> None:
    def work(a: int, b: int = 0) -> tuple[int, str, str]:
        return a + b, REQUEST.get(), threading.current_thread().name

    async def main() -> tuple[int, str, str]:
        REQUEST.set("r-1")
        return await run_in_thread(work, 2, b=3)

    total, seen, thread = run(main())
    assert (total, seen) == (5, "r-1")
    assert thread.startswith("plangraph-route") and thread != threading.main_thread().name
    assert pool()._max_workers == THREADS


def test_its_error_is_the_callers() -> None:
    def fails() -> None:
        raise LookupError("no such goal")

    with pytest.raises(LookupError, match="no such goal"):
        run(run_in_thread(fails))


def test_a_cancelled_request_waits_for_the_call_it_started() -> None:
    started, finished = threading.Event(), threading.Event()

    def store_call() -> str:
        started.set()
        time.sleep(0.3)
        finished.set()
        return "rows"

    async def main() -> bool:
        task = asyncio.ensure_future(run_in_thread(store_call))
        while not started.is_set():
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return finished.is_set()  # cancelled only once the call returned: its lock is not let go early

    assert run(main()) is True


def test_in_thread_keeps_the_signature_fastapi_reads() -> None:
    def route(state: object, plan: str, ref: str = "x") -> str:
        """The route."""
        return f"{plan}/{ref}"

    wrapped = in_thread(route)
    assert asyncio.iscoroutinefunction(wrapped)
    assert wrapped.__wrapped__ is route and wrapped.__doc__ == "The route."  # type: ignore[attr-defined]
    assert run(wrapped(None, "p", ref="goal-5")) == "p/goal-5"
