"""Reads for PMO views, built on the scopes in pmo.access."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from pmo import access
from pmo.models import InstrumenPMO, PenangananEskalasi, StatusTindakLanjut, TindakLanjut
from program.dates import add_months
from program.models import Sekolah


def eskalasi_filter(qs: QuerySet[TindakLanjut], *, now=None, months=None) -> QuerySet[TindakLanjut]:
    """Actions of the PMO cycle `now` falls in that need the coordinator:
    "terkendala", or still open and not updated for `months` months
    (PMO_ESKALASI_BULAN, default 2) — unless a coordinator has handled them
    since their last update. A cycle that has ended escalates nothing more:
    the school has reflected and planned again."""
    from pmo.services import periode_pmo

    now = now or timezone.now()
    tahun, siklus = periode_pmo(timezone.localdate(now))
    qs = qs.filter(instrumen__tahun_ajaran=tahun, instrumen__siklus=siklus)
    months = settings.PMO_ESKALASI_BULAN if months is None else months
    cutoff = add_months(now, -months)
    handled = PenangananEskalasi.objects.filter(
        tindak_lanjut=OuterRef("pk"), at__gte=OuterRef("diperbarui_at")
    )
    open_statuses = [StatusTindakLanjut.BELUM_MULAI, StatusTindakLanjut.BERJALAN]
    return qs.filter(
        Q(status=StatusTindakLanjut.TERKENDALA)
        | Q(status__in=open_statuses, diperbarui_at__lte=cutoff)
    ).exclude(Exists(handled))


def sekolah_for_reading(user, pk: int) -> Sekolah:
    return access.get_visible_or_404(access.sekolah_pmo_visible_to(user), pk=pk)


def instrumen_for_reading(user, sekolah_pk: int, tahun: int, siklus: int) -> InstrumenPMO:
    return access.get_visible_or_404(
        InstrumenPMO.objects.select_related("sekolah", "sekolah__kabupaten").filter(
            sekolah__in=access.sekolah_pmo_visible_to(user).values("pk")
        ),
        sekolah_id=sekolah_pk,
        tahun_ajaran=tahun,
        siklus=siklus,
    )


def can_edit(user, sekolah: Sekolah) -> bool:
    return access.sekolah_pmo_editable_by(user).filter(pk=sekolah.pk).exists()


def can_review(user, sekolah: Sekolah) -> bool:
    return access.sekolah_pmo_reviewed_by(user).filter(pk=sekolah.pk).exists()


def tindak_lanjut_for_editing(user, pk: int) -> TindakLanjut:
    return access.get_visible_or_404(
        access.tindak_lanjut_editable_by(user).select_related("instrumen__sekolah"), pk=pk
    )


def tindak_lanjut_for_reading(user, pk: int) -> TindakLanjut:
    return access.get_visible_or_404(
        access.tindak_lanjut_visible_to(user).select_related("instrumen__sekolah"), pk=pk
    )
