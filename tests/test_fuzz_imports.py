"""Broken and hostile spreadsheets for the operator imports (program.imports)
and the workshop score import (lokakarya nilai).

Row parsers are fuzzed with hypothesis (arbitrary CSV text, delimiters,
headers and cells); file-level breakage (truncated ZIP, random bytes, merged
cells, formulas, wrong encodings, a 50,000-row sheet, a 20 MB file) has an
explicit case each, through the upload page an operator or facilitator uses.
Whatever the file: a clear Indonesian refusal or row errors, and not one row
written unless the preview was clean and the user confirmed it.
"""

from __future__ import annotations

import csv
import html
import io
import os
import random
import time
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lokakarya import resources as nilai_resources
from lokakarya.models import Lokakarya
from lokakarya.services import nilai as services_nilai
from program import imports
from tests.test_url_access import (  # noqa: F401  (demo_db is a fixture)
    _eager_celery_and_private_media,
    client_for,
    demo_db,
)

# Derandomized for CI; FUZZ_RANDOM=1 and a larger FUZZ_IMPORT_EXAMPLES dig deeper.
EXAMPLES = int(os.environ.get("FUZZ_IMPORT_EXAMPLES", "25"))
RANDOM = os.environ.get("FUZZ_RANDOM", "") == "1"
TIMINGS: dict[str, float] = {}  # printed with -s; docs/RELIABILITY.md quotes them

# --- "nothing written" -------------------------------------------------------------------


def _tables() -> list[str]:
    return sorted(
        {
            m._meta.db_table
            for label in ("program", "lokakarya", "auth")
            for m in apps.get_app_config(label).get_models()
            if m._meta.managed and not m._meta.proxy
        }
    )


def snapshot() -> dict[str, int]:
    qn = connection.ops.quote_name
    tables = _tables()
    # Table names come from the models, quoted: nothing user-supplied.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def scores(lok: Lokakarya) -> list[tuple]:
    return list(lok.peserta.order_by("pk").values_list("pk", "nilai_pre", "nilai_post"))


# --- cells a sheet may hold ----------------------------------------------------------------

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "x" * 5000,
        "𝕏" * 300,
        "\u202e",
        "=1+1",
        '=HYPERLINK("http://contoh","klik")',
        "+62-812",
        "@SUM(A1)",
        "-1",
        "1e309",
        "NaN",
        "1.98305122009031E+17",
        "2026-02-30",
        "ya",
        '"',
        '""',
        "a,b;c\td",
        "\r\n",
        "<script>",
    ]
)
CELL = st.one_of(NASTY, st.text(max_size=30), st.integers().map(str))

PLAUSIBLE = {
    "npsn": ["50203101", "50209901", "5020990X", "50203103"],
    "nama": ["SD Negeri 9 Contoh", "Baiq Contoh, S.Pd", "Khairul Anwar, S.Pd."],
    "jenjang": ["SD", "SMP", "SMA", "sd", "PAUD"],
    "status": ["negeri", "swasta", "Negeri"],
    "kode_kabupaten": ["5203", "5201", "9999"],
    "alamat": ["Jl. Contoh No. 1"],
    "nip": ["198305122009031004", "198501012010011001", "1985"],
    "nuptk": ["1234567890123456", ""],
    "instansi": ["SD Negeri 1 Contoh"],
    "email": ["guru@contoh.sch.id", "bukan-email"],
    "telepon": ["081234567890"],
    "username": ["pp1", "cgp1", "guru.baru", "nama dengan spasi"],
    "peran": ["guru", "kepala_sekolah", "pengawas", "raja"],
    "tipe": ["pp", "fasilitator", "koordinator", "lain"],
    "orang": ["pp1", "198305122009031004", "fasilitator1"],
    "cgp": ["cgp1", "199002152014022001"],
    "angkatan": ["PGP 11", "PGP 99", "11"],
}


def _cell_for(column: str, known: dict) -> st.SearchStrategy[str]:
    plausible = known.get(column, ["teks"])
    return st.one_of(st.sampled_from(plausible), st.sampled_from(plausible), CELL)


