"""Exports open right in the tools people use.

- CSV: the command ``import.txt`` gives is run, as written, by the import tool of the Neo4j the project
  ships (``neo4j-admin database import full``, from the server's own jars); the imported database is then
  served by the project's server and every node and relationship is read back with its properties,
  empty strings and empty lists included.
- GEXF: byte-identical whatever the day (the plan's date, not today's) and without networkx's
  ``networkx_key``.
- Mermaid: over Mermaid's default edge limit the export says so and raises it in an init directive.
- zip: the same files give the same bytes.
"""

from __future__ import annotations

import copy
import os
import re
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from io import BytesIO
from pathlib import Path

import networkx as nx
import pytest

from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.export import (
    AFTER_IMPORT,
    CSV_MARKER,
    MERMAID_MAX_EDGES,
    import_argv,
    render,
    select,
    to_csv_files,
    to_gexf,
    zip_bytes,
)
from plangraph.graph.schema import NODE_LABELS, REL_TYPES
from plangraph.ingest.models import PlanDocument
from tests.conftest import BUNDLED_SOURCE
from tests.neo4j_admin import CLASSPATH, SERVER, admin_import
from tests.stores_env import in_ci

ROOT = Path(__file__).resolve().parents[1]
P = "informatization-14fyp"


@pytest.fixture(scope="module")
def g(bundled_doc: PlanDocument) -> nx.MultiDiGraph:
    return build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))


