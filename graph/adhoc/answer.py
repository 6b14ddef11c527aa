"""The answer's size caps, checked where the rows are read (in the worker), before they travel.

>>> cap_rows([[1, "a"], [2, "b"]], ["n", "s"], truncated=False, max_bytes=100, max_list_items=10).rows
[[1, 'a'], [2, 'b']]
>>> cap_rows([[list(range(20))]], ["xs"], truncated=False, max_bytes=10_000, max_list_items=10)
Traceback (most recent call last):
...
plangraph.graph.stores.base.QueryTooLarge: [E305] a list in row 1 holds 20 items, over the cap of 10 per list
"""

from __future__ import annotations

import json
from typing import Any

from plangraph.graph.stores import QueryResult, QueryTooLarge


def _longest_list(value: Any) -> int:
    """The length of the longest list anywhere in ``value``."""
    if isinstance(value, list | tuple):
        return max([len(value), *(_longest_list(v) for v in value)])
    if isinstance(value, dict):
        return max([0, *(_longest_list(v) for v in value.values())])
    return 0


def row_bytes(row: list[Any]) -> int:
    """The size of a row as JSON (UTF-8, Chinese unescaped), as the API sends it."""
    return len(json.dumps(row, ensure_ascii=False, default=str).encode())


def cap_rows(
    rows: list[list[Any]], columns: list[str], *, truncated: bool, max_bytes: int, max_list_items: int
) -> QueryResult:
    """The rows that fit in ``max_bytes`` (the rest left off: ``truncated``); a list over ``max_list_items``
    or a first row over ``max_bytes`` alone is :class:`~graph.stores.QueryTooLarge`."""
    kept: list[list[Any]] = []
    total = 2 + row_bytes(columns)
    for n, row in enumerate(rows, 1):
        longest = _longest_list(row)
        if longest > max_list_items:
            raise QueryTooLarge(
                f"a list in row {n} holds {longest} items, over the cap of {max_list_items} per list",
                "list_items",
            )
        total += row_bytes(row) + 1
        if total > max_bytes:
            if not kept:
                raise QueryTooLarge(
                    f"row 1 alone is over the answer's cap of {max_bytes} bytes", "answer_bytes"
                )
            return QueryResult(columns, kept, True)
        kept.append(row)
    return QueryResult(columns, kept, truncated)
