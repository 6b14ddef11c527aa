"""PlanGraph: Chinese plans (规划, 纲要, 行动计划, 实施方案) as faithful, citable knowledge graphs.

The Python API is :mod:`plangraph.notebook`, re-exported here (``import plangraph as pg; pg.parse(…)``);
its heavy parts are imported on first use, so ``import plangraph`` itself loads nothing heavy. (The
functions are not named ``graph`` or ``queries``: those are the subpackages ``plangraph.graph`` and
``plangraph.queries``.)
"""

from plangraph.notebook import *  # noqa: F403
from plangraph.notebook import __all__ as __all__

__version__ = "0.1.0"
