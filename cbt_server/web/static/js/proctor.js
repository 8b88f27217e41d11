// The proctor console: /proctor.
//
// Sign-in: POST /api/v1/proctor/login sets an HttpOnly cookie, which then
// authenticates every request and the EventSource. The seat grid comes from
// GET .../seats and is refreshed whenever a frame on the session's proctor
// channel says something changed (frames carry {type, number}, not data), and
// every 10 s so that "offline for N s" stays true. Every action asks for
// confirmation (and a reason where the server records one), then refreshes.
// The Laporan menu links the session's PDFs (GET .../reports/{kind}.pdf): plain
// links, authenticated by the same cookie, saved as files by the browser.

import { ApiError, api, errorText, seg } from "./api.js";
import { byId, el, fill, toast } from "./dom.js";
import * as fmt from "./format.js";
import { initLang, lang, t } from "./i18n.js";
import { LiveStream, showConnection } from "./live-stream.js";

const REFRESH_EVERY_MS = 10000;
const ACTIVE = ["logged_in", "answering", "offline", "released", "locked"];
const INCIDENT_KINDS = [
  "other",
  "focus_lost",
  "screen_added",
  "multiple_screens",
  "remote_session",
  "not_in_kiosk",
  "station_restarted",
  "clock_skew",
];
// Reports that need at least one scored candidate (the server answers 409 before).
const NEEDS_SCORES = new Set(["slip", "feedback", "ranking", "items"]);
const FILTERS = {
  all: () => true,
  attention: (s) =>
    ["offline", "locked", "released"].includes(s.state) || s.incidents > 0 || s.paused,
  not_arrived: (s) => s.state === "not_arrived",
  logged_in: (s) => s.state === "logged_in",
  answering: (s) => s.state === "answering",
  submitted: (s) => s.state === "submitted",
};

const ui = {
  me: null,
  sessions: [],
  code: null,
  view: null, // GET /sessions/{code} without seats
  seats: [],
  seatsAt: 0, // Date.now() when the seats were read (for local countdowns)
  token: null,
  tokenAt: 0,
  filter: "all",
  search: "",
  selected: null,
  activity: [],
  seenActivity: new Set(),
  stream: null,
  dialogSubmit: null,
  tracks: {}, // track id -> names, from the policy
  refreshTimer: null,
  pending: { seats: false, session: false },
  clock: new fmt.ServerClock(),
};

const base = () => `/api/v1/proctor/sessions/${seg(ui.code)}`;
const canAct = () => ui.me && ui.me.role !== "observer";

// ------------------------------------------------------------------ sign-in

function showLogin() {
  byId("login-view").hidden = false;
  byId("console-view").hidden = true;
  for (const id of ["session-pick", "conn", "who", "logout"]) byId(id).hidden = true;
  if (ui.stream) ui.stream.stop();
  byId("username").focus();
}

async function onLogin(event) {
  event.preventDefault();
  const error = byId("login-error");
  error.hidden = true;
  const button = byId("login-submit");
  button.disabled = true;
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
  } finally {
    button.disabled = false;
  }
}

async function onLogout() {
  try {
    await api("/api/v1/proctor/logout", { method: "POST" });
  } catch {
    // signed out locally anyway
  }
  ui.me = null;
  showLogin();
}

// ------------------------------------------------------------------ loading

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
  byId("console-view").hidden = false;
  const who = byId("who");
  fill(who, el("strong", { text: ui.me.name }), `${ui.me.username} · ${ui.me.role}`);
  who.hidden = false;
  byId("logout").hidden = false;
  byId("conn").hidden = false;
  byId("observer-note").hidden = canAct();
  ui.sessions = await api("/api/v1/proctor/sessions");
  const select = byId("session-select");
  fill(
    select,
    ui.sessions.map((s) =>
      el("option", { attrs: { value: s.code }, text: `${s.code} — ${s.exam} · ${t("live.room")} ${s.room}` }),
    ),
  );
  byId("session-pick").hidden = ui.sessions.length === 0;
  byId("no-sessions").hidden = ui.sessions.length > 0;
  byId("band").hidden = ui.sessions.length === 0;
  byId("workspace").hidden = ui.sessions.length === 0;
  if (!ui.sessions.length) return;
  const asked = new URLSearchParams(window.location.search).get("session");
  let saved = null;
  try {
    saved = window.localStorage.getItem("cbt.proctor.session");
  } catch {
    saved = null;
  }
  const pick =
    ui.sessions.find((s) => s.code === asked) ||
    ui.sessions.find((s) => s.code === saved) ||
    ui.sessions.find((s) => s.state !== "closed") ||
    ui.sessions[0];
  select.value = pick.code;
  await openSession(pick.code);
}

