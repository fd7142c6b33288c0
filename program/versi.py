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

# Sent inside the creating transaction: sender=VersiProgram, dari, ke, actor.
versi_disalin = django.dispatch.Signal()


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
