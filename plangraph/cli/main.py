"""The ``plangraph`` command: parse, ingest, serve, query, cypher, export, load.

Entry points read settings; library functions take arguments. Every failure of the input prints one
line ``error: [E0xx] file:line: message`` and exits non-zero, never a traceback.
"""

from __future__ import annotations

import os

# pydantic looks for plugins in every installed package's metadata when it builds its first model (40 ms
# of every command that parses); the command uses none. PYDANTIC_DISABLE_PLUGINS set (even empty) wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from plangraph.cli import api_cmds, codes_cmds, graph_cmds, parse_cmds, store_cmds

app = typer.Typer(
    name="plangraph",
    help="Turn Chinese national plans into faithful, citable knowledge graphs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags without a <bool> type beside them
)


@app.callback()
def main() -> None:
    """PlanGraph: parse a plan, build its graph, load a store, serve and export."""


parse_cmds.register(app)
graph_cmds.register(app)
store_cmds.register(app)
api_cmds.register(app)
codes_cmds.register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
