"""Offline-first journaling: autosaves from a tab that retries, replays and
reconnects are idempotent, and a real conflict is still a conflict."""

import json
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pendampingan import services
from pendampingan.models import JurnalKlien, JurnalPendampingan, SesiPI
from pendampingan.services.jurnal import jurnal_draft_save_from_client
from program.models import PenugasanPP
from tests.conftest import require, uses_postgres

TAB_A = "tab-a-0123456789"
TAB_B = "tab-b-0123456789"


def new_sesi(demo, urutan=4):
    penugasan = PenugasanPP.objects.get(cgp__user=demo["cgp1"])
    return services.sesi_get_or_create(actor=demo["pp1"], penugasan=penugasan, urutan=urutan)


def save(client, sesi, version, catatan, client_id=TAB_A, seq=None):
    data = {"version": version, "catatan": catatan}
    if client_id is not None:
        data["client_id"] = client_id
    if seq is not None:
        data["seq"] = seq
    return client.post(
        reverse("pendampingan:jurnal-autosave", args=[sesi.pk]),
        data,
        HTTP_X_REQUESTED_WITH="fetch",
    )


def stored(sesi) -> JurnalPendampingan:
    return JurnalPendampingan.objects.get(sesi=sesi)


def test_a_replayed_save_changes_nothing(client, demo):
    sesi = new_sesi(demo)
    client.force_login(demo["pp1"])
    first = save(client, sesi, 0, "Murid menyusun kesepakatan kelas.", seq=1)
    assert first.status_code == 200 and first.json()["applied"] is True
    history = stored(sesi).history.count()

    # The same request again (a retry after a lost response), even with other text.
    replay = save(client, sesi, 0, "Teks lain dari permintaan ulang.", seq=1)
    assert replay.status_code == 200
    assert replay.json() == {**first.json(), "applied": False}
    jurnal = stored(sesi)
    assert jurnal.catatan == "Murid menyusun kesepakatan kelas."
    assert jurnal.version == first.json()["version"]
    assert jurnal.history.count() == history  # nothing written, not even a history row
    assert JurnalPendampingan.objects.filter(sesi=sesi).count() == 1


def test_an_old_save_arriving_late_never_overwrites_newer_text(client, demo):
    sesi = new_sesi(demo)
    client.force_login(demo["pp1"])
    v1 = save(client, sesi, 0, "Satu", seq=1).json()["version"]
    v2 = save(client, sesi, v1, "Satu dua", seq=2).json()["version"]
    late = save(client, sesi, 0, "Satu", seq=1)  # delayed on a weak link
    assert late.status_code == 200
    assert late.json()["applied"] is False
    assert late.json()["version"] == v2
    assert stored(sesi).catatan == "Satu dua"
    assert stored(sesi).version == v2


def test_a_tab_that_missed_its_own_responses_is_not_in_conflict(client, demo):
    """The request landed, the response was lost offline: the tab's next save is
    still based on the version before; nobody else wrote, so it is applied."""
    sesi = new_sesi(demo)
    client.force_login(demo["pp1"])
    v1 = save(client, sesi, 0, "Pagi", seq=1).json()["version"]
    lost = save(client, sesi, v1, "Pagi ini", seq=2)  # its response never arrived
    assert lost.status_code == 200
    behind = save(client, sesi, v1, "Pagi ini murid", seq=3)
    assert behind.status_code == 200 and behind.json()["applied"] is True
    assert behind.json()["version"] == v1 + 2
    assert stored(sesi).catatan == "Pagi ini murid"


def test_another_device_based_on_an_older_version_is_a_conflict_showing_both(client, demo):
    sesi = new_sesi(demo)
    client.force_login(demo["pp1"])
    v1 = save(client, sesi, 0, "Dari ponsel", client_id=TAB_A, seq=1).json()["version"]
    save(client, sesi, v1, "Dari ponsel, lanjut", client_id=TAB_A, seq=2)
    laptop = save(client, sesi, v1, "Dari laptop", client_id=TAB_B, seq=1)
    assert laptop.status_code == 409
    body = laptop.json()
    assert body["error"] == "conflict"
    assert body["current"]["catatan"] == "Dari ponsel, lanjut"
    assert body["version"] == v1 + 1
    assert stored(sesi).catatan == "Dari ponsel, lanjut"
    # The refused save was not recorded: once based on the current version it goes in.
    retry = save(client, sesi, body["version"], "Dari laptop", client_id=TAB_B, seq=2)
    assert retry.status_code == 200 and stored(sesi).catatan == "Dari laptop"


