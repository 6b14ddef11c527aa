"""Graph commands (export, eval, analyse): registered on the main app."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import networkx as nx

from plangraph.cli.common import (
    PartialOpt,
    PlanIdOpt,
    TitleOpt,
    UsageError,
    clean_errors,
    parse_plan,
    write_output,
)
from plangraph.graph.formats import DEFAULT_FORMAT, ExportFormat


class OutFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SourceArg = Annotated[Path, typer.Argument(help="A plan directory (with source.txt/html) or a source file.")]
OutputOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")]
NoInferOpt = Annotated[bool, typer.Option("--no-infer", help="Leave out the inferred SERVES/MEASURES.")]
NoCuratedOpt = Annotated[bool, typer.Option("--no-curated", help="Ignore links.yaml (inference only).")]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help="table, json or csv.")]


def load_graph(
    source: Path,
    plan_id: str | None = None,
    infer: bool = True,
    curated: bool = True,
    *,
    title: str | None = None,
    partial: bool = False,
) -> nx.MultiDiGraph:
    """Parse the plan (with the options of ``parse``) and build its graph, with the links.yaml beside the
    source unless ``curated=False``."""
    from plangraph.graph.corpus import Options, graph_for_source

    options = Options(plan_id=plan_id, title=title, partial=partial, infer=infer, curated=curated)
    return graph_for_source(source, options)


def register(app: typer.Typer) -> None:
    """Add the graph commands to ``app``."""
    app.command("export")(export)
    app.command("eval")(evaluate)
    analyse = typer.Typer(
        help="Research helpers: goal coverage, centrality, co-mention, paths.", no_args_is_help=True
    )
    analyse.command("coverage")(coverage)
    analyse.command("centrality")(centrality)
    analyse.command("comention")(comention)
    analyse.command("path")(path)
    app.add_typer(analyse, name="analyse")


def export(
    source: SourceArg,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="The export format.")] = DEFAULT_FORMAT,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=(
                "Write here (atomically). csv: a directory, or a file ending in .zip; without -o, csv "
                "prints the files one after another."
            ),
        ),
    ] = None,
    root: Annotated[str | None, typer.Option("--root", help="Start the subgraph at this eid.")] = None,
    depth: Annotated[int | None, typer.Option("--depth", help="Steps from --root (0–10, default 2).")] = None,
    label: Annotated[list[str] | None, typer.Option("--label", help="Keep only these node labels.")] = None,
    rel: Annotated[
        list[str] | None, typer.Option("--rel", help="Keep only these relationship types.")
    ] = None,
    goal: Annotated[str | None, typer.Option("--goal", help="Goal view: a goal eid, goal-3 or 3.")] = None,
    plan_id: PlanIdOpt = None,
    no_infer: NoInferOpt = False,
    no_curated: NoCuratedOpt = False,
    title: TitleOpt = None,
    partial: PartialOpt = False,
) -> None:
    """Export the plan's graph (or a subgraph) as JSON, GraphML, GEXF, CSV, Cypher, DOT or Mermaid."""
    from plangraph.graph.export import render, select, write_csv

    with clean_errors():
        g = load_graph(
            source, plan_id, infer=not no_infer, curated=not no_curated, title=title, partial=partial
        )
        sub = select(g, root=root, depth=depth, labels=label or (), rels=rel or (), goal=goal)
        if fmt.value == "csv" and output is not None:
            write_csv(sub, output)
            typer.echo(
                f"wrote {sub.number_of_nodes()} nodes, {sub.number_of_edges()} relationships to {output}",
                err=True,
            )
            return
        write_output(render(sub, str(fmt.value)), output)


def evaluate(
    plan_dir: Annotated[Path, typer.Argument(help="A plan directory or a plan file (any format).")],
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            help=(
                "Gold mapping (its ids are mapped onto the parse by reading order; another plan id is a "
                "warning); default: gold.yaml in the plan directory, else tests/gold/<plan id>.yaml."
            ),
        ),
    ] = None,
    curated: Annotated[bool, typer.Option("--curated", help="Score with links.yaml applied.")] = False,
    fmt: FormatOpt = OutFormat.table,
    plan_id: PlanIdOpt = None,
    title: TitleOpt = None,
    partial: PartialOpt = False,
) -> None:
    """Precision@1, precision and recall of the inferred SERVES and MEASURES against a gold mapping."""
    from plangraph.graph.analysis import render_rows
    from plangraph.graph.build import links_beside
    from plangraph.graph.evaluate import P1_KINDS, evaluate_doc, load_gold
    from plangraph.graph.infer import infer_links

    with clean_errors():
        src, doc = parse_plan(plan_dir, plan_id, title, partial)
        if gold is None:
            base = plan_dir if plan_dir.is_dir() else plan_dir.parent
            gold = next(
                (p for p in (base / "gold.yaml", Path("tests/gold") / f"{doc.plan.id}.yaml") if p.is_file()),
                None,
            )
            if gold is None:
                raise UsageError(f"no gold mapping for {doc.plan.id}: give --gold FILE")
        links = infer_links(doc, links=links_beside(src) if curated else None)
        scores, warnings = evaluate_doc(doc, load_gold(gold), links)
        for w in warnings:
            typer.echo(f"warning: {w}", err=True)
        rows = [s.as_dict() for s in scores]
        if fmt == OutFormat.json:
            write_output(
                json.dumps(
                    {
                        "plan": doc.plan.id,
                        "source": str(src),
                        "gold": str(gold),
                        "curated": curated,
                        "warnings": list(warnings),
                        "scores": rows,
                    },
                    ensure_ascii=False,
                    indent=1,
                ),
                None,
            )
            return
        cols = (
            "rel",
            "goal_p@1",
            "p@1",
            *(f"p@1 {k}" for k in P1_KINDS),
            "precision",
            "recall",
            "f1",
            "sources",
            "gold_edges",
            "found_edges",
            "true_positives",
        )
        table = [{c: r.get(c, "") for c in cols} for r in rows]
        head = f"plan {doc.plan.id}  gold {gold}  ({'with links.yaml' if curated else 'inference only'})\n"
        write_output((head if fmt == OutFormat.table else "") + render_rows(table, fmt.value), None)


