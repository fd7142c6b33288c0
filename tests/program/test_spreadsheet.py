"""The one reader behind both imports: what it accepts and how it refuses."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.utils import get_column_letter

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
    # A required column as the templates mark it.
    assert normalise_header("Nama *") == "nama"
    assert normalise_header("NPSN*") == "npsn"


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


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_of_names_in_arabic_script_is_named_by_its_mark(codec):
    # Few zero bytes (Arabic letters have none), so only the byte order mark tells.
    text = "\ufeffنام\nعلي محمد\nفاطمة الزهراء\nعبد الرحمن\n"
    content = text.encode(codec)
    assert content.count(b"\x00") * 3 < len(content)
    assert refusal(content) == (
        "Berkas CSV berenkode UTF-16, bukan spreadsheet CSV UTF-8. Simpan ulang sebagai "
        "“CSV UTF-8 (dipisahkan koma)”."
    )


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfb\x90\x64" + bytes(range(1, 256)) * 20,  # an MP3 frame, no ID3 tag
        b"GIF89a\x01\x01\x01\x01\xf7\x01\x01" + bytes(range(1, 256)) * 20,
    ],
)
def test_a_recording_or_picture_without_a_zero_byte_is_not_a_spreadsheet(content):
    assert refusal(content) == (
        "Berkas bukan spreadsheet. Jenis berkas tidak didukung: unggah berkas XLSX atau CSV."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # More than a third of the bytes zero: UTF-16 text without its mark.
        (b"\x00a" * 1000, "Berkas CSV berenkode UTF-16"),
        # A third or fewer: data, not text.
        (b"\x00ab" * 1000, "Berkas ini bukan XLSX atau CSV (berisi data biner)"),
        (b"\x00ab\x00abc" * 400, "Berkas ini bukan XLSX atau CSV (berisi data biner)"),
    ],
)
def test_utf16_is_told_from_data_by_a_third_of_zero_bytes(content, message):
    assert refusal(content).startswith(message)


def test_an_xlsx_of_as_many_rows_as_allowed_is_read_and_one_more_refused():
    # Two data rows allowed: 2 × 11 + the 10 rows a header may sit in = 32 rows in all.
    top = [["Daftar nilai"]] * 9 + [["nama", "pre"], ["Ani", 70], ["Budi", 80]]
    table = read(workbook(top + [[None]] * 20), max_rows=2)
    assert table.rows == [(11, ["Ani", 70]), (12, ["Budi", 80])]
    assert refusal(workbook(top + [[None]] * 21), max_rows=2) == (
        "Berkas berisi lebih dari 32 baris (baris kosong ikut dihitung). Hapus baris "
        "kosong di bawah data atau bagi menjadi beberapa berkas."
    )


def test_rows_of_an_xlsx_are_counted_over_the_whole_sheet():
    # 40 wide rows, a sheet of about 2 MB: read in pieces, counted in all.
    rows = [["nama", "pre"]] + [["Ani", *range(100_000, 101_100)]] * 39
    assert refusal(workbook(rows), max_rows=2) == (
        "Berkas berisi lebih dari 32 baris (baris kosong ikut dihitung). Hapus baris "
        "kosong di bawah data atau bagi menjadi beberapa berkas."
    )


MIB = 1024 * 1024  # the reader counts the rows of an XLSX part a MiB at a time
SHEET_START = (
    '<?xml version="1.0" encoding="utf-8"?>\n<worksheet xmlns='
    '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def row(n: int, *texts: str) -> str:
    cells = "".join(
        f'<c r="{col}{n}" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip("ABC", texts, strict=False)
    )
    return f'<row r="{n}">{cells}</row>'


SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def xlsx_of_sheet(rows: list[str], shared: list[str] = (), extra: dict | None = None) -> bytes:
    """A workbook whose sheet is exactly these <row> elements (byte counts matter),
    with `shared` as its shared strings (as Excel keeps texts) and `extra` parts."""
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    source = zipfile.ZipFile(out)
    parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        SHEET_START + "".join(rows) + "</sheetData></worksheet>"
    ).encode()
    if shared:
        parts["xl/sharedStrings.xml"] = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "".join(f"<si><t>{text}</t></si>" for text in shared)
            + "</sst>"
        ).encode()
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED}" />'
            "</Types>".encode(),
        )
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            f'<Relationship Type="{SHARED_REL}" Target="sharedStrings.xml" Id="rId9" />'
            "</Relationships>".encode(),
        )
    parts.update(extra or {})
    # In Excel's order: the content types and the package's relationships first.
    first = ["[Content_Types].xml", "_rels/.rels"]
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for name in first + [n for n in parts if n not in first]:
            data = parts[name]
            target.writestr(name, data)
    return result.getvalue()


def shared_row(n: int, cells: list) -> str:
    """A row as Excel writes it: a text is the index of a shared string, a number its value."""
    return (
        f'<row r="{n}">'
        + "".join(
            f'<c r="{get_column_letter(i)}{n}" t="s"><v>{v}</v></c>'
            if isinstance(v, int)
            else f'<c r="{get_column_letter(i)}{n}"><v>{v.removeprefix("#")}</v></c>'
            for i, v in enumerate(cells, start=1)
        )
        + "</row>"
    )


def tags_in_first_mib(rows: list[str]) -> int:
    text = SHEET_START + "".join(rows)
    return sum(1 for m in re.finditer("<row ", text) if m.end() <= MIB)


def test_an_xlsx_at_the_row_limit_is_read_however_its_rows_fall_in_the_pieces_read():
    # Nine title rows padded so that the header's <row tag ends exactly at 1 MiB.
    titles = [row(n, "Daftar " + "x" * 100_000) for n in range(1, 9)]
    used = len(SHEET_START) + sum(len(t) for t in titles) + len(row(9, "Daftar "))
    titles.append(row(9, "Daftar " + "x" * (MIB - len("<row ") - used)))
    assert len(SHEET_START) + sum(len(t) for t in titles) + len("<row ") == MIB
    rows = [*titles, row(10, "nama", "pre"), row(11, "Ani", "70"), row(12, "Budi", "80")]
    rows += [f'<row r="{n}"></row>' for n in range(13, 33)]  # 32 rows: the limit for 2
    table = read(xlsx_of_sheet(rows), max_rows=2)
    assert table.rows == [(11, ["Ani", "70"]), (12, ["Budi", "80"])]


def test_rows_of_an_xlsx_past_its_first_mib_are_counted_too():
    # 40 rows: the header and 31 rows of 34,000 bytes end in the first MiB, 8 after it.
    rows = [row(1, "nama", "pre")]
    rows += [row(n, "Ani", "x" * (34_000 - len(row(n, "Ani", "")))) for n in range(2, 41)]
    assert tags_in_first_mib(rows) == 32
    assert refusal(xlsx_of_sheet(rows), max_rows=2) == (
        "Berkas berisi lebih dari 32 baris (baris kosong ikut dihitung). Hapus baris "
        "kosong di bawah data atau bagi menjadi beberapa berkas."
    )


def test_texts_of_an_xlsx_are_allowed_up_to_a_hundred_a_row():
    # Two rows allowed: 200 shared strings. A header of 100, rows of 99 and 1.
    texts = ["nama", "pre", *(f"kolom {i}" for i in range(3, 101))]
    texts += ["Ani", *(f"catatan {i}" for i in range(1, 99)), "Budi"]
    header = shared_row(1, list(range(100)))
    ani = shared_row(2, [100, "#70", *range(101, 199)])
    budi = shared_row(3, [199, "#80"])
    table = read(xlsx_of_sheet([header, ani, budi], shared=texts), max_rows=2)
    assert [(n, cells[:3]) for n, cells in table.rows] == [
        (2, ["Ani", 70, "catatan 1"]),
        (3, ["Budi", 80]),
    ]
    assert refusal(xlsx_of_sheet([header, ani, budi], shared=[*texts, "lagi"]), max_rows=2) == (
        "Berkas XLSX berisi terlalu banyak teks (lebih dari 200 isian). Simpan hanya data "
        "yang diimpor, lalu unggah lagi."
    )


def test_an_xlsx_of_more_than_100_mb_unpacked_is_refused_unread():
    rows = [row(1, "nama", "pre"), row(2, "Ani", "70")]
    padding = {"xl/media/isi.bin": bytes(100 * 1024 * 1024 + 1)}  # zeros: 100 KB packed
    assert refusal(xlsx_of_sheet(rows, extra=padding)) == (
        "Isi berkas XLSX terlalu besar setelah diekstrak (lebih dari 100,0\xa0MB). "
        "Simpan hanya lembar yang berisi data, lalu unggah lagi."
    )


def test_an_xlsx_whose_sheet_is_empty_has_no_header():
    table = read(workbook([]))
    assert (table.found, table.header, table.rows) == (False, [], [])


def test_an_opendocument_sheet_is_refused_word_for_word():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content/>")
    assert refusal(out.getvalue()) == (
        "Format .ods (OpenDocument) tidak didukung. Simpan sebagai .xlsx atau "
        "CSV UTF-8 lalu unggah lagi."
    )
