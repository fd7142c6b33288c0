"""What the four kinds of users do in a real browser, start to finish.

Every journey runs at a desktop and a phone viewport (see conftest) on the demo
population, and ends with a screenshot in docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.conf import settings
from django.utils import dateformat, timezone, translation
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from pendampingan.models import SesiPI

# --- helpers ----------------------------------------------------------------------


def log_in(page: Page, username: str) -> None:
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(getattr(settings, "DEMO_PASSWORD", "demo12345"))
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Selamat datang, "))).to_be_visible()


def menu(page: Page, name: str) -> None:
    """Follow a link of the top menu; on a phone the menu is folded behind a button."""
    toggler = page.get_by_role("button", name="Buka menu")
    if toggler.is_visible():
        toggler.click()
    page.locator("#nav").get_by_role("link", name=name, exact=True).click()


def log_out(page: Page) -> None:
    toggler = page.get_by_role("button", name="Buka menu")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("main .alert[role=status]").filter(has_text=text)).to_be_visible()


def indonesian(value: dt.date, fmt: str = "l, j F Y") -> str:
    with translation.override("id"):
        return dateformat.format(value, fmt)


def download_pdf_text(page: Page) -> str:
    """On a job page: wait for the download link, download, and return the PDF's text."""
    link = page.locator("#job-download")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        pages = PdfReader(io.BytesIO(fh.read())).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


# --- 1. PP: schedule, journal, RTL, photo, submit, PDF ------------------------------


def test_pp_journal(page: Page, screenshot, tmp_path):
    cgp = "Junaidi Hamzani, S.Pd"
    log_in(page, "pp1")
    menu(page, "Pendampingan")
    expect(page.get_by_role("heading", name="Pendampingan individu", exact=True)).to_be_visible()
    row = page.locator(".pi-row").filter(has_text=cgp)
    row.get_by_role("listitem").filter(has_text="PI 2").click()
    expect(page).to_have_title(re.compile(f"PI 2 — {re.escape(cgp)}"))

    # (Re)schedule: a luring session needs a place.
    tanggal = timezone.localdate() + dt.timedelta(days=3)
    jadwal = page.locator("#jadwal")
    jadwal.get_by_label("Tanggal").fill(tanggal.isoformat())
    jadwal.get_by_label("Jam mulai").fill("14:00")
    jadwal.get_by_label("Moda").select_option(label="Luring (tatap muka)")
    jadwal.get_by_label("Tempat").fill("Ruang guru SMP Negeri 4 Jerowaru")
    jadwal.get_by_role("button", name="Simpan jadwal").click()
    expect_message(page, "Jadwal tersimpan. CGP dapat melihatnya.")
    expect(page.locator("#jadwal")).to_contain_text(f"Terjadwal {indonesian(tanggal)} 14:00")

    # The journal saves itself while the PP types.
    teks = "CGP menceritakan kesepakatan kelas yang disusun bersama murid kelas VIII."
    first_step = page.locator("#jurnal-form textarea").first
    expect(first_step).to_have_attribute("name", re.compile(r"^langkah_\d+$"))
    first_step.fill(teks)
    status = page.locator("#autosave-status")
    expect(status).to_have_text(re.compile(r"^tersimpan \d{2}:\d{2}$"))
    saved_at = status.inner_text().removeprefix("tersimpan ")
    now = timezone.localtime()  # Asia/Jakarta, as the page shows it
    assert saved_at in {(now - dt.timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)}
    # Leaving the field saves once more; let that save land before this page is left.
    with page.expect_response(lambda r: r.url.endswith("/jurnal/autosave/") and r.ok):
        first_step.blur()
    expect(status).to_have_text(re.compile(r"^tersimpan \d{2}:\d{2}$"))

    # What was planned in PI 1 is marked here.
    rtl = page.locator("#rtl-sebelumnya")
    expect(rtl.locator(".card-header")).to_have_text("Tindak lanjut dari PI 1")
    marks = [
        ("Menyusun jurnal refleksi mingguan modul 1.1", "Terlaksana", "Jurnal minggu 1–4 ada."),
        ("Mengamati satu pembelajaran rekan sejawat", "Sebagian", "Baru satu kali."),
    ]
    for kegiatan, label, catatan in marks:
        item = page.locator("#rtl-sebelumnya li").filter(has_text=kegiatan)
        item.get_by_label("Status").select_option(label=label)
        item.get_by_label("Catatan", exact=True).fill(catatan)
        item.get_by_role("button", name="Simpan").click()
        expect_message(page, "Status tindak lanjut tersimpan.")
        item = page.locator("#rtl-sebelumnya li").filter(has_text=kegiatan)
        expect(item.locator(".badge")).to_have_text(label)
        expect(item.get_by_label("Catatan", exact=True)).to_have_value(catatan)
    # The autosaved text came back from the server after those page loads.
    expect(page.locator("#jurnal-form textarea").first).to_have_value(teks)

    # A photo of the session, with its thumbnail.
    foto = tmp_path / "sesi-pi2.jpg"
    Image.new("RGB", (800, 600), "#1565c0").save(foto, "JPEG")
    dokumentasi = page.locator("#dokumentasi")
    dokumentasi.get_by_label("Berkas").set_input_files(foto)
    dokumentasi.get_by_label("Jenis").select_option(label="Foto")
    dokumentasi.get_by_label("Keterangan").fill("Diskusi di ruang guru")
    dokumentasi.get_by_role("button", name="Unggah").click()
    expect_message(page, "Dokumentasi diunggah.")
    thumb = page.get_by_role("img", name="Diskusi di ruang guru")
    expect(thumb).to_be_visible()
    thumb.scroll_into_view_if_needed()  # it loads lazily
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )

    page.get_by_role("button", name="Ajukan jurnal").click()
    expect_message(page, "Jurnal diajukan dan dikunci. CGP kini dapat membacanya.")
    expect(page.locator("#jurnal")).to_contain_text(teks)
    expect(page.locator("#jurnal-form")).to_have_count(0)

    page.get_by_role("button", name="Unduh PDF").click()
    text = download_pdf_text(page)
    assert cgp in text
    assert teks in text
    screenshot(page, "pp-jurnal")


