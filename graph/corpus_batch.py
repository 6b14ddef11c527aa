"""Many sources into one store: expand paths, parse in parallel, install in batches, report per file.

:func:`expand` turns files, folders and globs into source files; :func:`add` parses them in worker
processes (``jobs``; one per core by default) and installs the plans as they come, the ones parsed while
the store was busy together in one transaction (:func:`in_batches`; a batch that fails is retried plan by
plan, so the plan that fails is reported and the others load), so the store never holds half a plan and
a run that is killed leaves every plan whole (old or new version); a rerun skips what is already
there. Per file the outcome is one of:

- ``added`` — a plan the store did not hold;
- ``replaced`` — the store held the plan from another source (a different sha256): the new version
  replaces it whole;
- ``skipped`` — the store holds the plan from this very source (same sha256 and plan id): nothing is
  parsed when the file's sha256 and its place (``source_path``) match a stored plan's, nothing written in
  any case;
- ``failed`` — the file was not read (its error, with the place); the other files still load;
- ``not a plan`` — a file found by walking a folder that is no plan (``[E010]``: a README, notes):
  reported, not an error of the run. A file named on the command line that is no plan is ``failed``.
"""

from __future__ import annotations

import glob
import hashlib
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from plangraph.graph.corpus import DEFAULT, Options, build, held, install_many, link_citations, parse
from plangraph.graph.stores.base import Store
from plangraph.ingest.errors import NotAPlan, PlanError, PlanGraphError
from plangraph.ingest.load import SOURCE_NAMES, find_source, folder_id, read_meta

#: The suffixes of the files a folder walk takes as sources (the formats :mod:`ingest.formats` reads).
SOURCE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".markdown", ".pdf", ".docx")
_GLOB = set("*?[")
T = TypeVar("T")


