"""Build the knowledge graph of a parsed plan: a networkx ``MultiDiGraph`` that keeps the graph contract
of :mod:`graph.schema`.

What :func:`build_graph` adds, in this order (so the same document always gives the same graph, insertion
order included):

1. the document tree, in document order: one node per element (the Plan, Parts, Sections, Goals, Tasks,
   专栏 …) with its provenance (plan id, source sha256, character and line span);
2. structural edges: every element is held by its parent in the tree (``Plan HAS_PART Part HAS_SECTION
   Section HAS_GOAL Goal``, ``Task HAS_SUBTASK``, ``Task HAS_COLUMN``, ``Column HAS_ITEM`` …), and the
   Plan also holds every plan-level member (Achievement, Goal, Indicator, Principle, Direction, Task, Action,
   Measure) directly, wherever it is nested; ``Column FOLLOWS`` the element it is placed after;
3. the shared entities (Body, Technology, Region, Document, Initiative), sorted by eid, and ``MENTIONS``
   from each element to each entity it names in its own text (count, surfaces and spans as parallel lists);
4. ``RESPONSIBLE_FOR`` from a Body to the element whose text makes it responsible (role, cue, evidence);
5. unless ``infer=False``: ``SERVES`` and ``MEASURES`` inferred by :mod:`graph.infer`, with the curated
   overrides of a ``links.yaml`` applied on top when one is given (:func:`graph_for_source` uses the one
   beside the source file).

>>> from plangraph.ingest.pipeline import parse_file
>>> g = build_graph(parse_file("data/plans/informatization-14fyp/source.txt"))  # doctest: +SKIP
>>> g.nodes["informatization-14fyp/task-1"]["label"]  # doctest: +SKIP
'Task'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from plangraph.graph.schema import ENTITIES, HAS_REL, MEMBERS, NODE_LABELS, PLAN, REL_TYPES
from plangraph.graph.warnings import to_property as warnings_property
from plangraph.ingest.lexicon import load_lexicon
from plangraph.ingest.models import Element, EntityKind, Kind, Mention, PlanDocument, Responsibility, Role

#: Strongest first: the role an edge shows when a body has several roles for one element.
ROLE_ORDER = (Role.LEAD, Role.COORDINATE, Role.SUPERVISE, Role.IMPLEMENT)


class GraphBuildError(Exception):
    """The document has a shape the schema does not allow (a parser/schema mismatch): a bug, so not a
    :class:`ingest.errors.PlanGraphError` (it keeps its traceback)."""


def entity_eid(kind: EntityKind | str, name: str) -> str:
    """The eid of a shared entity node.

    >>> entity_eid(EntityKind.BODY, "国家发展改革委")
    'body/国家发展改革委'
    """
    return f"{str(kind).lower()}/{name}"


def plan_meta(doc: PlanDocument) -> dict[str, Any]:
    """The plan's metadata as the JSON export's ``plan`` object (no nulls)."""
    return plan_meta_of(element_props(doc.root, doc))


def plan_meta_of(props: dict[str, Any]) -> dict[str, Any]:
    """The JSON export's ``plan`` object from the Plan node's properties (built here or read from a
    store: the same properties give the same object)."""
    start, end = props.get("period_start"), props.get("period_end")
    source = {
        "path": props.get("source_path"),
        "sha256": props.get("source_sha256"),
        "format": props.get("source_format"),
        "encoding": props.get("source_encoding"),
        "chars": props.get("source_chars"),
        "lines": props.get("source_lines"),
    }
    meta: dict[str, Any] = {
        "id": props["eid"],
        "title": props.get("title"),
        "title_en": props.get("title_en"),
        "issuer": props.get("issuer"),
        "issued": props.get("issued"),
        "period": [start, end] if start is not None and end is not None else None,
        "language": props.get("language"),
        "note": props.get("note"),
        "source": {k: v for k, v in source.items() if v is not None},
        "abridged": props.get("abridged"),
        "complete": props.get("complete"),
    }
    return {k: v for k, v in meta.items() if v is not None}


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Drop nulls and empty strings (absent means null in the contract)."""
    return {k: v for k, v in props.items() if v is not None and v != ""}


