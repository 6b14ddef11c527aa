"""Every setting is read by the code and documented: a field of :class:`plangraph.settings.Settings` that
nothing reads would be a setting users set in vain (``PLANGRAPH_HOST`` once was)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plangraph.api.main import create_app
from plangraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "plangraph" / "settings.py"


def _code() -> str:
    files = [
        p
        for d in ("api", "graph", "ingest", "queries", "plangraph")
        for p in sorted((ROOT / d).rglob("*.py"))
    ]
    return "\n".join(
        p.read_text(encoding="utf-8")
        for p in files
        if p != SETTINGS and not any(q.is_symlink() for q in p.parents)
    )


def _methods() -> str:
    """The settings module's own code below the fields (neo4j_config, read_limits, adhoc_limits …)."""
    text = SETTINGS.read_text(encoding="utf-8")
    return text[text.index("    def ") :]


def _variable(name: str) -> str:
    return name.upper() if name.startswith("neo4j_") else f"PLANGRAPH_{name.upper()}"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_read_and_documented(name: str) -> None:
    code, methods = _code(), _methods()
    assert re.search(rf"\b(settings|s)\.{name}\b", code) or re.search(rf"\bself\.{name}\b", methods), (
        f"nothing reads Settings.{name}"
    )
    assert _variable(name) in (ROOT / "README.md").read_text(encoding="utf-8"), (
        f"{_variable(name)} is not in the README"
    )


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGRAPH_PORT", "8123")
    monkeypatch.setenv("PLANGRAPH_MAX_ROWS", "7")
    monkeypatch.setenv("NEO4J_URI", "bolt://example.invalid:7687")
    settings = Settings()
    assert (settings.port, settings.max_rows, settings.store_kind) == (8123, 7, "neo4j")
    assert settings.neo4j_config()["uri"] == "bolt://example.invalid:7687"


# -- what the settings without a test of their own do -------------------------------------------------
@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import plangraph as pg

    path = tmp_path_factory.mktemp("settings") / "plans.lbug"
    store = pg.open_store(path)
    try:
        pg.add(store, pg.bundled_plan())
    finally:
        store.close()
    return path


def _client(db: Path, **settings: object) -> Iterator[TestClient]:
    with TestClient(
        create_app(Settings(store="ladybug", db_path=db, cypher_workers=1, **settings))
    ) as client:  # type: ignore[arg-type]
        yield client


def test_max_page_size_caps_a_page(db: Path) -> None:
    for client in _client(db, max_page_size=3):
        assert client.get("/goals", params={"limit": 3}).status_code == 200
        over = client.get("/goals", params={"limit": 4})
        assert over.status_code == 422 and "PLANGRAPH_MAX_PAGE_SIZE" in over.json()["detail"]


def test_max_export_depth_caps_an_export(db: Path) -> None:
    for client in _client(db, max_export_depth=1):
        root = {"root": "informatization-14fyp/task-1"}
        assert client.get("/export", params={**root, "depth": 1}).status_code == 200
        over = client.get("/export", params={**root, "depth": 2})
        assert over.status_code == 422 and "PLANGRAPH_MAX_EXPORT_DEPTH" in over.json()["detail"]


@pytest.mark.parametrize(("cache_mb", "second"), [(64.0, "hit"), (0.0, "miss")])
def test_cache_mb_zero_switches_the_cache_off(db: Path, cache_mb: float, second: str) -> None:
    for client in _client(db, cache_mb=cache_mb):
        first = client.get("/goals")
        again = client.get("/goals")
        assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", second)
        assert first.headers["etag"] == again.headers["etag"]  # sent either way
