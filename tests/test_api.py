"""The HTTP API through the real app, on both stores (Ladybug always; Neo4j with the `neo4j` marker)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from plangraph.api.main import create_app
from plangraph.api.state import AppState
from plangraph.graph import corpus
from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.corpus import plan_graph
from plangraph.graph.export import select, to_csv_files, to_json, zip_bytes
from plangraph.graph.stores import open_store
from plangraph.graph.stores.rows import relabel_plan
from plangraph.ingest.models import PlanDocument
from plangraph.ingest.pipeline import parse_file
from plangraph.settings import Settings
from tests.conftest import BUNDLED_SOURCE
from tests.stores_env import ENGINES, open_engine

PLAN = "pgtest-api"
TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module", params=ENGINES)
def client(request: pytest.FixtureRequest, bundled_doc: PlanDocument) -> Iterator[TestClient]:
    store = open_engine(request.param)
    store.drop_plan(PLAN)
    store.drop_plan("pgtest-upload")
    graph = relabel_plan(build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE)), PLAN)
    store.load(graph, PLAN)
    settings = Settings(token=TOKEN, max_rows=1000, cors_origins=["https://example.org"])  # type: ignore[arg-type]
    state = AppState(settings, store)
    with TestClient(create_app(settings, state)) as c:
        yield c
    store.drop_plan(PLAN)
    store.drop_plan("pgtest-upload")
    store.close()


def get(c: TestClient, path: str, plan: str | None = PLAN, **params: object) -> dict:  # type: ignore[type-arg]
    """A 200 answer as JSON (``plan=None``: an operation that takes no plan)."""
    r = c.get(path, params={**({"plan": plan} if plan else {}), **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def assert_citable(item: dict) -> None:  # type: ignore[type-arg]
    assert item["eid"] and item["labels"] and "title" in item
    span = item["span"]
    assert (
        span is not None and span["char_start"] < span["char_end"] and span["line_start"] <= span["line_end"]
    )


@pytest.mark.parametrize("ref", [f"{PLAN}/goal-5", "goal-5", "5", "数字政府", "数字政府建设"])
def test_goal_tasks_by_any_ref(client: TestClient, ref: str) -> None:
    body = get(client, f"/goals/{quote(ref)}/tasks")
    assert body["goal"]["title"] == "数字政府建设水平全面提升"
    items = body["items"]
    assert items[0]["title"] == "打造协同高效的数字政府服务体系" and items[0]["labels"] == ["Task"]
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    for i in items:
        assert_citable(i)
        assert i["evidence"]
        # an inferred edge says how sure it is; a curated one is a reader's word
        assert i["confidence"] in ("high", "low") if i["source"] == "inferred" else i["confidence"] is None


def test_ambiguous_and_unknown_goal(client: TestClient) -> None:
    r = client.get(f"/goals/{quote('数字')}/tasks", params={"plan": PLAN})
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "ambiguous_reference" and len(r.json()["candidates"]) > 1
    r = client.get(f"/goals/{quote('数字政务')}/tasks", params={"plan": PLAN})
    assert r.status_code == 404 and r.json()["code"] == "unknown_reference"
    assert any("数字政府" in s["title"] for s in r.json()["suggestions"])


@pytest.mark.parametrize(
    ("path", "label", "count"),
    [
        ("/goals", "Goal", 8),
        ("/tasks", "Task", 10),
        ("/subtasks", "Subtask", 43),
        ("/columns", "Column", 17),
        ("/actions", "Action", 10),
        ("/indicators", "Indicator", 18),
        ("/actions/targets", "Target", 20),
    ],
)
def test_lists(client: TestClient, path: str, label: str, count: int) -> None:
    body = get(client, path, limit=500)
    assert body["total"] == count and len(body["items"]) == count
    for item in body["items"]:
        assert item["labels"] == [label]
        assert_citable(item)


def test_pagination(client: TestClient) -> None:
    first = get(client, "/subtasks", limit=10, offset=0)
    second = get(client, "/subtasks", limit=10, offset=10)
    assert first["total"] == 43 and len(first["items"]) == 10
    assert {i["eid"] for i in first["items"]}.isdisjoint(i["eid"] for i in second["items"])


def test_task_views(client: TestClient) -> None:
    goals = get(client, "/tasks/7/goals")["items"]
    assert next(i["title"] for i in goals) == "数字政府建设水平全面提升"
    assert all(i["confidence"] in ("high", "low") for i in goals if i["source"] == "inferred")
    subtasks = get(client, f"/tasks/{quote('数字政府')}/subtasks")["items"]
    assert len(subtasks) == 5
    columns = get(client, "/tasks/1/columns", limit=100)["items"]
    assert {i["column_no"] for i in columns} == {1, 2, 3, 4}
    assert columns[0]["follows"] == f"{PLAN}/task-1/subtask-1"


def test_bodies_and_entities(client: TestClient) -> None:
    resp = get(client, f"/bodies/{quote('国家发展改革委')}/responsibilities", None)["items"]
    assert any(i["role"] == "coordinate" and "国家发展改革委" in i["evidence"] for i in resp)
    tech = get(client, "/entities/technology", None, limit=5)["items"]
    assert tech[0]["labels"] == ["Technology"] and tech[0]["elements"] >= tech[-1]["elements"]
    mentions = get(client, f"/entities/technology/{quote('区块链')}/mentions", None)["items"]
    assert mentions and all(m["count"] >= 1 for m in mentions)


def test_node_neighbours_and_paths(client: TestClient) -> None:
    body = client.get(f"/nodes/{PLAN}/task-7").json()
    assert body["node"]["labels"] == ["Task"]
    types = {(n["type"], n["direction"]) for n in body["neighbours"]}
    assert ("HAS_SUBTASK", "out") in types and ("SERVES", "out") in types
    r = client.get("/paths", params={"from": f"{PLAN}/task-7", "to": f"{PLAN}/goal-5"})
    assert r.status_code == 200 and r.json()["rows"][0][0] == 1
    assert client.get(f"/nodes/{PLAN}/task-99").status_code == 404


def test_search(client: TestClient) -> None:
    items = get(client, "/search", None, q="区块链")["items"]
    assert items and items[0]["match_rank"] == 1 and "区块链" in items[0]["title"]


def test_queries_list_and_run_json_csv(client: TestClient) -> None:
    names = [q["name"] for q in client.get("/queries").json()]
    assert "goal_tasks" in names and len(names) >= 15
    r = client.get("/queries/goal_tasks", params={"goal": f"{PLAN}/goal-5"})
    assert r.status_code == 200 and r.json()["rows"][0][2] == "打造协同高效的数字政府服务体系"
    r = client.get("/queries/goal_tasks", params={"goal": f"{PLAN}/goal-5", "format": "csv"})
    assert (
        r.headers["content-type"].startswith("text/csv")
        and "goal_tasks.csv" in r.headers["content-disposition"]
    )
    assert r.text.splitlines()[0].startswith("eid,ordinal,title")
    r = client.get("/queries/goal_tasks")
    assert r.status_code == 422 and r.json()["code"] == "invalid_query_parameters"
    r = client.get("/queries/nope")
    assert r.status_code == 404 and r.json()["code"] == "unknown_query"


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "csv", "cypher", "dot", "mermaid"])
def test_export_formats(client: TestClient, fmt: str) -> None:
    r = client.get("/export", params={"plan": PLAN, "format": fmt, "goal": "5"})
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["content-disposition"]
    assert len(r.content) > 100


def test_export_csv_zip_is_the_one_zip_writers(client: TestClient) -> None:
    """The API's CSV download is graph/export.py's zip: deflated, fixed timestamps, the same bytes as
    ``zip_bytes`` over the same files."""
    r = client.get("/export", params={"plan": PLAN, "format": "csv", "goal": "5"})
    assert r.status_code == 200, r.text
    sub = select(plan_graph(client.app.state.plangraph.store, PLAN), goal="5")  # type: ignore[attr-defined]
    assert r.content == zip_bytes(to_csv_files(sub))
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_export_bad_input(client: TestClient) -> None:
    r = client.get("/export", params={"plan": PLAN, "format": "json", "root": "nope/none"})
    assert r.status_code == 404 and r.json()["code"] == "unknown_reference"
    r = client.get("/export", params={"plan": PLAN, "format": "json", "label": "Taks"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_export"
    r = client.get("/export", params={"plan": PLAN, "format": "pdf"})
    assert r.status_code == 422


def test_cypher_read_only_and_capped(client: TestClient) -> None:
    r = client.post("/cypher", json={"query": "MATCH (t:Task) RETURN t.eid ORDER BY t.eid LIMIT 3"})
    assert r.status_code == 200 and r.json()["row_count"] == 3
    r = client.post("/cypher", json={"query": "MATCH (n) DETACH DELETE n"})
    assert r.status_code == 400 and r.json()["code"] == "query_refused"
    r = client.post("/cypher", json={"query": "MATCH (a)--(b) RETURN a.eid, b.eid"})
    assert r.status_code == 200 and r.json()["truncated"] and r.json()["row_count"] == 1000
    assert get(client, "/tasks")["total"] == 10  # the graph is unchanged


def test_writes_need_the_token(client: TestClient) -> None:
    text = BUNDLED_SOURCE.read_text(encoding="utf-8")
    body = {"plan_id": "pgtest-upload", "text": text, "title": "上传的规划"}
    assert client.post("/plans", json=body).status_code == 401
    bad = client.post(
        "/plans", json={**body, "text": "这不是规划。"}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_plan"
    assert "pgtest-upload" not in [p["eid"] for p in get(client, "/plans", None)["items"]]
    ok = client.post("/plans", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 201, ok.text
    assert ok.json()["nodes"] > 400
    again = client.post(
        "/plans/pgtest-upload/reload", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert again.status_code == 200
    r = client.get("/goals/5/tasks", params={"plan": "pgtest-upload"})
    assert r.json()["items"][0]["title"] == "打造协同高效的数字政府服务体系"
    # an uploaded plan has no file anywhere: its spans show in the text the store keeps
    goal = client.get("/nodes/pgtest-upload/goal-5").json()["node"]
    source = client.get("/source", params={"eid": "pgtest-upload/goal-5", "context": 0}).json()
    assert source["text"] == text[goal["span"]["char_start"] : goal["span"]["char_end"]]
    assert client.get("/plans/pgtest-upload/tree").json()["warnings_available"] is True


def test_errors_share_one_shape(client: TestClient) -> None:
    for r in (
        client.get("/goals", params={"plan": "nope"}),
        client.get("/tasks", params={"plan": PLAN, "limit": 0}),
        client.get("/no/such/route"),
        client.post("/cypher", json={"query": ""}),
    ):
        body = r.json()
        assert r.status_code >= 400 and {"type", "title", "status", "detail", "code"} <= set(body), body
        assert r.headers["content-type"].startswith("application/problem+json")


def test_request_limits(client: TestClient) -> None:
    huge = "x" * 6_000_000
    r = client.post("/cypher", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert client.get("/tasks", params={"plan": PLAN, "limit": 100000}).status_code == 422
    assert (
        client.get("/export", params={"plan": PLAN, "root": f"{PLAN}/task-1", "depth": 9}).status_code == 422
    )


def test_health_version_openapi(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    version = client.get("/version").json()
    assert version["plans"][0]["plan_id"] == PLAN
    spec = client.get("/openapi.json").json()
    ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"goal_tasks", "search", "cypher", "export", "add_plan"} <= ops
    assert client.get("/docs").status_code == 200
    # the goal routes document the link's columns, confidence among them (the API's answer to "how sure")
    served = spec["components"]["schemas"]["Served"]["properties"]
    assert {"score", "rank", "method", "source", "evidence", "terms", "confidence"} <= set(served)
    assert "low" in served["confidence"]["description"]
    items = spec["components"]["schemas"]["GoalTasks"]["properties"]["items"]["items"]
    assert items == {"$ref": "#/components/schemas/Served"}


def test_cors_configured(client: TestClient) -> None:
    r = client.options(
        "/tasks", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert r.headers.get("access-control-allow-origin") == "https://example.org"
    r = client.options(
        "/tasks", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert r.headers.get("access-control-allow-origin") is None


def test_start_up_parses_nothing_and_serves_what_the_store_holds(tmp_path: Path) -> None:
    """An empty store: no plan (the bundled one is not parsed behind the user's back); a plan added by
    another process before start-up is served as it is."""
    db = tmp_path / "s.lbug"
    settings = Settings(store="ladybug", db_path=db)
    with TestClient(create_app(settings)) as c:
        assert c.get("/plans").json()["total"] == 0
        assert c.get("/health").json()["plans"] == []
    store = open_store("ladybug", path=db)
    corpus.install_document(store, parse_file(BUNDLED_SOURCE, plan_id="pgtest-startup"), BUNDLED_SOURCE)
    store.close()
    with TestClient(create_app(settings)) as c:
        assert c.get("/health").json()["plans"] == ["pgtest-startup"]
        version = c.get("/version").json()
        assert [p["plan_id"] for p in version["plans"]] == ["pgtest-startup"]


def test_export_of_a_plan_loaded_by_another_process(client: TestClient, bundled_doc: PlanDocument) -> None:
    """The export reads the store: a plan this service never loaded exports, byte for byte as built."""
    state = client.app.state.plangraph  # type: ignore[attr-defined]
    built = relabel_plan(build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE)), "pgtest-elsewhere")
    state.store.load(built, "pgtest-elsewhere")  # as another process would
    try:
        r = client.get("/export", params={"plan": "pgtest-elsewhere", "format": "json"})
        assert r.status_code == 200, r.text
        assert r.content.decode("utf-8") == to_json(built)
    finally:
        state.store.drop_plan("pgtest-elsewhere")


def test_plan_loaded_elsewhere_is_found_at_once(client: TestClient) -> None:
    state = client.app.state.plangraph  # type: ignore[attr-defined]
    get(client, "/tasks")  # the plan list is now remembered
    other = relabel_plan(plan_graph(state.store, PLAN), "pgtest-other")
    state.store.load(other, "pgtest-other")  # as another process would
    try:
        r = client.get("/tasks", params={"plan": "pgtest-other"})
        assert r.status_code == 200 and r.json()["total"] == 10
    finally:
        state.store.drop_plan("pgtest-other")
