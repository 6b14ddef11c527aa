"""The canned query library: headers, parameters, generated files in sync, every example runs (Ladybug).
The same queries on Neo4j, compared row by row, are in tests/integration/test_queries_both.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.stores import Store, open_store
from plangraph.ingest.models import PlanDocument
from plangraph.queries.cookbook import cookbook
from plangraph.queries.generate import neighbours_query
from plangraph.queries.library import QueryError, get_query, load_queries, parse_query
from tests.conftest import BUNDLED_SOURCE, ROOT

QUERIES = load_queries()
# queries whose example legitimately finds nothing in the bundled plan alone: citations need a second plan
# that cites it (tests/test_crossplan.py runs them on both stores)
MAY_BE_EMPTY: set[str] = {"citations_between", "plans_citing", "plans_without_text"}


@pytest.fixture(scope="module")
def lb_store(bundled_doc: PlanDocument) -> Iterator[Store]:
    store = open_store("ladybug")
    store.load(build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE)), bundled_doc.plan.id)
    yield store
    store.close()


def test_at_least_fifteen_research_questions() -> None:
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_example_runs(lb_store: Store, name: str) -> None:
    q = QUERIES[name]
    result = lb_store.read(q.cypher, q.bind(q.example_params()), max_rows=q.max_rows)
    assert result.columns
    if name not in MAY_BE_EMPTY:
        assert result.rows, f"{name}: its example finds nothing"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_portable_subset(name: str) -> None:
    text = QUERIES[name].cypher.lower()
    for banned in ("shortestpath(", "labels(", "type(", "substring(", "apoc.", "call "):
        assert banned not in text, f"{name} uses {banned}"


def test_goal_tasks_ranked_with_evidence(lb_store: Store) -> None:
    q = get_query("goal_tasks")
    rows = lb_store.read(q.cypher, {"goal": "informatization-14fyp/goal-5"}).records()
    assert rows[0]["title"] == "打造协同高效的数字政府服务体系"
    assert all(r["evidence"] for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_bind_checks_parameters() -> None:
    q = get_query("goal_tasks")
    with pytest.raises(QueryError, match="needs goal"):
        q.bind({})
    with pytest.raises(QueryError, match="no parameter nope"):
        q.bind({"goal": "x", "nope": 1})
    with pytest.raises(QueryError, match="no query"):
        get_query("drop_everything")


def test_header_must_declare_body_parameters() -> None:
    bad = "// title: t\n// description: d\n// max_rows: 5\nMATCH (n {eid: $eid}) RETURN n.eid"
    with pytest.raises(QueryError, match="declares"):
        parse_query("bad", bad)


CJK = re.compile(r"[\u3400-\u9fff]")
HEADER = "// title: t\n// description: d\n// title_zh: 标题\n// description_zh: 说明\n// max_rows: 5\n"


def test_every_query_speaks_chinese_too() -> None:
    """The explorer's Chinese interface shows the library in Chinese: every query has its title, its
    description and each parameter's description in Chinese, and they are not the English ones."""
    for q in load_queries().values():
        for en, zh in [(q.title, q.title_zh), (q.description, q.description_zh)] + [
            (p.description, p.description_zh) for p in q.params
        ]:
            assert CJK.search(zh) and zh != en, (q.name, zh)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            HEADER.replace("// title_zh: 标题\n", "") + "// param eid STRING: e\n// param_zh eid: 节点\n",
            "no title_zh",
        ),
        (
            HEADER.replace("// description_zh: 说明\n", "")
            + "// param eid STRING: e\n// param_zh eid: 节点\n",
            "no description_zh",
        ),
        (HEADER + "// param eid STRING: eid of the node\n", r"Chinese descriptions \(param_zh\) of \[\]"),
        (HEADER + "// param eid STRING: e\n// param_zh eid:\n", "param_zh"),
    ],
)
def test_the_chinese_header_lines_are_required(header: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query("bad", header + "MATCH (n {eid: $eid}) RETURN n.eid")
    assert parse_query(
        "good", HEADER + "// param eid STRING: e\n// param_zh eid: 节点\nMATCH (n {eid: $eid}) RETURN n"
    )


def test_generated_files_in_sync() -> None:
    assert (ROOT / "queries" / "neighbours.cypher").read_text(encoding="utf-8") == neighbours_query()
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == cookbook(), "run make docs"


def test_cookbook_mentions_every_query() -> None:
    text = cookbook()
    assert all(f"## {name}" in text for name in QUERIES)


def test_query_files_are_package_data() -> None:
    assert all((Path(__file__).parent.parent / "queries" / f"{n}.cypher").is_file() for n in QUERIES)
