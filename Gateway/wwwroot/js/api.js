// REST calls with the operator token, and problem documents turned into readable errors.

const TOKEN_KEY = "cityarray.token";

/** An HTTP error carrying the problem document's message (detail, else title). */
export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

let onUnauthorized = () => {};

/** Called when any call answers 401: the page shows the sign-in form. */
export function setUnauthorizedHandler(handler) { onUnauthorized = handler; }

export function token() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
}

/** Calls the API; resolves with the JSON body (or null), rejects with an ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `The server cannot be reached (${method} ${path}).`, null);
  }
  const text = await response.text();
  let json = null;
  if (text) { try { json = JSON.parse(text); } catch { json = null; } }
  if (response.ok) return json;
  // A refused sign-in is answered on the form itself; any other 401 means the token is missing or expired.
  if (response.status === 401 && path !== "/api/auth/token") onUnauthorized();
  const message = (json && (json.detail || json.title)) || `${method} ${path} failed: ${response.status} ${response.statusText}`;
  throw new ApiError(response.status, message, json);
}

/**
 * How the system is protected: "open" when the status endpoint says so or does not exist yet,
 * "secured" when it says so.
 */
export async function authMode() {
  try {
    const status = await api("GET", "/api/auth/status");
    return status && status.mode === "secured" ? "secured" : "open";
  } catch (e) {
    if (e.status === 404) return "open";
    if (e.status === 401) return "secured";
    throw e;
  }
}

/** Signs in; keeps the token for this browser tab only. */
export async function signIn(username, password) {
  const answer = await api("POST", "/api/auth/token", { username, password });
  setToken(answer.access_token);
  return answer;
}
