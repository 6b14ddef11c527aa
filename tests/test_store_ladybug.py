"""The embedded Ladybug store: schema DDL, loads (idempotent, atomic, side by side), drops, guarded reads.

The same checks run against a real Neo4j in ``tests/integration/test_neo4j_store.py``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import ladybug as lb
import networkx as nx
import pytest

from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.schema import NODE_LABELS, REL_TYPES, SHARED
from plangraph.graph.stores import (
    LoadFailed,
    QueryRefused,
    QueryTimeout,
    Store,
    StoreUnavailable,
    check_read_only,
    open_store,
)
from plangraph.graph.stores import ladybug_store as ls
from plangraph.graph.stores.ladybug_store import LadybugStore, ladybug_ddl
from plangraph.graph.stores.rows import plan_rows, relabel_plan
from plangraph.ingest.errors import PlanGraphError
from plangraph.ingest.models import PlanDocument
from plangraph.ingest.pipeline import parse_file
from tests.conftest import BUNDLED_SOURCE
from tests.killed_load import kill_midway, rerun

PLAN = "informatization-14fyp"
OTHER = "other-plan"
HEAVY = "MATCH (a)-[*1..12]-(b) RETURN count(*)"


def build(doc: PlanDocument) -> nx.MultiDiGraph:
    """The plan's graph with the curated links beside it, as ``plangraph load`` builds it."""
    return build_graph(doc, links=links_beside(BUNDLED_SOURCE))


@pytest.fixture(scope="session")
def graph(bundled_doc: PlanDocument) -> nx.MultiDiGraph:
    return build(bundled_doc)


@pytest.fixture(scope="session")
def other_graph() -> nx.MultiDiGraph:
    """The bundled plan parsed again under another plan id (the ``--plan-id`` override)."""
    return build(parse_file(BUNDLED_SOURCE, plan_id=OTHER))


@pytest.fixture
def store() -> Any:
    s = LadybugStore()
    yield s
    s.close()


@pytest.fixture(scope="module")
def loaded(graph: nx.MultiDiGraph) -> Any:
    """One store with the bundled plan, for tests that only read."""
    s = LadybugStore()
    s.load(graph, PLAN)
    yield s
    s.close()


def label_counts(g: nx.MultiDiGraph) -> dict[str, int]:
    counts = dict.fromkeys(NODE_LABELS, 0)
    counts.update(Counter(a["label"] for _, a in g.nodes(data=True)))
    return counts


def type_counts(g: nx.MultiDiGraph) -> dict[str, int]:
    counts = dict.fromkeys(REL_TYPES, 0)
    counts.update(Counter(k for _, _, k in g.edges(keys=True)))
    return counts


