import { ApiError } from "./api.js";
import { h, route, verbatim } from "./dom.js";
import { t } from "./i18n.js";
import { loadCodes, meaning, remedy } from "./codes.js";

/** An API error as the person sees it: status, codes, what the code means and what to do (from the
 * catalogue, when it can be had), and the API's own reason. A bug is rethrown. */
export async function problemBox(e) {
  if (!(e instanceof ApiError)) throw e; // a bug: let the browser console show it with its stack
  const p = e.problem;
  if (p.error_code) await loadCodes().catch(() => null); // without the catalogue: the codes and the reason
  const codes = [p.code, p.error_code].filter(Boolean);
  const means = meaning(p.error_code);
  return h("div", { class: "error", role: "alert" },
    h("strong", null, `${t("error")} ${e.status}`, codes.length ? [" (", verbatim(codes.join(", ")), ")"] : "", ": "),
    means ? [means, " · "] : "", h("span", { class: "detail apitext", translate: "no" }, e.message), remedy(p.error_code),
    // an ambiguous or unknown reference: the API's candidates or suggestions, each a link to its element
    [p.candidates, p.suggestions].filter(Array.isArray).map((list) => h("ul", { class: "candidates" }, list.map((c) =>
      h("li", null, h("a", { href: route("element", c.eid), class: "plantext", translate: "no" }, c.title || c.eid))))));
}
