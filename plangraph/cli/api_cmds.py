"""``plangraph serve``, ``plangraph query`` and ``plangraph queries``."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plangraph.cli.common import UsageError, clean_errors, write_output
from plangraph.cli.store_cmds import DEFAULT_DB, ExcelOpt, Format, connect, parse_params, read_limits, render
from plangraph.queries.cookbook import cookbook
from plangraph.queries.library import get_query, load_queries, run_query

if TYPE_CHECKING:
    from plangraph.settings import Settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("query")(query)
    app.command("queries")(queries)


def serve(
    host: Annotated[
        str | None,
        typer.Option(
            help="Bind address (loopback unless you mean it). [default: PLANGRAPH_HOST or 127.0.0.1]"
        ),
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port. [default: PLANGRAPH_PORT or 8000]")] = None,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Serve from Neo4j (NEO4J_URI …).")] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help=f"Embedded store file (default: {DEFAULT_DB}, or Neo4j if NEO4J_URI is set)."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (PLANGRAPH_WORKERS; default 1): Neo4j, or "
            "an embedded store served read-only (no PLANGRAPH_TOKEN).",
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (FastAPI) on what the store holds (plangraph add puts plans there): the embedded
    store, or Neo4j. Nothing is parsed at start-up. A port in use fails at once, in one line."""
    from plangraph.api import server
    from plangraph.api.main import create_app
    from plangraph.api.state import open_state
    from plangraph.settings import Settings

    with clean_errors():
        overrides: dict[str, object] = {}
        if host is not None:
            overrides["host"] = host
        if port is not None:
            overrides["port"] = port
        if neo4j and db is not None:
            raise typer.BadParameter("--neo4j and --db name two different stores: give one")
        if workers is not None:
            overrides["workers"] = workers
        if neo4j:
            overrides["store"] = "neo4j"
        if db is not None:  # an embedded store file: Ladybug even when NEO4J_URI is set
            overrides["store"] = "ladybug"
            overrides["db_path"] = db
        settings = Settings(**overrides)  # type: ignore[arg-type]
        if settings.store_kind == "ladybug" and settings.db_path is None:
            settings = Settings(**overrides, db_path=DEFAULT_DB)  # type: ignore[arg-type]
        if settings.workers > 1 and settings.store_kind == "ladybug" and settings.token is not None:
            raise typer.BadParameter(
                "--workers: an embedded store takes one writer; with PLANGRAPH_TOKEN set (uploads) serve "
                "it with one worker, or serve from Neo4j"
            )
        sock = listen(settings.host, settings.port)  # a busy port fails here, before the store opens
        try:
            state = open_state(settings)  # a broken store or an unreachable Neo4j fails here, in one line
        except BaseException:
            sock.close()
            raise
    host, port = settings.host, settings.port
    base = f"http://{host}:{port}"
    typer.echo(
        f"PlanGraph API on {base}  (store: {settings.store_kind})\n"
        f"  explorer:  {base}/\n"
        f"  docs:      {base}/docs\n"
        f"  goal→tasks {base}/goals/数字政府/tasks\n"
        f"  search:    {base}/search?q=区块链"
    )
    if settings.workers > 1:  # each worker opens the store itself, with the settings from the environment
        sock.close()  # the workers bind the port themselves
        state.close()
        os.environ.update(_environment(settings))
        server.run_workers(settings.workers, host, port, access_log=settings.access_log)
        return
    try:
        server.run(create_app(settings, state), host, port, access_log=settings.access_log, sock=sock)
    finally:
        sock.close()
        state.store.close()


def _environment(settings: Settings) -> dict[str, str]:
    """The settings ``serve`` chose that the worker processes would not read from the environment."""
    env = {"PLANGRAPH_STORE": settings.store_kind, "PLANGRAPH_HOST": settings.host}
    env["PLANGRAPH_PORT"] = str(settings.port)
    if settings.db_path is not None:
        env["PLANGRAPH_DB_PATH"] = str(settings.db_path)
    return env


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` for the server (so a port in use is known before anything is
    printed or opened); a port in use, or an address not of this machine, is a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = (
            "is in use by another process"
            if exc.errno == errno.EADDRINUSE
            else f"cannot be used: {exc.strerror}"
        )
        raise UsageError(
            f"port {port} {reason}; give another with --port or PLANGRAPH_PORT", where=f"{host}:{port}"
        ) from None
    sock.set_inheritable(True)
    return sock


def query(
    name: Annotated[str, typer.Argument(help="A canned query (see: plangraph queries).")],
    param: Annotated[list[str] | None, typer.Option("-p", "--param", help="key=value (repeatable).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Run on Neo4j (NEO4J_URI …).")] = False,
    db: Annotated[Path, typer.Option("--db", help="The embedded store file.")] = DEFAULT_DB,
    excel: ExcelOpt = False,
) -> None:
    """Run a canned query with its parameters (checked and typed from the query's header)."""
    from plangraph.graph.refs import Resolver

    with clean_errors():
        q = get_query(name)
        given = parse_params(param or [])
        store = connect(neo4j, db, read_only=True)
        try:
            limits = read_limits()
            params = Resolver.for_store(store, limits=limits).params([p.name for p in q.params], given)
            result = run_query(store, name, params, limits)
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
