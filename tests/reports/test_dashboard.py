"""The region dashboard as a coordinator and an operator use it: the numbers,
the scope, the downloads, the PDF and the query budget."""

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from komunitas.models import StatusTahap, TahapOptimalisasi
from lokakarya.models import Kehadiran, Lokakarya, Peserta
from pendampingan.models import JurnalPendampingan, StatusJurnal
from pendampingan.selectors import Keadaan, grid_rows
from pmo.models import InstrumenPMO, TindakLanjut
from pmo.selectors.wilayah import eskalasi_wilayah
from pmo.services import langkah_tercapai, tahun_ajaran_of
from program.models import Job, KabupatenKota, Orang, PenugasanPP, PenugasanWilayah
from reports import charts, tables
from tests.factories import OrangFactory, UserFactory

DASBOR = reverse("reports:dasbor")
PDF = reverse("reports:dasbor-pdf")


def unduh(name: str, fmt: str) -> str:
    return reverse("reports:tabel-download", args=[name, fmt])


def state_counts(penugasan_qs) -> dict:
    """Expected PI numbers per PP, from pendampingan's own cell states (Python)."""
    out = defaultdict(Counter)
    for row in grid_rows(penugasan_qs):
        counter = out[row.penugasan.pp.nama]
        counter["cgp"] += 1
        for cell in row.sel:
            merged = {Keadaan.TERJADWAL: "berjalan", Keadaan.DRAF: "berjalan"}
            counter[merged.get(cell.keadaan, cell.keadaan)] += 1
    for jurnal in JurnalPendampingan.objects.filter(
        status=StatusJurnal.DRAF, sesi__penugasan__in=penugasan_qs
    ).select_related("sesi__penugasan__pp"):
        if jurnal.has_content:
            out[jurnal.sesi.penugasan.pp.nama]["menunggu"] += 1
    return out


def as_counter(row) -> Counter:
    return Counter(
        cgp=row.cgp,
        selesai=row.selesai,
        terlambat=row.terlambat,
        berjalan=row.berjalan,
        belum=row.belum,
        menunggu=row.jurnal_menunggu,
    )


def rata(values) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture(autouse=True)
def _fresh_numbers(settings):
    """These tests check the numbers and read them from the page's context on
    any request: always computed here (the cache: tests/reports/test_ringkasan.py)."""
    settings.RINGKASAN_CACHE_SECONDS = 0


@pytest.fixture
def lain(db, demo):
    """A coordinator of another region (Kabupaten Lombok Barat, 5201)."""
    kabupaten = KabupatenKota.objects.get(kode="5201")
    orang = OrangFactory(user=UserFactory(username="koordinator-lobar"), nama="Koordinator Lobar")
    PenugasanWilayah.objects.create(orang=orang, kabupaten=kabupaten)
    return orang.user


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["pp1", "pp2", "cgp1", "fasilitator1", "ks1", "pengawas1"])
def test_everyone_but_coordinators_and_operators_gets_404(client, demo, username):
    client.force_login(demo[username])
    for url in (DASBOR, unduh("pi-pp", "csv"), unduh("komunitas", "xlsx")):
        assert client.get(url).status_code == 404, url
    assert client.post(PDF).status_code == 404
    assert not Job.objects.exists()


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(DASBOR)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_unknown_table_or_format_is_404(client, demo):
    client.force_login(demo["koordinator1"])
    assert client.get(unduh("rahasia", "csv")).status_code == 404
    assert client.get(unduh("pi-pp", "pdf")).status_code == 404


# --- the numbers ------------------------------------------------------------------------


