"""Programme calendar (activities with their JP), per-person iCal tokens and
the bookkeeping of email reminders (what was sent, who opted out)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from program.models import Program

# --- the PSP activity calendar ---------------------------------------------------


class JenisKegiatan(models.TextChoices):
    """The Pelatih Ahli's activities of the PSP year (seed 001), in table order."""

    LOKAKARYA = "lokakarya", _("Lokakarya pengawas sekolah dan kepala sekolah")
    PELATIHAN_PERENCANAAN = (
        "pelatihan_perencanaan",
        _("Pelatihan perencanaan berbasis data dan sumber daya sekolah"),
    )
    FORUM_PEMANGKU = "forum_pemangku", _("Forum pemangku kepentingan daerah")
    KOMITE_PEMBELAJARAN = "komite_pembelajaran", _("Penguatan komite pembelajaran")
    COACHING = "coaching", _("Pendampingan kepala sekolah (coaching)")
    FORUM_POKJA = "forum_pokja", _("Forum pokja manajemen operasional level sekolah")


# Activities held with each school separately (the rest is held at
# kabupaten/kota level, recorded as workshops).
JENIS_PER_SEKOLAH = (JenisKegiatan.COACHING, JenisKegiatan.FORUM_POKJA)
JENIS_KELOMPOK = tuple(j for j in JenisKegiatan if j not in JENIS_PER_SEKOLAH)


class ModaKegiatan(models.TextChoices):
    DARING = "daring", _("Daring")
    LURING = "luring", _("Luring")
    DARING_LURING = "daring_luring", _("Daring/luring")


class TopikKomite(models.IntegerChoices):
    REFLEKSI = 1, _("Refleksi kompetensi dan pembuatan rencana belajar")
    UMPAN_BALIK = 2, _("Umpan balik rekan sejawat")
    BERBAGI = 3, _("Berbagi pengetahuan melalui cerita dan dokumen sumber belajar")
    MEMANDU_REFLEKSI = 4, _("Merancang dan memandu refleksi")


def bulan_tanggal(tahun_ajaran: int, bulan: int) -> dt.date:
    """The first day of `bulan` in the PSP year that starts in `tahun_ajaran`.

    The Pelatih Ahli's year runs Oktober–Agustus, so September…Desember fall in
    the starting year and Januari…Agustus in the next (Agustus 2027 belongs to
    2026/2027, unlike the PMO year, which turns in July).
    """
    return dt.date(tahun_ajaran if bulan >= 9 else tahun_ajaran + 1, bulan, 1)


def tahun_ajaran_psp(day: dt.date) -> int:
    """The PSP year a date falls in (its starting year)."""
    return day.year if day.month >= 9 else day.year - 1


class KegiatanProgram(models.Model):
    """One activity in one month of a programme year, with its JP.

    Reference data seeded from fixtures/kalender_psp.json and then owned by
    operators ("jadwal kegiatan ini dapat berubah sewaktu-waktu").
    """

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="kegiatan", verbose_name=_("program")
    )
    tahun_ajaran = models.PositiveSmallIntegerField(
        _("tahun ajaran (tahun mulai)"), help_text=_("2026 berarti tahun ajaran 2026/2027.")
    )
    jenis = models.CharField(_("kegiatan"), max_length=25, choices=JenisKegiatan.choices)
    bulan = models.PositiveSmallIntegerField(
        _("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    jp = models.PositiveSmallIntegerField(_("JP"))
    per_sekolah = models.BooleanField(
        _("JP per sekolah"),
        default=False,
        help_text=_(
            "Dicentang bila JP berlaku untuk setiap sekolah dampingan (coaching, forum pokja)."
        ),
    )
    moda = models.CharField(
        _("moda"), max_length=13, choices=ModaKegiatan.choices, default=ModaKegiatan.DARING_LURING
    )
    topik = models.PositiveSmallIntegerField(
        _("topik (pertemuan ke-)"), choices=TopikKomite.choices, null=True, blank=True
    )
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "tahun_ajaran", "jenis", "bulan"]
        verbose_name = _("kegiatan program")
        verbose_name_plural = _("kalender kegiatan program")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "tahun_ajaran", "jenis", "bulan"], name="kegiatan_program_unik"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} — {self.tanggal:%m/%Y} ({self.jp} JP)"

    def clean(self) -> None:
        if self.topik and self.jenis != JenisKegiatan.KOMITE_PEMBELAJARAN:
            raise ValidationError(
                {"topik": _("Topik hanya untuk kegiatan penguatan komite pembelajaran.")}
            )

    @property
    def tanggal(self) -> dt.date:
        return bulan_tanggal(self.tahun_ajaran, self.bulan)


