"""Helpers of the explorer's browser tests: Debian's Chromium driven by Playwright (never a downloaded
browser), a served plan set per test module, and screenshots under tests/screenshots/ (git-ignored)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench import _client
from tests.stores_env import in_ci

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def chromium_path() -> str:
    """The system Chromium (tools/system-packages.txt); missing: a failure in CI, a skip elsewhere."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    message = "Debian's chromium is not installed (make system-deps)"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@contextmanager
def served(plans: list[Path], store: str = "ladybug", env: dict[str, str] | None = None) -> Iterator[str]:
    """``plangraph serve`` with these plans on a free port (``env``: settings of its own); yields its base URL."""
    # the store named, whatever NEO4J_URI says (with it set, serve would otherwise pick Neo4j)
    with _client.serve(store, {**(env or {}), "PLANGRAPH_STORE": store}, plans) as server:
        yield server.base


def api(base: str, path: str, **params: Any) -> Any:
    r = httpx.get(base + path, params=params, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def squash(text: str | None) -> str:
    """Text without whitespace (the original file wraps lines where the element's text does not)."""
    return re.sub(r"\s+", "", text or "")


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
