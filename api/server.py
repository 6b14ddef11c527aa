"""The HTTP server under the app: one place for how ``plangraph serve`` (and the benches' bare ceiling app)
run an ASGI app, so a ceiling measured with it is the ceiling of the real service's stack."""

from __future__ import annotations

from typing import Any

#: keep-alive beyond common clients' idle pools (5 s): a reused connection is not closed under them
KEEP_ALIVE_S = 30


def run(app: Any, host: str, port: int) -> None:
    """Serve ``app`` on ``host:port`` until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="info", timeout_keep_alive=KEEP_ALIVE_S)
