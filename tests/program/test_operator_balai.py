"""An operator of a Balai (issue 17 §6): keeps the master data of the Balai's
region through the product's importer, and nothing beyond it.

`operatorntb` operates the Balai Guru Penggerak NTB: Lombok Timur (demo) and
every other kabupaten/kota of NTB are theirs; Sikka (NTT) is not."""

import pytest
from django.urls import reverse

from program import access
from program.models import (
    Balai,
    KabupatenKota,
    KelasDaring,
    Orang,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    PeranWilayah,
    Sekolah,
)
from tests.program.test_impor import (
    ORANG_HEAD,
    PENUGASAN_HEAD,
    SEKOLAH_HEAD,
    confirm,
    errors_of,
    snapshot,
    upload,
    xlsx,
)

PP1_NIP, CGP1_NIP = "198305122009031004", "199002152014022001"
PP3_NIP, CGP3_NIP = "198104172006041009", "199207302019032011"
SELONG, TERARA = "50203101", "50203102"  # Lombok Timur (NTB)
MAUMERE = "50310101"  # Sikka (NTT)
LUAR = "di luar Balai Guru Penggerak Provinsi Nusa Tenggara Barat"


@pytest.fixture
def operator_ntb(client, demo):
    client.force_login(demo["operatorntb"])
    return demo["operatorntb"]


def penugasan(**cells) -> list[str]:
    return [cells.get(k, "") for k in PENUGASAN_HEAD]


def orang(**cells) -> list[str]:
    return [cells.get(k, "") for k in ORANG_HEAD]


# --- who may import ---------------------------------------------------------


def test_the_balai_operator_has_the_import_menu_and_reads_ntb_only(client, demo, operator_ntb):
    roles = access.roles_of(operator_ntb)
    assert {Peran.OPERATOR_BALAI, Peran.KOORDINATOR} <= roles
    assert not access.is_operator(operator_ntb)
    assert set(
        access.kabupaten_visible_to(operator_ntb).values_list("provinsi__kode", flat=True)
    ) == {"52"}
    assert f'href="{reverse("program:impor")}"' in client.get(reverse("beranda")).text
    page = client.get(reverse("program:impor"))
    assert page.status_code == 200
    assert "operator Balai Guru Penggerak Provinsi Nusa Tenggara Barat" in page.text
    # What stays national: versions, PI templates, the admin.
    for name in ("program:versi-list", "pendampingan:templat-list"):
        assert client.get(reverse(name)).status_code == 404
    assert client.get("/admin/").status_code == 302
    sikka = Sekolah.objects.get(npsn=MAUMERE)
    assert client.get(reverse("program:sekolah-detail", args=[sikka.pk])).status_code == 404


@pytest.mark.parametrize("username", ["koordinatorntb", "koordinator1", "koordinator2"])
def test_coordinators_do_not_import(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("program:impor")).status_code == 404
    content = xlsx([SEKOLAH_HEAD, ["50209901", "SD Uji", "SD", "negeri", "5203", ""]])
    assert upload(client, "sekolah", content).status_code == 404


def test_the_national_operator_is_not_limited(client, demo):
    client.force_login(demo["operator1"])
    content = xlsx([SEKOLAH_HEAD, ["53109901", "SD Uji Sikka", "SD", "negeri", "5310", ""]])
    response = upload(client, "sekolah", content)
    assert errors_of(response) == []
    assert "cakupan-impor" not in response.text


# --- schools ----------------------------------------------------------------


def test_schools_of_the_balai_import_and_others_are_row_errors(client, operator_ntb):
    content = xlsx(
        [
            SEKOLAH_HEAD,
            ["52019901", "SD Negeri 9 Gerung", "SD", "negeri", "5201", ""],  # Lombok Barat
            ["53109901", "SD Uji Sikka", "SD", "negeri", "5310", ""],  # Sikka (NTT)
            # A Sikka school moved into NTB by the file: still another Balai's school.
            [MAUMERE, "SMA Negeri 1 Maumere", "SMA", "negeri", "5203", ""],
        ]
    )
    before = snapshot()
    response = upload(client, "sekolah", content)
    assert "cakupan-impor" in response.text
    errors = errors_of(response)
    assert [(b, k) for b, k, _ in errors] == [(3, "kode_kabupaten"), (4, "npsn")]
    assert all(LUAR in pesan for *_, pesan in errors)
    assert LUAR in response.text
    assert response.context["token"] == ""
    assert snapshot() == before


