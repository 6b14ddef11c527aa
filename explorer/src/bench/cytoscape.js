// bench/explorer.py: Cytoscape.js drawing a graph with given positions; step() moves the camera.
import cytoscape from "cytoscape";

window.pgBench = {
  draw(container, graph) {
    const cy = cytoscape({
      container,
      elements: [
        ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.label }, position: { x: n.x, y: n.y } })),
        ...graph.edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target } })),
      ],
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 8, width: 12, height: 12 } },
        { selector: "edge", style: { width: 1, "curve-style": "straight", "target-arrow-shape": "triangle" } },
      ],
      layout: { name: "preset" },
    });
    return { step: (i) => { cy.zoom(1 + 0.5 * Math.sin(i / 10)); cy.pan({ x: 200 * Math.cos(i / 15), y: 100 * Math.sin(i / 15) }); } };
  },
};
