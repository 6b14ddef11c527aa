"""One error shape for every error: RFC 9457 problem+json with a stable ``code``.

``{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "…", "code": "not_found", …}``
plus optional members (``candidates``, ``suggestions``, ``errors``, ``setting``).
"""

from __future__ import annotations

import math
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import Problem
from graph.adhoc import PoolBusy, TooManyQueries
from graph.stores import QueryRefused, QueryTimeout, QueryTooLarge, StoreUnavailable
from graph.stores.base import LoadFailed
from ingest.errors import PlanError, PlanGraphError

PROBLEM = "application/problem+json"


class ApiError(Exception):
    """An error with an HTTP status, a code and extra members for the problem document."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


#: the setting behind each limit an ad-hoc query can hit (QueryTooLarge.limit, TooManyQueries.limit)
LIMIT_SETTINGS = {
    "memory": "PLANGRAPH_QUERY_MEMORY_MB",
    "server_memory": "db.memory.transaction.max (Neo4j server)",
    "answer_bytes": "PLANGRAPH_MAX_ANSWER_BYTES",
    "list_items": "PLANGRAPH_MAX_LIST_ITEMS",
    "concurrent": "PLANGRAPH_CYPHER_PER_CLIENT",
    "rate": "PLANGRAPH_CYPHER_RATE_PER_MIN",
}


#: the HTTP status and problem code of each error code (ingest/errors.py: PlanGraphError)
STATUS: dict[str, tuple[int, str]] = {
    "E110": (422, "invalid_export"),
    "E311": (422, "invalid_query_parameters"),
    "E312": (404, "unknown_query"),
    "E401": (404, "unknown_reference"),
    "E402": (409, "ambiguous_reference"),
    "E403": (404, "unknown_plan"),
    "E404": (422, "plan_required"),
}


def problem(
    status: int,
    code: str,
    detail: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses an operation can answer with (problem+json)."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "description": f"{HTTPStatus(status).phrase} (problem+json)",
            "content": {PROBLEM: {"schema": ref}},
        }
        for status in statuses
    }


#: what every operation that reads the store can answer: bad parameters, store down, query too slow
READS = problems(422, 503, 504)


def install(app: FastAPI) -> None:
    _document_problems(app)

    def at(request: Request) -> str:
        return request.url.path

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.detail, at(request), **exc.extra)

    @app.exception_handler(PlanGraphError)
    async def user_error(request: Request, exc: PlanGraphError) -> JSONResponse:
        status, code = STATUS.get(exc.code, (422, "invalid_input"))
        detail = f"{exc.where}: {exc.message}" if exc.where else exc.message
        return problem(status, code, detail, at(request), error_code=exc.code, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem(422, "invalid_parameters", detail, at(request), errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        return problem(exc.status_code, code, str(exc.detail), at(request))

    @app.exception_handler(QueryRefused)
    async def refused(request: Request, exc: QueryRefused) -> JSONResponse:
        return problem(400, "query_refused", exc.message, at(request))

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        return problem(504, "query_timeout", exc.message, at(request), setting="PLANGRAPH_QUERY_TIMEOUT_S")

    @app.exception_handler(QueryTooLarge)
    async def too_large(request: Request, exc: QueryTooLarge) -> JSONResponse:
        return problem(413, "query_too_large", exc.message, at(request), setting=LIMIT_SETTINGS[exc.limit])

    @app.exception_handler(TooManyQueries)
    async def too_many(request: Request, exc: TooManyQueries) -> JSONResponse:
        retry = {"Retry-After": str(exc.retry_after_s)}
        setting = LIMIT_SETTINGS[exc.limit]
        return problem(429, "too_many_queries", exc.message, at(request), retry, setting=setting)

    @app.exception_handler(PoolBusy)
    async def busy(request: Request, exc: PoolBusy) -> JSONResponse:
        retry = {"Retry-After": str(math.ceil(exc.retry_after_s))}
        return problem(
            503, "workers_busy", exc.message, at(request), retry, setting="PLANGRAPH_CYPHER_WORKERS"
        )

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return problem(503, "store_unavailable", exc.message, at(request))

    @app.exception_handler(LoadFailed)
    async def load_failed(request: Request, exc: LoadFailed) -> JSONResponse:
        return problem(500, "load_failed", exc.message, at(request))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        # the traceback goes to the server log (the exception is re-raised after this answer), not to
        # the client
        return problem(500, "internal_error", "the service failed on this request", at(request))

    @app.exception_handler(PlanError)
    async def plan_error(request: Request, exc: PlanError) -> JSONResponse:
        return problem(422, "invalid_plan", str(exc), at(request), error_code=exc.code, line=exc.line)


def _document_problems(app: FastAPI) -> None:
    """Put the ``Problem`` schema the operations' error responses refer to into the OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = generate()
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]
