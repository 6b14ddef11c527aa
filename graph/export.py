"""Exports of the graph (or a selected subgraph): JSON, GraphML, GEXF, CSV, Cypher, Graphviz DOT, Mermaid.

One function per format, each returning text (CSV: a mapping of file names to text) from a graph that keeps
the contract of :mod:`graph.schema`; :func:`select` cuts a subgraph first. Every output is deterministic:
nodes are sorted by eid, relationships by (start, type, end), so the same input gives byte-identical files.

- ``json``: the interchange format of ``ARCHITECTURE.md``: ``{"plan", "nodes": [{"id", "labels",
  "properties"}], "relationships": [{"type", "start", "end", "properties"}]}``, UTF-8, Chinese unescaped.
- ``graphml`` / ``gexf``: for Gephi, yEd, Cytoscape. Node attributes: ``label`` (a display text),
  ``labels`` (the node label, e.g. ``Task``) and the properties; edge attributes: ``label`` and
  ``rel_type`` (the relationship type) and the properties. Lists are JSON strings (``["5G", "IPv6"]``).
- ``csv``: the ``neo4j-admin database import full`` layout, as a directory or a ``.zip``:
  ``nodes/<Label>.csv`` (``eid:ID``, typed columns, ``:LABEL``), ``relationships/<TYPE>.csv``
  (``:START_ID``, ``:END_ID``, ``:TYPE``, typed columns), lists joined by ``;`` (the tool's default array
  delimiter), and ``import.txt`` with the command line.
- ``cypher``: a re-runnable script for Neo4j (``cypher-shell -f``): the uniqueness constraints, then
  ``UNWIND … MERGE … SET n = row`` per label and relationship type in batches.
- ``dot``: Graphviz, with a CJK font (``Noto Sans CJK SC``), one colour per label.
- ``mermaid``: a ``flowchart LR`` for Markdown.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from plangraph.graph.build import plan_of
from plangraph.graph.formats import FORMATS
from plangraph.graph.refs import graph_rows, pick
from plangraph.graph.schema import NODE_LABELS, REL_TYPES, SEMANTIC, STRUCTURAL, neo4j_constraints
from plangraph.ingest.errors import PlanGraphError

FONT = "Noto Sans CJK SC"
MAX_DEPTH = 10
DEFAULT_DEPTH = 2
CSV_MARKER = "import.txt"
AFTER_IMPORT = "after_import.cypher"
ARRAY_DELIMITER = ";"
BATCH = 500

#: Fill colours per label for DOT and Mermaid (entities share a pale palette).
COLOURS: dict[str, str] = {
    "Plan": "#f4cccc",
    "Part": "#eeeeee",
    "Section": "#eeeeee",
    "Achievement": "#fff2cc",
    "Goal": "#f9cb9c",
    "Indicator": "#ffe599",
    "Principle": "#d9d2e9",
    "Direction": "#d9d2e9",
    "Task": "#9fc5e8",
    "Subtask": "#cfe2f3",
    "Column": "#b6d7a8",
    "ColumnItem": "#d9ead3",
    "Action": "#a2c4c9",
    "ActionItem": "#d0e0e3",
    "Target": "#fce5cd",
    "Measure": "#ead1dc",
    "Body": "#e6b8af",
    "Technology": "#c9daf8",
    "Region": "#d9ead3",
    "Document": "#fff2cc",
    "Initiative": "#fce5cd",
}


class ExportError(PlanGraphError):
    """E110: bad export parameters (unknown format, label, depth …); the message lists the valid values.
    A reference that names nothing or several nodes raises :mod:`graph.refs`' errors."""

    code = "E110"


# -- selection ----------------------------------------------------------------------------------------
def resolve_ref(g: nx.MultiDiGraph, ref: str, label: str | None = None, where: str | None = None) -> str:
    """The eid ``ref`` names in ``g`` by the one reference grammar (:mod:`graph.refs`): a full eid, a
    plan-relative one (``task-4``, ``goal-overall``), an ordinal, a title, name or alias, or a fragment.

    >>> g = nx.MultiDiGraph(); g.add_node("p/goal-3", label="Goal", title="数字政府", ordinal=3)
    >>> resolve_ref(g, "3", "Goal"), resolve_ref(g, "goal-3"), resolve_ref(g, "政府", "Goal")
    ('p/goal-3', 'p/goal-3', 'p/goal-3')
    """
    return str(pick(ref, graph_rows(g), labels={label} if label else None, where=where)["eid"])


