"""The embedded store's bulk path (``COPY`` from Parquet files, :mod:`graph.stores.ladybug_copy`): a large
batch into an empty store. The same corpus loaded by it and by the batched path (``UNWIND … CREATE``, and
Neo4j's) gives the same nodes and relationships with the same properties, byte for byte, strings that CSV
would mangle included; a store that holds plans, or a small batch, takes the batched path; a bulk load that
is stopped leaves the store empty, one that fails falls back to the batched path; no file is left behind."""

from __future__ import annotations

import atexit
import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from plangraph.graph.build import build_graph
from plangraph.graph.stores import Store
from plangraph.graph.stores.ladybug_store import COPY_FROM, LadybugStore
from plangraph.graph.stores.rows import relabel_plan
from plangraph.ingest.models import PlanDocument
from tests.stores_env import ENGINES, open_engine

IDS = ("pgtest-bulk-1", "pgtest-bulk-2", "pgtest-bulk-3")
#: values CSV cannot carry (Ladybug's CSV lists split at every comma and keep their quotes)
HARD = "逗号,与\"引号\"、'单引号'、反斜杠\\、换行\n与回车\r\n，[括号]{花括号}"


@pytest.fixture(scope="module")
def corpus(bundled_doc: PlanDocument) -> list[tuple[str, nx.MultiDiGraph]]:
    """Three plans sharing their entities, one of them holding values no CSV writer keeps."""
    base = build_graph(bundled_doc)
    plans = [(plan_id, relabel_plan(base, plan_id)) for plan_id in IDS]
    g = plans[0][1]
    task = next(n for n, a in g.nodes(data=True) if a["label"] == "Task")
    g.nodes[task].update(text=HARD, title=" 前后空格 ", lead="")
    body = next(n for n, a in g.nodes(data=True) if a["label"] == "Body")
    g.nodes[body]["category"] = "from the first plan"
    indicator = next(n for n, a in g.nodes(data=True) if a["label"] == "Indicator")
    g.nodes[indicator]["target_number"] = 0.1 + 0.2
    u, v, key = next((u, v, k) for u, v, k in g.edges(keys=True) if k == "MENTIONS")
    g.edges[u, v, key]["surfaces"] = ["x,y", "'z'"]
    # a later plan gives a shared entity values of its own: one node, the later values (as the batched path)
    other = plans[2][1]
    other.nodes[body].update(category="from the third plan", aliases=["a,b", "[c]", '"d"', "", " e ", "f\\g"])
    return plans


def dump(store: Store, entities: bool = True) -> str:
    """Every node of our plans (and, ``entities``, every shared entity), every relationship that touches
    them, with all their properties: sorted JSON text."""
    mine = "n.plan_id STARTS WITH 'pgtest-bulk-'"
    nodes = store.read(f"MATCH (n) WHERE {mine} RETURN n", max_rows=1_000_000).rows
    if entities:
        nodes += store.read("MATCH (n) WHERE n.plan_id = '' RETURN n", max_rows=1_000_000).rows
    rels = store.read(
        "MATCH (n)-[r]->(m) WHERE n.plan_id STARTS WITH 'pgtest-bulk-' OR m.plan_id STARTS WITH "
        "'pgtest-bulk-' RETURN n.eid, r, m.eid",
        max_rows=1_000_000,
    ).rows
    key = lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True)  # noqa: E731
    return json.dumps(
        {"nodes": sorted((r[0] for r in nodes), key=key), "rels": sorted(rels, key=key)},
        ensure_ascii=False,
        sort_keys=True,
    )


def ladybug(copy_from: int = 0) -> LadybugStore:
    folder = Path(tempfile.mkdtemp(prefix="pgtest-bulk-"))
    atexit.register(shutil.rmtree, folder, True)
    return LadybugStore(folder / "plans.lbug", copy_from=copy_from)


@pytest.fixture
def bulk() -> Iterator[LadybugStore]:
    store = ladybug()
    yield store
    store.close()


