import { apiUrl, get } from "../api.js";
import { h, prose, route, table, verbatim } from "../dom.js";
import { localized, otherScript, t } from "../i18n.js";
import { resultTable } from "./results.js";

/** A canned query's title, description or parameter description in the interface's language. */
const words = (obj, field, cls) => h("span", { class: cls || null }, prose(localized(obj, field), otherScript()));

/** The canned query library. */
export async function queriesView() {
  const list = await get("/queries");
  return h("section", null, h("h1", null, t("queries")),
    table([t("name"), t("title"), "", t("parameters")], list.map((q) => [verbatim(h("a", { href: route("query", q.name) }, q.name)), words(q, "title"),
      words(q, "description", "desc"), verbatim(q.params.map((p) => `${p.name}: ${p.type}`).join(", "))]), { class: "queries" }));
}

/** A canned query as a form (typed inputs from its header); the result's URL reproduces it. */
export async function queryView([name], params) {
  const q = (await get("/queries")).find((x) => x.name === name);
  if (!q) return h("p", { class: "error" }, `${t("no_query")}: `, verbatim(name));
  const inputs = q.params.map((p) => h("input", {
    name: p.name, required: true, value: params.get(p.name) ?? p.example ?? "",
    type: p.type === "INT64" || p.type === "DOUBLE" ? "number" : "text", step: p.type === "DOUBLE" ? "any" : null,
  }));
  const form = h("form", { class: "query-form", onsubmit: (e) => {
    e.preventDefault();
    location.hash = route("query", name, { ...Object.fromEntries(inputs.map((i) => [i.name, i.value])), run: "1" });
  } }, q.params.map((p, i) => h("label", null, verbatim(`${p.name} (${p.type}) `), inputs[i], h("small", null, " ", words(p, "description")))),
  h("button", null, t("run")));
  let result = null;
  if (params.get("run") === "1" || !q.params.length) {
    const values = Object.fromEntries(q.params.map((p) => [p.name, params.get(p.name) ?? p.example ?? ""]));
    const res = await get(`/queries/${name}`, values);
    result = h("section", { class: "result" }, h("p", null,
      h("a", { href: apiUrl(`/queries/${name}`, { ...values, format: "csv" }), download: `${name}.csv` }, t("download_csv")), " · ",
      h("a", { href: apiUrl(`/queries/${name}`, values), download: `${name}.json` }, t("download_json")), " · ",
      h("a", { href: route("query", name, { ...values, run: "1" }), class: "reproduce" }, t("reproduce"))), resultTable(res));
  }
  return h("section", null, h("h1", null, words(q, "title")), h("p", null, words(q, "description")), form, result);
}
