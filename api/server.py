"""The HTTP server under the app: one place for how ``plangraph serve`` (and the benches' bare ceiling app)
run an ASGI app, so a ceiling measured with it is the ceiling of the real service's stack.

The stack was chosen by measurement (bench/serving.py; figures in the README's performance section):
uvicorn with httptools (the HTTP parser) and uvloop (the event loop), both pinned in pyproject.toml, and
no access log by default (a line per request cost more than the rest of a cached answer). Several worker
processes (``PLANGRAPH_WORKERS``) each open the store themselves: Neo4j, or a Ladybug file served
read-only (any number of processes may open one read-only; only one may write it).
"""

from __future__ import annotations

from typing import Any

#: keep-alive beyond common clients' idle pools (5 s): a reused connection is not closed under them
KEEP_ALIVE_S = 30
#: the app factory the worker processes import (each reads the settings from the environment)
FACTORY = "plangraph.api.main:create_app"


def options(access_log: bool) -> dict[str, Any]:
    return {
        "http": "httptools",
        "loop": "uvloop",
        "log_level": "info",
        "access_log": access_log,
        "timeout_keep_alive": KEEP_ALIVE_S,
    }


def run(app: Any, host: str, port: int, *, access_log: bool = False, sock: Any = None) -> None:
    """Serve ``app`` on ``host:port`` in this process until interrupted (on ``sock`` when the caller bound
    the port already: ``plangraph serve`` does, so that a port in use fails before anything opens)."""
    import uvicorn

    if sock is None:
        uvicorn.run(app, host=host, port=port, **options(access_log))
    else:
        uvicorn.Server(uvicorn.Config(app, host=host, port=port, **options(access_log))).run(sockets=[sock])


def run_workers(workers: int, host: str, port: int, *, access_log: bool = False) -> None:
    """Serve :data:`FACTORY` in ``workers`` processes sharing the port; they read their settings from the
    environment (PLANGRAPH_*, NEO4J_*), so the caller puts its settings there first."""
    import uvicorn

    uvicorn.run(FACTORY, factory=True, workers=workers, host=host, port=port, **options(access_log))
