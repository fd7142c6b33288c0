"""Journal saves on top of services.py: the per-modul journals (pemantauan,
fasilitasi) and the offline-safe autosave of the PI journal.

A journal row is created on its first save, so two tabs that both opened an
empty modul race to create it. The loser must see the winner's text (a
conflict), not a uniqueness error or a silent overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pendampingan import services
from pendampingan.models import (
    JurnalFasilitasi,
    JurnalKlien,
    JurnalPemantauan,
    JurnalPendampingan,
    SesiPI,
)
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


# --- PI journal autosave from a device that may be offline ---------------------------


@dataclass(frozen=True)
class DraftSave:
    """The outcome of one autosave request.

    `applied` is False when the request was a retry or replay of a save the
    server already has (or has something newer from the same client): nothing
    was written and `version` is the one that client's last save produced.
    """

    jurnal: JurnalPendampingan
    version: int
    applied: bool


@transaction.atomic
def jurnal_draft_save_from_client(
    *,
    actor,
    sesi: SesiPI,
    expected_version: int,
    data: dict,
    client_id: str | None = None,
    seq: int | None = None,
) -> DraftSave:
    """Autosave the PI journal idempotently for a client (browser tab).

    Each save from the page carries the tab's `client_id`, a `seq` that grows
    with every edit, and the server version it is based on. Rules:

    * a `seq` at or below the last one applied from that client is acknowledged
      without writing (a retried request, or one replayed after a newer save);
    * if the journal's current version was produced by this same client, a
      save based on an older version is not a conflict: the client only missed
      the responses to its own saves (the link dropped after the request landed);
    * otherwise a save based on an older version is a real conflict (another
      tab or device wrote in between): `ConflictError`, nothing written.

    Without a client id (a form posted without JavaScript) this is the plain
    versioned save.
    """
    if not client_id or seq is None:
        jurnal = services.jurnal_save_draft(
            actor=actor, sesi=sesi, expected_version=expected_version, data=data
        )
        return DraftSave(jurnal=jurnal, version=jurnal.version, applied=True)

    # Lock the session row first (it exists even before the journal does):
    # two requests of the same client, a retry racing its original, then
    # decide one after the other, also when the first one creates the journal.
    SesiPI.objects.select_for_update().filter(pk=sesi.pk).first()
    current = JurnalPendampingan.objects.filter(sesi=sesi).first()
    if current is not None:
        last = JurnalKlien.objects.filter(jurnal=current, client_id=client_id).first()
        if last is not None and seq <= last.seq:
            return DraftSave(jurnal=current, version=last.version, applied=False)
        if last is not None and last.version == current.version:
            expected_version = max(expected_version, current.version)
        sesi.jurnal = current  # the locked row, not a copy read before the lock
    jurnal = services.jurnal_save_draft(
        actor=actor, sesi=sesi, expected_version=expected_version, data=data
    )
    JurnalKlien.objects.update_or_create(
        jurnal=jurnal, client_id=client_id, defaults={"seq": seq, "version": jurnal.version}
    )
    return DraftSave(jurnal=jurnal, version=jurnal.version, applied=True)


def jurnal_texts(jurnal: JurnalPendampingan) -> dict[str, str]:
    """The journal's text as the form's field names (`langkah_<n>` and the free fields)."""
    texts = {f"langkah_{key}": str(value) for key, value in (jurnal.jawaban or {}).items()}
    texts.update({name: getattr(jurnal, name) for name in services.JURNAL_TEXT_FIELDS})
    return texts
