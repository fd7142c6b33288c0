"""Who reads and who writes a school's learning communities (komunitas belajar).

Built on program.access (whose docstring says how the apps' access modules
fit together); re-exports the primitives this app's views use.
"""

from __future__ import annotations

from django.db.models import QuerySet

from komunitas.models import KomunitasBelajar
from program.access import (
    PERAN_BACA_SEKOLAH,
    any_of,
    get_visible_or_404,
    is_operator,
    orang_of,
    sekolah_ids_by_role,
    sekolah_visible_to,
    sekolah_wilayah,
)
from program.models import Peran, Sekolah


def komunitas_visible_to(user):
    """Learning communities a user reads: members and PIC, the school's head,
    teachers, facilitators and supervisors, the region's coordinator, operators."""
    qs = KomunitasBelajar.objects.select_related("sekolah", "pic")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(
        pk__in=any_of(
            KomunitasBelajar.objects.filter(pic=orang).values("pk"),
            KomunitasBelajar.anggota.through.objects.filter(orang=orang).values(
                "komunitasbelajar_id"
            ),
            KomunitasBelajar.objects.filter(
                sekolah__in=sekolah_ids_by_role(user, PERAN_BACA_SEKOLAH)
            ).values("pk"),
            KomunitasBelajar.objects.filter(sekolah__in=sekolah_wilayah(user)).values("pk"),
        )
    )


def komunitas_editable_by(user):
    """The PIC and the school's head (or a PIC komunitas of the school) edit."""
    qs = KomunitasBelajar.objects.select_related("sekolah", "pic")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(
        pk__in=any_of(
            KomunitasBelajar.objects.filter(pic=orang).values("pk"),
            KomunitasBelajar.objects.filter(
                sekolah__in=sekolah_ids_by_role(user, {Peran.KEPALA_SEKOLAH, Peran.PIC_KOMUNITAS})
            ).values("pk"),
        )
    )


def komunitas_member_of(user):
    """Communities where the user may write good practice and meeting notes."""
    orang = orang_of(user)
    if is_operator(user):
        return KomunitasBelajar.objects.all()
    if orang is None:
        return KomunitasBelajar.objects.none()
    return KomunitasBelajar.objects.filter(
        pk__in=any_of(
            komunitas_editable_by(user).values("pk"),
            KomunitasBelajar.anggota.through.objects.filter(orang=orang).values(
                "komunitasbelajar_id"
            ),
        )
    )


def komunitas_reviewed_by(user):
    """Facilitators and supervisors of the school read and give feedback."""
    if is_operator(user):
        return KomunitasBelajar.objects.all()
    return KomunitasBelajar.objects.filter(
        sekolah__in=sekolah_ids_by_role(user, {Peran.FASILITATOR, Peran.PENGAWAS})
    )


def sekolah_komunitas_visible_to(user) -> QuerySet[Sekolah]:
    """Schools whose komunitas records (stages, map, plan PDF) a user reads: the
    school's people by role, the region's coordinator, operators. A PP who sees
    a CGP's school does not read its communities."""
    qs = sekolah_visible_to(user)
    if is_operator(user):
        return qs
    return qs.filter(
        pk__in=any_of(sekolah_ids_by_role(user, PERAN_BACA_SEKOLAH), sekolah_wilayah(user))
    )


def sekolah_komunitas_editable_by(user) -> QuerySet[Sekolah]:
    """Schools whose optimisation stages the user updates (head, PIC komunitas)."""
    if is_operator(user):
        return Sekolah.objects.all()
    return Sekolah.objects.filter(
        pk__in=sekolah_ids_by_role(user, {Peran.KEPALA_SEKOLAH, Peran.PIC_KOMUNITAS})
    )


__all__ = [
    "PERAN_BACA_SEKOLAH",
    "any_of",
    "get_visible_or_404",
    "is_operator",
    "komunitas_editable_by",
    "komunitas_member_of",
    "komunitas_reviewed_by",
    "komunitas_visible_to",
    "orang_of",
    "sekolah_ids_by_role",
    "sekolah_komunitas_editable_by",
    "sekolah_komunitas_visible_to",
    "sekolah_visible_to",
    "sekolah_wilayah",
]
