import { get, records } from "../api.js";
import { h, link, table } from "../dom.js";
import { t, kind } from "../i18n.js";

const KINDS = ["Part", "Goal", "Indicator", "Task", "Subtask", "Column", "Action", "Target", "Measure"];

/** The corpus: every plan in the store with its title, issuer, date, period, counts and links. */
export async function plansView() {
  const [plans, counts] = await Promise.all([get("/plans", { limit: 500 }), get("/plans/counts")]);
  const by = {};
  for (const r of records(counts)) (by[r.plan_id] ||= {})[r.kind] = r.count;
  const rows = plans.items.map((p) => [
    h("span", { class: "plantext", translate: "no" }, link(p.title || p.eid, "plan", p.eid)),
    h("span", { class: "plantext", translate: "no" }, p.issuer || ""),
    p.issued || "",
    p.period_start ? `${p.period_start}–${p.period_end || ""}` : "",
    h("span", { class: "counts" }, KINDS.filter((k) => by[p.eid]?.[k]).map((k) => h("span", { class: "count", "data-kind": k }, `${kind(k)} ${by[p.eid][k]}`))),
    h("span", { class: "links" }, link(t("outline"), "plan", p.eid), " ", link(t("goals"), "goals", p.eid), " ",
      link(t("indicators"), "indicators", p.eid), " ", h("a", { href: `/export?plan=${encodeURIComponent(p.eid)}&format=json` }, "JSON")),
  ]);
  return h("section", null, h("h1", null, t("plans")),
    table([t("title"), t("issuer"), t("issued"), t("period"), t("counts"), t("links")], rows, { class: "plans" }));
}
