"""One person, once (issue 17 §7): adding a participant by hand offers the
existing person of that instansi whose name matches once titles and
punctuation are aside; the facilitator chooses, nothing is merged silently."""

import pytest
from django.urls import reverse

from lokakarya.models import Lokakarya
from program.models import Orang
from program.orang_sama import mungkin_sama, normalized_name
from tests.factories import OrangFactory


@pytest.mark.parametrize(
    "typed",
    ["Dra. Siti  Aminah, M.Pd.", "siti aminah", "SITI AMINAH S.Pd", "Siti Aminah, S.Pd., Gr."],
)
def test_titles_case_and_punctuation_aside_the_name_is_the_same(typed):
    assert normalized_name(typed) == "siti aminah"


def test_a_different_name_is_not_the_same():
    assert normalized_name("Siti Aminah") != normalized_name("Siti Aminah Rahmawati")


@pytest.mark.django_db
def test_only_people_of_the_same_instansi_are_offered():
    same = OrangFactory(
        nama="Dra. Siti Aminah, M.Pd.", instansi="Dinas Pendidikan Kab. Lombok Timur"
    )
    OrangFactory(nama="Siti Aminah", instansi="Dinas Pendidikan Kab. Sikka")  # someone else
    found = mungkin_sama("siti aminah, S.Pd", instansi="dinas pendidikan kab lombok timur")
    assert found == [same]
    assert mungkin_sama("Siti Aminah", instansi="Universitas Mataram") == []


@pytest.mark.django_db
def test_many_names_at_once_follow_the_same_rule():
    from program.orang_sama import Pencari

    same = OrangFactory(
        nama="Dra. Siti Aminah, M.Pd.", instansi="Dinas Pendidikan Kab. Lombok Timur"
    )
    OrangFactory(nama="Siti Aminah", instansi="Dinas Pendidikan Kab. Sikka")
    pencari = Pencari(instansi=["dinas pendidikan kab. lombok timur"])  # typed in lower case
    assert pencari.cari("SITI AMINAH S.Pd", instansi="Dinas Pendidikan Kab. Lombok Timur") == [same]
    assert pencari.cari("Siti Aminah", instansi="Universitas Mataram") == []


@pytest.fixture
def lok(demo):
    return Lokakarya.objects.get(fasilitator__user=demo["fasilitator1"])


def add(client, lok, **extra):
    data = {
        "nama": "Siti Aminah, S.Pd",
        "instansi": "Dinas Pendidikan Lombok Timur",
        "peran": "guru",
    }
    return client.post(reverse("lokakarya:peserta", args=[lok.pk]), {**data, **extra}, follow=True)


def test_adding_by_hand_again_offers_the_person_already_there(client, demo, lok):
    client.force_login(demo["fasilitator1"])
    assert "Peserta ditambahkan." in add(client, lok).content.decode()
    first = Orang.objects.get(nama="Siti Aminah, S.Pd")
    lok.peserta.filter(orang=first).delete()  # e.g. added to the wrong workshop, then removed

    offer = add(client, lok, nama="Dra. SITI AMINAH")

    body = offer.content.decode()
    assert "Mungkin orang yang sama" in body
    assert "Mungkin sama dengan Siti Aminah, S.Pd" in body
    assert Orang.objects.filter(nama__icontains="aminah").count() == 1  # nothing made yet

    chosen = add(client, lok, nama="Dra. SITI AMINAH", orang_ada=str(first.pk))

    assert "Peserta ditambahkan." in chosen.content.decode()
    assert Orang.objects.filter(nama__icontains="aminah").count() == 1
    assert lok.peserta.filter(orang=first).exists()


def test_the_facilitator_may_say_it_is_someone_else(client, demo, lok):
    client.force_login(demo["fasilitator1"])
    OrangFactory(nama="Siti Aminah", instansi="Dinas Pendidikan Lombok Timur")

    response = add(client, lok, orang_ada="baru")

    assert "Peserta ditambahkan." in response.content.decode()
    assert Orang.objects.filter(nama__icontains="aminah").count() == 2


def test_a_forged_choice_of_an_unrelated_person_is_404(client, demo, lok):
    client.force_login(demo["fasilitator1"])
    OrangFactory(nama="Siti Aminah", instansi="Dinas Pendidikan Lombok Timur")
    stranger = OrangFactory(nama="Orang Lain", instansi="Tempat Lain")
    assert add(client, lok, orang_ada=str(stranger.pk)).status_code == 404
    assert not lok.peserta.filter(orang=stranger).exists()


# --- the people import's dry run -------------------------------------------------------


def test_the_people_import_points_out_who_may_already_be_there(client, demo):
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from program import imports
    from program.models import PenugasanSekolah

    there = PenugasanSekolah.objects.select_related("orang").filter(sekolah__npsn="50203101")
    known = there.first().orang
    retyped = normalized_name(known.nama).upper() + ", S.Pd., Gr."
    rows = [
        imports.JENIS["orang"].nama_kolom,
        [retyped, "", "", "", "", "", "ketik.ulang", "guru", "50203101"],
        ["Orang Benar-benar Baru", "", "", "", "", "", "orang.baru", "guru", "50203101"],
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    client.force_login(demo["operator1"])

    response = client.post(
        reverse("program:impor-preview", args=["orang"]),
        {"berkas": SimpleUploadedFile("orang.csv", out.getvalue().encode())},
    )

    pratinjau = response.context["pratinjau"]
    assert [n for n, _ in pratinjau.peringatan] == [2]  # the file's row 2, not row 3
    assert f"Mungkin sama dengan {known.nama}" in pratinjau.peringatan[0][1]
    body = response.content.decode()
    assert "1 orang baru mungkin sudah ada di basis data" in body
    assert pratinjau.dapat_diterapkan  # a warning, not an error: the operator decides
