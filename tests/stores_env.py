"""Opening the stores for tests that run on both engines: Ladybug always (a temporary file, as the service
uses: ad-hoc queries run in worker processes that open it too); Neo4j when a server answers — and in CI
(CI set) an unreachable Neo4j is a failure, never a skip."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from plangraph.cli.store_cmds import neo4j_settings
from plangraph.graph.stores import Store, StoreUnavailable, open_store

ENGINES = ["ladybug", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def neo4j_config() -> dict[str, Any]:
    """The NEO4J_* settings, read the way the entry points read them."""
    return neo4j_settings()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def open_engine(kind: str) -> Store:
    if kind == "ladybug":
        folder = Path(tempfile.mkdtemp(prefix="pgtest-store-"))
        atexit.register(shutil.rmtree, folder, True)
        return open_store("ladybug", path=folder / "plans.lbug")
    try:
        return open_store("neo4j", **neo4j_config())
    except StoreUnavailable as exc:
        if in_ci():
            pytest.fail(f"CI is set and Neo4j is unreachable: {exc}", pytrace=False)
        pytest.skip(
            f"Neo4j tests skipped: {exc}. Start one with `make neo4j-start` (with CI=true: a failure)."
        )
