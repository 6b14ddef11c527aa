// The JSON API, the same one every web client uses; errors arrive as problem+json.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function apiUrl(path, params) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== "") url.searchParams.set(k, v);
  return url.pathname + url.search;
}

export async function get(path, params) {
  return answer(await fetch(apiUrl(path, params), { headers: { accept: "application/json" } }));
}

const postJson = (path, body) =>
  fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export async function post(path, body) {
  return answer(await postJson(path, body));
}

/** A POST whose answer is a download: the body as a Blob and the file name the server gives it. */
export async function postDownload(path, body) {
  const r = await postJson(path, body);
  if (!r.ok) await answer(r); // throws the problem
  const named = (r.headers.get("content-disposition") || "").match(/filename\*=UTF-8''([^;]+)/);
  return { blob: await r.blob(), name: named ? decodeURIComponent(named[1]) : "export" };
}

async function answer(r) {
  const json = (r.headers.get("content-type") || "").includes("json");
  const body = json ? await r.json() : await r.text();
  if (!r.ok) throw new ApiError(r.status, json ? body : { detail: body });
  return body;
}

/** ``get`` that answers null for a 404 (an optional part of a view). */
export async function optional(path, params) {
  try {
    return await get(path, params);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { missing: e.problem };
    throw e;
  }
}

/** Rows of a Rows answer as objects. */
export const records = (res) => res.rows.map((r) => Object.fromEntries(res.columns.map((c, i) => [c, r[i]])));
