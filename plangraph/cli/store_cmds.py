"""Store commands (add, plans, drop, load, ingest, cypher, stats): registered on the main app.

The embedded Ladybug file under ``data/stores/`` is the default store; ``--neo4j`` uses the server named by
``NEO4J_URI`` / ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE`` (read here, at the entry
point, and nowhere else).
"""

from __future__ import annotations

import json
import time
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plangraph.cli.common import PartialOpt, PlanIdOpt, TitleOpt, UsageError, clean_errors, write_output
from plangraph.graph.stores import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT_S,
    QueryResult,
    Store,
    StoreUnavailable,
    open_store,
)
from plangraph.graph.tabular import to_csv
from plangraph.home import bundled_plan, default_store

if TYPE_CHECKING:
    from plangraph.graph.corpus import Options
    from plangraph.queries.library import ReadLimits

DEFAULT_PLAN = bundled_plan()
DEFAULT_DB = default_store()


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
ExcelOpt = Annotated[
    bool, typer.Option("--excel", help="CSV with a UTF-8 byte order mark, for Excel and WPS.")
]
MergeOpt = Annotated[
    bool, typer.Option("--merge", help="Merge into what the store holds of the plan instead of replacing it.")
]


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app``."""
    app.command("add")(add)
    app.command("plans")(plans)
    app.command("compare")(compare)
    app.command("load")(load)
    app.command("ingest", deprecated=True, help="Deprecated: the same as plangraph load.")(load)
    app.command("cypher")(cypher)
    app.command("stats")(stats)
    app.command("drop")(drop)


# -- settings and errors (entry point only) ---------------------------------------------------------
def read_limits() -> ReadLimits:
    """The canned queries' limits from the one settings object (PLANGRAPH_QUERY_TIMEOUT_S, _MAX_ROWS)."""
    from plangraph.settings import Settings

    return Settings().read_limits()


def neo4j_settings() -> dict[str, Any]:
    """``open_store("neo4j", …)`` arguments from the one settings object (NEO4J_* environment)."""
    from plangraph.settings import Settings

    return Settings().neo4j_config()


def connect(neo4j: bool, db: Path, *, read_only: bool = False, wait_s: float = 0.0) -> Store:
    """The store; an embedded file another process holds is waited for up to ``wait_s`` seconds."""
    if neo4j:
        return open_store("neo4j", **neo4j_settings())
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return open_store("ladybug", path=db, read_only=read_only)
        except StoreUnavailable as exc:
            if "lock" not in exc.message.lower():
                raise
            if time.monotonic() >= deadline:
                raise StoreUnavailable(
                    f"another process (a plangraph add, load or serve) has the store {db} open; "
                    "wait for it to finish (--wait SECONDS), or stop it"
                ) from None
            time.sleep(0.2)


# -- add / plans / load / ingest -------------------------------------------------------------------
JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Parser processes (default: one per core).")
]
WaitOpt = Annotated[
    float,
    typer.Option("--wait", min=0, help="Seconds to wait for another process holding the embedded store."),
]


def add(
    paths: Annotated[
        list[str],
        typer.Argument(help="Plan files, plan folders, folders of plans, globs ('plans/**/*.pdf')."),
    ],
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    jobs: JobsOpt = None,
    plan_id: PlanIdOpt = None,
    title: TitleOpt = None,
    partial: PartialOpt = False,
    wait: WaitOpt = 0.0,
) -> None:
    """Add plans to the store: parse in parallel, load each plan atomically (a changed source replaces its
    old version, an unchanged one is skipped), report per file; exit 1 when a file failed."""
    from plangraph.cli.add_report import Progress, table
    from plangraph.graph.corpus import Options
    from plangraph.graph.corpus_batch import add as add_all

    with clean_errors():
        if (plan_id or title) and len(paths) > 1:
            raise UsageError("--plan-id and --title name one plan: give one path with them")
        options = Options(plan_id=plan_id, title=title, partial=partial)
        store = connect(neo4j, db, wait_s=wait)
        try:
            with Progress() as progress:
                report = add_all(store, paths, options, jobs=jobs, on_outcome=progress.update)
        finally:
            store.close()
        write_output(table(report), None)
        if report.failed:
            raise typer.Exit(1)


def plans(
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")] = Format.table,
    excel: ExcelOpt = False,
) -> None:
    """The plans the store holds: id, title, issuer, date, period, counts, source and sha256."""
    from plangraph.queries.library import run_query

    with clean_errors():
        store = connect(neo4j, db, read_only=True)
        try:
            result = run_query(store, "plan_catalogue", {}, read_limits())
        finally:
            store.close()
        write_output(render(result, fmt, excel=excel), None)


