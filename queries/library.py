"""Canned Cypher queries as data: ``queries/*.cypher`` files with a metadata header.

Header lines (``// key: value``) give the title, the description, a row cap (``max_rows``) and, for each
parameter, its type, a description and an example (``// param NAME TYPE: description | example: VALUE``).
The title, the description and each parameter's description are also given in Chinese (``title_zh``,
``description_zh``, ``// param_zh NAME: 说明``), for the explorer's Chinese interface; every query has them.
Parameter names are read from the ``$name`` tokens of the body, so they are declared once; a header
entry for a name the body does not use, or a body name without a header entry, is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraph.ingest.errors import PlanGraphError

if TYPE_CHECKING:
    from plangraph.graph.stores.base import QueryResult, Store

QUERY_DIR = Path(__file__).parent
PARAM_TYPES = ("STRING", "INT64", "DOUBLE")
_HEADER = re.compile(r"^//\s*(?P<key>[a-z_]+)\s*:?\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>\w+)\s+(?P<type>\w+)\s*:\s*(?P<desc>[^|]*?)\s*(?:\|\s*example:\s*(?P<ex>.*))?$"
)
_TOKEN = re.compile(r"\$(\w+)")


class QueryError(PlanGraphError):
    """E311: a canned query was asked for wrongly: a missing, unknown or ill-typed parameter (or a query
    file with a bad header)."""

    code = "E311"


class UnknownQuery(QueryError):
    """E312: no canned query of that name."""

    code = "E312"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    example: str | None
    description_zh: str = ""

    def coerce(self, value: Any) -> Any:
        """The value in the declared type (strings from a CLI or a URL are converted)."""
        try:
            if self.type == "INT64":
                if isinstance(value, bool):
                    raise ValueError
                return int(value)
            if self.type == "DOUBLE":
                return float(value)
        except (TypeError, ValueError):
            raise QueryError(f"parameter {self.name!r} must be {self.type}, got {value!r}") from None
        if not isinstance(value, str):
            raise QueryError(f"parameter {self.name!r} must be a string, got {value!r}")
        return value


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    max_rows: int
    cypher: str
    title_zh: str = ""
    description_zh: str = ""

    def bind(self, values: dict[str, Any]) -> dict[str, Any]:
        """Check and convert parameter values: every declared one present, no other."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                f"its parameters: {', '.join(known) or 'none'}"
            )
        missing = [n for n in known if n not in values]
        if missing:
            raise QueryError(f"query {self.name!r} needs {', '.join(missing)}")
        return {n: known[n].coerce(v) for n, v in values.items()}

    def example_params(self) -> dict[str, Any]:
        return {p.name: p.coerce(p.example) for p in self.params if p.example is not None}


def parse_query(name: str, text: str) -> Query:
    meta: dict[str, str] = {}
    params: list[Param] = []
    params_zh: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip()) if not body else None
        if m:
            key, value = m.group("key"), m.group("value").strip()
            if key == "param":
                pm = _PARAM.match(value)
                if pm is None or pm.group("type") not in PARAM_TYPES:
                    raise QueryError(
                        f"{name}.cypher: bad param line {value!r} (NAME TYPE: description | "
                        f"example: VALUE; TYPE one of {', '.join(PARAM_TYPES)})"
                    )
                params.append(Param(pm.group("name"), pm.group("type"), pm.group("desc"), pm.group("ex")))
            elif key == "param_zh":
                zh_name, _, zh_desc = value.partition(":")
                params_zh[zh_name.strip()] = zh_desc.strip()
            else:
                meta[key] = value
        elif line.strip() or body:
            body.append(line)
    cypher = "\n".join(body).strip()
    used = list(dict.fromkeys(_TOKEN.findall(cypher)))
    declared = [p.name for p in params]
    if sorted(used) != sorted(declared):
        raise QueryError(f"{name}.cypher: the body uses {used} but the header declares {declared}")
    for key in ("title", "description", "title_zh", "description_zh", "max_rows"):
        if not meta.get(key):
            raise QueryError(f"{name}.cypher: header has no {key}")
    if sorted(params_zh) != sorted(declared) or not all(params_zh.values()):
        raise QueryError(
            f"{name}.cypher: the header gives Chinese descriptions (param_zh) of {sorted(params_zh)}, "
            f"its parameters are {declared}"
        )
    params = [replace(p, description_zh=params_zh[p.name]) for p in params]
    return Query(
        name,
        meta["title"],
        meta["description"],
        tuple(params),
        int(meta["max_rows"]),
        cypher,
        meta["title_zh"],
        meta["description_zh"],
    )


@lru_cache(maxsize=1)
def load_queries(directory: Path = QUERY_DIR) -> dict[str, Query]:
    """Every canned query by name (the file name without ``.cypher``), sorted."""
    out = {}
    for path in sorted(directory.glob("*.cypher")):
        out[path.stem] = parse_query(path.stem, path.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> Query:
    queries = load_queries()
    if name not in queries:
        raise UnknownQuery(f"no query {name!r}; valid: {', '.join(queries)}", valid=list(queries))
    return queries[name]


@dataclass(frozen=True)
class ReadLimits:
    """The limits a canned query runs under: a time limit and a row cap (``PLANGRAPH_QUERY_TIMEOUT_S``,
    ``PLANGRAPH_MAX_ROWS``; :meth:`plangraph.settings.Settings.read_limits`). The query's own ``max_rows``
    caps it further."""

    timeout_s: float = 10.0
    max_rows: int = 1000


def run_query(
    store: Store,
    name: str,
    params: dict[str, Any] | None = None,
    limits: ReadLimits | None = None,
    *,
    internal: bool = False,
) -> QueryResult:
    """Run a canned query on ``store``: its parameters checked and typed, under ``limits`` — the one place
    where canned reads get their limits, for the API, the command and the Python API alike. ``internal``: a
    lookup of PlanGraph's own (the plans a store holds, a reference's candidates), capped by the query's own
    ``max_rows`` only."""
    q = get_query(name)
    limits = limits or ReadLimits()
    cap = q.max_rows if internal else min(q.max_rows, limits.max_rows)
    return store.read(q.cypher, q.bind(dict(params or {})), timeout_s=limits.timeout_s, max_rows=cap)
