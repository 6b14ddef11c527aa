"""The API routes the web explorer reads (the plan tree with warnings, counts, an element's span in the
original text, inferred links) and the explorer's own pages and assets (CSP, no inline script, nothing
from another origin), through the real app on both stores."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from plangraph.api.main import create_app
from plangraph.api.routes.explorer import STATIC
from plangraph.api.state import AppState
from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.export import render, to_csv_files, to_json, zip_bytes
from plangraph.graph.stores.rows import relabel_plan
from plangraph.ingest.load import load_source
from plangraph.ingest.models import PlanDocument
from plangraph.settings import Settings
from tests.conftest import BUNDLED_SOURCE, ROOT
from tests.stores_env import ENGINES, open_engine

PLAN = "pgtest-explorer"


@pytest.fixture(scope="module", params=ENGINES)
def client(request: pytest.FixtureRequest, bundled_doc: PlanDocument) -> Iterator[TestClient]:
    store = open_engine(request.param)
    store.drop_plan(PLAN)
    store.load(relabel_plan(build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE)), PLAN), PLAN)
    settings = Settings()
    with TestClient(create_app(settings, AppState(settings, store))) as c:
        yield c
    store.drop_plan(PLAN)
    store.close()


def ok(c: TestClient, path: str, **params: object) -> dict:  # type: ignore[type-arg]
    r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_tree_nests_every_element_under_its_innermost_holder(client: TestClient) -> None:
    tree = ok(client, f"/plans/{PLAN}/tree")
    nodes = {n["eid"]: n for n in tree["nodes"]}
    assert not tree["truncated"]
    assert all(n["parent"] == PLAN or n["parent"] in nodes for n in nodes.values())
    assert nodes[f"{PLAN}/task-7/subtask-1"]["parent"] == f"{PLAN}/task-7"
    assert nodes[f"{PLAN}/goal-5"]["parent"] != PLAN  # held by its section, not the plan's shortcut
    for n in nodes.values():  # a holder's span holds its element's span
        if n["parent"] != PLAN:
            outer, inner = nodes[n["parent"]]["span"], n["span"]
            assert outer["char_start"] <= inner["char_start"] and inner["char_end"] <= outer["char_end"], n
    kinds = Counter(n["kind"] for n in nodes.values())
    counts = {r[1]: r[2] for r in ok(client, "/plans/counts")["rows"] if r[0] == PLAN}
    assert counts and all(kinds[k] == v for k, v in counts.items())


def test_tree_places_the_parser_warnings(client: TestClient, bundled_doc: PlanDocument) -> None:
    tree = ok(client, f"/plans/{PLAN}/tree")
    assert tree["warnings_available"]
    assert [(w["code"], w["line"]) for w in tree["warnings"]] == [
        (w.code, w.line) for w in bundled_doc.warnings
    ]
    nodes = {n["eid"]: n for n in tree["nodes"]}
    for w in tree["warnings"]:
        if w["eid"]:
            span = nodes[w["eid"]]["span"]
            assert span["line_start"] <= w["line"] <= span["line_end"]
            inner = [
                n for n in nodes.values() if n["span"]["line_start"] <= w["line"] <= n["span"]["line_end"]
            ]
            assert max(n["span"]["line_start"] for n in inner) == span["line_start"]


def test_source_gives_the_span_in_the_original_text(client: TestClient) -> None:
    original = load_source(BUNDLED_SOURCE).original
    body = ok(client, "/source", eid=f"{PLAN}/goal-5", context=50)
    s = body["span"]
    assert body["text"] == original[s["char_start"] : s["char_end"]]
    assert (
        body["before"] + body["text"] + body["after"] == original[body["window_start"] : body["window_end"]]
    )
    assert body["window_start"] == s["char_start"] - 50 and body["window_end"] == s["char_end"] + 50
    node = ok(client, f"/nodes/{PLAN}/goal-5")["node"]
    assert re.sub(r"\s", "", body["text"]).startswith(re.sub(r"\s", "", node["text"])[:40])
    assert body["source_sha256"] == load_source(BUNDLED_SOURCE).sha256
    assert len(ok(client, "/source", eid=f"{PLAN}/goal-5", context=0)["before"]) == 0


def test_source_errors_name_the_problem(client: TestClient, bundled_doc: PlanDocument) -> None:
    r = client.get("/source", params={"eid": f"{PLAN}/no-such"})
    assert r.status_code == 404 and r.json()["code"] == "unknown_reference"
    r = client.get("/source", params={"eid": "technology/区块链"})
    assert r.status_code == 404 and r.json()["code"] == "no_span"
    r = client.get("/source", params={"eid": f"{PLAN}/goal-5", "context": 999_999})
    assert r.status_code == 422


def test_a_plan_stored_without_its_text_says_so(bundled_doc: PlanDocument) -> None:
    """A plan loaded before stores kept the text and the warnings (no ``source_text``/``warnings`` on its
    Plan node): /source answers 404 naming the fix, the tree has its nodes but says it has no warnings."""
    store = open_engine("ladybug")
    old = relabel_plan(build_graph(bundled_doc), PLAN)
    for key in ("source_text", "warnings"):
        del old.nodes[PLAN][key]
    store.load(old, PLAN)
    settings = Settings()
    with TestClient(create_app(settings, AppState(settings, store))) as c:
        r = c.get("/source", params={"eid": f"{PLAN}/goal-5"})
        assert r.status_code == 404 and r.json()["code"] == "source_unavailable"
        assert "plangraph add" in r.json()["detail"]
        tree = ok(c, f"/plans/{PLAN}/tree")
        assert tree["nodes"] and tree["warnings"] == [] and tree["warnings_available"] is False
    store.close()


def test_links_carry_score_method_and_terms_best_first(client: TestClient) -> None:
    body = ok(client, "/links", eid=f"{PLAN}/goal-5")
    rows = [dict(zip(body["columns"], r, strict=True)) for r in body["rows"]]
    goal_tasks = ok(client, "/goals/goal-5/tasks", plan=PLAN)["items"]
    tasks = [r for r in rows if r["eid"] in {t["eid"] for t in goal_tasks}]
    assert len(tasks) == len(goal_tasks) and all(
        r["type"] == "SERVES" and r["direction"] == "in" for r in tasks
    )
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert all(r["method"] and r["terms"] for r in rows)
    # each SERVES link's confidence is the one the goal view gives
    assert {r["eid"]: r["confidence"] for r in tasks} == {t["eid"]: t["confidence"] for t in goal_tasks}
    # an inferred SERVES link says how sure it is (low: the runner-up goal is close); a curated one does not
    serves = [r for r in rows if r["type"] == "SERVES"]
    assert all(r["confidence"] in ("high", "low") for r in serves if r["source"] == "inferred")
    assert all(r["confidence"] is None for r in serves if r["source"] == "curated")
    assert {r["confidence"] for r in serves} >= {"high"}
    measured = ok(client, "/links", eid=f"{PLAN}/indicator-1")
    assert all(r[0] == "MEASURES" and r[1] == "out" for r in measured["rows"])
    assert all(dict(zip(measured["columns"], r, strict=True))["confidence"] is None for r in measured["rows"])


def _built() -> nx.MultiDiGraph:
    from plangraph.ingest.pipeline import parse_file

    return relabel_plan(build_graph(parse_file(BUNDLED_SOURCE), links=links_beside(BUNDLED_SOURCE)), PLAN)


def _induced(g: nx.MultiDiGraph, eids: set[str]) -> nx.MultiDiGraph:
    sub = nx.MultiDiGraph(g.subgraph(eids))
    sub.graph.update(g.graph)
    return sub


def test_export_of_eids_is_the_subgraph_they_induce(client: TestClient) -> None:
    """POST /export (and GET /export?eid=…) answers the nodes named and every relationship among them, as
    the store holds them, byte for byte what the same cut of the built graph exports; with neighbours,
    every node one step away too."""
    built = _built()
    goal = f"{PLAN}/goal-5"
    tasks = [u for u, _, k in built.in_edges(goal, keys=True) if k == "SERVES"][:4]
    eids = [goal, *tasks, f"{PLAN}/indicator-1"]
    r = client.post("/export", json={"eids": eids, "format": "json"})
    assert r.status_code == 200, r.text
    assert r.text == to_json(_induced(built, set(eids)))
    assert len(json.loads(r.text)["relationships"]) >= len(tasks)  # the SERVES links among them
    assert "subgraph-6.json" in r.headers["content-disposition"]
    got = client.get("/export", params={"eid": eids, "format": "json"})
    assert got.status_code == 200 and got.text == r.text
    around = set(eids) | {v for e in eids for v in nx.all_neighbors(built, e)}
    r = client.post("/export", json={"eids": eids, "neighbours": True, "format": "json"})
    assert r.text == to_json(_induced(built, around)) and len(around) > 2 * len(eids)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "cypher", "dot", "mermaid"])
def test_export_of_eids_in_every_format(client: TestClient, fmt: str) -> None:
    built = _built()
    eids = {f"{PLAN}/goal-5", f"{PLAN}/task-7", f"{PLAN}/task-7/subtask-1"}
    r = client.post("/export", json={"eids": sorted(eids), "format": fmt})
    assert r.status_code == 200, r.text
    want = _induced(built, eids)
    if fmt == "csv":
        assert r.content == zip_bytes(to_csv_files(want))
    else:
        assert r.content.decode("utf-8") == render(want, fmt)
    assert client.get("/export", params={"eid": sorted(eids), "format": fmt}).content == r.content


def test_export_of_eids_bad_input_names_the_problem(client: TestClient) -> None:
    r = client.post("/export", json={"eids": [f"{PLAN}/goal-5", f"{PLAN}/nope-1"]})
    assert r.status_code == 404 and r.json()["code"] == "unknown_node"
    assert r.json()["missing"] == [f"{PLAN}/nope-1"] and "nope-1" in r.json()["detail"]
    r = client.post("/export", json={"eids": []})
    assert r.status_code == 422 and "eids" in r.json()["detail"]
    r = client.post("/export", json={"eids": ["x" * 301]})
    assert r.status_code == 422 and "300" in r.json()["detail"]
    r = client.get("/export", params={"eid": f"{PLAN}/goal-5", "root": f"{PLAN}/task-1"})
    assert r.status_code == 422 and "eid cannot be combined" in r.json()["detail"]
    r = client.get("/export", params={"plan": PLAN, "neighbours": True})
    assert r.status_code == 422 and "neighbours needs eid" in r.json()["detail"]
    r = client.post("/export", json={"eids": [f"{PLAN}/goal-5"], "format": "pdf"})
    assert r.status_code == 422


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.inline += [k for k, _ in attrs if k.startswith("on") or k == "style"]

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1][0] in ("script", "style") and data.strip():
            self.inline.append(self.tags[-1][0])


@pytest.mark.parametrize("url", ["/", "/docs", "/redoc"])
def test_pages_have_a_csp_and_no_inline_script(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    page = Tags()
    page.feed(r.text)
    assert not page.inline, page.inline
    refs = [a.get("src") or a.get("href") for t, a in page.tags if t in ("script", "link")]
    assert refs and all(ref.startswith(("/explorer/", "data:")) for ref in refs if ref), refs
    for ref in refs:  # every asset the page names is served here, not by a CDN
        if ref and ref.startswith("/"):
            assert client.get(ref).status_code == 200, ref


def test_assets_are_confined_to_the_built_folder(client: TestClient) -> None:
    assert (
        client.get("/explorer/app.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
    for bad in ("/explorer/../routes/explorer.py", "/explorer/%2e%2e/main.py", "/explorer/nope.js"):
        r = client.get(bad)
        assert r.status_code == 404 and r.json()["code"] == "not_found", bad
    assert (STATIC / "index.html").is_file()


def test_new_routes_are_documented(client: TestClient) -> None:
    ops = {
        op["operationId"] for path in ok(client, "/openapi.json")["paths"].values() for op in path.values()
    }
    assert {"plan_tree", "plan_counts", "source_context", "node_links"} <= ops
    paths = ok(client, "/openapi.json")["paths"]
    assert "/" not in paths and "/explorer/{name}" not in paths  # the pages are not API operations


def test_nothing_in_the_explorer_writes() -> None:
    """The explorer's code reads with GET; its POSTs are /cypher, which the API keeps read-only, and
    /export, a read of the store with a long list of eids in the body."""
    src = ROOT / "explorer" / "src"
    code = {p.relative_to(src).as_posix(): p.read_text(encoding="utf-8") for p in src.rglob("*.js")}
    posts = {
        (name, m)
        for name, text in code.items()
        for m in re.findall(r"(?<!function )\bpost(?:Download)?\(([^,)]*)", text)
    }
    assert posts == {("views/console.js", '"/cypher"'), ("views/graph.js", '"/export"')}, posts
    methods = {name for name, text in code.items() if re.search(r"method:\s*\"(?!GET)", text)}
    assert methods == {"api.js"}  # the one place that sends a POST: post() itself
