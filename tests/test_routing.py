"""The routes' thread trip (:func:`api.routing.run_in_thread`): the function's answer or error, the request's
context variables, and a cancelled request that waits for the function it started; the read side of the
state's lock a reading route takes (:func:`api.routing.read_side`), also when its request is cancelled."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from plangraph.api.routing import THREADS, in_thread, pool, read_side, run_in_thread
from plangraph.api.state import ReadWriteLock

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


def writable(lock: ReadWriteLock, within: float = 2.0) -> bool:
    """Whether a reload could take ``lock``'s write side within ``within`` seconds (no reader holds it)."""
    done = threading.Event()

    def write() -> None:
        with lock.writing():
            done.set()

    threading.Thread(target=write, daemon=True).start()
    return done.wait(within)


def test_the_read_side_is_taken_at_once_or_after_the_reload() -> None:
    lock = ReadWriteLock()
    order: list[str] = []

    async def main() -> None:
        await read_side(lock)  # no reload: on the loop
        lock.release_read()
        reload_holds, reload_may_end = threading.Event(), threading.Event()

        def reload() -> None:
            with lock.writing():
                reload_holds.set()
                reload_may_end.wait(2)
                order.append("reload")

        threading.Thread(target=reload, daemon=True).start()
        reload_holds.wait(2)
        task = asyncio.ensure_future(read_side(lock))
        await asyncio.sleep(0.05)
        assert not task.done()  # waits for the reload
        reload_may_end.set()
        await task
        order.append("read")
        lock.release_read()

    run(main())
    assert order == ["reload", "read"] and writable(lock)


def test_a_request_cancelled_while_it_waits_for_the_lock_keeps_no_read_side() -> None:
    """The waiting thread takes the lock after the cancel: it is given back, so the next reload is not
    blocked for ever by a request that is gone."""
    lock = ReadWriteLock()

    async def main() -> None:
        with contextlib.ExitStack() as reload:
            reload.enter_context(lock.writing())
            task = asyncio.ensure_future(read_side(lock))
            await asyncio.sleep(0.05)  # its thread waits for the reload
            task.cancel()
            await asyncio.sleep(0.05)
            assert not task.done()  # it waits for its thread
        with pytest.raises(asyncio.CancelledError):
            await task

    run(main())
    assert writable(lock)


def test_every_operation_but_the_writes_and_the_codes_holds_the_read_lock() -> None:
    """A write holding the read side would wait for itself (a load takes the write side); a read without
    it could see a reload half done."""
    from fastapi.routing import APIRoute

    from plangraph.api.routes import ROUTES
    from plangraph.api.routing import OneTrip, Reading

    routes = [r for r in ROUTES if isinstance(r, APIRoute) and r.include_in_schema]
    assert all(isinstance(r, OneTrip) for r in ROUTES if isinstance(r, APIRoute))
    unlocked = {r.operation_id for r in routes if not isinstance(r, Reading)}
    assert unlocked == {"add_plan", "reload_plan", "list_codes", "get_code"}, unlocked
