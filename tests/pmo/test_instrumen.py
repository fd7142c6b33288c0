"""The head fills in and updates the school's PMO; readers read it; outsiders get 404."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pmo import services
from pmo.models import (
    AkarMasalah,
    CatatanBulanan,
    InstrumenPMO,
    LampiranPMO,
    PerubahanStatus,
    Solusi,
    StatusTindakLanjut,
    TindakLanjut,
    TopikPMO,
    UmpanBalik,
)
from program.dates import month_start
from program.models import Peran, Sekolah
from tests.factories import OrangFactory, PenugasanSekolahFactory, UserFactory

SELONG = "50203101"  # ks1, fasilitator1, pengawas1; PMO at step 4
TERARA = "50203102"  # ks2, fasilitator2, pengawas1; PMO at step 2
KRITERIA_YA = {k: "True" for k in Solusi.KRITERIA}


def tahun() -> int:
    return services.periode_pmo(timezone.localdate())[0]


def periode() -> dict:
    """Today's PMO cycle, as instrument fields."""
    tahun, siklus = services.periode_pmo(timezone.localdate())
    return {"tahun_ajaran": tahun, "siklus": siklus}


def pmo_of(npsn: str) -> InstrumenPMO:
    return InstrumenPMO.objects.get(sekolah__npsn=npsn, tahun_ajaran=tahun())


def url(name: str, instrumen: InstrumenPMO, *extra) -> str:
    return reverse(
        f"pmo:{name}", args=[instrumen.sekolah_id, instrumen.tahun_ajaran, instrumen.siklus, *extra]
    )


def action(aktivitas_start: str) -> TindakLanjut:
    """An action of SMA Negeri 1 Selong (ks3's school in Sikka has the same plans)."""
    return TindakLanjut.objects.get(
        instrumen__sekolah__npsn="50203101", aktivitas__startswith=aktivitas_start
    )


