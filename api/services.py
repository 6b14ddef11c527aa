"""What routes call: run a canned query under the service's limits, shape rows into citable items,
resolve references (eid, ordinal or Chinese name fragment) and pick the plan."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any, TypeVar

from plangraph.api.schemas import Item, Page, Rows, Span
from plangraph.api.state import AppState
from plangraph.api.timing import store_call
from plangraph.graph import tabular
from plangraph.graph.corpus import held_ids
from plangraph.graph.refs import Resolver
from plangraph.graph.stores import QueryResult
from plangraph.ingest.ids import label_of_eid
from plangraph.queries.library import run_query

SPAN_KEYS = ("char_start", "char_end", "line_start", "line_end")
ItemT = TypeVar("ItemT", bound=Item)  # the response model of a row about a node (Item or a subclass)


def run(state: AppState, name: str, params: dict[str, Any], *, internal: bool = False) -> QueryResult:
    """A canned query under the service's limits (``internal``: a lookup of the service's own, such as a
    reference's candidates, not capped by PLANGRAPH_MAX_ROWS)."""
    with store_call():
        return run_query(state.store, name, params, state.settings.read_limits(), internal=internal)


def json_safe(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return str(value)


def to_item(row: dict[str, Any], label: str | None = None, model: type[ItemT] = Item) -> ItemT:  # type: ignore[assignment]
    """A row about a node as an item (``model``: Item or a subclass documenting the query's columns): eid,
    labels, title, span, and the row's other columns."""
    eid = str(row.get("eid"))
    span = (
        Span(**{k: row.get(k) for k in SPAN_KEYS}) if any(row.get(k) is not None for k in SPAN_KEYS) else None
    )
    extra = {k: json_safe(v) for k, v in row.items() if k not in ("eid", "title", *SPAN_KEYS)}
    return model(eid=eid, labels=[label or label_of_eid(eid)], title=row.get("title"), span=span, **extra)


def items(result: QueryResult, label: str | None = None) -> list[Item]:
    return [to_item(r, label) for r in result.records()]


def items_as(result: QueryResult, label: str, model: type[ItemT]) -> list[ItemT]:
    """The rows as ``model`` items (a subclass of Item documenting the query's columns)."""
    return [to_item(r, label, model) for r in result.records()]


def page(result: QueryResult, limit: int, offset: int, label: str | None = None) -> Page:
    return page_records(result.records(), result.truncated, limit, offset, label)


def plan_page(
    state: AppState, name: str, plan: str, limit: int, offset: int, label: str | None = None
) -> Page:
    """A page of a canned query whose one parameter is the plan."""
    return page(run(state, name, {"plan": plan}), limit, offset, label)


def page_records(
    records: list[dict[str, Any]], truncated: bool, limit: int, offset: int, label: str | None = None
) -> Page:
    """A page of rows already reshaped by a route (each with an ``eid``)."""
    all_items: list[Item] = [to_item(r, label) for r in records]
    return Page(
        items=all_items[offset : offset + limit],
        total=len(all_items),
        limit=limit,
        offset=offset,
        truncated=truncated,
    )


def rows(result: QueryResult, name: str | None = None) -> Rows:
    return Rows(
        query=name,
        columns=result.columns,
        rows=[[json_safe(v) for v in r] for r in result.rows],
        row_count=len(result.rows),
        truncated=result.truncated,
    )


def to_csv(result: QueryResult, *, bom: bool = False) -> str:
    return tabular.to_csv(result.columns, result.rows, bom=bom)


def known_plans(state: AppState) -> list[str] | None:
    """The plans in the store as last read, while that is younger than ``PLANGRAPH_PLAN_LIST_TTL_S``;
    None when the store must be asked."""
    cached = state.plan_list
    if cached is not None and time.monotonic() - cached[0] < state.settings.plan_list_ttl_s:
        return cached[1]
    return None


def plan_ids(state: AppState, *, fresh: bool = False) -> list[str]:
    """The plans in the store, remembered for ``PLANGRAPH_PLAN_LIST_TTL_S`` (one query less per request);
    a load through this service forgets the list at once."""
    known = None if fresh else known_plans(state)
    if known is not None:
        return known
    ids = held_ids(state.store)
    state.plan_list = (time.monotonic(), ids)
    return ids


def resolver(state: AppState) -> Resolver:
    """The reference grammar (:mod:`graph.refs`) on the service's store, under its time limit; the plan
    list comes from :func:`plan_ids`."""
    return Resolver(
        lambda name, params: run(state, name, params, internal=True),
        lambda fresh: plan_ids(state, fresh=fresh),
    )


def pick_plan(state: AppState, plan: str | None) -> str:
    """The plan a request is about: the one given, or the only one loaded."""
    return resolver(state).plan(plan)


def find(
    state: AppState, ref: str, labels: Iterable[str] | None, plan: str | None, where: str
) -> dict[str, Any]:
    """The row of the node ``ref`` names (:mod:`graph.refs`: 409 with candidates, 404 with suggestions)."""
    return dict(resolver(state).find(ref, labels, plan, where=where))
