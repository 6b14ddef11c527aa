"""The ceiling of the server stack: a bare ASGI app answering every request with the same bytes and headers
as a real answer, served the way ``plangraph serve`` serves (:func:`api.server.run`).

    python bench/_bare.py BODY_FILE CONTENT_TYPE PORT [NAME:VALUE ...]

The headers are content-type and content-length, then the NAME:VALUE ones (bench/serving.py gives those of
a cached answer: etag, cache-control, x-cache), in that order.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from plangraph.api import server


def make_app(body: bytes, content_type: str, extra: list[tuple[bytes, bytes]] | None = None) -> Any:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    headers += extra or []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


if __name__ == "__main__":
    body_file, content_type, port, *pairs = sys.argv[1:]
    extra = [(n.encode(), v.encode()) for n, _, v in (p.partition(":") for p in pairs)]
    server.run(make_app(Path(body_file).read_bytes(), content_type, extra), "127.0.0.1", int(port))
