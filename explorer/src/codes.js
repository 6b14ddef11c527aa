// The catalogue of message codes (GET /codes): what each warning (W…), note (I…) and error (E…) means and
// what to do about it, in both languages. Loaded once; shown beside the parser's warnings and in error boxes.
import { get } from "./api.js";
import { h, prose } from "./dom.js";
import { localized, otherScript, t } from "./i18n.js";

let loading = null;
let byCode = null;

/** Load the catalogue (once per page). */
export function loadCodes() {
  loading ||= get("/codes").then((list) => { byCode = Object.fromEntries(list.map((c) => [c.code, c])); });
  return loading;
}

const entry = (code) => (byCode && code ? byCode[code] || null : null);

/** What ``code`` means, in the interface's language; null when the catalogue is not loaded or has no such
 * code. The names in the other script (专栏 in English, MATCH in Chinese) are kept, marked translate="no". */
export function meaning(code) {
  const e = entry(code);
  return e ? h("span", { class: "meaning", "data-code": code }, prose(localized(e, "what"), otherScript())) : null;
}

/** What to do about ``code``, as a line of its own ("What to do: …"); null when there is nothing to do. */
export function remedy(code) {
  const e = entry(code);
  const todo = e ? localized(e, "do") : "";
  return todo ? h("p", { class: "remedy", "data-code": code }, `${t("what_to_do")}`, prose(todo, otherScript())) : null;
}
