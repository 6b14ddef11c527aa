"""The response cache (api/cache.py) keyed by the store's version (api/versions.py): ETag and
Cache-Control on answers, 304 on revalidation, and a plan added by another process (``plangraph add`` in a
subprocess, into the store the service is serving) changes the ETag and the answer — on both stores."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Header
from fastapi.testclient import TestClient

from plangraph.api.cache import Entry, ResponseCache
from plangraph.api.main import create_app
from plangraph.settings import Settings
from tests.stores_env import ENGINES, open_engine

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "plans" / "informatization-14fyp"
PLAN = "informatization-14fyp"
COPY = "cache-test-copy"
TASKS = f"/goals/数字政府/tasks?plan={PLAN}"


def plangraph(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in another process, as a user would run it beside the service."""
    return subprocess.run(
        [sys.executable, "-m", "plangraph.cli.main", *args],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(params=ENGINES)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TestClient, list[str]]]:
    """The service on a store holding the bundled plan (added by another process); the store arguments
    of ``plangraph`` for the same store."""
    kind = request.param
    if kind == "neo4j":
        open_engine("neo4j").close()  # skips (or fails in CI) when no server answers
        where = ["--neo4j"]
        settings = Settings(store="neo4j", plan_list_ttl_s=0, cypher_workers=1)
    else:
        db = tmp_path / "served.lbug"
        where = ["--db", str(db)]
        settings = Settings(store="ladybug", db_path=db, cypher_workers=1)
    held_before = plangraph("plans", *where, "--format", "json").stdout
    added = plangraph("add", str(BUNDLED), *where)
    assert added.returncode == 0, added.stderr
    try:
        with TestClient(create_app(settings)) as client:
            yield client, where
    finally:
        plangraph("drop", COPY, *where)
        if kind == "neo4j" and PLAN not in held_before:
            plangraph("drop", PLAN, *where)


