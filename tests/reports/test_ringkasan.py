"""The region pages' cached numbers (program.ringkasan), as a coordinator
notices them: the time they were computed, a change that shows only after a
refresh or after the cache time, nobody seeing another region's numbers, and
the downloads staying fresh."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from komunitas.models import StatusTahap, TahapOptimalisasi
from pendampingan.models import JurnalPendampingan, StatusJurnal
from pmo.models import StatusTindakLanjut, TindakLanjut
from program.models import KabupatenKota, PenugasanWilayah
from reports.models import KegiatanProgram
from tests.factories import OrangFactory, UserFactory

DASBOR = reverse("reports:dasbor")
WILAYAH = reverse("pmo:wilayah")
JP = reverse("reports:jp")
PETA = reverse("komunitas:peta")
PAGES = (DASBOR, WILAYAH, JP, PETA)


@pytest.fixture(autouse=True)
def _five_minutes(settings):
    settings.RINGKASAN_CACHE_SECONDS = 300


@pytest.fixture
def lain(db, demo):
    """A coordinator of another region (Kabupaten Lombok Barat, 5201)."""
    orang = OrangFactory(user=UserFactory(username="koordinator-lobar"), nama="Koordinator Lobar")
    PenugasanWilayah.objects.create(orang=orang, kabupaten=KabupatenKota.objects.get(kode="5201"))
    return orang.user


def bagian(response) -> str:
    """The page's cached section, as it appears in the page."""
    assert response.status_code == 200
    html = response.context["ringkasan"].html
    assert html and html in response.content.decode()
    return html


def angka(response, label: str) -> str:
    """A number of the dashboard's top cards."""
    match = re.search(
        rf'<div class="small text-muted">{re.escape(label)}</div>\s*'
        r'<div class="fs-4 fw-semibold">([^<]*)</div>',
        response.content.decode(),
    )
    assert match, label
    return match.group(1)


def menunggu(client, params=None) -> str:
    return angka(client.get(DASBOR, params or {}), "Jurnal menunggu diajukan")


def ajukan_satu_jurnal() -> None:
    """A PP submits one of the region's draft journals that have content."""
    jurnal = next(
        j
        for j in JurnalPendampingan.objects.filter(
            status=StatusJurnal.DRAF, sesi__penugasan__sekolah__kabupaten__kode="5203"
        )
        if j.has_content
    )
    JurnalPendampingan.objects.filter(pk=jurnal.pk).update(status=StatusJurnal.DIAJUKAN)


def ubah_semua() -> None:
    """In koordinator1's region: a journal is submitted, an action is done,
    the JP plan changes, a komunitas stage is reached."""
    ajukan_satu_jurnal()
    TindakLanjut.objects.filter(aktivitas__startswith="Supervisi akademik").update(
        status=StatusTindakLanjut.SELESAI
    )
    KegiatanProgram.objects.update(jp=99)
    TahapOptimalisasi.objects.filter(sekolah__npsn="50203101", tahap=3).update(
        status=StatusTahap.TERCAPAI
    )


@contextmanager
def later(seconds: int):
    """The cache's clock `seconds` ahead (locmem, the test settings' cache);
    any other backend is emptied instead."""
    if isinstance(caches["default"], LocMemCache):
        now = time.time() + seconds
        with mock.patch(
            "django.core.cache.backends.locmem.time", SimpleNamespace(time=lambda: now)
        ):
            yield
    else:  # pragma: no cover
        cache.clear()
        yield


# --- what the coordinator sees ----------------------------------------------------------


def test_the_time_of_the_numbers_is_shown_with_a_refresh_link_keeping_the_filter(
    client, demo, settings
):
    client.force_login(demo["koordinator1"])
    jakarta = ZoneInfo("Asia/Jakarta")
    before = timezone.now().astimezone(jakarta)
    body = client.get(DASBOR, {"jenjang": "SMA"}).content.decode()
    after = timezone.now().astimezone(jakarta)
    shown = re.search(r"Angka per (\d\d\.\d\d)", body).group(1)
    assert shown in {f"{before:%H.%M}", f"{after:%H.%M}"}
    assert "diperbarui paling lama tiap 5 menit" in body
    link = re.search(r'<a href="([^"]*)"[^>]*>Perbarui sekarang</a>', body).group(1)
    assert link.startswith(DASBOR) and "jenjang=SMA" in link and "segarkan=1" in link

    # A cache time of ten minutes is said as such, on every page.
    settings.RINGKASAN_CACHE_SECONDS = 600
    for url in PAGES:
        body = client.get(url).content.decode()
        assert "Angka per " in body and "tiap 10 menit" in body, url


