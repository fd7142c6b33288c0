"""A facilitator builds a workshop's agenda (issue 17 §4): adds, edits,
reorders and removes stages against the JP × 45 total; an operator saves a
good agenda back as its template's. Nobody outside the workshop can."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lokakarya.models import Lokakarya, TahapLokakarya, TemplatLokakarya


@pytest.fixture
def lok(demo):
    """fasilitator1's workshop, its agenda emptied as a template without one leaves it."""
    workshop = Lokakarya.objects.get(fasilitator__user=demo["fasilitator1"])
    workshop.tahap.all().delete()
    return workshop


def url(name, lok, tahap=None):
    args = [lok.pk] if tahap is None else [lok.pk, tahap.pk]
    return reverse(f"lokakarya:{name}", args=args)


def stage(nama, menit, alur="eksplorasi_konsep", **extra):
    return {"hari": 1, "nama": nama, "alur": alur, "menit_rencana": menit, **extra}


def names(lok) -> list[str]:
    return list(lok.tahap.order_by("urutan").values_list("nama", flat=True))


def test_an_empty_agenda_is_built_step_by_step_against_the_jp(client, demo, lok):
    client.force_login(demo["fasilitator1"])
    page = client.get(lok.get_absolute_url()).content.decode()
    assert "Agenda kosong: templat ini belum memiliki agenda. Susun tahapnya di bawah." in page
    assert url("tahap-add", lok) in page

    client.post(url("tahap-add", lok), stage("Pembukaan dan kesepakatan kelas", 30, "pembukaan"))
    response = client.post(
        url("tahap-add", lok), stage("Eksplorasi konsep", 90, bahan="LK 1\nVideo"), follow=True
    )

    body = response.content.decode()
    assert "Tahap “Eksplorasi konsep” ditambahkan." in body
    assert names(lok) == ["Pembukaan dan kesepakatan kelas", "Eksplorasi konsep"]
    target = lok.jp * 45
    assert f"Rencana 120 menit dari {lok.jp} JP × 45 = {target} menit" in body
    assert f"Total rencana kurang {target - 120} menit dari JP." in body
    added = lok.tahap.get(nama="Eksplorasi konsep")
    assert added.bahan_list == ["LK 1", "Video"]
    assert added.history.first().history_user == demo["fasilitator1"]


