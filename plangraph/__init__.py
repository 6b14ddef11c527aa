"""PlanGraph: Chinese plans (规划, 纲要, 行动计划, 实施方案) as faithful, citable knowledge graphs.

The Python API is :mod:`plangraph.notebook`, re-exported here (``import plangraph as pg; pg.parse(…)``);
it is imported on first use, so ``import plangraph`` itself loads nothing heavy. (The functions are not
named ``graph`` or ``queries``: those are the subpackages ``plangraph.graph`` and ``plangraph.queries``.)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = [
    "add",
    "build_graph",
    "bundled_plan",
    "export",
    "list_queries",
    "open_store",
    "parse",
    "plans",
    "query",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from plangraph import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'plangraph' has no attribute {name!r}")
