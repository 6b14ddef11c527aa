"""Corpus benchmark: 1, 100 and 1,000 plans on each store, through the corpus service.

The real plans (the bundled one and every file of ../shared/corpus that parses) are parsed once, through
:func:`graph.corpus.graph_for_source`; a corpus of N plans is those graphs relabelled ``bench-0001`` …
and repeated (the entities they share stay shared, as in a real corpus). For each store and each N:

- add time: the plans installed in batches, one transaction each (:func:`graph.corpus.install_many`,
  batches of :func:`graph.corpus_batch.in_batches`), then the citations between them linked once, as
  ``plangraph add`` does; plans/s. Side by side at the sizes up to ``--compare-up-to`` (100): one
  transaction per plan (:func:`graph.corpus.install`, the load before batching), on the same store kind;
- Ladybug's bulk path: the corpus in one :func:`graph.corpus.install_many` into a fresh store (``COPY``
  from Parquet files, :mod:`graph.stores.ladybug_copy`; ``whole``) against the batched path with the
  bulk path out of reach (``batch``); and from ``--held-from`` (100), N plans added to a store that holds N
  already: batched (what the store does) against ``COPY`` forced (``copy!``: what it does not, and why);
- store size (Ladybug: the file after a checkpoint; Neo4j: the database directory, when it is local) and
  memory (Ladybug: this process's RSS; Neo4j: the server JVM's RSS from ``$NEO4J_DATA_DIR/neo4j.pid``);
- Neo4j's bulk path, at the sizes from ``--admin-import-from`` (100): ``neo4j-admin database import
  full`` of the corpus's CSV export into a fresh, offline database (what it costs, and what it cannot do:
  a store that holds plans, a server that keeps answering);
- the p50 of five canned cross-plan queries (seven runs each, after one warm-up): the whole answer, its
  first page (the API's 100 rows) and per answer row, each as a ratio to the same query on one plan,
  measured in the same run (the aim: within 2x at 1,000 plans, for what does not grow with the answer);
  at the largest size, each query's PROFILE: the operators that find its first nodes (index or scan).

Also the parse time of the real files with ``jobs`` worker processes against one (what ``plangraph add``
does with files). Neo4j: NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE (default: the local
server of ``make neo4j-start``); without a server its part is skipped, saying so. The bench writes plans
``bench-…`` only and drops them afterwards. Prints figures; asserts nothing.

    python bench/corpus_load.py [--sizes 1,100,1000] [--no-neo4j | --no-ladybug] [--jobs 2]
                                [--compare-up-to 100] [--held-from 100] [--admin-import-from 100]
"""

from __future__ import annotations

import argparse
import os
import re
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
from plangraph.graph.corpus_batch import Found, _prepared, elements, expand, in_batches  # noqa: E402
from plangraph.graph.crossplan import link_citations  # noqa: E402
from plangraph.graph.export import write_csv  # noqa: E402
from plangraph.graph.schema import KEY, SHARED, quote  # noqa: E402
from plangraph.graph.stores import Store, StoreUnavailable, open_store  # noqa: E402
from plangraph.graph.stores.ladybug_store import COPY_FROM  # noqa: E402
from plangraph.graph.stores.rows import PlanRows, combine, plan_rows, relabel_plan  # noqa: E402
from plangraph.queries.library import get_query  # noqa: E402
from tests.neo4j_admin import CLASSPATH  # noqa: E402
from tests.neo4j_admin import admin_import as run_admin_import  # noqa: E402

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
BUNDLED = ROOT / "data" / "plans" / "informatization-14fyp"
NEO4J_DATA = Path(os.environ.get("NEO4J_DATA_DIR", ROOT / ".neo4j-data"))
RUNS = 7
#: ``copy_from`` that no batch reaches: the Ladybug store's batched path only
NEVER = 10**12


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


def corpus_of(graphs: list[nx.MultiDiGraph], n: int, start: int = 0) -> list[tuple[str, nx.MultiDiGraph]]:
    """``n`` plans ``bench-{start + 1}`` …: the real graphs relabelled, in turn."""
    out = []
    for i in range(start, start + n):
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


#: The first page of an answer: the API's default page (``limit=100``, api/deps.py).
PAGE = 100


def p50(store: Store, name: str, params: dict[str, Any], max_rows: int | None = None) -> tuple[float, int]:
    """The median time of the query (all its rows, or the first ``max_rows``) and its number of rows."""
    q = get_query(name)
    bound = q.bind(params)
    cap = min(q.max_rows, max_rows or q.max_rows)
    rows = len(store.read(q.cypher, bound, max_rows=cap, timeout_s=120).rows)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        store.read(q.cypher, bound, max_rows=cap, timeout_s=120)
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


