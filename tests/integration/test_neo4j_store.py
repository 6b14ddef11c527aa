"""The Neo4j store against a real server: the Ladybug store's checks, failures of the server and the
connection, a load killed midway, and the same plan in both stores compared property by property."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
import pytest

from plangraph.graph.schema import ENTITIES
from plangraph.graph.stores import LoadFailed, QueryRefused, QueryTimeout, StoreUnavailable, open_store
from plangraph.graph.stores import neo4j_store as ns
from plangraph.graph.stores.ladybug_store import LadybugStore
from plangraph.graph.stores.neo4j_store import Neo4jStore
from tests.integration.conftest import neo4j_config
from tests.killed_load import kill_midway, rerun

# every test needs the server (or skips, or fails in CI): even the failure tests compare with it
pytestmark = [pytest.mark.neo4j, pytest.mark.usefixtures("neo4j_session_store")]

ROOT = Path(__file__).resolve().parents[2]
A, B = "pgtest-a", "pgtest-b"
HEAVY = "MATCH (a), (b), (c) WHERE a.eid < b.eid AND b.eid < c.eid RETURN count(*)"


# -- what the store holds of one plan (the database may hold other plans: look only at ours) ---------
def plan_counts(store: Neo4jStore, plan_id: str) -> tuple[Counter[str], Counter[str]]:
    p = {"p": plan_id}
    own = store.read("MATCH (n) WHERE n.plan_id = $p RETURN labels(n)[0], count(*)", p).rows
    shared = store.read(
        "MATCH (n)--(e) WHERE n.plan_id = $p AND e.plan_id = '' RETURN labels(e)[0], count(DISTINCT e)", p
    ).rows
    rels = store.read(
        "MATCH (a)-[r]->(b) WHERE a.plan_id = $p OR b.plan_id = $p RETURN type(r), count(*)", p
    ).rows
    return Counter(dict(own + shared)), Counter(dict(rels))


def graph_counts(g: nx.MultiDiGraph) -> tuple[Counter[str], Counter[str]]:
    return Counter(a["label"] for _, a in g.nodes(data=True)), Counter(k for _, _, k in g.edges(keys=True))


def dump(store: Neo4jStore, *plans: str) -> tuple[list[Any], list[Any]]:
    p = {"plans": list(plans)}
    nodes = store.read(
        "MATCH (n) WHERE n.plan_id IN $plans RETURN n ORDER BY n.eid", p, max_rows=100_000
    ).rows
    shared = store.read(
        "MATCH (n)--(e) WHERE n.plan_id IN $plans AND e.plan_id = '' RETURN DISTINCT e ORDER BY e.eid",
        p,
        max_rows=100_000,
    ).rows
    rels = store.read(
        "MATCH (a)-[r]->(b) WHERE a.plan_id IN $plans OR b.plan_id IN $plans RETURN a.eid, b.eid, r",
        p,
        max_rows=100_000,
    ).rows
    return nodes + shared, sorted(rels, key=repr)


# -- loading ----------------------------------------------------------------------------------------
def test_counts_per_label_and_type_match_the_graph(neo4j: Neo4jStore, graph_a: nx.MultiDiGraph) -> None:
    neo4j.load(graph_a, A)
    assert plan_counts(neo4j, A) == graph_counts(graph_a)
    assert A in neo4j.stats()["plans"]


@pytest.mark.parametrize("replace", [True, False])
def test_loading_twice_changes_nothing(neo4j: Neo4jStore, graph_a: nx.MultiDiGraph, replace: bool) -> None:
    neo4j.load(graph_a, A, replace=replace)
    first, stats = dump(neo4j, A), neo4j.stats()
    neo4j.load(graph_a, A, replace=replace)
    assert dump(neo4j, A) == first
    assert neo4j.stats() == stats


def test_two_plans_side_by_side_and_drop_one(
    neo4j: Neo4jStore, graph_a: nx.MultiDiGraph, graph_b: nx.MultiDiGraph
) -> None:
    neo4j.load(graph_b, B)
    only_b = dump(neo4j, B)
    neo4j.load(graph_a, A)
    assert {A, B} <= set(neo4j.stats()["plans"])
    assert plan_counts(neo4j, A) == graph_counts(graph_a)
    assert plan_counts(neo4j, B) == graph_counts(graph_b)
    neo4j.drop_plan(A)
    assert A not in neo4j.stats()["plans"]
    assert dump(neo4j, B) == only_b  # B and the entities it mentions are untouched
    assert plan_counts(neo4j, A) == (Counter(), Counter())


def test_replace_is_atomic_for_readers(neo4j: Neo4jStore, graph_a: nx.MultiDiGraph) -> None:
    neo4j.load(graph_a, A)
    count = "MATCH (n) WHERE n.plan_id = $p RETURN count(n)"
    before = neo4j.read(count, {"p": A}).rows
    seen: list[Any] = []
    neo4j.load(graph_a, A, progress=lambda done, total: seen.append(neo4j.read(count, {"p": A}).rows))
    assert seen and all(rows == before for rows in seen)


# -- failures leave the previous graph --------------------------------------------------------------
def test_an_error_midway_rolls_the_load_back(
    neo4j: Neo4jStore, graph_a: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    neo4j.load(graph_a, A)
    before = dump(neo4j, A)
    smaller = graph_a.copy()
    smaller.remove_nodes_from([n for n, a in graph_a.nodes(data=True) if a["label"] == "Technology"])

    def boom(done: int, total: int) -> None:
        if done > total // 2:
            raise RuntimeError("injected")

    with pytest.raises(RuntimeError, match="injected"):
        neo4j.load(smaller, A, progress=boom)
    assert dump(neo4j, A) == before

    real = ns.rel_query
    broken = {"MENTIONS": " RETURN nonsense("}
    monkeypatch.setattr(ns, "rel_query", lambda t, a, b, *more: real(t, a, b, *more) + broken.get(t, ""))
    with pytest.raises(LoadFailed, match=r"\[E304\] loading plan pgtest-a .* rolled back"):
        neo4j.load(smaller, A)
    assert dump(neo4j, A) == before


class CuttableProxy:
    """A TCP relay to the server whose connections can be cut, as a network failure would."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        self.listener.close()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


