"""Exports: every format parses back (or passes a syntax check), is byte-identical across runs, and
subgraph selection and bad input behave; the CLI writes nothing on error."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from plangraph.cli import graph_cmds
from plangraph.cli.main import app
from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.export import (
    CSV_MARKER,
    FORMATS,
    ExportError,
    render,
    resolve_ref,
    select,
    to_csv_files,
    to_json,
    write_csv,
)
from plangraph.graph.schema import NODE_LABELS, REL_TYPES, neo4j_constraints
from plangraph.ingest.errors import PlanGraphError
from plangraph.ingest.models import PlanDocument
from tests.conftest import BUNDLED_DIR, BUNDLED_SOURCE

P = "informatization-14fyp"
TEXT_FORMATS = [f for f in FORMATS if f != "csv"]


@pytest.fixture(scope="module")
def g(bundled_doc: PlanDocument) -> nx.MultiDiGraph:
    return build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))


@pytest.fixture(scope="module")
def small(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return select(g, root=f"{P}/task-4", depth=2)


@pytest.fixture
def cli(g: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The CLI with the graph already built (parsing is tested elsewhere)."""
    monkeypatch.setattr(graph_cmds, "load_graph", lambda *a, **k: g)
    return CliRunner()


# -- JSON ------------------------------------------------------------------------------------------------
def test_json_contract(g: nx.MultiDiGraph) -> None:
    text = to_json(g)
    doc = json.loads(text)
    assert set(doc) == {"plan", "nodes", "relationships"}
    assert doc["plan"]["id"] == P and doc["plan"]["source"]["sha256"]
    ids = [n["id"] for n in doc["nodes"]]
    assert ids == sorted(ids) and len(ids) == g.number_of_nodes()
    for n in doc["nodes"]:
        assert set(n) == {"id", "labels", "properties"}
        assert len(n["labels"]) == 1 and n["labels"][0] in NODE_LABELS
        assert n["properties"]["eid"] == n["id"]
        assert set(n["properties"]) <= set(NODE_LABELS[n["labels"][0]].prop_names)
    keys = [(r["start"], r["type"], r["end"]) for r in doc["relationships"]]
    assert keys == sorted(keys) and len(keys) == g.number_of_edges()
    known = set(ids)
    for r in doc["relationships"]:
        assert set(r) == {"type", "start", "end", "properties"}
        assert r["start"] in known and r["end"] in known
        assert set(r["properties"]) <= set(REL_TYPES[r["type"]].prop_names)
    assert "十四五" in text and "\\u" not in text  # Chinese unescaped


