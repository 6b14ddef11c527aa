"""Exhaustion attacks on ad-hoc Cypher (``POST /cypher``) on both stores: huge ``range()``/``UNWIND``,
cartesian products, deep variable-length paths, huge strings and lists in one row, ``collect()`` over
everything, and many such queries at once from several clients.

For each: the answer (504 ``query_timeout``, 413 ``query_too_large`` naming the setting, or a capped 200)
comes within the deadline + 1 s; the service's own memory does not grow and the workers stay under their cap
plus a margin; ``/health`` and a canned query answer throughout; the graph is unchanged. Also each limit's
setting, changed, changes the answer, and the per-client limits answer 429 with ``Retry-After``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from plangraph.api.errors import LIMIT_SETTINGS
from plangraph.api.main import create_app
from plangraph.api.state import AppState
from plangraph.graph.adhoc.pool import resident_bytes
from plangraph.graph.stores import QueryTooLarge, Store
from plangraph.ingest.models import PlanDocument
from plangraph.settings import Settings
from tests.stores_env import ENGINES, neo4j_config, open_engine
from tests.test_faults import Relay, neo4j_through
from tests.test_hostile_cypher import CARTESIAN, assert_unchanged, serving, snapshot

PLAN = "pgtest-guard"
TIMEOUT_S = 2.0
MEMORY_MB = 400
ANSWER_BYTES = 200_000
LIST_ITEMS = 1000
#: how far past its cap a worker may get before the pool's look every 50 ms kills it
WORKER_MARGIN_MB = 150
#: how much the service's own resident memory may grow while it is attacked
SERVICE_MARGIN_MB = 100
GUARDED: dict[str, Any] = {
    "query_timeout_s": TIMEOUT_S,
    "max_rows": 1000,
    "query_memory_mb": MEMORY_MB,
    "max_answer_bytes": ANSWER_BYTES,
    "max_list_items": LIST_ITEMS,
    "cypher_workers": 2,
    "cypher_per_client": 2,
    "cypher_rate_per_min": 1e6,
    "cypher_burst": 100_000,
}


rss = resident_bytes


Guarded = tuple[TestClient, Store, AppState, dict[str, Any]]


@pytest.fixture(scope="module", params=ENGINES)
def guarded(request: pytest.FixtureRequest, bundled_doc: PlanDocument) -> Iterator[Guarded]:
    with serving(request.param, PLAN, bundled_doc, **GUARDED) as (client, store, state):
        yield client, store, state, snapshot(store, PLAN)


def other_client(app: FastAPI, n: int) -> TestClient:
    """A client of the same running app from another address (its own per-client limits)."""
    return TestClient(app, client=(f"10.0.0.{n}", 40000 + n), raise_server_exceptions=False)


@dataclass
class Watch:
    """What a bystander saw while the attack ran: ``/health`` and a canned query, and resident memory."""

    statuses: list[int] = field(default_factory=list)
    service_rss: int = 0
    worker_rss: int = 0


@contextmanager
def watching(client: TestClient, state: AppState) -> Iterator[Watch]:
    watch = Watch()
    bystander = other_client(client.app, 250)  # type: ignore[arg-type]
    done = threading.Event()

    def look() -> None:
        while not done.is_set():
            watch.statuses.append(bystander.get("/health").status_code)
            watch.statuses.append(bystander.get("/goals", params={"plan": PLAN}).status_code)
            watch.service_rss = max(watch.service_rss, rss(os.getpid()))
            pool = state.pool
            for pid in pool.pids() if pool else []:
                watch.worker_rss = max(watch.worker_rss, rss(pid))
            done.wait(0.05)

    before = rss(os.getpid())
    thread = threading.Thread(target=look)
    thread.start()
    try:
        yield watch
    finally:
        done.set()
        thread.join()
    watch.service_rss -= before


def assert_bystander_served(watch: Watch) -> None:
    assert watch.statuses and set(watch.statuses) == {200}, watch.statuses
    assert watch.service_rss < SERVICE_MARGIN_MB << 20, f"the service grew {watch.service_rss >> 20} MiB"
    assert watch.worker_rss < (MEMORY_MB + WORKER_MARGIN_MB) << 20, (
        f"a worker held {watch.worker_rss >> 20} MiB"
    )


SETTING_OF_CODE = {504: "PLANGRAPH_QUERY_TIMEOUT_S"}
#: the settings a 413 may name: the service's caps, and the Neo4j server's (its transaction memory, or the
#: direct memory it sends an answer from: it drops the connection over a row larger than that)
TOO_LARGE_SETTINGS = {
    LIMIT_SETTINGS[limit]
    for limit in ("memory", "answer_bytes", "list_items", "server_memory", "server_answer")
}


def assert_stopped(r: Any, allowed: set[int]) -> None:
    """A 504/413 problem naming its setting, or a capped 200, as ``allowed``."""
    assert r.status_code in allowed, r.text
    if r.status_code == 504:
        assert r.json()["code"] == "query_timeout" and r.json()["setting"] == "PLANGRAPH_QUERY_TIMEOUT_S"
    elif r.status_code == 413:
        assert r.json()["code"] == "query_too_large" and r.json()["setting"] in TOO_LARGE_SETTINGS, r.text
    else:
        body = r.json()
        assert body["truncated"] is True and len(r.content) < ANSWER_BYTES + 1000


# -- the attacks ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attack:
    name: str
    #: the query, or one per engine (where the engines spell a function differently)
    query: str | dict[str, str]
    allowed: frozenset[int] = frozenset({504, 413})

    def text(self, kind: str) -> str:
        return self.query if isinstance(self.query, str) else self.query[kind]


ATTACKS = [
    Attack("unwind-range-2e8", "UNWIND range(1, 200000000) AS x WITH x WHERE x < 0 RETURN x"),
    Attack("range-in-one-row", "RETURN range(1, 100000000) AS xs"),
    Attack("cartesian-count", CARTESIAN),
    Attack("cartesian-collect", "MATCH (a), (b) RETURN collect(a.eid + b.eid) AS pairs"),
    Attack("deep-paths-count", "MATCH p = (a)-[*1..30]-(b) RETURN count(p)"),
    Attack("deep-paths-rows", "MATCH p = (a)-[*1..30]-(b) RETURN p", frozenset({200, 504, 413})),
    Attack(
        "huge-string",
        {
            "ladybug": "RETURN repeat('x', 100000000) AS s",
            "neo4j": "RETURN reduce(s = 'x', i IN range(1, 27) | s + s) AS s",
        },
    ),
    Attack("collect-everything", "MATCH (n) RETURN collect(n) AS everything", frozenset({413})),
    Attack("every-node-whole", "MATCH (n) RETURN n", frozenset({200})),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_an_attack_is_stopped_in_time_and_harms_no_one(guarded: Guarded, attack: Attack) -> None:
    client, store, state, before = guarded
    state.adhoc().wait_ready()  # the workers killed by the attack before have been replaced
    with watching(client, state) as watch:
        started = time.monotonic()
        r = client.post("/cypher", json={"query": attack.text(store.kind)})
        elapsed = time.monotonic() - started
    assert_stopped(r, set(attack.allowed))
    assert elapsed < TIMEOUT_S + 1, f"answered after {elapsed:.1f} s"
    assert_bystander_served(watch)
    assert_unchanged(before, snapshot(store, PLAN, totals=False))
    settle(store)


def settle(store: Store) -> None:
    """Neo4j runs on what an attack left running until its own limits stop it (a ``range()`` being built
    cannot be interrupted): wait until the server answers at once again, for the next test's sake."""
    quick = 0
    for _ in range(120):
        started = time.monotonic()
        store.read("MATCH (n) RETURN count(n)")
        quick = quick + 1 if time.monotonic() - started < 0.2 else 0
        if quick == 3:
            return
        time.sleep(0.25)


