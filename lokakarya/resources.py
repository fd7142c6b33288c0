"""Columns of a workshop's score sheet (django-import-export), and reading one back.

`NilaiResource` is the sheet a facilitator downloads: the participants with
names exactly as registered, unsur, instansi, pre and post. `baca_nilai` reads
a filled-in sheet, or a quiz tool's export, into rows that keep their
spreadsheet row numbers (the header is row 1), so every error can point at the
row a spreadsheet user sees. Matching and validation happen in
`lokakarya.services.nilai`.

Files are read by `program.spreadsheet.read_table` (the csv module and
openpyxl) rather than through tablib: tablib drops blank lines (the row numbers
would shift) and refuses ragged rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from lokakarya.models import Peserta
from program.spreadsheet import Table, escape_formula, read_table, unescape_formula

MAKS_BARIS = 1000

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
        from lokakarya.services.nilai import parse_nilai

        return parse_nilai(value)

    def render(self, value, obj=None, **kwargs):
        from lokakarya.services.nilai import angka

        return "" if value is None else angka(value)


class TeksWidget(widgets.Widget):
    """Text a participant or facilitator typed: never a formula in the sheet."""

    def render(self, value, obj=None, **kwargs):
        return escape_formula("" if value is None else str(value))


class NilaiResource(resources.ModelResource):
    nama = fields.Field(
        attribute="orang__nama", column_name="nama", readonly=True, widget=TeksWidget()
    )
    unsur = fields.Field(column_name="unsur", readonly=True, widget=TeksWidget())
    instansi = fields.Field(column_name="instansi", readonly=True, widget=TeksWidget())
    pre = fields.Field(attribute="nilai_pre", column_name="pre", widget=NilaiWidget())
    post = fields.Field(attribute="nilai_post", column_name="post", widget=NilaiWidget())

    class Meta:
        model = Peserta
        fields = ("nama", "unsur", "instansi", "pre", "post")
        export_order = fields

    def dehydrate_unsur(self, peserta: Peserta) -> str:
        return escape_formula(str(peserta.get_peran_display()))

    def dehydrate_instansi(self, peserta: Peserta) -> str:
        return escape_formula(
            peserta.sekolah.nama if peserta.sekolah_id else peserta.orang.instansi
        )


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


_ALIAS = {alias: key for key, aliases in KOLOM.items() for alias in aliases}


def _has_nama(header: list[str]) -> bool:
    return any(_ALIAS.get(cell) == "nama" for cell in header)


def _to_isi(table: Table) -> IsiBerkas:
    cols: dict[str, int] = {}
    for col, cell in enumerate(table.header):
        key = _ALIAS.get(cell)
        if key is None:
            continue
        if key in cols:
            raise ValidationError(
                _("Kolom “%(kolom)s” muncul lebih dari sekali di baris judul.") % {"kolom": key}
            )
        cols[key] = col
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
        return unescape_formula(value.strip()) if isinstance(value, str) else value

    baris = []
    for nomor, cells in table.rows:
        row = BarisBerkas(
            nomor=nomor, nama=cell(cells, "nama"), pre=cell(cells, "pre"), post=cell(cells, "post")
        )
        if all(v in (None, "") for v in (row.nama, row.pre, row.post)):
            continue
        baris.append(row)
    if not baris:
        raise ValidationError(_("Berkas tidak berisi baris data di bawah baris judul."))
    return IsiBerkas(baris=baris, kolom=kolom, lembar=table.sheet)


def baca_nilai(uploaded_file) -> IsiBerkas:
    """Read an uploaded score sheet (XLSX or CSV) or raise ValidationError saying why not.

    The file rules are `program.spreadsheet.read_table`'s. Two are this
    import's own: a CSV may also be Windows-1252 (what Excel on Windows saves
    as "CSV"; a misread name only fails to match a participant, nothing is
    stored from it), and a quiz tool's workbook is searched sheet by sheet for
    the one with a "nama" column.
    """
    table = read_table(
        uploaded_file,
        is_header=_has_nama,
        max_rows=MAKS_BARIS,
        encodings=("utf-8-sig", "cp1252"),
        every_sheet=True,
    )
    if not table.found:
        raise ValidationError(
            _(
                "Kolom “nama” tidak ditemukan. Baris pertama berkas harus berisi judul kolom: "
                "nama, pre, post."
            )
        )
    return _to_isi(table)
