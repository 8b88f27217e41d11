"""The pages as files and as HTTP replies: headers, no inline code, translations complete."""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cbt_server.services.audit import MILESTONES
from cbt_server.services.candidate_desk import INCIDENT_KINDS
from cbt_server.services.exam_setup import PRIVACY
from cbt_server.web.routes import CONTENT_SECURITY_POLICY, PAGES, STATIC_DIR
from tests.cbt_server.web.factories import sit

HTML_FILES = sorted(STATIC_DIR.glob("*.html"))
JS_FILES = sorted(STATIC_DIR.glob("js/*.js"))
PAGE_PATHS = [path.replace("{session}", "S1").replace("{slip}", "AAAA-BBBB-CCCC") for path in PAGES]


class Markup(HTMLParser):
    """What a page's markup contains that a strict CSP or the i18n table cares about."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[str] = []
        self.styles: list[str] = []
        self.inline_scripts = 0
        self.style_elements = 0
        self.assets: list[str] = []
        self.keys: set[str] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name == "style":
                self.styles.append(f"<{tag} style={value!r}>")
            if name.startswith("data-i18n") and value:
                self.keys.add(value)
            if name in ("src", "href") and value and value.startswith("/static/"):
                self.assets.append(value)
        if tag == "script":
            self._in_script = "src" not in named
        if tag == "style":
            self.style_elements += 1

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def _markup(path: Path) -> Markup:
    parser = Markup()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _strings(lang: str) -> dict[str, str]:
    """The i18n table of one language, read from i18n.js."""
    text = (STATIC_DIR / "js" / "i18n.js").read_text(encoding="utf-8")
    start = text.index(f"  {lang}: {{")
    end = text.index("\n  },", start)
    pairs = re.findall(r'^\s+"([\w.]+)":\s*\n?\s*"((?:[^"\\]|\\.)*)"', text[start:end], re.M)
    return dict(pairs)


def test_every_page_file_exists_and_every_asset_it_names_is_shipped() -> None:
    for name in set(PAGES.values()):
        assert (STATIC_DIR / name).is_file(), name
    for page in HTML_FILES:
        for asset in _markup(page).assets:
            assert (STATIC_DIR / asset.removeprefix("/static/")).is_file(), (page.name, asset)


@pytest.mark.parametrize("page", HTML_FILES, ids=lambda p: p.name)
def test_pages_have_no_inline_script_style_or_event_handler(page: Path) -> None:
    markup = _markup(page)
    assert markup.handlers == []
    assert markup.styles == []
    assert markup.inline_scripts == 0
    assert markup.style_elements == 0


@pytest.mark.parametrize("script", JS_FILES, ids=lambda p: p.name)
def test_scripts_never_insert_html_or_evaluate_strings(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        'setAttribute("on',
        "createContextualFragment",
        "DOMParser",
        ".onclick",
    ):
        assert sink not in text, f"{script.name} uses {sink}"


def test_both_languages_have_the_same_strings_and_every_key_used_exists() -> None:
    indonesian, english = _strings("id"), _strings("en")
    assert len(indonesian) > 300
    assert indonesian.keys() == english.keys()
    used: set[str] = set()
    for page in HTML_FILES:
        used |= _markup(page).keys
    for script in JS_FILES:
        used |= set(re.findall(r'\bt\("(\w+\.[\w.]+)"', script.read_text(encoding="utf-8")))
    assert used - indonesian.keys() == set()


def test_keys_built_from_server_values_exist() -> None:
    """States, kinds and settings named by the server have a label in both languages."""
    strings = _strings("id")
    names = [f"incident.{kind}" for kind in INCIDENT_KINDS]
    names += [f"live.privacy.{privacy}" for privacy in PRIVACY]
    names += [f"audit.mark.{event}" for event in MILESTONES]
    names += [f"state.{s}" for s in ("scheduled", "open", "running", "closed")]
    names += [f"status.{s}" for s in ("received", "reviewing", "closed")]
    names += [
        f"seat.{s}"
        for s in (
            "not_arrived",
            "logged_in",
            "answering",
            "offline",
            "released",
            "locked",
            "submitted",
        )
    ]
    names += [
        f"event.{e}"
        for e in (
            "session_opened",
            "session_closed",
            "seat_released",
            "time_extended",
            "paused",
            "resumed",
            "station_locked",
            "unlock_code_issued",
            "force_submitted",
            "message_sent",
            "incident_recorded",
            "attempt_scored",
        )
    ]
    assert [n for n in names if n not in strings] == []


def test_pages_are_served_with_a_strict_policy(http) -> None:
    for path in PAGE_PATHS:
        r = http.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "default-src 'self'" in CONTENT_SECURITY_POLICY
        assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert '<html lang="id"' in r.text


def test_static_assets_are_served_locally_with_their_types(http) -> None:
    for path, kind in (
        ("/static/js/live.js", "text/javascript"),
        ("/static/css/display.css", "text/css"),
        ("/static/img/mark.svg", "image/svg+xml"),
    ):
        r = http.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith(kind)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert http.get("/static/../routes.py").status_code == 404
    for page in HTML_FILES:  # nothing from another origin
        assert not re.search(r"(src|href)=\"(https?:)?//", page.read_text(encoding="utf-8"))


def test_summaries_carry_the_board_without_rows(site, http) -> None:
    sit(http, site, "20260001", ability=0.9)
    live = http.get("/api/v1/public/sessions/S1/live").json()
    summary = http.get("/api/v1/public/sessions/S1/summary").json()
    assert "rows" not in summary
    assert summary["counters"] == live["counters"]
    assert summary["counters"]["finished"] == 1
    assert summary["audit_head"]["seq"] >= live["audit_head"]["seq"]
    for key in ("code", "exam", "room", "site", "state", "privacy", "ends_ms", "remaining_s"):
        assert summary[key] == live[key], key
    assert live["ranking"] == ["total", "TKP", "TIU", "TWK"]
    assert live["sections"][0]["name_en"] == "National Insight Test"
    whole_site = http.get("/api/v1/public/site/summary").json()
    assert [s["code"] for s in whole_site["sessions"]] == ["S1"]
    assert "rows" not in json.dumps(whole_site)
    assert http.get("/api/v1/public/sessions/NOPE/summary").status_code == 404


def test_the_package_ships_every_static_file() -> None:
    config = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text("utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["cbt_server"]
    package = STATIC_DIR.parents[1]
    shipped = {p for g in globs for p in package.glob(g) if p.is_file()}
    on_disk = {p for p in STATIC_DIR.rglob("*") if p.is_file()}
    assert on_disk
    assert on_disk <= shipped
