"""A plan's networkx graph rebuilt from what a store holds, so exports read the store, not a parse.

The graph is the one :func:`graph.build.build_graph` gave when the plan was loaded: the plan's nodes, the
shared entities they link to, the relationships among those nodes, and ``g.graph["plans"]`` from the Plan
node (:func:`graph.build.plan_meta_of`). Links to other plans (``CITES`` to another plan's Plan node) are
left out: they are not part of this plan's graph. Every statement is in the portable subset (node and
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


class PlanNotFound(PlanGraphError):
    """E403: the store holds no plan of that id (or none at all); ``valid`` lists the ones it holds."""

    code = "E403"


def _props(value: dict[str, Any], tag: str) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != tag and v is not None}


def plan_graph(store: Store, plan_id: str, *, timeout_s: float = 60.0) -> nx.MultiDiGraph:
    """The graph of ``plan_id`` as the store holds it; :class:`PlanNotFound` when it holds none."""
    params = {"plan": plan_id}
    g = nx.MultiDiGraph()
    for query in (NODES, ENTITIES):
        rows = store.read(query, params, timeout_s=timeout_s, max_rows=MAX_ROWS).rows
        for (node,) in sorted(rows, key=lambda r: str(r[0].get(KEY))):
            g.add_node(node[KEY], label=node["_label"], **_props(node, "_label"))
    if plan_id not in g or g.nodes[plan_id]["label"] != PLAN:
        raise PlanNotFound(f"the store ({store.location}) holds no plan {plan_id!r}")
    rels = store.read(RELATIONSHIPS, params, timeout_s=timeout_s, max_rows=MAX_ROWS).rows
    for s, rel, t in sorted(rels, key=lambda r: (r[0], r[1]["_type"], r[2])):
        if s in g and t in g:
            g.add_edge(s, t, key=rel["_type"], type=rel["_type"], **_props(rel, "_type"))
    plan = dict(g.nodes[plan_id])
    plan.pop("label")
    g.graph["plans"] = {plan_id: plan_meta_of(plan)}
    return g
