"""Load test: N concurrent clients for T seconds on a mixed workload, on the embedded store and on Neo4j.

The load generator is wrk (compiled; a Python client on the same cores would measure itself): N
keep-alive connections, each sending one request after the other (closed loop), every request a random
draw from a weighted mix (a Lua script, bench/_wrk.py):

    query       canned queries (/queries/goal_coverage, technologies_by_tasks, task_goals, mentions, CSV)
    search      /search with several keywords
    goal_tasks  /goals/{ref}/tasks with several refs (title fragment, ordinal, plan-relative eid, overall)
    node        /nodes/{eid} for tasks, subtasks, goals, 专栏 items, indicators, dated targets
    list        /tasks, /goals, /indicators
    export      /export as json, graphml and csv (goal views and a root+depth subgraph)

Every request names its plan (the Neo4j database may hold other plans). Every distinct request is first
sent once and must answer 200. Prints total requests, errors (non-2xx answers and socket errors),
throughput, p50/p99 over the mix and the response cache's hit rate (answers with ``X-Cache: hit``), and
exits 1 on any error (the target is zero), on a server that died, or on a /health that fails afterwards.

Self-started (``plangraph serve`` on a free 127.0.0.1 port, stopped at the end) unless ``--url`` names a
running service on a loopback address. ``--workers`` serves with that many processes (PLANGRAPH_WORKERS).

    python bench/loadtest.py [--clients 64] [--seconds 60] [--store ladybug|neo4j|both] [--url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import _client as bc  # bench/_client.py: this script's directory is on sys.path
import _wrk
import httpx

P = bc.PLAN
WEIGHTS = {"query": 2, "search": 2, "goal_tasks": 2, "node": 2, "list": 1, "export": 1}
WORKLOAD = {
    "query": [
        f"/queries/goal_coverage?plan={P}",
        f"/queries/goal_coverage?plan={P}&format=csv",
        f"/queries/technologies_by_tasks?plan={P}",
        f"/queries/task_goals?task={P}/task-7",
        "/queries/mentions?entity=technology/区块链",
    ],
    "search": [f"/search?q={q}" for q in ("区块链", "人工智能", "5G", "政务", "乡村", "网络安全", "数据")],
    "goal_tasks": [
        f"/goals/{ref}/tasks?plan={P}" for ref in ("数字政府", "5", "1", "overall", "goal-3", "数字民生")
    ],
    "node": [
        f"/nodes/{P}/{eid}"
        for eid in ("task-7", "goal-5", "task-1/subtask-2", "column-9/item-3", "indicator-12", "action-7")
    ],
    "list": [f"/tasks?plan={P}", f"/goals?plan={P}", f"/indicators?plan={P}"],
    "export": [
        f"/export?format=json&goal=5&plan={P}",
        f"/export?format=graphml&goal=1&plan={P}",
        f"/export?format=csv&goal=3&plan={P}",
        f"/export?format=json&root={P}/task-4&depth=2&plan={P}",
    ],
}
MIX = [bc.Req(kind, path) for kind, w in WEIGHTS.items() for path in WORKLOAD[kind] for _ in range(w)]


def load(server: bc.Server, clients: int, seconds: float, seed: int) -> int:
    """Run the load on one service; the number of problems (errors, a dead or unhealthy server)."""
    bad = bc.check_ok(server.base, MIX)
    if bad:
        print(f"[{server.store}] requests failing before the load:\n  " + "\n  ".join(bad))
        return len(bad)
    print(
        f"[{server.store}] {len(set(MIX))} distinct requests answer 200; {clients} clients for {seconds:g} s"
    )
    bc.flush()
    with tempfile.TemporaryDirectory(prefix="plangraph-loadtest-") as tmp:
        script = _wrk.mix_script([r.path for r in MIX], Path(tmp), seed)
        f = _wrk.run(server.base + "/", clients, seconds, script=script)
    hit_rate = f"{100 * f.cache_hits / f.requests:.1f} %" if f.requests and f.cache_hits >= 0 else "?"
    print(f"\n== {server.store}: {clients} clients, {seconds:g} s ==")
    print(
        bc.table(
            ["requests", "errors", "req/s", "p50 ms", "p99 ms", "cache hits"],
            [[str(f.requests), str(f.errors), f"{f.rps:.1f}", f"{f.p50:.1f}", f"{f.p99:.1f}", hit_rate]],
        )
    )
    problems = f.errors
    if f.errors:
        print(f"errors: {f.non2xx} non-2xx answers, {f.socket_errors} socket errors")
    print(f"machine: {bc.load_note()}")
    if not server.alive():
        print(f"[{server.store}] the server DIED during the load:\n{server.log_tail()}")
        return problems + 1
    try:
        health = str(httpx.get(f"{server.base}/health", timeout=10).status_code)
    except httpx.HTTPError as exc:
        health = type(exc).__name__
    if health != "200":
        print(f"[{server.store}] /health after the load: {health}")
        problems += 1
    log = server.log_text()
    if "Traceback" in log or " 500 " in log:
        print(f"[{server.store}] the server log shows tracebacks or 500s:\n{server.log_tail()}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--store", choices=["ladybug", "neo4j", "both"], default="both")
    ap.add_argument("--url", help="a running service on a loopback address (then --store is not used)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="server processes (PLANGRAPH_WORKERS)")
    args = ap.parse_args()
    clients = int(bc.bounded(args.clients, bc.MAX_CONCURRENCY, "--clients"))
    seconds = bc.bounded(args.seconds, bc.MAX_SECONDS, "--seconds")

    if args.url:
        with bc.attach(args.url) as server:
            return 1 if load(server, clients, seconds, args.seed) else 0

    problems = 0
    stores = bc.STORES if args.store == "both" else (args.store,)
    for store in stores:
        if store == "neo4j" and (why := bc.neo4j_unavailable()):
            print(f"[neo4j] skipped: {why}")
            problems += args.store == "neo4j"  # asked for it alone: a failure
            continue
        try:
            with bc.serve(store, extra_env={"PLANGRAPH_WORKERS": str(args.workers)}) as server:
                problems += load(server, clients, seconds, args.seed)
        except RuntimeError as exc:
            print(f"[{store}] FAILED: {exc}")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