# -- GEXF ------------------------------------------------------------------------------------------------
def test_gexf_is_the_same_on_any_day_and_has_no_networkx_key(g: nx.MultiDiGraph, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sub = select(g, root=f"{P}/task-4", depth=1)
    first = to_gexf(sub)
    monkeypatch.setattr(time, "strftime", lambda *a, **k: "1999-09-09")  # networkx dates by time.strftime
    again = to_gexf(sub)
    assert first == again
    assert "networkx_key" not in first and "1999-09-09" not in again
    assert "lastmodifieddate" not in first  # no plan in this subgraph
    back = nx.read_gexf(BytesIO(first.encode()))
    assert back.number_of_nodes() == sub.number_of_nodes()
    assert back.number_of_edges() == sub.number_of_edges()


@pytest.mark.parametrize(("issued", "date"), [("2021-12-27", "2021-12-27"), ("2021-12", None)])
def test_gexf_dates_itself_by_the_plans_full_date_of_issue(
    g: nx.MultiDiGraph, issued: str, date: str | None
) -> None:
    h = copy.deepcopy(g)
    h.nodes[P]["issued"] = issued
    meta = ET.fromstring(to_gexf(h).encode()).find("{http://www.gexf.net/1.2draft}meta")
    assert meta is not None and meta.get("lastmodifieddate") == date


# -- Mermaid ---------------------------------------------------------------------------------------------
def test_mermaid_over_the_default_edge_limit_raises_it(g: nx.MultiDiGraph) -> None:
    assert g.number_of_edges() > MERMAID_MAX_EDGES
    text = render(g, "mermaid")
    first = text.splitlines()[0]
    assert first.startswith("%%{init: ") and f'"maxEdges": {g.number_of_edges()}' in first
    assert "over Mermaid's default limits" in text.splitlines()[1]
    small = select(g, root=f"{P}/task-4", depth=1)
    assert small.number_of_edges() <= MERMAID_MAX_EDGES
    assert render(small, "mermaid").startswith("flowchart LR")


# -- zip -------------------------------------------------------------------------------------------------
def test_zip_bytes_are_the_same_for_the_same_files(g: nx.MultiDiGraph) -> None:
    files = to_csv_files(select(g, root=f"{P}/task-4", depth=1))
    a = zip_bytes(files)
    assert a == zip_bytes(dict(reversed(list(files.items()))))
    with zipfile.ZipFile(BytesIO(a)) as z:
        assert sorted(z.namelist()) == sorted(files)
        assert all(
            i.compress_type == zipfile.ZIP_DEFLATED and i.date_time == (1980, 1, 1, 0, 0, 0)
            for i in z.infolist()
        )


# -- CSV through the real import tool ---------------------------------------------------------------------
def _classpath() -> str:
    if not CLASSPATH.is_file():
        msg = f"{CLASSPATH} is missing: build the project's Neo4j with `make neo4j-build`"
        if in_ci():
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return CLASSPATH.read_text().strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _with_empties(g: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, str]:
    """A copy where one node holds an empty string and an empty list (the build never writes "", but a
    researcher's own graph may)."""
    h = copy.deepcopy(g)
    eid = next(n for n, d in sorted(h.nodes(data=True)) if d["label"] == "Technology")
    h.nodes[eid]["category"] = ""
    h.nodes[eid]["aliases"] = []
    return h, eid


def _neo4j_value(value: object) -> object:
    return list(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.neo4j
def test_the_csv_export_imports_with_neo4j_admin_and_reads_back(g: nx.MultiDiGraph, tmp_path: Path) -> None:
    neo4j = pytest.importorskip("neo4j")
    _classpath()  # the project's Neo4j is built
    h, empty_eid = _with_empties(select(g, root=f"{P}/task-4", depth=2))
    export = tmp_path / "export"
    for name, text in to_csv_files(h).items():
        (export / name).parent.mkdir(parents=True, exist_ok=True)
        (export / name).write_text(text, encoding="utf-8")
    command = (export / CSV_MARKER).read_text(encoding="utf-8")
    argv = import_argv(command)
    assert argv[:4] == ["neo4j-admin", "database", "import", "full"] and argv[4] == "neo4j"

    home = tmp_path / "home"
    res = admin_import(export, home, timeout_s=300)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert "IMPORT DONE" in res.stdout

    port = _free_port()
    server = {
        **os.environ,
        "NEO4J_DATA_DIR": str(home),
        "NEO4J_PORT": str(port),
        "NEO4J_PASSWORD": "import-test",
        "REPO": str(ROOT),
    }
    after = (export / AFTER_IMPORT).read_text(encoding="utf-8")
    assert f"cypher-shell -u neo4j -f {AFTER_IMPORT}" in command
    start = subprocess.run(
        ["bash", str(SERVER / "neo4j.sh"), "start"], env=server, capture_output=True, text=True, timeout=300
    )
    assert start.returncode == 0, start.stdout + start.stderr
    try:
        driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", "import-test"))
        with driver.session() as s:
            for statement in after.split(";\n"):
                if statement.strip() and not statement.lstrip().startswith("//"):
                    s.run(statement).consume()
                elif "\n" in statement.strip():  # a comment line before the first statement
                    s.run(statement.strip().split("\n", 1)[1]).consume()
            nodes = {
                r["eid"]: (r["labels"], r["props"])
                for r in s.run("MATCH (n) RETURN n.eid AS eid, labels(n) AS labels, properties(n) AS props")
            }
            rels = sorted(
                (r["a"], r["t"], r["b"])
                for r in s.run("MATCH (a)-[r]->(b) RETURN a.eid AS a, type(r) AS t, b.eid AS b")
            )
        driver.close()
    finally:
        subprocess.run(
            ["bash", str(SERVER / "neo4j.sh"), "stop"], env=server, capture_output=True, timeout=120
        )

    assert set(nodes) == set(h.nodes)
    for eid, d in h.nodes(data=True):
        labels, props = nodes[eid]
        assert labels == [d["label"]]
        schema = {p.name for p in NODE_LABELS[d["label"]].props}
        want = {k: _neo4j_value(v) for k, v in d.items() if k in schema and v is not None}
        assert {k: _neo4j_value(v) for k, v in props.items()} == want, eid
    assert nodes[empty_eid][1]["category"] == "" and list(nodes[empty_eid][1]["aliases"]) == []
    want_rels = sorted((u, k, v) for u, v, k in h.edges(keys=True) if k in REL_TYPES)
    assert rels == want_rels


def test_import_txt_names_the_database_before_the_files(g: nx.MultiDiGraph) -> None:
    text = to_csv_files(select(g, root=f"{P}/task-4", depth=1))[CSV_MARKER]
    command = re.search(r"^neo4j-admin database import full (\S+) ", text, re.M)
    assert command and command.group(1) == "neo4j"
    assert text.index(" neo4j ") < text.index("--nodes=")
