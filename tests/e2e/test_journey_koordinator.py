"""Journey 5: a coordinator narrows the region dashboard, exports PI sessions as
XLSX, watches the job page finish and opens the file.

The demo population lives in one kabupaten; a second region with its own PP
pair is added so that "nothing from outside the region" can fail.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
from playwright.sync_api import Page, expect

from pendampingan.models import SesiPI
from program.models import KabupatenKota, Orang, PenugasanPP
from tests.e2e.test_journeys import log_in, menu
from tests.factories import PenugasanPPFactory, SekolahFactory

LUAR_WILAYAH_CGP = "Cgp Lombok Barat, S.Pd"


def _pair_outside_region() -> None:
    """A PP→CGP pair in Kabupaten Lombok Barat, outside koordinator1's region."""
    sekolah = SekolahFactory(
        nama="SMP Negeri 1 Gerung", kabupaten=KabupatenKota.objects.get(kode="5201")
    )
    pair = PenugasanPPFactory(sekolah=sekolah, cgp__nama=LUAR_WILAYAH_CGP)
    SesiPI.objects.create(penugasan=pair, urutan=1, tanggal=dt.date(2026, 9, 1))


def test_koordinator_dashboard_and_export(page: Page, screenshot):
    _pair_outside_region()
    wilayah = KabupatenKota.objects.get(kode="5203")
    in_region = PenugasanPP.objects.filter(sekolah__kabupaten=wilayah).select_related(
        "pp", "cgp", "sekolah"
    )
    pp_names = sorted({p.pp.nama for p in in_region})
    assert len(pp_names) >= 2, pp_names  # otherwise the filter below changes nothing
    pp1 = Orang.objects.get(user__username="pp1")

    log_in(page, "koordinator1")
    menu(page, "Dasbor")
    expect(page.get_by_role("heading", name="Dasbor wilayah")).to_be_visible()
    per_pp = page.locator("#tabel-pi-pp tbody th")
    expect(per_pp).to_have_text(pp_names)

    # A real filter: one PP. The page reloads with the filter in its URL.
    page.get_by_label("PP atau fasilitator").select_option(value=str(pp1.pk))
    page.get_by_role("button", name="Saring").click()
    expect(page).to_have_url(re.compile(rf"[?&]orang={pp1.pk}\b"))
    expect(per_pp).to_have_text([pp1.nama])
    expect(page.get_by_label("PP atau fasilitator")).to_have_value(str(pp1.pk))

    # Export every PI session of the region as XLSX.
    menu(page, "Ekspor")
    expect(page.get_by_role("heading", name="Ekspor data")).to_be_visible()
    page.get_by_label("XLSX (Excel, LibreOffice)").check()
    page.locator("#ekspor-sesi_pi").get_by_role("button", name="Ekspor").click()

    # The job page: a progress bar, then the download link (polled by job.js).
    expect(page.get_by_role("progressbar", name="Kemajuan")).to_be_visible()
    link = page.locator("#job-download")
    expect(link).to_be_visible()
    expect(page.locator("#job-status")).to_have_text("Selesai")
    expect(page.get_by_role("progressbar", name="Kemajuan")).to_have_attribute(
        "aria-valuenow", "100"
    )
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")

    # Playwright keeps the download without its extension, which openpyxl insists on.
    with open(download.path(), "rb") as fh:
        sheet = openpyxl.load_workbook(io.BytesIO(fh.read()), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, data = rows[0], rows[1:]
    col = {name: header.index(name) for name in ("Kabupaten/kota", "Pengajar Praktik", "CGP")}
    assert {"Sekolah", "PI ke-", "Status jurnal"} <= set(header)
    # One row per CGP × PI 1–6 of the region, and nothing else.
    assert len(data) == in_region.count() * 6
    assert {r[col["Kabupaten/kota"]] for r in data} == {wilayah.nama}
    exported = {(r[col["Pengajar Praktik"]], r[col["CGP"]]) for r in data}
    assert exported == {(p.pp.nama, p.cgp.nama) for p in in_region}
    assert (pp1.nama, "Rusdiana, S.Pd") in exported  # cgp1, as the README describes
    assert all(LUAR_WILAYAH_CGP not in r for r in data)
    screenshot(page, "koordinator-ekspor")
