"""What the running service holds: the settings, the open store, the graphs of the plans it loaded
(for exports) and the read/write discipline around reloads."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from api.settings import Settings
from graph.build import add_plan, links_beside
from graph.stores import Store, open_store
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


@dataclass
class AppState:
    settings: Settings
    store: Store
    plans: dict[str, PlanRecord] = field(default_factory=dict)
    started: float = field(default_factory=time.time)
    write_lock: threading.Lock = field(default_factory=threading.Lock)

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
        with self.write_lock:
            self.store.load(g, doc.plan.id, replace=True)
            record = PlanRecord(
                doc.plan.id, doc.source.sha256, g, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            )
            self.plans = {**self.plans, doc.plan.id: record}  # swap, never mutate: readers see old or new
        return record


def open_state(settings: Settings) -> AppState:
    """Open the configured store and load the configured plans it lacks (or whose source changed)."""
    if settings.store_kind == "neo4j":
        store = open_store(
            "neo4j",
            uri=settings.neo4j_uri or "bolt://127.0.0.1:7687",
            user=settings.neo4j_username,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
        )
    else:
        store = open_store("ladybug", path=settings.db_path)
    state = AppState(settings, store)
    present = set(store.stats().get("plans", []))
    for plan_dir in settings.plans:
        source = plan_dir / "source.txt" if plan_dir.is_dir() else plan_dir
        doc = parse_file(source)
        if doc.plan.id in present and _same_source(state, doc):
            g = nx.MultiDiGraph()
            add_plan(g, doc, links=links_beside(source))
            state.plans[doc.plan.id] = PlanRecord(doc.plan.id, doc.source.sha256, g, "already loaded")
        else:
            state.install(doc, links_beside(source))
    return state


def _same_source(state: AppState, doc: PlanDocument) -> bool:
    query = get_query("plans")
    for row in state.store.read(query.cypher, {}, max_rows=query.max_rows).records():
        if row["plan_id"] == doc.plan.id:
            return bool(row["source_sha256"] == doc.source.sha256)
    return False