def dump(store: Store) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with all its properties, sorted: equal dumps are equal graphs."""
    nodes = store.read("MATCH (n) RETURN n ORDER BY n.eid", max_rows=100_000)
    rels = store.read("MATCH (a)-[r]->(b) RETURN a.eid, b.eid, r ORDER BY a.eid, b.eid", max_rows=100_000)
    assert not nodes.truncated and not rels.truncated
    return nodes.rows, sorted(rels.rows, key=repr)


# -- schema -----------------------------------------------------------------------------------------
def test_ddl_covers_the_schema_and_quotes_reserved_words(store: LadybugStore) -> None:
    ddl = ladybug_ddl()
    assert len(ddl) == len(NODE_LABELS) + len(REL_TYPES)
    assert "CREATE NODE TABLE IF NOT EXISTS `Column`(" in "\n".join(ddl)
    tables = {r[0]: r[1] for r in store.read("CALL show_tables() RETURN name, type").rows}
    assert {t for t, k in tables.items() if k == "NODE"} == set(NODE_LABELS)
    assert {t for t, k in tables.items() if k == "REL"} == set(REL_TYPES)
    pairs = store.read("CALL show_connection('MENTIONS') RETURN *", max_rows=1000).rows
    assert {(a, b) for a, b, *_ in pairs} == set(REL_TYPES["MENTIONS"].endpoints)
    # ``Column`` is a reserved word: queries must backquote it
    assert store.read("MATCH (n:`Column`) RETURN count(n)").rows == [[0]]
    with pytest.raises(QueryRefused, match="Parser exception"):
        store.read("MATCH (n:Column) RETURN count(n)")


def test_an_older_store_gains_new_properties_and_endpoint_pairs(tmp_path: Path) -> None:
    path = tmp_path / "old.lbug"
    db = lb.Database(str(path))
    conn = lb.Connection(db)
    conn.execute("CREATE NODE TABLE `Task`(`eid` STRING, `title` STRING, PRIMARY KEY (`eid`))")
    conn.execute("CREATE NODE TABLE `Goal`(`eid` STRING, PRIMARY KEY (`eid`))")
    conn.execute("CREATE REL TABLE `SERVES`(FROM `Task` TO `Goal`)")
    conn.close()
    db.close()
    with LadybugStore(path) as store:
        cols = {r[0] for r in store.read("CALL table_info('Task') RETURN name").rows}
        assert set(NODE_LABELS["Task"].prop_names) <= cols
        pairs = {(r[0], r[1]) for r in store.read("CALL show_connection('SERVES') RETURN *").rows}
        assert pairs == set(REL_TYPES["SERVES"].endpoints)


# -- loading ----------------------------------------------------------------------------------------
def test_counts_per_label_and_type_match_the_graph(store: LadybugStore, graph: nx.MultiDiGraph) -> None:
    store.load(graph, PLAN)
    stats = store.stats()
    assert stats["plans"] == [PLAN]
    assert stats["nodes"] == label_counts(graph)
    assert stats["relationships"] == type_counts(graph)
    assert stats["node_count"] == graph.number_of_nodes()
    assert stats["relationship_count"] == graph.number_of_edges()


def test_properties_round_trip(loaded: LadybugStore, graph: nx.MultiDiGraph) -> None:
    for eid in sorted(graph.nodes)[::7]:
        attrs = dict(graph.nodes[eid])
        label = attrs.pop("label")
        (node,) = loaded.read(f"MATCH (n:`{label}` {{eid: $eid}}) RETURN n", {"eid": eid}).rows[0]
        assert node == {"_label": label, **attrs}
    for u, v, key in sorted(graph.edges(keys=True))[::7]:
        attrs = dict(graph.edges[u, v, key])
        query = f"MATCH (a {{eid: $u}})-[r:`{key}`]->(b {{eid: $v}}) RETURN r"
        rel = loaded.read(query, {"u": u, "v": v}).rows
        assert rel == [[{"_type": attrs.pop("type"), **attrs}]]


@pytest.mark.parametrize("replace", [True, False])
def test_loading_twice_changes_nothing(store: LadybugStore, graph: nx.MultiDiGraph, replace: bool) -> None:
    store.load(graph, PLAN, replace=replace)
    first, stats = dump(store), store.stats()
    store.load(graph, PLAN, replace=replace)
    assert dump(store) == first
    assert store.stats() == stats


def test_replace_removes_what_the_new_graph_lacks(store: LadybugStore, graph: nx.MultiDiGraph) -> None:
    store.load(graph, PLAN)
    smaller = graph.copy()
    gone = [n for n, a in graph.nodes(data=True) if a["label"] == "ColumnItem"]
    smaller.remove_nodes_from(gone)
    smaller.nodes[f"{PLAN}/task-1"]["title"] = "改过的标题"
    store.load(smaller, PLAN)
    assert store.stats()["nodes"]["ColumnItem"] == 0
    assert store.stats()["relationship_count"] == smaller.number_of_edges()
    title = store.read("MATCH (n:Task {eid: $e}) RETURN n.title", {"e": f"{PLAN}/task-1"})
    assert title.rows == [["改过的标题"]]


def test_two_plans_side_by_side_share_entities(
    store: LadybugStore, graph: nx.MultiDiGraph, other_graph: nx.MultiDiGraph
) -> None:
    store.load(graph, PLAN)
    store.load(other_graph, OTHER)
    stats = store.stats()
    assert stats["plans"] == [PLAN, OTHER]
    one, two = label_counts(graph), label_counts(other_graph)
    for label in NODE_LABELS:
        if label in SHARED:
            assert stats["nodes"][label] == one[label]  # shared, not doubled
        else:
            assert stats["nodes"][label] == one[label] + two[label]
    assert stats["relationship_count"] == graph.number_of_edges() + other_graph.number_of_edges()


def test_relabel_plan_matches_a_parse_under_that_id(
    graph: nx.MultiDiGraph, other_graph: nx.MultiDiGraph
) -> None:
    relabelled = relabel_plan(graph, OTHER)
    assert sorted(relabelled.nodes) == sorted(other_graph.nodes)
    assert sorted(relabelled.edges(keys=True)) == sorted(other_graph.edges(keys=True))


def test_dropping_one_plan_keeps_the_other_and_its_entities(
    store: LadybugStore, graph: nx.MultiDiGraph, other_graph: nx.MultiDiGraph
) -> None:
    store.load(other_graph, OTHER)
    only_other = dump(store), store.stats()
    store.load(graph, PLAN)
    store.drop_plan(PLAN)
    assert (dump(store), store.stats()) == only_other
    store.drop_plan(OTHER)
    assert store.stats()["node_count"] == 0  # the entities went with the last plan that named them


def test_dropping_a_plan_keeps_entities_another_plan_mentions(
    store: LadybugStore, graph: nx.MultiDiGraph
) -> None:
    """A second plan that mentions one body only: the body survives the first plan's drop, nothing else."""
    body = next(n for n, a in graph.nodes(data=True) if a["label"] == "Body")
    small = nx.MultiDiGraph()
    small.add_node("small", label="Plan", eid="small", plan_id="small", title="小规划")
    small.add_node(body, **graph.nodes[body])
    small.add_edge("small", body, key="MENTIONS", type="MENTIONS", count=1)
    store.load(graph, PLAN)
    store.load(small, "small")
    store.drop_plan(PLAN)
    assert store.stats()["nodes"]["Body"] == 1
    assert store.read("MATCH (b:Body) RETURN b.eid").rows == [[body]]


