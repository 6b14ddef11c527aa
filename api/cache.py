"""The response cache: GET answers kept by (store version, path, query), with ``ETag`` and
``Cache-Control: no-cache`` so clients and proxies revalidate (``If-None-Match`` → 304).

The graph in a store changes only when a plan is added, replaced or dropped (:mod:`api.versions` says
when), so an answer computed once holds until then. Memory is bounded: entries are dropped least recently
used first when their bodies pass ``PLANGRAPH_CACHE_MB`` (0 switches the cache off; ETags are still sent);
an answer over a quarter of it is not kept. Every answer says ``X-Cache: hit`` or ``miss``.

Only 200 answers to GET are kept; ``/health`` (it asks the store each time) and answers that say
``Cache-Control: no-store`` are not. The ETag is a digest of the body, so it is right across restarts and
across worker processes.

Two layers share one :class:`ResponseCache`:

- :class:`CacheFront`, in front of the whole application (``api.main.PlanGraphApp.__call__``): a hit is
  answered there, a plain ASGI call with no routing, dependencies, validation or middleware under it
  (those cost more than the rest of a cached answer);
- :class:`CacheMiddleware`, inside CORS: fills the cache on a miss, and serves the requests the front
  leaves to the application (a CORS request, whose answer needs the CORS headers; a version only the store
  can tell: a thread, not the event loop).

The key is the whole request as far as an answer depends on it (:meth:`CacheFront.key`): the path, the
query string put in a canonical order (parameters sorted by name, repeated ones kept in their order, the
encoding undone: ``?b=2&a=1`` and ``?a=%31&b=2`` are one request) and the request headers the GET routes
read (none today: the key then says so by holding none; a route that reads one adds it to the key).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plangraph.api.routing import run_in_thread
from plangraph.api.timing import HEADER
from plangraph.graph.stores import StoreError

#: paths whose answers are never kept
UNCACHED = frozenset({"/health"})
CACHE_CONTROL = (b"cache-control", b"no-cache")
#: the scope's note from the front to the middleware: (version, key) of a request it looked up and missed
MISSED = "plangraph.cache_missed"


Headers_ = list[tuple[bytes, bytes]]


def validators(etag: bytes, how: bytes) -> Headers_:
    """The headers every answer of the cache layer carries (a 304 carries only these)."""
    return [(b"etag", etag), CACHE_CONTROL, (b"x-cache", how)]


@dataclass(frozen=True)
class Entry:
    status: int
    headers: Headers_  # without content-length, etag, cache-control, x-cache
    body: bytes
    etag: bytes
    #: the response-start headers of a hit and of a 304 to a hit, built once (a hit sends copies)
    hit_headers: Headers_ = field(init=False, repr=False, compare=False)
    hit_not_modified: Headers_ = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hit_headers", self.start_headers(b"hit"))
        object.__setattr__(self, "hit_not_modified", validators(self.etag, b"hit"))

    def start_headers(self, how: bytes) -> Headers_:
        """The headers of the answer: the route's, its length, the validators (``how``: hit or miss)."""
        return [*self.headers, (b"content-length", str(len(self.body)).encode()), *validators(self.etag, how)]


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


_DROPPED = {b"content-length", b"etag", b"cache-control", b"x-cache", HEADER}  # HEADER: api.timing's


@lru_cache(maxsize=4096)
def canonical_query(query_string: bytes) -> bytes:
    """The query string in a canonical order and encoding: the same parameters give the same bytes (as
    Starlette reads it: latin-1, then percent-decoding as UTF-8).

    >>> canonical_query(b"plan=p&goal=%E6%95%B0") == canonical_query(b"goal=%e6%95%b0&plan=p")
    True
    >>> canonical_query(b"b=2&a=1&b=1")
    b'a=1&b=2&b=1'
    """
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda kv: kv[0])).encode()


def headers_read(routes: list[Any]) -> tuple[bytes, ...]:
    """The request headers the GET routes read (their header parameters, their dependencies' too)."""
    from fastapi.dependencies.models import Dependant
    from fastapi.routing import APIRoute

    def names(dependant: Dependant) -> Iterator[str]:
        yield from (p.alias for p in dependant.header_params)
        for sub in dependant.dependencies:
            yield from names(sub)

    found = {
        n.lower().replace("_", "-")
        for r in routes
        if isinstance(r, APIRoute) and "GET" in (r.methods or ())
        for n in names(r.dependant)
    }
    return tuple(sorted(n.encode() for n in found))


def cacheable(scope: Scope) -> bool:
    """Whether the answer to this request may be kept: a GET over HTTP, not to an :data:`UNCACHED` path."""
    return scope["type"] == "http" and scope["method"] == "GET" and scope["path"] not in UNCACHED


