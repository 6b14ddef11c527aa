"""Ad-hoc Cypher that cannot take the service down: the one place that runs it (the API's ``POST /cypher``,
``plangraph cypher`` and anything else that takes Cypher from a user).

- :mod:`graph.adhoc.limits`: the limits of one ad-hoc query (time, rows, memory, answer bytes, list items).
- :mod:`graph.adhoc.answer`: the answer's size caps, checked row by row where the rows are read.
- :mod:`graph.adhoc.worker`: a worker process: opens the store read-only under a memory limit, runs queries.
- :mod:`graph.adhoc.pool`: the pool of workers: a query runs in one, a worker that overruns its deadline is
  killed and replaced.
- :mod:`graph.adhoc.clients`: per-client limits (queries at once, queries per minute) for services.

Every query passes :func:`graph.stores.check_read_only` in the caller and again in the worker.
"""

from plangraph.graph.adhoc.clients import ClientLimits, TooManyQueries
from plangraph.graph.adhoc.limits import Limits
from plangraph.graph.adhoc.pool import PoolBusy, WorkerPool

__all__ = ["ClientLimits", "Limits", "PoolBusy", "TooManyQueries", "WorkerPool"]
