import { get } from "../api.js";
import { h, route, table, verbatim } from "../dom.js";
import { t, role } from "../i18n.js";

/** Bodies named across the plans, most mentioned first (filter in the URL). */
export async function bodiesView(_, params) {
  const q = params.get("q") || "";
  const res = await get("/bodies", { q, limit: 500 });
  const input = h("input", { name: "q", value: q, "aria-label": t("filter") });
  return h("section", null, h("h1", null, t("bodies")),
    h("form", { onsubmit: (e) => { e.preventDefault(); location.hash = route("bodies", { q: input.value }); } },
      input, h("button", null, t("filter"))),
    table([t("name"), t("elements"), t("mentions")], res.items.map((b) => [
      h("a", { href: route("body", b.name || b.title), class: "plantext", translate: "no" }, b.title), b.elements, b.mentions]), { class: "bodies" }));
}

/** Who leads, coordinates and implements what: a body's responsibilities across plans, by role. */
export async function bodyView([name]) {
  const res = await get(`/bodies/${encodeURIComponent(name)}/responsibilities`, { limit: 500 });
  const byRole = {};
  for (const r of res.items) (byRole[r.role || ""] ||= []).push(r);
  return h("section", null, h("h1", { class: "plantext", translate: "no" }, name),
    Object.entries(byRole).map(([r, items]) => [h("h2", null, `${role(r)} (${items.length})`),
      table([t("plan"), t("title"), t("evidence")], items.map((i) => [verbatim(i.eid.split("/")[0]),
        h("a", { href: route("element", i.eid), class: "plantext", translate: "no" }, i.title || i.eid),
        h("span", { class: "plantext", translate: "no" }, i.evidence || "")]), { class: `role-${r}` })]));
}
