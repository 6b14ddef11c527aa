import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** An API error as the person sees it: status, code and the API's own reason. A bug is rethrown. */
export function problemBox(e) {
  if (!(e instanceof ApiError)) throw e; // a bug: let the browser console show it with its stack
  const p = e.problem;
  return h("div", { class: "error", role: "alert" },
    h("strong", null, `${t("error")} ${e.status}${p.code ? ` (${p.code})` : ""}: `), h("span", { class: "detail" }, e.message));
}
