"""The ordered stages: load → normalize → segment → structure → classify → extract → ids (freeze).

``parse_file`` and ``parse_bytes`` are the entry points. A document that is not a plan raises
:class:`~ingest.errors.NotAPlan`; one that is cut short raises :class:`~ingest.errors.IncompletePlan`
unless ``partial=True``, in which case the document comes back with ``complete=False`` and warnings.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from ingest.classify import Classifier
from ingest.errors import IncompletePlan, NotAPlan
from ingest.extract import extract
from ingest.ids import freeze
from ingest.load import Source, load_meta, load_source, source_from_bytes
from ingest.models import Kind, ParseWarning, PlanDocument, PlanMeta, SourceInfo
from ingest.normalize import normalize
from ingest.segment import segment
from ingest.structure import structure

_TERMINAL = "。！？”）)」』"


def parse_file(path: Path | str, *, plan_id: str | None = None, partial: bool = False) -> PlanDocument:
    """Parse a plan file (plan.yaml beside it supplies metadata)."""
    meta = load_meta(path, plan_id)
    if plan_id is not None:
        meta = meta.model_copy(update={"id": plan_id})
    return parse_source(load_source(path), meta, partial=partial)


def parse_bytes(
    data: bytes, meta: PlanMeta, *, name: str = "<upload>", partial: bool = False
) -> PlanDocument:
    return parse_source(source_from_bytes(data, name), meta, partial=partial)


def parse_source(source: Source, meta: PlanMeta, *, partial: bool = False) -> PlanDocument:
    norm = normalize(source)
    blocks = segment(norm)
    outline, warnings = structure(blocks)
    if not blocks or not outline.children:
        raise NotAPlan(
            "E010",
            "no numbered parts or sections (一、/（一）/第X章 …) were found: this does not look like a plan",
            source.path,
            blocks[0].line_start if blocks else None,
        )
    classifier = Classifier()
    root = classifier.classify(outline, meta.title or meta.id)
    warnings += classifier.warnings
    warnings += extract(root, norm)
    element, id_warnings = freeze(root, meta.id, norm)
    warnings += id_warnings

    kinds = {e.kind for e in element.walk()}
    semantic = kinds & {Kind.GOAL, Kind.TASK, Kind.ACTION, Kind.MEASURE, Kind.PRINCIPLE, Kind.DIRECTION}
    if not semantic:
        raise NotAPlan(
            "E010",
            "numbered headings were found but none is a plan section (发展目标, 主要任务, "
            "保障措施 …): this does not look like a plan",
            source.path,
            blocks[0].line_start,
        )
    last = blocks[-1]
    complete = True
    if not classifier.abridged and last.text.rstrip()[-1:] not in _TERMINAL and not last.short:
        complete = False
        warnings.append(
            ParseWarning(
                code="W901",
                message="the text ends mid-sentence: the file looks truncated",
                line=last.line_end,
            )
        )
    info = SourceInfo(
        path=PurePath(source.path).name,
        sha256=source.sha256,
        encoding=source.encoding,
        format=source.format,
        chars=len(source.original),
        lines=source.original.count("\n") + 1,
    )
    dropped = [
        ParseWarning(code="I001", message=f"page number {d.text!r} removed", line=d.no) for d in norm.dropped
    ]
    doc = PlanDocument(
        plan=meta,
        source=info,
        root=element,
        warnings=tuple(dropped + warnings),
        complete=complete,
        abridged=classifier.abridged,
    )
    if not complete and not partial:
        raise IncompletePlan(
            "E011",
            "the plan is cut short (it ends mid-sentence); use --partial to keep what was parsed",
            source.path,
            last.line_end,
            partial=doc,
        )
    return doc