def test_a_change_shows_after_a_refresh_or_after_the_cache_time(client, demo):
    client.force_login(demo["koordinator1"])
    first = menunggu(client)
    ajukan_satu_jurnal()
    # Second visit: the numbers computed on the first.
    assert menunggu(client) == first
    # "Perbarui sekarang" recomputes them, and they stay so for the next visits.
    refreshed = menunggu(client, {"segarkan": 1})
    assert int(refreshed) == int(first) - 1
    assert menunggu(client) == refreshed

    ajukan_satu_jurnal()
    assert menunggu(client) == refreshed
    with later(299):
        assert menunggu(client) == refreshed
    with later(301):
        assert int(menunggu(client)) == int(refreshed) - 1


def test_pmo_table_jp_and_map_are_cached_and_refreshed_alike(client, demo):
    client.force_login(demo["koordinator1"])
    first = {url: bagian(client.get(url)) for url in PAGES[1:]}

    ubah_semua()

    for url, html in first.items():
        assert bagian(client.get(url)) == html, url
        assert bagian(client.get(url, {"segarkan": 1})) != html, url
    assert "99" in bagian(client.get(JP))
    peta = client.get(PETA).content.decode()
    assert 'data-status="tercapai" title="Tahap 3: Tercapai"' in peta


def test_zero_seconds_means_always_fresh(client, demo, settings):
    settings.RINGKASAN_CACHE_SECONDS = 0
    client.force_login(demo["koordinator1"])
    first = menunggu(client)
    ajukan_satu_jurnal()
    assert int(menunggu(client)) == int(first) - 1
    body = client.get(DASBOR).content.decode()
    assert "Angka per " in body and "Perbarui sekarang" not in body
    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        assert not [k for k in backend._cache if "ringkasan" in k]


# --- scope and filter ---------------------------------------------------------------------


def _fresh(client, user, url, params=None) -> str:
    """The section as computed right now for this user (nothing cached)."""
    with mock.patch("program.ringkasan.cache_seconds", return_value=0):
        client.force_login(user)
        return bagian(client.get(url, params or {}))


def test_coordinators_and_operators_never_see_each_others_numbers(client, demo, lain):
    client.force_login(demo["koordinator1"])
    cached = {url: bagian(client.get(url)) for url in PAGES}
    ubah_semua()  # the region's numbers change: for koordinator1, only after 5 minutes
    for url in PAGES:
        for user in (lain, demo["operator1"]):
            expected = _fresh(client, user, url)
            assert expected != cached[url], (url, user)
            client.force_login(user)
            for _visit in range(2):  # computed for them, then cached for them
                assert bagian(client.get(url)) == expected, (url, user)
        client.force_login(demo["koordinator1"])
        assert bagian(client.get(url)) == cached[url], url


@pytest.mark.parametrize(
    ("url", "usernames"), [(JP, ("fasilitator1", "fasilitator2")), (PETA, ("ks1", "ks2"))]
)
def test_people_outside_the_region_pages_get_their_own_numbers(client, demo, url, usernames):
    """JP and the map also show what one reads through one's own roles (a
    facilitator's own JP, a head's own school): never shared."""
    users = [demo[name] for name in usernames]
    expected = [_fresh(client, user, url) for user in users]
    assert expected[0] != expected[1]
    for _round in range(2):
        for user, html in zip(users, expected, strict=True):
            client.force_login(user)
            assert bagian(client.get(url)) == html, user


