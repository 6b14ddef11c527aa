"""What the running service holds: the settings, the open store, the graphs of the plans it loaded
(for exports) and the read/write discipline around reloads."""

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

from api.settings import Settings
from graph.adhoc import ClientLimits, WorkerPool
from graph.build import add_plan, links_beside
from graph.stores import Store, StoreUnavailable, open_store
from ingest.load import find_source
from ingest.models import PlanDocument
from ingest.pipeline import parse_file
from queries.library import get_query

VERSION = "0.1.0"


@dataclass
class PlanRecord:
    plan_id: str
    sha256: str
    graph: nx.MultiDiGraph
    loaded_at: str


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
    plans: dict[str, PlanRecord] = field(default_factory=dict)
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
                {"plan_id": p.plan_id, "source_sha256": p.sha256, "loaded_at": p.loaded_at}
                for p in sorted(self.plans.values(), key=lambda r: r.plan_id)
            ],
        }

    def install(self, doc: PlanDocument, links: Path | None) -> PlanRecord:
        """Build the plan's graph and load it atomically (replacing an older version); then publish it."""
        g = nx.MultiDiGraph()
        add_plan(g, doc, links=links)
        with self.write_lock, self.consistency.writing(), self._writing():
            self.store.load(g, doc.plan.id, replace=True)
            record = PlanRecord(
                doc.plan.id, doc.source.sha256, g, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            )
            self.plans = {**self.plans, doc.plan.id: record}
            self.plan_list = None  # swap, never mutate: readers see old or new
        return record


def open_state(settings: Settings) -> AppState:
    """Open the configured store and load the configured plans it lacks (or whose source changed)."""
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
    state = AppState(settings, store, scratch=scratch)
    present = set(store.stats().get("plans", []))
    for plan_dir in settings.plans:
        source = find_source(plan_dir)
        doc = parse_file(source)
        if doc.plan.id in present and _same_source(state, doc):
            g = nx.MultiDiGraph()
            add_plan(g, doc, links=links_beside(source))
            state.plans[doc.plan.id] = PlanRecord(doc.plan.id, doc.source.sha256, g, "already loaded")
        else:
            state.install(doc, links_beside(source))
    return state


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


def _same_source(state: AppState, doc: PlanDocument) -> bool:
    query = get_query("plans")
    for row in state.store.read(query.cypher, {}, max_rows=query.max_rows).records():
        if row["plan_id"] == doc.plan.id:
            return bool(row["source_sha256"] == doc.source.sha256)
    return False
