"""Imports of master data by operators: schools, people with roles, assignments.

The flow is always the same:

1. `read_upload` turns an uploaded XLSX/CSV into rows of text cells (the
   header is row 1 of the templates; a title above it is skipped), refusing
   other types, encodings and missing columns. The file rules are those of
   `program.spreadsheet.read_table`, shared with the workshop score import.
2. `plan_import` compares every row with the database *without writing
   anything* and returns a `Pratinjau`: per row new / changed (old → new per
   field) / unchanged, and every error with its row number.
3. The parsed rows wait server-side in the session under a one-time token
   (`stash` / `unstash`); the confirm request carries only the token.
4. `apply_import` plans again from those rows and, if the result is still what
   the operator saw (same fingerprint, no errors), writes all rows in one
   transaction: any failure, even one only the database notices, rolls back
   every row. Each write sets `_history_user`, so history shows the operator.

Imports never delete anything. An optional cell left empty keeps the current
value, so a partial sheet cannot wipe data by accident, and re-importing the
same file finds every row unchanged and writes nothing.

The engine is written out here rather than in django-import-export Resources
(which still drive the admin, see `program.resources`): the preview needs
old → new per field with foreign keys resolved in bulk, people matched by
NIP / NUPTK / username, and errors worded for operators.

One module per stage: `columns` (what each kind of import holds), `reading`
(the upload into text rows, on `program.spreadsheet`), `rows` and `preview`
(a row's status, changes, errors and writes; planning and applying), `checks`
(shared by the planners `sekolah`, `orang`, `penugasan`), `templates`, and
`stash` (rows kept between preview and confirm). Callers import from
`program.imports`.
"""

from program.imports.checks import ANGKATAN_RE, NIP_RE, NPSN_RE, NUPTK_RE
from program.imports.columns import JENIS, Jenis, Kolom, get_jenis
from program.imports.orang import ORANG_FIELDS, PERAN_LEWAT_PENUGASAN
from program.imports.penugasan import KOLOM_TIPE, TIPE_PENUGASAN
from program.imports.preview import Cakupan, ImporGagal, Pratinjau, apply_import, plan_import
from program.imports.reading import MAX_ROWS, BerkasTidakValid, Tabel, read_upload
from program.imports.rows import BARU, BERUBAH, GALAT, TETAP, Baris, Galat, Perubahan
from program.imports.stash import MAX_PENDING, SESSION_KEY, stash, unstash
from program.imports.templates import template_csv, template_xlsx

__all__ = [
    "ANGKATAN_RE",
    "BARU",
    "BERUBAH",
    "GALAT",
    "JENIS",
    "KOLOM_TIPE",
    "MAX_PENDING",
    "MAX_ROWS",
    "NIP_RE",
    "NPSN_RE",
    "NUPTK_RE",
    "ORANG_FIELDS",
    "PERAN_LEWAT_PENUGASAN",
    "SESSION_KEY",
    "TETAP",
    "TIPE_PENUGASAN",
    "Baris",
    "BerkasTidakValid",
    "Cakupan",
    "Galat",
    "ImporGagal",
    "Jenis",
    "Kolom",
    "Perubahan",
    "Pratinjau",
    "Tabel",
    "apply_import",
    "get_jenis",
    "plan_import",
    "read_upload",
    "stash",
    "template_csv",
    "template_xlsx",
    "unstash",
]
