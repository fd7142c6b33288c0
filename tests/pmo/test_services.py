"""The PMO rules themselves: criteria, transitions, history, escalation boundary."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pmo import services
from pmo.models import PerubahanStatus, Solusi, StatusTindakLanjut, TindakLanjut
from pmo.selectors import eskalasi_filter
from program.dates import add_months
from tests.factories import SekolahFactory, UserFactory


def periode() -> dict:
    """Today's PMO cycle, as instrument fields."""
    tahun, siklus = services.periode_pmo(timezone.localdate())
    return {"tahun_ajaran": tahun, "siklus": siklus}


@pytest.fixture
def instrumen(db):
    return services.instrumen_get_or_create(
        actor=UserFactory(), sekolah=SekolahFactory(), **periode()
    )


def new_action(instrumen, actor, **data):
    return services.tindak_lanjut_save(
        actor=actor,
        tindak_lanjut=TindakLanjut(instrumen=instrumen),
        expected_version=0,
        data={"aktivitas": "Aksi", **data},
    )


def test_school_year_turns_in_july():
    assert services.tahun_ajaran_of(dt.date(2026, 7, 1)) == 2026
    assert services.tahun_ajaran_of(dt.date(2027, 6, 30)) == 2026


@pytest.mark.parametrize("missing", Solusi.KRITERIA)
def test_a_solution_cannot_be_agreed_without_each_criterion(instrumen, missing):
    data = {"uraian": "Komunitas belajar mingguan", "disepakati": True}
    data.update({k: True for k in Solusi.KRITERIA if k != missing})
    with pytest.raises(ValidationError, match="keempat kriteria"):
        services.solusi_save(
            actor=UserFactory(), solusi=Solusi(instrumen=instrumen), expected_version=0, data=data
        )
    assert not Solusi.objects.filter(instrumen=instrumen).exists()


def test_a_no_is_an_answer_too(instrumen):
    data = {
        "uraian": "x",
        "disepakati": True,
        **{k: True for k in Solusi.KRITERIA},
        "sumber_daya": False,
    }
    solusi = services.solusi_save(
        actor=UserFactory(), solusi=Solusi(instrumen=instrumen), expected_version=0, data=data
    )
    assert solusi.disepakati


def test_status_history_is_complete_and_ordered(instrumen):
    actor = UserFactory()
    action = new_action(instrumen, actor)
    for status, alasan in [
        ("berjalan", "mulai"),
        ("terkendala", "ANBK"),
        ("berjalan", "lanjut"),
        ("selesai", "tuntas"),
    ]:
        action.refresh_from_db()
        services.tindak_lanjut_set_status(
            actor=actor,
            tindak_lanjut=action,
            expected_version=action.version,
            status=status,
            alasan=alasan,
        )
    timeline = list(PerubahanStatus.objects.filter(tindak_lanjut=action).order_by("at", "pk"))
    assert [(c.dari, c.ke) for c in timeline] == [
        ("", "belum_mulai"),
        ("belum_mulai", "berjalan"),
        ("berjalan", "terkendala"),
        ("terkendala", "berjalan"),
        ("berjalan", "selesai"),
    ]
    assert all(c.oleh == actor for c in timeline) and timeline[2].alasan == "ANBK"


def test_status_change_needs_a_reason_and_an_allowed_transition(instrumen):
    actor = UserFactory()
    action = new_action(instrumen, actor)
    with pytest.raises(ValidationError, match="alasan"):
        services.tindak_lanjut_set_status(
            actor=actor,
            tindak_lanjut=action,
            expected_version=action.version,
            status="berjalan",
            alasan=" ",
        )
    with pytest.raises(ValidationError, match="tidak dapat langsung"):
        services.tindak_lanjut_set_status(
            actor=actor,
            tindak_lanjut=action,
            expected_version=action.version,
            status="selesai",
            alasan="x",
        )
    assert TindakLanjut.objects.get(pk=action.pk).status == StatusTindakLanjut.BELUM_MULAI


def test_escalation_boundary(instrumen):
    actor = UserFactory()
    now = timezone.now()
    cutoff = add_months(now, -2)
    at_boundary = new_action(instrumen, actor, aktivitas="tepat 2 bulan")
    just_inside = new_action(instrumen, actor, aktivitas="2 bulan kurang 1 menit")
    done = new_action(instrumen, actor, aktivitas="selesai lama")
    stuck = new_action(instrumen, actor, aktivitas="terkendala baru")
    TindakLanjut.objects.filter(pk=at_boundary.pk).update(diperbarui_at=cutoff)
    TindakLanjut.objects.filter(pk=just_inside.pk).update(
        diperbarui_at=cutoff + dt.timedelta(minutes=1)
    )
    TindakLanjut.objects.filter(pk=done.pk).update(
        diperbarui_at=cutoff - dt.timedelta(days=90), status="selesai"
    )
    stuck.refresh_from_db()
    services.tindak_lanjut_set_status(
        actor=actor,
        tindak_lanjut=stuck,
        expected_version=stuck.version,
        status="terkendala",
        alasan="dana",
    )
    flagged = set(
        eskalasi_filter(TindakLanjut.objects.filter(instrumen=instrumen), now=now).values_list(
            "aktivitas", flat=True
        )
    )
    assert flagged == {"tepat 2 bulan", "terkendala baru"}
    # handled by the coordinator: off the list until the school updates it again
    services.eskalasi_handle(
        actor=actor, tindak_lanjut=TindakLanjut.objects.get(pk=stuck.pk), catatan="Ditelepon"
    )
    assert set(
        eskalasi_filter(TindakLanjut.objects.filter(instrumen=instrumen), now=now).values_list(
            "aktivitas", flat=True
        )
    ) == {"tepat 2 bulan"}


def test_monthly_note_counts_as_an_update(instrumen):
    actor = UserFactory()
    action = new_action(instrumen, actor)
    TindakLanjut.objects.filter(pk=action.pk).update(
        diperbarui_at=timezone.now() - dt.timedelta(days=120)
    )
    assert eskalasi_filter(TindakLanjut.objects.filter(instrumen=instrumen)).exists()
    services.catatan_bulanan_save(
        actor=actor,
        tindak_lanjut=action,
        bulan=timezone.localdate(),
        expected_version=0,
        data={"kendala": "-"},
    )
    assert not eskalasi_filter(TindakLanjut.objects.filter(instrumen=instrumen)).exists()
