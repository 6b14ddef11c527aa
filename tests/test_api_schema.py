"""Schemathesis against the app's own OpenAPI schema, every operation, in-process (ASGI), on both stores:
no 5xx, status codes documented, content types and bodies valid against the schema.

The default run is a quick profile (a few examples per operation); ``-m slow`` runs many more.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plangraph.api.main import create_app
from plangraph.graph.corpus import held_ids
from plangraph.graph.stores import Store
from plangraph.ingest.models import PlanDocument
from plangraph.settings import Settings
from tests.stores_env import ENGINES
from tests.test_hostile_cypher import serving

PLAN = "pgtest-schema"
TOKEN = "schema-test-token-0123456789"
QUICK_EXAMPLES = 5
SLOW_EXAMPLES = 150
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module", params=ENGINES)
def served(request: pytest.FixtureRequest, bundled_doc: PlanDocument) -> Iterator[tuple[Any, Store]]:
    """The app (with a write token, so uploads and reloads are exercised too) and its store."""
    settings = {"token": TOKEN, "query_timeout_s": 5, "max_rows": 200}
    with serving(request.param, PLAN, bundled_doc, **settings) as (client, store, _state):
        yield client.app, store
        for plan in set(held_ids(store)) - {PLAN}:
            store.drop_plan(plan)  # a generated upload that parsed: not ours to keep


# The schema the app serves at /openapi.json (it does not depend on the store); the calls go to the app
# of the ``served`` fixture, in process. (``schemathesis.pytest.from_fixture`` fails on pytest 9.)
SPEC = create_app(Settings()).openapi()


def phases(*enabled: str) -> Any:
    names = ("examples", "coverage", "fuzzing", "stateful")
    return schemathesis.Config.from_dict({"phases": {n: {"enabled": n in enabled} for n in names}})


#: quick: the schema's examples and a few generated cases per operation
quick = schemathesis.openapi.from_dict(SPEC, config=phases("examples", "fuzzing"))
#: slow: also the coverage phase (boundary and invalid values of every parameter) and many more cases
full = schemathesis.openapi.from_dict(SPEC, config=phases("examples", "coverage", "fuzzing"))


def _check(case: Any, served: tuple[Any, Store]) -> None:
    case.call_and_validate(app=served[0], headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)


@quick.parametrize()
@settings(
    max_examples=QUICK_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms(case: Any, served: tuple[Any, Store]) -> None:
    _check(case, served)


@pytest.mark.slow
@full.parametrize()
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_long(case: Any, served: tuple[Any, Store]) -> None:
    _check(case, served)
