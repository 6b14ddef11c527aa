"""Faults: Neo4j going away while the service runs (503 with a clear message, then recovery by itself), a
reload while clients query (no error, no mixed graph), and an embedded store file that does not open (a
clear error naming the file and the rebuild command).

The Neo4j outage is made with a TCP relay between the service and the shared server (a thread in the test),
so the shared server keeps running; ``-m slow`` also stops and restarts a second server of its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph.api.main import create_app
from plangraph.api.state import AppState, open_state
from plangraph.cli.main import app as cli
from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.stores import StoreUnavailable, open_store
from plangraph.graph.stores.rows import relabel_plan
from plangraph.ingest.models import PlanDocument
from plangraph.settings import Settings
from tests.conftest import BUNDLED_SOURCE, ROOT
from tests.stores_env import ENGINES, neo4j_config, open_engine
from tests.test_hostile_cypher import serving

PLAN = "pgtest-faults"
TOKEN = "faults-test-token-0123456789"
GOAL_TITLE, GOAL_TITLE_V2 = "数字政府建设水平全面提升", "数字政府建设水平显著提升"
TASK_TITLE, TASK_TITLE_V2 = "打造协同高效的数字政府服务体系", "打造协同高效的数字政府服务新体系"


# -- (a) Neo4j goes away and comes back ---------------------------------------------------------------
class Relay:
    """A TCP relay to the Neo4j server on a fixed local port: ``down()`` closes its port and every
    connection through it, as a stopped server would; ``up()`` listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                server = socket.create_connection(self.upstream)
            except OSError:
                return
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms stalls per message
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := a.recv(65536):
                b.sendall(data)
        with contextlib.suppress(OSError):
            b.shutdown(socket.SHUT_WR)

    def down(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def up(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()


def neo4j_through(port: int) -> tuple[Any, Settings]:
    """A Neo4j store reached through ``127.0.0.1:port``, and the service's settings."""
    cfg = neo4j_config()
    settings = Settings(
        store="neo4j",
        neo4j_uri=f"bolt://127.0.0.1:{port}",
        neo4j_username=cfg["user"],
        neo4j_password=cfg["password"],
        neo4j_database=cfg["database"],
        query_timeout_s=5,
        # the store's version is looked at on every request: no answer comes from the response cache
        # once the server is gone (with the default, cached answers may for up to 2 s)
        plan_list_ttl_s=0,
    )
    store = open_store(
        "neo4j",
        uri=settings.neo4j_uri,
        user=cfg["user"],
        password=cfg["password"],
        database=cfg["database"],
        connection_timeout_s=2.0,
    )
    return store, settings


def wait_until(check: Any, timeout_s: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout_s} s")


def assert_unavailable(r: Any, password: str) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "store_unavailable"
    assert "Neo4j at bolt://127.0.0.1:" in body["detail"], body
    assert "does not answer" in body["detail"] or "lost" in body["detail"], body
    assert password not in r.text


@pytest.mark.neo4j
def test_neo4j_outage_answers_503_and_the_service_recovers(
    bundled_doc: PlanDocument, caplog: pytest.LogCaptureFixture
) -> None:
    direct = open_engine("neo4j")  # skips (or fails in CI) without a server
    graph = nx_graph(bundled_doc)
    direct.drop_plan(PLAN)
    direct.load(graph, PLAN)
    cfg = neo4j_config()
    url = urlsplit(cfg["uri"])
    relay = Relay(url.hostname or "127.0.0.1", url.port or 7687)
    store, settings = neo4j_through(relay.port)
    state = AppState(settings, store)
    caplog.set_level(logging.DEBUG)
    paths = ["/health", f"/goals/5/tasks?plan={PLAN}", "/search?q=区块链", "/plans"]
    try:
        with TestClient(create_app(settings, state), raise_server_exceptions=False) as client:
            for path in paths:
                assert client.get(path).status_code == 200, path
            relay.down()
            for path in paths:
                started = time.monotonic()
                r = client.get(path)
                assert_unavailable(r, cfg["password"])
                assert time.monotonic() - started < 8, f"{path} took {time.monotonic() - started:.1f} s"
            r = client.post("/cypher", json={"query": "MATCH (t:Task) RETURN count(t)"})
            assert_unavailable(r, cfg["password"])
            relay.up()
            # the service recovers by itself: the driver reconnects, nothing is restarted
            wait_until(lambda: client.get("/health").status_code == 200, 10)
            for path in paths:
                assert client.get(path).status_code == 200, path
            r = client.get(f"/goals/5/tasks?plan={PLAN}")
            assert r.json()["items"][0]["title"] == TASK_TITLE
    finally:
        store.close()
        relay.down()
        direct.drop_plan(PLAN)
        direct.close()
    assert cfg["password"] not in caplog.text


def nx_graph(doc: PlanDocument) -> Any:
    return relabel_plan(build_graph(doc, links=links_beside(BUNDLED_SOURCE)), PLAN)


# -- (a, slow) a second Neo4j server of the test's own, really stopped and started ------------------------
NEO4J_SH = ROOT / "tools" / "neo4j-server" / "neo4j.sh"


@pytest.mark.slow
@pytest.mark.neo4j
def test_a_stopped_neo4j_server_answers_503_and_the_service_recovers(
    bundled_doc: PlanDocument, tmp_path: Path
) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java: cannot run a second Neo4j server")
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_PORT": str(port),
        "NEO4J_DATA_DIR": str(tmp_path / "neo4j"),
        "NEO4J_PASSWORD": neo4j_config()["password"],
        "NEO4J_HEAP": "512m",
    }

    def server(command: str) -> None:
        done = subprocess.run(["bash", str(NEO4J_SH), command], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr

    server("start")
    try:
        store, settings = neo4j_through(port)
        store.load(nx_graph(bundled_doc), PLAN)
        state = AppState(settings, store)
        with TestClient(create_app(settings, state), raise_server_exceptions=False) as client:
            assert client.get(f"/goals/5/tasks?plan={PLAN}").status_code == 200
            server("stop")
            assert_unavailable(client.get(f"/goals/5/tasks?plan={PLAN}"), neo4j_config()["password"])
            assert_unavailable(client.get("/health"), neo4j_config()["password"])
            server("start")
            wait_until(lambda: client.get("/health").status_code == 200, 30)
            assert client.get(f"/goals/5/tasks?plan={PLAN}").json()["items"][0]["title"] == TASK_TITLE
        store.close()
    finally:
        server("stop")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- (b) a reload while clients query -----------------------------------------------------------------
def version_2(text: str) -> str:
    assert text.count(GOAL_TITLE) >= 1 and text.count(TASK_TITLE) >= 1
    return text.replace(GOAL_TITLE, GOAL_TITLE_V2).replace(TASK_TITLE, TASK_TITLE_V2)


@pytest.fixture(scope="module", params=ENGINES)
def reloading(request: pytest.FixtureRequest, bundled_doc: PlanDocument) -> Iterator[TestClient]:
    with serving(request.param, PLAN, bundled_doc, token=TOKEN) as (client, _, _):
        yield client


def test_reload_while_clients_query(reloading: TestClient) -> None:
    client = reloading
    text = BUNDLED_SOURCE.read_text(encoding="utf-8")
    uploads = [
        {"plan_id": PLAN, "text": version_2(text), "title": "v2"},
        {"plan_id": PLAN, "text": text, "title": "v1"},
    ]
    asks = [f"/goals/goal-5/tasks?plan={PLAN}", f"/tasks?plan={PLAN}&limit=50"]
    v1 = [client.get(a).json() for a in asks]
    assert v1[0]["goal"]["title"] == GOAL_TITLE and v1[0]["items"][0]["title"] == TASK_TITLE
    seen: list[tuple[int, int, Any]] = []
    stop = threading.Event()

    def query(n: int) -> None:
        while not stop.is_set():
            i = n % len(asks)
            r = client.get(asks[i])
            seen.append((i, r.status_code, r.json() if r.status_code == 200 else r.text))
            n += 1

    readers = [threading.Thread(target=query, args=(n,)) for n in range(4)]
    for t in readers:
        t.start()
    try:
        time.sleep(0.2)
        r = client.post(
            f"/plans/{PLAN}/reload", json=uploads[0], headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert r.status_code == 200, r.text
        v2 = [client.get(a).json() for a in asks]
        r = client.post(
            f"/plans/{PLAN}/reload", json=uploads[1], headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert r.status_code == 200, r.text
        time.sleep(0.2)
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert v2[0]["goal"]["title"] == GOAL_TITLE_V2 and v2[0]["items"][0]["title"] == TASK_TITLE_V2
    assert v1 != v2
    errors = [(asks[i], status, body) for i, status, body in seen if status != 200]
    assert not errors, errors[:3]
    mixed = [(asks[i], body) for i, _, body in seen if body not in (v1[i], v2[i])]
    assert not mixed, f"{len(mixed)} of {len(seen)} answers are neither version: {str(mixed[0])[:600]}"
    assert len(seen) > 20


# -- (c) an embedded store file that does not open -------------------------------------------------------
def broken_files(tmp_path: Path) -> dict[str, Path]:
    garbage = tmp_path / "garbage.lbug"
    garbage.write_bytes(bytes(range(256)) * 64)
    folder = tmp_path / "folder.lbug"
    folder.mkdir()
    return {"garbage": garbage, "directory": folder}


@pytest.mark.parametrize("kind", ["garbage", "directory"])
def test_a_store_file_that_does_not_open_names_the_file_and_the_fix(tmp_path: Path, kind: str) -> None:
    path = broken_files(tmp_path)[kind]
    settings = Settings(store="ladybug", db_path=path)
    with pytest.raises(StoreUnavailable) as info:
        open_state(settings)
    message = str(info.value)
    assert message.startswith(f"[E301] cannot open the Ladybug store at {path}: "), message
    assert "plangraph load --db" in message, message
    if kind == "garbage":
        assert f"delete it and rebuild it: plangraph load --db {path}" in message
    with pytest.raises(StoreUnavailable, match="plangraph load --db"), TestClient(create_app(settings)):
        pass  # the app does not start


def test_a_truncated_store_file_names_the_file_and_the_fix(tmp_path: Path, bundled_doc: PlanDocument) -> None:
    path = tmp_path / "cut.lbug"
    store = open_store("ladybug", path=path)
    store.load(nx_graph(bundled_doc), PLAN)
    store.close()
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)
    with pytest.raises(StoreUnavailable) as info:
        open_state(Settings(store="ladybug", db_path=path))
    assert str(path) in str(info.value) and f"plangraph load --db {path}" in str(info.value)


def test_serve_on_a_broken_store_file_says_which_file_and_how_to_rebuild(tmp_path: Path) -> None:
    path = broken_files(tmp_path)["garbage"]
    result = CliRunner().invoke(cli, ["serve", "--db", str(path), "--port", str(free_port())])
    assert result.exit_code != 0
    output = result.output + str(result.exception or "")
    assert f"cannot open the Ladybug store at {path}" in output, output
    assert f"plangraph load --db {path}" in output, output