def _check_names(given: Iterable[str], valid: Iterable[str], what: str) -> list[str]:
    valid = list(valid)
    out = []
    for name in given:
        if name not in valid:
            raise ExportError(f"unknown {what} {name!r}; valid: {', '.join(valid)}")
        out.append(name)
    return out


def _follow(g: nx.MultiDiGraph, node: str, rels: set[str]) -> list[str]:
    """Neighbours for a root+depth walk: structural edges downward only, other edges both ways."""
    out = [v for _, v, k in g.out_edges(node, keys=True) if k in rels]
    out += [u for u, _, k in g.in_edges(node, keys=True) if k in rels and k not in STRUCTURAL]
    return sorted(set(out))


def select(
    g: nx.MultiDiGraph,
    *,
    root: str | None = None,
    depth: int | None = None,
    labels: Sequence[str] = (),
    rels: Sequence[str] = (),
    goal: str | None = None,
) -> nx.MultiDiGraph:
    """A subgraph of ``g`` (a copy; ``g`` is unchanged).

    - ``root`` + ``depth`` (default 2): the nodes within ``depth`` steps of ``root``, following structural
      edges (HAS_*) downward only and every other edge (MENTIONS, SERVES, RESPONSIBLE_FOR …) both ways;
    - ``goal``: the goal view — the goal, what SERVES or MEASURES it, and the tasks holding the serving
      subtasks and 专栏;
    - ``rels``: only these relationship types (walks follow only them; nodes left without an edge go, except
      the root or goal);
    - ``labels``: only nodes with these labels (the root or goal always stays).
    """
    labels = _check_names(labels, NODE_LABELS, "label")
    rels = _check_names(rels, REL_TYPES, "relationship type")
    if depth is not None and root is None:
        raise ExportError("--depth needs --root")
    if depth is not None and not 0 <= depth <= MAX_DEPTH:
        raise ExportError(f"depth {depth} is out of range: 0–{MAX_DEPTH}")
    allowed = set(rels) if rels else set(REL_TYPES)
    keep: set[str] = set(g.nodes)
    pinned: set[str] = set()
    if root is not None:
        start = resolve_ref(g, root, where="root")
        pinned.add(start)
        seen = {start}
        queue = deque([(start, 0)])
        limit = DEFAULT_DEPTH if depth is None else depth
        while queue:
            node, d = queue.popleft()
            if d == limit:
                continue
            for nxt in _follow(g, node, allowed):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append((nxt, d + 1))
        keep &= seen
    if goal is not None:
        gid = resolve_ref(g, goal, "Goal", where="goal")
        pinned.add(gid)
        view = {gid}
        for u, _, k in g.in_edges(gid, keys=True):
            if k in SEMANTIC:
                view.add(u)
                view.update(
                    p
                    for p, _, pk in g.in_edges(u, keys=True)
                    if pk in ("HAS_SUBTASK", "HAS_COLUMN") and g.nodes[p].get("label") == "Task"
                )
        keep &= view
    if labels:
        keep = {n for n in keep if g.nodes[n]["label"] in labels} | (pinned & keep)
    sub = nx.MultiDiGraph()
    sub.graph.update(g.graph)
    for n in sorted(keep):
        sub.add_node(n, **g.nodes[n])
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        if u in keep and v in keep and k in allowed:
            sub.add_edge(u, v, key=k, **d)
    if rels:
        touched = {n for e in sub.edges() for n in e} | pinned
        sub.remove_nodes_from([n for n in list(sub.nodes) if n not in touched])
    return sub