def test_another_coordinator_of_the_same_region_shares_the_numbers(client, demo):
    orang = OrangFactory(user=UserFactory(username="koordinator-kedua"))
    PenugasanWilayah.objects.create(orang=orang, kabupaten=KabupatenKota.objects.get(kode="5203"))
    client.force_login(demo["koordinator1"])
    first = menunggu(client)
    ajukan_satu_jurnal()
    client.force_login(orang.user)
    assert menunggu(client) == first


def test_each_filter_and_page_has_its_own_numbers(client, demo):
    user = demo["koordinator1"]
    kabupaten = KabupatenKota.objects.get(kode="5203").pk
    cases = [
        (DASBOR, {}),
        (DASBOR, {"jenjang": "SD"}),
        (DASBOR, {"kabupaten": kabupaten, "jenjang": "SMA"}),
        (DASBOR, {"orang": demo["pp1"].orang.pk}),
        (WILAYAH, {}),
        (WILAYAH, {"jenjang": "SD"}),
    ]
    expected = [_fresh(client, user, url, params) for url, params in cases]
    assert len(set(expected[:4])) == 4 and expected[4] != expected[5]
    cache.clear()
    client.force_login(user)
    for _round in range(2):
        for (url, params), html in zip(cases, expected, strict=True):
            assert bagian(client.get(url, params)) == html, (url, params)


def test_a_filter_value_outside_the_region_reads_the_regions_numbers(client, demo, lain):
    """A dropped (invalid) value is not part of the key: same numbers, no new entry."""
    client.force_login(lain)
    mine = bagian(client.get(DASBOR))
    other = KabupatenKota.objects.get(kode="5203").pk
    assert bagian(client.get(DASBOR, {"kabupaten": other})) == mine


# --- cost and freshness elsewhere ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "heavy_table"),
    [
        (DASBOR, "pendampingan_sesipi"),
        (WILAYAH, "pmo_tindaklanjut"),
        (JP, "pmo_forumpokja"),
        (PETA, "komunitas_tahapoptimalisasi"),
    ],
)
def test_a_cached_visit_runs_fewer_queries_and_none_of_the_aggregates(
    client, demo, url, heavy_table
):
    client.force_login(demo["koordinator1"])
    client.get(url, {"segarkan": 1})  # warms per-process caches (ContentType, …)
    with CaptureQueriesContext(connection) as miss:
        client.get(url, {"segarkan": 1})
    with CaptureQueriesContext(connection) as hit:
        client.get(url)
    assert any(heavy_table in q["sql"] for q in miss)
    assert not [q["sql"] for q in hit if heavy_table in q["sql"]]
    assert len(hit) < len(miss) and len(hit) <= 8, (len(miss), len(hit))


def test_downloads_are_computed_fresh(client, demo):
    client.force_login(demo["koordinator1"])
    first = menunggu(client)
    ajukan_satu_jurnal()
    assert menunggu(client) == first  # the page: cached
    response = client.get(reverse("reports:tabel-download", args=["pi-kabupaten", "csv"]))
    header, *rows = csv.reader(
        io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
    )
    column = header.index("Jurnal menunggu diajukan")
    assert sum(int(r[column]) for r in rows if r[column].isdigit()) == int(first) - 1


def test_the_escalation_list_is_never_cached(client, demo):
    client.force_login(demo["koordinator1"])
    url = reverse("pmo:eskalasi")
    assert "Supervisi akademik" in client.get(url).content.decode()
    TindakLanjut.objects.filter(aktivitas__startswith="Supervisi akademik").update(
        status=StatusTindakLanjut.SELESAI, diperbarui_at=timezone.now() - dt.timedelta(days=1)
    )
    assert "Supervisi akademik" not in client.get(url).content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_a_cache_that_is_down_leaves_the_pages_working_and_fresh(client, demo, settings, page):
    """Redis refusing connections: every region page still answers, computed
    in the request (the label shows it was computed now)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Port 9 (discard) is closed on loopback: every call fails at once.
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    client.force_login(demo["koordinator1"])
    for _ in range(2):
        response = client.get(page)
        assert response.status_code == 200
        assert response.context["ringkasan"].baru
        assert "Angka per" in response.content.decode()
