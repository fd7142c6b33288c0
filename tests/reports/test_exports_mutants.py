"""What the exports' files hold beyond tests/reports/test_exports.py, written
to kill the survivors of the `exports` mutation target (docs/TESTING.md):
every PI cell against the PI grid, the rows' order, the columns a first test
left unread, the CSV's cells against the XLSX's, scores without a post-test,
the PMO export's filters, and the region table's CSV (pmo.exports)."""

import csv
import dataclasses
import datetime as dt
import importlib
import io
import itertools
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from komunitas.models import StatusTahap, TahapOptimalisasi
from lokakarya.models import Kehadiran, Lokakarya, PeranPeserta, Peserta
from pendampingan.models import JurnalPendampingan, SesiPI, StatusJurnal
from pendampingan.selectors import Keadaan, grid_rows
from pmo import services
from pmo.models import InstrumenPMO, StatusTindakLanjut, TindakLanjut
from pmo.services import tahun_ajaran_of
from program.models import Jenjang, Job, KabupatenKota, PenugasanPP, Sekolah
from reports import exports, resources
from reports.filters import Saringan
from tests.factories import OrangFactory, PenugasanPPFactory, SekolahFactory

LOMBOK_TIMUR = "5203"
SIKKA = "5310"


# --- helpers --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def columns_built_now(monkeypatch):
    """Every export here uses its columns as reports.resources builds them when
    imported. They are class attributes, built once per process: mutmut imports
    the module before it switches a mutant on, so without building them again
    no mutant of the column helpers (`_teks`, `_pilihan`, …) would ever run."""
    fresh = importlib.reload(resources)
    for kode, jenis in list(exports.JENIS.items()):
        resource = getattr(fresh, jenis.resource.__name__)
        monkeypatch.setitem(exports.JENIS, kode, dataclasses.replace(jenis, resource=resource))
    yield
    importlib.reload(resources)


def export(user, jenis, fmt="xlsx", **filter_) -> bytes:
    target = io.BytesIO()
    exports.ekspor_ke_berkas(
        exports.JENIS[jenis], user=user, saringan=Saringan(**filter_), fmt=fmt, target=target
    )
    return target.getvalue()


