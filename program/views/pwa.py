"""The service worker and the web app manifest: what lets a PP open the app
and write journals where the connection comes and goes.

The worker is served from the site root (not /static/) because a service
worker only controls pages under the path it is served from. Its source is
static/js/sw.js; this view prepends what only the server knows: the hashed
URLs of the app shell, the pages worth keeping offline, and a build version
that changes whenever any of those files change (which makes browsers install
the new worker and drop the old shell cache).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SW_SOURCE = "js/sw.js"
# Everything a journal page needs to render and work without a connection.
SHELL = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "js/app.js",
    "js/jurnal.js",
    "js/offline-store.js",
    "js/offline-app.js",
    "js/sesi-guard.js",
    "js/offline-dokumentasi.js",
    "img/ikon.svg",
)


def _read(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as fh:
        return fh.read()


def _build_worker() -> str:
    source = _read(SW_SOURCE)
    digest = hashlib.sha256(source)
    for path in SHELL:
        digest.update(_read(path))
    grid = reverse("pendampingan:beranda-pp")
    config = {
        "version": digest.hexdigest()[:16],
        "shell": [static(path) for path in SHELL],
        # Not static(""): the manifest storage of production has no entry for "".
        "staticPrefix": settings.STATIC_URL,
        # Only the PP's own grid and session (journal) pages are kept offline:
        # they are the pages worth having in a school without signal.
        "pagePatterns": ["^" + grid + "$", "^" + grid + r"cgp/\d+/pi/\d+/$"],
        "logoutPath": reverse("logout"),
        "offlineTitle": _("Offline"),
        "offlineText": _(
            "Anda sedang offline dan halaman ini belum tersimpan di perangkat. Buka "
            "halaman Pendampingan saat tersambung agar jurnal sesi Anda tersedia offline."
        ),
        "offlineLink": grid,
        "offlineLinkText": _("Ke halaman Pendampingan"),
    }
    return f"var CONFIG = {json.dumps(config)};\n" + source.decode("utf-8")


_cached_worker = lru_cache(maxsize=1)(_build_worker)


@require_GET
def service_worker(request):
    # While developing, static files change under the same name: rebuild.
    body = _build_worker() if settings.DEBUG else _cached_worker()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on navigation; never let a cache answer.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": _("Pendampingan Penggerak"),
        "short_name": _("Pendampingan"),
        "lang": "id",
        "start_url": reverse("beranda"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("img/ikon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
