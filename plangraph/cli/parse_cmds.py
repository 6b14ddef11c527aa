"""``plangraph parse``: the document model as JSON, or a readable summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from plangraph.cli.common import PartialOpt, PlanIdOpt, TitleOpt, clean_errors, parse_plan, write_output
from plangraph.ingest.serialize import document_json


def register(app: typer.Typer) -> None:
    app.command("parse")(parse)


def parse(
    source: Annotated[
        Path, typer.Argument(help="A plan file (.txt/.html/.md/.pdf/.docx) or a plan directory.")
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON here.")] = None,
    summary: Annotated[bool, typer.Option("--summary", help="Print counts and warnings.")] = False,
    partial: PartialOpt = False,
    plan_id: PlanIdOpt = None,
    title: TitleOpt = None,
) -> None:
    """Parse a plan into its document model (JSON), with provenance for every element."""
    with clean_errors():
        _, doc = parse_plan(source, plan_id, title, partial)
        if summary:
            counts = Counter(e.kind.value for e in doc.elements())
            lines = [
                f"plan {doc.plan.id}: {doc.plan.title or ''}  ({doc.source.encoding}, {doc.source.format}, "
                f"{doc.source.chars} chars, sha256 {doc.source.sha256[:12]}…)"
            ]
            about = [
                f"{k} {v}"
                for k, v in (
                    ("issuer", doc.plan.issuer),
                    ("issued", doc.plan.issued),
                    ("doc number", doc.plan.doc_number),
                    ("period", "–".join(map(str, doc.plan.period)) if doc.plan.period else None),
                )
                if v
            ]
            if about:
                lines.append("; ".join(about))
            if not doc.complete:
                lines.append("INCOMPLETE: partial result (--partial)")
            if doc.abridged:
                lines.append("note: the text says （本文有删减）: the published version is abridged")
            lines.append(f"{'kind':<14}{'count':>6}")
            lines += [f"{k:<14}{v:>6}" for k, v in sorted(counts.items())]
            lines.append(f"warnings: {len(doc.warnings)}")
            lines += [f"  {w}" for w in doc.warnings]
            write_output("\n".join(lines), output)
        else:
            write_output(document_json(doc), output)