async function openSession(code) {
  ui.code = code;
  ui.selected = null;
  ui.activity = [];
  ui.seenActivity = new Set();
  try {
    window.localStorage.setItem("cbt.proctor.session", code);
  } catch {
    // not remembered
  }
  await refreshSession();
  await refreshActivity(true);
  loadTracks(code);
  if (ui.stream) ui.stream.stop();
  const pill = byId("conn");
  const banner = byId("banner");
  ui.stream = new LiveStream(`${base()}/events`, {
    onSnapshot: (snapshot) => {
      setSeats(snapshot.seats);
      setToken(snapshot.token);
      render();
    },
    onFrame: (frame) => {
      const types = new Set((frame.events || []).map((e) => e.type));
      scheduleRefresh({ session: types.has("session") });
    },
    onState: (state) => showConnection(state, { pill, banner, t }),
  });
  ui.stream.start();
}

/** Track names from the session's policy (the public board has them); ids if it fails. */
async function loadTracks(code) {
  try {
    const board = await api(`/api/v1/public/sessions/${seg(code)}/live`);
    ui.tracks = Object.fromEntries(board.tracks.map((tr) => [tr.id, tr]));
    renderDetail();
  } catch {
    ui.tracks = {};
  }
}

function trackName(id) {
  const track = ui.tracks[id];
  if (!track) return id;
  return lang() === "en" && track.name_en ? track.name_en : track.name;
}

function setSeats(seats) {
  ui.seats = seats;
  ui.seatsAt = Date.now();
}

function setToken(token) {
  ui.token = token;
  ui.tokenAt = Date.now();
}

async function refreshSession() {
  try {
    const view = await api(base());
    ui.clock.sync(view.server_time_ms);
    const { seats, token, ...rest } = view;
    ui.view = rest;
    setSeats(seats);
    setToken(token);
    render();
  } catch (err) {
    handleError(err);
  }
}

async function refreshSeats() {
  try {
    setSeats(await api(`${base()}/seats`));
    renderSeats();
    renderDetail();
    renderReports();
  } catch (err) {
    handleError(err);
  }
}

async function refreshActivity(first = false) {
  try {
    const entries = await api(`${base()}/activity`);
    const fresh = first ? new Set() : new Set(entries.filter((e) => !ui.seenActivity.has(e.seq)).map((e) => e.seq));
    for (const e of entries) ui.seenActivity.add(e.seq);
    ui.activity = entries;
    renderActivity(fresh);
  } catch (err) {
    handleError(err);
  }
}

/** Frames only say "something changed": read again, at most a few times a second. */
function scheduleRefresh({ session = false } = {}) {
  ui.pending.seats = true;
  ui.pending.session = ui.pending.session || session;
  if (ui.refreshTimer) return;
  ui.refreshTimer = setTimeout(async () => {
    ui.refreshTimer = null;
    const { session: whole } = ui.pending;
    ui.pending = { seats: false, session: false };
    if (whole) await refreshSession();
    else await refreshSeats();
    await refreshActivity();
  }, 300);
}

function handleError(err) {
  if (err instanceof ApiError && err.status === 401) {
    showLogin();
    return;
  }
  if (err instanceof ApiError && err.code === "network") return; // the stream shows it
  toast(errorText(err), "error");
}

// ------------------------------------------------------------------ rendering

function render() {
  renderHeader();
  renderFilters();
  renderSeats();
  renderDetail();
  renderReports();
  tick();
}