def read_xlsx(content: bytes):
    """(header, data rows as lists of openpyxl cells) of the only sheet."""
    (sheet,) = openpyxl.load_workbook(io.BytesIO(content)).worksheets
    rows = list(sheet.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def read_csv(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def records(header, rows) -> list[dict]:
    """Each data row as {column name: value} (openpyxl cells or CSV text)."""
    return [dict(zip(header, [getattr(c, "value", c) for c in row], strict=True)) for row in rows]


def kabupaten(kode) -> KabupatenKota:
    return KabupatenKota.objects.get(kode=kode)


def is_sorted(items) -> bool:
    return all(a <= b for a, b in itertools.pairwise(items))


# --- PI sessions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "kode"), [("koordinator1", LOMBOK_TIMUR), ("koordinator2", SIKKA)]
)
def test_every_pi_cell_matches_the_pi_grid_and_the_session(demo, username, kode):
    """Each CGP × PI row carries the state the PI grid shows for that cell
    (late, draft, scheduled, done, not yet), the session's date, journal status
    and RTL count, and the school's NPSN."""
    if username == "koordinator1":
        # The region's first pair (by PP), with a draft journal that has text
        # and one that has none, scheduled, in a cohort without deadlines.
        pair = PenugasanPPFactory(pp__nama="Aaa Pp Draf", sekolah__kabupaten=kabupaten(kode))
        for urutan, text in ((1, "Sudah baik"), (2, "")):
            sesi = SesiPI.objects.create(
                penugasan=pair, urutan=urutan, tanggal=dt.date(2026, 11, 2)
            )
            JurnalPendampingan.objects.create(sesi=sesi, status=StatusJurnal.DRAF, sudah_baik=text)
    header, rows = read_xlsx(export(demo[username], "sesi_pi"))
    exported = {(r["CGP"], r["PI ke-"]): r for r in records(header, rows)}
    pairs = PenugasanPP.objects.filter(sekolah__kabupaten__kode=kode).select_related(
        "cgp", "sekolah"
    )
    grid = grid_rows(pairs, today=timezone.localdate())
    assert len(exported) == 6 * len(grid) > 0
    states = set()
    for line in grid:
        for cell in line.sel:
            row = exported[(line.penugasan.cgp.nama, cell.urutan)]
            assert row["Keadaan PI"] == str(cell.label), (line.penugasan, cell.urutan)
            assert row["NPSN"] == line.penugasan.sekolah.npsn
            states.add(cell.keadaan)
            sesi = cell.sesi
            if sesi is None:
                assert row["Tanggal sesi"] is None and row["Status jurnal"] == "Belum ada"
                continue
            tanggal = row["Tanggal sesi"]
            assert (tanggal.date() if tanggal else None) == sesi.tanggal
            assert row["Jumlah RTL"] == sesi.rtl.count()
            jurnal = getattr(sesi, "jurnal", None)
            if jurnal is not None:
                assert row["Status jurnal"] == jurnal.get_status_display()
    if username == "koordinator1":
        # The region has every state, so that none of them goes untested.
        assert states == set(Keadaan.LABELS)
        assert exported[(pair.cgp.nama, 1)]["Keadaan PI"] == "Draf jurnal"
        assert exported[(pair.cgp.nama, 2)]["Keadaan PI"] == "Terjadwal"


def test_pi_rows_are_the_same_when_fetched_a_few_pairs_at_a_time(demo, monkeypatch):
    """A region with more pairs than one fetch (CHUNK_SIZE) exports the same rows."""
    user = demo["operator1"]
    whole = export(user, "sesi_pi", fmt="csv")
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    assert PenugasanPP.objects.count() > 2 * 2
    assert export(user, "sesi_pi", fmt="csv") == whole


def test_pi_rows_are_ordered_by_kabupaten_pp_and_cgp(demo):
    lotim, sikka = kabupaten(LOMBOK_TIMUR), kabupaten(SIKKA)
    pp = OrangFactory(nama="Aaa Pengajar Praktik")
    # Created in the reverse order of the CGP's names, and a PP first by name
    # whose CGP is last by name: an order by anything else shows.
    PenugasanPPFactory(pp=pp, cgp__nama="Zzz Cgp Lombok Timur", sekolah__kabupaten=lotim)
    PenugasanPPFactory(pp=pp, cgp__nama="Bbb Cgp Lombok Timur", sekolah__kabupaten=lotim)
    PenugasanPPFactory(pp__nama="Aaa Pp Sikka", cgp__nama="Aaa Cgp Sikka", sekolah__kabupaten=sikka)

    header, rows = read_csv(export(demo["operator1"], "sesi_pi", fmt="csv"))
    keys = [(r["Kabupaten/kota"], r["Pengajar Praktik"], r["CGP"]) for r in records(header, rows)]
    assert is_sorted(keys)
    cgp = [k[2] for k in keys]
    assert cgp.index("Bbb Cgp Lombok Timur") < cgp.index("Zzz Cgp Lombok Timur")
    assert cgp.index("Zzz Cgp Lombok Timur") < cgp.index("Aaa Cgp Sikka")
    assert [int(r["PI ke-"]) for r in records(header, rows)][:6] == [1, 2, 3, 4, 5, 6]


# --- workshops ------------------------------------------------------------------------


@pytest.fixture
def scored(demo):
    """In a Lombok Timur workshop: one participant with only a pre-test, one
    with scores whose CSV text could go wrong (100, 80.50)."""
    lokakarya = Lokakarya.objects.filter(kabupaten__kode=LOMBOK_TIMUR).first()
    sekolah = Sekolah.objects.filter(kabupaten__kode=LOMBOK_TIMUR).first()
    only_pre = Peserta.objects.create(
        lokakarya=lokakarya,
        orang=OrangFactory(nama="Peserta Hanya Pre-test"),
        peran=PeranPeserta.KEPALA_SEKOLAH,
        sekolah=sekolah,
        kehadiran=Kehadiran.HADIR,
        nilai_pre=Decimal("70"),
    )
    full = Peserta.objects.create(
        lokakarya=lokakarya,
        orang=OrangFactory(nama="Peserta Nilai Sempurna"),
        peran=PeranPeserta.GURU,
        sekolah=sekolah,
        kehadiran=Kehadiran.HADIR,
        nilai_pre=Decimal("80.50"),
        nilai_post=Decimal("100.00"),
    )
    return {"only_pre": only_pre, "full": full}


def test_a_participant_with_only_a_pre_test_is_in_the_scores_export(demo, scored):
    header, rows = read_xlsx(export(demo["koordinator1"], "nilai"))
    by_name = {r["Nama peserta"]: r for r in records(header, rows)}
    row = by_name["Peserta Hanya Pre-test"]
    assert row["Nilai pre-test"] == 70
    assert row["Nilai post-test"] is None and row["Kenaikan (post − pre)"] is None
    assert row["Unsur"] == "Kepala sekolah"
    # Every row's role, as on the participant.
    for peserta in Peserta.objects.filter(lokakarya__kabupaten__kode=LOMBOK_TIMUR).exclude(
        nilai_pre__isnull=True, nilai_post__isnull=True
    ):
        assert by_name[peserta.orang.nama]["Unsur"] == peserta.get_peran_display()


def test_scores_in_the_csv_are_plain_decimals(demo, scored):
    header, rows = read_csv(export(demo["koordinator1"], "nilai", fmt="csv"))
    row = next(r for r in records(header, rows) if r["Nama peserta"] == "Peserta Nilai Sempurna")
    assert (row["Nilai pre-test"], row["Nilai post-test"], row["Kenaikan (post − pre)"]) == (
        "80.5",
        "100",
        "19.5",
    )
    row = next(r for r in records(header, rows) if r["Nama peserta"] == "Peserta Hanya Pre-test")
    assert (row["Nilai pre-test"], row["Nilai post-test"], row["Kenaikan (post − pre)"]) == (
        "70",
        "",
        "",
    )


# --- the CSV against the XLSX -----------------------------------------------------------

PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def as_csv_text(cell) -> str:
    """What the CSV should hold for an XLSX cell: ISO dates, dates with the
    time to the minute, plain numbers, text as is, nothing for an empty cell."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if "H" in cell.number_format:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.date().isoformat()
    if isinstance(value, int | float):
        return format(Decimal(str(value)).normalize(), "f")
    return value


@pytest.mark.parametrize("jenis", list(exports.JENIS))
def test_the_csv_holds_the_cells_of_the_xlsx(demo, scored, jenis):
    user = demo["koordinator1"]
    header, rows = read_xlsx(export(user, jenis))
    csv_header, csv_rows = read_csv(export(user, jenis, fmt="csv"))
    assert csv_header == header
    assert len(csv_rows) == len(rows) > 0
    for cells, texts in zip(rows, csv_rows, strict=True):
        assert texts == [as_csv_text(c) for c in cells]
        for cell, text in zip(cells, texts, strict=True):
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                assert PLAIN_NUMBER.fullmatch(text), text
    if jenis == "sesi_pi":
        flat = [t for r in csv_rows for t in r]
        assert any(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in flat)  # a journal's time
        assert "" in flat


# --- PMO follow-ups -------------------------------------------------------------------------


def tahun_ini() -> int:
    return tahun_ajaran_of(timezone.localdate())


@pytest.fixture
def aikmel(demo):
    """A Lombok Timur school named before the demo's SMA Negeri 1 Selong, with a
    PMO of last year and one of this year whose actions were created in the
    reverse order of their start."""
    sekolah = SekolahFactory(
        nama="SD Negeri 9 Aikmel", kabupaten=kabupaten(LOMBOK_TIMUR), jenjang=Jenjang.SD
    )
    now = timezone.now()
    tahun = tahun_ini()  # this school year, whatever the date the suite runs on
    this_year = InstrumenPMO.objects.create(sekolah=sekolah, tahun_ajaran=tahun)
    last_year = InstrumenPMO.objects.create(sekolah=sekolah, tahun_ajaran=tahun - 1)
    for instrumen, aktivitas, mulai in (
        (last_year, "Aikmel tahun lalu", dt.date(tahun - 1, 9, 1)),
        (this_year, "Aikmel Oktober", dt.date(tahun, 10, 1)),
        (this_year, "Aikmel Agustus", dt.date(tahun, 8, 1)),
    ):
        TindakLanjut.objects.create(
            instrumen=instrumen,
            aktivitas=aktivitas,
            status=StatusTindakLanjut.BERJALAN,
            mulai=mulai,
            diperbarui_at=now,
        )
    return sekolah


def test_pmo_rows_are_ordered_by_kabupaten_school_year_and_start(demo, aikmel):
    header, rows = read_xlsx(export(demo["operator1"], "pmo_tindak_lanjut"))
    data = records(header, rows)
    assert is_sorted([(r["Kabupaten/kota"], r["Sekolah"]) for r in data])
    assert len({r["Kabupaten/kota"] for r in data}) > 1
    aktivitas = [r["Tindak lanjut"] for r in data]
    first = aktivitas.index("Aikmel Agustus")
    assert aktivitas[first : first + 3] == ["Aikmel Agustus", "Aikmel Oktober", "Aikmel tahun lalu"]
    tahun = tahun_ini()
    assert [r["Tahun ajaran"] for r in data[first : first + 3]] == [
        f"{tahun}/{tahun + 1}",
        f"{tahun}/{tahun + 1}",
        f"{tahun - 1}/{tahun}",
    ]


def test_pmo_rows_name_their_school(demo, aikmel):
    header, rows = read_xlsx(export(demo["koordinator1"], "pmo_tindak_lanjut"))
    data = records(header, rows)
    actions = TindakLanjut.objects.filter(instrumen__sekolah__kabupaten__kode=LOMBOK_TIMUR)
    expected = sorted(
        (
            t.aktivitas,
            t.instrumen.sekolah.npsn,
            t.instrumen.sekolah.nama,
            t.instrumen.sekolah.get_jenjang_display(),
        )
        for t in actions.select_related("instrumen__sekolah")
    )
    got = sorted((r["Tindak lanjut"], r["NPSN"], r["Sekolah"], r["Jenjang"]) for r in data)
    assert got == expected
    assert {r[3] for r in got} == {"SD", "SMA"}


def test_pmo_export_honours_the_jenjang_and_school_year(demo, aikmel):
    user = demo["koordinator1"]

    def names(**filter_):
        header, rows = read_csv(export(user, "pmo_tindak_lanjut", fmt="csv", **filter_))
        return sorted(r["Tindak lanjut"] for r in records(header, rows))

    aikmel_names = ["Aikmel Agustus", "Aikmel Oktober", "Aikmel tahun lalu"]
    selong = sorted(
        TindakLanjut.objects.filter(instrumen__sekolah__npsn="50203101").values_list(
            "aktivitas", flat=True
        )
    )
    assert selong
    assert names(jenjang="SD") == aikmel_names
    assert names(jenjang="SMA") == selong
    assert names(jenjang="SMP") == []
    tahun = tahun_ini()
    selong_now = sorted(
        TindakLanjut.objects.filter(
            instrumen__sekolah__npsn="50203101", instrumen__tahun_ajaran=tahun
        ).values_list("aktivitas", flat=True)
    )
    assert names(tahun_ajaran=tahun) == sorted([*selong_now, "Aikmel Agustus", "Aikmel Oktober"])
    assert "Aikmel tahun lalu" in names(tahun_ajaran=tahun - 1)
    assert names(tahun_ajaran=tahun, jenjang="SD") == ["Aikmel Agustus", "Aikmel Oktober"]


# --- learning communities ------------------------------------------------------------------


def test_komunitas_rows_are_schools_in_order_with_their_npsn_and_jenjang(demo):
    # Created last, named first: an order by creation shows.
    first = SekolahFactory(
        nama="SD Negeri 0 Awal", kabupaten=kabupaten(LOMBOK_TIMUR), jenjang=Jenjang.SMP
    )
    TahapOptimalisasi.objects.create(sekolah=first, tahap=1, status=StatusTahap.BERJALAN)
    header, rows = read_xlsx(export(demo["operator1"], "komunitas_tahap"))
    data = records(header, rows)
    keys = [(r["Kabupaten/kota"], r["Sekolah"]) for r in data]
    assert is_sorted(keys) and len({k[0] for k in keys}) > 1
    lotim = [r for r in data if r["Kabupaten/kota"] == "Kabupaten Lombok Timur"]
    assert lotim[0]["Sekolah"] == "SD Negeri 0 Awal"
    assert lotim[0]["Tahap 1: Membentuk tim kecil"] == "Berjalan"
    # A stage the school has no record of yet reads "Belum".
    assert lotim[0]["Tahap 2: Menyepakati komitmen bersama dan nilai-nilai"] == "Belum"
    schools = {s.nama: s for s in Sekolah.objects.all()}
    for row in data:
        school = schools[row["Sekolah"]]
        assert (row["NPSN"], row["Jenjang"]) == (school.npsn, school.get_jenjang_display())


# --- the region table's CSV (pmo.exports) -------------------------------------------------


def wilayah_csv(client, capture, user, query=""):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("pmo:wilayah-csv") + query)
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == Job.Status.SELESAI, job.error
    assert job.result_name == f"pmo-wilayah-{timezone.localdate():%Y-%m-%d}.csv"
    got = client.get(reverse("program:job-download", args=[job.pk]))
    return read_csv(b"".join(got.streaming_content))


def test_region_csv_columns_and_dates(client, demo, django_capture_on_commit_callbacks):
    user = demo["koordinator1"]
    header, rows = wilayah_csv(client, django_capture_on_commit_callbacks, user)
    statuses = [f"Tindak lanjut {str(label).lower()}" for label in StatusTindakLanjut.labels]
    assert header == [
        "NPSN",
        "Nama sekolah",
        "Jenjang",
        "Kabupaten/kota",
        "Tahun ajaran",
        "Siklus PMO",
        "Langkah PMO (0–4)",
        *statuses,
        "Terakhir diperbarui",
        "Bulan sejak pembaruan terakhir",
        "Tindak lanjut tereskalasi",
    ]
    client.force_login(user)
    table = {s.npsn: s for s in client.get(reverse("pmo:wilayah")).context["rows"]}
    data = {r["NPSN"]: r for r in records(header, rows)}
    assert set(data) == set(table)
    tahun, siklus = services.periode_pmo(timezone.localdate())
    updated = never = 0
    for npsn, row in data.items():
        school = table[npsn]
        assert row["Tahun ajaran"] == f"{tahun}/{tahun + 1}"
        assert row["Siklus PMO"] == str(siklus)
        if school.terakhir_diperbarui is None:
            never += 1
            assert row["Terakhir diperbarui"] == "" and row["Bulan sejak pembaruan terakhir"] == ""
            continue
        updated += 1
        local = timezone.localtime(school.terakhir_diperbarui).replace(tzinfo=None)
        shown = dt.datetime.strptime(row["Terakhir diperbarui"], "%Y-%m-%d %H:%M")
        assert shown == local.replace(second=0, microsecond=0)
        assert row["Bulan sejak pembaruan terakhir"] == str(school.bulan_sejak)
    assert updated and never


def test_region_csv_honours_the_kabupaten_filter(client, demo, django_capture_on_commit_callbacks):
    sikka = kabupaten(SIKKA)
    header, rows = wilayah_csv(
        client, django_capture_on_commit_callbacks, demo["operator1"], f"?kabupaten={sikka.pk}"
    )
    data = records(header, rows)
    assert sorted(r["NPSN"] for r in data) == sorted(
        Sekolah.objects.filter(kabupaten=sikka).values_list("npsn", flat=True)
    )
    assert {r["Kabupaten/kota"] for r in data} == {"Kabupaten Sikka"}


# --- columns: names, kinds of cell, widths ------------------------------------------------

TEXT, NUMBER, DATE, DATETIME = "text", "number", "date", "date and time"
STAGES = [
    "Membentuk tim kecil",
    "Menyepakati komitmen bersama dan nilai-nilai",
    "Lingkungan belajar yang ramah guru",
    "Jam wajib belajar dalam jadwal",
    "Belajar bersama dan berbagi praktik baik",
]
WORKSHOP = {
    "Lokakarya": TEXT,
    "Tanggal": DATE,
    "Kabupaten/kota": TEXT,
    "Nama peserta": TEXT,
    "Unsur": TEXT,
    "Sekolah/instansi": TEXT,
}
COLUMNS = {
    "sesi_pi": {
        "Angkatan": TEXT,
        "Kabupaten/kota": TEXT,
        "NPSN": TEXT,
        "Sekolah": TEXT,
        "Pengajar Praktik": TEXT,
        "CGP": TEXT,
        "PI ke-": NUMBER,
        "Tanggal sesi": DATE,
        "Keadaan PI": TEXT,
        "Status jurnal": TEXT,
        "Jurnal diajukan pada": DATETIME,
        "Jumlah RTL": NUMBER,
    },
    "kehadiran": {**WORKSHOP, "Kehadiran": TEXT},
    "nilai": {
        **WORKSHOP,
        "Nilai pre-test": NUMBER,
        "Nilai post-test": NUMBER,
        "Kenaikan (post − pre)": NUMBER,
    },
    "pmo_tindak_lanjut": {
        "Kabupaten/kota": TEXT,
        "NPSN": TEXT,
        "Sekolah": TEXT,
        "Jenjang": TEXT,
        "Tahun ajaran": TEXT,
        "Siklus PMO": NUMBER,
        "Tindak lanjut": TEXT,
        "Status saat ini": TEXT,
        "Terakhir diperbarui": DATETIME,
        "Bulan sejak pembaruan terakhir": NUMBER,
        "Tereskalasi": TEXT,
    },
    "komunitas_tahap": {
        "Kabupaten/kota": TEXT,
        "NPSN": TEXT,
        "Sekolah": TEXT,
        "Jenjang": TEXT,
        **{
            name: kind
            for n, stage in enumerate(STAGES, start=1)
            for name, kind in ((f"Tahap {n}: {stage}", TEXT), (f"Tanggal tercapai tahap {n}", DATE))
        },
    },
}
# The text columns of a declared width; the others are as wide as their name.
DECLARED_WIDTH = {
    "Angkatan": 14,
    "NPSN": 11,
    **dict.fromkeys(
        [
            "Kabupaten/kota",
            "Sekolah",
            "Pengajar Praktik",
            "CGP",
            "Lokakarya",
            "Nama peserta",
            "Sekolah/instansi",
            "Tindak lanjut",
        ],
        30,
    ),
}


def kind_of(cell) -> str | None:
    if cell.value is None:
        return None
    if cell.is_date:
        return DATETIME if "H" in cell.number_format else DATE
    if cell.data_type == "n":
        return NUMBER
    assert cell.data_type == "s", cell
    return TEXT


@pytest.mark.parametrize("jenis", list(exports.JENIS))
def test_columns_have_their_names_kinds_widths_and_sheet(demo, scored, jenis):
    """Dates are dates and numbers numbers (Excel sorts and sums them), text
    columns are as wide as declared, the rest as wide as their name, the
    header row is bold and the data is not, and the sheet has the kind's name."""
    content = export(demo["operator1"], jenis)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    (sheet,) = workbook.worksheets
    assert sheet.title == str(exports.JENIS[jenis].lembar)
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    expected = COLUMNS[jenis]
    assert header == list(expected)
    assert all(c.font.b for c in rows[0])
    seen = {name: set() for name in header}
    for row in rows[1:]:
        for name, cell in zip(header, row, strict=True):
            seen[name].add(kind_of(cell))
            assert not cell.font.b, cell
    for name, kind in expected.items():
        assert seen[name] - {None} <= {kind}, name
    assert {kind for kinds in seen.values() for kind in kinds} - {None} == set(expected.values())
    for letter, name in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", header, strict=False):
        width = sheet.column_dimensions[letter].width
        assert width == DECLARED_WIDTH.get(name, max(12, min(40, len(name) + 2))), name


@pytest.mark.parametrize("jenis", list(exports.JENIS))
def test_the_xlsx_package_is_complete_and_holds_no_stray_text(demo, jenis):
    """What Excel needs and openpyxl forgives: the package's relationships to
    the workbook, and no text in the sheet's XML outside the cells' values."""
    with zipfile.ZipFile(io.BytesIO(export(demo["koordinator1"], jenis))) as archive:
        rels = ET.fromstring(archive.read("_rels/.rels"))  # noqa: S314 (our own file)
        assert [r.get("Target") for r in rels] == ["xl/workbook.xml"]
        assert archive.getinfo("xl/worksheets/sheet1.xml").compress_type == zipfile.ZIP_DEFLATED
        for name in archive.namelist():
            for element in ET.fromstring(archive.read(name)).iter():  # noqa: S314
                if element.tag.rpartition("}")[2] not in ("t", "v"):
                    assert not (element.text or "").strip(), (name, element.tag, element.text)
                assert not (element.tail or "").strip(), (name, element.tag, element.tail)


def test_empty_text_cells_are_blank_and_control_characters_dropped(demo):
    """An empty text cell is blank, as Excel's ISBLANK and COUNTA see it; a
    control character (not allowed in XLSX) is left out of the text."""
    lokakarya = Lokakarya.objects.filter(kabupaten__kode=LOMBOK_TIMUR).first()
    Peserta.objects.create(
        lokakarya=lokakarya,
        orang=OrangFactory(nama="Peserta\x07 Berbel", instansi=""),
        peran=PeranPeserta.LAINNYA,
    )
    header, rows = read_xlsx(export(demo["koordinator1"], "kehadiran"))
    (row,) = [r for r in records(header, rows) if "Berbel" in r["Nama peserta"]]
    assert row["Nama peserta"] == "Peserta Berbel"
    assert row["Sekolah/instansi"] is None


def test_times_are_local_to_the_second(demo):
    """A journal submitted late in the (local) day shows that very second."""
    sesi = SesiPI.objects.filter(
        jurnal__status="diajukan", penugasan__sekolah__kabupaten__kode=LOMBOK_TIMUR
    ).first()
    local = dt.datetime(2026, 11, 30, 23, 59, 58)
    moment = timezone.make_aware(local)
    type(sesi.jurnal).objects.filter(pk=sesi.jurnal.pk).update(diajukan_at=moment)
    header, rows = read_xlsx(export(demo["koordinator1"], "sesi_pi"))
    row = next(
        r
        for r in records(header, rows)
        if r["CGP"] == sesi.penugasan.cgp.nama and r["PI ke-"] == sesi.urutan
    )
    assert row["Jurnal diajukan pada"] == local
    header, rows = read_csv(export(demo["koordinator1"], "sesi_pi", fmt="csv"))
    assert "2026-11-30 23:59" in {r["Jurnal diajukan pada"] for r in records(header, rows)}


# --- workshops: order, columns, filters -----------------------------------------------------


def test_workshop_rows_are_newest_first_then_by_workshop_and_name(demo):
    """Two workshops of the same name and day stay apart, each one's
    participants by name."""
    fasilitator = OrangFactory()
    day = dt.date(2026, 12, 20)

    def workshop(kode, *names):
        lokakarya = Lokakarya.objects.create(
            nama="Lokakarya Kembar",
            program=Lokakarya.objects.first().program,
            kabupaten=kabupaten(kode),
            moda="luring",
            tanggal_mulai=day,
            tanggal_selesai=day,
            fasilitator=fasilitator,
            created_by=fasilitator.user,
        )
        for nama in names:
            Peserta.objects.create(
                lokakarya=lokakarya, orang=OrangFactory(nama=nama), peran=PeranPeserta.GURU
            )

    workshop(LOMBOK_TIMUR, "Zaenal Kembar", "Bagus Kembar")
    workshop(SIKKA, "Anton Kembar")
    header, rows = read_xlsx(export(demo["operator1"], "kehadiran"))
    data = records(header, rows)
    twins = [
        (r["Kabupaten/kota"], r["Nama peserta"])
        for r in data
        if r["Lokakarya"] == "Lokakarya Kembar"
    ]
    assert twins == [
        ("Kabupaten Lombok Timur", "Bagus Kembar"),
        ("Kabupaten Lombok Timur", "Zaenal Kembar"),
        ("Kabupaten Sikka", "Anton Kembar"),
    ]
    days = [r["Tanggal"] for r in data]
    assert days == sorted(days, reverse=True)
    for a, b in itertools.pairwise(data):
        if a["Tanggal"] == b["Tanggal"] and a["Lokakarya"] != b["Lokakarya"]:
            assert a["Lokakarya"] < b["Lokakarya"]


def test_two_workshops_on_one_day_are_listed_by_name_not_by_when_they_were_made(demo):
    """The workshop made later but named first alphabetically comes first."""
    fasilitator = OrangFactory()
    day = timezone.localdate() + dt.timedelta(days=400)  # newer than any in the demo

    for nama, peserta in (
        ("Lokakarya Zaitun", "Zaitun Peserta"),
        ("Lokakarya Anggrek", "Anggrek Peserta"),
    ):
        lokakarya = Lokakarya.objects.create(
            nama=nama,
            program=Lokakarya.objects.first().program,
            kabupaten=kabupaten(LOMBOK_TIMUR),
            moda="luring",
            tanggal_mulai=day,
            tanggal_selesai=day,
            fasilitator=fasilitator,
            created_by=fasilitator.user,
        )
        Peserta.objects.create(
            lokakarya=lokakarya, orang=OrangFactory(nama=peserta), peran=PeranPeserta.GURU
        )
    header, rows = read_xlsx(export(demo["operator1"], "kehadiran"))
    first_two = [(r["Lokakarya"], r["Nama peserta"]) for r in records(header, rows)[:2]]
    assert first_two == [
        ("Lokakarya Anggrek", "Anggrek Peserta"),
        ("Lokakarya Zaitun", "Zaitun Peserta"),
    ]


def test_workshop_rows_name_the_workshop_and_the_school_or_instansi(demo):
    """A participant's school, or for one without (a pengawas) the instansi
    on their profile."""
    lokakarya = Lokakarya.objects.filter(kabupaten__kode=LOMBOK_TIMUR).first()
    Peserta.objects.create(
        lokakarya=lokakarya,
        orang=OrangFactory(nama="Pengawas Tanpa Sekolah", instansi="Dinas Pendidikan Lotim"),
        peran=PeranPeserta.PENGAWAS,
    )
    header, rows = read_xlsx(export(demo["koordinator1"], "kehadiran"))
    got = sorted(
        (r["Nama peserta"], r["Lokakarya"], r["Sekolah/instansi"]) for r in records(header, rows)
    )
    participants = Peserta.objects.filter(lokakarya__kabupaten__kode=LOMBOK_TIMUR)
    assert participants.filter(sekolah__isnull=False).exclude(orang__instansi="").exists()
    expected = sorted(
        (
            p.orang.nama,
            p.lokakarya.nama,
            p.sekolah.nama if p.sekolah else (p.orang.instansi or None),
        )
        for p in participants.select_related("lokakarya", "sekolah", "orang")
    )
    assert got == expected
    assert ("Pengawas Tanpa Sekolah", lokakarya.nama, "Dinas Pendidikan Lotim") in got


def test_workshop_exports_honour_the_cohort_and_jenjang(demo, scored):
    user = demo["operator1"]
    # The demo's workshops belong to no cohort: the one with scores gets one.
    angkatan = PenugasanPP.objects.get(cgp__user=demo["cgp1"]).angkatan
    scored_workshop = Peserta.objects.filter(nilai_post__isnull=False).values("lokakarya")[:1]
    Lokakarya.objects.filter(pk=scored_workshop).update(angkatan=angkatan)

    def names(jenis, **filter_):
        header, rows = read_csv(export(user, jenis, fmt="csv", **filter_))
        return sorted(r["Nama peserta"] for r in records(header, rows))

    for jenis in ("kehadiran", "nilai"):
        everyone = Peserta.objects.all()
        if jenis == "nilai":
            everyone = everyone.exclude(nilai_pre__isnull=True, nilai_post__isnull=True)
        in_cohort = everyone.filter(lokakarya__angkatan=angkatan)
        assert 0 < in_cohort.count() < everyone.count()
        assert names(jenis, angkatan=angkatan.pk) == sorted(p.orang.nama for p in in_cohort)
        at_sd = everyone.filter(sekolah__jenjang=Jenjang.SD)
        assert 0 < at_sd.count() < everyone.count()
        assert names(jenis, jenjang=Jenjang.SD) == sorted(p.orang.nama for p in at_sd)


# --- PMO: escalation -------------------------------------------------------------------------


def test_pmo_rows_say_whether_they_are_escalated(demo):
    header, rows = read_xlsx(export(demo["operator1"], "pmo_tindak_lanjut"))
    shown = {r["Tindak lanjut"]: r["Tereskalasi"] for r in records(header, rows)}
    escalated = {
        t.aktivitas for t in TindakLanjut.objects.all() if t.status == StatusTindakLanjut.TERKENDALA
    }
    assert escalated and set(shown.values()) == {"Ya", "Tidak"}
    assert {a for a, v in shown.items() if v == "Ya"} == escalated


# --- writing: large sheets, progress ----------------------------------------------------


def test_a_sheet_written_in_several_pieces_holds_every_row(demo, monkeypatch):
    """A sheet longer than one write (XLSX_FLUSH_ROWS rows) loses no row."""
    user = demo["koordinator1"]
    whole = values_of(export(user, "kehadiran"))
    monkeypatch.setattr(exports, "XLSX_FLUSH_ROWS", 3)
    assert values_of(export(user, "kehadiran")) == whole
    assert len(whole) > 2 * 3


def values_of(content: bytes) -> list[list]:
    header, rows = read_xlsx(content)
    return [header, *([c.value for c in row] for row in rows)]


@pytest.mark.parametrize("jenis", list(exports.JENIS))
def test_progress_rises_to_95_percent_as_rows_are_written(demo, monkeypatch, jenis):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    reported = []
    written = exports.ekspor_ke_berkas(
        exports.JENIS[jenis],
        user=demo["koordinator1"],
        saringan=Saringan(),
        fmt="xlsx",
        target=io.BytesIO(),
        progress=reported.append,
    )
    assert len(reported) == 1 + written and written > 2
    assert all(type(p) is int for p in reported)
    assert reported[0] == 1 and reported[-1] == 95
    assert reported == sorted(reported) and reported[(written + 1) // 2] >= 40