def element_props(e: Element, doc: PlanDocument) -> dict[str, Any]:
    """The node properties of one element (``label`` not included)."""
    props: dict[str, Any] = {
        "eid": e.eid,
        "plan_id": doc.plan.id,
        "title": e.title,
        "ordinal": e.ordinal,
        "text": e.text,
        "source_sha256": doc.source.sha256,
        "char_start": e.span.char_start,
        "char_end": e.span.char_end,
        "line_start": e.span.line_start,
        "line_end": e.span.line_end,
        "page": e.span.page,
        "page_end": e.span.page_end,
    }
    label = NODE_LABELS[e.kind.value]
    names = set(label.prop_names)
    if "lead" in names:
        props.update(lead=e.lead, marker=e.marker, meaning_source=e.meaning_source)
    if "meaning" in names:
        props["meaning"] = e.meaning
    if "year" in names:
        props["year"] = e.year
    if e.kind == Kind.PLAN:
        period = doc.plan.period or (None, None)
        props.update(
            title_en=doc.plan.title_en,
            issuer=doc.plan.issuer,
            issued=doc.plan.issued,
            period_start=period[0],
            period_end=period[1],
            language=doc.plan.language,
            note=doc.plan.note,
            source_path=doc.source.path,
            source_format=doc.source.format,
            source_encoding=doc.source.encoding,
            source_chars=doc.source.chars,
            source_lines=doc.source.lines,
            source_pages=doc.source.pages,
            doc_number=doc.plan.doc_number,
            abridged=doc.abridged,
            complete=doc.complete,
            source_text=doc.source.text or None,
            warnings=warnings_property(doc),
        )
    if e.indicator is not None:
        values = e.indicator.model_dump()
        targets = values.pop("targets", ()) or ()
        props.update(values)
        if targets:  # several target years: parallel lists (year, value as written)
            props["target_years"] = [int(y) for y, _ in targets]
            props["target_values"] = [str(v) for _, v in targets]
    table = e.table  # TableValues of a Table element
    if table is not None:
        rows = [list(r) for r in table.rows]
        props.update(
            caption=table.caption,
            header=list(table.header),
            rows=json.dumps(rows, ensure_ascii=False),
            row_count=len(rows),
            column_count=max([len(table.header), *(len(r) for r in rows)]),
            note=table.note,
        )
    return _clean(props)


def _add_edge(g: nx.MultiDiGraph, u: str, v: str, rel: str, **props: Any) -> None:
    pair = (g.nodes[u]["label"], g.nodes[v]["label"])
    if pair not in REL_TYPES[rel].endpoints:
        raise GraphBuildError(f"{u} -[{rel}]-> {v}: ({pair[0]}, {pair[1]}) is not allowed by the schema")
    g.add_edge(u, v, key=rel, type=rel, **_clean(props))


def _tree(doc: PlanDocument) -> list[tuple[Element, Element | None, Element | None]]:
    """(element, tree parent, nearest Part/Section) in document order."""
    out: list[tuple[Element, Element | None, Element | None]] = []

    def visit(e: Element, parent: Element | None, container: Element | None) -> None:
        out.append((e, parent, container))
        inner = e if e.kind in (Kind.PART, Kind.SECTION) else container
        for c in e.children:
            visit(c, e, inner)

    visit(doc.root, None, None)
    return out


def add_document(g: nx.MultiDiGraph, doc: PlanDocument) -> None:
    """Nodes and structural edges of one plan's document tree (steps 1–2)."""
    tree = _tree(doc)
    for e, _, _ in tree:
        if e.eid in g:
            raise GraphBuildError(f"duplicate eid {e.eid!r} (is the plan id used twice?)")
        g.add_node(e.eid, label=e.kind.value, **element_props(e, doc))
    plan = doc.root.eid
    for e, parent, _ in tree:
        if parent is None:
            continue
        rel = HAS_REL.get(e.kind.value)
        if rel is None:
            raise GraphBuildError(f"{e.eid}: no relationship holds a {e.kind.value}")
        _add_edge(g, parent.eid, e.eid, rel)
        if e.kind.value in MEMBERS and parent.eid != plan:
            _add_edge(g, plan, e.eid, rel)
    for e, _, _ in tree:
        if e.follows is not None and e.follows in g:
            _add_edge(g, e.eid, e.follows, "FOLLOWS")


def entity_props(kind: EntityKind, name: str) -> dict[str, Any]:
    """Properties of a shared entity node, from the curated lexicon (Document: the cited title)."""
    entry = load_lexicon().entry(kind, name)
    attrs = dict(entry.attrs) if entry is not None else {}
    props = _clean(
        {
            "eid": entity_eid(kind, name),
            "title": name,
            "name": name,
            "aliases": sorted(entry.aliases) if entry is not None else [],
            "category": attrs.get("category") or attrs.get("level"),
        }
    )
    return {"eid": props.pop("eid"), "plan_id": "", **props}


def _mention_props(ms: list[Mention]) -> dict[str, Any]:
    return {
        "count": len(ms),
        "surfaces": [m.surface for m in ms],
        "char_starts": [m.span.char_start for m in ms],
        "char_ends": [m.span.char_end for m in ms],
        "line_starts": [m.span.line_start for m in ms],
        "line_ends": [m.span.line_end for m in ms],
    }


def _responsibility_props(rs: list[Responsibility]) -> dict[str, Any]:
    roles = sorted({r.role for r in rs}, key=ROLE_ORDER.index)
    first = next(r for r in rs if r.role == roles[0])
    return {
        "role": first.role.value,
        "roles": [r.value for r in roles],
        "cue": first.cue,
        "evidence": first.evidence,
        "count": len(rs),
        "char_start": first.span.char_start,
        "char_end": first.span.char_end,
        "line_start": first.span.line_start,
        "line_end": first.span.line_end,
    }


