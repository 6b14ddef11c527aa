"""Canned queries get their limits in one place (``queries.library.run_query`` under
``Settings.read_limits``): the API, the command and the Python API honour PLANGRAPH_MAX_ROWS and
PLANGRAPH_QUERY_TIMEOUT_S alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import plangraph as pg
from plangraph.api.main import create_app
from plangraph.queries.library import ReadLimits, get_query, run_query
from plangraph.settings import Settings
from tests.conftest import BUNDLED_DIR

PLAN = "informatization-14fyp"
CAP = 3  # the bundled plan has 10 tasks
PLANGRAPH = [sys.executable, "-m", "plangraph.cli.main"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "plans.lbug"
    store = pg.open_store(path)
    try:
        assert [r["status"] for r in pg.add(store, BUNDLED_DIR)] == ["added"]
    finally:
        store.close()
    return path


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """``env`` set for the block, restored after it (pytest's monkeypatch does the restoring)."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        yield


def _api(db: Path, env: dict[str, str]) -> list[str]:
    with _environment(env):
        settings = Settings(store="ladybug", db_path=db, cypher_workers=1)
    with TestClient(create_app(settings)) as client:
        answer = client.get("/queries/tasks", params={"plan": PLAN})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return [row[body["columns"].index("eid")] for row in body["rows"]]


def _command(db: Path, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [*PLANGRAPH, "query", "tasks", "-p", f"plan={PLAN}", "--db", str(db), "--format", "json"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    eid = answer["columns"].index("eid")
    return [row[eid] for row in answer["rows"]]


def _python(db: Path, env: dict[str, str]) -> list[str]:
    with _environment(env):
        store = pg.open_store(db, read_only=True)
        try:
            return [row["eid"] for row in pg.query(store, "tasks", plan=PLAN)]
        finally:
            store.close()


@pytest.mark.parametrize("read", [_api, _command, _python], ids=["api", "command", "python"])
def test_every_read_path_honours_the_row_cap(db: Path, read) -> None:  # type: ignore[no-untyped-def]
    everything = read(db, {})
    assert len(everything) == 10
    capped = read(db, {"PLANGRAPH_MAX_ROWS": str(CAP)})
    assert capped == everything[:CAP]


def test_the_query_s_own_cap_still_applies_and_internal_lookups_skip_the_setting(db: Path) -> None:
    store = pg.open_store(db, read_only=True)
    try:
        own = get_query("tasks").max_rows
        wide = run_query(store, "tasks", {"plan": PLAN}, ReadLimits(max_rows=own + 1000))
        assert len(wide.rows) == 10 and not wide.truncated
        narrow = run_query(store, "tasks", {"plan": PLAN}, ReadLimits(max_rows=2))
        assert len(narrow.rows) == 2 and narrow.truncated
        internal = run_query(store, "tasks", {"plan": PLAN}, ReadLimits(max_rows=2), internal=True)
        assert len(internal.rows) == 10
    finally:
        store.close()


def test_settings_give_the_read_limits() -> None:
    limits = Settings(query_timeout_s=2.5, max_rows=7).read_limits()
    assert limits == ReadLimits(timeout_s=2.5, max_rows=7)
