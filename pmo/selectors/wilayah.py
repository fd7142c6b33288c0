"""Reads of the coordinator's region: the PMO table per school and the
escalated actions, scoped through pmo.access.

A coordinator sees the schools of their kabupaten/kota only (even when they
also read other schools in another role); operators see every region.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Trim
from django.utils import timezone

from pmo import access
from pmo.models import (
    AkarMasalah,
    CatatanBulanan,
    InstrumenPMO,
    PerubahanStatus,
    Solusi,
    StatusTindakLanjut,
    TindakLanjut,
)
from pmo.selectors import eskalasi_filter
from pmo.services import periode_pmo
from program.dates import add_months
from program.models import KabupatenKota, Peran, Sekolah


def kabupaten_wilayah(user) -> QuerySet[KabupatenKota]:
    """The kabupaten/kota the user oversees: a coordinator's own, all for operators."""
    return access.kabupaten_visible_to(user).order_by("nama")


def oversees_region(user) -> bool:
    """Coordinators (of at least one kabupaten/kota) and operators."""
    # From the roles cached on the user (the menu reads them anyway): no query,
    # where kabupaten_wilayah(user).exists() was one.
    return access.is_operator(user) or Peran.KOORDINATOR in access.roles_of(user)


def sekolah_wilayah(user, *, kabupaten: int | None = None, jenjang: str = "") -> QuerySet[Sekolah]:
    """Schools whose PMO the user reads as coordinator (or operator), filtered.

    The kabupaten filter narrows inside the scope: an id outside it yields nothing.
    """
    qs = access.sekolah_pmo_visible_to(user).filter(
        kabupaten__in=access.kabupaten_visible_to(user).values("pk")
    )
    if kabupaten:
        qs = qs.filter(kabupaten_id=kabupaten)
    if jenjang:
        qs = qs.filter(jenjang=jenjang)
    return qs


