"""The coordinators' exports as jobs, streamed row by row.

A request stores the kind, the format and the filter (`reports.filters`), never
ids. When the job runs it rebuilds the queryset scoped to the requester —
through reports.access, and for a coordinator narrowed to their own region
even where another role lets them read more — and writes it in chunks
(`iterator(chunk_size=…)`) to a temporary file: `csv.writer` for CSV,
the sheet's XML streamed into the zip for XLSX. Memory stays flat as rows grow except
for the final bytes handed to `JobResult`.

This module is autodiscovered (program.apps), which registers the job kind.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import functools
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from komunitas.models import Tahap, TahapOptimalisasi
from lokakarya.models import Peserta
from pendampingan.models import JurnalPendampingan, RencanaTindakLanjut, SesiPI
from pendampingan.selectors import batas_lokakarya, keadaan_sesi
from pmo.models import TindakLanjut
from pmo.selectors import eskalasi_filter
from pmo.selectors.wilayah import oversees_region
from program.jobs import Job, JobResult, ProgressFn, job_kind
from program.spreadsheet import escape_formula
from reports import access, resources
from reports.filters import FORMAT_CSV, FORMAT_XLSX, Saringan
from reports.selectors import orang as saringan_orang

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
    "orang": _("PP atau fasilitator"),
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
    """The PP→CGP pairs whose PI are exported (one row per pair × PI of its cohort's version)."""
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
    if saringan.orang:
        qs = qs.filter(saringan_orang.q_penugasan_orang(saringan.orang))
    return qs


def baris_sesi_pi(user, saringan: Saringan, now: dt.datetime) -> tuple[int, Iterator[dict]]:
    penugasan = penugasan_sesi_pi(user, saringan)
    total = penugasan.aggregate(n=Coalesce(Sum("angkatan__versi__jumlah_pi"), 0))["n"]
    return total, _iter_sesi_pi(penugasan, timezone.localdate(now))


class _IsiBelumDimuat(Exception):
    """`keadaan_sesi` asked whether a journal has text, which was not loaded yet."""


@dataclass
class _Jurnal:
    """What `keadaan_sesi` reads of a journal, without its (long) text."""

    pk: int
    status: str
    isi: bool | None = None  # has_content, once loaded

    @property
    def has_content(self) -> bool:
        if self.isi is None:
            raise _IsiBelumDimuat
        return self.isi


@dataclass
class _Sesi:
    tanggal: dt.date | None
    jurnal: _Jurnal | None


# Journals whose text is read to tell "draf" from "terjadwal", per query.
ISI_BATCH = 500


def _iter_sesi_pi(penugasan: QuerySet, today: dt.date) -> Iterator[dict]:
    """Rows of CGP × PI, CHUNK_SIZE pairs at a time, as plain values.

    Only the columns printed are fetched: a journal's text (several KB each,
    600k at national scale) is read only for the few journals whose state
    depends on it, a batch at a time, so that time and memory stay flat.
    """
    deadlines = batas_lokakarya(
        penugasan.order_by().values_list("angkatan_id", flat=True).distinct()
    )
    pairs = penugasan.order_by("sekolah__kabupaten__nama", "pp__nama", "cgp__nama", "pk").values(
        "pk",
        "angkatan_id",
        jumlah_pi=F("angkatan__versi__jumlah_pi"),
        angkatan_nama=F("angkatan__nama"),
        nama_kabupaten=F("sekolah__kabupaten__nama"),
        npsn=F("sekolah__npsn"),
        nama_sekolah=F("sekolah__nama"),
        nama_pp=F("pp__nama"),
        nama_cgp=F("cgp__nama"),
    )
    chunk: list[dict] = []
    for pair in pairs.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(pair)
        if len(chunk) == CHUNK_SIZE:
            yield from _baris_sesi_pi(chunk, deadlines, today)
            chunk = []
    if chunk:
        yield from _baris_sesi_pi(chunk, deadlines, today)


def _baris_sesi_pi(pairs: list[dict], deadlines: dict, today: dt.date) -> list[dict]:
    jumlah_rtl = (
        RencanaTindakLanjut.objects.filter(sesi=OuterRef("pk"))
        .order_by()
        .values("sesi")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sesi = {
        (s["penugasan_id"], s["urutan"]): s
        for s in SesiPI.objects.filter(penugasan_id__in=[p["pk"] for p in pairs])
        .order_by()
        .values(
            "penugasan_id",
            "urutan",
            "tanggal",
            jurnal_pk=F("jurnal__pk"),
            status_jurnal=F("jurnal__status"),
            diajukan_at=F("jurnal__diajukan_at"),
            jumlah_rtl=Coalesce(Subquery(jumlah_rtl, output_field=IntegerField()), 0),
        )
    }
    rows: list[dict] = []
    waiting: list[tuple[dict, _Sesi, dt.date | None]] = []
    for p in pairs:
        for n in range(1, p["jumlah_pi"] + 1):
            s = sesi.get((p["pk"], n))
            jurnal = None
            if s is not None and s["jurnal_pk"] is not None:
                jurnal = _Jurnal(pk=s["jurnal_pk"], status=s["status_jurnal"])
            cell = _Sesi(tanggal=s["tanggal"], jurnal=jurnal) if s is not None else None
            batas = deadlines.get((p["angkatan_id"], n))
            row = {
                "angkatan": p["angkatan_nama"],
                "nama_kabupaten": p["nama_kabupaten"],
                "npsn": p["npsn"],
                "nama_sekolah": p["nama_sekolah"],
                "pp": p["nama_pp"],
                "cgp": p["nama_cgp"],
                "pi": n,
                "tanggal": s["tanggal"] if s is not None else None,
                "keadaan": None,
                "status_jurnal": s["status_jurnal"] if s is not None else None,
                "diajukan_at": s["diajukan_at"] if s is not None else None,
                "jumlah_rtl": s["jumlah_rtl"] if s is not None else 0,
            }
            try:
                row["keadaan"] = keadaan_sesi(cell, batas, today)
            except _IsiBelumDimuat:
                waiting.append((row, cell, batas))
            rows.append(row)
    # The one definition of "has text" is the model's: load those journals' text.
    pks = [cell.jurnal.pk for _, cell, _ in waiting]
    isi: dict[int, bool] = {}
    for start in range(0, len(pks), ISI_BATCH):
        batch = JurnalPendampingan.objects.filter(pk__in=pks[start : start + ISI_BATCH]).only(
            "jawaban", "sudah_baik", "perlu_ditingkatkan", "catatan"
        )
        isi.update((j.pk, j.has_content) for j in batch)
    for row, cell, batas in waiting:
        cell.jurnal.isi = isi.get(cell.jurnal.pk, False)
        row["keadaan"] = keadaan_sesi(cell, batas, today)
    return rows


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
    if saringan.orang:
        qs = qs.filter(saringan_orang.q_lokakarya_orang(saringan.orang, prefix="lokakarya__"))
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
    if saringan.orang:
        qs = qs.filter(saringan_orang.q_sekolah_orang(saringan.orang, path="instrumen__sekolah"))
    return qs.order_by(
        "instrumen__sekolah__kabupaten__nama",
        "instrumen__sekolah__nama",
        "-instrumen__tahun_ajaran",
        "-instrumen__siklus",
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
        siklus=F("instrumen__siklus"),
    )


def sekolah_komunitas(user, saringan: Saringan):
    qs = _wilayah(
        user,
        access.sekolah_komunitas_visible_to(user),
        saringan,
        kabupaten="kabupaten",
        jenjang="jenjang",
    )
    if saringan.orang:
        qs = qs.filter(saringan_orang.q_sekolah_orang(saringan.orang))
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
            saringan=("tahun_ajaran", "angkatan", "kabupaten", "orang", "jenjang"),
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
            saringan=("tahun_ajaran", "angkatan", "kabupaten", "orang", "jenjang"),
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
            saringan=("tahun_ajaran", "angkatan", "kabupaten", "orang", "jenjang"),
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
            saringan=("tahun_ajaran", "kabupaten", "orang", "jenjang"),
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
            saringan=("kabupaten", "orang", "jenjang"),
        ),
    )
}


