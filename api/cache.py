"""The response cache: GET answers kept by (store version, path, query), with ``ETag`` and
``Cache-Control: no-cache`` so clients and proxies revalidate (``If-None-Match`` → 304).

The graph in a store changes only when a plan is added, replaced or dropped (:mod:`api.versions` says
when), so an answer computed once holds until then. Memory is bounded: entries are dropped least recently
used first when their bodies pass ``PLANGRAPH_CACHE_MB`` (0 switches the cache off; ETags are still sent);
an answer over a quarter of it is not kept. Every answer says ``X-Cache: hit`` or ``miss``.

Only 200 answers to GET are kept; ``/health`` (it asks the store each time) and answers that say
``Cache-Control: no-store`` are not. The ETag is a digest of the body, so it is right across restarts and
across worker processes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plangraph.graph.stores import StoreError

#: paths whose answers are never kept
UNCACHED = frozenset({"/health"})
CACHE_CONTROL = (b"cache-control", b"no-cache")


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]  # without content-length, etag, cache-control, x-cache
    body: bytes
    etag: bytes


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


class ResponseCache:
    """Entries by key, least recently used first out when their bodies pass ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self.version: str | None = None
        self._entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: str, key: bytes) -> Entry | None:
        with self._lock:
            if version != self.version:  # the store changed: every entry is of the old version
                self._entries.clear()
                self.size, self.version = 0, version
            entry = self._entries.get((version, key))
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end((version, key))
            self.hits += 1
            return entry

    def put(self, version: str, key: bytes, entry: Entry) -> None:
        cost = len(entry.body) + len(key)
        if cost > self.max_bytes // 4:
            return
        with self._lock:
            if version != self.version:
                return  # computed from a version already replaced
            old = self._entries.pop((version, key), None)
            if old is not None:
                self.size -= len(old.body) + len(key)
            self._entries[version, key] = entry
            self.size += cost
            while self.size > self.max_bytes:
                (_, k), dropped = self._entries.popitem(last=False)
                self.size -= len(dropped.body) + len(k)

    def __len__(self) -> int:
        return len(self._entries)


def _matches(if_none_match: str | None, etag: bytes) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag.decode() in tags


_DROPPED = {b"content-length", b"etag", b"cache-control", b"x-cache"}


class CacheMiddleware:
    """Serve GET answers from :class:`ResponseCache` by the state's store version; add the ETag,
    Cache-Control and X-Cache headers; answer 304 to a matching ``If-None-Match``."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app, self.cache = app, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] in UNCACHED:
            await self.app(scope, receive, send)
            return
        state = scope["app"].state.plangraph
        version = state.cached_version()
        if version is None:  # it needs the store (a fingerprint, a reopen): not on the event loop
            try:
                version = await anyio.to_thread.run_sync(state.data_version)
            except StoreError:  # the route says what is wrong (503, 504 …), and nothing is kept
                await self.app(scope, receive, send)
                return
        key = scope["path"].encode() + b"?" + scope["query_string"]
        inm = Headers(scope=scope).get("if-none-match")
        keep = self.cache.max_bytes > 0
        entry = self.cache.get(version, key) if keep else None
        if entry is not None:
            await _send(send, entry, inm, b"hit")
            return

        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _DROPPED]
            stored = Entry(start["status"], headers, body, etag_of(body))
            no_store = any(k.lower() == b"cache-control" and b"no-store" in v for k, v in start["headers"])
            if start["status"] != 200 or no_store:
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            if keep:
                self.cache.put(version, key, stored)
            await _send(send, stored, inm, b"miss")

        await self.app(scope, receive, capture)


async def _send(send: Send, entry: Entry, if_none_match: str | None, how: bytes) -> None:
    validators = [(b"etag", entry.etag), CACHE_CONTROL, (b"x-cache", how)]
    if _matches(if_none_match, entry.etag):
        await send({"type": "http.response.start", "status": 304, "headers": validators})
        await send({"type": "http.response.body", "body": b""})
        return
    length = (b"content-length", str(len(entry.body)).encode())
    headers = [*entry.headers, length, *validators]
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body})
