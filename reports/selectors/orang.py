"""The dashboard's and the exports' "PP atau fasilitator" filter: who the
region's PP and facilitators are, and what choosing one of them selects."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pmo.selectors.wilayah import sekolah_wilayah
from program.models import Orang, PenugasanPP, PenugasanSekolah, Peran
from reports import access


def orang_wilayah(user, *, kabupaten: int | None = None) -> QuerySet[Orang]:
    """PP of the region's CGP and facilitators of the region's schools (of one
    kabupaten/kota of the region if given)."""
    wilayah = access.kabupaten_visible_to(user).values("pk")
    pp = access.penugasan_pp_visible_to(user).filter(sekolah__kabupaten__in=wilayah)
    sekolah = sekolah_wilayah(user)
    if kabupaten:
        pp = pp.filter(sekolah__kabupaten_id=kabupaten)
        sekolah = sekolah.filter(kabupaten_id=kabupaten)
    fasilitator = PenugasanSekolah.objects.filter(
        peran=Peran.FASILITATOR, sekolah__in=sekolah.values("pk")
    )
    # The ids as one UNION subquery: PostgreSQL then looks the few people up by
    # primary key. With `pk IN (pp) OR pk IN (fasilitator)` it scanned every
    # Orang (2.3 s instead of 10 ms for koordinator1 at national scale).
    ids = pp.order_by().values("pp_id").union(fasilitator.order_by().values("orang_id"))
    return (
        Orang.objects.filter(pk__in=ids)
        .annotate(
            adalah_pp=Exists(pp.filter(pp=OuterRef("pk"))),
            adalah_fasilitator=Exists(fasilitator.filter(orang=OuterRef("pk"))),
        )
        .order_by("nama", "pk")
    )


def pilihan_orang(people) -> list[tuple[int, str]]:
    """(pk, "Nama (PP, Fasilitator)") for the person filter."""
    orang = []
    for o in people:
        peran = [
            label
            for flag, label in (
                (o.adalah_pp, _("PP")),
                (o.adalah_fasilitator, _("Fasilitator")),
            )
            if flag
        ]
        orang.append((o.pk, f"{o.nama} ({', '.join(str(p) for p in peran)})"))
    return orang


# What "PP atau fasilitator" selects, written once for the dashboard and the
# exports; `path` leads from the filtered rows to the school, pair or workshop.


def q_sekolah_orang(orang_id: int, path: str = "pk") -> Q:
    """Schools a person accompanies: as facilitator, or as PP of a CGP there."""
    fasilitator = PenugasanSekolah.objects.filter(orang_id=orang_id, peran=Peran.FASILITATOR)
    return Q(**{f"{path}__in": fasilitator.values("sekolah_id")}) | Q(
        **{f"{path}__in": PenugasanPP.objects.filter(pp_id=orang_id).values("sekolah_id")}
    )


def q_penugasan_orang(orang_id: int) -> Q:
    """PP→CGP pairs of a PP, or at the schools a facilitator accompanies."""
    fasilitator = PenugasanSekolah.objects.filter(orang_id=orang_id, peran=Peran.FASILITATOR)
    return Q(pp_id=orang_id) | Q(sekolah__in=fasilitator.values("sekolah_id"))


def q_lokakarya_orang(orang_id: int, prefix: str = "") -> Q:
    """Workshops a person facilitates (first or second facilitator)."""
    return Q(**{f"{prefix}fasilitator_id": orang_id}) | Q(**{f"{prefix}fasilitator_2_id": orang_id})
