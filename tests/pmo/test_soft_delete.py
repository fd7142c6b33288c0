"""Deleting a root cause moves it to the school's PMO trash: its solutions and
their follow-up actions stay (a PMO action never vanishes on one click), it
leaves the page, the export and the PDF, and a restore brings it back linked."""

from django.urls import reverse
from django.utils import timezone

from pmo import services
from pmo.models import AkarMasalah, InstrumenPMO, Solusi
from reports.exports import baris_pmo
from reports.filters import Saringan
from tests.pmo.test_wilayah import download, pdf_text

SELONG = "50203101"  # ks1's school; fasilitator1, pengawas1 read it
URAIAN = "Belum ada jadwal piket literasi pagi"


def setup_root_cause(demo) -> tuple[InstrumenPMO, AkarMasalah, Solusi]:
    """A root cause of ks1's PMO with a solution that has follow-up actions."""
    instrumen = InstrumenPMO.objects.get(
        sekolah__npsn=SELONG, tahun_ajaran=services.periode_pmo(timezone.localdate())[0]
    )
    akar = services.akar_masalah_add(actor=demo["ks1"], instrumen=instrumen, uraian=URAIAN)
    solusi = instrumen.solusi.filter(tindak_lanjut__isnull=False).distinct().first()
    services.solusi_save(
        actor=demo["ks1"],
        solusi=solusi,
        expected_version=solusi.version,
        data={"akar_masalah": akar},
    )
    return instrumen, akar, solusi


def exported_actions(user) -> list[str]:
    _, rows = baris_pmo(user, Saringan(), timezone.now())
    return sorted(r["aktivitas"] for r in rows)


def pmo_pdf(client, instrumen, capture) -> str:
    with capture(execute=True):
        response = client.post(
            reverse(
                "pmo:laporan-pdf",
                args=[instrumen.sekolah_id, instrumen.tahun_ajaran, instrumen.siklus],
            )
        )
    return pdf_text(download(client, response))


def test_deleting_a_root_cause_keeps_its_solutions_and_actions(
    client, demo, django_capture_on_commit_callbacks
):
    instrumen, akar, solusi = setup_root_cause(demo)
    actions = sorted(solusi.tindak_lanjut.values_list("aktivitas", flat=True))
    exported = exported_actions(demo["koordinator1"])
    client.force_login(demo["ks1"])
    assert URAIAN in client.get(instrumen.get_absolute_url()).content.decode()
    assert "piket literasi" in pmo_pdf(client, instrumen, django_capture_on_commit_callbacks)

    response = client.post(reverse("pmo:akar-masalah-delete", args=[akar.pk]), follow=True)
    page = response.content.decode()
    assert "tempat sampah" in page
    assert URAIAN not in page
    assert solusi.uraian[:40] in page
    for aktivitas in actions:
        assert aktivitas in page
    assert exported_actions(demo["koordinator1"]) == exported
    text = pmo_pdf(client, instrumen, django_capture_on_commit_callbacks)
    assert "piket literasi" not in text
    assert actions[0][:30] in text

    trash = client.get(reverse("pmo:sampah")).content.decode()
    assert URAIAN in trash

    client.post(reverse("pmo:akar-masalah-restore", args=[akar.pk]))
    page = client.get(instrumen.get_absolute_url()).content.decode()
    assert page.count(URAIAN) == 2  # in the list of root causes and under its solution
    solusi.refresh_from_db()
    assert solusi.akar_masalah_id == akar.pk
    assert URAIAN not in client.get(reverse("pmo:sampah")).content.decode()


def test_only_the_schools_editors_see_and_restore_the_trash(client, demo):
    _, akar, _ = setup_root_cause(demo)
    client.force_login(demo["ks1"])
    client.post(reverse("pmo:akar-masalah-delete", args=[akar.pk]))
    for other in ("ks2", "fasilitator1", "pengawas1", "koordinator1", "pp1"):
        client.force_login(demo[other])
        assert URAIAN not in client.get(reverse("pmo:sampah")).content.decode()
        response = client.post(reverse("pmo:akar-masalah-restore", args=[akar.pk]))
        assert response.status_code == 404, other
    assert AkarMasalah.semua.get(pk=akar.pk).dihapus


def test_history_shows_who_deleted_and_who_restored(client, demo):
    _, akar, _ = setup_root_cause(demo)
    client.force_login(demo["ks1"])
    client.post(reverse("pmo:akar-masalah-delete", args=[akar.pk]))
    client.force_login(demo["operator1"])
    client.post(reverse("pmo:akar-masalah-restore", args=[akar.pk]))
    deleted, restored = list(akar.history.order_by("history_date", "history_id"))[-2:]
    assert (deleted.history_user, deleted.history_change_reason) == (
        demo["ks1"],
        "Dipindahkan ke tempat sampah",
    )
    assert (restored.history_user, restored.history_change_reason) == (
        demo["operator1"],
        "Dipulihkan dari tempat sampah",
    )
    assert AkarMasalah.objects.get(pk=akar.pk).uraian == URAIAN
