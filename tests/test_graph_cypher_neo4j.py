"""The Cypher export runs on a real Neo4j, twice (re-runnable), and loads exactly the (sub)graph.

Needs a server (``make neo4j-start`` or NEO4J_URI …); skipped without one unless CI is set. Uses the plan id
``pgtest-cypher`` and removes its nodes (and entities left without relationships) afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.export import select, to_cypher
from plangraph.ingest.pipeline import parse_file
from tests.conftest import BUNDLED_SOURCE
from tests.integration.conftest import in_ci, neo4j_config

PLAN = "pgtest-cypher"
pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    neo4j = pytest.importorskip("neo4j")
    cfg = neo4j_config()
    driver = neo4j.GraphDatabase.driver(cfg["uri"], auth=(cfg["user"], cfg["password"]))
    try:
        driver.verify_connectivity()
    except Exception as exc:  # any connection failure means "no server"
        driver.close()
        if in_ci():
            pytest.fail(f"CI is set and Neo4j is unreachable: {exc}", pytrace=False)
        pytest.skip(f"no Neo4j at {cfg['uri']}: {exc}")
    with driver.session(database=cfg["database"]) as s:
        clean(s)
        yield s
        clean(s)
    driver.close()


def clean(s: Any) -> None:
    def work(tx: Any) -> None:
        tx.run("MATCH (n {plan_id: $p}) DETACH DELETE n", p=PLAN).consume()
        tx.run("MATCH (e {plan_id: ''}) WHERE NOT (e)--() DELETE e").consume()

    s.execute_write(work)


def test_cypher_script_loads_the_graph_twice(session: Any) -> None:
    full = build_graph(parse_file(BUNDLED_SOURCE, plan_id=PLAN), links=links_beside(BUNDLED_SOURCE))
    # a subgraph keeps the test quick (Neo4j plans each literal-heavy statement): task 1, its subtasks,
    # 专栏 and items, the goals they serve and the entities they mention
    g = select(full, root=f"{PLAN}/task-1", depth=3)
    script = to_cypher(g)
    statements = [s for s in script.split(";\n") if s.strip() and not s.lstrip().startswith("//")]
    schema = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    data = [s for s in statements if not s.startswith("CREATE CONSTRAINT")]
    for _ in range(2):
        for stmt in schema:
            session.run(stmt).consume()
        # one managed transaction: all or nothing, retried by the driver on transient errors (a deadlock
        # with another client MERGE-ing the same shared entities)
        session.execute_write(lambda tx: [tx.run(stmt).consume() for stmt in data])
    nodes = session.run("MATCH (n {plan_id: $p}) RETURN count(n) AS c", p=PLAN).single()["c"]
    rels = session.run(
        "MATCH (a)-[r]->(b) WHERE a.plan_id = $p OR b.plan_id = $p RETURN count(r) AS c", p=PLAN
    ).single()["c"]
    plan_nodes = sum(1 for _, d in g.nodes(data=True) if d.get("plan_id") == PLAN)
    assert nodes == plan_nodes
    assert rels == g.number_of_edges()
    rec = session.run(
        "MATCH (t:Task {eid: $t})-[r:SERVES]->(goal:Goal) RETURN goal.eid AS g, r.terms AS terms, r.rank AS rank "
        "ORDER BY rank LIMIT 1",
        t=f"{PLAN}/task-1",
    ).single()
    assert rec["g"] == f"{PLAN}/goal-1" and rec["rank"] == 1 and isinstance(rec["terms"], list)
    spans = session.run(
        "MATCH (:Subtask {eid: $s})-[m:MENTIONS]->(:Technology {eid: 'technology/5G'}) RETURN m.char_starts AS c",
        s=f"{PLAN}/task-1/subtask-1",
    ).single()["c"]
    assert spans and all(isinstance(x, int) for x in spans)
