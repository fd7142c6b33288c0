"""Whose figures the reports read. The dashboards, exports and calendars span
the domain apps (reports sits above them), so this module also gathers the
domain scopes they use: the reports' views read access through it only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from komunitas.access import sekolah_komunitas_visible_to
from lokakarya.access import lokakarya_visible_to
from pendampingan.access import sekolah_coaching_visible_to, sesi_coaching_visible_to
from pmo.access import sekolah_pmo_visible_to, tindak_lanjut_visible_to
from program.access import (
    is_operator,
    kabupaten_visible_to,
    orang_of,
    penugasan_pp_visible_to,
    roles_of,
)
from program.models import Orang, PenugasanSekolah, Peran


def fasilitator_visible_to(user, *, kabupaten: int | None = None) -> QuerySet[Orang]:
    """Facilitators whose JP the user reads: themselves, those with schools in
    the coordinator's region, all for operators (narrowed to a kabupaten)."""
    penugasan = PenugasanSekolah.objects.filter(peran=Peran.FASILITATOR)
    if kabupaten:
        penugasan = penugasan.filter(sekolah__kabupaten_id=kabupaten)
    qs = Orang.objects.all()
    if is_operator(user):
        return qs.filter(pk__in=penugasan.values("orang_id"))
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    region = kabupaten_visible_to(user).values("pk")
    return qs.filter(
        (Q(pk=orang.pk) & Q(pk__in=penugasan.values("orang_id")))
        | Q(pk__in=penugasan.filter(sekolah__kabupaten__in=region).values("orang_id"))
    )


__all__ = [
    "fasilitator_visible_to",
    "is_operator",
    "kabupaten_visible_to",
    "lokakarya_visible_to",
    "orang_of",
    "penugasan_pp_visible_to",
    "roles_of",
    "sekolah_coaching_visible_to",
    "sekolah_komunitas_visible_to",
    "sekolah_pmo_visible_to",
    "sesi_coaching_visible_to",
    "tindak_lanjut_visible_to",
]
