"""The FastAPI application: ``create_app(settings)``; a lifespan opens the store and loads the plans.

uvicorn --factory api.main:create_app      # or: plangraph serve
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plangraph.api import errors
from plangraph.api.cache import CacheFront, CacheMiddleware, ResponseCache
from plangraph.api.routes import ROUTES
from plangraph.api.state import VERSION, AppState, open_state
from plangraph.settings import Settings

DESCRIPTION = """Traversal queries over Chinese national plans parsed into knowledge graphs.
Every item carries its eid, labels, title and source span (character offsets and lines in the original
file) so it can be cited. Errors are problem+json with a stable `code`."""


def create_app(settings: Settings | None = None, state: AppState | None = None) -> PlanGraphApp:
    """The app. ``settings`` default to the environment (PLANGRAPH_*, NEO4J_*); ``state`` lets tests hand
    in an opened store."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.plangraph = state or open_state(settings)
        if state is None:
            app.state.plangraph.adhoc()  # the query workers start now, not on the first query
        front.state = app.state.plangraph  # hits are answered from now on
        try:
            yield
        finally:
            front.state = None
            if state is None:
                app.state.plangraph.close()
            else:
                state.close_pool()

    app = PlanGraphApp(
        title="PlanGraph",
        version=VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        routes=ROUTES,
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app)
    # hits answered in front of everything; the middleware inside CORS: a kept answer carries no one
    # client's CORS headers
    cache = ResponseCache(int(settings.cache_mb * 1024 * 1024))
    app.front = front = CacheFront(app, cache, cors=bool(settings.cors_origins))
    app.add_middleware(CacheMiddleware, front=front)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    app.add_middleware(LimitBody, limit=settings.max_body_bytes)
    return app


class PlanGraphApp(FastAPI):
    """The application, with :class:`api.cache.CacheFront` before FastAPI's own handling: a cached
    answer is sent without routing, dependencies or middleware."""

    front: CacheFront | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        front = self.front
        if front is None or not await front.answer(scope, send):
            await super().__call__(scope, receive, send)


class LimitBody:
    """Refuse a request body over ``limit`` bytes with 413, whether it says its length or comes chunked
    (a chunked body is read up to the limit before the app sees it)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.limit:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body over {self.limit} bytes (PLANGRAPH_MAX_BODY_BYTES)"
        await errors.problem(413, "too_large", detail, scope.get("path"))(scope, receive, send)
