"""Reads for komunitas views, built on the scopes in program.access."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from komunitas.models import (
    KegiatanPendampingan,
    KomunitasBelajar,
    PraktikBaik,
    RencanaAksi,
    VersiPedoman,
)
from program import access


def komunitas_for_reading(user, pk: int) -> KomunitasBelajar:
    return access.get_visible_or_404(access.komunitas_visible_to(user), pk=pk)


def komunitas_for_editing(user, pk: int) -> KomunitasBelajar:
    return access.get_visible_or_404(access.komunitas_editable_by(user), pk=pk)


def komunitas_for_members(user, pk: int) -> KomunitasBelajar:
    """Members (and editors) write good practice and meeting notes."""
    return access.get_visible_or_404(access.komunitas_member_of(user), pk=pk)


def can_edit(user, komunitas: KomunitasBelajar) -> bool:
    return access.komunitas_editable_by(user).filter(pk=komunitas.pk).exists()


def can_review(user, komunitas: KomunitasBelajar) -> bool:
    return access.komunitas_reviewed_by(user).filter(pk=komunitas.pk).exists()


def jumlah_karya(komunitas: KomunitasBelajar) -> dict[str, int]:
    """How many good practices, action plans, guideline versions and
    activities a community has: one query (four counted subqueries) for the
    summary of its page instead of one COUNT each."""

    def count(qs, key: str):
        grouped = qs.order_by().values(key).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)

    # Prefixed: the plain names are the reverse relations of the model.
    row = (
        KomunitasBelajar.objects.filter(pk=komunitas.pk)
        .annotate(
            n_praktik_baik=count(PraktikBaik.objects.filter(komunitas=OuterRef("pk")), "komunitas"),
            n_rencana=count(RencanaAksi.objects.filter(komunitas=OuterRef("pk")), "komunitas"),
            n_pedoman=count(
                VersiPedoman.objects.filter(pedoman__komunitas=OuterRef("pk")),
                "pedoman__komunitas",
            ),
            n_kegiatan=count(
                KegiatanPendampingan.objects.filter(komunitas=OuterRef("pk")), "komunitas"
            ),
        )
        .values("n_praktik_baik", "n_rencana", "n_pedoman", "n_kegiatan")
        .get()
    )
    return {key.removeprefix("n_"): n for key, n in row.items()}