# -- failures leave the previous graph --------------------------------------------------------------
def test_a_graph_that_breaks_the_schema_is_refused_whole(store: LadybugStore, graph: nx.MultiDiGraph) -> None:
    store.load(graph, PLAN)
    before = dump(store)
    bad = graph.copy()
    bad.nodes[f"{PLAN}/task-1"]["colour"] = "red"
    with pytest.raises(PlanGraphError, match=r"\[E310\].*'colour' is not a property of Task"):
        store.load(bad, PLAN)
    with pytest.raises(PlanGraphError, match="is not the plan being loaded"):
        store.load(graph, "another-id")
    assert dump(store) == before


def test_an_exception_midway_rolls_the_load_back(store: LadybugStore, graph: nx.MultiDiGraph) -> None:
    store.load(graph, PLAN)
    before = dump(store)
    changed = graph.copy()
    changed.remove_nodes_from([n for n, a in graph.nodes(data=True) if a["label"] == "Technology"])

    def boom(done: int, total: int) -> None:
        if done > total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.load(changed, PLAN, progress=boom)
    assert dump(store) == before
    store.load(changed, PLAN)  # the store is usable afterwards
    assert store.stats()["nodes"]["Technology"] == 0


def test_an_engine_error_midway_rolls_the_load_back(
    store: LadybugStore, graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.load(graph, PLAN)
    before = dump(store)
    real = ls._rel_query
    broken = {"MENTIONS": " BROKEN"}
    monkeypatch.setattr(ls, "_rel_query", lambda t, a, b, *more: real(t, a, b, *more) + broken.get(t, ""))
    with pytest.raises(LoadFailed, match=r"\[E304\] loading plan .* rolled back"):
        store.load(graph, PLAN)
    assert dump(store) == before


def test_readers_see_the_old_graph_while_a_load_runs(store: LadybugStore, graph: nx.MultiDiGraph) -> None:
    store.load(graph, PLAN)
    seen: list[int] = []

    def peek(done: int, total: int) -> None:
        counts: list[int] = []
        t = threading.Thread(target=lambda: counts.append(store.read("MATCH (n) RETURN count(n)").rows[0][0]))
        t.start()
        t.join()
        seen.extend(counts)

    store.load(relabel_plan(graph, OTHER), OTHER, progress=peek)
    assert seen and set(seen) == {graph.number_of_nodes()}


def test_a_killed_load_leaves_the_file_store_intact(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    path = tmp_path / "kill.lbug"
    with LadybugStore(path) as store:
        store.load(graph, PLAN)
        before = dump(store)
    v2 = graph.copy()
    for n in v2.nodes:
        v2.nodes[n]["title"] = "v2"
    script = kill_midway(v2, PLAN, f'open_store("ladybug", path={str(path)!r}, batch_size=10)', tmp_path)
    with LadybugStore(path) as store:
        assert dump(store) == before
    rerun(script)
    with LadybugStore(path, read_only=True) as store:
        assert store.read("MATCH (n:Task) RETURN DISTINCT n.title").rows == [["v2"]]
        assert store.stats()["node_count"] == graph.number_of_nodes()


# -- reading ----------------------------------------------------------------------------------------
def test_a_thread_reads_through_its_own_connection_and_sees_every_load(
    store: LadybugStore, graph: nx.MultiDiGraph
) -> None:
    """Reads keep one connection per thread (so its prepared statements); each read is a transaction of
    its own, so a load committed after a thread's first read is in its next one."""
    count = "MATCH (n) RETURN count(n)"
    assert store.read(count).rows == [[0]]
    mine = store._reader()
    theirs: list[lb.Connection] = []
    t = threading.Thread(target=lambda: theirs.append(store._reader()))
    t.start()
    t.join()
    assert store._reader() is mine and theirs[0] is not mine
    store.load(graph, PLAN)
    assert store.read(count).rows == [[graph.number_of_nodes()]]
    store.drop_plan(PLAN)
    assert store.read(count).rows == [[0]]
    assert store._reader() is mine


def test_a_read_that_fails_leaves_the_next_one_a_fresh_connection(loaded: LadybugStore) -> None:
    before = loaded._reader()
    with pytest.raises(QueryTimeout):
        loaded.read(HEAVY, timeout_s=0.2)
    after = loaded._reader()
    assert after is not before and before.is_closed
    assert loaded.read("MATCH (n:Goal) RETURN count(n)").rows[0][0] > 0


def test_closing_the_store_closes_every_threads_connection(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    path = tmp_path / "readers.lbug"
    store = LadybugStore(path)
    store.load(graph, PLAN)
    readers: list[lb.Connection] = []

    def read() -> None:
        store.read("MATCH (n) RETURN count(n)")
        readers.append(store._reader())

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    assert len({id(c) for c in readers}) == 3 and all(c.is_closed for c in readers)
    with LadybugStore(path) as again:  # the file is free: held by no connection of the closed store
        assert again.read("MATCH (n) RETURN count(n)").rows == [[graph.number_of_nodes()]]


def test_row_cap(loaded: LadybugStore, graph: nx.MultiDiGraph) -> None:
    query = "MATCH (n:Task) RETURN n.eid AS eid ORDER BY n.eid"
    capped = loaded.read(query, max_rows=3)
    assert capped.columns == ["eid"]
    assert len(capped.rows) == 3 and capped.truncated
    full = loaded.read(query, max_rows=10)
    assert len(full.rows) == 10 and not full.truncated
    assert full.records()[0] == {"eid": f"{PLAN}/task-1"}
    assert loaded.read(query, max_rows=0) == type(capped)(["eid"], [], True)


def test_timeout(loaded: LadybugStore, graph: nx.MultiDiGraph) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"\[E303\].*timeout_s=0.2"):
        loaded.read(HEAVY, timeout_s=0.2)
    assert time.monotonic() - started < 5
    assert loaded.read("MATCH (n) RETURN count(n)", timeout_s=0.2).rows == [[graph.number_of_nodes()]]


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Task {eid: 'x'})",
        "MATCH (n:Task) SET n.title = 'x'",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n:Task) RETURN n.eid; MATCH (n) DETACH DELETE n",
        "COMMIT",
        "COPY (MATCH (n:Task) RETURN n.eid) TO '{tmp}/leak.csv'",
        "LOAD FROM '{tmp}/leak.csv' RETURN *",
        "CALL create_fts_index('Task', 'idx', ['title'])",
    ],
)
def test_reads_refuse_writes(loaded: LadybugStore, query: str, tmp_path: Path) -> None:
    before = dump(loaded)
    with pytest.raises(QueryRefused, match=r"\[E302\]"):
        loaded.read(query.replace("{tmp}", str(tmp_path)))
    assert dump(loaded) == before
    assert not (tmp_path / "leak.csv").exists()


