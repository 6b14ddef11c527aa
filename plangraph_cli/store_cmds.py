"""Store commands (load, ingest, cypher, stats, drop): registered on the main app.

The embedded Ladybug file under ``data/stores/`` is the default store; ``--neo4j`` uses the server named by
``NEO4J_URI`` / ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE`` (read here, at the entry
point, and nowhere else).
"""

from __future__ import annotations

import csv
import io
import json
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
import typer

from api.settings import Settings
from graph.stores import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, QueryResult, Store, StoreError, open_store
from plangraph_cli.common import PartialOpt, PlanIdOpt, TitleOpt, clean_errors, parse_plan, write_output

DEFAULT_PLAN = Path("data/plans/informatization-14fyp")
DEFAULT_DB = Path("data/stores/plangraph.lbug")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


Neo4jOpt = Annotated[
    bool,
    typer.Option(
        "--neo4j", help="Use Neo4j (NEO4J_URI, default bolt://127.0.0.1:7687), not the embedded store."
    ),
]
DbOpt = Annotated[Path, typer.Option("--db", help="The embedded Ladybug store file.")]
MergeOpt = Annotated[
    bool, typer.Option("--merge", help="Merge into what the store holds of the plan instead of replacing it.")
]


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app``."""
    app.command("load")(load)
    app.command("ingest")(ingest)
    app.command("cypher")(cypher)
    app.command("stats")(stats)
    app.command("drop")(drop)


# -- settings and errors (entry point only) ---------------------------------------------------------
def neo4j_settings() -> dict[str, Any]:
    """``open_store("neo4j", …)`` arguments from the one settings object (NEO4J_* environment)."""
    return Settings().neo4j_config()


def connect(neo4j: bool, db: Path, *, read_only: bool = False) -> Store:
    if neo4j:
        return open_store("neo4j", **neo4j_settings())
    return open_store("ladybug", path=db, read_only=read_only)


@contextmanager
def store_errors() -> Iterator[None]:
    """Parse errors, bad graphs and store errors as one line on stderr, exit 2."""
    with clean_errors():
        try:
            yield
        except StoreError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None


# -- load / ingest ----------------------------------------------------------------------------------
def build(
    source: Path, plan_id: str | None, partial: bool = False, title: str | None = None
) -> nx.MultiDiGraph:
    from graph.build import build_graph, links_beside

    path, doc = parse_plan(source, plan_id, title, partial)
    return build_graph(doc, links=links_beside(path))


def store_graph(graph: nx.MultiDiGraph, neo4j: bool, db: Path, merge: bool) -> None:
    from tqdm import tqdm

    plan_id = _plan_id(graph)
    store = connect(neo4j, db)
    started = time.perf_counter()
    try:
        with tqdm(total=graph.number_of_nodes() + graph.number_of_edges(), unit="el", leave=False) as bar:

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)

            store.load(graph, plan_id, replace=not merge, progress=progress)
        where = store.stats()["location"]
    finally:
        store.close()
    typer.echo(
        f"loaded {plan_id}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships "
        f"into {store.kind} {where} in {time.perf_counter() - started:.1f} s"
    )


def _plan_id(graph: nx.MultiDiGraph) -> str:
    ids = {a["plan_id"] for _, a in graph.nodes(data=True) if a.get("plan_id")}
    if len(ids) != 1:
        raise ValueError(f"[E310] expected the nodes of one plan, found plan ids {sorted(ids)}")
    return ids.pop()


def load(
    plan_dir: Annotated[
        Path, typer.Argument(help="A plan directory (source.txt + plan.yaml).")
    ] = DEFAULT_PLAN,
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    plan_id: PlanIdOpt = None,
    merge: MergeOpt = False,
    title: TitleOpt = None,
    partial: PartialOpt = False,
) -> None:
    """Parse a plan, build its graph and load it into the store (replacing what the store held of it)."""
    with store_errors():
        store_graph(build(plan_dir, plan_id, partial, title), neo4j, db, merge)


def ingest(
    source: Annotated[Path, typer.Argument(help="A plan file (.txt/.html) or a plan directory.")],
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    plan_id: PlanIdOpt = None,
    partial: PartialOpt = False,
    merge: MergeOpt = False,
    title: TitleOpt = None,
) -> None:
    """Parse, build and store a plan in one step."""
    with store_errors():
        store_graph(build(source, plan_id, partial, title), neo4j, db, merge)


# -- cypher / stats / drop --------------------------------------------------------------------------
def parse_params(items: list[str]) -> dict[str, Any]:
    """``k=v`` pairs; ``v`` is JSON when it parses (``2025``, ``true``, ``["a"]``), a string otherwise.

    >>> parse_params(["year=2025", "title=数字中国", 'ids=["a","b"]'])
    {'year': 2025, 'title': '数字中国', 'ids': ['a', 'b']}
    """
    params: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"parameter {item!r}: write it as name=value")
        try:
            params[key.strip()] = json.loads(value)
        except ValueError:
            params[key.strip()] = value
    return params


def cypher(
    query: Annotated[str, typer.Argument(help="One read-only Cypher statement.")],
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    param: Annotated[list[str] | None, typer.Option("-p", "--param", help="A parameter: name=value.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")] = Format.table,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds before the query is stopped.")] = (
        DEFAULT_TIMEOUT_S
    ),
    max_rows: Annotated[int, typer.Option("--max-rows", help="Rows to print at most.")] = DEFAULT_MAX_ROWS,
) -> None:
    """Run a read-only Cypher query (writes are refused) and print the rows. It runs in a worker process
    under the service's memory limit and answer caps (PLANGRAPH_QUERY_MEMORY_MB, PLANGRAPH_MAX_ANSWER_BYTES,
    PLANGRAPH_MAX_LIST_ITEMS), killed when it overruns --timeout."""
    from graph.adhoc import WorkerPool

    with store_errors():
        params = parse_params(param or [])
        store = connect(neo4j, db, read_only=True)
        try:
            with WorkerPool.for_store(store, size=1) as pool:
                pool.wait_ready()  # --timeout is the query's, not the worker's start
                result = pool.run(query, params, Settings().adhoc_limits(timeout, max_rows))
        finally:
            store.close()
        write_output(render(result, fmt), None)
        if result.truncated:
            typer.echo(f"note: only the first {max_rows} rows are shown (--max-rows)", err=True)


def stats(
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Plans loaded, and nodes per label and relationships per type."""
    with store_errors():
        store = connect(neo4j, db, read_only=True)
        try:
            data = store.stats()
        finally:
            store.close()
        if as_json:
            write_output(json.dumps(data, ensure_ascii=False, indent=2), None)
            return
        lines = [f"{data['kind']} {data['location']}", f"plans: {', '.join(data['plans']) or '(none)'}"]
        lines.append(f"nodes: {data['node_count']}")
        lines += [f"  {k:<16}{v:>7}" for k, v in data["nodes"].items() if v]
        lines.append(f"relationships: {data['relationship_count']}")
        lines += [f"  {k:<16}{v:>7}" for k, v in data["relationships"].items() if v]
        write_output("\n".join(lines), None)


