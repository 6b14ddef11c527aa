"""A real Neo4j for the integration tests (``make neo4j-start``; or set NEO4J_URI and friends).

Without a server the tests skip, saying why, unless ``CI`` is set: in CI an unreachable server fails them.
Tests write only plans whose id starts with ``pgtest-`` and delete them before and after, so a developer's
database keeps its own plans (Community Edition has only the ``neo4j`` database to work in).
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pytest

from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.stores import StoreUnavailable
from plangraph.graph.stores.neo4j_store import Neo4jStore
from plangraph.graph.stores.rows import relabel_plan
from plangraph.ingest.models import PlanDocument
from tests.conftest import BUNDLED_SOURCE
from tests.stores_env import in_ci, neo4j_config

TEST_PLANS = ("pgtest-a", "pgtest-b", "pgtest-kill", "pgtest-proxy")


@pytest.fixture(scope="session")
def neo4j_session_store() -> Iterator[Neo4jStore]:
    try:
        store = Neo4jStore(**neo4j_config())
    except StoreUnavailable as exc:
        if in_ci():
            pytest.fail(f"CI is set and Neo4j is unreachable: {exc}", pytrace=False)
        pytest.skip(
            f"Neo4j integration tests skipped: {exc}. Start a server with `make neo4j-start` "
            "or set NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD (with CI=true this is a failure)."
        )
    yield store
    store.close()


def cleanup(store: Neo4jStore) -> None:
    for plan_id in TEST_PLANS:
        store.drop_plan(plan_id)


@pytest.fixture
def neo4j(neo4j_session_store: Neo4jStore) -> Iterator[Neo4jStore]:
    """The store with no test plans in it, cleaned again afterwards."""
    cleanup(neo4j_session_store)
    yield neo4j_session_store
    cleanup(neo4j_session_store)


@pytest.fixture(scope="session")
def bundled_graph(bundled_doc: PlanDocument) -> nx.MultiDiGraph:
    return build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))


@pytest.fixture(scope="session")
def graph_a(bundled_graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The bundled plan under the test id ``pgtest-a``."""
    return relabel_plan(bundled_graph, "pgtest-a")


@pytest.fixture(scope="session")
def graph_b(bundled_graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return relabel_plan(bundled_graph, "pgtest-b")
