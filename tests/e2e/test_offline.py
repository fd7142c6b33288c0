"""Offline-first journaling in a real browser: a PP writes a journal while the
connection drops, reloads the page from the service worker's copy, and the
text reaches the server once when the connection returns.

Chromium's offline emulation (context.set_offline) also cuts the service
worker's own requests: a reload while offline is answered from its cache,
which the worker marks with the X-Offline-Cache header (checked below).
"""

from __future__ import annotations

import re

from PIL import Image
from playwright.sync_api import Page, Request, expect

from pendampingan.models import Dokumentasi, JurnalPendampingan, SesiPI
from pendampingan.services.jurnal import jurnal_draft_save_from_client
from tests.e2e.test_journeys import log_in, log_out, menu

OFFLINE = "Offline — tersimpan di perangkat ini, akan dikirim saat tersambung"
SAVED = re.compile(r"^tersimpan \d{2}:\d{2}$")


def open_draft_journal(page: Page) -> SesiPI:
    """Log in as pp1, open the grid (which makes the open journals available
    offline), then the first session whose journal is a draft."""
    log_in(page, "pp1")
    menu(page, "Pendampingan")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1")
    cell = page.locator('.pi-cell[data-keadaan="draf"]').first
    penugasan_pk, urutan = re.search(r"/cgp/(\d+)/pi/(\d)/$", cell.get_attribute("href")).groups()
    cell.click()
    expect(page.locator("#jurnal-form")).to_have_attribute("data-offline-ready", "1")
    return SesiPI.objects.get(penugasan_id=penugasan_pk, urutan=urutan)


def type_at_end(page: Page, text: str) -> None:
    field = page.locator("#id_catatan")
    field.click()
    page.keyboard.press("Control+End")
    field.press_sequentially(text)


def stored(sesi: SesiPI) -> JurnalPendampingan:
    return JurnalPendampingan.objects.get(sesi=sesi)


def test_journal_written_offline_reaches_the_server_once(page: Page, screenshot):
    sesi = open_draft_journal(page)
    before = stored(sesi)
    status = page.locator("#autosave-status")
    saves: list[Request] = []
    page.on(
        "request",
        lambda r: saves.append(r) if r.url.endswith("/jurnal/autosave/") else None,
    )

    typed = page.locator("#id_catatan").input_value()
    assert typed == before.catatan
    part1, part2, part3 = " Murid berdiskusi.", " Lalu sinyal hilang.", " Dilanjutkan di kelas."
    type_at_end(page, part1)
    typed += part1
    expect(status).to_have_text(SAVED)
    assert stored(sesi).catatan == typed

    page.context.set_offline(True)
    type_at_end(page, part2)
    typed += part2
    expect(status).to_have_text(OFFLINE)
    assert stored(sesi).catatan == typed.removesuffix(part2)  # nothing reached the server

    # The page opens again without a connection, from the service worker's copy,
    # with what was typed on this device.
    response = page.reload()
    assert response is not None and response.headers.get("x-offline-cache") == "1"
    expect(page.locator("#id_catatan")).to_have_value(typed)
    expect(status).to_have_text(OFFLINE)
    type_at_end(page, part3)
    typed += part3
    expect(status).to_have_text(OFFLINE)

    page.context.set_offline(False)
    expect(status).to_have_text(SAVED)
    after = stored(sesi)
    assert after.catatan == typed
    assert after.catatan.count(part2) == 1 and after.catatan.count(part3) == 1
    assert after.version > before.version
    expect(page.locator("#id_catatan")).to_have_value(typed)

    # Replaying any of those requests, exactly as sent, changes nothing.
    for request in (saves[0], saves[-1]):
        replay = page.request.post(
            request.url, headers=request.headers, data=request.post_data_buffer
        )
        assert replay.status == 200 and replay.json()["applied"] is False
    again = stored(sesi)
    assert (again.catatan, again.version) == (typed, after.version)
    screenshot(page, "pp-jurnal-offline")


def test_a_save_replayed_with_other_text_changes_nothing(page: Page):
    sesi = open_draft_journal(page)
    status = page.locator("#autosave-status")
    with page.expect_response(lambda r: r.url.endswith("/jurnal/autosave/")) as info:
        type_at_end(page, " Catatan pertama.")
    first = info.value
    expect(status).to_have_text(SAVED)
    saved = stored(sesi)

    # The same client id and sequence number, other text: an old request that
    # arrives late must not bring its text back.
    sent = first.request
    body = sent.post_data_buffer.replace(b" Catatan pertama.", b" Teks usang!!!!!")
    replay = page.request.post(sent.url, headers=sent.headers, data=body)
    assert replay.status == 200
    assert replay.json()["applied"] is False
    assert replay.json()["version"] == saved.version
    now = stored(sesi)
    assert (now.catatan, now.version) == (saved.catatan, saved.version)
    assert "Teks usang" not in now.catatan


