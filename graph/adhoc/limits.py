"""The limits one ad-hoc query runs under, in one value that travels to the worker process."""

from __future__ import annotations

from dataclasses import dataclass

from plangraph.graph.stores import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S


@dataclass(frozen=True)
class Limits:
    """What one ad-hoc query may use.

    ``timeout_s``: wall-clock seconds; the engine stops the query then, and the worker is killed and
    replaced when it has not answered ``KILL_GRACE_S`` later. ``max_rows``: rows kept (the rest is left off,
    ``truncated``). ``memory_mb``: the resident memory (RSS) a worker may use while it runs the query (it
    needs about 160 MiB itself): the pool looks every ``WATCH_S`` (50 ms) and kills it past the cap.
    ``max_answer_bytes``: the answer's size as JSON; rows past it are left off
    (``truncated``), a first row over it alone is refused. ``max_list_items``: the longest list a value may
    hold.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    max_rows: int = DEFAULT_MAX_ROWS
    memory_mb: int = 512
    max_answer_bytes: int = 5_000_000
    max_list_items: int = 10_000
