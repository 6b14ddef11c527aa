// bench/explorer.py: sigma.js (WebGL, on graphology) drawing a graph with given positions; step() moves
// the camera.
import Graph from "graphology";
import Sigma from "sigma";

window.pgBench = {
  draw(container, graph) {
    const g = new Graph({ multi: true });
    for (const n of graph.nodes) g.addNode(n.id, { x: n.x, y: n.y, size: 4, label: n.label });
    for (const e of graph.edges) g.addEdgeWithKey(e.id, e.source, e.target, { size: 1, type: "arrow" });
    const sigma = new Sigma(g, container, { renderEdgeLabels: false, labelRenderedSizeThreshold: 0 });
    const camera = sigma.getCamera();
    return { step: (i) => { camera.setState({ ratio: 1 / (1 + 0.5 * Math.sin(i / 10)), x: 0.5 + 0.1 * Math.cos(i / 15), y: 0.5 + 0.1 * Math.sin(i / 15) }); sigma.refresh(); } };
  },
};
