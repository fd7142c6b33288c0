"""The dashboard's tables: the numbers under each chart, for the page, the PDF
and the CSV/XLSX downloads.

A table is plain values (str, int, Decimal, date) with Indonesian headers;
the page formats them the Indonesian way, the spreadsheets keep numbers as
numbers and dates as dates. Text that a spreadsheet would run as a formula
(starting with =, +, -, @) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lokakarya.services.nilai import angka, angka_bertanda
from program.spreadsheet import escape_formula
from reports.selectors import dashboard as sd

TEKS = "teks"
BILANGAN = "bilangan"
DESIMAL = "desimal"
SELISIH = "selisih"  # a signed decimal (gain)
PERSEN = "persen"
TANGGAL = "tanggal"


@dataclass(frozen=True)
class Kolom:
    judul: str
    jenis: str = TEKS

    @property
    def angka(self) -> bool:
        return self.jenis != TEKS and self.jenis != TANGGAL


@dataclass(frozen=True)
class Sel:
    teks: str
    angka: bool


@dataclass
class Tabel:
    nama: str
    judul: str
    kolom: list[Kolom]
    baris: list[list]
    total: list | None = None
    catatan: str = ""

    @property
    def semua_baris(self) -> list[list]:
        return [*self.baris, self.total] if self.total is not None else list(self.baris)

    def _tampil(self, row: list) -> list[Sel]:
        return [Sel(tampil(v, k.jenis), k.angka) for v, k in zip(row, self.kolom, strict=True)]

    @property
    def baris_tampil(self) -> list[list[Sel]]:
        return [self._tampil(row) for row in self.baris]

    @property
    def total_tampil(self) -> list[Sel] | None:
        return self._tampil(self.total) if self.total is not None else None


def tampil(value, jenis: str) -> str:
    """A value as the page and the PDF show it (Indonesian notation)."""
    if value is None or value == "":
        return "—"
    if jenis == TANGGAL and isinstance(value, dt.date):
        return date_format(value, "j M Y")
    if jenis == DESIMAL:
        return angka(value)
    if jenis == SELISIH:
        return angka_bertanda(value)
    if jenis == PERSEN:
        return f"{angka(value, 1)}%"
    return str(value)


# --- the tables -----------------------------------------------------------------------

PI_PP = "pi-pp"
PI_KABUPATEN = "pi-kabupaten"
LOKAKARYA = "lokakarya"
PMO_LANGKAH = "pmo-langkah"
PMO_STATUS = "pmo-status"
PMO_ESKALASI = "pmo-eskalasi"
KOMUNITAS = "komunitas"


def _kolom_pi(pertama: str) -> list[Kolom]:
    return [
        Kolom(pertama),
        Kolom(_("Jumlah CGP"), BILANGAN),
        Kolom(_("Jumlah PI (6 × CGP)"), BILANGAN),
        Kolom(_("Selesai"), BILANGAN),
        Kolom(_("Terlambat"), BILANGAN),
        Kolom(_("Berjalan"), BILANGAN),
        Kolom(_("Belum dimulai"), BILANGAN),
        Kolom(_("Selesai (%)"), PERSEN),
        Kolom(_("Jurnal menunggu diajukan"), BILANGAN),
    ]


def _baris_pi(r: sd.BarisPI) -> list:
    return [
        r.nama,
        r.cgp,
        r.jumlah_pi,
        r.selesai,
        r.terlambat,
        r.berjalan,
        r.belum,
        r.persen_selesai,
        r.jurnal_menunggu,
    ]


def tabel_pi_pp(data: sd.RingkasanPI) -> Tabel:
    return Tabel(
        nama=PI_PP,
        judul=_("Penyelesaian PI 1–6 per Pengajar Praktik"),
        kolom=_kolom_pi(_("Pengajar Praktik")),
        baris=[_baris_pi(r) for r in data.per_pp],
        total=_baris_pi(data.total) if data.per_pp else None,
    )


def tabel_pi_kabupaten(data: sd.RingkasanPI) -> Tabel:
    return Tabel(
        nama=PI_KABUPATEN,
        judul=_("Penyelesaian PI 1–6 per kabupaten/kota"),
        kolom=_kolom_pi(_("Kabupaten/kota")),
        baris=[_baris_pi(r) for r in data.per_kabupaten],
        total=_baris_pi(data.total) if len(data.per_kabupaten) > 1 else None,
    )


def _baris_lokakarya(r: sd.BarisLokakarya) -> list:
    return [
        r.nama,
        r.tanggal,
        r.kabupaten,
        r.peserta,
        r.dicatat,
        r.hadir,
        r.tingkat_kehadiran,
        r.pasangan,
        r.rata_pre,
        r.rata_post,
        r.rata_kenaikan,
    ]


def tabel_lokakarya(data: sd.RingkasanLokakarya) -> Tabel:
    return Tabel(
        nama=LOKAKARYA,
        judul=_("Kehadiran dan nilai lokakarya"),
        kolom=[
            Kolom(_("Lokakarya")),
            Kolom(_("Tanggal"), TANGGAL),
            Kolom(_("Kabupaten/kota")),
            Kolom(_("Peserta"), BILANGAN),
            Kolom(_("Kehadiran dicatat"), BILANGAN),
            Kolom(_("Hadir (termasuk terlambat)"), BILANGAN),
            Kolom(_("Tingkat kehadiran (%)"), PERSEN),
            Kolom(_("Peserta dengan nilai pre dan post"), BILANGAN),
            Kolom(_("Rata-rata pre-test"), DESIMAL),
            Kolom(_("Rata-rata post-test"), DESIMAL),
            Kolom(_("Rata-rata kenaikan"), SELISIH),
        ],
        baris=[_baris_lokakarya(r) for r in data.per_lokakarya],
        total=_baris_lokakarya(data.total) if data.per_lokakarya else None,
        catatan=_(
            "Tingkat kehadiran: peserta hadir (termasuk terlambat) dibagi peserta yang "
            "kehadirannya sudah dicatat. Rata-rata nilai dan kenaikan dihitung dari peserta "
            "yang memiliki nilai pre-test dan post-test."
        ),
    )


def tabel_pmo_langkah(data: sd.RingkasanPMO) -> Tabel:
    return Tabel(
        nama=PMO_LANGKAH,
        judul=_("Sekolah menurut langkah PMO yang dicapai"),
        kolom=[
            Kolom(_("Langkah"), BILANGAN),
            Kolom(_("Nama langkah")),
            Kolom(_("Jumlah sekolah"), BILANGAN),
            Kolom(_("Persentase (%)"), PERSEN),
        ],
        baris=[
            [n, nama, jumlah, sd.persen(jumlah, data.jumlah_sekolah)]
            for n, nama, jumlah in data.langkah
        ],
        total=["", _("Jumlah"), data.jumlah_sekolah, None],
    )


def tabel_pmo_status(data: sd.RingkasanPMO) -> Tabel:
    total = data.jumlah_tindak_lanjut
    return Tabel(
        nama=PMO_STATUS,
        judul=_("Tindak lanjut PMO menurut status"),
        kolom=[
            Kolom(_("Status")),
            Kolom(_("Jumlah tindak lanjut"), BILANGAN),
            Kolom(_("Persentase (%)"), PERSEN),
        ],
        baris=[[label, n, sd.persen(n, total)] for _status, label, n in data.status],
        total=[_("Jumlah"), total, None],
    )


def tabel_pmo_eskalasi(data: sd.RingkasanPMO) -> Tabel:
    return Tabel(
        nama=PMO_ESKALASI,
        judul=_("Tindak lanjut tereskalasi per kabupaten/kota"),
        kolom=[Kolom(_("Kabupaten/kota")), Kolom(_("Tindak lanjut tereskalasi"), BILANGAN)],
        baris=[[nama, n] for nama, n in data.eskalasi],
        total=[_("Jumlah"), data.jumlah_eskalasi],
        catatan=_(
            "Eskalasi: tindak lanjut yang terkendala, atau belum selesai dan lama tidak "
            "diperbarui, yang belum ditangani koordinator (semua tahun ajaran)."
        ),
    )


def tabel_komunitas(data: sd.RingkasanKomunitas) -> Tabel:
    return Tabel(
        nama=KOMUNITAS,
        judul=_("Sekolah menurut tahap optimalisasi komunitas belajar"),
        kolom=[
            Kolom(_("Tahap"), BILANGAN),
            Kolom(_("Nama tahap")),
            Kolom(_("Sekolah tercapai"), BILANGAN),
            Kolom(_("Sekolah berjalan"), BILANGAN),
            Kolom(_("Sekolah belum"), BILANGAN),
            Kolom(_("Tercapai (%)"), PERSEN),
        ],
        baris=[
            [
                tahap,
                nama,
                tercapai,
                berjalan,
                data.belum(tercapai, berjalan),
                sd.persen(tercapai, data.jumlah_sekolah),
            ]
            for tahap, nama, tercapai, berjalan in data.tahap
        ],
        catatan=_("Keadaan terkini dari %(n)s sekolah.") % {"n": data.jumlah_sekolah},
    )


# name → (section of DataDasbor it is built from, builder)
TABEL: dict[str, tuple[str, Callable]] = {
    PI_PP: ("pi", tabel_pi_pp),
    PI_KABUPATEN: ("pi", tabel_pi_kabupaten),
    LOKAKARYA: ("lokakarya", tabel_lokakarya),
    PMO_LANGKAH: ("pmo", tabel_pmo_langkah),
    PMO_STATUS: ("pmo", tabel_pmo_status),
    PMO_ESKALASI: ("pmo", tabel_pmo_eskalasi),
    KOMUNITAS: ("komunitas", tabel_komunitas),
}


def tabel_dasbor(data: sd.DataDasbor) -> dict[str, Tabel]:
    """Every table of the dashboard, by name."""
    return {nama: build(getattr(data, bagian)) for nama, (bagian, build) in TABEL.items()}


def tabel_bagian(nama: str, user, saringan: sd.Saringan, pilihan: sd.Pilihan) -> Tabel:
    """One table, computing only its own section (for a download)."""
    bagian, build = TABEL[nama]
    section = {
        "pi": lambda: sd.ringkasan_pi(user, saringan, pilihan),
        "lokakarya": lambda: sd.ringkasan_lokakarya(user, saringan, pilihan),
        "pmo": lambda: sd.ringkasan_pmo(user, saringan),
        "komunitas": lambda: sd.ringkasan_komunitas(user, saringan),
    }[bagian]()
    return build(section)


# --- CSV / XLSX ------------------------------------------------------------------------


def _nilai_ekspor(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    return value


class _Echo:
    """A file-like object whose write returns the line (csv → streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_baris(tabel: Tabel) -> Iterator[str]:
    """The table as CSV lines: a UTF-8 BOM first so that Excel reads accents."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([k.judul for k in tabel.kolom])
    for row in tabel.semua_baris:
        yield writer.writerow([_nilai_ekspor(v) for v in row])


_SHEET_INVALID = re.compile(r"[\[\]:*?/\\]")


def xlsx_bytes(tabel: Tabel) -> bytes:
    """The table as an XLSX workbook (openpyxl write-only: rows go straight out)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_SHEET_INVALID.sub(" ", tabel.judul)[:31])
    for i, kolom in enumerate(tabel.kolom):
        sheet.column_dimensions[get_column_letter(i + 1)].width = 36 if kolom.jenis == TEKS else 14
    bold = Font(bold=True)

    def header(text: str):
        c = WriteOnlyCell(sheet, value=escape_formula(text))
        c.font = bold
        return c

    def value_cell(value, kolom: Kolom):
        c = WriteOnlyCell(sheet, value=_nilai_ekspor(value))
        if kolom.jenis == TANGGAL and isinstance(value, dt.date):
            c.number_format = "DD-MM-YYYY"
        elif isinstance(value, Decimal):
            c.number_format = "0.0" if kolom.jenis == PERSEN else "0.00"
        return c

    sheet.append([header(k.judul) for k in tabel.kolom])
    for row in tabel.semua_baris:
        sheet.append([value_cell(v, k) for v, k in zip(row, tabel.kolom, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- headline figures -------------------------------------------------------------------


def angka_ringkas(data: sd.DataDasbor) -> list[tuple[str, str, str]]:
    """(label, value, Bootstrap colour) of the few numbers at the top."""
    pi = data.pi.total
    lok = data.lokakarya.total
    return [
        (_("CGP"), tampil(pi.cgp, BILANGAN), "dark"),
        (_("PI selesai"), tampil(pi.persen_selesai, PERSEN), "success"),
        (_("PI terlambat"), tampil(pi.terlambat, BILANGAN), "danger"),
        (_("Jurnal menunggu diajukan"), tampil(pi.jurnal_menunggu, BILANGAN), "warning"),
        (_("Kehadiran lokakarya"), tampil(lok.tingkat_kehadiran, PERSEN), "primary"),
        (_("Rata-rata kenaikan nilai"), tampil(lok.rata_kenaikan, SELISIH), "primary"),
        (_("Eskalasi PMO"), tampil(data.pmo.jumlah_eskalasi, BILANGAN), "danger"),
        (
            _("Sekolah tahap 5 komunitas"),
            tampil(data.komunitas.tahap[-1][2] if data.komunitas.tahap else 0, BILANGAN),
            "success",
        ),
    ]
