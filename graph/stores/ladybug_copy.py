"""Ladybug's bulk path: a batch's rows written as Parquet files and read by ``COPY <table> FROM '<file>'``.

Facts of the engine this module relies on (ladybug 0.22, checked in tests/test_bulk_load.py):

- ``COPY`` from a Parquet file runs inside a ``BEGIN TRANSACTION`` … ``COMMIT`` and appends to a table that
  holds rows; an error (a key the table holds, an endpoint missing) rolls the whole transaction back, and
  so does a ``ROLLBACK`` after a ``COPY`` that went well.
- Parquet keeps every value as it is: strings with commas, quotes, backslashes and line breaks, empty
  strings apart from nulls, lists of strings that hold commas or brackets (CSV cannot: its lists are split
  at every comma and keep their quotes), doubles to the bit.
- ``COPY L(a, b) FROM …`` fills the columns named (by position in the file), the others null; a relationship
  table with several FROM/TO pairs takes ``(from='A', to='B')``, the file's first two columns being the
  endpoints' keys.

COPY creates; it does not merge, and into a table that holds rows its commit costs time that grows with the
table (bench/corpus_load.py): the store uses it for a store that holds nothing, where every node and
relationship of the batch is new and each shared entity is one row already
(:func:`graph.stores.rows.combine`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from plangraph.graph.schema import KEY, Prop, quote

#: Schema types → Arrow types.
ARROW = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "STRING[]": pa.list_(pa.string()),
    "INT64[]": pa.list_(pa.int64()),
}

#: Runs one statement (the store's connection).
Execute = Callable[[str], object]


def _table(columns: Mapping[str, list[Any]], props: Sequence[Prop]) -> pa.Table:
    return pa.table({p.name: pa.array(columns[p.name], type=ARROW[p.type]) for p in props})


class Copier:
    """Writes Parquet files in a temporary folder (removed by :meth:`close`) and copies them into tables."""

    def __init__(self, execute: Execute) -> None:
        self._execute = execute
        self._dir = tempfile.TemporaryDirectory(prefix="plangraph-copy-", ignore_cleanup_errors=True)
        self._n = 0

    def _file(self, table: pa.Table) -> str:
        self._n += 1
        path = Path(self._dir.name) / f"{self._n:05d}.parquet"
        pq.write_table(table, path, compression="none")
        return path.as_posix().replace("'", "\\'")

    def nodes(self, label: str, rows: Sequence[Mapping[str, Any]], props: Sequence[Prop]) -> None:
        """``rows`` (each with the key) into node table ``label``; ``props``: the columns to fill."""
        cols = [p for p in props if p.name != KEY]
        key = [p for p in props if p.name == KEY]
        table = _table({p.name: [r.get(p.name) for r in rows] for p in (*key, *cols)}, (*key, *cols))
        names = ", ".join(quote(p.name) for p in (*key, *cols))
        self._execute(f"COPY {quote(label)}({names}) FROM '{self._file(table)}'")

    def rels(
        self, typ: str, src: str, dst: str, rows: Sequence[Mapping[str, Any]], props: Sequence[Prop]
    ) -> None:
        """``rows`` (``{"s", "t", "props"}``) into relationship table ``typ``, pair ``src`` → ``dst``."""
        columns: dict[str, list[Any]] = {"from": [r["s"] for r in rows], "to": [r["t"] for r in rows]}
        columns.update({p.name: [r["props"].get(p.name) for r in rows] for p in props})
        ends = [Prop("from", "STRING"), Prop("to", "STRING")]
        table = _table(columns, (*ends, *props))
        names = f"({', '.join(quote(p.name) for p in props)})" if props else ""
        self._execute(f"COPY {quote(typ)}{names} FROM '{self._file(table)}' (from='{src}', to='{dst}')")

    def close(self) -> None:
        self._dir.cleanup()
