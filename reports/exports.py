"""The coordinators' exports as jobs, streamed row by row.

A request stores the kind, the format and the filter (`reports.filters`), never
ids. When the job runs it rebuilds the queryset scoped to the requester —
through program.access, and for a coordinator narrowed to their own region
even where another role lets them read more — and writes it in chunks
(`iterator(chunk_size=…)`) to a temporary file: `csv.writer` for CSV,
openpyxl's write-only workbook for XLSX. Memory stays flat as rows grow except
for the final bytes handed to `JobResult`.

This module is autodiscovered (program.apps), which registers the job kind.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from komunitas.models import Tahap, TahapOptimalisasi
from lokakarya.models import Peserta
from pendampingan.models import RencanaTindakLanjut, SesiPI
from pendampingan.selectors import PI_NUMBERS, batas_lokakarya, keadaan_sesi
from pmo.models import TindakLanjut
from pmo.selectors import eskalasi_filter
from pmo.selectors_wilayah import oversees_region
from program import access
from program.jobs import Job, JobResult, ProgressFn, job_kind
from program.spreadsheet import escape_formula
from reports import resources
from reports.filters import FORMAT_CSV, FORMAT_XLSX, Saringan

EKSPOR_KIND = "reports.ekspor"

CHUNK_SIZE = 2000
# A progress update is one UPDATE of the job row; every few thousand rows is plenty.
PROGRESS_EVERY = 2000
# Up to this size the temporary file stays in memory, beyond it goes to disk.
SPOOL_MAX_BYTES = 4 * 1024 * 1024

FILTER_LABELS = {
    "tahun_ajaran": _("tahun ajaran"),
    "angkatan": _("angkatan"),
    "kabupaten": _("kabupaten/kota"),
    "jenjang": _("jenjang"),
}


@dataclass(frozen=True)
class JenisEkspor:
    kode: str
    judul: str
    lembar: str  # sheet title in the XLSX (at most 31 characters)
    keterangan: str
    resource: type[resources.EksporResource]
    # (user, filter, now) -> (number of rows, the rows as dicts)
    baris: Callable[..., tuple[int, Iterable[dict]]]
    # Which filter fields this export honours (shown on the page).
    saringan: tuple[str, ...]

    @property
    def saringan_labels(self) -> list[str]:
        return [str(FILTER_LABELS[name]) for name in self.saringan]


# --- scope ------------------------------------------------------------------------


def _wilayah(user, qs: QuerySet, saringan: Saringan, *, kabupaten: str, jenjang: str) -> QuerySet:
    """Narrow an access-scoped queryset to the requester's region and the filter.

    `kabupaten` and `jenjang` are the lookup paths to the row's kabupaten/kota
    and school jenjang. A kabupaten outside the region yields nothing.
    """
    if not oversees_region(user):
        return qs.none()
    if not access.is_operator(user):
        qs = qs.filter(**{f"{kabupaten}__in": access.kabupaten_visible_to(user).values("pk")})
    if saringan.kabupaten:
        qs = qs.filter(**{kabupaten: saringan.kabupaten})
    if saringan.jenjang:
        qs = qs.filter(**{jenjang: saringan.jenjang})
    return qs


# --- the rows of each kind ------------------------------------------------------------


def penugasan_sesi_pi(user, saringan: Saringan) -> QuerySet:
    """The PP→CGP pairs whose PI 1–6 are exported (one row per pair × PI)."""
    qs = _wilayah(
        user,
        access.penugasan_pp_visible_to(user),
        saringan,
        kabupaten="sekolah__kabupaten",
        jenjang="sekolah__jenjang",
    )
    if saringan.angkatan:
        qs = qs.filter(angkatan_id=saringan.angkatan)
    if saringan.rentang_tahun:
        qs = qs.filter(angkatan__tanggal_mulai__range=saringan.rentang_tahun)
    return qs


def baris_sesi_pi(user, saringan: Saringan, now: dt.datetime) -> tuple[int, Iterator[dict]]:
    penugasan = penugasan_sesi_pi(user, saringan)
    total = penugasan.count() * len(PI_NUMBERS)
    return total, _iter_sesi_pi(penugasan, timezone.localdate(now))


def _iter_sesi_pi(penugasan: QuerySet, today: dt.date) -> Iterator[dict]:
    jumlah_rtl = (
        RencanaTindakLanjut.objects.filter(sesi=OuterRef("pk"))
        .order_by()
        .values("sesi")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sesi = (
        SesiPI.objects.select_related("jurnal")
        .defer("templat", "komentar_cgp")
        .annotate(jumlah_rtl=Coalesce(Subquery(jumlah_rtl, output_field=IntegerField()), 0))
    )
    deadlines = batas_lokakarya(
        penugasan.order_by().values_list("angkatan_id", flat=True).distinct()
    )
    pairs = penugasan.prefetch_related(Prefetch("sesi_pi", queryset=sesi)).order_by(
        "sekolah__kabupaten__nama", "pp__nama", "cgp__nama", "pk"
    )
    # With chunk_size, prefetch_related runs once per chunk (two queries per chunk).
    for p in pairs.iterator(chunk_size=CHUNK_SIZE):
        by_number = {s.urutan: s for s in p.sesi_pi.all()}
        for n in PI_NUMBERS:
            s = by_number.get(n)
            jurnal = getattr(s, "jurnal", None) if s is not None else None
            yield {
                "angkatan": p.angkatan.nama,
                "nama_kabupaten": p.sekolah.kabupaten.nama,
                "npsn": p.sekolah.npsn,
                "nama_sekolah": p.sekolah.nama,
                "pp": p.pp.nama,
                "cgp": p.cgp.nama,
                "pi": n,
                "tanggal": s.tanggal if s is not None else None,
                "keadaan": keadaan_sesi(s, deadlines.get((p.angkatan_id, n)), today),
                "status_jurnal": jurnal.status if jurnal is not None else None,
                "diajukan_at": jurnal.diajukan_at if jurnal is not None else None,
                "jumlah_rtl": s.jumlah_rtl if s is not None else 0,
            }


def peserta_lokakarya(user, saringan: Saringan) -> QuerySet[Peserta]:
    qs = _wilayah(
        user,
        Peserta.objects.filter(lokakarya__in=access.lokakarya_visible_to(user).values("pk")),
        saringan,
        kabupaten="lokakarya__kabupaten",
        jenjang="sekolah__jenjang",
    )
    if saringan.angkatan:
        qs = qs.filter(lokakarya__angkatan_id=saringan.angkatan)
    if saringan.rentang_tahun:
        qs = qs.filter(lokakarya__tanggal_mulai__range=saringan.rentang_tahun)
    return qs.order_by(
        "-lokakarya__tanggal_mulai", "lokakarya__nama", "lokakarya_id", "orang__nama", "pk"
    )


def _kolom_peserta() -> dict:
    return {
        "nama_lokakarya": F("lokakarya__nama"),
        "tanggal": F("lokakarya__tanggal_mulai"),
        "nama_kabupaten": F("lokakarya__kabupaten__nama"),
        "nama": F("orang__nama"),
        # A pengawas has no school: their instansi as written on their profile.
        "instansi": Coalesce(F("sekolah__nama"), NullIf(F("orang__instansi"), Value(""))),
    }


def _values(qs: QuerySet, *names: str, **expressions) -> tuple[int, Iterator[dict]]:
    """(count, rows as dicts fetched CHUNK_SIZE at a time); counted before the
    columns are added, so the count query stays a plain one."""
    total = qs.count()
    return total, qs.values(*names, **expressions).iterator(chunk_size=CHUNK_SIZE)


def baris_kehadiran(user, saringan: Saringan, now: dt.datetime):
    return _values(peserta_lokakarya(user, saringan), "peran", "kehadiran", **_kolom_peserta())


def peserta_bernilai(user, saringan: Saringan) -> QuerySet[Peserta]:
    """Participants with a pre- or post-test score (workshops without a test add nothing)."""
    return peserta_lokakarya(user, saringan).filter(
        Q(nilai_pre__isnull=False) | Q(nilai_post__isnull=False)
    )


def baris_nilai(user, saringan: Saringan, now: dt.datetime):
    kenaikan = ExpressionWrapper(
        F("nilai_post") - F("nilai_pre"), output_field=DecimalField(max_digits=6, decimal_places=2)
    )
    return _values(
        peserta_bernilai(user, saringan),
        "peran",
        "nilai_pre",
        "nilai_post",
        kenaikan=kenaikan,
        **_kolom_peserta(),
    )


def tindak_lanjut_pmo(user, saringan: Saringan) -> QuerySet[TindakLanjut]:
    qs = _wilayah(
        user,
        access.tindak_lanjut_visible_to(user),
        saringan,
        kabupaten="instrumen__sekolah__kabupaten",
        jenjang="instrumen__sekolah__jenjang",
    )
    if saringan.tahun_ajaran:
        qs = qs.filter(instrumen__tahun_ajaran=saringan.tahun_ajaran)
    return qs.order_by(
        "instrumen__sekolah__kabupaten__nama",
        "instrumen__sekolah__nama",
        "-instrumen__tahun_ajaran",
        "mulai",
        "pk",
    )


def baris_pmo(user, saringan: Saringan, now: dt.datetime):
    escalated = eskalasi_filter(TindakLanjut.objects.filter(pk=OuterRef("pk")), now=now)
    return _values(
        tindak_lanjut_pmo(user, saringan),
        "aktivitas",
        "status",
        "diperbarui_at",
        tereskalasi=Exists(escalated),
        nama_kabupaten=F("instrumen__sekolah__kabupaten__nama"),
        npsn=F("instrumen__sekolah__npsn"),
        nama_sekolah=F("instrumen__sekolah__nama"),
        jenjang=F("instrumen__sekolah__jenjang"),
        tahun_ajaran=F("instrumen__tahun_ajaran"),
    )


def sekolah_komunitas(user, saringan: Saringan):
    qs = _wilayah(
        user,
        access.sekolah_komunitas_visible_to(user),
        saringan,
        kabupaten="kabupaten",
        jenjang="jenjang",
    )
    return qs.order_by("kabupaten__nama", "nama", "pk")


def baris_komunitas(user, saringan: Saringan, now: dt.datetime):
    stages = {}
    for tahap in Tahap:
        own = TahapOptimalisasi.objects.filter(sekolah=OuterRef("pk"), tahap=tahap.value)
        stages[f"tahap_{tahap.value}_status"] = Subquery(own.values("status")[:1])
        stages[f"tahap_{tahap.value}_tanggal"] = Subquery(own.values("tanggal_tercapai")[:1])
    return _values(
        sekolah_komunitas(user, saringan),
        "npsn",
        "jenjang",
        nama_sekolah=F("nama"),
        nama_kabupaten=F("kabupaten__nama"),
        **stages,
    )


JENIS: dict[str, JenisEkspor] = {
    j.kode: j
    for j in (
        JenisEkspor(
            kode="sesi_pi",
            judul=_("Sesi pendampingan individu (PI 1–6)"),
            lembar=_("Sesi PI"),
            keterangan=_(
                "Satu baris per CGP per PI: Pengajar Praktik, sekolah, kabupaten/kota, "
                "tanggal sesi, keadaan PI, status jurnal, waktu jurnal diajukan, jumlah RTL."
            ),
            resource=resources.SesiPIResource,
            baris=baris_sesi_pi,
            saringan=("tahun_ajaran", "angkatan", "kabupaten", "jenjang"),
        ),
        JenisEkspor(
            kode="kehadiran",
            judul=_("Kehadiran peserta lokakarya"),
            lembar=_("Kehadiran"),
            keterangan=_(
                "Satu baris per peserta per lokakarya: lokakarya, tanggal, nama, unsur, "
                "sekolah/instansi, kehadiran."
            ),
            resource=resources.KehadiranResource,
            baris=baris_kehadiran,
            saringan=("tahun_ajaran", "angkatan", "kabupaten", "jenjang"),
        ),
        JenisEkspor(
            kode="nilai",
            judul=_("Nilai pre-test dan post-test lokakarya"),
            lembar=_("Nilai"),
            keterangan=_(
                "Satu baris per peserta yang memiliki nilai: pre-test, post-test dan kenaikannya."
            ),
            resource=resources.NilaiLokakaryaResource,
            baris=baris_nilai,
            saringan=("tahun_ajaran", "angkatan", "kabupaten", "jenjang"),
        ),
        JenisEkspor(
            kode="pmo_tindak_lanjut",
            judul=_("Tindak lanjut PMO"),
            lembar=_("Tindak lanjut PMO"),
            keterangan=_(
                "Satu baris per tindak lanjut: sekolah, status saat ini, terakhir diperbarui, "
                "bulan sejak pembaruan terakhir, tereskalasi atau tidak."
            ),
            resource=resources.TindakLanjutPMOResource,
            baris=baris_pmo,
            saringan=("tahun_ajaran", "kabupaten", "jenjang"),
        ),
        JenisEkspor(
            kode="komunitas_tahap",
            judul=_("Tahap optimalisasi komunitas belajar"),
            lembar=_("Tahap komunitas"),
            keterangan=_(
                "Satu baris per sekolah: status tahap 1–5 dan tanggal tercapainya "
                "(keadaan terkini)."
            ),
            resource=resources.TahapKomunitasResource,
            baris=baris_komunitas,
            saringan=("kabupaten", "jenjang"),
        ),
    )
}


# --- writing ----------------------------------------------------------------------------


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")  # 85.50 → "85.5", 100.00 → "100"
    return escape_formula(str(value))


def tulis_csv(target, judul: list[str], rows: Iterable[list]) -> None:
    """UTF-8 with a BOM so that Excel reads the accents; comma-separated; ISO dates."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    writer.writerow([escape_formula(h) for h in judul])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    text.flush()
    text.detach()  # leave `target` open for the caller