def test_revalidation_answers_304(served: tuple[TestClient, list[str]]) -> None:
    client, _ = served
    first = client.get(TASKS)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["x-cache"] == "miss"
    again = client.get(TASKS)
    assert again.headers["x-cache"] == "hit"
    assert (again.headers["etag"], again.content) == (etag, first.content)
    assert int(again.headers["content-length"]) == len(first.content)
    fresh = client.get(TASKS, headers={"If-None-Match": etag})
    assert fresh.status_code == 304
    assert fresh.content == b""
    assert fresh.headers["etag"] == etag
    other = client.get(TASKS, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content
    assert client.get("/health").headers.get("x-cache") is None  # asks the store every time


def test_errors_are_not_kept(served: tuple[TestClient, list[str]]) -> None:
    client, _ = served
    for _ in range(2):
        missing = client.get(f"/goals/no-such-goal-xyz/tasks?plan={PLAN}")
        assert missing.status_code == 404
        assert "etag" not in missing.headers
        assert missing.json()["code"] == "unknown_reference"


def test_a_plan_added_by_another_process_changes_the_answer(served: tuple[TestClient, list[str]]) -> None:
    client, where = served
    before = client.get("/plans")
    assert before.status_code == 200
    ids = [item["eid"] for item in before.json()["items"]]
    assert COPY not in ids and PLAN in ids
    assert client.get("/plans").headers["x-cache"] == "hit"

    added = plangraph("add", str(BUNDLED), "--plan-id", COPY, *where)
    assert added.returncode == 0, added.stderr  # the service holding the store does not lock it out

    after = client.get("/plans")
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert COPY in [item["eid"] for item in after.json()["items"]]
    stale = client.get("/plans", headers={"If-None-Match": before.headers["etag"]})
    assert stale.status_code == 200
    assert client.get(f"/goals/数字政府/tasks?plan={COPY}").status_code == 200

    dropped = plangraph("drop", COPY, *where)
    assert dropped.returncode == 0, dropped.stderr
    gone = client.get("/plans")
    assert COPY not in [item["eid"] for item in gone.json()["items"]]
    assert gone.headers["etag"] == before.headers["etag"]  # the same answer again: the same tag


def test_memory_is_bounded_least_recently_used_first() -> None:
    cache = ResponseCache(max_bytes=4000)

    def entry(n: int) -> Entry:
        return Entry(200, [], bytes(n), b'"x"')

    assert cache.get("v1", b"a") is None
    cache.put("v1", b"a", entry(900))
    cache.put("v1", b"b", entry(900))
    cache.put("v1", b"c", entry(900))
    assert cache.get("v1", b"a") is not None  # a is now the most recently used
    cache.put("v1", b"d", entry(900))
    cache.put("v1", b"e", entry(900))  # over 4000 bytes: the least recently used (b) goes
    assert cache.size <= 4000
    assert cache.get("v1", b"b") is None
    assert cache.get("v1", b"a") is not None
    cache.put("v1", b"big", entry(1500))  # over a quarter of the cache: not kept
    assert cache.get("v1", b"big") is None
    assert cache.get("v2", b"a") is None  # a new version: the old entries are gone
    assert len(cache) == 0 and cache.size == 0
    assert (cache.hits, cache.misses) == (2, 4)


def test_the_key_is_the_request_not_its_spelling(served: tuple[TestClient, list[str]]) -> None:
    """Answered in front of the app (api.cache.CacheFront): the same parameters in another order or
    encoding are the same request; other values are another."""
    client, _ = served
    first = client.get(f"/goals?plan={PLAN}&limit=3")
    assert first.status_code == 200 and first.headers["x-cache"] == "miss"
    for spelling in (f"/goals?limit=3&plan={PLAN}", "/goals?limit=%33&plan=" + PLAN):
        again = client.get(spelling)
        assert again.headers["x-cache"] == "hit", spelling
        assert (again.content, again.headers["etag"]) == (first.content, first.headers["etag"])
    other = client.get(f"/goals?plan={PLAN}&limit=4")
    assert other.headers["x-cache"] == "miss"
    assert len(other.json()["items"]) == 4 and len(first.json()["items"]) == 3
    assert (
        client.get(f"/goals?plan={PLAN}&limit=3&lmit=1").status_code == 422
    )  # never answered from the cache


def test_a_hit_revalidates_and_a_write_here_moves_the_version(served: tuple[TestClient, list[str]]) -> None:
    client, where = served
    first = client.get(TASKS)
    hit = client.get(TASKS, headers={"If-None-Match": f'W/{first.headers["etag"]}, "other"'})
    assert (hit.status_code, hit.content, hit.headers["x-cache"]) == (304, b"", "hit")
    state = client.app.state.plangraph  # type: ignore[attr-defined]
    before = state.cached_version() or state.data_version()
    hits = client.app.front.cache.hits  # type: ignore[attr-defined]
    assert client.get(TASKS).headers["x-cache"] == "hit"
    assert client.app.front.cache.hits == hits + 1  # type: ignore[attr-defined]
    added = plangraph("add", str(BUNDLED), "--plan-id", COPY, *where)  # another process writes
    assert added.returncode == 0, added.stderr
    after = client.get(TASKS)
    assert after.headers["x-cache"] == "miss"  # the store's version moved: nothing of the old one is served
    assert (state.cached_version() or state.data_version()) != before
    assert after.content == first.content  # the plan asked about did not change: the same answer, re-made
    assert client.get(TASKS).headers["x-cache"] == "hit"


def test_cors_answers_come_with_cors_headers_from_the_cache(tmp_path: Path) -> None:
    """A hit to a CORS request carries the CORS headers (it is answered inside the CORS layer), and a
    kept answer carries no one client's CORS headers to another."""
    db = tmp_path / "cors.lbug"
    added = plangraph("add", str(BUNDLED), "--db", str(db))
    assert added.returncode == 0, added.stderr
    settings = Settings(store="ladybug", db_path=db, cypher_workers=1, cors_origins=["https://example.org"])  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        plain = client.get(TASKS)
        assert plain.headers["x-cache"] == "miss" and "access-control-allow-origin" not in plain.headers
        cross = client.get(TASKS, headers={"Origin": "https://example.org"})
        assert cross.headers["x-cache"] == "hit"
        assert cross.headers["access-control-allow-origin"] == "https://example.org"
        assert cross.content == plain.content
        again = client.get(TASKS)
        assert again.headers["x-cache"] == "hit" and "access-control-allow-origin" not in again.headers
        evil = client.get(TASKS, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in evil.headers


def test_a_header_a_get_route_reads_is_part_of_the_key(tmp_path: Path) -> None:
    db = tmp_path / "keyed.lbug"
    app = create_app(Settings(store="ladybug", db_path=db, cypher_workers=1))

    @app.get("/test-language")
    def language(x_language: Annotated[str, Header()] = "zh") -> dict[str, str]:
        return {"language": x_language}

    with TestClient(app) as client:
        zh = client.get("/test-language", headers={"X-Language": "zh"})
        en = client.get("/test-language", headers={"X-Language": "en"})
        assert (zh.json(), en.json()) == ({"language": "zh"}, {"language": "en"})
        assert en.headers["x-cache"] == "miss"
        again = client.get("/test-language", headers={"X-Language": "zh"})
        assert again.headers["x-cache"] == "hit" and again.json() == {"language": "zh"}
        assert client.get("/plans", headers={"X-Language": "en"}).headers["x-cache"] == "miss"
        assert client.get("/plans", headers={"X-Language": "zh"}).headers["x-cache"] == "miss"  # keyed too


def test_a_get_with_a_body_is_left_to_the_app(served: tuple[TestClient, list[str]]) -> None:
    client, _ = served
    assert client.get(TASKS).status_code == 200
    big = client.request("GET", TASKS, content=b"x" * 6_000_000)  # over PLANGRAPH_MAX_BODY_BYTES (5 MB)
    assert big.status_code == 413 and big.json()["code"] == "too_large"


def test_a_watched_file_is_looked_at_once_a_millisecond_at_most(tmp_path: Path) -> None:
    """api.versions.FileWatch: a look that finds the file unchanged holds for LOOK_EVERY_S (the cache's hit
    path takes the version without a look meanwhile); a write is seen at the first look after it; a look
    without ``now`` always looks."""
    from plangraph.api.versions import LOOK_EVERY_S, FileWatch

    store = tmp_path / "store.lbug"
    store.write_bytes(b"v1")
    watch = FileWatch(store)
    assert not watch.changed(now=100.0)
    assert watch.fresh_until == 100.0 + LOOK_EVERY_S
    store.write_bytes(b"v2, longer")  # another process wrote it (no lock held now)
    assert not watch.changed(now=100.0 + LOOK_EVERY_S / 2)  # within the last look's millisecond
    assert watch.changed(now=100.0 + LOOK_EVERY_S)  # the first look after it sees the write
    assert watch.changed()  # no time given: it looks
    watch.mark()
    assert watch.fresh_until == float("-inf") and not watch.changed(now=200.0)


def store_time(header: str | None) -> tuple[float, int]:
    """The milliseconds and calls of ``Server-Timing: store;dur=…;desc="N calls"``."""
    assert header is not None and header.startswith("store;dur="), header
    dur, desc = header.removeprefix("store;dur=").split(";desc=")
    return float(dur), int(desc.strip('"').split()[0])


def test_an_answer_says_its_store_time_and_a_kept_one_none(served: tuple[TestClient, list[str]]) -> None:
    """A computed answer carries ``Server-Timing: store`` (its store calls: resolving 数字政府 and the
    query); a hit and a 304 made no store call and carry none (the header is not kept with the answer);
    a route that calls no store carries none either."""
    client, _ = served
    miss = client.get(TASKS)
    assert miss.headers["x-cache"] == "miss"
    dur, calls = store_time(miss.headers.get("server-timing"))
    assert dur > 0 and calls >= 2
    hit = client.get(TASKS)
    assert hit.headers["x-cache"] == "hit" and "server-timing" not in hit.headers
    revalidated = client.get(TASKS, headers={"If-None-Match": miss.headers["etag"]})
    assert revalidated.status_code == 304 and "server-timing" not in revalidated.headers
    missing = client.get(f"/goals/nothing-like-this/tasks?plan={PLAN}")
    assert missing.status_code == 404 and store_time(missing.headers.get("server-timing"))[1] >= 1
    assert "server-timing" not in client.get("/codes/W301").headers
