"""Graph stores behind one protocol: embedded Ladybug (the default) and Neo4j.

>>> store = open_store("ladybug")            # in memory; open_store("ladybug", path="data/stores/x.lbug")
>>> store.stats()["node_count"]
0
>>> store.close()

``open_store("neo4j", uri=..., user=..., password=..., database="neo4j")`` connects to a server. Only entry
points (CLI, API) read ``NEO4J_*`` settings; they pass them here.
"""

from __future__ import annotations

from typing import Any

from plangraph.graph.stores.base import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT_S,
    LoadFailed,
    Progress,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    QueryTooLarge,
    Store,
    StoreError,
    StoreUnavailable,
    check_read_only,
)

KINDS = ("ladybug", "neo4j")

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT_S",
    "KINDS",
    "LoadFailed",
    "Progress",
    "QueryRefused",
    "QueryResult",
    "QueryTimeout",
    "QueryTooLarge",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "check_read_only",
    "open_store",
]


def open_store(kind: str, **config: Any) -> Store:
    """Open a store: ``ladybug`` (``path=None`` in memory, ``read_only``, ``batch_size``) or ``neo4j``
    (``uri``, ``user``, ``password``, ``database``, ``batch_size``, ``connection_timeout_s``)."""
    if kind == "ladybug":
        from plangraph.graph.stores.ladybug_store import LadybugStore

        return LadybugStore(**config)
    if kind == "neo4j":
        from plangraph.graph.stores.neo4j_store import Neo4jStore

        return Neo4jStore(**config)
    raise ValueError(f"unknown store kind {kind!r}: one of {', '.join(KINDS)}")