# --- writing ----------------------------------------------------------------------------


def baris_cepat(resource: resources.EksporResource) -> Callable[[dict], list]:
    """`resource.baris(row)`, with django-import-export's per-row work done once.

    `export_resource` looks up the export fields, their names and dehydrate
    methods and walks each attribute path again for every row: at 600k rows
    that was half the export's time. Here each column becomes one call, and a
    choice column (a handful of values, each a translated label) renders every
    value once. Same values as `resource.baris`.
    """
    columns: list[Callable[[dict], object]] = []
    for field in resource.get_export_fields():
        method = field.get_dehydrate_method(resource.get_field_name(field))
        method = method if callable(method) else getattr(resource, method, None)
        if method is not None:
            columns.append(method)
        elif field.attribute and "__" not in field.attribute:
            columns.append(_kolom(field.attribute, field.widget))
        else:
            columns.append(functools.partial(field.export, force_native_type=True))
    return lambda row: [column(row) for column in columns]


def _kolom(attribute: str, widget) -> Callable[[dict], object]:
    render = functools.partial(widget.render, force_native_type=True)
    if not isinstance(widget, resources.PilihanWidget | resources.YaTidakWidget):
        return lambda row: render(row.get(attribute))
    labels: dict = {}

    def label(row: dict):
        value = row.get(attribute)
        if value not in labels:
            labels[value] = render(value)
        return labels[value]

    return label