_OPERATOR = re.compile(r"([A-Z][A-Z_]{2,})\[\d+\]")
#: The operators that say how a query finds its first nodes (an index or a scan), per engine.
_FINDERS = ("Index", "Scan", "PRIMARY_KEY", "SCAN_NODE_TABLE")


def operators(store: Store, name: str, params: dict[str, Any]) -> str:
    """PROFILE of the query: the operators that find nodes (index seeks and lookups, scans), with rows."""
    q = get_query(name)
    found: list[str] = []
    if store.kind == "neo4j":
        with store._driver.session(database=store.database) as session:  # type: ignore[attr-defined]
            profile = session.run("PROFILE " + q.cypher, q.bind(params)).consume().profile or {}

        def walk(op: dict[str, Any]) -> None:
            kind = op.get("operatorType", "").split("@")[0]
            if any(f in kind for f in _FINDERS):
                found.append(f"{kind} {op.get('args', {}).get('Details', '')} ({op.get('rows', '?')} rows)")
            for child in op.get("children", []):
                walk(child)

        walk(profile)
    else:
        text = store._conn.execute("PROFILE " + q.cypher, q.bind(params)).get_all()[0][0]  # type: ignore[attr-defined]
        for box in text.split("┌"):
            op, rows = _OPERATOR.search(box), re.search(r"NumOutputTuples: (\d+)", box)
            if op and any(f in op.group(1) for f in _FINDERS):
                found.append(f"{op.group(1)} ({rows.group(1) if rows else '?'} rows)")
    return "; ".join(found)


def install(store: Store, plans: list[tuple[str, nx.MultiDiGraph]], mode: str) -> None:
    """``batch``: as ``plangraph add`` writes (:func:`graph.corpus_batch.in_batches`, one transaction per
    batch); ``plan``: one transaction per plan (the load before batching, for comparison); ``whole``: the
    corpus in one :func:`graph.corpus.install_many` (into an empty Ladybug store: the bulk path, COPY);
    ``copy!``: COPY forced into a Ladybug store that holds plans (what the store never does, timed to say
    why: the entities it holds are left out, not merged)."""
    if mode == "plan":
        for plan_id, g in plans:
            corpus.install(store, g, plan_id, link=False)
        return
    if mode == "whole":
        corpus.install_many(store, plans, link=False)
        return
    if mode == "copy!":
        forced_copy(store, plans)
        return
    for batch in in_batches(plans, lambda item: elements(item[1])):
        corpus.install_many(store, batch, link=False)


def forced_copy(store: Any, plans: list[tuple[str, nx.MultiDiGraph]]) -> None:
    rows = combine([plan_rows(g, plan_id) for plan_id, g in plans])
    nodes = {}
    for label, items in rows.nodes.items():
        held = (
            {r[0] for r in store._all(f"MATCH (n:{quote(label)}) RETURN n.eid")} if label in SHARED else set()
        )
        nodes[label] = [r for r in items if r[KEY] not in held]
    with store._atomic("bench: COPY into a store that holds plans"):
        store._copy(PlanRows(rows.plan_id, {k: v for k, v in nodes.items() if v}, rows.rels), None)


def run_size(
    name: str,
    store: Store,
    graphs: list[nx.MultiDiGraph],
    n: int,
    size: Callable[[], str],
    memory: Callable[[], str],
    mode: str = "batch",
    queries_too: bool = True,
    held: int = 0,
    label: str = "",
    profile: bool = False,
) -> dict[str, tuple[float, float, int]]:
    """Add ``n`` plans (after ``held`` plans already in the store, not timed) and time it; then the five
    queries: p50 of the whole answer and of its first page, with the PROFILE of their finding operators."""
    if held:
        install(store, corpus_of(graphs, held), "whole")
    plans = corpus_of(graphs, n, start=held)
    started = time.perf_counter()
    install(store, plans, mode)
    links = link_citations(store)
    took = time.perf_counter() - started
    path = f", {store.last_load}" if hasattr(store, "last_load") and mode != "copy!" else ""
    into = f" into {held} held" if held else ""
    print(
        f"{name:<8} {n:>5} plans{into} ({label or mode}{path}): add {took:7.1f} s ({n / took:6.1f} plans/s), "
        f"{links} citation links; store {size()}; memory {memory()}"
    )
    if not queries_too:
        return {}
    out = {}
    for qname, params in queries([p for p, _ in plans]).items():
        t, rows = p50(store, qname, params)
        page, _ = p50(store, qname, params, PAGE)
        out[qname] = t, page, rows
        print(
            f"{'':<8}   {qname:<26} p50 {t * 1000:8.1f} ms, first {PAGE} rows {page * 1000:8.1f} ms, "
            f"{t * 1e6 / max(1, rows):8.0f} us/row  ({rows} rows)"
        )
        if profile:
            print(f"{'':<8}     PROFILE: {operators(store, qname, params)}")
    return out


