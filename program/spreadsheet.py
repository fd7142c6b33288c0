"""Spreadsheets users exchange with the product: writing cells safely, and
reading an upload (XLSX or CSV) the same way for every import.

`read_table` is the one reader behind the operators' master-data import
(`program.imports`) and the workshop score import (`lokakarya.resources`). It
decides the type by content, never by the file name, and refuses with one
Indonesian sentence per problem: empty, too large, .xls/.ods, not a
spreadsheet, binary, UTF-16, an encoding it cannot read, a damaged XLSX or CSV,
NUL characters, too many rows. What it accepts comes back as the rows under
the header, each with its row number as the spreadsheet shows it (the header
of a plain sheet is row 1), so errors can point at the row a user sees.

The rules, the same for both imports unless the caller says otherwise:

* size: at most `max_bytes` (UPLOAD_MAX_BYTES); rows: at most `max_rows`
  non-empty rows under the header, and blank rows are skipped but limited too
  (a sheet of a million empty rows is refused, not read for minutes);
* XLSX: values, not formulas (the value Excel saved; a formula never
  calculated, e.g. written by a script, reads as empty); a merged range has
  its value in its top-left cell only; the first sheet, or with `every_sheet`
  the first sheet with a header;
* CSV: UTF-8 with or without BOM, or the caller's other `encodings`; the
  delimiter (",", ";" as Excel writes it in an Indonesian locale, or tab) is
  the one under which a header is found, else the most frequent one; a quoted
  cell spanning lines is one row;
* the header is the first of the first `HEADER_WITHIN` rows that the caller's
  `is_header` accepts (some exports put a title above it); its cells are
  compared after `normalise_header`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import filetype
import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# A cell starting with one of these is a formula to Excel/LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value):
    """What escape_formula wrote, read back: a sheet the product wrote and a
    user fills in comes back with the names as they were registered."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


# --- reading an upload ---------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The header is looked for in the first rows: some exports put a title above it.
HEADER_WITHIN = 10
# Blank rows under the header allowed per allowed data row.
BLANK_ROWS_PER_ROW = 10
DELIMITERS = (",", ";", "\t")
# Bytes looked at to tell text from binary and UTF-16.
SNIFF_BYTES = 4096
OLE = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97–2003), .doc, …
ZIP = b"PK\x03\x04"  # .xlsx, .ods, .docx, …
# Text that is a web page, JSON or PDF rather than a table.
NOT_TABLE_TEXT = ("<", "{", "%PDF")
# Control characters that never occur in a text file (tab, newlines, form feed
# and the DOS end-of-file mark do).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f]")


@dataclass(frozen=True)
class Table:
    """The rows of an upload under its header (the caller refuses a table
    without rows, after checking its header)."""

    header: list[str]  # the header's cells, normalised
    rows: list[tuple[int, list]] = field(default_factory=list)  # non-empty: (row number, cells)
    header_row: int = 1
    sheet: str = ""  # the sheet's title (XLSX)
    # False when no row was accepted as a header: `header` is then row 1 of the
    # first sheet (for the caller's message about missing columns), `rows` empty.
    found: bool = True


def normalise_header(value) -> str:
    """A header cell as compared: case folded, "*" (marks a required column)
    dropped, spaces, dashes and underscores as one "_" (“Nama Peserta” → nama_peserta)."""
    text = "" if value is None else str(value).strip().casefold().replace("*", "")
    return re.sub(r"[\s\-_]+", "_", text).strip("_")


def _is_empty(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(
    uploaded,
    *,
    is_header: Callable[[list[str]], bool],
    max_rows: int,
    encodings: tuple[str, ...] = ("utf-8-sig",),
    every_sheet: bool = False,
    max_bytes: int | None = None,
) -> Table:
    """Read an uploaded XLSX or CSV, or raise ValidationError saying why not."""
    content = _content(uploaded, settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes)
    head = content[:SNIFF_BYTES]
    if head.startswith(OLE):
        raise ValidationError(
            _(
                "Format .xls (Excel 97–2003) tidak didukung. Simpan sebagai .xlsx atau "
                "CSV UTF-8 lalu unggah lagi."
            )
        )
    if head.startswith(ZIP):
        kind = filetype.guess(content)
        if kind is not None and kind.extension == "ods":
            raise ValidationError(
                _(
                    "Format .ods (OpenDocument) tidak didukung. Simpan sebagai .xlsx atau "
                    "CSV UTF-8 lalu unggah lagi."
                )
            )
        if kind is not None and kind.mime != XLSX and kind.extension != "zip":
            raise _not_a_spreadsheet()  # .docx, .pptx, .epub, …
        # An .xlsx, or a ZIP that may be one: openpyxl says.
        _check_xlsx_parts(content, max_rows=max_rows)
        sheets = _xlsx_sheets(content, every_sheet=every_sheet)
    else:
        sheets = _csv_sheets(content, encodings=encodings, is_header=is_header)
    with contextlib.closing(sheets):  # an XLSX is closed once its table is read
        return _find_table(sheets, is_header=is_header, max_rows=max_rows)


def _content(uploaded, max_bytes: int) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(size, max_bytes)
    uploaded.seek(0)
    content = uploaded.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise _too_large(size or len(content), max_bytes)
    if not content.strip():
        raise ValidationError(_("Berkas kosong."))
    return content


def _too_large(size: int, max_bytes: int) -> ValidationError:
    return ValidationError(
        _("Berkas terlalu besar (%(size)s). Ukuran maksimal %(max)s.")
        % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)}
    )


