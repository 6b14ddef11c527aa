"""HTTP figures by wrk: the real service's routes against the ceiling of its server stack, side by side.

For each store (the embedded Ladybug file; Neo4j when a server answers at NEO4J_URI) and each connection
count (1, 8, 32), wrk measures for the same number of seconds:

    ceiling    a bare ASGI app returning the route's exact bytes and a hit's headers (bench/_bare.py,
               same server stack): content-type, content-length, etag, cache-control, x-cache
    bare       the same app with content-type and content-length alone (the ceiling of earlier rounds)
    cached     the real route, answers from the response cache (the default)
    uncached   the real route on a service with the cache off (PLANGRAPH_CACHE_MB=0)

and, in this process, the raw store calls the route makes (the goal list to resolve the reference, then
goal_tasks), timed 200 times: p50/p99; and, during the uncached rows, the route's queries timed in the
server (each answer's ``Server-Timing: store``, read by a wrk script: the queries alone, without the
reference's matching in Python that the raw calls include). Prints requests/s, p50/p99, the server
process's CPU time per request (what the machine's other load moves least), and the ratios that matter on
a shared machine:
ceiling req/s over the route's (aim for cached: within 1.3×), the same for CPU per request, and the
uncached p50 minus the raw store p50 (aim: within 1 ms). Asserts nothing.

    python bench/serving.py [--store ladybug neo4j] [--seconds 5] [--connections 1 8 32]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import _client as bc  # bench/_client.py: this script's directory is on sys.path
import _wrk
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUTE = f"/goals/数字政府/tasks?plan={bc.PLAN}"
RAW_ROUNDS = 200


@contextlib.contextmanager
def bare(body: bytes, content_type: str, extra: list[str]) -> Iterator[tuple[str, int]]:
    """The ceiling app on a free port, ``extra`` headers (NAME:VALUE) after its own two; its base URL and
    process id."""
    port = bc.free_port()
    with tempfile.NamedTemporaryFile(suffix=".body") as f:
        f.write(body)
        f.flush()
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "_bare.py"), f.name, content_type, str(port), *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://{bc.HOST}:{port}"
        try:
            for _ in range(200):
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(base + "/", timeout=1).content == body:
                        break
                time.sleep(0.05)
            yield base, proc.pid
        finally:
            bc.stop(proc)


def cpu_s(pid: int) -> float:
    """CPU time (user + system, all threads) of a process so far, from Linux's /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_store(server: bc.Server) -> tuple[float, float]:
    """p50/p99 (ms) of the store calls behind the route, in this process, on the store ``server`` serves
    (its embedded file opened read-only beside it, or the same Neo4j)."""
    from plangraph.api import services
    from plangraph.api.state import AppState
    from plangraph.graph.stores import open_store
    from plangraph.settings import Settings

    settings = Settings(store=server.store)  # type: ignore[arg-type]
    if server.db is None:
        store = open_store("neo4j", **settings.neo4j_config())
    else:
        store = open_store("ladybug", path=server.db, read_only=True)
    state = AppState(settings, store)
    try:
        times = []
        for _ in range(RAW_ROUNDS):
            t0 = time.perf_counter()
            plan = services.pick_plan(state, bc.PLAN)  # what the route does, without the HTTP around it
            goal = services.find(state, "数字政府", {"Goal"}, plan, "ref")
            services.run(state, "goal_tasks", {"goal": goal["eid"]})
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        store.close()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def measure(store: str, seconds: float, levels: list[int]) -> list[list[str]]:
    figures: dict[tuple[str, int], _wrk.Figures] = {}
    cpu_us: dict[tuple[str, int], float] = {}  # the server's CPU time per request, µs
    with bc.serve(store) as cached, bc.serve(store, extra_env={"PLANGRAPH_CACHE_MB": "0"}) as uncached:
        raw50, raw99 = raw_store(cached)
        print(f"[{store}] raw store calls of the route: p50 {raw50:.2f} ms, p99 {raw99:.2f} ms")
        answer = httpx.get(cached.base + ROUTE, timeout=30)
        answer.raise_for_status()
        hit = httpx.get(cached.base + ROUTE, timeout=30)
        assert hit.headers["x-cache"] == "hit", hit.headers
        validators = [f"{name}:{hit.headers[name]}" for name in ("etag", "cache-control", "x-cache")]
        ctype = answer.headers["content-type"]
        with bare(answer.content, ctype, validators) as ceiling, bare(answer.content, ctype, []) as two:
            assert cached.proc is not None and uncached.proc is not None
            bases = {
                "ceiling": ceiling,
                "bare": two,
                "cached": (cached.base, cached.proc.pid),
                "uncached": (uncached.base, uncached.proc.pid),
            }
            timed = _wrk.store_time_script()  # the uncached answers' Server-Timing: store
            for conns in levels:
                for kind, (base, pid) in bases.items():
                    url = base + _wrk.url_path(ROUTE)
                    _wrk.run(url, conns, 1)  # warm-up
                    cpu0 = cpu_s(pid)
                    script = timed if kind == "uncached" else None
                    figures[kind, conns] = f = _wrk.run(url, conns, seconds, script=script)
                    cpu_us[kind, conns] = (cpu_s(pid) - cpu0) / max(f.requests, 1) * 1e6
                    print(
                        f"[{store}] c={conns:<3} {kind:<9} {f.rps:8.0f} req/s  "
                        f"p50 {f.p50:6.2f}  p99 {f.p99:7.2f}  cpu {cpu_us[kind, conns]:6.1f} us/req"
                    )
                    bc.flush()
    rows = []
    for (kind, conns), f in figures.items():
        ceiling_rps, ceiling_cpu = figures["ceiling", conns].rps, cpu_us["ceiling", conns]
        over_raw = f"{f.p50 - raw50:+.2f}" if kind == "uncached" else ""
        over_store = f"{f.p50 - f.store_p50:+.2f}" if kind == "uncached" and f.store_answers else ""
        rows.append(
            [
                store,
                kind,
                str(conns),
                f"{f.rps:.0f}",
                f"{f.p50:.2f}",
                f"{f.p99:.2f}",
                f"{ceiling_rps / f.rps:.2f}",
                f"{cpu_us[kind, conns]:.1f}",
                f"{cpu_us[kind, conns] / ceiling_cpu:.2f}",
                over_raw,
                over_store,
                str(f.errors),
            ]
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", nargs="+", choices=bc.STORES, default=list(bc.STORES))
    ap.add_argument("--seconds", type=float, default=5.0, help="wrk's duration per row")
    ap.add_argument("--connections", type=int, nargs="+", default=[1, 8, 32])
    args = ap.parse_args()
    seconds = bc.bounded(args.seconds, 120, "--seconds")
    levels = [int(bc.bounded(c, bc.MAX_CONCURRENCY, "--connections")) for c in args.connections]
    print(f"route GET {ROUTE}; {bc.load_note()}")
    rows: list[list[str]] = []
    for store in args.store:
        if store == "neo4j" and (why := bc.neo4j_unavailable()):
            print(f"[neo4j] skipped: {why}")
            continue
        rows += measure(store, seconds, levels)
    print()
    print("x ceiling = the ceiling app's req/s over the row's at the same connections; cpu = the server")
    print("process's CPU time (all threads) per request, x cpu = over the ceiling's; p50-raw = uncached p50")
    print("minus the raw store calls' p50 (ms); p50-store = uncached p50 minus the p50 of the store time")
    print("its answers report (Server-Timing: the queries timed in the server, during the run); wrk, ms")
    header = ["store", "server", "conns", "req/s", "p50 ms", "p99 ms", "x ceiling", "cpu us", "x cpu"]
    header += ["p50-raw", "p50-store", "errors"]
    print(bc.table(header, rows))
    print(f"machine at the end: {bc.load_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