def compare(
    plan_a: Annotated[str, typer.Argument(help="A plan id.")],
    plan_b: Annotated[str, typer.Argument(help="Another plan id.")],
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")] = Format.table,
) -> None:
    """Two plans side by side, as GET /plans/compare: shared entities, tasks naming the same entities,
    indicators of one measure, citations either way."""
    from plangraph.graph.crossplan import COMPARISON
    from plangraph.graph.refs import Resolver
    from plangraph.queries.library import run_query

    with clean_errors():
        store = connect(neo4j, db, read_only=True)
        try:
            limits = read_limits()
            refs = Resolver.for_store(store, limits=limits)
            for plan in (plan_a, plan_b):
                refs.plan(plan)
            parts = {
                part: run_query(store, name, {"plan_a": plan_a, "plan_b": plan_b}, limits)
                for part, name in COMPARISON.items()
            }
        finally:
            store.close()
        if fmt is Format.json:
            payload = {k: json.loads(render(v, Format.json)) for k, v in parts.items()}
            write_output(json.dumps(payload, ensure_ascii=False, indent=2), None)
            return
        write_output("\n\n".join(f"## {k}\n{render(v, fmt)}" for k, v in parts.items()), None)


def load_one(source: Path, options: Options, neo4j: bool, db: Path, merge: bool) -> None:
    """Parse, build and store one plan through the corpus service (``--merge``: into what it holds)."""
    from tqdm import tqdm

    from plangraph.graph.corpus import graph_for_source, install

    graph = graph_for_source(source, options)
    plan_id = next(iter(graph.graph["plans"]))
    store = connect(neo4j, db)
    started = time.perf_counter()
    try:
        with tqdm(total=graph.number_of_nodes() + graph.number_of_edges(), unit="el", leave=False) as bar:

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)

            if merge:
                store.load(graph, plan_id, replace=False, progress=progress)
            else:
                install(store, graph, plan_id, progress=progress)
        where = store.stats()["location"]
    finally:
        store.close()
    typer.echo(
        f"loaded {plan_id}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships "
        f"into {store.kind} {where} in {time.perf_counter() - started:.1f} s"
    )


def load(
    plan_dir: Annotated[
        Path, typer.Argument(help="A plan file, or a plan directory (source.* + plan.yaml).")
    ] = DEFAULT_PLAN,
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    plan_id: PlanIdOpt = None,
    merge: MergeOpt = False,
    title: TitleOpt = None,
    partial: PartialOpt = False,
) -> None:
    """Parse a plan, build its graph and load it into the store (replacing what the store held of it).
    ``plangraph ingest`` is a deprecated name for it."""
    from plangraph.graph.corpus import Options

    with clean_errors():
        load_one(plan_dir, Options(plan_id=plan_id, title=title, partial=partial), neo4j, db, merge)


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
            raise UsageError(f"parameter {item!r}: write it as name=value", where="-p")
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
    excel: ExcelOpt = False,
) -> None:
    """Run a read-only Cypher query (writes are refused) and print the rows. It runs in a worker process
    under the service's memory limit and answer caps (PLANGRAPH_QUERY_MEMORY_MB, PLANGRAPH_MAX_ANSWER_BYTES,
    PLANGRAPH_MAX_LIST_ITEMS), killed when it overruns --timeout."""
    from plangraph.graph.adhoc import WorkerPool
    from plangraph.settings import Settings

    with clean_errors():
        params = parse_params(param or [])
        store = connect(neo4j, db, read_only=True)
        try:
            with WorkerPool.for_store(store, size=1) as pool:
                pool.wait_ready()  # --timeout is the query's, not the worker's start
                result = pool.run(query, params, Settings().adhoc_limits(timeout, max_rows))
        finally:
            store.close()
        write_output(render(result, fmt, excel=excel), None)
        if result.truncated:
            typer.echo(f"note: only the first {max_rows} rows are shown (--max-rows)", err=True)


def stats(
    neo4j: Neo4jOpt = False,
    db: DbOpt = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Plans loaded, and nodes per label and relationships per type."""
    with clean_errors():
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
    from plangraph.graph.corpus import remove

    with clean_errors():
        store = connect(neo4j, db)
        try:
            remove(store, plan_id)
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


def render(result: QueryResult, fmt: Format, *, excel: bool = False) -> str:
    """The rows as an aligned table (CJK counted double width), JSON or CSV (``excel``: with a UTF-8 byte
    order mark first)."""
    if fmt is Format.json:
        payload = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
        return json.dumps(payload, ensure_ascii=False, indent=2)
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in result.rows]
    if fmt is Format.csv:
        return to_csv(result.columns, result.rows, bom=excel)
    table = [result.columns, *cells]
    widths = [max(_width(row[i]) for row in table) for i in range(len(result.columns))]

    def line(row: list[str]) -> str:
        return " | ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    out = [line(result.columns), "-+-".join("-" * w for w in widths), *(line(r) for r in cells)]
    n = len(result.rows)
    out.append(f"({n} row{'' if n == 1 else 's'}{', truncated' if result.truncated else ''})")
    return "\n".join(out)
