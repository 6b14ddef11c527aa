"""What ``plangraph add`` prints: a progress bar on a terminal (counts and ETA), one plain line per file
otherwise (logs, CI), and the final table of plans added, replaced, skipped and failed."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

import typer

from plangraph.cli.store_cmds import Format, render
from plangraph.graph.corpus_batch import Outcome, Report, Status
from plangraph.graph.stores import QueryResult


class Progress:
    """``update(outcome, done, total)`` after each file; a tqdm bar when stderr is a terminal."""

    def __init__(self, tty: bool | None = None) -> None:
        self.tty = sys.stderr.isatty() if tty is None else tty
        self._bar: Any = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.close()

    def update(self, outcome: Outcome, done: int, total: int) -> None:
        if outcome.status is Status.FAILED:
            self._write(f"failed {outcome.path}: {outcome.error}")
        if not self.tty:
            if outcome.status is not Status.FAILED:
                self._write(f"[{done}/{total}] {outcome.status} {outcome.plan_id or ''} {outcome.path}")
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="plan", file=sys.stderr, dynamic_ncols=True)
        self._bar.set_postfix_str(f"{outcome.status} {outcome.plan_id or outcome.path.name}"[:40])
        self._bar.update(done - self._bar.n)

    def _write(self, line: str) -> None:
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            typer.echo(line, err=True)


COLUMNS = ["status", "plan_id", "title", "nodes", "relationships", "warnings", "source"]
ORDER = (Status.ADDED, Status.REPLACED, Status.SKIPPED, Status.FAILED, Status.NOT_A_PLAN)


def table(report: Report) -> str:
    """One row per file, grouped by outcome, then the counts."""
    rows = [
        [
            str(o.status),
            o.plan_id,
            o.title,
            o.nodes or None,
            o.relationships or None,
            o.warnings or None,
            str(o.path),
        ]
        for status in ORDER
        for o in report.outcomes
        if o.status is status
    ]
    counts = ", ".join(f"{report.count(s)} {s}" for s in ORDER)
    counts += f"; {report.citations} new citation link{'' if report.citations == 1 else 's'} between plans"
    return render(QueryResult(COLUMNS, rows), Format.table) + "\n" + counts
