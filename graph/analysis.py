"""Research helpers on the graph: goal coverage, centrality of tasks and 专栏, technology co-mention, paths.

Each helper returns rows (a list of flat dicts with the same keys, sorted deterministically) that the CLI
prints as a table, JSON or CSV; :func:`comention_graph` also gives the networkx graph.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import networkx as nx

from plangraph.graph.schema import ENTITIES, NODE_LABELS, STRUCTURAL
from plangraph.graph.tabular import to_csv
from plangraph.ingest.errors import PlanGraphError

Row = dict[str, Any]

#: Labels left out of centrality: the hubs of the document tree, which every element hangs from.
TREE_HUBS = ("Plan", "Part", "Section")


class AnalysisError(PlanGraphError):
    """E111: an analysis asked for wrongly (unknown label, entity kind or output format; no path)."""

    code = "E111"


def _title(g: nx.MultiDiGraph, n: str) -> str:
    return str(g.nodes[n].get("title", ""))


def _label(g: nx.MultiDiGraph, n: str) -> str:
    return str(g.nodes[n]["label"])


def _of_label(g: nx.MultiDiGraph, label: str) -> list[str]:
    return sorted((n for n, d in g.nodes(data=True) if d.get("label") == label), key=lambda n: _doc_key(g, n))


def _doc_key(g: nx.MultiDiGraph, n: str) -> tuple[str, int, str]:
    d = g.nodes[n]
    return (str(d.get("plan_id", "")), int(d.get("char_start", 0)), n)


def _check_labels(labels: Sequence[str]) -> None:
    for label in labels:
        if label not in NODE_LABELS:
            raise AnalysisError(f"unknown label {label!r}; valid: {', '.join(NODE_LABELS)}")


# -- goal coverage ------------------------------------------------------------------------------------
def goal_coverage(g: nx.MultiDiGraph) -> list[Row]:
    """Per goal: how many tasks, subtasks, 专栏 and actions SERVE it, how many indicators MEASURE it, and
    its best-scoring task. A goal with no task or no indicator is a gap in the plan's logic."""
    rows = []
    for goal in _of_label(g, "Goal"):
        serving: dict[str, list[tuple[float, str]]] = {"Task": [], "Subtask": [], "Column": [], "Action": []}
        indicators = 0
        for u, _, k, d in g.in_edges(goal, keys=True, data=True):
            if k == "SERVES":
                serving.setdefault(_label(g, u), []).append((-float(d.get("score", 0.0)), u))
            elif k == "MEASURES":
                indicators += 1
        top = min(serving["Task"], default=None)
        rows.append(
            {
                "goal": goal,
                "title": _title(g, goal),
                "tasks": len(serving["Task"]),
                "subtasks": len(serving["Subtask"]),
                "columns": len(serving["Column"]),
                "actions": len(serving["Action"]),
                "indicators": indicators,
                "top_task": top[1] if top else "",
                "top_task_title": _title(g, top[1]) if top else "",
                "gap": ", ".join(
                    x for x, n in (("no task", len(serving["Task"])), ("no indicator", indicators)) if n == 0
                ),
            }
        )
    return rows