@pytest.fixture(params=ENGINES)
def batched(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The batched path on either engine (Ladybug with the bulk path out of reach)."""
    store = ladybug(copy_from=10**12) if request.param == "ladybug" else open_engine(request.param)
    for plan_id in IDS:
        store.drop_plan(plan_id)
    yield store
    for plan_id in IDS:
        store.drop_plan(plan_id)
    store.close()


def test_bulk_and_batched_loads_hold_the_same_graph(
    bulk: LadybugStore, batched: Store, corpus: list[tuple[str, nx.MultiDiGraph]]
) -> None:
    bulk.load_many(corpus)
    assert bulk.last_load == "copy"
    batched.load_many(corpus)
    if isinstance(batched, LadybugStore):
        assert batched.last_load == "create"
    # a Neo4j database may hold other tests' entities: there the plans' nodes and relationships compared
    entities = batched.kind == "ladybug"
    assert dump(bulk, entities) == dump(batched, entities)
    text = dump(bulk)
    assert json.dumps(HARD, ensure_ascii=False) in text
    assert '"aliases": ["a,b", "[c]", "\\"d\\"", "", " e ", "f\\\\g"]' in text
    assert '"target_number": 0.30000000000000004' in text
    assert "from the third plan" in text and "from the first plan" not in text


def test_a_store_that_holds_a_plan_or_a_small_batch_takes_the_batched_path(
    corpus: list[tuple[str, nx.MultiDiGraph]],
) -> None:
    reference = ladybug()
    reference.load_many(corpus)
    store = ladybug()
    store.load_many(corpus[:1])
    assert store.last_load == "copy"
    store.load_many(corpus)  # the first plan replaced, two added: the store is not empty
    assert store.last_load == "create"
    assert dump(store) == dump(reference)
    small = ladybug(copy_from=COPY_FROM)
    small.load_many([(IDS[0], smallest(corpus[0][1]))])
    assert small.last_load == "create"
    for s in (reference, store, small):
        s.close()


def smallest(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The plan node alone (a batch far below COPY_FROM)."""
    return graph.subgraph([n for n, a in graph.nodes(data=True) if a["label"] == "Plan"]).copy()


def test_a_stopped_bulk_load_leaves_the_store_empty(
    bulk: LadybugStore, corpus: list[tuple[str, nx.MultiDiGraph]]
) -> None:
    seen: list[int] = []

    def stop(done: int, total: int) -> None:
        seen.append(done)
        if done > total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        bulk.load_many(corpus, progress=stop)
    assert len(seen) > 3  # several tables were copied before it stopped
    assert bulk.stats()["node_count"] == 0
    bulk.load_many(corpus)  # and the store takes the corpus afterwards, by the bulk path still
    assert bulk.last_load == "copy"
    assert sorted(bulk.stats()["plans"]) == list(IDS)


def test_a_bulk_load_that_fails_falls_back_to_the_batched_path(
    bulk: LadybugStore,
    corpus: list[tuple[str, nx.MultiDiGraph]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = ladybug()
    reference.load_many(corpus)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))  # the Parquet files cannot be written
    bulk.load_many(corpus)
    assert bulk.last_load == "create"
    assert dump(bulk) == dump(reference)
    reference.close()


def test_the_bulk_path_leaves_no_file_behind(
    bulk: LadybugStore,
    corpus: list[tuple[str, nx.MultiDiGraph]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: set[str] = set()

    def look(done: int, total: int) -> None:
        seen.update(str(p) for p in tmp_path.rglob("*.parquet"))

    bulk.load_many(corpus, progress=look)
    assert bulk.last_load == "copy"
    assert seen  # the files were there while it copied
    assert list(tmp_path.iterdir()) == []


def test_the_engine_facts_the_bulk_path_relies_on(tmp_path: Path) -> None:
    """COPY from Parquet inside a transaction: appends to a table that holds rows; a key the table holds
    fails it, and the whole transaction (an earlier COPY too) is rolled back; lists and nulls kept."""
    import ladybug as lb

    from plangraph.graph.schema import Prop
    from plangraph.graph.stores.ladybug_copy import Copier

    db = lb.Database(str(tmp_path / "facts.lbug"))
    conn = lb.Connection(db)
    conn.execute("CREATE NODE TABLE N(eid STRING, l STRING[], n INT64, PRIMARY KEY (eid))")
    conn.execute("CREATE REL TABLE R(FROM N TO N, w STRING)")
    props = [Prop("eid", "STRING"), Prop("l", "STRING[]"), Prop("n", "INT64")]
    copier = Copier(conn.execute)

    def count() -> Any:
        return conn.execute("MATCH (x:N) RETURN count(x)").get_all()[0][0]

    copier.nodes("N", [{"eid": "a", "l": ["x,y", ""], "n": 1}, {"eid": "b"}], props)
    conn.execute("BEGIN TRANSACTION")
    copier.nodes("N", [{"eid": "c", "n": 3}], props)  # appended to a table that holds rows
    copier.rels("R", "N", "N", [{"s": "a", "t": "c", "props": {"w": "w"}}], [Prop("w", "STRING")])
    conn.execute("COMMIT")
    assert count() == 3
    conn.execute("BEGIN TRANSACTION")
    copier.nodes("N", [{"eid": "d"}], props)
    with pytest.raises(RuntimeError, match="duplicated primary key"):
        copier.nodes("N", [{"eid": "a"}], props)
    with contextlib.suppress(RuntimeError):  # the engine has rolled it back already
        conn.execute("ROLLBACK")
    assert count() == 3  # d is gone with the transaction
    rows = conn.execute("MATCH (x:N) RETURN x.eid, x.l, x.n ORDER BY x.eid").get_all()
    assert rows == [["a", ["x,y", ""], 1], ["b", None, None], ["c", None, 3]]
    copier.close()
    conn.close()
    db.close()
