"""The one reference grammar (graph/refs.py) through every route that takes a reference, the canned
queries' parameters, the CLI and the Python API: on both stores (Ladybug always; Neo4j with its marker).

Each row: a request, the status it must answer, and what it must name (the eid resolved) or the problem
code. A reference to nothing never answers ``200 []``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph.api.main import create_app
from plangraph.api.state import AppState
from plangraph.cli.main import app
from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.refs import AmbiguousReference, Resolver, UnknownPlan, UnknownReference, pick
from plangraph.graph.stores import Store, open_store
from plangraph.graph.stores.rows import relabel_plan
from plangraph.ingest.models import PlanDocument
from plangraph.settings import Settings
from tests.conftest import BUNDLED_SOURCE
from tests.stores_env import ENGINES, open_engine

PLAN = "pgtest-refs"
GOAL5 = f"{PLAN}/goal-5"
CNI = "body/中央网络安全和信息化委员会办公室"  # 中央网信办 is its alias


@pytest.fixture(scope="module", params=ENGINES)
def store(request: pytest.FixtureRequest, bundled_doc: PlanDocument) -> Iterator[Store]:
    s = open_engine(request.param)
    s.drop_plan(PLAN)
    s.load(relabel_plan(build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE)), PLAN), PLAN)
    yield s
    s.drop_plan(PLAN)
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings()
    with TestClient(create_app(settings, AppState(settings, store))) as c:
        yield c


def q(text: str) -> str:
    return quote(text, safe="")


# (path, query parameters, status, the eid the answer must name — or the problem code)
ROUTES: list[tuple[str, dict[str, Any], int, str]] = [
    # /goals/{ref}/tasks: every form of a reference, and the two errors
    (f"/goals/{q(GOAL5)}/tasks", {"plan": PLAN}, 200, GOAL5),
    ("/goals/goal-5/tasks", {"plan": PLAN}, 200, GOAL5),
    ("/goals/5/tasks", {"plan": PLAN}, 200, GOAL5),
    (f"/goals/{q('数字政府')}/tasks", {"plan": PLAN}, 200, GOAL5),
    (f"/goals/{q('数字政府建设水平全面提升')}/tasks", {"plan": PLAN}, 200, GOAL5),
    ("/goals/overall/tasks", {"plan": PLAN}, 200, f"{PLAN}/goal-overall"),
    (f"/goals/{q('数字')}/tasks", {"plan": PLAN}, 409, "ambiguous_reference"),
    (f"/goals/{q('不存在的目标')}/tasks", {"plan": PLAN}, 404, "unknown_reference"),
    ("/goals/99/tasks", {"plan": PLAN}, 404, "unknown_reference"),
    ("/goals/5/tasks", {"plan": "no-such-plan"}, 404, "unknown_plan"),
    # /tasks/{ref}/…
    ("/tasks/task-7/goals", {"plan": PLAN}, 200, f"{PLAN}/task-7"),
    (f"/tasks/{q('数字政府')}/subtasks", {"plan": PLAN}, 200, f"{PLAN}/task-7"),
    # /nodes/{ref}: any label
    (f"/nodes/{GOAL5}", {}, 200, GOAL5),
    ("/nodes/goal-5", {"plan": PLAN}, 200, GOAL5),
    ("/nodes/task-7/subtask-2", {"plan": PLAN}, 200, f"{PLAN}/task-7/subtask-2"),
    (f"/nodes/{q('中央网信办')}", {"plan": PLAN}, 200, CNI),
    (f"/nodes/{q(CNI)}", {}, 200, CNI),
    ("/nodes/5", {"plan": PLAN}, 409, "ambiguous_reference"),
    (f"/nodes/{PLAN}/task-99", {}, 404, "unknown_reference"),
    ("/nodes/body/nobody", {}, 404, "unknown_reference"),
    # /paths: both ends by the grammar
    ("/paths", {"from": "task-7", "to": "goal-5", "plan": PLAN}, 200, "path"),
    ("/paths", {"from": "nowhere", "to": "goal-5", "plan": PLAN}, 404, "unknown_reference"),
    # /bodies/{name} and /entities/{type}/{name}: names and aliases
    (f"/bodies/{q('中央网信办')}/responsibilities", {}, 200, "responsibilities"),
    (f"/bodies/{q('中央网络安全和信息化委员会办公室')}/responsibilities", {}, 200, "responsibilities"),
    (f"/bodies/{q('不存在的机构')}/responsibilities", {}, 404, "unknown_reference"),
    (f"/entities/technology/{q('区块链')}/mentions", {}, 200, "mentions"),
    (f"/entities/technology/{q('不存在的技术')}/mentions", {}, 404, "unknown_reference"),
    # /export?goal= and root=
    ("/export", {"plan": PLAN, "goal": "5"}, 200, GOAL5),
    ("/export", {"plan": PLAN, "goal": "数字政府"}, 200, GOAL5),
    ("/export", {"plan": PLAN, "goal": "数字"}, 409, "ambiguous_reference"),
    ("/export", {"plan": PLAN, "goal": "99"}, 404, "unknown_reference"),
    ("/export", {"plan": PLAN, "root": "task-7", "depth": 1}, 200, f"{PLAN}/task-7"),
    ("/export", {"plan": PLAN, "format": "pdf"}, 422, "invalid_parameters"),
    # canned queries: reference parameters by the same grammar, plan ids checked
    ("/queries/goal_tasks", {"goal": "5", "plan": PLAN}, 200, "rows"),
    ("/queries/goal_tasks", {"goal": "数字政府", "plan": PLAN}, 200, "rows"),
    ("/queries/goal_tasks", {"goal": GOAL5}, 200, "rows"),
    ("/queries/goal_tasks", {"goal": "数字", "plan": PLAN}, 409, "ambiguous_reference"),
    ("/queries/goal_tasks", {"goal": "不存在的目标", "plan": PLAN}, 404, "unknown_reference"),
    ("/queries/body_responsibilities", {"body": "中央网信办"}, 200, "rows"),
    ("/queries/mentions", {"entity": "区块链"}, 200, "rows"),
    ("/queries/goals", {"plan": "no-such-plan"}, 404, "unknown_plan"),
    ("/queries/goals", {"plan": PLAN, "format": "xml"}, 422, "invalid_parameters"),
    ("/queries/goals", {"plan": PLAN, "nope": "1"}, 422, "invalid_query_parameters"),
    ("/queries/no_such_query", {}, 404, "unknown_query"),
    # unknown query parameters anywhere: 422 naming them
    ("/goals", {"plan": PLAN, "limt": "5"}, 422, "invalid_parameters"),
    ("/search", {"q": "区块链", "plan": PLAN}, 422, "invalid_parameters"),
]


@pytest.mark.parametrize(
    ("path", "params", "status", "expect"), ROUTES, ids=[f"{r[0]}?{r[1]}" for r in ROUTES]
)
def test_route_references(
    client: TestClient, path: str, params: dict[str, Any], status: int, expect: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == status, r.text
    if status != 200:
        problem = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert problem["code"] == expect, problem
        if expect == "ambiguous_reference":
            assert len(problem["candidates"]) > 1 and all(c["eid"] for c in problem["candidates"])
        if expect == "unknown_reference":
            assert "suggestions" in problem
        if expect == "invalid_parameters" and "limt" in params:
            assert "limt" in problem["detail"]
        return
    if path == "/export":
        assert expect in r.text  # the goal or root is in the subgraph exported
        return
    body = r.json()
    if "goal" in body:
        assert body["goal"]["eid"] == expect and body["items"]
    elif "node" in body:
        assert body["node"]["eid"] == expect
    elif expect == "rows" or expect == "path":
        assert body["rows"], body  # something that exists never answers an empty list here
    elif "items" in body:
        assert body["items"], body
        if path.startswith("/tasks/"):
            assert all(expect in str(i) or i["eid"] for i in body["items"])


def test_unknown_reference_suggests_close_ones(client: TestClient) -> None:
    r = client.get(f"/nodes/{PLAN}/task-99")
    assert f"{PLAN}/task-9" in [s["eid"] for s in r.json()["suggestions"]]
    r = client.get("/goals/99/tasks", params={"plan": PLAN})
    assert GOAL5 in [s["eid"] for s in r.json()["suggestions"]]  # few goals: all of them


# -- the same grammar for the CLI and the Python API --------------------------------------------------------
@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory, bundled_doc: PlanDocument) -> Path:
    path = tmp_path_factory.mktemp("refs") / "plans.lbug"
    s = open_store("ladybug", path=path)
    s.load(relabel_plan(build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE)), PLAN), PLAN)
    s.close()
    return path


@pytest.mark.parametrize(
    ("param", "exit_code", "expect"),
    [
        ("goal=5", 0, f"{PLAN}/task-7"),
        ("goal=goal-5", 0, f"{PLAN}/task-7"),
        ("goal=数字政府", 0, f"{PLAN}/task-7"),
        (f"goal={GOAL5}", 0, f"{PLAN}/task-7"),
        ("goal=数字", 2, "[E402] parameter goal: '数字' names 8 goals"),
        ("goal=不存在的目标", 2, "[E401] parameter goal: no goal '不存在的目标'"),
    ],
)
def test_cli_query_parameters(db_file: Path, param: str, exit_code: int, expect: str) -> None:
    res = CliRunner().invoke(
        app, ["query", "goal_tasks", "-p", param, "--db", str(db_file), "--format", "csv"]
    )
    assert res.exit_code == exit_code, res.output
    assert expect in res.output
    if exit_code:
        assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1


def test_python_api_resolver(db_file: Path) -> None:
    s = open_store("ladybug", path=db_file, read_only=True)
    try:
        refs = Resolver.for_store(s)
        assert refs.find("中央网信办", {"Body"})["eid"] == CNI
        assert refs.find("5", {"Goal"})["eid"] == GOAL5
        assert refs.params(["goal"], {"goal": 5})["goal"] == GOAL5
        with pytest.raises(AmbiguousReference) as amb:
            refs.find("数字", {"Goal"})
        assert len(amb.value.extra["candidates"]) == 8
        with pytest.raises(UnknownReference):
            refs.find("不存在的目标", {"Goal"})
        with pytest.raises(UnknownPlan):
            refs.plan("no-such-plan")
    finally:
        s.close()


@pytest.mark.parametrize(
    ("ref", "labels", "expect"),
    [
        ("p/goal-5", {"Goal"}, "p/goal-5"),  # a full eid
        ("goal-5", {"Goal"}, "p/goal-5"),  # plan-relative
        ("5", {"Goal"}, "p/goal-5"),  # the ordinal
        ("overall", {"Goal"}, "p/goal-overall"),  # goal-<ref>
        ("数字政府建设水平全面提升", None, "p/goal-5"),  # the title exactly, any label
        ("数字政府", {"Goal"}, "p/goal-5"),  # a fragment
        ("数字 政府", {"Goal"}, "p/goal-5"),  # white space does not count
        ("ＡＩ", {"Technology"}, "technology/AI"),  # full-width forms fold
        ("中央网信办", {"Body"}, "body/中央网络安全和信息化委员会办公室"),  # an alias
        ("大数据", {"Technology"}, "technology/大数据"),  # an exact name wins over a fragment of another
        ("subtask-2", {"Subtask"}, AmbiguousReference),  # two tasks have a second subtask
        ("2", {"Subtask"}, AmbiguousReference),
        ("7", {"Goal"}, UnknownReference),
        ("政府", {"Task"}, UnknownReference),  # only the labels asked for
    ],
)
def test_pick_table(ref: str, labels: set[str] | None, expect: object) -> None:
    rows = [
        {"eid": "p/goal-5", "title": "数字政府建设水平全面提升", "ordinal": 5},
        {"eid": "p/goal-overall", "title": "到 2025 年，数字中国建设取得决定性进展"},
        {"eid": "p/task-1/subtask-2", "title": "甲", "ordinal": 2},
        {"eid": "p/task-3/subtask-2", "title": "乙", "ordinal": 2},
        {"eid": "technology/AI", "title": "AI", "name": "AI", "aliases": ["人工智能"]},
        {"eid": "technology/大数据", "title": "大数据", "name": "大数据", "aliases": []},
        {"eid": "technology/大数据中心", "title": "大数据中心", "name": "大数据中心", "aliases": []},
        {
            "eid": "body/中央网络安全和信息化委员会办公室",
            "title": "中央网络安全和信息化委员会办公室",
            "aliases": ["中央网信办"],
        },
    ]
    if isinstance(expect, type):
        with pytest.raises(expect):
            pick(ref, rows, labels=labels)
    else:
        assert pick(ref, rows, labels=labels)["eid"] == expect


# -- one CSV writer, with the byte order mark Excel and WPS need ---------------------------------------------
def test_csv_bom_in_the_api_and_the_cli(client: TestClient, db_file: Path) -> None:
    params = {"goal": "5", "plan": PLAN, "format": "csv"}
    plain = client.get("/queries/goal_tasks", params=params).content
    excel = client.get("/queries/goal_tasks", params={**params, "bom": "true"}).content
    assert not plain.startswith(b"\xef\xbb\xbf") and excel == b"\xef\xbb\xbf" + plain
    assert "打造协同高效的数字政府服务体系" in excel.decode("utf-8-sig")
    args = ["query", "goal_tasks", "-p", f"goal={GOAL5}", "--db", str(db_file), "--format", "csv"]
    cli_plain = CliRunner().invoke(app, args).output
    cli_excel = CliRunner().invoke(app, [*args, "--excel"]).output
    assert cli_excel == "\ufeff" + cli_plain and cli_plain.splitlines()[0] == plain.decode().splitlines()[0]
