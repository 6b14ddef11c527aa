"""The provenance invariant, shared by tests: an element's span in the original contains its title."""

from __future__ import annotations

import re

from plangraph.ingest.models import PlanDocument
from plangraph.ingest.normalize import fold


def squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def without_page_numbers(doc: PlanDocument, original: str) -> str:
    """The original with the page-number lines the parser reported (I001) blanked, same length: a span
    that runs across a page break holds the page number, which is not part of any title."""
    dropped = {w.line for w in doc.warnings if w.code in ("I001", "I002")}
    if not dropped:
        return original
    lines = original.split("\n")
    return "\n".join(" " * len(line) if i + 1 in dropped else line for i, line in enumerate(lines))


def _in_order(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def span_problems(doc: PlanDocument, original: str) -> list[str]:
    """Every element's span is valid and its text (line breaks removed, variants folded) holds the title."""
    problems = []
    original = without_page_numbers(doc, original)
    n = len(original)
    for e in doc.elements():
        s = e.span
        if not (0 <= s.char_start <= s.char_end <= n) or s.line_start > s.line_end:
            problems.append(f"{e.eid}: invalid span {s}")
            continue
        held = squash(original[s.char_start : s.char_end])
        title = squash(e.title)
        # an indicator's name may wrap around its values in a printed table: in order, not in one run
        found = _in_order(title, held) if e.kind.value == "Indicator" else title in held
        if not found:
            problems.append(f"{e.eid}: title {e.title!r} not in its span")
        for m in e.mentions:
            if squash(m.surface) != squash(original[m.span.char_start : m.span.char_end]):
                problems.append(f"{e.eid}: mention {m.surface!r} not at its span")
    return problems
