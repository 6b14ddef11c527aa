"""Ad-hoc Cypher under attack: a well-behaved client's canned query while 16 attackers run the exhaustion
suite through ``POST /cypher``, against the same client with no attackers, on a self-started service.

The well-behaved client is ``wrk`` (compiled, low overhead; ``--latency`` gives p50/p99) on one canned
query. The attackers are Python threads, one ``httpx`` client each, sending the attacks of
``tests/test_cypher_guard.py`` in turn: each attack lasts up to the deadline, so an attacker's own cost is
nothing beside the service's, and a Python client can read the problem bodies it gets back. The service runs
with ``PLANGRAPH_QUERY_TIMEOUT_S=2`` and per-client limits raised to 16 (the attackers share one address;
at the defaults most of them would get 429 at once, which is the easy case): all 16 reach the worker pool.

The quiet and attacked phases run in turns (``--rounds`` pairs): the machine's own load, which on a shared
machine moves a p99 by more than the attack does, then falls on both alike. Prints every phase's p50/p99,
the median of each over the rounds and the ratio of the medians (aim: attacked p99 within 3× of quiet),
the attackers' answers by status and their slowest answer (aim: within the deadline + 1 s), the peak
resident memory of the service's own process and of its workers, and whether the service survived (no
crash, no OOM kill). ``--uncached`` serves without the response cache, so every canned request reaches the
store: the figure for a query that is not in the cache.

    python bench/cypher_guard.py [--store ladybug|neo4j] [--seconds 10] [--rounds 3] [--uncached]
                                 [--attackers 16] [--port 8016]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import _client as bc  # bench/_client.py: this script's directory is on sys.path
import _wrk
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from plangraph.graph.adhoc.pool import resident_bytes  # noqa: E402
from tests.test_cypher_guard import ATTACKS  # noqa: E402  (the same attacks as the tests)

TIMEOUT_S = 2.0
CANNED = f"/queries/goal_coverage?plan={bc.PLAN}"


rss = resident_bytes


def children(pid: int) -> list[int]:
    """The service's query workers: processes whose parent is ``pid`` running ``graph.adhoc`` (not a child
    caught between fork and exec, which still shows the service's memory)."""
    out = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and b"graph.adhoc" in cmdline(int(entry.name)):
                out.append(int(entry.name))
    return out


def cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