def test_bad_input_is_refused_with_a_message_and_kept(client, demo, lok):
    client.force_login(demo["fasilitator1"])
    response = client.post(url("tahap-add", lok), stage("", 700, kegiatan="Diskusi kelompok LK 2"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["nama"] and form.errors["menit_rencana"]
    body = response.content.decode()
    for error in (*form.errors["nama"], *form.errors["menit_rencana"]):
        assert error in body  # shown beside the field
    assert "600" in " ".join(form.errors["menit_rencana"])  # the limit is named
    assert "Diskusi kelompok LK 2" in body  # what was typed is still there
    assert not lok.tahap.exists()


def test_stages_move_up_and_down_and_are_edited(client, demo, lok):
    client.force_login(demo["fasilitator1"])
    for nama in ("A", "B", "C"):
        client.post(url("tahap-add", lok), stage(nama, 30))
    c = lok.tahap.get(nama="C")

    client.post(url("tahap-move", lok, c), {"arah": "naik"})
    assert names(lok) == ["A", "C", "B"]
    client.post(url("tahap-move", lok, lok.tahap.get(nama="A")), {"arah": "naik"})  # already first
    assert names(lok) == ["A", "C", "B"]
    client.post(url("tahap-move", lok, lok.tahap.get(nama="A")), {"arah": "turun"})
    assert names(lok) == ["C", "A", "B"]
    assert list(lok.tahap.order_by("urutan").values_list("urutan", flat=True)) == [1, 2, 3]

    form = client.get(url("tahap-edit", lok, c)).content.decode()
    assert 'value="C"' in form
    client.post(url("tahap-edit", lok, c), stage("C: ruang kolaborasi", 45, "ruang_kolaborasi"))
    c.refresh_from_db()
    assert (c.nama, c.menit_rencana, c.alur) == ("C: ruang kolaborasi", 45, "ruang_kolaborasi")


def test_a_started_stage_cannot_be_removed_the_others_can(client, demo, lok):
    client.force_login(demo["fasilitator1"])
    for nama in ("A", "B", "C"):
        client.post(url("tahap-add", lok), stage(nama, 30))
    TahapLokakarya.objects.filter(lokakarya=lok, nama="A").update(mulai_at=timezone.now())

    page = client.get(lok.get_absolute_url()).content.decode()
    assert url("tahap-delete", lok, lok.tahap.get(nama="A")) not in page
    refused = client.post(url("tahap-delete", lok, lok.tahap.get(nama="A")), follow=True)
    assert "sudah dimulai; waktunya tercatat, jadi tidak dapat dihapus" in refused.content.decode()

    client.post(url("tahap-delete", lok, lok.tahap.get(nama="B")))
    assert names(lok) == ["A", "C"]
    assert list(lok.tahap.order_by("urutan").values_list("urutan", flat=True)) == [1, 2]


@pytest.mark.parametrize("username", ["fasilitator2", "koordinator1", "cgp1", "ks1", "pp1"])
def test_nobody_outside_the_workshop_builds_its_agenda(client, demo, lok, username):
    client.force_login(demo["fasilitator1"])
    client.post(url("tahap-add", lok), stage("A", 30))
    a = lok.tahap.get()
    client.force_login(demo[username])
    assert client.post(url("tahap-add", lok), stage("Sisipan", 30)).status_code == 404
    assert client.get(url("tahap-edit", lok, a)).status_code == 404
    assert client.post(url("tahap-edit", lok, a), stage("Diubah", 5)).status_code == 404
    assert client.post(url("tahap-move", lok, a), {"arah": "turun"}).status_code == 404
    assert client.post(url("tahap-delete", lok, a)).status_code == 404
    assert client.post(url("agenda-save-as-template", lok)).status_code == 404
    assert names(lok) == ["A"]
    assert "Jadikan agenda templat" not in client.get(lok.get_absolute_url()).content.decode()


def test_an_operator_saves_a_good_agenda_as_its_templates(client, demo, lok):
    assert lok.templat is not None
    client.force_login(demo["fasilitator1"])
    client.post(url("tahap-add", lok), stage("Mulai dari diri", 60, "mulai_dari_diri"))
    client.post(url("tahap-add", lok), stage("Koneksi antar materi", 40, "koneksi_antar_materi"))
    assert "Jadikan agenda templat" not in client.get(lok.get_absolute_url()).content.decode()
    assert (
        client.post(url("agenda-save-as-template", lok)).status_code == 404
    )  # facilitators do not

    client.force_login(demo["operator1"])
    page = client.get(lok.get_absolute_url()).content.decode()
    assert re.search(r"Jadikan agenda templat “[^”]+” untuk lokakarya berikutnya", page)
    response = client.post(url("agenda-save-as-template", lok), follow=True)

    assert (
        f"Agenda ini kini menjadi agenda templat “{lok.templat.nama}”." in response.content.decode()
    )
    templat = TemplatLokakarya.objects.get(pk=lok.templat_id)
    steps = list(templat.tahap.order_by("urutan").values_list("nama", "menit", "alur"))
    assert steps == [
        ("Mulai dari diri", 60, "mulai_dari_diri"),
        ("Koneksi antar materi", 40, "koneksi_antar_materi"),
    ]


def test_template_names_say_which_programme_and_mode(demo):
    names = set(TemplatLokakarya.objects.values_list("nama", flat=True))
    assert {"PGP · Lokakarya 2", "PGP · Lokakarya Orientasi"} <= names
    assert {"PSP · Komunitas Belajar 1 · luring", "PSP · Komunitas Belajar 1 · daring"} <= names
    assert all(n.startswith(("PGP · ", "PSP · ")) for n in names)


def test_the_rename_migration_leaves_an_operators_name_alone(demo):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lokakarya.migrations.0004_templat_nama_jelas")
    TemplatLokakarya.objects.filter(kode="pgp-lokakarya-2").update(nama="Lokakarya 2")
    TemplatLokakarya.objects.filter(kode="pgp-lokakarya-3").update(nama="Lokakarya 3 Bima")
    migration.rename(apps, None)
    assert TemplatLokakarya.objects.get(kode="pgp-lokakarya-2").nama == "PGP · Lokakarya 2"
    assert TemplatLokakarya.objects.get(kode="pgp-lokakarya-3").nama == "Lokakarya 3 Bima"