def _not_a_spreadsheet() -> ValidationError:
    return ValidationError(
        _("Berkas bukan spreadsheet. Jenis berkas tidak didukung: unggah berkas XLSX atau CSV.")
    )


def _damaged_xlsx() -> ValidationError:
    return ValidationError(
        _(
            "Berkas XLSX tidak dapat dibaca (rusak atau bukan buku kerja Excel). Simpan ulang "
            "dari Excel/LibreOffice sebagai .xlsx lalu unggah lagi."
        )
    )


Rows = Iterator[tuple[int, list]]


def _find_table(
    sheets: Iterator[tuple[str, Rows]], *, is_header: Callable[[list[str]], bool], max_rows: int
) -> Table:
    first_row: list[str] | None = None
    for title, rows in sheets:
        top = list(itertools.islice(rows, HEADER_WITHIN))
        if first_row is None:
            first_row = [normalise_header(c) for c in top[0][1]] if top else []
        for index, (nomor, cells) in enumerate(top):
            header = [normalise_header(c) for c in cells]
            if is_header(header):
                data = _data_rows(itertools.chain(top[index + 1 :], rows), max_rows=max_rows)
                return Table(header=header, rows=data, header_row=nomor, sheet=title)
    return Table(header=first_row or [], found=False)


def _data_rows(rows: Rows, *, max_rows: int) -> list[tuple[int, list]]:
    data, blank = [], 0
    for nomor, cells in rows:
        if _is_empty(cells):
            blank += 1
            if blank > BLANK_ROWS_PER_ROW * max_rows:
                raise ValidationError(
                    _(
                        "Berkas berisi lebih dari %(n)s baris kosong di bawah baris judul. "
                        "Hapus baris kosongnya lalu unggah lagi."
                    )
                    % {"n": BLANK_ROWS_PER_ROW * max_rows}
                )
            continue
        data.append((nomor, cells))
        if len(data) > max_rows:
            raise ValidationError(
                _("Berkas berisi lebih dari %(n)s baris data. Bagi menjadi beberapa berkas.")
                % {"n": max_rows}
            )
    return data


# --- XLSX ----------------------------------------------------------------------------


# What the parts of an XLSX may hold, looked at before openpyxl parses them: a
# 332 KB file with 8 million shared strings took 68 s and 903 MB to parse, a
# 60 KB one with 2 million empty rows 34 s.
XLSX_MAKS_TERURAI = 100 * 1024 * 1024  # every part, uncompressed
XLSX_STRING_PER_BARIS = 100  # shared strings per allowed row (a wide sheet fits)
_CHUNK = 1024 * 1024


# An element's start tag, with or without a namespace prefix (<row …>, <x:row …>).
_ROW_TAG = re.compile(rb"[<:]row[\s>/]")
_SI_TAG = re.compile(rb"[<:]si[\s>/]")
_TAIL = 8


def _count_in_part(archive: zipfile.ZipFile, name: str, tag: re.Pattern, stop: int) -> int:
    """Start tags `tag` in a part, read as a stream; stops once past `stop`."""
    count, tail = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            # A tag that ended inside the tail was counted with the previous chunk.
            count += sum(1 for m in tag.finditer(window) if m.end() > len(tail))
            if count > stop:
                break
            tail = window[-_TAIL:]
    return count