def bulan_sejak(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole months from `moment` to `now`, counted like the escalation rule
    (an action updated exactly `add_months(now, -2)` is 2 months old)."""
    if moment is None:
        return None
    n = (now.year - moment.year) * 12 + now.month - moment.month
    while n > 0 and add_months(now, -n) < moment:
        n -= 1
    return max(n, 0)


def _of_school_cycle(path: str, tahun: int, siklus: int) -> dict:
    """Filter arguments for rows whose instrument (at `path`) is the outer
    school's in a cycle."""
    return {
        f"{path}__sekolah": OuterRef("pk"),
        f"{path}__tahun_ajaran": tahun,
        f"{path}__siklus": siklus,
    }


def langkah_tercapai_sql(tahun: int, siklus: int) -> Case:
    """The step reached (0–4) in a cycle, as services.langkah_tercapai decides it, in SQL."""
    instrumen = InstrumenPMO.objects.filter(
        sekolah=OuterRef("pk"), tahun_ajaran=tahun, siklus=siklus
    )
    in_year = _of_school_cycle("instrumen", tahun, siklus)
    masalah_dipilih = (
        instrumen.annotate(_masalah=Trim("masalah_prioritas"))
        .exclude(_masalah="")
        .filter(Exists(AkarMasalah.objects.filter(instrumen=OuterRef("pk"))))
    )
    refleksi = instrumen.annotate(_data=Trim("data_refleksi")).exclude(_data="")
    return Case(
        When(Exists(TindakLanjut.objects.filter(**in_year)), then=Value(4)),
        When(Exists(Solusi.objects.filter(disepakati=True, **in_year)), then=Value(3)),
        When(Exists(masalah_dipilih), then=Value(2)),
        When(Exists(refleksi), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _jumlah_eskalasi(now: dt.datetime, tahun: int, siklus: int) -> Coalesce:
    escalated = (
        eskalasi_filter(
            # A table of an ended cycle escalates nothing: eskalasi_filter
            # keeps today's cycle only, this the table's.
            TindakLanjut.objects.filter(**_of_school_cycle("instrumen", tahun, siklus)),
            now=now,
        )
        .order_by()
        .values("instrumen__sekolah")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(escalated, output_field=IntegerField()), Value(0))


# The order of the region table's rows (tabel_wilayah sorts alike).
URUTAN_TABEL = ("kabupaten__nama", "nama", "pk")


def urutan_wilayah(user, *, kabupaten: int | None = None, jenjang: str = ""):
    """The region table's school ids in its order, to paginate without its annotations."""
    return (
        sekolah_wilayah(user, kabupaten=kabupaten, jenjang=jenjang)
        .order_by(*URUTAN_TABEL)
        .values_list("pk", flat=True)
    )


def tabel_wilayah(
    user,
    *,
    kabupaten: int | None = None,
    jenjang: str = "",
    tahun: int | None = None,
    siklus: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Sekolah]:
    """One row per school in the user's region for a PMO cycle (today's by
    default), everything a row shows annotated in a single query whatever
    the number of schools."""
    now = now or timezone.now()
    if tahun is None or siklus is None:
        tahun, siklus = periode_pmo(timezone.localdate(now))
    instrumen = InstrumenPMO.objects.filter(
        sekolah=OuterRef("pk"), tahun_ajaran=tahun, siklus=siklus
    )
    in_year = _of_school_cycle("instrumen", tahun, siklus)
    per_status = {
        f"jumlah_{status}": Count(
            "pmo__tindak_lanjut",
            filter=Q(
                pmo__tahun_ajaran=tahun, pmo__siklus=siklus, pmo__tindak_lanjut__status=status
            ),
        )
        for status in StatusTindakLanjut.values
    }
    return (
        sekolah_wilayah(user, kabupaten=kabupaten, jenjang=jenjang)
        .select_related("kabupaten")
        .annotate(
            **per_status,
            langkah=langkah_tercapai_sql(tahun, siklus),
            instrumen_id=Subquery(instrumen.values("pk")[:1]),
            instrumen_diperbarui=Subquery(instrumen.values("updated_at")[:1]),
            tindak_lanjut_diperbarui=Subquery(
                TindakLanjut.objects.filter(**in_year)
                .order_by("-diperbarui_at")
                .values("diperbarui_at")[:1]
            ),
            catatan_diperbarui=Subquery(
                CatatanBulanan.objects.filter(
                    **_of_school_cycle("tindak_lanjut__instrumen", tahun, siklus)
                )
                .order_by("-updated_at")
                .values("updated_at")[:1]
            ),
            jumlah_eskalasi=_jumlah_eskalasi(now, tahun, siklus),
        )
        .order_by(*URUTAN_TABEL)
    )


def baris_wilayah(
    schools, *, tahun: int, siklus: int, now: dt.datetime | None = None
) -> list[Sekolah]:
    """Derive what a row shows from the annotations (no queries)."""
    now = now or timezone.now()
    rows = list(schools)
    for s in rows:
        moments = [
            m
            for m in (s.tindak_lanjut_diperbarui, s.catatan_diperbarui, s.instrumen_diperbarui)
            if m is not None
        ]
        s.tahun_ajaran, s.siklus = tahun, siklus
        s.terakhir_diperbarui = max(moments) if moments else None
        s.bulan_sejak = bulan_sejak(s.terakhir_diperbarui, now)
        s.per_status = [
            (status, label, getattr(s, f"jumlah_{status}"))
            for status, label in StatusTindakLanjut.choices
        ]
        s.jumlah_tindak_lanjut = sum(n for _status, _label, n in s.per_status)
    return rows


# --- escalation ----------------------------------------------------------------------


def tindak_lanjut_wilayah(user) -> QuerySet[TindakLanjut]:
    """Actions of the user's region (coordinators and operators); others: none."""
    # sekolah_wilayah is within access.sekolah_pmo_visible_to already (what
    # tindak_lanjut_visible_to filters by): one filter keeps the scope.
    return TindakLanjut.objects.filter(instrumen__sekolah__in=sekolah_wilayah(user).values("pk"))


def eskalasi_wilayah(
    user, *, kabupaten: int | None = None, jenjang: str = "", now: dt.datetime | None = None
) -> QuerySet[TindakLanjut]:
    """The region's escalated actions, oldest update first, with the reason
    given at their last status change."""
    sekolah = sekolah_wilayah(user, kabupaten=kabupaten, jenjang=jenjang)
    last_change = PerubahanStatus.objects.filter(tindak_lanjut=OuterRef("pk")).order_by(
        "-at", "-pk"
    )
    # `sekolah` is already within access.sekolah_pmo_visible_to (what
    # tindak_lanjut_visible_to filters by): filtering by it once, not by both,
    # keeps the scope and halves the SQL to compile (~5 ms of CPU a request).
    return (
        eskalasi_filter(
            TindakLanjut.objects.filter(instrumen__sekolah__in=sekolah.values("pk")),
            now=now,
        )
        .select_related("instrumen__sekolah__kabupaten")
        .annotate(
            alasan_terakhir=Subquery(last_change.values("alasan")[:1]),
            perubahan_terakhir_at=Subquery(last_change.values("at")[:1]),
        )
        .order_by("diperbarui_at", "pk")
    )
