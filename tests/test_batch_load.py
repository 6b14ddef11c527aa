"""Several plans in one transaction (``Store.load_many``, how ``plangraph add`` writes a corpus), on both
stores: the same store contents as loading the plans one by one, old versions replaced whole, and a batch
that fails leaves the store as it was; ``add`` retries a failed batch plan by plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from plangraph.graph import corpus
from plangraph.graph.build import build_graph
from plangraph.graph.corpus_batch import Found, Prepared, Status, _install
from plangraph.graph.export import to_json
from plangraph.graph.stores import Store
from plangraph.graph.stores.rows import SchemaError, relabel_plan
from plangraph.ingest.models import PlanDocument
from tests.stores_env import ENGINES, open_engine

IDS = ("pgtest-batch-1", "pgtest-batch-2", "pgtest-batch-3")


@pytest.fixture(scope="module")
def base(bundled_doc: PlanDocument) -> nx.MultiDiGraph:
    return build_graph(bundled_doc)


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    s = open_engine(request.param)
    drop(s)
    yield s
    drop(s)
    s.close()


def drop(store: Store) -> None:
    for plan_id in IDS:
        store.drop_plan(plan_id)


def smaller(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The plan without its tasks' subtasks (an older version: the new one adds nodes and links)."""
    out = graph.copy()
    out.remove_nodes_from([n for n, a in graph.nodes(data=True) if a["label"] == "Subtask"])
    out.remove_nodes_from([n for n in list(out) if out.degree(n) == 0])  # the entities only they named
    return out


def exported(store: Store, plan_id: str) -> str:
    return to_json(corpus.plan_graph(store, plan_id))


def ours(store: Store) -> list[dict[str, Any]]:
    """The store's rows of our plans' nodes and of the shared entities they link."""
    rows = store.read(
        "MATCH (n)-[r]-(m) WHERE n.plan_id STARTS WITH 'pgtest-batch-' "
        "RETURN n.eid AS a, m.eid AS b, r.evidence AS evidence ORDER BY a, b, evidence",
        max_rows=1_000_000,
    )
    return rows.records()


def test_a_batch_holds_what_plans_loaded_one_by_one_hold(store: Store, base: nx.MultiDiGraph) -> None:
    graphs = {plan_id: relabel_plan(base, plan_id) for plan_id in IDS}
    for plan_id, graph in graphs.items():
        store.load(graph, plan_id)
    one_by_one = ours(store), {p: exported(store, p) for p in IDS}
    drop(store)
    assert ours(store) == []
    store.load_many(list(graphs.items()))
    assert (ours(store), {p: exported(store, p) for p in IDS}) == one_by_one
    assert exported(store, IDS[0]) == to_json(graphs[IDS[0]])


def test_a_batch_replaces_the_old_versions_it_holds_whole(store: Store, base: nx.MultiDiGraph) -> None:
    new = {plan_id: relabel_plan(base, plan_id) for plan_id in IDS[:2]}
    store.load(smaller(new[IDS[0]]), IDS[0])  # an old version of the first plan; the second is new
    store.load_many([(IDS[0], new[IDS[0]]), (IDS[1], new[IDS[1]])])
    assert exported(store, IDS[0]) == to_json(new[IDS[0]])
    assert exported(store, IDS[1]) == to_json(new[IDS[1]])
    # and back to the old version: what only the new one held (subtasks, their links) is gone
    store.load_many([(IDS[0], smaller(new[IDS[0]]))])
    assert exported(store, IDS[0]) == to_json(smaller(new[IDS[0]]))
    subtasks = store.read("MATCH (n:Subtask) WHERE n.plan_id = $p RETURN count(n)", {"p": IDS[0]})
    assert subtasks.rows == [[0]]


