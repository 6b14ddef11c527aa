"""Corpus benchmark: 1, 100 and 1,000 plans on each store, through the corpus service.

The real plans (the bundled one and every file of ../shared/corpus that parses) are parsed once, through
:func:`graph.corpus.graph_for_source`; a corpus of N plans is those graphs relabelled ``bench-0001`` …
and repeated (the entities they share stay shared, as in a real corpus). For each store and each N:

- add time: every plan installed atomically (:func:`graph.corpus.install`, one transaction each), then
  the citations between them linked once, as ``plangraph add`` does; plans/s and the ratio to N=1;
- store size (Ladybug: the file and its WAL; Neo4j: the database directory, when it is local) and memory
  (Ladybug: this process's RSS; Neo4j: the server JVM's RSS from ``$NEO4J_DATA_DIR/neo4j.pid``);
- the p50 of five canned cross-plan queries (seven runs each, after one warm-up) and its ratio to the
  same query on one plan, measured in the same run (the aim: within 2x at 1,000 plans).

Also the parse time of the real files with ``jobs`` worker processes against one (what ``plangraph add``
does with files). Neo4j: NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE (default: the local
server of ``make neo4j-start``); without a server its part is skipped, saying so. The bench writes plans
``bench-…`` only and drops them afterwards. Prints figures; asserts nothing.

    python bench/corpus_load.py [--sizes 1,100,1000] [--no-neo4j | --no-ladybug] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import dir_bytes, mib, neo4j_config, rss_kib  # noqa: E402

from plangraph.graph import corpus  # noqa: E402
from plangraph.graph.corpus_batch import Found, _prepared, expand  # noqa: E402
from plangraph.graph.crossplan import link_citations  # noqa: E402
from plangraph.graph.stores import Store, StoreUnavailable, open_store  # noqa: E402
from plangraph.graph.stores.rows import relabel_plan  # noqa: E402
from plangraph.queries.library import get_query  # noqa: E402

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
BUNDLED = ROOT / "data" / "plans" / "informatization-14fyp"
NEO4J_DATA = Path(os.environ.get("NEO4J_DATA_DIR", ROOT / ".neo4j-data"))
RUNS = 7


def real_graphs(jobs: int) -> list[nx.MultiDiGraph]:
    """The real plans' graphs, parsed in worker processes; prints the parse time against one worker."""
    found = [Found(BUNDLED / "source.txt"), *expand([SHARED_CORPUS])]
    timings = {}
    graphs: list[nx.MultiDiGraph] = []
    for n in sorted({1, jobs}):
        started = time.perf_counter()
        got = [p for p in _prepared(found, corpus.Options(), n) if p.graph is not None]
        timings[n] = time.perf_counter() - started
        # the bundled plan first (a corpus of one plan is it), the national outline it cites second
        order = sorted(got, key=lambda p: (p.found.path != found[0].path, "gangyao" not in p.found.path.name))
        graphs = [p.graph for p in order if p.graph is not None]
    line = ", ".join(f"{n} process{'es' if n > 1 else ''} {t:.1f} s" for n, t in timings.items())
    ratio = f" ({timings[1] / timings[jobs]:.2f}x)" if jobs > 1 else ""
    print(f"parse {len(found)} files ({len(graphs)} plans): {line}{ratio}")
    return graphs


def corpus_of(graphs: list[nx.MultiDiGraph], n: int) -> list[tuple[str, nx.MultiDiGraph]]:
    out = []
    for i in range(n):
        plan_id = f"bench-{i + 1:04d}"
        out.append((plan_id, relabel_plan(graphs[i % len(graphs)], plan_id)))
    return out


def queries(plans: list[str]) -> dict[str, dict[str, Any]]:
    """Five cross-plan questions and their parameters (plans: the corpus's ids; bench-0001 is the bundled
    plan, bench-0002 the national outline it cites, then the other real plans)."""
    a, b, c = plans[0], plans[1 % len(plans)], plans[2 % len(plans)]
    return {
        "plans_naming_technology": {"technology": "区块链"},
        "body_roles_across_plans": {"body": "国家发展改革委"},
        "indicator_through_plans": {"indicator": "5G用户普及率"},
        "plans_citing": {"plan": b},
        "shared_entity_tasks": {"plan_a": a, "plan_b": c},
    }