def test_many_attacks_at_once_from_several_clients(guarded: Guarded) -> None:
    """Six clients, two attacks each at once, on a pool of two workers: every answer is a stop (504, 413)
    or 503 ``workers_busy`` for a query that found no free worker in its time (never ``store_unavailable``,
    on either store), none later than the deadline + 1 s, and the bystander is served throughout."""
    client, store, state, before = guarded
    state.adhoc().wait_ready()
    clients = [other_client(client.app, n) for n in range(1, 7)]  # type: ignore[arg-type]
    heavy = [a for a in ATTACKS if a.allowed == {504, 413}]
    jobs = [(c, heavy[(i * 2 + j) % len(heavy)]) for i, c in enumerate(clients) for j in range(2)]

    def attack(job: tuple[TestClient, Attack]) -> tuple[Any, float]:
        c, a = job
        started = time.monotonic()
        r = c.post("/cypher", json={"query": a.text(store.kind)})
        return r, time.monotonic() - started

    with watching(client, state) as watch, ThreadPoolExecutor(len(jobs)) as pool:
        answers = list(pool.map(attack, jobs))
    for r, elapsed in answers:
        if r.status_code == 503 and r.json()["code"] == "workers_busy":
            assert int(r.headers["Retry-After"]) >= 1
        else:
            assert_stopped(r, {504, 413})
        assert elapsed < TIMEOUT_S + 1, f"answered after {elapsed:.1f} s"
    assert_bystander_served(watch)
    settle(store)
    state.adhoc().wait_ready()
    assert client.post("/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [[1]]
    assert_unchanged(before, snapshot(store, PLAN, totals=False))


# -- each limit is its setting ----------------------------------------------------------------------------
@pytest.fixture
def ready(guarded: Guarded) -> Guarded:
    """The service with its workers started (after the attacks killed some), its store settled."""
    settle(guarded[1])
    guarded[2].adhoc().wait_ready()
    return guarded


def test_a_list_over_the_cap_is_refused_naming_the_setting(ready: Guarded) -> None:
    client, _, _, _ = ready
    r = client.post("/cypher", json={"query": f"UNWIND range(1, {LIST_ITEMS + 1}) AS x RETURN collect(x)"})
    assert r.status_code == 413 and r.json()["setting"] == "PLANGRAPH_MAX_LIST_ITEMS", r.text
    assert f"holds {LIST_ITEMS + 1} items" in r.json()["detail"]
    r = client.post("/cypher", json={"query": f"UNWIND range(1, {LIST_ITEMS}) AS x RETURN collect(x)"})
    assert r.status_code == 200 and len(r.json()["rows"][0][0]) == LIST_ITEMS


def test_the_answer_stops_at_its_byte_cap(ready: Guarded) -> None:
    """1000 rows of 500 characters are 500 kB: the answer keeps the rows that fit in 200 kB."""
    client, _, _, _ = ready
    r = client.post("/cypher", json={"query": f"UNWIND range(1, 1000) AS i RETURN i, '{'x' * 500}' AS s"})
    body = r.json()
    assert r.status_code == 200 and body["truncated"] is True, r.text
    assert 300 < body["row_count"] < 400 and ANSWER_BYTES * 0.9 < len(r.content) < ANSWER_BYTES + 1000
    r = client.post(
        "/cypher", json={"query": f"UNWIND range(1, 300) AS i RETURN collect('{'x' * 900}') AS s"}
    )
    assert r.status_code == 413 and r.json()["setting"] == "PLANGRAPH_MAX_ANSWER_BYTES", r.text


def test_the_memory_cap_is_its_setting(ready: Guarded) -> None:
    """300,000 strings of a thousand characters in 10,000 rows need some 300 MiB more in a worker (on either
    store): over a cap just above what a worker needs itself, well under 1500 MiB. Long strings rather than
    many short ones: the same memory in a tenth of the time on a busy machine; small rows, so that a batch
    of rows Neo4j sends (1000) stays far under the server's direct memory, whatever attacks left in it."""
    client, store, state, _ = ready
    long = "abcdefghij" * 100
    words = {  # a list comprehension; Ladybug spells it list_transform
        "neo4j": f"[x IN range(1, 30) | '{long}' + toString(x)]",
        "ladybug": f"list_transform(range(1, 30), x -> '{long}' + CAST(x AS STRING))",
    }
    query = f"UNWIND range(1, 10000) AS i RETURN {words[store.kind]} AS words"
    pool = state.adhoc()
    roomy = replace(
        state.settings.adhoc_limits(timeout_s=30),
        max_rows=10**5,
        max_answer_bytes=10**9,
        max_list_items=10**6,
    )
    assert pool.run("RETURN 1", {}, roomy).rows == [[1]]
    needs = max(rss(pid) for pid in pool.pids()) >> 20  # what a worker holds by itself, at most
    with pytest.raises(QueryTooLarge, match=f"more than {needs + 60} MiB"):
        pool.run(query, {}, replace(roomy, memory_mb=needs + 60))
    result = pool.run(query, {}, replace(roomy, memory_mb=1500))
    assert len(result.rows) == 10000 and not result.truncated
    assert client.get("/health").status_code == 200


def test_the_pool_has_its_workers(ready: Guarded) -> None:
    _, store, state, _ = ready
    assert len(state.adhoc().pids()) == GUARDED["cypher_workers"]
    one = AppState(Settings(plans=[], cypher_workers=1), store)  # type: ignore[arg-type]
    try:
        assert len(one.adhoc().pids()) == 1
    finally:
        one.close_pool()


# -- per-client limits -------------------------------------------------------------------------------------
def test_one_client_runs_at_most_its_share_at_once(ready: Guarded) -> None:
    client, store, _, _ = ready
    c = other_client(client.app, 99)  # type: ignore[arg-type]
    slow = CARTESIAN
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: c.post("/cypher", json={"query": slow}), range(3)))
    limited = [r for r in answers if r.status_code == 429]
    assert limited, [r.status_code for r in answers]
    for r in limited:
        assert r.json()["code"] == "too_many_queries" and r.json()["setting"] == "PLANGRAPH_CYPHER_PER_CLIENT"
        assert int(r.headers["Retry-After"]) >= 1
    assert store.kind and c.get("/goals", params={"plan": PLAN}).status_code == 200  # canned: not limited


