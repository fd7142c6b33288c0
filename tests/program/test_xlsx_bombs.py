"""XLSX bombs (issue 19 #4): a small workbook that unpacks into millions of
rows or shared strings is refused from a count of its parts, before openpyxl
parses any of it, with a message saying what to do; nothing is written."""

import io
import time
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from program.models import Sekolah


def _workbook_with(part: str, xml: bytes) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["npsn", "nama"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item.filename))
        target.writestr(part, xml)
    return out.getvalue()


def empty_rows(n: int, prefix: bytes = b"") -> bytes:
    tag = b"<%srow" % prefix
    rows = b"".join(b'%s r="%d"/>' % (tag, i) for i in range(2, n + 2))
    return _workbook_with(
        "xl/worksheets/sheet1.xml",
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>npsn</t></is></c></row>'
        + rows
        + b"</sheetData></worksheet>",
    )


def shared_strings(n: int) -> bytes:
    return _workbook_with(
        "xl/sharedStrings.xml",
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * n
        + b"</sst>",
    )


def post(client, content: bytes):
    return client.post(
        reverse("program:impor-preview", args=["sekolah"]),
        {"berkas": SimpleUploadedFile("sekolah.xlsx", content)},
    )


def test_two_million_empty_rows_are_refused_before_parsing(client, demo):
    content = empty_rows(2_000_000)
    assert len(content) < 10 * 1024 * 1024
    client.force_login(demo["operator1"])
    before = Sekolah.objects.count()
    started = time.perf_counter()
    response = post(client, content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "baris kosong ikut dihitung" in response.content.decode()
    assert Sekolah.objects.count() == before
    print(f"\n2M empty rows ({len(content) / 1e3:.0f} KB) refused in {elapsed:.2f} s")


def test_rows_behind_a_namespace_prefix_are_counted_too(client, demo):
    client.force_login(demo["operator1"])
    response = post(client, empty_rows(200_000, prefix=b"x:"))
    assert response.status_code == 400
    assert "baris kosong ikut dihitung" in response.content.decode()


def test_millions_of_shared_strings_are_refused_before_parsing(client, demo):
    content = shared_strings(1_500_000)
    client.force_login(demo["operator1"])
    started = time.perf_counter()
    response = post(client, content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "Berkas XLSX berisi terlalu banyak teks" in response.content.decode()
    print(f"\n1.5M shared strings ({len(content) / 1e3:.0f} KB) refused in {elapsed:.2f} s")


def test_a_workbook_that_unpacks_past_100_mb_is_refused(client, demo):
    content = _workbook_with("xl/media/kosong.xml", b" " * (101 * 1024 * 1024))
    client.force_login(demo["operator1"])
    response = post(client, content)
    assert response.status_code == 400
    assert "terlalu besar setelah diekstrak" in response.content.decode()
