"""Self check-in codes are 6 characters: an account may try only so many."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from lokakarya.services.presensi import presensi_set_dibuka
from lokakarya.views.presensi import CHECK_IN_RATE

from .test_run_presensi import peserta_of

LIMIT = int(CHECK_IN_RATE.split("/")[0])


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def _wrong(workshop) -> str:
    return "ZZZZZ9" if workshop.kode_presensi != "ZZZZZ9" else "ZZZZZ8"


@pytest.mark.django_db
def test_after_ten_wrong_codes_even_the_right_one_waits(client, demo, workshop, monkeypatch):
    presensi_set_dibuka(actor=demo["fasilitator1"], lokakarya=workshop, dibuka=True)
    url = reverse("lokakarya:check-in")
    client.force_login(demo["ks1"])
    for _ in range(LIMIT):
        response = client.post(url, {"kode": _wrong(workshop)})
        assert response.status_code == 200
        assert "Kode presensi tidak dikenal." in response.content.decode()

    response = client.post(url, {"kode": workshop.kode_presensi})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan kode presensi. Tunggu 10 menit" in response.content.decode()
    assert peserta_of(workshop, demo["ks1"]).check_in_at is None

    # Another participant is not held up by ks1's tries.
    client.force_login(demo["cgp1"])
    assert client.post(url, {"kode": workshop.kode_presensi}).status_code == 302
    assert peserta_of(workshop, demo["cgp1"]).check_in_at is not None

    # Ten minutes later ks1 may try again.
    later = time.time() + 10 * 60 + 1
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: later)
    client.force_login(demo["ks1"])
    assert client.post(url, {"kode": workshop.kode_presensi}).status_code == 302
    assert peserta_of(workshop, demo["ks1"]).check_in_at is not None


@pytest.mark.django_db
def test_opening_the_check_in_page_is_not_counted(client, demo, workshop):
    presensi_set_dibuka(actor=demo["fasilitator1"], lokakarya=workshop, dibuka=True)
    url = reverse("lokakarya:check-in")
    client.force_login(demo["ks1"])
    for _ in range(LIMIT + 5):
        assert client.get(url, {"kode": workshop.kode_presensi}).status_code == 200
    assert client.post(url, {"kode": workshop.kode_presensi}).status_code == 302


@pytest.mark.django_db
def test_check_in_still_works_while_the_shared_cache_is_down(client, demo, workshop, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def cache_down(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("lokakarya.views.presensi.is_ratelimited", cache_down)
    presensi_set_dibuka(actor=demo["fasilitator1"], lokakarya=workshop, dibuka=True)
    client.force_login(demo["ks1"])
    response = client.post(reverse("lokakarya:check-in"), {"kode": workshop.kode_presensi})
    assert response.status_code == 302
    assert peserta_of(workshop, demo["ks1"]).check_in_at is not None