/** The Laporan menu: each kind links its PDF, or says why it cannot yet. */
function renderReports() {
  const menu = byId("reports");
  if (!ui.code) return;
  const scored = ui.seats.some((s) => s.state === "submitted" && s.total !== null && s.total !== undefined);
  byId("reports-lead").textContent = t("reports.lead", { code: ui.code });
  for (const link of menu.querySelectorAll(".report-link")) {
    const kind = link.dataset.kind;
    if (scored || !NEEDS_SCORES.has(kind)) {
      link.href = `${base()}/reports/${seg(kind)}.pdf`;
      link.removeAttribute("aria-disabled");
    } else {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    }
  }
  byId("reports-note").hidden = scored;
}

function setupReportsMenu() {
  const menu = byId("reports");
  for (const link of menu.querySelectorAll(".report-link")) {
    link.addEventListener("click", () => {
      if (link.hasAttribute("href")) menu.open = false; // the download goes on
    });
  }
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      byId("reports-toggle").focus();
    }
  });
}

function renderHeader() {
  const view = ui.view;
  if (!view) return;
  document.title = `${view.code} — ${t("proctor.title")}`;
  byId("session-state").textContent = t(`state.${view.state}`);
  byId("session-meta").textContent = `${view.exam} · ${t("live.room")} ${view.room} · ${t("proctor.startsAt", {
    time: fmt.clock(view.starts_ms, { seconds: false }),
    minutes: view.duration_minutes,
  })}`;
  byId("open-session").hidden = !canAct() || view.state !== "scheduled";
  byId("close-session").hidden = !canAct() || !["open", "running"].includes(view.state);
  const live = ["open", "running"].includes(view.state);
  byId("all-actions").hidden = !canAct() || !live;
}

function renderFilters() {
  fill(
    byId("filters"),
    Object.keys(FILTERS).map((name) =>
      el(
        "button",
        {
          cls: `filter ${name}`,
          attrs: { type: "button", "aria-pressed": String(ui.filter === name) },
          data: { filter: name },
          on: {
            click: () => {
              ui.filter = name;
              renderFilters();
              renderSeats();
            },
          },
        },
        name === "logged_in" ? t("seat.logged_in") : t(`filter.${name}`),
        el("b", { text: fmt.count(ui.seats.filter(FILTERS[name]).length) }),
      ),
    ),
  );
}

function elapsedS() {
  return Math.floor((Date.now() - ui.seatsAt) / 1000);
}

function remainingOf(seat) {
  if (seat.remaining_s === null || seat.remaining_s === undefined) return null;
  if (seat.state === "submitted" || seat.paused || seat.state === "logged_in") return seat.remaining_s;
  return Math.max(0, seat.remaining_s - elapsedS());
}

function stateText(seat) {
  if (seat.state === "offline" && typeof seat.offline_s === "number") {
    return t("seat.offlineFor", { s: seat.offline_s + elapsedS() });
  }
  return t(`seat.${seat.state}`);
}

function seatCard(seat) {
  const progress = seat.items ? Math.round((seat.answered / seat.items) * 100) : 0;
  const bar = el("span");
  bar.style.setProperty("--p", `${progress}%`);
  const flags = el("span", { cls: "seat-flags" });
  if (seat.paused) flags.append(el("span", { cls: "flag", text: t("seat.paused") }));
  if (seat.incidents) {
    flags.append(
      el("span", {
        cls: "flag flag-incident",
        text: `⚑ ${seat.incidents}`,
        title: t("seat.incidents", { n: seat.incidents }),
      }),
    );
  }
  const time = el("span", { cls: "seat-time" });
  const state = el("div", { cls: "seat-state" });
  const card = el(
    "button",
    {
      cls: `seat st-${seat.state}${seat.paused ? " is-paused" : ""}`,
      attrs: { type: "button", "aria-pressed": String(ui.selected === seat.number) },
      data: { number: seat.number, state: seat.state },
      on: {
        click: () => {
          ui.selected = seat.number;
          for (const node of byId("seats").children) {
            if (node.dataset.number) node.setAttribute("aria-pressed", String(node.dataset.number === seat.number));
          }
          renderDetail();
        },
      },
    },
    el("div", { cls: "seat-top" }, el("span", { cls: "seat-no", text: seat.number }), flags),
    el("div", { cls: "seat-name", text: seat.name }),
    state,
    el("div", { cls: "seat-progress" }, bar),
    el(
      "div",
      { cls: "seat-bottom" },
      el("span", {
        text:
          seat.state === "submitted" && seat.total !== null
            ? `${t("detail.result")} ${fmt.score(seat.total)}`
            : seat.items
              ? `${seat.answered}/${seat.items}`
              : "",
      }),
      time,
    ),
  );
  card._tick = () => {
    state.textContent = seat.workstation && seat.state !== "not_arrived" ? `${stateText(seat)} · ${seat.workstation}` : stateText(seat);
    const left = remainingOf(seat);
    time.textContent = left === null || seat.state === "submitted" ? "" : fmt.duration(left);
  };
  card._tick();
  if (seat.has_photo) {
    // A mouse hovering shows the photo at once; touch screens use the detail panel.
    card.addEventListener("pointerenter", (e) => {
      if (e.pointerType === "mouse") peek(card, seat);
    });
    card.addEventListener("pointerleave", unpeek);
  }
  return card;
}

