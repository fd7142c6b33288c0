"""Page weight of the journal form, the page a PP opens most on a weak phone link.

Budget: at most 150 KB on the wire for a first visit with an empty cache, at
most 20 KB when the page is reloaded with a warm cache.

pytest's live_server serves /static/ through Django's finders (no compression,
no cache headers), which says nothing about production. This test therefore
serves the app the way production does: `collectstatic` with WhiteNoise's
CompressedManifestStaticFilesStorage into a temporary STATIC_ROOT, and a
server thread whose middleware (WhiteNoise included) is built after those
settings are in place, without the live server's static handler.

Bytes are counted where they leave the server (status line, headers and the
body as sent, i.e. compressed): that also counts what the service worker
fetches for itself, which the page's own DevTools network events do not see.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread
from playwright.sync_api import Page, expect

from pendampingan.models import SesiPI
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORTS

COLD_BUDGET = 150 * 1024
WARM_BUDGET = 20 * 1024
QUIET_SECONDS = 1.0  # no request for this long: the page and its worker are done


class Recorder:
    """Bytes the server sent, per request, and how many requests are open."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []
        self.open = 0
        self.last = time.monotonic()

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
        return sent

    def wait_quiet(self, timeout: float = TIMEOUT_MS / 1000) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.open == 0 and time.monotonic() - self.last > QUIET_SECONDS:
                    return
            time.sleep(0.1)
        raise TimeoutError("the server never went quiet")


def _counting_handler(recorder: Recorder):
    class Counting:
        """In place of the live server's static handler: everything goes to
        the app (so /static/ is answered by WhiteNoise, as in production),
        and every byte sent is recorded."""

        def __init__(self, application):
            self.application = application

        def __call__(self, environ, start_response) -> Iterator[bytes]:
            head = 0

            def counting_start(status, headers, exc_info=None):
                nonlocal head
                # "HTTP/1.1 <status>\r\n", "<name>: <value>\r\n" each, "\r\n".
                head = 9 + len(status) + 2 + sum(len(k) + len(v) + 4 for k, v in headers) + 2
                return start_response(status, headers, exc_info)

            with recorder.lock:
                recorder.open += 1
            body = self.application(environ, counting_start)
            size = 0
            try:
                for chunk in body:
                    size += len(chunk)
                    yield chunk
            finally:
                if hasattr(body, "close"):
                    body.close()
                with recorder.lock:
                    recorder.sent.append((environ["PATH_INFO"], head + size))
                    recorder.open -= 1
                    recorder.last = time.monotonic()

    return Counting


@pytest.fixture
def production_server(settings, tmp_path, transactional_db):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    # The admin's and import-export's assets are not on the measured page;
    # leaving them out keeps collectstatic (and its compression) short.
    with open(os.devnull, "w") as devnull:
        call_command(
            "collectstatic", "--no-input", "-i", "admin", "-i", "import_export", stdout=devnull
        )
    _forget_built_worker()
    # In-memory SQLite (local runs) is shared with the server thread, as
    # pytest-django's live_server does.
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    recorder = Recorder()
    thread = LiveServerThread(
        "127.0.0.1", _counting_handler(recorder), connections_override=shared, port=0
    )
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}", recorder
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()
    _forget_built_worker()


def _forget_built_worker() -> None:
    """The service worker's source embeds static URLs and is built once per
    process; built under this test's manifest storage it must not outlive it
    (nor may one built earlier under plain storage be served here)."""
    try:
        from program.views import pwa as views_pwa
    except ImportError:  # no service worker in this build
        return
    cached = getattr(views_pwa, "_cached_worker", None)
    if cached is not None:
        cached.cache_clear()


def _report(title: str, sent: list[tuple[str, int]]) -> str:
    total = sum(size for _path, size in sent)
    lines = [f"{title}: {total / 1024:.1f} KB in {len(sent)} responses"]
    for path, size in sorted(sent, key=lambda item: -item[1]):
        lines.append(f"  {size / 1024:7.1f} KB  {path}")
    return "\n".join(lines)


def _settle(page: Page, recorder: Recorder) -> None:
    """Wait until the page has loaded and a service worker, if the page
    registers one, is active (its install has fetched what it keeps)."""
    page.wait_for_load_state("load")
    page.evaluate(
        """() => ("serviceWorker" in navigator)
            ? navigator.serviceWorker.getRegistration()
                .then(r => r && navigator.serviceWorker.ready.then(() => true))
            : null"""
    )
    recorder.wait_quiet()


@pytest.fixture
def weight_page(browser, production_server, e2e_demo):
    base_url, recorder = production_server
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORTS["phone"],
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    yield page, base_url, recorder
    context.close()


def test_journal_form_page_weight(weight_page):
    page, base_url, recorder = weight_page
    # A PI whose journal is still a draft: the form with its scripts.
    sesi = SesiPI.objects.get(penugasan__cgp__nama="Junaidi Hamzani, S.Pd", urutan=2)
    # Logged in without visiting the login page, so that nothing is cached
    # yet: the first page this browser opens is the journal form.
    client = Client()
    client.force_login(sesi.penugasan.pp.user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    recorder.wait_quiet()
    recorder.take()

    page.goto(sesi.get_absolute_url())
    expect(page.locator("#jurnal-form")).to_be_visible()
    _settle(page, recorder)
    cold = recorder.take()

    page.reload()
    expect(page.locator("#jurnal-form")).to_be_visible()
    _settle(page, recorder)
    warm = recorder.take()

    print(_report("cold (first visit, empty cache)", cold))
    print(_report("warm (reload)", warm))
    static = [path for path, _size in cold if path.startswith("/static/")]
    assert static, _report("cold", cold)
    # Hashed names, which WhiteNoise lets browsers keep for good.
    assert all(re.search(r"\.[0-9a-f]{12}\.\w+$", path) for path in static), static
    # Warm: no static file is fetched again.
    assert not [path for path, _size in warm if path.startswith("/static/")], _report("warm", warm)
    assert sum(size for _path, size in cold) <= COLD_BUDGET, _report("cold", cold)
    assert sum(size for _path, size in warm) <= WARM_BUDGET, _report("warm", warm)
