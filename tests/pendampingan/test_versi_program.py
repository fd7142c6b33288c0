"""Programme versions (issue 17 §1): a cohort follows a version that owns its
PI templates (how many PI), its workshop templates and its calendar; an
operator makes a version from another and edits its PI templates in the
product, with history, never over someone else's later save."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lokakarya.models import TemplatLokakarya
from pendampingan import services
from pendampingan.models import LangkahPI, TemplatPI
from program.models import Angkatan, KalenderVersi, PenugasanPP, VersiProgram
from reports.exports import baris_sesi_pi
from reports.filters import Saringan

ENAM = "PGP · 6 PI"
TUJUH = "PGP 9 bulan · 7 PI"


def make_version(client, demo, **data):
    client.force_login(demo["operator1"])
    dari = VersiProgram.objects.get(nama=ENAM)
    form = {"dari": dari.pk, "nama": TUJUH, "jumlah_pi": 7, "keterangan": "", **data}
    return client.post(reverse("program:versi-create"), form)


@pytest.fixture
def tujuh(client, demo):
    """A seven-PI version copied from the six-PI one, followed by Angkatan 12."""
    KalenderVersi.objects.create(versi=VersiProgram.objects.get(nama=ENAM), ke=1, minggu_ke=4)
    assert make_version(client, demo).status_code == 302
    versi = VersiProgram.objects.get(nama=TUJUH)
    Angkatan.objects.filter(nomor=12).update(versi=versi)
    return versi


def pasangan(pp: str, angkatan: int) -> PenugasanPP:
    return PenugasanPP.objects.filter(pp__user__username=pp, angkatan__nomor=angkatan).first()


def test_a_new_version_is_a_copy_of_its_source_with_room_for_more_pi(client, demo, tujuh):
    enam = VersiProgram.objects.get(nama=ENAM)
    assert tujuh.program == enam.program and tujuh.jumlah_pi == 7
    copied = {t.urutan: t for t in TemplatPI.objects.filter(versi=tujuh)}
    assert sorted(copied) == [1, 2, 3, 4, 5, 6]  # PI 7: no template yet
    source = TemplatPI.objects.get(versi=enam, urutan=2)
    assert copied[2].tema == source.tema
    assert list(copied[2].langkah.values_list("judul", "menit")) == list(
        source.langkah.values_list("judul", "menit")
    )
    assert list(tujuh.kalender.values_list("ke", "minggu_ke")) == [(1, 4)]
    workshops = TemplatLokakarya.objects.filter(versi=tujuh)
    assert workshops.count() == TemplatLokakarya.objects.filter(versi=enam).count() > 0
    assert all(t.kode.endswith(f"-v{tujuh.pk}") for t in workshops)

    page = client.get(reverse("pendampingan:templat-list")).content.decode()
    section = page.split(f'id="versi-{tujuh.pk}"')[1]
    assert "PI 7" in section and "Belum dibuat" in section
    assert "Angkatan 12" in section


def test_a_version_name_is_not_taken_twice(client, demo, tujuh):
    response = make_version(client, demo)
    assert response.status_code == 400
    assert "Program ini sudah punya versi bernama itu." in response.content.decode()
    assert VersiProgram.objects.filter(nama=TUJUH).count() == 1


def test_the_grid_and_pages_follow_the_cohorts_number_of_pi(client, demo, tujuh):
    sikka = pasangan("pp3", 12)
    lombok = pasangan("pp1", 11)
    client.force_login(demo["pp3"])
    page = client.get(reverse("pendampingan:beranda-pp")).content.decode()
    assert "PI 7" in page
    assert client.get(reverse("pendampingan:sesi", args=[sikka.pk, 7])).status_code == 200
    assert client.get(reverse("pendampingan:sesi", args=[sikka.pk, 8])).status_code == 404

    client.force_login(demo["pp1"])
    page = client.get(reverse("pendampingan:beranda-pp")).content.decode()
    assert "PI 6" in page and "PI 7" not in page
    assert client.get(reverse("pendampingan:sesi", args=[lombok.pk, 7])).status_code == 404


def test_a_pi_without_a_template_says_its_guidance_is_missing(client, demo, tujuh):
    sikka = pasangan("pp3", 12)
    client.force_login(demo["pp3"])
    page = client.get(reverse("pendampingan:sesi", args=[sikka.pk, 7])).content.decode()
    assert "Panduan belum diisi" in page


def test_planning_copies_the_template_of_the_cohorts_own_version(client, demo, tujuh):
    TemplatPI.objects.filter(versi=tujuh, urutan=4).update(tema="Tema versi sembilan bulan")
    TemplatPI.objects.filter(versi__nama=ENAM, urutan=4).update(tema="Tema versi enam bulan")
    sikka, lombok = pasangan("pp3", 12), pasangan("pp1", 11)

    sesi_sikka = services.sesi_get_or_create(actor=demo["pp3"], penugasan=sikka, urutan=4)
    sesi_lombok = services.sesi_get_or_create(actor=demo["pp1"], penugasan=lombok, urutan=4)

    assert sesi_sikka.tema == "Tema versi sembilan bulan"
    assert sesi_lombok.tema == "Tema versi enam bulan"


def test_the_dashboard_and_the_export_count_each_cohorts_pi(client, demo, tujuh):
    cgp = PenugasanPP.objects.filter(angkatan__nomor=12, sekolah__kabupaten__kode="5310")
    client.force_login(demo["koordinator2"])
    data = client.get(reverse("reports:dasbor")).context["data"]
    assert data.pi.total.cgp == cgp.count()
    assert data.pi.total.jumlah_pi == 7 * cgp.count()

    total, rows = baris_sesi_pi(demo["koordinator2"], Saringan(), now=None)
    rows = list(rows)
    assert total == len(rows) == 7 * cgp.count()
    assert {r["pi"] for r in rows} == set(range(1, 8))


def test_an_operator_creates_the_missing_template_and_not_one_beyond(client, demo, tujuh):
    client.force_login(demo["operator1"])
    url = reverse("pendampingan:templat-create", args=[tujuh.pk, 7])
    response = client.post(url)
    created = TemplatPI.objects.get(versi=tujuh, urutan=7)
    assert response.url == reverse("pendampingan:templat-edit", args=[created.pk])
    assert not created.lengkap
    beyond = reverse("pendampingan:templat-create", args=[tujuh.pk, 8])
    assert client.post(beyond).status_code == 404
    assert not TemplatPI.objects.filter(versi=tujuh, urutan=8).exists()


def edit_form(client, templat: TemplatPI) -> dict:
    """The edit form's fields as the page renders them."""
    response = client.get(reverse("pendampingan:templat-edit", args=[templat.pk]))
    form, formset = response.context["form"], response.context["formset"]
    data = {"riwayat": form.initial["riwayat"]}
    for name in form.fields:
        if name != "riwayat":
            value = form.initial.get(name)
            data[name] = "" if value is None else value
    management = formset.management_form
    for name in management.fields:
        data[f"langkah-{name}"] = management.initial.get(name, 0)
    for i, f in enumerate(formset.forms):
        for name in f.fields:
            value = f.initial.get(name)
            if hasattr(value, "pk"):
                value = value.pk
            data[f"langkah-{i}-{name}"] = "" if value is None else value
    return data


