"""The import templates operators download (CSV and XLSX)."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from program.imports.columns import Jenis


def template_csv(jenis: Jenis) -> bytes:
    """Header and one example row, UTF-8 with BOM so that Excel shows it right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(jenis.nama_kolom)
    writer.writerow([str(k.contoh) for k in jenis.kolom])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(jenis: Jenis) -> bytes:
    """Sheet "Data" (header + example row, every cell formatted as text so that
    NIP/NUPTK/NPSN keep their digits) and a sheet "Petunjuk" with the columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, kolom in enumerate(jenis.kolom, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(
            14, len(kolom.nama) + 4, len(str(kolom.contoh)) + 2
        )
        ws.column_dimensions[letter].number_format = "@"
        head = ws.cell(row=1, column=col, value=kolom.nama)
        head.font, head.fill, head.number_format = bold, fill, "@"
        example = ws.cell(row=2, column=col, value=str(kolom.contoh) or None)
        example.number_format = "@"
    ws.freeze_panes = "A2"

    info = wb.create_sheet(str(_("Petunjuk")))
    info.append([str(_("Kolom")), str(_("Wajib")), str(_("Keterangan")), str(_("Contoh"))])
    for cell in info[1]:
        cell.font = bold
    for kolom in jenis.kolom:
        info.append(
            [
                kolom.nama,
                str(_("ya") if kolom.wajib else _("tidak")),
                str(kolom.keterangan),
                str(kolom.contoh),
            ]
        )
    info.append([])
    info.append([str(jenis.keterangan)])
    info.append([str(_("Baris 1 lembar Data adalah judul kolom; isi data mulai baris 2."))])
    info.append([str(_("Kolom opsional yang dikosongkan tidak mengubah nilai yang sudah ada."))])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["C"].width = 80
    info.column_dimensions["D"].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