class Status(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_A_PLAN = "not a plan"


@dataclass(frozen=True)
class Found:
    """A source to add; ``walked``: found in a folder, not named (a non-plan there is not a failure)."""

    path: Path
    walked: bool = False


@dataclass(frozen=True)
class Outcome:
    """What happened to one source."""

    path: Path
    status: Status
    plan_id: str | None = None
    title: str | None = None
    nodes: int = 0
    relationships: int = 0
    warnings: int = 0
    error: str | None = None


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    #: CITES links written between the store's plans at the end of the run
    citations: int = 0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def failed(self) -> bool:
        return any(o.status is Status.FAILED for o in self.outcomes)


# -- finding sources --------------------------------------------------------------------------------
def _is_plan_folder(path: Path) -> bool:
    return any((path / name).is_file() for name in SOURCE_NAMES)


def _walk(folder: Path) -> Iterator[Found]:
    """A plan folder is one source; any other folder is walked for plan folders and source files."""
    if _is_plan_folder(folder):
        yield Found(find_source(folder))
        return
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            for found in _walk(child):
                yield Found(found.path, walked=True)
        elif child.suffix.lower() in SOURCE_SUFFIXES:
            yield Found(child, walked=True)


def _place(path: Path) -> str:
    """Where a path is, for finding it twice: absolute, ``..`` folded, links not followed (two plan
    folders may link one file)."""
    return os.path.abspath(path)


def expand(paths: Iterable[str | Path]) -> list[Found]:
    """Files, folders (plan folders, or folders of plans walked recursively) and globs (``**`` too) → the
    sources, in the order given, each once. A path that does not exist, a glob that matches nothing:
    ``[E000]`` naming it."""
    out: dict[str, Found] = {}
    for arg in paths:
        text = str(arg)
        if not Path(text).exists() and _GLOB & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise PlanError("E000", "the pattern matches no file", text)
            items = [Found(Path(m), walked=True) for m in matches]
            for item in items:
                for found in _walk(item.path) if item.path.is_dir() else [item]:
                    out.setdefault(_place(found.path), Found(found.path, walked=True))
            continue
        path = Path(text)
        for found in _walk(path) if path.is_dir() else [Found(find_source(path))]:
            out.setdefault(_place(found.path), found)
    return list(out.values())


# -- one source (runs in a worker process) -----------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    found: Found
    plan_id: str | None = None
    sha256: str | None = None
    title: str | None = None
    graph: nx.MultiDiGraph | None = None
    warnings: int = 0
    error: str | None = None
    not_a_plan: bool = False


def prepare(found: Found, options: Options) -> Prepared:
    """Parse and build one source; a plan error (or a graph that breaks the schema) comes back as text, a
    bug as its traceback, so one bad file never stops the others."""
    try:
        source, doc = parse(found.path, options)
        graph = build(doc, source, options)
    except NotAPlan as exc:
        return Prepared(found, error=str(exc), not_a_plan=found.walked)
    except (PlanGraphError, OSError) as exc:  # the user's: a bad file, links.yaml, plan.yaml …
        return Prepared(found, error=str(exc))
    except Exception:  # a bug: keep its traceback in the report
        return Prepared(found, error=traceback.format_exc().rstrip())
    return Prepared(found, doc.plan.id, doc.source.sha256, doc.plan.title, graph, len(doc.warnings))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- the run ----------------------------------------------------------------------------------------
def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _prepared(found: Sequence[Found], options: Options, jobs: int) -> Iterator[list[Prepared]]:
    """Prepared sources as workers finish them: each time, every one finished by then (one at a time, in
    the order given, with ``jobs=1``)."""
    if jobs <= 1 or len(found) <= 1:
        for f in found:
            yield [prepare(f, options)]
        return
    # spawn: the workers do not inherit the parent's open store (its threads and file locks)
    with ProcessPoolExecutor(max_workers=min(jobs, len(found)), mp_context=get_context("spawn")) as pool:
        order = {pool.submit(prepare, f, options): i for i, f in enumerate(found)}
        pending: set[Future[Prepared]] = set(order)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield [future.result() for future in sorted(done, key=order.__getitem__)]


#: A transaction writes at most this many plans, and stops taking more past this many elements (nodes and
#: relationships): one statement per label and relationship group writes a whole batch, so 50 plans cost
#: about the round trips of one (bench/corpus_load.py), and a batch stays far below a server's
#: transaction memory limit.
BATCH_PLANS = 50
BATCH_ELEMENTS = 40_000


def in_batches(
    items: Iterable[T], size: Callable[[T], int], *, plans: int = BATCH_PLANS, elements: int = BATCH_ELEMENTS
) -> Iterator[list[T]]:
    """``items`` in runs of at most ``plans``, each closed once its ``size`` sum reaches ``elements``.

    >>> [len(b) for b in in_batches(range(7), lambda i: 10, plans=3, elements=25)]
    [3, 3, 1]
    >>> [len(b) for b in in_batches(range(4), lambda i: 10, plans=9, elements=15)]
    [2, 2]
    """
    batch: list[T] = []
    total = 0
    for item in items:
        batch.append(item)
        total += size(item)
        if len(batch) >= plans or total >= elements:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def elements(graph: nx.MultiDiGraph) -> int:
    return int(graph.number_of_nodes() + graph.number_of_edges())


def add(
    store: Store,
    paths: Iterable[str | Path],
    options: Options = DEFAULT,
    *,
    jobs: int | None = None,
    on_outcome: Callable[[Outcome, int, int], None] | None = None,
) -> Report:
    """Add every source under ``paths`` to ``store`` (see the module's docstring); ``on_outcome(outcome,
    done, total)`` after each file."""
    sources = expand(paths)
    # a plan stored without its source text (loaded before stores kept it) counts as changed: it is read again
    textless = {r["plan_id"] for r in held(store, "plans_without_text")}
    stored = {
        r["plan_id"]: {**r, "source_sha256": None} if r["plan_id"] in textless else r for r in held(store)
    }
    report = Report()

    def record(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome, len(report.outcomes), len(sources))

    todo = []
    for found in sources:
        same = _unchanged(found.path, options, stored)
        if same is not None:
            record(Outcome(found.path, Status.SKIPPED, same["plan_id"], same.get("title")))
        else:
            todo.append(found)
    seen: dict[str, Path] = {}
    # what the workers have finished while the store was busy is written together, in batches: one plan
    # at a time while parsing is the slower part, many when plans wait
    for ready in _prepared(todo, options, jobs or default_jobs()):
        to_write = []
        for prep in ready:
            outcome = _check(prep, stored, seen)
            if outcome is None:
                to_write.append(prep)
            else:
                record(outcome)
        for batch in in_batches(to_write, lambda p: elements(p.graph) if p.graph is not None else 0):
            for outcome in _install(store, batch, stored):
                record(outcome)
    report.citations = link_citations(store)  # also after a rerun: it completes a run that was stopped
    return report


def _unchanged(path: Path, options: Options, stored: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The stored plan this file would give, when its sha256 says it is unchanged, known without parsing:
    the id from ``--plan-id``, ``plan.yaml`` or the plan folder; for a file whose id comes from its title,
    the one stored plan from a file of that name and sha256. None: parse it."""
    sha = file_sha256(path)
    try:
        known = options.plan_id or read_meta(path).get("id") or folder_id(path)
    except PlanError:
        return None  # a broken plan.yaml: the parse reports it
    if known is not None:
        row = stored.get(str(known))
        return row if row is not None and row["source_sha256"] == sha else None
    rows = [r for r in stored.values() if r["source_sha256"] == sha and r.get("source_path") == path.name]
    return rows[0] if len(rows) == 1 else None


def _check(prep: Prepared, stored: dict[str, dict[str, Any]], seen: dict[str, Path]) -> Outcome | None:
    """The outcome of a source that is not to be written (failed, not a plan, a second file of one plan
    id, unchanged); None: write it."""
    path = prep.found.path
    if prep.graph is None or prep.plan_id is None:
        status = Status.NOT_A_PLAN if prep.not_a_plan else Status.FAILED
        return Outcome(path, status, error=prep.error)
    if prep.plan_id in seen:
        message = f"plan id {prep.plan_id!r} is also the id of {seen[prep.plan_id]} in this run"
        error = str(PlanError("E030", message + ": give each its own id (plan.yaml)", str(path)))
        return Outcome(path, Status.FAILED, prep.plan_id, prep.title, error=error)
    seen[prep.plan_id] = path
    old = stored.get(prep.plan_id)
    if old is not None and old["source_sha256"] == prep.sha256:
        return _outcome(prep, Status.SKIPPED)
    return None


def _outcome(prep: Prepared, status: Status, error: str | None = None) -> Outcome:
    path, graph = prep.found.path, prep.graph
    if error is not None or graph is None:
        return Outcome(path, status, prep.plan_id, prep.title, error=error)
    counts = {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    return Outcome(path, status, prep.plan_id, prep.title, warnings=prep.warnings, **counts)


def _install(store: Store, batch: list[Prepared], stored: dict[str, dict[str, Any]]) -> list[Outcome]:
    """Write a batch of plans in one transaction; when it fails, each plan alone, so the one that fails is
    reported with its error and the others still load."""
    plans = [(p.plan_id, p.graph) for p in batch if p.plan_id is not None and p.graph is not None]
    try:
        install_many(store, plans, link=False)
    except PlanGraphError as exc:  # refused or rolled back: the store holds what it held
        if len(batch) == 1:
            return [_outcome(batch[0], Status.FAILED, str(exc))]
        return [outcome for prep in batch for outcome in _install(store, [prep], stored)]
    return [_outcome(p, Status.ADDED if p.plan_id not in stored else Status.REPLACED) for p in batch]
