"""The web explorer in a real browser (Debian's Chromium driven by Playwright), timed with the browser's
Performance API; every figure is printed beside a baseline measured in the same run:

- time to first render of the plan view and of an element page on the bundled plan (navigation start →
  the view in the page), against the explorer's boot alone (a view that calls no API): on a first visit
  (a service without its response cache, so every page's API calls ask the store) and on a visit again
  (the response cache on: the same calls answered from it);
- the graph view's frame time on a 1,000-node result for each candidate library (Cytoscape.js on canvas,
  sigma.js on WebGL), panning and zooming every frame, against the frame time of an empty page (the
  browser's own frame interval).

    .venv/bin/python bench/explorer.py [--repeat 5] [--nodes 1000] [--frames 120]

Needs the built explorer (make install) and the Chromium of tools/system-packages.txt; the 1,000-node
result comes from the bundled plan plus the corpus plans in ../shared/corpus (read in place).
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _client as bc

ROOT = bc.ROOT
BUNDLES = ROOT / "explorer" / "dist-bench"
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_PLANS = ("gangyao_14th_2021_ndrc.pdf", "hubei_wenwu_14th_2021.pdf", "ruanjian_14th_2021.txt")
LIBRARIES = ("cytoscape", "sigma")
ELEMENT = "informatization-14fyp/task-7"
VIEWS = (
    ("boot (baseline)", "not-found", "#/no-such-view"),
    ("plan view", "plan", "#/plan/informatization-14fyp"),
    ("element page", "element", "#/element/" + ELEMENT.replace("/", "%2F")),
)
#: one pair of eids per row: the document tree and the mentions of the loaded plans
PAIRS = (
    "MATCH (a)-[:HAS_SECTION|HAS_TASK|HAS_SUBTASK|HAS_COLUMN|HAS_ITEM|HAS_TARGET|HAS_GOAL|HAS_INDICATOR"
    "|HAS_ACTION|HAS_MEASURE|HAS_PRINCIPLE|HAS_DIRECTION|MENTIONS]->(b) RETURN a.eid AS a_eid, b.eid AS b_eid"
)
FRAMES_JS = """async ([graph, frames]) => {
  const box = document.getElementById('g');
  const t0 = performance.now();
  const view = graph ? window.pgBench.draw(box, graph) : { step() {} };
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  await frame(); await frame();
  const first = performance.now() - t0;
  const times = [];
  let last = performance.now();
  for (let i = 0; i < frames; i++) {
    view.step(i);
    await frame();
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  return { first, times };
}"""


def chromium(p: Any) -> Browser:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return p.chromium.launch(executable_path=path, args=["--no-sandbox", "--enable-unsafe-swiftshader"])


def first_render(browser: Browser, base: str, repeat: int) -> list[list[str]]:
    rows = []
    for label, name, url in VIEWS:
        renders, apis = [], []
        for _ in range(repeat):
            page = browser.new_page()
            page.goto(base + "/" + url)
            page.wait_for_selector(f"body[data-view='{name}']", timeout=60_000)
            renders.append(page.evaluate(f"performance.getEntriesByName('pg:render:{name}')[0].duration"))
            apis.append(
                page.evaluate(
                    "Math.max(0, ...performance.getEntriesByType('resource')"
                    ".filter(e => e.initiatorType === 'fetch').map(e => e.responseEnd - e.startTime))"
                )
            )
            page.close()
        rows.append([label, statistics.median(renders), statistics.median(apis)])
    base_ms = rows[0][1]
    return [[lbl, f"{r:.0f} ms", f"{a:.0f} ms", f"{r / base_ms:.2f}"] for lbl, r, a in rows]


def result_graph(base: str, nodes: int) -> dict[str, Any]:
    """The first ``nodes`` distinct eids of a real query result and the edges among them, laid out once
    (both libraries draw the same positions)."""
    with httpx.Client(timeout=60) as client:
        res = client.post(f"{base}/cypher", json={"query": PAIRS})
        res.raise_for_status()
    g = nx.DiGraph()
    for a, b in res.json()["rows"]:
        if g.number_of_nodes() >= nodes and (a not in g or b not in g):
            continue
        g.add_edge(a, b)
    return {
        "nodes": [{"id": n, "label": n.rsplit("/", 1)[-1], **_spiral(i)} for i, n in enumerate(g)],
        "edges": [{"id": f"e{i}", "source": a, "target": b} for i, (a, b) in enumerate(g.edges)],
    }


def _spiral(i: int) -> dict[str, float]:
    """A sunflower layout (the same positions for every library, no layout cost in the figure)."""
    r, a = 20 * math.sqrt(i), i * math.pi * (3 - math.sqrt(5))
    return {"x": r * math.cos(a), "y": r * math.sin(a)}


def frame_times(browser: Browser, graph: dict[str, Any], frames: int) -> list[list[str]]:
    rows = []
    for lib in (None, *LIBRARIES):
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.set_content("<div id='g' style='width:1200px;height:800px;position:relative'></div>")
        if lib:
            page.add_script_tag(path=str(BUNDLES / f"{lib}.js"))
        out = page.evaluate(FRAMES_JS, [graph if lib else None, frames])
        page.close()
        times = sorted(out["times"])
        rows.append(
            [
                lib or "empty page (baseline)",
                out["first"],
                statistics.mean(times),
                times[int(len(times) * 0.95)],
            ]
        )
    base = rows[0][2]
    return [[n, f"{f:.0f} ms", f"{m:.1f} ms", f"{p95:.1f} ms", f"{m / base:.2f}"] for n, f, m, p95 in rows]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--frames", type=int, default=120)
    args = ap.parse_args()
    if not (BUNDLES / "cytoscape.js").is_file():
        raise SystemExit(f"error: {BUNDLES} is not built: run make install")
    plans = [str(ROOT / "data" / "plans" / "informatization-14fyp")]
    plans += [str(CORPUS / name) for name in CORPUS_PLANS if (CORPUS / name).is_file()]
    env = {
        "PLANGRAPH_MAX_ROWS": "20000",
        "PLANGRAPH_STORE": "ladybug",
    }
    print(bc.load_note())
    heading = f"(median of {args.repeat} fresh pages; ratio to the explorer's boot)"
    columns = ["view", "first render", "API calls", "ratio"]
    with sync_playwright() as p:
        browser = chromium(p)
        print(f"Chromium {browser.version}")
        # the bundled plan alone, no response cache: each page's calls ask the store, as on a first visit
        with bc.serve("ladybug", {**env, "PLANGRAPH_CACHE_MB": "0"}, [Path(plans[0])]) as cold:
            print("\nTime to first render, first visit (no response cache)", heading)
            print(bc.table(columns, first_render(browser, cold.base, args.repeat)))
        browser.close()
    with bc.serve("ladybug", env, [Path(p) for p in plans]) as server, sync_playwright() as p:
        browser = chromium(p)
        print(f"{len(plans)} plans loaded")
        print("\nTime to first render, visited again (the response cache answers)", heading)
        print(bc.table(columns, first_render(browser, server.base, args.repeat)))
        graph = result_graph(server.base, args.nodes)
        print(
            f"\nGraph view: {len(graph['nodes'])} nodes, {len(graph['edges'])} edges, "
            f"{args.frames} frames of pan+zoom"
        )
        print(
            bc.table(
                ["library", "first draw", "mean frame", "p95 frame", "ratio"],
                frame_times(browser, graph, args.frames),
            )
        )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
