"""The pool of worker processes that runs ad-hoc Cypher, where a query can be stopped for real.

A query goes to an idle worker (:mod:`graph.adhoc.worker`) and the caller waits at most
``limits.timeout_s + KILL_GRACE_S`` for the answer. The engines stop most queries at ``timeout_s``
themselves; one that does not (Ladybug materialising ``range(1, 2e8)``) is stopped by killing its worker,
which is replaced. A worker out of memory answers :class:`~graph.stores.QueryTooLarge` and is replaced too.
The service's own process never holds an ad-hoc query's rows beyond the answer's caps.

Ladybug: a worker opens the store file read-only while the service holds it read-write (the engine
allows it) and sees the file as it was when it opened it. The service writes inside
:meth:`WorkerPool.writing`: no worker opens the file meanwhile (a read-only open during a write or a
checkpoint could read a half-written file), and afterwards the store is checkpointed (a worker would
otherwise replay the whole write-ahead log into its own memory) and idle workers are replaced by fresh ones.
New workers open the store ahead of time, so a query rarely waits for one. Neo4j: each worker has its own
driver; the server enforces its own transaction timeout and memory limits as well.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from plangraph.graph.adhoc.limits import Limits
from plangraph.graph.stores import (
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
#: how long a Neo4j worker whose query overran may take to get the server's answer before it is killed
DRAIN_S = 5.0
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


#: the folder that holds the ``plangraph`` package, for the workers' import path (not resolved: in a
#: checkout, plangraph/graph is a link to graph/)
_ROOT = str(Path(__file__).parents[3])


def resident_bytes(pid: int) -> int:
    """The resident memory of process ``pid`` (0 once it has exited)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def reset_peak(pid: int) -> bool:
    """Make the current resident memory of ``pid`` its peak (Linux ``clear_refs`` 5); False if refused."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def peak_resident_bytes(pid: int) -> int:
    """The highest resident memory of ``pid`` since :func:`reset_peak` (``VmHWM``; 0 once it has exited)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class OverMemory(Exception):
    """The worker passed its resident memory cap and was killed."""


