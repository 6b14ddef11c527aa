"""Shared by bench/api.py and bench/loadtest.py: start and stop ``plangraph serve`` on a free loopback port,
probe Neo4j, drive the HTTP API with asyncio + httpx (a fixed count of requests, or a fixed time) and sum up
latencies and errors per request kind.

Only loopback addresses are ever contacted by the client; every run is bounded in count and in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
PLANGRAPH = ROOT / ".venv" / "bin" / "plangraph"
PLAN = "informatization-14fyp"
HOST = "127.0.0.1"
START_TIMEOUT_S = 180.0
REQUEST_TIMEOUT_S = 30.0
MAX_REQUESTS = 20_000  # per phase, whatever the arguments say
MAX_SECONDS = 900.0
MAX_CONCURRENCY = 256
STORES = ("ladybug", "neo4j")


# -- guards -----------------------------------------------------------------------------------------------
def require_loopback(url: str) -> str:
    """The URL without a trailing slash; refuses anything but a loopback host."""
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"error: {url} is not a loopback address; this bench only talks to 127.0.0.1")
    return url.rstrip("/")


def bounded(value: float, top: float, what: str) -> float:
    if value <= 0:
        raise SystemExit(f"error: {what} must be positive")
    if value > top:
        print(f"note: {what} {value:g} capped at {top:g}")
        return top
    return value


# -- Neo4j ------------------------------------------------------------------------------------------------
def neo4j_unavailable() -> str | None:
    """None when a Neo4j server answers with the configured settings; else why not (for 'skipped: …')."""
    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    host = urlsplit(uri).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        return f"NEO4J_URI {uri} is not on this machine (loopback only)"
    try:
        from neo4j import GraphDatabase
    except ImportError:
        return "the neo4j driver is not installed"
    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", "plangraph-dev"))
    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=5) as driver:
            driver.verify_connectivity()
    except Exception as exc:  # any failure is a reason to skip, stated
        first = str(exc).splitlines()[0] if str(exc) else ""
        return f"no Neo4j server answers at {uri} ({type(exc).__name__}: {first[:160]}); try make neo4j-start"
    return None


# -- the server under test --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    store: str
    base: str
    proc: subprocess.Popen[bytes] | None  # None: a service this process did not start
    log: Path | None
    started_s: float = 0.0

    def alive(self) -> bool:
        return self.proc is None or self.proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
                raise RuntimeError(f"the server exited with code {proc.returncode} while starting:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{base}/health").status_code == 200:
                    return
            time.sleep(0.25)
    raise RuntimeError(f"the server did not answer /health within {START_TIMEOUT_S:.0f} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGINT (uvicorn's graceful shutdown), then SIGKILL; only this process group, which we started."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def serve(
    store: str,
    extra_env: dict[str, str] | None = None,
    plans: list[Path] | None = None,
    port: int | None = None,
) -> Iterator[Server]:
    """``plangraph serve`` on ``port`` (default: a free loopback port), stopped on exit whatever happens
    inside, after ``plangraph add`` has put ``plans`` (default: the bundled plan) into its store: a fresh
    embedded file, or Neo4j (``--neo4j``). ``extra_env`` adds settings (``PLANGRAPH_MAX_ROWS`` …)."""
    port = port or free_port()
    base = f"http://{HOST}:{port}"
    env = {**os.environ, **(extra_env or {})}
    plans = plans if plans is not None else [ROOT / "data" / "plans" / "informatization-14fyp"]
    with tempfile.TemporaryDirectory(prefix=f"plangraph-bench-{store}-") as tmp:
        where = ["--neo4j"] if store == "neo4j" else ["--db", str(Path(tmp) / "store.lbug")]
        if store == "neo4j":
            env.setdefault("NEO4J_URI", "bolt://127.0.0.1:7687")
        shared = store == "neo4j"  # a shared server gets back what it held; a fresh file is thrown away
        before = _held(where, env) if shared else set()
        if plans:
            subprocess.run(
                [str(PLANGRAPH), "add", *map(str, plans), *where],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        added = _held(where, env) - before if shared else set()
        cmd = [str(PLANGRAPH), "serve", "--host", HOST, "--port", str(port), *where]
        log = Path(tmp) / "serve.log"
        t0 = time.perf_counter()
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            _wait_healthy(base, proc, log)
            server = Server(store, base, proc, log, time.perf_counter() - t0)
            print(
                f"[{store}] server pid {proc.pid} on {base}, "
                f"healthy after {server.started_s:.1f} s (log {log})"
            )
            yield server
        finally:
            _stop(proc)
            for plan_id in sorted(added):
                subprocess.run(
                    [str(PLANGRAPH), "drop", plan_id, *where],
                    cwd=ROOT,
                    env=env,
                    check=False,
                    stdout=subprocess.DEVNULL,
                )


def _held(where: list[str], env: dict[str, str]) -> set[str]:
    """The plan ids a store holds (``plangraph plans``); none for an embedded file not yet written."""
    res = subprocess.run(
        [str(PLANGRAPH), "plans", *where, "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if res.returncode != 0:
        return set()
    return {row[0] for row in json.loads(res.stdout)["rows"]}


@contextlib.contextmanager
def attach(url: str) -> Iterator[Server]:
    """A service already running (not started, not stopped by us)."""
    base = require_loopback(url)
    with httpx.Client(timeout=10.0) as client:
        health = client.get(f"{base}/health")
    health.raise_for_status()
    yield Server(str(health.json().get("store", "?")), base, None, None)


# -- measuring --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Req:
    kind: str
    path: str  # with the query string; non-ASCII is percent-encoded by httpx


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds, successes and failures alike
    errors: Counter[str] = field(default_factory=Counter)  # status code or exception name → count
    samples: list[str] = field(default_factory=list)  # the first few error bodies

    @property
    def count(self) -> int:
        return len(self.latencies)

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.samples += other.samples[: max(0, 5 - len(self.samples))]


@dataclass
class Run:
    by_kind: dict[str, Tally]
    wall_s: float
    cut_short: bool = False  # the time bound stopped a fixed-count run early

    def total(self) -> Tally:
        out = Tally()
        for tally in self.by_kind.values():
            out.merge(tally)
        return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def load_note() -> str:
    """The machine's load: the client, the server and anything else share its CPUs."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.2f} (1 min) {five:.2f} (5 min)"


