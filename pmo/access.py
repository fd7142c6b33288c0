"""Who reads, fills in and reviews a school's PMO.

Built on program.access (whose docstring says how the apps' access modules
fit together); re-exports the primitives this app's views use.
"""

from __future__ import annotations

from django.db.models import QuerySet

from pmo.models import AkarMasalah, TindakLanjut
from program.access import (
    any_of,
    get_visible_or_404,
    is_operator,
    kabupaten_visible_to,
    orang_of,
    roles_of,
    sekolah_ids_by_role,
    sekolah_wilayah,
)
from program.models import Peran, Sekolah

PERAN_PENGISI_PMO = {Peran.KEPALA_SEKOLAH, Peran.OPERATOR_SEKOLAH}
PERAN_PEMBACA_PMO = PERAN_PENGISI_PMO | {Peran.FASILITATOR, Peran.PENGAWAS}


def sekolah_pmo_visible_to(user) -> QuerySet[Sekolah]:
    """Schools whose PMO the user reads: head and school operator, the school's
    facilitators and supervisors, the region's coordinator, operators."""
    qs = Sekolah.objects.select_related("kabupaten")
    if is_operator(user):
        return qs
    if orang_of(user) is None:
        return qs.none()
    return qs.filter(
        pk__in=any_of(sekolah_ids_by_role(user, PERAN_PEMBACA_PMO), sekolah_wilayah(user))
    )


def sekolah_pmo_editable_by(user) -> QuerySet[Sekolah]:
    """Only the school's head (and a school operator) fill the PMO in."""
    if is_operator(user):
        return Sekolah.objects.all()
    return Sekolah.objects.filter(pk__in=sekolah_ids_by_role(user, PERAN_PENGISI_PMO))


def sekolah_pmo_reviewed_by(user) -> QuerySet[Sekolah]:
    """Schools whose PMO the user reviews as facilitator (feedback, forum pokja)."""
    if is_operator(user):
        return Sekolah.objects.all()
    return Sekolah.objects.filter(pk__in=sekolah_ids_by_role(user, {Peran.FASILITATOR}))


def tindak_lanjut_visible_to(user):
    return TindakLanjut.objects.filter(
        instrumen__sekolah__in=sekolah_pmo_visible_to(user).values("pk")
    )


def tindak_lanjut_editable_by(user):
    return TindakLanjut.objects.filter(
        instrumen__sekolah__in=sekolah_pmo_editable_by(user).values("pk")
    )


# --- trash (program.softdelete) ---------------------------------------------
# The default managers leave deleted rows out of every scope above; these are
# the only ways to reach them: whoever may delete a row may see it in the
# trash and restore it, anyone else gets a 404.


def akar_masalah_trash_of(user):
    return AkarMasalah.semua.di_tempat_sampah().filter(
        instrumen__sekolah__in=sekolah_pmo_editable_by(user).values("pk")
    )


__all__ = [
    "PERAN_PEMBACA_PMO",
    "PERAN_PENGISI_PMO",
    "akar_masalah_trash_of",
    "any_of",
    "get_visible_or_404",
    "is_operator",
    "kabupaten_visible_to",
    "orang_of",
    "roles_of",
    "sekolah_ids_by_role",
    "sekolah_pmo_editable_by",
    "sekolah_pmo_reviewed_by",
    "sekolah_pmo_visible_to",
    "sekolah_wilayah",
    "tindak_lanjut_editable_by",
    "tindak_lanjut_visible_to",
]
