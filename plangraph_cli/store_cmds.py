"""Store commands (load, ingest, cypher, stats): registered on the main app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app``."""