def tulis_xlsx(
    target, judul: list[str], rows: Iterable[list], *, title: str, lebar: list[int]
) -> None:
    """openpyxl write-only: each row goes to a temporary file as it is appended."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    # Widths must be set before the first row is written.
    for index, width in enumerate(lebar, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)

    def header_cell(text: str) -> WriteOnlyCell:
        c = WriteOnlyCell(sheet, value=escape_formula(text))
        c.font = bold
        return c

    def xlsx_cell(value):
        if isinstance(value, dt.datetime):
            c = WriteOnlyCell(sheet, value=value.replace(microsecond=0))
            c.number_format = "DD/MM/YYYY HH:MM"
            return c
        if isinstance(value, dt.date):
            c = WriteOnlyCell(sheet, value=value)
            c.number_format = "DD/MM/YYYY"
            return c
        if isinstance(value, str):
            # Control characters are not allowed in XLSX; a formula is never written.
            return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
        return value

    sheet.append([header_cell(h) for h in judul])
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    workbook.save(target)


def ekspor_ke_berkas(
    jenis: JenisEkspor,
    *,
    user,
    saringan: Saringan,
    fmt: str,
    target,
    progress: ProgressFn | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Write the export into the binary file `target`; returns the number of rows."""
    now = now or timezone.now()
    resource = jenis.resource(now=now)
    total, rows = jenis.baris(user, saringan, now)
    if progress:
        progress(1)
    written = 0

    def cells() -> Iterator[list]:
        nonlocal written
        for row in rows:
            yield resource.baris(row)
            written += 1
            if progress and written % PROGRESS_EVERY == 0 and total:
                progress(1 + 94 * written // total)

    judul = resource.judul()
    if fmt == FORMAT_CSV:
        tulis_csv(target, judul, cells())
    else:
        tulis_xlsx(target, judul, cells(), title=str(jenis.lembar), lebar=resource.lebar())
    return written


def nama_berkas(jenis: JenisEkspor, fmt: str, now: dt.datetime) -> str:
    return f"ekspor-{jenis.kode.replace('_', '-')}-{timezone.localdate(now):%Y-%m-%d}.{fmt}"


@job_kind(EKSPOR_KIND, _("Ekspor data"))
def ekspor(job: Job, progress: ProgressFn) -> JobResult:
    jenis = JENIS[job.params["jenis"]]
    fmt = FORMAT_CSV if job.params.get("format") == FORMAT_CSV else FORMAT_XLSX
    saringan = Saringan.from_params(job.params.get("filter"))
    now = timezone.now()
    # Rows stream into a temporary file (on disk beyond SPOOL_MAX_BYTES), which
    # job_run hands to storage in chunks and then closes: memory stays flat.
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES, mode="w+b")  # noqa: SIM115
    try:
        ekspor_ke_berkas(
            jenis,
            user=job.requested_by,
            saringan=saringan,
            fmt=fmt,
            target=target,
            progress=progress,
            now=now,
        )
    except BaseException:
        target.close()
        raise
    target.seek(0)
    progress(99)
    return JobResult(filename=nama_berkas(jenis, fmt, now), file=target)