function visibleSeats() {
  const needle = ui.search.trim().toLowerCase();
  return ui.seats.filter(
    (s) =>
      FILTERS[ui.filter](s) &&
      (!needle || s.number.toLowerCase().includes(needle) || String(s.name).toLowerCase().includes(needle)),
  );
}

function renderSeats() {
  unpeek();
  const seats = visibleSeats();
  const grid = byId("seats");
  if (!seats.length) {
    fill(grid, el("p", { cls: "seats-empty", text: t("seat.noneMatch") }));
    return;
  }
  fill(grid, seats.map(seatCard));
  renderFilters();
}

function photoUrl(seat) {
  return `${base()}/photos/${seg(seat.number)}`;
}

let peekTimer = null;
function peek(card, seat) {
  clearTimeout(peekTimer);
  peekTimer = setTimeout(() => {
    const box = byId("photo-peek");
    const img = byId("photo-peek-img");
    img.src = photoUrl(seat);
    img.alt = t("detail.photoAlt", { number: seat.number });
    const rect = card.getBoundingClientRect();
    const width = 170;
    const left = rect.right + 8 + width > window.innerWidth ? rect.left - width - 8 : rect.right + 8;
    box.style.left = `${Math.max(4, left)}px`;
    box.style.top = `${Math.max(4, Math.min(rect.top, window.innerHeight - 240))}px`;
    box.hidden = false;
  }, 350);
}

function unpeek() {
  clearTimeout(peekTimer);
  const box = document.getElementById("photo-peek");
  if (box) box.hidden = true;
}

function renderDetail() {
  const box = byId("detail");
  const seat = ui.seats.find((s) => s.number === ui.selected);
  if (!seat) {
    fill(box, el("p", { cls: "detail-empty", text: t("detail.select") }));
    return;
  }
  const photo = el("img", {
    cls: "detail-photo",
    attrs: {
      src: seat.has_photo ? photoUrl(seat) : "/static/img/person.svg",
      alt: seat.has_photo ? t("detail.photoAlt", { number: seat.number }) : t("detail.noPhoto"),
      title: seat.has_photo ? t("detail.photoAlt", { number: seat.number }) : t("detail.noPhoto"),
    },
  });
  if (seat.has_photo) photo.addEventListener("click", () => showPhoto(seat));
  const facts = [
    ["detail.workstation", seat.workstation || "—"],
    ["detail.progress", seat.items ? `${seat.answered}/${seat.items}` : "—"],
  ];
  const left = remainingOf(seat);
  if (left !== null && seat.state !== "submitted") facts.push(["detail.remaining", fmt.duration(left)]);
  facts.push(["detail.incidents", String(seat.incidents)]);
  if (seat.state === "submitted") {
    facts.push(["detail.result", `${fmt.score(seat.total)} · ${fmt.verdict(seat.passed).text}`]);
    if (seat.slip) facts.push(["detail.slip", seat.slip]);
  }
  const badge = el("span", {
    cls: `badge ${seat.state === "locked" || seat.state === "offline" ? "badge-warn" : "badge-info"}`,
    text: stateText(seat) + (seat.paused ? ` · ${t("seat.paused")}` : ""),
  });
  fill(
    box,
    el(
      "div",
      { cls: "detail-head" },
      photo,
      el(
        "div",
        {},
        el("div", { cls: "detail-number", text: seat.number }),
        el("div", { cls: "detail-name", text: seat.name }),
        el("div", { cls: "detail-sub", text: `${seat.formation} · ${trackName(seat.track)}` }),
        el("div", { cls: "detail-state" }, badge),
      ),
    ),
    canAct() ? el("div", { cls: "actions" }, seatActions(seat)) : null,
    el(
      "dl",
      { cls: "facts" },
      facts.map(([key, value]) => el("div", {}, el("dt", { text: t(key) }), el("dd", { text: value }))),
    ),
  );
}

