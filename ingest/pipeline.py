"""The stages: load → normalize → boundaries → segment → structure → classify → extract → ids (freeze).

``parse_file`` and ``parse_bytes`` are the entry points. A document that is not a plan raises
:class:`~ingest.errors.NotAPlan`; one that is cut short raises :class:`~ingest.errors.IncompletePlan`
unless ``partial=True``, in which case the document comes back with ``complete=False`` and warnings.

Metadata: the document's own (title line, issuing notice, cover, the format's hints — see
:mod:`ingest.boundaries`) fills what the caller's metadata leaves open; ``plan.yaml`` beside the file wins
over the document, and the ``plan_id`` / ``title`` arguments (``--plan-id``, ``--title``) win over both.
Without a given id, the id comes from the folder (a plan directory's ``source.*``), else from the title
(:func:`ingest.planid.plan_id_for`), else from the file's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path, PurePath

from plangraph.ingest.boundaries import DocumentMeta, find_plan
from plangraph.ingest.classify import Classifier
from plangraph.ingest.errors import IncompletePlan, NotAPlan
from plangraph.ingest.extract import extract
from plangraph.ingest.ids import freeze
from plangraph.ingest.indicators import split_tables
from plangraph.ingest.load import Source, folder_id, load_source, read_meta, source_from_bytes
from plangraph.ingest.models import Kind, ParseWarning, PlanDocument, PlanMeta, SourceInfo
from plangraph.ingest.normalize import Normalized, match_key, normalize
from plangraph.ingest.planid import period_of, plan_id_for, slug
from plangraph.ingest.segment import Block, Role, segment
from plangraph.ingest.structure import structure

_TERMINAL = "。！？”）)」』"
#: lengths at which a text was cut by the tool it passed through: a spreadsheet cell holds 32,767 characters
CELL_LIMITS = (32767, 65535)
_DROPPED_CODES = {
    "page number": "I001",
    "inline page number": "I003",
    "running header": "I002",
    "running footer": "I002",
}


def parse_file(
    path: Path | str, *, plan_id: str | None = None, title: str | None = None, partial: bool = False
) -> PlanDocument:
    """Parse a plan file; its metadata file (``plan.yaml`` …, :func:`ingest.load.meta_file_for`) and the
    document itself supply metadata, ``plan_id`` and ``title`` override both."""
    given = read_meta(path)
    return _parse(
        load_source(path),
        given,
        plan_id=plan_id,
        title=title,
        partial=partial,
        default_id=folder_id(path),
        stem=Path(path).stem,
    )


def parse_bytes(
    data: bytes,
    meta: PlanMeta,
    *,
    name: str = "<upload>",
    partial: bool = False,
    title: str | None = None,
) -> PlanDocument:
    return parse_source(source_from_bytes(data, name), meta, partial=partial, title=title)


def parse_source(
    source: Source,
    meta: PlanMeta | None = None,
    *,
    partial: bool = False,
    plan_id: str | None = None,
    title: str | None = None,
) -> PlanDocument:
    """Parse a loaded source. ``meta``'s fields win over the document's; where they are None (or without
    ``meta``), the document's own metadata fills them."""
    given: dict[str, object] = {}
    if meta is not None:
        given = {k: v for k, v in meta.model_dump().items() if v is not None}
        if "period" in given:
            given["period"] = tuple(meta.period or ())
    return _parse(
        source, given, plan_id=plan_id, title=title, partial=partial, default_id=None, stem=_stem(source)
    )


def _stem(source: Source) -> str:
    return PurePath(source.path).stem or "plan"


def _parse(
    source: Source,
    given: Mapping[str, object],
    *,
    plan_id: str | None,
    title: str | None,
    partial: bool,
    default_id: str | None,
    stem: str,
) -> PlanDocument:
    norm = find_plan(normalize(source))
    meta, meta_warnings = resolve_meta(
        norm.meta, given, plan_id=plan_id, title=title, default_id=default_id, stem=stem, norm=norm
    )
    blocks = split_tables(segment(norm), norm.line_of)
    outline, warnings = structure(blocks, norm.attachments)
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
    parts = [n for n in outline.children if n.marker is not None and n.marker.role is Role.OUTLINE]
    if not semantic and len(parts) < 2:
        raise NotAPlan(
            "E010",
            "numbered headings were found but none is a plan section (发展目标, 主要任务, "
            "保障措施 …): this does not look like a plan",
            source.path,
            blocks[0].line_start,
        )
    if not semantic:  # a document of the genre's neighbours (意见, 通知 …): its outline is still worth having
        warnings.append(
            ParseWarning(
                code="W210",
                message=f"{len(parts)} numbered parts were found but none reads as goals, tasks, actions or "
                "measures: the outline (parts and sections) is kept without meanings",
                line=blocks[0].line_start,
            )
        )
    cut = truncation(source, norm, blocks, abridged=classifier.abridged)
    info = SourceInfo(
        path=PurePath(source.path).name,
        sha256=source.sha256,
        encoding=source.encoding,
        format=source.format,
        pages=len(source.pages) or None,
        chars=len(source.original),
        lines=source.original.count("\n") + 1,
    )
    dropped = [
        ParseWarning(
            code=_DROPPED_CODES.get(d.reason, "I001"),
            message=f"{d.reason} {d.text!r} removed",
            line=d.no,
            column=d.column,
        )
        for d in norm.dropped
    ]
    doc = PlanDocument(
        plan=meta,
        source=info,
        root=element,
        warnings=tuple([*source.notes, *dropped, *norm.notes, *meta_warnings, *warnings, *cut]),
        complete=not cut,
        abridged=classifier.abridged,
    )
    if cut and not partial:
        first = cut[0]
        raise IncompletePlan(
            "E011",
            f"the plan is cut short ({first.message}); use --partial to keep what was parsed",
            source.path,
            first.line,
            partial=doc,
        )
    return doc


