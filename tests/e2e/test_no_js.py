"""The main forms work with JavaScript switched off (an old phone, a blocked
script, a page still loading on a weak link): they post normally and land on
a page that says what happened.

Runs at the phone viewport only: that is where the folded menu would need
JavaScript, and the desktop layout adds nothing here.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lokakarya.models import Kehadiran, Peserta
from pendampingan.models import SesiPI
from program import jobs
from program.models import Job
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORTS
from tests.e2e.test_journeys import expect_message, indonesian, log_in, menu


@pytest.fixture
def page(browser, live_server, e2e_demo):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS["phone"],
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        java_script_enabled=False,
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def test_pp_journal_and_pdf_job_without_js(page: Page, monkeypatch):
    cgp = "Junaidi Hamzani, S.Pd"
    sesi = SesiPI.objects.get(penugasan__cgp__nama=cgp, urutan=2)
    log_in(page, "pp1")
    # Bootstrap cannot unfold the phone menu without scripts: it is shown open.
    expect(page.get_by_role("button", name="Buka menu")).to_be_hidden()
    menu(page, "Pendampingan")
    page.locator(".pi-row").filter(has_text=cgp).get_by_role("listitem").filter(
        has_text="PI 2"
    ).click()
    expect(page).to_have_title(re.compile(f"PI 2 — {re.escape(cgp)}"))

    # Schedule (a crispy form).
    tanggal = timezone.localdate() + dt.timedelta(days=5)
    jadwal = page.locator("#jadwal")
    jadwal.get_by_label("Tanggal").fill(tanggal.isoformat())
    jadwal.get_by_label("Jam mulai").fill("09:30")
    jadwal.get_by_label("Moda").select_option(label="Luring (tatap muka)")
    jadwal.get_by_label("Tempat").fill("Perpustakaan SMP Negeri 4 Jerowaru")
    jadwal.get_by_role("button", name="Simpan jadwal").click()
    expect_message(page, "Jadwal tersimpan. CGP dapat melihatnya.")
    expect(page.locator("#jadwal")).to_contain_text(f"Terjadwal {indonesian(tanggal)} 09:30")

    # The journal: "Simpan draf" posts the form (no autosave without JS).
    teks = "Tanpa JavaScript: CGP memaparkan rencana kesepakatan kelas."
    page.locator("#jurnal-form textarea").first.fill(teks)
    page.get_by_label("Yang sudah baik").fill("Rencana disusun bersama murid.")
    page.get_by_role("button", name="Simpan draf").click()
    expect_message(page, "Draf jurnal tersimpan")
    expect(page.locator("#jurnal-form textarea").first).to_have_value(teks)
    expect(page.get_by_label("Yang sudah baik")).to_have_value("Rencana disusun bersama murid.")

    page.get_by_role("button", name="Ajukan jurnal").click()
    expect_message(page, "Jurnal diajukan dan dikunci. CGP kini dapat membacanya.")
    expect(page.locator("#jurnal")).to_contain_text(teks)
    expect(page.locator("#jurnal-form")).to_have_count(0)

    # A job whose worker has not picked it up yet: the job page reloads itself
    # (<meta http-equiv=refresh> inside <noscript>) until the file is there.
    monkeypatch.setattr(jobs, "job_send", lambda job_id: False)
    page.get_by_role("button", name="Unduh PDF").click()
    expect(page.locator("#job-status")).to_have_text("Dalam antrean")
    expect(page.get_by_role("progressbar", name="Kemajuan")).to_be_visible()
    expect(page.get_by_role("link", name="Muat ulang halaman ini")).to_be_visible()
    expect(page.locator("#job-download")).to_be_hidden()
    job = Job.objects.get(requested_by__username="pp1", params__sesi=sesi.pk)
    jobs.job_run(job.pk)  # the worker, late
    expect(page.locator("#job-status")).to_have_text("Selesai")
    expect(page.locator("#job-download")).to_be_visible()
    expect(page.get_by_role("link", name="Muat ulang halaman ini")).to_have_count(0)
    with page.expect_download() as info:
        page.locator("#job-download").click()
    assert info.value.suggested_filename.endswith(".pdf")


def test_pmo_status_change_without_js(page: Page):
    aktivitas = "Jadwal belajar bersama setiap Kamis"
    log_in(page, "ks1")
    menu(page, "PMO")
    page.locator("#sekolah-pmo").get_by_role("link", name="SMA Negeri 1 Selong").click()
    page.locator("#tabel-tindak-lanjut").get_by_role("link", name=aktivitas).click()
    expect(page.locator("#status-sekarang")).to_have_text("Berjalan")
    ubah = page.locator("#ubah-status")
    ubah.get_by_label("Status baru").select_option(label="Terkendala")
    ubah.get_by_label("Alasan perubahan").fill("Dua guru mengikuti pelatihan di luar daerah.")
    ubah.get_by_role("button", name="Ubah status").click()
    expect_message(page, "Status diubah menjadi “Terkendala”.")
    expect(page.locator("#status-sekarang")).to_have_text("Terkendala")
    expect(page.locator("#linimasa-status li").last).to_contain_text("Berjalan → Terkendala")


def test_lokakarya_attendance_without_js(page: Page):
    absent = (
        Peserta.objects.filter(
            lokakarya__fasilitator__user__username="fasilitator1",
            kehadiran=Kehadiran.TIDAK_HADIR,
        )
        .select_related("orang", "lokakarya")
        .first()
    )
    assert absent is not None
    log_in(page, "fasilitator1")
    menu(page, "Lokakarya")
    page.get_by_role("link", name=absent.lokakarya.nama).first.click()
    page.get_by_role("navigation", name="Menu lokakarya").get_by_role(
        "link", name="Presensi"
    ).click()
    rekap = page.locator("#rekap").inner_text()
    datang, total = (int(n) for n in re.findall(r"\d+", rekap)[:2])
    buttons = page.get_by_role("group", name=f"Kehadiran {absent.orang.nama}", exact=True)
    buttons.get_by_role("button", name="Hadir", exact=True).click()
    buttons = page.get_by_role("group", name=f"Kehadiran {absent.orang.nama}", exact=True)
    expect(buttons.get_by_role("button", name="Hadir", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#rekap")).to_contain_text(f"Hadir {datang + 1} dari {total} peserta")
