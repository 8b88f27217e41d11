// The live score display of one session: /live/<session>.
//
// Data: a snapshot of the board (GET .../live, also the SSE `snapshot`), then
// frames whose `score` events carry committed rows. Counters that scores do not
// move (present, answering), the deadline and the audit head come from a light
// summary every 10 s.

import { api, errorText, seg } from "./api.js";
import { byId, el, fill, pathPart } from "./dom.js";
import {
  Pager,
  dwellFromQuery,
  rankingComparator,
  renderAudit,
  renderThresholds,
  setupDisplayChrome,
  verdictBadge,
} from "./display.js";
import * as fmt from "./format.js";
import { initLang, lang, t } from "./i18n.js";
import { LiveStream, showConnection } from "./live-stream.js";

const SUMMARY_EVERY_MS = 10000;
const LATEST = 5;

const code = pathPart("/live/");
const clock = new fmt.ServerClock();
const board = {
  info: null, // header, sections, tracks, ranking, privacy...
  counters: { registered: 0, present: 0, answering: 0, finished: 0, passed: 0 },
  rows: new Map(), // number -> {row, tr}
  fresh: new Set(), // numbers that arrived live (highlighted)
  compare: rankingComparator(["total"]),
  structure: "",
};

let pager = null;

function header() {
  const info = board.info;
  if (!info) return;
  byId("exam").textContent = info.exam;
  byId("site").textContent = info.site;
  byId("room").textContent = info.room;
  byId("code").textContent = info.code;
  byId("starts").textContent = fmt.clock(info.starts_ms, { seconds: false });
  byId("state").textContent = t(`state.${info.state}`);
  document.title = `${info.exam} · ${info.code} — ${t("live.title")}`;
  const notice = byId("notice");
  if (info.state === "closed") {
    fill(
      notice,
      `${t("live.closedNote")} `,
      el("a", { attrs: { href: `/results/${seg(info.code)}` }, text: `${window.location.host}/results/${info.code}` }),
    );
    notice.hidden = false;
  } else {
    notice.hidden = true;
  }
  byId("privacy").textContent = t(`live.privacy.${info.privacy}`);
  const order = (info.ranking || ["total"]).map((name) => (name === "total" ? t("common.total") : name));
  byId("ranking").textContent = t("live.ranking", { order: order.join(" › ") });
  renderThresholds(byId("thresholds"), info.tracks, info.sections);
}

function tick() {
  byId("clock").textContent = fmt.clock(clock.now());
  const remaining = byId("remaining");
  const info = board.info;
  if (!info) return;
  if (info.state === "closed") {
    remaining.textContent = t("live.ended");
    remaining.classList.add("ended");
    return;
  }
  remaining.classList.remove("ended");
  remaining.textContent = fmt.duration((info.ends_ms - clock.now()) / 1000);
}

function showsNames() {
  return board.info && board.info.privacy !== "number";
}

function tableHead() {
  const sections = board.info ? board.info.sections : [];
  const key = JSON.stringify([lang(), showsNames(), sections.map((s) => s.id)]);
  if (key === board.structure) return false;
  board.structure = key;
  fill(
    byId("head-row"),
    el("th", { cls: "c-rank c-num", text: t("live.col.rank") }),
    el("th", { cls: "c-number", text: t("live.col.number") }),
    showsNames() ? el("th", { cls: "c-name", text: t("live.col.name") }) : null,
    sections.map((s) =>
      el("th", { cls: "c-section c-num", text: s.id, title: lang() === "en" ? s.name_en || s.name : s.name }),
    ),
    el("th", { cls: "c-total c-num", text: t("live.col.total") }),
    el("th", { cls: "c-result", text: t("live.col.result") }),
  );
  return true;
}

function rowElement(row) {
  const sections = board.info.sections;
  const cells = [
    el("td", { cls: "c-rank c-num" }),
    el("td", { cls: "c-number", text: row.number }),
    showsNames() ? el("td", { cls: "c-name", text: row.name || "" }) : null,
    sections.map((s) => el("td", { cls: "c-section c-num", text: fmt.score((row.sections || {})[s.id]) })),
    el("td", { cls: "c-total c-num", text: fmt.score(row.total) }),
    el("td", { cls: "c-result" }, verdictBadge(row.passed)),
  ];
  const tr = el("tr", { data: { number: row.number } }, cells);
  if (board.fresh.has(row.number)) {
    tr.classList.add("arrived");
    tr.addEventListener("animationend", () => tr.classList.remove("arrived"), { once: true });
  }
  return tr;
}

function renderTable({ rebuild = false } = {}) {
  if (!board.info) return;
  if (tableHead()) rebuild = true;
  const entries = Array.from(board.rows.values());
  entries.sort((a, b) => board.compare(a.row, b.row));
  for (const entry of entries) {
    if (rebuild || !entry.tr) entry.tr = rowElement(entry.row);
  }
  byId("rows").replaceChildren(...entries.map((e) => e.tr));
  entries.forEach((entry, i) => {
    entry.tr.cells[0].textContent = fmt.count(i + 1);
  });
  byId("empty").hidden = entries.length > 0;
  if (pager) pager.report();
}

function renderLatest() {
  renderLatestCards();
  trimLatest();
}

