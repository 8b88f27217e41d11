// Home: links to the public pages and the list of sessions.

import { api, errorText, seg } from "./api.js";
import { byId, el, fill } from "./dom.js";
import * as fmt from "./format.js";
import { t } from "./i18n.js";
import { initPage } from "./page.js";

let sessions = null;

function render() {
  const box = byId("sessions");
  if (sessions === null) return;
  if (!sessions.length) {
    fill(box, el("p", { cls: "muted", text: t("home.noSessions") }));
    return;
  }
  fill(
    box,
    el(
      "ul",
      { cls: "session-list" },
      sessions.map((s) =>
        el(
          "li",
          {},
          el(
            "div",
            {},
            el("div", { cls: "session-name", text: `${s.code} — ${s.exam}` }),
            el("div", {
              cls: "muted small",
              text: `${s.site} · ${t("live.room")} ${s.room} · ${fmt.shortDateTime(s.starts_ms)} · ${t(`state.${s.state}`)}`,
            }),
          ),
          el(
            "div",
            { cls: "actions" },
            el("a", {
              cls: "btn btn-secondary btn-small",
              attrs: { href: `/live/${seg(s.code)}` },
              text: t("home.liveLink"),
            }),
            s.state === "closed"
              ? el("a", {
                  cls: "btn btn-small",
                  attrs: { href: `/results/${seg(s.code)}` },
                  text: t("home.resultsLink"),
                })
              : null,
          ),
        ),
      ),
    ),
  );
}

async function main() {
  initPage();
  document.addEventListener("langchange", render);
  try {
    sessions = await api("/api/v1/public/sessions");
    render();
  } catch (err) {
    fill(byId("sessions"), el("p", { cls: "form-error", text: errorText(err) }));
  }
}

main();
