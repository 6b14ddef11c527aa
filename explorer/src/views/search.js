import { get } from "../api.js";
import { h, marked, route, verbatim } from "../dom.js";
import { t, kind } from "../i18n.js";
import { nodePath } from "./element.js";

const SNIPPET = 60;

/** Elements and entities whose title or text holds the words, with the matches highlighted in the
 * Chinese text (a snippet around the first match of the text). */
export async function searchView(_, params) {
  const q = (params.get("q") || "").trim();
  const input = h("input", { name: "q", value: q, type: "search", "aria-label": t("search") });
  const form = h("form", { class: "search-page", onsubmit: (e) => { e.preventDefault(); location.hash = route("search", { q: input.value }); } },
    input, h("button", null, t("search")));
  if (!q) return h("section", null, h("h1", null, t("search")), form);
  const res = await get("/search", { q, limit: 100 });
  const texts = await Promise.all(res.items.slice(0, 30).map((it) => (it.match_rank === 2 ? get(nodePath(it.eid)) : null)));
  return h("section", null, h("h1", null, `${t("search")}: `, h("span", { class: "plantext", translate: "no" }, q)), form,
    h("p", null, `${res.total} ${t("results")}${res.truncated ? ` (${t("truncated")})` : ""}`),
    res.items.length ? h("ol", { class: "results" }, res.items.map((it, i) => h("li", { "data-eid": it.eid },
      h("a", { href: route("element", it.eid), class: "plantext", translate: "no" }, marked(it.title || it.eid, [q])),
      ` · ${kind((it.labels || [])[0])} · `, verbatim(it.plan_id), ` · ${it.match_rank === 1 ? t("match_title") : t("match_text")}`,
      snippet(texts[i]?.node?.text, q)))) : h("p", null, t("no_results")));
}

function snippet(text, q) {
  if (!text) return null;
  const at = text.indexOf(q);
  if (at < 0) return null;
  const from = Math.max(0, at - SNIPPET), to = Math.min(text.length, at + q.length + SNIPPET);
  return h("p", { class: "snippet plantext", translate: "no" }, from ? "…" : "", marked(text.slice(from, to), [q]), to < text.length ? "…" : "");
}