#: request headers that decide whether the front may answer: validators, CORS, a request body
_FRONT_HEADERS = frozenset({b"if-none-match", b"origin", b"content-length", b"transfer-encoding"})


class CacheFront:
    """Answers cache hits in front of the application (see the module's notes); ``app`` is the FastAPI
    application (its state holds the store's version), ``cors`` whether CORS is configured."""

    def __init__(self, app: Any, cache: ResponseCache, *, cors: bool) -> None:
        self.app, self.cache, self.cors = app, cache, cors
        #: the application's state while it runs (set by its lifespan; None before and after: no hits)
        self.state: Any = None
        self._keyed: tuple[bytes, ...] | None = None

    def key(self, scope: Scope) -> bytes:
        """The request, as far as an answer depends on it."""
        if self._keyed is None:  # the routes are all there by the first request
            self._keyed = headers_read(self.app.routes)
        query = scope["query_string"]
        key = scope["path"].encode() + b"?" + (canonical_query(query) if query else b"")
        if self._keyed:
            sent = dict(scope["headers"])
            key += b"".join(b"\n" + name + b":" + sent.get(name, b"") for name in self._keyed)
        return key

    async def answer(self, scope: Scope, send: Send) -> bool:
        """Answer the request from the cache if it can: True when it did. The hit path of every cached
        answer: one scan of the request headers, the store's version without a store call, one lookup."""
        state = self.state
        if state is None or not cacheable(scope) or self.cache.max_bytes <= 0:
            return False
        inm = None
        for name, value in scope["headers"]:
            if name in _FRONT_HEADERS:  # validators, CORS, a request body: rare
                if name == b"if-none-match":
                    inm = value if inm is None else inm
                elif (
                    name == b"transfer-encoding"
                    or (name == b"origin" and self.cors)
                    or (name == b"content-length" and value != b"0")
                ):
                    return False
        version = state.cached_version()
        if version is None:
            return False
        key = self.key(scope)
        entry = self.cache.get(version, key)
        if entry is None:
            scope[MISSED] = (version, key)
            return False
        await _send(send, entry, inm.decode("latin-1") if inm is not None else None, b"hit")
        return True


class CacheMiddleware:
    """Serve GET answers from :class:`ResponseCache` by the state's store version; add the ETag,
    Cache-Control and X-Cache headers; answer 304 to a matching ``If-None-Match``. Keeps what the
    application answers to a request :class:`CacheFront` missed or left to it."""

    def __init__(self, app: ASGIApp, front: CacheFront) -> None:
        self.app, self.front, self.cache = app, front, front.cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not cacheable(scope):
            await self.app(scope, receive, send)
            return
        keep = self.cache.max_bytes > 0
        inm = Headers(scope=scope).get("if-none-match")
        missed = scope.get(MISSED)
        if missed is not None:  # the front looked it up: not there
            version, key = missed
        else:
            state = scope["app"].state.plangraph
            version = state.cached_version()
            if version is None:  # it needs the store (a fingerprint, a reopen): not on the event loop
                try:
                    version = await run_in_thread(state.data_version)
                except StoreError:  # the route says what is wrong (503, 504 …), and nothing is kept
                    await self.app(scope, receive, send)
                    return
            key = self.front.key(scope)
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
            no_store = any(k.lower() == b"cache-control" and b"no-store" in v for k, v in start["headers"])
            if start["status"] != 200 or no_store:
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _DROPPED]
            stored = Entry(start["status"], headers, body, etag_of(body))
            if keep:
                self.cache.put(version, key, stored)
            timed = [(k, v) for k, v in start["headers"] if k.lower() == HEADER]  # this answer's, not kept
            await _send(send, stored, inm, b"miss", timed)

        await self.app(scope, receive, capture)


async def _send(
    send: Send, entry: Entry, if_none_match: str | None, how: bytes, extra: Headers_ | None = None
) -> None:
    start, body = _messages(entry, if_none_match, how)
    if extra:
        start["headers"] = [*start["headers"], *extra]
    await send(start)
    await send(body)


def _messages(entry: Entry, if_none_match: str | None, how: bytes) -> tuple[Message, Message]:
    """The two messages of the answer: 304 with the validators alone when ``If-None-Match`` has the tag."""
    hit = how == b"hit"
    if _matches(if_none_match, entry.etag):
        validated = [*entry.hit_not_modified] if hit else validators(entry.etag, how)
        return {"type": "http.response.start", "status": 304, "headers": validated}, {
            "type": "http.response.body",
            "body": b"",
        }
    headers = [*entry.hit_headers] if hit else entry.start_headers(how)
    start = {"type": "http.response.start", "status": entry.status, "headers": headers}
    return start, {"type": "http.response.body", "body": entry.body}