# --- 2. CGP: own sessions, confirmation, reading the journal -----------------------


def test_cgp_sessions(page: Page, screenshot):
    pi3 = SesiPI.objects.get(penugasan__cgp__user__username="cgp1", urutan=3)
    log_in(page, "cgp1")
    menu(page, "Sesi saya")
    expect(page.get_by_role("heading", name="Sesi pendampingan saya")).to_be_visible()

    sessions = page.locator("main .list-group > li")
    expect(sessions.filter(has_text="PI 3")).to_contain_text(
        f"{indonesian(pi3.tanggal)} 13:30 · Luring (tatap muka)"
    )

    pi2 = sessions.filter(has_text="PI 2")
    pi2.get_by_label("Komentar (opsional)").fill("Terima kasih, Pak. Sesi sangat membantu.")
    pi2.get_by_role("button", name="Konfirmasi sesi sudah berlangsung").click()
    expect_message(page, "Terima kasih, konfirmasi Anda tercatat.")
    pi2 = page.locator("main .list-group > li").filter(has_text="PI 2")
    expect(pi2).to_contain_text("Anda mengonfirmasi sesi ini pada")
    expect(pi2.get_by_role("button", name="Konfirmasi sesi sudah berlangsung")).to_have_count(0)

    page.locator("main .list-group > li").filter(has_text="PI 1").get_by_role(
        "link", name="Baca jurnal & RTL"
    ).click()
    expect(page).to_have_title(re.compile(r"^PI 1 — Rusdiana, S\.Pd"))
    jurnal = page.locator("section").filter(has_text="Jurnal pendampingan")
    expect(jurnal).to_contain_text("Diajukan")
    expect(jurnal).to_contain_text("CGP menyampaikan kemajuan dan hambatan.")
    expect(jurnal).to_contain_text(
        "CGP terbuka berbagi praktik dan sudah menyusun tujuan belajar yang jelas."
    )
    rtl = page.locator("section").filter(has_text="Rencana tindak lanjut")
    expect(rtl).to_contain_text("Menyusun jurnal refleksi mingguan modul 1.1")
    expect(page.get_by_role("link", name="Kembali ke sesi saya")).to_be_visible()
    screenshot(page, "cgp-sesi")


