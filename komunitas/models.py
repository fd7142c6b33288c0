"""Komunitas belajar: a school's learning communities, the five optimisation
stages, recurring meetings, inquiry cycles, good practice (STAR), the
two-month action plan, guideline (pedoman) versions, tests and surveys."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from program.models import Berkas, Orang, Sekolah, VersionedModel


class JenisKomunitas(models.TextChoices):
    KKG = "kkg", _("KKG (Kelompok Kerja Guru)")
    MGMP = "mgmp", _("MGMP (Musyawarah Guru Mata Pelajaran)")
    MGBK = "mgbk", _("MGBK (Musyawarah Guru Bimbingan Konseling)")
    PKG = "pkg", _("PKG (Pusat Kegiatan Gugus)")
    LAINNYA = "lainnya", _("Komunitas praktisi lainnya")


class Cakupan(models.TextChoices):
    DALAM_SEKOLAH = "dalam_sekolah", _("Dalam sekolah")
    ANTAR_SEKOLAH = "antar_sekolah", _("Antarsekolah")
    DARING = "daring", _("Daring (PMM)")


def _token() -> str:
    return secrets.token_urlsafe(32)


def new_ical_token() -> str:
    """A fresh iCal secret (services.komunitas_ical_reset)."""
    return _token()


class KomunitasBelajar(VersionedModel):
    sekolah = models.ForeignKey(Sekolah, on_delete=models.PROTECT, related_name="komunitas")
    nama = models.CharField(_("nama komunitas"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=8, choices=JenisKomunitas.choices)
    cakupan = models.CharField(_("cakupan"), max_length=14, choices=Cakupan.choices)
    pic = models.ForeignKey(
        Orang, on_delete=models.PROTECT, related_name="komunitas_pic", verbose_name=_("PIC")
    )
    anggota = models.ManyToManyField(
        Orang, related_name="komunitas", blank=True, verbose_name=_("anggota")
    )
    terdaftar_pmm = models.BooleanField(_("terdaftar di PMM"), default=False)
    tautan_pmm = models.URLField(_("tautan PMM"), blank=True)
    tujuan = models.TextField(
        _("tujuan"), blank=True, help_text=_("Tujuan yang jelas dan terukur bagi belajar murid.")
    )
    # Calendar apps cannot log in: the iCal feed is reached by this secret.
    ical_token = models.CharField(max_length=43, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[anggota], excluded_fields=["ical_token"])

    class Meta:
        ordering = ["sekolah", "nama"]
        verbose_name = _("komunitas belajar")
        verbose_name_plural = _("komunitas belajar")

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("komunitas:detail", args=[self.pk])


# --- the five optimisation stages (per school) ---------------------------------


class Tahap(models.IntegerChoices):
    TIM_KECIL = 1, _("Membentuk tim kecil")
    KOMITMEN = 2, _("Menyepakati komitmen bersama dan nilai-nilai")
    LINGKUNGAN = 3, _("Lingkungan belajar yang ramah guru")
    JAM_WAJIB = 4, _("Jam wajib belajar dalam jadwal")
    BERBAGI = 5, _("Belajar bersama dan berbagi praktik baik")


class StatusTahap(models.TextChoices):
    BELUM = "belum", _("Belum")
    BERJALAN = "berjalan", _("Berjalan")
    TERCAPAI = "tercapai", _("Tercapai")


class TahapOptimalisasi(VersionedModel):
    sekolah = models.ForeignKey(Sekolah, on_delete=models.CASCADE, related_name="tahap_komunitas")
    tahap = models.PositiveSmallIntegerField(_("tahap"), choices=Tahap.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=StatusTahap.choices, default=StatusTahap.BELUM
    )
    bukti = models.TextField(_("bukti"), blank=True)
    tanggal_tercapai = models.DateField(_("tanggal tercapai"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sekolah", "tahap"]
        verbose_name = _("tahap optimalisasi")
        verbose_name_plural = _("tahap optimalisasi")
        constraints = [
            models.UniqueConstraint(fields=["sekolah", "tahap"], name="tahap_optimalisasi_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tahap_display()} — {self.get_status_display()}"


class BuktiTahap(models.Model):
    tahap = models.ForeignKey(TahapOptimalisasi, on_delete=models.CASCADE, related_name="berkas")
    berkas = models.ForeignKey(Berkas, on_delete=models.PROTECT, related_name="+")
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tahap", "created_at"]
        verbose_name = _("bukti tahap")
        verbose_name_plural = _("bukti tahap")

    def __str__(self) -> str:
        return self.keterangan or self.berkas.nama_asli


# --- schedule and meetings ------------------------------------------------------


class Frekuensi(models.TextChoices):
    MINGGUAN = "mingguan", _("Setiap minggu")
    DUA_MINGGUAN = "dua_mingguan", _("Setiap dua minggu")
    BULANAN = "bulanan", _("Setiap bulan pada hari ke-n (mis. Kamis kedua)")


class Hari(models.IntegerChoices):
    SENIN = 0, _("Senin")
    SELASA = 1, _("Selasa")
    RABU = 2, _("Rabu")
    KAMIS = 3, _("Kamis")
    JUMAT = 4, _("Jumat")
    SABTU = 5, _("Sabtu")
    MINGGU = 6, _("Minggu")


class JadwalRutin(models.Model):
    """A recurring meeting rule, e.g. every second Thursday at 14:00."""

    komunitas = models.ForeignKey(KomunitasBelajar, on_delete=models.CASCADE, related_name="jadwal")
    frekuensi = models.CharField(_("frekuensi"), max_length=12, choices=Frekuensi.choices)
    hari = models.PositiveSmallIntegerField(_("hari"), choices=Hari.choices)
    minggu_ke = models.SmallIntegerField(
        _("minggu ke- (bulanan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(5)],
        help_text=_("1–5, atau -1 untuk minggu terakhir. Hanya untuk frekuensi bulanan."),
    )
    jam_mulai = models.TimeField(_("jam mulai"))
    durasi_menit = models.PositiveSmallIntegerField(_("durasi (menit)"), default=90)
    mulai = models.DateField(_("berlaku mulai"))
    sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)
    tempat = models.CharField(_("tempat"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["komunitas", "mulai"]
        verbose_name = _("jadwal rutin")
        verbose_name_plural = _("jadwal rutin")

    def __str__(self) -> str:
        return f"{self.get_frekuensi_display()} {self.get_hari_display()} {self.jam_mulai:%H:%M}"


class Pertemuan(VersionedModel):
    """One meeting that took place: attendance and notes."""

    komunitas = models.ForeignKey(
        KomunitasBelajar, on_delete=models.CASCADE, related_name="pertemuan"
    )
    waktu = models.DateTimeField(_("waktu"))
    topik = models.CharField(_("topik"), max_length=255, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    hadir = models.ManyToManyField(Orang, related_name="+", blank=True, verbose_name=_("hadir"))
    history = HistoricalRecords(m2m_fields=[hadir])

    class Meta:
        ordering = ["komunitas", "-waktu"]
        verbose_name = _("pertemuan")
        verbose_name_plural = _("pertemuan")
        constraints = [
            models.UniqueConstraint(fields=["komunitas", "waktu"], name="pertemuan_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.komunitas} {self.waktu:%d-%m-%Y %H:%M}"


# --- inquiry cycles ---------------------------------------------------------------


class SiklusInkuiri(VersionedModel):
    """refleksi awal (student data) → perencanaan → implementasi (with formative
    assessment) → evaluasi (shared reflection)."""

    komunitas = models.ForeignKey(KomunitasBelajar, on_delete=models.CASCADE, related_name="siklus")
    nomor = models.PositiveSmallIntegerField(_("siklus ke-"))
    fokus = models.CharField(_("fokus"), max_length=255)
    refleksi_awal = models.TextField(_("refleksi awal (data murid)"), blank=True)
    perencanaan = models.TextField(_("perencanaan"), blank=True)
    implementasi = models.TextField(_("implementasi"), blank=True)
    asesmen_formatif = models.TextField(_("catatan asesmen formatif"), blank=True)
    evaluasi = models.TextField(_("evaluasi (refleksi bersama)"), blank=True)
    selesai = models.BooleanField(_("siklus selesai"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["komunitas", "nomor"]
        verbose_name = _("siklus inkuiri")
        verbose_name_plural = _("siklus inkuiri")
        constraints = [models.UniqueConstraint(fields=["komunitas", "nomor"], name="siklus_unik")]

    def __str__(self) -> str:
        return f"{_('Siklus')} {self.nomor}: {self.fokus}"


class BuktiSiklus(models.Model):
    siklus = models.ForeignKey(SiklusInkuiri, on_delete=models.CASCADE, related_name="berkas")
    tahap = models.CharField(_("tahap"), max_length=20)
    berkas = models.ForeignKey(Berkas, on_delete=models.PROTECT, related_name="+")
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["siklus", "created_at"]
        verbose_name = _("bukti siklus")
        verbose_name_plural = _("bukti siklus")

    def __str__(self) -> str:
        return self.keterangan or self.berkas.nama_asli


# --- good practice, action plan, guideline --------------------------------------------


class PraktikBaik(VersionedModel):
    """Good practice written with STAR: situasi, tugas, aksi, hasil."""

    komunitas = models.ForeignKey(
        KomunitasBelajar, on_delete=models.CASCADE, related_name="praktik_baik"
    )
    penulis = models.ForeignKey(Orang, on_delete=models.PROTECT, related_name="praktik_baik")
    judul = models.CharField(_("judul"), max_length=255)
    situasi = models.TextField(_("situasi"))
    tugas = models.TextField(_("tugas"))
    aksi = models.TextField(_("aksi"))
    hasil = models.TextField(_("hasil"))
    dibagikan_pmm = models.BooleanField(_("dibagikan di PMM"), default=False)
    tautan_pmm = models.URLField(_("tautan PMM"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["komunitas", "-created_at"]
        verbose_name = _("praktik baik")
        verbose_name_plural = _("praktik baik")

    def __str__(self) -> str:
        return self.judul


class RencanaAksi(VersionedModel):
    """RTL for the next two months."""

    komunitas = models.ForeignKey(
        KomunitasBelajar, on_delete=models.CASCADE, related_name="rencana_aksi"
    )
    kegiatan = models.CharField(_("kegiatan"), max_length=500)
    penanggung_jawab = models.CharField(_("siapa"), max_length=255)
    waktu = models.DateField(_("kapan"))
    indikator = models.CharField(_("indikator"), max_length=500, blank=True)
    progres = models.PositiveSmallIntegerField(
        _("progres (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["komunitas", "waktu"]
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")

    def __str__(self) -> str:
        return self.kegiatan


class Pedoman(models.Model):
    komunitas = models.OneToOneField(
        KomunitasBelajar, on_delete=models.CASCADE, related_name="pedoman"
    )
    judul = models.CharField(_("judul"), max_length=255)

    class Meta:
        verbose_name = _("pedoman")
        verbose_name_plural = _("pedoman")

    def __str__(self) -> str:
        return self.judul


class VersiPedoman(models.Model):
    """A version of the guideline. Versions are only ever added, never changed."""

    pedoman = models.ForeignKey(Pedoman, on_delete=models.CASCADE, related_name="versi")
    nomor = models.PositiveSmallIntegerField(_("versi"))
    isi = models.TextField(_("isi"), blank=True)
    berkas = models.ForeignKey(
        Berkas, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    catatan_revisi = models.TextField(_("catatan revisi"), blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pedoman", "nomor"]
        verbose_name = _("versi pedoman")
        verbose_name_plural = _("versi pedoman")
        constraints = [models.UniqueConstraint(fields=["pedoman", "nomor"], name="versi_unik")]

    def __str__(self) -> str:
        return f"{self.pedoman} v{self.nomor}"


class UmpanBalikPedoman(models.Model):
    versi = models.ForeignKey(VersiPedoman, on_delete=models.CASCADE, related_name="umpan_balik")
    isi = models.TextField(_("umpan balik"))
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["versi", "created_at"]
        verbose_name = _("umpan balik pedoman")
        verbose_name_plural = _("umpan balik pedoman")

    def __str__(self) -> str:
        return self.isi[:80]


# --- tests and surveys of a mentoring activity ------------------------------------------


class KegiatanPendampingan(models.Model):
    """A mentoring activity of the community (e.g. PIC mentoring) with its
    pre/post test of understanding and satisfaction survey."""

    komunitas = models.ForeignKey(
        KomunitasBelajar, on_delete=models.CASCADE, related_name="kegiatan"
    )
    judul = models.CharField(_("judul"), max_length=255)
    tanggal = models.DateField(_("tanggal"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["komunitas", "-tanggal"]
        verbose_name = _("kegiatan pendampingan")
        verbose_name_plural = _("kegiatan pendampingan")

    def __str__(self) -> str:
        return self.judul


class HasilPeserta(models.Model):
    kegiatan = models.ForeignKey(
        KegiatanPendampingan, on_delete=models.CASCADE, related_name="hasil"
    )
    orang = models.ForeignKey(Orang, on_delete=models.PROTECT, related_name="+")
    nilai_pre = models.DecimalField(
        _("pre-test"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    nilai_post = models.DecimalField(
        _("post-test"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    kepuasan = models.PositiveSmallIntegerField(
        _("kepuasan (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    komentar = models.TextField(_("komentar survei"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kegiatan", "orang__nama"]
        verbose_name = _("hasil peserta")
        verbose_name_plural = _("hasil peserta")
        constraints = [models.UniqueConstraint(fields=["kegiatan", "orang"], name="hasil_unik")]

    def __str__(self) -> str:
        return f"{self.kegiatan} — {self.orang}"
