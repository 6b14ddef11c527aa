"""What routes call: run a canned query under the service's limits, shape rows into citable items,
resolve references (eid, ordinal or Chinese name fragment) and pick the plan."""

from __future__ import annotations

import csv
import difflib
import io
import math
import time
from typing import Any

from plangraph.api.errors import ApiError
from plangraph.api.schemas import Item, Page, Rows, Span
from plangraph.api.state import AppState
from plangraph.graph.corpus import held_ids
from plangraph.graph.stores import QueryResult
from plangraph.ingest.ids import label_of_eid
from plangraph.ingest.normalize import match_key
from plangraph.queries.library import get_query

SPAN_KEYS = ("char_start", "char_end", "line_start", "line_end")


def run(state: AppState, name: str, params: dict[str, Any]) -> QueryResult:
    """A canned query with its parameters checked, under the query's own row cap and the service's limits."""
    query = get_query(name)
    bound = query.bind(params)
    cap = min(query.max_rows, state.settings.max_rows)
    return state.store.read(query.cypher, bound, timeout_s=state.settings.query_timeout_s, max_rows=cap)


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


def to_item(row: dict[str, Any], label: str | None = None) -> Item:
    """A row about a node as an item: eid, labels, title, span, and the row's other columns."""
    eid = str(row.get("eid"))
    span = (
        Span(**{k: row.get(k) for k in SPAN_KEYS}) if any(row.get(k) is not None for k in SPAN_KEYS) else None
    )
    extra = {k: json_safe(v) for k, v in row.items() if k not in ("eid", "title", *SPAN_KEYS)}
    return Item(eid=eid, labels=[label or label_of_eid(eid)], title=row.get("title"), span=span, **extra)


def items(result: QueryResult, label: str | None = None) -> list[Item]:
    return [to_item(r, label) for r in result.records()]


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
    all_items = [to_item(r, label) for r in records]
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


def to_csv(result: QueryResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(result.columns)
    for r in result.rows:
        writer.writerow(["" if v is None else ";".join(map(str, v)) if isinstance(v, list) else v for v in r])
    return buf.getvalue()


def plan_ids(state: AppState, *, fresh: bool = False) -> list[str]:
    """The plans in the store, remembered for ``PLANGRAPH_PLAN_LIST_TTL_S`` (one query less per request);
    a load through this service forgets the list at once."""
    now = time.monotonic()
    cached = state.plan_list
    if not fresh and cached is not None and now - cached[0] < state.settings.plan_list_ttl_s:
        return cached[1]
    ids = held_ids(state.store)
    state.plan_list = (now, ids)
    return ids


def pick_plan(state: AppState, plan: str | None) -> str:
    """The plan a request is about: the one given, or the only one loaded."""
    known = plan_ids(state)
    if plan is not None and plan not in known:
        known = plan_ids(state, fresh=True)  # loaded by another process since the list was read?
    if plan is not None:
        if plan not in known:
            raise ApiError(404, "unknown_plan", f"no plan {plan!r} is loaded", valid=known)
        return plan
    if len(known) == 1:
        return known[0]
    if not known:
        raise ApiError(404, "unknown_plan", "no plan is loaded: load one (plangraph load, or POST /plans)")
    raise ApiError(422, "plan_required", "several plans are loaded: say which with ?plan=", valid=known)


def resolve(state: AppState, plan: str, ref: str, list_query: str, kind: str) -> dict[str, Any]:
    """A row of ``list_query`` named by ``ref``: an eid, a plan-relative eid (goal-3), an ordinal, or a
    fragment of the Chinese title (数字政府 → 数字政府建设水平全面提升). Ambiguous: 409 with the candidates;
    unknown: 404 with suggestions."""
    rows_ = run(state, list_query, {"plan": plan}).records()
    by_eid = {r["eid"]: r for r in rows_}
    for eid in (ref, f"{plan}/{ref}", f"{plan}/{kind.lower()}-{ref}"):
        if eid in by_eid:
            return by_eid[eid]
    if ref.isdigit():
        hits = [r for r in rows_ if r.get("ordinal") == int(ref)]
    else:
        key = match_key(ref)
        hits = [r for r in rows_ if key and key in match_key(r.get("title") or "")]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise ApiError(
            409,
            "ambiguous_reference",
            f"{kind} {ref!r} matches {len(hits)} {kind.lower()}s: give one of the candidates' eids",
            candidates=[_brief(r) for r in hits],
        )
    titles = {r.get("title") or "": r for r in rows_}
    close = difflib.get_close_matches(ref, list(titles), n=5, cutoff=0.2)
    if not close:
        shared = sorted(rows_, key=lambda r: -len(set(ref) & set(r.get("title") or "")))
        close = [r.get("title") or "" for r in shared[:5] if set(ref) & set(r.get("title") or "")]
    raise ApiError(
        404,
        "unknown_reference",
        f"no {kind.lower()} {ref!r} in plan {plan!r}",
        suggestions=[_brief(titles[t]) for t in close],
    )


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"eid": row["eid"], "title": row.get("title"), "ordinal": row.get("ordinal")}