# -- common ---------------------------------------------------------------------------------------------
def _nodes(g: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """(eid, label, properties) sorted by eid; properties in schema order."""
    out = []
    for n in sorted(g.nodes):
        d = g.nodes[n]
        label = d["label"]
        order = NODE_LABELS[label].prop_names
        out.append((n, label, {k: d[k] for k in order if k in d}))
    return out


def _edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(start, type, end, properties) sorted by (start, type, end); properties in schema order."""
    out = []
    for u, v, k, d in g.edges(keys=True, data=True):
        order = REL_TYPES[k].prop_names
        out.append((u, k, v, {p: d[p] for p in order if p in d}))
    return sorted(out, key=lambda e: (e[0], e[1], e[2]))


def _flat(value: Any) -> Any:
    """Lists → JSON strings (GraphML and GEXF hold scalars only)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def _short(text: str, n: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def display(label: str, props: dict[str, Any]) -> str:
    """A short display text: ``Task 4 培育先进安全的数字产业体系``."""
    title = str(props.get("title", props.get("eid", "")))
    ordinal = props.get("ordinal")
    head = f"{label} {ordinal}" if ordinal is not None else label
    return f"{head} {_short(title)}" if title else head


# -- JSON -----------------------------------------------------------------------------------------------
def to_json(g: nx.MultiDiGraph) -> str:
    doc = {
        "plan": plan_of(g),
        "nodes": [{"id": n, "labels": [label], "properties": props} for n, label, props in _nodes(g)],
        "relationships": [
            {"type": k, "start": u, "end": v, "properties": props} for u, k, v, props in _edges(g)
        ],
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


# -- GraphML / GEXF -------------------------------------------------------------------------------------
def _tool_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for Gephi-like tools: display label, ``labels``, ``rel_type``, flat lists, unique edge ids."""
    out = nx.MultiDiGraph()
    for n, label, props in _nodes(g):
        attrs = {"label": display(label, props), "labels": label}
        attrs.update({k: _flat(v) for k, v in props.items()})
        out.add_node(n, **attrs)
    for i, (u, k, v, props) in enumerate(_edges(g)):
        attrs = {"label": k, "rel_type": k}
        attrs.update({p: _flat(x) for p, x in props.items()})
        out.add_edge(u, v, key=f"e{i}", id=f"e{i}", **attrs)
    return out


def to_graphml(g: nx.MultiDiGraph) -> str:
    buf = io.BytesIO()
    tool = _tool_graph(g)
    for _, _, d in tool.edges(data=True):
        d.pop("id")
    nx.write_graphml(tool, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")


_GEXF_NS = "http://www.gexf.net/1.2draft"


def to_gexf(g: nx.MultiDiGraph) -> str:
    """GEXF 1.2 for Gephi. Byte-identical across days: the ``lastmodifieddate`` networkx writes (today)
    becomes the plan's own date of issue, or goes when the subgraph holds no plan with a full date (an
    ``xs:date``; a month alone is not one, and no day is invented); several plans: the latest;
    the ``networkx_key`` edge attribute (networkx's own bookkeeping) is dropped, edges keep their ids."""
    buf = io.BytesIO()
    nx.write_gexf(_tool_graph(g), buf, encoding="utf-8", prettyprint=True)
    ET.register_namespace("", _GEXF_NS)
    ET.register_namespace("viz", "http://www.gexf.net/1.2draft/viz")
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(buf.getvalue())
    ns = {"g": _GEXF_NS}
    meta = root.find("g:meta", ns)
    if meta is not None:
        issued = [str(p.get("issued", "")) for _, p in g.nodes(data=True) if p.get("label") == "Plan"]
        dates = sorted(d for d in issued if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d))
        if dates:
            meta.set("lastmodifieddate", dates[-1])
        else:
            meta.attrib.pop("lastmodifieddate", None)
    for attributes in root.iterfind("g:graph/g:attributes", ns):
        for attr in list(attributes):
            if attr.get("title") == "networkx_key":
                attributes.remove(attr)
                for values in root.iterfind("g:graph/g:edges/g:edge/g:attvalues", ns):
                    for v in list(values):
                        if v.get("for") == attr.get("id"):
                            values.remove(v)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- CSV (neo4j-admin import) ---------------------------------------------------------------------------
_CSV_TYPES = {
    "STRING": "string",
    "INT64": "long",
    "DOUBLE": "double",
    "BOOLEAN": "boolean",
    "STRING[]": "string[]",
    "INT64[]": "long[]",
}


def _csv_cell(value: Any) -> str:
    """One field for neo4j-admin: a missing value is an empty field (no property); an empty string or an
    empty list is ``""`` (the tool keeps a quoted empty field as an empty value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ARRAY_DELIMITER.join(str(v) for v in value)
    text = str(value)
    if not text or any(c in text for c in ',"\n\r') or text != text.strip():
        text = '"' + text.replace('"', '""') + '"'
    return text


def _csv_row(cells: Iterable[Any]) -> str:
    return ",".join(_csv_cell(c) for c in cells) + "\n"


def to_csv_files(g: nx.MultiDiGraph) -> dict[str, str]:
    """File name → CSV text, in the neo4j-admin import layout (one file per label and per type)."""
    files: dict[str, str] = {}
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for n, label, props in _nodes(g):
        by_label.setdefault(label, []).append((n, props))
    for label in sorted(by_label):
        props_def = [p for p in NODE_LABELS[label].props if p.name != "eid"]
        header = ["eid:ID", *(f"{p.name}:{_CSV_TYPES[p.type]}" for p in props_def), ":LABEL"]
        rows = [_csv_row(header)]
        rows += [
            _csv_row([n, *(props.get(p.name) for p in props_def), label]) for n, props in by_label[label]
        ]
        files[f"nodes/{label}.csv"] = "".join(rows)
    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for u, k, v, props in _edges(g):
        by_type.setdefault(k, []).append((u, v, props))
    for k in sorted(by_type):
        props_def = list(REL_TYPES[k].props)
        header = [":START_ID", ":END_ID", ":TYPE", *(f"{p.name}:{_CSV_TYPES[p.type]}" for p in props_def)]
        rows = [_csv_row(header)]
        rows += [_csv_row([u, v, k, *(props.get(p.name) for p in props_def)]) for u, v, props in by_type[k]]
        files[f"relationships/{k}.csv"] = "".join(rows)
    files[AFTER_IMPORT] = _after_import(g)
    files[CSV_MARKER] = (
        "# PlanGraph CSV export in the neo4j-admin import layout (Neo4j 5). From this directory, into a new\n"
        "# or empty database (the server stopped); the database name comes before --nodes, which takes\n"
        "# every name after it as one more file:\n"
        + import_command(files)
        + f"# then, with the server started: cypher-shell -u neo4j -f {AFTER_IMPORT}\n"
        "# (the uniqueness constraints, and the empty lists: the import tool cannot write an empty array\n"
        "# and leaves such a property out, neo4j/neo4j#13566)\n"
    )
    return dict(sorted(files.items()))


def _after_import(g: nx.MultiDiGraph) -> str:
    """Cypher to run once the CSV files are imported: the constraints, then every empty list set."""
    out = ["// PlanGraph: run after neo4j-admin import (cypher-shell -f). Re-runnable."]
    out += [f"{c};" for c in neo4j_constraints()]
    nodes: dict[tuple[str, str], list[str]] = {}
    for n, label, props in _nodes(g):
        for k, v in props.items():
            if v == [] and k != "eid":
                nodes.setdefault((label, k), []).append(n)
    for (label, k), eids in sorted(nodes.items()):
        for batch in _batches(eids):
            out.append(
                f"UNWIND {cypher_literal(list(batch))} AS e MATCH (n:`{label}` {{eid: e}}) SET n.`{k}` = [];"
            )
    labels = {n: label for n, label, _ in _nodes(g)}
    rels: dict[tuple[str, str, str, str], list[list[str]]] = {}
    for u, t, v, props in _edges(g):
        for k, x in props.items():
            if x == []:
                rels.setdefault((t, labels[u], labels[v], k), []).append([u, v])
    for (t, a, b, k), pairs in sorted(rels.items()):
        for batch in _batches(pairs):
            out.append(
                f"UNWIND {cypher_literal(list(batch))} AS p MATCH (:`{a}` {{eid: p[0]}})-[r:`{t}`]->"
                f"(:`{b}` {{eid: p[1]}}) SET r.`{k}` = [];"
            )
    return "\n".join(out) + "\n"


def import_command(files: Iterable[str], database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command line for the CSV files named (as written to
    ``import.txt``; tested with the import tool of the Neo4j the project ships)."""
    names = list(files)
    args = [f"--nodes={n}" for n in names if n.startswith("nodes/")]
    args += [f"--relationships={n}" for n in names if n.startswith("relationships/")]
    head = (
        f"neo4j-admin database import full {database} --overwrite-destination --array-delimiter=';' "
        "--multiline-fields=true"
    )
    return " \\\n  ".join([head, *args]) + "\n"


def zip_bytes(files: dict[str, str]) -> bytes:
    """The files (name → text) as a zip: deflated, in name order, fixed timestamps and modes, so the same
    files give the same bytes. The one zip writer of the exports (CLI and API)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name].encode("utf-8"))
    return buf.getvalue()


def import_argv(command: str) -> list[str]:
    """The ``neo4j-admin …`` command that ``import.txt`` (``command``) gives, as arguments: its comment lines
    and line continuations dropped.

    >>> import_argv("# run:\\nneo4j-admin database import full neo4j \\\\\\n  --nodes=a.csv\\n")
    ['neo4j-admin', 'database', 'import', 'full', 'neo4j', '--nodes=a.csv']
    """
    lines = [ln.rstrip("\\").strip() for ln in command.splitlines() if ln.strip() and not ln.startswith("#")]
    return shlex.split(" ".join(lines))


def write_csv(g: nx.MultiDiGraph, output: Path) -> None:
    """Write the CSV files to ``output``: a ``.zip`` file, or a directory (replaced only if it is empty
    or an earlier CSV export, i.e. holds ``import.txt``). Written to a temporary sibling, then renamed."""
    files = to_csv_files(g)
    if output.suffix.lower() == ".zip":
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_bytes(zip_bytes(files))
        tmp.replace(output)
        return
    if output.exists() and not (
        output.is_dir() and (not any(output.iterdir()) or (output / CSV_MARKER).is_file())
    ):
        raise ExportError(
            f"{output} exists and is not an earlier CSV export (no {CSV_MARKER}); "
            "give a new directory or a .zip file"
        )
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        for name, text in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        tmp.rename(output)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


# -- Cypher ---------------------------------------------------------------------------------------------
def cypher_literal(value: Any) -> str:
    """A Cypher literal (strings double-quoted with JSON escapes, which Cypher shares).

    >>> cypher_literal(["5G", 'a"b']), cypher_literal(True), cypher_literal(0.5)
    ('["5G", "a\\\\"b"]', 'true', '0.5')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _batches(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def to_cypher(g: nx.MultiDiGraph) -> str:
    """A re-runnable Neo4j script: constraints, then MERGE on eid (``SET n = row`` replaces properties)."""
    out = [
        "// PlanGraph export: re-runnable (MERGE on the eid uniqueness constraints). cypher-shell -f FILE",
        f"// plan: {json.dumps(plan_of(g), ensure_ascii=False, sort_keys=True)}",
    ]
    out += [f"{c};" for c in neo4j_constraints()]
    labels = {n: label for n, label, _ in _nodes(g)}
    by_label: dict[str, list[dict[str, Any]]] = {}
    for _, label, props in _nodes(g):
        by_label.setdefault(label, []).append(props)
    for label in sorted(by_label):
        for batch in _batches(by_label[label]):
            rows = ",\n  ".join(cypher_literal(p) for p in batch)
            out.append(f"UNWIND [\n  {rows}\n] AS row\nMERGE (n:`{label}` {{eid: row.eid}})\nSET n = row;")
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for u, k, v, props in _edges(g):
        groups.setdefault((k, labels[u], labels[v]), []).append({"start": u, "end": v, "props": props})
    for k, a, b in sorted(groups):
        for batch in _batches(groups[(k, a, b)]):
            rows = ",\n  ".join(cypher_literal(r) for r in batch)
            out.append(
                f"UNWIND [\n  {rows}\n] AS row\nMATCH (a:`{a}` {{eid: row.start}})\n"
                f"MATCH (b:`{b}` {{eid: row.end}})\nMERGE (a)-[r:`{k}`]->(b)\nSET r = row.props;"
            )
    return "\n".join(out) + "\n"


# -- DOT and Mermaid ------------------------------------------------------------------------------------
def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    out = [
        "digraph plangraph {",
        f'  graph [fontname="{FONT}", rankdir=LR, charset="UTF-8"];',
        f'  node [fontname="{FONT}", shape=box, style="rounded,filled", fillcolor="#ffffff"];',
        f'  edge [fontname="{FONT}", fontsize=9];',
    ]
    for n, label, props in _nodes(g):
        out.append(
            f"  {_dot_quote(n)} [label={_dot_quote(display(label, props))}, "
            f'fillcolor="{COLOURS.get(label, "#ffffff")}"];'
        )
    for u, k, v, props in _edges(g):
        extra = f", penwidth=2, tooltip={_dot_quote(props.get('evidence', ''))}" if k in SEMANTIC else ""
        style = ", style=dashed" if k == "MENTIONS" else ""
        out.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [label={_dot_quote(k)}{style}{extra}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("[", "#91;")
        .replace("]", "#93;")
        .replace("|", "#124;")
    )


MERMAID_MAX_EDGES = 500  # Mermaid's default maxEdges: a larger flowchart is refused unless raised
MERMAID_MAX_TEXT = 50_000  # Mermaid's default maxTextSize (characters of the diagram's source)


def to_mermaid(g: nx.MultiDiGraph) -> str:
    """A ``flowchart LR``. Over Mermaid's default limits (500 edges, 50,000 characters) it says so in a
    comment and opens with the init directive that raises ``maxEdges``/``maxTextSize`` (honoured by the
    Mermaid CLI and live editor; a site that forbids directives needs a subgraph: ``--depth``, ``--goal``)."""
    nodes = _nodes(g)
    ids = {n: f"n{i}" for i, (n, _, _) in enumerate(nodes)}
    out = ["flowchart LR"]
    for n, label, props in nodes:
        out.append(f'  {ids[n]}["{_mermaid_text(display(label, props))}"]:::{label}')
    for u, k, v, _ in _edges(g):
        arrow = "-.->" if k == "MENTIONS" else ("==>" if k in SEMANTIC else "-->")
        out.append(f"  {ids[u]} {arrow}|{k}| {ids[v]}")
    for label in sorted({label for _, label, _ in nodes}):
        out.append(f"  classDef {label} fill:{COLOURS.get(label, '#ffffff')},stroke:#666")
    edges = g.number_of_edges()
    size = sum(len(line) + 1 for line in out)
    if edges <= MERMAID_MAX_EDGES and size <= MERMAID_MAX_TEXT:
        return "\n".join(out) + "\n"
    config = {"maxEdges": max(edges, MERMAID_MAX_EDGES), "maxTextSize": max(2 * size, MERMAID_MAX_TEXT)}
    head = [
        "%%{init: " + json.dumps(config) + "}%%",
        f"%% {edges} edges, {size} characters: over Mermaid's default limits ({MERMAID_MAX_EDGES} edges, "
        f"{MERMAID_MAX_TEXT} characters); the directive above raises them. Smaller: --depth, --goal.",
    ]
    return "\n".join(head + out) + "\n"


# -- dispatch -------------------------------------------------------------------------------------------
TEXT_FORMATS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
    "json": to_json,
    "graphml": to_graphml,
    "gexf": to_gexf,
    "cypher": to_cypher,
    "dot": to_dot,
    "mermaid": to_mermaid,
}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    return fmt


def render(g: nx.MultiDiGraph, fmt: str) -> str:
    """The export as text (``csv``: the files concatenated, each after a ``# file: NAME`` line)."""
    check_format(fmt)
    if fmt == "csv":
        return "".join(f"# file: {name}\n{text}" for name, text in to_csv_files(g).items())
    return TEXT_FORMATS[fmt](g)
