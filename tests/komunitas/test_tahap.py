"""The five optimisation stages of a school, the progress map and the plan PDF."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from komunitas import services
from komunitas.models import (
    Cakupan,
    JenisKomunitas,
    KomunitasBelajar,
    SiklusInkuiri,
    StatusTahap,
    Tahap,
    TahapOptimalisasi,
)
from komunitas.services.karya import tahap_save
from program.models import Job, Sekolah
from tests.factories import (
    KabupatenFactory,
    OrangFactory,
    PenugasanWilayahFactory,
    SekolahFactory,
)

OUTSIDERS = ("ks2", "fasilitator2", "pp2")


def sekolah1():
    return Sekolah.objects.get(npsn="50203101")


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, "JPEG")
    return buf.getvalue()


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def run_job_and_read(client, response) -> str:
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == Job.Status.SELESAI, job.error
    download = client.get(reverse("program:job-download", args=[job.pk]))
    return pdf_text(b"".join(download.streaming_content))


def simpan(client, sekolah, n, **data):
    row = TahapOptimalisasi.objects.filter(sekolah=sekolah, tahap=n).first()
    payload = {"version": row.version if row else 0, "status": "berjalan", "bukti": ""}
    payload.update(data)
    return client.post(reverse("komunitas:tahap-save", args=[sekolah.pk, n]), payload)


# --- access -------------------------------------------------------------------------------


def test_outsiders_get_404_on_the_stages_their_files_and_the_pdf(client, demo):
    sekolah = sekolah1()
    bukti = tahap_save(
        actor=demo["ks1"],
        sekolah=sekolah,
        tahap=3,
        expected_version=TahapOptimalisasi.objects.get(sekolah=sekolah, tahap=3).version,
        status=StatusTahap.BERJALAN,
        bukti="Ruang guru ditata untuk diskusi.",
        uploaded_file=SimpleUploadedFile("ruang-guru.jpg", jpeg()),
    ).berkas.get()
    reads = [
        reverse("komunitas:tahap", args=[sekolah.pk]),
        reverse("komunitas:tahap-berkas", args=[bukti.pk]),
    ]
    pdf_url = reverse("komunitas:laporan-pdf", args=[sekolah.pk])
    for username in OUTSIDERS:
        client.force_login(demo[username])
        for url in reads:
            assert client.get(url).status_code == 404, (username, url)
        assert client.post(pdf_url).status_code == 404, username
        assert simpan(client, sekolah, 4, status="berjalan").status_code == 404
        peta = client.get(reverse("komunitas:peta")).content.decode()
        assert "SMA Negeri 1 Selong" not in peta
    for username in ("koordinator1", "fasilitator1", "pengawas1", "ks1", "operator1"):
        client.force_login(demo[username])
        for url in reads:
            assert client.get(url).status_code == 200, (username, url)
        assert client.post(pdf_url).status_code == 302, username
    # Readers who do not lead the school cannot change its stages.
    for username in ("koordinator1", "fasilitator1", "pengawas1"):
        client.force_login(demo[username])
        assert simpan(client, sekolah, 4, status="berjalan").status_code == 404
    assert TahapOptimalisasi.objects.filter(sekolah=sekolah, tahap=4).count() == 0


def test_only_stages_one_to_five_exist(client, demo):
    client.force_login(demo["ks1"])
    for n in (0, 6):
        assert simpan(client, sekolah1(), n).status_code == 404


# --- the page and the status rules ----------------------------------------------------------


def test_stage_page_shows_status_evidence_date_and_the_communities(client, demo):
    client.force_login(demo["koordinator1"])
    body = client.get(reverse("komunitas:tahap", args=[sekolah1().pk])).content.decode()
    for t in Tahap:
        assert str(t.label) in body
    assert body.count('data-status="tercapai"') == 2
    assert body.count('data-status="berjalan"') == 1
    assert "SK tim kecil komunitas belajar (5 guru)." in body
    assert "Tercapai pada" in body
    assert "Komunitas Belajar Numerasi Selong" in body
    assert "MGMP Bahasa Indonesia Lombok Timur" in body
    assert "1 dari 2 siklus inkuiri selesai" in body
    assert "Ubah status dan bukti" not in body  # the coordinator reads only
    client.force_login(demo["ks1"])
    body = client.get(reverse("komunitas:tahap", args=[sekolah1().pk])).content.decode()
    assert body.count("Ubah status dan bukti") == 5


def test_tercapai_needs_evidence_gets_a_date_and_loses_it_when_going_back(client, demo):
    sekolah = sekolah1()
    client.force_login(demo["ks1"])
    refused = simpan(client, sekolah, 4, status="tercapai", bukti="  ")
    assert refused.status_code == 400
    assert "hanya dapat ditandai tercapai dengan bukti" in refused.content.decode()
    assert not TahapOptimalisasi.objects.filter(sekolah=sekolah, tahap=4).exists()

    ok = simpan(client, sekolah, 4, status="tercapai", bukti="Jadwal memuat 2 JP belajar bersama.")
    assert ok.status_code == 302
    row = TahapOptimalisasi.objects.get(sekolah=sekolah, tahap=4)
    assert row.status == StatusTahap.TERCAPAI
    assert row.tanggal_tercapai == timezone.localdate()

    back = simpan(client, sekolah, 4, status="berjalan", bukti=row.bukti)
    assert back.status_code == 302
    row.refresh_from_db()
    assert row.status == StatusTahap.BERJALAN and row.tanggal_tercapai is None


def test_a_file_uploaded_with_the_status_counts_as_evidence(client, demo):
    sekolah = sekolah1()
    client.force_login(demo["ks1"])
    response = simpan(
        client,
        sekolah,
        5,
        status="tercapai",
        berkas_bukti=SimpleUploadedFile("berbagi-pmm.jpg", jpeg()),
        keterangan_berkas="Tangkapan layar PMM",
    )
    assert response.status_code == 302
    row = TahapOptimalisasi.objects.get(sekolah=sekolah, tahap=5)
    assert row.status == StatusTahap.TERCAPAI and row.bukti == ""
    bukti = row.berkas.get()
    client.force_login(demo["koordinator1"])
    page = client.get(reverse("komunitas:tahap", args=[sekolah.pk])).content.decode()
    assert "berbagi-pmm.jpg" in page and "Tangkapan layar PMM" in page
    served = client.get(reverse("komunitas:tahap-berkas", args=[bukti.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_refused_file_saves_nothing(client, demo):
    sekolah = sekolah1()
    client.force_login(demo["ks1"])
    response = simpan(
        client,
        sekolah,
        5,
        status="tercapai",
        berkas_bukti=SimpleUploadedFile("bukti.jpg", b"<html><script></script></html>"),
    )
    assert response.status_code == 400
    assert "tidak diizinkan" in response.content.decode()
    assert not TahapOptimalisasi.objects.filter(sekolah=sekolah, tahap=5).exists()


def test_stale_stage_save_is_a_conflict_and_keeps_the_first(client, demo):
    sekolah = sekolah1()
    row = TahapOptimalisasi.objects.get(sekolah=sekolah, tahap=3)
    client.force_login(demo["ks1"])
    first = simpan(client, sekolah, 3, version=row.version, bukti="Sudut baca guru selesai.")
    assert first.status_code == 302
    stale = simpan(client, sekolah, 3, version=row.version, bukti="Catatan dari ponsel lama.")
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Catatan dari ponsel lama." in body and "Sudut baca guru selesai." in body
    row.refresh_from_db()
    assert row.bukti == "Sudut baca guru selesai."


# --- the progress map ---------------------------------------------------------------------------


def test_peta_shows_each_school_stage_and_totals(client, demo):
    client.force_login(demo["koordinator1"])
    body = client.get(reverse("komunitas:peta")).content.decode()
    assert body.count('class="peta-row"') == Sekolah.objects.filter(kabupaten__kode="5203").count()
    assert "SMA Negeri 1 Selong" in body and "SD Negeri 4 Terara" in body
    assert "2 komunitas · 1 siklus selesai" in body
    # fasilitator1 holds the even-numbered schools only; ks2 only their own
    client.force_login(demo["fasilitator1"])
    body = client.get(reverse("komunitas:peta")).content.decode()
    assert "SMA Negeri 1 Selong" in body and "SD Negeri 4 Terara" not in body
    client.force_login(demo["ks2"])
    body = client.get(reverse("komunitas:peta")).content.decode()
    assert body.count('class="peta-row"') == 1 and "SD Negeri 4 Terara" in body


def test_peta_row_carries_the_stage_statuses_and_counts(client, demo):
    from komunitas.views.tahap import peta_sekolah, peta_total

    schools = Sekolah.objects.filter(kabupaten__kode="5203")
    row = peta_sekolah(schools).get(npsn="50203101")
    assert [getattr(row, f"tahap_{n}") for n in range(1, 6)] == [
        "tercapai",
        "tercapai",
        "berjalan",
        "belum",
        "belum",
    ]
    assert row.jumlah_komunitas == 2 and row.siklus_selesai == 1
    total = peta_total(schools)
    assert total[1]["tercapai"] == 1 and total[3] == {"tercapai": 0, "berjalan": 1}


def _region_with_schools(n: int):
    kabupaten = KabupatenFactory()
    koordinator = PenugasanWilayahFactory(kabupaten=kabupaten).orang
    pic = OrangFactory()
    for i in range(n):
        sekolah = SekolahFactory(kabupaten=kabupaten)
        for tahap in (1, 2):
            services.tahap_set(
                actor=koordinator.user,
                sekolah=sekolah,
                tahap=tahap,
                expected_version=0,
                status=StatusTahap.TERCAPAI if tahap == 1 else StatusTahap.BERJALAN,
                bukti="bukti",
            )
        komunitas = services.komunitas_save(
            actor=koordinator.user,
            komunitas=KomunitasBelajar(sekolah=sekolah),
            data={
                "nama": f"Kombel {i}",
                "jenis": JenisKomunitas.KKG,
                "cakupan": Cakupan.DALAM_SEKOLAH,
                "pic": pic,
            },
        )
        services.siklus_save(
            actor=koordinator.user,
            siklus=SiklusInkuiri(komunitas=komunitas),
            data={"fokus": "Literasi", "evaluasi": "Refleksi bersama", "selesai": True},
        )
    return koordinator.user


@pytest.mark.parametrize("n_schools", [2, 30])
def test_peta_query_count_is_flat(client, db, django_assert_max_num_queries, n_schools):
    user = _region_with_schools(n_schools)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("komunitas:peta"))
    body = response.content.decode()
    assert body.count('class="peta-row"') == n_schools
    assert body.count('data-status="tercapai"') == n_schools + 1  # + the legend


# --- the plan PDF -----------------------------------------------------------------------------


def test_plan_pdf_has_the_five_stages_and_the_communities_and_is_reused(
    client, demo, django_capture_on_commit_callbacks
):
    sekolah = sekolah1()
    client.force_login(demo["koordinator1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("komunitas:laporan-pdf", args=[sekolah.pk]))
    text = run_job_and_read(client, response)
    for t in Tahap:
        assert str(t.label) in text
    assert "Komunitas Belajar Numerasi Selong" in text
    assert "MGMP Bahasa Indonesia Lombok Timur" in text
    assert "Lalu Hendra Wijaya, S.Pd" in text
    assert "Kamis kedua setiap bulan" in text
    assert "Berbagi hasil siklus 1 dengan MGMP" in text and "30%" in text
    assert "Diferensiasi konten numerasi" in text  # the current (unfinished) cycle
    assert "Draf 2: tujuan, keanggotaan, jadwal, indikator, peran PIC." in text
    assert "Draf 1" not in text  # only the latest version

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("komunitas:laporan-pdf", args=[sekolah.pk]))
    assert again["Location"] == response["Location"]
    services.tahap_set(
        actor=demo["ks1"],
        sekolah=sekolah,
        tahap=4,
        expected_version=0,
        status=StatusTahap.BERJALAN,
        bukti="Jam belajar bersama sedang dijadwalkan.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(reverse("komunitas:laporan-pdf", args=[sekolah.pk]))
    assert changed["Location"] != response["Location"]
    assert "Jam belajar bersama sedang dijadwalkan." in run_job_and_read(client, changed)
