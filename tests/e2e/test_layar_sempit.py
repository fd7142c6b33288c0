"""At 360 px nothing is hidden (issue 17 §9): every page of the issue is
readable and operable on a phone without scrolling the page sideways.

Phone viewport only. On each page:

* the page itself never scrolls sideways;
* a table wider than its container scrolls inside a wrapper that says so
  ("Geser tabel ke samping …"), no column is hidden and no date is broken
  over two lines;
* on a workshop page the current tab is marked and every tab can be reached;
* on the dashboard the charts' legends lie inside the screen and their text is
  at least 12 px.

Each page leaves a screenshot (layar-sempit-<page>-phone.png).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lokakarya.models import Lokakarya
from pendampingan.models import JurnalPendampingan, StatusJurnal, TemplatPI
from program.models import Orang, PenugasanPP, Sekolah
from tests.e2e.test_journeys import log_in

MIN_FONT_PX = 12
HINT = "Geser tabel ke samping untuk melihat semua kolom"


@pytest.fixture
def viewport() -> str:
    """This module is about the phone: it overrides conftest's two viewports."""
    return "phone"


# --- what is measured on every page ---------------------------------------------------

_PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"

# Every visible table of the page's main content, and what is wrong with it.
_TABLE_PROBLEMS = r"""
() => {
  const visible = (el) => {
    const s = getComputedStyle(el);
    return el.getClientRects().length > 0 && s.visibility !== "hidden";
  };
  const name = (t) => t.id || (t.querySelector("th") || t).textContent.trim().slice(0, 30);
  const out = [];
  for (const t of document.querySelectorAll("main table")) {
    if (!visible(t)) continue;
    const wrap = t.closest(".table-responsive");
    const room = (wrap || t.parentElement).clientWidth;
    // A column hidden at this width (d-none d-md-table-cell and the like).
    for (const cell of t.querySelectorAll("th, td")) {
      if (getComputedStyle(cell).display === "none") {
        out.push(`${name(t)}: kolom tersembunyi “${cell.textContent.trim().slice(0, 20)}”`);
        break;
      }
    }
    if (t.offsetWidth <= room + 1) continue;
    if (!wrap || !["auto", "scroll"].includes(getComputedStyle(wrap).overflowX)) {
      out.push(`${name(t)}: ${t.offsetWidth}px dalam ${room}px, tanpa pembungkus gulir`);
      continue;
    }
    const hint = wrap.previousElementSibling;
    if (!hint || !hint.classList.contains("geser-petunjuk") || !visible(hint)) {
      out.push(`${name(t)}: bergulir (${t.offsetWidth}px dalam ${room}px) tanpa petunjuk`);
    }
  }
  return out;
}
"""

# A date written in a table cell ("5 Sep 2026", "12 Agustus 2026") that the
# browser broke over two lines.
_BROKEN_DATES = r"""
() => {
  const re = /\b\d{1,2} [A-Za-z]{3,9}\.? \d{4}\b/g;
  const out = [];
  for (const cell of document.querySelectorAll("main table td, main table th")) {
    if (cell.getClientRects().length === 0) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(re)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}
"""


_CHART_TEXT = r"""
() => {
  const out = {legends: [], small: []};
  for (const svg of document.querySelectorAll("main svg.grafik")) {
    if (svg.getClientRects().length === 0) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    // Clipped by a scrolling ancestor: what the eye sees is the intersection.
    let clip = {left: 0, right: window.innerWidth};
    for (let el = svg.parentElement; el; el = el.parentElement) {
      if (getComputedStyle(el).overflowX !== "visible") {
        const r = el.getBoundingClientRect();
        clip = {left: Math.max(clip.left, r.left), right: Math.min(clip.right, r.right)};
      }
    }
    for (const g of svg.querySelectorAll(".legenda")) {
      const r = g.getBoundingClientRect();
      out.legends.push({label: svg.getAttribute("aria-label"), left: r.left, right: r.right,
                        clipLeft: clip.left, clipRight: clip.right});
    }
    for (const t of svg.querySelectorAll("text")) {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < 11.95) out.small.push(`${t.textContent.slice(0, 20)}: ${px.toFixed(1)}px`);
    }
  }
  return out;
}
"""


def page_problems(page: Page) -> list[str]:
    """What is wrong with the page at this width (nothing, when all is well)."""
    problems = []
    overflow = page.evaluate(_PAGE_OVERFLOW)
    if overflow > 0:
        problems.append(f"the page scrolls {overflow}px sideways")
    problems += page.evaluate(_TABLE_PROBLEMS)
    problems += [f"date broken over two lines: {d}" for d in page.evaluate(_BROKEN_DATES)]
    problems += [
        f"chart text below {MIN_FONT_PX}px: {t}" for t in page.evaluate(_CHART_TEXT)["small"]
    ]
    # The hint speaks Indonesian and says what to do.
    for hint in page.locator(".geser-petunjuk:visible").all():
        if HINT not in hint.inner_text():
            problems.append(f"hint says {hint.inner_text()!r}")
    return problems


def check_page(page: Page, screenshot, name: str, problems: list[str] = ()) -> None:
    """Every check of this module on the page, all reported at once, then its screenshot."""
    screenshot(page, f"layar-sempit-{name}")
    problems = [*problems, *page_problems(page)]
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


# --- the workshop ----------------------------------------------------------------------

_TABS = "nav[aria-label='Menu lokakarya']"


def tab_problems(page: Page, path: str) -> list[str]:
    """The current tab is marked; every tab can be seen, the strip wrapped or
    scrolled, and a strip that scrolls says there is more."""
    problems = []
    strip = page.locator(_TABS)
    current = strip.locator("[aria-current='page']")
    if current.count() != 1:
        problems.append(f"{current.count()} tabs carry aria-current=page")
    elif current.get_attribute("href") != path or "active" not in current.get_attribute("class"):
        problems.append(f"the tab marked current is {current.get_attribute('href')}, not {path}")
    if strip.evaluate("s => s.scrollWidth > s.clientWidth + 1"):
        width = strip.evaluate("s => s.scrollWidth")
        hint = page.locator(".geser-petunjuk-tab")
        if not (hint.count() and hint.first.is_visible()):
            problems.append(f"the tab strip scrolls ({width}px) without a hint")
    width = page.viewport_size["width"]
    tabs = strip.locator(":scope > a, :scope > form button, :scope > button").all()
    if len(tabs) != 8:  # Agenda … Produk and "Laporan PDF", for the facilitator
        problems.append(f"{len(tabs)} tabs found")
    for tab in tabs:
        tab.scroll_into_view_if_needed()
        box, room = tab.bounding_box(), strip.bounding_box()
        inside = (
            box
            and box["width"] > 0
            and box["x"] >= 0
            and box["x"] + box["width"] <= min(width, room["x"] + room["width"]) + 0.5
            and room["x"] <= box["x"] + 0.5
        )
        if not inside:
            problems.append(f"tab {tab.inner_text()!r} cannot be seen")
    return problems


@pytest.fixture
def lokakarya() -> Lokakarya:
    return Lokakarya.objects.filter(fasilitator__user__username="fasilitator1").first()


@pytest.mark.parametrize(
    "tab",
    ["detail", "run", "peserta", "presensi", "kelompok", "nilai", "produk"],
)
def test_workshop_pages(page: Page, screenshot, lokakarya, tab):
    log_in(page, "fasilitator1")
    path = reverse(f"lokakarya:{tab}", args=[lokakarya.pk])
    page.goto(path)
    check_page(page, screenshot, f"lokakarya-{tab}", tab_problems(page, path))


def test_workshop_agenda_forms(page: Page, screenshot, lokakarya):
    """The agenda's "Aktual" column and the forms that add and edit a stage."""
    log_in(page, "fasilitator1")
    page.goto(f"/lokakarya/{lokakarya.pk}/")
    # The agenda fits the screen: "Aktual" is in sight without scrolling the table.
    aktual = page.locator("#agenda th").filter(has_text="Aktual").bounding_box()
    box = page.locator("#agenda .table-responsive").bounding_box()
    assert aktual["x"] + aktual["width"] <= box["x"] + box["width"] + 0.5, "“Aktual” is cut"
    page.locator("#tambah-tahap summary").click()
    form = page.locator("#tambah-tahap form")
    expect(form).to_be_visible()
    check_page(page, screenshot, "lokakarya-tambah-tahap")

    tahap = lokakarya.tahap.order_by("urutan").first()
    page.goto(f"/lokakarya/{lokakarya.pk}/agenda/{tahap.pk}/ubah/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, screenshot, "lokakarya-ubah-tahap")


def test_hand_added_participant_maybe_same(page: Page, screenshot, lokakarya):
    Orang.objects.create(nama="Siti Aminah, S.Pd", instansi="Dinas Pendidikan Lombok Timur")
    log_in(page, "fasilitator1")
    page.goto(f"/lokakarya/{lokakarya.pk}/peserta/")
    page.get_by_label("Nama lengkap dengan gelar").fill("Dra. SITI AMINAH")
    page.get_by_label("Instansi", exact=True).fill("Dinas Pendidikan Lombok Timur")
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.get_by_text("Mungkin sama dengan Siti Aminah, S.Pd")).to_be_visible()
    check_page(page, screenshot, "lokakarya-peserta-sama")


# --- PMO, the coordinator's dashboard ---------------------------------------------------


def test_pmo_actions(page: Page, screenshot):
    sekolah = Sekolah.objects.get(nama="SMA Negeri 1 Selong")
    log_in(page, "ks1")
    page.goto(f"/pmo/sekolah/{sekolah.pk}/")
    table = page.locator("#tabel-tindak-lanjut")
    expect(table).to_be_visible()
    headers = table.locator("thead th")
    expect(headers).to_have_text(
        ["Aktivitas", "Status", "Waktu", "Pihak terlibat", "Terakhir diperbarui"]
    )
    # Every column can be brought into view by scrolling the table.
    for th in headers.all():
        th.scroll_into_view_if_needed()
        box = th.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 0.5
    table.locator("thead th").first.scroll_into_view_if_needed()
    check_page(page, screenshot, "pmo-tindak-lanjut")


def test_dashboard(page: Page, screenshot):
    log_in(page, "koordinator1")
    page.goto("/laporan/dasbor/")
    expect(page.get_by_role("heading", name="Dasbor wilayah")).to_be_visible()
    charts = page.evaluate(_CHART_TEXT)
    problems = [] if charts["legends"] else ["no chart legend on the page"]
    width = page.viewport_size["width"]
    for legend in charts["legends"]:
        left, right = max(0, legend["clipLeft"]), min(width, legend["clipRight"])
        if legend["left"] < left - 0.5 or legend["right"] > right + 0.5:
            problems.append(f"legend of {legend['label']!r} clipped: {legend}")
    check_page(page, screenshot, "dasbor", problems)


# --- PI: the session page, the operator's templates -------------------------------------


def test_pi_session_pages(page: Page, screenshot):
    """A session being written (journal, schedule, WhatsApp) and one submitted
    (the "Salin ke LMS" block)."""
    jurnal = (
        JurnalPendampingan.objects.filter(
            sesi__penugasan__pp__user__username="pp1", status=StatusJurnal.DIAJUKAN
        )
        .select_related("sesi")
        .first()
    )
    assert jurnal is not None
    draf = (
        JurnalPendampingan.objects.filter(
            sesi__penugasan__pp__user__username="pp1",
            status=StatusJurnal.DRAF,
            sesi__tanggal__isnull=False,
        )
        .select_related("sesi")
        .first()
    )
    assert draf is not None
    log_in(page, "pp1")
    page.goto(f"/pendampingan/cgp/{draf.sesi.penugasan_id}/pi/{draf.sesi.urutan}/")
    expect(page.locator("#wa-undangan")).to_be_visible()
    check_page(page, screenshot, "pi-sesi-jurnal")
    page.goto(f"/pendampingan/cgp/{jurnal.sesi.penugasan_id}/pi/{jurnal.sesi.urutan}/")
    expect(page.get_by_text("Salin ke LMS").first).to_be_visible()
    check_page(page, screenshot, "pi-sesi-salin-lms")


def test_pi_templates(page: Page, screenshot):
    log_in(page, "operator1")
    page.goto("/pendampingan/templat/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, screenshot, "templat-pi")
    pi1 = TemplatPI.objects.get(versi__nama="PGP · 6 PI", urutan=1)
    page.goto(reverse("pendampingan:templat-apply", args=[pi1.pk]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, screenshot, "templat-pi-terapkan")
    page.goto(reverse("pendampingan:templat-edit", args=[pi1.pk]))
    expect(page.get_by_role("button", name="Simpan templat")).to_be_visible()
    check_page(page, screenshot, "templat-pi-ubah")
    page.goto(reverse("program:versi-list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Versi program")
    check_page(page, screenshot, "versi-program")
    page.get_by_role("link", name="Ubah nama, jumlah PI dan kalender").first.click()
    expect(page.get_by_role("button", name="Simpan versi")).to_be_visible()
    check_page(page, screenshot, "versi-program-ubah")


def test_balai_operator_import(page: Page, screenshot):
    """The import page as an operator of a Balai sees it: limited to NTB."""
    log_in(page, "operatorntb")
    page.goto(reverse("program:impor"))
    expect(page.locator("#cakupan-impor")).to_contain_text("Nusa Tenggara Barat")
    page.locator("#impor-sekolah details summary").click()
    check_page(page, screenshot, "impor-operator-balai")
    # A preview with a row outside the Balai: its error table at 360 px.
    page.locator("#impor-sekolah input[type=file]").set_input_files(
        files=[
            {
                "name": "sekolah.csv",
                "mimeType": "text/csv",
                "buffer": (
                    b"npsn,nama,jenjang,status,kode_kabupaten,alamat\n"
                    b"52019901,SD Negeri 9 Gerung,SD,negeri,5201,Gerung\n"
                    b"53109901,SD Uji Sikka,SD,negeri,5310,Maumere\n"
                ),
            }
        ]
    )
    page.locator("#impor-sekolah button[type=submit]").click()
    expect(page.locator("#galat")).to_contain_text("di luar Balai Guru Penggerak")
    check_page(page, screenshot, "impor-pratinjau-operator-balai")


def test_cgp_artefacts(page: Page, screenshot):
    penugasan = PenugasanPP.objects.get(cgp__user__username="cgp1", pp__user__username="pp1")
    log_in(page, "cgp1")
    page.goto(reverse("pendampingan:artefak-list", args=[penugasan.pk]))
    page.locator("#id_peta_posisi_diri-isi").fill(
        "Refleksi sudah baik; kolaborasi perlu ditingkatkan."
    )
    page.get_by_role("button", name="Simpan Peta posisi diri").click()
    expect(page.get_by_text("Peta posisi diri tersimpan.")).to_be_visible()
    check_page(page, screenshot, "artefak-cgp")
