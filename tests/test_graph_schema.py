"""The schema: one source of labels, types, properties and constraints; the docs are generated from it."""

from __future__ import annotations

import re

import ladybug as lb
import networkx as nx
import pytest

from plangraph.graph import schema
from plangraph.graph.schema import (
    COMMON,
    ENTITIES,
    KEY,
    NODE_LABELS,
    REL_TYPES,
    TYPES,
    NodeLabel,
    Prop,
    RelType,
    check_graph,
    ladybug_ddl,
    neo4j_constraints,
)
from plangraph.graph.schemadoc import BEGIN, END, block
from plangraph.ingest.ids import NESTED, PLAN_LEVEL
from plangraph.ingest.models import Kind
from tests.conftest import ROOT

LABELS = [
    "Plan",
    "Part",
    "Section",
    "Achievement",
    "Goal",
    "Indicator",
    "Principle",
    "Direction",
    "Task",
    "Subtask",
    "Column",
    "ColumnItem",
    "Action",
    "ActionItem",
    "Target",
    "Measure",
    "Table",
    "Body",
    "Technology",
    "Region",
    "Document",
    "Initiative",
    "Metric",
]
RELS = [
    "HAS_PART",
    "HAS_SECTION",
    "HAS_GOAL",
    "HAS_INDICATOR",
    "HAS_TASK",
    "HAS_SUBTASK",
    "HAS_COLUMN",
    "HAS_ITEM",
    "HAS_ACTION",
    "HAS_TARGET",
    "HAS_PRINCIPLE",
    "HAS_DIRECTION",
    "HAS_MEASURE",
    "HAS_ACHIEVEMENT",
    "HAS_TABLE",
    "FOLLOWS",
    "SERVES",
    "MEASURES",
    "RESPONSIBLE_FOR",
    "MENTIONS",
    "OF_METRIC",
    "CITES",
]


def test_api_shape() -> None:
    assert sorted(NODE_LABELS) == sorted(LABELS)
    assert sorted(REL_TYPES) == sorted(RELS)
    assert all(isinstance(v, NodeLabel) and v.name == k for k, v in NODE_LABELS.items())
    assert all(isinstance(v, RelType) and v.name == k for k, v in REL_TYPES.items())
    assert all(isinstance(p, Prop) and p.type in TYPES for v in NODE_LABELS.values() for p in v.props)
    assert all(isinstance(p, Prop) and p.type in TYPES for v in REL_TYPES.values() for p in v.props)


@pytest.mark.parametrize("label", LABELS)
def test_every_label_has_the_key_and_common_props(label: str) -> None:
    lab = NODE_LABELS[label]
    assert lab.props[0] == Prop(KEY, "STRING")
    assert set(COMMON) <= set(lab.props)
    assert len(lab.prop_names) == len(set(lab.prop_names))
    if label in ENTITIES:
        assert {"name", "aliases", "category"} <= set(lab.prop_names)
        assert lab.prop("aliases").type == "STRING[]"


def test_document_kinds_are_labels() -> None:
    # every kind the parser makes is a label of the graph
    assert {k.value for k in Kind} <= set(NODE_LABELS)
    assert {k.value for k in PLAN_LEVEL} <= set(NODE_LABELS)
    assert {k.value for k in NESTED} <= set(NODE_LABELS)


def test_endpoints_are_declared_labels_and_unique() -> None:
    for rel in REL_TYPES.values():
        assert rel.endpoints, rel.name
        assert len(set(rel.endpoints)) == len(rel.endpoints)
        for a, b in rel.endpoints:
            assert a in NODE_LABELS and b in NODE_LABELS
    assert ("Column", "Subtask") in REL_TYPES["FOLLOWS"].endpoints
    for src in ("Task", "Subtask", "Column", "Action"):
        assert (src, "Goal") in REL_TYPES["SERVES"].endpoints
    assert REL_TYPES["MEASURES"].endpoints == (("Indicator", "Goal"),)
    assert {b for _, b in REL_TYPES["MENTIONS"].endpoints} == set(ENTITIES)
    assert {a for a, _ in REL_TYPES["RESPONSIBLE_FOR"].endpoints} == {"Body"}


def test_neo4j_constraints_one_per_label() -> None:
    cs = neo4j_constraints()
    assert len(cs) == len(NODE_LABELS)
    pattern = re.compile(r"^CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.eid IS UNIQUE$")
    names = [pattern.match(c).group(1) for c in cs]  # type: ignore[union-attr]
    assert len(set(names)) == len(names)
    assert {pattern.match(c).group(2) for c in cs} == set(NODE_LABELS)  # type: ignore[union-attr]


def test_ladybug_ddl_runs_and_is_rerunnable() -> None:
    conn = lb.Connection(lb.Database(":memory:"))
    for _ in range(2):
        for stmt in ladybug_ddl():
            conn.execute(stmt)
    conn.execute("CREATE (:`Column` {eid: 'c'})")
    conn.execute("CREATE (:Subtask {eid: 's'})")
    conn.execute("MATCH (c:`Column`), (s:Subtask) CREATE (c)-[:FOLLOWS]->(s)")
    res = conn.execute("MATCH (:`Column`)-[r:FOLLOWS]->(s) RETURN s.eid")
    assert res.get_next() == ["s"]


def test_check_graph_reports_breaches() -> None:
    g = nx.MultiDiGraph()
    g.add_node("p", label="Plan", eid="p", ordinal="1")
    g.add_node("x", label="Nope", eid="x")
    g.add_node("t", label="Task", eid="t", colour="red")
    g.add_edge("p", "t", key="HAS_TASK", type="HAS_TASK")
    g.add_edge("t", "p", key="SERVES", type="SERVES", score="high")
    problems = check_graph(g)
    assert any("ordinal='1' is not INT64" in p for p in problems)
    assert any("unknown label 'Nope'" in p for p in problems)
    assert any("'colour' is not a property of Task" in p for p in problems)
    assert any("(Task, Plan) is not an endpoint pair of SERVES" in p for p in problems)
    assert any("score='high' is not DOUBLE" in p for p in problems)


def test_docs_schema_md_is_generated_from_the_schema() -> None:
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "docs/schema.md lost its generated block"
    current = text[text.index(BEGIN) : text.index(END) + len(END)] + "\n"
    assert current == block(), (
        "docs/schema.md is stale: run `python -m plangraph.graph.schemadoc` and paste the block"
    )


def test_schema_module_has_no_plan_specifics() -> None:
    src = (ROOT / "graph" / "schema.py").read_text(encoding="utf-8")
    assert "informatization" not in src
    assert schema.STRUCTURAL[0] == "HAS_PART"
