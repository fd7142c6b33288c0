"""A workshop's agenda as the facilitator builds it: add, edit, reorder and
remove stages; and, for an operator, a good agenda saved back as its
template's, so the next workshop of that kind starts from it.

Every change goes into the stage's history with who made it. A stage that
has started keeps its place and cannot be removed: its actual minutes and
reflections are the record of the day.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lokakarya.models import Lokakarya, TahapLokakarya, TahapTemplat, TemplatLokakarya

FIELDS = ("hari", "nama", "alur", "menit_rencana", "tujuan", "kegiatan", "bahan", "persiapan")


def _lock(lokakarya: Lokakarya) -> None:
    # Two facilitators reordering at once would otherwise interleave numbers.
    Lokakarya.objects.select_for_update().filter(pk=lokakarya.pk).first()


def _renumber(lokakarya: Lokakarya, ordered: list[TahapLokakarya], actor) -> None:
    for urutan, tahap in enumerate(ordered, start=1):
        if tahap.urutan != urutan:
            tahap.urutan = urutan
            tahap._history_user = actor
            tahap.save(update_fields=["urutan"])


@transaction.atomic
def tahap_add(*, actor, lokakarya: Lokakarya, data: dict) -> TahapLokakarya:
    _lock(lokakarya)
    last = lokakarya.tahap.aggregate(m=Max("urutan"))["m"] or 0
    tahap = TahapLokakarya(lokakarya=lokakarya, urutan=last + 1)
    for field in FIELDS:
        if field in data:
            setattr(tahap, field, data[field])
    tahap._history_user = actor
    tahap.full_clean()
    tahap.save()
    return tahap


@transaction.atomic
def tahap_update(*, actor, tahap: TahapLokakarya, data: dict) -> TahapLokakarya:
    for field in FIELDS:
        if field in data:
            setattr(tahap, field, data[field])
    tahap._history_user = actor
    tahap.full_clean()
    tahap.save()
    return tahap


@transaction.atomic
def tahap_delete(*, actor, tahap: TahapLokakarya) -> None:
    lokakarya = tahap.lokakarya
    _lock(lokakarya)
    if tahap.mulai_at is not None:
        raise ValidationError(
            _("Tahap “%(nama)s” sudah dimulai; waktunya tercatat, jadi tidak dapat dihapus.")
            % {"nama": tahap.nama}
        )
    tahap._history_user = actor
    tahap.delete()
    _renumber(lokakarya, list(lokakarya.tahap.order_by("urutan", "pk")), actor)


@transaction.atomic
def tahap_move(*, actor, tahap: TahapLokakarya, naik: bool) -> None:
    """One place up or down; the others keep their order."""
    lokakarya = tahap.lokakarya
    _lock(lokakarya)
    ordered = list(lokakarya.tahap.order_by("urutan", "pk"))
    at = next(i for i, t in enumerate(ordered) if t.pk == tahap.pk)
    other = at - 1 if naik else at + 1
    if not 0 <= other < len(ordered):
        return
    ordered[at], ordered[other] = ordered[other], ordered[at]
    _renumber(lokakarya, ordered, actor)


@transaction.atomic
def agenda_save_as_template(*, actor, lokakarya: Lokakarya) -> TemplatLokakarya:
    """Replace the agenda of the workshop's template with this workshop's."""
    templat = lokakarya.templat
    if templat is None:
        raise ValidationError(_("Lokakarya ini tidak dibuat dari templat."))
    TemplatLokakarya.objects.select_for_update().filter(pk=templat.pk).first()
    for old in templat.tahap.all():
        old._history_user = actor
        old.delete()
    for tahap in lokakarya.tahap.order_by("urutan", "pk"):
        step = TahapTemplat(
            templat=templat,
            urutan=tahap.urutan,
            hari=tahap.hari,
            nama=tahap.nama,
            alur=tahap.alur,
            jenis=tahap.jenis,
            menit=tahap.menit_rencana,
            tujuan=tahap.tujuan,
            kegiatan=tahap.kegiatan,
            bahan=tahap.bahan,
            persiapan=tahap.persiapan,
        )
        step._history_user = actor
        step.save()
    return templat


def templat_copy_to_version(*, dari, ke, actor) -> int:
    """Copy the workshop templates (and agendas) of version `dari` into `ke`.
    Connected to program.versi.versi_disalin; a copy's code gets the new
    version's number (codes are unique), its name stays."""
    copied = 0
    for templat in TemplatLokakarya.objects.filter(versi=dari).prefetch_related("tahap"):
        steps = list(templat.tahap.all())
        kode = re.sub(r"-v\d+$", "", templat.kode)
        templat.pk = None
        templat.versi = ke
        templat.kode = f"{kode[: 50 - len(str(ke.pk)) - 2]}-v{ke.pk}"
        templat._history_user = actor
        templat.save()
        for step in steps:
            step.pk = None
            step.templat = templat
            step._history_user = actor
            step.save()
        copied += 1
    return copied
