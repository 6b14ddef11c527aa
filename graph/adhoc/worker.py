"""A worker process of :class:`graph.adhoc.pool.WorkerPool`: it opens the store read-only and runs the
queries the pool sends it, one at a time, under a memory limit.

The pool talks to it through a pipe: ``("open", kind, config)`` → ``("ok", None)``, then
``("run", query, params, limits)`` → ``("ok", QueryResult)``; a store error comes back as
``("error", class name, message, limit)``, anything else as ``("bug", traceback)``. The worker runs at a
lower CPU priority than the service, with one engine thread. The pool watches its resident memory; as a
backstop its address space may grow by ``ADDRESS_SPACE_FACTOR × limits.memory_mb`` beyond what it uses once
the store is open (``RLIMIT_AS``): an allocation past that fails in the engine (``std::bad_alloc``) or in
Python (``MemoryError``), and the query answers :class:`~graph.stores.QueryTooLarge`. After that the worker
exits, and the pool starts a fresh one.
"""

from __future__ import annotations

import os
import resource
import signal
import traceback
from multiprocessing.connection import Connection
from typing import Any

from graph.adhoc.answer import cap_rows
from graph.adhoc.limits import ADDRESS_SPACE_FACTOR, Limits
from graph.stores import QueryTooLarge, Store, StoreError, open_store

#: the worker's CPU priority below the service's (``nice``): the service answers others first
NICE = 10


def address_space() -> int:
    """Bytes of address space this process uses now (``VmSize``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def limit_memory(extra_mb: int, base: int) -> None:
    """Let the address space grow ``extra_mb`` MiB past ``base`` (the soft limit; the hard one stays)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = base + extra_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def unlimit_memory() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


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
    base = 0
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
                    base = address_space()
                    reply: tuple[Any, ...] = ("ok", None)
                else:
                    _, query, params, limits = message
                    assert store is not None, "a query before the store was opened"
                    limit_memory(ADDRESS_SPACE_FACTOR * limits.memory_mb, base)
                    try:
                        reply = ("ok", run(store, query, params, limits))
                    except MemoryError:
                        raise QueryTooLarge("the answer needs more memory than the query may use") from None
            except StoreError as exc:
                out_of_memory = isinstance(exc, QueryTooLarge) and exc.limit == "memory"
                reply = ("error", type(exc).__name__, exc.message, getattr(exc, "limit", ""))
            except Exception:
                reply = ("bug", traceback.format_exc())
            finally:
                unlimit_memory()
            conn.send(reply)
            if out_of_memory:
                return
    finally:
        if store is not None:
            store.close()
