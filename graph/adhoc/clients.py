"""Per-client limits for ad-hoc queries: how many one client runs at once, and how many per minute.

>>> limits = ClientLimits(concurrent=1, per_minute=60, burst=2)
>>> with limits.admit("10.0.0.1"):
...     limits.admit("10.0.0.1").__enter__()
Traceback (most recent call last):
...
plangraph.graph.adhoc.clients.TooManyQueries: [E307] this client already runs 1 ad-hoc query at once (the limit)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from plangraph.graph.stores import StoreError


class TooManyQueries(StoreError):
    """A client is over one of its limits; ``retry_after_s`` says when it may try again, ``limit`` which
    limit (``"concurrent"`` or ``"rate"``)."""

    code = "E307"

    def __init__(self, message: str, retry_after_s: int, limit: str) -> None:
        super().__init__(message)
        self.retry_after_s, self.limit = retry_after_s, limit


@dataclass
class _Client:
    running: int
    tokens: float
    seen: float


class ClientLimits:
    """``concurrent`` queries at once per client, and ``per_minute`` queries per minute with bursts of
    ``burst`` (a token bucket). Clients idle for a minute with a full bucket are forgotten."""

    def __init__(self, concurrent: int, per_minute: float, burst: int) -> None:
        self.concurrent, self.per_minute, self.burst = concurrent, per_minute, burst
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()

    @contextmanager
    def admit(self, client: str) -> Iterator[None]:
        """Count one query of ``client`` while it runs, or raise :class:`TooManyQueries`."""
        now = time.monotonic()
        rate = self.per_minute / 60.0
        with self._lock:
            self._forget(now)
            c = self._clients.setdefault(client, _Client(0, float(self.burst), now))
            c.tokens = min(float(self.burst), c.tokens + (now - c.seen) * rate)
            c.seen = now
            if c.running >= self.concurrent:
                raise TooManyQueries(
                    f"this client already runs {c.running} ad-hoc quer{'y' if c.running == 1 else 'ies'} "
                    f"at once (the limit)",
                    1,
                    "concurrent",
                )
            if c.tokens < 1:
                wait = math.ceil((1 - c.tokens) / rate) if rate > 0 else 60
                raise TooManyQueries(
                    f"this client ran more than {self.per_minute:g} ad-hoc queries a minute "
                    f"(bursts of {self.burst})",
                    wait,
                    "rate",
                )
            c.tokens -= 1
            c.running += 1
        try:
            yield
        finally:
            with self._lock:
                c.running -= 1

    def _forget(self, now: float) -> None:
        if len(self._clients) < 1000:
            return
        for key in [k for k, c in self._clients.items() if not c.running and now - c.seen > 60]:
            del self._clients[key]
