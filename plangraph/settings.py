"""PlanGraph's settings, read by the service and the command: ``PLANGRAPH_*`` environment variables plus
the standard ``NEO4J_*`` ones.

Read only by entry points (``plangraph serve``, ``create_app()`` without arguments); everything below
them takes the settings object as an argument.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from plangraph.graph.adhoc.limits import Limits
from plangraph.queries.library import ReadLimits

DEFAULT_NEO4J_URI = "bolt://127.0.0.1:7687"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANGRAPH_", extra="ignore")

    #: "ladybug" (embedded, the default) or "neo4j"; "auto" picks neo4j when NEO4J_URI is set.
    store: Literal["auto", "ladybug", "neo4j"] = "auto"
    #: Ladybug database file; empty: a temporary file, removed when the service stops (the ad-hoc query
    #: workers open the file read-only; they could not open an in-memory store).
    db_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    #: time limit and row cap for every query (canned and ad hoc), enforced in one place.
    query_timeout_s: float = Field(default=10.0, gt=0, le=300)
    max_rows: int = Field(default=1000, ge=1, le=100_000)
    #: write operations (POST /plans, reload) need this bearer token; unset: they are switched off.
    token: SecretStr | None = None
    cors_origins: list[str] = Field(default_factory=list)
    #: the largest request body accepted (uploads of plan text included).
    max_body_bytes: int = Field(default=5_000_000, ge=1_000)
    max_page_size: int = Field(default=500, ge=1)
    max_export_depth: int = Field(default=6, ge=0, le=10)
    #: how long the list of loaded plans is reused between requests (plans loaded by another process
    #: appear within this time; loads through this service at once).
    plan_list_ttl_s: float = Field(default=2.0, ge=0, le=300)
    #: the response cache's memory for answer bodies (api/cache.py), per worker; 0 switches it off
    cache_mb: float = Field(default=64.0, ge=0, le=65_536)
    #: server processes (api/server.py): Neo4j, or a Ladybug file served read-only (no token); a line per
    #: request in the log (off: it costs more than a cached answer)
    workers: int = Field(default=1, ge=1, le=64)
    access_log: bool = False

    #: ad-hoc Cypher (POST /cypher, plangraph cypher) runs in this many worker processes; each one's
    #: memory may grow this much while it runs a query; the answer's size and list caps; per client: queries
    #: at once and per minute (bursts of cypher_burst)
    cypher_workers: int = Field(default=2, ge=1, le=32)
    query_memory_mb: int = Field(default=512, ge=64, le=1_048_576)
    max_answer_bytes: int = Field(default=5_000_000, ge=1_000)
    max_list_items: int = Field(default=10_000, ge=1)
    cypher_per_client: int = Field(default=2, ge=1)
    cypher_rate_per_min: float = Field(default=60.0, gt=0)
    cypher_burst: int = Field(default=10, ge=1)

    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_URI", "PLANGRAPH_NEO4J_URI")
    )
    neo4j_username: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USERNAME", "PLANGRAPH_NEO4J_USERNAME")
    )
    neo4j_password: SecretStr = Field(
        default=SecretStr("plangraph-dev"),
        validation_alias=AliasChoices("NEO4J_PASSWORD", "PLANGRAPH_NEO4J_PASSWORD"),
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "PLANGRAPH_NEO4J_DATABASE")
    )

    def neo4j_config(self) -> dict[str, str]:
        """``open_store("neo4j", **config)`` arguments."""
        return {
            "uri": self.neo4j_uri or DEFAULT_NEO4J_URI,
            "user": self.neo4j_username,
            "password": self.neo4j_password.get_secret_value(),
            "database": self.neo4j_database,
        }

    def read_limits(self) -> ReadLimits:
        """The limits of every canned query (:func:`queries.library.run_query`)."""
        return ReadLimits(timeout_s=self.query_timeout_s, max_rows=self.max_rows)

    def adhoc_limits(self, timeout_s: float | None = None, max_rows: int | None = None) -> Limits:
        """The limits of one ad-hoc query (``timeout_s``, ``max_rows``: the command line's own)."""
        return Limits(
            timeout_s=self.query_timeout_s if timeout_s is None else timeout_s,
            max_rows=self.max_rows if max_rows is None else max_rows,
            memory_mb=self.query_memory_mb,
            max_answer_bytes=self.max_answer_bytes,
            max_list_items=self.max_list_items,
        )

    @property
    def store_kind(self) -> str:
        if self.store == "auto":
            return "neo4j" if self.neo4j_uri else "ladybug"
        return self.store