def test_a_connection_lost_midway_leaves_the_old_graph(neo4j: Neo4jStore, graph_a: nx.MultiDiGraph) -> None:
    cfg = neo4j_config()
    url = urlsplit(cfg["uri"])
    proxy = CuttableProxy(url.hostname or "127.0.0.1", url.port or 7687)
    neo4j.load(graph_a, A)
    before = dump(neo4j, A)
    v2 = graph_a.copy()
    for n in v2.nodes:
        v2.nodes[n]["title"] = "v2"
    flaky = Neo4jStore(
        f"bolt://127.0.0.1:{proxy.port}", cfg["user"], cfg["password"], cfg["database"], batch_size=20
    )
    try:
        with pytest.raises(StoreUnavailable) as info:
            flaky.load(v2, A, progress=lambda done, total: proxy.cut() if done > total // 3 else None)
    finally:
        flaky.close()
    message = str(info.value)
    assert "[E301] loading plan pgtest-a: the connection to Neo4j at bolt://127.0.0.1:" in message
    assert "rolled back, the previous graph is intact" in message
    assert cfg["password"] not in message
    assert dump(neo4j, A) == before


def test_a_killed_load_leaves_the_old_graph_and_a_rerun_completes(
    neo4j: Neo4jStore, graph_a: nx.MultiDiGraph, tmp_path: Path
) -> None:
    neo4j.load(graph_a, A)
    before = dump(neo4j, A)
    v2 = graph_a.copy()
    for n in v2.nodes:
        v2.nodes[n]["title"] = "v2"
    script = kill_midway(v2, A, 'open_store("neo4j", **neo4j_config(), batch_size=10)', tmp_path)
    assert dump(neo4j, A) == before
    rerun(script)
    assert neo4j.read("MATCH (n) WHERE n.plan_id = $p RETURN DISTINCT n.title", {"p": A}).rows == [["v2"]]
    assert plan_counts(neo4j, A) == graph_counts(graph_a)


# -- connecting -------------------------------------------------------------------------------------
def test_wrong_password_is_named_without_the_password() -> None:
    cfg = {**neo4j_config(), "password": "not-the-password-42"}
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore(**cfg)
    message = str(info.value)
    assert "refused the credentials of user" in message and cfg["uri"] in message
    assert "not-the-password-42" not in message


def test_a_server_that_does_not_answer() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    expected = rf"\[E301\] connecting: Neo4j at bolt://127.0.0.1:{port} does not answer"
    with pytest.raises(StoreUnavailable, match=expected):
        Neo4jStore(f"bolt://127.0.0.1:{port}", "neo4j", "secret-pw")
    assert time.monotonic() - started < 30


def test_uri_schemes() -> None:
    cfg = neo4j_config()
    url = urlsplit(cfg["uri"])
    for scheme in ("bolt", "neo4j"):
        store = open_store("neo4j", **{**cfg, "uri": f"{scheme}://{url.netloc}"})
        assert store.read("RETURN 1 AS one").rows == [[1]]
        store.close()
    # the local server speaks no TLS: the scheme is accepted, the connection fails clearly
    with pytest.raises(StoreUnavailable, match=rf"neo4j\+s://{url.hostname}"):
        Neo4jStore(**{**cfg, "uri": f"neo4j+s://{url.netloc}"}, connection_timeout_s=2)
    with pytest.raises(StoreUnavailable, match="the scheme must be one of"):
        Neo4jStore(**{**cfg, "uri": f"http://user:pw@{url.netloc}"})
    with pytest.raises(StoreUnavailable, match="has no database 'no-such-db'"):
        Neo4jStore(**{**cfg, "database": "no-such-db"})


# -- reading ----------------------------------------------------------------------------------------
def test_row_cap_and_timeout(neo4j: Neo4jStore, graph_a: nx.MultiDiGraph) -> None:
    neo4j.load(graph_a, A)
    query = "MATCH (n:Task) WHERE n.plan_id = $p RETURN n.eid AS eid ORDER BY n.eid"
    capped = neo4j.read(query, {"p": A}, max_rows=3)
    assert capped.columns == ["eid"] and len(capped.rows) == 3 and capped.truncated
    full = neo4j.read(query, {"p": A}, max_rows=10)
    assert len(full.rows) == 10 and not full.truncated
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"\[E303\].*timeout_s=0.5"):
        neo4j.read(HEAVY, timeout_s=0.5)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Task {eid: 'pgtest-x'})",
        "MATCH (n:Task) SET n.title = 'x'",
        "RETURN 1; RETURN 2",
        "CALL db.createLabel('PgtestLabel')",  # passes the lexical guard: the server refuses it
    ],
)
def test_reads_refuse_writes(neo4j: Neo4jStore, graph_a: nx.MultiDiGraph, query: str) -> None:
    neo4j.load(graph_a, A)
    before = dump(neo4j, A)
    with pytest.raises(QueryRefused, match=r"\[E302\]"):
        neo4j.read(query)
    assert dump(neo4j, A) == before


