// The site display: every running session at once, /live.
//
// Snapshot: GET /api/v1/public/site (each running session's board). Frames on
// the `site` channel carry every session's score events. A light summary every
// 10 s refreshes counters and clocks, and notices sessions opening or closing
// (then the stream restarts for a fresh snapshot).

import { api } from "./api.js";
import { byId, el, fill } from "./dom.js";
import { renderAudit, setupDisplayChrome, verdictBadge } from "./display.js";
import * as fmt from "./format.js";
import { initLang, t } from "./i18n.js";
import { LiveStream, showConnection } from "./live-stream.js";

const SUMMARY_EVERY_MS = 10000;
const LATEST = 8;

const clock = new fmt.ServerClock();
const site = {
  name: "",
  sessions: new Map(), // code -> {info, counters, rows: Map(number -> row)}
  fresh: new Set(), // "code/number" that arrived live
  head: null,
};
let stream = null;

function sessionCard(code, entry) {
  const { info, counters } = entry;
  const finished = Math.max(counters.finished, entry.rows.size);
  const passed = Math.max(counters.passed, [...entry.rows.values()].filter((r) => r.passed === true).length);
  const done = counters.registered ? Math.round((finished / counters.registered) * 100) : 0;
  const bar = el("span");
  bar.style.setProperty("--done", `${done}%`);
  const counter = (value, label, cls = "") =>
    el(
      "div",
      { cls: `s-counter ${cls}` },
      el("div", { cls: "s-counter-n", text: fmt.count(value) }),
      el("div", { cls: "s-counter-l", text: t(label) }),
    );
  return el(
    "a",
    { cls: "s-card", attrs: { href: `/live/${encodeURIComponent(code)}`, title: t("live.site.open") }, data: { code } },
    el(
      "div",
      { cls: "s-card-head" },
      el(
        "div",
        {},
        el("div", { cls: "s-exam", text: info.exam }),
        el("div", {
          cls: "s-where",
          text: `${t("live.room")} ${info.room} · ${t("live.session")} ${code} · ${t(`state.${info.state}`)}`,
        }),
      ),
      el(
        "div",
        { cls: "s-time" },
        el("div", { cls: "s-time-label", text: t("live.remaining") }),
        el("div", { cls: "s-remaining", data: { ends: info.ends_ms } }),
      ),
    ),
    el(
      "div",
      { cls: "s-counters" },
      counter(counters.registered, "live.counter.registered"),
      counter(Math.max(counters.present, finished), "live.counter.present"),
      counter(counters.answering, "live.counter.answering"),
      counter(finished, "live.counter.finished"),
      counter(passed, "live.counter.passed", "pass"),
    ),
    el("div", { cls: "s-progress" }, bar),
    el("div", {
      cls: "s-progress-label",
      text: t("live.site.progress", { done: fmt.count(finished), all: fmt.count(counters.registered) }),
    }),
  );
}

function render() {
  byId("site").textContent = site.name || "\u00a0";
  byId("session-count").textContent = t("live.site.sessions", { n: site.sessions.size });
  document.title = `${site.name} — ${t("live.title")}`;
  const grid = byId("sessions");
  if (!site.sessions.size) {
    fill(
      grid,
      el(
        "div",
        { cls: "s-empty d-empty-static" },
        el("img", { attrs: { src: "/static/img/waiting.svg", alt: "" }, cls: "s-empty-img" }),
        el("div", { cls: "d-empty-title", text: t("live.site.none") }),
        el("div", { cls: "d-empty-text", text: t("live.site.noneText") }),
      ),
    );
  } else {
    fill(
      grid,
      [...site.sessions.entries()].map(([code, entry]) => sessionCard(code, entry)),
    );
  }
  renderLatest();
  renderAudit(site.head);
  tick();
}

