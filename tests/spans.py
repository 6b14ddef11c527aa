"""The provenance invariant, shared by tests: an element's span in the original contains its title."""

from __future__ import annotations

import re

from ingest.models import PlanDocument
from ingest.normalize import fold


def squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def span_problems(doc: PlanDocument, original: str) -> list[str]:
    """Every element's span is valid and its text (line breaks removed, variants folded) holds the title."""
    problems = []
    n = len(original)
    for e in doc.elements():
        s = e.span
        if not (0 <= s.char_start <= s.char_end <= n) or s.line_start > s.line_end:
            problems.append(f"{e.eid}: invalid span {s}")
            continue
        if squash(e.title) not in squash(original[s.char_start : s.char_end]):
            problems.append(f"{e.eid}: title {e.title!r} not in its span")
        for m in e.mentions:
            if squash(m.surface) != squash(original[m.span.char_start : m.span.char_end]):
                problems.append(f"{e.eid}: mention {m.surface!r} not at its span")
    return problems
