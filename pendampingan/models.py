"""Pendampingan individu (PI 1–6, or as many as the cohort's version has), PGP
journals and coaching of school heads."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from program.models import (
    MAKS_PI,
    Berkas,
    Orang,
    PenugasanPP,
    Sekolah,
    VersionedModel,
    VersiProgram,
)
from program.softdelete import SoftDeleteModel
from program.text import lines

# The upper bound of a cohort is its version's jumlah_pi (checked in clean/services).
PI_RANGE = [MinValueValidator(1), MaxValueValidator(MAKS_PI)]


# --- templates (reference data, edited by operators) -------------------------


class Bagian(models.TextChoices):
    AWAL = "awal", _("Bagian awal")
    INTI = "inti", _("Bagian inti")
    AKHIR = "akhir", _("Bagian akhir")


class TemplatPIQuerySet(models.QuerySet):
    def of_pi(self, versi_id: int, urutan: int) -> TemplatPI | None:
        """The template of PI `urutan` in a cohort's version, with its steps."""
        return self.filter(versi_id=versi_id, urutan=urutan).prefetch_related("langkah").first()


class TemplatPI(models.Model):
    """PI `urutan` of a programme version: the PP's guidance for that session."""

    versi = models.ForeignKey(
        VersiProgram,
        on_delete=models.PROTECT,
        related_name="templat_pi",
        verbose_name=_("versi program"),
    )
    urutan = models.PositiveSmallIntegerField(_("PI ke-"), validators=PI_RANGE)
    tema = models.CharField(_("tema"), max_length=255, blank=True)
    lokakarya_ke = models.PositiveSmallIntegerField(_("sebelum lokakarya ke-"))
    waktu = models.CharField(_("waktu"), max_length=255, blank=True)
    tujuan = models.TextField(_("tujuan"), blank=True)
    fokus = models.TextField(_("fokus"), blank=True, help_text=_("Satu fokus per baris."))
    # Empty while the programme's material does not say: never a guessed number.
    BELUM_DIKETAHUI = _("Kosongkan bila belum diketahui.")
    menit_awal = models.PositiveSmallIntegerField(
        _("menit bagian awal"), null=True, blank=True, help_text=BELUM_DIKETAHUI
    )
    menit_inti = models.PositiveSmallIntegerField(
        _("menit bagian inti"), null=True, blank=True, help_text=BELUM_DIKETAHUI
    )
    menit_akhir = models.PositiveSmallIntegerField(
        _("menit bagian akhir"), null=True, blank=True, help_text=BELUM_DIKETAHUI
    )
    history = HistoricalRecords()

    objects = TemplatPIQuerySet.as_manager()

    class Meta:
        ordering = ["versi", "urutan"]
        verbose_name = _("templat PI")
        verbose_name_plural = _("templat PI")
        constraints = [
            models.UniqueConstraint(fields=["versi", "urutan"], name="templat_pi_per_versi"),
        ]

    def __str__(self) -> str:
        return f"PI {self.urutan}: {self.tema or _('(belum diisi)')}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.versi_id and self.urutan and self.urutan > self.versi.jumlah_pi:
            raise ValidationError(
                {
                    "urutan": _("Versi %(versi)s hanya punya %(n)s PI.")
                    % {"versi": self.versi, "n": self.versi.jumlah_pi}
                }
            )

    @property
    def fokus_list(self) -> list[str]:
        return lines(self.fokus)

    def menit_bagian(self, bagian: str) -> int | None:
        return {"awal": self.menit_awal, "inti": self.menit_inti, "akhir": self.menit_akhir}[bagian]

    def kekurangan(self) -> list[str]:
        """What the PP's guidance still lacks, in the operator's words; empty
        when the template is complete (`lengkap`). Reads prefetched steps."""
        steps = list(self.langkah.all())
        missing = []
        if not self.tema:
            missing.append(str(_("tema")))
        if not self.fokus_list:
            missing.append(str(_("fokus")))
        for value, label in Bagian.choices:
            if self.menit_bagian(value) is None:
                missing.append(str(_("menit %(bagian)s") % {"bagian": label.lower()}))
            if not any(s.bagian == value for s in steps):
                missing.append(str(_("langkah %(bagian)s") % {"bagian": label.lower()}))
        return missing

    @property
    def lengkap(self) -> bool:
        return not self.kekurangan()


