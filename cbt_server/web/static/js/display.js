// What the session display and the site display share: chrome, ordering, paging.

import { el, fill } from "./dom.js";
import * as fmt from "./format.js";
import { lang, t } from "./i18n.js";

/** Full-screen button, a cursor that hides when idle, the verify URL in the footer. */
export function setupDisplayChrome() {
  const button = document.getElementById("fullscreen");
  if (button) {
    button.hidden = !document.fullscreenEnabled;
    button.addEventListener("click", () => {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(() => {});
    });
  }
  let idle = null;
  const wake = () => {
    document.body.classList.remove("idle");
    clearTimeout(idle);
    idle = setTimeout(() => document.body.classList.add("idle"), 3000);
  };
  document.addEventListener("mousemove", wake);
  wake();
  const verify = document.getElementById("verify-url");
  if (verify) verify.textContent = `${window.location.host}/verify`;
}

export function renderAudit(head) {
  const hash = document.getElementById("audit-hash");
  const meta = document.getElementById("audit-meta");
  if (!head || !hash || !meta) return;
  hash.textContent = fmt.fingerprint(head.hash);
  meta.textContent = head.seq
    ? `· ${t("live.auditEntry", { seq: fmt.count(head.seq) })} · ${fmt.clock(head.at_ms)}`
    : "";
}

/** The policy's ranking, as the server sorts: each criterion high to low, then the number. */
export function rankingComparator(order) {
  const criteria = order && order.length ? order : ["total"];
  const value = (row, name) =>
    fmt.scoreValue(name === "total" ? row.total : (row.sections || {})[name]);
  return (a, b) => {
    for (const name of criteria) {
      const diff = value(b, name) - value(a, name);
      if (diff) return diff;
    }
    return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  };
}

/** Tracks with the same thresholds shown together: "Umum: TWK ≥ 65 · TIU ≥ 80 · TKP ≥ 166". */
export function renderThresholds(box, tracks, sections) {
  const order = [...sections.map((s) => s.id), "total"];
  const groups = new Map();
  for (const track of tracks || []) {
    const entries = Object.entries(track.thresholds || {}).sort(
      (a, b) => order.indexOf(a[0]) - order.indexOf(b[0]),
    );
    const key = JSON.stringify(entries);
    if (!groups.has(key)) groups.set(key, { entries, names: [] });
    groups.get(key).names.push(lang() === "en" && track.name_en ? track.name_en : track.name);
  }
  const nodes = [];
  for (const { entries, names } of groups.values()) {
    if (!entries.length) continue;
    const values = el("div", { cls: "threshold-values" });
    entries.forEach(([name, min], i) => {
      if (i) values.append(el("span", { cls: "sep", text: "·" }));
      values.append(`${name === "total" ? t("common.total") : name} ≥ ${fmt.score(min)}`);
    });
    nodes.push(
      el("div", { cls: "threshold-group" }, el("div", { cls: "threshold-tracks", text: names.join(", ") }), values),
    );
  }
  fill(box, ...nodes);
}

/**
 * Pages through a long table: shows a screenful, waits, scrolls to the next
 * whole row, and starts again from the top after the last one.
 *
 * The viewport is cut to a whole number of rows (`--rows-height`), so no row is
 * ever half hidden under the board's footer and "Baris 1–8" is what one sees.
 * The room it may take is the board's height less its other children's.
 */
export class Pager {
  constructor(viewport, tbody, info, { dwellMs = 10000 } = {}) {
    this.viewport = viewport;
    this.tbody = tbody;
    this.info = info;
    this.dwellMs = dwellMs;
    this.timer = setInterval(() => this.step(), dwellMs);
    viewport.addEventListener("scrollend", () => this.report());
    if (viewport.parentElement) {
      new ResizeObserver(() => this.report()).observe(viewport.parentElement);
    }
  }

  /** Cut the viewport after the last whole row that fits; no cut when every row fits. */
  fit() {
    const { viewport } = this;
    const rows = this.rows();
    const board = viewport.parentElement;
    if (!rows.length || !board) {
      viewport.style.removeProperty("--rows-height");
      return;
    }
    let room = board.clientHeight;
    for (const child of board.children) {
      if (child !== viewport) room -= child.offsetHeight;
    }
    // Row edges in the table's own coordinates (rows differ by fractions of a pixel).
    const origin = viewport.getBoundingClientRect().top - viewport.scrollTop;
    let bottom = rows[0].getBoundingClientRect().bottom - origin;
    let fits = 0;
    for (const row of rows) {
      const edge = row.getBoundingClientRect().bottom - origin;
      if (edge > room + 0.5) break;
      bottom = edge;
      fits += 1;
    }
    if (fits === rows.length) {
      viewport.style.removeProperty("--rows-height");
      return;
    }
    const height = `${Math.round(bottom)}px`;
    if (viewport.style.getPropertyValue("--rows-height") !== height) {
      viewport.style.setProperty("--rows-height", height);
    }
  }

  headHeight() {
    const head = this.viewport.querySelector("thead");
    return head ? head.offsetHeight : 0;
  }

  rows() {
    return Array.from(this.tbody.rows);
  }

  step() {
    const { viewport } = this;
    if (viewport.scrollHeight <= viewport.clientHeight + 2) {
      viewport.scrollTop = 0;
      this.report();
      return;
    }
    const bottom = viewport.scrollTop + viewport.clientHeight;
    const atEnd = bottom >= viewport.scrollHeight - 2;
    let top = 0;
    if (!atEnd) {
      const next = this.rows().find((row) => row.offsetTop + row.offsetHeight > bottom + 2);
      top = next ? next.offsetTop - this.headHeight() : 0;
    }
    viewport.scrollTo({ top, behavior: "smooth" });
    setTimeout(() => this.report(), 1200);
  }

  report() {
    this.fit();
    if (!this.info) return;
    const rows = this.rows();
    if (!rows.length) {
      this.info.textContent = "";
      return;
    }
    const top = this.viewport.scrollTop + this.headHeight();
    const bottom = this.viewport.scrollTop + this.viewport.clientHeight;
    // Rows are a fraction of a pixel apart from whole pixels; 2 px hidden is still whole.
    let first = rows.findIndex((row) => row.offsetTop + 2 >= top);
    if (first < 0) first = 0;
    let last = first;
    while (last + 1 < rows.length && rows[last + 1].offsetTop + rows[last + 1].offsetHeight <= bottom + 2) {
      last += 1;
    }
    this.info.textContent = t("live.rows", {
      from: fmt.count(first + 1),
      to: fmt.count(last + 1),
      total: fmt.count(rows.length),
    });
  }
}

/** A row's verdict badge. */
export function verdictBadge(passed) {
  const v = fmt.verdict(passed);
  return el("span", { cls: `verdict ${v.cls}`, text: v.text });
}

/** Seconds per page from ?dwell=N (5..120), for operators who want it slower or faster. */
export function dwellFromQuery() {
  const asked = Number.parseInt(new URLSearchParams(window.location.search).get("dwell") || "", 10);
  return Number.isFinite(asked) ? Math.min(120, Math.max(5, asked)) * 1000 : 10000;
}
