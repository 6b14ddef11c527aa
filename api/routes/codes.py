"""The catalogue of message codes (:mod:`plangraph.codes`): what each error, warning and note means and what
to do about it, in English and Chinese. Read from the package, not the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from plangraph import codes
from plangraph.api.errors import problems
from plangraph.api.routing import OneTrip
from plangraph.api.schemas import MessageCode

router = APIRouter(route_class=OneTrip, tags=["meta"])


@router.get("/codes", operation_id="list_codes", response_model=list[MessageCode])
def list_codes() -> list[MessageCode]:
    """Every message code: errors (E…, also each problem document's ``error_code``), the parser's warnings
    (W…) and notes (I…), each with what it means and what to do, in English and Chinese."""
    return [MessageCode.model_validate(entry.as_dict()) for entry in codes.catalogue().values()]


@router.get(
    "/codes/{code}", operation_id="get_code", response_model=MessageCode, responses=problems(404, 422)
)
def get_code(
    code: Annotated[str, Path(description="a code, as in a message: E302, W301, I805", max_length=10)],
) -> MessageCode:
    """One message code: what it means and what to do about it; 404 ``unknown_code`` when there is none."""
    return MessageCode.model_validate(codes.explain(code).as_dict())
