"""The one reader behind both imports: what it accepts and how it refuses."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from program.spreadsheet import normalise_header, read_table


def has_nama(header):
    return "nama" in header


def read(content: bytes, **kwargs):
    kwargs.setdefault("is_header", has_nama)
    kwargs.setdefault("max_rows", 5)
    return read_table(SimpleUploadedFile("berkas", content), **kwargs)


def refusal(content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        read(content, **kwargs)
    return " ".join(caught.value.messages)


def workbook(*sheets: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, rows in enumerate(sheets):
        ws = wb.create_sheet(f"Lembar {i + 1}")
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_header_cells_are_compared_folded():
    assert normalise_header("  Nama  Peserta* ") == "nama_peserta"
    assert normalise_header("Pre-Test") == "pre_test"
    assert normalise_header("kode__kabupaten") == "kode_kabupaten"
    assert normalise_header(None) == ""


def test_rows_keep_the_numbers_the_spreadsheet_shows():
    table = read(b"Daftar nilai\n\nnama,pre\nAni,70\n\nBudi,80\n")
    assert (table.header_row, table.header) == (3, ["nama", "pre"])
    assert table.rows == [(4, ["Ani", "70"]), (6, ["Budi", "80"])]


def test_no_header_gives_row_one_for_the_callers_message():
    table = read(b"npsn|nama\n1|Ani\n")
    assert not table.found and table.header == ["npsn|nama"] and table.rows == []


def test_the_delimiter_is_the_one_under_which_the_header_is_found():
    table = read(b"nama;pre\nAni, S.Pd., M.Pd.;70\n")
    assert table.rows == [(2, ["Ani, S.Pd., M.Pd.", "70"])]


def test_encodings_are_the_callers_choice():
    content = "nama,pre\nÑoman,70\n".encode("cp1252")
    assert "tidak berenkode UTF-8 (karakter tidak dikenali di baris 2)" in refusal(content)
    table = read(content, encodings=("utf-8-sig", "cp1252"))
    assert table.rows == [(2, ["Ñoman", "70"])]
    assert read("\ufeffnama,pre\nAni,70\n".encode()).header == ["nama", "pre"]


def test_row_limits_are_the_callers_and_blank_rows_are_limited_too():
    assert len(read(b"nama\n" + b"Ani\n" * 5).rows) == 5
    assert "lebih dari 5 baris data" in refusal(b"nama\n" + b"Ani\n" * 6)
    assert len(read(b"nama\nAni\n" + b",\n" * 50).rows) == 1
    assert "lebih dari 50 baris kosong" in refusal(b"nama\nAni\n" + b",\n" * 51)


def test_size_limit_is_the_callers():
    assert "Berkas terlalu besar" in refusal(b"nama\nAni\n", max_bytes=5)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas kosong."),
        (b" \n\t\n", "Berkas kosong."),
        ("nama\nAni\n".encode("utf-16"), "berenkode UTF-16"),
        (b"nama\nA\x00ni\n" + b"x" * 5000, "bukan XLSX atau CSV (berisi data biner)"),
        (b"nama\n" + b"Ani\n" * 1100 + b"Bu\x00di\n", "Baris 1102 berisi karakter biner (NUL)"),
        (b"<html><body>nama</body></html>", "Berkas bukan spreadsheet"),
        (b"%PDF-1.4 nama", "Berkas bukan spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Berkas bukan spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Format .xls (Excel 97–2003)"),
        (b"PK\x03\x04 bukan zip", "Berkas XLSX tidak dapat dibaca"),
        (b'nama\n"Ani\n' + b"x" * 140_000, "Berkas CSV rusak di sekitar baris 2"),
    ],
)
def test_refusals_say_why(content, message):
    assert message in refusal(content, max_rows=2000)


def test_text_starting_like_a_short_binary_signature_is_still_csv():
    # "BM" starts a bitmap and "MZ" a Windows program; a CSV may start so too.
    assert read(b"BM,nama\n1,Ani\n").rows == [(2, ["1", "Ani"])]


def test_xlsx_values_not_formulas_and_merged_cells_in_their_first_cell():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nama", "pre"])
    ws.append(["Ani", "=1+1"])
    ws.append(["Budi", 70])
    ws.append(["", 80])
    ws.merge_cells("A3:A4")
    out = io.BytesIO()
    wb.save(out)
    table = read(out.getvalue())
    # openpyxl stores no calculated value, so the formula cell reads as empty.
    assert table.rows == [(2, ["Ani", None]), (3, ["Budi", 70]), (4, [None, 80])]


def test_first_sheet_only_unless_every_sheet_is_asked_for():
    content = workbook([["Ringkasan kuis"]], [["Hasil"], ["nama", "pre"], ["Ani", 70]])
    assert not read(content).found
    table = read(content, every_sheet=True)
    assert (table.sheet, table.header_row, table.rows) == ("Lembar 2", 2, [(3, ["Ani", 70])])
