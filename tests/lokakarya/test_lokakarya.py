"""Workshops: creation from a template, agenda arithmetic, participants, scope."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lokakarya import services
from lokakarya.models import JenisTahap, Lokakarya, PeranPeserta, TahapTemplat, TemplatLokakarya
from program.models import KabupatenKota, Orang


def test_facilitator_creates_a_workshop_from_a_template(client, demo):
    client.force_login(demo["fasilitator1"])
    templat = TemplatLokakarya.objects.get(kode="kb1-luring")
    response = client.post(
        reverse("lokakarya:create"),
        {
            "templat": templat.pk,
            "nama": "Lokakarya Komunitas Belajar Selong",
            "moda": "luring",
            "tanggal_mulai": "2026-12-03",
            "tanggal_selesai": "2026-12-03",
            "tempat": "Aula SMA Negeri 1 Selong",
            "kabupaten": KabupatenKota.objects.get(kode="5203").pk,
        },
    )
    lok = Lokakarya.objects.get(nama="Lokakarya Komunitas Belajar Selong")
    assert response["Location"] == reverse("lokakarya:peserta", args=[lok.pk])
    names = list(lok.tahap.order_by("urutan").values_list("nama", flat=True))
    assert names == list(templat.tahap.order_by("urutan").values_list("nama", flat=True))
    assert lok.fasilitator.user == demo["fasilitator1"]


def test_luring_without_place_is_refused_with_a_message(client, demo):
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:create"),
        {
            "templat": TemplatLokakarya.objects.get(kode="kb1-luring").pk,
            "nama": "Tanpa tempat",
            "moda": "luring",
            "tanggal_mulai": "2026-12-03",
            "tanggal_selesai": "2026-12-03",
            "kabupaten": KabupatenKota.objects.get(kode="5203").pk,
        },
    )
    assert response.status_code == 200
    assert "Lokakarya luring memerlukan tempat." in response.content.decode()
    assert not Lokakarya.objects.filter(nama="Tanpa tempat").exists()


def test_agenda_shows_planned_total_against_jp(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    body = client.get(workshop.get_absolute_url()).content.decode()
    total = sum(t.menit_rencana for t in workshop.tahap.all())
    assert f"Rencana {total} menit dari 8 JP × 45 = 360 menit" in body
    assert f"kurang {360 - total} menit" in body


def test_adjusting_minutes_changes_this_workshop_only(client, demo, workshop):
    tahap = workshop.tahap.get(alur="elaborasi_pemahaman")
    client.force_login(demo["fasilitator1"])
    client.post(reverse("lokakarya:tahap-menit", args=[workshop.pk, tahap.pk]), {"menit": 60})
    tahap.refresh_from_db()
    assert tahap.menit_rencana == 60
    assert (
        TahapTemplat.objects.get(templat__kode="kb1-luring", alur="elaborasi_pemahaman").menit == 50
    )
    body = client.get(workshop.get_absolute_url()).content.decode()
    total = sum(t.menit_rencana for t in workshop.tahap.all())
    assert f"kurang {360 - total} menit" in body  # the warning follows this workshop's minutes


def test_one_facilitator_has_the_pmo_slot_first(workshop):
    first = workshop.tahap.order_by("urutan").first()
    assert first.jenis == JenisTahap.PMO and first.menit_rencana == 45
    assert first.pmo_sekolah_dari == workshop.fasilitator


def test_two_facilitators_split_material_and_pmo_as_in_the_seed(demo):
    templat = TemplatLokakarya.objects.get(kode="kb1-luring")
    a = Orang.objects.get(user=demo["fasilitator1"])
    b = Orang.objects.get(user=demo["fasilitator2"])
    agenda = services.agenda_from_template(templat, fasilitator=a, fasilitator_2=b)
    kinds = [(t.jenis, t.fasilitator, t.pmo_sekolah_dari) for t in agenda]
    pmo = [i for i, k in enumerate(kinds) if k[0] == JenisTahap.PMO]
    assert len(pmo) == 2 and pmo[1] == pmo[0] + 1
    before, after = agenda[: pmo[0]], agenda[pmo[1] + 1 :]
    assert before and after
    assert all(t.fasilitator == a for t in before) and all(t.fasilitator == b for t in after)
    assert (agenda[pmo[0]].pmo_sekolah_dari, agenda[pmo[1]].pmo_sekolah_dari) == (a, b)
    assert agenda[pmo[0]].menit_rencana + agenda[pmo[1]].menit_rencana == 45  # 0.5 + 0.5 JP
    materi = sum(t.menit_rencana for t in before + after)
    assert abs(sum(t.menit_rencana for t in before) - materi / 2) <= 60  # about 3.5 JP each
    assert [t.urutan for t in agenda] == list(range(1, len(agenda) + 1))


def test_second_facilitator_must_be_someone_else(demo):
    a = Orang.objects.get(user=demo["fasilitator1"])
    templat = TemplatLokakarya.objects.get(kode="kb1-luring")
    with pytest.raises(ValidationError):
        services.lokakarya_create(
            actor=demo["fasilitator1"],
            templat=templat,
            data={
                "nama": "x",
                "program": templat.program,
                "moda": "luring",
                "tempat": "x",
                "kabupaten": KabupatenKota.objects.get(kode="5203"),
                "tanggal_mulai": dt.date(2026, 12, 1),
                "tanggal_selesai": dt.date(2026, 12, 1),
                "fasilitator": a,
                "fasilitator_2": a,
            },
        )


def test_the_41st_participant_is_refused_with_a_clear_message(client, demo, workshop):
    actor = demo["fasilitator1"]
    for i in range(40 - workshop.peserta.count()):
        orang = Orang.objects.create(nama=f"Guru Tambahan {i}, S.Pd")
        services.peserta_add(actor=actor, lokakarya=workshop, orang=orang, peran=PeranPeserta.GURU)
    assert workshop.peserta.count() == 40
    with pytest.raises(ValidationError) as excinfo:
        services.peserta_add(
            actor=actor,
            lokakarya=workshop,
            orang=Orang.objects.create(nama="Ke-41"),
            peran=PeranPeserta.GURU,
        )
    assert "40 peserta" in excinfo.value.messages[0]
    client.force_login(actor)
    response = client.post(
        reverse("lokakarya:peserta", args=[workshop.pk]),
        {"nama": "Peserta Ke-41, S.Pd", "instansi": "SDN 1 Suela", "peran": "guru"},
        follow=True,
    )
    assert "batas maksimal" in response.content.decode()
    assert workshop.peserta.count() == 40
    assert not Orang.objects.filter(nama="Peserta Ke-41, S.Pd").exists()


def test_facilitator_adds_participants_from_assigned_schools(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    page = client.get(reverse("lokakarya:peserta", args=[workshop.pk]))
    choices = page.context["tambah_form"].fields["penugasan"].choices
    assert choices, "people of fasilitator1's schools not yet invited are offered"
    assert not any("SD Negeri 4 Terara" in label for _, label in choices)  # fasilitator2's school
    before = workshop.peserta.count()
    client.post(reverse("lokakarya:peserta", args=[workshop.pk]), {"penugasan": [choices[0][0]]})
    assert workshop.peserta.count() == before + 1


@pytest.mark.parametrize(
    ("username", "detail", "manage"),
    [
        ("fasilitator1", 200, 200),
        ("ks1", 200, 404),  # participant: reads the workshop, runs nothing
        ("cgp1", 200, 404),
        ("koordinator1", 200, 404),
        ("operator1", 200, 200),
        ("fasilitator2", 404, 404),  # facilitator of other schools
        ("ks2", 404, 404),
        ("pp2", 404, 404),
    ],
)
def test_workshop_pages_are_scoped(client, demo, workshop, username, detail, manage):
    client.force_login(demo[username])
    assert client.get(workshop.get_absolute_url()).status_code == detail
    for name in ("edit", "peserta"):
        assert client.get(reverse(f"lokakarya:{name}", args=[workshop.pk])).status_code == manage
    tahap = workshop.tahap.first()
    posts = [
        reverse("lokakarya:tahap-menit", args=[workshop.pk, tahap.pk]),
        reverse("lokakarya:kesepakatan", args=[workshop.pk]),
        reverse("lokakarya:peserta-delete", args=[workshop.pk, workshop.peserta.first().pk]),
    ]
    if manage == 404:
        for url in posts:
            assert client.post(url, {"menit": 1}).status_code == 404, url


def test_class_agreement_conflict_keeps_the_newer_text(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:kesepakatan", args=[workshop.pk])
    v = workshop.version
    client.post(url, {"version": v, "kesepakatan_kelas": "Tepat waktu."})
    stale = client.post(url, {"version": v, "kesepakatan_kelas": "Ponsel senyap."})
    assert stale.status_code == 409
    assert "Ponsel senyap." in stale.content.decode() and "Tepat waktu." in stale.content.decode()
    workshop.refresh_from_db()
    assert workshop.kesepakatan_kelas == "Tepat waktu."


@pytest.mark.parametrize("extra", [0, 20])
def test_workshop_list_query_budget(client, demo, workshop, django_assert_max_num_queries, extra):
    templat = TemplatLokakarya.objects.get(kode="kb1-luring")
    for i in range(extra):
        services.lokakarya_create(
            actor=demo["fasilitator1"],
            templat=templat,
            data={
                "nama": f"Lokakarya {i}",
                "program": templat.program,
                "moda": "luring",
                "tempat": "Aula",
                "kabupaten": workshop.kabupaten,
                "tanggal_mulai": dt.date(2026, 12, 1),
                "tanggal_selesai": dt.date(2026, 12, 1),
                "fasilitator": workshop.fasilitator,
            },
        )
    client.force_login(demo["koordinator1"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("lokakarya:list"))
    assert response.content.decode().count("list-group-item-action") >= extra + 1


def test_a_supervisor_of_several_schools_is_offered_once(client, demo, workshop):
    from lokakarya.models import Peserta

    Peserta.objects.filter(lokakarya=workshop, orang__user=demo["pengawas1"]).delete()
    client.force_login(demo["fasilitator1"])
    page = client.get(reverse("lokakarya:peserta", args=[workshop.pk]))
    labels = [label for _, label in page.context["tambah_form"].fields["penugasan"].choices]
    assert sum("Drs. Muhammad Ridwan, M.Pd" in label for label in labels) == 1


def test_a_coordinator_reads_only_their_regions_workshops(client, demo):
    """koordinator1 (Lombok Timur) never reaches the Sikka workshop: not its
    page, participants, scores, products or report PDF; koordinator2 (Sikka)
    reads it, and as second facilitator runs fasilitator2's Lombok Timur one,
    but reads nothing else of Lombok Timur."""
    from lokakarya.models import Lokakarya

    sikka = Lokakarya.objects.get(kabupaten__kode="5310")
    selong = Lokakarya.objects.get(fasilitator__user=demo["fasilitator1"])
    daring = Lokakarya.objects.get(fasilitator__user=demo["fasilitator2"])
    produk = sikka.produk.first()

    def href(lok):
        return f'href="{lok.get_absolute_url()}"'

    def pages(lok):
        urls = {
            name: reverse(f"lokakarya:{name}", args=[lok.pk])
            for name in ("detail", "peserta", "nilai", "nilai-import", "nilai-saya", "produk")
        }
        return urls

    client.force_login(demo["koordinator1"])
    for name, url in pages(sikka).items():
        assert client.get(url).status_code == 404, name
    # The report PDF is requested by POST (a job); another region's is 404.
    assert client.post(reverse("lokakarya:laporan-pdf", args=[sikka.pk])).status_code == 404
    assert client.get(reverse("lokakarya:produk-berkas", args=[produk.pk])).status_code == 404
    listing = client.get(reverse("lokakarya:list")).content.decode()
    assert href(selong) in listing and href(sikka) not in listing
    assert client.get(reverse("lokakarya:detail", args=[selong.pk])).status_code == 200

    client.force_login(demo["koordinator2"])
    for name in ("detail", "produk"):
        assert client.get(pages(sikka)[name]).status_code == 200, name
    for name in ("peserta", "nilai"):  # coordinators read, facilitators run
        assert client.get(pages(sikka)[name]).status_code == 404, name
    for name, url in pages(selong).items():
        assert client.get(url).status_code == 404, name
    assert client.get(pages(daring)["peserta"]).status_code == 200
    listing = client.get(reverse("lokakarya:list")).content.decode()
    assert href(sikka) in listing and href(daring) in listing and href(selong) not in listing
