"""The canned query library (list and run, JSON or CSV) and ad-hoc read-only Cypher."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from plangraph.api import services
from plangraph.api.deps import State
from plangraph.api.errors import READS, ApiError, problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import CypherRequest, QueryInfo, QueryParam, Rows
from plangraph.queries.library import get_query, load_queries

router = APIRouter(route_class=Reading, tags=["queries"])
CSV = "text/csv; charset=utf-8"
#: the longest value a canned query's parameter may have (the path's and search's own limits are shorter)
MAX_PARAM_CHARS = 1000
#: CSV with a UTF-8 byte order mark first, for Excel and WPS
Bom = Annotated[bool, Query(description="CSV: start with a UTF-8 byte order mark (Excel, WPS)")]


@router.get("/queries", operation_id="list_queries", response_model=list[QueryInfo])
def list_queries() -> list[QueryInfo]:
    """Every canned query with its title, description (both also in Chinese), parameters (type, example) and
    row cap."""
    return [
        QueryInfo(
            name=q.name,
            title=q.title,
            description=q.description,
            title_zh=q.title_zh,
            description_zh=q.description_zh,
            max_rows=q.max_rows,
            params=[
                QueryParam(
                    name=p.name,
                    type=p.type,  # type: ignore[arg-type]  # the library refuses any other type
                    description=p.description,
                    description_zh=p.description_zh,
                    example=p.example,
                )
                for p in q.params
            ],
        )
        for q in load_queries().values()
    ]


def _answer(state: State, name: str, params: dict[str, Any], fmt: str, bom: bool = False) -> Rows | Response:
    for key, value in params.items():
        if isinstance(value, str) and len(value) > MAX_PARAM_CHARS:
            raise ApiError(
                422, "invalid_query_parameters", f"parameter {key!r} is over {MAX_PARAM_CHARS} characters"
            )
    query = get_query(name)
    params = services.resolver(state).params([p.name for p in query.params], params)
    result = services.run(state, name, params)
    if fmt == "csv":
        return Response(
            services.to_csv(result, bom=bom),
            media_type=CSV,
            headers={
                "Content-Disposition": f'attachment; filename="{name}.csv"',
                "X-Truncated": str(result.truncated).lower(),
            },
        )
    return services.rows(result, name)


@router.get(
    "/queries/{name}",
    operation_id="run_query",
    response_model=Rows,
    responses={200: {"content": {CSV: {}}}, **READS, **problems(400, 404, 409)},
)
def run_query_get(
    state: State, name: str, request: Request, format: Literal["json", "csv"] = "json", bom: Bom = False
) -> Any:
    """Run a canned query; its parameters are query-string parameters (``?goal=…``)."""
    get_query(name)
    params = {k: v for k, v in request.query_params.items() if k not in ("format", "bom")}
    return _answer(state, name, params, format, bom)


@router.post(
    "/queries/{name}",
    operation_id="run_query_post",
    response_model=Rows,
    responses={200: {"content": {CSV: {}}}, **READS, **problems(400, 404, 409, 413)},
)
def run_query_post(
    state: State,
    name: str,
    params: dict[str, str | int | float] = Body(default_factory=dict),
    format: Literal["json", "csv"] = "json",
    bom: Bom = False,
) -> Any:
    """Run a canned query with its parameters as a JSON object."""
    get_query(name)
    return _answer(state, name, params, format, bom)


@router.post(
    "/cypher",
    operation_id="cypher",
    response_model=Rows,
    responses={**READS, **problems(400, 413, 429)},
)
def cypher(state: State, body: CypherRequest, request: Request) -> Rows:
    """Ad-hoc read-only Cypher, run in a worker process under the service's time limit
    (PLANGRAPH_QUERY_TIMEOUT_S: 504 ``query_timeout``), memory limit (PLANGRAPH_QUERY_MEMORY_MB: 413
    ``query_too_large``), row cap (PLANGRAPH_MAX_ROWS) and answer caps (PLANGRAPH_MAX_ANSWER_BYTES,
    PLANGRAPH_MAX_LIST_ITEMS); ``truncated`` says when rows were left off. Per client, at most
    PLANGRAPH_CYPHER_PER_CLIENT queries at once and PLANGRAPH_CYPHER_RATE_PER_MIN a minute (429 with
    Retry-After). Writes, schema changes, admin and procedure calls are refused with the reason."""
    client = request.client.host if request.client else "unknown"
    with state.clients.admit(client):
        result = state.adhoc().run(body.query, body.params, state.settings.adhoc_limits())
    return services.rows(result)