def report_ratios(name: str, by_size: dict[int, dict[str, tuple[float, float, int]]]) -> None:
    """Each query's p50 against the smallest corpus's: the whole answer, its first page, and per answer
    row, for the queries whose answer grows with the corpus (every plan that names 区块链): there the work
    per row, and the time to the first page, are what indexes keep flat."""
    first = min(by_size)
    base = by_size[first]
    for n, times in sorted(by_size.items()):
        if n == first:
            continue
        ratios = {q: times[q][0] / base[q][0] for q in times}
        pages = {q: times[q][1] / base[q][1] for q in times}
        per_row = {q: ratios[q] * max(1, base[q][2]) / max(1, times[q][2]) for q in times}
        for what, r in (("whole answer", ratios), (f"first {PAGE} rows", pages), ("per answer row", per_row)):
            parts = ", ".join(f"{q} {r[q]:.2f}x" for q in times)
            print(f"{name:<8} at {n} plans vs {first}, {what}: {parts}  (worst {max(r.values()):.2f}x)")


def admin_import(graphs: list[nx.MultiDiGraph], n: int) -> None:
    """Neo4j's bulk path for a fresh database: the corpus written as the CSV export
    (:func:`graph.export.to_csv_files`, the ``neo4j-admin database import full`` layout) and imported by
    the import tool of the project's Neo4j (its own jars) into a new, offline database home. Timed: the
    CSV writing and the import; the server must then be started on that home, and the constraints made."""
    if not CLASSPATH.is_file():
        print(f"neo4j-admin import skipped: {CLASSPATH} is missing (make neo4j-build)")
        return
    started = time.perf_counter()
    union = nx.compose_all([g for _, g in corpus_of(graphs, n)])
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export"
        write_csv(union, export)
        csv_s = time.perf_counter() - started
        started = time.perf_counter()
        res = run_admin_import(export, Path(tmp) / "home")
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
        "--held-from",
        type=int,
        default=100,
        help="also time adding N plans into a store that holds N (batched, and COPY forced) from this size",
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

    lb_times: dict[int, dict[str, tuple[float, float, int]]] = {}
    # per size: the batched path (the bulk path out of reach: before), the bulk path (a fresh store, the
    # corpus in one transaction: after; the queries are timed there), and into a store that holds as many
    # plans: batched (what the store does) against COPY forced (what it does not, timed to say why)
    runs = [("batch", 0, NEVER), ("whole", 0, COPY_FROM), ("plan", 0, NEVER)]
    runs += [("batch", 1, COPY_FROM), ("copy!", 1, COPY_FROM)]
    for n in [] if args.no_ladybug else sizes:
        for mode, held, copy_from in runs:
            if (mode == "plan" and n > args.compare_up_to) or (held and n < args.held_from):
                continue
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "bench.lbug"
                rss0 = rss_kib()
                store = open_store("ladybug", path=path, copy_from=copy_from)
                try:

                    def lb_size(path: Path = path, store: Any = store) -> str:
                        store.checkpoint()  # the log written into the file: the batched path leaves one
                        return mib(sum(f.stat().st_size for f in path.parent.iterdir()), kib=False)

                    def lb_memory(rss0: int = rss0) -> str:
                        return f"process RSS +{mib(rss_kib() - rss0)}"

                    timed = run_size(
                        "ladybug",
                        store,
                        graphs,
                        n,
                        lb_size,
                        lb_memory,
                        mode,
                        queries_too=mode == "whole",
                        held=n * held,
                        profile=n == max(sizes),
                    )
                    if timed:
                        lb_times[n] = timed
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

    neo_times: dict[int, dict[str, tuple[float, float, int]]] = {}
    try:
        for n in sizes:
            clear_neo4j(neo)
            neo_times[n] = run_size("neo4j", neo, graphs, n, neo_size, neo_memory, profile=n == max(sizes))
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
