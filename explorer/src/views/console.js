import { post } from "../api.js";
import { h, route } from "../dom.js";
import { t } from "../i18n.js";
import { problemBox } from "../problem.js";
import { graphBox } from "./graph.js";
import { resultTable } from "./results.js";

const KEYWORDS = /^(match|optional|where|return|with|unwind|order|by|limit|skip|as|and|or|not|in|is|null|distinct|union|all|case|when|then|else|end|contains|starts|ends|count|exists|asc|desc|true|false|create|merge|delete|detach|set|remove|call|yield|load|csv|drop)$/i;
const TOKENS = /(\/\/[^\n]*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\$\w+)|(:`?[A-Za-z_]\w*`?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_]\w*)|([\s\S])/g;
const EXAMPLE = "MATCH (t:Task)-[r:SERVES]->(g:Goal)\nRETURN t, r, g\nLIMIT 50";

/** Cypher as highlighted spans (comments, strings, parameters, labels, numbers, keywords). */
export function highlighted(text) {
  const frag = document.createDocumentFragment();
  for (const m of text.matchAll(TOKENS)) {
    const [tok, comment, str, param, label, num, word] = m;
    const cls = comment ? "c" : str ? "s" : param ? "p" : label ? "l" : num ? "n" : word && KEYWORDS.test(word) ? "k" : null;
    frag.append(cls ? h("span", { class: `cy-${cls}` }, tok) : tok);
  }
  frag.append("\n");
  return frag;
}

/** The read-only console: the query is in the URL (#/console?q=…), run with POST /cypher (the API's own
 * guard, time limit and row cap), shown as a table and as a graph; a refusal shows the API's reason. */
export async function consoleView(_, params) {
  const q = params.get("q") ?? EXAMPLE;
  const tab = params.get("view") || "table";
  const pre = h("pre", { class: "hl", "aria-hidden": "true" }, highlighted(q));
  const area = h("textarea", { class: "code", spellcheck: "false", rows: 6, "aria-label": "Cypher",
    oninput: () => pre.replaceChildren(highlighted(area.value)), onscroll: () => { pre.scrollTop = area.scrollTop; } }, q);
  const run = (view) => { location.hash = route("console", { q: area.value, view, run: "1" }); };
  const editor = h("form", { class: "console", onsubmit: (e) => { e.preventDefault(); run(tab); } },
    h("div", { class: "editor" }, pre, area),
    h("p", { class: "note" }, t("read_only")),
    h("button", { class: "run" }, t("run")));
  area.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(tab); });
  let out = null;
  if (params.get("run") === "1") {
    try {
      const res = await post("/cypher", { query: q });
      const tabs = h("p", { class: "tabs" }, ["table", "graph"].map((v) => h("a", { href: route("console", { q, view: v, run: "1" }),
        class: v === tab ? "active" : null }, t(v))));
      out = h("section", { class: "result" }, tabs, tab === "graph" ? graphBox(res) : resultTable(res));
    } catch (e) {
      out = await problemBox(e);
      out.classList.add("refused");
    }
  }
  return h("section", null, h("h1", null, t("console")), editor, out);
}
