"""The one place that answers "may this user see / change this object?".

Every view fetches through a `*_visible_to(user)` queryset from here (or a
selector built on one), so an object outside the user's scope is a 404 and
its existence is never confirmed. Operators (superusers and members of the
"Operator" group) see everything.

Domain apps add their own `*_visible_to` functions here, built from the
scopes below, so that scoping rules stay readable side by side.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from program.models import (
    Job,
    KabupatenKota,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
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
            roles.add(Peran.KOORDINATOR)
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


def _sekolah_wilayah(user) -> QuerySet:
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
    return qs.filter(koordinator__orang=orang).distinct()


def sekolah_ids_by_role(user, roles: set[str] | None = None) -> QuerySet:
    """Ids of schools the user holds one of `roles` at (all school roles by default)."""
    orang = orang_of(user)
    if orang is None or (roles is not None and not roles & roles_of(user)):
        return Sekolah.objects.none().values("pk")
    penugasan = PenugasanSekolah.objects.filter(orang=orang)
    if roles is not None:
        penugasan = penugasan.filter(peran__in=roles)
    return penugasan.values("sekolah_id")


def _penugasan_pp_as(user, peran: str) -> QuerySet[PenugasanPP]:
    """The user's PP→CGP pairs as PP or as CGP (none without that role)."""
    orang = orang_of(user)
    if orang is None or peran not in roles_of(user):
        return PenugasanPP.objects.none()
    if peran == Peran.PENGAJAR_PRAKTIK:
        return PenugasanPP.objects.filter(pp=orang)
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
            _sekolah_wilayah(user),
            _penugasan_pp_as(user, Peran.PENGAJAR_PRAKTIK).values("sekolah_id"),
            _penugasan_pp_as(user, Peran.CGP).values("sekolah_id"),
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
            _penugasan_pp_as(user, Peran.PENGAJAR_PRAKTIK).values("pk"),
            _penugasan_pp_as(user, Peran.CGP).values("pk"),
            PenugasanPP.objects.filter(sekolah__in=_sekolah_wilayah(user)).values("pk"),
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


# --- pendampingan -----------------------------------------------------------
# Domain models are imported inside the functions: program/ must not depend on
# the domain apps at import time.


def penugasan_pp_mentored_by(user) -> QuerySet[PenugasanPP]:
    """The PP→CGP pairs a user may write to as their PP (operators: all)."""
    qs = penugasan_pp_visible_to(user)
    if is_operator(user):
        return qs
    return qs.filter(pp=orang_of(user))


def penugasan_pemantauan_visible_to(user) -> QuerySet[PenugasanPP]:
    """Jurnal pemantauan is the PP's record *about* the CGP: the CGP does not read it."""
    qs = penugasan_pp_visible_to(user)
    orang = orang_of(user)
    if is_operator(user) or orang is None:
        return qs
    return qs.exclude(Q(cgp=orang) & ~Q(pp=orang))


def sesi_pi_visible_to(user):
    """Sessions of every CGP the user may see (schedule and status)."""
    from pendampingan.models import SesiPI

    return SesiPI.objects.filter(penugasan__in=penugasan_pp_visible_to(user).values("pk"))


def sesi_pi_editable_by(user):
    """Only the CGP's own PP (and operators) plan and record a session."""
    from pendampingan.models import SesiPI

    return SesiPI.objects.filter(penugasan__in=penugasan_pp_mentored_by(user).values("pk"))


def sesi_pi_content_visible_to(user):
    """Sessions whose journal, RTL and documentation the user may read.

    A CGP reads their own only once the PP has submitted the journal; the PP,
    the region's coordinator and operators read drafts too.
    """
    from pendampingan.models import StatusJurnal

    orang = orang_of(user)
    qs = sesi_pi_visible_to(user)
    if is_operator(user) or orang is None:
        return qs
    return qs.filter(
        ~Q(penugasan__cgp=orang) | Q(penugasan__pp=orang) | Q(jurnal__status=StatusJurnal.DIAJUKAN)
    )


def sekolah_coached_by(user) -> QuerySet[Sekolah]:
    """Schools whose head the user coaches as fasilitator (operators: all)."""
    if is_operator(user):
        return Sekolah.objects.all()
    return Sekolah.objects.filter(pk__in=sekolah_ids_by_role(user, {Peran.FASILITATOR}))


def sekolah_coaching_visible_to(user) -> QuerySet[Sekolah]:
    """Schools whose coaching notes the user may read (also before any session):
    the school's facilitators and head, the region's coordinator, operators."""
    qs = sekolah_visible_to(user)
    if is_operator(user):
        return qs
    return qs.filter(
        pk__in=any_of(
            sekolah_ids_by_role(user, {Peran.FASILITATOR, Peran.KEPALA_SEKOLAH}),
            _sekolah_wilayah(user),
        )
    )


def sesi_coaching_visible_to(user):
    from pendampingan.models import SesiCoaching

    return SesiCoaching.objects.select_related("sekolah", "fasilitator").filter(
        sekolah__in=sekolah_coaching_visible_to(user).values("pk")
    )


