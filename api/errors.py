"""One error shape for every error: RFC 9457 problem+json with a stable ``code``.

``{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "…", "code": "not_found", …}``
plus optional members (``candidates``, ``suggestions``, ``errors``, ``setting``).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import Problem
from graph.export import ExportError
from graph.stores import QueryRefused, QueryTimeout, StoreUnavailable
from graph.stores.base import LoadFailed
from ingest.errors import PlanError
from queries.library import QueryError

PROBLEM = "application/problem+json"


class ApiError(Exception):
    """An error with an HTTP status, a code and extra members for the problem document."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


def problem(status: int, code: str, detail: str, instance: str | None = None, **extra: Any) -> JSONResponse:
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
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


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

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem(422, "invalid_parameters", detail, at(request), errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        return problem(exc.status_code, code, str(exc.detail), at(request))

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> JSONResponse:
        return problem(422, "invalid_query_parameters", str(exc), at(request))

    @app.exception_handler(ExportError)
    async def export_error(request: Request, exc: ExportError) -> JSONResponse:
        return problem(422, "invalid_export", str(exc), at(request))

    @app.exception_handler(QueryRefused)
    async def refused(request: Request, exc: QueryRefused) -> JSONResponse:
        return problem(400, "query_refused", exc.message, at(request))

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        return problem(504, "query_timeout", exc.message, at(request), setting="PLANGRAPH_QUERY_TIMEOUT_S")

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
