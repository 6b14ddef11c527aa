// The explorer: hash routes (#/plan/<id>, #/element/<eid> …), so every view has a URL and the back button
// works; each view is a function (args, params) → a node, built from the JSON API.
import { h, link, verbatim } from "./dom.js";
import { t, toggle, lang } from "./i18n.js";
import { problemBox } from "./problem.js";
import { plansView } from "./views/plans.js";
import { planView } from "./views/plan.js";
import { elementView } from "./views/element.js";
import { goalsView, goalView } from "./views/goal.js";
import { indicatorsView } from "./views/indicators.js";
import { bodiesView, bodyView } from "./views/bodies.js";
import { searchView } from "./views/search.js";
import { queriesView, queryView } from "./views/queries.js";
import { consoleView } from "./views/console.js";

const ROUTES = [
  ["plans", /^$|^plans$/, plansView],
  ["plan", /^plan\/([^/]+)$/, planView],
  ["element", /^element\/(.+)$/, elementView],
  ["goals", /^goals\/([^/]+)$/, goalsView],
  ["goal", /^goal\/([^/]+)\/(.+)$/, goalView],
  ["indicators", /^indicators\/([^/]+)$/, indicatorsView],
  ["bodies", /^bodies$/, bodiesView],
  ["body", /^body\/(.+)$/, bodyView],
  ["search", /^search$/, searchView],
  ["queries", /^queries$/, queriesView],
  ["query", /^query\/([^/]+)$/, queryView],
  ["console", /^console$/, consoleView],
];

let rendering = 0;

function header() {
  const q = h("input", { type: "search", name: "q", placeholder: t("search"), "aria-label": t("search") });
  const form = h("form", { class: "search", onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(q.value)}`;
  } }, q);
  return [
    h("a", { href: "#/", class: "brand" }, "PlanGraph"),
    h("nav", null, link(t("plans"), "plans"), link(t("bodies"), "bodies"), link(t("queries"), "queries"),
      link(t("console"), "console"), h("a", { href: "/docs" }, t("docs"))),
    form,
    // the other language, named in itself
    h("button", { type: "button", class: "lang", lang: lang() === "en" ? "zh-Hans" : "en", translate: "no", onclick: () => { toggle(); render(); } }, t("language")),
  ];
}

async function render() {
  const token = ++rendering;
  const started = performance.now();
  const [path, qs] = location.hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(qs || "");
  document.documentElement.lang = lang();
  document.getElementById("top").replaceChildren(...header());
  const main = document.getElementById("view");
  document.body.removeAttribute("data-view");
  let name = "not-found";
  let node = h("p", { class: "error" }, `${t("not_found")}: `, verbatim(`#/${path}`));
  try {
    for (const [key, re, view] of ROUTES) {
      const m = path.match(re);
      if (m) {
        name = key;
        node = await view(m.slice(1).map(decodeURIComponent), params);
        break;
      }
    }
  } catch (e) {
    node = await problemBox(e);
  }
  if (token !== rendering) return; // a newer navigation won
  main.replaceChildren(node);
  document.title = `PlanGraph — ${main.querySelector("h1")?.textContent || name}`;
  document.body.dataset.view = name;
  // time to first render: from navigation start for the first view, from the click for the others
  performance.measure(`pg:render:${name}`, { start: token === 1 ? 0 : started, end: performance.now() });
  main.dispatchEvent(new CustomEvent("rendered", { bubbles: true }));
}

window.addEventListener("hashchange", render);
window.addEventListener("DOMContentLoaded", render);
