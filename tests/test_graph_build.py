"""Building the graph of the bundled plan: counts, the structure rule, provenance, entities, determinism."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from plangraph.graph.build import (
    GraphBuildError,
    build_graph,
    build_many,
    entity_eid,
    graph_for_source,
    links_beside,
)
from plangraph.graph.schema import (
    DOCUMENT_LABELS,
    ENTITIES,
    MEMBERS,
    METRIC,
    NODE_LABELS,
    SHARED,
    STRUCTURAL,
    check_graph,
)
from plangraph.ingest.models import PlanDocument
from plangraph.ingest.pipeline import parse_file
from tests.conftest import BUNDLED_DIR, BUNDLED_SOURCE
from tests.spans import squash

P = "informatization-14fyp"


@pytest.fixture(scope="module")
def g(bundled_doc: PlanDocument) -> nx.MultiDiGraph:
    return build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))


@pytest.fixture(scope="module")
def original() -> str:
    return BUNDLED_SOURCE.read_text(encoding="utf-8")


def labels(g: nx.MultiDiGraph) -> Counter[str]:
    return Counter(d["label"] for _, d in g.nodes(data=True))


def test_keeps_the_contract(g: nx.MultiDiGraph) -> None:
    assert check_graph(g) == []


@pytest.mark.parametrize(
    ("label", "count"),
    [
        ("Plan", 1),
        ("Part", 6),
        ("Section", 5),
        ("Achievement", 6),
        ("Principle", 6),
        ("Goal", 8),
        ("Indicator", 18),
        ("Direction", 5),
        ("Task", 10),
        ("Subtask", 43),
        ("Column", 17),
        ("ColumnItem", 60),
        ("Action", 10),
        ("ActionItem", 33),
        ("Target", 20),
        ("Measure", 6),
    ],
)
def test_bundled_counts(g: nx.MultiDiGraph, label: str, count: int) -> None:
    assert labels(g)[label] == count


def test_every_element_is_a_node(g: nx.MultiDiGraph, bundled_doc: PlanDocument) -> None:
    for e in bundled_doc.root.walk():
        assert g.nodes[e.eid]["label"] == e.kind.value
        assert g.nodes[e.eid]["title"] == e.title


def test_provenance_on_every_document_node(
    g: nx.MultiDiGraph, bundled_doc: PlanDocument, original: str
) -> None:
    sha = bundled_doc.source.sha256
    for n, d in g.nodes(data=True):
        if d["label"] in ENTITIES:
            assert d["plan_id"] == "" and "char_start" not in d and n == entity_eid(d["label"], d["name"])
            continue
        if d["label"] == METRIC:  # shared; its provenance is on each OF_METRIC (the indicator as written)
            assert d["plan_id"] == "" and "char_start" not in d and n.startswith("metric/")
            assert all(g.edges[u, n, k]["evidence"] for u, _, k in g.in_edges(n, keys=True))
            continue
        assert d["plan_id"] == P and d["source_sha256"] == sha, n
        assert 0 <= d["char_start"] <= d["char_end"] <= len(original), n
        assert 1 <= d["line_start"] <= d["line_end"], n
        if d["label"] != "Plan":
            assert squash(d["title"]) in squash(original[d["char_start"] : d["char_end"]]), n


def test_no_nulls_and_no_dicts(g: nx.MultiDiGraph) -> None:
    for _, d in g.nodes(data=True):
        assert all(v is not None and not isinstance(v, dict) for v in d.values())
    for *_, d in g.edges(data=True):
        assert all(v is not None and not isinstance(v, dict) for v in d.values())


def holders(g: nx.MultiDiGraph, n: str) -> list[tuple[str, str]]:
    return sorted((u, k) for u, _, k in g.in_edges(n, keys=True) if k in STRUCTURAL)


def test_structure_rule(g: nx.MultiDiGraph) -> None:
    for n, d in g.nodes(data=True):
        label = d["label"]
        if label in SHARED or label == "Plan":
            continue
        hs = holders(g, n)
        if label in MEMBERS:
            # the Plan (shortcut) and the Part or Section that contains it
            assert len(hs) == 2, (n, hs)
            assert (P, hs[0][1]) in hs
            other = next(u for u, _ in hs if u != P)
            assert g.nodes[other]["label"] in ("Part", "Section")
        else:
            assert len(hs) == 1, (n, hs)
    assert holders(g, f"{P}/task-4") == [(P, "HAS_TASK"), (f"{P}/part-4", "HAS_TASK")]
    assert holders(g, f"{P}/goal-3") == [(P, "HAS_GOAL"), (f"{P}/part-2/section-3", "HAS_GOAL")]
    assert holders(g, f"{P}/task-4/subtask-2") == [(f"{P}/task-4", "HAS_SUBTASK")]
    assert holders(g, f"{P}/column-9") == [(f"{P}/task-4", "HAS_COLUMN")]
    assert holders(g, f"{P}/column-9/item-3") == [(f"{P}/column-9", "HAS_ITEM")]
    assert holders(g, f"{P}/action-7/target-2025") == [(f"{P}/action-7", "HAS_TARGET")]
    assert holders(g, f"{P}/action-7/item-2") == [(f"{P}/action-7", "HAS_ITEM")]


def test_plan_reaches_every_member(g: nx.MultiDiGraph) -> None:
    out = Counter(k for _, _, k in g.out_edges(P, keys=True))
    assert out["HAS_TASK"] == 10 and out["HAS_ACTION"] == 10 and out["HAS_GOAL"] == 8
    assert out["HAS_INDICATOR"] == 18 and out["HAS_MEASURE"] == 6 and out["HAS_PART"] == 6


def test_every_column_follows_its_subtask(g: nx.MultiDiGraph) -> None:
    follows = {u: v for u, v, k in g.edges(keys=True) if k == "FOLLOWS"}
    assert len(follows) == 17
    assert follows[f"{P}/column-9"] == f"{P}/task-4/subtask-1"
    for col, sub in follows.items():
        task = next(u for u, _, k in g.in_edges(col, keys=True) if k == "HAS_COLUMN")
        assert g.has_edge(task, sub, "HAS_SUBTASK")


def test_mentions_carry_parallel_spans(g: nx.MultiDiGraph, original: str) -> None:
    ms = [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == "MENTIONS"]
    assert len(ms) > 300
    for _, v, d in ms:
        assert d["count"] == len(d["surfaces"]) == len(d["char_starts"]) == len(d["char_ends"])
        assert len(d["line_starts"]) == len(d["line_ends"]) == d["count"]
        for s, a, b in zip(d["surfaces"], d["char_starts"], d["char_ends"], strict=True):
            assert squash(s) == squash(original[a:b]), v
    five_g = g[f"{P}/column-1/item-1"]["technology/5G"]["MENTIONS"]
    assert five_g["count"] >= 2


def test_entities_from_the_lexicon(g: nx.MultiDiGraph) -> None:
    ndrc = g.nodes["body/国家发展改革委"]
    assert (
        ndrc["label"] == "Body"
        and ndrc["category"] == "ministry"
        and "国家发展和改革委员会" in ndrc["aliases"]
    )
    assert g.nodes["technology/5G"]["category"] == "network"
    assert g.nodes["document/网络安全法"]["label"] == "Document"
    assert labels(g)["Technology"] > 50


def test_responsibility_edges(g: nx.MultiDiGraph) -> None:
    m1 = f"{P}/measure-1"
    lead = g["body/中央网络安全和信息化委员会"][m1]["RESPONSIBLE_FOR"]
    assert lead["role"] == "lead" and lead["cue"] == "统一领导" and "统一领导" in lead["evidence"]
    many = g["body/各地区、各部门"][m1]["RESPONSIBLE_FOR"]
    assert many["count"] == 2 and many["roles"] == ["implement"]
    ndrc = g["body/国家发展改革委"][m1]["RESPONSIBLE_FOR"]
    assert ndrc["role"] == "coordinate"


def test_deterministic(bundled_doc: PlanDocument, g: nx.MultiDiGraph) -> None:
    again = build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))
    assert list(again.nodes(data=True)) == list(g.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))


def test_graph_for_source_applies_links_beside(g: nx.MultiDiGraph) -> None:
    h = graph_for_source(BUNDLED_DIR)
    assert list(h.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))
    bare = graph_for_source(BUNDLED_DIR, curated=False)
    assert not any(d.get("source") == "curated" for *_, d in bare.edges(data=True))


def test_build_many_shares_entities(bundled_doc: PlanDocument, g: nx.MultiDiGraph) -> None:
    other = parse_file(BUNDLED_SOURCE, plan_id="other-plan")
    both = build_many([bundled_doc, other], infer=False)
    assert check_graph(both) == []
    assert sorted(both.graph["plans"]) == [P, "other-plan"]
    ents = sum(1 for _, d in g.nodes(data=True) if d["label"] in SHARED)
    docs = sum(1 for _, d in g.nodes(data=True) if d["label"] in DOCUMENT_LABELS)
    assert both.number_of_nodes() == ents + 2 * docs
    mentioning = {u.split("/")[0] for u, _, k in both.in_edges("technology/5G", keys=True) if k == "MENTIONS"}
    assert mentioning == {P, "other-plan"}
    with pytest.raises(GraphBuildError, match="duplicate eid"):
        build_many([bundled_doc, bundled_doc], infer=False)


def test_without_inference(bundled_doc: PlanDocument) -> None:
    h = build_graph(bundled_doc, infer=False)
    kinds = {k for *_, k in h.edges(keys=True)}
    assert "SERVES" not in kinds and "MEASURES" not in kinds and "MENTIONS" in kinds


def test_all_labels_known() -> None:
    assert set(DOCUMENT_LABELS) | set(SHARED) == set(NODE_LABELS)
