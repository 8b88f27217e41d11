// The audit page: the chain head, its history, the log to download, and a check in
// the browser.
//
// The history lists the head after each milestone (a session opened or closed, a
// re-score), newest first, so that people can note it and later find it again in a
// downloaded copy of the log.
//
// The check recomputes each entry's hash exactly as the server does:
// SHA-256(prev_hash + JSON([seq, at_ms, actor, event, data_json])), JSON with no
// spaces and non-ASCII kept as is (Python's json.dumps(ensure_ascii=False,
// separators=(",", ":")) and JavaScript's JSON.stringify agree on that).

import { api, errorText } from "./api.js";
import { byId, el, fill } from "./dom.js";
import * as fmt from "./format.js";
import { t } from "./i18n.js";
import { initPage } from "./page.js";

const GENESIS = "0".repeat(64);
let head = null;
let heads = null;

function render() {
  if (head) {
    byId("head-short").textContent = fmt.fingerprint(head.short);
    byId("head-seq").textContent = fmt.count(head.seq);
    byId("head-at").textContent = head.at_ms ? fmt.dateTime(head.at_ms) : "—";
    byId("head-hash").textContent = head.hash;
  }
  if (heads) renderHeads();
}

function markText(mark) {
  if (!mark.event) return t("audit.mark.latest");
  return t(`audit.mark.${mark.event}`, { session: mark.session, site: mark.site });
}

function renderHeads() {
  const body = byId("heads");
  if (!heads.length) {
    const cell = el("td", { cls: "empty", text: t("audit.noHeads"), attrs: { colspan: 4 } });
    fill(body, el("tr", {}, cell));
    return;
  }
  fill(
    body,
    heads.map((mark) =>
      el(
        "tr",
        { cls: mark.current ? "current" : "", data: { seq: mark.seq } },
        el("td", { cls: "num mono", text: mark.seq }),
        el(
          "td",
          {},
          markText(mark),
          mark.current ? el("span", { cls: "badge badge-info", text: t("audit.current") }) : null,
        ),
        el("td", { text: fmt.shortDateTime(mark.at_ms) }),
        el("td", { cls: "mono fingerprint", text: fmt.fingerprint(mark.short), title: mark.hash }),
      ),
    ),
  );
}

async function load() {
  try {
    // One reply for the card and the table, so they always agree (the first row is current).
    heads = await api("/api/v1/public/audit/heads");
    head = heads.find((mark) => mark.current) || { seq: 0, hash: GENESIS, short: GENESIS.slice(0, 16), at_ms: 0 };
    render();
  } catch (err) {
    byId("head-short").textContent = errorText(err);
  }
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function say(text, kind) {
  const box = byId("check-result");
  box.textContent = text;
  box.className = `check-result ${kind || ""}`;
  box.hidden = false;
}

async function checkInBrowser() {
  if (!(window.crypto && crypto.subtle)) {
    say(t("audit.noCrypto"), "bad");
    return;
  }
  const button = byId("check");
  button.disabled = true;
  try {
    const reply = await fetch("/api/v1/public/audit/log", { cache: "no-store" });
    const lines = (await reply.text()).split("\n").filter((line) => line.trim());
    let prev = GENESIS;
    let expected = 1;
    for (const [i, line] of lines.entries()) {
      const row = JSON.parse(line);
      const seq = Number(row.seq);
      if (seq !== expected) return say(t("audit.broken", { seq: expected, why: `seq ${seq}` }), "bad");
      if (row.prev_hash !== prev) return say(t("audit.broken", { seq, why: "prev_hash" }), "bad");
      const body = JSON.stringify([seq, Number(row.at_ms), String(row.actor), String(row.event), String(row.data_json)]);
      const digest = await sha256Hex(prev + body);
      if (digest !== row.hash) return say(t("audit.broken", { seq, why: "hash" }), "bad");
      prev = digest;
      expected = seq + 1;
      if (i % 500 === 0) say(t("audit.checking", { done: fmt.count(i), all: fmt.count(lines.length) }));
    }
    say(t("audit.intact", { n: fmt.count(expected - 1), hash: fmt.fingerprint(prev.slice(0, 16)) }), "ok");
  } catch (err) {
    say(errorText(err), "bad");
  } finally {
    button.disabled = false;
  }
}

function main() {
  initPage();
  byId("refresh").addEventListener("click", load);
  byId("check").addEventListener("click", checkInBrowser);
  document.addEventListener("langchange", render);
  load();
  setInterval(load, 15000);
}

main();
