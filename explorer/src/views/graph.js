import { h, download } from "../dom.js";
import { t } from "../i18n.js";
import { interchange, toGraph } from "../graphdata.js";
import { draw } from "../draw.js";

const FORMATS = ["json", "graphml", "gexf", "csv", "cypher", "dot", "mermaid"];

/** The result drawn as a graph, with PNG/SVG pictures and the subgraph as JSON; the server's export
 * formats for the neighbourhood of the first node. */
export function graphBox(res) {
  const graph = toGraph(res);
  if (!graph.nodes.length) return h("p", { class: "note" }, t("graph_empty"));
  const box = h("div", { class: "graph", "data-nodes": graph.nodes.length, "data-edges": graph.edges.length });
  let view = null;
  requestAnimationFrame(() => { view = draw(box, graph); });
  const first = graph.nodes[0].id;
  const plan = first.split("/")[0];
  return h("div", null,
    h("p", { class: "exports" },
      h("button", { type: "button", class: "png", onclick: async () => download(await view.png(), "graph.png") }, t("export_png")), " ",
      h("button", { type: "button", class: "svg", onclick: () => download(view.svg(), "graph.svg") }, t("export_svg")), " ",
      h("button", { type: "button", class: "json", onclick: () => download(new Blob([JSON.stringify(interchange(graph), null, 1)], { type: "application/json" }), "subgraph.json") }, "JSON"),
      ` · ${t("export_subgraph")} (${first}, 1): `,
      FORMATS.map((f) => [h("a", { href: `/export?plan=${encodeURIComponent(plan)}&root=${encodeURIComponent(first)}&depth=1&format=${f}` }, f), " "])),
    box);
}
