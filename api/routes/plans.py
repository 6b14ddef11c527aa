"""Plans: list, outline (:data:`router`), upload and reload (:data:`writes`: they need the token)."""

from __future__ import annotations

from fastapi import APIRouter

from plangraph.api import services
from plangraph.api.deps import Pages, State, WriteAccess
from plangraph.api.errors import READS, ApiError, problems
from plangraph.api.routing import OneTrip, Reading
from plangraph.api.schemas import Page, PlanLoaded, PlanUpload, Rows
from plangraph.ingest.models import PlanDocument, PlanMeta
from plangraph.ingest.pipeline import parse_bytes

router = APIRouter(route_class=Reading, prefix="/plans", tags=["plans"], responses=READS)
#: the writes: no read lock held (a load takes the write side, :meth:`api.state.AppState.install`)
writes = APIRouter(route_class=OneTrip, prefix="/plans", tags=["plans"], responses=READS)
WRITE = problems(400, 401, 403, 404, 409, 413, 500)


@router.get("", operation_id="list_plans", response_model=Page)
def list_plans(state: State, paging: Pages) -> Page:
    """Every loaded plan with its title, issuer, period and source sha256."""
    res = services.run(state, "plans", {})
    records = [{**r, "eid": r["plan_id"]} for r in res.records()]
    return services.page_records(records, res.truncated, paging.limit, paging.offset, "Plan")


@router.get(
    "/{plan_id}/outline",
    operation_id="plan_outline",
    response_model=Rows,
    responses=problems(404),
)
def outline(state: State, plan_id: str) -> Rows:
    """Parts and sections of a plan with what each means (Task, Goal, Measure …)."""
    services.pick_plan(state, plan_id)
    return services.rows(services.run(state, "plan_outline", {"plan": plan_id}), "plan_outline")


def _loaded(state: State, doc: PlanDocument) -> PlanLoaded:
    graph = state.install(doc)
    return PlanLoaded(
        plan_id=doc.plan.id,
        source_sha256=doc.source.sha256,
        nodes=graph.number_of_nodes(),
        relationships=graph.number_of_edges(),
        warnings=[str(w) for w in doc.warnings],
    )


def _parse_upload(state: State, body: PlanUpload) -> PlanDocument:
    data = body.text.encode("utf-8")
    if len(data) > state.settings.max_body_bytes:
        raise ApiError(
            413,
            "too_large",
            f"the plan text has {len(data)} bytes; the limit is "
            f"{state.settings.max_body_bytes} (PLANGRAPH_MAX_BODY_BYTES)",
        )
    meta = PlanMeta(id=body.plan_id, title=body.title, issuer=body.issuer, issued=body.issued)
    name = f"{body.plan_id}.{'html' if body.format == 'html' else 'txt'}"
    return parse_bytes(data, meta, name=name)


@writes.post("", operation_id="add_plan", response_model=PlanLoaded, status_code=201, responses=WRITE)
def add_plan(state: State, _: WriteAccess, body: PlanUpload) -> PlanLoaded:
    """Parse, validate and load a new plan atomically. A rejected upload leaves the store unchanged."""
    if body.plan_id in services.plan_ids(state):
        raise ApiError(409, "plan_exists", f"plan {body.plan_id!r} is loaded already: use its reload")
    return _loaded(state, _parse_upload(state, body))


@writes.post("/{plan_id}/reload", operation_id="reload_plan", response_model=PlanLoaded, responses=WRITE)
def reload_plan(state: State, _: WriteAccess, plan_id: str, body: PlanUpload | None = None) -> PlanLoaded:
    """Replace a plan with a new version (the text in the body). Readers see the old graph or the new
    one, never a mix; a failure keeps the old one. To re-read files, run ``plangraph add PATH`` (the
    service reads what the store holds)."""
    services.pick_plan(state, plan_id)
    if body is None:
        raise ApiError(
            422,
            "no_source",
            f"send plan {plan_id!r}'s new text in the body, or re-read its file with: plangraph add PATH",
        )
    if body.plan_id != plan_id:
        raise ApiError(422, "invalid_parameters", f"body plan_id {body.plan_id!r} ≠ path {plan_id!r}")
    return _loaded(state, _parse_upload(state, body))
