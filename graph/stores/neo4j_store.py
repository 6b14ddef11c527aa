"""The server store: Neo4j 5 through the official driver (``bolt://``, ``neo4j://``, ``neo4j+s://`` …).

Writes are batched ``UNWIND $rows AS row MERGE (n:Label {eid: row.eid}) SET n += row.props`` per label and
``MATCH … MATCH … MERGE (a)-[r:TYPE]->(b) SET r += row.props`` per (type, from, to), on the uniqueness
constraints of :func:`graph.schema.neo4j_constraints`, so a load can be repeated. A plan is replaced in
one managed write transaction (the new version written over the old one in place, ``SET n = row.props``,
then what it no longer holds deleted): readers see each node as the old version or the new one, never a
deleted node's empty properties, and a failure or a lost connection midway rolls everything back.
Reads run in READ transactions with a timeout and a row cap.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import neo4j
import networkx as nx
from neo4j import GraphDatabase, Query
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from plangraph.graph.schema import (
    DOCUMENT_LABELS,
    KEY,
    METRIC,
    NODE_LABELS,
    REL_TYPES,
    SHARED,
    neo4j_constraints,
    quote,
)
from plangraph.graph.stores.base import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT_S,
    LoadFailed,
    Progress,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    QueryTooLarge,
    Store,
    StoreError,
    StoreUnavailable,
    batches,
    check_read_only,
    safe_uri,
    stats_dict,
)
from plangraph.graph.stores.rows import PlanRows, combine, link_rows, plan_rows

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_DATABASE = "neo4j"
#: the server stopped the transaction at its memory limit (db.memory.transaction.max, per transaction, or
#: dbms.memory.transaction.total.max, all transactions together)
_MEMORY_CODES = (
    "Neo.ClientError.General.TransactionOutOfMemoryError",
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
)
#: the server ran out of memory outside the transaction's pool (netty's direct buffers for a huge answer)
_OUT_OF_MEMORY = re.compile(r"failed to allocate .* of direct memory|OutOfMemoryError", re.IGNORECASE)
_TIMEOUT_CODES = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
)


# -- all Cypher text of this store --------------------------------------------------------------------
def plan_id_indexes() -> list[str]:
    """An index on ``plan_id`` per label, so dropping or replacing a plan does not scan the label; on
    ``name`` of the shared labels, which the cross-plan queries filter by (``{name: $technology}``); and a
    text index on the measures' names (``CONTAINS $indicator``)."""
    return (
        [
            f"CREATE INDEX {label.lower()}_plan_id IF NOT EXISTS FOR (n:{quote(label)}) ON (n.plan_id)"
            for label in NODE_LABELS
        ]
        + [
            f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{quote(label)}) ON (n.name)"
            for label in SHARED
        ]
        + [
            # indicator_through_plans finds measures by part of their name (CONTAINS): a text index answers it
            f"CREATE TEXT INDEX {METRIC.lower()}_name_text IF NOT EXISTS FOR (n:{quote(METRIC)}) ON (n.name)"
        ]
    )


def node_query(label: str, replace: bool = False, create: bool = False) -> str:
    """``replace``: the node's properties become exactly the row's (a new version written in place);
    ``create``: a node of a plan the store does not hold, created without looking it up (a shared entity
    is merged all the same)."""
    k = quote(KEY)
    if create and label not in SHARED:
        return f"UNWIND $rows AS row CREATE (n:{quote(label)}) SET n = row.props"
    op = "=" if replace or create else "+="
    return f"UNWIND $rows AS row MERGE (n:{quote(label)} {{{k}: row.{k}}}) SET n {op} row.props"


