"""The graph schema: node labels, relationship types, their properties and the uniqueness constraints.

This module is the single source of the schema. The networkx builder (:mod:`graph.build`), the exports
(:mod:`graph.export`), the stores (:mod:`graph.stores`, Ladybug DDL and Neo4j constraints) and
``docs/schema.md`` are all derived from the tables here.

The graph contract (what :func:`graph.build.build_graph` returns and every consumer may rely on):

- a ``networkx.MultiDiGraph``; each node id is the node's ``eid``;
- node attributes are ``{"label": <one label>, **properties}``, every property declared for that label
  with the declared type; a property whose value is null is *absent* (never ``None``);
- each edge key is the relationship type, so there is at most one edge of a type between two nodes;
  edge attributes are ``{"type": T, **properties}``, the pair ``(label(u), label(v))`` is one of
  ``REL_TYPES[T].endpoints``;
- property values are scalars (str, int, float, bool) or lists of str/int, never dicts or None.

Types: ``STRING``, ``INT64``, ``DOUBLE``, ``BOOLEAN``, ``STRING[]``, ``INT64[]`` (names as in Ladybug/Kùzu
DDL; Neo4j stores the same values natively).

>>> NODE_LABELS["Task"].prop("eid").type
'STRING'
>>> ("Column", "Subtask") in REL_TYPES["FOLLOWS"].endpoints
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

TYPES = ("STRING", "INT64", "DOUBLE", "BOOLEAN", "STRING[]", "INT64[]")


@dataclass(frozen=True)
class Prop:
    """A property: its name and type (one of :data:`TYPES`)."""

    name: str
    type: str


@dataclass(frozen=True)
class NodeLabel:
    """A node label and its properties (``eid`` first: the unique key)."""

    name: str
    props: tuple[Prop, ...]

    def prop(self, name: str) -> Prop:
        for p in self.props:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no property {name!r}")

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


@dataclass(frozen=True)
class RelType:
    """A relationship type, every (from label, to label) pair it may join, and its properties."""

    name: str
    endpoints: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...]

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


def _p(spec: str) -> tuple[Prop, ...]:
    """``"a:STRING b:INT64"`` → props."""
    out = []
    for item in spec.split():
        name, typ = item.split(":")
        assert typ in TYPES, typ
        out.append(Prop(name, typ))
    return tuple(out)


KEY = "eid"

# -- node labels ------------------------------------------------------------------------------------
#: Properties every node has (entity nodes: plan_id "", title = name, no text and no span).
COMMON = _p(
    "eid:STRING plan_id:STRING title:STRING ordinal:INT64 text:STRING source_sha256:STRING "
    "char_start:INT64 char_end:INT64 line_start:INT64 line_end:INT64 page:INT64 page_end:INT64"
)
#: Properties of every element of a plan below the Plan node.
ELEMENT = _p("lead:STRING marker:STRING meaning_source:STRING")

PLAN = "Plan"
STRUCTURE = ("Part", "Section")
MEMBERS = ("Achievement", "Goal", "Indicator", "Principle", "Direction", "Task", "Action", "Measure")
NESTED = ("Subtask", "Column", "ColumnItem", "ActionItem", "Target")
#: A table that holds no indicators (an investment table, a 表N of other content), kept with its rows.
TABLES = ("Table",)
ENTITIES = ("Body", "Technology", "Region", "Document", "Initiative")
#: A measure that indicators of several plans share (same normalised name and unit, or a curated mapping):
#: shared like the entities, ``plan_id = ""``, one node however many plans name it.
METRIC = "Metric"
#: Labels of the nodes plans share (``plan_id = ""``): the entities and the metrics.
SHARED = (*ENTITIES, METRIC)
#: Labels of the nodes of one plan's document tree (everything but the shared entities).
DOCUMENT_LABELS = (PLAN, *STRUCTURE, *MEMBERS, *NESTED, *TABLES)

_EXTRA: dict[str, tuple[Prop, ...]] = {
    # source_text: the original text every span of the plan indexes (PDF and Word: the text extracted from
    # the file); warnings: the parser's warnings, a JSON array of {code, message, line, page, column, eid}
    # (graph/warnings.py)
    "Plan": _p(
        "title_en:STRING issuer:STRING issued:STRING period_start:INT64 period_end:INT64 "
        "language:STRING note:STRING source_path:STRING source_format:STRING source_encoding:STRING "
        "source_chars:INT64 source_lines:INT64 source_pages:INT64 doc_number:STRING abridged:BOOLEAN "
        "complete:BOOLEAN source_text:STRING warnings:STRING"
    ),
    "Part": _p("meaning:STRING"),
    "Section": _p("meaning:STRING"),
    "Goal": _p("year:INT64"),
    "Target": _p("year:INT64"),
    "Indicator": _p(
        "category:STRING unit:STRING baseline_value:STRING baseline_year:INT64 "
        "target_value:STRING target_year:INT64 attribute:STRING cumulative:BOOLEAN note:STRING "
        "baseline_number:DOUBLE target_number:DOUBLE target_years:INT64[] target_values:STRING[] "
        "actual_value:STRING actual_year:INT64 actual_number:DOUBLE"
    ),
    # rows: the rows of cells as a JSON array of arrays of strings (stores keep flat properties)
    "Table": _p("caption:STRING header:STRING[] rows:STRING row_count:INT64 column_count:INT64 note:STRING"),
}
_ENTITY = _p("name:STRING aliases:STRING[] category:STRING")
_METRIC = _p("name:STRING unit:STRING aliases:STRING[]")


def _label(name: str) -> NodeLabel:
    if name in ENTITIES:
        return NodeLabel(name, COMMON + _ENTITY)
    if name == METRIC:
        return NodeLabel(name, COMMON + _METRIC)
    if name == PLAN:
        return NodeLabel(name, COMMON + _EXTRA[name])
    return NodeLabel(name, COMMON + ELEMENT + _EXTRA.get(name, ()))


NODE_LABELS: dict[str, NodeLabel] = {name: _label(name) for name in (*DOCUMENT_LABELS, *ENTITIES, METRIC)}

# -- relationship types -----------------------------------------------------------------------------
_CONTAINERS = ("Part", "Section")
#: Kinds a Column may follow (the element just before the 专栏 box in its container or member).
_FOLLOWED = ("Subtask", "ActionItem", "Section", *MEMBERS)
INFERRED = _p(
    "score:DOUBLE rank:INT64 method:STRING evidence:STRING terms:STRING[] source:STRING note:STRING "
    "confidence:STRING"
)

#: The member kind → the relationship type its container uses.
HAS_REL: dict[str, str] = {
    "Part": "HAS_PART",
    "Section": "HAS_SECTION",
    "Achievement": "HAS_ACHIEVEMENT",
    "Goal": "HAS_GOAL",
    "Indicator": "HAS_INDICATOR",
    "Principle": "HAS_PRINCIPLE",
    "Direction": "HAS_DIRECTION",
    "Task": "HAS_TASK",
    "Action": "HAS_ACTION",
    "Measure": "HAS_MEASURE",
    "Subtask": "HAS_SUBTASK",
    "Column": "HAS_COLUMN",
    "ColumnItem": "HAS_ITEM",
    "ActionItem": "HAS_ITEM",
    "Target": "HAS_TARGET",
    "Table": "HAS_TABLE",
}


#: Elements whose body may hold a table (an indicator table or another), besides the Plan, Parts, Sections.
_TABLE_HOLDERS = ("Task", "Subtask", "Action", "Measure", "Column")


def _member_rel(member: str) -> tuple[tuple[str, str], ...]:
    """A plan-level member is held by the Plan (shortcut) and by the Part or Section that contains it; an
    Indicator also by the element whose body holds its table."""
    holders = _TABLE_HOLDERS if member == "Indicator" else ()
    return tuple((src, member) for src in (PLAN, *_CONTAINERS, *holders))


def _rel(name: str, endpoints: Iterable[tuple[str, str]], props: tuple[Prop, ...] = ()) -> RelType:
    return RelType(name, tuple(endpoints), props)


_RELS = (
    _rel("HAS_PART", [(PLAN, "Part")]),
    _rel("HAS_SECTION", [("Part", "Section"), ("Section", "Section")]),
    *(_rel(HAS_REL[m], _member_rel(m)) for m in MEMBERS),
    _rel("HAS_SUBTASK", [("Task", "Subtask")]),
    _rel("HAS_COLUMN", [(src, "Column") for src in (PLAN, *_CONTAINERS, "Task", "Action", "Measure")]),
    _rel("HAS_ITEM", [("Column", "ColumnItem"), ("Action", "ActionItem")]),
    _rel("HAS_TARGET", [("Action", "Target")]),
    _rel("HAS_TABLE", [(src, "Table") for src in (PLAN, *_CONTAINERS, *_TABLE_HOLDERS)]),
    _rel("FOLLOWS", [("Column", dst) for dst in _FOLLOWED]),
    _rel("SERVES", [(src, "Goal") for src in ("Task", "Subtask", "Column", "Action")], INFERRED),
    _rel("MEASURES", [("Indicator", "Goal")], INFERRED),
    _rel(
        "RESPONSIBLE_FOR",
        [("Body", dst) for dst in DOCUMENT_LABELS],
        _p(
            "role:STRING roles:STRING[] cue:STRING evidence:STRING count:INT64 "
            "char_start:INT64 char_end:INT64 line_start:INT64 line_end:INT64"
        ),
    ),
    _rel(
        "MENTIONS",
        [(src, dst) for src in DOCUMENT_LABELS for dst in ENTITIES],
        _p(
            "count:INT64 surfaces:STRING[] char_starts:INT64[] char_ends:INT64[] "
            "line_starts:INT64[] line_ends:INT64[]"
        ),
    ),
    # across plans: an indicator and the measure it shares with other plans' indicators; an element that
    # cites (《…》) another plan in the store (written by graph.crossplan, evidence: the citing sentence)
    _rel("OF_METRIC", [("Indicator", METRIC)], INFERRED),
    _rel("CITES", [(src, PLAN) for src in DOCUMENT_LABELS], INFERRED),
)
REL_TYPES: dict[str, RelType] = {r.name: r for r in _RELS}

#: Structural relationship types (the document tree and its shortcuts), in the order of HAS_REL.
STRUCTURAL = tuple(dict.fromkeys(HAS_REL.values()))
#: Relationship types that are inferred (or curated) rather than read from the document tree.
SEMANTIC = ("SERVES", "MEASURES")


# -- constraints ------------------------------------------------------------------------------------
def constraint_name(label: str) -> str:
    """The name of a label's uniqueness constraint.

    >>> constraint_name("ColumnItem")
    'columnitem_eid'
    """
    return f"{label.lower()}_{KEY}"


def neo4j_constraints() -> list[str]:
    """One uniqueness constraint on ``eid`` per label (re-runnable: ``IF NOT EXISTS``).

    >>> neo4j_constraints()[0]
    'CREATE CONSTRAINT plan_eid IF NOT EXISTS FOR (n:Plan) REQUIRE n.eid IS UNIQUE'
    """
    return [
        f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{KEY} IS UNIQUE"
        for label in NODE_LABELS
    ]


def quote(name: str) -> str:
    """A label, type or property name, backquoted (``Column`` is a reserved word in Ladybug)."""
    return "`" + name.replace("`", "``") + "`"


def ladybug_ddl() -> list[str]:
    """``CREATE … TABLE IF NOT EXISTS`` for every label and relationship type, every name backquoted."""
    out = []
    for label in NODE_LABELS.values():
        cols = ", ".join(f"{quote(p.name)} {p.type}" for p in label.props)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {quote(label.name)}({cols}, PRIMARY KEY ({quote(KEY)}))")
    for rel in REL_TYPES.values():
        parts = [f"FROM {quote(a)} TO {quote(b)}" for a, b in rel.endpoints]
        parts += [f"{quote(p.name)} {p.type}" for p in rel.props]
        out.append(f"CREATE REL TABLE IF NOT EXISTS {quote(rel.name)}({', '.join(parts)})")
    return out


# -- validation -------------------------------------------------------------------------------------
def _type_ok(value: Any, typ: str) -> bool:
    if typ == "STRING":
        return isinstance(value, str)
    if typ == "INT64":
        return isinstance(value, int) and not isinstance(value, bool)
    if typ == "DOUBLE":
        return isinstance(value, float | int) and not isinstance(value, bool)
    if typ == "BOOLEAN":
        return isinstance(value, bool)
    inner = typ[:-2]
    return isinstance(value, list) and all(_type_ok(v, inner) for v in value)


def _prop_problems(
    where: str, owner: str, props: tuple[Prop, ...], attrs: dict[str, Any], skip: str
) -> list[str]:
    """Attributes that are not declared properties of ``owner``, or not of their declared type."""
    declared = {p.name: p.type for p in props}
    out = []
    for k, v in attrs.items():
        if k == skip:
            continue
        if k not in declared:
            out.append(f"{where}: {k!r} is not a property of {owner}")
        elif not _type_ok(v, declared[k]):
            out.append(f"{where}: {k}={v!r} is not {declared[k]}")
    return out


def check_graph(g: nx.MultiDiGraph) -> list[str]:
    """Every way ``g`` breaks the graph contract (empty when it keeps it).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", label="Plan", eid="p")
    >>> check_graph(g)
    []
    >>> g.add_edge("p", "p", key="HAS_PART", type="HAS_PART")
    'HAS_PART'
    >>> check_graph(g)
    ['edge p -[HAS_PART]-> p: (Plan, Plan) is not an endpoint pair of HAS_PART']
    """
    problems = []
    for node, attrs in g.nodes(data=True):
        label = NODE_LABELS.get(attrs.get("label", ""))
        if label is None:
            problems.append(f"node {node}: unknown label {attrs.get('label')!r}")
            continue
        if attrs.get(KEY) != node:
            problems.append(f"node {node}: eid {attrs.get(KEY)!r} is not the node id")
        problems += _prop_problems(f"node {node}", label.name, label.props, attrs, "label")
    for u, v, key, attrs in g.edges(keys=True, data=True):
        rel = REL_TYPES.get(key)
        where = f"edge {u} -[{key}]-> {v}"
        if rel is None or attrs.get("type") != key:
            problems.append(f"{where}: unknown type or type attribute {attrs.get('type')!r} differs from key")
            continue
        pair = (g.nodes[u].get("label"), g.nodes[v].get("label"))
        if pair not in rel.endpoints:
            problems.append(f"{where}: ({pair[0]}, {pair[1]}) is not an endpoint pair of {key}")
        problems += _prop_problems(where, key, rel.props, attrs, "type")
    return problems
