"""What the running service holds: the settings, the open store and the read/write discipline around
uploads and reloads. It holds no plans of its own: the store is the single source of truth (plans come
in through :mod:`graph.corpus`, by ``plangraph add`` or an upload, and exports read them back)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from plangraph.api.versions import FileWatch, fingerprint
from plangraph.graph import corpus
from plangraph.graph.adhoc import ClientLimits, WorkerPool
from plangraph.graph.stores import Store, StoreUnavailable, open_store
from plangraph.ingest.models import PlanDocument
from plangraph.settings import Settings

VERSION = "0.1.0"


class ReadWriteLock:
    """Many requests read at once; a reload writes alone. A waiting reload goes first: requests that come
    after it wait until it is done, so it is not starved. No owner: it may be released by another thread."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        self.acquire_read()
        try:
            yield
        finally:
            self.release_read()

    def try_read(self) -> bool:
        """Take the read side if no reload writes or waits (never blocks: fit for the event loop)."""
        with self._cond:
            if self._writing or self._waiting:
                return False
            self._readers += 1
            return True

    def acquire_read(self) -> None:
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1

    def release_read(self) -> None:
        """Give the read side back (never blocks)."""
        with self._cond:
            self._readers -= 1
            if not self._readers:
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


@dataclass
class AppState:
    settings: Settings
    store: Store
    started: float = field(default_factory=time.time)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    #: requests read under it, a reload writes under it: a request sees one version of a plan, never a
    #: mix (Neo4j reads are only read-committed, and a request runs several queries)
    consistency: ReadWriteLock = field(default_factory=ReadWriteLock)
    #: (monotonic time, plan ids) of the last look at the store's plans; see services.plan_ids
    plan_list: tuple[float, list[str]] | None = None
    #: the worker processes that run ad-hoc Cypher (started by the first ad-hoc query), per-client limits
    pool: WorkerPool | None = None
    clients: ClientLimits = field(init=False)
    #: a temporary folder holding the store file, removed by close()
    scratch: Path | None = None
    #: a Ladybug file served read-only, watched for writes by other processes (see api.versions)
    watch: FileWatch | None = None
    #: bumped by every write through this service and every reopen of a watched file
    generation: int = 0
    #: (monotonic time, digest of the store's plan rows) of the last look, for stores others write (Neo4j)
    plans_seen: tuple[float, str] | None = None

    def __post_init__(self) -> None:
        s = self.settings
        self.clients = ClientLimits(s.cypher_per_client, s.cypher_rate_per_min, s.cypher_burst)
        self._pool_lock = threading.Lock()

    def adhoc(self) -> WorkerPool:
        """The pool that runs ad-hoc Cypher on this state's store (started on first use)."""
        with self._pool_lock:
            if self.pool is None:
                self.pool = WorkerPool.for_store(self.store, self.settings.cypher_workers)
            return self.pool

    def _writing(self) -> contextlib.AbstractContextManager[None]:
        """The query workers wait while the store is written, and see the new version afterwards."""
        pool = self.pool
        return pool.writing() if pool is not None else contextlib.nullcontext()

    def close_pool(self) -> None:
        with self._pool_lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.close()

    def close(self) -> None:
        """Stop the workers, close the store, remove the temporary store file."""
        self.close_pool()
        self.store.close()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def version(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "store": self.store.kind,
            "plans": [
                {"plan_id": r["plan_id"], "title": r["title"], "source_sha256": r["source_sha256"]}
                for r in corpus.held(self.store)
            ],
        }

    def install(self, doc: PlanDocument) -> nx.MultiDiGraph:
        """Build the plan's graph and install it atomically (replacing an older version) through the corpus
        service, with the query workers held off the store file meanwhile; the graph written."""
        graph = corpus.build(doc)
        with self.write_lock, self.consistency.writing(), self._writing():
            corpus.install(self.store, graph, doc.plan.id)
            self.plan_list = None  # the next request reads the store's plans again
            self.generation += 1
        return graph

    # -- the store's version (api.versions) -----------------------------------------------------------
    def cached_version(self) -> str | None:
        """The version of what the store holds if it is known without asking the store (a ``stat`` or two
        at most); None when :meth:`data_version` must look (it may block: not on the event loop)."""
        if self.watch is not None:  # looked at once a millisecond at most (api.versions.LOOK_EVERY_S)
            return None if self.watch.changed(now=time.monotonic()) else str(self.generation)
        if self.store.kind == "ladybug":  # held read-write: only this process writes it
            return str(self.generation)
        seen = self.plans_seen
        if seen is None or time.monotonic() - seen[0] >= self.settings.plan_list_ttl_s:
            return None
        return f"{self.generation}-{seen[1]}"

    def data_version(self) -> str:
        """The version of what the store holds: reopens a watched file another process wrote, reads the
        plan rows of a store others write when the last look is older than PLANGRAPH_PLAN_LIST_TTL_S."""
        known = self.cached_version()
        if known is not None:
            return known
        if self.watch is not None:
            self._reopen()
            return str(self.generation)
        self.plans_seen = (time.monotonic(), fingerprint(corpus.held(self.store)))
        return f"{self.generation}-{self.plans_seen[1]}"

    def _reopen(self) -> None:
        """Open the watched file afresh (a read-only store sees the file as it was when opened): the new
        store is opened beside the old one, swapped in once the requests under way are done (a request sees
        one version), the old one closed; then the query workers start afresh on the file."""
        assert self.watch is not None
        with self.write_lock:
            if not self.watch.changed():
                return  # another request reopened it meanwhile
            self.watch.mark()
            fresh = open_store("ladybug", path=self.watch.path, read_only=True)
            with self.consistency.writing():
                old, self.store = self.store, fresh
                self.plan_list = None
                self.generation += 1
            old.close()
            pool = self.pool
        if pool is not None:
            with pool.writing():  # nothing to hold off: the workers read their own snapshot meanwhile
                pass


