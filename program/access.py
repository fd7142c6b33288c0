"""The primitives that answer "may this user see / change this object?".

Every view fetches through a `*_visible_to(user)` queryset (or a selector
built on one), so an object outside the user's scope is a 404 and its
existence is never confirmed. Operators (superusers and members of the
"Operator" group) see everything.

This module holds who a user is (`orang_of`, `roles_of`, `is_operator`) and
the scopes of the platform's own records: regions, schools, PP→CGP pairs,
people, jobs. Each domain app builds its scopes on these in its own
`access.py` (pendampingan.access, lokakarya.access, pmo.access,
komunitas.access; reports.access gathers what the reports read), and its
views read access through that module only: it re-exports the primitives they
use, so `access.get_visible_or_404` and `access.orang_of` read the same in
every app. The platform imports no domain
app (the import contract in pyproject.toml, checked by `make lint`).
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from program.models import (
    Balai,
    Job,
    KabupatenKota,
    KelasDaring,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    PeranWilayah,
    Sekolah,
)
from program.models.master import PERAN_SEKOLAH

OPERATOR_GROUP = "Operator"

# Roles that let a person read a school's records (PMO, komunitas, …).
PERAN_BACA_SEKOLAH = {
    Peran.FASILITATOR,
    Peran.KEPALA_SEKOLAH,
    Peran.PENGAWAS,
    Peran.OPERATOR_SEKOLAH,
    Peran.PIC_KOMUNITAS,
    Peran.GURU,
}


# A user id no account has: stands for the real one while the roles query is
# compiled once (see _orang_sql).
_USER_PLACEHOLDER = -719_028_337


def _orang_queryset(user_id: int) -> QuerySet[Orang]:
    """The person of a login with every role flag the menu and the scopes read."""
    from django.contrib.auth import get_user_model

    groups = get_user_model().groups.through
    return (
        Orang.objects.filter(user_id=user_id)
        .annotate(
            _is_operator=Exists(
                groups.objects.filter(user_id=OuterRef("user_id"), group__name=OPERATOR_GROUP)
            ),
            _is_pp=Exists(PenugasanPP.objects.filter(pp=OuterRef("pk"))),
            _is_cgp=Exists(PenugasanPP.objects.filter(cgp=OuterRef("pk"))),
            _is_koordinator=Exists(PenugasanWilayah.objects.filter(orang=OuterRef("pk"))),
            _is_operator_balai=Exists(
                PenugasanWilayah.objects.filter(orang=OuterRef("pk"), peran=PeranWilayah.OPERATOR)
            ),
            _is_fasilitator_pgp=Exists(KelasDaring.objects.filter(fasilitator=OuterRef("pk"))),
            # One EXISTS per role a school assignment may carry: index
            # lookups inside this one query, instead of a query of its own.
            **{
                f"_peran_sekolah_{peran}": Exists(
                    PenugasanSekolah.objects.filter(orang=OuterRef("pk"), peran=peran)
                )
                for peran in PERAN_SEKOLAH
            },
        )
        .order_by()
    )


@functools.cache
def _orang_sql(vendor: str) -> tuple[str, tuple, int]:
    """The roles query as SQL, compiled by the ORM once per process.

    Building the EXISTS subqueries through the ORM cost ~6 ms of CPU on
    every page (a quarter to a half of a simple page, issue #9); the SQL text
    is the same for every user but the id, so it is compiled once with a
    placeholder id and run as a raw query afterwards.
    """
    sql, params = _orang_queryset(_USER_PLACEHOLDER).query.sql_with_params()
    return sql, tuple(params), params.index(_USER_PLACEHOLDER)


def orang_of(user) -> Orang | None:
    """The person behind a login, cached on the user object for the request.

    Every page asks for it (the menu, the scopes), so the same query also
    answers which pairwise/regional roles the person holds and whether the
    login is an operator (read by roles_of and is_operator), and the object
    is cached as `user.orang` too (the menu shows the name): one query
    instead of seven on every page.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_orang_cache"):
        sql, params, at = _orang_sql(connection.vendor)
        params = (*params[:at], user.pk, *params[at + 1 :])
        orang = next(iter(Orang.objects.raw(sql, params)), None)
        user_field = Orang._meta.get_field("user")
        user_field.remote_field.set_cached_value(user, orang)
        if orang is not None:
            user_field.set_cached_value(orang, user)
            user._is_operator_cache = user.is_superuser or orang._is_operator
        user._orang_cache = orang
    return user._orang_cache


def is_operator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_operator_cache"):
        # Read with the person's roles when the login has a person.
        orang_of(user)
    if not hasattr(user, "_is_operator_cache"):
        user._is_operator_cache = user.groups.filter(name=OPERATOR_GROUP).exists()
    return user._is_operator_cache


def roles_of(user) -> frozenset[str]:
    """Every role the user holds through assignments (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if hasattr(user, "_roles_cache"):
        return user._roles_cache
    roles: set[str] = set()
    if is_operator(user):
        roles.add(Peran.OPERATOR)
    orang = orang_of(user)
    if orang is not None:
        # orang_of annotated the roles on the same query.
        roles.update(p for p in PERAN_SEKOLAH if getattr(orang, f"_peran_sekolah_{p}"))
        if orang._is_pp:
            roles.add(Peran.PENGAJAR_PRAKTIK)
        if orang._is_cgp:
            roles.add(Peran.CGP)
        if orang._is_koordinator:
            # An operator of a Balai reads its region as a coordinator does.
            roles.add(Peran.KOORDINATOR)
        if orang._is_operator_balai:
            roles.add(Peran.OPERATOR_BALAI)
        if orang._is_fasilitator_pgp:
            roles.add(Peran.FASILITATOR_PGP)
    user._roles_cache = frozenset(roles)
    return user._roles_cache


# --- scopes -----------------------------------------------------------------


def any_of(*ids: QuerySet) -> QuerySet:
    """One column of ids out of several one-column querysets (UNION ALL).

    Scopes read "pk IN (a UNION ALL b UNION ALL …)" rather than
    "pk IN a OR fk = x OR kabupaten IN c": PostgreSQL cannot estimate an OR of
    subqueries and planned for most of the table, scanning 50k schools or 148k
    people to return a handful of rows (12–55 ms of database time on a list
    page at national scale, issue #9); each branch of a union is estimated on
    its own index, and the same pages take under a millisecond.

    Branches that cannot match (a role the user does not hold, see the
    callers) are left out of the SQL, which keeps its planning short.
    Selectors that join two scopes use it too (komunitas.selectors.beranda).
    """
    parts = [part.order_by() for part in ids if not part.query.is_empty()]
    if not parts:
        return ids[0].none()
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def sekolah_wilayah(user) -> QuerySet:
    """Ids of the schools in the regions the user coordinates."""
    if Peran.KOORDINATOR not in roles_of(user):
        return Sekolah.objects.none().values("pk")
    return Sekolah.objects.filter(kabupaten__in=kabupaten_visible_to(user).values("pk")).values(
        "pk"
    )


def kabupaten_visible_to(user) -> QuerySet[KabupatenKota]:
    qs = KabupatenKota.objects.select_related("provinsi")
    if is_operator(user):
        return qs.all()
    orang = orang_of(user)
    if orang is None or Peran.KOORDINATOR not in roles_of(user):
        return qs.none()
    # Assigned to the kabupaten/kota, or to the Balai of its province.
    return qs.filter(
        pk__in=any_of(
            PenugasanWilayah.objects.filter(orang=orang, kabupaten__isnull=False).values(
                "kabupaten_id"
            ),
            KabupatenKota.objects.filter(provinsi__balai__koordinator__orang=orang).values("pk"),
        )
    )


def may_import(user) -> bool:
    """Operators import master data everywhere, an operator of a Balai in its region."""
    return is_operator(user) or Peran.OPERATOR_BALAI in roles_of(user)


def kabupaten_impor(user) -> QuerySet[KabupatenKota] | None:
    """Where the user's imports may write: None for an operator (everywhere),
    else the kabupaten/kota of the Balai(s) they operate (none without that role)."""
    if is_operator(user):
        return None
    orang = orang_of(user)
    if orang is None or Peran.OPERATOR_BALAI not in roles_of(user):
        return KabupatenKota.objects.none()
    return KabupatenKota.objects.filter(
        provinsi__balai__koordinator__orang=orang,
        provinsi__balai__koordinator__peran=PeranWilayah.OPERATOR,
    )


def balai_impor(user) -> QuerySet | None:
    """The Balai(s) whose coordinators and operators the user may import:
    None for an operator (all), else those they operate."""
    if is_operator(user):
        return None
    orang = orang_of(user)
    if orang is None or Peran.OPERATOR_BALAI not in roles_of(user):
        return Balai.objects.none()
    return Balai.objects.filter(koordinator__orang=orang, koordinator__peran=PeranWilayah.OPERATOR)


def sekolah_ids_by_role(user, roles: set[str] | None = None) -> QuerySet:
    """Ids of schools the user holds one of `roles` at (all school roles by default)."""
    orang = orang_of(user)
    if orang is None or (roles is not None and not roles & roles_of(user)):
        return Sekolah.objects.none().values("pk")
    penugasan = PenugasanSekolah.objects.filter(orang=orang)
    if roles is not None:
        penugasan = penugasan.filter(peran__in=roles)
    return penugasan.values("sekolah_id")


def penugasan_pp_as(user, peran: str) -> QuerySet[PenugasanPP]:
    """The user's PP→CGP pairs as PP, as CGP, or as the Fasilitator PGP of
    the CGP's online class (none without that role)."""
    orang = orang_of(user)
    if orang is None or peran not in roles_of(user):
        return PenugasanPP.objects.none()
    if peran == Peran.PENGAJAR_PRAKTIK:
        return PenugasanPP.objects.filter(pp=orang)
    if peran == Peran.FASILITATOR_PGP:
        return PenugasanPP.objects.filter(kelas__fasilitator=orang)
    return PenugasanPP.objects.filter(cgp=orang)


def sekolah_visible_to(user) -> QuerySet[Sekolah]:
    """Schools a user may read: assigned ones, their region's, their CGP's."""
    qs = Sekolah.objects.select_related("kabupaten", "kabupaten__provinsi")
    if is_operator(user):
        return qs.all()
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(
        pk__in=any_of(
            sekolah_ids_by_role(user, PERAN_BACA_SEKOLAH),
            sekolah_wilayah(user),
            penugasan_pp_as(user, Peran.PENGAJAR_PRAKTIK).values("sekolah_id"),
            penugasan_pp_as(user, Peran.CGP).values("sekolah_id"),
        )
    )


def penugasan_pp_visible_to(user) -> QuerySet[PenugasanPP]:
    """PP→CGP pairs: the PP's own, the CGP's own, and those in a coordinator's region."""
    qs = PenugasanPP.objects.select_related(
        "pp", "cgp", "sekolah", "sekolah__kabupaten", "angkatan", "angkatan__program"
    )
    if is_operator(user):
        return qs.all()
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(
        pk__in=any_of(
            penugasan_pp_as(user, Peran.PENGAJAR_PRAKTIK).values("pk"),
            penugasan_pp_as(user, Peran.CGP).values("pk"),
            PenugasanPP.objects.filter(sekolah__in=sekolah_wilayah(user)).values("pk"),
        )
    )


def orang_visible_to(user) -> QuerySet[Orang]:
    """People a user may look up: themselves, the people they work with."""
    qs = Orang.objects.all()
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    sekolah = sekolah_visible_to(user).values("pk")
    pasangan = penugasan_pp_visible_to(user)
    return qs.filter(
        pk__in=any_of(
            Orang.objects.filter(pk=orang.pk).values("pk"),
            PenugasanSekolah.objects.filter(sekolah__in=sekolah).values("orang_id"),
            pasangan.values("pp_id"),
            pasangan.values("cgp_id"),
        )
    )


def job_visible_to(user) -> QuerySet[Job]:
    """Only the requester (and operators) see a job and download its file."""
    qs = Job.objects.all()
    if is_operator(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(requested_by=user)


# --- predicates -------------------------------------------------------------


def user_can_edit_orang(user, orang: Orang) -> bool:
    """A person edits their own profile; operators edit anyone."""
    return is_operator(user) or (orang.user_id is not None and orang.user_id == user.pk)


def get_visible_or_404(queryset: QuerySet, **lookup):
    """Fetch from an already scoped queryset; outside scope is a 404."""
    return get_object_or_404(queryset, **lookup)


__all__ = [
    "OPERATOR_GROUP",
    "PERAN_BACA_SEKOLAH",
    "any_of",
    "balai_impor",
    "get_visible_or_404",
    "is_operator",
    "job_visible_to",
    "kabupaten_impor",
    "kabupaten_visible_to",
    "may_import",
    "orang_of",
    "orang_visible_to",
    "penugasan_pp_as",
    "penugasan_pp_visible_to",
    "roles_of",
    "sekolah_ids_by_role",
    "sekolah_visible_to",
    "sekolah_wilayah",
    "user_can_edit_orang",
]
