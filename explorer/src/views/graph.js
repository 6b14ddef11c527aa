import { postDownload } from "../api.js";
import { h, download } from "../dom.js";
import { t } from "../i18n.js";
import { problemBox } from "../problem.js";
import { toGraph } from "../graphdata.js";
import { draw } from "../draw.js";

const FORMATS = ["json", "graphml", "gexf", "csv", "cypher", "dot", "mermaid"];

/** The result drawn as a graph, with PNG/SVG pictures of the drawing, and the drawn nodes' subgraph (the
 * store's nodes and every relationship among them, optionally with their neighbours) in every export format
 * of the API (POST /export). */
export function graphBox(res) {
  const graph = toGraph(res);
  if (!graph.nodes.length) return h("p", { class: "note" }, t("graph_empty"));
  const box = h("div", { class: "graph", "data-nodes": graph.nodes.length, "data-edges": graph.edges.length });
  let view = null;
  requestAnimationFrame(() => { view = draw(box, graph); });
  const eids = graph.nodes.map((n) => n.id);
  const around = h("input", { type: "checkbox", name: "neighbours" });
  const status = h("span", { class: "export-status" });
  const exportAs = async (format) => {
    status.replaceChildren();
    try {
      const { blob, name } = await postDownload("/export", { eids, format, neighbours: around.checked });
      download(blob, name);
    } catch (e) {
      status.replaceChildren(await problemBox(e));
    }
  };
  return h("div", null,
    h("p", { class: "exports" },
      h("button", { type: "button", class: "png", onclick: async () => download(await view.png(), "graph.png") }, t("export_png")), " ",
      h("button", { type: "button", class: "svg", onclick: () => download(view.svg(), "graph.svg") }, t("export_svg")),
      ` · ${t("export_subgraph")} (${eids.length}): `,
      FORMATS.map((f) => [h("button", { type: "button", class: `format ${f}`, "data-format": f, translate: "no", onclick: () => exportAs(f) }, f), " "]),
      h("label", null, around, ` ${t("with_neighbours")}`), status),
    box);
}
