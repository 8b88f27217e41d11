// What every public page does first: language, and which nav link is this page.

import { initLang } from "./i18n.js";

export function initPage() {
  initLang();
  const here = document.body.dataset.page;
  for (const link of document.querySelectorAll(".topnav a[data-nav]")) {
    if (link.dataset.nav === here) link.setAttribute("aria-current", "page");
  }
}
