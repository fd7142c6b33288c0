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

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from pendampingan.models import SesiPI, TemplatPI
from pendampingan.services import templat_snapshot

BATCH = 1000


def _comparable(snapshot: dict) -> dict:
    # What the copy lacked is derived from the rest; older copies do not record it.
    return {k: v for k, v in (snapshot or {}).items() if k != "kekurangan"}


def _started(jurnal) -> bool:
    return jurnal is not None and (jurnal.is_submitted or jurnal.has_content)


@dataclass(frozen=True)
class Penerapan:
    """What applying the template of PI `urutan` would do now."""

    templat: TemplatPI
    snapshot: dict
    diperbarui: list[int]  # sessions not started whose copy differs
    dipertahankan: int  # sessions with journal text whose copy differs: kept


def templat_penerapan(urutan: int) -> Penerapan | None:
    templat = TemplatPI.objects.filter(urutan=urutan).prefetch_related("langkah").first()
    if templat is None:
        return None
    snapshot = templat_snapshot(templat)
    wanted = _comparable(snapshot)
    diperbarui, dipertahankan = [], 0
    sessions = (
        SesiPI.objects.filter(urutan=urutan)
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
def templat_apply(*, actor, urutan: int) -> int:
    """Give the sessions of PI `urutan` that have not started the template as
    it is now; returns how many. Each change is in the session's history."""
    penerapan = templat_penerapan(urutan)
    if penerapan is None:
        return 0
    reason = _("Templat PI %(n)s diterapkan ulang oleh operator") % {"n": urutan}
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
