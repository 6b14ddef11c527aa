"""Shared by the HTTP benches (serving, loadtest, cypher_guard, explorer): start and stop ``plangraph serve``
on a free loopback port after adding plans to its store, probe Neo4j, check that requests answer 200, print
tables. The load itself is wrk's (bench/_wrk.py).

Only loopback addresses are ever contacted by the client; every run is bounded in count and in time.
"""

from __future__ import annotations

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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
PLANGRAPH = ROOT / ".venv" / "bin" / "plangraph"
PLAN = "informatization-14fyp"
HOST = "127.0.0.1"
START_TIMEOUT_S = 180.0
REQUEST_TIMEOUT_S = 30.0
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
    db: Path | None = None  # the embedded store file it serves

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


def stop(proc: subprocess.Popen[bytes]) -> None:
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
            db = None if store == "neo4j" else Path(where[1])
            server = Server(store, base, proc, log, time.perf_counter() - t0, db)
            print(
                f"[{store}] server pid {proc.pid} on {base}, "
                f"healthy after {server.started_s:.1f} s (log {log})"
            )
            yield server
        finally:
            stop(proc)
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


def load_note() -> str:
    """The machine's load: the client, the server and anything else share its CPUs."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.2f} (1 min) {five:.2f} (5 min)"


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
