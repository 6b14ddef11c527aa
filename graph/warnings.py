"""The parser's warnings as a store keeps them: on the Plan node (``warnings``, a JSON array, as a Table's
``rows``: stores keep flat properties), each placed at the element it concerns, so any process that reads
the store shows them beside their elements without the source file.

A warning concerns the innermost element whose lines hold its line: of the elements whose
``line_start``–``line_end`` holds it, the one that starts last; among equals, the first in document order. A
warning with no line (or on lines no element holds) concerns the plan as a whole (``eid`` null).

>>> from plangraph.ingest.models import ParseWarning
>>> warning_dict(ParseWarning(code="W101", message="m", line=3), "p/task-1")["eid"]
'p/task-1'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from plangraph.ingest.models import Element, ParseWarning, PlanDocument

#: the members of one stored warning, in order
KEYS = ("code", "message", "line", "page", "column", "eid")


def warning_dict(w: ParseWarning, eid: str | None) -> dict[str, Any]:
    return {
        "code": w.code,
        "message": w.message,
        "line": w.line,
        "page": w.page,
        "column": w.column,
        "eid": eid,
    }


def concerned(line: int | None, elements: list[Element]) -> str | None:
    """The eid of the innermost element (latest start) whose lines hold ``line``; ``elements`` in
    document order."""
    eid, best = None, -1
    if line is None:
        return None
    for e in elements:
        start, end = e.span.line_start, e.span.line_end
        if start <= line <= end and start > best:
            best, eid = start, e.eid
    return eid


def placed(doc: PlanDocument) -> list[dict[str, Any]]:
    """The document's warnings in their order, each with the eid of the element it concerns."""
    elements = sorted(doc.elements(), key=lambda e: (e.span.char_start, e.eid))
    return [warning_dict(w, concerned(w.line, elements)) for w in doc.warnings]


def to_property(doc: PlanDocument) -> str:
    """The ``warnings`` property of the plan's node."""
    return json.dumps(placed(doc), ensure_ascii=False)


def from_property(value: str | None) -> list[dict[str, Any]]:
    """The warnings a Plan node's ``warnings`` holds (none for a plan stored without them)."""
    return list(json.loads(value)) if value else []


def relabelled(value: str, new_eid: Callable[[str], str]) -> str:
    """A ``warnings`` property with each eid renamed by ``new_eid`` (a plan loaded under another id)."""
    out = [{**w, "eid": new_eid(w["eid"]) if w.get("eid") else w.get("eid")} for w in from_property(value)]
    return json.dumps(out, ensure_ascii=False)
