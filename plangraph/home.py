"""Where PlanGraph's files live: the bundled plans (package data) and the user's own folder.

The user's folder holds the default store; it is ``PLANGRAPH_HOME`` when that is set, else
``$XDG_DATA_HOME/plangraph`` (``~/.local/share/plangraph``). Every command therefore works from any folder;
paths the user gives are the user's, resolved against the current folder. Caches (:func:`cache_dir`) go
under ``PLANGRAPH_HOME`` too, else in the user's cache folder.

>>> (bundled_plan() / "source.txt").is_file()
True
>>> default_store().name
'plangraph.lbug'
"""

from __future__ import annotations

import os
from pathlib import Path

#: the plans that ship inside the package (``data/plans/`` in the repository)
BUNDLED_PLANS = Path(__file__).parent / "plans"
BUNDLED_PLAN = "informatization-14fyp"


def bundled_plan(name: str = BUNDLED_PLAN) -> Path:
    """The folder of a bundled plan (``source.*``, ``links.yaml``, ``CARD.md``)."""
    folder = BUNDLED_PLANS / name
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in BUNDLED_PLANS.iterdir() if p.is_dir()))
        raise FileNotFoundError(f"no bundled plan {name!r}: the package holds {known}")
    return folder


def home() -> Path:
    """The user's PlanGraph folder (not created here)."""
    if os.environ.get("PLANGRAPH_HOME"):
        return Path(os.environ["PLANGRAPH_HOME"]).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data).expanduser() / "plangraph"


def cache_dir() -> Path:
    """PlanGraph's cache folder (jieba's dictionary cache, built once per installation):
    ``$PLANGRAPH_HOME/cache`` when PLANGRAPH_HOME is set, else ``$XDG_CACHE_HOME/plangraph`` (default
    ``~/.cache/plangraph``)."""
    if os.environ.get("PLANGRAPH_HOME"):
        return home() / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser() / "plangraph"


def default_store() -> Path:
    """The embedded store that commands use when no ``--db`` is given."""
    return home() / "stores" / "plangraph.lbug"
