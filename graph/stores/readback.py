"""A plan's networkx graph (or the subgraph of some nodes) rebuilt from what a store holds, so exports
read the store, not a parse.

The graph is the one :func:`graph.build.build_graph` gave when the plan was loaded: the plan's nodes, the
shared entities they link to, the relationships among those nodes, and ``g.graph["plans"]`` from the Plan
node (:func:`graph.build.plan_meta_of`). Links to other plans (``CITES`` to another plan's Plan node) are
left out: they are not part of this plan's graph. :func:`nodes_graph` is the subgraph induced by a list of
eids (with their neighbours, optionally), across plans. Every statement is in the portable subset (node and
relationship values come back as ``{"_label"|"_type": …, **props}`` from both engines).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from plangraph.graph.build import plan_meta_of
from plangraph.graph.schema import KEY, PLAN
from plangraph.graph.stores.base import Store
from plangraph.ingest.errors import PlanGraphError

#: Reads of a whole plan: no row cap worth the name, the caller's time limit.
MAX_ROWS = 10_000_000

NODES = "MATCH (n) WHERE n.plan_id = $plan RETURN n"
ENTITIES = "MATCH (n)--(e) WHERE n.plan_id = $plan AND e.plan_id = '' RETURN DISTINCT e"
RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WHERE a.plan_id = $plan OR b.plan_id = $plan RETURN a.eid AS s, r, b.eid AS t"
)

BY_EID = "MATCH (n) WHERE n.eid IN $eids RETURN n"
NEIGHBOURS = "MATCH (n)--(m) WHERE n.eid IN $eids RETURN DISTINCT m"
AMONG = "MATCH (a)-[r]->(b) WHERE a.eid IN $eids AND b.eid IN $eids RETURN a.eid AS s, r, b.eid AS t"
PLANS = "MATCH (p:Plan) WHERE p.eid IN $eids RETURN p"


class PlanNotFound(PlanGraphError):
    """E403: the store holds no plan of that id (or none at all); ``valid`` lists the ones it holds."""

    code = "E403"


class NodesNotFound(ValueError):
    """Some of the eids asked for are not in the store (``missing``: them, sorted)."""

    def __init__(self, missing: list[str]) -> None:
        shown = ", ".join(repr(e) for e in missing[:10]) + (" …" if len(missing) > 10 else "")
        super().__init__(f"{len(missing)} of the eids are not in the store: {shown}")
        self.missing = missing


def _props(value: dict[str, Any], tag: str) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != tag and v is not None}


def _add_nodes(g: nx.MultiDiGraph, rows: list[list[Any]]) -> None:
    for (node,) in sorted(rows, key=lambda r: str(r[0].get(KEY))):
        g.add_node(node[KEY], label=node["_label"], **_props(node, "_label"))


def _add_relationships(g: nx.MultiDiGraph, rows: list[list[Any]]) -> None:
    for s, rel, t in sorted(rows, key=lambda r: (r[0], r[1]["_type"], r[2])):
        if s in g and t in g:
            g.add_edge(s, t, key=rel["_type"], type=rel["_type"], **_props(rel, "_type"))


def plan_graph(store: Store, plan_id: str, *, timeout_s: float = 60.0) -> nx.MultiDiGraph:
    """The graph of ``plan_id`` as the store holds it; :class:`PlanNotFound` when it holds none."""
    params = {"plan": plan_id}
    g = nx.MultiDiGraph()
    for query in (NODES, ENTITIES):
        _add_nodes(g, store.read(query, params, timeout_s=timeout_s, max_rows=MAX_ROWS).rows)
    if plan_id not in g or g.nodes[plan_id]["label"] != PLAN:
        raise PlanNotFound(f"the store ({store.location}) holds no plan {plan_id!r}")
    _add_relationships(g, store.read(RELATIONSHIPS, params, timeout_s=timeout_s, max_rows=MAX_ROWS).rows)
    plan = dict(g.nodes[plan_id])
    plan.pop("label")
    g.graph["plans"] = {plan_id: plan_meta_of(plan)}
    return g


def nodes_graph(
    store: Store, eids: list[str], *, neighbours: bool = False, timeout_s: float = 60.0
) -> nx.MultiDiGraph:
    """The subgraph induced by the nodes ``eids`` name (``neighbours``: and every node one step from
    them): those nodes and every relationship between two of them, whatever plans they belong to.
    ``g.graph["plans"]`` holds the metadata of the plans the nodes belong to. :class:`NodesNotFound` when
    some eid names no node."""

    def read(query: str, names: list[str]) -> list[list[Any]]:
        return store.read(query, {"eids": names}, timeout_s=timeout_s, max_rows=MAX_ROWS).rows

    wanted = sorted(set(eids))
    g = nx.MultiDiGraph()
    _add_nodes(g, read(BY_EID, wanted))
    missing = [e for e in wanted if e not in g]
    if missing:
        raise NodesNotFound(missing)
    if neighbours:
        _add_nodes(g, [r for r in read(NEIGHBOURS, wanted) if r[0][KEY] not in g])
    _add_relationships(g, read(AMONG, sorted(g.nodes)))
    plans = sorted({str(d.get("plan_id")) for _, d in g.nodes(data=True) if d.get("plan_id")})
    metas = sorted(read(PLANS, plans), key=lambda r: str(r[0][KEY]))
    g.graph["plans"] = {p[KEY]: plan_meta_of(_props(p, "_label")) for (p,) in metas}
    return g
