"""The two facilitator roles: the PGP online-class facilitator (KelasDaring)
and the PSP Pelatih Ahli are different people with different scopes."""

import pytest
from django.urls import reverse

from config.menu import menu_for
from pendampingan.models import JenisCatatan
from pendampingan.services import catatan_create
from program import access
from program.models import PenugasanPP, Peran

URL = reverse("pendampingan:kelas-list")


def test_the_class_facilitator_sees_their_class_and_not_another_cohorts(client, demo):
    client.force_login(demo["fasilitatorpgp1"])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    mine = PenugasanPP.objects.filter(kelas__fasilitator__user=demo["fasilitatorpgp1"])
    assert mine.count() == 6
    for pair in mine:
        assert pair.cgp.nama in body and pair.pp.nama in body
    # Angkatan 12's class (Sikka, and pp2's new CGP) is fasilitatorpgp2's.
    for pair in PenugasanPP.objects.filter(kelas__fasilitator__user=demo["fasilitatorpgp2"]):
        assert pair.cgp.nama not in body


def test_the_class_counts_the_komunikasi_written_about_each_cgp(client, demo):
    pair = PenugasanPP.objects.get(cgp__user=demo["cgp1"])
    for judul in ("Jadwal", "Tugas modul"):
        catatan_create(
            actor=demo["pp1"],
            pp=demo["pp1"].orang,
            data={
                "jenis": JenisCatatan.KOMUNIKASI,
                "penugasan": pair,
                "judul": judul,
                "isi": "Isi.",
                "tanggal": pair.angkatan.tanggal_mulai,
            },
        )
    client.force_login(demo["fasilitatorpgp1"])
    body = client.get(URL).content.decode()
    item = body[body.index(pair.cgp.nama) :].split("</li>")[0]
    assert "2 jurnal komunikasi" in item


@pytest.mark.parametrize(
    "username", ["fasilitator1", "fasilitator3", "pp1", "cgp1", "koordinator1"]
)
def test_no_class_no_page(client, demo, username):
    client.force_login(demo[username])
    assert client.get(URL).status_code == 404


def test_the_roles_and_menus_are_distinct(demo):
    pgp = access.roles_of(demo["fasilitatorpgp1"])
    psp = access.roles_of(demo["fasilitator1"])
    assert Peran.FASILITATOR_PGP in pgp and Peran.FASILITATOR not in pgp
    assert Peran.FASILITATOR in psp and Peran.FASILITATOR_PGP not in psp
    labels_pgp = {e["label"] for e in menu_for(pgp)}
    labels_psp = {e["label"] for e in menu_for(psp)}
    assert {"Kelas daring", "Jurnal komunikasi"} <= labels_pgp
    assert not {"PMO", "Coaching", "Kalender"} & labels_pgp  # the PSP facilitator's work
    assert "Kelas daring" not in labels_psp
    assert str(Peran.FASILITATOR.label) == "Pelatih Ahli / Fasilitator PSP"