class Peak:
    """The peak resident memory of the service's process and of its workers over the phases it samples
    (every 100 ms while :meth:`sample` runs its call)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.service, self.worker = pid, 0, 0

    def sample(self, call: Callable[[], object]) -> None:
        done = threading.Event()

        def look() -> None:
            while not done.is_set():
                self.service = max(self.service, rss(self.pid))
                for child in children(self.pid):
                    self.worker = max(self.worker, rss(child))
                done.wait(0.1)

        watcher = threading.Thread(target=look, daemon=True)
        watcher.start()
        try:
            call()
        finally:
            done.set()
            watcher.join()


def wrk(base: str, seconds: int) -> dict[str, float]:
    """p50/p99 (ms) and requests/s of the canned query, 2 connections on 1 thread."""
    f = _wrk.run(base + CANNED, 2, seconds)
    return {"p50": f.p50, "p99": f.p99, "rps": f.rps, "non2xx": float(f.non2xx)}


class Attackers:
    """``n`` threads sending the attacks in turn until stopped; answers by status, the slowest answer."""

    def __init__(self, base: str, n: int, kind: str) -> None:
        self.base, self.kind = base, kind
        self.statuses: Counter[str] = Counter()
        self.slowest: dict[str, float] = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.attack, args=(i,), daemon=True) for i in range(n)]

    def attack(self, i: int) -> None:
        with httpx.Client(base_url=self.base, timeout=60.0) as http:
            n = i
            while not self.stop.is_set():
                query = ATTACKS[n % len(ATTACKS)].text(self.kind)
                n += 1
                started = time.monotonic()
                try:
                    status = str(http.post("/cypher", json={"query": query}).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                with self.lock:
                    self.statuses[status] += 1
                    self.slowest[status] = max(self.slowest.get(status, 0.0), time.monotonic() - started)

    def add(self, other: Attackers) -> None:
        """Take ``other``'s answers into these tallies."""
        self.statuses.update(other.statuses)
        for status, t in other.slowest.items():
            self.slowest[status] = max(self.slowest.get(status, 0.0), t)

    def __enter__(self) -> Attackers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(60)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=bc.STORES, default="ladybug")
    parser.add_argument("--seconds", type=int, default=10, help="length of one phase (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="quiet/attacked pairs, in turns (default 3)")
    parser.add_argument("--attackers", type=int, default=16)
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="the service without its response cache (PLANGRAPH_CACHE_MB=0)",
    )
    parser.add_argument("--port", type=int, default=None, help="the service's port (default: a free one)")
    args = parser.parse_args()
    seconds = int(bc.bounded(args.seconds, 300, "--seconds"))
    rounds = int(bc.bounded(args.rounds, 20, "--rounds"))
    if args.store == "neo4j" and (why := bc.neo4j_unavailable()):
        print(f"neo4j: {why}")
        return 1
    os.environ.update(
        {
            "PLANGRAPH_QUERY_TIMEOUT_S": str(TIMEOUT_S),
            "PLANGRAPH_CYPHER_PER_CLIENT": str(args.attackers),
            "PLANGRAPH_CYPHER_RATE_PER_MIN": "1000000",
            "PLANGRAPH_CYPHER_BURST": "1000000",
            **({"PLANGRAPH_CACHE_MB": "0"} if args.uncached else {}),
        }
    )
    print(bc.load_note())
    with bc.serve(args.store, port=args.port) as server:
        assert server.proc is not None
        with httpx.Client(base_url=server.base, timeout=30) as http:
            assert http.get(CANNED).status_code == 200
            for _ in range(60):  # the workers have started
                if http.post("/cypher", json={"query": "RETURN 1"}).status_code == 200:
                    break
                time.sleep(0.5)
        wrk(server.base, 2)  # warm-up
        quiet_peak, peak = Peak(server.proc.pid), Peak(server.proc.pid)
        phases: dict[str, list[dict[str, float]]] = {"quiet": [], "attacked": []}
        attackers = Attackers(server.base, 0, args.store)  # the tallies of every round
        for _ in range(rounds):  # in turns, so that the machine's own load falls on both phases alike
            quiet_peak.sample(lambda: phases["quiet"].append(wrk(server.base, seconds)))
            with Attackers(server.base, args.attackers, args.store) as round_attackers:
                time.sleep(2)  # every attacker has a query in flight
                peak.sample(lambda: phases["attacked"].append(wrk(server.base, seconds)))
            attackers.add(round_attackers)
        alive = server.alive()
        with httpx.Client(base_url=server.base, timeout=30) as http:
            healthy = alive and http.get("/health").status_code == 200
        mib = 1 << 20
        cache = "without the response cache" if args.uncached else "with the response cache"
        print(
            f"\n== {args.store}: canned query {CANNED} ({cache}) by wrk (2 connections), {rounds} rounds of "
            f"{seconds} s quiet then {seconds} s attacked =="
        )

        def row(name: str, f: dict[str, float]) -> list[str]:
            return [name, f"{f['p50']:.1f}", f"{f['p99']:.1f}", f"{f['rps']:.0f}", f"{f['non2xx']:.0f}"]

        rows = [
            row(f"{phase} {n}" if phase == "quiet" else f"{args.attackers} attackers {n}", f)
            for n in range(1, rounds + 1)
            for phase, f in (("quiet", phases["quiet"][n - 1]), ("attacked", phases["attacked"][n - 1]))
        ]
        med = {
            phase: {k: median([f[k] for f in fs]) for k in ("p50", "p99", "rps", "non2xx")}
            for phase, fs in phases.items()
        }
        rows += [row("median quiet", med["quiet"]), row("median attacked", med["attacked"])]
        q, a = med["quiet"], med["attacked"]
        rows.append(
            [
                "ratio of medians",
                f"{a['p50'] / q['p50']:.2f}x",
                f"{a['p99'] / q['p99']:.2f}x",
                f"{a['rps'] / q['rps']:.2f}x",
                "",
            ]
        )
        print(bc.table(["phase", "p50 ms", "p99 ms", "req/s", "non-2xx"], rows))
        slowest = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(attackers.slowest.items()))
        print(f"attackers' answers: {dict(sorted(attackers.statuses.items()))}; slowest by status: {slowest}")
        print(f"  (deadline {TIMEOUT_S:g} s + 1 s = {TIMEOUT_S + 1:g} s)")
        peaks = (peak.service, quiet_peak.service, peak.worker)
        service, quiet_service, worker = (round(x / mib) for x in peaks)
        print(f"peak resident memory: service {service} MiB (quiet {quiet_service}), one worker {worker} MiB")
        print("  (a worker's cap: PLANGRAPH_QUERY_MEMORY_MB, default 512)")
        print(f"service alive after the attack: {alive}, /health: {'ok' if healthy else 'FAILED'}")
        print(bc.load_note())
        non2xx = sum(f["non2xx"] for fs in phases.values() for f in fs)
        ok = healthy and non2xx == 0 and max(attackers.slowest.values(), default=0.0) < TIMEOUT_S + 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
