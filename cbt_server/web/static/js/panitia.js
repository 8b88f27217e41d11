// The committee's list of reports: /panitia/pengaduan (admins act, observers read).
//
// Every piece of a report is text from the public: it goes in with textContent
// only, so markup in a report is shown as the characters it is.

import { ApiError, api, errorText, seg } from "./api.js";
import { byId, el, fill, toast } from "./dom.js";
import * as fmt from "./format.js";
import { t } from "./i18n.js";
import { initPage } from "./page.js";

const STATUSES = ["received", "reviewing", "closed"];
const ui = { me: null, list: [], filter: "all" };

function showLogin() {
  byId("login-view").hidden = false;
  byId("list-view").hidden = true;
  byId("username").focus();
}

async function onLogin(event) {
  event.preventDefault();
  const error = byId("login-error");
  error.hidden = true;
  try {
    await api("/api/v1/proctor/login", {
      method: "POST",
      body: { username: byId("username").value.trim(), password: byId("password").value },
    });
    byId("password").value = "";
    await start();
  } catch (err) {
    error.textContent = err instanceof ApiError && err.status === 401 ? t("error.wrong_login") : errorText(err);
    error.hidden = false;
  }
}

async function onLogout() {
  try {
    await api("/api/v1/proctor/logout", { method: "POST" });
  } catch {
    // signed out locally anyway
  }
  showLogin();
}

async function load() {
  try {
    ui.list = await api("/api/v1/admin/complaints");
    render();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin();
    else fill(byId("complaints"), el("p", { cls: "form-error", text: errorText(err) }));
  }
}

function renderFilters() {
  const counts = { all: ui.list.length };
  for (const s of STATUSES) counts[s] = ui.list.filter((c) => c.status === s).length;
  fill(
    byId("filters"),
    ["all", ...STATUSES].map((name) =>
      el(
        "button",
        {
          cls: "filter",
          attrs: { type: "button", "aria-pressed": String(ui.filter === name) },
          data: { filter: name },
          on: {
            click: () => {
              ui.filter = name;
              render();
            },
          },
        },
        name === "all" ? t("common.all") : t(`status.${name}`),
        el("b", { text: fmt.count(counts[name]) }),
      ),
    ),
  );
}

function complaintCard(c) {
  const admin = ui.me && ui.me.role === "admin";
  const select = el(
    "select",
    { attrs: { "aria-label": t("panitia.col.status"), disabled: !admin } },
    STATUSES.map((s) => el("option", { attrs: { value: s }, text: t(`status.${s}`) })),
  );
  select.value = c.status;
  const answer = el("textarea", {
    attrs: { maxlength: 4000, rows: 4, placeholder: t("panitia.answerPlaceholder"), "aria-label": t("complaint.answer"), readonly: !admin },
  });
  answer.value = c.answer || "";
  const save = el("button", { cls: "btn btn-small", attrs: { type: "button" }, text: t("panitia.save") });
  save.addEventListener("click", async () => {
    save.disabled = true;
    try {
      await api(`/api/v1/admin/complaints/${seg(c.reference)}`, {
        method: "POST",
        body: { status: select.value, answer: answer.value.trim() },
      });
      toast(t("panitia.saved"));
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      save.disabled = false;
    }
  });
  return el(
    "article",
    { cls: "card complaint", data: { reference: c.reference } },
    el(
      "div",
      {},
      el(
        "div",
        { cls: "complaint-meta" },
        el("span", { cls: "complaint-ref", text: c.reference }),
        el("span", { cls: `badge badge-status-${c.status}`, text: t(`status.${c.status}`) }),
        el("span", { text: fmt.dateTime(c.at_ms) }),
        el("span", { text: `${t("panitia.col.session")}: ${c.session}` }),
      ),
      el("p", { cls: "complaint-text pre", text: c.text }),
      el("p", { cls: "complaint-contact", text: `${t("panitia.col.contact")}: ${c.contact || t("panitia.noContact")}` }),
    ),
    el(
      "div",
      { cls: "complaint-answer" },
      el("div", { cls: "field" }, el("span", { cls: "label", text: t("panitia.col.status") }), select),
      el("div", { cls: "field" }, answer),
      admin ? save : null,
    ),
  );
}

function render() {
  renderFilters();
  const shown = ui.list.filter((c) => ui.filter === "all" || c.status === ui.filter);
  fill(
    byId("complaints"),
    shown.length ? shown.map(complaintCard) : el("p", { cls: "card empty", text: t("panitia.empty") }),
  );
}

async function start() {
  try {
    ui.me = await api("/api/v1/proctor/me");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showLogin();
      return;
    }
    toast(errorText(err), "error");
    return;
  }
  byId("login-view").hidden = true;
  byId("list-view").hidden = false;
  byId("who").textContent = `${ui.me.name} (${ui.me.role})`;
  byId("readonly").hidden = ui.me.role !== "observer";
  await load();
}

function main() {
  initPage();
  byId("login-form").addEventListener("submit", onLogin);
  byId("logout").addEventListener("click", onLogout);
  byId("refresh").addEventListener("click", load);
  document.addEventListener("langchange", () => {
    if (ui.me) render();
  });
  start();
}

main();
