"""Reads for the program views, always starting from an access scope."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from program import access
from program.models import Job, PenugasanPP, PenugasanSekolah, Peran, Sekolah


def sekolah_list(user, *, q: str = "", jenjang: str = "") -> QuerySet[Sekolah]:
    qs = access.sekolah_visible_to(user)
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(npsn__icontains=q))
    if jenjang:
        qs = qs.filter(jenjang=jenjang)
    # A correlated count, not Count("cgp") with GROUP BY: the page only counts
    # the CGP of its own rows, and the paginator's COUNT(*) drops the column
    # (GROUP BY over 50k schools took seconds for an operator, national scale).
    cgp = (
        PenugasanPP.objects.filter(sekolah=OuterRef("pk"))
        .order_by()
        .values("sekolah")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(jumlah_cgp=Coalesce(Subquery(cgp, output_field=IntegerField()), 0)).order_by(
        "kabupaten__nama", "nama", "pk"
    )


def sekolah_detail(user, pk: int) -> Sekolah:
    return access.get_visible_or_404(access.sekolah_visible_to(user), pk=pk)


def sekolah_people(sekolah: Sekolah) -> QuerySet[PenugasanSekolah]:
    return sekolah.penugasan.select_related("orang").order_by("peran", "orang__nama")


def cgp_of_pp(user) -> QuerySet[PenugasanPP]:
    """The CGP a PP mentors (their own, not the region's)."""
    orang = access.orang_of(user)
    return access.penugasan_pp_visible_to(user).filter(pp=orang).order_by("cgp__nama")


def pp_of_cgp(user) -> QuerySet[PenugasanPP]:
    orang = access.orang_of(user)
    return access.penugasan_pp_visible_to(user).filter(cgp=orang)


def sekolah_by_role(user, peran: str) -> QuerySet[Sekolah]:
    return access.sekolah_visible_to(user).filter(pk__in=access.sekolah_ids_by_role(user, {peran}))


def beranda(user) -> dict:
    """What the home page shows, section by role."""
    roles = access.roles_of(user)
    data: dict = {"roles": roles}
    if Peran.PENGAJAR_PRAKTIK in roles:
        data["cgp_dampingan"] = list(cgp_of_pp(user))
    if Peran.CGP in roles:
        data["pp_saya"] = list(pp_of_cgp(user))
    if Peran.FASILITATOR in roles:
        data["sekolah_binaan"] = list(sekolah_by_role(user, Peran.FASILITATOR))
    for peran, key in (
        (Peran.KEPALA_SEKOLAH, "sekolah_kepala"),
        (Peran.PENGAWAS, "sekolah_pengawas"),
    ):
        if peran in roles:
            data[key] = list(sekolah_by_role(user, peran))
    if Peran.KOORDINATOR in roles:
        data["wilayah"] = list(
            access.kabupaten_visible_to(user).annotate(jumlah_sekolah=Count("sekolah"))
        )
    data["jobs"] = list(recent_jobs(user)[:5])
    return data


def recent_jobs(user) -> QuerySet[Job]:
    return access.job_visible_to(user).filter(requested_by=user).order_by("-created_at")


def job_detail(user, pk) -> Job:
    return access.get_visible_or_404(access.job_visible_to(user), pk=pk)


def penugasan_pp_detail(user, pk: int) -> PenugasanPP:
    return access.get_visible_or_404(access.penugasan_pp_visible_to(user), pk=pk)


def orang_detail(user, pk: int):
    return access.get_visible_or_404(access.orang_visible_to(user), pk=pk)
