"""Graph benchmark: build and inference time for the bundled plan and for 50 plans; export time per format.

Parsing is not timed here (``bench/parse.py`` does that): plans are parsed first, then the graph steps are
timed on the parsed documents. The 50 plans are copies of the bundled one under distinct ids, so the
tokenizer's cache serves their texts after the first: figures for 50 different plans would be somewhat
higher. Prints figures; asserts nothing.

    python bench/build.py [--plans 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import SOURCE, timed  # noqa: E402
from plangraph.graph.build import build_graph, build_many, links_beside  # noqa: E402
from plangraph.graph.export import FORMATS, render, select, write_csv  # noqa: E402
from plangraph.graph.infer import infer_links, terms  # noqa: E402
from plangraph.ingest.pipeline import parse_file  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    links = links_beside(SOURCE)
    doc = parse_file(SOURCE)

    t = time.perf_counter()
    terms("预热")
    warm = time.perf_counter() - t
    structure = timed(lambda: build_graph(doc, infer=False), args.repeat)
    inference = timed(lambda: infer_links(doc, links=links), args.repeat)
    full = timed(lambda: build_graph(doc, links=links), args.repeat)
    g = build_graph(doc, links=links)
    print(f"inference start-up (jieba dictionary with the lexicons): {warm:.2f} s (once per process)")
    print(
        f"bundled plan: {g.number_of_nodes()} nodes, {g.number_of_edges()} relationships; "
        f"structure {structure * 1000:.0f} ms, inference {inference * 1000:.0f} ms, "
        f"build total {full * 1000:.0f} ms (medians of {args.repeat})"
    )

    docs = [parse_file(SOURCE, plan_id=f"plan-{i:03d}") for i in range(args.plans)]
    t = time.perf_counter()
    for d in docs:
        infer_links(d, links=links)
    inf_many = time.perf_counter() - t
    t = time.perf_counter()
    many = build_many(docs, links={d.plan.id: links for d in docs if links is not None})
    total = time.perf_counter() - t
    print(
        f"{args.plans} plans in one graph: {many.number_of_nodes()} nodes, {many.number_of_edges()} "
        f"relationships; build {total:.2f} s ({args.plans / total:.1f} plans/s); inference alone "
        f"{inf_many:.2f} s"
    )

    print(f"export of the bundled plan (median of {args.repeat}):")
    for fmt in FORMATS:
        s = timed(lambda fmt=fmt: render(g, fmt), args.repeat)  # type: ignore[misc]
        size = len(render(g, fmt).encode("utf-8"))
        print(f"  {fmt:<8} {s * 1000:7.0f} ms  {size / 1024:8.0f} KiB")
    with tempfile.TemporaryDirectory() as tmp:
        s = timed(lambda: write_csv(g, Path(tmp) / "g.zip"), args.repeat)
        print(f"  csv.zip  {s * 1000:7.0f} ms  {(Path(tmp) / 'g.zip').stat().st_size / 1024:8.0f} KiB")
    s = timed(lambda: select(g, root=f"{doc.plan.id}/task-4", depth=2), args.repeat)
    print(f"  subgraph selection (--root task-4 --depth 2): {s * 1000:.1f} ms")
    t = time.perf_counter()
    text = render(many, "json")
    print(
        f"  json of the {args.plans}-plan graph: {time.perf_counter() - t:.2f} s, {len(text) / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    main()
