"""Load benchmark: batched loads against the naive one-query-per-element loader, and 100 plans per store.

1. The bundled plan's graph loaded by the stores' batched loader (``UNWIND $rows … MERGE`` per label and
   per relationship type, one transaction) and by a naive loader (one auto-committed query per node and
   per relationship, the py2neo-era ``graph.merge(node)`` pattern), into the same store in the same run:
   the ratio and elements/s.
2. The bundled plan under 100 distinct plan ids loaded one after the other into Ladybug (a file) and
   into Neo4j: total time, elements/s, and memory (Ladybug: the process RSS delta and the file size;
   Neo4j: the JVM's RSS from ``.neo4j-data/neo4j.pid``, its heap, and the database directory's size).

Neo4j settings come from NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE (default: the local
server of ``make neo4j-start``). Without a server the Neo4j part is skipped, saying so. The bench writes
plans ``bench-…`` and drops them afterwards. Prints figures; asserts nothing.

    python bench/load.py [--plans 100] [--no-neo4j]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plangraph.graph.build import build_graph, links_beside  # noqa: E402
from plangraph.graph.schema import KEY, quote  # noqa: E402
from plangraph.graph.stores import StoreUnavailable  # noqa: E402
from plangraph.graph.stores import ladybug_store as ls  # noqa: E402
from plangraph.graph.stores.ladybug_store import LadybugStore  # noqa: E402
from plangraph.graph.stores.neo4j_store import Neo4jStore  # noqa: E402
from plangraph.graph.stores.rows import plan_rows, relabel_plan  # noqa: E402
from plangraph.ingest.pipeline import parse_file  # noqa: E402

SOURCE = ROOT / "data" / "plans" / "informatization-14fyp" / "source.txt"
NEO4J_DATA = Path(os.environ.get("NEO4J_DATA_DIR", ROOT / ".neo4j-data"))


# -- measuring --------------------------------------------------------------------------------------
def rss_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def mib(kib_or_bytes: float, *, kib: bool = True) -> str:
    return f"{kib_or_bytes / (1024 if kib else 1024 * 1024):.1f} MiB"


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def neo4j_config() -> dict[str, str]:
    """The Neo4j server of the NEO4J_* environment (default: the local one of ``make neo4j-start``)."""
    return {
        "uri": os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
        "user": os.environ.get("NEO4J_USERNAME", "neo4j"),
        "password": os.environ.get("NEO4J_PASSWORD", "plangraph-dev"),
        "database": os.environ.get("NEO4J_DATABASE", "neo4j"),
    }


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# -- the naive loaders: one auto-committed query per element ----------------------------------------
def naive_neo4j(store: Neo4jStore, graph: nx.MultiDiGraph, plan_id: str) -> None:
    rows = plan_rows(graph, plan_id)
    with store._driver.session(database=store.database) as session:
        for label, items in rows.nodes.items():
            for row in items:
                session.run(
                    f"MERGE (n:{quote(label)} {{{quote(KEY)}: $eid}}) SET n += $props",
                    eid=row[KEY],
                    props=row,
                ).consume()
        for (typ, src, dst), items in rows.rels.items():
            query = (
                f"MATCH (a:{quote(src)} {{{quote(KEY)}: $s}}) MATCH (b:{quote(dst)} {{{quote(KEY)}: $t}}) "
                f"MERGE (a)-[r:{quote(typ)}]->(b) SET r += $props"
            )
            for r in items:
                session.run(query, s=r["s"], t=r["t"], props=r["props"]).consume()


def naive_ladybug(store: LadybugStore, graph: nx.MultiDiGraph, plan_id: str) -> None:
    rows = plan_rows(graph, plan_id)
    conn = store._conn
    for label, items in rows.nodes.items():
        names = [p.name for p in ls.NODE_LABELS[label].props]
        query = ls._node_query(label)
        for row in items:
            conn.execute(query, {"rows": [{n: row.get(n) for n in names}]})
    for (typ, src, dst), items in rows.rels.items():
        names = [p.name for p in ls.REL_TYPES[typ].props]
        query = ls._rel_query(typ, src, dst)
        for r in items:
            conn.execute(
                query, {"rows": [{"s": r["s"], "t": r["t"], **{n: r["props"].get(n) for n in names}}]}
            )


def compare(name: str, store: Any, graph: nx.MultiDiGraph, naive: Callable[..., None]) -> None:
    elements = graph.number_of_nodes() + graph.number_of_edges()
    store.load(relabel_plan(graph, "bench-warm"), "bench-warm")  # warm caches and plans for both
    store.drop_plan("bench-warm")
    store.drop_plan("bench-x")
    t_naive = timed(lambda: naive(store, relabel_plan(graph, "bench-x"), "bench-x"))
    store.drop_plan("bench-x")
    t_batch = timed(lambda: store.load(relabel_plan(graph, "bench-x"), "bench-x"))
    store.drop_plan("bench-x")
    print(
        f"{name:<8} naive {t_naive:7.2f} s ({elements / t_naive:8.0f} el/s)   batched {t_batch:6.2f} s "
        f"({elements / t_batch:8.0f} el/s)   batched is {t_naive / t_batch:5.1f}x faster"
    )


def hundred(name: str, store: Any, graphs: list[nx.MultiDiGraph]) -> float:
    elements = sum(g.number_of_nodes() + g.number_of_edges() for g in graphs)
    started = time.perf_counter()
    slowest = 0.0
    for g in graphs:
        plan_id = next(a["plan_id"] for _, a in g.nodes(data=True) if a.get("plan_id"))
        slowest = max(slowest, timed(lambda g=g, plan_id=plan_id: store.load(g, plan_id)))
    total = time.perf_counter() - started
    stats = store.stats()
    print(
        f"{name:<8} {len(graphs)} plans: {total:6.1f} s ({total / len(graphs):.2f} s/plan, "
        f"slowest {slowest:.2f} s, "
        f"{elements / total:6.0f} el/s); store holds {stats['node_count']} nodes, "
        f"{stats['relationship_count']} relationships"
    )
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=100)
    ap.add_argument("--no-neo4j", action="store_true")
    args = ap.parse_args()

    graph = build_graph(parse_file(SOURCE), links=links_beside(SOURCE))
    elements = graph.number_of_nodes() + graph.number_of_edges()
    print(
        f"bundled plan: {graph.number_of_nodes()} nodes + {graph.number_of_edges()} relationships "
        f"= {elements} elements"
    )
    ids = [f"bench-{i:03d}" for i in range(args.plans)]
    graphs = [relabel_plan(graph, plan_id) for plan_id in ids]

    print("\n1. batched vs naive (same graph, same run)")
    with LadybugStore() as mem:
        compare("ladybug", mem, graph, naive_ladybug)
    neo4j = None
    if not args.no_neo4j:
        cfg = neo4j_config()
        try:
            neo4j = Neo4jStore(**cfg)
        except StoreUnavailable as exc:
            print(f"neo4j    not running, skipped: {exc}")
    if neo4j is not None:
        compare("neo4j", neo4j, graph, naive_neo4j)

    print(f"\n2. {args.plans} plans (the bundled plan under {args.plans} ids), one load each")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lbug"
        rss0 = rss_kib()
        with LadybugStore(path) as store:
            hundred("ladybug", store, graphs)
            rss1 = rss_kib()
        print(f"         memory: process RSS +{mib(rss1 - rss0)}, file {mib(path.stat().st_size, kib=False)}")

    if neo4j is None:
        return
    pid_file = NEO4J_DATA / "neo4j.pid"
    pid = pid_file.read_text().strip() if pid_file.is_file() else None
    db_dir = NEO4J_DATA / "data" / "databases" / neo4j.database
    jvm0 = rss_kib(pid) if pid and Path(f"/proc/{pid}").exists() else None
    disk0 = dir_bytes(db_dir) if db_dir.is_dir() else None
    try:
        hundred("neo4j", neo4j, graphs)
        heap = neo4j.read(
            "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
            "RETURN attributes.HeapMemoryUsage.value.properties.used AS used"
        ).rows[0][0]
        jvm1 = rss_kib(pid) if jvm0 is not None and pid else None
        disk1 = dir_bytes(db_dir) if disk0 is not None else None
        parts = [f"JVM heap used {mib(heap, kib=False)}"]
        if jvm0 is not None and jvm1 is not None:
            parts.append(f"JVM RSS {mib(jvm1)} (+{mib(jvm1 - jvm0)})")
        if disk0 is not None and disk1 is not None:
            parts.append(f"database dir {mib(disk1, kib=False)} (+{mib(disk1 - disk0, kib=False)})")
        print("         memory: " + ", ".join(parts))
    finally:
        started = time.perf_counter()
        for plan_id in ids:
            neo4j.drop_plan(plan_id)
        print(f"         dropped the {len(ids)} bench plans in {time.perf_counter() - started:.1f} s")
        neo4j.close()


if __name__ == "__main__":
    main()