def fill_pi4(data: dict) -> dict:
    data.update(tema="Merencanakan aksi nyata", fokus="Fokus satu")
    data.update(menit_awal=10, menit_inti=20, menit_akhir=10)
    for i, (bagian, menit) in enumerate([("awal", 10), ("inti", 20)]):
        data.update(
            {
                f"langkah-{i}-urutan": i + 1,
                f"langkah-{i}-bagian": bagian,
                f"langkah-{i}-judul": f"Langkah {bagian}",
                f"langkah-{i}-menit": menit,
            }
        )
    return data


def test_an_operator_edits_a_template_in_the_product_with_history(client, demo):
    client.force_login(demo["operator1"])
    templat = TemplatPI.objects.get(urutan=4)
    data = fill_pi4(edit_form(client, templat))
    data.update(
        {
            "langkah-TOTAL_FORMS": 3,
            "langkah-2-urutan": 3,
            "langkah-2-bagian": "akhir",
            "langkah-2-judul": "Penutup",
            "langkah-2-menit": 10,
        }
    )
    response = client.post(reverse("pendampingan:templat-edit", args=[templat.pk]), data)

    assert response.status_code == 302
    templat.refresh_from_db()
    assert templat.tema == "Merencanakan aksi nyata"
    assert templat.lengkap
    assert list(templat.langkah.values_list("judul", flat=True)) == [
        "Langkah awal",
        "Langkah inti",
        "Penutup",
    ]
    assert templat.history.first().history_user == demo["operator1"]
    page = client.get(reverse("pendampingan:templat-edit", args=[templat.pk])).content.decode()
    assert "operator1" in page.split('id="riwayat"')[1]


def test_steps_that_do_not_add_up_are_refused_and_nothing_is_saved(client, demo):
    client.force_login(demo["operator1"])
    templat = TemplatPI.objects.get(urutan=4)
    data = fill_pi4(edit_form(client, templat))  # no step for the 10 minutes of bagian akhir

    response = client.post(reverse("pendampingan:templat-edit", args=[templat.pk]), data)

    assert response.status_code == 400
    assert "Bagian akhir: langkah berjumlah 0 menit, seharusnya 10 menit." in (
        response.content.decode()
    )
    assert "Merencanakan aksi nyata" in response.content.decode()  # what was typed stays
    templat.refresh_from_db()
    assert templat.tema == "" and not LangkahPI.objects.filter(templat=templat).exists()


