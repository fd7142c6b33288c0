"""Good practice (STAR), the two-month action plan, guideline versions with
feedback, and pre/post tests with the satisfaction survey."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from komunitas import services
from komunitas.models import (
    Cakupan,
    HasilPeserta,
    JenisKomunitas,
    KegiatanPendampingan,
    KomunitasBelajar,
    PraktikBaik,
    RencanaAksi,
    UmpanBalikPedoman,
    VersiPedoman,
)
from komunitas.services.karya import pedoman_versi_upload
from program.models import PenugasanSekolah, Peran, Sekolah
from tests.factories import OrangFactory, SekolahFactory
from tests.pdf import pdf

OUTSIDERS = ("ks2", "fasilitator2", "pp2")

STAR = {
    "judul": "Diskusi data asesmen",
    "situasi": "Nilai asesmen formatif kelas X rendah.",
    "tugas": "Menemukan penyebabnya bersama.",
    "aksi": "Membahas hasil exit ticket setiap Kamis.",
    "hasil": "Guru menyesuaikan rencana; nilai naik 12 poin.",
}

PDF_BYTES = pdf()


def numerasi():
    return KomunitasBelajar.objects.get(nama="Komunitas Belajar Numerasi Selong")


def anggota_baru(demo, komunitas):
    """A teacher of the school with a login, added as a member."""
    guru = OrangFactory(nama="Baiq Rina Anggraini, S.Pd")
    PenugasanSekolah.objects.create(orang=guru, sekolah=komunitas.sekolah, peran=Peran.GURU)
    komunitas.anggota.add(guru)
    return guru


def pages(komunitas):
    praktik = komunitas.praktik_baik.first()
    rencana = komunitas.rencana_aksi.first()
    versi = VersiPedoman.objects.filter(pedoman__komunitas=komunitas).order_by("nomor").first()
    kegiatan = komunitas.kegiatan.first()
    reads = [
        reverse("komunitas:praktik-list", args=[komunitas.pk]),
        reverse("komunitas:praktik", args=[praktik.pk]),
        reverse("komunitas:rencana", args=[komunitas.pk]),
        reverse("komunitas:pedoman", args=[komunitas.pk]),
        reverse("komunitas:kegiatan-list", args=[komunitas.pk]),
        reverse("komunitas:kegiatan", args=[kegiatan.pk]),
    ]
    writes = [
        reverse("komunitas:praktik-create", args=[komunitas.pk]),
        reverse("komunitas:praktik-edit", args=[praktik.pk]),
        reverse("komunitas:rencana", args=[komunitas.pk]),
        reverse("komunitas:rencana-edit", args=[rencana.pk]),
        reverse("komunitas:pedoman", args=[komunitas.pk]),
        reverse("komunitas:kegiatan-list", args=[komunitas.pk]),
        reverse("komunitas:kegiatan", args=[kegiatan.pk]),
    ]
    return reads, writes, versi


# --- access --------------------------------------------------------------------------------


def test_outsiders_get_404_on_every_page_and_post(client, demo):
    komunitas = numerasi()
    versi = pedoman_versi_upload(
        actor=demo["ks1"],
        komunitas=komunitas,
        uploaded_file=SimpleUploadedFile("pedoman-v3.pdf", PDF_BYTES),
    )
    reads, writes, _first = pages(komunitas)
    umpan = reverse("komunitas:pedoman-umpan-balik", args=[versi.pk])
    berkas = reverse("komunitas:pedoman-berkas", args=[versi.pk])
    post_only = {umpan, reverse("komunitas:rencana-edit", args=[komunitas.rencana_aksi.first().pk])}
    for username in OUTSIDERS:
        client.force_login(demo[username])
        for url in [*reads, *writes, berkas]:
            if url not in post_only:
                assert client.get(url).status_code == 404, (username, url)
        for url in [*writes, umpan]:
            assert client.post(url, {"isi": "x", **STAR}).status_code == 404, (username, url)
    for username in ("koordinator1", "fasilitator1", "pengawas1", "ks1", "operator1"):
        client.force_login(demo[username])
        for url in [*reads, berkas]:
            assert client.get(url).status_code == 200, (username, url)


def test_coordinator_and_facilitator_read_but_do_not_write(client, demo):
    komunitas = numerasi()
    _reads, writes, _versi = pages(komunitas)
    before = (
        PraktikBaik.objects.count(),
        RencanaAksi.objects.count(),
        VersiPedoman.objects.count(),
    )
    for username in ("koordinator1", "fasilitator1", "pengawas1"):
        client.force_login(demo[username])
        for url in writes:
            assert client.post(url, {"isi": "Versi dari luar", **STAR}).status_code == 404, (
                username,
                url,
            )
    after = (PraktikBaik.objects.count(), RencanaAksi.objects.count(), VersiPedoman.objects.count())
    assert before == after


def test_facilitator_gives_feedback_on_a_version_the_head_cannot(client, demo):
    komunitas = numerasi()
    v2 = VersiPedoman.objects.get(pedoman__komunitas=komunitas, nomor=2)
    url = reverse("komunitas:pedoman-umpan-balik", args=[v2.pk])
    client.force_login(demo["fasilitator1"])
    page = client.get(reverse("komunitas:pedoman", args=[komunitas.pk])).content.decode()
    assert "Kirim umpan balik" in page and "Simpan sebagai versi baru" not in page
    empty = client.post(url, {"isi": "  "})
    assert empty.status_code == 400
    response = client.post(url, {"isi": "Indikator sudah terukur. Lengkapi jadwal refleksi."})
    assert response.status_code == 302
    assert v2.umpan_balik.get().oleh == demo["fasilitator1"]
    page = client.get(reverse("komunitas:pedoman", args=[komunitas.pk])).content.decode()
    assert "Lengkapi jadwal refleksi." in page and "Dr. Hj. Siti Rohmi, M.Pd" in page
    # The head writes versions; reviewing is the facilitators' and supervisors'.
    client.force_login(demo["ks1"])
    assert client.post(url, {"isi": "dari kepala sekolah"}).status_code == 404
    client.force_login(demo["pengawas1"])
    assert client.post(url, {"isi": "Dari pengawas."}).status_code == 302
    assert UmpanBalikPedoman.objects.filter(versi=v2).count() == 2


# --- good practice -------------------------------------------------------------------------


def test_star_parts_are_all_required(client, demo):
    komunitas = numerasi()
    client.force_login(demo["ks1"])
    url = reverse("komunitas:praktik-create", args=[komunitas.pk])
    before = PraktikBaik.objects.count()
    for missing in ("situasi", "tugas", "aksi", "hasil"):
        response = client.post(url, {**STAR, missing: ""})
        assert response.status_code == 400, missing
        assert "Bidang ini tidak boleh kosong." in response.content.decode()
    assert PraktikBaik.objects.count() == before


def test_shared_on_pmm_needs_the_link(client, demo):
    komunitas = numerasi()
    client.force_login(demo["ks1"])
    url = reverse("komunitas:praktik-create", args=[komunitas.pk])
    refused = client.post(url, {**STAR, "dibagikan_pmm": "on"})
    assert refused.status_code == 400
    assert "Isi tautan PMM bila sudah dibagikan." in refused.content.decode()
    ok = client.post(
        url, {**STAR, "dibagikan_pmm": "on", "tautan_pmm": "https://guru.kemdikbud.go.id/x"}
    )
    assert ok.status_code == 302
    praktik = PraktikBaik.objects.get(judul=STAR["judul"])
    assert praktik.penulis == demo["ks1"].orang and praktik.dibagikan_pmm


def test_a_member_writes_and_edits_their_own_practice_only(client, demo):
    komunitas = numerasi()
    guru = anggota_baru(demo, komunitas)
    client.force_login(guru.user)
    response = client.post(reverse("komunitas:praktik-create", args=[komunitas.pk]), STAR)
    assert response.status_code == 302
    mine = PraktikBaik.objects.get(judul=STAR["judul"])
    assert mine.penulis == guru
    page = client.get(reverse("komunitas:praktik", args=[mine.pk])).content.decode()
    assert "Membahas hasil exit ticket setiap Kamis." in page and "Ubah" in page

    edit = client.post(
        reverse("komunitas:praktik-edit", args=[mine.pk]),
        {**STAR, "hasil": "Nilai naik 15 poin.", "version": mine.version},
    )
    assert edit.status_code == 302
    mine.refresh_from_db()
    assert mine.hasil == "Nilai naik 15 poin."
    # Someone else's practice: readable, not editable.
    other = komunitas.praktik_baik.exclude(pk=mine.pk).first()
    assert client.get(reverse("komunitas:praktik", args=[other.pk])).status_code == 200
    edit_url = reverse("komunitas:praktik-edit", args=[other.pk])
    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, {**STAR, "version": other.version}).status_code == 404
    # The head (editor) may edit any.
    client.force_login(demo["ks1"])
    assert client.get(edit_url).status_code == 200


def test_stale_practice_edit_is_a_conflict(client, demo):
    praktik = numerasi().praktik_baik.first()
    version = praktik.version
    url = reverse("komunitas:praktik-edit", args=[praktik.pk])
    data = {f: getattr(praktik, f) for f in ("judul", "situasi", "tugas", "aksi", "hasil")}
    client.force_login(demo["ks1"])
    assert (
        client.post(url, {**data, "aksi": "Versi pertama.", "version": version}).status_code == 302
    )
    stale = client.post(url, {**data, "aksi": "Versi kedua.", "version": version})
    assert stale.status_code == 409
    assert "Versi kedua." in stale.content.decode() and "Versi pertama." in stale.content.decode()
    praktik.refresh_from_db()
    assert praktik.aksi == "Versi pertama."


@pytest.mark.parametrize("n_items", [2, 20])
def test_practice_list_query_count_is_flat(client, db, django_assert_max_num_queries, n_items):
    sekolah = SekolahFactory()
    kepala = OrangFactory()
    PenugasanSekolah.objects.create(orang=kepala, sekolah=sekolah, peran=Peran.KEPALA_SEKOLAH)
    komunitas = services.komunitas_save(
        actor=kepala.user,
        komunitas=KomunitasBelajar(sekolah=sekolah),
        data={
            "nama": "KKG Gugus 3",
            "jenis": JenisKomunitas.KKG,
            "cakupan": Cakupan.ANTAR_SEKOLAH,
            "pic": kepala,
        },
    )
    for i in range(n_items):
        services.praktik_baik_save(
            actor=kepala.user,
            praktik=PraktikBaik(komunitas=komunitas, penulis=OrangFactory()),
            data={**STAR, "judul": f"Praktik {i}"},
        )
    client.force_login(kepala.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("komunitas:praktik-list", args=[komunitas.pk]))
    assert response.content.decode().count("praktik-row") == n_items


# --- action plan -------------------------------------------------------------------------------


def test_rtl_added_with_a_warning_beyond_two_months(client, demo):
    komunitas = numerasi()
    url = reverse("komunitas:rencana", args=[komunitas.pk])
    today = timezone.localdate()
    client.force_login(demo["ks1"])
    near = client.post(
        url,
        {
            "kegiatan": "Lesson study numerasi",
            "penanggung_jawab": "Tim kecil",
            "waktu": (today + dt.timedelta(days=30)).isoformat(),
            "indikator": "2 kelas diamati",
        },
        follow=True,
    )
    assert "Rencana aksi ditambahkan." in near.content.decode()
    assert "untuk dua bulan ke depan" in near.content.decode()  # the page's own hint
    assert "dijadwalkan setelah" not in near.content.decode()
    far = client.post(
        url,
        {
            "kegiatan": "Pameran karya murid",
            "penanggung_jawab": "PIC",
            "waktu": (today + dt.timedelta(days=100)).isoformat(),
        },
        follow=True,
    )
    body = far.content.decode()
    assert "“Pameran karya murid” dijadwalkan setelah" in body
    assert RencanaAksi.objects.get(kegiatan="Pameran karya murid").progres == 0
    missing = client.post(url, {"kegiatan": "Tanpa siapa", "waktu": today.isoformat()})
    assert missing.status_code == 400
    assert not RencanaAksi.objects.filter(kegiatan="Tanpa siapa").exists()


def test_rtl_progress_is_0_to_100_and_versioned(client, demo):
    item = RencanaAksi.objects.get(
        komunitas__sekolah__npsn="50203101", kegiatan="Berbagi hasil siklus 1 dengan MGMP"
    )
    url = reverse("komunitas:rencana-edit", args=[item.pk])
    data = {
        "kegiatan": item.kegiatan,
        "penanggung_jawab": item.penanggung_jawab,
        "waktu": item.waktu.isoformat(),
        "indikator": item.indikator,
        "version": item.version,
    }
    client.force_login(demo["ks1"])
    too_much = client.post(url, {**data, "progres": 150})
    assert too_much.status_code == 400
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 100." in too_much.content.decode()
    ok = client.post(url, {**data, "progres": 80})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.progres == 80
    page = client.get(reverse("komunitas:rencana", args=[item.komunitas_id])).content.decode()
    assert 'style="width: 80%"' in page
    stale = client.post(url, {**data, "progres": 10})
    assert stale.status_code == 409
    item.refresh_from_db()
    assert item.progres == 80


# --- guideline versions -------------------------------------------------------------------------


def test_a_new_version_never_overwrites_earlier_ones(client, demo):
    komunitas = numerasi()
    before = {v.nomor: v.isi for v in VersiPedoman.objects.filter(pedoman__komunitas=komunitas)}
    client.force_login(demo["ks1"])
    url = reverse("komunitas:pedoman", args=[komunitas.pk])
    empty = client.post(url, {"isi": " ", "catatan_revisi": "tanpa isi"})
    assert empty.status_code == 400
    assert "Tulis isi pedoman atau unggah berkasnya." in empty.content.decode()
    response = client.post(
        url,
        {
            "isi": "Draf 3: lengkap dengan jadwal refleksi.",
            "catatan_revisi": "Menambahkan jadwal refleksi sesuai umpan balik fasilitator.",
            "berkas": SimpleUploadedFile("pedoman-v3.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    versions = VersiPedoman.objects.filter(pedoman__komunitas=komunitas).order_by("nomor")
    assert [v.nomor for v in versions] == [1, 2, 3]
    assert {v.nomor: v.isi for v in versions if v.nomor < 3} == before
    v3 = versions.get(nomor=3)
    assert v3.berkas.nama_asli == "pedoman-v3.pdf"

    client.force_login(demo["koordinator1"])
    page = client.get(url).content.decode()
    assert page.index("Draf 3") < page.index("Draf 2") < page.index("Draf 1")  # newest first
    assert "Tambahkan indikator keberhasilan yang terukur" in page  # v1's feedback stays
    served = client.get(reverse("komunitas:pedoman-berkas", args=[v3.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    v1 = versions.get(nomor=1)
    assert client.get(reverse("komunitas:pedoman-berkas", args=[v1.pk])).status_code == 404


def test_a_version_may_be_only_a_document(client, demo):
    sekolah = Sekolah.objects.get(npsn="50203101")
    mgmp = KomunitasBelajar.objects.get(sekolah=sekolah, nama__startswith="MGMP")
    client.force_login(demo["ks1"])
    response = client.post(
        reverse("komunitas:pedoman", args=[mgmp.pk]),
        {"isi": "", "berkas": SimpleUploadedFile("draf.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    versi = VersiPedoman.objects.get(pedoman__komunitas=mgmp)
    assert versi.nomor == 1 and versi.isi == "" and versi.berkas is not None


# --- pre/post tests and the satisfaction survey -------------------------------------------------


def test_activity_shows_each_participant_and_the_means(client, demo):
    kegiatan = numerasi().kegiatan.get()
    client.force_login(demo["koordinator1"])
    body = client.get(reverse("komunitas:kegiatan", args=[kegiatan.pk])).content.decode()
    # demo: PIC 50→70, head 55→74, two teachers 60→78 and 65→82
    assert "Lalu Hendra Wijaya, S.Pd" in body and "H. Lalu Suparman, S.Pd., M.M" in body
    assert body.count("hasil-row") == 4
    for gain in ("+20", "+19", "+18", "+17"):
        assert gain in body
    assert 'id="rata-pre">57,5<' in body and 'id="rata-post">76,0<' in body
    assert 'id="rata-kepuasan">4,5<' in body
    assert "Simpan nilai" not in body
    listing = client.get(reverse("komunitas:kegiatan-list", args=[kegiatan.komunitas_id]))
    assert "Pendampingan PIC komunitas belajar" in listing.content.decode()


def test_invalid_scores_are_refused_in_indonesian_and_nothing_is_saved(client, demo):
    komunitas = numerasi()
    kegiatan = komunitas.kegiatan.get()
    guru = anggota_baru(demo, komunitas)
    pic = komunitas.pic
    url = reverse("komunitas:kegiatan", args=[kegiatan.pk])
    client.force_login(demo["ks1"])
    bad = client.post(
        url,
        {
            f"o{guru.pk}-nilai_pre": "40",
            f"o{guru.pk}-nilai_post": "120",
            f"o{guru.pk}-kepuasan": "6",
            f"o{pic.pk}-nilai_pre": "10",
            f"o{pic.pk}-nilai_post": "20",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 100." in body
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 5." in body
    assert not HasilPeserta.objects.filter(kegiatan=kegiatan, orang=guru).exists()
    assert HasilPeserta.objects.get(kegiatan=kegiatan, orang=pic).nilai_pre == Decimal("50")

    ok = client.post(
        url,
        {
            f"o{guru.pk}-nilai_pre": "40",
            f"o{guru.pk}-nilai_post": "85,5",
            f"o{guru.pk}-kepuasan": "5",
            f"o{guru.pk}-komentar": "Sangat membantu",
            f"o{pic.pk}-nilai_pre": "50",
            f"o{pic.pk}-nilai_post": "70",
            f"o{pic.pk}-kepuasan": "4",
        },
    )
    assert ok.status_code == 302, ok.content.decode()[:2000]
    hasil = HasilPeserta.objects.get(kegiatan=kegiatan, orang=guru)
    assert (hasil.nilai_pre, hasil.nilai_post, hasil.kepuasan) == (
        Decimal("40"),
        Decimal("85.5"),
        5,
    )
    assert hasil.komentar == "Sangat membantu"


def test_editor_adds_an_activity(client, demo):
    komunitas = numerasi()
    client.force_login(demo["ks1"])
    response = client.post(
        reverse("komunitas:kegiatan-list", args=[komunitas.pk]),
        {"judul": "Pendampingan guru: siklus inkuiri", "tanggal": "2026-11-02"},
    )
    kegiatan = KegiatanPendampingan.objects.get(judul="Pendampingan guru: siklus inkuiri")
    assert response["Location"] == reverse("komunitas:kegiatan", args=[kegiatan.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Simpan nilai" in page and "Lalu Hendra Wijaya, S.Pd" in page
    refused = client.post(
        reverse("komunitas:kegiatan-list", args=[komunitas.pk]), {"judul": "", "tanggal": ""}
    )
    assert refused.status_code == 400