def drop(
    plan_id: Annotated[str, typer.Argument(help="The id of the plan to remove.")],
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Remove a plan from the store (entities other plans still name stay)."""
    with store_errors():
        store = connect(neo4j, db)
        try:
            if plan_id not in store.stats()["plans"]:
                raise ValueError(f"the store holds no plan {plan_id!r}")
            store.drop_plan(plan_id)
        finally:
            store.close()
        typer.echo(f"dropped {plan_id}")


# -- output -----------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render(result: QueryResult, fmt: Format) -> str:
    """The rows as an aligned table (CJK counted double width), JSON or CSV."""
    if fmt is Format.json:
        payload = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
        return json.dumps(payload, ensure_ascii=False, indent=2)
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in result.rows]
    if fmt is Format.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([[_cell(v) for v in row] for row in result.rows])
        return buf.getvalue()
    table = [result.columns, *cells]
    widths = [max(_width(row[i]) for row in table) for i in range(len(result.columns))]

    def line(row: list[str]) -> str:
        return " | ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    out = [line(result.columns), "-+-".join("-" * w for w in widths), *(line(r) for r in cells)]
    n = len(result.rows)
    out.append(f"({n} row{'' if n == 1 else 's'}{', truncated' if result.truncated else ''})")
    return "\n".join(out)
