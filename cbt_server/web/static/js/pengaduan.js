// Report an irregularity (pengaduan): a short form, a reference, and a status check.

import { ApiError, api, errorText, seg } from "./api.js";
import { byId, el, fill } from "./dom.js";
import * as fmt from "./format.js";
import { t } from "./i18n.js";
import { initPage } from "./page.js";

const OTHER = "__other__";
let sessions = [];
let status = null;

function renderSessions() {
  const select = byId("session");
  const current = select.value;
  fill(
    select,
    sessions.map((s) =>
      el("option", { attrs: { value: s.code }, text: `${s.code} — ${s.exam} · ${t("live.room")} ${s.room}` }),
    ),
    el("option", { attrs: { value: OTHER }, text: t("complaint.sessionOther") }),
  );
  if (current) select.value = current;
  byId("session-free").hidden = select.value !== OTHER;
}

function renderCount() {
  byId("text-count").textContent = t("complaint.chars", { n: fmt.count(byId("text").value.length) });
}

async function onSubmit(event) {
  event.preventDefault();
  const error = byId("complaint-error");
  error.hidden = true;
  const text = byId("text").value.trim();
  if (text.length < 10) {
    error.textContent = t("complaint.tooShort");
    error.hidden = false;
    byId("text").focus();
    return;
  }
  const chosen = byId("session").value;
  const session = chosen === OTHER ? byId("session-free").value.trim() || "-" : chosen;
  const button = byId("complaint-submit");
  button.disabled = true;
  try {
    const reply = await api("/api/v1/public/complaints", {
      method: "POST",
      body: { session, text, contact: byId("contact").value.trim() },
    });
    byId("reference").textContent = reply.reference;
    byId("complaint-form").hidden = true;
    byId("receipt").hidden = false;
    byId("reference-input").value = reply.reference;
  } catch (err) {
    error.textContent = err instanceof ApiError && err.status === 429 ? t("complaint.rateLimited") : errorText(err);
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

function renderStatus() {
  const box = byId("status-result");
  if (!status) {
    fill(box);
    return;
  }
  if (status.error) {
    fill(box, el("p", { cls: "form-error status-box", text: status.error }));
    return;
  }
  fill(
    box,
    el(
      "div",
      { cls: "status-box" },
      el("p", {}, el("span", { cls: "complaint-ref", text: status.reference }), " "),
      el("p", {}, el("span", { cls: `badge badge-status-${status.status}`, text: t(`status.${status.status}`) })),
      el("p", { cls: "muted small", text: t("complaint.receivedAt", { time: fmt.dateTime(status.at_ms) }) }),
      el("h3", { text: t("complaint.answer") }),
      el("p", { cls: "answer pre", text: status.answer || t("complaint.noAnswer") }),
    ),
  );
}

async function onStatus(event) {
  event.preventDefault();
  const reference = byId("reference-input").value.trim().toUpperCase();
  if (!reference) return;
  try {
    status = await api(`/api/v1/public/complaints/${seg(reference)}`);
  } catch (err) {
    status = { error: err instanceof ApiError && err.status === 404 ? t("complaint.notFound") : errorText(err) };
  }
  renderStatus();
}

async function main() {
  initPage();
  byId("complaint-form").addEventListener("submit", onSubmit);
  byId("status-form").addEventListener("submit", onStatus);
  byId("session").addEventListener("change", () => {
    byId("session-free").hidden = byId("session").value !== OTHER;
  });
  byId("text").addEventListener("input", renderCount);
  document.addEventListener("langchange", () => {
    renderSessions();
    renderCount();
    renderStatus();
  });
  renderCount();
  try {
    sessions = await api("/api/v1/public/sessions");
  } catch {
    sessions = [];
  }
  renderSessions();
  const asked = new URLSearchParams(window.location.search).get("session");
  if (asked && sessions.some((s) => s.code === asked)) {
    byId("session").value = asked;
    renderSessions();
  }
}

main();
