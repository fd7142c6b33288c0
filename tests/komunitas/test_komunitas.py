"""Communities and inquiry cycles as heads, members, reviewers and outsiders see them."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from komunitas import services
from komunitas.models import (
    BuktiSiklus,
    Cakupan,
    JenisKomunitas,
    KomunitasBelajar,
    Pertemuan,
    SiklusInkuiri,
)
from program.models import Orang, PenugasanSekolah, Peran, Sekolah
from program.uploads import berkas_create
from tests.factories import OrangFactory, PenugasanSekolahFactory, SekolahFactory

NUMERASI = "Komunitas Belajar Numerasi Selong"


def numerasi() -> KomunitasBelajar:
    return KomunitasBelajar.objects.get(nama=NUMERASI)


def png(name="bukti.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def member_user(demo, komunitas):
    """A teacher of the school who is a member (not an editor) of the community."""
    guru = OrangFactory(nama="Baiq Wulandari, S.Pd")
    PenugasanSekolah.objects.create(orang=guru, sekolah=komunitas.sekolah, peran=Peran.GURU)
    komunitas.anggota.add(guru)
    return guru.user


def form_data(komunitas, **changes) -> dict:
    data = {
        "nama": komunitas.nama,
        "jenis": komunitas.jenis,
        "cakupan": komunitas.cakupan,
        "pic": komunitas.pic_id,
        "anggota": [o.pk for o in komunitas.anggota.all()],
        "tautan_pmm": komunitas.tautan_pmm,
        "tujuan": komunitas.tujuan,
        "version": komunitas.version,
    }
    if komunitas.terdaftar_pmm:
        data["terdaftar_pmm"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def pages(komunitas, demo):
    """Every page and POST of this part, for one community with one of everything."""
    pertemuan = services.pertemuan_save(
        actor=demo["ks1"],
        pertemuan=Pertemuan(komunitas=komunitas),
        data={"waktu": dt.datetime(2026, 2, 12, 7, 0, tzinfo=dt.UTC), "topik": "Exit ticket"},
        hadir=[komunitas.pic],
    )
    siklus = komunitas.siklus.get(nomor=1)
    bukti = BuktiSiklus.objects.create(
        siklus=siklus,
        tahap="evaluasi",
        berkas=berkas_create(actor=demo["ks1"], uploaded_file=png()),
        keterangan="Foto refleksi bersama",
    )
    rule = komunitas.jadwal.first()
    read = [
        reverse("komunitas:detail", args=[komunitas.pk]),
        reverse("komunitas:jadwal", args=[komunitas.pk]),
        reverse("komunitas:pertemuan", args=[pertemuan.pk]),
        reverse("komunitas:siklus-list", args=[komunitas.pk]),
        reverse("komunitas:siklus", args=[siklus.pk]),
        reverse("komunitas:siklus-berkas", args=[bukti.pk]),
    ]
    write = [
        ("get", reverse("komunitas:create", args=[komunitas.sekolah_id])),
        ("post", reverse("komunitas:create", args=[komunitas.sekolah_id])),
        ("get", reverse("komunitas:edit", args=[komunitas.pk])),
        ("post", reverse("komunitas:edit", args=[komunitas.pk])),
        ("post", reverse("komunitas:jadwal", args=[komunitas.pk])),
        ("post", reverse("komunitas:jadwal-delete", args=[komunitas.pk, rule.pk])),
        ("get", reverse("komunitas:pertemuan-create", args=[komunitas.pk])),
        ("post", reverse("komunitas:pertemuan-create", args=[komunitas.pk])),
        ("post", reverse("komunitas:pertemuan", args=[pertemuan.pk])),
        ("post", reverse("komunitas:siklus-create", args=[komunitas.pk])),
        ("post", reverse("komunitas:siklus", args=[siklus.pk])),
        ("post", reverse("komunitas:siklus-bukti", args=[siklus.pk])),
    ]
    return read, write


# --- access -----------------------------------------------------------------------


def test_outsiders_get_404_on_every_page_and_post(client, demo):
    read, write = pages(numerasi(), demo)
    for username in ("ks2", "fasilitator2", "pp2", "cgp1"):
        client.force_login(demo[username])
        for url in read:
            assert client.get(url).status_code == 404, (username, url)
        for method, url in write:
            assert getattr(client, method)(url).status_code == 404, (username, method, url)
    assert KomunitasBelajar.objects.filter(pk=numerasi().pk).exists()


def test_coordinator_and_reviewers_read_but_cannot_write(client, demo):
    komunitas = numerasi()
    read, write = pages(komunitas, demo)
    for username in ("koordinator1", "fasilitator1", "pengawas1"):
        client.force_login(demo[username])
        for url in read:
            assert client.get(url).status_code == 200, (username, url)
        for method, url in write:
            assert getattr(client, method)(url).status_code == 404, (username, method, url)
        detail = client.get(komunitas.get_absolute_url()).content.decode()
        assert reverse("komunitas:edit", args=[komunitas.pk]) not in detail
        assert reverse("komunitas:pertemuan-create", args=[komunitas.pk]) not in detail
        home = client.get(reverse("komunitas:home")).content.decode()
        assert NUMERASI in home and "Komunitas baru" not in home
    assert komunitas.jadwal.count() == 1


def test_the_head_reads_and_writes_everything(client, demo):
    read, write = pages(numerasi(), demo)
    client.force_login(demo["ks1"])
    for url in read:
        assert client.get(url).status_code == 200, url
    for method, url in write:
        if method == "get":
            assert client.get(url).status_code in (200, 302), url


# --- the list ----------------------------------------------------------------------


def test_home_groups_communities_by_school_with_kind_scope_pic_and_pmm(client, demo):
    client.force_login(demo["ks1"])
    body = client.get(reverse("komunitas:home")).content.decode()
    sekolah = numerasi().sekolah
    assert "SMA Negeri 1 Selong" in body
    assert NUMERASI in body and "MGMP Bahasa Indonesia Lombok Timur" in body
    assert "Lalu Hendra Wijaya, S.Pd" in body
    assert "Antarsekolah" in body and "Dalam sekolah" in body
    assert "Terdaftar di PMM" in body and "Belum terdaftar di PMM" in body
    assert f"{numerasi().anggota.count()} anggota" in body
    assert reverse("komunitas:create", args=[sekolah.pk]) in body
    assert reverse("komunitas:tahap", args=[sekolah.pk]) in body
    assert reverse("komunitas:peta") in body

    client.force_login(demo["ks2"])
    body = client.get(reverse("komunitas:home")).content.decode()
    assert NUMERASI not in body
    terara = Sekolah.objects.get(npsn="50203102")
    assert "SD Negeri 4 Terara" in body
    assert reverse("komunitas:create", args=[terara.pk]) in body  # empty school, may start one


@pytest.mark.parametrize("n", [2, 20])
def test_home_query_count_is_flat(client, db, django_assert_max_num_queries, n):
    sekolah = SekolahFactory()
    kepala = PenugasanSekolahFactory(sekolah=sekolah, peran=Peran.KEPALA_SEKOLAH).orang
    guru = [PenugasanSekolahFactory(sekolah=sekolah, peran=Peran.GURU).orang for _ in range(3)]
    for i in range(n):
        services.komunitas_save(
            actor=kepala.user,
            komunitas=KomunitasBelajar(sekolah=sekolah),
            data={
                "nama": f"Komunitas {i}",
                "jenis": JenisKomunitas.KKG,
                "cakupan": Cakupan.DALAM_SEKOLAH,
                "pic": guru[i % 3],
            },
            anggota=guru,
        )
    client.force_login(kepala.user)
    # session, user, operator group, person, roles (4), base.html person + ours (2)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("komunitas:home"))
    body = response.content.decode()
    assert body.count("komunitas-row") == n
    assert body.count("3 anggota") == n


def test_home_shows_schools_a_page_at_a_time_and_searches(client, db, settings):
    from komunitas.views.komunitas import SEKOLAH_PER_HALAMAN

    kepala = None
    names = [f"SD Uji {i:02d}" for i in range(SEKOLAH_PER_HALAMAN + 3)]
    for name in names:
        sekolah = SekolahFactory(nama=name)
        kepala = PenugasanSekolahFactory(sekolah=sekolah, peran=Peran.KEPALA_SEKOLAH).orang
        KomunitasBelajar.objects.create(
            sekolah=sekolah,
            nama=f"Kombel {name}",
            jenis=JenisKomunitas.KKG,
            cakupan=Cakupan.DALAM_SEKOLAH,
            pic=kepala,
        )
    operator = OrangFactory().user
    operator.is_superuser = True
    operator.save()
    client.force_login(operator)

    first = client.get(reverse("komunitas:home")).content.decode()
    assert first.count("komunitas-sekolah") == SEKOLAH_PER_HALAMAN
    assert names[0] in first and names[-1] not in first
    assert "Halaman 1 dari 2" in first

    # The operator's list: every school with a community (these and the demo's).
    listed = Sekolah.objects.filter(pk__in=KomunitasBelajar.objects.values("sekolah_id"))
    second = client.get(reverse("komunitas:home"), {"halaman": 2}).content.decode()
    assert second.count("komunitas-sekolah") == listed.count() - SEKOLAH_PER_HALAMAN
    assert names[-1] in second and f"Kombel {names[-1]}" in second

    # By community name; the page links keep the search.
    found = client.get(reverse("komunitas:home"), {"q": "kombel sd uji 27"}).content.decode()
    assert found.count("komunitas-sekolah") == 1 and "SD Uji 27" in found
    nothing = client.get(reverse("komunitas:home"), {"q": "tidak ada"}).content.decode()
    assert "Tidak ada sekolah atau komunitas yang cocok" in nothing

    wide = client.get(reverse("komunitas:home"), {"q": "SD Uji"}).content.decode()
    assert "?q=SD+Uji&amp;halaman=2" in wide

    # A head's own school only, searched or not.
    client.force_login(kepala.user)
    own = client.get(reverse("komunitas:home")).content.decode()
    assert own.count("komunitas-sekolah") == 1 and names[-1] in own
    assert (
        client.get(reverse("komunitas:home"), {"q": "SD Uji 00"})
        .content.decode()
        .count("komunitas-sekolah")
        == 0
    )


# --- create and edit ------------------------------------------------------------------


def test_head_creates_a_community_from_the_schools_people(client, demo):
    sekolah = numerasi().sekolah
    pic = Orang.objects.get(nama="Lalu Hendra Wijaya, S.Pd")
    ks1 = Orang.objects.get(user=demo["ks1"])
    client.force_login(demo["ks1"])
    form = client.get(reverse("komunitas:create", args=[sekolah.pk])).content.decode()
    assert "Lalu Hendra Wijaya" in form
    assert "Nurhidayati" not in form  # ks2 works at another school
    response = client.post(
        reverse("komunitas:create", args=[sekolah.pk]),
        {
            "nama": "KKG Literasi Selong",
            "jenis": JenisKomunitas.KKG,
            "cakupan": Cakupan.DALAM_SEKOLAH,
            "pic": pic.pk,
            "anggota": [pic.pk, ks1.pk],
            "tujuan": "Literasi membaca kelas X naik 10%.",
        },
    )
    created = KomunitasBelajar.objects.get(nama="KKG Literasi Selong")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert set(created.anggota.all()) == {pic, ks1}
    assert created.sekolah == sekolah and created.version == 1

    outsider = Orang.objects.get(user=demo["ks2"])
    response = client.post(
        reverse("komunitas:create", args=[sekolah.pk]),
        {"nama": "Lain", "jenis": "kkg", "cakupan": "daring", "pic": outsider.pk},
    )
    assert response.status_code == 400
    assert not KomunitasBelajar.objects.filter(nama="Lain").exists()


def test_registered_on_pmm_without_a_link_is_refused(client, demo):
    komunitas = KomunitasBelajar.objects.get(nama="MGMP Bahasa Indonesia Lombok Timur")
    client.force_login(demo["ks1"])
    response = client.post(
        reverse("komunitas:edit", args=[komunitas.pk]),
        form_data(komunitas, terdaftar_pmm="on", tautan_pmm=""),
    )
    assert response.status_code == 400
    assert "Isi tautan PMM bila komunitas sudah terdaftar." in response.content.decode()
    komunitas.refresh_from_db()
    assert not komunitas.terdaftar_pmm and komunitas.version == 1

    response = client.post(
        reverse("komunitas:edit", args=[komunitas.pk]),
        form_data(komunitas, terdaftar_pmm="on", tautan_pmm="https://guru.kemdikbud.go.id/k/mgmp"),
    )
    assert response.status_code == 302
    komunitas.refresh_from_db()
    assert komunitas.terdaftar_pmm and komunitas.version == 2


def test_stale_edit_is_a_conflict_and_saves_nothing(client, demo):
    komunitas = numerasi()
    stale = form_data(komunitas, nama="Kombel Numerasi (versi saya)")
    services.komunitas_save(
        actor=demo["ks1"],
        komunitas=komunitas,
        expected_version=komunitas.version,
        data={"nama": "Kombel Numerasi (versi kolega)"},
    )
    client.force_login(demo["ks1"])
    response = client.post(reverse("komunitas:edit", args=[komunitas.pk]), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Kombel Numerasi (versi saya)" in body and "Kombel Numerasi (versi kolega)" in body
    komunitas.refresh_from_db()
    assert komunitas.nama == "Kombel Numerasi (versi kolega)"


# --- detail ----------------------------------------------------------------------------


def test_detail_shows_the_community_at_a_glance(client, demo):
    komunitas = numerasi()
    client.force_login(demo["ks1"])
    body = client.get(komunitas.get_absolute_url()).content.decode()
    assert "Lalu Hendra Wijaya, S.Pd" in body and "H. Lalu Suparman" in body
    assert body.count("pertemuan-berikut") == 3
    assert "Diferensiasi konten numerasi" in body and "Refleksi awal" in body
    for name, count in (
        ("praktik-list", 2),
        ("rencana", 2),
        ("pedoman", 2),
        ("kegiatan-list", 1),
    ):
        url = reverse(f"komunitas:{name}", args=[komunitas.pk])
        assert f'href="{url}"' in body
        assert f'{url}">' in body
        assert f'<span class="badge text-bg-light">{count}</span>' in body
    assert komunitas.ical_token in body and "Jangan dibagikan" in body


def test_ical_link_is_shown_to_members_and_reviewers_only(client, demo):
    komunitas = numerasi()
    for username, shown in (("fasilitator1", True), ("pengawas1", True), ("koordinator1", False)):
        client.force_login(demo[username])
        body = client.get(komunitas.get_absolute_url()).content.decode()
        assert (komunitas.ical_token in body) is shown, username
    client.force_login(member_user(demo, komunitas))
    assert komunitas.ical_token in client.get(komunitas.get_absolute_url()).content.decode()


# --- inquiry cycles ------------------------------------------------------------------------


def test_cycle_is_not_finished_without_an_evaluation(client, demo):
    siklus = numerasi().siklus.get(nomor=2)
    url = reverse("komunitas:siklus", args=[siklus.pk])
    client.force_login(demo["ks1"])
    response = client.post(
        url, {"tahap": "evaluasi", "evaluasi": "  ", "selesai": "on", "version": siklus.version}
    )
    assert response.status_code == 400
    assert "Siklus selesai setelah evaluasi bersama ditulis." in response.content.decode()
    siklus.refresh_from_db()
    assert not siklus.selesai

    response = client.post(
        url,
        {
            "tahap": "evaluasi",
            "evaluasi": "Diferensiasi membantu kelompok bawah.",
            "selesai": "on",
            "version": siklus.version,
        },
    )
    assert response.status_code == 302
    siklus.refresh_from_db()
    assert siklus.selesai and siklus.refleksi_awal == "Data exit ticket siklus 1."
    assert "Selesai" in client.get(url).content.decode()


def test_member_writes_each_stage_and_uploads_evidence(client, demo):
    komunitas = numerasi()
    siklus = komunitas.siklus.get(nomor=2)
    url = reverse("komunitas:siklus", args=[siklus.pk])
    client.force_login(member_user(demo, komunitas))
    response = client.post(
        url,
        {"tahap": "perencanaan", "perencanaan": "Tiga level soal.", "version": siklus.version},
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "tahap": "implementasi",
            "implementasi": "Di kelas X-2.",
            "asesmen_formatif": "Exit ticket harian.",
            "version": siklus.version + 1,
        },
    )
    assert response.status_code == 302
    siklus.refresh_from_db()
    assert (siklus.refleksi_awal, siklus.perencanaan, siklus.implementasi) == (
        "Data exit ticket siklus 1.",
        "Tiga level soal.",
        "Di kelas X-2.",
    )
    assert siklus.asesmen_formatif == "Exit ticket harian." and siklus.version == 3

    response = client.post(
        reverse("komunitas:siklus-bukti", args=[siklus.pk]),
        {"tahap": "implementasi", "berkas": png("kelas.png"), "keterangan": "Foto kelas X-2"},
    )
    assert response.status_code == 302
    bukti = siklus.berkas.get()
    assert bukti.tahap == "implementasi"
    page = client.get(url).content.decode()
    assert "Foto kelas X-2" in page and "Implementasi" in page

    html = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>")
    response = client.post(
        reverse("komunitas:siklus-bukti", args=[siklus.pk]), {"tahap": "evaluasi", "berkas": html}
    )
    assert response.status_code == 400 and siklus.berkas.count() == 1

    client.force_login(demo["koordinator1"])
    served = client.get(reverse("komunitas:siklus-berkas", args=[bukti.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    client.force_login(demo["ks2"])
    assert client.get(reverse("komunitas:siklus-berkas", args=[bukti.pk])).status_code == 404


def test_stale_stage_notes_are_a_conflict(client, demo):
    siklus = numerasi().siklus.get(nomor=2)
    old = siklus.version
    services.siklus_save(
        actor=demo["ks1"], siklus=siklus, expected_version=old, data={"perencanaan": "Versi A"}
    )
    client.force_login(demo["ks1"])
    response = client.post(
        reverse("komunitas:siklus", args=[siklus.pk]),
        {"tahap": "perencanaan", "perencanaan": "Versi B", "version": old},
    )
    assert response.status_code == 409
    siklus.refresh_from_db()
    assert siklus.perencanaan == "Versi A"


def test_editor_starts_a_new_cycle(client, demo):
    komunitas = numerasi()
    client.force_login(demo["ks1"])
    response = client.post(
        reverse("komunitas:siklus-create", args=[komunitas.pk]),
        {"fokus": "Literasi numerasi lintas mapel"},
    )
    siklus = SiklusInkuiri.objects.get(komunitas=komunitas, nomor=3)
    assert response["Location"] == reverse("komunitas:siklus", args=[siklus.pk])
    listing = client.get(reverse("komunitas:siklus-list", args=[komunitas.pk])).content.decode()
    assert listing.count("siklus-row") == 3 and "Literasi numerasi lintas mapel" in listing
    # The list says which stage each cycle is at.
    assert "Selesai" in listing and "Refleksi awal" in listing


# --- the iCal feed's secret can be revoked ---------------------------------------------


def ical(client, token):
    return client.get(reverse("komunitas:ical", args=[token]))


def test_the_head_gives_the_feed_a_new_address_and_the_old_one_stops(client, demo):
    komunitas = numerasi()
    old = komunitas.ical_token
    client.force_login(demo["ks1"])
    assert "Ganti alamat" in client.get(komunitas.get_absolute_url()).content.decode()

    response = client.post(reverse("komunitas:ical-reset", args=[komunitas.pk]), follow=True)

    komunitas.refresh_from_db()
    assert komunitas.ical_token != old
    assert "Alamat lama tidak berlaku lagi" in response.content.decode()
    client.logout()
    assert ical(client, old).status_code == 404
    assert ical(client, komunitas.ical_token).status_code == 200


def test_a_reader_may_not_revoke_the_feed(client, demo):
    komunitas = numerasi()
    old = komunitas.ical_token
    client.force_login(demo["fasilitator1"])  # reads the feed, edits nothing
    assert "Ganti alamat" not in client.get(komunitas.get_absolute_url()).content.decode()
    assert client.post(reverse("komunitas:ical-reset", args=[komunitas.pk])).status_code == 404
    komunitas.refresh_from_db()
    assert komunitas.ical_token == old


def test_a_member_who_leaves_takes_no_working_address_along(client, demo):
    komunitas = numerasi()
    leaver = member_user(demo, komunitas)
    old = KomunitasBelajar.objects.get(pk=komunitas.pk).ical_token
    client.force_login(demo["ks1"])
    staying = [o.pk for o in komunitas.anggota.exclude(user=leaver)]

    client.post(
        reverse("komunitas:edit", args=[komunitas.pk]), form_data(komunitas, anggota=staying)
    )

    komunitas.refresh_from_db()
    assert not komunitas.anggota.filter(user=leaver).exists()
    assert komunitas.ical_token != old
    assert ical(client, old).status_code == 404


def test_an_edit_that_removes_nobody_keeps_the_address(client, demo):
    komunitas = numerasi()
    old = komunitas.ical_token
    client.force_login(demo["ks1"])
    response = client.post(
        reverse("komunitas:edit", args=[komunitas.pk]), form_data(komunitas, tujuan="Tujuan baru")
    )
    assert response.status_code == 302
    komunitas.refresh_from_db()
    assert komunitas.tujuan == "Tujuan baru" and komunitas.ical_token == old
