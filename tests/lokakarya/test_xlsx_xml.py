"""XML inside an XLSX (issue 19 #9): a workbook whose sheet declares entities
(billion laughs) or points one at a file (XXE) is answered as a damaged file,
with the usual message, by both importers; nothing is read from outside it."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _xlsx_with(doctype: bytes, entity: bytes) -> bytes:
    """A valid workbook whose sheet XML gets `doctype` and `entity` in a cell (openpyxl
    writes strings inline)."""
    book = openpyxl.Workbook()
    book.active.append(["npsn", "nama"])
    book.active.append(["50299901", "SD Uji"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                body = body.replace(b"SD Uji", entity, 1)
                data = doctype + body
            target.writestr(item, data)
    return out.getvalue()


CASES = {
    "billion-laughs": _xlsx_with(LAUGHS, b"&lol9;"),
    "xxe": _xlsx_with(XXE, b"&xxe;"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_operator_import_answers_an_xml_attack_as_a_damaged_file(client, demo, case):
    client.force_login(demo["operator1"])
    response = client.post(
        reverse("program:impor-preview", args=["sekolah"]),
        {"berkas": SimpleUploadedFile("sekolah.xlsx", CASES[case])},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "rusak" in page
    assert "root:" not in page


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_score_import_answers_an_xml_attack_as_a_damaged_file(client, demo, workshop, case):
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]),
        {"berkas": SimpleUploadedFile("nilai.xlsx", CASES[case])},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "rusak" in page
    assert "root:" not in page
