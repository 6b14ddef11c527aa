import { get, optional, records } from "../api.js";
import { h, link, marked, route, verbatim } from "../dom.js";
import { t, kind, source as sourceName } from "../i18n.js";
import { confidenceBadge, termList } from "./evidence.js";

export const nodePath = (eid) => "/nodes/" + eid.split("/").map(encodeURIComponent).join("/");
const kindOf = (item) => (item.labels || [])[0] || "";

/** An element: what it is, its span highlighted in the source text, inferred links with evidence, its
 * neighbours, and a citation with a permalink to this view. */
export async function elementView([eid]) {
  const [view, source, links, plans] = await Promise.all([
    get(nodePath(eid)), optional("/source", { eid, context: 600 }), optional("/links", { eid }), get("/plans", { limit: 500 }),
  ]);
  const n = view.node;
  const plan = plans.items.find((p) => p.eid === n.plan_id);
  const span = n.span || {};
  const facts = [
    [t("kind"), h("span", { "data-kind": kindOf(n) }, kind(kindOf(n)))], ["eid", h("code", { translate: "no" }, n.eid)],
    [t("plan"), plan ? h("span", { class: "plantext", translate: "no" }, link(plan.title, "plan", plan.eid)) : n.plan_id],
    [t("page"), n.page ?? "—"], [t("lines"), span.line_start ? `${span.line_start}–${span.line_end}` : "—"],
    [t("chars"), span.char_start != null ? `${span.char_start}–${span.char_end}` : "—"],
  ];
  const linkRows = links && !links.missing ? records(links) : [];
  return h("article", { class: "element" },
    h("h1", { class: "plantext", translate: "no" }, n.title || n.eid),
    h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
    citeBox(n, plan, source),
    sourceBox(n, source),
    linkRows.length ? h("section", null, h("h2", null, t("inferred")), linkRows.map((r) => linkBox(n, r))) : null,
    neighbourBox(view.neighbours));
}

function sourceBox(n, source) {
  if (!n.span) return null;
  if (!source || source.missing) {
    return h("section", null, h("h2", null, t("source")), h("p", { class: "note" }, t("source_missing")),
      h("pre", { class: "source plantext", translate: "no" }, h("mark", { class: "span", id: "span" }, n.text || n.title)));
  }
  const mark = h("mark", { class: "span", id: "span" }, source.text);
  const pre = h("pre", { class: "source plantext", translate: "no" }, source.window_start > 0 ? "…" : "", source.before, mark,
    source.after, source.window_end < source.source_chars ? "…" : "");
  requestAnimationFrame(() => mark.scrollIntoView({ block: "center" }));
  return h("section", null, h("h2", null, t("source")), pre);
}

function linkBox(n, r) {
  const terms = r.terms || [];
  const arrow = r.direction === "out" ? "→" : "←";
  return h("details", { class: "link" },
    h("summary", null, verbatim(r.type), ` ${arrow} `, h("a", { href: route("element", r.eid), class: "plantext", translate: "no" }, r.title),
      ` · ${t("score")} ${r.score ?? "—"} · ${t("rank")} ${r.rank ?? "—"} · `, confidenceBadge(r.confidence),
      " ", verbatim(r.method, "method"), ` (${sourceName(r.source)})`),
    termList(terms),
    h("div", { class: "two" },
      h("div", null, h("h3", null, t("this_text")), h("p", { class: "plantext", translate: "no" }, marked(n.text || n.title, terms, "term"))),
      h("div", null, h("h3", null, t("other_text")), h("p", { class: "plantext", translate: "no" }, marked(r.text || r.title, terms, "term")))));
}

function neighbourBox(neighbours) {
  const groups = {};
  for (const m of neighbours) (groups[`${m.type} ${m.direction === "out" ? "→" : "←"}`] ||= []).push(m); // the relationship type as the store names it
  return h("section", null, h("h2", null, t("neighbours")),
    Object.keys(groups).length ? h("dl", { class: "neighbours" }, Object.entries(groups).map(([k, ms]) => [h("dt", null, verbatim(k)),
      h("dd", null, h("ul", null, ms.map((m) => h("li", null, h("a", { href: route("element", m.eid), class: "plantext", translate: "no" }, m.title || m.eid)))))]))
      : h("p", null, t("none")));
}

/** The citation: plan title, issuer, date, eid, page, lines, characters and the source's sha256. */
export function citation(n, plan, sha) {
  const s = n.span || {};
  const parts = [plan?.title ? `《${plan.title.replace(/^《|》$/g, "")}》` : n.plan_id, plan?.issuer, plan?.issued,
    `eid ${n.eid}`, n.page != null ? `p. ${n.page}` : null,
    s.line_start != null ? `lines ${s.line_start}–${s.line_end}` : null,
    s.char_start != null ? `chars ${s.char_start}–${s.char_end}` : null,
    sha ? `sha256 ${sha}` : null];
  return parts.filter(Boolean).join(", ");
}

function citeBox(n, plan, source) {
  const sha = (source && !source.missing && source.source_sha256) || plan?.source_sha256 || n.source_sha256;
  const text = citation(n, plan, sha);
  const permalink = `${location.origin}/${route("element", n.eid)}`;
  const copy = (value) => () => navigator.clipboard?.writeText(value);
  return h("section", { class: "cite" }, h("h2", null, t("cite")),
    h("textarea", { readonly: true, rows: 2, class: "citation plantext", translate: "no", "aria-label": t("cite") }, text),
    h("button", { type: "button", onclick: copy(text) }, t("copy")),
    h("p", null, `${t("permalink")}: `, h("a", { href: route("element", n.eid), class: "permalink", translate: "no" }, permalink),
      " ", h("button", { type: "button", onclick: copy(permalink) }, t("copy"))));
}
