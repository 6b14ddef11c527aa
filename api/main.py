"""The FastAPI application: ``create_app(settings)``; a lifespan opens the store and loads the plans.

uvicorn --factory api.main:create_app      # or: plangraph serve
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from api import errors
from api.routes import elements, entities, export, goals, meta, nodes, plans, queries
from api.settings import Settings
from api.state import VERSION, AppState, open_state

DESCRIPTION = """Traversal queries over Chinese national plans parsed into knowledge graphs.
Every item carries its eid, labels, title and source span (character offsets and lines in the original
file) so it can be cited. Errors are problem+json with a stable `code`."""


def create_app(settings: Settings | None = None, state: AppState | None = None) -> FastAPI:
    """The app. ``settings`` default to the environment (PLANGRAPH_*, NEO4J_*); ``state`` lets tests hand
    in an opened store."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.plangraph = state or open_state(settings)
        try:
            yield
        finally:
            if state is None:
                app.state.plangraph.store.close()

    app = FastAPI(title="PlanGraph", version=VERSION, description=DESCRIPTION, lifespan=lifespan)
    errors.install(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > settings.max_body_bytes):
            return errors.problem(
                413,
                "too_large",
                f"request body over {settings.max_body_bytes} bytes (PLANGRAPH_MAX_BODY_BYTES)",
                request.url.path,
            )
        return await call_next(request)

    for module in (meta, plans, goals, elements, entities, nodes, queries, export):
        app.include_router(module.router)
    return app