def add_entities(g: nx.MultiDiGraph, doc: PlanDocument) -> None:
    """Shared entity nodes, MENTIONS and RESPONSIBLE_FOR (steps 3–4)."""
    elements = [e for e, _, _ in _tree(doc)]
    wanted: set[tuple[EntityKind, str]] = set()
    for e in elements:
        wanted.update((m.kind, m.name) for m in e.mentions)
        wanted.update((EntityKind.BODY, r.body) for r in e.responsibilities)
    for kind, name in sorted(wanted, key=lambda kn: entity_eid(*kn)):
        eid = entity_eid(kind, name)
        if eid not in g:
            g.add_node(eid, label=kind.value, **entity_props(kind, name))
    for e in elements:
        by_entity: dict[str, list[Mention]] = {}
        for m in sorted(e.mentions, key=lambda m: (m.span.char_start, m.span.char_end)):
            by_entity.setdefault(entity_eid(m.kind, m.name), []).append(m)
        for eid in sorted(by_entity):
            _add_edge(g, e.eid, eid, "MENTIONS", **_mention_props(by_entity[eid]))
    for e in elements:
        by_body: dict[str, list[Responsibility]] = {}
        for r in sorted(e.responsibilities, key=lambda r: (r.span.char_start, r.span.char_end)):
            by_body.setdefault(entity_eid(EntityKind.BODY, r.body), []).append(r)
        for eid in sorted(by_body):
            _add_edge(g, eid, e.eid, "RESPONSIBLE_FOR", **_responsibility_props(by_body[eid]))


LINKS_FILE = "links.yaml"


def links_beside(source: Path) -> Path | None:
    """The curated overrides file beside a plan's source file (``links.yaml``), if there is one."""
    path = (source if source.is_dir() else source.parent) / LINKS_FILE
    return path if path.is_file() else None


def build_graph(doc: PlanDocument, *, infer: bool = True, links: Path | None = None) -> nx.MultiDiGraph:
    """The knowledge graph of one plan.

    Parameters
    ----------
    doc : the parsed plan.
    infer : add the inferred ``SERVES`` and ``MEASURES`` edges (:mod:`graph.infer`).
    links : a curated overrides file (``links.yaml``, see :func:`graph.infer.load_curation`) applied on top of
        the inference; :func:`graph_for_source` finds the one beside the source file.

    ``g.graph["plans"]`` maps the plan id to its metadata (:func:`plan_meta`).
    """
    g = nx.MultiDiGraph()
    add_plan(g, doc, infer=infer, links=links)
    return g


def add_metrics(g: nx.MultiDiGraph, plan_id: str, *, curated: bool = True) -> None:
    """The shared Metric of each indicator (:func:`graph.crossplan.add_metrics`); ``curated=False``
    leaves the curated mapping out (name and unit only)."""
    from plangraph.graph.crossplan import add_metrics as link_metrics

    link_metrics(g, plan_id, curated=curated)


def add_plan(
    g: nx.MultiDiGraph,
    doc: PlanDocument,
    *,
    infer: bool = True,
    links: Path | None = None,
    curated: bool = True,
) -> None:
    """Add one plan to ``g`` (entity and metric nodes are shared with the plans already in it);
    ``curated=False``: no curated data at all (the metrics mapping left out too, besides ``links``)."""
    g.graph.setdefault("plans", {})[doc.plan.id] = plan_meta(doc)
    add_document(g, doc)
    add_entities(g, doc)
    add_metrics(g, doc.plan.id, curated=curated)
    if infer:
        from plangraph.graph.infer import add_links

        add_links(g, doc, links=links)


def build_many(
    docs: Iterable[PlanDocument], *, infer: bool = True, links: Mapping[str, Path] | None = None
) -> nx.MultiDiGraph:
    """One graph of several plans; entities (a Body, a Technology …) are one node shared by all of them.

    Plans are added in the order given; their ids must differ. ``links`` maps a plan id to its curated
    overrides file.
    """
    g = nx.MultiDiGraph()
    for doc in docs:
        add_plan(g, doc, infer=infer, links=(links or {}).get(doc.plan.id))
    return g


def graph_for_source(
    source: Path, *, plan_id: str | None = None, infer: bool = True, curated: bool = True
) -> nx.MultiDiGraph:
    """Parse a plan file (or a plan directory's ``source.*``) and build its graph, with the ``links.yaml``
    beside it unless ``curated=False`` (through the corpus service, :func:`graph.corpus.graph_for_source`)."""
    from plangraph.graph.corpus import Options
    from plangraph.graph.corpus import graph_for_source as through_corpus

    return through_corpus(source, Options(plan_id=plan_id, infer=infer, curated=curated))


def plan_of(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The metadata of the (single) plan in ``g``; for several plans, ``{"plans": [...]}``."""
    plans = g.graph.get("plans", {})
    if len(plans) == 1:
        return dict(next(iter(plans.values())))
    return {"plans": [plans[k] for k in sorted(plans)]}


__all__ = [
    "ENTITIES",
    "PLAN",
    "GraphBuildError",
    "add_plan",
    "build_graph",
    "build_many",
    "entity_eid",
    "graph_for_source",
    "links_beside",
    "plan_of",
]