function renderLatestCards() {
  const rows = Array.from(board.rows.values(), (e) => e.row)
    .sort((a, b) => b.scored_ms - a.scored_ms)
    .slice(0, LATEST);
  const list = byId("latest");
  if (!rows.length) {
    fill(list, el("li", { cls: "latest-empty", text: t("live.latestEmpty") }));
    return;
  }
  const sections = board.info.sections;
  fill(
    list,
    rows.map((row) =>
      el(
        "li",
        { cls: `latest-item${board.fresh.has(row.number) ? " fresh" : ""}`, data: { number: row.number } },
        el(
          "div",
          { cls: "latest-who" },
          el("span", { cls: "latest-number", text: row.number }),
          showsNames() && row.name ? el("span", { cls: "latest-name", text: row.name }) : null,
        ),
        el(
          "div",
          { cls: "latest-detail", title: fmt.clock(row.scored_ms) },
          sections.map((s, i) => [
            i ? " · " : "",
            el("b", { text: s.id }),
            ` ${fmt.score((row.sections || {})[s.id])}`,
          ]),
        ),
        el("div", { cls: "latest-total", text: fmt.score(row.total) }),
        verdictBadge(row.passed),
      ),
    ),
  );
}

/** Show only whole cards: one cut in half at the bottom of the panel is hidden. */
function trimLatest() {
  const list = byId("latest");
  for (const item of list.children) {
    item.hidden = false;
  }
  for (const item of list.children) {
    item.hidden = item.offsetTop - list.offsetTop + item.offsetHeight > list.clientHeight + 1;
  }
}

function renderCounters(bumped = []) {
  const rows = Array.from(board.rows.values(), (e) => e.row);
  const counters = {
    ...board.counters,
    finished: Math.max(board.counters.finished, rows.length),
    passed: Math.max(board.counters.passed, rows.filter((r) => r.passed === true).length),
  };
  counters.present = Math.max(counters.present, counters.finished);
  for (const name of ["registered", "present", "answering", "finished", "passed"]) {
    const node = byId(`c-${name}`);
    const text = fmt.count(counters[name]);
    if (node.textContent !== text) {
      node.textContent = text;
      if (bumped.includes(name)) {
        const tile = node.parentElement;
        tile.classList.remove("bump");
        void tile.offsetWidth; // restart the animation
        tile.classList.add("bump");
      }
    }
  }
}

function applySummary(summary) {
  clock.sync(summary.server_time_ms);
  const { counters, audit_head: head, ...rest } = summary;
  board.info = { ...(board.info || {}), ...rest };
  board.counters = { ...board.counters, ...counters };
  header();
  renderCounters();
  renderAudit(head);
  tick();
}

function applySnapshot(snapshot) {
  clock.sync(snapshot.server_time_ms);
  const { rows, counters, audit_head: head, latest, ...info } = snapshot;
  board.info = info;
  board.compare = rankingComparator(info.ranking);
  board.counters = { ...counters };
  board.rows = new Map(rows.map((row) => [row.number, { row, tr: null }]));
  board.fresh = new Set();
  board.structure = "";
  header();
  renderTable({ rebuild: true });
  renderLatest();
  renderCounters();
  renderAudit(head);
  tick();
}

function applyFrame(frame) {
  if (!board.info) return;
  let added = 0;
  let passed = 0;
  for (const event of frame.events || []) {
    if (event.type !== "score" || !event.row) continue;
    const row = event.row;
    const known = board.rows.get(row.number);
    if (!known) {
      added += 1;
      if (row.passed === true) passed += 1;
    }
    board.fresh.add(row.number);
    board.rows.set(row.number, { row, tr: null });
  }
  if (!added && !frame.events.some((e) => e.type === "score")) return;
  board.counters.answering = Math.max(0, board.counters.answering - added);
  board.counters.finished += added;
  board.counters.passed += passed;
  renderTable();
  renderLatest();
  renderCounters(passed ? ["finished", "passed"] : ["finished"]);
}

async function pollSummary() {
  try {
    applySummary(await api(`/api/v1/public/sessions/${seg(code)}/summary`));
  } catch {
    // the stream's state already tells the room when the server is away
  }
}

async function main() {
  initLang();
  setupDisplayChrome();
  pager = new Pager(byId("viewport"), byId("rows"), byId("rows-info"), { dwellMs: dwellFromQuery() });
  const pill = byId("conn");
  const banner = byId("banner");
  showConnection("connecting", { pill, banner, t });
  try {
    applySummary(await api(`/api/v1/public/sessions/${seg(code)}/summary`));
  } catch (err) {
    const notice = byId("notice");
    notice.textContent = err.status === 404 ? t("live.notFound", { code }) : errorText(err);
    notice.hidden = false;
    if (err.status === 404) {
      showConnection("connecting", { pill, banner, t });
      return;
    }
  }
  const stream = new LiveStream(`/api/v1/public/sessions/${seg(code)}/events`, {
    onSnapshot: applySnapshot,
    onFrame: applyFrame,
    onState: (state) => showConnection(state, { pill, banner, t }),
  });
  stream.start();
  setInterval(tick, 500);
  window.addEventListener("resize", trimLatest);
  setTimeout(function again() {
    pollSummary();
    setTimeout(again, SUMMARY_EVERY_MS + Math.random() * 2000);
  }, SUMMARY_EVERY_MS);
  document.addEventListener("langchange", () => {
    header();
    renderTable({ rebuild: true });
    renderLatest();
    renderCounters();
    tick();
  });
}

main();
