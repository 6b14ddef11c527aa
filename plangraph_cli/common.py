"""Shared CLI helpers: resolving a plan argument and turning typed errors into one clean line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from ingest.errors import PlanError

DEFAULT_SOURCE_NAMES = ("source.txt", "source.html", "source.htm")


def resolve_source(path: Path) -> Path:
    """A plan directory (with source.txt/html) or a source file."""
    if path.is_dir():
        for name in DEFAULT_SOURCE_NAMES:
            if (path / name).is_file():
                return path / name
        raise PlanError(
            "E000", f"no source file ({', '.join(DEFAULT_SOURCE_NAMES)}) in the directory", str(path)
        )
    if not path.exists():
        raise PlanError("E000", "no such file or directory", str(path))
    return path


@contextmanager
def clean_errors() -> Iterator[None]:
    """Print typed errors as one line on stderr and exit 2."""
    try:
        yield
    except PlanError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except (ValueError, OSError) as exc:
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