def test_photo_chosen_offline_is_uploaded_when_back_online(page: Page, tmp_path):
    sesi = open_draft_journal(page)
    count = Dokumentasi.objects.filter(sesi=sesi).count()
    foto = tmp_path / "kelas-offline.jpg"
    Image.new("RGB", (640, 480), "#2e7d32").save(foto, "JPEG")

    page.context.set_offline(True)
    dokumentasi = page.locator("#dokumentasi")
    dokumentasi.get_by_label("Berkas").set_input_files(foto)
    dokumentasi.get_by_label("Jenis").select_option(label="Foto")
    dokumentasi.get_by_label("Keterangan").fill("Foto tanpa sinyal")
    dokumentasi.get_by_role("button", name="Unggah").click()
    queue = page.locator("#dokumentasi-antrian")
    expect(queue).to_be_visible()
    expect(queue.locator("li")).to_have_count(1)
    expect(queue.locator("li")).to_contain_text("kelas-offline.jpg")
    assert Dokumentasi.objects.filter(sesi=sesi).count() == count

    page.context.set_offline(False)
    expect(queue).to_be_hidden()
    expect(page.get_by_role("img", name="Foto tanpa sinyal")).to_be_visible()
    assert Dokumentasi.objects.filter(sesi=sesi).count() == count + 1


def test_a_change_from_another_device_shows_both_versions(page: Page):
    sesi = open_draft_journal(page)
    mine = page.locator("#id_catatan").input_value() + " Dari ponsel."
    # Meanwhile the PP's laptop saves the same journal.
    laptop = jurnal_draft_save_from_client(
        actor=sesi.penugasan.pp.user,
        sesi=sesi,
        expected_version=stored(sesi).version,
        data={"catatan": "Ditulis di laptop."},
        client_id="laptop-0123456789",
        seq=1,
    )
    type_at_end(page, " Dari ponsel.")
    conflict = page.locator("#jurnal-konflik")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".konflik-server")).to_have_text("Ditulis di laptop.")
    expect(conflict.locator(".konflik-saya")).to_have_text(mine)
    assert stored(sesi).catatan == "Ditulis di laptop."  # nothing overwritten

    conflict.get_by_role("button", name="Pakai teks saya").click()
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    after = stored(sesi)
    assert after.catatan == mine
    assert after.version == laptop.version + 1


def test_open_journals_of_the_grid_open_offline_until_logout(page: Page):
    log_in(page, "pp1")
    menu(page, "Pendampingan")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1")
    kept = page.locator('.pi-cell[data-keadaan="draf"], .pi-cell[data-keadaan="terjadwal"]')
    urls = [kept.nth(i).get_attribute("href") for i in range(kept.count())]
    closed = page.locator('.pi-cell[data-keadaan="selesai"]').first.get_attribute("href")
    assert urls

    # Never opened on this device, yet available offline: the grid asked for them.
    page.context.set_offline(True)
    for url in urls:
        response = page.goto(url)
        assert response.headers.get("x-offline-cache") == "1"
        expect(page.locator("#jurnal-form")).to_be_visible()
    # A submitted journal is not kept: the worker's offline page says why.
    response = page.goto(closed)
    assert response.status == 503
    expect(page.get_by_role("heading", name="Offline")).to_be_visible()
    expect(page.get_by_role("link", name="Ke halaman Pendampingan")).to_be_visible()

    page.context.set_offline(False)
    page.goto("/pendampingan/")
    log_out(page)
    assert not [n for n in page.evaluate("() => caches.keys()") if n.startswith("pages-")]
    page.context.set_offline(True)
    response = page.goto(urls[0])
    assert response.status == 503 and response.headers.get("x-offline-cache") is None
    expect(page.locator("#jurnal-form")).to_have_count(0)


def test_kept_pages_are_dropped_when_the_session_ended_without_logout(page: Page):
    """Issue 19 #6: cookies cleared (the session expired, or was ended on the
    server) while offline: a kept page no longer opens, and the device's copies
    are gone."""
    log_in(page, "pp1")
    menu(page, "Pendampingan")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1")
    kept = page.locator('.pi-cell[data-keadaan="draf"], .pi-cell[data-keadaan="terjadwal"]')
    url = kept.first.get_attribute("href")
    page.context.set_offline(True)
    response = page.goto(url)
    assert response.headers.get("x-offline-cache") == "1"  # kept, and shown while logged in
    expect(page.locator("#jurnal-form")).to_be_visible()

    page.context.clear_cookies()
    page.goto(url)

    expect(page.get_by_role("heading", name="Offline")).to_be_visible()
    expect(page.locator("#jurnal-form")).to_have_count(0)
    assert not [n for n in page.evaluate("() => caches.keys()") if n.startswith("pages-")]
    # Back online, the same address asks for a login.
    page.context.set_offline(False)
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/masuk/"))
