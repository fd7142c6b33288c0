"""The assignment import's Fasilitator PGP rows: a CGP into an online class of
their cohort, with the class's facilitator; the preview says what changes."""

import pytest

from program.models import KelasDaring, Orang, PenugasanPP
from tests.program.test_impor import (
    CGP1_NIP,
    PENUGASAN_HEAD,
    confirm,
    csv_bytes,
    errors_of,
    upload,
)

HEAD = PENUGASAN_HEAD


@pytest.fixture
def operator(client, demo):
    client.force_login(demo["operator1"])
    return demo["operator1"]


def row(tipe, orang, cgp="", angkatan="", kelas="", npsn="", kabupaten=""):
    # PENUGASAN_HEAD: tipe, orang, cgp, npsn, angkatan, kode_kabupaten
    return [tipe, orang, cgp, npsn, angkatan, kabupaten, kelas]


def test_a_cgp_moves_to_a_new_class_of_their_cohort_with_its_facilitator(client, operator, demo):
    rows = [HEAD, row("fasilitator_pgp", "fasilitatorpgp2", CGP1_NIP, "PGP 11", "Kelas B")]
    response = upload(client, "penugasan", csv_bytes(rows), "kelas.csv")
    pratinjau = response.context["pratinjau"]
    assert [b.status for b in pratinjau.baris] == ["baru"], errors_of(response)
    assert [(p.kolom, p.lama, p.baru) for p in pratinjau.baris[0].perubahan] == [
        ("Kelas daring", "Kelas A", "Kelas B")
    ]
    assert not KelasDaring.objects.filter(nama="Kelas B").exists()  # dry run

    confirm(client, "penugasan", response)
    pair = PenugasanPP.objects.select_related("kelas__fasilitator").get(cgp__user=demo["cgp1"])
    assert pair.kelas.nama == "Kelas B"
    assert pair.kelas.fasilitator.user == demo["fasilitatorpgp2"]
    assert pair.kelas.angkatan == pair.angkatan
    assert pair.history.latest("history_date").history_change_reason.startswith("Baris 2")


def test_class_rows_refuse_what_cannot_be_right(client, operator, demo):
    # Two more CGP of Angkatan 11 the file can name (by NUPTK).
    for nama, nuptk in (("Junaidi Hamzani", "1111222233334444"), ("Sarniwati", "5555666677778888")):
        Orang.objects.filter(nama__startswith=nama).update(nuptk=nuptk)
    rows = [
        HEAD,
        # cgp3 is in Angkatan 12: no PP in Angkatan 11.
        row("fasilitator_pgp", "fasilitatorpgp1", "cgp3", "PGP 11", "Kelas A"),
        # Two facilitators for one class.
        row("fasilitator_pgp", "fasilitatorpgp1", CGP1_NIP, "PGP 11", "Kelas C"),
        row("fasilitator_pgp", "fasilitatorpgp2", "1111222233334444", "PGP 11", "kelas c"),
        # A class row without its class.
        row("fasilitator_pgp", "fasilitatorpgp1", "5555666677778888", "PGP 11", ""),
        # A school on a class row.
        row(
            "fasilitator_pgp",
            "fasilitatorpgp1",
            "5555666677778888",
            "PGP 11",
            "Kelas A",
            npsn="50203101",
        ),
    ]
    before = KelasDaring.objects.count()
    response = upload(client, "penugasan", csv_bytes(rows), "kelas.csv")
    errors = errors_of(response)
    by_row = {(b, k) for b, k, _m in errors}
    assert (2, "cgp") in by_row
    assert (4, "orang") in by_row
    assert (5, "kelas") in by_row
    assert (6, "npsn") in by_row
    messages = " ".join(m for _b, _k, m in errors)
    assert "belum punya Pengajar Praktik di PGP Angkatan 11" in messages
    assert "sudah diberi Fasilitator PGP lain di baris 3" in messages
    assert response.context["token"] == ""  # nothing to apply while rows are wrong
    assert KelasDaring.objects.count() == before


def test_reimporting_the_demo_class_changes_nothing(client, operator, demo):
    rows = [HEAD, row("fasilitator_pgp", "fasilitatorpgp1", CGP1_NIP, "PGP 11", "kelas a")]
    response = upload(client, "penugasan", csv_bytes(rows), "kelas.csv")
    assert [b.status for b in response.context["pratinjau"].baris] == ["tetap"], errors_of(response)
