"""Balai as a unit coordinators are scoped to (issue 17 §6): a coordinator of
the Balai Guru Penggerak NTB oversees every kabupaten/kota of NTB, the ones
with a coordinator of their own and the ones without, and nothing of NTT."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from program import access
from program.models import Balai, KabupatenKota, PenugasanWilayah, Peran, Provinsi, Sekolah
from reports.exports import baris_sesi_pi
from reports.filters import Saringan
from tests.factories import SekolahFactory

SELONG = "50203101"  # SMA Negeri 1 Selong, Lombok Timur (NTB)
MAUMERE_SMA = "50310103"  # a school of Kabupaten Sikka (NTT)


@pytest.fixture
def lombok_barat(demo) -> Sekolah:
    """A school in an NTB kabupaten no demo coordinator is assigned to."""
    return SekolahFactory(
        npsn="50299901",
        nama="SMP Negeri 9 Gerung",
        kabupaten=KabupatenKota.objects.get(kode="5201"),
    )


def test_the_reference_data_gives_each_province_its_balai(demo):
    ntb, ntt = Provinsi.objects.get(kode="52"), Provinsi.objects.get(kode="53")
    assert ntb.balai.nama == "Balai Guru Penggerak Provinsi Nusa Tenggara Barat"
    assert ntt.balai.nama == "Balai Guru Penggerak Provinsi Nusa Tenggara Timur"
    assert ntb.balai != ntt.balai


def test_a_balai_coordinator_oversees_every_kabupaten_of_its_provinces(demo, lombok_barat):
    user = demo["koordinatorntb"]
    assert Peran.KOORDINATOR in access.roles_of(user)
    seen = set(access.kabupaten_visible_to(user).values_list("provinsi__kode", flat=True))
    assert seen == {"52"}
    assert (
        access.kabupaten_visible_to(user).count()
        == KabupatenKota.objects.filter(provinsi__kode="52").count()
    )
    # The kabupaten coordinator keeps only their own.
    assert list(
        access.kabupaten_visible_to(demo["koordinator1"]).values_list("kode", flat=True)
    ) == ["5203"]  # Lombok Timur


def test_a_balai_coordinator_reads_schools_of_the_balai_and_none_beyond(client, demo, lombok_barat):
    selong = Sekolah.objects.get(npsn=SELONG)
    sikka = Sekolah.objects.get(npsn=MAUMERE_SMA)
    client.force_login(demo["koordinatorntb"])
    for sekolah in (selong, lombok_barat):
        assert client.get(reverse("program:sekolah-detail", args=[sekolah.pk])).status_code == 200
    assert client.get(reverse("program:sekolah-detail", args=[sikka.pk])).status_code == 404

    client.force_login(demo["koordinator1"])
    assert client.get(reverse("program:sekolah-detail", args=[lombok_barat.pk])).status_code == 404


def test_a_balai_coordinators_dashboard_and_export_cover_the_balai(client, demo):
    client.force_login(demo["koordinatorntb"])
    data = client.get(reverse("reports:dasbor")).context["data"]
    names = {r.nama for r in data.pi.per_kabupaten}
    assert names == {"Kabupaten Lombok Timur"}  # the demo's NTB pairs; no Sikka
    total, rows = baris_sesi_pi(demo["koordinatorntb"], Saringan(), now=None)
    kabupaten = {r["nama_kabupaten"] for r in rows}
    assert kabupaten == {"Kabupaten Lombok Timur"}
    assert total > 0


def test_an_assignment_names_a_kabupaten_or_a_balai_not_both(demo):
    orang = demo["koordinator1"].orang
    both = PenugasanWilayah(
        orang=orang,
        kabupaten=KabupatenKota.objects.get(kode="5201"),
        balai=Balai.objects.get(kode="bgp-ntb"),
    )
    with pytest.raises(ValidationError, match="salah satu saja"):
        both.full_clean()
    with pytest.raises(ValidationError, match="salah satu saja"):
        PenugasanWilayah(orang=orang).full_clean()