function seatActions(seat) {
  const live = ui.view && ["open", "running"].includes(ui.view.state);
  const hasAttempt = seat.attempt !== null && seat.attempt !== undefined;
  const open = hasAttempt && seat.state !== "submitted";
  const buttons = [];
  const add = (name, cls = "btn-secondary") =>
    buttons.push(
      el("button", {
        cls: `btn ${cls}`,
        attrs: { type: "button" },
        data: { action: name },
        text: t(`action.${name}`),
        on: { click: () => runSeatAction(name, seat) },
      }),
    );
  if (live && open && ACTIVE.includes(seat.state)) add("extend");
  if (live && open && !seat.paused && seat.state !== "logged_in") add("pause");
  if (live && open && seat.paused) add("resume");
  if (live && open && seat.state !== "locked") add("lock");
  if (open && (seat.state === "locked" || seat.locked)) add("unlockCode", "btn-gold");
  if (live && open) add("message");
  add("incident");
  if (open && seat.state !== "released") add("release");
  if (open) add("forceSubmit", "btn-danger");
  return buttons;
}

function renderActivity(fresh = new Set()) {
  const list = byId("activity");
  if (!ui.activity.length) {
    fill(list, el("li", { cls: "muted", text: t("activity.empty") }));
    return;
  }
  fill(
    list,
    ui.activity.slice(0, 80).map((entry) => {
      const data = entry.data || {};
      const key = `event.${entry.event}`;
      const what = t(key, data) === key ? entry.event : t(key, data);
      const actor = String(entry.actor || "").replace(/^(proctor|admin|observer|candidate|system):/, "");
      const details = [];
      if (data.candidate && data.candidate !== actor) {
        details.push(data.candidate === "*" ? t("activity.all") : data.candidate);
      }
      if (data.kind) details.push(t(`incident.${data.kind}`));
      for (const field of ["reason", "text", "detail"]) {
        if (data[field]) details.push(`“${data[field]}”`);
      }
      return el(
        "li",
        { cls: fresh.has(entry.seq) ? "new" : "" },
        el("span", { cls: "activity-time", text: fmt.clock(entry.at_ms) }),
        el("span", { cls: "activity-what", text: what }),
        el("span", { cls: "activity-who", text: [actor, ...details].join(" · ") }),
      );
    }),
  );
}

function tick() {
  if (ui.token && ui.view) {
    const closed = ui.view.state === "closed";
    const left = Math.max(0, ui.token.rotates_in_s - Math.floor((Date.now() - ui.tokenAt) / 1000));
    byId("token").textContent = closed ? "——————" : ui.token.token;
    byId("token-rotates").textContent = closed ? "" : t("proctor.tokenRotates", { time: fmt.duration(left) });
    byId("token-bar").style.setProperty("--left", `${(left / ui.token.period_s) * 100}%`);
    if (!closed && left <= 0 && Date.now() - ui.tokenAt > 2000) {
      ui.tokenAt = Date.now();
      refreshSession();
    }
  }
  for (const card of byId("seats").children) {
    if (card._tick) card._tick();
  }
}

// ------------------------------------------------------------------ actions

/**
 * Ask, then act. `fields`: reason | minutes | text | kind | detail.
 * `send(values)` calls the API; `done(result)` returns the toast.
 */
