"""Shared CLI helpers: resolving a plan argument and turning user errors into one clean line."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plangraph.ingest.errors import PlanGraphError

if TYPE_CHECKING:
    from plangraph.ingest.models import PlanDocument


# The options of every command that parses a plan (parse, export, load, ingest, eval, analyse …).
PlanIdOpt = Annotated[
    str | None,
    typer.Option("--plan-id", help="The plan's id (default: plan.yaml, the folder, else from the title)."),
]
TitleOpt = Annotated[
    str | None,
    typer.Option("--title", help="The plan's title, where the file lacks it (wins over plan.yaml)."),
]
PartialOpt = Annotated[bool, typer.Option("--partial", help="Keep what parsed from a truncated plan.")]


def parse_plan(
    source: Path, plan_id: str | None = None, title: str | None = None, partial: bool = False
) -> tuple[Path, PlanDocument]:
    """Resolve a plan argument and parse it with the common options (through the corpus service); the
    source file and the document."""
    from plangraph.graph.corpus import Options, parse

    return parse(source, Options(plan_id=plan_id, title=title, partial=partial))


class UsageError(PlanGraphError):
    """E405: options that do not go together, or a value the command cannot use."""

    code = "E405"


@contextmanager
def clean_errors() -> Iterator[None]:
    """A user's error (:class:`ingest.errors.PlanGraphError`, or a file the system cannot open) as one
    line on stderr, exit 2. Anything else is a bug: it propagates with its traceback."""
    try:
        yield
    except PlanGraphError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except BrokenPipeError:  # the reader stopped early (| head): no error line; stdout to /dev/null so
        # the interpreter's own flush at exit does not fail again (the Python docs' recipe for SIGPIPE)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def write_output(text: str, output: Path | None) -> None:
    """Write to a file atomically (temp file + rename), or to stdout."""
    if output is None:
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
