// Verify a result: /verify and /verify/<slip> (the QR code on a slip opens the latter).

import { api, errorText, seg } from "./api.js";
import { byId, el, fill, pathPart } from "./dom.js";
import * as fmt from "./format.js";
import { lang, t } from "./i18n.js";
import { initPage } from "./page.js";

let shown = null; // {slip, data} or {slip, missing: true}
const policies = new Map(); // session -> {sections, tracks} from its public board

/** "abcd efgh-jkmn" -> "ABCD-EFGH-JKMN"; null when it cannot be a slip code. */
export function normalise(raw) {
  const clean = String(raw).toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (clean.length !== 12) return null;
  return `${clean.slice(0, 4)}-${clean.slice(4, 8)}-${clean.slice(8)}`;
}

async function policyOf(session) {
  if (!policies.has(session)) {
    try {
      const board = await api(`/api/v1/public/sessions/${seg(session)}/live`);
      policies.set(session, { sections: board.sections, tracks: board.tracks });
    } catch {
      policies.set(session, { sections: [], tracks: [] });
    }
  }
  return policies.get(session);
}

function named(list, id) {
  const found = list.find((x) => x.id === id);
  if (!found) return id;
  return lang() === "en" && found.name_en ? found.name_en : found.name;
}

function seal(kind, title, text) {
  return el(
    "div",
    { cls: `seal ${kind}` },
    el("div", { cls: "seal-mark", text: kind === "valid" ? "✓" : "!" }),
    el("div", {}, el("div", { cls: "seal-title", text: title }), el("div", { cls: "seal-text", text: text })),
  );
}

function render() {
  const box = byId("result");
  if (!shown) {
    fill(box);
    return;
  }
  if (shown.missing) {
    fill(
      box,
      el(
        "div",
        { cls: "certificate", attrs: { "data-result": "none" } },
        seal("none", t("verify.none", { code: shown.slip }), t("verify.noneText")),
      ),
    );
    return;
  }
  const data = shown.data;
  const report = data.report || {};
  const policy = shown.policy || { sections: [], tracks: [] };
  const valid = data.signature_valid === true;
  const sections = Object.entries(report.sections || {});
  const verdict = fmt.verdict(report.passed);
  const rows = sections.map(([id, s]) =>
    el(
      "tr",
      {},
      el("td", { text: `${id} — ${named(policy.sections, id)}` }),
      el("td", { cls: "num", text: fmt.score(s.score) }),
      el("td", { cls: "num", text: fmt.score(s.max) }),
      el("td", { cls: "num", text: s.threshold === null || s.threshold === undefined ? "—" : fmt.score(s.threshold) }),
      el(
        "td",
        {},
        s.passed === null || s.passed === undefined
          ? "—"
          : el("span", { cls: `badge badge-${s.passed ? "pass" : "fail"}`, text: fmt.verdict(s.passed).text }),
      ),
    ),
  );
  const reasons = (report.reasons || []).map((r) => el("li", { text: lang() === "en" ? r.en || r.id : r.id }));
  fill(
    box,
    el(
      "article",
      { cls: "certificate", attrs: { "data-result": valid ? "valid" : "invalid" } },
      valid
        ? seal("valid", t("verify.valid"), t("verify.validText"))
        : seal("invalid", t("verify.invalid"), t("verify.invalidText")),
      el(
        "div",
        { cls: "certificate-body" },
        el(
          "dl",
          { cls: "kv" },
          [
            ["verify.exam", data.exam],
            ["verify.session", data.session],
            ["verify.candidate", data.candidate],
            ["verify.track", named(policy.tracks, report.track)],
            ["verify.scored", fmt.dateTime(data.scored_ms)],
            ["verify.slip", data.slip],
          ].map(([k, v]) => [el("dt", { text: t(k) }), el("dd", { text: v })]),
        ),
        el(
          "table",
          { cls: "table" },
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              el("th", { text: t("verify.col.section") }),
              el("th", { cls: "num", text: t("verify.col.score") }),
              el("th", { cls: "num", text: t("verify.col.max") }),
              el("th", { cls: "num", text: t("verify.col.threshold") }),
              el("th", { text: t("verify.col.status") }),
            ),
          ),
          el("tbody", {}, rows),
          el(
            "tfoot",
            {},
            el(
              "tr",
              {},
              el("td", { text: t("common.total") }),
              el("td", { cls: "num", text: fmt.score(report.total) }),
              el("td", { cls: "num", text: fmt.score(report.max_total) }),
              el("td", {
                cls: "num",
                text: report.total_threshold === null || report.total_threshold === undefined ? "—" : fmt.score(report.total_threshold),
              }),
              el("td"),
            ),
          ),
        ),
        el(
          "div",
          { cls: "verdict-line" },
          el("strong", { text: t("verify.status") }),
          el("span", { cls: `badge badge-${verdict.cls}`, text: verdict.text }),
        ),
        reasons.length ? [el("h3", { text: t("verify.reasons") }), el("ul", { cls: "reasons" }, reasons)] : null,
        el("h3", { text: t("verify.signature") }),
        el("p", { cls: "signature", text: data.signature }),
      ),
    ),
  );
}

async function check(raw, { push = true } = {}) {
  const error = byId("verify-error");
  error.hidden = true;
  const slip = normalise(raw);
  if (!slip) {
    error.textContent = t("verify.badFormat");
    error.hidden = false;
    return;
  }
  byId("slip").value = slip;
  if (push && window.location.pathname !== `/verify/${slip}`) {
    window.history.pushState({ slip }, "", `/verify/${slip}`);
  }
  try {
    const data = await api(`/api/v1/public/verify/${seg(slip)}`);
    shown = { slip, data, policy: await policyOf(data.session) };
  } catch (err) {
    if (err.status === 404) {
      shown = { slip, missing: true };
    } else {
      shown = null;
      error.textContent = errorText(err);
      error.hidden = false;
    }
  }
  render();
}

function main() {
  initPage();
  byId("verify-form").addEventListener("submit", (event) => {
    event.preventDefault();
    check(byId("slip").value);
  });
  window.addEventListener("popstate", () => {
    const slip = pathPart("/verify/");
    if (slip) check(slip, { push: false });
    else {
      shown = null;
      render();
    }
  });
  document.addEventListener("langchange", render);
  const slip = pathPart("/verify/");
  if (slip) check(slip, { push: false });
  else byId("slip").focus();
}

main();
