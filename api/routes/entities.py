"""Bodies with their responsibilities, and named entities by type with their mentions."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Query

from plangraph.api import services
from plangraph.api.deps import Pages, State
from plangraph.api.errors import READS, problems
from plangraph.api.routing import Reading
from plangraph.api.schemas import Page

router = APIRouter(
    route_class=Reading,
    tags=["entities"],
    responses={**READS, **problems(404, 409)},
)
EntityType = Literal["body", "technology", "region", "document", "initiative"]
LABELS = {
    "body": "Body",
    "technology": "Technology",
    "region": "Region",
    "document": "Document",
    "initiative": "Initiative",
}


@router.get("/bodies", operation_id="list_bodies", response_model=Page)
def list_bodies(state: State, paging: Pages, q: str = Query("", max_length=100)) -> Page:
    """Organisations named in the loaded plans, most mentioned first (aliases folded)."""
    res = services.run(state, "entities", {"prefix": "body/", "q": q})
    return services.page(res, paging.limit, paging.offset, "Body")


@router.get("/bodies/{name}/responsibilities", operation_id="body_responsibilities", response_model=Page)
def body_responsibilities(
    state: State, paging: Pages, name: str = Path(max_length=100, examples=["国家发展改革委"])
) -> Page:
    """What a body is responsible for, with role (lead, coordinate, implement, supervise) and evidence."""
    body = services.find(state, name, {"Body"}, None, "name")
    res = services.run(state, "body_responsibilities", {"body": body.get("name") or body["title"]})
    return services.page(res, paging.limit, paging.offset)


@router.get("/entities/{type}", operation_id="list_entities", response_model=Page)
def list_entities(state: State, type: EntityType, paging: Pages, q: str = Query("", max_length=100)) -> Page:
    """Named entities of a type (technology, region, document, initiative, body), most mentioned first."""
    res = services.run(state, "entities", {"prefix": f"{type}/", "q": q})
    return services.page(res, paging.limit, paging.offset, LABELS[type])


@router.get("/entities/{type}/{name}/mentions", operation_id="entity_mentions", response_model=Page)
def entity_mentions(
    state: State, type: EntityType, paging: Pages, name: str = Path(max_length=100, examples=["区块链"])
) -> Page:
    """The elements whose own text names the entity, with the count of mentions."""
    entity = services.find(state, name, {LABELS[type]}, None, "name")
    res = services.run(state, "mentions", {"entity": entity["eid"]})
    return services.page(res, paging.limit, paging.offset)