class JenisTemplatLokakarya(models.Model):
    """Which calendar activity the workshops of a template count towards.

    Every PSP workshop is recorded as a Lokakarya; without this, one counts as
    the monthly "lokakarya pengawas dan kepala sekolah". An operator marks the
    templates of the other kabupaten-level activities (komite pembelajaran,
    forum pemangku kepentingan, pelatihan perencanaan) here.
    """

    templat = models.OneToOneField(
        "lokakarya.TemplatLokakarya",
        on_delete=models.CASCADE,
        related_name="jenis_kalender",
        verbose_name=_("templat lokakarya"),
    )
    jenis = models.CharField(
        _("dihitung sebagai"),
        max_length=25,
        choices=[(j.value, j.label) for j in JENIS_KELOMPOK],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jenis kegiatan templat lokakarya")
        verbose_name_plural = _("jenis kegiatan templat lokakarya")

    def __str__(self) -> str:
        return f"{self.templat} → {self.get_jenis_display()}"


# --- per-person iCal feed ----------------------------------------------------------


class TokenKalender(models.Model):
    """The secret of a person's iCal feed URL; regenerating it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="token_kalender",
        verbose_name=_("akun"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("token kalender")
        verbose_name_plural = _("token kalender")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%d-%m-%Y})"


# --- email reminders -------------------------------------------------------------------


class JenisPengingat(models.TextChoices):
    PI_BELUM_DIJADWALKAN = (
        "pi_belum_dijadwalkan",
        _("PI belum dijadwalkan seminggu sebelum lokakarya (Pengajar Praktik)"),
    )
    PMO_BELUM_DIPERBARUI = (
        "pmo_belum_diperbarui",
        _("PMO sekolah belum diperbarui bulan ini (kepala sekolah)"),
    )
    ESKALASI_BARU = "eskalasi_baru", _("Ringkasan harian eskalasi baru (koordinator)")


class PengingatTerkirim(models.Model):
    """One reason a reminder was sent for; the unique key makes sending idempotent.

    `kunci` names the reason, e.g. "pi-belum-dijadwalkan:<penugasan>:<n>",
    "pmo-belum-diperbarui:<sekolah>:<YYYY-MM>", "eskalasi:<tindak lanjut>:<stamp>".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pengingat_terkirim",
        verbose_name=_("penerima"),
    )
    jenis = models.CharField(_("jenis"), max_length=25, choices=JenisPengingat.choices)
    kunci = models.CharField(_("alasan"), max_length=200)
    sent_at = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "jenis", "kunci"], name="pengingat_sekali_per_alasan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.kunci}"


class PengingatNonaktif(models.Model):
    """A kind of reminder the user chose not to receive (opt-out)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pengingat_nonaktif",
        verbose_name=_("akun"),
    )
    jenis = models.CharField(_("jenis"), max_length=25, choices=JenisPengingat.choices)
    created_at = models.DateTimeField(_("sejak"), default=timezone.now)

    class Meta:
        verbose_name = _("pengingat dinonaktifkan")
        verbose_name_plural = _("pengingat dinonaktifkan")
        constraints = [
            models.UniqueConstraint(fields=["user", "jenis"], name="pengingat_nonaktif_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_jenis_display()}"
