"""How long a request spent in the store, sent with its answer: ``Server-Timing: store;dur=3.12;desc="2
calls"`` (the W3C header; milliseconds, the sum over the request's store calls).

A reading route (:class:`api.routing.Reading`) gives each request a :class:`StoreTime`; every store call of
the request (:func:`api.services.run`, in whichever thread) adds to it, and the answer carries the header.
A browser's developer tools show it beside the request's own time; ``bench/serving.py`` reads it to set
the route's time against its store calls timed in the same process at the same moment. An answer from the
response cache made no store call and carries none (the header is not kept with the answer).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

HEADER = b"server-timing"


@dataclass
class StoreTime:
    """The store calls of one request: how many, and their time in seconds."""

    calls: int = 0
    seconds: float = 0.0

    def header(self) -> tuple[bytes, bytes]:
        value = f'store;dur={self.seconds * 1000:.2f};desc="{self.calls} call{"s" * (self.calls != 1)}"'
        return HEADER, value.encode()


#: the request's store time (a thread trip copies the context: the copy holds the same object)
CURRENT: ContextVar[StoreTime | None] = ContextVar("plangraph_store_time", default=None)


@contextmanager
def store_call() -> Iterator[None]:
    """Time one store call into the request's :class:`StoreTime` (none outside a request: not timed)."""
    spent = CURRENT.get()
    if spent is None:
        yield
        return
    t0 = time.perf_counter()
    try:
        yield
    finally:
        spent.calls += 1
        spent.seconds += time.perf_counter() - t0
