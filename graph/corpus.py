"""The corpus service: source → document → graph → store, the one way plans get into a store and out.

The CLI (``plangraph add/load/ingest/plans/drop/export``), the API (uploads, exports) and the Python API
all go through here; nothing else finds sources, parses for a store or writes plans.

- :func:`find_source` — the source file of a path (a plan folder's ``source.*`` or the file itself);
- :func:`parse` — the document of a source, with the common options (:class:`Options`);
- :func:`build` — its graph, with the ``links.yaml`` beside the source applied;
- :func:`install` — the graph into a store atomically, replacing the plan's old version;
  :func:`install_many` — several plans in one transaction (how ``plangraph add`` writes a corpus);
- :func:`remove` — a plan out of a store;
- :func:`held` — what the store holds (one row per plan); :func:`plan_graph` — one plan's graph read back
  from the store (for exports: every process sees the same plans).

Loading many files at once (parallel parsing, sha256 skip, a report per file) is :mod:`graph.corpus_add`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraph.ingest.load import find_source
from plangraph.ingest.models import PlanDocument

if TYPE_CHECKING:
    import networkx as nx

    from plangraph.graph.crossplan import link_citations
    from plangraph.graph.stores.base import Progress, Store
    from plangraph.graph.stores.readback import PlanNotFound, plan_graph

#: names this module gives from others, imported when first asked for: ``plangraph parse`` needs neither
#: networkx nor the stores (a quarter of its start-up)
_LAZY = {
    "PlanNotFound": "plangraph.graph.stores.readback",
    "plan_graph": "plangraph.graph.stores.readback",
    "link_citations": "plangraph.graph.crossplan",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Options",
    "PlanNotFound",
    "build",
    "find_source",
    "graph_for_source",
    "held",
    "install",
    "install_document",
    "install_many",
    "link_citations",
    "parse",
    "plan_graph",
    "remove",
]


@dataclass(frozen=True)
class Options:
    """How to read a source: the options of every command that parses (``--plan-id``, ``--title``,
    ``--partial``), and whether to infer ``SERVES``/``MEASURES`` and apply the curated ``links.yaml``."""

    plan_id: str | None = None
    title: str | None = None
    partial: bool = False
    infer: bool = True
    curated: bool = True


DEFAULT = Options()


def parse(path: Path | str, options: Options = DEFAULT) -> tuple[Path, PlanDocument]:
    """The source file of ``path`` and its document."""
    from plangraph.ingest.pipeline import parse_file

    source = find_source(path)
    doc = parse_file(source, plan_id=options.plan_id, title=options.title, partial=options.partial)
    return source, doc


def build(doc: PlanDocument, source: Path | None = None, options: Options = DEFAULT) -> nx.MultiDiGraph:
    """The graph of one document; the ``links.yaml`` beside ``source`` applies unless ``curated=False``."""
    import networkx as nx

    from plangraph.graph.build import add_plan, links_beside

    links = links_beside(source) if source is not None and options.curated else None
    g = nx.MultiDiGraph()
    add_plan(g, doc, infer=options.infer, links=links, curated=options.curated)
    return g


def graph_for_source(path: Path | str, options: Options = DEFAULT) -> nx.MultiDiGraph:
    """Parse a plan file (or folder) and build its graph."""
    source, doc = parse(path, options)
    return build(doc, source, options)


def install(
    store: Store,
    graph: nx.MultiDiGraph,
    plan_id: str,
    *,
    progress: Progress | None = None,
    link: bool = True,
) -> None:
    """Write one plan's graph in one transaction, replacing what the store held of the plan: readers see
    the old version or the new one, and a failure leaves the old one. Then (``link``) the citations
    between the store's plans are brought up to date (:func:`graph.crossplan.link_citations`); a batch
    links once at its end instead."""
    store.load(graph, plan_id, replace=True, progress=progress)
    if link:
        from plangraph.graph.crossplan import link_citations

        link_citations(store)


def install_many(store: Store, plans: Sequence[tuple[str, nx.MultiDiGraph]], *, link: bool = True) -> None:
    """Write several plans (``(plan_id, graph)``) in one transaction, each replacing its old version: the
    store holds all of them afterwards or, on a failure, what it held before; every plan is whole either
    way. Then (``link``) the citations between the store's plans are brought up to date."""
    store.load_many(plans)
    if link:
        from plangraph.graph.crossplan import link_citations

        link_citations(store)


def install_document(
    store: Store, doc: PlanDocument, source: Path | None = None, options: Options = DEFAULT
) -> nx.MultiDiGraph:
    """Build a parsed document's graph and install it; the graph written."""
    graph = build(doc, source, options)
    install(store, graph, doc.plan.id)
    return graph


def remove(store: Store, plan_id: str) -> None:
    """Remove a plan (its nodes, and the shared entities no other plan names); ``PlanNotFound`` if absent."""
    from plangraph.graph.stores.readback import PlanNotFound

    if plan_id not in held_ids(store):
        raise PlanNotFound(f"the store ({store.location}) holds no plan {plan_id!r}")
    store.drop_plan(plan_id)


def held(store: Store, query: str = "plans", params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of a canned query over the store's plans (``plans``: id, title, issuer, period, sha256 …)."""
    from plangraph.queries.library import run_query

    return run_query(store, query, dict(params or {}), internal=True).records()


def held_ids(store: Store) -> list[str]:
    return [r["plan_id"] for r in held(store)]
