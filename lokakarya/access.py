"""Who opens and who runs a workshop (lokakarya).

Built on program.access (whose docstring says how the apps' access modules
fit together); re-exports the primitives this app's views use.
"""

from __future__ import annotations

from django.db.models import Q

from lokakarya.models import Lokakarya, Produk
from program.access import (
    any_of,
    get_visible_or_404,
    is_operator,
    kabupaten_visible_to,
    orang_of,
    roles_of,
)


def lokakarya_visible_to(user):
    """Workshops a user may open: their own as facilitator, those they take part
    in (a participant sees only their own attendance and scores), their
    region's as coordinator, all as operator."""
    qs = Lokakarya.objects.select_related("fasilitator", "fasilitator_2", "kabupaten", "program")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(
        pk__in=any_of(
            Lokakarya.objects.filter(fasilitator=orang).values("pk"),
            Lokakarya.objects.filter(fasilitator_2=orang).values("pk"),
            orang.peserta_lokakarya.values("lokakarya_id"),
            Lokakarya.objects.filter(kabupaten__in=kabupaten_visible_to(user).values("pk")).values(
                "pk"
            ),
        )
    )


def lokakarya_managed_by(user):
    """Workshops the user runs (facilitator A or B); operators manage all."""
    qs = Lokakarya.objects.select_related("fasilitator", "fasilitator_2", "kabupaten", "program")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(Q(fasilitator=orang) | Q(fasilitator_2=orang))


def user_manages_lokakarya(user, lokakarya) -> bool:
    orang = orang_of(user)
    return is_operator(user) or (
        orang is not None and orang.pk in (lokakarya.fasilitator_id, lokakarya.fasilitator_2_id)
    )


# --- trash (program.softdelete) ---------------------------------------------
# The default managers leave deleted rows out of every scope above; these are
# the only ways to reach them: whoever may delete a row may see it in the
# trash and restore it, anyone else gets a 404.


def produk_trash_of(user):
    return Produk.semua.di_tempat_sampah().filter(
        lokakarya__in=lokakarya_managed_by(user).values("pk")
    )


__all__ = [
    "any_of",
    "get_visible_or_404",
    "is_operator",
    "kabupaten_visible_to",
    "lokakarya_managed_by",
    "lokakarya_visible_to",
    "orang_of",
    "produk_trash_of",
    "roles_of",
    "user_manages_lokakarya",
]