function ask({ title, target, warning, fields = [], confirm, danger = false, send, done }) {
  const dialog = byId("action-dialog");
  byId("action-title").textContent = title;
  const error = el("p", { cls: "form-error", attrs: { role: "alert" } });
  error.hidden = true;
  const inputs = {};
  const field = (name, label, control, hint) => {
    inputs[name] = control;
    control.id = `field-${name}`;
    return el(
      "div",
      { cls: "field" },
      el("label", { attrs: { for: control.id }, text: label }),
      control,
      hint ? el("span", { cls: "hint", text: hint }) : null,
    );
  };
  const parts = [error];
  if (target) parts.push(el("div", { cls: "dialog-target", text: target }));
  if (warning) parts.push(el("div", { cls: "dialog-warning", text: warning }));
  for (const name of fields) {
    if (name === "minutes") {
      parts.push(
        field("minutes", t("dialog.minutes"), el("input", { attrs: { type: "number", min: 1, max: 120, step: 1, value: 10, required: true } })),
      );
    } else if (name === "reason") {
      parts.push(
        field("reason", t("dialog.reason"), el("input", { attrs: { type: "text", maxlength: 500, required: true } }), t("dialog.reasonHint")),
      );
    } else if (name === "text") {
      parts.push(field("text", t("dialog.message"), el("textarea", { attrs: { maxlength: 500, rows: 3, required: true } })));
    } else if (name === "kind") {
      parts.push(
        field(
          "kind",
          t("dialog.kind"),
          el(
            "select",
            {},
            INCIDENT_KINDS.map((kind) => el("option", { attrs: { value: kind }, text: t(`incident.${kind}`) })),
          ),
        ),
      );
    } else if (name === "detail") {
      parts.push(
        field("detail", t("dialog.detail"), el("textarea", { attrs: { maxlength: 2000, rows: 3, required: true } }), t("dialog.reasonHint")),
      );
    }
  }
  fill(byId("action-body"), parts);
  const confirmButton = byId("action-confirm");
  confirmButton.textContent = confirm || t("dialog.confirm");
  confirmButton.className = `btn ${danger ? "btn-danger" : ""}`;
  confirmButton.hidden = false;
  byId("action-cancel").textContent = t("common.cancel");

  ui.dialogSubmit = async () => {
    const values = {};
    for (const [name, input] of Object.entries(inputs)) values[name] = input.value.trim();
    for (const name of ["reason", "detail"]) {
      if (name in values && values[name].length < 3) {
        error.textContent = t("dialog.reasonShort");
        error.hidden = false;
        inputs[name].focus();
        return;
      }
    }
    if ("text" in values && !values.text) {
      inputs.text.focus();
      return;
    }
    if ("minutes" in values) {
      const minutes = Number.parseInt(values.minutes, 10);
      if (!(minutes >= 1 && minutes <= 120)) {
        error.textContent = t("error.invalid_input", { message: "1–120" });
        error.hidden = false;
        return;
      }
      values.minutes = minutes;
    }
    confirmButton.disabled = true;
    try {
      const result = await send(values);
      if (dialog.open) dialog.close();
      const message = done ? done(result) : t("done.action", { action: title });
      if (message) toast(message);
      scheduleRefresh({ session: true });
    } catch (err) {
      error.textContent = errorText(err);
      error.hidden = false;
    } finally {
      confirmButton.disabled = false;
    }
  };
  dialog.showModal();
  const first = Object.values(inputs)[0];
  if (first) first.focus();
  else confirmButton.focus();
}

function post(path, body) {
  return api(`${base()}${path}`, { method: "POST", body: body === undefined ? {} : body });
}

function runSeatAction(name, seat) {
  const target = `${seat.number} — ${seat.name}`;
  const n = seat.number;
  const title = t(`action.${name}`);
  const specs = {
    extend: { fields: ["minutes", "reason"], send: (v) => post("/extend", { number: n, ...v }) },
    pause: { fields: ["reason"], send: (v) => post("/pause", { number: n, ...v }) },
    resume: { fields: ["reason"], send: (v) => post("/resume", { number: n, ...v }) },
    lock: { fields: ["reason"], warning: t("warn.lock"), send: (v) => post(`/seats/${seg(n)}/lock`, v) },
    release: { fields: ["reason"], warning: t("warn.release"), send: (v) => post(`/seats/${seg(n)}/release`, v) },
    forceSubmit: {
      fields: ["reason"],
      warning: t("warn.forceSubmit"),
      danger: true,
      send: (v) => post(`/seats/${seg(n)}/force-submit`, v),
    },
    message: { fields: ["text"], send: (v) => post("/message", { number: n, ...v }) },
    incident: { fields: ["kind", "detail"], send: (v) => post("/incidents", { number: n, ...v }) },
    unlockCode: {
      send: () => post(`/seats/${seg(n)}/unlock-code`),
      done: (result) => {
        showUnlockCode(seat, result.code);
        return null;
      },
    },
  };
  ask({ title, target, confirm: title, ...specs[name] });
}

