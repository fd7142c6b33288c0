"""An operator applies an edited PI template to the sessions that have not
started (issue 17 §2): a preview of how many, one action, each change in the
session's history; sessions whose journal has text or was submitted keep
their copy; nobody else can do it."""

import pytest
from django.urls import reverse

from pendampingan import services
from pendampingan.models import JurnalPendampingan, LangkahPI, SesiPI, StatusJurnal, TemplatPI
from program.models import PenugasanPP

URUTAN = 5


@pytest.fixture
def sessions(demo):
    """Three PI 5 sessions planned on the empty template: one not started, one
    with journal text, one submitted; then the operator completes the template."""
    assert not SesiPI.objects.filter(urutan=URUTAN).exists()  # the demo plans no PI 5
    pairs = list(PenugasanPP.objects.select_related("pp__user").order_by("pk")[:3])
    planned = [
        services.sesi_get_or_create(actor=p.pp.user, penugasan=p, urutan=URUTAN) for p in pairs
    ]
    JurnalPendampingan.objects.create(sesi=planned[1], catatan="Sudah mulai menulis.")
    JurnalPendampingan.objects.create(sesi=planned[2], status=StatusJurnal.DIAJUKAN)
    templat = TemplatPI.objects.get(urutan=URUTAN)
    templat.tema, templat.fokus = "Tema yang ditulis operator", "Fokus pertama"
    templat.menit_awal, templat.menit_inti, templat.menit_akhir = 10, 30, 10
    templat.save()
    LangkahPI.objects.bulk_create(
        LangkahPI(templat=templat, urutan=i, bagian=b, judul=f"Langkah {b}", menit=m)
        for i, (b, m) in enumerate([("awal", 10), ("inti", 30), ("akhir", 10)], start=1)
    )
    return planned


def apply_url() -> str:
    return reverse("pendampingan:templat-apply", args=[TemplatPI.objects.get(urutan=URUTAN).pk])


def test_the_preview_counts_and_changes_nothing(client, demo, sessions):
    client.force_login(demo["operator1"])
    before = [(s.templat, s.version) for s in SesiPI.objects.filter(urutan=URUTAN).order_by("pk")]

    page = client.get(apply_url()).content.decode()

    assert "1 sesi yang belum dimulai akan memakai templat ini." in page
    assert "2 sesi yang jurnalnya sudah berisi atau diajukan tetap memakai salinannya." in page
    assert "Terapkan ke 1 sesi" in page
    after = [(s.templat, s.version) for s in SesiPI.objects.filter(urutan=URUTAN).order_by("pk")]
    assert after == before


def test_applying_updates_only_the_sessions_not_started_and_records_it(client, demo, sessions):
    not_started, with_text, submitted = sessions
    client.force_login(demo["operator1"])

    response = client.post(apply_url(), follow=True)

    assert "Templat PI 5 diterapkan ke 1 sesi yang belum dimulai." in response.content.decode()
    fresh = SesiPI.objects.get(pk=not_started.pk)
    assert fresh.templat["tema"] == "Tema yang ditulis operator"
    assert [s["judul"] for s in fresh.templat["langkah"]] == [
        "Langkah awal",
        "Langkah inti",
        "Langkah akhir",
    ]
    assert fresh.version == not_started.version + 1
    record = fresh.history.order_by("-history_date").first()
    assert record.history_user == demo["operator1"]
    assert (
        record.history_change_reason == "Templat PI 5 (PGP · 6 PI) diterapkan ulang oleh operator"
    )
    for kept in (with_text, submitted):
        assert SesiPI.objects.get(pk=kept.pk).templat == kept.templat
    # The PP now sees the guidance, and no "Panduan belum diisi".
    client.force_login(not_started.penugasan.pp.user)
    body = client.get(fresh.get_absolute_url()).content.decode()
    assert "Langkah inti" in body and "Panduan belum diisi" not in body
    # Nothing left to apply.
    client.force_login(demo["operator1"])
    assert "Tidak ada sesi yang perlu diperbarui" in client.get(apply_url()).content.decode()


def test_a_session_started_after_the_preview_keeps_its_copy(client, demo, sessions):
    not_started = sessions[0]
    client.force_login(demo["operator1"])
    assert "Terapkan ke 1 sesi" in client.get(apply_url()).content.decode()
    JurnalPendampingan.objects.create(sesi=not_started, jawaban={"1": "Ditulis sesudah pratinjau"})

    response = client.post(apply_url(), follow=True)

    assert "diterapkan ke 0 sesi" in response.content.decode()
    assert SesiPI.objects.get(pk=not_started.pk).templat == not_started.templat


@pytest.mark.parametrize("username", ["pp1", "koordinator1", "fasilitator1", "cgp1"])
def test_only_operators_list_and_apply_templates(client, demo, sessions, username):
    client.force_login(demo[username])
    assert client.get(reverse("pendampingan:templat-list")).status_code == 404
    assert client.get(apply_url()).status_code == 404
    assert client.post(apply_url()).status_code == 404
    assert SesiPI.objects.get(pk=sessions[0].pk).templat == sessions[0].templat


def test_the_list_says_which_templates_are_complete(client, demo):
    client.force_login(demo["operator1"])
    page = client.get(reverse("pendampingan:templat-list")).content.decode()
    assert page.count("Belum lengkap") == 4  # PI 3-6
    assert page.count(">Lengkap<") == 2  # PI 1-2
    assert "Belum ada: menit bagian awal, langkah bagian awal" in page  # PI 3 has its tema
    assert reverse("pendampingan:templat-edit", args=[TemplatPI.objects.get(urutan=4).pk]) in page


def test_an_unknown_template_is_404(client, demo):
    client.force_login(demo["operator1"])
    missing = TemplatPI.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("pendampingan:templat-apply", args=[missing])).status_code == 404
