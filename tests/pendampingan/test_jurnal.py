"""Jurnal pemantauan, jurnal fasilitasi and the PP's notes (refleksi, komunikasi)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pendampingan import services
from pendampingan.models import CatatanPP, JenisCatatan, JurnalFasilitasi, JurnalPemantauan, Modul
from pendampingan.services.jurnal import jurnal_modul_upsert
from program.models import PenugasanPP
from program.versioning import ConflictError


def pasangan(demo, cgp_username="cgp1") -> PenugasanPP:
    return PenugasanPP.objects.get(cgp__user=demo[cgp_username])


def pasangan_pp2() -> PenugasanPP:
    return PenugasanPP.objects.get(cgp__nama__startswith="Edy Prasetyo")


def list_url(penugasan):
    return reverse("pendampingan:pemantauan-list", args=[penugasan.pk])


def edit_url(penugasan, modul="1.1"):
    return reverse("pendampingan:pemantauan-edit", args=[penugasan.pk, modul])


def isian(version=0, **fields):
    return {"version": version, "kemajuan": "", "kendala": "", "dukungan": "", **fields}


def simpan_pemantauan(user, penugasan, modul, **fields) -> JurnalPemantauan:
    jurnal = JurnalPemantauan(penugasan=penugasan, modul=modul, version=0)
    return services.jurnal_modul_save(actor=user, jurnal=jurnal, expected_version=0, data=fields)


def catatan(user, *, jenis, penugasan=None, judul="Catatan", isi="Isi catatan.") -> CatatanPP:
    return services.catatan_create(
        actor=user,
        pp=user.orang,
        data={
            "jenis": jenis,
            "penugasan": penugasan,
            "judul": judul,
            "isi": isi,
            "tanggal": dt.date(2026, 9, 1),
        },
    )


# --- jurnal pemantauan pembelajaran daring -------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pp1", 200),
        ("pp2", 404),
        ("cgp1", 404),  # the PP's record about the CGP is not the CGP's to read
        ("koordinator1", 200),
        ("operator1", 200),
        ("fasilitator1", 404),
    ],
)
def test_pemantauan_pages_are_scoped(client, demo, username, status):
    client.force_login(demo[username])
    penugasan = pasangan(demo)
    assert client.get(list_url(penugasan)).status_code == status
    assert client.get(edit_url(penugasan)).status_code == status


@pytest.mark.parametrize("username", ["pp2", "cgp1", "koordinator1", "fasilitator1"])
def test_only_the_cgps_own_pp_saves_pemantauan(client, demo, username):
    client.force_login(demo[username])
    response = client.post(edit_url(pasangan(demo)), isian(kemajuan="Bukan PP-nya."))
    assert response.status_code == 404
    assert not JurnalPemantauan.objects.exists()


def test_unknown_modul_is_404(client, demo):
    client.force_login(demo["pp1"])
    for modul in ("4.1", "1.5", "x"):
        assert client.get(edit_url(pasangan(demo), modul)).status_code == 404
        assert client.post(edit_url(pasangan(demo), modul), isian()).status_code == 404


def test_saved_pemantauan_shows_on_the_list_and_to_the_coordinator(client, demo):
    penugasan = pasangan(demo)
    client.force_login(demo["pp1"])
    page = client.get(list_url(penugasan))
    assert reverse("program:cgp-detail", args=[penugasan.pk]) in page.content.decode()
    assert "0 dari 10 modul sudah diisi." in page.content.decode()

    response = client.post(
        edit_url(penugasan, "1.2"),
        isian(kemajuan="Sudah menyelesaikan eksplorasi konsep.", kendala="Sinyal lemah."),
    )
    assert response.status_code == 302
    jurnal = JurnalPemantauan.objects.get(penugasan=penugasan, modul="1.2")
    assert jurnal.version == 1
    assert jurnal.kendala == "Sinyal lemah."

    rows = client.get(list_url(penugasan)).context["rows"]
    assert [row.modul for row in rows] == Modul.values
    assert [row.modul for row in rows if row.terisi] == ["1.2"]
    assert "1 dari 10 modul sudah diisi." in client.get(list_url(penugasan)).content.decode()

    client.force_login(demo["koordinator1"])
    read = client.get(edit_url(penugasan, "1.2"))
    assert "Sinyal lemah." in read.content.decode()
    assert read.context.get("form") is None  # read-only for the coordinator


def test_stale_pemantauan_save_is_a_conflict_and_keeps_the_newer_text(client, demo):
    penugasan = pasangan(demo)
    client.force_login(demo["pp1"])
    client.post(edit_url(penugasan), isian(kemajuan="Versi pertama."))
    client.post(edit_url(penugasan), isian(version=1, kemajuan="Versi dari ponsel."))

    response = client.post(edit_url(penugasan), isian(version=1, kemajuan="Versi dari laptop."))

    assert response.status_code == 409
    body = response.content.decode()
    assert "Versi dari ponsel." in body
    assert "Versi dari laptop." in body
    jurnal = JurnalPemantauan.objects.get(penugasan=penugasan, modul="1.1")
    assert (jurnal.kemajuan, jurnal.version) == ("Versi dari ponsel.", 2)


def test_two_tabs_creating_the_same_modul_conflict(client, demo):
    penugasan = pasangan(demo)
    client.force_login(demo["pp1"])
    client.post(edit_url(penugasan), isian(kemajuan="Tab pertama."))

    response = client.post(edit_url(penugasan), isian(version=0, kemajuan="Tab kedua."))

    assert response.status_code == 409
    assert JurnalPemantauan.objects.get(penugasan=penugasan).kemajuan == "Tab pertama."


def test_creation_race_in_the_service_is_a_conflict(demo):
    penugasan = pasangan(demo)
    loaded_empty = JurnalPemantauan(penugasan=penugasan, modul="2.1", version=0)
    simpan_pemantauan(demo["pp1"], penugasan, "2.1", kemajuan="Tersimpan lebih dulu.")

    with pytest.raises(ConflictError) as error:
        jurnal_modul_upsert(
            actor=demo["pp1"], jurnal=loaded_empty, expected_version=0, data={"kemajuan": "X"}
        )

    assert error.value.current.kemajuan == "Tersimpan lebih dulu."


# --- jurnal fasilitasi ---------------------------------------------------------------------


def test_fasilitasi_is_private_to_its_pp(client, demo):
    client.force_login(demo["pp1"])
    response = client.post(
        reverse("pendampingan:fasilitasi-edit", args=["1.1"]),
        {
            "version": 0,
            "pelajaran": "Pelajaran rahasia pp1.",
            "kelebihan": "",
            "kekurangan": "",
            "rekomendasi": "",
        },
    )
    assert response.status_code == 302
    assert JurnalFasilitasi.objects.get(pp=demo["pp1"].orang, modul="1.1").version == 1
    own = client.get(reverse("pendampingan:fasilitasi-edit", args=["1.1"]))
    assert "Pelajaran rahasia pp1." in own.content.decode()

    client.force_login(demo["pp2"])
    other = client.get(reverse("pendampingan:fasilitasi-edit", args=["1.1"]))
    assert other.status_code == 200
    assert "Pelajaran rahasia pp1." not in other.content.decode()
    rows = client.get(reverse("pendampingan:fasilitasi-list")).context["rows"]
    assert not any(row.terisi for row in rows)


def test_fasilitasi_stale_save_is_a_conflict(client, demo):
    client.force_login(demo["pp1"])
    url = reverse("pendampingan:fasilitasi-edit", args=["3.3"])
    blank = {"pelajaran": "", "kelebihan": "", "kekurangan": "", "rekomendasi": ""}
    client.post(url, {**blank, "version": 0, "rekomendasi": "Pertama."})
    client.post(url, {**blank, "version": 1, "rekomendasi": "Kedua."})
    assert client.post(url, {**blank, "version": 1, "rekomendasi": "Basi."}).status_code == 409
    assert JurnalFasilitasi.objects.get(modul="3.3").rekomendasi == "Kedua."


@pytest.mark.parametrize("username", ["cgp1", "fasilitator1", "koordinator1"])
def test_fasilitasi_is_for_pps_only(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("pendampingan:fasilitasi-list")).status_code == 404
    assert client.get(reverse("pendampingan:fasilitasi-edit", args=["1.1"])).status_code == 404


# --- jurnal refleksi & jurnal komunikasi -----------------------------------------------------


def detail_url(note):
    return reverse("pendampingan:catatan-detail", args=[note.pk])


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pp1", 200),
        ("fasilitatorpgp1", 200),  # the Fasilitator PGP of cgp1's online class
        # The Pelatih Ahli of cgp1's school is another programme's person.
        ("fasilitator1", 404),
        ("fasilitator2", 404),
        ("fasilitatorpgp2", 404),  # another cohort's class
        ("pp2", 404),
        ("cgp1", 404),
    ],
)
def test_komunikasi_about_cgp1_is_read_by_the_facilitator_of_their_online_class(
    client, demo, username, status
):
    note = catatan(demo["pp1"], jenis=JenisCatatan.KOMUNIKASI, penugasan=pasangan(demo))
    client.force_login(demo[username])
    response = client.get(detail_url(note))
    assert response.status_code == status
    if username == "pp1":
        # The PP sees who reads it.
        reader = response.content.decode().split('id="pembaca">')[1].split("</dd>")[0]
        assert demo["fasilitatorpgp1"].orang.nama in reader and "Kelas A" in reader


def test_komunikasi_about_a_cgp_without_a_class_says_nobody_reads_it(client, demo):
    pair = pasangan(demo)
    pair.kelas = None
    pair.save()
    note = catatan(demo["pp1"], jenis=JenisCatatan.KOMUNIKASI, penugasan=pair)
    client.force_login(demo["pp1"])
    body = client.get(detail_url(note)).content.decode()
    assert "belum masuk kelas daring" in body
    client.force_login(demo["fasilitatorpgp1"])
    assert client.get(detail_url(note)).status_code == 404


@pytest.mark.parametrize(("username", "status"), [("pp1", 200), ("fasilitator1", 404)])
def test_refleksi_stays_with_the_pp(client, demo, username, status):
    note = catatan(demo["pp1"], jenis=JenisCatatan.REFLEKSI, penugasan=pasangan(demo))
    client.force_login(demo[username])
    assert client.get(detail_url(note)).status_code == status


def test_catatan_list_shows_the_pps_notes_and_the_fasilitators_komunikasi(client, demo):
    pp1 = demo["pp1"]
    catatan(pp1, jenis=JenisCatatan.REFLEKSI, judul="Refleksi pekan pertama")
    catatan(pp1, jenis=JenisCatatan.KOMUNIKASI, penugasan=pasangan(demo), judul="Untuk fasilitator")
    url = reverse("pendampingan:catatan-list")

    client.force_login(pp1)
    assert {c.judul for c in client.get(url).context["page"]} == {
        "Refleksi pekan pertama",
        "Untuk fasilitator",
    }
    only_refleksi = client.get(url, {"jenis": "refleksi"}).context["page"]
    assert [c.judul for c in only_refleksi] == ["Refleksi pekan pertama"]

    client.force_login(demo["fasilitatorpgp1"])
    assert [c.judul for c in client.get(url).context["page"]] == ["Untuk fasilitator"]
    for other in ("fasilitator1", "fasilitatorpgp2"):
        client.force_login(demo[other])
        assert list(client.get(url).context["page"]) == [], other


def catatan_post(**fields):
    return {
        "jenis": "refleksi",
        "penugasan": "",
        "judul": "Judul",
        "isi": "Isi.",
        "tanggal": "2026-09-01",
        **fields,
    }


def test_komunikasi_without_cgp_is_refused_with_a_message(client, demo):
    client.force_login(demo["pp1"])
    response = client.post(reverse("pendampingan:catatan-create"), catatan_post(jenis="komunikasi"))
    assert response.status_code == 200
    assert "Jurnal komunikasi harus tentang seorang CGP." in response.content.decode()
    assert not CatatanPP.objects.exists()


def test_pp_writes_refleksi_without_cgp_and_komunikasi_about_own_cgp(client, demo):
    client.force_login(demo["pp1"])
    url = reverse("pendampingan:catatan-create")
    assert client.get(url).context["form"].initial["tanggal"] == timezone.localdate()

    assert client.post(url, catatan_post(judul="Refleksi")).status_code == 302
    response = client.post(
        url, catatan_post(jenis="komunikasi", penugasan=pasangan(demo).pk, judul="Komunikasi")
    )
    assert response.status_code == 302
    note = CatatanPP.objects.get(judul="Komunikasi")
    assert response.url == detail_url(note)
    assert (note.pp, note.penugasan) == (demo["pp1"].orang, pasangan(demo))


def test_pp_cannot_write_about_another_pps_cgp(client, demo):
    client.force_login(demo["pp1"])
    response = client.post(
        reverse("pendampingan:catatan-create"),
        catatan_post(jenis="komunikasi", penugasan=pasangan_pp2().pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["penugasan"]
    assert not CatatanPP.objects.exists()


@pytest.mark.parametrize("username", ["fasilitator1", "cgp1", "koordinator1"])
def test_only_pps_write_catatan(client, demo, username):
    client.force_login(demo[username])
    url = reverse("pendampingan:catatan-create")
    assert client.get(url).status_code == 404
    assert client.post(url, catatan_post()).status_code == 404


# --- query budgets -------------------------------------------------------------------------
# Session, user, operator check, the person and the menu's roles (4) are the
# page's fixed cost; the lists add a constant number of queries on top.
CATATAN_LIST_BUDGET = 11
PEMANTAUAN_LIST_BUDGET = 11


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("username", ["pp1", "fasilitatorpgp1"])
def test_catatan_list_query_budget(client, demo, django_assert_max_num_queries, count, username):
    pp1 = demo["pp1"]
    pairs = list(PenugasanPP.objects.filter(pp=pp1.orang))
    for i in range(count):
        jenis = JenisCatatan.KOMUNIKASI if i % 2 else JenisCatatan.REFLEKSI
        catatan(pp1, jenis=jenis, penugasan=pairs[i % len(pairs)], judul=f"Catatan {i}")
    client.force_login(demo[username])
    with django_assert_max_num_queries(CATATAN_LIST_BUDGET):
        response = client.get(reverse("pendampingan:catatan-list"))
    assert response.status_code == 200
    assert len(response.context["page"]) > 0


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("username", ["pp1", "koordinator1"])
def test_pemantauan_list_query_budget(client, demo, django_assert_max_num_queries, count, username):
    shown = pasangan(demo)
    pairs = [shown, *PenugasanPP.objects.filter(pp=demo["pp1"].orang).exclude(pk=shown.pk)]
    for i in range(count):
        simpan_pemantauan(
            demo["pp1"], pairs[i // 10], Modul.values[i % 10], kemajuan=f"Catatan {i}"
        )
    url = list_url(shown)
    client.force_login(demo[username])
    with django_assert_max_num_queries(PEMANTAUAN_LIST_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    assert sum(row.terisi for row in response.context["rows"]) == min(count, 10)