def client(base: str, concurrency: int) -> httpx.AsyncClient:
    # Idle connections expire after 2 s, before uvicorn's keep-alive timeout (5 s) closes them: with httpx's
    # default (also 5 s) a request sent on a connection the server is closing fails with ReadError.
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2.0
    )
    return httpx.AsyncClient(base_url=base, limits=limits, timeout=REQUEST_TIMEOUT_S)


async def _one(http: httpx.AsyncClient, req: Req, tallies: dict[str, Tally]) -> None:
    tally = tallies.setdefault(req.kind, Tally())
    t0 = time.perf_counter()
    try:
        resp = await http.get(req.path)
        body = resp.content
        status: str | None = None if resp.status_code == 200 else str(resp.status_code)
        detail = body[:300].decode("utf-8", "replace")
    except httpx.HTTPError as exc:  # a transport failure: say what lay under it, and after how long
        cause = exc.__cause__ or exc.__context__
        under = f" ({type(cause).__name__}: {cause})" if cause else ""
        status = type(exc).__name__
        detail = f"after {(time.perf_counter() - t0) * 1000:.0f} ms: {exc}{under}"[:300]
    tally.latencies.append(time.perf_counter() - t0)
    if status is not None:
        tally.errors[status] += 1
        if len(tally.samples) < 3:
            tally.samples.append(f"{status} GET {req.path}: {detail}")


async def fixed(base: str, reqs: list[Req], concurrency: int, max_seconds: float) -> Run:
    """Send ``reqs`` (all of them, unless ``max_seconds`` passes first) with ``concurrency`` in flight."""
    reqs = reqs[:MAX_REQUESTS]
    tallies: dict[str, Tally] = {}
    todo = iter(reqs)
    deadline = time.perf_counter() + max_seconds
    cut = False

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal cut
        for req in todo:  # one shared iterator: each request is sent once
            if time.perf_counter() > deadline:
                cut = True
                return
            await _one(http, req, tallies)

    async with client(base, concurrency) as http:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    return Run(tallies, wall, cut)


async def timed(base: str, pick: Callable[[int, int], Req], clients: int, seconds: float) -> Run:
    """``clients`` closed-loop clients for ``seconds``; client ``c`` sends ``pick(c, i)`` as its i-th request.
    Requests in flight at the end finish (each within the request timeout) and are counted."""
    tallies: dict[str, Tally] = {}
    t0 = time.perf_counter()
    deadline = t0 + seconds

    async def worker(http: httpx.AsyncClient, c: int) -> None:
        i = 0
        while time.perf_counter() < deadline:
            await _one(http, pick(c, i), tallies)
            i += 1

    async with client(base, clients) as http:
        await asyncio.gather(*(worker(http, c) for c in range(clients)))
        wall = time.perf_counter() - t0
    return Run(tallies, wall)


def check_ok(base: str, reqs: list[Req]) -> list[str]:
    """Each distinct request once, sequentially: what did not answer 200 (a wrong ref shows up before the
    load does)."""
    bad = []
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as http:
        for req in dict.fromkeys(reqs):
            resp = http.get(req.path)
            if resp.status_code != 200:
                bad.append(f"{resp.status_code} GET {req.path}: {resp.text[:200]}")
    return bad


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += [
        "  ".join(c.rjust(w) if c[:1].isdigit() else c.ljust(w) for c, w in zip(r, widths, strict=True))
        for r in rows
    ]
    return "\n".join(out)


def flush() -> None:
    sys.stdout.flush()
