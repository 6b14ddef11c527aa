"""A plan's networkx graph as batches of rows, one list per label and per (type, from, to), checked first.

Both stores write the same rows, so what one holds the other holds too. The rows are built and checked
before a store is touched: a graph that breaks :mod:`graph.schema` is refused whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from plangraph.graph import warnings
from plangraph.graph.schema import KEY, NODE_LABELS, REL_TYPES, check_graph
from plangraph.ingest.errors import PlanGraphError

#: Ten problems are enough to show what is wrong.
_SHOWN = 10


class SchemaError(PlanGraphError):
    """E310: a graph that breaks :mod:`graph.schema` (refused whole, the store unchanged)."""

    code = "E310"


@dataclass(frozen=True)
class PlanRows:
    """Rows to write for one plan.

    ``nodes[label]`` is a list of property dicts (``eid`` included, absent properties left out);
    ``rels[(type, from_label, to_label)]`` a list of ``{"s": eid, "t": eid, "props": {...}}``.
    Both sorted, so two runs write in the same order.
    """

    plan_id: str
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def rel_count(self) -> int:
        return sum(len(v) for v in self.rels.values())

    @property
    def total(self) -> int:
        return self.node_count + self.rel_count


def _value(value: Any, typ: str) -> Any:
    if typ == "DOUBLE":
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def plan_rows(graph: nx.MultiDiGraph, plan_id: str) -> PlanRows:
    """Check ``graph`` against the schema and the plan id, and turn it into rows.

    Raises ``ValueError`` naming the first problems: a label, type, property or endpoint pair the schema
    does not know, a value of the wrong type, or a node of another plan.
    """
    if not plan_id:
        raise SchemaError("the plan id is empty")
    problems = check_graph(graph)
    for node, attrs in graph.nodes(data=True):
        other = attrs.get("plan_id")
        if other and other != plan_id:
            problems.append(f"node {node}: plan_id {other!r} is not the plan being loaded ({plan_id!r})")
    if problems:
        more = f" (and {len(problems) - _SHOWN} more)" if len(problems) > _SHOWN else ""
        raise SchemaError(
            f"the graph of plan {plan_id} breaks the schema: " + "; ".join(problems[:_SHOWN]) + more
        )

    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        label = NODE_LABELS[attrs["label"]]
        types = {p.name: p.type for p in label.props}
        row = {k: _value(v, types[k]) for k, v in attrs.items() if k != "label" and v is not None}
        row[KEY] = node
        nodes[label.name].append(row)

    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, key in sorted(graph.edges(keys=True)):
        attrs = graph.edges[u, v, key]
        rel = REL_TYPES[key]
        types = {p.name: p.type for p in rel.props}
        props = {k: _value(val, types[k]) for k, val in attrs.items() if k != "type" and val is not None}
        group = (rel.name, graph.nodes[u]["label"], graph.nodes[v]["label"])
        rels[group].append({"s": u, "t": v, "props": props})
    return PlanRows(plan_id, dict(nodes), dict(rels))


def combine(parts: Sequence[PlanRows]) -> PlanRows:
    """The rows of several plans as one set of rows (one statement per label and group writes them all).

    A shared entity node that several plans name is one row: their properties united, a later plan's
    value over an earlier one's (as loading the plans one after the other leaves it). A node of one plan
    that another plan of the batch holds too is refused (``ValueError``), as a store refuses it.

    >>> a = PlanRows("a", {"Body": [{"eid": "body/x", "name": "x"}]})
    >>> b = PlanRows("b", {"Body": [{"eid": "body/x", "aliases": ["y"]}]})
    >>> combine([a, b]).nodes["Body"]
    [{'eid': 'body/x', 'name': 'x', 'aliases': ['y']}]
    """
    nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for part in parts:
        for label, items in part.nodes.items():
            into = nodes[label]
            for row in items:
                eid = row[KEY]
                if eid not in into:
                    into[eid] = row
                elif not row.get("plan_id"):  # an entity shared by plans
                    into[eid] = {**into[eid], **row}
                else:
                    raise SchemaError(f"node {eid} is a node of two plans of one batch")
        for group, items in part.rels.items():
            rels[group].extend(items)
    plan_id = ",".join(p.plan_id for p in parts)
    return PlanRows(plan_id, {k: list(v.values()) for k, v in nodes.items()}, dict(rels))


def link_rows(rels: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]]) -> PlanRows:
    """Rows of relationships between stored nodes (no nodes), checked against the schema's endpoints."""
    for typ, src, dst in rels:
        if typ not in REL_TYPES or (src, dst) not in REL_TYPES[typ].endpoints:
            raise SchemaError(f"({src})-[{typ}]->({dst}) is not allowed by the schema")
    out = {
        group: [{"s": r["s"], "t": r["t"], "props": dict(r["props"])} for r in items]
        for group, items in sorted(rels.items())
    }
    return PlanRows("links", {}, out)


def relabel_plan(graph: nx.MultiDiGraph, plan_id: str) -> nx.MultiDiGraph:
    """A copy of a plan's graph under another plan id (eids ``old/…`` become ``plan_id/…``).

    Shared entity nodes keep their eids, so two relabelled copies share them as two real plans would.
    Used to load one parsed plan many times (benchmarks, tests).
    """
    olds = {a["plan_id"] for _, a in graph.nodes(data=True) if a.get("plan_id")}
    if len(olds) != 1:
        raise SchemaError(f"expected the nodes of one plan, found plan ids {sorted(olds)}")
    old = olds.pop()

    def new_id(eid: str) -> str:
        if eid == old:
            return plan_id
        if eid.startswith(old + "/"):
            return plan_id + eid[len(old) :]
        return eid

    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    if old in graph.graph.get("plans", {}):
        out.graph["plans"] = {plan_id: {**graph.graph["plans"][old], "id": plan_id}}
    for node, attrs in graph.nodes(data=True):
        new = dict(attrs)
        if new.get("plan_id"):
            new["plan_id"] = plan_id
            new[KEY] = new_id(node)
        if "warnings" in new:  # the Plan's warnings name the elements they concern
            new["warnings"] = warnings.relabelled(new["warnings"], new_id)
        out.add_node(new_id(node) if attrs.get("plan_id") else node, **new)
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        nu = new_id(u) if graph.nodes[u].get("plan_id") else u
        nv = new_id(v) if graph.nodes[v].get("plan_id") else v
        out.add_edge(nu, nv, key=key, **attrs)
    return out
