"""Corpus conformance: the facts a reader counted in a plan (``gold.json``) against what the parser found.

The gold format is defined in the corpus README (``../shared/corpus/README.md``): per file, optional keys
``title_contains``, ``outline``, ``children`` (per top-level part: its numbered children at the first
numbering level below it; an entry ``[a, b]`` accepts either), ``boxes`` (items per 专栏, in order),
``box_parts`` (the 1-based top-level part each box stands in), ``box_images``, ``indicators``,
``indicator_attributes``, ``indicator_years``, ``principles``, ``goals_numbered``, ``tasks``, ``subtasks``,
``bodies`` and ``complete``. :func:`facts_of` computes the same facts from a :class:`PlanDocument`;
:func:`compare` holds them against the gold, one :class:`FactResult` per fact.

>>> ok = FactResult("tasks", 6, 6)
>>> ok.held, FactResult("boxes", [2, [3, 4]], [2, 4]).held, FactResult("boxes", [2, 3], [2]).held
(True, True, False)
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraph.ingest.models import Element, EntityKind, Kind, PlanDocument

#: The gold keys that are facts (``notes``, ``title_in_file`` … describe, they are not checked).
FACT_KEYS = (
    "title_contains",
    "outline",
    "children",
    "boxes",
    "box_parts",
    "box_images",
    "indicators",
    "indicator_attributes",
    "indicator_years",
    "principles",
    "goals_numbered",
    "tasks",
    "subtasks",
    "bodies",
    "complete",
)
#: Warning codes that name a 专栏 or table present only as an image (see ingest/formats/pdf.py).
BOX_IMAGE_CODES = frozenset({"W702"})


def _accepts(expected: Any, got: Any) -> bool:
    """An expected list entry that is itself a list accepts any of its values."""
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(_accepts(e, g) for e, g in zip(expected, got, strict=True))
    if isinstance(expected, list):
        return got in expected
    return bool(expected == got)


@dataclass(frozen=True)
class FactResult:
    name: str
    expected: Any
    got: Any
    error: str | None = None  # the file did not parse: why

    @property
    def held(self) -> bool:
        if self.error is not None:
            return False
        if self.name == "title_contains":
            return isinstance(self.got, str) and self.expected in self.got
        if self.name == "bodies":  # a name the lexicon folds (科技部 → 科学技术部) counts as found
            return {_canonical_body(b) for b in self.expected} <= set(self.got or ())
        if self.name == "indicator_years":
            return sorted(self.expected) == self.got
        return _accepts(self.expected, self.got)

    def describe(self) -> str:
        """What failed, short: ``tasks 6≠0`` or ``bodies missing 国务院、省人大``."""
        if self.error is not None:
            return f"{self.name}: {self.error}"
        if self.name == "bodies":
            missing = [b for b in self.expected if _canonical_body(b) not in set(self.got or ())]
            return f"bodies missing {'、'.join(missing)}"
        return f"{self.name} {_short(self.expected)}≠{_short(self.got)}"


def _canonical_body(name: str) -> str:
    from plangraph.ingest.lexicon import load_lexicon

    return load_lexicon().canonical(EntityKind.BODY, name) or name


def _short(v: Any) -> str:
    s = str(v).replace(" ", "")
    return s if len(s) <= 60 else s[:57] + "…"


def _numbered(e: Element) -> bool:
    """An element that stands at a numbered heading (not a dashed line, not a box)."""
    return e.marker is not None and not e.marker.startswith(("—", "-")) and e.kind != Kind.COLUMN


def _outline_name(parts: list[Element]) -> str | None:
    if not parts or parts[0].marker is None:
        return None
    m = parts[0].marker
    if m.startswith("第") and m.rstrip().endswith("篇"):
        return "pian-zhang-jie"
    if m.startswith("第") and m.rstrip().endswith("章"):
        return "zhang-jie"
    return "parts"


def _issuers(issuer: str | None) -> list[str]:
    """The bodies an issuer line names (``工业和信息化部、民政部`` → both).

    >>> _issuers("工业和信息化部、民政部、国家卫生健康委"), _issuers(None)
    (['工业和信息化部', '民政部', '国家卫生健康委'], [])
    """
    return [p.strip() for p in re.split(r"[、，,\s]+", issuer or "") if p.strip()]


def facts_of(doc: PlanDocument) -> dict[str, Any]:
    """The gold facts as the parse shows them."""
    # the plan's own parts: not its boxes, not the attachments after its body
    parts = [c for c in doc.root.children if c.kind != Kind.COLUMN and c.meaning != "Attachment"]
    boxes: list[int] = []
    box_parts: list[int] = []
    for i, part in enumerate(parts, start=1):
        for e in part.walk():
            if e.kind == Kind.COLUMN:
                boxes.append(sum(1 for c in e.children if c.kind == Kind.COLUMN_ITEM))
                box_parts.append(i)
    indicators = doc.by_kind(Kind.INDICATOR)
    years: set[int] = set()
    for ind in indicators:
        v = ind.indicator
        if v is None:
            continue
        years.update(y for y in (v.baseline_year, v.target_year) if y is not None)
        years.update(y for y, _ in v.targets)
    bodies: set[str] = set(_issuers(doc.plan.issuer))  # the issuer names the plan's own body
    for e in doc.elements():
        bodies.update(m.name for m in e.mentions if m.kind == EntityKind.BODY)
        bodies.update(r.body for r in e.responsibilities)
    return {
        "title_contains": doc.plan.title,
        "outline": _outline_name(parts),
        "children": [sum(1 for c in p.children if _numbered(c)) for p in parts],
        "boxes": boxes,
        "box_parts": box_parts,
        "box_images": sum(1 for w in doc.warnings if w.code in BOX_IMAGE_CODES),
        "indicators": len(indicators),
        "indicator_attributes": dict(
            Counter(i.indicator.attribute for i in indicators if i.indicator and i.indicator.attribute)
        ),
        "indicator_years": sorted(years),
        "principles": len(doc.by_kind(Kind.PRINCIPLE)),
        "goals_numbered": sum(1 for g in doc.by_kind(Kind.GOAL) if g.marker is not None),
        "tasks": len(doc.by_kind(Kind.TASK)),
        "subtasks": len(doc.by_kind(Kind.SUBTASK)),
        "bodies": sorted(bodies),
        "complete": doc.complete,
    }


def compare(doc: PlanDocument, gold: dict[str, Any]) -> list[FactResult]:
    """One result per fact the gold gives, in the order of :data:`FACT_KEYS`."""
    got = facts_of(doc)
    return [FactResult(k, gold[k], got[k]) for k in FACT_KEYS if k in gold]


def failed_all(gold: dict[str, Any], reason: str) -> list[FactResult]:
    """Every fact failed (the file did not parse)."""
    return [FactResult(k, gold[k], None, error=reason) for k in FACT_KEYS if k in gold]


def check_file(path: Path, gold: dict[str, Any]) -> list[FactResult]:
    """Parse one corpus file as a user would (``--partial``; ``--title`` where the file lacks the title)
    and hold the result against its gold. A file the parser refuses fails every fact with the error."""
    from plangraph.ingest.errors import PlanError
    from plangraph.ingest.pipeline import parse_file

    kwargs: dict[str, Any] = {"partial": True}
    if gold.get("title_in_file") is False:
        kwargs["title"] = gold["title_contains"]
    try:
        doc = parse_file(path, **kwargs)
    except PlanError as exc:
        return failed_all(gold, str(exc))
    return compare(doc, gold)


def load_gold(corpus: Path) -> dict[str, dict[str, Any]]:
    """The gold facts per file name (``_about`` and other ``_`` keys left out)."""
    data = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}