function renderLatest() {
  const all = [];
  for (const [code, entry] of site.sessions) {
    for (const row of entry.rows.values()) all.push({ code, row });
  }
  all.sort((a, b) => b.row.scored_ms - a.row.scored_ms);
  const list = byId("latest");
  if (!all.length) {
    fill(list, el("li", { cls: "latest-empty", text: t("live.latestEmpty") }));
    return;
  }
  fill(
    list,
    all.slice(0, LATEST).map(({ code, row }) => {
      const entry = site.sessions.get(code);
      const names = entry.info.privacy !== "number";
      return el(
        "li",
        { cls: `latest-item${site.fresh.has(`${code}/${row.number}`) ? " fresh" : ""}` },
        el(
          "div",
          { cls: "latest-who" },
          el("span", { cls: "latest-number", text: row.number }),
          names && row.name ? el("span", { cls: "latest-name", text: row.name }) : null,
        ),
        el(
          "div",
          { cls: "latest-detail" },
          el("b", { text: `${t("live.session")} ${code}` }),
          ` · ${t("live.room")} ${entry.info.room} · ${fmt.clock(row.scored_ms, { seconds: false })}`,
        ),
        el("div", { cls: "latest-total", text: fmt.score(row.total) }),
        verdictBadge(row.passed),
      );
    }),
  );
  const bottom = list.clientHeight + 1;
  for (const item of list.children) {
    item.hidden = item.offsetTop - list.offsetTop + item.offsetHeight > bottom;
  }
}

function tick() {
  byId("clock").textContent = fmt.clock(clock.now());
  for (const node of document.querySelectorAll(".s-remaining")) {
    const ends = Number(node.dataset.ends);
    node.textContent = fmt.duration((ends - clock.now()) / 1000);
  }
}

function applySnapshot(snapshot) {
  clock.sync(snapshot.server_time_ms);
  site.name = snapshot.site;
  site.head = snapshot.audit_head;
  site.fresh = new Set();
  site.sessions = new Map(
    snapshot.sessions.map(({ rows, counters, audit_head: _head, latest: _latest, ...info }) => [
      info.code,
      { info, counters, rows: new Map(rows.map((row) => [row.number, row])) },
    ]),
  );
  render();
}

function applyFrame(frame) {
  let changed = false;
  for (const event of frame.events || []) {
    if (event.type !== "score" || !event.row) continue;
    const entry = site.sessions.get(event.session);
    if (!entry) continue;
    if (!entry.rows.has(event.row.number)) {
      entry.counters.answering = Math.max(0, entry.counters.answering - 1);
    }
    entry.rows.set(event.row.number, event.row);
    site.fresh.add(`${event.session}/${event.row.number}`);
    changed = true;
  }
  if (changed) render();
}

async function pollSummary() {
  let summary;
  try {
    summary = await api("/api/v1/public/site/summary");
  } catch {
    return;
  }
  clock.sync(summary.server_time_ms);
  site.head = summary.audit_head;
  const codes = summary.sessions.map((s) => s.code);
  const known = [...site.sessions.keys()];
  if (codes.length !== known.length || codes.some((c) => !site.sessions.has(c))) {
    stream.start(); // a session opened or closed: start again from a snapshot
    return;
  }
  for (const { counters, audit_head: _head, ...info } of summary.sessions) {
    const entry = site.sessions.get(info.code);
    entry.info = { ...entry.info, ...info };
    entry.counters = { ...entry.counters, ...counters };
  }
  render();
}

function main() {
  initLang();
  setupDisplayChrome();
  const pill = byId("conn");
  const banner = byId("banner");
  showConnection("connecting", { pill, banner, t });
  stream = new LiveStream("/api/v1/public/site/events", {
    onSnapshot: applySnapshot,
    onFrame: applyFrame,
    onState: (state) => showConnection(state, { pill, banner, t }),
  });
  stream.start();
  setInterval(tick, 500);
  setTimeout(function again() {
    pollSummary();
    setTimeout(again, SUMMARY_EVERY_MS + Math.random() * 2000);
  }, SUMMARY_EVERY_MS);
  document.addEventListener("langchange", render);
  window.addEventListener("resize", renderLatest);
}

main();
