"""The CGP's artefacts: the CGP writes them, their PP comments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pendampingan.models import ArtefakCGP, JenisArtefak
from program.models import PenugasanPP
from program.versioning import ConflictError, save_versioned


def artefak_of(penugasan: PenugasanPP, jenis: str) -> ArtefakCGP:
    """The CGP's artefact of `jenis` (unsaved and empty, version 0, if not written yet)."""
    artefak = ArtefakCGP.objects.filter(penugasan=penugasan, jenis=jenis).first()
    return artefak or ArtefakCGP(penugasan=penugasan, jenis=jenis, version=0)


def artefak_list(penugasan: PenugasanPP) -> list[ArtefakCGP]:
    """All three, in the programme's order, written or not."""
    saved = {a.jenis: a for a in ArtefakCGP.objects.filter(penugasan=penugasan)}
    return [
        saved.get(jenis) or ArtefakCGP(penugasan=penugasan, jenis=jenis, version=0)
        for jenis in JenisArtefak.values
    ]


def _save(actor, artefak: ArtefakCGP, expected_version: int) -> ArtefakCGP:
    artefak._history_user = actor
    adding = artefak._state.adding
    try:
        with transaction.atomic():
            return save_versioned(artefak, expected_version=expected_version)
    except (IntegrityError, ValidationError) as error:
        # Another request created the same artefact first: theirs is shown.
        twin = ArtefakCGP.objects.filter(
            penugasan_id=artefak.penugasan_id, jenis=artefak.jenis
        ).first()
        if adding and twin is not None:
            raise ConflictError(twin) from error
        raise


@transaction.atomic
def artefak_save(*, actor, artefak: ArtefakCGP, expected_version: int, data: dict) -> ArtefakCGP:
    artefak.isi = (data.get("isi") or "").strip()
    artefak.tautan = data.get("tautan") or ""
    artefak.diperbarui_at = timezone.now()
    return _save(actor, artefak, expected_version)


@transaction.atomic
def artefak_comment(*, actor, artefak: ArtefakCGP, expected_version: int, data: dict) -> ArtefakCGP:
    if artefak.pk is None or not artefak.terisi:
        raise ValidationError(_("CGP belum menulis artefak ini; belum ada yang dapat dikomentari."))
    artefak.komentar_pp = (data.get("komentar_pp") or "").strip()
    artefak.dikomentari_at = timezone.now() if artefak.komentar_pp else None
    return _save(actor, artefak, expected_version)
