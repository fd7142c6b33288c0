"""Reads for lokakarya views, built on the scopes in lokakarya.access."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lokakarya import access
from lokakarya.models import Kehadiran, Lokakarya, Peserta, TahapLokakarya
from program.models import Orang, PenugasanSekolah, Peran, Sekolah


def lokakarya_list(user) -> QuerySet[Lokakarya]:
    # Correlated counts, not Count("peserta") with GROUP BY: a page of the list
    # counts only its own workshops' participants, and the paginator's COUNT(*)
    # drops them (an operator's GROUP BY over 80k participants took a second).
    peserta = Peserta.objects.filter(lokakarya=OuterRef("pk")).order_by().values("lokakarya")
    hadir = peserta.filter(kehadiran__in=[Kehadiran.HADIR, Kehadiran.TERLAMBAT])

    def count(qs):
        return Coalesce(
            Subquery(qs.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        )

    return (
        access.lokakarya_visible_to(user)
        .annotate(jumlah_peserta=count(peserta), jumlah_hadir=count(hadir))
        .order_by("-tanggal_mulai", "nama", "pk")
    )


def lokakarya_for_reading(user, pk: int) -> Lokakarya:
    """Any workshop the user may open (facilitator, participant, region, operator)."""
    return access.get_visible_or_404(access.lokakarya_visible_to(user), pk=pk)


def lokakarya_for_managing(user, pk: int) -> Lokakarya:
    """A workshop the user runs; anyone else gets a 404 (participants included)."""
    return access.get_visible_or_404(access.lokakarya_managed_by(user), pk=pk)


def tahap_of(lokakarya: Lokakarya, pk: int) -> TahapLokakarya:
    return access.get_visible_or_404(lokakarya.tahap.all(), pk=pk)


def agenda(lokakarya: Lokakarya) -> list[TahapLokakarya]:
    return list(
        lokakarya.tahap.select_related("fasilitator", "pmo_sekolah_dari").order_by("urutan")
    )


def peserta_list(lokakarya: Lokakarya) -> QuerySet[Peserta]:
    return lokakarya.peserta.select_related("orang", "sekolah").order_by("peran", "orang__nama")


def calon_peserta(lokakarya: Lokakarya) -> QuerySet[PenugasanSekolah]:
    """People at the facilitators' schools who may be invited, by their role there."""
    fasilitator_ids = [i for i in (lokakarya.fasilitator_id, lokakarya.fasilitator_2_id) if i]
    sekolah = PenugasanSekolah.objects.filter(
        orang_id__in=fasilitator_ids, peran=Peran.FASILITATOR
    ).values("sekolah_id")
    return (
        PenugasanSekolah.objects.filter(
            sekolah__in=sekolah,
            peran__in=[Peran.KEPALA_SEKOLAH, Peran.PENGAWAS, Peran.GURU],
        )
        .exclude(orang__in=lokakarya.peserta.values("orang_id"))
        .select_related("orang", "sekolah")
        .order_by("sekolah__nama", "peran", "orang__nama")
    )


def sekolah_of_facilitators(lokakarya: Lokakarya) -> QuerySet[Sekolah]:
    fasilitator_ids = [i for i in (lokakarya.fasilitator_id, lokakarya.fasilitator_2_id) if i]
    return Sekolah.objects.filter(
        penugasan__orang_id__in=fasilitator_ids, penugasan__peran=Peran.FASILITATOR
    ).distinct()


def peserta_of_user(user, lokakarya: Lokakarya) -> Peserta | None:
    orang: Orang | None = access.orang_of(user)
    if orang is None:
        return None
    return lokakarya.peserta.filter(orang=orang).first()


def rencana_vs_jp(tahap: list[TahapLokakarya], lokakarya: Lokakarya) -> dict:
    """Planned total vs JP × 45, and actual minutes so far."""
    rencana = sum(t.menit_rencana for t in tahap)
    aktual = [t.menit_aktual for t in tahap if t.menit_aktual is not None]
    return {
        "rencana": rencana,
        "target": lokakarya.menit_jp,
        "selisih": rencana - lokakarya.menit_jp,
        "aktual": sum(aktual) if aktual else None,
    }