# -- centrality ---------------------------------------------------------------------------------------
def pagerank(h: nx.Graph, damping: float = 0.85, tol: float = 1e-12, max_iter: int = 500) -> dict[str, float]:
    """PageRank by power iteration (no SciPy needed), nodes in sorted order; dangling mass spread evenly.

    >>> pr = pagerank(nx.path_graph(["a", "b", "c"]))
    >>> round(pr["b"], 3), round(pr["a"], 3)
    (0.486, 0.257)
    """
    nodes = sorted(h.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    out = {u: {v: float(h[u][v].get("weight", 1.0)) for v in sorted(h[u])} for u in nodes}
    total = {u: sum(out[u].values()) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = damping * sum(rank[u] for u in nodes if total[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - damping) / n + dangling)
        for u in nodes:
            if total[u]:
                share = damping * rank[u] / total[u]
                for v, w in out[u].items():
                    new[v] += share * w
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def analysis_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph of ``g`` without the tree hubs (Plan, Part, Section); parallel edges of
    different types between two nodes become one edge with ``weight`` = their number."""
    h = nx.Graph()
    h.add_nodes_from(sorted(n for n, d in g.nodes(data=True) if d["label"] not in TREE_HUBS))
    for u, v, _k in sorted(g.edges(keys=True)):
        if u in h and v in h and u != v:
            w = h[u][v]["weight"] + 1 if h.has_edge(u, v) else 1
            h.add_edge(u, v, weight=w)
    return h


def centrality(
    g: nx.MultiDiGraph, labels: Sequence[str] = ("Task", "Column"), top: int | None = None
) -> list[Row]:
    """Degree (in, out, by kind) and PageRank of the nodes with ``labels``, best PageRank first.

    PageRank runs on :func:`analysis_graph` (undirected, tree hubs removed), so a task ranks high when it is
    tied to many goals, entities and well-connected 专栏, not merely because it has many children.
    """
    _check_labels(labels)
    pr = pagerank(analysis_graph(g))
    rows = []
    for n in sorted(n for n, d in g.nodes(data=True) if d["label"] in labels):
        kinds: dict[str, int] = {}
        for _, _, k in g.out_edges(n, keys=True):
            kinds[k] = kinds.get(k, 0) + 1
        rows.append(
            {
                "eid": n,
                "label": _label(g, n),
                "title": _title(g, n),
                "in_degree": g.in_degree(n),
                "out_degree": g.out_degree(n),
                "serves": kinds.get("SERVES", 0),
                "mentions": kinds.get("MENTIONS", 0),
                "children": sum(v for k, v in kinds.items() if k in STRUCTURAL),
                "pagerank": round(pr.get(n, 0.0), 6),
            }
        )
    rows.sort(key=lambda r: (-r["pagerank"], r["eid"]))
    return rows[:top] if top else rows


# -- co-mention ---------------------------------------------------------------------------------------
def _subtree(g: nx.MultiDiGraph, n: str) -> list[str]:
    """``n`` and everything it holds through structural edges (not the Plan's shortcuts: n is below it)."""
    seen, stack = {n}, [n]
    while stack:
        u = stack.pop()
        for _, v, k in g.out_edges(u, keys=True):
            if k in STRUCTURAL and v not in seen:
                seen.add(v)
                stack.append(v)
    return sorted(seen)


def comention_graph(g: nx.MultiDiGraph, kind: str = "Technology", within: str = "Task") -> nx.Graph:
    """Entities of ``kind`` joined when one ``within`` element (with what it holds) mentions both;
    edge ``weight`` = the number of such elements, ``contexts`` = their eids; node ``mentions`` = in how
    many such elements the entity occurs."""
    if kind not in ENTITIES:
        raise AnalysisError(f"unknown entity kind {kind!r}; valid: {', '.join(ENTITIES)}")
    _check_labels([within])
    h = nx.Graph()
    for ctx in _of_label(g, within):
        found = sorted(
            {
                v
                for u in _subtree(g, ctx)
                for _, v, k in g.out_edges(u, keys=True)
                if k == "MENTIONS" and g.nodes[v]["label"] == kind
            }
        )
        for e in found:
            if e not in h:
                h.add_node(e, title=_title(g, e), mentions=0)
            h.nodes[e]["mentions"] += 1
        for a, b in combinations(found, 2):
            if h.has_edge(a, b):
                h[a][b]["weight"] += 1
                h[a][b]["contexts"].append(ctx)
            else:
                h.add_edge(a, b, weight=1, contexts=[ctx])
    return h


def comention(
    g: nx.MultiDiGraph,
    kind: str = "Technology",
    within: str = "Task",
    min_weight: int = 1,
    top: int | None = None,
) -> list[Row]:
    """Pairs of entities co-mentioned within the same element, heaviest first."""
    h = comention_graph(g, kind, within)
    rows = [
        {
            "a": h.nodes[a]["title"],
            "b": h.nodes[b]["title"],
            "weight": d["weight"],
            "contexts": " ".join(d["contexts"]),
        }
        for a, b, d in h.edges(data=True)
        if d["weight"] >= min_weight
    ]
    rows = [r if r["a"] <= r["b"] else {**r, "a": r["b"], "b": r["a"]} for r in rows]
    rows.sort(key=lambda r: (-r["weight"], r["a"], r["b"]))
    return rows[:top] if top else rows


# -- paths --------------------------------------------------------------------------------------------
def shortest_path(
    g: nx.MultiDiGraph, source: str, target: str, directed: bool = False, via_hubs: bool = False
) -> list[Row]:
    """The shortest path from ``source`` to ``target`` (ignoring direction unless ``directed``), one row
    per step with the relationship taken and its direction. Paths do not pass through the tree hubs (Plan,
    Part, Section), which join everything to everything, unless ``via_hubs``."""
    for n in (source, target):
        if n not in g:
            raise AnalysisError(f"unknown eid {n!r}")
    h: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    keep = {n for n, d in g.nodes(data=True) if via_hubs or d["label"] not in TREE_HUBS} | {source, target}
    h.add_nodes_from(sorted(keep))
    h.add_edges_from(sorted((u, v) for u, v in g.edges() if u in keep and v in keep))
    try:
        path = nx.shortest_path(h, source, target)
    except nx.NetworkXNoPath:
        raise AnalysisError(f"no path from {source} to {target}") from None
    rows = []
    for i, n in enumerate(path):
        rel = ""
        if i:
            prev = path[i - 1]
            fwd = sorted(g[prev][n]) if g.has_edge(prev, n) else []
            rel = f"-[{fwd[0]}]->" if fwd else f"<-[{sorted(g[n][prev])[0]}]-"
        rows.append({"step": i, "via": rel, "eid": n, "label": _label(g, n), "title": _title(g, n)})
    return rows


# -- output -------------------------------------------------------------------------------------------
def render_rows(rows: list[Row], fmt: str = "table") -> str:
    """Rows as an aligned ``table``, ``json`` (a list, Chinese unescaped) or ``csv``."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    keys = list(rows[0]) if rows else []
    if fmt == "csv":
        return to_csv(keys, [[r.get(k) for k in keys] for r in rows])
    if fmt != "table":
        raise AnalysisError(f"unknown output format {fmt!r}; valid: table, json, csv")
    if not rows:
        return "(no rows)\n"

    def width(s: str) -> int:  # CJK characters take two columns
        return sum(2 if ord(c) > 0x2E7F else 1 for c in s)

    cells = [[str(r[k]) for k in keys] for r in rows]
    widths = [max(width(k), *(width(c[i]) for c in cells)) for i, k in enumerate(keys)]
    lines = ["  ".join(k + " " * (w - width(k)) for k, w in zip(keys, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    return "\n".join(lines) + "\n"
