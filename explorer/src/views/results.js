import { h, route, table, verbatim } from "../dom.js";
import { t } from "../i18n.js";

const looksLikeEid = (v) => typeof v === "string" && /^[\w.-]+\/[\w./-]+$/.test(v) && !/\s/.test(v);

/** Rows as a table; a cell holding an eid links to its element page, a node to its eid. */
export function resultTable(res) {
  return h("div", { class: "results-table" },
    h("p", { class: "rowcount" }, `${res.row_count} ${t("rows")}${res.truncated ? ` · ${t("truncated")}` : ""}`),
    table(res.columns.map((c) => verbatim(c)), res.rows.map((r) => r.map(value)), {}, { data: true }));
}

function value(v) {
  if (looksLikeEid(v)) return h("a", { href: route("element", v) }, v);
  if (v && typeof v === "object" && !Array.isArray(v) && v.eid) return h("a", { href: route("element", v.eid), class: "plantext", translate: "no" }, v.title || v.eid);
  if (v && typeof v === "object") return h("code", null, JSON.stringify(v));
  return v;
}

