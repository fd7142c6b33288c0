"""Workshops (lokakarya) along the MERRDEKA flow: templates, agenda, participants,
attendance, groups, pre/post tests and products."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from program.models import (
    Angkatan,
    Berkas,
    KabupatenKota,
    Orang,
    Program,
    Sekolah,
    VersionedModel,
    VersiProgram,
)
from program.softdelete import SoftDeleteModel
from program.text import lines

MENIT_PER_JP = 45
MAKS_PESERTA = 40


class Moda(models.TextChoices):
    LURING = "luring", _("Luring")
    DARING = "daring", _("Daring")


class Alur(models.TextChoices):
    """MERRDEKA stages; blank for agendas that do not follow it (e.g. an FGD)."""

    PEMBUKAAN = "pembukaan", _("Pembukaan")
    MULAI_DARI_DIRI = "mulai_dari_diri", _("Mulai dari Diri")
    EKSPLORASI_KONSEP = "eksplorasi_konsep", _("Eksplorasi Konsep")
    RUANG_KOLABORASI = "ruang_kolaborasi", _("Ruang Kolaborasi")
    REFLEKSI_TERBIMBING = "refleksi_terbimbing", _("Refleksi Terbimbing")
    DEMONSTRASI_KONTEKSTUAL = "demonstrasi_kontekstual", _("Demonstrasi Kontekstual")
    ELABORASI_PEMAHAMAN = "elaborasi_pemahaman", _("Elaborasi Pemahaman")
    KONEKSI_ANTAR_MATERI = "koneksi_antar_materi", _("Koneksi Antar Materi")
    AKSI_NYATA = "aksi_nyata", _("(Rencana) Aksi Nyata")
    PENUTUP = "penutup", _("Penutup")


class JenisTahap(models.TextChoices):
    MATERI = "materi", _("Materi")
    PMO = "pmo", _("Monitoring PMO")


# --- templates ----------------------------------------------------------------


class TemplatLokakarya(models.Model):
    kode = models.SlugField(_("kode"), max_length=50, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, verbose_name=_("program"))
    # The programme version whose workshops this lays out (of `program`).
    versi = models.ForeignKey(
        VersiProgram,
        on_delete=models.PROTECT,
        related_name="templat_lokakarya",
        verbose_name=_("versi program"),
    )
    moda = models.CharField(_("moda"), max_length=6, choices=Moda.choices)
    jp = models.PositiveSmallIntegerField(_("JP"), default=8)
    jumlah_hari = models.PositiveSmallIntegerField(_("jumlah hari"), default=1)
    deskripsi = models.TextField(_("deskripsi"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "nama"]
        verbose_name = _("templat lokakarya")
        verbose_name_plural = _("templat lokakarya")

    def __str__(self) -> str:
        return self.nama

    def save(self, *args, **kwargs):
        # A template made without a version belongs to its programme's first.
        if self.versi_id is None and self.program_id is not None:
            self.versi = (
                VersiProgram.objects.filter(program_id=self.program_id).order_by("pk").first()
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.versi_id and self.program_id and self.versi.program_id != self.program_id:
            raise ValidationError({"versi": _("Versi ini milik program lain.")})


class TahapTemplat(models.Model):
    templat = models.ForeignKey(TemplatLokakarya, on_delete=models.CASCADE, related_name="tahap")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    hari = models.PositiveSmallIntegerField(_("hari ke-"), default=1)
    nama = models.CharField(_("nama tahap"), max_length=200)
    alur = models.CharField(_("alur MERRDEKA"), max_length=30, choices=Alur.choices, blank=True)
    jenis = models.CharField(
        _("jenis"), max_length=6, choices=JenisTahap.choices, default=JenisTahap.MATERI
    )
    menit = models.PositiveSmallIntegerField(_("menit"))
    tujuan = models.TextField(_("tujuan"), blank=True)
    kegiatan = models.TextField(_("kegiatan"), blank=True)
    bahan = models.TextField(_("bahan"), blank=True, help_text=_("Satu bahan per baris."))
    persiapan = models.TextField(_("persiapan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["templat", "urutan"]
        verbose_name = _("tahap templat")
        verbose_name_plural = _("tahap templat")

    def __str__(self) -> str:
        return f"{self.urutan}. {self.nama} ({self.menit}')"


# --- a workshop -------------------------------------------------------------------


def _kode_presensi() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a hall
    return "".join(secrets.choice(alphabet) for _ in range(6))


class Lokakarya(VersionedModel):
    templat = models.ForeignKey(
        TemplatLokakarya, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nama = models.CharField(_("nama lokakarya"), max_length=200)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, verbose_name=_("program"))
    angkatan = models.ForeignKey(
        Angkatan, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("angkatan")
    )
    kabupaten = models.ForeignKey(
        KabupatenKota, on_delete=models.PROTECT, verbose_name=_("kabupaten/kota")
    )
    moda = models.CharField(_("moda"), max_length=6, choices=Moda.choices)
    tanggal_mulai = models.DateField(_("tanggal mulai"))
    tanggal_selesai = models.DateField(_("tanggal selesai"))
    tempat = models.CharField(_("tempat"), max_length=255, blank=True)
    tautan = models.URLField(_("tautan daring"), blank=True)
    jp = models.PositiveSmallIntegerField(_("JP"), default=8)
    fasilitator = models.ForeignKey(
        Orang, on_delete=models.PROTECT, related_name="lokakarya_a", verbose_name=_("fasilitator")
    )
    fasilitator_2 = models.ForeignKey(
        Orang,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lokakarya_b",
        verbose_name=_("fasilitator kedua"),
    )
    kesepakatan_kelas = models.TextField(_("kesepakatan kelas"), blank=True)
    kode_presensi = models.CharField(max_length=6, default=_kode_presensi, unique=True)
    presensi_dibuka = models.BooleanField(_("presensi mandiri dibuka"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-tanggal_mulai", "nama"]
        verbose_name = _("lokakarya")
        verbose_name_plural = _("lokakarya")
        indexes = [
            models.Index(fields=["kabupaten", "tanggal_mulai"]),
            # The list's order (newest first): an operator's page of 50 out of
            # the country's workshops walks this index instead of sorting all
            # of them after joining their facilitators (21 -> 2 ms, issue #9).
            models.Index(fields=["-tanggal_mulai", "nama", "id"], name="lokakarya_urutan_daftar"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.tanggal_mulai:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("lokakarya:detail", args=[self.pk])

    @property
    def menit_jp(self) -> int:
        return self.jp * MENIT_PER_JP


class TahapLokakarya(models.Model):
    """One agenda item of a workshop: planned minutes from the template (adjustable
    for this workshop only) and the actual start/finish kept by the run view."""

    lokakarya = models.ForeignKey(Lokakarya, on_delete=models.CASCADE, related_name="tahap")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    hari = models.PositiveSmallIntegerField(_("hari ke-"), default=1)
    nama = models.CharField(_("nama tahap"), max_length=200)
    alur = models.CharField(_("alur MERRDEKA"), max_length=30, choices=Alur.choices, blank=True)
    jenis = models.CharField(
        _("jenis"), max_length=6, choices=JenisTahap.choices, default=JenisTahap.MATERI
    )
    menit_rencana = models.PositiveSmallIntegerField(_("menit rencana"))
    tujuan = models.TextField(_("tujuan"), blank=True)
    kegiatan = models.TextField(_("kegiatan"), blank=True)
    bahan = models.TextField(_("bahan"), blank=True)
    persiapan = models.TextField(_("persiapan"), blank=True)
    fasilitator = models.ForeignKey(
        Orang,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dipandu oleh"),
    )
    # For a PMO slot: the facilitator whose schools' PMO is monitored.
    pmo_sekolah_dari = models.ForeignKey(
        Orang,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PMO sekolah dampingan"),
    )
    mulai_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    selesai_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    refleksi = models.TextField(
        _("jawaban refleksi / tautan papan"),
        blank=True,
        help_text=_("Tulisan bebas atau tautan Padlet/Jamboard, satu per baris."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["lokakarya", "urutan"]
        verbose_name = _("tahap lokakarya")
        verbose_name_plural = _("tahap lokakarya")

    def __str__(self) -> str:
        return f"{self.urutan}. {self.nama}"

    @property
    def menit_aktual(self) -> int | None:
        if self.mulai_at and self.selesai_at:
            return round((self.selesai_at - self.mulai_at).total_seconds() / 60)
        return None

    @property
    def bahan_list(self) -> list[str]:
        return lines(self.bahan)


class PeranPeserta(models.TextChoices):
    PENGAWAS = "pengawas", _("Pengawas sekolah")
    KEPALA_SEKOLAH = "kepala_sekolah", _("Kepala sekolah")
    GURU = "guru", _("Guru")
    LAINNYA = "lainnya", _("Lainnya")


class Kehadiran(models.TextChoices):
    BELUM = "", _("Belum dicatat")
    HADIR = "hadir", _("Hadir")
    TERLAMBAT = "terlambat", _("Terlambat")
    TIDAK_HADIR = "tidak_hadir", _("Tidak hadir")


class Peserta(models.Model):
    lokakarya = models.ForeignKey(Lokakarya, on_delete=models.CASCADE, related_name="peserta")
    orang = models.ForeignKey(Orang, on_delete=models.PROTECT, related_name="peserta_lokakarya")
    peran = models.CharField(_("unsur"), max_length=15, choices=PeranPeserta.choices)
    sekolah = models.ForeignKey(
        Sekolah, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("instansi")
    )
    kehadiran = models.CharField(
        _("kehadiran"),
        max_length=11,
        choices=Kehadiran.choices,
        blank=True,
        default=Kehadiran.BELUM,
    )
    check_in_at = models.DateTimeField(_("presensi mandiri"), null=True, blank=True)
    nilai_pre = models.DecimalField(
        _("nilai pre-test"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    nilai_post = models.DecimalField(
        _("nilai post-test"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["lokakarya", "orang__nama"]
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        constraints = [
            models.UniqueConstraint(fields=["lokakarya", "orang"], name="peserta_unik"),
        ]

    def __str__(self) -> str:
        return str(self.orang)

    @property
    def kenaikan(self):
        if self.nilai_pre is None or self.nilai_post is None:
            return None
        return self.nilai_post - self.nilai_pre


class JenisKelompok(models.TextChoices):
    CAMPURAN = "campuran", _("Kelompok campuran")
    PERAN = "peran", _("Kelompok per peran")


class Kelompok(models.Model):
    lokakarya = models.ForeignKey(Lokakarya, on_delete=models.CASCADE, related_name="kelompok")
    jenis = models.CharField(_("jenis"), max_length=8, choices=JenisKelompok.choices)
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    nama = models.CharField(_("nama"), max_length=100)
    anggota = models.ManyToManyField(Peserta, related_name="kelompok", blank=True)
    history = HistoricalRecords(m2m_fields=[anggota])

    class Meta:
        ordering = ["lokakarya", "jenis", "nomor"]
        verbose_name = _("kelompok")
        verbose_name_plural = _("kelompok")
        constraints = [
            models.UniqueConstraint(fields=["lokakarya", "jenis", "nomor"], name="kelompok_unik"),
        ]

    def __str__(self) -> str:
        return self.nama


class JenisProduk(models.TextChoices):
    RENCANA_KOMUNITAS = "rencana_komunitas", _("Rencana kegiatan pengembangan komunitas belajar")
    AKSI_NYATA = "aksi_nyata", _("Rencana aksi nyata 2 bulan ke depan")
    LAINNYA = "lainnya", _("Produk lainnya")


class Produk(SoftDeleteModel):
    lokakarya = models.ForeignKey(Lokakarya, on_delete=models.CASCADE, related_name="produk")
    jenis = models.CharField(_("jenis"), max_length=20, choices=JenisProduk.choices)
    judul = models.CharField(_("judul"), max_length=255)
    kelompok = models.ForeignKey(
        Kelompok, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("kelompok")
    )
    sekolah = models.ForeignKey(
        Sekolah, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("sekolah")
    )
    isi = models.TextField(_("isi"), blank=True)
    berkas = models.ForeignKey(
        Berkas, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["lokakarya", "created_at"]
        verbose_name = _("produk lokakarya")
        verbose_name_plural = _("produk lokakarya")

    def __str__(self) -> str:
        return self.judul