@st.composite
def csv_upload(
    draw, columns: list[str], *, extra_headers=("kolom_lain", "Nama Sekolah", ""), known=None
):
    """A CSV an operator might produce: any header order, some columns renamed
    or dropped, any delimiter, ragged rows, sometimes a BOM."""
    header = draw(st.permutations(columns))
    header = [h for h in header if draw(st.integers(0, 9)) > 0]  # drop about one in ten
    if draw(st.booleans()):
        header.append(draw(st.sampled_from(extra_headers)))
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(*(_cell_for(h, known or PLAUSIBLE) for h in header or ["x"])),
                max_size=len(header) + 2,
            ),
            max_size=6,
        )
    )
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([h.upper() if draw(st.booleans()) else h for h in header])
    writer.writerows(rows)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    return SimpleUploadedFile("impor.csv", data, content_type="text/csv")


# --- operator imports: the row parser and planner, fuzzed ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kode", sorted(imports.JENIS))
def test_operator_import_of_any_csv_refuses_clearly_or_plans_without_writing(demo_db, kode):  # noqa: F811
    jenis = imports.JENIS[kode]
    operator = demo_db.users["operator1"]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        suppress_health_check=list(HealthCheck),
    )
    @given(upload=csv_upload(jenis.nama_kolom))
    def run(upload):
        before = snapshot()
        try:
            tabel = imports.read_upload(jenis, upload)
        except imports.BerkasTidakValid as refused:
            assert refused.message.strip()
            assert snapshot() == before
            return
        pratinjau = imports.plan_import(jenis, tabel)  # must not raise, writes nothing
        assert snapshot() == before
        for g in pratinjau.galat:
            assert g.baris >= 2 and g.pesan
        if not pratinjau.dapat_diterapkan:
            with pytest.raises(imports.ImporGagal):
                imports.apply_import(actor=operator, pratinjau=pratinjau)
            assert snapshot() == before
            return
        try:
            imports.apply_import(actor=operator, pratinjau=pratinjau)
        except imports.ImporGagal as failed:
            assert failed.pesan
            assert snapshot() == before  # all or nothing

    run()


# --- operator imports: broken files through the upload page ----------------------------------


