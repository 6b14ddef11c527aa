"""What the app adds to an uncached request, in one process: the app called as ASGI (no HTTP, the
response cache off) against the raw store calls of the same route on the same store, in turns.

    app        GET /goals/数字政府/tasks through the whole app (front, middleware, routing, dependencies,
               the route's thread trip, the response model, JSON, ETag)
    raw        the route's store calls alone (pick the plan, resolve 数字政府, goal_tasks), as
               bench/serving.py times them
    app, stub  the app with the route's store work replaced by its answer: what the app alone costs
               (--trips: once for each way to run the route's function: anyio's run_sync, which
               Starlette's run_in_threadpool uses, the route's own pool, and on the event loop)

Prints CPU time per request (process CPU: every thread; what load elsewhere moves least) and wall time
p50, best of the rounds. The store is the bundled plan added to a fresh embedded file. Asserts nothing.

    python bench/app_overhead.py [--rounds 10] [--requests 100] [--trips]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import _client as bc  # bench/_client.py: this script's directory is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PATH = "/goals/数字政府/tasks"
QUERY = f"plan={bc.PLAN}".encode()


def request(app: Any) -> Callable[[], Awaitable[None]]:
    async def one() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": PATH,
            "raw_path": PATH.encode(),
            "query_string": QUERY,
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 8000),
        }
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        if status != [200]:
            raise SystemExit(f"the route answered {status}")

    return one


async def timed(run: Callable[[], Any], n: int) -> tuple[float, float]:
    """CPU ms per call (mean) and wall ms p50 of ``n`` calls."""
    walls = []
    cpu0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        result = run()
        if asyncio.iscoroutine(result):
            await result
        walls.append(time.perf_counter() - t0)
    return (time.process_time() - cpu0) / n * 1000, statistics.median(walls) * 1000


async def measure(db: Path, rounds: int, n: int, trips: bool) -> None:
    from starlette.concurrency import run_in_threadpool

    from plangraph.api import routing, services
    from plangraph.api.main import create_app
    from plangraph.api.routes import goals
    from plangraph.api.state import open_state
    from plangraph.settings import Settings

    settings = Settings(store="ladybug", db_path=db, cache_mb=0)
    state = open_state(settings)
    app = create_app(settings, state)
    one = request(app)
    served = goals._served
    answer = served(state, bc.PLAN, "数字政府", "goal_tasks", "Task")

    def raw() -> None:
        plan = services.pick_plan(state, bc.PLAN)
        goal = services.find(state, "数字政府", {"Goal"}, plan, "ref")
        services.run(state, "goal_tasks", {"goal": goal["eid"]})

    async def on_loop(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    ways = {"route's pool": routing.run_in_thread}
    if trips:
        ways = {"anyio run_sync": run_in_threadpool, **ways, "event loop": on_loop}
    rows: dict[str, list[tuple[float, float]]] = {"app": [], "raw": []}
    rows.update({f"app, stub, {w}": [] for w in ways})
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in the raw calls' bench process
    async with app.router.lifespan_context(app):
        for _ in range(20):  # warm: prepared statements, the resolver, the plan list
            await one()
            raw()
        for _ in range(rounds):  # in turns: a burst of load elsewhere hits every row alike
            rows["app"].append(await timed(one, n))
            rows["raw"].append(await timed(raw, n))
            goals._served = lambda *_: answer
            try:
                for way, run in ways.items():
                    routing.run_in_thread = run
                    rows[f"app, stub, {way}"].append(await timed(one, n))
            finally:
                goals._served = served
                routing.run_in_thread = ways["route's pool"]
    state.close()
    best = {k: (min(c for c, _ in v), min(w for _, w in v)) for k, v in rows.items()}
    print(f"GET {PATH}?{QUERY.decode()}, cache off; {rounds} rounds of {n} requests; best round")
    print(f"{'':32}{'cpu ms/req':>11}{'wall p50 ms':>12}")
    for name, (cpu, wall) in best.items():
        print(f"{name:32}{cpu:11.3f}{wall:12.3f}")
    print(f"{'app - raw':32}{best['app'][0] - best['raw'][0]:+11.3f}{best['app'][1] - best['raw'][1]:+12.3f}")
    print(bc.load_note())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--trips", action="store_true", help="the stub row for each way to run the route")
    args = ap.parse_args()
    rounds = int(bc.bounded(args.rounds, 100, "--rounds"))
    n = int(bc.bounded(args.requests, 10_000, "--requests"))
    with tempfile.TemporaryDirectory(prefix="plangraph-bench-") as tmp:
        db = Path(tmp) / "store.lbug"
        plan = ROOT / "data" / "plans" / bc.PLAN
        subprocess.run(
            [str(bc.PLANGRAPH), "add", str(plan), "--db", str(db)], check=True, stdout=subprocess.DEVNULL
        )
        import uvloop

        uvloop.run(measure(db, rounds, n, args.trips))
    return 0


if __name__ == "__main__":
    sys.exit(main())
