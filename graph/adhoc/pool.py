"""The pool of worker processes that runs ad-hoc Cypher, where a query can be stopped for real.

A query goes to an idle worker (:mod:`graph.adhoc.worker`) and the caller waits at most
``limits.timeout_s + KILL_GRACE_S`` for the answer. The engines stop most queries at ``timeout_s``
themselves; one that does not (Ladybug materialising ``range(1, 2e8)``) is stopped by killing its worker,
which is replaced. A worker out of memory answers :class:`~graph.stores.QueryTooLarge` and is replaced too.
The service's own process never holds an ad-hoc query's rows beyond the answer's caps.

Ladybug: a worker opens the store file read-only while the service holds it read-write (the engine
allows it) and sees the file as it was when it opened it; :meth:`WorkerPool.refresh` after a load makes
every worker start afresh before its next query. Workers open the file when a query needs them, so a
caller that holds off writes while it queries (the API's read lock) never has a worker open the file in the
middle of a write or checkpoint. Neo4j: each worker has its own driver; the server enforces its own
transaction timeout and memory limits as well.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.adhoc.limits import Limits
from graph.stores import (
    LoadFailed,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    QueryTooLarge,
    Store,
    StoreError,
    StoreUnavailable,
    check_read_only,
)

#: how long after its deadline a worker that has not answered is killed
KILL_GRACE_S = 0.5
#: how often the pool looks at a running worker's resident memory
WATCH_S = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE")
#: how long a new worker may take to start and open the store
START_TIMEOUT_S = 60.0
_ERRORS: dict[str, type[StoreError]] = {
    cls.__name__: cls for cls in (QueryRefused, QueryTimeout, QueryTooLarge, StoreUnavailable, LoadFailed)
}


class PoolBusy(StoreError):
    """Every worker was busy for as long as the query could wait; ``retry_after_s`` says when to retry."""

    code = "E306"

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


#: the folder that holds the ``graph`` package, for the workers' import path
_ROOT = str(Path(__file__).resolve().parents[2])


class OverMemory(Exception):
    """The worker passed its resident memory cap and was killed."""


class _Worker:
    """A worker process (``python -m graph.adhoc FD``, see :mod:`graph.adhoc.worker`) and our end of its socket. A new process,
    not a fork: the service has engine threads, and a fork would not have them."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")]))}
        with theirs:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "graph.adhoc", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
            )
        self.conn = Connection(ours.detach())
        #: the pool's generation when this worker opened the store (None: not opened yet)
        self.generation: int | None = None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, message: tuple[Any, ...], wait_s: float, max_rss: int = 0) -> tuple[Any, ...] | None:
        """Send ``message``; the reply, or None when none came within ``wait_s``. EOFError: it died.
        ``max_rss``: kill it when its resident memory passes that many bytes (:class:`OverMemory`)."""
        conn: Connection = self.conn
        conn.send(message)
        deadline = time.monotonic() + wait_s
        while not conn.poll(min(WATCH_S, max(0.0, deadline - time.monotonic()))):
            if max_rss and self.rss() > max_rss:
                self.proc.kill()
                raise OverMemory
            if time.monotonic() >= deadline:
                return None
        reply: tuple[Any, ...] = conn.recv()
        return reply

    def rss(self) -> int:
        """Resident bytes (0 once it has exited)."""
        try:
            with open(f"/proc/{self.proc.pid}/statm", encoding="ascii") as statm:
                return int(statm.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def stop(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes for one store.

    >>> from graph.stores import open_store
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "doc.lbug"
    >>> store = open_store("ladybug", path=path)
    >>> pool = WorkerPool.for_store(store, size=1)
    >>> pool.run("RETURN 1 + 1 AS two", {}, Limits(timeout_s=5)).rows
    [[2]]
    >>> pool.close(); store.close()
    """

    def __init__(
        self, kind: str, config: Mapping[str, Any], size: int = 2, *, store: Store | None = None
    ) -> None:
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {size}")
        self.kind = kind
        self._config = dict(config)
        self._store = store
        self._settle()
        self._cond = threading.Condition()
        self._generation = 0
        self._closed = False
        self._idle = [_Worker() for _ in range(size)]
        self._busy: set[_Worker] = set()
        self.size = size

    @classmethod
    def for_store(cls, store: Store, size: int = 2) -> WorkerPool:
        """A pool whose workers open ``store`` (a Ladybug file or a Neo4j database) read-only."""
        reopen = getattr(store, "reopen_config", None)
        if reopen is None:
            raise StoreUnavailable(f"ad-hoc Cypher cannot run in worker processes on {store.location}")
        return cls(store.kind, reopen(), size, store=store)

    # -- running ------------------------------------------------------------------------------------------
    def run(
        self, query: str, params: Mapping[str, Any], limits: Limits, *, wait_s: float | None = None
    ) -> QueryResult:
        """Run one read-only statement in a worker under ``limits``; wait at most ``wait_s`` (default:
        ``limits.timeout_s``) for a free worker, else :class:`PoolBusy`."""
        check_read_only(query)
        w = self._acquire(limits.timeout_s if wait_s is None else wait_s)
        healthy = False
        try:
            w = self._current(w)
            self._open(w)
            started = time.monotonic()
            message = ("run", query, dict(params), limits)
            try:
                reply = w.ask(message, limits.timeout_s + KILL_GRACE_S, limits.memory_mb * 1024 * 1024)
            except OverMemory:
                raise QueryTooLarge(
                    f"the query used more than {limits.memory_mb} MiB of memory; its worker was killed"
                ) from None
            except (EOFError, OSError):
                raise QueryTooLarge(self._died(w, "running the query")) from None
            if reply is None:
                elapsed = time.monotonic() - started
                raise QueryTimeout(
                    f"the query ran longer than timeout_s={limits.timeout_s:g} s and was stopped "
                    f"(its worker was killed after {elapsed:.1f} s)"
                )
            # a worker out of memory exits after its answer; a bug may have left it in any state
            healthy = reply[0] == "ok" or (reply[0] == "error" and reply[3] != "memory")
            return self._answer(reply)
        finally:
            self._release(w, healthy)

    def _current(self, w: _Worker) -> _Worker:
        """``w``, or a fresh worker in its place when ``w`` opened an older version of the Ladybug file."""
        if w.generation is None or w.generation == self._generation:
            return w
        fresh = _Worker()
        with self._cond:
            self._busy.discard(w)
            self._busy.add(fresh)
        w.stop()
        return fresh

    def _open(self, w: _Worker) -> None:
        """Have ``w`` open the store, unless it has."""
        if w.generation == self._generation:
            return
        try:
            reply = w.ask(("open", self.kind, self._config), START_TIMEOUT_S)
        except (EOFError, OSError):
            raise StoreUnavailable(self._died(w, "opening the store")) from None
        if reply is None:
            raise StoreUnavailable(f"a query worker did not open the store within {START_TIMEOUT_S:g} s")
        self._answer(reply)
        w.generation = self._generation

    @staticmethod
    def _died(w: _Worker, doing: str) -> str:
        try:
            code = w.proc.wait(1)
        except subprocess.TimeoutExpired:
            code = None
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited ({code})"
        return (
            f"the worker process {how} while {doing}: most likely at its memory backstop (the query "
            "needed more memory than it may use)"
        )

    @staticmethod
    def _answer(reply: tuple[Any, ...]) -> Any:
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "error":
            _, name, message, limit = reply
            if name == "QueryTooLarge":
                raise QueryTooLarge(message, limit)
            raise _ERRORS.get(name, StoreError)(message)
        raise RuntimeError(f"a query worker failed:\n{reply[1]}")

    # -- workers ------------------------------------------------------------------------------------------
    def _acquire(self, wait_s: float) -> _Worker:
        deadline = time.monotonic() + wait_s
        with self._cond:
            while not self._idle:
                if self._closed:
                    raise StoreUnavailable("the query worker pool is closed")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PoolBusy(
                        f"all {self.size} query workers stayed busy for {wait_s:g} s", max(1.0, wait_s)
                    )
                self._cond.wait(left)
            if self._closed:
                raise StoreUnavailable("the query worker pool is closed")
            w = self._idle.pop()
            self._busy.add(w)
            return w

    def _release(self, w: _Worker, healthy: bool) -> None:
        with self._cond:
            self._busy.discard(w)
        if not healthy or not w.alive():
            w.stop()  # killed at its deadline, out of memory or broken: a fresh one takes its place
            w = _Worker()
        with self._cond:
            if self._closed:
                w.stop()
                return
            self._idle.append(w)
            self._cond.notify()

    def refresh(self) -> None:
        """The store changed (a plan was loaded or dropped): Ladybug workers reopen it before their next
        query. Call it while no query runs (under the caller's write lock)."""
        if self.kind == "ladybug":
            self._settle()
            with self._cond:
                self._generation += 1

    def _settle(self) -> None:
        """Checkpoint the store this process writes, so that workers read the file instead of replaying
        its log into their memory (:meth:`graph.stores.ladybug_store.LadybugStore.checkpoint`)."""
        checkpoint = getattr(self._store, "checkpoint", None)
        if checkpoint is not None:
            checkpoint()

    def pids(self) -> list[int]:
        """The process ids of the workers (for measurements)."""
        with self._cond:
            return [w.proc.pid for w in [*self._idle, *self._busy]]

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for w in idle:
            w.stop()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