def open_state(settings: Settings) -> AppState:
    """Open the configured store; nothing is parsed: the service serves what the store holds."""
    scratch = None
    if settings.store_kind == "neo4j":
        store = open_store("neo4j", **settings.neo4j_config())
    else:
        path = settings.db_path
        if path is None:  # the query workers open the store file too: a private one
            scratch = Path(tempfile.mkdtemp(prefix="plangraph-store-"))
            path = scratch / "plangraph.lbug"
        try:
            if settings.db_path is not None and settings.token is None:
                store, watch = _open_read_only(path)
                return AppState(settings, store, watch=watch)
            store = open_store("ladybug", path=path)
        except StoreUnavailable as exc:
            if settings.db_path is None:
                raise
            raise StoreUnavailable(
                f"{exc.message} — {_rebuild_hint(settings.db_path, exc.message)}"
            ) from None
    return AppState(settings, store, scratch=scratch)


def _open_read_only(path: Path) -> tuple[Store, FileWatch]:
    """A store file served with writes switched off: opened read-only, so that ``plangraph add`` in another
    process can write it meanwhile (the service reopens it afterwards). A file that does not exist yet is
    created first (an empty store); ``plangraph add`` brings an older file's schema up to date."""
    if not path.exists():
        open_store("ladybug", path=path).close()
    watch = FileWatch(path)
    return open_store("ladybug", path=path, read_only=True), watch


def _rebuild_hint(path: Path, message: str) -> str:
    """What to do about an embedded store file that does not open."""
    if "lock" in message.lower():
        return f"another process has {path} open: stop it, or serve from a copy of the file"
    if path.is_dir():
        return (
            f"{path} is a directory: PLANGRAPH_DB_PATH (--db) names a store file; "
            "build one with: plangraph load --db FILE"
        )
    return f"if it is damaged or not a PlanGraph store, delete it and rebuild it: plangraph load --db {path}"
