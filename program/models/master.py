"""Master data: regions, schools, people, programmes, cohorts, assignments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .versioning import VersionedModel


class Jenjang(models.TextChoices):
    PAUD = "PAUD", "PAUD"
    SD = "SD", "SD"
    SMP = "SMP", "SMP"
    SMA = "SMA", "SMA"
    SMK = "SMK", "SMK"
    SLB = "SLB", "SLB"


class StatusSekolah(models.TextChoices):
    NEGERI = "negeri", _("Negeri")
    SWASTA = "swasta", _("Swasta")


class Peran(models.TextChoices):
    """Roles a person holds through assignments (a person may hold several)."""

    PENGAJAR_PRAKTIK = "pp", _("Pengajar Praktik")
    CGP = "cgp", _("Calon Guru Penggerak")
    # PSP: the Pelatih Ahli / FSP who accompanies schools and runs workshops.
    FASILITATOR = "fasilitator", _("Pelatih Ahli / Fasilitator PSP")
    # PGP: the facilitator of a CGP's online class in the LMS (KelasDaring);
    # another person, who reads the PP's jurnal komunikasi about that CGP.
    FASILITATOR_PGP = "fasilitator_pgp", _("Fasilitator PGP (kelas daring)")
    KEPALA_SEKOLAH = "kepala_sekolah", _("Kepala Sekolah")
    PENGAWAS = "pengawas", _("Pengawas Sekolah")
    GURU = "guru", _("Guru")
    PIC_KOMUNITAS = "pic_komunitas", _("PIC Komunitas Belajar")
    OPERATOR_SEKOLAH = "operator_sekolah", _("Operator Sekolah")
    KOORDINATOR = "koordinator", _("Koordinator")
    # Balai staff who keep their Balai's master data (imports limited to its
    # kabupaten/kota); they read the Balai's region as its coordinators do.
    OPERATOR_BALAI = "operator_balai", _("Operator Balai")
    OPERATOR = "operator", _("Operator Program")


PERAN_SEKOLAH = [
    Peran.FASILITATOR,
    Peran.KEPALA_SEKOLAH,
    Peran.PENGAWAS,
    Peran.GURU,
    Peran.PIC_KOMUNITAS,
    Peran.OPERATOR_SEKOLAH,
]


class JenisBalai(models.TextChoices):
    BGP = "bgp", _("Balai Guru Penggerak")
    BBGP = "bbgp", _("Balai Besar Guru Penggerak")


class Balai(models.Model):
    """A Balai Guru Penggerak (or Balai Besar): the ministry's unit that runs
    the programmes in its province(s). A coordinator assigned to a Balai
    oversees every kabupaten/kota of its provinces."""

    kode = models.SlugField(_("kode"), max_length=20, unique=True)
    nama = models.CharField(_("nama"), max_length=150)
    jenis = models.CharField(_("jenis"), max_length=4, choices=JenisBalai.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nama"]
        verbose_name = _("balai")
        verbose_name_plural = _("balai")

    def __str__(self) -> str:
        return self.nama


class Provinsi(models.Model):
    kode = models.CharField(_("kode"), max_length=8, unique=True)
    nama = models.CharField(_("nama"), max_length=100)
    balai = models.ForeignKey(
        Balai,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provinsi",
        verbose_name=_("balai"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["nama"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.nama


class KabupatenKota(models.Model):
    provinsi = models.ForeignKey(
        Provinsi, on_delete=models.PROTECT, related_name="kabupaten", verbose_name=_("provinsi")
    )
    kode = models.CharField(_("kode"), max_length=8, unique=True)
    nama = models.CharField(_("nama"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nama"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        indexes = [
            # Lists of schools are ordered by kabupaten/kota name, then school
            # name: with this index PostgreSQL walks the kabupaten in order and
            # sorts one kabupaten's schools at a time, where it sorted all 50k
            # schools for an operator's page of 100 (75.9 -> 0.7 ms, issue #9).
            models.Index(fields=["nama"], name="program_kabupaten_nama"),
        ]

    def __str__(self) -> str:
        return self.nama


npsn_validator = RegexValidator(r"^[0-9A-Z]{8}$", _("NPSN terdiri dari 8 angka/huruf."))


class Sekolah(models.Model):
    npsn = models.CharField(_("NPSN"), max_length=8, unique=True, validators=[npsn_validator])
    nama = models.CharField(_("nama sekolah"), max_length=200)
    jenjang = models.CharField(_("jenjang"), max_length=4, choices=Jenjang.choices)
    status = models.CharField(_("status"), max_length=6, choices=StatusSekolah.choices)
    kabupaten = models.ForeignKey(
        KabupatenKota,
        on_delete=models.PROTECT,
        related_name="sekolah",
        verbose_name=_("kabupaten/kota"),
    )
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nama"]
        verbose_name = _("sekolah")
        verbose_name_plural = _("sekolah")

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("program:sekolah-detail", args=[self.pk])


class Orang(VersionedModel):
    """A person in the programme, usually linked to a login.

    `nama` is kept exactly as written, academic titles included
    ("Khosiah, S.Pd., M.Si").
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orang",
        verbose_name=_("akun"),
    )
    nama = models.CharField(_("nama lengkap dengan gelar"), max_length=200)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{18}$", _("NIP terdiri dari 18 angka."))],
    )
    nuptk = models.CharField(
        _("NUPTK"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{16}$", _("NUPTK terdiri dari 16 angka."))],
    )
    instansi = models.CharField(_("instansi"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    telepon = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nama"]
        verbose_name = _("orang")
        verbose_name_plural = _("orang")

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("program:orang-detail", args=[self.pk])


class Program(models.Model):
    kode = models.CharField(_("kode"), max_length=8, unique=True)
    nama = models.CharField(_("nama"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kode"]
        verbose_name = _("program")
        verbose_name_plural = _("program")

    def __str__(self) -> str:
        return self.nama


# The most PI sessions a programme version may plan (PGP has had 6 and 7).
MAKS_PI = 12


class VersiProgram(models.Model):
    """A version of a programme, as cohorts follow it: how many PI sessions
    there are, their templates (pendampingan.TemplatPI) and the workshop
    templates (lokakarya.TemplatLokakarya) belong to it, and its calendar
    (KalenderVersi: the week of each workshop after the cohort starts).

    Six-month PGP cohorts have PI 1–6, the earlier nine-month ones had 7.
    """

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="versi", verbose_name=_("program")
    )
    nama = models.CharField(_("nama versi"), max_length=100)
    jumlah_pi = models.PositiveSmallIntegerField(
        _("jumlah PI"),
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(MAKS_PI)],
        help_text=_("Banyaknya sesi pendampingan individu (PI) tiap CGP."),
    )
    keterangan = models.TextField(_("keterangan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "nama"]
        verbose_name = _("versi program")
        verbose_name_plural = _("versi program")
        constraints = [
            models.UniqueConstraint(fields=["program", "nama"], name="versi_program_unik"),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def pi_numbers(self) -> range:
        return range(1, self.jumlah_pi + 1)


class KalenderVersi(models.Model):
    """Lokakarya `ke` of a programme version falls in week `minggu_ke` after
    the cohort starts (0 = Lokakarya Orientasi). A cohort's own dates
    (JadwalLokakarya) are filled from it and may then be moved."""

    versi = models.ForeignKey(
        VersiProgram, on_delete=models.CASCADE, related_name="kalender", verbose_name=_("versi")
    )
    ke = models.PositiveSmallIntegerField(_("lokakarya ke-"))
    minggu_ke = models.PositiveSmallIntegerField(
        _("minggu ke-"), help_text=_("Dihitung dari tanggal mulai angkatan (minggu pertama = 1).")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["versi", "ke"]
        verbose_name = _("kalender versi")
        verbose_name_plural = _("kalender versi")
        constraints = [
            models.UniqueConstraint(fields=["versi", "ke"], name="kalender_versi_unik"),
        ]

    def __str__(self) -> str:
        label = _("Lokakarya Orientasi") if self.ke == 0 else _("Lokakarya %(n)s") % {"n": self.ke}
        return f"{self.versi} — {label}: {_('minggu ke-')}{self.minggu_ke}"


class Angkatan(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="angkatan", verbose_name=_("program")
    )
    versi = models.ForeignKey(
        VersiProgram,
        on_delete=models.PROTECT,
        related_name="angkatan",
        verbose_name=_("versi program"),
        help_text=_("Menentukan jumlah PI, templatnya dan kalender lokakarya angkatan ini."),
    )
    nomor = models.PositiveSmallIntegerField(_("nomor angkatan"))
    nama = models.CharField(_("nama"), max_length=100)
    tanggal_mulai = models.DateField(_("tanggal mulai"))
    tanggal_selesai = models.DateField(_("tanggal selesai"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "-nomor"]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        constraints = [
            models.UniqueConstraint(fields=["program", "nomor"], name="angkatan_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.program.kode} {self.nama}"

    def save(self, *args, **kwargs):
        # A cohort created without a version follows its programme's first.
        if self.versi_id is None and self.program_id is not None:
            self.versi = (
                VersiProgram.objects.filter(program_id=self.program_id).order_by("pk").first()
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.versi_id and self.program_id and self.versi.program_id != self.program_id:
            raise ValidationError({"versi": _("Versi ini milik program lain.")})
        if (
            self.tanggal_mulai
            and self.tanggal_selesai
            and self.tanggal_selesai < self.tanggal_mulai
        ):
            raise ValidationError(
                {"tanggal_selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")}
            )


class KelasDaring(models.Model):
    """A cohort's online class in the LMS and its facilitator (Fasilitator PGP).

    Each CGP of the cohort belongs to one class (PenugasanPP.kelas); the
    class's facilitator reads the PP's jurnal komunikasi about them.
    """

    angkatan = models.ForeignKey(
        Angkatan, on_delete=models.PROTECT, related_name="kelas_daring", verbose_name=_("angkatan")
    )
    nama = models.CharField(_("nama kelas"), max_length=100)
    fasilitator = models.ForeignKey(
        Orang,
        on_delete=models.PROTECT,
        related_name="kelas_daring",
        verbose_name=_("Fasilitator PGP"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["angkatan", "nama"]
        verbose_name = _("kelas daring")
        verbose_name_plural = _("kelas daring")
        constraints = [
            models.UniqueConstraint(fields=["angkatan", "nama"], name="kelas_daring_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.angkatan})"


class PenugasanPP(models.Model):
    """A Pengajar Praktik mentors a CGP within a cohort."""

    angkatan = models.ForeignKey(
        Angkatan, on_delete=models.PROTECT, related_name="penugasan_pp", verbose_name=_("angkatan")
    )
    pp = models.ForeignKey(
        Orang,
        on_delete=models.PROTECT,
        related_name="cgp_dampingan",
        verbose_name=_("Pengajar Praktik"),
    )
    cgp = models.ForeignKey(
        Orang,
        on_delete=models.PROTECT,
        related_name="pp_pendamping",
        verbose_name=_("CGP"),
    )
    sekolah = models.ForeignKey(
        Sekolah,
        on_delete=models.PROTECT,
        related_name="cgp",
        verbose_name=_("sekolah CGP"),
    )
    kelas = models.ForeignKey(
        KelasDaring,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="penugasan",
        verbose_name=_("kelas daring"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cgp__nama"]
        verbose_name = _("penugasan Pengajar Praktik")
        verbose_name_plural = _("penugasan Pengajar Praktik")
        constraints = [
            models.UniqueConstraint(
                fields=["angkatan", "cgp"], name="satu_pp_per_cgp_per_angkatan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pp} → {self.cgp}"

    def get_absolute_url(self) -> str:
        return reverse("program:cgp-detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kelas_id and self.angkatan_id and self.kelas.angkatan_id != self.angkatan_id:
            raise ValidationError(
                {"kelas": _("Kelas daring ini milik angkatan lain daripada penugasan CGP ini.")}
            )


class PenugasanSekolah(models.Model):
    """A person's role at a school: fasilitator, kepala sekolah, guru, …"""

    orang = models.ForeignKey(
        Orang, on_delete=models.CASCADE, related_name="penugasan_sekolah", verbose_name=_("orang")
    )
    sekolah = models.ForeignKey(
        Sekolah, on_delete=models.CASCADE, related_name="penugasan", verbose_name=_("sekolah")
    )
    peran = models.CharField(
        _("peran"), max_length=20, choices=[(p.value, p.label) for p in PERAN_SEKOLAH]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["sekolah__nama", "peran"]
        verbose_name = _("penugasan sekolah")
        verbose_name_plural = _("penugasan sekolah")
        constraints = [
            models.UniqueConstraint(
                fields=["orang", "sekolah", "peran"], name="penugasan_sekolah_unik"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.orang} — {self.get_peran_display()} — {self.sekolah}"


class PeranWilayah(models.TextChoices):
    KOORDINATOR = "koordinator", _("Koordinator")
    OPERATOR = "operator", _("Operator Balai")


class PenugasanWilayah(models.Model):
    """A coordinator oversees a kabupaten/kota, or a Balai: every kabupaten/kota
    of the Balai's provinces (exactly one of the two). An operator of a Balai
    reads the same region and keeps its master data (imports of its schools,
    people and assignments)."""

    orang = models.ForeignKey(
        Orang, on_delete=models.CASCADE, related_name="penugasan_wilayah", verbose_name=_("orang")
    )
    kabupaten = models.ForeignKey(
        KabupatenKota,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="koordinator",
        verbose_name=_("kabupaten/kota"),
    )
    balai = models.ForeignKey(
        Balai,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="koordinator",
        verbose_name=_("balai"),
    )
    peran = models.CharField(
        _("sebagai"),
        max_length=12,
        choices=PeranWilayah.choices,
        default=PeranWilayah.KOORDINATOR,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penugasan wilayah")
        verbose_name_plural = _("penugasan wilayah")
        constraints = [
            models.UniqueConstraint(fields=["orang", "kabupaten"], name="penugasan_wilayah_unik"),
            models.UniqueConstraint(fields=["orang", "balai"], name="penugasan_balai_unik"),
            models.CheckConstraint(
                condition=models.Q(kabupaten__isnull=False, balai__isnull=True)
                | models.Q(kabupaten__isnull=True, balai__isnull=False),
                name="penugasan_wilayah_satu_cakupan",
            ),
            models.CheckConstraint(
                condition=~models.Q(peran="operator") | models.Q(balai__isnull=False),
                name="penugasan_wilayah_operator_balai",
            ),
        ]

    def __str__(self) -> str:
        wilayah = self.kabupaten or self.balai
        if self.peran == PeranWilayah.OPERATOR:
            return f"{self.orang} — {_('operator')} {wilayah}"
        return f"{self.orang} — {wilayah}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if bool(self.kabupaten_id) == bool(self.balai_id):
            raise ValidationError(_("Isi kabupaten/kota atau balai, salah satu saja."))
        if self.peran == PeranWilayah.OPERATOR and not self.balai_id:
            raise ValidationError(_("Operator ditugaskan ke balai, bukan ke kabupaten/kota."))


class JadwalLokakarya(models.Model):
    """The date of lokakarya N of a cohort (0 = Lokakarya Orientasi).

    PI N happens in the week before lokakarya N, so this date is also the
    deadline after which an unfinished PI N counts as late.
    """

    angkatan = models.ForeignKey(
        Angkatan,
        on_delete=models.CASCADE,
        related_name="jadwal_lokakarya",
        verbose_name=_("angkatan"),
    )
    ke = models.PositiveSmallIntegerField(_("lokakarya ke-"))
    tanggal = models.DateField(_("tanggal"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["angkatan", "ke"]
        verbose_name = _("jadwal lokakarya angkatan")
        verbose_name_plural = _("jadwal lokakarya angkatan")
        constraints = [
            models.UniqueConstraint(fields=["angkatan", "ke"], name="jadwal_lokakarya_unik"),
        ]

    def __str__(self) -> str:
        label = _("Lokakarya Orientasi") if self.ke == 0 else _("Lokakarya %(n)s") % {"n": self.ke}
        return f"{self.angkatan} — {label}: {self.tanggal:%d-%m-%Y}"
