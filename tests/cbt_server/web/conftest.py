"""Web pages against a real server on loopback, in the system's headless Chromium.

No browser is downloaded: Playwright drives Debian's /usr/bin/chromium. One
browser serves the whole test session; each test gets its own context (fresh
cookies and localStorage) and its own site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.live_server import LiveSite, live_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("the system Chromium (/usr/bin/chromium) is not installed")
    with sync_playwright() as playwright:
        found = launch(playwright)
        yield found
        found.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Pages in fresh contexts (Jakarta time, Indonesian locale); all closed afterwards."""
    contexts: list[BrowserContext] = []

    def make(width: int = 1366, height: int = 768) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="id-ID",
            timezone_id="Asia/Jakarta",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def site(tmp_path) -> Iterator[LiveSite]:
    with live_site(tmp_path, count=6) as found:
        yield found


@pytest.fixture
def http(site: LiveSite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.base_url, timeout=10) as client:
        yield client