def test_a_balai_operator_applies_an_import_of_their_region(client, operator_ntb):
    content = xlsx(
        [
            SEKOLAH_HEAD,
            ["52019901", "SD Negeri 9 Gerung", "SD", "negeri", "5201", ""],
            [SELONG, "SMA Negeri 1 Selong", "SMA", "negeri", "5203", "Jl. Pahlawan No. 1"],
        ]
    )
    response = confirm(client, "sekolah", upload(client, "sekolah", content))
    assert response.status_code == 302
    assert Sekolah.objects.get(npsn="52019901").kabupaten.kode == "5201"
    selong = Sekolah.objects.get(npsn=SELONG)
    assert selong.alamat == "Jl. Pahlawan No. 1"
    assert selong.history.first().history_user == operator_ntb


# --- people -----------------------------------------------------------------


def test_people_roles_outside_the_balai_are_refused(client, operator_ntb):
    content = xlsx(
        [
            ORANG_HEAD,
            orang(
                nama="Guru Baru Selong, S.Pd", nuptk="5203000000000001", peran="guru", npsn=SELONG
            ),
            orang(nama="Guru Baru Maumere", nuptk="5310000000000001", peran="guru", npsn=MAUMERE),
        ]
    )
    errors = errors_of(upload(client, "orang", content))
    assert [(b, k) for b, k, _ in errors] == [(3, "npsn")]


def test_a_person_of_another_region_keeps_their_data(client, demo, operator_ntb):
    ks3 = Orang.objects.get(nip="197509182001122003")  # head of SMA Negeri 1 Maumere
    content = xlsx([ORANG_HEAD, orang(nama=ks3.nama, nip=ks3.nip, email="ganti@example.com")])
    response = upload(client, "orang", content)
    errors = errors_of(response)
    assert [(b, k) for b, k, _ in errors] == [(2, "email")]
    assert "Orang ini tercatat di luar" in errors[0][2]
    ks3.refresh_from_db()
    assert ks3.email != "ganti@example.com"


def test_a_person_of_the_region_is_updated_and_an_outsider_may_gain_a_role_here(
    client, demo, operator_ntb
):
    ks1 = Orang.objects.get(nip="197204101998021003")  # head of SMA Negeri 1 Selong
    pp3 = Orang.objects.get(nip=PP3_NIP)  # Sikka; unchanged, given a role at Terara
    content = xlsx(
        [
            ORANG_HEAD,
            orang(nama=ks1.nama, nip=ks1.nip, telepon="081234567890"),
            orang(nama=pp3.nama, nip=pp3.nip, peran="guru", npsn=TERARA),
        ]
    )
    response = upload(client, "orang", content)
    assert errors_of(response) == []
    confirm(client, "orang", response)
    ks1.refresh_from_db()
    assert ks1.telepon == "081234567890"
    assert PenugasanSekolah.objects.filter(
        orang=pp3, sekolah__npsn=TERARA, peran=Peran.GURU
    ).exists()


def test_may_be_the_same_names_only_people_the_balai_operator_may_read(client, demo, operator_ntb):
    """The warning "mungkin sama dengan …" does not name people of another region."""
    for nama, npsn in (("Yakobus Sina, S.Si", MAUMERE), ("Yakobus Sina, M.Pd", TERARA)):
        PenugasanSekolah.objects.create(
            orang=Orang.objects.create(nama=nama, instansi="Dinas Pendidikan"),
            sekolah=Sekolah.objects.get(npsn=npsn),
            peran=Peran.GURU,
        )
    Orang.objects.create(nama="Yakobus Sina, S.Pd", instansi="Dinas Pendidikan")  # no school
    content = xlsx(
        [
            ORANG_HEAD,
            orang(nama="Drs. Yakobus Sina", nuptk="5203000000000009", instansi="Dinas Pendidikan"),
        ]
    )
    [(_, warning)] = upload(client, "orang", content).context["pratinjau"].peringatan
    assert "Yakobus Sina, M.Pd" in warning
    assert "S.Si" not in warning and "S.Pd" not in warning

    client.force_login(demo["operator1"])
    [(_, warning)] = upload(client, "orang", content).context["pratinjau"].peringatan
    assert all(t in warning for t in ("S.Si", "S.Pd", "M.Pd"))


