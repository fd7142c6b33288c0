"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's
live_server, on the documented demo population.

Each journey runs twice, at a desktop and at a phone viewport, and leaves a
screenshot of its final state in var/screenshots/ (docs/screenshots/ with `make screenshots`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import require, restore_demo

CHROMIUM = "/usr/bin/chromium"
# No sandbox (root in containers) and nothing that phones home: these journeys
# must pass on a machine that reaches no network but the live server.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 360, "height": 740},
}
# Every run writes the final screens to var/screenshots (not tracked); `make
# screenshots` writes them to docs/screenshots, which the README shows.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "var" / "screenshots"
)
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all journeys.

    Playwright's sync API marks an asyncio loop as running in this thread for as
    long as it lives, so Django's ORM (seeding, flushing the transactional
    database) must be told that is fine here; the flag is lifted afterwards so
    the rest of the suite keeps Django's guard.
    """
    require(os.path.exists(CHROMIUM), "Chromium (Debian package chromium)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def e2e_demo(transactional_db):
    """The demo population, committed so that the live server's thread sees it."""
    restore_demo()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def page(browser, live_server, e2e_demo, viewport):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS[viewport],
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        accept_downloads=True,
        # Bootstrap scrolls smoothly to a #fragment unless motion is reduced, and
        # Playwright waits for a moving button to settle before clicking it.
        reduced_motion="reduce",
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    # Destructive buttons ask with window.confirm(); the journeys answer yes.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


@pytest.fixture
def screenshot(viewport):
    """Call at a journey's end: writes docs/screenshots/<journey>-<viewport>.png."""

    def take(page, journey: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{journey}-{viewport}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
