"""Shared fixtures: the bundled plan parsed once per session, and the --update-golden flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.ingest.models import PlanDocument
from plangraph.ingest.pipeline import parse_file

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DIR = ROOT / "data" / "plans" / "informatization-14fyp"
BUNDLED_SOURCE = BUNDLED_DIR / "source.txt"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files from the output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def bundled_doc() -> PlanDocument:
    return parse_file(BUNDLED_SOURCE)