def test_a_client_over_its_rate_waits(ready: Guarded) -> None:
    client, _, state, _ = ready
    saved = state.clients
    settings = Settings(plans=[], cypher_rate_per_min=6, cypher_burst=2)  # type: ignore[arg-type]
    state.clients = AppState(settings, state.store).clients
    try:
        c = other_client(client.app, 98)  # type: ignore[arg-type]
        codes = [c.post("/cypher", json={"query": "RETURN 1"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        r = c.post("/cypher", json={"query": "RETURN 1"})
        assert (
            r.json()["setting"] == "PLANGRAPH_CYPHER_RATE_PER_MIN"
            and 1 <= int(r.headers["Retry-After"]) <= 10
        )
        assert other_client(client.app, 97).post("/cypher", json={"query": "RETURN 1"}).status_code == 200
        for _ in range(5):
            assert c.get("/health").status_code == 200 and c.get("/queries/plans").status_code == 200
    finally:
        state.clients = saved


# -- an answer the Neo4j server cannot send -------------------------------------------------------------------
class ShortRelay(Relay):
    """A relay to the Neo4j server that cuts a connection once the server has sent more than ``limit``
    bytes on it, closing both ends without a word, as the server itself does with an answer over its direct
    memory (io.netty OutOfDirectMemoryError); the other connections go on."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self.limit = limit
        super().__init__(host, port)

    def _pump(self, a: socket.socket, b: socket.socket) -> None:  # type: ignore[override]
        downstream = a.getpeername()[1] == self.upstream[1]
        sent = 0
        with contextlib.suppress(OSError):
            while data := a.recv(65536):
                sent += len(data)
                if downstream and sent > self.limit:
                    for s in (a, b):
                        with contextlib.suppress(OSError):
                            s.shutdown(socket.SHUT_RDWR)
                    return
                b.sendall(data)
        with contextlib.suppress(OSError):
            b.shutdown(socket.SHUT_WR)


@pytest.mark.neo4j
def test_an_answer_the_neo4j_server_cannot_send_is_too_large_not_unavailable() -> None:
    """The server drops the connection in the middle of a 2 MiB answer and answers everyone else: 413
    ``query_too_large`` naming the server's setting, within the deadline + 1 s, and the service goes on;
    a server that is gone is still 503 ``store_unavailable``."""
    open_engine("neo4j").close()  # fails in CI, skips elsewhere, when no server answers
    url = urlsplit(neo4j_config()["uri"])
    relay = ShortRelay(url.hostname or "127.0.0.1", url.port or 7687, 1 << 20)
    store, settings = neo4j_through(relay.port)
    settings = settings.model_copy(update={"query_timeout_s": TIMEOUT_S, "cypher_workers": 1})
    state = AppState(settings, store)
    big = "RETURN reduce(s = 'x', i IN range(1, 21) | s + s) AS s"  # 2 MiB, under the answer's byte cap
    try:
        with TestClient(create_app(settings, state), raise_server_exceptions=False) as client:
            state.adhoc().wait_ready()
            started = time.monotonic()
            r = client.post("/cypher", json={"query": big})
            elapsed = time.monotonic() - started
            assert r.status_code == 413, r.text
            assert r.json()["code"] == "query_too_large"
            assert (
                r.json()["setting"] == LIMIT_SETTINGS["server_answer"]
                and "direct memory" in r.json()["detail"]
            )
            assert elapsed < TIMEOUT_S + 1, f"answered after {elapsed:.1f} s"
            assert client.get("/health").status_code == 200
            assert client.post("/cypher", json={"query": "RETURN size(" + big[7:-5] + ") AS n"}).json()[
                "rows"
            ] == [[1 << 21]]
            relay.down()
            r = client.post("/cypher", json={"query": big})
            assert r.status_code == 503 and r.json()["code"] == "store_unavailable", r.text
    finally:
        relay.down()
        state.close_pool()
        store.close()
