"""The Python API: PlanGraph in a notebook or a script (``import plangraph as pg``).

Paths may be ``str`` or :class:`~pathlib.Path`; relative ones are the caller's, resolved against the
current folder. Rows are lists of plain dicts, so ``pandas.DataFrame(rows)`` takes them as they are.

>>> import plangraph as pg
>>> doc = pg.parse(pg.bundled_plan())
>>> doc.plan.id, len(doc.by_kind("Goal"))
('informatization-14fyp', 8)
>>> g = pg.build_graph(doc)
>>> g.nodes["informatization-14fyp/goal-5"]["label"]
'Goal'
>>> store = pg.open_store(":memory:")
>>> [(r["status"], r["plan_id"]) for r in pg.add(store, pg.bundled_plan())]
[('added', 'informatization-14fyp')]
>>> [p["plan_id"] for p in pg.plans(store)]
['informatization-14fyp']
>>> rows = pg.query(store, "goal_tasks", goal="informatization-14fyp/goal-5")
>>> sorted(rows[0])[:3]
['char_end', 'char_start', 'confidence']
>>> pg.export(store, "mermaid", plan="informatization-14fyp", goal="informatization-14fyp/goal-5")[:12]
'flowchart LR'
>>> store.close()
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraph.home import bundled_plan

if TYPE_CHECKING:
    from collections.abc import Sequence

    import networkx as nx

    from plangraph.graph.stores.base import Store
    from plangraph.ingest.models import PlanDocument

__all__ = [
    "add",
    "build_graph",
    "bundled_plan",
    "export",
    "list_queries",
    "open_store",
    "parse",
    "plans",
    "query",
]

#: ``open_store(MEMORY)``: an embedded store in memory, gone when closed
MEMORY = ":memory:"


def parse(
    path: str | Path, *, plan_id: str | None = None, title: str | None = None, partial: bool = False
) -> PlanDocument:
    """The document of a plan file (PDF, Word, HTML, Markdown, text) or plan folder, as
    ``plangraph parse`` reads it (``partial``: accept a plan that lacks parts of the genre)."""
    from plangraph.graph.corpus import Options
    from plangraph.graph.corpus import parse as parse_source

    return parse_source(Path(path), Options(plan_id=plan_id, title=title, partial=partial))[1]


def build_graph(
    source: PlanDocument | str | Path, *, infer: bool = True, curated: bool = True
) -> nx.MultiDiGraph:
    """The graph (networkx) of a parsed document, or of a plan file or folder (then the curated
    ``links.yaml`` beside it applies unless ``curated=False``); ``infer``: add SERVES/MEASURES."""
    from plangraph.graph.corpus import Options, build, graph_for_source

    options = Options(infer=infer, curated=curated)
    if isinstance(source, str | Path):
        return graph_for_source(Path(source), options)
    return build(source, None, options)


def open_store(
    path: str | Path | None = None,
    *,
    neo4j: str | None = None,
    user: str = "neo4j",
    password: str = "plangraph-dev",
    database: str = "neo4j",
    read_only: bool = False,
) -> Store:
    """A store: the embedded one at ``path`` (default: the user's store, see :mod:`plangraph.home`;
    ``":memory:"``: in memory), or the Neo4j server at the Bolt URI ``neo4j``. Close it when done (it is
    also a context manager)."""
    from plangraph.graph.stores import open_store as open_kind
    from plangraph.home import default_store

    if neo4j is not None:
        return open_kind("neo4j", uri=neo4j, user=user, password=password, database=database)
    if path == MEMORY:
        return open_kind("ladybug")
    file = Path(path) if path is not None else default_store()  # the store makes its folder
    return open_kind("ladybug", path=file, read_only=read_only)


def add(store: Store, *paths: str | Path, jobs: int | None = None) -> list[dict[str, Any]]:
    """Add plans (files, plan folders, folders of plans, globs) as ``plangraph add`` does: each plan
    atomically, an unchanged source skipped, a changed one replacing its old version. One row per source:
    ``path``, ``status`` (added, replaced, skipped, failed, not a plan), ``plan_id``, ``title``, counts,
    ``error``."""
    from plangraph.graph.corpus_batch import add as add_all

    report = add_all(store, [Path(p) for p in paths], jobs=jobs or 1)
    return [{**dataclasses.asdict(o), "path": str(o.path), "status": o.status.value} for o in report.outcomes]


def plans(store: Store) -> list[dict[str, Any]]:
    """What the store holds, one row per plan (id, title, issuer, date, period, counts, source, sha256)."""
    from plangraph.graph.corpus import held

    return held(store)


def list_queries() -> list[dict[str, Any]]:
    """The canned queries: ``name``, ``title``, ``description`` and ``params`` (name, type, example)."""
    from plangraph.queries.library import load_queries

    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [{"name": p.name, "type": p.type, "example": p.example} for p in q.params],
        }
        for q in load_queries().values()
    ]


def query(store: Store, name: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of a canned query (``plangraph queries`` or :func:`list_queries` lists them), its
    parameters checked and typed from the query's header, under the settings' limits as everywhere
    (``PLANGRAPH_QUERY_TIMEOUT_S``, ``PLANGRAPH_MAX_ROWS``)."""
    from plangraph.queries.library import run_query
    from plangraph.settings import Settings

    return run_query(store, name, params, Settings().read_limits()).records()


def export(
    source: Store | nx.MultiDiGraph,
    fmt: str = "json",
    *,
    plan: str | None = None,
    root: str | None = None,
    depth: int | None = None,
    goal: str | None = None,
    labels: Sequence[str] = (),
    rels: Sequence[str] = (),
) -> str:
    """A (sub)graph as text in an export format (json, graphml, gexf, csv, cypher, dot, mermaid), from a
    graph or from one ``plan`` of a store; ``root``/``depth``, ``goal``, ``labels``, ``rels`` select a
    subgraph as ``plangraph export`` does."""
    import networkx as nx

    from plangraph.graph.export import render, select

    if isinstance(source, nx.MultiDiGraph):
        g = source
    else:
        if plan is None:
            raise ValueError("export from a store needs plan=: the id of one of its plans (see plans())")
        from plangraph.graph.corpus import plan_graph

        g = plan_graph(source, plan)
    if root is not None or goal is not None or labels or rels or depth is not None:
        g = select(g, root=root, depth=depth, labels=labels, rels=rels, goal=goal)
    return render(g, fmt)
