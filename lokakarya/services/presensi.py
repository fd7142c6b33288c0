"""Attendance of a workshop: opening self check-in, and the attendance summary.

The per-participant writes (kehadiran_set, presensi_mandiri) live in
lokakarya.services; this module adds the switch facilitators flip in the hall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from lokakarya.models import Kehadiran, Lokakarya, Peserta


@transaction.atomic
def presensi_set_dibuka(*, actor, lokakarya: Lokakarya, dibuka: bool) -> Lokakarya:
    """Open or close self check-in with the code.

    Only this flag is written, and the version is left alone on purpose: a
    facilitator opening check-in must not turn a colleague's open edit of the
    workshop or its class agreement into a conflict.
    """
    lokakarya.presensi_dibuka = bool(dibuka)
    lokakarya._history_user = actor
    lokakarya.save(update_fields=["presensi_dibuka"])
    return lokakarya


@dataclass(frozen=True)
class Rekap:
    total: int
    hadir: int
    terlambat: int
    tidak_hadir: int
    belum: int

    @property
    def datang(self) -> int:
        """Present, late included: those who took part."""
        return self.hadir + self.terlambat

    @property
    def persen(self) -> int | None:
        if not self.total:
            return None
        return round(100 * self.datang / self.total)


def rekap_kehadiran(peserta: Iterable[Peserta]) -> Rekap:
    """Counts per attendance status of already fetched participants (no query)."""
    counts = {value: 0 for value in Kehadiran.values}
    total = 0
    for p in peserta:
        total += 1
        counts[p.kehadiran if p.kehadiran in counts else Kehadiran.BELUM] += 1
    return Rekap(
        total=total,
        hadir=counts[Kehadiran.HADIR],
        terlambat=counts[Kehadiran.TERLAMBAT],
        tidak_hadir=counts[Kehadiran.TIDAK_HADIR],
        belum=counts[Kehadiran.BELUM],
    )