class _Worker:
    """A worker process (``python -m plangraph.graph.adhoc FD``, see :mod:`graph.adhoc.worker`) and our end
    of its socket. A new process, not a fork: the service has engine threads, and a fork would not
    have them."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")])),
        }
        with theirs:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "plangraph.graph.adhoc", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
            )
        self.conn = Connection(ours.detach())
        #: the pool's generation when this worker opened the store (None: not opened yet)
        self.generation: int | None = None
        #: the thread that opens the store in it ahead of time, and what went wrong there
        self.warming: threading.Thread | None = None
        #: whether :meth:`rss` is the peak since the last message (see :meth:`wait`)
        self.peaks = False
        #: False while ``warming`` runs
        self.warmed = True
        self.failure: StoreError | None = None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, message: tuple[Any, ...], wait_s: float, max_rss: int = 0) -> tuple[Any, ...] | None:
        """Send ``message``; the reply, or None when none came within ``wait_s``. EOFError: it died.
        ``max_rss``: kill it when its resident memory passes that many bytes (:class:`OverMemory`)."""
        self.peaks = max_rss > 0 and reset_peak(self.proc.pid)
        self.conn.send(message)
        return self.wait(wait_s, max_rss)

    def wait(self, wait_s: float, max_rss: int = 0) -> tuple[Any, ...] | None:
        """The reply to the last message, as :meth:`ask`. The memory looked at is the worker's peak since
        the message was sent, so a query that passes the cap between two looks, or just before it answers,
        is caught too (where the kernel refuses to reset the peak: the memory at each look)."""
        conn: Connection = self.conn
        deadline = time.monotonic() + wait_s
        while True:
            answered = conn.poll(min(WATCH_S, max(0.0, deadline - time.monotonic())))
            if max_rss and self.rss() > max_rss:
                self.proc.kill()
                raise OverMemory
            if answered:
                break
            if time.monotonic() >= deadline:
                return None
        reply: tuple[Any, ...] = conn.recv()
        return reply

    def rss(self) -> int:
        """The memory the cap is held against: the peak since the last message, or the present one."""
        return peak_resident_bytes(self.proc.pid) if self.peaks else resident_bytes(self.proc.pid)

    def stop(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes for one store.

    >>> from plangraph.graph.stores import open_store
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
        self.size = size
        self._config = dict(config)
        self._store = store
        self._cond = threading.Condition()
        #: held while a worker opens the store, and by :meth:`writing` while the store is written
        self._opening = threading.Lock()
        self._generation = 0
        self._closed = False
        self._busy: set[_Worker] = set()
        self._settle()
        self._idle = [self._spawn() for _ in range(size)]

    @classmethod
    def for_store(cls, store: Store, size: int = 2) -> WorkerPool:
        """A pool whose workers open ``store`` (a Ladybug file or a Neo4j database) read-only."""
        reopen = getattr(store, "reopen_config", None)
        if reopen is None:
            raise StoreUnavailable(f"ad-hoc Cypher cannot run in worker processes on {store.location}")
        return cls(store.kind, reopen(), size, store=store)

    # -- running ------------------------------------------------------------------------------------------
    def run(self, query: str, params: Mapping[str, Any], limits: Limits) -> QueryResult:
        """Run one read-only statement in a worker under ``limits``. The time limit counts from now: a
        query that waits for a free worker (or for a fresh one to open the store) has that much less to
        run, and none left is :class:`PoolBusy`; so every answer comes within ``timeout_s + KILL_GRACE_S``
        and a few milliseconds. :meth:`wait_ready` first, to leave the start of the workers out."""
        check_read_only(query)
        deadline = time.monotonic() + limits.timeout_s
        w: _Worker | None = self._acquire(deadline, limits.timeout_s)
        assert w is not None
        healthy = False
        try:
            w = self._ready(w)
            left = deadline - time.monotonic()
            if left < WATCH_S:
                raise PoolBusy(
                    f"no query worker was ready within timeout_s={limits.timeout_s:g} s", limits.timeout_s
                )
            message = ("run", query, dict(params), replace(limits, timeout_s=left))
            try:
                reply = w.ask(message, left + KILL_GRACE_S, limits.memory_mb * 1024 * 1024)
            except OverMemory:
                raise QueryTooLarge(
                    f"the query used more than {limits.memory_mb} MiB of memory; its worker was killed"
                ) from None
            except (EOFError, OSError):
                raise QueryTooLarge(self._died(w, "running the query")) from None
            if reply is None:
                if self.kind == "neo4j":
                    # the server stops it too (its transaction timeout, checked every few hundred ms):
                    # the worker waits for that in the background instead of a new one taking seconds to start
                    drain, w = w, None
                    threading.Thread(target=self._drain, args=(drain, limits), daemon=True).start()
                raise QueryTimeout(
                    f"the query ran longer than timeout_s={limits.timeout_s:g} s and was stopped"
                )
            # a worker out of memory exits after its answer; a bug may have left it in any state
            healthy = reply[0] == "ok" or (reply[0] == "error" and reply[3] != "memory")
            return self._answer(reply, limits.timeout_s)
        finally:
            if w is not None:
                self._release(w, healthy)

    def _drain(self, w: _Worker, limits: Limits) -> None:
        """Wait for the answer of the query ``w`` still runs; then it serves again (or is replaced)."""
        try:
            healthy = w.wait(DRAIN_S, limits.memory_mb * 1024 * 1024) is not None
        except (OverMemory, EOFError, OSError):
            healthy = False
        self._release(w, healthy)

    def _ready(self, w: _Worker) -> _Worker:
        """``w`` with the store open: wait for its start, or open it here (a fresh worker in its place when
        it opened an older version of the Ladybug file)."""
        if w.warming is not None:
            w.warming.join()
        if w.failure is not None:
            failure, w.failure = w.failure, None
            raise failure
        if w.generation == self._generation:
            return w
        if w.generation is not None:
            fresh = _Worker()
            with self._cond:
                self._busy.discard(w)
                self._busy.add(fresh)
            w.stop()
            w = fresh
        self._open(w)
        return w

    def wait_ready(self, wait_s: float = START_TIMEOUT_S) -> None:
        """Wait until every worker is idle with the store open (raise what went wrong if one could not
        open it); at most ``wait_s`` for the busy ones."""
        deadline = time.monotonic() + wait_s
        with self._cond:
            while self._busy and not self._closed and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            workers = list(self._idle)
        for w in workers:
            if w.warming is not None:
                w.warming.join()
            if w.failure is not None:
                raise w.failure

    def _open(self, w: _Worker) -> None:
        with self._opening:
            generation = self._generation
            try:
                reply = w.ask(("open", self.kind, self._config), START_TIMEOUT_S)
            except (EOFError, OSError):
                raise StoreUnavailable(self._died(w, "opening the store")) from None
        if reply is None:
            raise StoreUnavailable(f"a query worker did not open the store within {START_TIMEOUT_S:g} s")
        self._answer(reply, 0)
        w.generation = generation

    def _warm(self, w: _Worker) -> None:
        """Open the store in a new worker before a query needs it (in a thread of its own)."""
        try:
            self._open(w)
        except StoreError as exc:  # the query that takes this worker answers it
            w.failure = exc
        finally:
            with self._cond:
                w.warmed = True
                self._cond.notify_all()

    @staticmethod
    def _died(w: _Worker, doing: str) -> str:
        try:
            code = w.proc.wait(1)
        except subprocess.TimeoutExpired:
            code = None
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited ({code})"
        return (
            f"the worker process {how} while {doing}: most likely out of memory (the query needed more "
            "memory than it may use)"
        )

    @staticmethod
    def _answer(reply: tuple[Any, ...], timeout_s: float) -> Any:
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "error":
            _, name, message, limit = reply
            if name == "QueryTooLarge":
                raise QueryTooLarge(message, limit)
            if name == "QueryTimeout":  # the worker saw what was left of the time, the caller gave all
                message = f"the query ran longer than timeout_s={timeout_s:g} s and was stopped"
            raise _ERRORS.get(name, StoreError)(message)
        raise RuntimeError(f"a query worker failed:\n{reply[1]}")

    # -- workers ------------------------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        w = _Worker()
        w.warmed = False
        w.warming = threading.Thread(target=self._warm, args=(w,), name="plangraph-worker-start", daemon=True)
        w.warming.start()
        return w

    def _acquire(self, deadline: float, timeout_s: float) -> _Worker:
        """An idle worker that has opened the store (or failed to: the query answers that), waiting for
        one until ``deadline``."""
        with self._cond:
            while not (ready := [w for w in self._idle if w.warmed]):
                if self._closed:
                    raise StoreUnavailable("the query worker pool is closed")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PoolBusy(
                        f"no query worker was free within timeout_s={timeout_s:g} s "
                        f"({self.size} workers; busy, or starting after a kill)",
                        max(1.0, timeout_s),
                    )
                self._cond.wait(left)
            if self._closed:
                raise StoreUnavailable("the query worker pool is closed")
            w = ready[0]
            self._idle.remove(w)
            self._busy.add(w)
            return w

    def _release(self, w: _Worker, healthy: bool) -> None:
        with self._cond:
            self._busy.discard(w)
        if not healthy or not w.alive():
            # killed at its deadline, out of memory or broken: a fresh one takes its place (reaping the old
            # one can take a while, so not in the caller's time)
            if w.alive():
                w.proc.kill()
            threading.Thread(target=w.stop, daemon=True).start()
            w = self._spawn()
        with self._cond:
            if self._closed:
                w.stop()
                return
            self._idle.append(w)
            self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold off workers opening the store while this process writes it; afterwards Ladybug workers
        start afresh (they see the file as it was when they opened it). Queries that run meanwhile keep
        the old version: call it where no query runs (under the caller's write lock)."""
        with self._opening:
            yield
        if self.kind != "ladybug":
            return
        self._settle()
        with self._cond:
            self._generation += 1
            stale, self._idle = self._idle, []
        fresh = [self._spawn() for _ in stale]
        for w in stale:
            if w.warming is not None:
                w.warming.join()
            w.stop()
        with self._cond:
            self._idle.extend(fresh)
            self._cond.notify_all()

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