def test_pi_completion_per_pp_and_kabupaten_match_the_demo(client, demo):
    client.force_login(demo["koordinator1"])
    response = client.get(DASBOR)
    assert response.status_code == 200
    pi = response.context["data"].pi

    scoped = PenugasanPP.objects.filter(sekolah__kabupaten__kode="5203")
    expected = state_counts(scoped)
    assert {r.nama: as_counter(r) for r in pi.per_pp} == {
        nama: Counter({"belum": 0, "berjalan": 0, "menunggu": 0, **c})
        for nama, c in expected.items()
    }
    # The demo plan spelled out: pp1 has 3 CGP = 18 PI; PI 1 and 2 are past
    # their lokakarya, cgp-pp1-2's PI 2 is only scheduled (late); cgp1's PI 3
    # is a draft and cgp-pp1-2's PI 3 is scheduled (both under way).
    pp1 = next(r for r in pi.per_pp if r.nama == demo["pp1"].orang.nama)
    assert (pp1.cgp, pp1.selesai, pp1.terlambat, pp1.berjalan, pp1.belum) == (3, 5, 1, 2, 10)
    assert pp1.jurnal_menunggu == 1

    (kab,) = pi.per_kabupaten
    assert kab.nama == "Kabupaten Lombok Timur"
    total = sum(expected.values(), Counter())
    assert (kab.cgp, kab.selesai, kab.terlambat) == (
        total["cgp"],
        total["selesai"],
        total["terlambat"],
    )
    assert kab.belum == total["belum"]

    # The page shows the same numbers in the table beneath the chart.
    html = response.content.decode()
    table = html.split('id="tabel-pi-pp"')[1].split("</table>")[0]
    assert demo["pp1"].orang.nama in table
    for cells in ('<td class="text-end right">5</td>', '<td class="text-end right">10</td>'):
        assert cells in table
    assert "<svg" in html and "Penyelesaian PI 1–6 per Pengajar Praktik" in html


