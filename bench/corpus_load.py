"""Corpus benchmark: 1, 100 and 1,000 plans on each store, through the corpus service.

The real plans (the bundled one and every file of ../shared/corpus that parses) are parsed once, through
:func:`graph.corpus.graph_for_source`; a corpus of N plans is those graphs relabelled ``bench-0001`` …
and repeated (the entities they share stay shared, as in a real corpus). For each store and each N:

- add time: the plans installed in batches, one transaction each (:func:`graph.corpus.install_many`,
  batches of :func:`graph.corpus_batch.in_batches`), then the citations between them linked once, as
  ``plangraph add`` does; plans/s. Side by side at the sizes up to ``--compare-up-to`` (100): one
  transaction per plan (:func:`graph.corpus.install`, the load before batching), on the same store kind;
- store size (Ladybug: the file and its WAL; Neo4j: the database directory, when it is local) and memory
  (Ladybug: this process's RSS; Neo4j: the server JVM's RSS from ``$NEO4J_DATA_DIR/neo4j.pid``);
- Neo4j's bulk path, at the sizes from ``--admin-import-from`` (100): ``neo4j-admin database import
  full`` of the corpus's CSV export into a fresh, offline database (what it costs, and what it cannot do:
  a store that holds plans, a server that keeps answering);
- the p50 of five canned cross-plan queries (seven runs each, after one warm-up) and its ratio to the
  same query on one plan, measured in the same run (the aim: within 2x at 1,000 plans).

Also the parse time of the real files with ``jobs`` worker processes against one (what ``plangraph add``
does with files). Neo4j: NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE (default: the local
server of ``make neo4j-start``); without a server its part is skipped, saying so. The bench writes plans
``bench-…`` only and drops them afterwards. Prints figures; asserts nothing.

    python bench/corpus_load.py [--sizes 1,100,1000] [--no-neo4j | --no-ladybug] [--jobs 2]
                                [--compare-up-to 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
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
from plangraph.graph.corpus_batch import Found, _prepared, elements, expand, in_batches  # noqa: E402
from plangraph.graph.crossplan import link_citations  # noqa: E402
from plangraph.graph.export import CSV_MARKER, import_argv, write_csv  # noqa: E402
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
        got = [p for ready in _prepared(found, corpus.Options(), n) for p in ready if p.graph is not None]
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


def install(store: Store, plans: list[tuple[str, nx.MultiDiGraph]], mode: str) -> None:
    """``batch``: as ``plangraph add`` writes (:func:`graph.corpus_batch.in_batches`, one transaction per
    batch); ``plan``: one transaction per plan (the load before batching, for comparison)."""
    if mode == "plan":
        for plan_id, g in plans:
            corpus.install(store, g, plan_id, link=False)
        return
    for batch in in_batches(plans, lambda item: elements(item[1])):
        corpus.install_many(store, batch, link=False)


def run_size(
    name: str,
    store: Store,
    graphs: list[nx.MultiDiGraph],
    n: int,
    size: Callable[[], str],
    memory: Callable[[], str],
    mode: str = "batch",
    queries_too: bool = True,
) -> dict[str, tuple[float, int]]:
    plans = corpus_of(graphs, n)
    started = time.perf_counter()
    install(store, plans, mode)
    links = link_citations(store)
    took = time.perf_counter() - started
    print(
        f"{name:<8} {n:>5} plans ({mode:<5}): add {took:7.1f} s ({n / took:6.1f} plans/s), {links} citation "
        f"links; store {size()}; memory {memory()}"
    )
    if not queries_too:
        return {}
    out = {}
    for qname, params in queries([p for p, _ in plans]).items():
        t, rows = p50(store, qname, params)
        out[qname] = t, rows
        print(f"{'':<8}   {qname:<26} p50 {t * 1000:8.1f} ms  ({rows} rows)")
    return out


def report_ratios(name: str, by_size: dict[int, dict[str, tuple[float, int]]]) -> None:
    """Each query's p50 against the smallest corpus's; and per answer row, for the queries whose answer
    grows with the corpus (every plan that names 区块链): there the work per row is what indexes keep flat."""
    first = min(by_size)
    base = by_size[first]
    for n, times in sorted(by_size.items()):
        if n == first:
            continue
        ratios = {q: times[q][0] / base[q][0] for q in times}
        per_row = {q: ratios[q] * max(1, base[q][1]) / max(1, times[q][1]) for q in times}
        parts = ", ".join(f"{q} {ratios[q]:.2f}x" for q in times)
        print(f"{name:<8} query p50 at {n} plans vs {first}: {parts}  (worst {max(ratios.values()):.2f}x)")
        rows = ", ".join(f"{q} {per_row[q]:.2f}x" for q in times)
        print(f"{name:<8}   per answer row: {rows}  (worst {max(per_row.values()):.2f}x)")


NEO4J_CLASSPATH = ROOT / "tools" / "neo4j-server" / "target" / "classpath.txt"


def admin_import(graphs: list[nx.MultiDiGraph], n: int) -> None:
    """Neo4j's bulk path for a fresh database: the corpus written as the CSV export
    (:func:`graph.export.to_csv_files`, the ``neo4j-admin database import full`` layout) and imported by
    the import tool of the project's Neo4j (its own jars) into a new, offline database home. Timed: the
    CSV writing and the import; the server must then be started on that home, and the constraints made."""
    if not NEO4J_CLASSPATH.is_file():
        print(f"neo4j-admin import skipped: {NEO4J_CLASSPATH} is missing (make neo4j-build)")
        return
    started = time.perf_counter()
    union = nx.compose_all([g for _, g in corpus_of(graphs, n)])
    with tempfile.TemporaryDirectory() as tmp:
        export, home = Path(tmp) / "export", Path(tmp) / "home"
        write_csv(union, export)
        (home / "conf").mkdir(parents=True)
        csv_s = time.perf_counter() - started
        argv = import_argv((export / CSV_MARKER).read_text(encoding="utf-8"))
        env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
        classpath = NEO4J_CLASSPATH.read_text().strip()
        started = time.perf_counter()
        res = subprocess.run(
            ["java", "-cp", classpath, "org.neo4j.cli.AdminTool", *argv[1:]],
            cwd=export,
            env=env,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - started
    state = "done" if res.returncode == 0 and "IMPORT DONE" in res.stdout else f"FAILED ({res.returncode})"
    print(
        f"neo4j    {n:>5} plans (neo4j-admin import into a fresh offline database): CSV {csv_s:.1f} s + "
        f"import {took:.1f} s = {csv_s + took:.1f} s, {state}"
    )


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
    ap.add_argument(
        "--compare-up-to",
        type=int,
        default=100,
        help="also time one transaction per plan (the load before batching) at the sizes up to this",
    )
    ap.add_argument(
        "--admin-import-from",
        type=int,
        default=100,
        help="also time neo4j-admin database import (a fresh database) at the sizes from this",
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    graphs = real_graphs(args.jobs)
    elements = sum(g.number_of_nodes() + g.number_of_edges() for g in graphs)
    print(f"{len(graphs)} real plans, {elements} elements; corpora of {sizes} plans are them repeated\n")

    lb_times: dict[int, dict[str, tuple[float, int]]] = {}
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
        if n <= args.compare_up_to:
            with tempfile.TemporaryDirectory() as tmp:
                store = open_store("ladybug", path=Path(tmp) / "bench.lbug")
                try:
                    run_size("ladybug", store, graphs, n, str, str, "plan", queries_too=False)
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

    neo_times: dict[int, dict[str, tuple[float, int]]] = {}
    try:
        for n in sizes:
            clear_neo4j(neo)
            neo_times[n] = run_size("neo4j", neo, graphs, n, neo_size, neo_memory)
            if n <= args.compare_up_to:
                clear_neo4j(neo)
                run_size("neo4j", neo, graphs, n, neo_size, neo_memory, "plan", queries_too=False)
        report_ratios("neo4j", neo_times)
        for n in sizes:
            if n >= args.admin_import_from:
                admin_import(graphs, n)
    finally:
        clear_neo4j(neo)
        neo.close()


if __name__ == "__main__":
    main()