def rel_query(typ: str, src: str, dst: str, replace: bool = False, create: bool = False) -> str:
    """``create``: a relationship of a plan the store does not hold (new, as every relationship of it)."""
    k = quote(KEY)
    op = "=" if replace else "+="
    write = (
        f"CREATE (a)-[r:{quote(typ)}]->(b) SET r = row.props"
        if create
        else (f"MERGE (a)-[r:{quote(typ)}]->(b) SET r {op} row.props")
    )
    return (
        f"UNWIND $rows AS row MATCH (a:{quote(src)} {{{k}: row.s}}) "
        f"MATCH (b:{quote(dst)} {{{k}: row.t}}) {write}"
    )


LINKED_ENTITIES = (
    "MATCH (n:{label})--(e) WHERE n.plan_id = $p AND coalesce(e.plan_id, '') = '' "
    "RETURN DISTINCT labels(e)[0] AS label, e.eid AS eid"
)
DELETE_PLAN = "MATCH (n:{label}) WHERE n.plan_id = $p DETACH DELETE n"
#: what a new version of a plan no longer holds: its nodes and the relationships of its nodes
STALE_NODES = "MATCH (n:{label}) WHERE n.plan_id = $p AND NOT n.eid IN $keep DETACH DELETE n"
STALE_RELS = (
    "MATCH (n:{label})-[r]-() WHERE n.plan_id = $p "
    "AND NOT [startNode(r).eid, type(r), endNode(r).eid] IN $keep DELETE r"
)
DELETE_ORPHANS = (
    "UNWIND $eids AS x MATCH (e:{label} {{eid: x}}) WHERE NOT EXISTS {{ MATCH (e)--() }} DELETE e"
)
COUNT_LABEL = "MATCH (n:{label}) RETURN count(n) AS n"
#: does the server answer?
PING = "RETURN 1"
COUNT_TYPE = "MATCH ()-[r:{type}]->() RETURN count(r) AS n"
HELD = "MATCH (n:{label}) WHERE n.plan_id IN $ids RETURN DISTINCT n.plan_id AS p"
PLAN_IDS = "MATCH (n:{label}) WHERE n.plan_id <> '' RETURN DISTINCT n.plan_id AS p"


