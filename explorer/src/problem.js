import { ApiError } from "./api.js";
import { h, route, verbatim } from "./dom.js";
import { t } from "./i18n.js";

/** An API error as the person sees it: status, code and the API's own reason. A bug is rethrown. */
export function problemBox(e) {
  if (!(e instanceof ApiError)) throw e; // a bug: let the browser console show it with its stack
  const p = e.problem;
  return h("div", { class: "error", role: "alert" },
    h("strong", null, `${t("error")} ${e.status}`, p.code ? [" (", verbatim(p.code), ")"] : "", ": "), h("span", { class: "detail apitext", translate: "no" }, e.message),
    // an ambiguous or unknown reference: the API's candidates or suggestions, each a link to its element
    [p.candidates, p.suggestions].filter(Array.isArray).map((list) => h("ul", { class: "candidates" }, list.map((c) =>
      h("li", null, h("a", { href: route("element", c.eid), class: "plantext", translate: "no" }, c.title || c.eid))))));
}