def test_linking_an_existing_login_is_for_the_national_operator(client, demo, operator_ntb):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("akun.lama")
    content = xlsx(
        [ORANG_HEAD, orang(nama="Guru Selong", username="akun.lama", peran="guru", npsn=SELONG)]
    )
    errors = errors_of(upload(client, "orang", content))
    assert [(b, k) for b, k, _ in errors] == [(2, "username")]
    assert "hanya operator pusat" in errors[0][2]


# --- assignments ------------------------------------------------------------


def test_assignments_outside_the_balai_are_refused(client, demo, operator_ntb):
    content = xlsx(
        [
            PENUGASAN_HEAD,
            penugasan(tipe="fasilitator", orang=PP1_NIP, npsn=SELONG),  # ok
            penugasan(tipe="fasilitator", orang=PP1_NIP, npsn=MAUMERE),
            penugasan(tipe="koordinator", orang=PP1_NIP, kode_kabupaten="5310"),
            penugasan(tipe="koordinator", orang=PP1_NIP, kode_balai="bgp-ntt"),
            # pp1 takes Sikka's cgp3 with a Lombok Timur school: moved from NTT.
            penugasan(tipe="pp", orang=PP1_NIP, cgp=CGP3_NIP, npsn=TERARA, angkatan="PGP 12"),
            penugasan(
                tipe="fasilitator_pgp", orang=PP1_NIP, cgp=CGP1_NIP, angkatan="PGP 11", kelas="B"
            ),
        ]
    )
    before = snapshot()
    errors = errors_of(upload(client, "penugasan", content))
    assert [(b, k) for b, k, _ in errors] == [
        (3, "npsn"),
        (4, "kode_kabupaten"),
        (5, "kode_balai"),
        (6, "cgp"),
        (7, "kelas"),
    ]
    assert errors[-1][2] == "Kelas daring diatur oleh operator pusat."
    assert snapshot() == before
    assert not KelasDaring.objects.filter(nama="B").exists()


def test_a_balai_operator_names_coordinators_and_operators_of_their_balai(
    client, demo, operator_ntb
):
    ntb = Balai.objects.get(kode="bgp-ntb")
    pp1 = Orang.objects.get(nip=PP1_NIP)
    content = xlsx(
        [
            PENUGASAN_HEAD,
            penugasan(tipe="koordinator", orang=PP1_NIP, kode_kabupaten="5201"),
            penugasan(tipe="operator_balai", orang=PP1_NIP, kode_balai="BGP-NTB"),
        ]
    )
    response = upload(client, "penugasan", content)
    assert errors_of(response) == []
    confirm(client, "penugasan", response)
    assert PenugasanWilayah.objects.get(orang=pp1, balai=ntb).peran == PeranWilayah.OPERATOR
    assert PenugasanWilayah.objects.filter(orang=pp1, kabupaten__kode="5201").exists()


# --- the kode_balai column, for every operator --------------------------------


def test_a_balai_coordinator_by_import_and_a_change_of_role_shown(client, demo):
    client.force_login(demo["operator1"])
    ntt = Balai.objects.get(kode="bgp-ntt")
    pp3 = Orang.objects.get(nip=PP3_NIP)
    row = penugasan(tipe="koordinator", orang=PP3_NIP, kode_balai="bgp-ntt")
    confirm(client, "penugasan", upload(client, "penugasan", xlsx([PENUGASAN_HEAD, row])))
    wilayah = PenugasanWilayah.objects.get(orang=pp3, balai=ntt)
    assert wilayah.peran == PeranWilayah.KOORDINATOR
    # Sikka is NTT's: pp3 now reads it as a coordinator.
    pp3_user = pp3.user
    assert set(access.kabupaten_visible_to(pp3_user).values_list("provinsi__kode", flat=True)) == {
        "53"
    }

    again = upload(
        client,
        "penugasan",
        xlsx(
            [PENUGASAN_HEAD, penugasan(tipe="operator_balai", orang=PP3_NIP, kode_balai="bgp-ntt")]
        ),
    )
    baris = again.context["pratinjau"].baris[0]
    assert [(p.kolom, p.lama, p.baru) for p in baris.perubahan] == [
        ("Sebagai", "Koordinator", "Operator Balai")
    ]
    confirm(client, "penugasan", again)
    wilayah.refresh_from_db()
    assert wilayah.peran == PeranWilayah.OPERATOR
    assert PenugasanWilayah.objects.filter(orang=pp3).count() == 1


