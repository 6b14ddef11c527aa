"""One error hierarchy (ingest/errors.py: PlanGraphError with a code and the place): the API maps codes to
HTTP statuses in one handler; the CLI prints a user's error as one line and lets a bug keep its
traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph.api.errors import ApiError, install
from plangraph.cli.common import UsageError
from plangraph.cli.main import app
from plangraph.graph.adhoc import PoolBusy, TooManyQueries
from plangraph.graph.analysis import AnalysisError
from plangraph.graph.export import ExportError
from plangraph.graph.infer import LinksError
from plangraph.graph.refs import AmbiguousReference, PlanRequired, UnknownPlan, UnknownReference
from plangraph.graph.stores import QueryRefused, QueryTimeout, QueryTooLarge, StoreUnavailable
from plangraph.graph.stores.base import LoadFailed
from plangraph.graph.stores.rows import SchemaError
from plangraph.ingest.errors import NotAPlan, PlanGraphError
from plangraph.queries.library import QueryError, UnknownQuery
from tests.conftest import BUNDLED_DIR

# (the error raised, the status, the problem code, a member the problem must carry)
CASES: list[tuple[PlanGraphError, int, str, dict[str, object]]] = [
    (NotAPlan("E010", "no structure of a plan", "a.txt", 3), 422, "invalid_plan", {"line": 3}),
    (ExportError("unknown label 'X'"), 422, "invalid_export", {"error_code": "E110"}),
    (AnalysisError("unknown label 'X'"), 422, "invalid_parameters", {"error_code": "E111"}),
    (LinksError("links.yaml: link 1: no note"), 422, "invalid_links", {}),
    (StoreUnavailable("down"), 503, "store_unavailable", {}),
    (QueryRefused("writes are not allowed"), 400, "query_refused", {}),
    (QueryTimeout("over 10 s"), 504, "query_timeout", {"setting": "PLANGRAPH_QUERY_TIMEOUT_S"}),
    (LoadFailed("rolled back"), 500, "load_failed", {}),
    (QueryTooLarge("big", "list_items"), 413, "query_too_large", {"setting": "PLANGRAPH_MAX_LIST_ITEMS"}),
    (PoolBusy("busy", 1.2), 503, "workers_busy", {"setting": "PLANGRAPH_CYPHER_WORKERS"}),
    (
        TooManyQueries("slow down", 3, "rate"),
        429,
        "too_many_queries",
        {"setting": "PLANGRAPH_CYPHER_RATE_PER_MIN"},
    ),
    (SchemaError("bad graph"), 422, "invalid_graph", {}),
    (QueryError("needs goal"), 422, "invalid_query_parameters", {}),
    (UnknownQuery("no query 'x'"), 404, "unknown_query", {}),
    (
        UnknownReference("no goal 'x'", where="ref", suggestions=[]),
        404,
        "unknown_reference",
        {"suggestions": []},
    ),
    (
        AmbiguousReference("names 2", candidates=[{"eid": "a"}]),
        409,
        "ambiguous_reference",
        {"candidates": [{"eid": "a"}]},
    ),
    (UnknownPlan("no plan 'x'", valid=["p"]), 404, "unknown_plan", {"valid": ["p"]}),
    (PlanRequired("several plans", valid=["p", "q"]), 422, "plan_required", {}),
    (UsageError("bad options"), 422, "invalid_parameters", {}),
    (ApiError(403, "writes_disabled", "switched off"), 403, "writes_disabled", {}),
]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    api = FastAPI()
    install(api)

    @api.get("/raise/{i}")
    def raise_it(i: int) -> None:
        if i == len(CASES):
            raise KeyError("a bug")
        raise CASES[i][0]

    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("i", "case"), list(enumerate(CASES)), ids=[type(c[0]).__name__ for c in CASES])
def test_one_handler_maps_codes_to_statuses(
    client: TestClient, i: int, case: tuple[PlanGraphError, int, str, dict[str, object]]
) -> None:
    exc, status, code, members = case
    r = client.get(f"/raise/{i}")
    assert r.status_code == status and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code and exc.message in body["detail"], body
    assert members.items() <= body.items(), body
    if isinstance(exc, PoolBusy | TooManyQueries):
        assert int(r.headers["retry-after"]) >= 1


def test_a_bug_is_a_500_without_its_traceback(client: TestClient) -> None:
    r = client.get(f"/raise/{len(CASES)}")
    assert r.status_code == 500 and r.json()["code"] == "internal_error" and "KeyError" not in r.text


def test_every_error_prints_as_one_line_with_its_code_and_place() -> None:
    for exc, *_ in CASES:
        text = str(exc)
        assert text.startswith(f"[{exc.code}] ") and "\n" not in text
    assert str(NotAPlan("E010", "no structure", "a.txt", 3)) == "[E010] a.txt:3: no structure"
    assert (
        str(UnknownReference("no goal 'x'", where="parameter goal")) == "[E401] parameter goal: no goal 'x'"
    )


def test_cli_user_error_is_one_line(tmp_path: object) -> None:
    res = CliRunner().invoke(app, ["export", str(BUNDLED_DIR), "--label", "Goals"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.output.strip().splitlines() == [res.output.strip()] and res.output.startswith("error: [E110]")


def test_cli_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ValueError from a bug is not turned into a one-line error (the old catch-all did): it propagates."""

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug in the parser")

    monkeypatch.setattr("plangraph.graph.corpus.parse", broken)
    res = CliRunner().invoke(app, ["parse", str(BUNDLED_DIR), "--summary"])
    assert res.exit_code == 1 and isinstance(res.exception, ValueError)
    assert "error: a bug in the parser" not in res.output
