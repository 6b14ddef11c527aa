"""One loader per input format; each ends in the same :class:`ingest.load.Source`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plangraph.ingest.load import Source

Loader = Callable[[bytes, str], "Source"]


def loader_for(fmt: str) -> Loader:
    """The loader function of a format name (see :data:`ingest.load.FORMATS`)."""
    from importlib import import_module

    module = import_module(f"plangraph.ingest.formats.{fmt}")
    return module.load
