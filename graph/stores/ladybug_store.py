"""The embedded store: Ladybug (the maintained fork of Kùzu), in memory or in one file, in-process.

Facts of the engine this module relies on (ladybug 0.22, checked in tests/test_store_ladybug.py):

- ``Column`` (and ``END``, ``ORDER``, ``GROUP``, ``DESC``, ``DEFAULT``, ``TABLE`` as properties) are
  reserved words: every identifier in generated Cypher is backquoted, and queries must write
  ``(:`Column`)``.
- ``BEGIN TRANSACTION`` / ``COMMIT`` / ``ROLLBACK`` work for DDL and DML; an error inside the transaction
  rolls it back by itself. ``BEGIN TRANSACTION READ ONLY`` refuses writes, but not ``COPY … TO`` or
  ``LOAD FROM``, and a query string may hold several statements: :func:`~graph.stores.base.check_read_only`
  closes both holes. Other connections see the old graph until ``COMMIT``.
- ``Connection.set_query_timeout(ms)`` stops a running query with ``RuntimeError("Interrupted.")``.
- Parameters are typed from the Python values: rows of one batch must have the same keys, and an
  all-null column is typed STRING, so every value is ``CAST`` to its declared type.
- ``MATCH (a {eid: x}) WITH a, row MATCH (b {eid: y})`` is about five times faster than
  ``MATCH (a {eid: x}), (b {eid: y})`` for writing relationships.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import ladybug as lb
import networkx as nx

from plangraph.graph.schema import KEY, NODE_LABELS, REL_TYPES, SHARED, Prop, ladybug_ddl, quote
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
    StoreUnavailable,
    batches,
    check_read_only,
    stats_dict,
)
from plangraph.graph.stores.rows import PlanRows, combine, link_rows, plan_rows

MEMORY = ":memory:"
#: Checkpoint the write-ahead log when it passes this size. The engine's default (-1, about 16 MiB)
#: checkpoints every few plans; each checkpoint costs seconds and leaves the file larger (50 plans: 47 s and
#: a 178 MiB file with the default, 22 s and 49 MiB with 128 MiB; see bench/load.py).
CHECKPOINT_BYTES = 128 * 1024 * 1024
#: A batch of at least this many elements (nodes and relationships) into an empty store is written by
#: ``COPY`` from files (:mod:`graph.stores.ladybug_copy`), a smaller one by ``UNWIND … CREATE``: below it the
#: files and one statement per table cost more than they save (bench/corpus_load.py).
COPY_FROM = 5_000


def _props(spec: tuple[Prop, ...], names: Sequence[str] | None) -> list[Prop]:
    return [p for p in spec if names is None or p.name in names]


@lru_cache(maxsize=1024)
def _node_query(label: str, names: tuple[str, ...] | None = None) -> str:
    """MERGE on the key, each property (of ``names``: the columns a batch has; None: all) coalesced."""
    props = [p for p in _props(NODE_LABELS[label].props, names) if p.name != KEY]
    sets = ", ".join(
        f"n.{quote(p.name)} = coalesce(CAST(row.{quote(p.name)} AS {p.type}), n.{quote(p.name)})"
        for p in props
    )
    query = f"UNWIND $rows AS row MERGE (n:{quote(label)} {{{quote(KEY)}: row.{quote(KEY)}}})"
    return query + (f" SET {sets}" if sets else "")


@lru_cache(maxsize=1024)
def _create_node_query(label: str, names: tuple[str, ...] | None = None) -> str:
    """CREATE, for the nodes of a plan the store does not hold (or no longer: deleted in the same
    transaction). The engine's MERGE looks a key up at a cost that grows with the table (20,000 rows into a
    table of 40,000: 16 s, against 1.5 s with CREATE; see bench/corpus_load.py)."""
    props = ", ".join(
        f"{quote(p.name)}: CAST(row.{quote(p.name)} AS {p.type})"
        for p in _props(NODE_LABELS[label].props, names)
    )
    return f"UNWIND $rows AS row CREATE (n:{quote(label)} {{{props}}})"


@lru_cache(maxsize=1024)
def _rel_query(
    typ: str, src: str, dst: str, create: bool = False, names: tuple[str, ...] | None = None
) -> str:
    """MERGE the relationships (their properties of ``names`` coalesced), or ``create`` them: every
    relationship of a plan the store does not hold is new."""
    k = quote(KEY)
    query = (
        f"UNWIND $rows AS row MATCH (a:{quote(src)} {{{k}: row.s}}) WITH a, row "
        f"MATCH (b:{quote(dst)} {{{k}: row.t}}) "
    )
    props = _props(REL_TYPES[typ].props, names)
    if create:
        values = ", ".join(f"{quote(p.name)}: CAST(row.{quote(p.name)} AS {p.type})" for p in props)
        return query + f"CREATE (a)-[r:{quote(typ)} {{{values}}}]->(b)"
    query += f"MERGE (a)-[r:{quote(typ)}]->(b)"
    if props:
        query += " SET " + ", ".join(
            f"r.{quote(p.name)} = coalesce(CAST(row.{quote(p.name)} AS {p.type}), r.{quote(p.name)})"
            for p in props
        )
    return query


def _columns(rows: Sequence[Mapping[str, Any]], spec: tuple[Prop, ...]) -> tuple[str, ...]:
    """The properties some row of a batch has a value for: only those are sent and written (a column
    that no row has is null in a new node, and left as it is by MERGE's coalesce). Converting the
    parameters costs about as much as writing them, and most columns of most labels are empty."""
    return tuple(p.name for p in spec if any(r.get(p.name) is not None for r in rows))


def _plain(value: Any) -> Any:
    """Ladybug values → plain Python: nodes ``{"_label": L, **props}``, relationships ``{"_type": T, …}``."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value:
            key = "_type" if "_SRC" in value else "_label"
            props = {k: _plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
            return {key: value["_LABEL"], **props}
        if "_nodes" in value and "_rels" in value:
            return {"_nodes": _plain(value["_nodes"]), "_rels": _plain(value["_rels"])}
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class LadybugStore(Store):
    """Plans in an embedded Ladybug database (``path=None``: in memory).

    >>> store = LadybugStore()
    >>> store.stats()["plans"]
    []
    >>> store.close()
    """

    kind = "ladybug"

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        batch_size: int = 500,
        checkpoint_bytes: int = CHECKPOINT_BYTES,
        max_threads: int = 0,
        copy_from: int = COPY_FROM,
    ) -> None:
        self.location = str(path) if path else MEMORY
        self.read_only = read_only
        self.batch_size = batch_size
        self.copy_from = copy_from
        #: how the last :meth:`load_many` wrote its batch: ``"copy"`` (the bulk path) or ``"create"``
        self.last_load = ""
        self._lock = threading.Lock()
        self._local = threading.local()  # this thread's read connection (:meth:`_reader`)
        #: every live thread's read connection, closed with the store (a thread's that ended is closed by
        #: the engine when it is collected)
        self._readers: weakref.WeakSet[lb.Connection] = weakref.WeakSet()
        self._readers_lock = threading.Lock()
        if self.location != MEMORY:
            file = Path(self.location)
            if read_only and not file.exists():
                raise StoreUnavailable(f"no Ladybug store at {file}: load a plan first (plangraph load)")
            if not read_only:
                file.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = lb.Database(
                self.location,
                read_only=read_only,
                checkpoint_threshold=checkpoint_bytes,
                max_num_threads=max_threads,
            )
            self._conn = lb.Connection(self._db)
        except RuntimeError as exc:
            detail = " ".join(str(exc).split())
            raise StoreUnavailable(f"cannot open the Ladybug store at {self.location}: {detail}") from None
        if not read_only:
            self._ensure_schema()

    def reopen_config(self) -> dict[str, Any]:
        """The ``open_store("ladybug", …)`` arguments with which another process opens this store read-only.

        Ladybug lets other processes open a database file read-only while this one holds it read-write; they
        see the file as it was when they opened it (reopen to see later loads). An in-memory store cannot be
        opened by another process.
        """
        if self.location == MEMORY:
            raise StoreUnavailable(
                "ad-hoc Cypher runs in worker processes, which cannot open an in-memory Ladybug store: "
                "use a store file (PLANGRAPH_DB_PATH, --db)"
            )
        return {"path": self.location, "read_only": True}

    def checkpoint(self) -> None:
        """Write the write-ahead log into the database file. A process that opens the file read-only
        replays the log into its own memory (2 MB of log for the bundled plan: 690 MiB resident, against
        160 MiB after a checkpoint). A checkpoint that cannot run now (a long read) is skipped."""
        if self.read_only or self.location == MEMORY:
            return
        with self._lock, contextlib.suppress(RuntimeError):
            self._conn.execute("CHECKPOINT")

    # -- schema ---------------------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        """Create the tables; add the properties and endpoint pairs a store made by an older schema lacks."""
        with self._lock, self._transaction():
            existing = {row[1]: row[2] for row in self._all("CALL show_tables() RETURN *")}
            for statement in ladybug_ddl():
                self._conn.execute(statement)
            for name, kind in existing.items():
                spec = NODE_LABELS.get(name) if kind == "NODE" else REL_TYPES.get(name)
                if spec is None:
                    continue
                have = {row[1] for row in self._all(f"CALL table_info('{name}') RETURN *")}
                for p in spec.props:
                    if p.name not in have:
                        self._conn.execute(f"ALTER TABLE {quote(name)} ADD {quote(p.name)} {p.type}")
                if kind == "REL":
                    pairs = {(r[0], r[1]) for r in self._all(f"CALL show_connection('{name}') RETURN *")}
                    for a, b in REL_TYPES[name].endpoints:
                        if (a, b) not in pairs:
                            self._conn.execute(f"ALTER TABLE {quote(name)} ADD FROM {quote(a)} TO {quote(b)}")

    # -- writing --------------------------------------------------------------------------------------
    def _merge_rows(self, rows: PlanRows, plan_id: str, progress: Progress | None) -> None:
        with self._atomic(f"loading plan {plan_id}"):
            self._write(rows, progress)

    def load_many(
        self, plans: Sequence[tuple[str, nx.MultiDiGraph]], *, progress: Progress | None = None
    ) -> None:
        """Several plans in one transaction, each replacing its old version: the old versions are deleted,
        then every plan's nodes and relationships created (the shared entities merged).

        A batch of at least ``copy_from`` elements into a store that holds nothing takes the bulk path
        (:meth:`_copy`: ``COPY`` from files, 3–4x faster at 1,000 plans); ``COPY`` into tables that
        hold rows is slower than ``CREATE`` (its commit grows with the table), so a store that holds plans
        never takes it. A bulk load that fails (an engine error, files that cannot be written) is rolled
        back, the store empty as it was, and the batch written by the batched path."""
        rows = combine([plan_rows(graph, plan_id) for plan_id, graph in plans])
        ids = [plan_id for plan_id, _ in plans]
        doing = f"loading plan{'s' if len(ids) > 1 else ''} {', '.join(ids)}"
        if rows.total >= self.copy_from and self._empty():  # one writer holds the file: it stays empty
            try:
                with self._atomic(doing):
                    self._copy(rows, progress)
                self.last_load = "copy"
                return
            except (LoadFailed, OSError):
                pass  # rolled back, the store empty as it was: the batched path writes the batch
        with self._atomic(doing):
            for plan_id in self._held(ids):
                self._delete_plan(plan_id)
            self._write(rows, progress, create=True)
        self.last_load = "create"

    def _held(self, plan_ids: Sequence[str]) -> list[str]:
        """Which of the plans the store holds any node of (one scan, whatever the number of plans)."""
        held = "MATCH (n) WHERE n.plan_id IN $ids RETURN DISTINCT n.plan_id"
        found = self._all(held, {"ids": list(plan_ids)})
        return sorted(r[0] for r in found)

    def drop_plan(self, plan_id: str) -> None:
        with self._atomic(f"dropping plan {plan_id}"):
            self._delete_plan(plan_id)

    def write_links(self, rels: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]]) -> None:
        rows = link_rows(rels)
        with self._atomic("linking plans"):
            self._write(rows, None)

    @contextlib.contextmanager
    def _atomic(self, doing: str) -> Iterator[None]:
        """One write transaction at a time; an engine error becomes :class:`LoadFailed` (rolled back)."""
        if self.read_only:
            raise StoreUnavailable(f"{doing}: the Ladybug store at {self.location} is open read-only")
        with self._lock:
            try:
                with self._transaction():
                    yield
            except RuntimeError as exc:
                detail = " ".join(str(exc).split())
                raise LoadFailed(
                    f"{doing} ({self.location}) failed and was rolled back, the previous graph is intact: "
                    f"{detail}"
                ) from exc

    def _write(self, rows: PlanRows, progress: Progress | None, *, create: bool = False) -> None:
        """MERGE every row, or (``create``: the plans' old versions are gone) CREATE the plans' own nodes
        and relationships and MERGE only the shared entities."""
        done, total = 0, rows.total
        for label, items in rows.nodes.items():
            merge = not create or label in SHARED
            for batch in batches(items, self.batch_size):
                names = _columns(batch, NODE_LABELS[label].props)
                query = _node_query(label, names) if merge else _create_node_query(label, names)
                self._conn.execute(query, {"rows": [{n: r.get(n) for n in names} for r in batch]})
                done += len(batch)
                if progress:
                    progress(done, total)
        for (typ, src, dst), items in rows.rels.items():
            for batch in batches(items, self.batch_size):
                names = _columns([r["props"] for r in batch], REL_TYPES[typ].props)
                query = _rel_query(typ, src, dst, create, names)
                flat = [{"s": r["s"], "t": r["t"], **{n: r["props"].get(n) for n in names}} for r in batch]
                self._conn.execute(query, {"rows": flat})
                done += len(batch)
                if progress:
                    progress(done, total)

    def _copy(self, rows: PlanRows, progress: Progress | None) -> None:
        """The bulk path (:mod:`graph.stores.ladybug_copy`), for a store that holds nothing: every node
        (the shared entities one row each already) and relationship copied from Parquet files, nodes first;
        the same rows and properties as :meth:`_write` writes."""
        from plangraph.graph.stores.ladybug_copy import Copier  # pyarrow: only when a bulk load runs

        done, total = 0, rows.total
        copier = Copier(self._conn.execute)
        try:
            for label, items in rows.nodes.items():
                spec = NODE_LABELS[label].props
                copier.nodes(label, items, _props(spec, _columns(items, spec)))
                done += len(items)
                if progress:
                    progress(done, total)
            for (typ, src, dst), items in rows.rels.items():
                spec = REL_TYPES[typ].props
                copier.rels(typ, src, dst, items, _props(spec, _columns([r["props"] for r in items], spec)))
                done += len(items)
                if progress:
                    progress(done, total)
        finally:
            copier.close()

    def _empty(self) -> bool:
        return not self._all("MATCH (n) RETURN n.eid LIMIT 1")

    def _delete_plan(self, plan_id: str) -> None:
        """Delete the plan's nodes, then the shared entities they linked to that nothing links to any more."""
        linked = self._all(
            "MATCH (n)-[]-(e) WHERE n.plan_id = $p AND (e.plan_id IS NULL OR e.plan_id = '') "
            "RETURN DISTINCT label(e), e.eid",
            {"p": plan_id},
        )
        self._conn.execute("MATCH (n) WHERE n.plan_id = $p DETACH DELETE n", {"p": plan_id})
        by_label: dict[str, list[str]] = {}
        for label, eid in linked:
            by_label.setdefault(label, []).append(eid)
        for label, eids in sorted(by_label.items()):
            self._conn.execute(
                f"UNWIND $eids AS x MATCH (e:{quote(label)} {{{quote(KEY)}: x}}) "
                "WHERE NOT EXISTS { MATCH (e)--() } DELETE e",
                {"eids": eids},
            )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            # an error inside the engine has already rolled the transaction back
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _all(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        result = self._conn.execute(query, params or {})
        assert not isinstance(result, list)
        return [list(r) for r in result.get_all()]

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
        conn = self._reader()
        ok = False
        try:
            conn.set_query_timeout(max(1, round(timeout_s * 1000)))
            conn.execute("BEGIN TRANSACTION READ ONLY")
            try:
                result = conn.execute(query, dict(params or {}))
            except RuntimeError as exc:
                raise _read_error(exc, timeout_s) from None
            assert not isinstance(result, list)
            columns = result.get_column_names()
            rows: list[list[Any]] = []
            try:
                while len(rows) <= max_rows and result.has_next():
                    rows.append([_plain(v) for v in result.get_next()])
            except RuntimeError as exc:
                raise _read_error(exc, timeout_s) from None
            except MemoryError:
                rows.clear()
                raise QueryTooLarge(_OUT_OF_MEMORY) from None
            result.close()
            ok = True
        finally:
            with contextlib.suppress(RuntimeError):
                conn.execute("ROLLBACK")
            if not ok:  # stopped, refused or out of memory: the next read of this thread starts afresh
                self._drop_reader(conn)
        truncated = len(rows) > max_rows
        return QueryResult(columns, rows[:max_rows], truncated)

    def _reader(self) -> lb.Connection:
        """This thread's read connection, made on its first read. Reads do not share one: a Ladybug
        connection runs one query at a time. Each keeps the statements it prepared (a fresh connection
        per read prepared every query again: 40 % of a route's store time on the bundled plan,
        bench/app_overhead.py), and each read is its own read-only transaction, so it sees every load
        committed before it began."""
        conn: lb.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = lb.Connection(self._db)
            with self._readers_lock:
                self._readers.add(conn)
            self._local.conn = conn
        return conn

    def _drop_reader(self, conn: lb.Connection) -> None:
        self._local.conn = None
        with self._readers_lock:
            self._readers.discard(conn)
        with contextlib.suppress(RuntimeError):
            conn.close()

    def stats(self) -> dict[str, Any]:
        conn = lb.Connection(self._db)
        try:

            def all_rows(query: str) -> list[list[Any]]:
                result = conn.execute(query)
                assert not isinstance(result, list)
                return [list(r) for r in result.get_all()]

            nodes = dict.fromkeys(NODE_LABELS, 0)
            nodes.update({lab: n for lab, n in all_rows("MATCH (n) RETURN label(n), count(*)")})
            rels = dict.fromkeys(REL_TYPES, 0)
            rels.update({typ: n for typ, n in all_rows("MATCH ()-[r]->() RETURN label(r), count(*)")})
            plans = [r[0] for r in all_rows("MATCH (n) WHERE n.plan_id <> '' RETURN DISTINCT n.plan_id")]
        finally:
            conn.close()
        return stats_dict(self.kind, self.location, plans, nodes, rels)

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = list(self._readers), weakref.WeakSet()
        with contextlib.suppress(RuntimeError):
            for conn in readers:
                conn.close()
            self._conn.close()
            self._db.close()

    def __enter__(self) -> LadybugStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_OUT_OF_MEMORY = "the query needs more memory than it may use and was stopped"
#: how the engine says it ran out of memory (an allocation over the process's limit, or a full buffer pool)
_MEMORY_ERRORS = ("std::bad_alloc", "Unable to allocate memory", "Mmap for size")


def _read_error(exc: RuntimeError, timeout_s: float) -> Exception:
    message = str(exc)
    if any(sign in message for sign in _MEMORY_ERRORS):
        return QueryTooLarge(_OUT_OF_MEMORY)
    if message.strip() == "Interrupted.":
        return QueryTimeout(f"the query ran longer than timeout_s={timeout_s:g} s and was stopped")
    if "read-only" in message:
        return QueryRefused("only read queries are allowed")
    return QueryRefused(f"Ladybug refused the query: {message}")
