"""Graph commands (export, eval, analyse): registered on the main app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the graph commands to ``app``."""