class LangkahPI(models.Model):
    templat = models.ForeignKey(
        TemplatPI, on_delete=models.CASCADE, related_name="langkah", verbose_name=_("templat")
    )
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    bagian = models.CharField(_("bagian"), max_length=5, choices=Bagian.choices)
    judul = models.CharField(_("judul"), max_length=255)
    menit = models.PositiveSmallIntegerField(_("menit"))
    kegiatan = models.TextField(_("kegiatan"), blank=True)
    pertanyaan = models.TextField(
        _("pertanyaan pemantik"), blank=True, help_text=_("Satu pertanyaan per baris.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["templat", "urutan"]
        verbose_name = _("langkah PI")
        verbose_name_plural = _("langkah PI")

    def __str__(self) -> str:
        return f"{self.get_bagian_display()}: {self.judul} ({self.menit}')"


# --- a PP's six sessions with a CGP -------------------------------------------


class Moda(models.TextChoices):
    LURING = "luring", _("Luring (tatap muka)")
    DARING = "daring", _("Daring")


class SesiPI(VersionedModel):
    """PI N for one CGP. Keeps a snapshot of the template it was planned with,
    so that later template edits never change a finished journal."""

    penugasan = models.ForeignKey(
        PenugasanPP, on_delete=models.PROTECT, related_name="sesi_pi", verbose_name=_("CGP")
    )
    urutan = models.PositiveSmallIntegerField(_("PI ke-"), validators=PI_RANGE)
    templat = models.JSONField(_("salinan templat"), default=dict, editable=False)
    tanggal = models.DateField(_("tanggal"), null=True, blank=True)
    jam_mulai = models.TimeField(_("jam mulai"), null=True, blank=True)
    moda = models.CharField(_("moda"), max_length=6, choices=Moda.choices, blank=True)
    tempat = models.CharField(_("tempat"), max_length=255, blank=True)
    tautan = models.URLField(_("tautan pertemuan"), blank=True)
    dikonfirmasi_cgp_at = models.DateTimeField(_("dikonfirmasi CGP"), null=True, blank=True)
    komentar_cgp = models.TextField(_("komentar CGP"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["penugasan", "urutan"]
        verbose_name = _("sesi pendampingan individu")
        verbose_name_plural = _("sesi pendampingan individu")
        constraints = [
            models.UniqueConstraint(fields=["penugasan", "urutan"], name="satu_sesi_per_pi"),
        ]

    def __str__(self) -> str:
        return f"PI {self.urutan} — {self.penugasan.cgp}"

    def get_absolute_url(self) -> str:
        return reverse("pendampingan:sesi", args=[self.penugasan_id, self.urutan])

    @property
    def tema(self) -> str:
        return self.templat.get("tema", "")


class StatusJurnal(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")


class JurnalPendampingan(VersionedModel):
    """The PP's record of one session, structured by the template's steps."""

    sesi = models.OneToOneField(
        SesiPI, on_delete=models.CASCADE, related_name="jurnal", verbose_name=_("sesi")
    )
    # {"<langkah urutan>": "answer", …} following the session's snapshot.
    jawaban = models.JSONField(_("catatan per langkah"), default=dict, blank=True)
    sudah_baik = models.TextField(_("yang sudah baik"), blank=True)
    perlu_ditingkatkan = models.TextField(_("yang perlu ditingkatkan"), blank=True)
    catatan = models.TextField(_("catatan lain"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=StatusJurnal.choices, default=StatusJurnal.DRAF
    )
    diajukan_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    updated_at = models.DateTimeField(_("terakhir disimpan"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jurnal pendampingan")
        verbose_name_plural = _("jurnal pendampingan")

    def __str__(self) -> str:
        return f"{_('Jurnal')} {self.sesi}"

    @property
    def has_content(self) -> bool:
        return any(v.strip() for v in self.jawaban.values() if isinstance(v, str)) or any(
            (self.sudah_baik.strip(), self.perlu_ditingkatkan.strip(), self.catatan.strip())
        )

    @property
    def is_submitted(self) -> bool:
        return self.status == StatusJurnal.DIAJUKAN


class JurnalKlien(models.Model):
    """The last autosave one browser tab (client) got applied to a journal.

    A phone on a weak link retries saves and may replay old ones; with the
    client's sequence number stored here, a save numbered at or below it is
    acknowledged without writing, so it never brings back older text.
    """

    jurnal = models.ForeignKey(JurnalPendampingan, on_delete=models.CASCADE, related_name="klien")
    client_id = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    # The journal version that save produced: while it is still the current
    # one, nobody else wrote since, so the client is only behind itself.
    version = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurnal", "client_id"], name="jurnal_klien_unik")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} #{self.seq} → v{self.version}"


class StatusTindakLanjut(models.TextChoices):
    BELUM_DINILAI = "", _("Belum dinilai")
    TERLAKSANA = "terlaksana", _("Terlaksana")
    SEBAGIAN = "sebagian", _("Sebagian")
    BELUM = "belum", _("Belum terlaksana")


class RencanaTindakLanjut(SoftDeleteModel):
    """An RTL item planned in PI N; its outcome is marked when PI N+1 is opened."""

    sesi = models.ForeignKey(
        SesiPI, on_delete=models.CASCADE, related_name="rtl", verbose_name=_("sesi")
    )
    kegiatan = models.CharField(_("rencana kegiatan"), max_length=500)
    target = models.CharField(_("target"), max_length=500, blank=True)
    waktu = models.CharField(_("kapan"), max_length=100, blank=True)
    status = models.CharField(
        _("status tindak lanjut"),
        max_length=10,
        choices=StatusTindakLanjut.choices,
        default=StatusTindakLanjut.BELUM_DINILAI,
        blank=True,
    )
    catatan_status = models.TextField(_("catatan tindak lanjut"), blank=True)
    dinilai_at = models.DateTimeField(_("dinilai"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sesi", "created_at", "pk"]
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")

    def __str__(self) -> str:
        return self.kegiatan


class JenisDokumentasi(models.TextChoices):
    FOTO = "foto", _("Foto")
    VIDEO = "video", _("Video")
    REKAMAN = "rekaman", _("Rekaman suara")
    DOKUMEN = "dokumen", _("Dokumen")
    DAFTAR_HADIR = "daftar_hadir", _("Daftar hadir")
    LAINNYA = "lainnya", _("Bukti lainnya")


class Dokumentasi(SoftDeleteModel):
    sesi = models.ForeignKey(
        SesiPI, on_delete=models.CASCADE, related_name="dokumentasi", verbose_name=_("sesi")
    )
    berkas = models.ForeignKey(Berkas, on_delete=models.PROTECT, related_name="+")
    thumbnail = models.ForeignKey(
        Berkas, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    jenis = models.CharField(_("jenis"), max_length=12, choices=JenisDokumentasi.choices)
    keterangan = models.CharField(_("keterangan"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sesi", "created_at"]
        verbose_name = _("dokumentasi")
        verbose_name_plural = _("dokumentasi")

    def __str__(self) -> str:
        return self.keterangan or self.berkas.nama_asli


# --- other PGP journals -------------------------------------------------------


class Modul(models.TextChoices):
    M11 = "1.1", "Modul 1.1"
    M12 = "1.2", "Modul 1.2"
    M13 = "1.3", "Modul 1.3"
    M14 = "1.4", "Modul 1.4"
    M21 = "2.1", "Modul 2.1"
    M22 = "2.2", "Modul 2.2"
    M23 = "2.3", "Modul 2.3"
    M31 = "3.1", "Modul 3.1"
    M32 = "3.2", "Modul 3.2"
    M33 = "3.3", "Modul 3.3"


class JurnalPemantauan(VersionedModel):
    """Jurnal pemantauan pembelajaran daring: per CGP per modul."""

    penugasan = models.ForeignKey(
        PenugasanPP, on_delete=models.PROTECT, related_name="jurnal_pemantauan"
    )
    modul = models.CharField(_("modul"), max_length=3, choices=Modul.choices)
    kemajuan = models.TextField(_("kemajuan belajar daring"), blank=True)
    kendala = models.TextField(_("kendala yang dihadapi"), blank=True)
    dukungan = models.TextField(_("dukungan yang diberikan"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["penugasan", "modul"]
        verbose_name = _("jurnal pemantauan pembelajaran daring")
        verbose_name_plural = _("jurnal pemantauan pembelajaran daring")
        constraints = [
            models.UniqueConstraint(fields=["penugasan", "modul"], name="pemantauan_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.get_modul_display()} — {self.penugasan.cgp}"


class JurnalFasilitasi(VersionedModel):
    """The PP's facilitation journal per modul (three open questions of the seed)."""

    pp = models.ForeignKey(Orang, on_delete=models.PROTECT, related_name="jurnal_fasilitasi")
    modul = models.CharField(_("modul"), max_length=3, choices=Modul.choices)
    pelajaran = models.TextField(_("pelajaran yang didapat (lesson learned)"), blank=True)
    kelebihan = models.TextField(_("kelebihan"), blank=True)
    kekurangan = models.TextField(_("kekurangan"), blank=True)
    rekomendasi = models.TextField(_("rekomendasi"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pp", "modul"]
        verbose_name = _("jurnal fasilitasi")
        verbose_name_plural = _("jurnal fasilitasi")
        constraints = [models.UniqueConstraint(fields=["pp", "modul"], name="fasilitasi_unik")]

    def __str__(self) -> str:
        return f"{self.get_modul_display()} — {self.pp}"


class JenisCatatan(models.TextChoices):
    REFLEKSI = "refleksi", _("Jurnal refleksi")
    KOMUNIKASI = "komunikasi", _("Jurnal komunikasi (untuk Fasilitator PGP)")


class CatatanPP(models.Model):
    """Jurnal refleksi (private) and jurnal komunikasi (read by the Fasilitator
    PGP of the CGP's online class, program.KelasDaring)."""

    pp = models.ForeignKey(Orang, on_delete=models.PROTECT, related_name="catatan_pp")
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisCatatan.choices)
    penugasan = models.ForeignKey(
        PenugasanPP,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catatan",
        verbose_name=_("tentang CGP"),
    )
    judul = models.CharField(_("judul"), max_length=255)
    isi = models.TextField(_("isi"))
    tanggal = models.DateField(_("tanggal"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-tanggal", "-created_at"]
        verbose_name = _("catatan Pengajar Praktik")
        verbose_name_plural = _("catatan Pengajar Praktik")

    def __str__(self) -> str:
        return self.judul


# --- coaching kepala sekolah (PSP) --------------------------------------------


class TopikPilihan(models.TextChoices):
    AKSI_NYATA = "1", _("Topik pilihan 1: lokakarya terakhir → aksi nyata")
    KEPEMIMPINAN = "2", _("Topik pilihan 2: isu kepemimpinan sehari-hari, rencana kerja, refleksi")


TOPIK_WAJIB = _("Pembelajaran paradigma baru")


class RencanaCoaching(models.Model):
    """Topics agreed per quarter: one row per month of the plan."""

    sekolah = models.ForeignKey(Sekolah, on_delete=models.CASCADE, related_name="rencana_coaching")
    bulan = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan tersebut."))
    topik_pilihan = models.CharField(_("topik pilihan"), max_length=1, choices=TopikPilihan.choices)
    rincian = models.CharField(_("rincian topik"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sekolah", "bulan"]
        verbose_name = _("rencana topik coaching")
        verbose_name_plural = _("rencana topik coaching")
        constraints = [
            models.UniqueConstraint(fields=["sekolah", "bulan"], name="rencana_coaching_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.sekolah} {self.bulan:%m/%Y}"


class SesiCoaching(VersionedModel):
    """A facilitator's monthly coaching of a school head (2 JP)."""

    sekolah = models.ForeignKey(
        Sekolah, on_delete=models.PROTECT, related_name="sesi_coaching", verbose_name=_("sekolah")
    )
    fasilitator = models.ForeignKey(
        Orang, on_delete=models.PROTECT, related_name="sesi_coaching", verbose_name=_("fasilitator")
    )
    tanggal = models.DateField(_("tanggal"))
    jp = models.PositiveSmallIntegerField(_("JP"), default=2)
    topik_wajib = models.CharField(_("topik wajib"), max_length=255, default=TOPIK_WAJIB)
    menit_topik_wajib = models.PositiveSmallIntegerField(
        _("menit topik wajib"),
        default=25,
        validators=[MinValueValidator(20), MaxValueValidator(30)],
    )
    topik_pilihan = models.CharField(_("topik pilihan"), max_length=1, choices=TopikPilihan.choices)
    rincian_topik = models.CharField(_("rincian topik pilihan"), max_length=500, blank=True)
    catatan = models.TextField(_("catatan coaching"), blank=True)
    kesepakatan = models.TextField(
        _("tindakan yang disepakati"), blank=True, help_text=_("Satu tindakan per baris.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["sekolah", "-tanggal"]
        verbose_name = _("sesi coaching kepala sekolah")
        verbose_name_plural = _("sesi coaching kepala sekolah")

    def __str__(self) -> str:
        return f"{_('Coaching')} {self.sekolah} {self.tanggal:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("pendampingan:coaching-detail", args=[self.pk])

    @property
    def kesepakatan_list(self) -> list[str]:
        return lines(self.kesepakatan)


# --- the CGP's own artefacts -------------------------------------------------------


class JenisArtefak(models.TextChoices):
    """What PI 1 works on with the CGP (seed 002: "Fokus Pendampingan")."""

    PETA_POSISI_DIRI = "peta_posisi_diri", _("Peta posisi diri")
    RENCANA_PENGEMBANGAN_DIRI = "rencana_pengembangan_diri", _("Rencana pengembangan diri")
    KERANGKA_PORTOFOLIO = "kerangka_portofolio", _("Kerangka portofolio")


class ArtefakCGP(VersionedModel):
    """A document the CGP keeps and the PP comments on: written by the CGP
    (the text, or a link to it), discussed in PI 1, shown again in the PIs
    after it so the PP sees how it changed."""

    penugasan = models.ForeignKey(
        PenugasanPP, on_delete=models.PROTECT, related_name="artefak", verbose_name=_("CGP")
    )
    jenis = models.CharField(_("jenis"), max_length=30, choices=JenisArtefak.choices)
    isi = models.TextField(_("isi"), blank=True)
    tautan = models.URLField(
        _("tautan"), blank=True, help_text=_("Mis. portofolio digital atau dokumen daring.")
    )
    diperbarui_at = models.DateTimeField(_("diperbarui CGP"), null=True, blank=True)
    komentar_pp = models.TextField(_("komentar Pengajar Praktik"), blank=True)
    dikomentari_at = models.DateTimeField(_("dikomentari"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["penugasan", "jenis"]
        verbose_name = _("artefak CGP")
        verbose_name_plural = _("artefak CGP")
        constraints = [
            models.UniqueConstraint(fields=["penugasan", "jenis"], name="artefak_cgp_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} — {self.penugasan.cgp}"

    @property
    def terisi(self) -> bool:
        return bool(self.isi.strip() or self.tautan)