def test_workshop_attendance_and_scores(client, demo):
    client.force_login(demo["koordinator1"])
    lok = client.get(DASBOR).context["data"].lokakarya
    tahun = tahun_ajaran_of(timezone.localdate())
    start, end = dt.date(tahun, 7, 1), dt.date(tahun + 1, 7, 1)
    workshops = Lokakarya.objects.filter(
        kabupaten__kode="5203", tanggal_mulai__gte=start, tanggal_mulai__lt=end
    )
    assert {r.nama for r in lok.per_lokakarya} == {w.nama for w in workshops}

    peserta = list(Peserta.objects.filter(lokakarya__in=workshops))
    dicatat = [p for p in peserta if p.kehadiran]
    hadir = [p for p in dicatat if p.kehadiran in (Kehadiran.HADIR, Kehadiran.TERLAMBAT)]
    pairs = [p for p in peserta if p.nilai_pre is not None and p.nilai_post is not None]
    total = lok.total
    assert (total.peserta, total.dicatat, total.hadir, total.pasangan) == (
        len(peserta),
        len(dicatat),
        len(hadir),
        len(pairs),
    )
    assert total.rata_pre == rata(p.nilai_pre for p in pairs)
    assert total.rata_post == rata(p.nilai_post for p in pairs)
    assert total.rata_kenaikan == rata(p.nilai_post - p.nilai_pre for p in pairs)
    if dicatat:
        assert total.tingkat_kehadiran == (Decimal(len(hadir)) * 100 / len(dicatat)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
    else:  # the first weeks of a school year (July): no workshop of it has taken place
        assert total.tingkat_kehadiran is None
    assert all(r.rata_kenaikan > 0 for r in lok.per_lokakarya if r.pasangan)


def test_pmo_and_komunitas_numbers(client, demo):
    user = demo["koordinator1"]
    client.force_login(user)
    data = client.get(DASBOR).context["data"]
    tahun = tahun_ajaran_of(timezone.localdate())

    instrumen = InstrumenPMO.objects.filter(
        sekolah__kabupaten__kode="5203", tahun_ajaran=tahun
    ).prefetch_related("akar_masalah", "solusi", "tindak_lanjut")
    steps = Counter(langkah_tercapai(i) for i in instrumen)
    n_schools = KabupatenKota.objects.get(kode="5203").sekolah.count()
    steps[0] += n_schools - len(instrumen)
    assert {n: jumlah for n, _nama, jumlah in data.pmo.langkah} == {
        n: steps.get(n, 0) for n in range(5)
    }
    assert data.pmo.jumlah_sekolah == n_schools

    statuses = Counter(
        TindakLanjut.objects.filter(
            instrumen__sekolah__kabupaten__kode="5203", instrumen__tahun_ajaran=tahun
        ).values_list("status", flat=True)
    )
    assert {s: n for s, _label, n in data.pmo.status if n} == dict(statuses)
    assert data.pmo.jumlah_eskalasi == eskalasi_wilayah(user).count() >= 1

    reached = Counter(
        TahapOptimalisasi.objects.filter(
            sekolah__kabupaten__kode="5203", status=StatusTahap.TERCAPAI
        ).values_list("tahap", flat=True)
    )
    assert {t: tercapai for t, _nama, tercapai, _b in data.komunitas.tahap} == {
        t: reached.get(t, 0) for t in range(1, 6)
    }
    assert reached[1] >= 1  # the demo school formed its small team


def test_filters_narrow_within_scope(client, demo):
    client.force_login(demo["koordinator1"])
    pp1 = demo["pp1"].orang

    data = client.get(DASBOR, {"orang": pp1.pk}).context["data"]
    assert [r.nama for r in data.pi.per_pp] == [pp1.nama]

    data = client.get(DASBOR, {"jenjang": "SD"}).context["data"]
    expected = state_counts(
        PenugasanPP.objects.filter(sekolah__jenjang="SD", sekolah__kabupaten__kode="5203")
    )
    assert {r.nama: r.cgp for r in data.pi.per_pp} == {n: c["cgp"] for n, c in expected.items()}
    assert demo["pp3"].orang.nama not in {r.nama for r in data.pi.per_pp}  # Sikka's SD CGP
    assert data.komunitas.jumlah_sekolah == 3  # the demo's SD schools

    # A facilitator: their workshops only.
    fas2 = demo["fasilitator2"].orang
    data = client.get(DASBOR, {"orang": fas2.pk}).context["data"]
    assert {r.nama for r in data.lokakarya.per_lokakarya} == set(
        Lokakarya.objects.filter(fasilitator=fas2).values_list("nama", flat=True)
    )


def test_many_people_are_listed_one_kabupaten_at_a_time(client, demo, monkeypatch):
    from reports.selectors import dashboard as selectors_dashboard

    client.force_login(demo["operator1"])
    pp1 = demo["pp1"].orang
    kab_5203 = KabupatenKota.objects.get(kode="5203").pk
    everyone = client.get(DASBOR).context["pilihan"]
    assert not everyone.orang_per_kabupaten and pp1.pk in dict(everyone.orang)

    # Fewer people allowed in the list than the demo has: the list waits for
    # a kabupaten/kota, and the filter still works once one is chosen.
    monkeypatch.setattr(selectors_dashboard, "BATAS_ORANG", 2)
    response = client.get(DASBOR, {"orang": pp1.pk})
    body = response.content.decode()
    assert response.context["pilihan"].orang_per_kabupaten
    assert response.context["pilihan"].orang == []
    assert "Pilih kabupaten/kota lalu saring" in body
    assert response.context["saringan"].orang is None  # not a choice here
    orang_select = body[body.index('name="orang"') :].split("</select>")[0]
    assert orang_select.count("<option") == 1  # "Semua" only

    response = client.get(DASBOR, {"kabupaten": kab_5203, "orang": pp1.pk})
    names = dict(response.context["pilihan"].orang)
    assert pp1.pk in names and demo["fasilitator1"].orang.pk in names
    assert response.context["saringan"].orang == pp1.pk
    assert [r.nama for r in response.context["data"].pi.per_pp] == [pp1.nama]
    assert "Pilih kabupaten/kota lalu saring" not in response.content.decode()

    # The table download reads the filter the same way: the person counts
    # once a kabupaten/kota is chosen, and is dropped without one.
    def pp_rows(params) -> list[str]:
        raw = b"".join(client.get(unduh("pi-pp", "csv"), params).streaming_content)
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        return [r[0] for r in rows[1:-1]]

    assert pp_rows({"kabupaten": kab_5203, "orang": pp1.pk}) == [pp1.nama]
    assert len(pp_rows({"orang": pp1.pk})) > 1


def test_operator_sees_the_same_region_numbers(client, demo):
    client.force_login(demo["koordinator1"])
    mine = client.get(DASBOR).context["data"].as_plain()
    client.force_login(demo["operator1"])
    response = client.get(DASBOR, {"kabupaten": KabupatenKota.objects.get(kode="5203").pk})
    assert response.status_code == 200
    theirs = response.context["data"].as_plain()
    assert theirs["pi"] == mine["pi"]
    assert theirs["pmo"] == mine["pmo"]


# --- scope ----------------------------------------------------------------------------------


def test_coordinator_of_another_region_sees_none_of_these_numbers(client, demo, lain):
    client.force_login(lain)
    kab_5203 = KabupatenKota.objects.get(kode="5203").pk
    for params in ({}, {"kabupaten": kab_5203}, {"orang": demo["pp1"].orang.pk}):
        response = client.get(DASBOR, params)
        assert response.status_code == 200
        data = response.context["data"]
        assert data.pi.per_pp == [] and data.pi.per_kabupaten == []
        assert data.lokakarya.per_lokakarya == []
        assert data.pmo.jumlah_sekolah == 0 and data.pmo.jumlah_tindak_lanjut == 0
        assert data.pmo.jumlah_eskalasi == 0
        assert data.komunitas.jumlah_sekolah == 0
        html = response.content.decode()
        assert demo["pp1"].orang.nama not in html
        assert "Lombok Timur" not in html
    assert response.context["invalid"]  # the foreign ids were dropped, not trusted

    for name in tables.TABEL:
        content = b"".join(
            client.get(unduh(name, "csv"), {"kabupaten": kab_5203}).streaming_content
        )
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert all("Lombok Timur" not in ",".join(r) for r in rows), name
        assert all(demo["pp1"].orang.nama not in ",".join(r) for r in rows), name


# --- downloads ------------------------------------------------------------------------------


def test_csv_download_is_the_table_with_indonesian_headers(client, demo):
    client.force_login(demo["koordinator1"])
    page = client.get(DASBOR).context["tabel"]["pi_pp"]
    response = client.get(unduh("pi-pp", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Pengajar Praktik", "Jumlah CGP", "Jumlah PI (6 × CGP)", "Selesai"]
    assert len(rows) == 1 + len(page.baris) + 1  # header, one per PP, total
    pp1 = next(r for r in rows if r[0] == demo["pp1"].orang.nama)
    assert pp1[1:7] == ["3", "18", "5", "1", "2", "10"]
    assert rows[-1][0] == "Seluruh wilayah"


def test_xlsx_download_reads_back_with_numbers_and_dates(client, demo):
    client.force_login(demo["koordinator1"])
    response = client.get(unduh("lokakarya", "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Lokakarya", "Tanggal", "Kabupaten/kota")
    tahun = tahun_ajaran_of(timezone.localdate())  # the dashboard's school year
    workshops = {
        w.nama: w
        for w in Lokakarya.objects.filter(
            kabupaten__kode="5203",
            tanggal_mulai__gte=dt.date(tahun, 7, 1),
            tanggal_mulai__lt=dt.date(tahun + 1, 7, 1),
        )
    }
    body = rows[1:-1]
    assert {r[0] for r in body} == set(workshops)
    for r in body:
        assert r[1].date() == workshops[r[0]].tanggal_mulai  # a real date cell
        assert isinstance(r[3], int)
    assert rows[-1][0] == "Semua lokakarya"

    pmo = load_workbook(io.BytesIO(client.get(unduh("pmo-status", "xlsx")).content)).active
    assert [c.value for c in next(pmo.iter_rows(max_row=1))] == [
        "Status",
        "Jumlah tindak lanjut",
        "Persentase (%)",
    ]


def test_formula_cells_are_escaped_in_csv_and_xlsx(client, demo):
    Orang.objects.filter(pk=demo["pp1"].orang.pk).update(nama='=HYPERLINK("http://x","klik")')
    Lokakarya.objects.filter(fasilitator=demo["fasilitator2"].orang).update(nama="@SUM(1+1)")
    client.force_login(demo["koordinator1"])

    raw = b"".join(client.get(unduh("pi-pp", "csv")).streaming_content).decode("utf-8-sig")
    names = [r[0] for r in csv.reader(io.StringIO(raw))]
    assert '\'=HYPERLINK("http://x","klik")' in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)

    sheet = load_workbook(io.BytesIO(client.get(unduh("pi-pp", "xlsx")).content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert any(c.value == '\'=HYPERLINK("http://x","klik")' for c in cells)
    assert all(c.data_type != "f" for c in cells)

    sheet = load_workbook(io.BytesIO(client.get(unduh("lokakarya", "xlsx")).content)).active
    assert "'@SUM(1+1)" in [row[0].value for row in sheet.iter_rows(min_row=2)]
    # A negative gain is a number, not text, and is left alone.
    assert tables._nilai_ekspor(Decimal("-5")) == Decimal("-5")


# --- PDF ------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_pdf_job_keeps_the_filter_and_prints_sections_and_numbers(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo["koordinator1"])
    kab = KabupatenKota.objects.get(kode="5203").pk
    with django_capture_on_commit_callbacks(execute=True):
        # The button posts to the page's own filter (its action's query string).
        response = client.post(f"{PDF}?{urlencode({'kabupaten': kab, 'jenjang': ''})}")
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == "reports.dasbor"
    assert job.params == {"tahun": tahun_ajaran_of(timezone.localdate()), "kabupaten": kab}
    assert job.cache_key
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI, job.error

    download = client.get(reverse("program:job-download", args=[job.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    for title in (
        "Laporan Dasbor Wilayah",
        "Pendampingan individu (PI 1–6)",
        "Lokakarya: kehadiran dan nilai",
        "PMO sekolah, tahun ajaran",
        "Komunitas belajar: tahap optimalisasi",
        "Kabupaten Lombok Timur",
    ):
        assert title in text, title
    assert "18 PI" in text  # pp1's bar: 3 CGP × 6
    assert "16,7%" in text  # PI done in the region: 6 of 36

    # Same data, same request: the earlier file is reused.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"{PDF}?kabupaten={kab}")
    assert again["Location"] == job.get_absolute_url()
    assert Job.objects.count() == 1


def test_pdf_job_of_someone_who_lost_the_region_fails(demo, django_capture_on_commit_callbacks):
    from program.jobs import job_request, job_run

    user = demo["koordinator1"]
    with django_capture_on_commit_callbacks(execute=False):
        job = job_request(kind="reports.dasbor", actor=user, params={"tahun": 2026})
    PenugasanWilayah.objects.filter(orang__user=user).delete()
    job = job_run(job.pk)
    assert job.status == Job.Status.GAGAL
    assert not job.result


# --- charts -----------------------------------------------------------------------------------


def test_charts_escape_names_and_draw_nothing_without_data():
    seri = [charts.Seri("Selesai", charts.HIJAU), charts.Seri("Belum", charts.ABU)]
    svg = charts.batang_bertumpuk([charts.Baris("<script>x</script>", (2, 1))], seri, judul="T")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert charts.batang_bertumpuk([], seri, judul="T") == ""
    assert charts.batang_berkelompok([charts.Baris("a", (None, None))], seri, judul="T") == ""
    assert charts.batang_distribusi([("a", 0, charts.HIJAU)], judul="T") == ""
    dist = charts.batang_distribusi(
        [("Berjalan", 1, charts.BIRU_MUDA), ("Selesai", 3, charts.HIJAU)], judul="T"
    )
    assert "Selesai: 3 (75%)" in dist


# --- query budget ------------------------------------------------------------------------------

BUDGET = 21  # 12 for the dashboard itself, the rest session, user and menu


def test_dashboard_query_count_is_the_same_at_two_sizes(client, db, django_assert_max_num_queries):
    counts = []
    for scale in (1, 3):
        call_command("seed_demo", "--scale", str(scale), stdout=open("/dev/null", "w"))  # noqa: SIM115
        client.force_login(Orang.objects.get(user__username="koordinator1").user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(DASBOR)
        assert response.status_code == 200
        counts.append(len(captured))
        with django_assert_max_num_queries(BUDGET):
            client.get(DASBOR, {"jenjang": "SD"})
    assert counts[0] == counts[1] <= BUDGET
    # The data did grow: three copies of the six CGP of Angkatan 11, and pp2's
    # CGP of Angkatan 12 (Sikka's are not koordinator1's).
    assert response.context["data"].pi.total.cgp == 3 * 6 + 1


def test_a_filtered_total_row_names_its_filter(client, demo):
    """ "Seluruh wilayah" is the region; a total under a filter says which."""
    client.force_login(demo["koordinator1"])
    lotim = KabupatenKota.objects.get(kode="5203")
    pp1 = demo["pp1"].orang

    def totals(params) -> tuple[str, str]:
        response = client.get(DASBOR, params)
        # The workshop table (and its total row) shows only when this school
        # year has workshops, which depends on the date: its name is read
        # from the data then.
        return response.context["tabel"]["pi_pp"].total[0], response.context[
            "data"
        ].lokakarya.total.nama

    assert totals({}) == ("Seluruh wilayah", "Semua lokakarya")
    pi, lokakarya = totals({"kabupaten": lotim.pk, "jenjang": "SD"})
    assert pi == lokakarya == f"Jumlah: {lotim.nama} · SD"
    pi, _lokakarya = totals({"orang": pp1.pk})
    assert pi == f"Jumlah: {pp1.nama} (PP)"

    raw = b"".join(client.get(unduh("pi-pp", "csv"), {"kabupaten": lotim.pk}).streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[-1][0] == f"Jumlah: {lotim.nama}"
    assert "Seluruh wilayah" not in raw.decode("utf-8-sig")
