import { get } from "../api.js";
import { h, link } from "../dom.js";
import { t, kind, pageNo } from "../i18n.js";
import { loadCodes, meaning } from "../codes.js";

/** A plan's outline as a collapsible tree, the parser's warnings beside the elements they concern. */
export async function planView([planId]) {
  const [tree, plans] = await Promise.all([get(`/plans/${encodeURIComponent(planId)}/tree`), get("/plans", { limit: 500 }), loadCodes()]);
  const plan = plans.items.find((p) => p.eid === planId) || { title: planId };
  const kids = {};
  for (const n of tree.nodes) (kids[n.parent] ||= []).push(n);
  const warned = {};
  for (const w of tree.warnings) (warned[w.eid || ""] ||= []).push(w);
  const item = (n) => {
    const label = h("span", { class: "node" },
      h("span", { class: `kind kind-${n.kind}`, "data-kind": n.kind }, kind(n.kind)), " ",
      h("a", { href: `#/element/${encodeURIComponent(n.eid)}`, class: "plantext", translate: "no" }, n.title || n.eid),
      n.page ? h("span", { class: "page" }, ` ${pageNo(n.page)}`) : null,
      warningList(warned[n.eid]));
    const children = kids[n.eid];
    if (!children) return h("li", { "data-eid": n.eid }, label);
    return h("li", { "data-eid": n.eid }, h("details", { open: n.parent === planId }, h("summary", null, label),
      h("ul", null, children.map(item))));
  };
  const all = (open) => () => document.querySelectorAll(".tree details").forEach((d) => { d.open = open; });
  return h("section", null,
    h("h1", { class: "plantext", translate: "no" }, plan.title),
    h("p", { class: "links" }, link(t("goals"), "goals", planId), " · ", link(t("indicators"), "indicators", planId), " · ",
      h("a", { href: `/export?plan=${encodeURIComponent(planId)}&format=graphml` }, `${t("export")} GraphML`), " · ",
      h("button", { type: "button", onclick: all(true) }, t("expand")), " ",
      h("button", { type: "button", onclick: all(false) }, t("collapse"))),
    tree.truncated ? h("p", { class: "warn" }, t("truncated")) : null,
    tree.warnings_available ? null : h("p", { class: "note" }, t("no_warnings_source")),
    warned[""] ? h("div", { class: "unplaced" }, h("h2", null, t("unplaced")), warningList(warned[""])) : null,
    h("ul", { class: "tree" }, (kids[planId] || []).map(item)));
}

function warningList(list) {
  if (!list) return null;
  return h("ul", { class: "warnings", "aria-label": t("warnings") }, list.map((w) =>
    h("li", { class: `warning code-${w.code[0]}` }, `[${w.code}] `, meaning(w.code), " · ", w.line ? `${t("lines")} ${w.line}: ` : "",
      h("span", { class: "plantext", translate: "no" }, w.message))));
}
