"""Programme versions (VersiProgram): creating one from another.

A new version starts as a copy of an existing one: its calendar here, and,
through the `versi_disalin` signal, what the domain apps own of it (the PI
templates in pendampingan, the workshop templates in lokakarya), so that
the platform needs to know nothing of them. Operators then change what
differs (one more PI, another workshop) on the template pages.
"""

from __future__ import annotations

import datetime as dt

import django.dispatch
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from program.models import Angkatan, JadwalLokakarya, KalenderVersi, Program, VersiProgram
from program.versioning import check_history, history_token

# Sent inside the creating transaction: sender=VersiProgram, dari, ke, actor.
versi_disalin = django.dispatch.Signal()
# Sent before a version's PI count is lowered: sender=VersiProgram, versi,
# jumlah_pi (the new count). A receiver refuses by raising ValidationError
# (e.g. pendampingan, while a cohort of the version has a session beyond it).
jumlah_pi_dikurangi = django.dispatch.Signal()


@transaction.atomic
def versi_create(
    *,
    actor,
    program: Program,
    nama: str,
    jumlah_pi: int,
    keterangan: str = "",
    dari: VersiProgram | None = None,
) -> VersiProgram:
    nama = nama.strip()
    if VersiProgram.objects.filter(program=program, nama__iexact=nama).exists():
        raise ValidationError({"nama": _("Program ini sudah punya versi bernama itu.")})
    if dari is not None and dari.program_id != program.pk:
        raise ValidationError({"dari": _("Versi sumber harus dari program yang sama.")})
    versi = VersiProgram(program=program, nama=nama, jumlah_pi=jumlah_pi, keterangan=keterangan)
    versi._history_user = actor
    versi.full_clean()
    versi.save()
    if dari is not None:
        for baris in dari.kalender.all():
            kalender = KalenderVersi(versi=versi, ke=baris.ke, minggu_ke=baris.minggu_ke)
            kalender._history_user = actor
            kalender.save()
        versi_disalin.send(sender=VersiProgram, dari=dari, ke=versi, actor=actor)
    return versi


def _histories(versi: VersiProgram):
    return versi.history.all(), KalenderVersi.history.filter(versi_id=versi.pk)


def versi_riwayat(versi: VersiProgram) -> str:
    """Where the history of a version and its calendar stands: a token the
    edit form carries, so a save over someone else's later save is refused."""
    return history_token(*_histories(versi))


@transaction.atomic
def versi_update(
    *, actor, versi: VersiProgram, riwayat: str, data: dict, kalender: list[tuple[int, int]]
) -> VersiProgram:
    """Save a version's name, PI count, description and whole calendar
    (`kalender`: (lokakarya ke-, minggu ke-) pairs). Refused (HistoryMoved)
    when its history moved since `riwayat`, and (ValidationError) for a name
    taken, a workshop twice in the calendar, or fewer PI than a cohort of the
    version already holds sessions for. Cohorts' own dates are not touched:
    "Isi tanggal yang belum ada" fills them from the new calendar."""
    VersiProgram.objects.select_for_update().filter(pk=versi.pk).first()
    check_history(riwayat, *_histories(versi))
    nama = data["nama"].strip()
    if (
        VersiProgram.objects.filter(program_id=versi.program_id, nama__iexact=nama)
        .exclude(pk=versi.pk)
        .exists()
    ):
        raise ValidationError({"nama": _("Program ini sudah punya versi bernama itu.")})
    ke_list = [ke for ke, _minggu in kalender]
    if len(ke_list) != len(set(ke_list)):
        raise ValidationError(_("Setiap lokakarya hanya sekali dalam kalender."))
    if data["jumlah_pi"] < versi.jumlah_pi:
        jumlah_pi_dikurangi.send(sender=VersiProgram, versi=versi, jumlah_pi=data["jumlah_pi"])
    baru = (nama, data["jumlah_pi"], data["keterangan"])
    if baru != (versi.nama, versi.jumlah_pi, versi.keterangan):
        versi.nama, versi.jumlah_pi, versi.keterangan = baru
        versi.full_clean()
        versi._history_user = actor
        versi.save()
    existing = {k.ke: k for k in versi.kalender.all()}
    wanted = dict(kalender)
    for ke, baris in existing.items():
        if ke not in wanted:
            baris._history_user = actor
            baris.delete()
    for ke, minggu in wanted.items():
        baris = existing.get(ke)
        if baris is not None and baris.minggu_ke == minggu:
            continue
        baris = baris or KalenderVersi(versi=versi, ke=ke)
        baris.minggu_ke = minggu
        baris.full_clean()
        baris._history_user = actor
        baris.save()
    return versi


def versi_list():
    """Every version with its programme and cohorts, for the operators' page."""
    return (
        VersiProgram.objects.select_related("program")
        .prefetch_related("angkatan__jadwal_lokakarya", "kalender")
        .order_by("program__kode", "pk")
    )


@transaction.atomic
def jadwal_fill(*, actor, angkatan: Angkatan) -> int:
    """Give a cohort the dates of its version's calendar it has not got yet:
    lokakarya N in week `minggu_ke` after the cohort starts, on the first day
    of that week. Dates the cohort already has (moved by an operator) stay.
    Returns how many dates were added."""
    Angkatan.objects.select_for_update().filter(pk=angkatan.pk).first()
    have = set(angkatan.jadwal_lokakarya.values_list("ke", flat=True))
    added = 0
    for baris in angkatan.versi.kalender.all():
        if baris.ke in have:
            continue
        jadwal = JadwalLokakarya(
            angkatan=angkatan,
            ke=baris.ke,
            tanggal=angkatan.tanggal_mulai + dt.timedelta(weeks=baris.minggu_ke - 1),
        )
        jadwal._history_user = actor
        jadwal.save()
        added += 1
    return added
