import { get } from "../api.js";
import { h, link, marked, route, table, verbatim } from "../dom.js";
import { t, source as sourceName } from "../i18n.js";
import { confidenceBadge, termList } from "./evidence.js";

/** A plan's goals, each a link to its goal view. */
export async function goalsView([plan]) {
  const goals = await get("/goals", { plan, limit: 500 });
  return h("section", null, h("h1", null, t("goals")),
    h("ol", { class: "goals" }, goals.items.map((g) => h("li", null,
      h("a", { href: route("goal", plan, g.eid), class: "plantext", translate: "no" }, g.title || g.eid)))));
}

/** "Which tasks serve goal X", ranked, with 专栏, actions and indicators; each row opens to its evidence. */
export async function goalView([plan, ref]) {
  const base = `/goals/${encodeURIComponent(ref)}`;
  const [tasks, actions, columns, indicators] = await Promise.all(
    ["tasks", "actions", "columns", "indicators"].map((what) => get(`${base}/${what}`, { plan })));
  const goal = tasks.goal;
  return h("section", { class: "goal" },
    h("h1", { class: "plantext", translate: "no" }, goal.title),
    h("p", null, verbatim(link(goal.eid, "element", goal.eid)), " · ", link(t("goals"), "goals", plan)),
    h("h2", null, `${t("tasks")} (${tasks.items.length})`), ranked(tasks.items, "tasks"),
    h("h2", null, `${t("columns")} (${columns.items.length})`), ranked(columns.items, "columns"),
    h("h2", null, `${t("actions")} (${actions.items.length})`), ranked(actions.items, "actions"),
    h("h2", null, `${t("indicators")} (${indicators.items.length})`),
    table([t("title"), t("unit"), t("baseline"), "→", t("target"), t("attribute"), t("score")],
      indicators.items.map((i) => [h("a", { href: route("element", i.eid) }, i.title),
        i.unit, `${i.baseline_value ?? "—"}${i.baseline_year ? ` (${i.baseline_year})` : ""}`, "→",
        `${i.target_value ?? "—"}${i.target_year ? ` (${i.target_year})` : ""}`, i.attribute, i.score]), { class: "indicators" }, { data: true }));
}

/** Ranked rows, each a <details> whose body is the evidence: the shared terms and the sentences. */
function ranked(items, name) {
  if (!items.length) return h("p", null, t("none"));
  return h("ol", { class: `ranked ${name}` }, items.map((it) => {
    const [terms, ...sentences] = (it.evidence || "").split(" | ");
    const list = it.terms || (terms ? terms.split("、") : []);
    return h("li", { "data-eid": it.eid }, h("details", null,
      h("summary", null, h("a", { href: route("element", it.eid), class: "plantext", translate: "no" }, it.title),
        ` · ${t("score")} ${it.score ?? "—"}`, it.rank ? ` · ${t("rank")} ${it.rank}` : "", " ", confidenceBadge(it.confidence)),
      h("div", { class: "evidence" },
        termList(list),
        sentences.map((s) => h("blockquote", { class: "plantext", translate: "no" }, marked(s, list, "term"))),
        h("p", { class: "method" }, `${t("method")}: `, verbatim(it.method), ` (${sourceName(it.source)})`))));
  }));
}
