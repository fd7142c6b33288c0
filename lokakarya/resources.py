"""Columns of a workshop's score sheet (django-import-export), and reading one back.

`NilaiResource` is the sheet a facilitator downloads: the participants with
names exactly as registered, unsur, instansi, pre and post. `baca_nilai` reads
a filled-in sheet, or a quiz tool's export, into rows that keep their
spreadsheet row numbers (the header is row 1), so every error can point at the
row a spreadsheet user sees. Matching and validation happen in
`lokakarya.services_nilai`.

Files are read with the csv module and openpyxl rather than through tablib:
tablib drops blank lines (the row numbers would shift) and refuses ragged rows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from lokakarya.models import Peserta

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAKS_BARIS = 1000
# The header is looked for in the first rows: some exports put a title above it.
BARIS_JUDUL_MAKS = 10

# Accepted headers, compared after folding case and turning spaces/dashes into "_".
KOLOM = {
    "nama": ("nama", "nama_peserta", "nama_lengkap", "peserta", "player"),
    "pre": ("pre", "nilai_pre", "pre_test", "pretest", "nilai_pre_test", "nilai_pretest"),
    "post": ("post", "nilai_post", "post_test", "posttest", "nilai_post_test", "nilai_posttest"),
}


def xlsx_tersedia() -> bool:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


class NilaiWidget(widgets.Widget):
    """A score cell: "85", "85,5" or "85.5"; written back the Indonesian way."""

    def clean(self, value, row=None, **kwargs):
        from lokakarya.services_nilai import parse_nilai

        return parse_nilai(value)

    def render(self, value, obj=None, **kwargs):
        from lokakarya.services_nilai import angka

        return "" if value is None else angka(value)


class NilaiResource(resources.ModelResource):
    nama = fields.Field(attribute="orang__nama", column_name="nama", readonly=True)
    unsur = fields.Field(column_name="unsur", readonly=True)
    instansi = fields.Field(column_name="instansi", readonly=True)
    pre = fields.Field(attribute="nilai_pre", column_name="pre", widget=NilaiWidget())
    post = fields.Field(attribute="nilai_post", column_name="post", widget=NilaiWidget())

    class Meta:
        model = Peserta
        fields = ("nama", "unsur", "instansi", "pre", "post")
        export_order = fields

    def dehydrate_unsur(self, peserta: Peserta) -> str:
        return str(peserta.get_peran_display())

    def dehydrate_instansi(self, peserta: Peserta) -> str:
        return peserta.sekolah.nama if peserta.sekolah_id else peserta.orang.instansi


# --- reading a sheet ------------------------------------------------------------------


@dataclass(frozen=True)
class BarisBerkas:
    nomor: int  # row number as the spreadsheet shows it
    nama: Any
    pre: Any
    post: Any


@dataclass(frozen=True)
class IsiBerkas:
    baris: list[BarisBerkas]
    kolom: tuple[str, ...]  # which score columns the file has: ("pre",), ("pre", "post") …
    lembar: str = ""


def _norm(header) -> str:
    return re.sub(r"[\s\-_]+", "_", str(header or "").strip().casefold()).strip("_")


_ALIAS = {alias: key for key, aliases in KOLOM.items() for alias in aliases}


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, dict[str, int]] | None:
    """(index in rows, {"nama": col, "pre": col, …}) of the first row naming a "nama" column."""
    for index, (_nomor, cells) in enumerate(rows[:BARIS_JUDUL_MAKS]):
        found: dict[str, int] = {}
        duplicate = None
        for col, cell in enumerate(cells):
            key = _ALIAS.get(_norm(cell))
            if key is None:
                continue
            if key in found:
                duplicate = key
            found.setdefault(key, col)
        if "nama" in found:
            if duplicate:
                raise ValidationError(
                    _("Kolom “%(kolom)s” muncul lebih dari sekali di baris judul.")
                    % {"kolom": duplicate}
                )
            return index, found
    return None


def _rows_to_isi(rows: list[tuple[int, list]], lembar: str = "") -> IsiBerkas | None:
    header = _find_header(rows)
    if header is None:
        return None
    index, cols = header
    kolom = tuple(k for k in ("pre", "post") if k in cols)
    if not kolom:
        raise ValidationError(
            _(
                "Kolom nilai tidak ditemukan. Baris judul perlu kolom “nama” dan “pre” "
                "dan/atau “post” (juga diterima: nilai_pre, nilai_post, pre-test, post-test)."
            )
        )

    def cell(cells: list, key: str):
        col = cols.get(key)
        if col is None or col >= len(cells):
            return None
        value = cells[col]
        return value.strip() if isinstance(value, str) else value

    baris = []
    for nomor, cells in rows[index + 1 :]:
        row = BarisBerkas(
            nomor=nomor, nama=cell(cells, "nama"), pre=cell(cells, "pre"), post=cell(cells, "post")
        )
        if all(v in (None, "") for v in (row.nama, row.pre, row.post)):
            continue
        baris.append(row)
    if not baris:
        raise ValidationError(_("Berkas tidak berisi baris data di bawah baris judul."))
    return IsiBerkas(baris=baris, kolom=kolom, lembar=lembar)


def _too_many() -> ValidationError:
    return ValidationError(
        _("Berkas berisi lebih dari %(n)s baris. Unggah hanya daftar nilai peserta.")
        % {"n": MAKS_BARIS}
    )


def _read_xlsx(content: bytes) -> IsiBerkas:
    try:
        import openpyxl
    except ImportError as error:
        raise ValidationError(
            _("Berkas XLSX belum dapat dibaca di server ini. Simpan sebagai CSV lalu unggah lagi.")
        ) from error
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from error
    try:
        # A quiz tool's export has several sheets: take the first with a "nama" column.
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers store wrong dimensions
            rows = []
            for nomor, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if nomor > MAKS_BARIS + BARIS_JUDUL_MAKS:
                    raise _too_many()
                rows.append((nomor, list(values)))
            isi = _rows_to_isi(rows, lembar=sheet.title)
            if isi is not None:
                return isi
    finally:
        workbook.close()
    raise _missing_nama()


def _missing_nama() -> ValidationError:
    return ValidationError(
        _(
            "Kolom “nama” tidak ditemukan. Baris pertama berkas harus berisi judul kolom: "
            "nama, pre, post."
        )
    )


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_spreadsheet()


def _not_spreadsheet() -> ValidationError:
    return ValidationError(
        _("Berkas bukan spreadsheet. Unggah berkas XLSX atau CSV berisi kolom nama, pre, post.")
    )


def _read_csv(content: bytes) -> IsiBerkas:
    if b"\x00" in content[:8192]:
        raise _not_spreadsheet()
    text = _decode(content)
    if text.lstrip().startswith("<"):
        raise _not_spreadsheet()
    # Excel with Indonesian settings writes ";" (the comma is the decimal mark).
    head = "\n".join([line for line in text.splitlines() if line.strip()][:5])
    delimiter = max((",", ";", "\t"), key=head.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        # One record is one spreadsheet row (a blank line too, a quoted cell
        # spanning lines does not add rows), so records are numbered in order.
        for nomor, cells in enumerate(reader, start=1):
            if nomor > MAKS_BARIS + BARIS_JUDUL_MAKS:
                raise _too_many()
            rows.append((nomor, cells))
    except csv.Error as error:
        raise _not_spreadsheet() from error
    isi = _rows_to_isi(rows)
    if isi is None:
        raise _missing_nama()
    return isi


def baca_nilai(uploaded_file) -> IsiBerkas:
    """Read an uploaded score sheet (XLSX or CSV) or raise ValidationError saying why not."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s). Ukuran maksimal %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    uploaded_file.seek(0)
    content = uploaded_file.read()
    if not content or not content.strip():
        raise ValidationError(_("Berkas kosong."))
    kind = filetype.guess(content[:8192])
    if kind is not None and kind.mime == XLSX:
        return _read_xlsx(content)
    if kind is not None and kind.extension in ("xls", "ods"):
        raise ValidationError(
            _("Format %(ext)s belum didukung. Simpan sebagai XLSX atau CSV lalu unggah lagi.")
            % {"ext": kind.extension.upper()}
        )
    if kind is not None:
        raise _not_spreadsheet()
    return _read_csv(content)