def analysis(
    *, infer: bool = True, curated_option: bool = False
) -> Callable[[Callable[..., list[dict[str, object]]]], Callable[..., None]]:
    """An ``analyse`` command made of ``run(g, **its options) -> rows``. The plan argument and the options
    every analysis takes (``--format``, ``-o``, ``--plan-id``, ``--title``, ``--partial``, and
    ``--no-curated`` where ``curated_option``: where links.yaml changes the answer) are added here, after
    ``run``'s own, and so are parsing, the graph (``infer``: with SERVES/MEASURES) and writing the rows."""

    def make(run: Callable[..., list[dict[str, object]]]) -> Callable[..., None]:
        def param(
            name: str, annotation: object, default: object = inspect.Parameter.empty
        ) -> inspect.Parameter:
            return inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
            )

        own = [  # run's own options, their annotations resolved (they are strings in this module)
            param(p.name, eval(p.annotation, run.__globals__), p.default)
            for p in list(inspect.signature(run).parameters.values())[1:]
        ]
        params = [
            param("source", SourceArg),
            *own,
            param("fmt", FormatOpt, OutFormat.table),
            param("output", OutputOpt, None),
            param("plan_id", PlanIdOpt, None),
            *([param("no_curated", NoCuratedOpt, False)] if curated_option else []),
            param("title", TitleOpt, None),
            param("partial", PartialOpt, False),
        ]
        names = {p.name for p in own}

        @functools.wraps(run, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
        def command(**given: object) -> None:
            from plangraph.graph.analysis import render_rows

            with clean_errors():
                g = load_graph(
                    given["source"],  # type: ignore[arg-type]
                    given["plan_id"],  # type: ignore[arg-type]
                    infer=infer,
                    curated=not given.get("no_curated", False),
                    title=given["title"],  # type: ignore[arg-type]
                    partial=given["partial"],  # type: ignore[arg-type]
                )
                rows = run(g, **{name: value for name, value in given.items() if name in names})
                fmt: OutFormat = given["fmt"]  # type: ignore[assignment]
                write_output(render_rows(rows, fmt.value), given["output"])  # type: ignore[arg-type]

        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return make


@analysis(curated_option=True)
def coverage(g: nx.MultiDiGraph) -> list[dict[str, object]]:
    """Per goal: the tasks, subtasks, 专栏 and actions serving it, the indicators measuring it, gaps."""
    from plangraph.graph.analysis import goal_coverage

    return goal_coverage(g)


@analysis()
def centrality(
    g: nx.MultiDiGraph,
    label: Annotated[
        list[str] | None, typer.Option("--label", help="Labels to rank (default Task, Column).")
    ] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only the first N.")] = None,
) -> list[dict[str, object]]:
    """Degree and PageRank of tasks and 专栏 (or other labels)."""
    from plangraph.graph.analysis import centrality as run

    return run(g, label or ("Task", "Column"), top)


@analysis(infer=False)
def comention(
    g: nx.MultiDiGraph,
    kind: Annotated[
        str, typer.Option("--kind", help="Entity label: Technology, Body, Region, …")
    ] = "Technology",
    within: Annotated[str, typer.Option("--within", help="Element label that groups mentions.")] = "Task",
    min_weight: Annotated[int, typer.Option("--min-weight", min=1)] = 1,
    top: Annotated[int | None, typer.Option("--top", min=1)] = None,
) -> list[dict[str, object]]:
    """Pairs of technologies (or other entities) mentioned within the same task, heaviest first."""
    from plangraph.graph.analysis import comention as run

    return run(g, kind, within, min_weight, top)


@analysis()
def path(
    g: nx.MultiDiGraph,
    start: Annotated[str, typer.Argument(help="From this eid (or plan-relative: task-4).")],
    end: Annotated[str, typer.Argument(help="To this eid (or body/…, technology/…).")],
    directed: Annotated[bool, typer.Option("--directed", help="Follow edge directions.")] = False,
    via_hubs: Annotated[
        bool, typer.Option("--via-hubs", help="Allow paths through Plan, Part, Section.")
    ] = False,
) -> list[dict[str, object]]:
    """The shortest path between two nodes, with the relationship of each step."""
    from plangraph.graph.analysis import shortest_path
    from plangraph.graph.export import resolve_ref

    return shortest_path(g, resolve_ref(g, start), resolve_ref(g, end), directed, via_hubs)
