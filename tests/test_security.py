"""Security defaults and request limits: loopback by default, writes only with the token (off without one),
secrets (the token, the Neo4j password) in no log and no error, CORS closed unless configured, and
oversized bodies, parameters, depths and page sizes refused with 4xx."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from plangraph.api import services
from plangraph.api.main import create_app
from plangraph.api.state import AppState, open_state
from plangraph.cli import api_cmds
from plangraph.cli.main import app as cli
from plangraph.graph.stores import Store, StoreUnavailable
from plangraph.ingest.models import PlanDocument
from plangraph.settings import Settings
from tests.conftest import BUNDLED_SOURCE
from tests.stores_env import neo4j_config, open_engine
from tests.test_hostile_cypher import serving

PLAN = "pgtest-security"
TOKEN = "tok-Secret-7f3a9c1e5b"
NEO4J_SECRET = "pw-Secret-2d8e6b4a"
BODY_LIMIT = 200_000
SETTINGS_ENV = ("PLANGRAPH_HOST", "PLANGRAPH_TOKEN", "PLANGRAPH_CORS_ORIGINS", "PLANGRAPH_PORT")


@pytest.fixture(scope="module")
def secured(bundled_doc: PlanDocument) -> Iterator[tuple[TestClient, Store]]:
    with serving("ladybug", PLAN, bundled_doc, token=TOKEN, max_body_bytes=BODY_LIMIT) as (client, store, _):
        yield client, store


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)


def auth(token: str | bytes) -> dict[str, Any]:
    return {"Authorization": b"Bearer " + (token if isinstance(token, bytes) else token.encode())}


def upload(text: str = "这不是规划。") -> dict[str, str]:
    return {"plan_id": "pgtest-security-upload", "text": text}


# -- defaults -----------------------------------------------------------------------------------------
def test_defaults_are_closed(clean_env: None) -> None:
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert settings.token is None
    assert settings.cors_origins == []
    assert inspect.signature(api_cmds.serve).parameters["host"].default is None  # the settings' then


def test_serve_binds_loopback_by_default(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[Any, str]] = []
    monkeypatch.setattr(
        "uvicorn.Server.run", lambda self, sockets: calls.append((self.config, sockets[0].getsockname()[0]))
    )
    monkeypatch.setenv("PLANGRAPH_PORT", "0")  # any free port: the default's may be taken on this machine
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "s.lbug")])
    assert result.exit_code == 0, result.output
    config, bound = calls[0]
    assert config.host == "127.0.0.1" and bound == "127.0.0.1"


# -- writes need the token -----------------------------------------------------------------------------
def write_operations(client: TestClient) -> list[tuple[str, str]]:
    """Every operation that is not a GET, except those that only read (ad-hoc Cypher, canned queries, exports)."""
    spec = client.get("/openapi.json").json()
    reads = {"cypher", "run_query_post", "export_nodes"}
    ops = [
        (method.upper(), path.replace("{plan_id}", PLAN))
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method != "get" and op["operationId"] not in reads
    ]
    assert {p for _, p in ops} == {"/plans", f"/plans/{PLAN}/reload"}
    return ops


def test_writes_are_off_without_a_token(secured: tuple[TestClient, Store]) -> None:
    _, store = secured
    settings = Settings()  # no token
    with TestClient(create_app(settings, AppState(settings, store))) as client:
        for method, path in write_operations(client):
            for headers in ({}, auth(TOKEN), auth("")):
                r = client.request(method, path, json=upload(), headers=headers)
                assert r.status_code == 403 and r.json()["code"] == "writes_disabled", r.text
                assert "PLANGRAPH_TOKEN" in r.json()["detail"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        auth("wrong"),
        auth(TOKEN[:-1]),
        auth(TOKEN + "x"),
        auth(TOKEN.upper()),
        auth(TOKEN + "é".encode("latin-1").decode("latin-1")),
        {"Authorization": b"Bearer " + TOKEN.encode() + b"\xe9"},
        {"Authorization": f"Basic {TOKEN}"},
        {"X-Token": TOKEN},
    ],
    ids=range(12),
)
def test_writes_refuse_a_missing_or_wrong_token(
    secured: tuple[TestClient, Store], headers: dict[str, Any]
) -> None:
    client, store = secured
    before = store.stats()
    for method, path in write_operations(client):
        r = client.request(method, path, json=upload(BUNDLED_SOURCE.read_text("utf-8")), headers=headers)
        assert r.status_code == 401 and r.json()["code"] == "unauthorized", r.text
        r = client.request(method, path + f"?token={TOKEN}", json=upload(), headers=headers)
        assert r.status_code == 422 and "unknown query parameter token" in r.json()["detail"]  # not a way in
        assert TOKEN not in r.text
    assert store.stats() == before


def test_the_token_lets_writes_through(secured: tuple[TestClient, Store]) -> None:
    client, _ = secured
    for method, path in write_operations(client):
        r = client.request(method, path, json=upload(), headers=auth(TOKEN))
        assert r.status_code in (409, 422), r.text  # past the token: a bad plan (or id) is refused
        assert r.json()["code"] in ("invalid_plan", "invalid_parameters", "plan_exists")


# -- secrets in no log and no error ---------------------------------------------------------------------
def test_the_token_is_in_no_log_and_no_answer(
    secured: tuple[TestClient, Store], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = secured
    caplog.set_level(logging.DEBUG)
    answers = [
        client.post("/plans", json=upload(), headers=auth("wrong-" + TOKEN)),
        client.post("/plans", json=upload(), headers=auth(TOKEN)),
        client.post("/plans", json={"plan_id": "../x", "text": TOKEN}, headers=auth(TOKEN)),
        client.post(f"/plans/{PLAN}/reload", json=upload(TOKEN), headers=auth(TOKEN)),
        client.post(f"/plans/{PLAN}/reload", headers=auth(TOKEN)),
        client.post("/cypher", json={"query": "RETURN $t AS t; CREATE (n)", "params": {"t": "x"}}),
        client.get("/version"),
        client.get("/health"),
        client.get("/openapi.json"),
        client.get("/no/such/route", headers=auth(TOKEN)),
    ]
    monkeypatch.setattr(services, "run", lambda *a, **k: 1 / 0)
    crashed = client.get(f"/goals?plan={PLAN}", headers=auth(TOKEN))
    assert crashed.status_code == 500 and crashed.json()["code"] == "internal_error"
    assert "Traceback" not in crashed.text and "ZeroDivisionError" not in crashed.text
    for r in [*answers, crashed]:
        assert TOKEN not in r.text, (r.request.url, r.text[:300])
        assert TOKEN not in str(dict(r.headers))
    assert TOKEN not in caplog.text
    settings = Settings(token=TOKEN, neo4j_password=NEO4J_SECRET)  # type: ignore[arg-type]
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert TOKEN not in text and NEO4J_SECRET not in text


@pytest.mark.neo4j
def test_a_wrong_neo4j_password_is_in_no_log_and_no_error(caplog: pytest.LogCaptureFixture) -> None:
    open_engine("neo4j").close()  # skips (or fails in CI) without a server
    cfg = neo4j_config()
    caplog.set_level(logging.DEBUG)
    # a user that does not exist: failed logins of the real user would lock it for everyone for a while
    settings = Settings(
        store="neo4j",
        neo4j_uri=cfg["uri"],
        neo4j_username="pgtest-nobody",
        neo4j_password=SecretStr(NEO4J_SECRET),
    )
    with pytest.raises(StoreUnavailable) as info:
        open_state(settings)
    message = str(info.value)
    assert "refused the credentials of user 'pgtest-nobody'" in message and "NEO4J_PASSWORD" in message
    with pytest.raises(StoreUnavailable) as started, TestClient(create_app(settings)):
        pass
    assert NEO4J_SECRET not in message and NEO4J_SECRET not in str(started.value)
    assert NEO4J_SECRET not in caplog.text


def test_a_password_in_the_neo4j_uri_is_in_no_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    settings = Settings(store="neo4j", neo4j_uri=f"bolt://neo4j:{NEO4J_SECRET}@127.0.0.1:9")
    with pytest.raises(StoreUnavailable) as info:
        open_state(settings)
    assert "bolt://127.0.0.1:9" in str(info.value) and NEO4J_SECRET not in str(info.value)
    assert NEO4J_SECRET not in caplog.text


# -- CORS ---------------------------------------------------------------------------------------------
def preflight(client: TestClient, origin: str, method: str = "GET") -> Any:
    return client.options("/tasks", headers={"Origin": origin, "Access-Control-Request-Method": method})


def test_cors_is_closed_unless_configured(secured: tuple[TestClient, Store]) -> None:
    client, _ = secured  # configured with no origins
    for origin in ("https://evil.example", "null", "http://127.0.0.1:8000"):
        assert "access-control-allow-origin" not in preflight(client, origin).headers
        r = client.get(f"/tasks?plan={PLAN}", headers={"Origin": origin})
        assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_cors_allows_only_the_configured_origins(secured: tuple[TestClient, Store]) -> None:
    _, store = secured
    settings = Settings(cors_origins=["https://plans.example.org"])
    with TestClient(create_app(settings, AppState(settings, store))) as client:
        ok = preflight(client, "https://plans.example.org")
        assert ok.headers["access-control-allow-origin"] == "https://plans.example.org"
        assert "access-control-allow-credentials" not in ok.headers
        assert preflight(client, "https://plans.example.org", "DELETE").status_code == 400
        for origin in ("https://evil.example", "https://plans.example.org.evil.example", "null"):
            assert "access-control-allow-origin" not in preflight(client, origin).headers
            r = client.get("/health", headers={"Origin": origin})
            assert "access-control-allow-origin" not in r.headers


# -- request limits ------------------------------------------------------------------------------------
def problem_4xx(r: Any, status: int | None = None) -> dict[str, Any]:
    assert 400 <= r.status_code < 500 and (status is None or r.status_code == status), (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    return body


def test_oversized_bodies_are_refused(secured: tuple[TestClient, Store]) -> None:
    client, store = secured
    before = store.stats()
    big = '{"query": "RETURN 1", "params": {"x": "' + "a" * (BODY_LIMIT + 1) + '"}}'
    json_type = {"content-type": "application/json"}
    assert problem_4xx(client.post("/cypher", content=big, headers=json_type), 413)["code"] == "too_large"

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit still holds
        data = big.encode()
        for i in range(0, len(data), 16_384):
            yield data[i : i + 16_384]

    r = client.post("/cypher", content=chunked(), headers=json_type)
    assert problem_4xx(r, 413)["code"] == "too_large"
    r = client.post("/cypher", content=b"{}", headers={**json_type, "content-length": "abc"})
    assert problem_4xx(r, 413)["code"] == "too_large"
    text = "一" * (BODY_LIMIT // 3 + 10)  # under the limit as characters, over it as UTF-8 bytes
    r = client.post("/plans", json=upload(text), headers=auth(TOKEN))
    assert problem_4xx(r, 413)["code"] == "too_large"
    deep = '{"query": "RETURN 1", "params": {"x": ' + "[" * 50_000 + "]" * 50_000 + "}}"
    problem_4xx(client.post("/cypher", content=deep, headers=json_type))
    assert store.stats() == before
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "params", "body"),
    [
        ("POST", "/cypher", None, {"query": "RETURN 1 AS x //" + "x" * 10_000}),
        ("POST", "/cypher", None, {"query": ""}),
        ("POST", "/cypher", None, {"query": "RETURN 1", "params": {f"p{i}": i for i in range(101)}}),
        ("POST", "/cypher", None, {"query": "RETURN $x", "params": {"x": 2**70}}),
        ("POST", "/cypher", None, {"query": "RETURN $x", "params": {"x": [1, 2]}}),
        ("GET", "/search", {"q": "区" * 101}, None),
        ("GET", "/search", {"q": ""}, None),
        ("GET", "/bodies", {"q": "x" * 101}, None),
        ("GET", "/queries/search", {"q": "区" * 1001}, None),
        ("POST", "/queries/search", None, {"q": "区" * 1001}),
        ("GET", "/goals", {"plan": "p" * 65}, None),
        ("GET", f"/nodes/{'x' * 301}", None, None),
        ("GET", f"/goals/{quote('数' * 201)}/tasks", {"plan": PLAN}, None),
        ("GET", f"/tasks/{'1' * 201}/subtasks", {"plan": PLAN}, None),
        ("GET", f"/bodies/{'x' * 101}/responsibilities", None, None),
        ("GET", "/paths", {"from": "x" * 301, "to": "y"}, None),
        ("GET", "/export", {"plan": PLAN, "root": "x" * 301}, None),
        ("GET", "/tasks", {"plan": PLAN, "limit": 100_000}, None),
        ("GET", "/tasks", {"plan": PLAN, "limit": 501}, None),
        ("GET", "/tasks", {"plan": PLAN, "limit": 0}, None),
        ("GET", "/tasks", {"plan": PLAN, "limit": -1}, None),
        ("GET", "/tasks", {"plan": PLAN, "limit": "1e9"}, None),
        ("GET", "/tasks", {"plan": PLAN, "offset": 10**12}, None),
        ("GET", "/tasks", {"plan": PLAN, "offset": -5}, None),
        ("GET", "/search", {"q": "数字", "limit": 10**30}, None),
        ("GET", "/export", {"plan": PLAN, "root": f"{PLAN}/task-1", "depth": 7}, None),
        ("GET", "/export", {"plan": PLAN, "root": f"{PLAN}/task-1", "depth": 11}, None),
        ("GET", "/export", {"plan": PLAN, "root": f"{PLAN}/task-1", "depth": 10**9}, None),
        ("GET", "/export", {"plan": PLAN, "root": f"{PLAN}/task-1", "depth": -1}, None),
        ("GET", "/export", {"plan": PLAN, "format": "pdf"}, None),
        ("GET", "/export", {"plan": PLAN, "label": ["Nope"] * 1000}, None),
    ],
    ids=range(31),
)
def test_oversized_parameters_and_absurd_sizes_are_refused(
    secured: tuple[TestClient, Store],
    method: str,
    path: str,
    params: dict[str, Any] | None,
    body: dict[str, Any] | None,
) -> None:
    client, _ = secured
    body_ = problem_4xx(client.request(method, path, params=params, json=body))
    assert body_["code"] in ("invalid_parameters", "invalid_query_parameters", "invalid_export"), body_
