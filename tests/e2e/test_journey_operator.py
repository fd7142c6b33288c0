"""Journey 6: an operator imports a people spreadsheet with one bad row, reads
the preview's complaint, fixes the file, imports it and finds the new person.
"""

from __future__ import annotations

import openpyxl
from playwright.sync_api import Page, expect

from program.imports import JENIS
from program.models import Orang, Sekolah
from tests.e2e.test_journeys import expect_message, log_in, menu

BARU = "Baiq Hirniwati, S.Pd"
NIP_BARU = "198906142015032004"


def _people_xlsx(path, *, nip_baru: str) -> None:
    """The operator's spreadsheet, in the column order of the import template."""
    sekolah = Sekolah.objects.get(npsn="50203101")
    kolom = JENIS["orang"].nama_kolom
    rows = [
        {"nama": "Ramli Hidayat, S.Pd", "nip": "198402022009011005", "username": "ramli.hidayat",
         "peran": "guru", "npsn": sekolah.npsn},
        {"nama": BARU, "nip": nip_baru, "email": "hirniwati@example.com", "peran": "guru",
         "npsn": sekolah.npsn},
    ]  # fmt: skip
    wb = openpyxl.Workbook()
    wb.active.append(kolom)
    for row in rows:
        wb.active.append([row.get(k, "") for k in kolom])
    wb.save(path)


def test_operator_imports_people(page: Page, screenshot, tmp_path):
    bad, good = tmp_path / "orang-salah.xlsx", tmp_path / "orang.xlsx"
    _people_xlsx(bad, nip_baru=NIP_BARU[:-1])  # 17 digits: a typo
    _people_xlsx(good, nip_baru=NIP_BARU)

    log_in(page, "operator1")
    menu(page, "Impor data")
    expect(page.get_by_role("heading", name="Impor data induk")).to_be_visible()
    bagian = page.locator("#impor-orang")
    bagian.get_by_label("Berkas XLSX atau CSV (UTF-8)").set_input_files(bad)
    bagian.get_by_role("button", name="Pratinjau").click()

    # The preview names the bad row (row 3: the header is row 1) and why, and
    # offers nothing to apply.
    expect(page.get_by_role("heading", name="Pratinjau impor Orang dan peran")).to_be_visible()
    galat = page.locator("#galat")
    expect(galat).to_contain_text("Ditemukan 1 galat. Tidak ada yang disimpan")
    baris = galat.locator("tbody tr")
    expect(baris).to_have_count(1)
    expect(baris.locator("td").nth(0)).to_have_text("3")
    expect(baris.locator("td").nth(1)).to_have_text("nip")
    expect(baris.locator("td").nth(2)).to_have_text(
        f"NIP “{NIP_BARU[:-1]}” tidak valid: harus 18 angka."
    )
    expect(page.get_by_role("button", name="Terapkan impor")).to_have_count(0)
    assert not Orang.objects.filter(nama__in=[BARU, "Ramli Hidayat, S.Pd"]).exists()

    # The fixed file, uploaded from the same page.
    page.get_by_label("Berkas XLSX atau CSV (UTF-8)").set_input_files(good)
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator("#galat")).to_have_count(0)
    expect(page.locator("#ringkasan")).to_contain_text("0 baris bergalat")
    expect(page.locator("#baris tbody tr").filter(has_text=BARU)).to_contain_text("baru")
    page.get_by_role("button", name="Terapkan impor").click()
    expect_message(page, "Impor Orang dan peran diterapkan: 2 baru, 0 berubah, 0 tidak berubah.")
    baru = Orang.objects.get(nama=BARU)  # exactly one, with the corrected NIP
    assert baru.nip == NIP_BARU
    assert Orang.objects.filter(nama="Ramli Hidayat, S.Pd").count() == 1

    # The new teacher is listed at the school, with the NIP from the file.
    menu(page, "Sekolah")
    page.get_by_role("link", name="SMA Negeri 1 Selong").click()
    orang = page.locator("main .list-group-item").filter(has_text=BARU)
    expect(orang).to_contain_text("Guru")
    orang.get_by_role("link", name=BARU).click()
    expect(page.get_by_role("heading", name=BARU)).to_be_visible()
    expect(page.locator("main")).to_contain_text(NIP_BARU)
    screenshot(page, "operator-impor")