def _csv_text(value) -> str:
    if isinstance(value, str):  # most cells: checked first
        return escape_formula(value)
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


# The parts of a one-sheet workbook around the sheet itself. Styles: 0 plain,
# 1 bold (header), 2 date, 3 date and time.
_CT = "application/vnd.openxmlformats-"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_XLSX_CONTENT_TYPES = (
    f"{_XML}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_CT}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    f'ContentType="{_CT}officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_CT}officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    f'ContentType="{_CT}officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_XLSX_RELS = (
    f"{_XML}"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_XLSX_WORKBOOK_RELS = (
    f"{_XML}"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}styles" Target="styles.xml"/>'
    "</Relationships>"
)
_XLSX_WORKBOOK = (
    f"{_XML}"
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_XLSX_STYLES = (
    f"{_XML}"
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/>'
    '<numFmt numFmtId="165" formatCode="DD/MM/YYYY HH:MM"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_XLSX_SHEET_START = (
    f"{_XML}"
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    "<cols>{cols}</cols><sheetData>"
)
_XLSX_EPOCH = dt.date(1899, 12, 30)
XLSX_FLUSH_ROWS = 1000


def _xlsx_text(ref: str, text: str, style: int = 0) -> str:
    # Control characters are not allowed in XLSX; a formula is never written.
    text = xml_escape(escape_formula(ILLEGAL_CHARACTERS_RE.sub("", text)))
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _xlsx_cell(ref: str, value) -> str:
    if value is None or value == "":  # an empty cell, as openpyxl leaves it
        return ""
    if isinstance(value, str):
        return _xlsx_text(ref, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        # Days since Excel's epoch, to the second (the widget made the time local).
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        days = (value.date() - _XLSX_EPOCH).days + seconds / 86400
        return f'<c r="{ref}" s="3"><v>{days!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="2"><v>{(value - _XLSX_EPOCH).days}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return _xlsx_text(ref, str(value))


def tulis_xlsx(
    target, judul: list[str], rows: Iterable[list], *, title: str, lebar: list[int]
) -> None:
    """A one-sheet XLSX written as a stream: bold header row, frozen below it.

    openpyxl (even write-only, with lxml) spent most of a 600k-row export
    building a cell object per value; writing the sheet's XML directly takes a
    fraction of that, and memory stays flat (rows go to the zip as they come).
    The result reads back in Excel, LibreOffice and openpyxl alike.
    """
    letters = [get_column_letter(i) for i in range(1, max(len(judul), len(lebar)) + 1)]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(lebar, start=1)
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _XLSX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", _XLSX_RELS)
        archive.writestr(
            "xl/workbook.xml", _XLSX_WORKBOOK.format(title=xml_escape(title[:31], {'"': "&quot;"}))
        )
        archive.writestr("xl/_rels/workbook.xml.rels", _XLSX_WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _XLSX_STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            header = "".join(
                _xlsx_text(f"{c}1", str(h), 1) for c, h in zip(letters, judul, strict=False)
            )
            parts = [_XLSX_SHEET_START.format(cols=cols), f'<row r="1">{header}</row>']
            for number, row in enumerate(rows, start=2):
                cells = "".join(
                    _xlsx_cell(f"{c}{number}", v) for c, v in zip(letters, row, strict=False)
                )
                parts.append(f'<row r="{number}">{cells}</row>')
                if len(parts) >= XLSX_FLUSH_ROWS:
                    sheet.write("".join(parts).encode())
                    parts = []
            parts.append("</sheetData></worksheet>")
            sheet.write("".join(parts).encode())


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
    baris = baris_cepat(resource)
    total, rows = jenis.baris(user, saringan, now)
    if progress:
        progress(1)
    written = 0

    def cells() -> Iterator[list]:
        nonlocal written
        for row in rows:
            yield baris(row)
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