def resolve_meta(
    doc: DocumentMeta | None,
    given: Mapping[str, object],
    *,
    plan_id: str | None = None,
    title: str | None = None,
    default_id: str | None = None,
    stem: str = "plan",
    norm: Normalized | None = None,
) -> tuple[PlanMeta, list[ParseWarning]]:
    """The plan's metadata: the flags (``plan_id``, ``title``) over the given metadata (plan.yaml, the
    API's fields) over the document's own; the id from the given, the folder, the title or the file name."""
    doc = doc or DocumentMeta()
    warnings: list[ParseWarning] = []
    fields: dict[str, object] = {
        "title": doc.title,
        "issuer": doc.issuer,
        "doc_number": doc.doc_number,
        "issued": doc.issued,
    }
    fields.update({k: v for k, v in given.items() if v is not None})
    if title:
        fields["title"] = title.strip()
    final_title = fields.get("title")
    final_title = str(final_title) if final_title else None
    if final_title and doc.title and fields["title"] != doc.title:
        a, b = match_key(final_title), match_key(doc.title)
        if a not in b and b not in a:
            warnings.append(
                ParseWarning(
                    code="W802",
                    message=f"the given title {final_title!r} differs from the file's title {doc.title!r}",
                    line=doc.title_line,
                )
            )
    if not final_title:
        line = norm.meta.body_line if norm is not None and norm.meta is not None else None
        warnings.append(
            ParseWarning(
                code="W801",
                message="the file does not contain the plan's title; give --title or plan.yaml",
                line=line,
            )
        )
    if fields.get("period") is None:
        fields["period"] = period_of(final_title) or doc.period
    explicit = plan_id or given.get("id")
    if explicit:
        fields["id"] = str(explicit)
    elif default_id:
        fields["id"] = default_id
    elif final_title:
        fields["id"] = plan_id_for(final_title, fields["period"])  # type: ignore[arg-type]
    else:
        fields["id"] = slug(stem)
    return PlanMeta(**fields), warnings  # type: ignore[arg-type]


def truncation(
    source: Source, norm: Normalized, blocks: list[Block], *, abridged: bool
) -> list[ParseWarning]:
    """Signs that the text was cut short: a length at a tool's limit, a last sentence or list left open, a
    heading with nothing under it, parts the table of contents lists but the text lacks."""
    out: list[ParseWarning] = []
    last = blocks[-1]
    end_line = last.line_end
    col = norm.long_line_column(last.offsets[-1] - 1) if last.offsets else None
    if len(source.original) in CELL_LIMITS or len(source.raw_bytes) in CELL_LIMITS:
        n = len(source.original) if len(source.original) in CELL_LIMITS else len(source.raw_bytes)
        out.append(
            ParseWarning(
                code="W902",
                message=f"the text is exactly {n:,} characters long, the limit of a spreadsheet cell: "
                "it was cut there",
                line=end_line,
                column=col,
            )
        )
    if abridged:
        return out
    text = last.text.rstrip()
    # an attachment after the body (a table, a glossary) is not judged by its last line: the body ended
    in_attachment = bool(norm.attachments) and last.line_start >= norm.attachments[0].line
    table_row = "\t" in last.text or re.search(r"\S {3,}\S", last.text) is not None  # cells, layout columns
    open_end = text[-1:] not in _TERMINAL and not table_row and not in_attachment
    if open_end and last.marker is not None and len(blocks) > 1 and last.short:
        out.append(
            ParseWarning(
                code="W901",
                message=f"the text ends at the heading {text[:30]!r} with nothing under it",
                line=end_line,
                column=col,
            )
        )
    elif open_end and not (last.short and _closing_line(text)):
        out.append(
            ParseWarning(
                code="W901",
                message="the text ends mid-sentence: the file looks truncated",
                line=end_line,
                column=col,
            )
        )
    missing = _toc_missing(norm, blocks)
    if missing:
        out.append(
            ParseWarning(
                code="W903",
                message=f"the table of contents lists {missing!r}, which the text does not reach",
                line=end_line,
                column=col,
            )
        )
    return out


def _closing_line(text: str) -> bool:
    """A short last line that may end a plan without a full stop: a signature, a date, a number (a table's
    last cell), a label."""
    from plangraph.ingest.boundaries import is_closing_line

    return is_closing_line(text)


def _toc_missing(norm: Normalized, blocks: list[Block]) -> str | None:
    """The last top-level entry of the table of contents when no block starts with its number (一、,
    第五章 …): the text stops before it. Its number, not its words, so an abridged TOC entry still counts."""
    from plangraph.ingest.boundaries import top_marker

    toc = norm.meta.toc if norm.meta is not None else ()
    tops = [(e, top_marker(e)) for e in toc if top_marker(e)]
    if not tops:
        return None
    entry, marker = tops[-1]
    key = match_key(marker or "")
    if any(match_key(b.text[: len(marker or "") + 4]).startswith(key) for b in blocks):
        return None
    return entry
