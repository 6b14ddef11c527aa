"""The document model as deterministic JSON (sorted keys, UTF-8, Chinese unescaped)."""

from __future__ import annotations

import json

from plangraph.ingest.models import PlanDocument


def document_json(doc: PlanDocument) -> str:
    """Byte-identical for the same input: keys sorted, no timestamps, Chinese as is."""
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