def p50(store: Store, name: str, params: dict[str, Any]) -> tuple[float, int]:
    q = get_query(name)
    bound = q.bind(params)
    rows = len(store.read(q.cypher, bound, max_rows=q.max_rows, timeout_s=120).rows)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        store.read(q.cypher, bound, max_rows=q.max_rows, timeout_s=120)
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def run_size(
    name: str,
    store: Store,
    graphs: list[nx.MultiDiGraph],
    n: int,
    size: Callable[[], str],
    memory: Callable[[], str],
) -> dict[str, float]:
    plans = corpus_of(graphs, n)
    started = time.perf_counter()
    for plan_id, g in plans:
        corpus.install(store, g, plan_id, link=False)
    links = link_citations(store)
    took = time.perf_counter() - started
    print(
        f"{name:<8} {n:>5} plans: add {took:7.1f} s ({n / took:6.1f} plans/s), {links} citation links; "
        f"store {size()}; memory {memory()}"
    )
    out = {}
    for qname, params in queries([p for p, _ in plans]).items():
        t, rows = p50(store, qname, params)
        out[qname] = t
        print(f"{'':<8}   {qname:<26} p50 {t * 1000:8.1f} ms  ({rows} rows)")
    return out


def report_ratios(name: str, by_size: dict[int, dict[str, float]]) -> None:
    base = by_size[min(by_size)]
    for n, times in sorted(by_size.items()):
        if n == min(by_size):
            continue
        worst = max(times[q] / base[q] for q in times)
        parts = ", ".join(f"{q} {times[q] / base[q]:.2f}x" for q in times)
        print(f"{name:<8} query p50 at {n} plans vs {min(by_size)}: {parts}  (worst {worst:.2f}x)")


def clear_neo4j(store: Any) -> None:
    """Remove every ``bench-…`` plan (in batches: a thousand plans in one transaction is too large)."""
    with store._driver.session(database=store.database) as session:
        session.run(
            "MATCH (n) WHERE n.plan_id STARTS WITH 'bench-' "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
        ).consume()
        session.run(
            "MATCH (e) WHERE e.plan_id = '' AND NOT EXISTS { MATCH (e)--() } "
            "CALL (e) { DELETE e } IN TRANSACTIONS OF 5000 ROWS"
        ).consume()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,100,1000")
    ap.add_argument("--no-neo4j", action="store_true")
    ap.add_argument("--no-ladybug", action="store_true")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    graphs = real_graphs(args.jobs)
    elements = sum(g.number_of_nodes() + g.number_of_edges() for g in graphs)
    print(f"{len(graphs)} real plans, {elements} elements; corpora of {sizes} plans are them repeated\n")

    lb_times: dict[int, dict[str, float]] = {}
    for n in [] if args.no_ladybug else sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.lbug"
            rss0 = rss_kib()
            store = open_store("ladybug", path=path)
            try:

                def lb_size(path: Path = path) -> str:
                    return mib(sum(f.stat().st_size for f in path.parent.iterdir()), kib=False)

                def lb_memory(rss0: int = rss0) -> str:
                    return f"process RSS +{mib(rss_kib() - rss0)}"

                lb_times[n] = run_size("ladybug", store, graphs, n, lb_size, lb_memory)
            finally:
                store.close()
    if lb_times:
        report_ratios("ladybug", lb_times)

    if args.no_neo4j:
        return
    cfg = neo4j_config()
    try:
        neo = open_store("neo4j", **cfg)
    except StoreUnavailable as exc:
        print(f"neo4j    not running, skipped: {exc}")
        return
    pid_file = NEO4J_DATA / "neo4j.pid"
    pid = pid_file.read_text().strip() if pid_file.is_file() else None
    db_dir = NEO4J_DATA / "data" / "databases" / cfg["database"]

    def neo_size() -> str:
        return mib(dir_bytes(db_dir), kib=False) + " (database dir)" if db_dir.is_dir() else "n/a (remote)"

    def neo_memory() -> str:
        return f"JVM RSS {mib(rss_kib(pid))}" if pid and Path(f"/proc/{pid}").exists() else "n/a (remote)"

    neo_times: dict[int, dict[str, float]] = {}
    try:
        for n in sizes:
            clear_neo4j(neo)
            neo_times[n] = run_size("neo4j", neo, graphs, n, neo_size, neo_memory)
        report_ratios("neo4j", neo_times)
    finally:
        clear_neo4j(neo)
        neo.close()


if __name__ == "__main__":
    main()
