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

export async function post(path, body) {
  const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  return answer(await fetch(path, init));
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
