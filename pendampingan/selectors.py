"""Reads for pendampingan views, built on the scopes in pendampingan.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pendampingan import access
from pendampingan.models import (
    Dokumentasi,
    RencanaTindakLanjut,
    SesiCoaching,
    SesiPI,
    StatusJurnal,
    TemplatPI,
)
from pendampingan.services import templat_snapshot
from program.models import MAKS_PI, Angkatan, JadwalLokakarya, PenugasanPP

# Every PI number any version may have; a cohort has its version's first
# `jumlah_pi` of them (pi_numbers_of).
PI_NUMBERS = range(1, MAKS_PI + 1)


def jumlah_pi(angkatan_ids) -> dict[int, int]:
    """{cohort id: how many PI its programme version has}, in one query."""
    return dict(
        Angkatan.objects.filter(pk__in=set(angkatan_ids)).values_list("pk", "versi__jumlah_pi")
    )


def pi_numbers_of(penugasan: PenugasanPP) -> range:
    return penugasan.angkatan.versi.pi_numbers


class Keadaan:
    """The state of one CGP × PI cell, derived (never stored)."""

    BELUM = "belum"
    TERJADWAL = "terjadwal"
    DRAF = "draf"
    SELESAI = "selesai"
    TERLAMBAT = "terlambat"

    LABELS = {
        BELUM: _("Belum dijadwalkan"),
        TERJADWAL: _("Terjadwal"),
        DRAF: _("Draf jurnal"),
        SELESAI: _("Selesai"),
        TERLAMBAT: _("Terlambat"),
    }
    CSS = {
        BELUM: "secondary",
        TERJADWAL: "info",
        DRAF: "warning",
        SELESAI: "success",
        TERLAMBAT: "danger",
    }


def keadaan_sesi(sesi: SesiPI | None, batas: dt.date | None, today: dt.date) -> str:
    jurnal = getattr(sesi, "jurnal", None) if sesi is not None else None
    if jurnal is not None and jurnal.status == StatusJurnal.DIAJUKAN:
        return Keadaan.SELESAI
    if batas is not None and today >= batas:
        return Keadaan.TERLAMBAT
    if jurnal is not None and jurnal.has_content:
        return Keadaan.DRAF
    if sesi is not None and sesi.tanggal:
        return Keadaan.TERJADWAL
    return Keadaan.BELUM


@dataclass
class Sel:
    urutan: int
    sesi: SesiPI | None
    keadaan: str
    batas: dt.date | None

    @property
    def label(self):
        return Keadaan.LABELS[self.keadaan]

    @property
    def css(self):
        return Keadaan.CSS[self.keadaan]


@dataclass
class BarisCGP:
    penugasan: PenugasanPP
    sel: list[Sel]

    @property
    def langkah_berikut(self) -> str:
        cell = self.sel_berikut
        if cell is None:
            return _("Semua PI selesai")
        # A late cell still needs whatever its session lacks.
        jurnal = getattr(cell.sesi, "jurnal", None) if cell.sesi else None
        if cell.sesi is None or not cell.sesi.tanggal:
            return _("Jadwalkan PI %(n)s") % {"n": cell.urutan}
        if jurnal is None or not jurnal.has_content:
            return _("Isi jurnal PI %(n)s") % {"n": cell.urutan}
        return _("Ajukan jurnal PI %(n)s") % {"n": cell.urutan}

    @property
    def sel_berikut(self) -> Sel | None:
        return next((c for c in self.sel if c.keadaan != Keadaan.SELESAI), None)


def batas_lokakarya(angkatan_ids) -> dict[tuple[int, int], dt.date]:
    """{(angkatan id, lokakarya ke): date} — the deadline of PI N is lokakarya N."""
    return {
        (j.angkatan_id, j.ke): j.tanggal
        for j in JadwalLokakarya.objects.filter(angkatan_id__in=set(angkatan_ids))
    }


def grid_rows(penugasan_qs: QuerySet[PenugasanPP], *, today: dt.date | None = None):
    """CGP × their cohort's PI with each cell's state, in four queries whatever the size."""
    today = today or timezone.localdate()
    penugasan = list(penugasan_qs)
    counts = jumlah_pi(p.angkatan_id for p in penugasan)
    sesi = SesiPI.objects.filter(penugasan__in=[p.pk for p in penugasan]).select_related("jurnal")
    by_key = {(s.penugasan_id, s.urutan): s for s in sesi}
    deadlines = batas_lokakarya(p.angkatan_id for p in penugasan)
    rows = []
    for p in penugasan:
        cells = []
        for n in range(1, counts.get(p.angkatan_id, 0) + 1):
            s = by_key.get((p.pk, n))
            batas = deadlines.get((p.angkatan_id, n))
            cells.append(Sel(urutan=n, sesi=s, keadaan=keadaan_sesi(s, batas, today), batas=batas))
        rows.append(BarisCGP(penugasan=p, sel=cells))
    return rows


def pp_grid(user, **kwargs) -> list[BarisCGP]:
    qs = access.penugasan_pp_mentored_by(user).filter(pp=access.orang_of(user))
    return grid_rows(qs.order_by("cgp__nama"), **kwargs)


def penugasan_for_pp(user, pk: int) -> PenugasanPP:
    """A CGP the user mentors (404 otherwise), for write pages."""
    return access.get_visible_or_404(
        access.penugasan_pp_mentored_by(user).select_related(
            "cgp", "pp", "sekolah", "angkatan__versi"
        ),
        pk=pk,
    )


def sesi_for_reading(user, pk: int) -> SesiPI:
    return access.get_visible_or_404(
        access.sesi_pi_content_visible_to(user).select_related(
            "penugasan__cgp", "penugasan__pp", "penugasan__sekolah", "penugasan__angkatan"
        ),
        pk=pk,
    )


def pi_for_editing(user, penugasan: PenugasanPP, urutan: int) -> SesiPI:
    """PI `urutan` of a CGP the user mentors: its session, or, while it is not
    planned yet, an unsaved one laid out from the current template.

    Looking never plans a session (GET is safe): the first write does
    (services.sesi_get_or_create), and that is when the template is frozen.
    """
    sesi = (
        access.sesi_pi_editable_by(user)
        .select_related(
            "penugasan__cgp", "penugasan__pp", "penugasan__sekolah", "penugasan__angkatan"
        )
        .filter(penugasan=penugasan, urutan=urutan)
        .first()
    )
    if sesi is not None:
        return sesi
    templat = TemplatPI.objects.of_pi(penugasan.angkatan.versi_id, urutan)
    return SesiPI(penugasan=penugasan, urutan=urutan, templat=templat_snapshot(templat))


def sesi_for_editing(user, pk: int) -> SesiPI:
    return access.get_visible_or_404(
        access.sesi_pi_editable_by(user).select_related(
            "penugasan__cgp", "penugasan__pp", "penugasan__sekolah", "penugasan__angkatan"
        ),
        pk=pk,
    )


def sesi_rtl(sesi: SesiPI) -> QuerySet[RencanaTindakLanjut]:
    return sesi.rtl.order_by("created_at", "pk")


def sesi_dokumentasi(sesi: SesiPI) -> QuerySet[Dokumentasi]:
    return sesi.dokumentasi.select_related("berkas", "thumbnail").order_by("created_at")


def dokumentasi_visible(user, pk: int) -> Dokumentasi:
    return access.get_visible_or_404(
        Dokumentasi.objects.select_related("berkas", "thumbnail").filter(
            sesi__in=access.sesi_pi_content_visible_to(user).values("pk")
        ),
        pk=pk,
    )


def trash_of(user) -> tuple[list[RencanaTindakLanjut], list[Dokumentasi]]:
    """The user's tempat sampah: deleted RTL and documentation, newest first."""
    related = ("sesi__penugasan__cgp", "dihapus_oleh__orang")
    rtl = access.rtl_trash_of(user).select_related(*related).order_by("-dihapus_pada")
    dokumentasi = (
        access.dokumentasi_trash_of(user)
        .select_related("berkas", *related)
        .order_by("-dihapus_pada")
    )
    return list(rtl), list(dokumentasi)


