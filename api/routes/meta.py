"""Health and version."""

from __future__ import annotations

from fastapi import APIRouter

from plangraph.api import services
from plangraph.api.deps import State
from plangraph.api.errors import problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import Health, Version

router = APIRouter(route_class=Reading, tags=["meta"])


@router.get("/health", operation_id="health", response_model=Health, responses=problems(503, 504))
def health(state: State) -> Health:
    """Is the store answering (one trivial query)? 503 (problem+json) when it is not. ``plans`` lists the
    plans the store holds."""
    services.run(state, "ping", {})
    return Health(status="ok", store=state.store.kind, plans=services.plan_ids(state, fresh=True))


@router.get("/version", operation_id="version", response_model=Version)
def version(state: State) -> Version:
    """The service version, the store in use and each plan's id, source sha256 and load time."""
    return Version(**state.version())
