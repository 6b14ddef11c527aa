"""A worker process of :class:`graph.adhoc.pool.WorkerPool`: it opens the store read-only and runs the queries
the pool sends it, one at a time, under a memory limit.

The pool talks to it through a socket: ``("open", kind, config)`` → ``("ok", None)``, then ``("run", query,
params, limits)`` → ``("ok", QueryResult)``; a store error comes back as ``("error", class name, message,
limit)``, anything else as ``("bug", traceback)``. The worker runs at a lower CPU priority than the service
(``nice`` 10; not ``SCHED_IDLE``, under which a busy machine starves it), with one engine thread. The pool
watches its resident memory (its peak since the query was sent) and kills it past ``limits.memory_mb``. No
``RLIMIT_AS``: Ladybug reserves address space it never touches (8 TiB when it opens a database, and about
2.5 GiB more a second while it expands a variable-length path, at 30 MiB resident), and it crashes (SIGSEGV)
instead of failing when a reservation is refused. A ``MemoryError`` still answers
:class:`~graph.stores.QueryTooLarge`, after which the worker exits and is replaced.
"""

from __future__ import annotations

import os
import signal
import traceback
from multiprocessing.connection import Connection
from typing import Any

from plangraph.graph.adhoc.answer import cap_rows
from plangraph.graph.adhoc.limits import Limits
from plangraph.graph.stores import QueryTooLarge, Store, StoreError, open_store

#: the worker's CPU priority below the service's (``nice``): the service answers others first
NICE = 10


def run(store: Store, query: str, params: dict[str, Any], limits: Limits) -> Any:
    result = store.read(query, params, timeout_s=limits.timeout_s, max_rows=limits.max_rows)
    return cap_rows(
        result.rows,
        result.columns,
        truncated=result.truncated,
        max_bytes=limits.max_answer_bytes,
        max_list_items=limits.max_list_items,
    )


def main(conn: Connection) -> None:
    """The worker's loop; it ends when the pool closes the pipe or after a query ran out of memory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the service; the pool then stops us
    os.nice(NICE)
    store: Store | None = None
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            out_of_memory = False
            try:
                if message[0] == "open":
                    _, kind, config = message
                    extra = {"max_threads": 1} if kind == "ladybug" else {}
                    store = open_store(kind, **config, **extra)
                    reply: tuple[Any, ...] = ("ok", None)
                else:
                    _, query, params, limits = message
                    assert store is not None, "a query before the store was opened"
                    try:
                        reply = ("ok", run(store, query, params, limits))
                    except MemoryError:
                        raise QueryTooLarge("the answer needs more memory than the query may use") from None
            except StoreError as exc:
                out_of_memory = isinstance(exc, QueryTooLarge) and exc.limit == "memory"
                reply = ("error", type(exc).__name__, exc.message, getattr(exc, "limit", ""))
            except Exception:
                reply = ("bug", traceback.format_exc())
            conn.send(reply)
            if out_of_memory:
                return
    finally:
        if store is not None:
            store.close()
