"""Reading files: an upload into rows of text cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from program.imports.columns import Jenis
from program.spreadsheet import Table, read_table

# A national list of people (issue #9: 10,000 rows) previews in well under 20 s;
# beyond that an upload is split, which also keeps the preview page readable.
MAX_ROWS = 10_000


class BerkasTidakValid(Exception):
    """The upload as a whole cannot be read; the message is for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Tabel:
    """Rows of an upload as text: row number (header = 1) → {column: text}."""

    baris: list[tuple[int, dict[str, str]]]
    nama_berkas: str = ""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # A long number typed into Excel (NIP, NUPTK) loses digits; show it the way
        # Excel does so that validation says so instead of importing wrong digits.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_upload(jenis: Jenis, uploaded) -> Tabel:
    """Read an uploaded XLSX or CSV (type decided by content) into text rows.

    The file rules are `program.spreadsheet.read_table`'s: UTF-8 only for CSV
    (a misread name would be saved in master data), the first sheet of an XLSX,
    the header within its first rows (the first row holding every required
    column).
    """
    required = set(jenis.kolom_wajib)
    try:
        table = read_table(
            uploaded, is_header=lambda header: required <= set(header), max_rows=MAX_ROWS
        )
    except ValidationError as exc:
        raise BerkasTidakValid(" ".join(exc.messages)) from exc
    return _to_table(jenis, table, getattr(uploaded, "name", "") or "")


def _to_table(jenis: Jenis, table: Table, nama_berkas: str) -> Tabel:
    baris = table.header_row
    headers = list(table.header)
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise BerkasTidakValid(
            _("Baris %(baris)s harus berisi judul kolom: %(kolom)s.")
            % {"baris": baris, "kolom": ", ".join(jenis.nama_kolom)}
        )
    seen: set[str] = set()
    for h in headers:
        if h in seen:
            raise BerkasTidakValid(
                _("Kolom “%(kolom)s” muncul dua kali di baris %(baris)s.")
                % {"kolom": h, "baris": baris}
            )
        if h:
            seen.add(h)
    missing = [k for k in jenis.kolom_wajib if k not in seen]
    if missing:
        raise BerkasTidakValid(
            _(
                "Kolom wajib tidak ada di baris %(baris)s: %(kolom)s. "
                "Gunakan templat impor %(jenis)s."
            )
            % {"baris": baris, "kolom": ", ".join(missing), "jenis": jenis.label}
        )
    unknown = [h for h in headers if h and h not in jenis.nama_kolom]
    if unknown:
        raise BerkasTidakValid(
            _("Kolom tidak dikenal di baris %(baris)s: %(kolom)s. Kolom yang dikenal: %(dikenal)s.")
            % {"baris": baris, "kolom": ", ".join(unknown), "dikenal": ", ".join(jenis.nama_kolom)}
        )
    data = []
    for nomor, raw in table.rows:
        cells = [_cell_text(v) for v in raw]
        extra = [c for c in cells[len(headers) :] if c]
        if extra:
            raise BerkasTidakValid(
                _("Baris %(baris)s berisi nilai di luar kolom yang berjudul.") % {"baris": nomor}
            )
        values = {k: "" for k in jenis.nama_kolom}
        for h, c in zip(headers, cells, strict=False):
            if h:
                values[h] = c
        data.append((nomor, values))
    if not data:
        raise BerkasTidakValid(_("Berkas tidak berisi baris data di bawah baris judul."))
    return Tabel(baris=data, nama_berkas=nama_berkas)
