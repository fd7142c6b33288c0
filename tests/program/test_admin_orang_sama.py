"""One person, once, in the admin too (issue 17 §7): adding a person whose
name (titles and punctuation aside) matches someone of the same instansi is
stopped with the existing person offered; the operator may still add them."""

from django.urls import reverse

from program.models import Orang
from tests.factories import OrangFactory

ADD = reverse("admin:program_orang_add")
INSTANSI = "Dinas Pendidikan Kab. Lombok Timur"


def form(**data) -> dict:
    return {"nama": "", "nip": "", "nuptk": "", "instansi": "", "email": "", "telepon": "", **data}


def test_a_person_who_may_exist_is_offered_and_nothing_is_added(client, demo):
    same = OrangFactory(nama="Dra. Siti Aminah, M.Pd.", instansi=INSTANSI)
    client.force_login(demo["operator1"])
    before = Orang.objects.count()

    response = client.post(
        ADD, form(nama="SITI AMINAH, S.Pd", instansi="dinas pendidikan kab lombok timur")
    )

    assert response.status_code == 200  # the form again, with the message
    page = response.content.decode()
    assert "Mungkin sama dengan: Dra. Siti Aminah, M.Pd." in page
    assert reverse("admin:program_orang_change", args=[same.pk]) in page
    assert Orang.objects.count() == before


def test_the_operator_may_still_add_someone_else_of_that_name(client, demo):
    OrangFactory(nama="Dra. Siti Aminah, M.Pd.", instansi=INSTANSI)
    client.force_login(demo["operator1"])

    response = client.post(ADD, form(nama="Siti Aminah", instansi=INSTANSI, tetap_tambah="on"))

    assert response.status_code == 302
    assert Orang.objects.filter(nama="Siti Aminah", instansi=INSTANSI).exists()


def test_the_same_name_elsewhere_is_someone_else(client, demo):
    OrangFactory(nama="Siti Aminah", instansi="Dinas Pendidikan Kab. Sikka")
    client.force_login(demo["operator1"])

    response = client.post(ADD, form(nama="Siti Aminah", instansi=INSTANSI))

    assert response.status_code == 302
    assert Orang.objects.filter(nama="Siti Aminah", instansi=INSTANSI).exists()
