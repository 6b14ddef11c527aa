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

from plangraph.api.schemas import Problem
from plangraph.ingest.errors import PlanGraphError

PROBLEM = "application/problem+json"


class ApiError(PlanGraphError):
    """A request the API refuses for a reason of its own (the token, a size cap …): its HTTP status and
    problem code are given, not looked up."""

    code = "E400"

    def __init__(self, status: int, problem: str, detail: str, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.status, self.problem = status, problem


#: the setting behind each limit an ad-hoc query can hit (QueryTooLarge.limit, TooManyQueries.limit)
LIMIT_SETTINGS = {
    "memory": "PLANGRAPH_QUERY_MEMORY_MB",
    "server_memory": "db.memory.transaction.max (Neo4j server)",
    "server_answer": "server.jvm.additional=-XX:MaxDirectMemorySize (Neo4j server)",
    "answer_bytes": "PLANGRAPH_MAX_ANSWER_BYTES",
    "list_items": "PLANGRAPH_MAX_LIST_ITEMS",
    "concurrent": "PLANGRAPH_CYPHER_PER_CLIENT",
    "rate": "PLANGRAPH_CYPHER_RATE_PER_MIN",
}

#: the HTTP status and problem code of each error code (:class:`ingest.errors.PlanGraphError`); the codes
#: of the source and its parse (E0xx) all answer 422 ``invalid_plan``, a code not listed 422 ``invalid_input``
STATUS: dict[str, tuple[int, str]] = {
    "E110": (422, "invalid_export"),
    "E111": (422, "invalid_parameters"),
    "E120": (422, "invalid_links"),
    "E301": (503, "store_unavailable"),
    "E302": (400, "query_refused"),
    "E303": (504, "query_timeout"),
    "E304": (500, "load_failed"),
    "E305": (413, "query_too_large"),
    "E306": (503, "workers_busy"),
    "E307": (429, "too_many_queries"),
    "E310": (422, "invalid_graph"),
    "E311": (422, "invalid_query_parameters"),
    "E312": (404, "unknown_query"),
    "E401": (404, "unknown_reference"),
    "E402": (409, "ambiguous_reference"),
    "E403": (404, "unknown_plan"),
    "E404": (422, "plan_required"),
    "E405": (422, "invalid_parameters"),
    "E406": (404, "unknown_code"),
}
#: the setting a limit's problem names, by error code (E305 and E307: by the limit hit, LIMIT_SETTINGS)
SETTINGS = {"E303": "PLANGRAPH_QUERY_TIMEOUT_S", "E306": "PLANGRAPH_CYPHER_WORKERS"}


def status_of(exc: PlanGraphError) -> tuple[int, str]:
    """The HTTP status and problem code a user's error answers with."""
    if isinstance(exc, ApiError):
        return exc.status, exc.problem
    if exc.code in STATUS:
        return STATUS[exc.code]
    return (422, "invalid_plan") if exc.code.startswith("E0") else (422, "invalid_input")


def members(exc: PlanGraphError) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The problem's extra members (the error's own, the code, the setting) and its headers."""
    extra: dict[str, Any] = dict(exc.extra)
    if not isinstance(exc, ApiError):
        extra["error_code"] = exc.code
    limit = getattr(exc, "limit", None)
    setting = LIMIT_SETTINGS.get(limit) if isinstance(limit, str) else SETTINGS.get(exc.code)
    if setting:
        extra["setting"] = setting
    retry = getattr(exc, "retry_after_s", None)
    return extra, {"Retry-After": str(math.ceil(retry))} if retry is not None else None


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

    @app.exception_handler(PlanGraphError)
    async def user_error(request: Request, exc: PlanGraphError) -> JSONResponse:
        """Every error of the hierarchy, the API's own included: its code decides the status."""
        status, code = status_of(exc)
        detail = f"{exc.where}: {exc.message}" if exc.where else exc.message
        extra, headers = members(exc)
        return problem(status, code, detail, at(request), headers, **extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem(422, "invalid_parameters", detail, at(request), errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        return problem(exc.status_code, code, str(exc.detail), at(request))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        # a bug: the traceback goes to the server log (the exception is re-raised after this answer), not
        # to the client
        return problem(500, "internal_error", "the service failed on this request", at(request))


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
