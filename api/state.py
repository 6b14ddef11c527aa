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

from plangraph.api.settings import Settings
from plangraph.graph import corpus
from plangraph.graph.adhoc import ClientLimits, WorkerPool
from plangraph.graph.stores import Store, StoreUnavailable, open_store
from plangraph.ingest.models import PlanDocument

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
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
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
        return graph


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
            store = open_store("ladybug", path=path)
        except StoreUnavailable as exc:
            if settings.db_path is None:
                raise
            raise StoreUnavailable(
                f"{exc.message} — {_rebuild_hint(settings.db_path, exc.message)}"
            ) from None
    return AppState(settings, store, scratch=scratch)


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