def _xlsx(rows: list[list], *, merge: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


SEKOLAH_HEADER = ["npsn", "nama", "jenjang", "status", "kode_kabupaten", "alamat"]
GOOD_ROW = ["50209901", "SD Negeri 9 Contoh", "SD", "negeri", "5203", "Jl. Contoh"]


def _big_csv(rows: int) -> bytes:
    lines = [",".join(SEKOLAH_HEADER)]
    lines += [f"{50300000 + i},SD Negeri {i} Contoh,SD,negeri,5203,Jl. {i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _big_xlsx(rows: int) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(SEKOLAH_HEADER)
    for i in range(rows):
        ws.append([str(50300000 + i), f"SD Negeri {i} Contoh", "SD", "negeri", "5203", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _random_bytes(n: int, seed: int = 8) -> bytes:
    return random.Random(seed).randbytes(n)


FILE_CASES = {
    # name: (file name, bytes builder, text the operator reads)
    "truncated-xlsx": (
        "sekolah.xlsx",
        lambda: _xlsx([SEKOLAH_HEADER, GOOD_ROW])[:900],
        "Berkas XLSX tidak dapat dibaca",
    ),
    "random-bytes-named-xlsx": (
        "sekolah.xlsx",
        lambda: _random_bytes(4000),
        "bukan XLSX atau CSV (berisi data biner)",
    ),
    "zip-that-is-not-a-workbook": (
        "sekolah.xlsx",
        lambda: _zip({"hello.txt": b"bukan workbook"}),
        "Berkas XLSX tidak dapat dibaca",
    ),
    "merged-cells": (
        "sekolah.xlsx",
        lambda: _xlsx([SEKOLAH_HEADER, GOOD_ROW, GOOD_ROW], merge="A2:B3"),
        "Kolom nama wajib diisi.",
    ),
    "missing-required-column": (
        "sekolah.xlsx",
        lambda: _xlsx([SEKOLAH_HEADER[:3], GOOD_ROW[:3]]),
        "Kolom wajib tidak ada di baris 1",
    ),
    "renamed-header": (
        "sekolah.xlsx",
        lambda: _xlsx([["NPSN", "Nama Sekolah", *SEKOLAH_HEADER[2:]], GOOD_ROW]),
        "Kolom wajib tidak ada di baris 1: nama",
    ),
    "formulas-without-values": (
        "sekolah.xlsx",
        lambda: _xlsx([SEKOLAH_HEADER, ["=A1", "=1+1", "SD", "negeri", "=5200+3", ""]]),
        "Kolom npsn wajib diisi.",  # no cached value: the cell is read as empty
    ),
    "wrong-types": (
        "sekolah.xlsx",
        lambda: _xlsx([SEKOLAH_HEADER, [50209901.5, True, 3, None, 5203.7, "x"]]),
        "NPSN “50209901.5” tidak valid",
    ),
    "latin-1-csv": (
        "sekolah.csv",
        lambda: (",".join(SEKOLAH_HEADER) + "\n50209901,SD Ñusantara,SD,negeri,5203,\n").encode(
            "latin-1"
        ),
        "tidak berenkode UTF-8",
    ),
    "utf-16-csv": (
        "sekolah.csv",
        lambda: (",".join(SEKOLAH_HEADER) + "\n" + ",".join(GOOD_ROW) + "\n").encode("utf-16"),
        "berenkode UTF-16",
    ),
    "wrong-delimiter": (
        "sekolah.csv",
        lambda: ("|".join(SEKOLAH_HEADER) + "\n" + "|".join(GOOD_ROW) + "\n").encode(),
        "Kolom wajib tidak ada di baris 1",
    ),
    "nul-after-the-first-4-kb": (
        "sekolah.csv",
        lambda: _big_csv(120)[:-1] + b"\x00\n",
        "Baris 121 berisi karakter biner (NUL)",  # it used to pass the preview
    ),
    "50k-row-csv": ("sekolah.csv", lambda: _big_csv(50_000), "lebih dari 10000 baris"),
    "50k-row-xlsx": ("sekolah.xlsx", lambda: _big_xlsx(50_000), "lebih dari 10000 baris"),
    # Just over the upload limit: the form says so. (Far over it, the request
    # is refused before it is read: tests/program/test_security.py.)
    "over-the-limit-file": (
        "sekolah.csv",
        lambda: _big_csv(10)[:-1] + b"#" * (django_settings.UPLOAD_MAX_BYTES + 64 * 1024) + b"\n",
        "Berkas terlalu besar",
    ),
}


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_broken_operator_file_is_refused_or_shows_row_errors_and_writes_nothing(demo_db, case):  # noqa: F811
    name, build, says = FILE_CASES[case]
    content = build()
    client = client_for(demo_db, "operator1")
    before = snapshot()
    started = time.perf_counter()
    response = client.post(
        reverse("program:impor-preview", kwargs={"jenis": "sekolah"}),
        {"berkas": SimpleUploadedFile(name, content)},
    )
    TIMINGS[f"impor {case}"] = time.perf_counter() - started
    assert response.status_code in (200, 400)
    if response.status_code == 400:  # the whole file refused
        shown = response.context["galat"]
    else:  # a preview: it must show row errors and not be applicable as is
        galat = response.context["pratinjau"].galat
        assert galat, f"{case}: accepted without errors"
        assert not response.context["token"]
        shown = " ".join(f"Baris {g.baris}: {g.pesan}" for g in galat)
    assert says in shown, f"{case}: the operator reads “{shown}”, not “{says}”"
    assert shown in html.unescape(response.content.decode()) or response.status_code == 200
    assert snapshot() == before
    print(f"\n{case}: {len(content) / 1e6:.1f} MB → {response.status_code} in "
          f"{TIMINGS[f'impor {case}']:.2f} s")  # fmt: skip


@pytest.mark.django_db
def test_bom_csv_is_read_like_any_other(demo_db):  # noqa: F811
    client = client_for(demo_db, "operator1")
    content = ("\ufeff" + ",".join(SEKOLAH_HEADER) + "\n" + ",".join(GOOD_ROW) + "\n").encode()
    before = snapshot()
    response = client.post(
        reverse("program:impor-preview", kwargs={"jenis": "sekolah"}),
        {"berkas": SimpleUploadedFile("sekolah.csv", content)},
    )
    assert response.status_code == 200
    assert response.context["pratinjau"].jumlah(imports.BARU) == 1
    assert snapshot() == before  # the preview is a dry run


# --- lokakarya score import ------------------------------------------------------------------


def _workshop(ctx) -> Lokakarya:
    return Lokakarya.objects.get(fasilitator__user=ctx.users["fasilitator1"])


@pytest.mark.django_db
def test_score_import_of_any_csv_refuses_clearly_or_previews_without_writing(demo_db):  # noqa: F811
    lok = _workshop(demo_db)
    names = list(lok.peserta.values_list("orang__nama", flat=True))
    typed = ["70", "85,5", "100", "101", "-3", "7O"]
    known = {"nama": [*names, "Bukan Peserta"], "pre": typed, "post": typed}
    actor = demo_db.users["fasilitator1"]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        upload=csv_upload(
            ["nama", "pre", "post"], extra_headers=("nilai_pre", "Post-Test"), known=known
        )
    )
    def run(upload):
        before, nilai_before = snapshot(), scores(lok)
        try:
            isi = nilai_resources.baca_nilai(upload)
        except Exception as refused:  # only ValidationError is a refusal
            assert type(refused).__name__ == "ValidationError", repr(refused)
            assert " ".join(refused.messages).strip()
            assert snapshot() == before and scores(lok) == nilai_before
            return
        pratinjau = services_nilai.nilai_import_preview(lokakarya=lok, baris=isi.baris)
        assert snapshot() == before and scores(lok) == nilai_before
        if pratinjau.bisa_diterapkan:
            services_nilai.nilai_import_apply(
                actor=actor, lokakarya=lok, perubahan=pratinjau.perubahan
            )

    run()


SCORE_FILES = {
    "truncated-xlsx": (
        lambda: _xlsx([["nama", "pre", "post"], ["Budi", 70, 80]])[:700],
        # One message for both imports since they share program.spreadsheet.read_table.
        "Berkas XLSX tidak dapat dibaca (rusak",
    ),
    "random-bytes": (lambda: _random_bytes(3000, seed=3), None),
    "merged-cells": (
        lambda: _xlsx([["nama", "pre", "post"], ["Budi", 70, 80], ["Ani", 60, 90]], merge="A2:A3"),
        None,
    ),
    "no-score-columns": (lambda: _xlsx([["nama", "kelas"], ["Budi", "7A"]]), "Kolom nilai"),
    "formulas": (lambda: _xlsx([["nama", "pre", "post"], ["=B1", "=1/0", "=SUM(1,2)"]]), None),
    "utf-16": (lambda: "nama,pre,post\nBudi,70,80\n".encode("utf-16"), "bukan spreadsheet"),
    "50k-rows": (
        lambda: ("nama,pre,post\n" + "Budi,70,80\n" * 50_000).encode(),
        "lebih dari",
    ),
    "over-the-limit": (
        lambda: b"nama,pre,post\n" + b"x" * (django_settings.UPLOAD_MAX_BYTES + 64 * 1024),
        "terlalu besar",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(SCORE_FILES))
def test_broken_score_file_is_refused_or_shows_row_errors_and_writes_nothing(demo_db, case):  # noqa: F811
    build, says = SCORE_FILES[case]
    content = build()
    lok = _workshop(demo_db)
    client = client_for(demo_db, "fasilitator1")
    before, nilai_before = snapshot(), scores(lok)
    started = time.perf_counter()
    response = client.post(
        reverse("lokakarya:nilai-import", kwargs={"pk": lok.pk}),
        {"berkas": SimpleUploadedFile(f"nilai-{case}.xlsx", content)},
    )
    TIMINGS[f"nilai {case}"] = time.perf_counter() - started
    assert response.status_code == 200
    body = response.content.decode()
    if says is not None:
        assert says in body, f"{case}: facilitator does not read “{says}”"
    assert snapshot() == before and scores(lok) == nilai_before
    print(f"\nnilai {case}: {len(content) / 1e6:.1f} MB → refused/previewed in "
          f"{TIMINGS[f'nilai {case}']:.2f} s")  # fmt: skip
