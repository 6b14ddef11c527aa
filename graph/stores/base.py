"""The store protocol every engine implements, its result type, its typed errors and the read-only guard.

A store holds any number of plans side by side. Plan-scoped nodes carry ``plan_id``; the shared entity
nodes (Body, Technology, Region, Document, Initiative) carry ``plan_id = ""`` and live as long as some
plan still links to them. Loads are atomic per plan: readers see the old graph or the new one, and a
load that fails midway leaves the old one in place.

Errors carry a code, like the parser's: ``[E301]`` store unavailable, ``[E302]`` query refused,
``[E303]`` query timed out, ``[E304]`` load failed (rolled back), ``[E305]`` query or answer too large;
``[E310]`` marks a graph that breaks the schema. All are :class:`ingest.errors.PlanGraphError`. Messages
name the URI or path and what failed, never a password.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # networkx is not loaded by commands that only read a store
    import networkx as nx

    from plangraph.graph.stores.rows import PlanRows

from plangraph.ingest.errors import PlanGraphError

#: ``progress(done, total)``: elements (nodes + relationships) written so far, out of ``total``.
Progress = Callable[[int, int], None]

#: Default limits for :meth:`Store.read`, named so errors can say which one was hit.
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 1000


class StoreError(PlanGraphError):
    """Base of the store errors: ``[code] message``."""

    code = "E300"


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened: server down, wrong credentials, lost connection, locked file."""

    code = "E301"


class QueryRefused(StoreError):
    """The query was not run or was rejected: not read-only, several statements, invalid Cypher."""

    code = "E302"


class QueryTimeout(StoreError):
    """The query ran longer than its ``timeout_s`` and was stopped."""

    code = "E303"


class QueryTooLarge(StoreError):
    """The query needed more memory than its limit, or its answer is over a size limit.

    ``limit`` names which: ``"memory"`` (the process's address space), ``"server_memory"`` (the Neo4j
    server's transaction memory), ``"server_answer"`` (the Neo4j server could not send a row that large:
    its direct memory), ``"answer_bytes"`` (one row alone is over the answer's byte cap),
    ``"list_items"`` (a list in a row is over the list cap).
    """

    code = "E305"

    def __init__(self, message: str, limit: str = "memory") -> None:
        super().__init__(message)
        self.limit = limit


class LoadFailed(StoreError):
    """A load stopped midway and was rolled back: the store holds what it held before."""

    code = "E304"