def test_a_tab_behind_itself_conflicts_once_someone_else_wrote(client, demo):
    sesi = new_sesi(demo)
    client.force_login(demo["pp1"])
    v1 = save(client, sesi, 0, "A1", client_id=TAB_A, seq=1).json()["version"]
    v2 = save(client, sesi, v1, "A2", client_id=TAB_A, seq=2).json()["version"]
    assert save(client, sesi, v2, "B1", client_id=TAB_B, seq=1).status_code == 200
    # Tab A never saw v2's response and still sends based on v1.
    stale = save(client, sesi, v1, "A3", client_id=TAB_A, seq=3)
    assert stale.status_code == 409
    assert stored(sesi).catatan == "B1"


def test_sequence_numbers_are_kept_per_journal(client, demo):
    one, two = new_sesi(demo, 4), new_sesi(demo, 5)
    client.force_login(demo["pp1"])
    save(client, one, 0, "Jurnal PI 4", seq=7)
    first_of_two = save(client, two, 0, "Jurnal PI 5", seq=3)  # lower seq, other journal
    assert first_of_two.json()["applied"] is True
    assert stored(two).catatan == "Jurnal PI 5"
    assert JurnalKlien.objects.get(jurnal=stored(one), client_id=TAB_A).seq == 7


def test_without_a_client_id_the_save_is_the_plain_versioned_one(client, demo):
    sesi = new_sesi(demo)
    client.force_login(demo["pp1"])
    v1 = save(client, sesi, 0, "Tanpa JavaScript", client_id=None).json()["version"]
    save(client, sesi, v1, "Versi baru", client_id=None)
    # A malformed id is ignored rather than trusted: the stale save is a conflict.
    assert save(client, sesi, v1, "Lama", client_id="x", seq=9).status_code == 409
    assert stored(sesi).catatan == "Versi baru"
    assert not JurnalKlien.objects.exists()


def test_a_submitted_journal_refuses_new_client_saves(client, demo):
    sesi = new_sesi(demo)
    SesiPI.objects.filter(pk=sesi.pk).update(tanggal=timezone.localdate())
    sesi.refresh_from_db()
    client.force_login(demo["pp1"])
    v1 = save(client, sesi, 0, "Selesai", seq=1).json()["version"]
    services.jurnal_submit(actor=demo["pp1"], sesi=sesi, expected_version=v1)
    locked = save(client, sesi, v1 + 1, "Sesudah diajukan", seq=2)
    assert locked.status_code == 400 and "terkunci" in locked.json()["message"]
    assert stored(sesi).catatan == "Selesai"


# --- service worker and manifest -------------------------------------------------------


def test_service_worker_is_served_from_the_root_with_the_app_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(body.split("\n", 1)[0].removeprefix("var CONFIG = ").rstrip(";"))
    assert "/static/js/jurnal.js" in config["shell"]
    assert "/static/vendor/bootstrap/bootstrap.min.css" in config["shell"]
    # Only the PP's grid and session pages are kept offline.
    pages = [re.compile(p) for p in config["pagePatterns"]]
    assert any(p.match("/pendampingan/cgp/12/pi/3/") for p in pages)
    assert not any(p.match("/pendampingan/sesi/12/") for p in pages)
    assert not any(p.match("/laporan/dasbor/") for p in pages)
    assert config["logoutPath"] == reverse("logout")
    assert 'addEventListener("fetch"' in body


def test_pages_link_the_manifest_and_register_the_worker(client, demo):
    client.force_login(demo["pp1"])
    page = client.get(reverse("pendampingan:beranda-pp"))
    html = page.content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert f'data-user="{demo["pp1"].pk}"' in html
    assert "worker-src 'self'" in page["Content-Security-Policy"]
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["name"] == "Pendampingan Penggerak"
    assert manifest.json()["start_url"] == "/"


# --- a retry racing its original (PostgreSQL: row locks) ------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_retry_racing_its_original_is_written_once(demo):
    require(uses_postgres(), "PostgreSQL (DATABASE_URL)")
    sesi = new_sesi(demo)
    start = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            start.wait(timeout=10)
            outcomes.append(
                jurnal_draft_save_from_client(
                    actor=demo["pp1"],
                    sesi=SesiPI.objects.get(pk=sesi.pk),
                    expected_version=0,
                    data={"catatan": "Dikirim dua kali oleh jaringan yang lemah."},
                    client_id=TAB_A,
                    seq=1,
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(o.applied for o in outcomes) == [False, True]
    jurnal = stored(sesi)
    assert jurnal.version == 1 and jurnal.history.count() == 1
    assert {o.version for o in outcomes} == {1}
