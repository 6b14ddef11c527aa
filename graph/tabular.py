"""The one CSV writer for rows (canned queries, Cypher answers, analyses; the API and the CLI): a header,
then one line per row; ``None`` is an empty field, a list is its items joined by ``;``, a mapping is JSON.
``bom=True`` starts the text with a UTF-8 byte order mark, so that Excel and WPS open the Chinese text
right (``--excel`` on the command line, ``bom=true`` in the API). The graph export's CSV
(``neo4j-admin`` import layout, :mod:`graph.export`) has rules of its own.

>>> print(to_csv(["eid", "terms", "n"], [["p/task-1", ["5G", "IPv6"], None]]), end="")
eid,terms,n
p/task-1,5G;IPv6,
>>> to_csv(["a"], [], bom=True).encode("utf-8")[:3]
b'\\xef\\xbb\\xbf'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
LIST_DELIMITER = ";"


def cell(value: Any) -> Any:
    """One field: ``None`` empty, a list joined by ``;``, a mapping as JSON, anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_DELIMITER.join("" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False) -> str:
    """The rows as CSV text (``\\n`` line ends; ``bom``: with a UTF-8 byte order mark first)."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buf.getvalue()
