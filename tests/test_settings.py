"""Every setting is read by the code and documented: a field of :class:`plangraph.settings.Settings` that
nothing reads would be a setting users set in vain (``PLANGRAPH_HOST`` once was)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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