def sesi_coaching_editable_by(user):
    from pendampingan.models import SesiCoaching

    return SesiCoaching.objects.filter(sekolah__in=sekolah_coached_by(user).values("pk"))


def catatan_pp_visible_to(user):
    """Jurnal refleksi is the PP's own; jurnal komunikasi is also read by the
    fasilitator of the CGP's school (notes without a CGP stay with the PP)."""
    from pendampingan.models import CatatanPP, JenisCatatan

    qs = CatatanPP.objects.select_related("pp", "penugasan__cgp")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(
        Q(pp=orang)
        | Q(
            jenis=JenisCatatan.KOMUNIKASI,
            penugasan__sekolah__in=sekolah_ids_by_role(user, {Peran.FASILITATOR}),
        )
    )


def jurnal_fasilitasi_visible_to(user):
    from pendampingan.models import JurnalFasilitasi

    qs = JurnalFasilitasi.objects.select_related("pp")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(pp=orang)


# --- lokakarya ----------------------------------------------------------------


def lokakarya_visible_to(user):
    """Workshops a user may open: their own as facilitator, those they take part
    in (a participant sees only their own attendance and scores), their
    region's as coordinator, all as operator."""
    from lokakarya.models import Lokakarya

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
    from lokakarya.models import Lokakarya

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


# --- pmo --------------------------------------------------------------------


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
        pk__in=any_of(sekolah_ids_by_role(user, PERAN_PEMBACA_PMO), _sekolah_wilayah(user))
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
    from pmo.models import TindakLanjut

    return TindakLanjut.objects.filter(
        instrumen__sekolah__in=sekolah_pmo_visible_to(user).values("pk")
    )


def tindak_lanjut_editable_by(user):
    from pmo.models import TindakLanjut

    return TindakLanjut.objects.filter(
        instrumen__sekolah__in=sekolah_pmo_editable_by(user).values("pk")
    )


# --- komunitas ------------------------------------------------------------------


def komunitas_visible_to(user):
    """Learning communities a user reads: members and PIC, the school's head,
    teachers, facilitators and supervisors, the region's coordinator, operators."""
    from komunitas.models import KomunitasBelajar

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
            KomunitasBelajar.objects.filter(sekolah__in=_sekolah_wilayah(user)).values("pk"),
        )
    )


def komunitas_editable_by(user):
    """The PIC and the school's head (or a PIC komunitas of the school) edit."""
    from komunitas.models import KomunitasBelajar

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
    from komunitas.models import KomunitasBelajar

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
    from komunitas.models import KomunitasBelajar

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
        pk__in=any_of(sekolah_ids_by_role(user, PERAN_BACA_SEKOLAH), _sekolah_wilayah(user))
    )


def sekolah_komunitas_editable_by(user) -> QuerySet[Sekolah]:
    """Schools whose optimisation stages the user updates (head, PIC komunitas)."""
    if is_operator(user):
        return Sekolah.objects.all()
    return Sekolah.objects.filter(
        pk__in=sekolah_ids_by_role(user, {Peran.KEPALA_SEKOLAH, Peran.PIC_KOMUNITAS})
    )


# --- reports -----------------------------------------------------------------


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


# --- trash (program.softdelete) -------------------------------------------------
# The default managers already leave deleted rows out of every scope above;
# these are the only ways to reach them: whoever may delete a row may see it in
# the trash and restore it, anyone else gets a 404.


def rtl_trash_of(user):
    from pendampingan.models import RencanaTindakLanjut

    return RencanaTindakLanjut.semua.di_tempat_sampah().filter(
        sesi__in=sesi_pi_editable_by(user).values("pk")
    )


def dokumentasi_trash_of(user):
    from pendampingan.models import Dokumentasi

    return Dokumentasi.semua.di_tempat_sampah().filter(
        sesi__in=sesi_pi_editable_by(user).values("pk")
    )


def akar_masalah_trash_of(user):
    from pmo.models import AkarMasalah

    return AkarMasalah.semua.di_tempat_sampah().filter(
        instrumen__sekolah__in=sekolah_pmo_editable_by(user).values("pk")
    )


def produk_trash_of(user):
    from lokakarya.models import Produk

    return Produk.semua.di_tempat_sampah().filter(
        lokakarya__in=lokakarya_managed_by(user).values("pk")
    )


# --- predicates -------------------------------------------------------------


def user_can_edit_orang(user, orang: Orang) -> bool:
    """A person edits their own profile; operators edit anyone."""
    return is_operator(user) or (orang.user_id is not None and orang.user_id == user.pk)


def get_visible_or_404(queryset: QuerySet, **lookup):
    """Fetch from an already scoped queryset; outside scope is a 404."""
    return get_object_or_404(queryset, **lookup)


__all__ = [
    "get_visible_or_404",
    "is_operator",
    "job_visible_to",
    "kabupaten_visible_to",
    "orang_of",
    "orang_visible_to",
    "penugasan_pp_visible_to",
    "roles_of",
    "sekolah_ids_by_role",
    "sekolah_visible_to",
    "user_can_edit_orang",
]
