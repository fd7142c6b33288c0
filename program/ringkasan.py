"""Region-wide overview numbers ("ringkasan"), cached for a few minutes.

The coordinator's region pages (the dashboard, the PMO table, JP, the komunitas
map) aggregate thousands of rows and render long tables; at national scale one
view costs ~100 ms of CPU (issue #9). Overview numbers may be a few minutes
old, as on any dashboard, as long as the page says so and offers a refresh:
so the page's heavy section (the aggregates and their tables) is rendered to
HTML once and kept in Django's cache (Redis in production, locmem embedded)
for ``settings.RINGKASAN_CACHE_SECONDS`` (0 turns caching off).

What a fragment may depend on is exactly its key, nothing else:

* the page's name;
* the scope: the sorted ids of the kabupaten/kota the user oversees
  (``program.access.kabupaten_visible_to``), or "semua" for operators. Pages
  whose scope is not the region alone (a coordinator who also facilitates sees
  their own JP; a school's head sees their school on the map) add the person,
  so that their fragments are never shared (see ``cakupan``);
* the validated filter (the page's cleaned values, never the raw query string);
* the active language, and ``FORMAT_VERSI`` (raise it when a fragment's
  template or context changes shape, so that old fragments are not reused).

So a fragment must hold nothing about the user beyond that: no CSRF token, no
name, no per-user link or form. Filters, downloads and other forms stay
outside it, in the page. Downloads, PDF and export jobs never read it.

``?segarkan=1`` on the page recomputes the fragment now and stores it.

The cache is a help, never a dependency: when it fails (Redis down or
refusing), the section is computed in the request as if nothing were cached,
and the failure is logged.

``nilai`` caches a plain value by the same rules, for the rare slow input a
page needs outside its section (the dashboard's filter choices).

The key is hashed (sha256) to stay short whatever the filter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from program import access

# Raise when a cached fragment's HTML or context changes shape.
FORMAT_VERSI = 2

PARAM_SEGARKAN = "segarkan"
T = TypeVar("T")
_PREFIX = "ringkasan:"
logger = logging.getLogger(__name__)


def cakupan(user, *, hanya_wilayah: bool = True) -> str:
    """What the user may see on a region page, as a key part.

    "semua" for operators; otherwise the sorted kabupaten/kota ids the user
    coordinates. Pages whose numbers are the region's alone (the dashboard and
    the PMO table cut every scope to the region) are shared by the region's
    coordinators. The others (JP, the komunitas map) also show what a user
    reads through other roles or ties (their own JP as a facilitator, a
    workshop they took part in, their school as its head): with
    ``hanya_wilayah=False`` the key adds the person, never shared.
    """
    if access.is_operator(user):
        return "semua"
    ids = sorted(access.kabupaten_visible_to(user).values_list("pk", flat=True))
    key = "kab:" + ",".join(str(pk) for pk in ids)
    if not hanya_wilayah:
        orang = access.orang_of(user)
        key += f"|orang:{orang.pk if orang is not None else '-'}|user:{user.pk}"
    return key


def nomor_halaman(request, param: str = "halaman") -> int:
    """The page number asked for, as a key part: a whole number from 1 (the
    paginator's get_page clamps it to the last page)."""
    try:
        return max(int(request.GET.get(param, 1)), 1)
    except (TypeError, ValueError):
        return 1


def cache_seconds() -> int:
    return int(getattr(settings, "RINGKASAN_CACHE_SECONDS", 0) or 0)


def _menit(seconds: int) -> int:
    return -(-seconds // 60) if seconds > 0 else 0


def _key(nama: str, cakupan: str, saringan: Mapping) -> str:
    raw = json.dumps(
        [
            FORMAT_VERSI,
            nama,
            cakupan,
            sorted((str(k), str(v)) for k, v in saringan.items() if v not in (None, "")),
            translation.get_language(),
        ],
        separators=(",", ":"),
    )
    return _PREFIX + hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Ringkasan:
    """A rendered section and when its numbers were computed."""

    html: SafeString
    dihitung: dt.datetime  # aware
    baru: bool  # computed in this request
    segarkan_url: str
    menit: int  # how old the numbers may be (0: never cached)

    @property
    def waktu(self) -> dt.datetime:
        """The computing time in the site's time zone."""
        return timezone.localtime(self.dihitung, ZoneInfo(settings.TIME_ZONE))

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _ambil(request, key: str, hitung: Callable[[], T]) -> tuple[T, dt.datetime, bool]:
    """(value, when computed, computed now): the cached value unless stale,
    turned off or refreshed (?segarkan=1); a computed one is stored."""
    seconds = cache_seconds()
    if seconds > 0 and request.GET.get(PARAM_SEGARKAN) != "1":
        try:
            stored = cache.get(key)
        except Exception:  # any cache failure: compute fresh
            logger.warning("ringkasan: cache tidak terjangkau, dihitung langsung", exc_info=True)
            stored = None
        if stored is not None:
            value, dihitung = stored
            return value, dihitung, False
    dihitung = timezone.now()
    value = hitung()
    if seconds > 0:
        try:
            cache.set(key, (value, dihitung), seconds)
        except Exception:  # any cache failure: the page still answers
            logger.warning("ringkasan: cache tidak terjangkau, tidak disimpan", exc_info=True)
    return value, dihitung, True


def ringkasan(
    request,
    nama: str,
    *,
    cakupan: str,
    saringan: Mapping,
    hitung: Callable[[], str],
) -> Ringkasan:
    """The section `nama` for this scope and filter: from the cache when fresh
    enough, else `hitung()` (the rendered HTML, rendered without the request),
    stored for next time.

    `saringan` is the validated filter (plus the page number, if any); the
    refresh link keeps it.
    """
    params = {k: v for k, v in saringan.items() if v not in (None, "")}
    html, dihitung, baru = _ambil(request, _key(nama, cakupan, params), lambda: str(hitung()))
    return Ringkasan(
        html=mark_safe(html),  # noqa: S308 - HTML we rendered ourselves
        dihitung=dihitung,
        baru=baru,
        segarkan_url=f"{request.path}?{urlencode({**params, PARAM_SEGARKAN: 1})}",
        menit=_menit(cache_seconds()),
    )


def nilai(request, nama: str, *, cakupan: str, hitung: Callable[[], T]) -> T:
    """A plain (picklable) value under the same rules, for what a page needs
    besides its section and is as slow: e.g. the dashboard's filter choices
    (the region's people), which are the same for everyone in the scope."""
    value, _dihitung, _baru = _ambil(request, _key(nama, cakupan, {}), hitung)
    return value
