"""Who sees and who writes the mentoring records: PI sessions (schedule,
journal, RTL, documentation), coaching of school heads, the PP's notes.

Built on program.access (whose docstring says how the apps' access modules
fit together); re-exports the primitives this app's views use.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pendampingan.models import (
    CatatanPP,
    Dokumentasi,
    JenisCatatan,
    JurnalFasilitasi,
    RencanaTindakLanjut,
    SesiCoaching,
    SesiPI,
    StatusJurnal,
)
from program.access import (
    any_of,
    get_visible_or_404,
    is_operator,
    kabupaten_visible_to,
    orang_of,
    penugasan_pp_as,
    penugasan_pp_visible_to,
    roles_of,
    sekolah_ids_by_role,
    sekolah_visible_to,
    sekolah_wilayah,
)
from program.models import KelasDaring, PenugasanPP, Peran, Sekolah


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
    return SesiPI.objects.filter(penugasan__in=penugasan_pp_visible_to(user).values("pk"))


def sesi_pi_editable_by(user):
    """Only the CGP's own PP (and operators) plan and record a session."""
    return SesiPI.objects.filter(penugasan__in=penugasan_pp_mentored_by(user).values("pk"))


def sesi_pi_content_visible_to(user):
    """Sessions whose journal, RTL and documentation the user may read.

    A CGP reads their own only once the PP has submitted the journal; the PP,
    the region's coordinator and operators read drafts too.
    """
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
            sekolah_wilayah(user),
        )
    )


def sesi_coaching_visible_to(user):
    return SesiCoaching.objects.select_related("sekolah", "fasilitator").filter(
        sekolah__in=sekolah_coaching_visible_to(user).values("pk")
    )


def sesi_coaching_editable_by(user):
    return SesiCoaching.objects.filter(sekolah__in=sekolah_coached_by(user).values("pk"))


def catatan_pp_visible_to(user):
    """Jurnal refleksi is the PP's own; jurnal komunikasi is also read by the
    Fasilitator PGP of the CGP's online class — not by the school's Pelatih
    Ahli, another person of another programme (notes without a CGP stay with
    the PP)."""
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
            penugasan__in=penugasan_pp_as(user, Peran.FASILITATOR_PGP).values("pk"),
        )
    )


def kelas_daring_visible_to(user) -> QuerySet[KelasDaring]:
    """Online classes: the Fasilitator PGP's own (operators: all)."""
    qs = KelasDaring.objects.select_related("angkatan__program", "fasilitator")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None or Peran.FASILITATOR_PGP not in roles_of(user):
        return qs.none()
    return qs.filter(fasilitator=orang)


def jurnal_fasilitasi_visible_to(user):
    qs = JurnalFasilitasi.objects.select_related("pp")
    if is_operator(user):
        return qs
    orang = orang_of(user)
    if orang is None:
        return qs.none()
    return qs.filter(pp=orang)


# --- trash (program.softdelete) ---------------------------------------------
# The default managers leave deleted rows out of every scope above; these are
# the only ways to reach them: whoever may delete a row may see it in the
# trash and restore it, anyone else gets a 404.


def rtl_trash_of(user):
    return RencanaTindakLanjut.semua.di_tempat_sampah().filter(
        sesi__in=sesi_pi_editable_by(user).values("pk")
    )


def dokumentasi_trash_of(user):
    return Dokumentasi.semua.di_tempat_sampah().filter(
        sesi__in=sesi_pi_editable_by(user).values("pk")
    )


__all__ = [
    "any_of",
    "catatan_pp_visible_to",
    "dokumentasi_trash_of",
    "get_visible_or_404",
    "is_operator",
    "jurnal_fasilitasi_visible_to",
    "kabupaten_visible_to",
    "orang_of",
    "penugasan_pemantauan_visible_to",
    "penugasan_pp_mentored_by",
    "penugasan_pp_visible_to",
    "roles_of",
    "rtl_trash_of",
    "sekolah_coached_by",
    "sekolah_coaching_visible_to",
    "sekolah_ids_by_role",
    "sekolah_visible_to",
    "sekolah_wilayah",
    "sesi_coaching_editable_by",
    "sesi_coaching_visible_to",
    "sesi_pi_content_visible_to",
    "sesi_pi_editable_by",
    "sesi_pi_visible_to",
]


def penugasan_artefak_editable_by(user) -> QuerySet[PenugasanPP]:
    """The CGP writes their own artefacts (peta posisi diri, …), nobody else."""
    return penugasan_pp_as(user, Peran.CGP)


def penugasan_artefak_commented_by(user) -> QuerySet[PenugasanPP]:
    """The CGP's own PP comments on them."""
    return penugasan_pp_as(user, Peran.PENGAJAR_PRAKTIK)
