// Building the page from data: every text goes in as a text node (plan text is data, never markup), and
// every link the explorer makes is to this origin.

/** An element with attributes (on… are listeners) and children (strings become text nodes). */
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "href") el.setAttribute("href", safeHref(v));
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  add(el, kids);
  return el;
}

export function add(el, kids) {
  for (const k of [kids].flat(Infinity)) {
    if (k == null || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

/** Only links into the explorer (#…), to this origin's API (/…) or to a made download (blob:). */
export function safeHref(v) {
  const s = String(v);
  return /^(#|\/(?!\/)|blob:)/.test(s) ? s : "#";
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** ``text`` as text nodes with every occurrence of the terms (longest first) in <mark class=cls>. */
export function marked(text, terms, cls = "hit") {
  const frag = document.createDocumentFragment();
  const list = [...new Set((terms || []).filter((t) => t && t.trim()))].sort((a, b) => b.length - a.length);
  if (!text || !list.length) return add(frag, [text || ""]);
  const re = new RegExp(list.map(escape).join("|"), "g");
  let at = 0;
  for (const m of text.matchAll(re)) {
    frag.append(text.slice(at, m.index), h("mark", { class: cls }, m[0]));
    at = m.index + m[0].length;
  }
  frag.append(text.slice(at));
  return frag;
}

/** A table from column names and rows of cells (a cell may be a Node); ``data``: the cells are the store's
 * values (plan text), never translated. */
export function table(columns, rows, attrs = {}, { data = false } = {}) {
  return h(
    "table",
    attrs,
    h("thead", null, h("tr", null, columns.map((c) => h("th", null, c)))),
    h("tbody", data ? { class: "plantext", translate: "no" } : null, rows.map((r) => h("tr", null, r.map((c) => h("td", null, cell(c)))))),
  );
}

export function cell(v) {
  if (v instanceof Node) return v;
  if (v == null) return "";
  if (Array.isArray(v)) return v.map(cell).join("、");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Text shown as the store or the API gives it (an eid, a query's name, a method, the query library's
 * words): never translated, by the toggle or by the browser. */
export const verbatim = (text, cls = "") => h("span", { class: `verbatim ${cls}`.trim(), translate: "no" }, text ?? "");

/** Interface prose in the interface's language that names things in the other one's script (``pattern``:
 * identifiers in Chinese text, the genre's terms in English text): the names are kept as they are, marked
 * translate="no"; the rest is the interface's own text. */
export function prose(text, pattern) {
  const parts = [];
  let last = 0;
  for (const m of (text ?? "").matchAll(pattern)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(h("span", { class: "name", translate: "no" }, m[0]));
    last = m.index + m[0].length;
  }
  if (last < (text ?? "").length) parts.push(text.slice(last));
  return h("span", { class: "prose" }, parts);
}

/** A link to a view of the explorer: ``view("element", eid)`` → #/element/<eid>. */
export function route(...parts) {
  const query = parts.length && typeof parts[parts.length - 1] === "object" ? parts.pop() : null;
  const path = "#/" + parts.map((p) => encodeURIComponent(p)).join("/");
  const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v != null && v !== "")) : null;
  return qs && [...qs].length ? `${path}?${qs}` : path;
}

export function link(text, ...parts) {
  return h("a", { href: route(...parts) }, text);
}

/** Save a blob as a file. */
export function download(blob, name) {
  const a = h("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