# -- GraphML / GEXF ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back(g: nx.MultiDiGraph, fmt: str) -> None:
    text = render(g, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    h = reader(io.BytesIO(text.encode("utf-8")))
    assert h.number_of_nodes() == g.number_of_nodes()
    assert h.number_of_edges() == g.number_of_edges()
    task = h.nodes[f"{P}/task-4"]
    assert task["labels"] == "Task" and task["title"] == "培育先进安全的数字产业体系"
    assert str(task["char_start"]) == str(g.nodes[f"{P}/task-4"]["char_start"])
    assert json.loads(h.nodes["body/国家发展改革委"]["aliases"]) == g.nodes["body/国家发展改革委"]["aliases"]
    rel_types = {d["rel_type"] for *_, d in h.edges(data=True)}
    assert {"SERVES", "MENTIONS", "HAS_TASK"} <= rel_types


def test_graphml_key_ids_unique(g: nx.MultiDiGraph) -> None:
    ids = re.findall(r'<key id="([^"]+)"', render(g, "graphml"))
    assert len(ids) == len(set(ids))


# -- CSV --------------------------------------------------------------------------------------------------
def test_csv_neo4j_admin_layout(g: nx.MultiDiGraph) -> None:
    files = to_csv_files(g)
    assert CSV_MARKER in files and "neo4j-admin database import full" in files[CSV_MARKER]
    node_rows = rel_rows = 0
    for name, text in files.items():
        if not name.endswith(".csv"):
            continue
        rows = list(csv.reader(io.StringIO(text)))
        header, body = rows[0], rows[1:]
        assert all(len(r) == len(header) for r in body), name
        if name.startswith("nodes/"):
            label = name[len("nodes/") : -len(".csv")]
            assert header[0] == "eid:ID" and header[-1] == ":LABEL"
            assert {r[-1] for r in body} == {label}
            assert [h.split(":")[0] for h in header[1:-1]] == list(NODE_LABELS[label].prop_names[1:])
            node_rows += len(body)
        else:
            rel = name[len("relationships/") : -len(".csv")]
            assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
            assert {r[2] for r in body} == {rel}
            rel_rows += len(body)
        assert f"--{name.split('/')[0]}={name}" in files[CSV_MARKER]
    assert node_rows == g.number_of_nodes() and rel_rows == g.number_of_edges()
    serves = files["relationships/SERVES.csv"].splitlines()[0]
    assert serves.startswith(":START_ID,:END_ID,:TYPE,score:double,rank:long") and "terms:string[]" in serves


def test_csv_zip_and_directory(small: nx.MultiDiGraph, tmp_path: Path) -> None:
    z1, z2 = tmp_path / "a.zip", tmp_path / "b.zip"
    write_csv(small, z1)
    write_csv(small, z2)
    assert z1.read_bytes() == z2.read_bytes()
    with zipfile.ZipFile(z1) as zf:
        assert sorted(zf.namelist()) == sorted(to_csv_files(small))
    out = tmp_path / "csvdir"
    write_csv(small, out)
    write_csv(small, out)  # an earlier export is replaced
    assert (out / CSV_MARKER).is_file() and (out / "nodes" / "Task.csv").is_file()
    other = tmp_path / "precious"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    with pytest.raises(ExportError, match="not an earlier CSV export"):
        write_csv(small, other)
    assert sorted(p.name for p in other.iterdir()) == ["keep.txt"]
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


# -- Cypher, DOT, Mermaid ---------------------------------------------------------------------------------
def test_cypher_script(g: nx.MultiDiGraph) -> None:
    text = render(g, "cypher")
    statements = [s.strip() for s in text.split(";\n") if s.strip() and not s.strip().startswith("//")]
    assert all(c in text for c in neo4j_constraints())
    merges = [s for s in statements if "MERGE" in s]
    assert merges and all("UNWIND [" in s for s in merges)
    assert text.count("MERGE (n:") >= len(NODE_LABELS) - 1
    assert "CREATE (" not in text and "DELETE" not in text  # re-runnable: MERGE only
    for s in statements:
        body = re.sub(r'"(?:[^"\\]|\\.)*"', '""', s)  # strip string literals
        assert body.count("[") == body.count("]") and body.count("{") == body.count("}"), s[:80]
    assert text.rstrip().endswith(";")


def test_dot(g: nx.MultiDiGraph) -> None:
    text = render(g, "dot")
    assert text.startswith("digraph plangraph {") and text.rstrip().endswith("}")
    assert 'fontname="Noto Sans CJK SC"' in text
    assert text.count(" -> ") == g.number_of_edges()
    body = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    assert body.count("{") == body.count("}") == 1 and body.count("[") == body.count("]")
    if shutil.which("dot"):
        res = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, timeout=60)
        assert res.returncode == 0, res.stderr.decode()


def test_mermaid(small: nx.MultiDiGraph) -> None:
    text = render(small, "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    node_lines = [x for x in lines if re.match(r'^  n\d+\["[^"\n]*"\]:::\w+$', x)]
    edge_lines = [x for x in lines if re.match(r"^  n\d+ (-->|==>|-\.->)\|\w+\| n\d+$", x)]
    assert len(node_lines) == small.number_of_nodes() and len(edge_lines) == small.number_of_edges()
    assert all(x in node_lines or x in edge_lines or x.startswith("  classDef ") for x in lines[1:])


@pytest.mark.parametrize("fmt", FORMATS)
def test_deterministic(bundled_doc: PlanDocument, g: nx.MultiDiGraph, fmt: str) -> None:
    again = build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))
    assert render(again, fmt) == render(g, fmt)


