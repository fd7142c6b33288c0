"""PMO level sekolah: a school's monthly monitoring instrument per cycle.

A school year has two cycles (PMO ke-1…3, August–January; PMO ke-4…6,
February–July): from February the school reflects again and plans anew, so
each cycle has its own instrument and the first stays as it was.

Four steps (refleksi → akar masalah → solusi → tindak lanjut), monthly notes
and a status history per action, the facilitator's feedback, the monthly
Forum Pokja record, and the coordinator's handling of escalations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from program.models import Berkas, Sekolah, VersionedModel
from program.softdelete import SoftDeleteModel

# --- reference data -----------------------------------------------------------


class PeriodePMO(models.Model):
    """PMO ke-1 … ke-6 and the two months each covers (editable reference data)."""

    ke = models.PositiveSmallIntegerField(_("PMO ke-"), unique=True)
    nama = models.CharField(_("nama"), max_length=50)
    bulan_1 = models.PositiveSmallIntegerField(_("bulan pertama"))
    bulan_2 = models.PositiveSmallIntegerField(_("bulan kedua"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["ke"]
        verbose_name = _("periode PMO")
        verbose_name_plural = _("periode PMO")

    def __str__(self) -> str:
        return self.nama


class TopikPMO(models.Model):
    periode = models.ForeignKey(PeriodePMO, on_delete=models.CASCADE, related_name="topik")
    bulan = models.PositiveSmallIntegerField(_("bulan"))
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=1)
    topik = models.CharField(_("topik monitoring"), max_length=500)
    perkiraan = models.BooleanField(
        _("perkiraan"),
        default=False,
        help_text=_(
            "Dicentang bila topik ini tidak ada di panduan untuk bulan ini dan diperkirakan "
            "dari bulan di dekatnya. Hapus centang setelah topiknya dipastikan."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["periode", "bulan", "urutan"]
        verbose_name = _("topik monitoring PMO")
        verbose_name_plural = _("topik monitoring PMO")

    def __str__(self) -> str:
        return self.topik


# --- the instrument -----------------------------------------------------------


class SiklusPMO(models.IntegerChoices):
    PERTAMA = 1, _("Siklus 1 (PMO ke-1–3, Agustus–Januari)")
    KEDUA = 2, _("Siklus 2 (PMO ke-4–6, Februari–Juli)")


# The months of each cycle, in order (July closes PMO ke-6 of the school
# year that began the July before).
BULAN_SIKLUS = {SiklusPMO.PERTAMA: (8, 9, 10, 11, 12, 1), SiklusPMO.KEDUA: (2, 3, 4, 5, 6, 7)}


def periode_label(tahun_ajaran: int, siklus: int) -> str:
    """A PMO cycle as people say it: “2026/2027 · siklus 2”."""
    return _("%(tahun)s/%(berikut)s · siklus %(siklus)s") % {
        "tahun": tahun_ajaran,
        "berikut": tahun_ajaran + 1,
        "siklus": siklus,
    }


class InstrumenPMO(VersionedModel):
    """One school's PMO for one cycle of a school year (tahun_ajaran 2026 = 2026/2027)."""

    sekolah = models.ForeignKey(Sekolah, on_delete=models.PROTECT, related_name="pmo")
    tahun_ajaran = models.PositiveSmallIntegerField(_("tahun ajaran (tahun mulai)"))
    siklus = models.PositiveSmallIntegerField(
        _("siklus"), choices=SiklusPMO.choices, default=SiklusPMO.PERTAMA
    )
    # Step 1: refleksi pembelajaran berbasis peserta didik
    data_refleksi = models.TextField(
        _("data yang digunakan"),
        blank=True,
        help_text=_("Hasil asesmen, Rapor Pendidikan, data lain, dan temuan pentingnya."),
    )
    tujuan_sekolah = models.TextField(_("tujuan sekolah"), blank=True)
    target_sekolah = models.TextField(_("target sekolah"), blank=True)
    # Step 2: akar masalah
    subtopik = models.CharField(_("subtopik yang dipilih"), max_length=255, blank=True)
    masalah_prioritas = models.TextField(_("masalah prioritas"), blank=True)
    updated_at = models.DateTimeField(_("terakhir diperbarui"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sekolah", "-tahun_ajaran", "-siklus"]
        verbose_name = _("instrumen PMO")
        verbose_name_plural = _("instrumen PMO")
        constraints = [
            models.UniqueConstraint(
                fields=["sekolah", "tahun_ajaran", "siklus"], name="pmo_unik_per_siklus"
            ),
        ]

    def __str__(self) -> str:
        return f"PMO {self.sekolah} {self.periode_label}"

    @property
    def periode_label(self) -> str:
        return periode_label(self.tahun_ajaran, self.siklus)

    @property
    def pmo_ke(self) -> str:
        """“PMO ke-1–3” or “PMO ke-4–6”."""
        return _("PMO ke-1–3") if self.siklus == SiklusPMO.PERTAMA else _("PMO ke-4–6")

    def get_absolute_url(self) -> str:
        return reverse("pmo:instrumen", args=[self.sekolah_id, self.tahun_ajaran, self.siklus])


class LampiranPMO(models.Model):
    instrumen = models.ForeignKey(InstrumenPMO, on_delete=models.CASCADE, related_name="lampiran")
    langkah = models.PositiveSmallIntegerField(_("langkah"), default=1)
    berkas = models.ForeignKey(Berkas, on_delete=models.PROTECT, related_name="+")
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrumen", "created_at"]
        verbose_name = _("lampiran PMO")
        verbose_name_plural = _("lampiran PMO")

    def __str__(self) -> str:
        return self.keterangan or self.berkas.nama_asli


class AkarMasalah(SoftDeleteModel):
    instrumen = models.ForeignKey(
        InstrumenPMO, on_delete=models.CASCADE, related_name="akar_masalah"
    )
    uraian = models.TextField(_("akar masalah"))
    indikator_rapor = models.CharField(
        _("indikator Rapor Pendidikan"),
        max_length=255,
        blank=True,
        help_text=_("Opsional: indikator level 1/2 asal akar masalah ini."),
    )
    prioritas = models.BooleanField(_("prioritas"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrumen", "created_at", "pk"]
        verbose_name = _("akar masalah")
        verbose_name_plural = _("akar masalah")

    def __str__(self) -> str:
        return self.uraian[:80]


class Solusi(VersionedModel):
    """A candidate solution, checked against the four criteria of step 3."""

    instrumen = models.ForeignKey(InstrumenPMO, on_delete=models.CASCADE, related_name="solusi")
    akar_masalah = models.ForeignKey(
        AkarMasalah, on_delete=models.SET_NULL, null=True, blank=True, related_name="solusi"
    )
    uraian = models.TextField(_("solusi"))
    mendesak = models.BooleanField(
        _("sangat penting dilakukan dalam waktu dekat?"), null=True, blank=True
    )
    dapat_dilakukan = models.BooleanField(
        _("dapat dilakukan guru dan kepala sekolah dalam 6 bulan?"), null=True, blank=True
    )
    sumber_daya = models.BooleanField(
        _("SDM, anggaran dan sumber daya tersedia?"), null=True, blank=True
    )
    mendukung_target = models.BooleanField(
        _("mendukung tujuan dan target sekolah?"), null=True, blank=True
    )
    disepakati = models.BooleanField(_("disepakati"), default=False)
    history = HistoricalRecords()

    KRITERIA = ("mendesak", "dapat_dilakukan", "sumber_daya", "mendukung_target")

    class Meta:
        ordering = ["instrumen", "pk"]
        verbose_name = _("solusi")
        verbose_name_plural = _("solusi")

    def __str__(self) -> str:
        return self.uraian[:80]

    @property
    def kriteria_lengkap(self) -> bool:
        return all(getattr(self, f) is not None for f in self.KRITERIA)

    @property
    def akar_masalah_aktif(self) -> AkarMasalah | None:
        """The linked root cause unless it is in the trash (the link itself is
        kept, so restoring the root cause restores the link)."""
        akar = self.akar_masalah
        return akar if akar is not None and not akar.dihapus else None


class StatusTindakLanjut(models.TextChoices):
    BELUM_MULAI = "belum_mulai", _("Belum mulai")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")
    TERKENDALA = "terkendala", _("Terkendala")
    DIBATALKAN = "dibatalkan", _("Dibatalkan")


# Written down once: which status may follow which.
TRANSISI_STATUS: dict[str, set[str]] = {
    StatusTindakLanjut.BELUM_MULAI: {
        StatusTindakLanjut.BERJALAN,
        StatusTindakLanjut.TERKENDALA,
        StatusTindakLanjut.DIBATALKAN,
    },
    StatusTindakLanjut.BERJALAN: {
        StatusTindakLanjut.SELESAI,
        StatusTindakLanjut.TERKENDALA,
        StatusTindakLanjut.DIBATALKAN,
    },
    StatusTindakLanjut.TERKENDALA: {
        StatusTindakLanjut.BERJALAN,
        StatusTindakLanjut.DIBATALKAN,
        StatusTindakLanjut.SELESAI,
    },
    StatusTindakLanjut.SELESAI: {StatusTindakLanjut.BERJALAN},
    StatusTindakLanjut.DIBATALKAN: {StatusTindakLanjut.BELUM_MULAI},
}


class TindakLanjut(VersionedModel):
    """Step 4: a six-month follow-up action with its current status."""

    instrumen = models.ForeignKey(
        InstrumenPMO, on_delete=models.CASCADE, related_name="tindak_lanjut"
    )
    solusi = models.ForeignKey(
        Solusi, on_delete=models.SET_NULL, null=True, blank=True, related_name="tindak_lanjut"
    )
    aktivitas = models.CharField(_("aktivitas"), max_length=500)
    tujuan = models.TextField(_("tujuan"), blank=True)
    indikator_keberhasilan = models.TextField(_("indikator keberhasilan"), blank=True)
    mulai = models.DateField(_("mulai"), null=True, blank=True)
    selesai = models.DateField(_("selesai"), null=True, blank=True)
    pihak_terlibat = models.TextField(
        _("pihak terlibat dan perannya"),
        blank=True,
        help_text=_("Satu per baris: nama/unsur — peran."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=StatusTindakLanjut.choices,
        default=StatusTindakLanjut.BELUM_MULAI,
    )
    # Last time the head touched this action (status or monthly note): the
    # escalation rule counts months from here.
    diperbarui_at = models.DateTimeField(_("terakhir diperbarui"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrumen", "mulai", "pk"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        indexes = [models.Index(fields=["status", "diperbarui_at"])]

    def __str__(self) -> str:
        return self.aktivitas

    def get_absolute_url(self) -> str:
        return reverse("pmo:tindak-lanjut", args=[self.pk])


class PerubahanStatus(models.Model):
    """Every status change of an action: when, who, from what to what, and why."""

    tindak_lanjut = models.ForeignKey(
        TindakLanjut, on_delete=models.CASCADE, related_name="perubahan_status"
    )
    dari = models.CharField(
        _("dari"), max_length=12, choices=StatusTindakLanjut.choices, blank=True
    )
    ke = models.CharField(_("menjadi"), max_length=12, choices=StatusTindakLanjut.choices)
    alasan = models.TextField(_("alasan"))
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["tindak_lanjut", "at", "pk"]
        verbose_name = _("perubahan status")
        verbose_name_plural = _("perubahan status")

    def __str__(self) -> str:
        return f"{self.get_dari_display()} → {self.get_ke_display()}"


class CatatanBulanan(VersionedModel):
    """Monthly implementation notes of an action."""

    tindak_lanjut = models.ForeignKey(
        TindakLanjut, on_delete=models.CASCADE, related_name="catatan_bulanan"
    )
    bulan = models.DateField(_("bulan"))
    berjalan_baik = models.TextField(_("yang berjalan baik"), blank=True)
    belum_berjalan = models.TextField(_("yang belum berjalan"), blank=True)
    kendala = models.TextField(_("kendala"), blank=True)
    solusi = models.TextField(_("solusi"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tindak_lanjut", "bulan"]
        verbose_name = _("catatan bulanan")
        verbose_name_plural = _("catatan bulanan")
        constraints = [
            models.UniqueConstraint(fields=["tindak_lanjut", "bulan"], name="catatan_bulanan_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.tindak_lanjut} {self.bulan:%m/%Y}"


class UmpanBalik(models.Model):
    """The facilitator's feedback on a step or an action, read by the head."""

    instrumen = models.ForeignKey(
        InstrumenPMO, on_delete=models.CASCADE, related_name="umpan_balik"
    )
    langkah = models.PositiveSmallIntegerField(_("langkah"), null=True, blank=True)
    tindak_lanjut = models.ForeignKey(
        TindakLanjut, on_delete=models.CASCADE, null=True, blank=True, related_name="umpan_balik"
    )
    isi = models.TextField(_("umpan balik"))
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrumen", "-created_at"]
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")

    def __str__(self) -> str:
        return self.isi[:80]


class ForumPokja(VersionedModel):
    """Forum Pokja manajemen operasional: one record per school per month (2 JP)."""

    sekolah = models.ForeignKey(Sekolah, on_delete=models.PROTECT, related_name="forum_pokja")
    bulan = models.DateField(_("bulan"))
    tanggal = models.DateField(_("tanggal"))
    jp = models.PositiveSmallIntegerField(_("JP"), default=2)
    peserta = models.TextField(_("yang hadir"), blank=True, help_text=_("Satu nama per baris."))
    koordinator_hadir = models.BooleanField(_("koordinator hadir (1 JP)"), default=False)
    capaian = models.TextField(_("capaian"), blank=True)
    target = models.TextField(_("target"), blank=True)
    hambatan = models.TextField(_("hambatan"), blank=True)
    kesepakatan = models.TextField(_("kesepakatan"), blank=True)
    # The PMO as discussed: action statuses at the time of the forum.
    keadaan_pmo = models.JSONField(_("keadaan PMO yang dibahas"), default=dict, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["sekolah", "-bulan"]
        verbose_name = _("forum pokja")
        verbose_name_plural = _("forum pokja")
        constraints = [models.UniqueConstraint(fields=["sekolah", "bulan"], name="forum_unik")]

    def __str__(self) -> str:
        return f"{_('Forum pokja')} {self.sekolah} {self.bulan:%m/%Y}"


class PenangananEskalasi(models.Model):
    """A coordinator's note that an escalated action has been followed up."""

    tindak_lanjut = models.ForeignKey(
        TindakLanjut, on_delete=models.CASCADE, related_name="penanganan"
    )
    catatan = models.TextField(_("catatan penanganan"))
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["tindak_lanjut", "-at"]
        verbose_name = _("penanganan eskalasi")
        verbose_name_plural = _("penanganan eskalasi")

    def __str__(self) -> str:
        return self.catatan[:80]
