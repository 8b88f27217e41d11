// Numbers, times and durations in the reader's language.

import { lang, locale, t } from "./i18n.js";

/** A score as the server sent it (number or exact decimal string), with the local separator. */
export function score(value) {
  if (value === null || value === undefined || value === "") return "—";
  const text = String(value);
  return lang() === "id" ? text.replace(".", ",") : text;
}

/** Exact-enough numeric value of a score for sorting (decimals of a few digits). */
export function scoreValue(value) {
  const number = Number.parseFloat(String(value ?? 0));
  return Number.isFinite(number) ? number : 0;
}

export function count(value) {
  return new Intl.NumberFormat(locale()).format(Number(value) || 0);
}

/** 5025 -> "1:23:45", 312 -> "05:12". */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(sec).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function clock(ms, { seconds = true } = {}) {
  return new Intl.DateTimeFormat(locale(), {
    hour: "2-digit",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
    hour12: false,
  }).format(new Date(ms));
}

export function dateTime(ms) {
  return new Intl.DateTimeFormat(locale(), {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZoneName: "short",
  }).format(new Date(ms));
}

export function shortDateTime(ms) {
  return new Intl.DateTimeFormat(locale(), {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(ms));
}

/** "a1b2c3d4e5f6a7b8" -> "a1b2 c3d4 e5f6 a7b8": easier to read out and compare. */
export function fingerprint(hash) {
  return String(hash || "").replace(/(.{4})(?=.)/g, "$1 ");
}

/** Pass / fail / unknown: a label and a CSS modifier. */
export function verdict(passed) {
  if (passed === true) return { text: t("common.pass"), cls: "pass" };
  if (passed === false) return { text: t("common.fail"), cls: "fail" };
  return { text: t("common.none"), cls: "none" };
}

/** Keeps a server clock: offset learned from server_time_ms in each reply. */
export class ServerClock {
  constructor() {
    this.offset = 0;
  }

  sync(serverMs) {
    if (typeof serverMs === "number") this.offset = serverMs - Date.now();
  }

  now() {
    return Date.now() + this.offset;
  }
}
