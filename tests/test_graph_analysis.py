"""Research helpers: goal coverage, centrality, co-mention, paths, and their table/json/csv output."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import networkx as nx
import pytest
from typer.testing import CliRunner

from plangraph.cli import graph_cmds
from plangraph.cli.main import app
from plangraph.graph.analysis import (
    analysis_graph,
    centrality,
    comention,
    comention_graph,
    goal_coverage,
    pagerank,
    render_rows,
    shortest_path,
)
from plangraph.graph.build import build_graph, links_beside
from plangraph.ingest.errors import PlanGraphError
from plangraph.ingest.models import PlanDocument
from tests.conftest import BUNDLED_DIR, BUNDLED_SOURCE

P = "informatization-14fyp"


@pytest.fixture(scope="module")
def g(bundled_doc: PlanDocument) -> nx.MultiDiGraph:
    return build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))


def test_goal_coverage(g: nx.MultiDiGraph) -> None:
    rows = goal_coverage(g)
    assert [r["goal"] for r in rows][:2] == [f"{P}/goal-overall", f"{P}/goal-1"] and len(rows) == 8
    by = {r["goal"].rsplit("/", 1)[1]: r for r in rows}
    assert by["goal-1"]["top_task"] == f"{P}/task-1" and by["goal-1"]["indicators"] == 4
    assert by["goal-3"]["top_task"] == f"{P}/task-4"  # curated
    assert by["goal-4"]["gap"] == "no indicator"
    assert all(r["tasks"] + r["subtasks"] + r["columns"] + r["actions"] > 0 for r in rows)


def test_pagerank_matches_networkx_python_version() -> None:
    h = nx.karate_club_graph()
    h = nx.relabel_nodes(h, {n: f"n{n:02d}" for n in h})
    ours = pagerank(h)
    ref = nx.pagerank(h, alpha=0.85, tol=1e-12, weight=None) if _has_scipy() else None
    assert abs(sum(ours.values()) - 1.0) < 1e-9
    if ref is not None:
        assert max(abs(ours[n] - ref[n]) for n in h) < 1e-6
    assert max(ours, key=lambda n: ours[n]) == "n33"


def _has_scipy() -> bool:
    try:
        import scipy  # noqa: F401
    except ImportError:
        return False
    return True


def test_centrality(g: nx.MultiDiGraph) -> None:
    rows = centrality(g)
    assert {r["label"] for r in rows} == {"Task", "Column"} and len(rows) == 27
    assert [r["pagerank"] for r in rows] == sorted((r["pagerank"] for r in rows), reverse=True)
    assert all(r["pagerank"] > 0 for r in rows)
    assert "Plan" not in {d.get("label") for _, d in analysis_graph(g).nodes(data=True)}
    assert len(centrality(g, ["Task"], top=3)) == 3
    with pytest.raises(PlanGraphError, match="unknown label 'Taks'"):
        centrality(g, ["Taks"])


def test_comention(g: nx.MultiDiGraph) -> None:
    h = comention_graph(g)
    assert all(g.nodes[n]["label"] == "Technology" for n in h)
    assert h.has_edge("technology/5G", "technology/IPv6")
    rows = comention(g, min_weight=2)
    assert rows and all(r["weight"] >= 2 and r["a"] <= r["b"] for r in rows)
    assert [r["weight"] for r in rows] == sorted((r["weight"] for r in rows), reverse=True)
    for r in rows[:5]:
        assert len(r["contexts"].split()) == r["weight"]
    with pytest.raises(PlanGraphError, match="unknown entity kind"):
        comention(g, kind="Task")


def test_shortest_path(g: nx.MultiDiGraph) -> None:
    rows = shortest_path(g, f"{P}/task-1/subtask-1", "technology/5G")
    assert [r["step"] for r in rows] == [0, 1] and rows[1]["via"] == "-[MENTIONS]->"
    rows = shortest_path(g, f"{P}/goal-3", f"{P}/task-4")
    assert rows[-1]["via"] == "<-[SERVES]-"
    assert all(r["label"] not in ("Plan", "Part", "Section") for r in rows)
    with pytest.raises(PlanGraphError, match="unknown eid"):
        shortest_path(g, "nope", "technology/5G")


def test_render_rows() -> None:
    rows = [{"a": "数字", "n": 1}, {"a": "x", "n": 22}]
    table = render_rows(rows).splitlines()
    assert table[0].startswith("a ") and set(table[1]) <= {"-", " "} and len(table) == 4
    assert json.loads(render_rows(rows, "json")) == rows
    assert list(csv.DictReader(io.StringIO(render_rows(rows, "csv")))) == [
        {"a": "数字", "n": "1"},
        {"a": "x", "n": "22"},
    ]
    with pytest.raises(PlanGraphError, match="valid: table, json, csv"):
        render_rows(rows, "xml")


ANALYSES = [  # the command line, the rows it must print, how it must build the graph
    (["coverage", "--no-curated"], lambda g: render_rows(goal_coverage(g), "table"), (True, False)),
    (["centrality", "--top", "5", "-f", "json"], lambda g: render_rows(centrality(g, ("Task", "Column"), 5), "json"), (True, True)),
    (["comention", "--min-weight", "3", "-f", "csv"], lambda g: render_rows(comention(g, "Technology", "Task", 3, None), "csv"), (False, True)),
    (["path", "task-4", "technology/人工智能", "--plan-id", P], lambda g: render_rows(shortest_path(g, f"{P}/task-4", "technology/人工智能", False, False), "table"), (True, True)),
]  # fmt: skip


@pytest.mark.parametrize("args, rows, graph_options", ANALYSES, ids=[a[0][0] for a in ANALYSES])
def test_cli_analyse(
    g: nx.MultiDiGraph,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    rows: Callable[[nx.MultiDiGraph], str],
    graph_options: tuple[bool, bool],
) -> None:
    """Each analysis prints its function's rows in the format asked, from the graph its options ask for."""
    asked: list[tuple[object, ...]] = []

    def load_graph(source: object, plan_id: object, **options: object) -> nx.MultiDiGraph:
        asked.append((source, plan_id, options["infer"], options["curated"]))
        return g

    monkeypatch.setattr(graph_cmds, "load_graph", load_graph)
    res = CliRunner().invoke(app, ["analyse", args[0], str(BUNDLED_DIR), *args[1:]])
    assert res.exit_code == 0, res.output
    assert res.stdout.rstrip("\n") == rows(g).rstrip("\n") and rows(g).strip()
    plan_id = P if "--plan-id" in args else None
    assert asked == [(BUNDLED_DIR, plan_id, *graph_options)]


def test_cli_analyse_bad_label(g: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph_cmds, "load_graph", lambda *a, **k: g)
    res = CliRunner().invoke(app, ["analyse", "centrality", str(BUNDLED_DIR), "--label", "Nope"])
    assert res.exit_code == 2 and "unknown label 'Nope'" in res.output


def test_cli_eval() -> None:
    res = CliRunner().invoke(app, ["eval", str(BUNDLED_DIR), "-f", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    serves = next(s for s in out["scores"] if s["rel"] == "SERVES")
    assert serves["goal_p@1"] >= 0.85 and serves["p@1"] >= 0.85