def test_a_batch_that_fails_leaves_the_store_as_it_was(store: Store, base: nx.MultiDiGraph) -> None:
    store.load(smaller(relabel_plan(base, IDS[0])), IDS[0])
    before = ours(store), exported(store, IDS[0])
    broken = relabel_plan(base, IDS[1])
    broken.add_node("pgtest-batch-2/x", label="NoSuchLabel", eid="pgtest-batch-2/x")
    with pytest.raises(SchemaError, match=r"\[E310\].*NoSuchLabel"):
        store.load_many([(IDS[0], relabel_plan(base, IDS[0])), (IDS[1], broken)])
    assert (ours(store), exported(store, IDS[0])) == before

    def stop(done: int, total: int) -> None:
        if done > total // 2:
            raise KeyboardInterrupt

    batch = [(plan_id, relabel_plan(base, plan_id)) for plan_id in IDS]
    with pytest.raises(KeyboardInterrupt):
        store.load_many(batch, progress=stop)
    assert (ours(store), exported(store, IDS[0])) == before


def test_add_retries_a_failed_batch_plan_by_plan(store: Store, base: nx.MultiDiGraph) -> None:
    broken = relabel_plan(base, IDS[1])
    broken.add_node("pgtest-batch-2/x", label="NoSuchLabel", eid="pgtest-batch-2/x")
    batch = [
        Prepared(Found(Path(f"{plan_id}.txt")), plan_id, "sha", "t", graph)
        for plan_id, graph in [(IDS[0], relabel_plan(base, IDS[0])), (IDS[1], broken)]
    ]
    outcomes = _install(store, batch, {})
    assert [(o.plan_id, o.status) for o in outcomes] == [(IDS[0], Status.ADDED), (IDS[1], Status.FAILED)]
    assert outcomes[1].error is not None and "[E310]" in outcomes[1].error
    assert exported(store, IDS[0]) == to_json(relabel_plan(base, IDS[0]))
    assert corpus.held_ids(store).count(IDS[1]) == 0


def test_a_plan_the_engine_refuses_fails_alone(store: Store, base: nx.MultiDiGraph) -> None:
    """Two plans claiming one node: refused in one batch, and the second alone is rolled back by the
    engine (the key is taken), so the first loads and the second fails."""
    first = relabel_plan(base, IDS[0])
    clash = relabel_plan(base, IDS[1])
    taken = IDS[0] + "/task-1"
    clash.add_node(taken, **{**first.nodes[taken], "plan_id": IDS[1]})
    with pytest.raises(SchemaError, match="two plans of one batch"):
        store.load_many([(IDS[0], first), (IDS[1], clash)])
    batch = [
        Prepared(Found(Path(f"{plan_id}.txt")), plan_id, "sha", "t", graph)
        for plan_id, graph in [(IDS[0], first), (IDS[1], clash)]
    ]
    outcomes = _install(store, batch, {})
    assert [(o.plan_id, o.status) for o in outcomes] == [(IDS[0], Status.ADDED), (IDS[1], Status.FAILED)]
    assert outcomes[1].error is not None and outcomes[1].error.startswith("[E304]")
    assert exported(store, IDS[0]) == to_json(first)
    assert IDS[1] not in corpus.held_ids(store)


def test_a_merging_load_adds_to_what_the_store_holds(store: Store, base: nx.MultiDiGraph) -> None:
    """``load(replace=False)`` (``plangraph load --merge``): the store keeps the plan's nodes the new graph
    lacks and takes the new graph's values; loading it again changes nothing; a replacing load of the same
    graph drops what it lacks."""
    full = relabel_plan(base, IDS[0])
    store.load(full, IDS[0])
    newer = smaller(full)  # no subtasks
    goal = next(n for n, a in newer.nodes(data=True) if a["label"] == "Goal")
    newer.nodes[goal]["title"] = "merged title"
    held = subtasks(store)
    assert held > 0

    store.load(newer, IDS[0], replace=False)
    assert subtasks(store) == held
    title = store.read("MATCH (g:Goal {eid: $eid}) RETURN g.title AS t", {"eid": goal}).records()
    assert title == [{"t": "merged title"}]
    merged = exported(store, IDS[0])
    store.load(newer, IDS[0], replace=False)
    assert exported(store, IDS[0]) == merged

    store.load(newer, IDS[0])
    assert subtasks(store) == 0


def subtasks(store: Store) -> int:
    rows = store.read("MATCH (s:Subtask) WHERE s.plan_id = $p RETURN count(s) AS n", {"p": IDS[0]}).records()
    return int(rows[0]["n"])
