"""Saves of the per-modul journals (pemantauan, fasilitasi) on top of services.py.

A journal row is created on its first save, so two tabs that both opened an
empty modul race to create it. The loser must see the winner's text (a
conflict), not a uniqueness error or a silent overwrite.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pendampingan import services
from pendampingan.models import JurnalFasilitasi, JurnalPemantauan
from program.models import Orang, PenugasanPP
from program.versioning import ConflictError

JurnalModul = JurnalPemantauan | JurnalFasilitasi


def pemantauan_of(penugasan: PenugasanPP, modul: str) -> JurnalPemantauan:
    """The CGP's journal for `modul` (unsaved and empty, version 0, if not started)."""
    jurnal = JurnalPemantauan.objects.filter(penugasan=penugasan, modul=modul).first()
    return jurnal or JurnalPemantauan(penugasan=penugasan, modul=modul, version=0)


def fasilitasi_of(pp: Orang, modul: str) -> JurnalFasilitasi:
    """The PP's journal for `modul` (unsaved and empty, version 0, if not started)."""
    jurnal = JurnalFasilitasi.objects.filter(pp=pp, modul=modul).first()
    return jurnal or JurnalFasilitasi(pp=pp, modul=modul, version=0)


def _saved_twin(jurnal: JurnalModul) -> JurnalModul | None:
    """The row another request created for the same slot, if any."""
    if isinstance(jurnal, JurnalPemantauan):
        return JurnalPemantauan.objects.filter(
            penugasan_id=jurnal.penugasan_id, modul=jurnal.modul
        ).first()
    return JurnalFasilitasi.objects.filter(pp_id=jurnal.pp_id, modul=jurnal.modul).first()


@transaction.atomic
def jurnal_modul_upsert(*, actor, jurnal: JurnalModul, expected_version: int, data: dict):
    """Create or update a per-modul journal; a lost creation race is a conflict."""
    adding = jurnal._state.adding
    try:
        return services.jurnal_modul_save(
            actor=actor, jurnal=jurnal, expected_version=expected_version, data=data
        )
    except (IntegrityError, ValidationError) as error:
        # full_clean() reports the duplicate as a ValidationError; a truly
        # simultaneous insert surfaces as an IntegrityError from the database.
        twin = _saved_twin(jurnal) if adding else None
        if twin is None:
            raise
        raise ConflictError(twin) from error
