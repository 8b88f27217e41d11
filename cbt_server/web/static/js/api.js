// Talking to the server's JSON API: one error shape, messages in the reader's language.

import { has, lang, t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/** fetch() a JSON endpoint; throws ApiError on a network failure or an error reply. */
export async function api(path, { method = "GET", body, signal } = {}) {
  const init = {
    method,
    headers: { Accept: "application/json" },
    credentials: "same-origin",
    cache: "no-store",
    signal,
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let reply;
  try {
    reply = await fetch(path, init);
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "network error");
  }
  let data = null;
  try {
    data = await reply.json();
  } catch {
    data = null;
  }
  if (!reply.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(reply.status, error.code || "http_error", error.message || reply.statusText, error);
  }
  return data;
}

/** One sentence for a person: translated where we know the code, the server's words otherwise. */
export function errorText(err) {
  if (!(err instanceof ApiError)) return t("error.generic", { message: String(err) });
  if (err.code === "network") return t("error.network");
  const key = `error.${err.code}`;
  if (has(key)) return t(key, { message: err.message });
  if (lang() === "en") return err.message.charAt(0).toUpperCase() + err.message.slice(1) + ".";
  return t("error.generic", { message: err.message });
}

/** Path segments are user-supplied: always encode them. */
export function seg(value) {
  return encodeURIComponent(String(value));
}