@dataclass(frozen=True)
class QueryResult:
    """Columns, rows (at most ``max_rows``) and whether more rows were left off."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@runtime_checkable
class Store(Protocol):
    """What the CLI, the API and the tests need from a graph store."""

    #: ``"ladybug"`` or ``"neo4j"``.
    kind: str
    #: Where the store is, for messages: a file path, ``:memory:``, or the URI (without credentials).
    location: str

    def load(
        self,
        graph: nx.MultiDiGraph,
        plan_id: str,
        *,
        replace: bool = True,
        progress: Progress | None = None,
    ) -> None:
        """Write ``graph`` (one plan, see :mod:`graph.schema`) in one transaction.

        ``replace=True`` first removes what the store holds of ``plan_id``, so the store ends up with
        exactly this graph for the plan (a batch of one, :meth:`load_many`); ``replace=False`` merges into
        it (the engine's ``_merge_rows``). Loading the same graph twice changes nothing. Raises
        ``ValueError`` when the graph breaks the schema (nothing is written). Written here once: the stores
        subclass this protocol.
        """
        if replace:
            self.load_many([(plan_id, graph)], progress=progress)
            return
        from plangraph.graph.stores.rows import plan_rows

        self._merge_rows(plan_rows(graph, plan_id), plan_id, progress)

    def _merge_rows(self, rows: PlanRows, plan_id: str, progress: Progress | None) -> None:
        """Write one plan's rows into what the store holds of it (MERGE), in one transaction."""
        ...

    def load_many(
        self, plans: Sequence[tuple[str, nx.MultiDiGraph]], *, progress: Progress | None = None
    ) -> None:
        """Write several plans (``(plan_id, graph)``) in one transaction, each replacing its old version:
        all of them or, on a failure, none (the store holds what it held). One statement per label and
        relationship group writes the rows of all the plans, so a batch costs about what one plan costs
        in round trips. Raises ``ValueError`` when a graph breaks the schema (nothing is written)."""
        ...

    def drop_plan(self, plan_id: str) -> None:
        """Remove the plan's nodes, their relationships and the entities no other plan links to."""
        ...

    def write_links(self, rels: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]]) -> None:
        """MERGE relationships between nodes the store holds (links across plans, see
        :mod:`graph.crossplan`) in one transaction; ``rels[(type, from label, to label)]`` is a list of
        ``{"s": eid, "t": eid, "props": {...}}``. Raises ``ValueError`` for a pair the schema does not
        allow."""
        ...

    def read(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run one read-only Cypher statement; at most ``max_rows`` rows, stopped after ``timeout_s``."""
        ...

    def stats(self) -> dict[str, Any]:
        """``{"kind", "location", "plans", "nodes": {label: n}, "relationships": {type: n}}``."""
        ...

    def close(self) -> None:
        """Release the connection or file; the store is unusable afterwards."""
        ...


# -- read-only guard --------------------------------------------------------------------------------
# Statements that write files, read files, change transactions or load code. The engines enforce
# read-only transactions themselves; these are the holes they leave (Ladybug runs COPY … TO and
# LOAD FROM inside a read-only transaction, and runs every statement of ``a; b``).
_FORBIDDEN = (
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "CHECKPOINT",
    "COPY",
    "LOAD",
    "EXPORT",
    "IMPORT",
    "ATTACH",
    "DETACH",
    "INSTALL",
    "UNINSTALL",
    "USE",
    "CREATE",
    "MERGE",
    "SET",
    "DELETE",
    "REMOVE",
    "DROP",
    "ALTER",
    "FOREACH",
)
_TOKEN = re.compile(
    r"""'(?:[^'\\]|\\.)*'        # single-quoted string
      | "(?:[^"\\]|\\.)*"        # double-quoted string
      | `[^`]*`                  # quoted identifier
      | //[^\r\n]*               # line comment (Neo4j ends it at \r too)
      | /\*.*?\*/                # block comment
      | (?P<semi>;)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)


def check_read_only(query: str) -> None:
    """Refuse anything but one read-only statement (a lexical check, before the engine's own).

    >>> check_read_only("MATCH (n:`Task`) WHERE n.title CONTAINS 'CREATE' RETURN n.eid;")
    >>> check_read_only("MATCH (n) DETACH DELETE n")
    Traceback (most recent call last):
    ...
    plangraph.graph.stores.base.QueryRefused: [E302] only read queries are allowed: DETACH is not
    """
    if not query.strip():
        raise QueryRefused("empty query")
    ended = False
    for m in _TOKEN.finditer(query):
        if m.group(0).startswith(("//", "/*")):
            continue
        if ended:
            raise QueryRefused("one statement per query: remove the ';'")
        if m.group("semi"):
            ended = True
            continue
        word = m.group("word")
        if word and word.upper() in _FORBIDDEN:
            # ``n.set``, ``$load``, ``(:Set)``, ``{set: 1}`` are names, not clauses
            before, after = query[: m.start()].rstrip(), query[m.end() :].lstrip()
            if before.endswith((".", "$", ":")) or after.startswith(":"):
                continue
            raise QueryRefused(f"only read queries are allowed: {word.upper()} is not")
    check_admin(query)


# -- admin commands and procedures ------------------------------------------------------------------
#: Procedures ad-hoc Cypher may CALL: the read-only catalogue and search procedures of both engines.
#: Anything else is refused: Neo4j's admin procedures, which run in READ transactions
#: (dbms.killConnections, dbms.listConfig, db.clearQueryCaches, db.stats.*), its write ones, apoc.*, and
#: Ladybug's configuration statements (``CALL checkpoint_threshold=1`` changes the open database).
CYPHER_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
        "dbms.components",
        "show_tables",
        "table_info",
        "show_connection",
        "db_version",
        "current_setting",
    }
)
#: Neo4j commands that run in a READ transaction on any database: SHOW TRANSACTIONS lists other clients'
#: queries, TERMINATE TRANSACTIONS stops them (a reload included), SHOW USERS/SETTINGS disclose the server.
_ADMIN_WORDS = ("SHOW", "TERMINATE")
_LITERAL = re.compile(
    r"""(?P<string>'(?:[^'\\]|\\.)*' | "(?:[^"\\]|\\.)*")
      | (?P<name>`(?:[^`]|``)*`)
      | (?P<comment>//[^\r\n]* | /\*.*?\*/)""",
    re.VERBOSE | re.DOTALL,
)
_BLANK = {"string": "''", "name": "`_`", "comment": " "}
_PART = r"(?:[A-Za-z_][A-Za-z0-9_]*|`_`)"
_PROCEDURE = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)")
_CLAUSE = re.compile(r"(?<![\w.$`])(CALL|SHOW|TERMINATE)\b(?!\s*:)", re.IGNORECASE)


def check_admin(query: str) -> None:
    """Refuse admin commands and procedure calls that run inside read-only transactions
    (``SHOW``/``TERMINATE TRANSACTIONS``, ``CALL`` of anything but :data:`CYPHER_PROCEDURES`).

    Comments end at ``\\r`` too (Neo4j ends them there); strings and quoted names are blanked first, so
    a backquoted procedure name is refused.
    """
    code = _LITERAL.sub(lambda m: _BLANK[m.lastgroup or "comment"], query)
    for m in _CLAUSE.finditer(code):
        word = m.group(1).upper()
        if code[: m.start()].rstrip().endswith((".", "$", ":")):
            continue  # a property, parameter or label named like the clause
        if word in _ADMIN_WORDS:
            raise QueryRefused(f"only read queries are allowed: {word} is not")
        rest = code[m.end() :]
        if rest.lstrip().startswith(("{", "(")):
            continue  # a subquery: CALL { … } or CALL (x) { … }
        name = _PROCEDURE.match(rest)
        proc = re.sub(r"[\s`]", "", name.group(1)) if name else rest.strip()[:40]
        if proc.lower() not in CYPHER_PROCEDURES:
            raise QueryRefused(
                f"procedure {proc!r} is not allowed in ad-hoc queries; allowed: "
                + ", ".join(sorted(CYPHER_PROCEDURES))
            )


# -- helpers ----------------------------------------------------------------------------------------
def safe_uri(uri: str) -> str:
    """The URI without any ``user:password@`` part."""
    return re.sub(r"//[^/@]*@", "//", uri)


def stats_dict(
    kind: str, location: str, plans: list[str], nodes: dict[str, int], rels: dict[str, int]
) -> dict[str, Any]:
    """The shape of :meth:`Store.stats`."""
    return {
        "kind": kind,
        "location": location,
        "plans": sorted(plans),
        "nodes": nodes,
        "relationships": rels,
        "node_count": sum(nodes.values()),
        "relationship_count": sum(rels.values()),
    }


def batches(rows: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]