/** The candidate's photo, large, for an identity check at the desk. */
function showPhoto(seat) {
  byId("action-title").textContent = `${seat.number} — ${seat.name}`;
  fill(
    byId("action-body"),
    el("img", {
      cls: "detail-photo-large",
      attrs: { src: photoUrl(seat), alt: t("detail.photoAlt", { number: seat.number }) },
    }),
  );
  byId("action-confirm").hidden = true;
  byId("action-cancel").textContent = t("common.close");
  ui.dialogSubmit = null;
  byId("action-dialog").showModal();
}

function showUnlockCode(seat, code) {
  const dialog = byId("action-dialog");
  byId("action-title").textContent = t("unlock.title");
  fill(
    byId("action-body"),
    el("div", { cls: "dialog-target", text: `${seat.number} — ${seat.name}` }),
    el("div", { cls: "unlock-code", text: `${code.slice(0, 3)} ${code.slice(3)}` }),
    el("p", { text: t("unlock.text", { number: seat.number }) }),
  );
  byId("action-confirm").hidden = true;
  byId("action-cancel").textContent = t("common.close");
  ui.dialogSubmit = null;
  dialog.showModal();
}

function runSessionAction(name) {
  const view = ui.view;
  const target = t("dialog.sessionTarget", { code: view.code, exam: view.exam });
  const everyone = t("dialog.allCandidates");
  const specs = {
    open: { title: t("action.open"), send: () => post("/open") },
    close: { title: t("action.close"), warning: t("warn.close"), danger: true, send: () => post("/close") },
    extend: {
      title: t("action.extendAll"),
      target: everyone,
      fields: ["minutes", "reason"],
      send: (v) => post("/extend", v),
      done: (r) => t("done.extend", { n: r.extended }),
    },
    pause: { title: t("action.pauseAll"), target: everyone, warning: t("warn.pauseAll"), fields: ["reason"], send: (v) => post("/pause", v) },
    resume: { title: t("action.resumeAll"), target: everyone, fields: ["reason"], send: (v) => post("/resume", v) },
    message: {
      title: t("action.messageAll"),
      target: everyone,
      fields: ["text"],
      send: (v) => post("/message", v),
      done: (r) => t("done.message", { n: r.sent }),
    },
    incident: { title: t("action.incident"), fields: ["kind", "detail"], send: (v) => post("/incidents", v) },
  };
  const spec = specs[name];
  ask({ target, confirm: spec.title, ...spec });
}

// ------------------------------------------------------------------ main

function main() {
  initLang();
  byId("login-form").addEventListener("submit", onLogin);
  byId("action-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (ui.dialogSubmit) ui.dialogSubmit();
  });
  byId("action-cancel").addEventListener("click", () => byId("action-dialog").close());
  byId("action-dialog").addEventListener("close", () => {
    ui.dialogSubmit = null;
  });
  byId("logout").addEventListener("click", onLogout);
  setupReportsMenu();
  byId("session-select").addEventListener("change", (e) => openSession(e.target.value));
  byId("search").addEventListener("input", (e) => {
    ui.search = e.target.value;
    renderSeats();
  });
  byId("open-session").addEventListener("click", () => runSessionAction("open"));
  byId("close-session").addEventListener("click", () => runSessionAction("close"));
  for (const button of document.querySelectorAll("[data-all]")) {
    button.addEventListener("click", () => runSessionAction(button.dataset.all));
  }
  document.addEventListener("langchange", () => {
    if (ui.view) {
      render();
      renderActivity();
    }
  });
  setInterval(tick, 1000);
  setInterval(() => {
    if (ui.code && !document.hidden && ui.stream && ui.stream.state === "live") refreshSeats();
  }, REFRESH_EVERY_MS);
  start();
}

main();