def cgp_sessions(user) -> list[BarisCGP]:
    """A CGP's own sessions (their pairs as CGP)."""
    orang = access.orang_of(user)
    return grid_rows(access.penugasan_pp_visible_to(user).filter(cgp=orang))


def coaching_for_school(user, sekolah) -> QuerySet[SesiCoaching]:
    return access.sesi_coaching_visible_to(user).filter(sekolah=sekolah).order_by("-tanggal")


def sesi_pi_for_report(user, urutan: int) -> QuerySet[SesiPI]:
    """All sessions PI `urutan` of the PP's CGP, with what a report needs."""
    return (
        access.sesi_pi_editable_by(user)
        .filter(urutan=urutan, penugasan__pp=access.orang_of(user))
        .select_related("penugasan__cgp", "penugasan__sekolah", "penugasan__angkatan", "jurnal")
        .prefetch_related(
            "rtl",
            Prefetch("dokumentasi", queryset=Dokumentasi.objects.select_related("berkas")),
        )
        .order_by("penugasan__cgp__nama")
    )


def panduan_of(user, sesi: SesiPI) -> dict:
    """Whether the PP's guidance for this PI is complete, and for an operator
    what its template still lacks now (the session keeps the copy it was
    planned with; the operator fixes the template)."""
    snapshot = sesi.templat or {}
    kurang = bool(snapshot.get("kekurangan")) or not snapshot.get("langkah")
    kekurangan = None
    if access.is_operator(user):
        templat = TemplatPI.objects.of_pi(sesi.penugasan.angkatan.versi_id, sesi.urutan)
        kekurangan = (
            templat.kekurangan() if templat is not None else [str(_("templat PI ini belum dibuat"))]
        )
    return {"kurang": kurang, "kekurangan": kekurangan}
