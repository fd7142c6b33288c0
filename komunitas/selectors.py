"""Reads for komunitas views, built on the scopes in komunitas.access."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from komunitas import access
from komunitas.models import (
    KegiatanPendampingan,
    KomunitasBelajar,
    PraktikBaik,
    RencanaAksi,
    VersiPedoman,
)
from program.models import Sekolah


def beranda(user, *, q: str = "") -> tuple[QuerySet[Sekolah], QuerySet[KomunitasBelajar]]:
    """The communities home: its schools, and the communities the user reads.

    Schools are those with a community the user reads and (but for operators,
    who may start one anywhere) those where the user may start one, narrowed
    by school name, NPSN or community name. The scope is built once for both.
    """
    komunitas = access.komunitas_visible_to(user)
    sekolah = Sekolah.objects.filter(pk__in=komunitas.values("sekolah_id"))
    if not access.is_operator(user):
        sekolah = Sekolah.objects.filter(
            pk__in=access.any_of(
                komunitas.values("sekolah_id"),
                access.sekolah_komunitas_editable_by(user).values("pk"),
            )
        )
    if q:
        sekolah = sekolah.filter(
            Q(nama__icontains=q)
            | Q(npsn__icontains=q)
            | Q(pk__in=komunitas.filter(nama__icontains=q).values("sekolah_id"))
        )
    return sekolah.select_related("kabupaten").order_by("nama", "pk"), komunitas


def komunitas_of_sekolah(komunitas: QuerySet[KomunitasBelajar], sekolah_ids) -> QuerySet:
    """Of these communities, those in the given schools, with their member count."""
    return (
        komunitas.filter(sekolah_id__in=sekolah_ids)
        .annotate(jumlah_anggota=Count("anggota", distinct=True))
        .order_by("nama", "pk")
    )


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
