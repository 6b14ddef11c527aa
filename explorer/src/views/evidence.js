import { h } from "../dom.js";
import { t } from "../i18n.js";

/** The shared terms of an inferred link, one highlighted chip each (plan text: never translated). */
export function termList(terms) {
  return h("p", { class: "terms" }, `${t("terms")}: `,
    h("span", { class: "plantext", translate: "no" }, (terms || []).map((x) => h("mark", { class: "term" }, x))));
}

/** An inferred link's confidence as a badge: "low" when the best two goals score close (API: confidence). */
export function confidenceBadge(value) {
  if (value !== "low" && value !== "high") return null;
  return h("span", { class: `confidence confidence-${value}`, "data-confidence": value,
    title: value === "low" ? t("confidence_note") : null }, t(`confidence_${value}`));
}