@pytest.mark.parametrize(
    ("cells", "kolom", "pesan"),
    [
        ({"tipe": "koordinator"}, "kode_kabupaten", "Isi salah satu dari kolom"),
        (
            {"tipe": "koordinator", "kode_kabupaten": "5203", "kode_balai": "bgp-ntb"},
            "kode_kabupaten",
            "tidak keduanya",
        ),
        ({"tipe": "operator_balai"}, "kode_balai", "wajib diisi"),
        ({"tipe": "operator_balai", "kode_balai": "bgp-xyz"}, "kode_balai", "tidak dikenal"),
        (
            {"tipe": "fasilitator", "npsn": SELONG, "kode_balai": "bgp-ntb"},
            "kode_balai",
            "kosongkan",
        ),
    ],
)
def test_the_balai_column_is_checked(client, demo, cells, kolom, pesan):
    client.force_login(demo["operator1"])
    row = penugasan(orang=PP1_NIP, **cells)
    errors = errors_of(upload(client, "penugasan", xlsx([PENUGASAN_HEAD, row])))
    assert [(k, pesan in p) for _, k, p in errors] == [(kolom, True)]


def test_an_operator_of_a_balai_must_be_assigned_to_a_balai(demo):
    from django.core.exceptions import ValidationError

    wilayah = PenugasanWilayah(
        orang=Orang.objects.get(nip=PP1_NIP),
        kabupaten=KabupatenKota.objects.get(kode="5201"),
        peran=PeranWilayah.OPERATOR,
    )
    with pytest.raises(ValidationError, match="Operator ditugaskan ke balai"):
        wilayah.full_clean()


def test_an_outsiders_data_is_not_shown_in_the_preview(client, demo, operator_ntb):
    """Typing the NIP of someone in NTT does not show what the database holds of them."""
    ks3 = Orang.objects.get(nip="197509182001122003")  # head of SMA Negeri 1 Maumere
    ks3.email, ks3.telepon = "ks3@maumere.sch.id", "081300000003"
    ks3.save()
    content = xlsx([ORANG_HEAD, orang(nama="Siapa Saja", nip=ks3.nip, email="baru@example.com")])
    page = upload(client, "orang", content).content.decode()
    assert "Orang ini tercatat di luar" in page
    assert "baru@example.com" in page
    for held in (ks3.nama, ks3.email):
        assert held not in page

    client.force_login(demo["operator1"])
    page = upload(client, "orang", content).content.decode()
    assert ks3.nama in page and ks3.email in page


def test_people_of_another_region_are_not_named_in_a_row_error(client, demo, operator_ntb):
    """A row whose keys point at two people names those of the Balai only."""
    pp1, ks3 = Orang.objects.get(nip=PP1_NIP), Orang.objects.get(nip="197509182001122003")
    ks3.nuptk = "5310000000000003"
    ks3.save()
    content = xlsx([ORANG_HEAD, orang(nama=pp1.nama, nip=pp1.nip, nuptk=ks3.nuptk)])
    [(_, _, pesan)] = errors_of(upload(client, "orang", content))
    assert "menunjuk ke orang yang berbeda" in pesan
    assert pp1.nama in pesan and "1 orang di luar wilayah Anda" in pesan
    assert ks3.nama not in pesan

    client.force_login(demo["operator1"])
    [(_, _, pesan)] = errors_of(upload(client, "orang", content))
    assert pp1.nama in pesan and ks3.nama in pesan