def test_a_save_over_a_later_save_by_someone_else_is_a_conflict(client, demo):
    client.force_login(demo["operator1"])
    templat = TemplatPI.objects.get(urutan=4)
    data = fill_pi4(edit_form(client, templat))
    data["menit_akhir"] = ""  # a part whose minutes are not known: allowed
    # Meanwhile another operator saves the template.
    other = TemplatPI.objects.get(pk=templat.pk)
    other.tema = "Tema operator lain"
    other._history_user = demo["admin"]
    other.save()

    response = client.post(reverse("pendampingan:templat-edit", args=[templat.pk]), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "sudah diubah oleh admin sejak halaman ini dibuka" in page
    assert "Merencanakan aksi nyata" in page
    templat.refresh_from_db()
    assert templat.tema == "Tema operator lain"
    # Saving again, having seen it, is a deliberate choice.
    data["riwayat"] = response.context["form"].data["riwayat"]
    again = client.post(reverse("pendampingan:templat-edit", args=[templat.pk]), data)
    assert again.status_code == 302
    templat.refresh_from_db()
    assert templat.tema == "Merencanakan aksi nyata"


def test_applying_a_template_reaches_only_its_versions_cohorts(client, demo, tujuh):
    sikka, lombok = pasangan("pp3", 12), pasangan("pp1", 11)
    s_sikka = services.sesi_get_or_create(actor=demo["pp3"], penugasan=sikka, urutan=5)
    s_lombok = services.sesi_get_or_create(actor=demo["pp1"], penugasan=lombok, urutan=5)
    templat = TemplatPI.objects.get(versi=tujuh, urutan=5)
    TemplatPI.objects.filter(pk=templat.pk).update(tema="Tema baru PI 5")
    client.force_login(demo["operator1"])

    client.post(reverse("pendampingan:templat-apply", args=[templat.pk]))

    s_sikka.refresh_from_db()
    s_lombok.refresh_from_db()
    assert s_sikka.tema == "Tema baru PI 5"
    assert s_lombok.tema != "Tema baru PI 5"


def test_the_version_list_shows_cohorts_pi_and_calendar(client, demo, tujuh):
    client.force_login(demo["operator1"])
    page = client.get(reverse("program:versi-list")).content.decode()
    section = page.split(f'id="versi-{tujuh.pk}"')[1].split("</section>")[0]
    assert "Angkatan 12" in section
    assert "Lokakarya 1: minggu ke-4" in section
    assert ">7 (" in section.replace("\n", "")


def test_a_cohorts_missing_dates_come_from_its_versions_calendar(client, demo, tujuh):
    angkatan = Angkatan.objects.get(nomor=12)
    KalenderVersi.objects.create(versi=tujuh, ke=7, minggu_ke=30)
    moved = angkatan.jadwal_lokakarya.get(ke=1).tanggal  # the cohort's own date of lokakarya 1
    angkatan.jadwal_lokakarya.filter(ke=7).delete()
    client.force_login(demo["operator1"])

    response = client.post(reverse("program:versi-jadwal-fill", args=[angkatan.pk]), follow=True)

    assert "1 tanggal lokakarya Angkatan 12 diisi dari kalender versinya." in (
        response.content.decode()
    )
    assert angkatan.jadwal_lokakarya.get(ke=7).tanggal == angkatan.tanggal_mulai + dt.timedelta(
        weeks=29
    )
    assert angkatan.jadwal_lokakarya.get(ke=1).tanggal == moved  # kept, not recomputed
    again = client.post(reverse("program:versi-jadwal-fill", args=[angkatan.pk]), follow=True)
    assert "Tidak ada yang diisi" in again.content.decode()


def test_a_workshop_template_two_versions_share_says_whose_it_is(client, demo, tujuh):
    client.force_login(demo["fasilitator1"])
    page = client.get(reverse("lokakarya:create")).content.decode()
    assert f"PGP · Lokakarya 2 ({TUJUH})" in page
    assert f"PGP · Lokakarya 2 ({ENAM})" in page


def test_no_session_is_planned_beyond_the_cohorts_pi(demo):
    lombok = pasangan("pp1", 11)
    with pytest.raises(ValidationError, match=r"PGP · 6 PI hanya punya PI 1–6\."):
        services.sesi_get_or_create(actor=demo["pp1"], penugasan=lombok, urutan=7)
    assert not lombok.sesi_pi.filter(urutan=7).exists()
