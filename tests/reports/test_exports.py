"""Exports as jobs: who may export, what lands in the file, escaping, dates,
flat query counts, and the retention of job files."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from komunitas.models import StatusTahap, TahapOptimalisasi
from lokakarya.models import Kehadiran, Lokakarya, PeranPeserta, Peserta
from pendampingan.models import SesiPI
from pmo.models import InstrumenPMO, StatusTindakLanjut, TindakLanjut
from pmo.services import periode_pmo, tahun_ajaran_of
from program.models import (
    Job,
    KabupatenKota,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    Program,
    Sekolah,
)
from reports import exports
from reports.filters import Saringan
from reports.tasks import delete_old_job_files, job_files_delete_old
from tests.factories import OrangFactory, PenugasanPPFactory, SekolahFactory, UserFactory

JENIS = list(exports.JENIS)
LOMBOK_TIMUR = "5203"
HYPERLINK = '=HYPERLINK("http://contoh.invalid/?a=1","Klik")'


# --- helpers --------------------------------------------------------------------------


def start(client, capture, user, jenis, fmt="xlsx", **filter_):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            reverse("reports:ekspor-start", args=[jenis]), {"format": fmt, **filter_}
        )
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == Job.Status.SELESAI, job.error
    return job


def download(client, job) -> bytes:
    response = client.get(reverse("program:job-download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def read_xlsx(content: bytes):
    """(header, data rows as lists of cells) of the only sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    (sheet,) = workbook.worksheets
    rows = list(sheet.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def values(rows) -> list[list]:
    return [[c.value for c in row] for row in rows]


def column(header, rows, name) -> list:
    index = header.index(name)
    return [row[index].value for row in rows]


def read_csv(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def expected_count(jenis, kode) -> int:
    """The scoped queryset of a kabupaten, counted independently of the exporter."""
    if jenis == "sesi_pi":
        return PenugasanPP.objects.filter(sekolah__kabupaten__kode=kode).count() * 6
    if jenis == "kehadiran":
        return Peserta.objects.filter(lokakarya__kabupaten__kode=kode).count()
    if jenis == "nilai":
        return (
            Peserta.objects.filter(lokakarya__kabupaten__kode=kode)
            .exclude(nilai_pre__isnull=True, nilai_post__isnull=True)
            .count()
        )
    if jenis == "pmo_tindak_lanjut":
        return TindakLanjut.objects.filter(instrumen__sekolah__kabupaten__kode=kode).count()
    return Sekolah.objects.filter(kabupaten__kode=kode).count()


@pytest.fixture
def lombok_barat(demo):
    """A second region (5201) with one record of every kind and its own coordinator."""
    kabupaten = KabupatenKota.objects.get(kode="5201")
    sekolah = SekolahFactory(nama="SMP Negeri 1 Gerung", kabupaten=kabupaten)
    koordinator = OrangFactory(user=UserFactory(username="koordinator_lobar"))
    PenugasanWilayah.objects.create(orang=koordinator, kabupaten=kabupaten)

    pair = PenugasanPPFactory(sekolah=sekolah, cgp__nama="Cgp Lombok Barat, S.Pd")
    SesiPI.objects.create(penugasan=pair, urutan=1, tanggal=dt.date(2026, 9, 1))

    fasilitator = OrangFactory()
    lokakarya = Lokakarya.objects.create(
        nama="Lokakarya Lombok Barat",
        program=Program.objects.get(kode="PSP"),
        kabupaten=kabupaten,
        moda="luring",
        tanggal_mulai=dt.date(2026, 10, 5),
        tanggal_selesai=dt.date(2026, 10, 5),
        fasilitator=fasilitator,
        created_by=fasilitator.user,
    )
    Peserta.objects.create(
        lokakarya=lokakarya,
        orang=OrangFactory(nama="Peserta Lombok Barat"),
        peran=PeranPeserta.GURU,
        sekolah=sekolah,
        kehadiran=Kehadiran.HADIR,
        nilai_pre=Decimal("60"),
        nilai_post=Decimal("80"),
    )
    # The school year of every date the suite runs on; the cycle of today.
    siklus = periode_pmo(timezone.localdate())[1]
    instrumen = InstrumenPMO.objects.create(sekolah=sekolah, tahun_ajaran=2026, siklus=siklus)
    TindakLanjut.objects.create(
        instrumen=instrumen,
        aktivitas="Tindak lanjut Lombok Barat",
        status=StatusTindakLanjut.BERJALAN,
        diperbarui_at=timezone.now() - dt.timedelta(days=100),
    )
    TahapOptimalisasi.objects.create(
        sekolah=sekolah, tahap=1, status=StatusTahap.TERCAPAI, tanggal_tercapai=dt.date(2026, 9, 9)
    )
    return {"kabupaten": kabupaten, "sekolah": sekolah, "user": koordinator.user}


# --- who may export ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["pp1", "cgp1", "fasilitator1", "ks1", "pengawas1"])
def test_non_coordinators_get_404(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("reports:ekspor")).status_code == 404
    for jenis in JENIS:
        url = reverse("reports:ekspor-start", args=[jenis])
        assert client.post(url, {"format": "xlsx"}).status_code == 404
    assert not Job.objects.exists()


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(reverse("reports:ekspor"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_kind_is_404_and_get_is_not_allowed(client, demo):
    client.force_login(demo["koordinator1"])
    assert client.post(reverse("reports:ekspor-start", args=["sekolah"])).status_code == 404
    assert client.get(reverse("reports:ekspor-start", args=["nilai"])).status_code == 405


@pytest.mark.parametrize("scale", [1, 3])
@pytest.mark.parametrize("username", ["koordinator1", "operator1"])
def test_page_lists_kinds_within_query_budget(
    client, db, django_assert_max_num_queries, scale, username
):
    call_command("seed_demo", "--scale", str(scale), stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username=username))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:ekspor"))
    assert response.status_code == 200
    html = response.content.decode()
    for jenis in exports.JENIS.values():
        assert str(jenis.judul) in html
        assert reverse("reports:ekspor-start", args=[jenis.kode]) in html
    kabupaten = list(response.context["form"].fields["kabupaten"].queryset)
    if username == "koordinator1":
        assert [k.kode for k in kabupaten] == [LOMBOK_TIMUR]
    else:
        assert len(kabupaten) > 1


def test_kabupaten_outside_the_region_is_refused(client, demo, lombok_barat):
    client.force_login(demo["koordinator1"])
    response = client.post(
        reverse("reports:ekspor-start", args=["sesi_pi"]),
        {"format": "xlsx", "kabupaten": lombok_barat["kabupaten"].pk},
    )
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_job_stores_the_filter_not_ids(client, demo, django_capture_on_commit_callbacks):
    angkatan = PenugasanPP.objects.get(cgp__user=demo["cgp1"]).angkatan
    kabupaten = KabupatenKota.objects.get(kode=LOMBOK_TIMUR)
    job = start(
        client,
        django_capture_on_commit_callbacks,
        demo["koordinator1"],
        "sesi_pi",
        fmt="csv",
        tahun_ajaran="2026",
        angkatan=angkatan.pk,
        kabupaten=kabupaten.pk,
        jenjang="SD",
    )
    assert job.kind == exports.EKSPOR_KIND
    assert job.requested_by == demo["koordinator1"]
    assert job.params == {
        "jenis": "sesi_pi",
        "format": "csv",
        "filter": {
            "tahun_ajaran": 2026,
            "angkatan": angkatan.pk,
            "kabupaten": kabupaten.pk,
            "jenjang": "SD",
            "orang": None,
        },
    }
    _header, rows = read_csv(download(client, job))
    pairs = PenugasanPP.objects.filter(
        angkatan=angkatan, sekolah__kabupaten=kabupaten, sekolah__jenjang="SD"
    )
    assert len(rows) == 6 * pairs.count() > 0
    assert job.result_name.startswith("ekspor-sesi-pi-") and job.result_name.endswith(".csv")


# --- what lands in the file ----------------------------------------------------------------


@pytest.mark.parametrize("jenis", JENIS)
def test_xlsx_export_equals_the_scoped_queryset(
    client, demo, lombok_barat, django_capture_on_commit_callbacks, jenis
):
    job = start(client, django_capture_on_commit_callbacks, demo["koordinator1"], jenis)
    header, rows = read_xlsx(download(client, job))
    expected = expected_count(jenis, LOMBOK_TIMUR)
    assert expected > 0
    assert len(rows) == expected
    assert set(column(header, rows, "Kabupaten/kota")) == {"Kabupaten Lombok Timur"}
    flat = {str(v) for row in values(rows) for v in row}
    for other in ("SMP Negeri 1 Gerung", "Cgp Lombok Barat, S.Pd", "Peserta Lombok Barat"):
        assert other not in flat


@pytest.mark.parametrize("jenis", JENIS)
def test_coordinator_of_another_region_gets_none_of_these_rows(
    client, demo, lombok_barat, django_capture_on_commit_callbacks, jenis
):
    job = start(client, django_capture_on_commit_callbacks, lombok_barat["user"], jenis)
    header, rows = read_xlsx(download(client, job))
    assert len(rows) == expected_count(jenis, "5201") >= 1
    assert set(column(header, rows, "Kabupaten/kota")) == {"Kabupaten Lombok Barat"}
    demo_schools = set(
        Sekolah.objects.filter(kabupaten__kode=LOMBOK_TIMUR).values_list("nama", flat=True)
    )
    if "Sekolah" in header:
        assert not demo_schools & set(column(header, rows, "Sekolah"))


def test_operator_exports_every_region(
    client, demo, lombok_barat, django_capture_on_commit_callbacks
):
    job = start(client, django_capture_on_commit_callbacks, demo["operator1"], "pmo_tindak_lanjut")
    header, rows = read_xlsx(download(client, job))
    assert len(rows) == TindakLanjut.objects.count()
    assert set(column(header, rows, "Kabupaten/kota")) == {
        "Kabupaten Lombok Timur",
        "Kabupaten Lombok Barat",
        "Kabupaten Sikka",
    }


def test_the_angkatan_filter_narrows_the_pi_export(
    client, demo, django_capture_on_commit_callbacks
):
    """Lombok Timur has CGP of Angkatan 11 and one of Angkatan 12 (pp2's
    "Baiq Yuni Marlina, S.Pd"): each filter exports its own cohort only."""
    a11 = PenugasanPP.objects.get(cgp__user=demo["cgp1"]).angkatan
    a12 = PenugasanPP.objects.get(cgp__user=demo["cgp3"]).angkatan
    assert a11 != a12
    for angkatan in (a11, a12):
        pairs = PenugasanPP.objects.filter(angkatan=angkatan, sekolah__kabupaten__kode=LOMBOK_TIMUR)
        others = PenugasanPP.objects.exclude(angkatan=angkatan)
        job = start(
            client,
            django_capture_on_commit_callbacks,
            demo["koordinator1"],
            "sesi_pi",
            angkatan=angkatan.pk,
        )
        header, rows = read_xlsx(download(client, job))
        assert len(rows) == 6 * pairs.count() > 0, angkatan
        assert set(column(header, rows, "Angkatan")) == {angkatan.nama}
        assert set(column(header, rows, "CGP")) == {p.cgp.nama for p in pairs}
        assert not set(column(header, rows, "CGP")) & {p.cgp.nama for p in others}


@pytest.mark.parametrize("jenis", JENIS)
def test_a_coordinator_with_a_second_role_exports_only_their_region(
    client, demo, django_capture_on_commit_callbacks, jenis
):
    """koordinator2 coordinates Sikka and facilitates a Lombok Timur school and
    workshop: what the facilitator role reads stays out of the region's exports."""
    job = start(client, django_capture_on_commit_callbacks, demo["koordinator2"], jenis)
    header, rows = read_xlsx(download(client, job))
    assert len(rows) == expected_count(jenis, "5310") > 0
    assert set(column(header, rows, "Kabupaten/kota")) == {"Kabupaten Sikka"}
    flat = {str(v) for row in values(rows) for v in row}
    lombok_timur = set(
        Sekolah.objects.filter(kabupaten__kode=LOMBOK_TIMUR).values_list("nama", flat=True)
    )
    assert not flat & lombok_timur
    assert "Lokakarya 7 PSP: Komunitas Belajar 1 (daring)" not in flat


def test_pi_rows_carry_session_journal_and_rtl(client, demo, django_capture_on_commit_callbacks):
    job = start(client, django_capture_on_commit_callbacks, demo["koordinator1"], "sesi_pi")
    header, rows = read_xlsx(download(client, job))
    assert header == [
        "Angkatan",
        "Kabupaten/kota",
        "NPSN",
        "Sekolah",
        "Pengajar Praktik",
        "CGP",
        "PI ke-",
        "Tanggal sesi",
        "Keadaan PI",
        "Status jurnal",
        "Jurnal diajukan pada",
        "Jumlah RTL",
    ]
    sesi = (
        SesiPI.objects.filter(jurnal__status="diajukan", penugasan__cgp__user=demo["cgp1"])
        .select_related("jurnal", "penugasan__cgp", "penugasan__pp")
        .order_by("urutan")
        .first()
    )
    assert sesi is not None
    by_key = {(r[5].value, r[6].value): r for r in rows}
    row = by_key[(sesi.penugasan.cgp.nama, sesi.urutan)]
    assert row[4].value == sesi.penugasan.pp.nama
    assert row[7].is_date and row[7].value.date() == sesi.tanggal
    assert row[8].value == "Selesai"
    assert row[9].value == "Diajukan"
    assert row[10].is_date
    submitted = timezone.localtime(sesi.jurnal.diajukan_at).replace(tzinfo=None)
    assert abs(row[10].value - submitted) < dt.timedelta(seconds=1)
    assert row[11].value == sesi.rtl.count()
    # A PI the PP has not opened yet still has its row.
    unopened = [r for r in rows if r[9].value == "Belum ada"]
    assert unopened and all(r[11].value == 0 for r in unopened)


def test_scores_are_numbers_with_the_gain(client, demo, django_capture_on_commit_callbacks):
    job = start(client, django_capture_on_commit_callbacks, demo["koordinator1"], "nilai")
    header, rows = read_xlsx(download(client, job))
    peserta = (
        Peserta.objects.filter(nilai_pre__isnull=False, nilai_post__isnull=False)
        .select_related("orang", "lokakarya")
        .first()
    )
    row = next(r for r in rows if r[header.index("Nama peserta")].value == peserta.orang.nama)
    pre = row[header.index("Nilai pre-test")].value
    post = row[header.index("Nilai post-test")].value
    gain = row[header.index("Kenaikan (post − pre)")].value
    assert isinstance(pre, int | float) and Decimal(str(pre)) == peserta.nilai_pre
    assert Decimal(str(post)) == peserta.nilai_post
    assert Decimal(str(gain)) == peserta.nilai_post - peserta.nilai_pre
    assert row[header.index("Tanggal")].is_date
    assert row[header.index("Tanggal")].value.date() == peserta.lokakarya.tanggal_mulai


def test_attendance_labels(client, demo, django_capture_on_commit_callbacks):
    job = start(client, django_capture_on_commit_callbacks, demo["koordinator1"], "kehadiran")
    header, rows = read_xlsx(download(client, job))
    peserta = Peserta.objects.exclude(kehadiran="").select_related("orang").first()
    row = next(r for r in rows if r[header.index("Nama peserta")].value == peserta.orang.nama)
    assert row[header.index("Kehadiran")].value == peserta.get_kehadiran_display()
    assert row[header.index("Unsur")].value == peserta.get_peran_display()


def test_pmo_actions_with_months_since_update_and_escalation(
    client, demo, lombok_barat, django_capture_on_commit_callbacks
):
    job = start(
        client, django_capture_on_commit_callbacks, lombok_barat["user"], "pmo_tindak_lanjut"
    )
    header, rows = read_xlsx(download(client, job))
    (row,) = rows
    cells = dict(zip(header, [c.value for c in row], strict=True))
    assert cells["Tindak lanjut"] == "Tindak lanjut Lombok Barat"
    assert cells["Status saat ini"] == "Berjalan"
    assert cells["Tahun ajaran"] == "2026/2027"
    assert cells["Bulan sejak pembaruan terakhir"] == 3
    assert cells["Tereskalasi"] == "Ya"
    assert row[header.index("Terakhir diperbarui")].is_date


def test_komunitas_stages_side_by_side(
    client, demo, lombok_barat, django_capture_on_commit_callbacks
):
    job = start(client, django_capture_on_commit_callbacks, lombok_barat["user"], "komunitas_tahap")
    header, rows = read_xlsx(download(client, job))
    (row,) = rows
    assert header[:4] == ["Kabupaten/kota", "NPSN", "Sekolah", "Jenjang"]
    assert header[4] == "Tahap 1: Membentuk tim kecil"
    assert header[5] == "Tanggal tercapai tahap 1"
    assert len(header) == 4 + 10
    assert row[4].value == "Tercapai"
    assert row[5].is_date and row[5].value.date() == dt.date(2026, 9, 9)
    assert row[6].value == "Belum" and row[7].value is None


def test_formula_cells_are_escaped(client, demo, django_capture_on_commit_callbacks):
    kabupaten = KabupatenKota.objects.get(kode=LOMBOK_TIMUR)
    PenugasanPPFactory(
        sekolah=SekolahFactory(nama=HYPERLINK, kabupaten=kabupaten), cgp__nama="@SUM(A1:A9)"
    )
    lokakarya = Lokakarya.objects.filter(kabupaten=kabupaten).first()
    for nama in ("+62 812 000", "-1+1", "\tTab", "\rCR"):
        Peserta.objects.create(lokakarya=lokakarya, orang=OrangFactory(nama=nama), peran="guru")

    job = start(client, django_capture_on_commit_callbacks, demo["koordinator1"], "sesi_pi")
    header, rows = read_xlsx(download(client, job))
    schools = [r[header.index("Sekolah")] for r in rows]
    hyperlink = [c for c in schools if "HYPERLINK" in str(c.value)]
    assert len(hyperlink) == 6
    assert all(c.value == "'" + HYPERLINK and c.data_type == "s" for c in hyperlink)
    assert "'@SUM(A1:A9)" in column(header, rows, "CGP")

    job = start(client, django_capture_on_commit_callbacks, demo["koordinator1"], "kehadiran")
    header, rows = read_xlsx(download(client, job))
    names = column(header, rows, "Nama peserta")
    assert {"'+62 812 000", "'-1+1", "'\tTab"} <= set(names)
    assert all(not str(n).startswith(("=", "+", "-", "@", "\t", "\r")) for n in names)

    job = start(
        client, django_capture_on_commit_callbacks, demo["koordinator1"], "sesi_pi", fmt="csv"
    )
    header, rows = read_csv(download(client, job))
    assert [r[header.index("Sekolah")] for r in rows].count("'" + HYPERLINK) == 6
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_csv_has_indonesian_headers_and_iso_dates(client, demo, django_capture_on_commit_callbacks):
    job = start(
        client, django_capture_on_commit_callbacks, demo["koordinator1"], "nilai", fmt="csv"
    )
    header, rows = read_csv(download(client, job))
    assert header[:6] == [
        "Lokakarya",
        "Tanggal",
        "Kabupaten/kota",
        "Nama peserta",
        "Unsur",
        "Sekolah/instansi",
    ]
    assert len(rows) == expected_count("nilai", LOMBOK_TIMUR)
    assert all(dt.date.fromisoformat(r[1]) for r in rows)


# --- streaming ----------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1, 3])
@pytest.mark.parametrize("jenis", JENIS)
def test_export_queries_do_not_grow_with_rows(db, django_assert_max_num_queries, scale, jenis):
    call_command("seed_demo", "--scale", str(scale), stdout=io.StringIO())
    user = get_user_model().objects.get(username="koordinator1")
    target = io.BytesIO()
    with django_assert_max_num_queries(10):
        written = exports.ekspor_ke_berkas(
            exports.JENIS[jenis], user=user, saringan=Saringan(), fmt="xlsx", target=target
        )
    assert written == expected_count(jenis, LOMBOK_TIMUR)


def test_rows_are_fetched_in_chunks_and_progress_is_reported(demo, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 4)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 5)
    reported = []
    target = io.BytesIO()
    written = exports.ekspor_ke_berkas(
        exports.JENIS["kehadiran"],
        user=demo["koordinator1"],
        saringan=Saringan(),
        fmt="csv",
        target=target,
        progress=reported.append,
    )
    assert written == expected_count("kehadiran", LOMBOK_TIMUR) > 10
    assert reported[0] == 1 and len(reported) == 1 + written // 5
    assert reported == sorted(reported) and reported[-1] <= 95


def test_filters_narrow_inside_the_scope(demo, lombok_barat):
    user = demo["operator1"]
    lobar = lombok_barat["kabupaten"].pk

    def count(jenis, **kwargs):
        return exports.ekspor_ke_berkas(
            exports.JENIS[jenis],
            user=user,
            saringan=Saringan(**kwargs),
            fmt="csv",
            target=io.BytesIO(),
        )

    assert count("pmo_tindak_lanjut", kabupaten=lobar) == 1
    assert count("pmo_tindak_lanjut", tahun_ajaran=2019) == 0
    assert count("komunitas_tahap", kabupaten=lobar, jenjang="SD") == 1
    assert count("komunitas_tahap", kabupaten=lobar, jenjang="SMA") == 0
    assert count("kehadiran", kabupaten=lobar, tahun_ajaran=2026) == 1
    assert count("kehadiran", kabupaten=lobar, tahun_ajaran=2025) == 0
    # A coordinator's kabupaten filter cannot reach outside their region.
    assert (
        exports.ekspor_ke_berkas(
            exports.JENIS["komunitas_tahap"],
            user=demo["koordinator1"],
            saringan=Saringan(kabupaten=lobar),
            fmt="csv",
            target=io.BytesIO(),
        )
        == 0
    )


# --- retention ----------------------------------------------------------------------


def _finished_job(user, *, days_ago: int, cache_key="k") -> Job:
    job = Job.objects.create(
        kind=exports.EKSPOR_KIND,
        requested_by=user,
        status=Job.Status.SELESAI,
        cache_key=cache_key,
        finished_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    job.result.save("ekspor.csv", ContentFile(b"a,b\n"), save=True)
    return job


def test_retention_deletes_old_files_and_keeps_fresh_ones(client, demo, settings):
    settings.JOB_FILE_RETENTION_DAYS = 14
    user = demo["koordinator1"]
    old = _finished_job(user, days_ago=15)
    fresh = _finished_job(user, days_ago=13)
    storage = old.result.storage
    old_name, fresh_name = old.result.name, fresh.result.name
    assert storage.exists(old_name) and storage.exists(fresh_name)

    assert job_files_delete_old() == 1

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not storage.exists(old_name)
    assert not old.result and old.cache_key == ""
    assert old.status == Job.Status.SELESAI  # the row stays
    assert storage.exists(fresh_name) and fresh.result.name == fresh_name
    assert fresh.cache_key == "k"
    client.force_login(user)
    assert client.get(reverse("program:job-download", args=[old.pk])).status_code == 404
    assert client.get(reverse("program:job-download", args=[fresh.pk])).status_code == 200

    # Running again finds nothing more; the beat task is the same function.
    assert delete_old_job_files() == 0


def test_retention_tolerates_a_file_already_gone(demo, settings):
    settings.JOB_FILE_RETENTION_DAYS = 1
    job = _finished_job(demo["koordinator1"], days_ago=2)
    job.result.storage.delete(job.result.name)
    assert job_files_delete_old() == 1
    job.refresh_from_db()
    assert not job.result


# --- the dashboard's filters ------------------------------------------------------------


def _fasilitator_schools(orang) -> set[str]:
    return set(
        PenugasanSekolah.objects.filter(orang=orang, peran=Peran.FASILITATOR).values_list(
            "sekolah__nama", flat=True
        )
    )


def test_the_person_filter_narrows_every_kind_as_on_the_dashboard(
    client, demo, django_capture_on_commit_callbacks
):
    """PP: their CGP and those CGP's schools; facilitator: the schools they
    accompany and the workshops they facilitate. Nobody else's rows."""
    koordinator = demo["koordinator1"]
    pp1, fas1, fas2 = (demo[u].orang for u in ("pp1", "fasilitator1", "fasilitator2"))

    def export(jenis, orang):
        job = start(client, django_capture_on_commit_callbacks, koordinator, jenis, orang=orang.pk)
        assert job.params["filter"]["orang"] == orang.pk
        return read_xlsx(download(client, job))

    header, rows = export("sesi_pi", pp1)
    pairs = PenugasanPP.objects.filter(pp=pp1, sekolah__kabupaten__kode=LOMBOK_TIMUR)
    assert set(column(header, rows, "Pengajar Praktik")) == {pp1.nama}
    assert set(column(header, rows, "CGP")) == {p.cgp.nama for p in pairs}
    assert len(rows) == 6 * pairs.count() > 0
    everyone = PenugasanPP.objects.filter(sekolah__kabupaten__kode=LOMBOK_TIMUR).count()
    assert pairs.count() < everyone  # the filter left someone out

    header, rows = export("sesi_pi", fas1)
    at_fas1 = _fasilitator_schools(fas1)
    assert set(column(header, rows, "Sekolah")) <= at_fas1 and rows

    header, rows = export("kehadiran", fas2)
    own = set(
        Lokakarya.objects.filter(
            Q(fasilitator=fas2) | Q(fasilitator_2=fas2), kabupaten__kode=LOMBOK_TIMUR
        ).values_list("nama", flat=True)
    )
    assert own and set(column(header, rows, "Lokakarya")) == own
    others = Lokakarya.objects.filter(kabupaten__kode=LOMBOK_TIMUR).exclude(nama__in=own)
    assert others.exists()  # there were other workshops to leave out

    header, rows = export("pmo_tindak_lanjut", fas1)
    assert rows and set(column(header, rows, "Sekolah")) <= at_fas1

    header, rows = export("komunitas_tahap", pp1)
    assert set(column(header, rows, "Sekolah")) == {p.sekolah.nama for p in pairs}


def test_the_page_offers_the_region_people_and_takes_the_dashboards_filter(client, demo):
    lalu = tahun_ajaran_of(timezone.localdate()) - 1  # last school year: always offered
    kabupaten = KabupatenKota.objects.get(kode=LOMBOK_TIMUR)
    pp1 = demo["pp1"].orang
    client.force_login(demo["koordinator1"])
    response = client.get(
        reverse("reports:ekspor"),
        {"tahun": lalu, "kabupaten": kabupaten.pk, "orang": pp1.pk, "jenjang": "SD"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    people = body[body.index('name="orang"') :].split("</select>")[0]
    assert f'<option value="{pp1.pk}" selected>{pp1.nama} (PP)</option>' in people
    assert f"{demo['fasilitator1'].orang.nama} (Fasilitator)" in people
    # Sikka's PP and facilitators are not koordinator1's to pick.
    for username in ("pp3", "fasilitator3"):
        assert demo[username].orang.nama not in people
    assert f'<option value="{kabupaten.pk}" selected>' in body
    assert f'<option value="{lalu}" selected>' in body
    assert '<option value="SD" selected>' in body
    assert "PP atau fasilitator" in body  # listed among each kind's filters


def test_the_dashboard_links_to_the_export_with_its_filter(client, demo):
    pp1 = demo["pp1"].orang
    client.force_login(demo["koordinator1"])
    body = client.get(reverse("reports:dasbor"), {"orang": pp1.pk}).content.decode()
    link = body[body.index('id="ekspor-saringan"') :].split(">")[0]
    assert reverse("reports:ekspor") in link and f"orang={pp1.pk}" in link


def test_a_person_outside_the_region_is_refused_with_a_message(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo["koordinator1"])
    outsider = demo["pp3"].orang  # Sikka's PP
    response = client.post(
        reverse("reports:ekspor-start", args=["sesi_pi"]),
        {"format": "xlsx", "orang": outsider.pk},
    )
    assert response.status_code == 400
    assert "tidak ada di daftar wilayah" in response.content.decode()
    assert not Job.objects.exists()


def test_a_large_region_loads_one_kabupatens_people_without_starting_a_job(
    client, demo, monkeypatch
):
    from reports.selectors import dashboard as selectors_dashboard

    monkeypatch.setattr(selectors_dashboard, "BATAS_ORANG", 2)
    kabupaten = KabupatenKota.objects.get(kode=LOMBOK_TIMUR)
    pp1 = demo["pp1"].orang
    client.force_login(demo["operator1"])
    body = client.get(reverse("reports:ekspor")).content.decode()
    assert "Muat daftar PP dan fasilitator" in body
    assert pp1.nama not in body[body.index('name="orang"') :].split("</select>")[0]

    response = client.post(
        reverse("reports:ekspor"), {"kabupaten": kabupaten.pk, "format": "csv", "jenjang": "SD"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    people = body[body.index('name="orang"') :].split("</select>")[0]
    assert pp1.nama in people
    assert f'<option value="{kabupaten.pk}" selected>' in body
    assert '<option value="SD" selected>' in body
    assert 'value="csv" checked' in body
    assert not Job.objects.exists()
