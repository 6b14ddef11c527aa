"""API benchmark: requests/s and p50/p99 latency of the HTTP API per store, endpoint and concurrency.

Starts ``plangraph serve`` itself (a separate process on a free 127.0.0.1 port) once per store — the
embedded Ladybug store, and Neo4j when a server answers (else it says why it was skipped) — and drives it
from this process with asyncio + httpx at concurrency 1 and 32, a fixed count of requests per endpoint:

    goal→tasks      GET /goals/数字政府/tasks?plan=informatization-14fyp
    search          GET /search?q=区块链
    subgraph export GET /export?format=json&goal=5&plan=informatization-14fyp

Baselines in the same run, at the same concurrency: ``GET /health`` (``x health`` = /health's requests/s
over the endpoint's: its cost relative to /health's) and ``GET /version``, which touches no store at all
(``x version``: the cost over the HTTP/FastAPI floor). /health is not the cheapest request: it runs the
store's statistics (a count per label and per relationship type). The client shares the machine with the
server: figures are for comparing endpoints and stores with each other, not absolute capacity. Prints a
table; asserts nothing.

    python bench/api.py [--requests 300] [--concurrency 1 32] [--store ladybug neo4j] [--max-seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import _client as bc  # bench/_client.py: this script's directory is on sys.path

ENDPOINTS = [
    bc.Req("health (baseline)", "/health"),
    bc.Req("version (floor)", "/version"),
    bc.Req("goal→tasks", f"/goals/数字政府/tasks?plan={bc.PLAN}"),
    bc.Req("search", "/search?q=区块链"),
    bc.Req("subgraph export", f"/export?format=json&goal=5&plan={bc.PLAN}"),
]
WARMUP = 5


def bench_store(server: bc.Server, counts: int, levels: list[int], max_s: float) -> list[list[str]]:
    bad = bc.check_ok(server.base, ENDPOINTS)
    if bad:
        raise RuntimeError(f"[{server.store}] endpoints failing before the bench:\n  " + "\n  ".join(bad))
    rows = []
    for conc in levels:
        runs: dict[bc.Req, bc.Run] = {}
        for ep in ENDPOINTS:
            asyncio.run(bc.fixed(server.base, [ep] * WARMUP, 1, max_s))
            runs[ep] = run = asyncio.run(bc.fixed(server.base, [ep] * counts, conc, max_s))
            print(f"[{server.store}] c={conc:<3} {ep.kind:<18} {run.total().count / run.wall_s:8.1f} req/s")
            for sample in run.total().samples:
                print(f"  error sample: {sample}")
            bc.flush()
            if not server.alive():
                raise RuntimeError(f"[{server.store}] the server died:\n{server.log_tail()}")
        rps = {ep: run.total().count / run.wall_s for ep, run in runs.items()}
        health, version = rps[ENDPOINTS[0]], rps[ENDPOINTS[1]]
        for ep, run in runs.items():
            tally = run.total()
            errors = sum(tally.errors.values())
            rows.append(
                [
                    server.store,
                    ep.kind,
                    str(conc),
                    str(tally.count) + (" (time bound)" if run.cut_short else ""),
                    f"{rps[ep]:.1f}",
                    bc.ms(bc.percentile(tally.latencies, 50)),
                    bc.ms(bc.percentile(tally.latencies, 99)),
                    f"{health / rps[ep]:.2f}",
                    f"{version / rps[ep]:.2f}",
                    str(errors) + (f" {dict(tally.errors)}" if errors else ""),
                ]
            )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=300, help="requests per endpoint and concurrency")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 32])
    ap.add_argument("--store", nargs="+", choices=bc.STORES, default=list(bc.STORES))
    ap.add_argument("--max-seconds", type=float, default=60.0, help="time bound of each measured phase")
    args = ap.parse_args()
    counts = int(bc.bounded(args.requests, bc.MAX_REQUESTS, "--requests"))
    levels = [int(bc.bounded(c, bc.MAX_CONCURRENCY, "--concurrency")) for c in args.concurrency]
    max_s = bc.bounded(args.max_seconds, bc.MAX_SECONDS, "--max-seconds")

    rows: list[list[str]] = []
    failed = []
    for store in args.store:
        if store == "neo4j" and (why := bc.neo4j_unavailable()):
            print(f"[neo4j] skipped: {why}")
            continue
        try:
            with bc.serve(store) as server:
                rows += bench_store(server, counts, levels, max_s)
        except RuntimeError as exc:
            print(f"[{store}] FAILED: {exc}")
            failed.append(store)
    print()
    print(
        f"{counts} requests per row after {WARMUP} warm-up requests; latency in ms, measured by the client;"
    )
    print("x health / x version = that baseline's requests/s over the endpoint's at the same concurrency")
    header = ["store", "endpoint", "conc", "requests", "req/s", "p50 ms", "p99 ms", "x health", "x version"]
    header.append("errors")
    print(bc.table(header, rows))
    print(f"machine at the end: {bc.load_note()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