def png(name="data.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def body(response) -> str:
    return response.content.decode()


def timeline(response) -> list[tuple[str, str]]:
    return re.findall(r'data-dari="([a-z_]*)" data-ke="([a-z_]+)"', body(response))


def plan(**extra) -> dict:
    return {
        "aktivitas": "Lokakarya mini asesmen diagnostik",
        "tujuan": "Guru memetakan kemampuan awal murid",
        "indikator_keberhasilan": "Semua guru kelas X menyusun asesmen diagnostik",
        "mulai": "2026-08-01",
        "selesai": "2027-01-31",
        "pihak_terlibat": "Waka kurikulum — narasumber",
        **extra,
    }


@pytest.fixture
def lampiran(client, demo):
    """An attachment of ks1's PMO, uploaded by ks1 through the page."""
    client.force_login(demo["ks1"])
    response = client.post(
        url("lampiran-add", pmo_of(SELONG)),
        {"berkas": png(), "keterangan": "Rapor Pendidikan 2026", "langkah": "1"},
    )
    assert response.status_code == 302
    client.logout()
    return LampiranPMO.objects.get(instrumen=pmo_of(SELONG))


# --- access -------------------------------------------------------------------------


def ks1_writes(instrumen, lampiran_pk=None):
    """Every write on ks1's PMO (method, url, data)."""
    training = action("In-house training")
    akar = AkarMasalah.objects.filter(instrumen=instrumen).first()
    solusi = Solusi.objects.filter(instrumen=instrumen).first()
    return [
        ("post", url("langkah-save", instrumen, 1), {"data_refleksi": "x", "version": "1"}),
        ("post", url("akar-masalah-add", instrumen), {"uraian": "x"}),
        ("post", reverse("pmo:akar-masalah-delete", args=[akar.pk]), {}),
        ("get", url("solusi-add", instrumen), None),
        ("post", url("solusi-add", instrumen), {"uraian": "x"}),
        ("get", reverse("pmo:solusi-edit", args=[solusi.pk]), None),
        ("post", reverse("pmo:solusi-edit", args=[solusi.pk]), {"uraian": "x"}),
        ("get", url("tindak-lanjut-add", instrumen), None),
        ("post", url("tindak-lanjut-add", instrumen), plan()),
        ("get", reverse("pmo:tindak-lanjut-edit", args=[training.pk]), None),
        ("post", reverse("pmo:tindak-lanjut-edit", args=[training.pk]), plan()),
        (
            "post",
            reverse("pmo:tindak-lanjut-status", args=[training.pk]),
            {"status": "berjalan", "alasan": "x", "version": str(training.version)},
        ),
        (
            "post",
            reverse("pmo:catatan-bulanan", args=[training.pk]),
            {"bulan": "2026-11", "kendala": "x", "version": "0"},
        ),
        ("post", url("lampiran-add", instrumen), {"keterangan": "x", "langkah": "1"}),
    ]


def ks1_reads(instrumen, lampiran_pk):
    return [
        reverse("pmo:sekolah", args=[instrumen.sekolah_id]),
        url("instrumen", instrumen),
        reverse("pmo:tindak-lanjut", args=[action("In-house training").pk]),
        reverse("pmo:lampiran-berkas", args=[lampiran_pk]),
    ]


def test_outside_the_school_everything_is_404(client, demo, lampiran):
    instrumen = pmo_of(SELONG)
    before = (
        TindakLanjut.objects.count(),
        PerubahanStatus.objects.count(),
        AkarMasalah.objects.count(),
        Solusi.objects.count(),
        CatatanBulanan.objects.count(),
    )
    for username in ("ks2", "fasilitator2"):
        client.force_login(demo[username])
        for page in ks1_reads(instrumen, lampiran.pk):
            assert client.get(page).status_code == 404, (username, page)
        for method, page, data in ks1_writes(instrumen):
            response = (
                getattr(client, method)(page, data) if data else getattr(client, method)(page)
            )
            assert response.status_code == 404, (username, method, page)
    assert before == (
        TindakLanjut.objects.count(),
        PerubahanStatus.objects.count(),
        AkarMasalah.objects.count(),
        Solusi.objects.count(),
        CatatanBulanan.objects.count(),
    )


def test_facilitator_supervisor_and_coordinator_read_but_cannot_write(client, demo, lampiran):
    instrumen = pmo_of(SELONG)
    for username in ("fasilitator1", "pengawas1", "koordinator1"):
        client.force_login(demo[username])
        page = client.get(url("instrumen", instrumen))
        assert page.status_code == 200, username
        text = body(page)
        assert "In-house training asesmen formatif" in text
        assert "Tampilan baca" in text
        assert url("langkah-save", instrumen, 1) not in text
        assert "Tambah tindak lanjut" not in text
        assert client.get(reverse("pmo:sekolah", args=[instrumen.sekolah_id])).status_code == 302
        detail = client.get(reverse("pmo:tindak-lanjut", args=[action("In-house training").pk]))
        assert detail.status_code == 200 and "Riwayat perubahan status" in body(detail)
        assert "Ubah status" not in body(detail)
        berkas = client.get(reverse("pmo:lampiran-berkas", args=[lampiran.pk]))
        assert berkas.status_code == 200 and berkas["Content-Type"] == "image/png"
        for method, target, data in ks1_writes(instrumen):
            response = (
                getattr(client, method)(target, data) if data else getattr(client, method)(target)
            )
            assert response.status_code == 404, (username, method, target)
    assert TindakLanjut.objects.filter(instrumen=instrumen).count() == 3


def test_only_the_facilitator_gets_the_review_links(client, demo):
    instrumen = pmo_of(SELONG)
    client.force_login(demo["fasilitator1"])
    text = body(client.get(url("instrumen", instrumen)))
    assert url("sejak-bulan-lalu", instrumen) in text and url("umpan-balik", instrumen) in text
    assert url("laporan-pdf", instrumen) in text
    assert reverse("pmo:forum-list", args=[instrumen.sekolah_id]) in text
    for username in ("ks1", "pengawas1"):
        client.force_login(demo[username])
        text = body(client.get(url("instrumen", instrumen)))
        assert url("umpan-balik", instrumen) not in text
        assert url("laporan-pdf", instrumen) in text


def test_a_reader_of_a_school_without_pmo_sees_it_is_not_filled_in(client, demo):
    sekolah = Sekolah.objects.get(npsn="50203103")
    client.force_login(demo["koordinator1"])
    response = client.get(reverse("pmo:sekolah", args=[sekolah.pk]))
    assert response.status_code == 200
    assert "belum diisi" in body(response)
    assert not InstrumenPMO.objects.filter(sekolah=sekolah).exists()
    assert "Mulai PMO" not in body(response)
    assert client.post(reverse("pmo:sekolah", args=[sekolah.pk])).status_code == 404
    # An editor (here a programme operator) gets a button that starts it;
    # the page itself starts nothing.
    client.force_login(demo["operator1"])
    response = client.get(reverse("pmo:sekolah", args=[sekolah.pk]))
    tahun, siklus = services.periode_pmo(timezone.localdate())
    assert response.status_code == 200
    assert f"Mulai PMO {tahun}/{tahun + 1} siklus {siklus}" in body(response)
    assert not InstrumenPMO.objects.filter(sekolah=sekolah).exists()
    response = client.post(reverse("pmo:sekolah", args=[sekolah.pk]))
    created = InstrumenPMO.objects.get(sekolah=sekolah, **periode())
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()


# --- the head fills it in --------------------------------------------------------------


def test_ks1_sees_and_edits_their_school(client, demo):
    client.force_login(demo["ks1"])
    home = body(client.get(reverse("pmo:home")))
    assert "SMA Negeri 1 Selong" in home and "SD Negeri 4 Terara" not in home
    instrumen = pmo_of(SELONG)
    assert (
        client.get(reverse("pmo:sekolah", args=[instrumen.sekolah_id]))["Location"]
        == instrumen.get_absolute_url()
    )

    page = client.get(url("instrumen", instrumen))
    text = body(page)
    assert page.status_code == 200
    for step in ("1. Refleksi pembelajaran", "2. Akar masalah", "3. Solusi", "4. Tindak lanjut"):
        assert step in text
    assert text.index("1. Refleksi") < text.index("2. Akar") < text.index("3. Solusi")
    assert "Apakah langkah tersebut dapat dilakukan oleh guru dan kepala sekolah" in text
    assert "Tambah tindak lanjut" in text and "Tampilan baca" not in text

    response = client.post(
        url("langkah-save", instrumen, 1),
        {
            "data_refleksi": "Rapor Pendidikan 2026 dan asesmen diagnostik.",
            "tujuan_sekolah": "Numerasi",
            "target_sekolah": "55%",
            "version": instrumen.version,
        },
    )
    assert response.status_code == 302
    instrumen.refresh_from_db()
    assert instrumen.data_refleksi == "Rapor Pendidikan 2026 dan asesmen diagnostik."

    response = client.post(
        url("akar-masalah-add", instrumen), {"uraian": "Buku bacaan berjenjang belum ada."}
    )
    assert response.status_code == 302
    akar = AkarMasalah.objects.get(uraian="Buku bacaan berjenjang belum ada.")
    assert "Buku bacaan berjenjang belum ada." in body(client.get(url("instrumen", instrumen)))
    assert client.post(reverse("pmo:akar-masalah-delete", args=[akar.pk])).status_code == 302
    assert not AkarMasalah.objects.filter(pk=akar.pk).exists()

    solusi = Solusi.objects.get(instrumen=instrumen)
    response = client.post(url("tindak-lanjut-add", instrumen), plan(solusi=solusi.pk))
    created = TindakLanjut.objects.get(aktivitas="Lokakarya mini asesmen diagnostik")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.solusi == solusi and created.status == StatusTindakLanjut.BELUM_MULAI
    assert "Lokakarya mini asesmen diagnostik" in body(client.get(url("instrumen", instrumen)))


def test_a_stale_step_save_is_a_conflict(client, demo):
    instrumen = pmo_of(SELONG)
    loaded_at = instrumen.version
    client.force_login(demo["ks1"])
    first = {"subtopik": "Numerasi", "masalah_prioritas": "A", "version": loaded_at}
    assert client.post(url("langkah-save", instrumen, 2), first).status_code == 302
    stale = {"subtopik": "Literasi", "masalah_prioritas": "B", "version": loaded_at}
    response = client.post(url("langkah-save", instrumen, 2), stale)
    assert response.status_code == 409
    assert "Literasi" in body(response) and "Numerasi" in body(response)
    instrumen.refresh_from_db()
    assert instrumen.subtopik == "Numerasi"
    assert client.post(url("langkah-save", instrumen, 3), first).status_code == 404


def test_an_action_can_only_come_from_this_schools_solutions(client, demo):
    other = services.solusi_save(
        actor=demo["ks2"],
        solusi=Solusi(instrumen=pmo_of(TERARA)),
        expected_version=0,
        data={"uraian": "Solusi sekolah lain", **dict.fromkeys(Solusi.KRITERIA, True)},
    )
    client.force_login(demo["ks1"])
    form = body(client.get(url("tindak-lanjut-add", pmo_of(SELONG))))
    assert "Pelatihan internal asesmen formatif" in form and "Solusi sekolah lain" not in form
    response = client.post(url("tindak-lanjut-add", pmo_of(SELONG)), plan(solusi=other.pk))
    assert response.status_code == 400
    assert not TindakLanjut.objects.filter(aktivitas="Lokakarya mini asesmen diagnostik").exists()


def test_attachment_of_step_1_is_listed_and_served(client, demo, lampiran):
    client.force_login(demo["ks1"])
    text = body(client.get(url("instrumen", pmo_of(SELONG))))
    assert "Rapor Pendidikan 2026" in text
    assert reverse("pmo:lampiran-berkas", args=[lampiran.pk]) in text
    assert lampiran.langkah == 1
    response = client.post(
        url("lampiran-add", pmo_of(SELONG)),
        {
            "berkas": SimpleUploadedFile("x.html", b"<html></html>", content_type="text/html"),
            "langkah": "1",
        },
    )
    assert response.status_code == 400 and "tidak diizinkan" in body(response)
    assert LampiranPMO.objects.count() == 1


def test_step_reached_is_shown_for_each_school(client, demo):
    client.force_login(demo["ks2"])
    page = body(client.get(url("instrumen", pmo_of(TERARA))))
    assert 'data-langkah-tercapai="2"' in page and "Langkah 2 dari 4" in page
    client.force_login(demo["ks1"])
    page = body(client.get(url("instrumen", pmo_of(SELONG))))
    assert 'data-langkah-tercapai="4"' in page and "Langkah 4 dari 4" in page
    client.force_login(demo["pengawas1"])
    home = body(client.get(reverse("pmo:home")))
    selong = home[home.index("SMA Negeri 1 Selong") :]
    terara = home[home.index("SD Negeri 4 Terara") :]
    assert re.search(r'data-langkah-tercapai="(\d)"', selong).group(1) == "4"
    assert re.search(r'data-langkah-tercapai="(\d)"', terara).group(1) == "2"


# --- step 3: the four criteria -------------------------------------------------------------


def test_a_solution_cannot_be_agreed_with_a_criterion_unanswered(client, demo):
    instrumen = pmo_of(TERARA)
    client.force_login(demo["ks2"])
    data = {**KRITERIA_YA, "uraian": "Komunitas belajar mingguan", "disepakati": "on"}
    data["sumber_daya"] = ""  # belum dijawab
    response = client.post(url("solusi-add", instrumen), data)
    assert response.status_code == 400
    assert "jawab keempat kriteria" in body(response)
    assert not Solusi.objects.filter(instrumen=instrumen).exists()

    # A candidate with every criterion answered, not yet agreed …
    candidate = {**KRITERIA_YA, "uraian": "Komunitas belajar mingguan"}
    assert client.post(url("solusi-add", instrumen), candidate).status_code == 302
    solusi = Solusi.objects.get(instrumen=instrumen)
    assert not solusi.disepakati
    # … cannot be agreed while one answer is taken back …
    edit = reverse("pmo:solusi-edit", args=[solusi.pk])
    response = client.post(edit, {**data, "version": solusi.version})
    assert response.status_code == 400 and "jawab keempat kriteria" in body(response)
    solusi.refresh_from_db()
    assert not solusi.disepakati and solusi.sumber_daya is True
    # … and is agreed once all four have an answer ("Tidak" counts).
    data.update(sumber_daya="False", version=solusi.version)
    assert client.post(edit, data).status_code == 302
    solusi.refresh_from_db()
    assert solusi.disepakati and solusi.sumber_daya is False
    page = body(client.get(url("instrumen", instrumen)))
    assert 'data-langkah-tercapai="3"' in page and "Disepakati" in page


def test_a_candidate_solution_may_leave_criteria_unanswered(client, demo):
    instrumen = pmo_of(TERARA)
    client.force_login(demo["ks2"])
    data = {**KRITERIA_YA, "uraian": "Komunitas belajar mingguan", "sumber_daya": ""}
    assert client.post(url("solusi-add", instrumen), data).status_code == 302
    solusi = Solusi.objects.get(instrumen=instrumen)
    assert solusi.sumber_daya is None and not solusi.disepakati
    assert "belum dijawab" in body(client.get(url("instrumen", instrumen)))


# --- step 4: status history, notes, conflicts ---------------------------------------------


def test_the_demo_timeline_is_complete_and_in_time_order(client, demo):
    training = action("In-house training")
    client.force_login(demo["ks1"])
    response = client.get(reverse("pmo:tindak-lanjut", args=[training.pk]))
    shown = timeline(response)
    assert len(shown) == training.perubahan_status.count()  # complete
    assert ("", "belum_mulai") in shown
    assert shown.index(("belum_mulai", "berjalan")) < shown.index(("berjalan", "selesai"))
    in_time_order = list(training.perubahan_status.order_by("at", "pk").values_list("dari", "ke"))
    assert shown == in_time_order
    text = body(response)
    assert "Pelatihan sesi 1 terlaksana." in text and "Seluruh sesi pelatihan selesai." in text
    assert "H. Lalu Suparman, S.Pd., M.M" in text


def test_status_changes_write_the_timeline_in_order(client, demo):
    instrumen = pmo_of(SELONG)
    client.force_login(demo["ks1"])
    client.post(url("tindak-lanjut-add", instrumen), plan())
    item = TindakLanjut.objects.get(aktivitas="Lokakarya mini asesmen diagnostik")
    status_url = reverse("pmo:tindak-lanjut-status", args=[item.pk])
    for status, alasan in [
        ("berjalan", "Sesi pertama dilaksanakan."),
        ("terkendala", "Narasumber berhalangan."),
        ("berjalan", "Narasumber pengganti didapat."),
    ]:
        item.refresh_from_db()
        response = client.post(
            status_url, {"status": status, "alasan": alasan, "version": item.version}
        )
        assert response.status_code == 302, body(response)
    page = client.get(item.get_absolute_url())
    assert timeline(page) == [
        ("", "belum_mulai"),
        ("belum_mulai", "berjalan"),
        ("berjalan", "terkendala"),
        ("terkendala", "berjalan"),
    ]
    assert PerubahanStatus.objects.filter(tindak_lanjut=item).count() == 4
    assert "Narasumber berhalangan." in body(page)
    item.refresh_from_db()
    assert item.status == StatusTindakLanjut.BERJALAN


def test_only_allowed_next_statuses_are_offered_and_others_are_refused(client, demo):
    training = action("In-house training")  # selesai
    client.force_login(demo["ks1"])
    page = body(client.get(training.get_absolute_url()))
    form = page[page.index('id="ubah-status"') :]
    assert 'value="berjalan"' in form and 'value="dibatalkan"' not in form
    rows = PerubahanStatus.objects.count()
    response = client.post(
        reverse("pmo:tindak-lanjut-status", args=[training.pk]),
        {"status": "dibatalkan", "alasan": "Tidak jadi.", "version": training.version},
    )
    assert response.status_code == 400
    assert "tidak dapat langsung menjadi" in body(response)
    response = client.post(
        reverse("pmo:tindak-lanjut-status", args=[training.pk]),
        {"status": "berjalan", "alasan": "", "version": training.version},
    )
    assert response.status_code == 400
    training.refresh_from_db()
    assert training.status == StatusTindakLanjut.SELESAI
    assert PerubahanStatus.objects.count() == rows


def school_operator_of(npsn: str):
    user = UserFactory(username="opsekolah")
    PenugasanSekolahFactory(
        orang=OrangFactory(user=user, nama="Baiq Operator Sekolah"),
        sekolah=Sekolah.objects.get(npsn=npsn),
        peran=Peran.OPERATOR_SEKOLAH,
    )
    return user


def test_two_people_editing_the_same_action_get_a_conflict_not_an_overwrite(client, demo):
    jadwal = action("Jadwal belajar bersama")
    loaded_at = jadwal.version
    edit = reverse("pmo:tindak-lanjut-edit", args=[jadwal.pk])
    client.force_login(school_operator_of(SELONG))
    first = plan(aktivitas="Belajar bersama setiap Kamis jam terakhir", version=loaded_at)
    assert client.post(edit, first).status_code == 302
    client.force_login(demo["ks1"])
    second = plan(aktivitas="Belajar bersama setiap Rabu", version=loaded_at)
    response = client.post(edit, second)
    assert response.status_code == 409
    text = body(response)
    assert "Belajar bersama setiap Rabu" in text
    assert "Belajar bersama setiap Kamis jam terakhir" in text
    jadwal.refresh_from_db()
    assert jadwal.aktivitas == "Belajar bersama setiap Kamis jam terakhir"

    # A status change from a page loaded before that save is a conflict too.
    response = client.post(
        reverse("pmo:tindak-lanjut-status", args=[jadwal.pk]),
        {"status": "selesai", "alasan": "Sudah rutin.", "version": loaded_at},
    )
    assert response.status_code == 409
    jadwal.refresh_from_db()
    assert jadwal.status == StatusTindakLanjut.BERJALAN


def test_monthly_note_is_saved_for_this_month_and_shown(client, demo):
    training = action("In-house training")
    this_month = month_start(timezone.localdate())
    client.force_login(demo["ks1"])
    page = body(client.get(training.get_absolute_url()))
    assert f'value="{this_month:%Y-%m}"' in page  # the form defaults to this month
    note_url = reverse("pmo:catatan-bulanan", args=[training.pk])
    data = {
        "bulan": f"{this_month:%Y-%m}",
        "berjalan_baik": "Guru mulai memakai asesmen formatif di kelas.",
        "kendala": "Waktu persiapan terbatas.",
        "version": "0",
    }
    assert client.post(note_url, data).status_code == 302
    note = CatatanBulanan.objects.get(tindak_lanjut=training)
    assert note.bulan == this_month and note.kendala == "Waktu persiapan terbatas."
    page = body(client.get(training.get_absolute_url()))
    assert "Guru mulai memakai asesmen formatif di kelas." in page
    assert f'data-bulan="{this_month:%Y-%m}"' in page

    # Saving again edits the same month's record; a stale form is a conflict.
    data.update(kendala="Sudah teratasi.", version=note.version)
    assert client.post(note_url, data).status_code == 302
    assert CatatanBulanan.objects.filter(tindak_lanjut=training).count() == 1
    data.update(kendala="Tulisan lama")
    assert client.post(note_url, data).status_code == 409
    note.refresh_from_db()
    assert note.kendala == "Sudah teratasi."


def test_feedback_of_the_facilitator_is_shown_to_the_head(client, demo):
    instrumen = pmo_of(SELONG)
    jadwal = action("Jadwal belajar bersama")
    services.umpan_balik_add(
        actor=demo["fasilitator1"],
        instrumen=instrumen,
        isi="Data refleksi sudah lengkap.",
        langkah=1,
    )
    services.umpan_balik_add(
        actor=demo["fasilitator1"],
        instrumen=instrumen,
        isi="Libatkan guru mapel numerasi.",
        tindak_lanjut=jadwal,
    )
    assert UmpanBalik.objects.count() >= 2
    client.force_login(demo["ks1"])
    page = body(client.get(url("instrumen", instrumen)))
    step1 = page[page.index('id="langkah-1"') : page.index('id="langkah-2"')]
    assert "Data refleksi sudah lengkap." in step1
    assert "Libatkan guru mapel numerasi." in page[page.index('id="langkah-4"') :]
    detail = body(client.get(jadwal.get_absolute_url()))
    assert "Libatkan guru mapel numerasi." in detail and "Dr. Hj. Siti Rohmi, M.Pd" in detail


# --- home ---------------------------------------------------------------------------------


def test_home_lists_this_months_topics_and_the_heads_school_first(client, demo):
    PenugasanSekolahFactory(
        orang=demo["ks1"].orang, sekolah=Sekolah.objects.get(npsn=TERARA), peran=Peran.PENGAWAS
    )
    client.force_login(demo["ks1"])
    home = body(client.get(reverse("pmo:home")))
    assert home.index("SMA Negeri 1 Selong") < home.index("SD Negeri 4 Terara")
    topik = TopikPMO.objects.filter(bulan=timezone.localdate().month).first()
    assert topik is not None and topik.topik in home
    assert home.index("Topik monitoring bulan ini") < home.index("SMA Negeri 1 Selong")
    selong = home[home.index("SMA Negeri 1 Selong") : home.index("SD Negeri 4 Terara")]
    assert 'data-status="terkendala"' in selong and 'data-status="selesai"' in selong


def fill_pmo(sekolah, actor):
    """A PMO at step 4 with two actions, written through the services."""
    instrumen = services.instrumen_get_or_create(actor=actor, sekolah=sekolah, **periode())
    services.akar_masalah_add(actor=actor, instrumen=instrumen, uraian="Akar")
    solusi = services.solusi_save(
        actor=actor,
        solusi=Solusi(instrumen=instrumen),
        expected_version=0,
        data={"uraian": "Solusi", "disepakati": True, **dict.fromkeys(Solusi.KRITERIA, True)},
    )
    for aktivitas in ("Aksi A", "Aksi B"):
        item = services.tindak_lanjut_save(
            actor=actor,
            tindak_lanjut=TindakLanjut(instrumen=instrumen),
            expected_version=0,
            data={"aktivitas": aktivitas, "solusi": solusi},
        )
        services.tindak_lanjut_set_status(
            actor=actor,
            tindak_lanjut=item,
            expected_version=item.version,
            status=StatusTindakLanjut.BERJALAN,
            alasan="Mulai",
        )


@pytest.mark.parametrize("scale", [1, 3])
def test_home_query_count_is_flat(client, db, django_assert_max_num_queries, scale):
    call_command("seed_demo", "--scale", str(scale), stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    for sekolah in Sekolah.objects.exclude(pmo__tahun_ajaran=tahun()):
        fill_pmo(sekolah, users["operator1"])
    assert Sekolah.objects.filter(kabupaten__kode="5203").count() == 8 * scale
    client.force_login(users["koordinator1"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("pmo:home"))
    assert response.status_code == 200
    # Every school of Lombok Timur has a PMO, and none of Sikka's is listed.
    assert body(response).count("data-langkah-tercapai=") == 8 * scale
    assert "Maumere" not in body(response)