# -- selection --------------------------------------------------------------------------------------------
def test_root_and_depth(g: nx.MultiDiGraph) -> None:
    zero = select(g, root="task-4", depth=0)
    assert list(zero.nodes) == [f"{P}/task-4"]
    one = select(g, root=f"{P}/task-4", depth=1)
    labels = {d["label"] for _, d in one.nodes(data=True)}
    assert {"Task", "Subtask", "Column", "Goal"} <= labels and "Plan" not in labels  # structure only downward
    two = select(g, root=f"{P}/task-4", depth=2)
    assert set(one.nodes) < set(two.nodes) and f"{P}/column-9/item-1" in two


def test_goal_view(g: nx.MultiDiGraph) -> None:
    view = select(g, goal="3")
    assert f"{P}/goal-3" in view and f"{P}/task-4" in view and f"{P}/task-5" in view
    assert {k for *_, k in view.edges(keys=True)} <= {
        "SERVES",
        "MEASURES",
        "HAS_SUBTASK",
        "HAS_COLUMN",
        "FOLLOWS",
    }
    assert any(d["label"] == "Indicator" for _, d in view.nodes(data=True))
    assert select(g, goal=f"{P}/goal-3").nodes == view.nodes


def test_label_and_rel_filters(g: nx.MultiDiGraph) -> None:
    only = select(g, labels=["Task", "Goal"])
    assert {d["label"] for _, d in only.nodes(data=True)} == {"Task", "Goal"}
    serves = select(g, rels=["SERVES"])
    assert {k for *_, k in serves.edges(keys=True)} == {"SERVES"}
    assert all(serves.degree(n) > 0 for n in serves)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"root": "task-99"}, r"\[E401\] root: no node 'task-99'; did you mean: .*/task-9"),
        ({"root": "task-4", "depth": 11}, "out of range: 0–10"),
        ({"depth": 2}, "--depth needs --root"),
        ({"labels": ["Taks"]}, "unknown label 'Taks'; valid: Plan, Part"),
        ({"rels": ["SERVE"]}, "unknown relationship type 'SERVE'; valid: HAS_PART"),
        ({"goal": "9"}, r"\[E401\] goal: no goal '9'; did you mean: .*goal-overall"),
        ({"goal": "数字"}, r"\[E402\] goal: '数字' names 8 goals"),
    ],
)
def test_bad_selection(g: nx.MultiDiGraph, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PlanGraphError, match=message):
        select(g, **kwargs)  # type: ignore[arg-type]


def test_resolve_ref(g: nx.MultiDiGraph) -> None:
    assert resolve_ref(g, "column-9/item-3") == f"{P}/column-9/item-3"
    assert resolve_ref(g, "overall", "Goal") == f"{P}/goal-overall"
    assert resolve_ref(g, "technology/5G") == "technology/5G"


def test_unknown_format(g: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError, match="valid: json, graphml, gexf, csv, cypher, dot, mermaid"):
        render(g, "pdf")


# -- CLI --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_cli_export_to_file(cli: CliRunner, g: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    res = cli.invoke(app, ["export", str(BUNDLED_DIR), "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8") == render(g, fmt)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_cli_export_subgraph_stdout(cli: CliRunner) -> None:
    res = cli.invoke(
        app, ["export", str(BUNDLED_DIR), "--root", "task-4", "--depth", "1", "--rel", "HAS_SUBTASK"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert len(doc["nodes"]) == 4 and {r["type"] for r in doc["relationships"]} == {"HAS_SUBTASK"}


def test_cli_export_csv_zip(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "g.zip"
    res = cli.invoke(app, ["export", str(BUNDLED_DIR), "--format", "csv", "-o", str(out), "--goal", "goal-1"])
    assert res.exit_code == 0, res.output
    assert zipfile.is_zipfile(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "'pdf' is not one of"),
        (["--root", "nowhere"], "[E401] root: no node 'nowhere'"),
        (["--root", "task-4", "--depth", "42"], "out of range"),
        (["--label", "Goals"], "unknown label 'Goals'"),
    ],
)
def test_cli_bad_input_writes_nothing(cli: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out.json"
    res = cli.invoke(app, ["export", str(BUNDLED_DIR), "-o", str(out), *args])
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []
