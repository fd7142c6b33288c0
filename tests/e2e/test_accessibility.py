"""Accessibility: axe-core finds no serious or critical violation on the main
page of each role (labels, contrast AA, landmarks, names of buttons and links).

axe-core is vendored under tests/e2e/vendor/ (MPL-2.0, see its README) and is
never served to users. The pages' CSP forbids scripts from anywhere but the
site, so axe is not injected as a <script> tag: its source is evaluated through
the DevTools protocol (`page.evaluate`), which CSP does not govern; the page's
own policy stays in force for everything else.

One viewport (desktop, where the full menu is in the page) keeps this test
short; colours and markup are the same at phone size.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from komunitas.models import KomunitasBelajar
from lokakarya.models import Lokakarya
from pendampingan.models import SesiPI
from pmo.models import InstrumenPMO, TindakLanjut
from program.models import Job, Sekolah
from reports.exports import EKSPOR_KIND
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORTS
from tests.e2e.test_journeys import log_in

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def _instrumen_selong() -> InstrumenPMO:
    return (
        InstrumenPMO.objects.filter(sekolah__npsn="50203101")
        .order_by("-tahun_ajaran", "-siklus")
        .first()
    )


def _pmo_args(instrumen: InstrumenPMO) -> list[int]:
    return [instrumen.sekolah_id, instrumen.tahun_ajaran, instrumen.siklus]


def _lokakarya_fasilitator1() -> Lokakarya:
    return Lokakarya.objects.filter(fasilitator__user__username="fasilitator1").first()


def _sesi(cgp: str, urutan: int) -> SesiPI:
    return SesiPI.objects.select_related("penugasan").get(penugasan__cgp__nama=cgp, urutan=urutan)


def _job_in_progress(username: str) -> str:
    """An export half done, as its requester sees it while it runs."""
    job = Job.objects.create(
        kind=EKSPOR_KIND,
        requested_by=get_user_model().objects.get(username=username),
        params={"jenis": "sesi_pi", "format": "xlsx", "filter": {}},
        status=Job.Status.BERJALAN,
        progress=40,
        started_at=timezone.now(),
    )
    return job.get_absolute_url()


# (who, page name, URL) — the URL is built after the demo data exists.
PAGES: list[tuple[str, str, Callable[[], str]]] = [
    ("pp1", "beranda", lambda: reverse("beranda")),
    ("pp1", "grid PI", lambda: reverse("pendampingan:beranda-pp")),
    (
        "pp1",
        "formulir jurnal",
        lambda: (s := _sesi("Junaidi Hamzani, S.Pd", 2)) and s.get_absolute_url(),
    ),
    ("cgp1", "sesi saya", lambda: reverse("pendampingan:cgp-home")),
    (
        "cgp1",
        "baca sesi",
        lambda: reverse("pendampingan:sesi-read", args=[_sesi("Rusdiana, S.Pd", 1).pk]),
    ),
    (
        "fasilitator1",
        "detail lokakarya",
        lambda: reverse("lokakarya:detail", args=[_lokakarya_fasilitator1().pk]),
    ),
    (
        "fasilitator1",
        "jalankan lokakarya",
        lambda: reverse("lokakarya:run", args=[_lokakarya_fasilitator1().pk]),
    ),
    (
        "fasilitator1",
        "presensi lokakarya",
        lambda: reverse("lokakarya:presensi", args=[_lokakarya_fasilitator1().pk]),
    ),
    (
        "fasilitator1",
        "nilai lokakarya",
        lambda: reverse("lokakarya:nilai", args=[_lokakarya_fasilitator1().pk]),
    ),
    (
        "fasilitator1",
        "kelompok lokakarya",
        lambda: reverse("lokakarya:kelompok", args=[_lokakarya_fasilitator1().pk]),
    ),
    (
        "fasilitator1",
        "review PMO",
        lambda: reverse("pmo:sejak-bulan-lalu", args=_pmo_args(_instrumen_selong())),
    ),
    (
        "ks1",
        "instrumen PMO",
        lambda: reverse("pmo:instrumen", args=_pmo_args(_instrumen_selong())),
    ),
    (
        "ks1",
        "tindak lanjut PMO",
        lambda: reverse(
            "pmo:tindak-lanjut",
            args=[TindakLanjut.objects.filter(instrumen=_instrumen_selong()).first().pk],
        ),
    ),
    (
        "ks1",
        "tahap komunitas",
        lambda: reverse("komunitas:tahap", args=[Sekolah.objects.get(npsn="50203101").pk]),
    ),
    (
        "ks1",
        "detail komunitas",
        lambda: reverse(
            "komunitas:detail",
            args=[KomunitasBelajar.objects.filter(sekolah__npsn="50203101").first().pk],
        ),
    ),
    ("pp1", "profil", lambda: reverse("program:profil")),
    ("koordinator1", "dasbor wilayah", lambda: reverse("reports:dasbor")),
    ("koordinator1", "ekspor", lambda: reverse("reports:ekspor")),
    ("koordinator1", "halaman unduhan", lambda: _job_in_progress("koordinator1")),
    ("operator1", "impor data", lambda: reverse("program:impor")),
    (
        "operator1",
        "detail sekolah",
        lambda: reverse("program:sekolah-detail", args=[Sekolah.objects.get(npsn="50203101").pk]),
    ),
]


def _violations(page: Page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }"""
    )
    return [v for v in results if v["impact"] in BLOCKING]


def _describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']}")
            for node in v["nodes"][:5]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def new_page(browser: Browser, live_server, e2e_demo):
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=VIEWPORTS["desktop"],
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            reduced_motion="reduce",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    expect.set_options(timeout=TIMEOUT_MS)
    yield make
    for context in contexts:
        context.close()


def test_main_pages_have_no_serious_violations(new_page):
    found: dict[str, list[dict]] = {}
    checked = 0

    # Without an account: the login page and the participants' self check-in.
    page = new_page()
    for url in ("/masuk/", reverse("lokakarya:check-in")):
        page.goto(url)
        if violations := _violations(page):
            found[f"anonim {url}"] = violations
        checked += 1

    pages_by_user: dict[str, list[tuple[str, str]]] = {}
    for username, name, url in PAGES:
        pages_by_user.setdefault(username, []).append((name, url()))
    for username, pages in pages_by_user.items():
        page = new_page()
        log_in(page, username)
        for name, url in pages:
            response = page.goto(url)
            assert response is not None and response.ok, (username, name, url)
            expect(page.locator("main")).to_be_visible()
            if violations := _violations(page):
                found[f"{username} {name} {url}"] = violations
            checked += 1

    print(f"axe-core: {checked} pages checked")
    if found:
        print(json.dumps(found, indent=1, ensure_ascii=False)[:20000])
    assert not found, "\n" + _describe(found)