class Neo4jStore(Store):
    """Plans in a Neo4j database; connecting checks the server and the credentials at once.

    Parameters
    ----------
    uri : ``bolt://host:7687``, ``neo4j://…``, ``neo4j+s://…`` (Aura) …
    user, password : credentials; the password never appears in an error.
    database : the database name (Community has only ``neo4j``).
    """

    kind = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = DEFAULT_DATABASE,
        *,
        batch_size: int = 1000,
        connection_timeout_s: float = 5.0,
    ) -> None:
        self.uri = uri
        self.location = f"{safe_uri(uri)} (database {database})"
        self.user = user
        self._password = password
        self.database = database
        self.batch_size = batch_size
        self._schema_ready = False
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in SCHEMES:
            raise StoreUnavailable(
                f"cannot use Neo4j URI {safe_uri(uri)!r}: the scheme must be one of "
                f"{', '.join(s + '://' for s in SCHEMES)}"
            )
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout_s,
                max_transaction_retry_time=5.0,
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
            self._driver.execute_query(PING, database_=database, routing_=neo4j.RoutingControl.READ)
        except Exception as exc:
            with contextlib.suppress(Exception):
                self._driver.close()
            raise self._unavailable(exc, "connecting") from None

    def reopen_config(self) -> dict[str, Any]:
        """The ``open_store("neo4j", …)`` arguments with which another process connects to this database."""
        return {"uri": self.uri, "user": self.user, "password": self._password, "database": self.database}

    # -- errors ---------------------------------------------------------------------------------------
    def _unavailable(self, exc: BaseException, doing: str) -> StoreError:
        where = f"Neo4j at {safe_uri(self.uri)}"
        if isinstance(exc, AuthError):
            return StoreUnavailable(
                f"{doing}: {where} refused the credentials of user {self.user!r} "
                "(check NEO4J_USERNAME / NEO4J_PASSWORD)"
            )
        if isinstance(exc, IncompleteCommit):
            return StoreUnavailable(
                f"{doing}: the connection to {where} was lost while committing; "
                "the commit may or may not have happened"
            )
        if isinstance(exc, ServiceUnavailable | SessionExpired):
            return StoreUnavailable(
                f"{doing}: {where} does not answer ({_first_line(exc)}); "
                "is the server running (make neo4j-start)?"
            )
        if isinstance(exc, ClientError) and (exc.code or "").endswith("DatabaseNotFound"):
            return StoreUnavailable(f"{doing}: {where} has no database {self.database!r}")
        if isinstance(exc, Neo4jError | DriverError | OSError):
            return StoreUnavailable(f"{doing}: {where} failed: {_first_line(exc)}")
        return StoreUnavailable(f"{doing}: cannot use {where}: {type(exc).__name__}: {_first_line(exc)}")

    @contextlib.contextmanager
    def _session(self, doing: str, **config: Any) -> Iterator[neo4j.Session]:
        try:
            with self._driver.session(database=self.database, **config) as session:
                yield session
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise self._unavailable(exc, doing) from None
        except ClientError as exc:
            if (exc.code or "").endswith("DatabaseNotFound"):
                raise self._unavailable(exc, doing) from None
            raise

    # -- schema ---------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Uniqueness constraints on ``eid`` (:mod:`graph.schema`) and ``plan_id`` indexes; re-runnable."""
        if self._schema_ready:
            return
        with self._session("creating constraints") as session:
            for statement in [*neo4j_constraints(), *plan_id_indexes()]:
                session.run(statement).consume()
        self._schema_ready = True

    # -- writing --------------------------------------------------------------------------------------
    def _merge_rows(self, rows: PlanRows, plan_id: str, progress: Progress | None) -> None:
        self.ensure_schema()
        self._write_tx(f"loading plan {plan_id}", lambda tx: _write(tx, rows, self.batch_size, progress))

    def load_many(
        self, plans: Sequence[tuple[str, nx.MultiDiGraph]], *, progress: Progress | None = None
    ) -> None:
        """Several plans in one transaction, each replacing its old version: one statement per label and
        relationship group writes the rows of all of them; the plans the store held are then cleared of
        what their new versions no longer hold.

        A new version is written over the old one in place: nodes and relationships it keeps are updated,
        not deleted and made again. Neo4j reads are read-committed, and a request reading a node deleted
        by a commit meanwhile would see its properties as null; so a reader during the load sees each node
        as the old or the new version."""
        parts = [plan_rows(graph, plan_id) for plan_id, graph in plans]
        ids = [part.plan_id for part in parts]
        total = sum(part.total for part in parts)
        self.ensure_schema()

        def work(tx: neo4j.ManagedTransaction) -> None:
            held = set(_held(tx, ids))
            old = [part for part in parts if part.plan_id in held]
            new = [part for part in parts if part.plan_id not in held]
            linked = {part.plan_id: _linked_entities(tx, part.plan_id) for part in old}
            done = _write(tx, combine(new), self.batch_size, progress, create=True, total=total) if new else 0
            if old:
                _write(tx, combine(old), self.batch_size, progress, replace=True, done=done, total=total)
            for part in old:
                _delete_stale(tx, part, linked[part.plan_id])

        self._write_tx(f"loading plan{'s' if len(ids) > 1 else ''} {', '.join(ids)}", work)

    def drop_plan(self, plan_id: str) -> None:
        self._write_tx(f"dropping plan {plan_id}", lambda tx: _delete_plan(tx, plan_id))

    def write_links(self, rels: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]]) -> None:
        rows = link_rows(rels)
        self.ensure_schema()
        self._write_tx("linking plans", lambda tx: _write(tx, rows, self.batch_size, None))

    def _write_tx(self, doing: str, work: Callable[[neo4j.ManagedTransaction], object]) -> None:
        where = f"Neo4j at {safe_uri(self.uri)}"
        try:
            with self._driver.session(database=self.database) as session:
                session.execute_write(work)
        except IncompleteCommit as exc:
            raise self._unavailable(exc, doing) from None
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(
                f"{doing}: the connection to {where} was lost or refused "
                f"({_first_line(exc)}); the transaction was rolled back, "
                "the previous graph is intact"
            ) from None
        except AuthError as exc:
            raise self._unavailable(exc, doing) from None
        except Neo4jError as exc:
            if (exc.code or "").endswith("DatabaseNotFound"):
                raise self._unavailable(exc, doing) from None
            raise LoadFailed(
                f"{doing} ({self.location}) failed and was rolled back, the previous graph is intact: "
                f"{_first_line(exc)}"
            ) from None

    # -- reading --------------------------------------------------------------------------------------
    def read(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        check_read_only(query)
        fetch = max(1, min(max_rows + 1, 1000))
        rows: list[list[Any]] = []
        sent = False
        try:
            with self._session("reading", default_access_mode=neo4j.READ_ACCESS, fetch_size=fetch) as session:
                sent = True
                result = session.run(Query(query, timeout=timeout_s), dict(params or {}))
                columns = list(result.keys())
                for record in result:
                    rows.append([_plain(v) for v in record.values()])
                    if len(rows) > max_rows:
                        break
        except StoreUnavailable:
            rows.clear()
            if sent and self._answers():
                # the server dropped this connection mid-query and answers others: it could not send what
                # the query built (netty gives up on a message over its direct memory, without a word)
                raise QueryTooLarge(
                    "Neo4j dropped the connection while answering this query and answers others: one row "
                    "of the answer is more than the server can send (its direct memory)",
                    "server_answer",
                ) from None
            raise
        except Neo4jError as exc:
            code = exc.code or ""
            if code in _MEMORY_CODES or _OUT_OF_MEMORY.search(_first_line(exc)):
                raise QueryTooLarge(
                    f"Neo4j stopped the query at its memory limit: {_first_line(exc)}", "server_memory"
                ) from None
            if not isinstance(exc, ClientError):
                raise QueryRefused(f"Neo4j could not run the query: {_first_line(exc)}") from None
            if code in _TIMEOUT_CODES:
                raise QueryTimeout(
                    f"the query ran longer than timeout_s={timeout_s:g} s and was stopped"
                ) from None
            if code == "Neo.ClientError.Statement.AccessMode":
                raise QueryRefused("only read queries are allowed") from None
            raise QueryRefused(f"Neo4j refused the query: {_first_line(exc)}") from None
        except MemoryError:
            rows.clear()
            raise QueryTooLarge("the answer needs more memory than the query may use") from None
        except (ValueError, OverflowError, TypeError) as exc:  # the driver cannot send a parameter
            raise QueryRefused(f"a parameter cannot be sent to Neo4j: {exc}") from None
        truncated = len(rows) > max_rows
        return QueryResult(columns, rows[:max_rows], truncated)

    def _answers(self) -> bool:
        """Whether the server answers a trivial query now: once, without the driver's retries."""
        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
                s.run(PING).consume()
        except Exception:  # down, or anything else: the caller reports it unavailable
            return False
        return True

    def stats(self) -> dict[str, Any]:
        nodes: dict[str, int] = {}
        rels: dict[str, int] = {}
        plans: set[str] = set()
        with self._session("reading statistics", default_access_mode=neo4j.READ_ACCESS) as session:
            for label in NODE_LABELS:
                nodes[label] = session.run(COUNT_LABEL.format(label=quote(label))).single(strict=True)["n"]
                if nodes[label]:
                    plans.update(r["p"] for r in session.run(PLAN_IDS.format(label=quote(label))))
            for typ in REL_TYPES:
                rels[typ] = session.run(COUNT_TYPE.format(type=quote(typ))).single(strict=True)["n"]
        return stats_dict(self.kind, self.location, sorted(plans), nodes, rels)

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _delete_stale(tx: neo4j.ManagedTransaction, rows: PlanRows, linked: dict[str, set[str]]) -> None:
    """What the plan's new version (``rows``, written) no longer holds: its relationships, its nodes, and
    the shared entities (``linked`` by its old version) nothing links to any more."""
    plan_id = rows.plan_id
    keep_rels = [[r["s"], typ, r["t"]] for (typ, _, _), items in rows.rels.items() for r in items]
    keep_nodes = [row[KEY] for items in rows.nodes.values() for row in items]
    for label in NODE_LABELS:
        tx.run(STALE_RELS.format(label=quote(label)), p=plan_id, keep=keep_rels).consume()
    for label in NODE_LABELS:
        tx.run(STALE_NODES.format(label=quote(label)), p=plan_id, keep=keep_nodes).consume()
    _delete_orphans(tx, linked)


def _write(
    tx: neo4j.ManagedTransaction,
    rows: PlanRows,
    batch_size: int,
    progress: Progress | None,
    *,
    replace: bool = False,
    create: bool = False,
    done: int = 0,
    total: int | None = None,
) -> int:
    """Write the rows (see :func:`node_query` for ``replace`` and ``create``); the elements written so far
    (``done`` before, of ``total``, for ``progress``)."""
    total = rows.total if total is None else total
    for label, items in rows.nodes.items():
        query = node_query(label, replace, create)
        for batch in batches(items, batch_size):
            payload = [{KEY: r[KEY], "props": r} for r in batch]
            tx.run(query, rows=payload).consume()
            done += len(batch)
            if progress:
                progress(done, total)
    for (typ, src, dst), items in rows.rels.items():
        query = rel_query(typ, src, dst, replace, create)
        for batch in batches(items, batch_size):
            tx.run(query, rows=list(batch)).consume()
            done += len(batch)
            if progress:
                progress(done, total)
    return done


def _held(tx: neo4j.ManagedTransaction, plan_ids: Sequence[str]) -> list[str]:
    """Which of the plans the store holds any node of (the ``plan_id`` index of each label)."""
    held: set[str] = set()
    for label in DOCUMENT_LABELS:
        held.update(r["p"] for r in tx.run(HELD.format(label=quote(label)), ids=list(plan_ids)))
    return sorted(held)


def _linked_entities(tx: neo4j.ManagedTransaction, plan_id: str) -> dict[str, set[str]]:
    linked: dict[str, set[str]] = {}
    for label in NODE_LABELS:
        for record in tx.run(LINKED_ENTITIES.format(label=quote(label)), p=plan_id):
            linked.setdefault(record["label"], set()).add(record["eid"])
    return linked


def _delete_orphans(tx: neo4j.ManagedTransaction, linked: dict[str, set[str]]) -> None:
    for label, eids in sorted(linked.items()):
        tx.run(DELETE_ORPHANS.format(label=quote(label)), eids=sorted(eids)).consume()


def _delete_plan(tx: neo4j.ManagedTransaction, plan_id: str) -> None:
    """Delete the plan's nodes, then the shared entities they linked to that nothing links to any more."""
    linked = _linked_entities(tx, plan_id)
    for label in NODE_LABELS:
        tx.run(DELETE_PLAN.format(label=quote(label)), p=plan_id).consume()
    _delete_orphans(tx, linked)


def _plain(value: Any) -> Any:
    """Driver values → plain Python: nodes ``{"_label": L, **props}``, relationships ``{"_type": T, …}``."""
    if isinstance(value, neo4j.graph.Node):
        labels = sorted(value.labels)
        props = {k: _plain(v) for k, v in value.items()}
        return {"_label": labels[0] if len(labels) == 1 else labels, **props}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return {"_nodes": [_plain(n) for n in value.nodes], "_rels": [_plain(r) for r in value.relationships]}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time values
        return value.iso_format()
    return value


def _first_line(exc: BaseException) -> str:
    """The driver's message on one line (its connection errors span several)."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    text = " ".join(line.strip() for line in str(message).splitlines() if line.strip())
    text = text.replace(":) ", ") ").rstrip(":")
    return text if len(text) <= 300 else text[:299] + "…"
