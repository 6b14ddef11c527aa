"""``plangraph serve``, ``plangraph query`` and ``plangraph queries``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.refs import Resolver
from plangraph_cli.common import clean_errors, write_output
from plangraph_cli.store_cmds import DEFAULT_DB, ExcelOpt, Format, connect, parse_params, render
from queries.cookbook import cookbook
from queries.library import get_query, load_queries


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("query")(query)
    app.command("queries")(queries)


def serve(
    host: Annotated[str, typer.Option(help="Bind address (loopback unless you mean it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Serve from Neo4j (NEO4J_URI …).")] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help=f"Embedded store file (default: {DEFAULT_DB}, or Neo4j if NEO4J_URI is set)."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (FastAPI) on what the store holds (plangraph add puts plans there): the embedded
    store, or Neo4j. Nothing is parsed at start-up."""
    import uvicorn

    from api.main import create_app
    from api.settings import Settings
    from api.state import open_state

    with clean_errors():
        overrides: dict[str, object] = {"host": host, "port": port}
        if neo4j and db is not None:
            raise typer.BadParameter("--neo4j and --db name two different stores: give one")
        if neo4j:
            overrides["store"] = "neo4j"
        if db is not None:  # an embedded store file: Ladybug even when NEO4J_URI is set
            overrides["store"] = "ladybug"
            overrides["db_path"] = db
        settings = Settings(**overrides)  # type: ignore[arg-type]
        if settings.store_kind == "ladybug" and settings.db_path is None:
            settings = Settings(**overrides, db_path=DEFAULT_DB)  # type: ignore[arg-type]
        state = open_state(settings)  # a broken store or an unreachable Neo4j fails here, in one line
    base = f"http://{host}:{port}"
    typer.echo(
        f"PlanGraph API on {base}  (store: {settings.store_kind})\n"
        f"  explorer:  {base}/\n"
        f"  docs:      {base}/docs\n"
        f"  goal→tasks {base}/goals/数字政府/tasks\n"
        f"  search:    {base}/search?q=区块链"
    )
    try:
        # keep-alive beyond common clients' idle pools (5 s): a reused connection is not closed under them
        uvicorn.run(
            create_app(settings, state), host=host, port=port, log_level="info", timeout_keep_alive=30
        )
    finally:
        state.store.close()


def query(
    name: Annotated[str, typer.Argument(help="A canned query (see: plangraph queries).")],
    param: Annotated[list[str] | None, typer.Option("-p", "--param", help="key=value (repeatable).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Run on Neo4j (NEO4J_URI …).")] = False,
    db: Annotated[Path, typer.Option("--db", help="The embedded store file.")] = DEFAULT_DB,
    excel: ExcelOpt = False,
) -> None:
    """Run a canned query with its parameters (checked and typed from the query's header)."""
    with clean_errors():
        q = get_query(name)
        given = parse_params(param or [])
        store = connect(neo4j, db, read_only=True)
        try:
            params = Resolver.for_store(store).params([p.name for p in q.params], given)
            result = store.read(q.cypher, q.bind(params), max_rows=q.max_rows)
        finally:
            store.close()
        write_output(render(result, fmt, excel=excel), None)


def queries(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the cookbook (docs/queries.md).")
    ] = False,
) -> None:
    """List the canned queries with their parameters."""
    with clean_errors():
        if markdown:
            write_output(cookbook(), None)
            return
        lines = []
        for q in load_queries().values():
            params = " ".join(f"{p.name}={p.example or '…'}" for p in q.params)
            lines.append(f"{q.name:<24} {q.title}" + (f"\n{'':<24} -p {params}" if params else ""))
        write_output("\n".join(lines), None)
