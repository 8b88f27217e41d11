// Results of a closed session: /results/<session>, with the files cbt-score re-checks.

import { ApiError, api, errorText, seg } from "./api.js";
import { byId, el, fill, pathPart } from "./dom.js";
import { rankingComparator } from "./display.js";
import * as fmt from "./format.js";
import { lang, t } from "./i18n.js";
import { initPage } from "./page.js";

const code = pathPart("/results/");
const state = { header: null, board: null, results: null, problem: null };

function named(list, id) {
  const found = (list || []).find((x) => x.id === id);
  if (!found) return id;
  return lang() === "en" && found.name_en ? found.name_en : found.name;
}

function renderHeader() {
  const h = state.header;
  byId("title").textContent = t("results.title", { code });
  document.title = `${t("results.title", { code })} — CBT Station`;
  byId("live-link").setAttribute("href", `/live/${seg(code)}`);
  if (h) {
    byId("session-line").textContent = `${h.exam} · ${h.site} · ${t("live.room")} ${h.room} · ${fmt.dateTime(h.starts_ms)} · ${t(`state.${h.state}`)}`;
  }
}

function renderNotice() {
  const box = byId("notice");
  if (!state.problem) {
    fill(box);
    return;
  }
  if (state.problem === "not_closed") {
    fill(
      box,
      el(
        "section",
        { cls: "card notice-card" },
        el("h2", { text: t("results.notClosed") }),
        el("p", { cls: "muted", text: t("results.notClosedText") }),
        el("a", { cls: "btn", attrs: { href: `/live/${seg(code)}` }, text: t("results.openLive") }),
      ),
    );
  } else if (state.problem === "not_found") {
    fill(box, el("section", { cls: "card notice-card" }, el("h2", { text: t("results.notFound", { code }) })));
  } else {
    fill(box, el("p", { cls: "form-error", text: state.problem }));
  }
}

function renderResults() {
  const data = state.results;
  byId("published").hidden = !data;
  if (!data) return;
  const api1 = `/api/v1/public/sessions/${seg(code)}`;
  const json = byId("dl-json");
  json.setAttribute("href", `${api1}/results`);
  json.setAttribute("download", `RESULTS-${code}.json`);
  byId("dl-csv").setAttribute("href", `${api1}/results.csv`);
  const key = byId("dl-key");
  key.setAttribute("href", `${api1}/key.json`);
  key.setAttribute("download", `KEY-${code}.json`);
  byId("recheck-command").textContent = `cbt-score rank --policy ${data.policy} RESULTS-${code}.json`;

  const board = state.board || { sections: [], tracks: [], ranking: ["total"] };
  const sections = board.sections.length
    ? board.sections.map((s) => s.id)
    : Object.keys((data.results[0] || {}).sections || {});
  const names = data.results.some((r) => r.name);
  const rows = data.results
    .map((r) => ({ ...r, number: r.candidate }))
    .sort(rankingComparator(board.ranking));
  byId("count").textContent = t("results.count", { n: fmt.count(rows.length) });
  const order = (board.ranking || ["total"]).map((n) => (n === "total" ? t("common.total") : n));
  byId("ranking").textContent = t("live.ranking", { order: order.join(" › ") });
  fill(
    byId("head-row"),
    el("th", { cls: "num", text: t("live.col.rank") }),
    el("th", { text: t("live.col.number") }),
    names ? el("th", { text: t("live.col.name") }) : null,
    el("th", { text: t("results.col.formation") }),
    el("th", { text: t("results.col.track") }),
    sections.map((s) => el("th", { cls: "num", text: s })),
    el("th", { cls: "num", text: t("live.col.total") }),
    el("th", { text: t("live.col.result") }),
    el("th", { text: t("results.col.slip") }),
  );
  fill(
    byId("rows"),
    rows.map((r, i) => {
      const v = fmt.verdict(r.passed);
      return el(
        "tr",
        { data: { number: r.number } },
        el("td", { cls: "num muted", text: fmt.count(i + 1) }),
        el("td", { cls: "number", text: r.number }),
        names ? el("td", { cls: "name", text: r.name || "" }) : null,
        el("td", { text: r.formation }),
        el("td", { text: named(board.tracks, r.track) }),
        sections.map((s) => el("td", { cls: "num", text: fmt.score((r.sections || {})[s]) })),
        el("td", { cls: "num total", text: fmt.score(r.total) }),
        el("td", {}, el("span", { cls: `badge badge-${v.cls}`, text: v.text })),
        el("td", {}, r.slip ? el("a", { attrs: { href: `/verify/${seg(r.slip)}` }, text: r.slip }) : "—"),
      );
    }),
  );
}

function render() {
  renderHeader();
  renderNotice();
  renderResults();
}

async function main() {
  initPage();
  document.addEventListener("langchange", render);
  renderHeader();
  try {
    const sessions = await api("/api/v1/public/sessions");
    state.header = sessions.find((s) => s.code === code) || null;
    if (!state.header) state.problem = "not_found";
    else {
      try {
        state.board = await api(`/api/v1/public/sessions/${seg(code)}/live`);
      } catch {
        state.board = null;
      }
      state.results = await api(`/api/v1/public/sessions/${seg(code)}/results`);
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) state.problem = "not_closed";
    else if (err instanceof ApiError && err.status === 404) state.problem = "not_found";
    else state.problem = errorText(err);
  }
  render();
}

main();