# -- the two stores hold the same graph -------------------------------------------------------------
def test_differential_neo4j_and_ladybug_hold_the_same_graph(
    neo4j: Neo4jStore, graph_a: nx.MultiDiGraph
) -> None:
    neo4j.load(graph_a, A)
    with LadybugStore() as ladybug:
        ladybug.load(graph_a, A)
        stats = ladybug.stats()
        nodes, rels = plan_counts(neo4j, A)
        assert nodes == Counter({k: v for k, v in stats["nodes"].items() if v})
        assert rels == Counter({k: v for k, v in stats["relationships"].items() if v})

        for eid in sorted(graph_a.nodes)[::7]:
            label = graph_a.nodes[eid]["label"]
            query = f"MATCH (n:`{label}` {{eid: $eid}}) RETURN n"
            one, two = neo4j.read(query, {"eid": eid}).rows, ladybug.read(query, {"eid": eid}).rows
            assert one == two, eid
            attrs = {k: v for k, v in graph_a.nodes[eid].items() if k != "label"}
            assert one == [[{"_label": label, **attrs}]]
            if label in ENTITIES:
                assert one[0][0]["plan_id"] == ""

        for u, v, key in sorted(graph_a.edges(keys=True))[::7]:
            lu, lv = graph_a.nodes[u]["label"], graph_a.nodes[v]["label"]
            query = f"MATCH (a:`{lu}` {{eid: $u}})-[r:`{key}`]->(b:`{lv}` {{eid: $v}}) RETURN r"
            one, two = neo4j.read(query, {"u": u, "v": v}).rows, ladybug.read(query, {"u": u, "v": v}).rows
            assert one == two, (u, key, v)
            attrs = {k: x for k, x in graph_a.edges[u, v, key].items() if k != "type"}
            assert one == [[{"_type": key, **attrs}]]