# --- 3. Fasilitator: a workshop from template to report -----------------------------


def test_fasilitator_workshop(page: Page, screenshot):
    nama = "Lokakarya 8 PSP: Komunitas Belajar 1 Selong"
    hari_ini = timezone.localdate().isoformat()
    log_in(page, "fasilitator1")
    menu(page, "Lokakarya")
    page.get_by_role("link", name="Lokakarya baru").click()
    page.get_by_label("Templat agenda").select_option(label="PSP · Komunitas Belajar 1 · luring")
    page.get_by_label("Nama lokakarya").fill(nama)
    page.get_by_label("Moda").select_option(label="Luring")
    page.get_by_label("Tanggal mulai").fill(hari_ini)
    page.get_by_label("Tanggal selesai").fill(hari_ini)
    page.get_by_label("Tempat").fill("Aula SMA Negeri 1 Selong")
    page.get_by_role("button", name="Buat lokakarya").click()
    expect_message(page, "Lokakarya dibuat. Tambahkan peserta dari sekolah dampingan.")

    # Participants: everyone offered from the facilitator's schools. A supervisor
    # of two of them is offered once per school; they are ticked once.
    tambah = page.locator("section").filter(has_text="Tambah dari sekolah dampingan")
    chosen: set[str] = set()
    for label in tambah.locator("label.form-check-label").all():
        orang = label.inner_text().split(" — ")[0]
        if orang not in chosen:
            label.click()
            chosen.add(orang)
    n = len(chosen)
    assert 4 <= n <= 40, n
    tambah.get_by_role("button", name="Tambahkan yang dipilih").click()
    expect_message(page, f"{n} peserta ditambahkan.")
    expect(page.locator("main .alert-danger")).to_have_count(0)
    expect(page.get_by_text(f"Peserta ({n} dari maksimal 40)")).to_be_visible()

    workshop_menu = page.get_by_role("navigation", name="Menu lokakarya")

    # Mixed groups: every participant in one of four groups.
    workshop_menu.get_by_role("link", name="Kelompok").click()
    page.get_by_label("Jumlah kelompok").fill("4")
    page.get_by_role("button", name="Buat kelompok campuran").click()
    campuran = page.locator("section#campuran")
    expect(campuran.locator(".card")).to_have_count(4)
    expect(campuran.locator(".card li")).to_have_count(n)
    expect(campuran.get_by_text("Belum masuk kelompok")).to_have_count(0)

    # Run the first two stages.
    workshop_menu.get_by_role("link", name="Jalankan").click()
    sekarang = page.locator("#sekarang")
    for _ in range(2):
        sekarang.get_by_role("button", name="Mulai", exact=True).click()
        expect(sekarang.get_by_text("Berjalan", exact=True)).to_be_visible()
        expect(page.locator("#hitung-mundur")).to_contain_text("Sisa waktu")
        sekarang.get_by_role("button", name="Selesai", exact=True).click()
    expect(page.locator("#waktu")).to_contain_text(re.compile(r"\b2 dari \d+ tahap selesai"))
    expect(sekarang).to_contain_text("Tahap 3 dari")

    # Attendance: one tap per participant; the last one came late.
    workshop_menu.get_by_role("link", name="Presensi").click()
    names = page.locator("#daftar li[id^=peserta-] .fw-semibold").all_inner_texts()
    assert len(names) == n
    for i, orang in enumerate(names):
        choice = "Terlambat" if i == n - 1 else "Hadir"
        buttons = page.get_by_role("group", name=f"Kehadiran {orang}", exact=True)
        buttons.get_by_role("button", name=choice, exact=True).click()
        expect(buttons.get_by_role("button", name=choice, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("#rekap")).to_have_text(f"Hadir {n} dari {n} peserta (100%)")

    # Pre/post scores for everyone.
    workshop_menu.get_by_role("link", name="Pre/post-test").click()
    names = page.locator("#nilai tbody tr td:nth-child(2) > div:first-child").all_inner_texts()
    assert len(names) == n
    for i, orang in enumerate(names):
        page.get_by_label(f"Pre-test {orang}", exact=True).fill(str(50 + i))
        page.get_by_label(f"Post-test {orang}", exact=True).fill(f"{70 + i},5")
    page.get_by_role("button", name="Simpan semua nilai").click()
    expect_message(page, f"Nilai {n} peserta tersimpan.")
    expect(page.locator("#kenaikan-rata")).to_have_text("+20,5")

    workshop_menu.get_by_role("button", name="Laporan PDF").click()
    text = download_pdf_text(page)
    assert nama in text
    screenshot(page, "fasilitator-lokakarya")


# --- 4. Kepala sekolah changes an action's status; the facilitator sees it ---------


def test_pmo_status_change(page: Page, screenshot):
    aktivitas = "Jadwal belajar bersama setiap Kamis"
    alasan = "Empat pertemuan Kamis terlaksana; semua guru mata pelajaran sudah berbagi."
    log_in(page, "ks1")
    menu(page, "PMO")
    page.locator("#sekolah-pmo").get_by_role("link", name="SMA Negeri 1 Selong").click()
    expect(page.get_by_role("heading", name="PMO SMA Negeri 1 Selong")).to_be_visible()
    page.locator("#tabel-tindak-lanjut").get_by_role("link", name=aktivitas).click()
    expect(page.get_by_role("heading", name=aktivitas)).to_be_visible()
    expect(page.locator("#status-sekarang")).to_have_text("Berjalan")

    ubah = page.locator("#ubah-status")
    status = ubah.get_by_label("Status baru")
    # Only the transitions allowed from "berjalan" are offered.
    expect(status.locator("option")).to_have_text(["Selesai", "Terkendala", "Dibatalkan"])
    status.select_option(label="Selesai")
    ubah.get_by_label("Alasan perubahan").fill(alasan)
    ubah.get_by_role("button", name="Ubah status").click()
    expect_message(page, "Status diubah menjadi “Selesai”.")
    expect(page.locator("#status-sekarang")).to_have_text("Selesai")
    expect(page.locator("#linimasa-status li").last).to_contain_text("Berjalan → Selesai")
    expect(page.locator("#linimasa-status")).to_contain_text(alasan)
    log_out(page)

    log_in(page, "fasilitator1")
    menu(page, "PMO")
    page.locator("#sekolah-pmo").get_by_role("link", name="SMA Negeri 1 Selong").click()
    page.get_by_role("link", name="Perubahan sejak bulan lalu").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Sejak bulan lalu: "))).to_be_visible()
    card = page.locator("main section.card").filter(
        has=page.get_by_role("link", name=aktivitas, exact=True)
    )
    expect(card.locator(".status-lalu")).to_have_text("Berjalan")
    expect(card.locator(".status-kini")).to_have_text("Selesai")
    change = card.locator(".perubahan-bulan-ini li").filter(has_text=alasan)
    expect(change).to_contain_text("Berjalan → Selesai")
    expect(change).to_contain_text("H. Lalu Suparman, S.Pd., M.M")
    expect(change).to_contain_text(f"Alasan: {alasan}")
    card.scroll_into_view_if_needed()
    screenshot(page, "pmo-status")