def _check_xlsx_parts(content: bytes, *, max_rows: int) -> None:
    """Refuse a workbook whose parts are bigger, or hold more rows or shared
    strings, than an import can take: before any XML of it is parsed."""
    rows_allowed = (BLANK_ROWS_PER_ROW + 1) * max_rows + HEADER_WITHIN
    strings_allowed = XLSX_STRING_PER_BARIS * max_rows
    too_many_rows = ValidationError(
        _(
            "Berkas berisi lebih dari %(n)s baris (baris kosong ikut dihitung). Hapus baris "
            "kosong di bawah data atau bagi menjadi beberapa berkas."
        )
        % {"n": rows_allowed}
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise _damaged_xlsx() from None
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > XLSX_MAKS_TERURAI:
            raise ValidationError(
                _(
                    "Isi berkas XLSX terlalu besar setelah diekstrak (lebih dari %(max)s). "
                    "Simpan hanya lembar yang berisi data, lalu unggah lagi."
                )
                % {"max": filesizeformat(XLSX_MAKS_TERURAI)}
            )
        try:
            # Every XML part: a sheet may be stored under any name the workbook points to.
            for info in infos:
                if not info.filename.lower().endswith(".xml"):
                    continue
                if _count_in_part(archive, info.filename, _ROW_TAG, rows_allowed) > rows_allowed:
                    raise too_many_rows
                if (
                    _count_in_part(archive, info.filename, _SI_TAG, strings_allowed)
                    > strings_allowed
                ):
                    raise ValidationError(
                        _(
                            "Berkas XLSX berisi terlalu banyak teks (lebih dari %(n)s isian). "
                            "Simpan hanya data yang diimpor, lalu unggah lagi."
                        )
                        % {"n": strings_allowed}
                    )
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            raise _damaged_xlsx() from None


def _xlsx_sheets(content: bytes, *, every_sheet: bool) -> Iterator[tuple[str, Rows]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _damaged_xlsx() from error
    try:
        worksheets = workbook.worksheets if every_sheet else workbook.worksheets[:1]
        for sheet in worksheets:
            sheet.reset_dimensions()  # some writers store wrong dimensions
            yield sheet.title, _xlsx_rows(sheet)
    finally:
        workbook.close()


def _xlsx_rows(sheet) -> Rows:
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    while True:
        try:
            nomor, values = next(rows)
        except StopIteration:
            return
        except Exception as error:  # a damaged part of the workbook
            raise _damaged_xlsx() from error
        yield nomor, list(values)


# --- CSV -----------------------------------------------------------------------------


def _csv_sheets(
    content: bytes, *, encodings: tuple[str, ...], is_header: Callable[[list[str]], bool]
) -> Iterator[tuple[str, Rows]]:
    yield "", _csv_rows(content, encodings=encodings, is_header=is_header)


def _csv_rows(
    content: bytes, *, encodings: tuple[str, ...], is_header: Callable[[list[str]], bool]
) -> Rows:
    text = _csv_text(content, encodings)
    if text.lstrip().startswith(NOT_TABLE_TEXT):
        raise _not_a_spreadsheet()
    delimiter = _delimiter(text, is_header)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    nomor = 0
    try:
        # One record is one spreadsheet row (a blank line too, a quoted cell
        # spanning lines does not add rows), so records are numbered in order.
        for nomor, cells in enumerate(reader, start=1):
            if any("\x00" in c for c in cells):
                # PostgreSQL refuses NUL in text: the row could never be saved.
                raise ValidationError(
                    _(
                        "Baris %(baris)s berisi karakter biner (NUL). Simpan ulang berkas dari "
                        "Excel/LibreOffice sebagai .xlsx atau “CSV UTF-8 (dipisahkan koma)”."
                    )
                    % {"baris": nomor}
                )
            yield nomor, cells
    except csv.Error as error:
        raise ValidationError(
            _(
                "Berkas CSV rusak di sekitar baris %(baris)s (mis. tanda petik yang tidak "
                "ditutup atau sel yang terlalu panjang). Simpan ulang dari Excel/LibreOffice "
                "sebagai CSV lalu unggah lagi."
            )
            % {"baris": nomor + 1}
        ) from error


def _csv_text(content: bytes, encodings: tuple[str, ...]) -> str:
    head = content[:SNIFF_BYTES]
    # UTF-16 text without a BOM has a NUL in every other byte; random or binary
    # data has them here and there: name what the user actually uploaded.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") * 3 > len(head):
        raise ValidationError(
            _(
                "Berkas CSV berenkode UTF-16, bukan spreadsheet CSV UTF-8. Simpan ulang sebagai "
                "“CSV UTF-8 (dipisahkan koma)”."
            )
        )
    if b"\x00" in head:
        raise _binary() if filetype.guess(content) is None else _not_a_spreadsheet()
    # Short signatures ("BM", "MZ", "ID3") also start text: only a head that is
    # not text is taken for an image, a program or a recording.
    if _CONTROL.search(head) and filetype.guess(content) is not None:
        raise _not_a_spreadsheet()
    first_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError as error:
            first_error = first_error or error
    line = content[: first_error.start].count(b"\n") + 1 if first_error else 1
    raise ValidationError(
        _(
            "Berkas CSV tidak berenkode UTF-8 (karakter tidak dikenali di baris %(baris)s). "
            "Simpan ulang sebagai “CSV UTF-8 (dipisahkan koma)”."
        )
        % {"baris": line}
    )


def _binary() -> ValidationError:
    return ValidationError(
        _("Berkas ini bukan XLSX atau CSV (berisi data biner). Unggah berkas XLSX atau CSV.")
    )


def _delimiter(text: str, is_header: Callable[[list[str]], bool]) -> str:
    """The delimiter under which a header is found; else the most frequent one
    in the first lines (a title line above the header has none)."""
    head = "\n".join([line for line in text[:65536].splitlines() if line.strip()][:5])
    ranked = sorted(DELIMITERS, key=head.count, reverse=True)
    for delimiter in ranked:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            top = list(itertools.islice(reader, HEADER_WITHIN))
        except csv.Error:
            continue
        if any(is_header([normalise_header(c) for c in cells]) for cells in top):
            return delimiter
    return ranked[0]
