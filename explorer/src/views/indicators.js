import { apiUrl, get } from "../api.js";
import { h, route, table } from "../dom.js";
import { t } from "../i18n.js";

const COLUMNS = [
  ["ordinal", "#"], ["title", "title"], ["category", "category"], ["unit", "unit"], ["baseline_value", "baseline"],
  ["baseline_year", "year"], ["target_value", "target"], ["target_year", "year"], ["attribute", "attribute"],
];

const number = (v) => (v != null && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : null);

/** The indicator table, sortable by any column (the order is in the URL), with the API's CSV download. */
export async function indicatorsView([plan], params) {
  const res = await get("/indicators", { plan, limit: 500 });
  const key = params.get("sort") || "ordinal";
  const desc = params.get("desc") === "1";
  const rows = [...res.items].sort((a, b) => {
    const x = a[key], y = b[key];
    const nx = number(x), ny = number(y);
    const c = nx != null && ny != null ? nx - ny : String(x ?? "").localeCompare(String(y ?? ""), "zh");
    return desc ? -c : c;
  });
  const head = COLUMNS.map(([k, label]) => h("a", {
    href: route("indicators", plan, { sort: k, desc: k === key && !desc ? "1" : "" }),
    class: k === key ? `sorted ${desc ? "desc" : "asc"}` : null,
  }, label === "#" ? "#" : t(label)));
  return h("section", null, h("h1", null, t("indicators")),
    h("p", null, h("a", { href: apiUrl("/queries/indicators", { plan, format: "csv" }), download: `${plan}-indicators.csv` }, t("download_csv")),
      " · ", h("a", { href: apiUrl("/indicators", { plan, limit: 500 }) }, "JSON")),
    table(head, rows.map((i) => COLUMNS.map(([k]) => k === "title"
      ? h("a", { href: route("element", i.eid) }, i.title) : i[k])), { class: "indicators sortable" }, { data: true }));
}
