"""The one reference grammar: how a person names a plan's element or an entity, everywhere — API routes
(``/goals/5/tasks``, ``/nodes/…``, ``/paths``, ``/export?goal=``, ``/bodies/中央网信办/…``), canned-query
parameters (``plangraph query goal_tasks -p goal=5``, ``/queries/goal_tasks?goal=5``), exports
(``--goal``, ``--root``) and the Python API (:meth:`Resolver.for_store`).

A reference is tried, in this order, against what it may name (one label, several, or any node):

1. a full eid: ``informatization-14fyp/goal-5``, ``body/国家发展改革委``;
2. the end of an eid: ``goal-5``, ``task-4/subtask-2`` (a plan-relative eid);
3. a number: the ordinal (``5`` → goal 5; ``2`` names every second subtask, so it is ambiguous there);
4. a name: the title, name or an alias exactly (中央网信办 → 中央网络安全和信息化委员会办公室), else a
   fragment of one (数字政府 → 数字政府建设水平全面提升); compared by :func:`ingest.normalize.match_key`
   (full-width forms, variant glyphs, spaces).

The first step that matches anything decides: one match is the answer; several raise
:class:`AmbiguousReference` with the candidates (409 in the API); none at all raises
:class:`UnknownReference` with suggestions (the closest titles; 404). A plan that is not in the store
raises :class:`UnknownPlan`. Nothing that does not exist answers with an empty list.

>>> rows = [{"eid": "p/goal-5", "title": "数字政府建设水平全面提升", "ordinal": 5},
...         {"eid": "p/goal-6", "title": "数字社会建设", "ordinal": 6}]
>>> [pick(r, rows, labels={"Goal"})["eid"] for r in ("p/goal-5", "goal-5", "5", "数字政府")]
['p/goal-5', 'p/goal-5', 'p/goal-5', 'p/goal-5']
>>> pick("数字", rows, labels={"Goal"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
plangraph.graph.refs.AmbiguousReference: [E402] '数字' names 2 goals (p/goal-5, p/goal-6): give one of ...
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plangraph.graph.stores import QueryResult, Store
from plangraph.graph.stores.readback import PlanNotFound
from plangraph.ingest.errors import PlanGraphError
from plangraph.ingest.ids import label_of_eid, segments_of
from plangraph.ingest.normalize import match_key
from plangraph.queries.library import ReadLimits

Row = Mapping[str, Any]
#: runs a canned query by name with its parameters (under the caller's limits)
Reader = Callable[[str, dict[str, Any]], QueryResult]
#: the ids of the plans the store holds (``fresh``: not from a cache)
PlanLister = Callable[[bool], list[str]]

ENTITY_LABELS = frozenset({"Body", "Technology", "Region", "Document", "Initiative", "Metric"})


class UnknownReference(PlanGraphError):
    """E401: a reference that names nothing; ``suggestions`` lists the closest ones."""

    code = "E401"


class AmbiguousReference(PlanGraphError):
    """E402: a reference that names several things; ``candidates`` lists them."""

    code = "E402"


#: E403: a plan id the store does not hold (one class for the corpus service and the grammar)
UnknownPlan = PlanNotFound


class PlanRequired(PlanGraphError):
    """E404: the store holds several plans and the reference is relative: say which plan."""

    code = "E404"


@dataclass(frozen=True)
class Param:
    """What a canned-query parameter names: the labels it may name (None: any) and the column passed."""

    labels: frozenset[str] | None
    column: str = "eid"


#: canned-query parameters that are references (their values go through the grammar before binding)
REFERENCE_PARAMS: dict[str, Param] = {
    "goal": Param(frozenset({"Goal"})),
    "task": Param(frozenset({"Task"})),
    "eid": Param(None),
    "from": Param(None),
    "to": Param(None),
    "entity": Param(ENTITY_LABELS),
    "body": Param(frozenset({"Body"}), "name"),
    "technology": Param(frozenset({"Technology"}), "name"),
    "region": Param(frozenset({"Region"}), "name"),
}
#: canned-query parameters that are plan ids (checked against the plans the store holds)
PLAN_PARAMS = ("plan", "plan_a", "plan_b")


def label_of(ref: str) -> str | None:
    """The label a reference names if it is shaped like an eid, else None (``' OR 1=1``, ``p/no-such``)."""
    try:
        return label_of_eid(ref)
    except ValueError:
        return None


def _what(labels: Iterable[str] | None) -> str:
    names = sorted(labels) if labels else []
    return names[0].lower() if len(names) == 1 else "node"


def brief(row: Row) -> dict[str, Any]:
    """A candidate or suggestion as the errors list it."""
    return {"eid": row["eid"], "title": row.get("title"), "ordinal": row.get("ordinal")}


def _names(row: Row) -> list[str]:
    names = [row.get("title"), row.get("name"), *(row.get("aliases") or [])]
    return [k for k in (match_key(str(n)) for n in names if n) if k]


def pick(
    ref: str, rows: Iterable[Row], *, labels: Iterable[str] | None = None, where: str | None = None
) -> Row:
    """The one row of ``rows`` (each with ``eid``; ``title``, ``ordinal``, ``name``, ``aliases`` where it
    has them) that ``ref`` names, among those whose eid names one of ``labels`` (None: any)."""
    allowed = set(labels) if labels is not None else None
    cands = [r for r in rows if allowed is None or label_of(str(r["eid"])) in allowed]
    what = _what(allowed)
    ref = ref.strip()
    key = match_key(ref)
    tails = {f"{seg}-{ref}" for seg in segments_of(allowed or ())}
    steps: list[Callable[[Row], bool]] = [
        lambda r: r["eid"] == ref,
        lambda r: str(r["eid"]).endswith("/" + ref),
        lambda r: str(r["eid"]).rsplit("/", 1)[-1] in tails,  # goal-overall from "overall", goal-5 from "5"
    ]
    if ref.isdigit():
        steps.append(lambda r: r.get("ordinal") == int(ref))
    if key:
        steps.append(lambda r: key in _names(r))
        steps.append(lambda r: any(key in n for n in _names(r)))
    for step in steps:
        hits = [r for r in cands if step(r)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            eids = [str(r["eid"]) for r in hits]
            shown = ", ".join(eids[:6]) + (", …" if len(eids) > 6 else "")
            raise AmbiguousReference(
                f"{ref!r} names {len(hits)} {what}s ({shown}): give one of their eids",
                where=where,
                candidates=[brief(r) for r in hits],
            )
    close = suggest(ref, cands)
    hint = f"; did you mean: {', '.join(c['eid'] for c in close)}" if close else ""
    raise UnknownReference(f"no {what} {ref!r}{hint}", where=where, suggestions=close)


def suggest(ref: str, rows: Sequence[Row], n: int = 5) -> list[dict[str, Any]]:
    """The rows closest to ``ref``: by eid or title (difflib), else the titles sharing most characters."""
    by_text: dict[str, Row] = {}
    for r in rows:
        eid = str(r["eid"])
        by_text.setdefault(eid, r)
        by_text.setdefault(eid.split("/", 1)[-1], r)  # task-9 for a reference task-99
        if r.get("title"):
            by_text.setdefault(str(r["title"]), r)
    close = difflib.get_close_matches(ref, list(by_text), n=n, cutoff=0.5)
    if not close and len(rows) <= 2 * n:  # a few: all of them
        close = [str(r["eid"]) for r in rows]
    if not close:
        shared = sorted(rows, key=lambda r: -len(set(ref) & set(r.get("title") or "")))
        close = [str(r["eid"]) for r in shared[:n] if set(ref) & set(r.get("title") or "")]
    out: dict[str, dict[str, Any]] = {}
    for text in close:
        row = by_text[text]
        out.setdefault(str(row["eid"]), brief(row))
    return list(out.values())


def graph_rows(g: Any) -> list[dict[str, Any]]:
    """The nodes of a networkx plan graph as rows for :func:`pick`."""
    return [{"eid": n, **d} for n, d in sorted(g.nodes(data=True))]


@dataclass
class Resolver:
    """References resolved against a store, through ``read`` (a canned query under the caller's limits)
    and ``plans`` (the plan ids it holds). The API, the CLI and the Python API each make one."""

    read: Reader
    plans: PlanLister

    @classmethod
    def for_store(cls, store: Store, *, limits: ReadLimits | None = None) -> Resolver:
        """A resolver reading ``store`` directly (the CLI's and the Python API's), its lookups under
        ``limits``' time limit."""
        from plangraph.graph.corpus import held_ids
        from plangraph.queries.library import run_query

        def read(name: str, params: dict[str, Any]) -> QueryResult:
            return run_query(store, name, params, limits, internal=True)

        return cls(read, lambda fresh: held_ids(store))

    def plan(self, plan: str | None, *, where: str = "plan") -> str:
        """The plan meant: the one given (if the store holds it), or the only one it holds."""
        known = self.plans(False)
        if plan is not None and plan not in known:
            known = self.plans(True)  # added by another process since the list was read?
        if plan is not None:
            if plan not in known:
                raise UnknownPlan(f"the store holds no plan {plan!r}", where=where, valid=known)
            return plan
        if len(known) == 1:
            return known[0]
        if not known:
            raise UnknownPlan(
                "the store holds no plan: add one (plangraph add PATH, or POST /plans)", where=where, valid=[]
            )
        raise PlanRequired("the store holds several plans: say which (plan=…)", where=where, valid=known)

    def find(
        self,
        ref: str,
        labels: Iterable[str] | None = None,
        plan: str | None = None,
        *,
        where: str | None = None,
    ) -> Row:
        """The node ``ref`` names (a row with ``eid``, ``title``, ``ordinal`` …) among ``labels`` (None: any)
        in ``plan`` (None: the only plan, or a full eid) and the shared entities."""
        allowed = frozenset(labels) if labels is not None else None
        exact = self.read("node", {"eid": ref}).records() if "/" in ref else []
        if exact and (allowed is None or label_of(ref) in allowed):
            return exact[0]
        head = ref.partition("/")[0]
        if plan is None and "/" in ref and head in self.plans(False):
            plan = head  # a full eid of a plan the store holds: its own plan is the scope
        entity = "/" in ref and label_of(ref) in ENTITY_LABELS
        rows: list[Row] = []
        if allowed is None or allowed & ENTITY_LABELS:
            rows += self.read("entity_references", {}).records()
        if (allowed is None or allowed - ENTITY_LABELS) and not entity:
            rows += self.read("references", {"plan": self.plan(plan)}).records()
        return pick(ref, rows, labels=allowed, where=where)

    def params(self, names: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
        """Canned-query parameter ``values`` with every reference resolved and every plan id checked
        (``names``: the query's parameters; a ``plan`` value the query does not take scopes the
        references and is dropped)."""
        names = list(names)
        out = dict(values)
        scope = out.get("plan") if "plan" in names else out.pop("plan", None)
        if scope is not None and not isinstance(scope, str):
            scope = str(scope)
        for name in PLAN_PARAMS:
            if name in names and isinstance(out.get(name), str):
                self.plan(out[name], where=f"parameter {name}")
        for name, kind in REFERENCE_PARAMS.items():
            value = out.get(name)
            if name in names and isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)  # -p goal=5 reads as a number
            if name in names and isinstance(value, str):
                row = self.find(value, kind.labels, scope, where=f"parameter {name}")
                out[name] = row[kind.column] if row.get(kind.column) is not None else row["eid"]
        return out
