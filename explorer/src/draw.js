// Drawing a graph with Cytoscape.js (picked by bench/explorer.py: frame time on a 1,000-node result).
import cytoscape from "cytoscape";

const STYLE = [
  { selector: "node", style: { label: "data(label)", "font-size": 8, width: 12, height: 12, "background-color": "#3b6ea5",
    "text-max-width": 120, "text-wrap": "ellipsis", color: "#222" } },
  { selector: "edge", style: { width: 1, "line-color": "#aab", "target-arrow-shape": "triangle", "target-arrow-color": "#aab",
    "curve-style": "straight", label: "data(label)", "font-size": 6, color: "#667" } },
];

export function draw(container, graph) {
  const big = graph.nodes.length > 200;
  const cy = cytoscape({
    container,
    elements: [...graph.nodes.map((data) => ({ data })), ...graph.edges.map((data) => ({ data }))],
    style: STYLE,
    layout: big ? { name: "concentric", animate: false } : { name: "cose", animate: false },
    textureOnViewport: big,
    hideEdgesOnViewport: false,
  });
  cy.on("tap", "node", (e) => { location.hash = `#/element/${encodeURIComponent(e.target.id())}`; });
  return {
    cy,
    png: () => cy.png({ output: "blob-promise", full: true, bg: "#fff", scale: 2 }),
    svg: () => new Blob([toSvg(cy)], { type: "image/svg+xml" }),
  };
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The drawing as SVG: straight edges, round nodes and their labels, from the laid-out positions. */
export function toSvg(cy) {
  const bb = cy.elements().boundingBox();
  const pad = 20;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${bb.x1 - pad} ${bb.y1 - pad} ${bb.w + 2 * pad} ${bb.h + 2 * pad}" font-family="sans-serif">`];
  cy.edges().forEach((e) => {
    const a = e.source().position(), b = e.target().position();
    out.push(`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="#aab" stroke-width="1"><title>${esc(e.data("label"))}</title></line>`);
  });
  cy.nodes().forEach((n) => {
    const p = n.position();
    out.push(`<circle cx="${p.x}" cy="${p.y}" r="6" fill="#3b6ea5"/><text x="${p.x + 8}" y="${p.y + 3}" font-size="8">${esc(n.data("label"))}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