@pytest.mark.parametrize(
    ("query", "ok"),
    [
        ("MATCH (n:`Task`) WHERE n.title CONTAINS 'CREATE' RETURN n.eid", True),
        ("MATCH (n) RETURN n.eid; ", True),
        ("MATCH (n {set: 1}) RETURN n.create, $load // DELETE", True),
        ("MATCH (n:Task) RETURN n /* ; DROP */", True),
        ("RETURN 1; RETURN 2", False),
        ("merge (n:Task {eid: 'x'})", False),
        ("MATCH (n) REMOVE n.title", False),
        ("MATCH (n) WITH n LOAD FROM 'x.csv' RETURN *", False),
        ("ATTACH 'x.lbug' AS x", False),
        ("", False),
    ],
)
def test_read_only_guard(query: str, ok: bool) -> None:
    if ok:
        check_read_only(query)
    else:
        with pytest.raises(QueryRefused):
            check_read_only(query)


def test_invalid_queries_are_refused_with_the_engine_message(store: LadybugStore) -> None:
    with pytest.raises(QueryRefused, match="Ladybug refused the query"):
        store.read("MATCH (n:Nope) RETURN n")


# -- files and the factory --------------------------------------------------------------------------
def test_a_file_store_persists_and_opens_read_only(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    path = tmp_path / "sub" / "plans.lbug"
    with LadybugStore(path) as store:
        store.load(graph, PLAN)
        stats = store.stats()
    with LadybugStore(path, read_only=True) as store:
        assert {**store.stats(), "location": None} == {**stats, "location": None}
        with pytest.raises(StoreUnavailable, match="read-only"):
            store.drop_plan(PLAN)
    with pytest.raises(StoreUnavailable, match=r"\[E301\] no Ladybug store at"):
        LadybugStore(tmp_path / "missing.lbug", read_only=True)


def test_open_store() -> None:
    store = open_store("ladybug")
    assert isinstance(store, Store) and store.kind == "ladybug"
    store.close()
    with pytest.raises(ValueError, match="unknown store kind"):
        open_store("sqlite")


def test_rows_are_typed_and_sorted(graph: nx.MultiDiGraph) -> None:
    rows = plan_rows(graph, PLAN)
    assert rows.node_count == graph.number_of_nodes()
    assert rows.rel_count == graph.number_of_edges()
    tasks = rows.nodes["Task"]
    assert [t["eid"] for t in tasks] == sorted(t["eid"] for t in tasks)
    assert all(None not in r.values() for r in tasks)
