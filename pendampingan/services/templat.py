"""Applying an edited PI template to the sessions that have not started.

A session keeps the copy of its template it was planned with, so that a
template edited later never changes a journal being written. Sessions
planned before an operator completed or corrected a template (PI 2's steps,
the guidance of PI 3–6) would keep the old copy for good; the operator
applies the template to those not started yet, after a preview. Sessions
whose journal has text, or was submitted, keep theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from pendampingan.models import LangkahPI, SesiPI, TemplatPI
from pendampingan.services import templat_check_minutes, templat_snapshot
from program.versioning import check_history, history_token

BATCH = 1000


def _comparable(snapshot: dict) -> dict:
    # What the copy lacked is derived from the rest; older copies do not record it.
    return {k: v for k, v in (snapshot or {}).items() if k != "kekurangan"}


def _started(jurnal) -> bool:
    return jurnal is not None and (jurnal.is_submitted or jurnal.has_content)


@dataclass(frozen=True)
class Penerapan:
    """What applying a template to its version's sessions would do now."""

    templat: TemplatPI
    snapshot: dict
    diperbarui: list[int]  # sessions not started whose copy differs
    dipertahankan: int  # sessions with journal text whose copy differs: kept


def templat_penerapan(templat: TemplatPI) -> Penerapan:
    """The sessions of PI `templat.urutan` of the cohorts following the
    template's version, split into those that would get it and those kept."""
    snapshot = templat_snapshot(templat)
    wanted = _comparable(snapshot)
    diperbarui, dipertahankan = [], 0
    sessions = (
        SesiPI.objects.filter(urutan=templat.urutan, penugasan__angkatan__versi=templat.versi_id)
        .select_related("jurnal")
        .only(
            "pk",
            "templat",
            "jurnal__status",
            "jurnal__jawaban",
            "jurnal__sudah_baik",
            "jurnal__perlu_ditingkatkan",
            "jurnal__catatan",
        )
        .order_by("pk")
    )
    for sesi in sessions.iterator(chunk_size=BATCH):
        if _comparable(sesi.templat) == wanted:
            continue
        if _started(getattr(sesi, "jurnal", None)):
            dipertahankan += 1
        else:
            diperbarui.append(sesi.pk)
    return Penerapan(templat, snapshot, diperbarui, dipertahankan)


@transaction.atomic
def templat_apply(*, actor, templat: TemplatPI) -> int:
    """Give the sessions of the template's PI and version that have not
    started the template as it is now; returns how many. Each change is in
    the session's history."""
    templat = TemplatPI.objects.prefetch_related("langkah").get(pk=templat.pk)
    penerapan = templat_penerapan(templat)
    reason = _("Templat PI %(n)s (%(versi)s) diterapkan ulang oleh operator") % {
        "n": templat.urutan,
        "versi": templat.versi,
    }
    done = 0
    for start in range(0, len(penerapan.diperbarui), BATCH):
        ids = penerapan.diperbarui[start : start + BATCH]
        locked = (
            SesiPI.objects.select_for_update(of=("self",))
            .select_related("jurnal")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        # Looked at again under the lock: a PP may have started writing since.
        sessions = [s for s in locked if not _started(getattr(s, "jurnal", None))]
        for sesi in sessions:
            sesi.templat = penerapan.snapshot
            sesi.version += 1  # an open scheduling form of this session is now stale
        bulk_update_with_history(
            sessions,
            SesiPI,
            ["templat", "version"],
            default_user=actor,
            default_change_reason=reason,
        )
        done += len(sessions)
    return done


def templat_copy_to_version(*, dari, ke, actor) -> int:
    """Copy the PI templates (and steps) of version `dari` into `ke`, the
    ones it has room for; PI numbers `dari` lacks stay without a template
    ("belum dibuat"). Connected to program.versi.versi_disalin."""
    copied = 0
    for templat in TemplatPI.objects.filter(versi=dari, urutan__lte=ke.jumlah_pi).prefetch_related(
        "langkah"
    ):
        steps = list(templat.langkah.all())
        templat.pk = None
        templat.versi = ke
        templat._history_user = actor
        templat.save()
        for step in steps:
            step.pk = None
            step.templat = templat
            step._history_user = actor
            step.save()
        copied += 1
    return copied


def missing_pi_numbers(versi) -> list[int]:
    """The PI numbers of a version that have no template yet."""
    have = set(TemplatPI.objects.filter(versi=versi).values_list("urutan", flat=True))
    return [n for n in versi.pi_numbers if n not in have]


@transaction.atomic
def templat_create_empty(*, actor, versi, urutan: int) -> TemplatPI:
    """An empty template for PI `urutan` of a version: the PP then sees
    "Panduan belum diisi" instead of a page without guidance, and the
    operator sees what is missing."""
    if urutan not in versi.pi_numbers:
        raise ValidationError(
            _("Versi %(versi)s hanya punya %(n)s PI.") % {"versi": versi, "n": versi.jumlah_pi}
        )
    templat, _created = TemplatPI.objects.get_or_create(
        versi=versi, urutan=urutan, defaults={"lokakarya_ke": urutan}
    )
    return templat


def _histories(templat: TemplatPI):
    return templat.history.all(), LangkahPI.history.filter(templat_id=templat.pk)


def templat_riwayat(templat: TemplatPI) -> str:
    """Where the history of a template and its steps stands now: a token the
    edit form carries, so a save over someone else's later save is refused."""
    return history_token(*_histories(templat))


@transaction.atomic
def templat_update(*, actor, templat: TemplatPI, riwayat: str, data: dict, langkah: list[dict]):
    """Save an operator's template: its fields and its whole list of steps
    (`langkah`: the steps kept, each a dict of LangkahPI fields with `id`
    for an existing one). Refused (HistoryMoved) when the history moved
    since `riwayat`; refused (ValidationError) when the steps do not add up
    to the parts' minutes. Every change is in the template's history."""
    TemplatPI.objects.select_for_update().filter(pk=templat.pk).first()
    check_history(riwayat, *_histories(templat))
    for field, value in data.items():
        setattr(templat, field, value)
    templat.full_clean()
    templat_check_minutes(templat, langkah)
    templat._history_user = actor
    templat.save()
    existing = {s.pk: s for s in templat.langkah.all()}
    kept = {row["id"] for row in langkah if row.get("id")}
    for pk, step in existing.items():
        if pk not in kept:
            step._history_user = actor
            step.delete()
    fields = ("urutan", "bagian", "judul", "menit", "kegiatan", "pertanyaan")
    for row in langkah:
        step = existing.get(row.get("id")) or LangkahPI(templat=templat)
        if step.pk and all(getattr(step, f) == row[f] for f in fields):
            continue
        for f in fields:
            setattr(step, f, row[f])
        step.full_clean()
        step._history_user = actor
        step.save()
    return templat
