"""Imports of master data as an operator experiences them: template, dry run, confirm."""

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from program import imports
from program.models import (
    KabupatenKota,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    Sekolah,
)

User = get_user_model()

SEKOLAH_HEAD = ["npsn", "nama", "jenjang", "status", "kode_kabupaten", "alamat"]
ORANG_HEAD = imports.JENIS["orang"].nama_kolom
PENUGASAN_HEAD = imports.JENIS["penugasan"].nama_kolom
PP1_NIP, PP2_NIP, CGP1_NIP = "198305122009031004", "198711032010011002", "199002152014022001"


def xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, *, delimiter=",", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, jenis, content, name="data.xlsx"):
    return client.post(
        reverse("program:impor-preview", args=[jenis]),
        {"berkas": SimpleUploadedFile(name, content)},
    )


def confirm(client, jenis, response):
    token = response.context["token"]
    assert token, response.context["pratinjau"].galat
    return client.post(reverse("program:impor-apply", args=[jenis]), {"token": token})


def snapshot():
    """Row and history counts of everything an import may write."""
    models = [Sekolah, Orang, PenugasanPP, PenugasanSekolah, PenugasanWilayah]
    counts = {m.__name__: m.objects.count() for m in models}
    counts.update({f"history:{m.__name__}": m.history.count() for m in models})
    counts["User"] = User.objects.count()
    return counts


def errors_of(response):
    return [(g.baris, g.kolom, g.pesan) for g in response.context["pratinjau"].galat]


@pytest.fixture
def operator(client, demo):
    client.force_login(demo["operator1"])
    return demo["operator1"]


# --- access -----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["pp1", "cgp1", "koordinator1", "fasilitator1", "ks1"])
def test_non_operators_get_404_everywhere(client, demo, username):
    client.force_login(demo[username])
    before = snapshot()
    content = xlsx([SEKOLAH_HEAD, ["50209901", "SD Uji", "SD", "negeri", "5203", ""]])
    assert client.get(reverse("program:impor")).status_code == 404
    assert client.get(reverse("program:impor-templat", args=["sekolah", "xlsx"])).status_code == 404
    assert upload(client, "sekolah", content).status_code == 404
    terapkan = reverse("program:impor-apply", args=["sekolah"])
    assert client.post(terapkan, {"token": "x"}).status_code == 404
    assert snapshot() == before


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("program:impor"))
    assert response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )


def test_operator_sees_the_page_with_columns_documented(client, operator):
    response = client.get(reverse("program:impor"))
    assert response.status_code == 200
    html = response.content.decode()
    for jenis in imports.JENIS.values():
        assert reverse("program:impor-templat", args=[jenis.kode, "xlsx"]) in html
        for kolom in jenis.kolom:
            assert f"<code>{kolom.nama}</code>" in html
    assert client.get(reverse("program:impor-templat", args=["sekolah", "pdf"])).status_code == 404
    assert client.get(reverse("program:impor-templat", args=["lain", "csv"])).status_code == 404


# --- templates ------------------------------------------------------------------------


def download_xlsx(client, jenis):
    response = client.get(reverse("program:impor-templat", args=[jenis, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="templat-impor-{jenis}.xlsx"'
    return openpyxl.load_workbook(io.BytesIO(response.content))


def download_csv(client, jenis):
    response = client.get(reverse("program:impor-templat", args=[jenis, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_xlsx_templates_filled_in_are_imported(client, operator):
    """Download each template, keep its example row, add rows, import it."""
    wb = download_xlsx(client, "sekolah")
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == SEKOLAH_HEAD
    assert ws["A2"].number_format == "@"  # NPSN/NIP keep their digits in Excel
    assert "Petunjuk" in wb.sheetnames
    ws.append(["50209902", "SMP Negeri 9 Contoh", "SMP", "swasta", "5201", ""])
    out = io.BytesIO()
    wb.save(out)
    response = upload(client, "sekolah", out.getvalue(), "templat-impor-sekolah.xlsx")
    assert response.context["pratinjau"].ringkasan == {
        "baru": 2,
        "berubah": 0,
        "tetap": 0,
        "galat": 0,
    }
    assert confirm(client, "sekolah", response).status_code == 302
    assert Sekolah.objects.get(npsn="50209902").kabupaten.kode == "5201"

    wb = download_xlsx(client, "orang")
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == ORANG_HEAD
    ws.append(
        [
            "Baiq Rahmawati, S.Pd",
            "",
            "1234567890123456",
            "",
            "",
            "",
            "",
            "kepala_sekolah",
            "50209902",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    response = upload(client, "orang", out.getvalue(), "orang.xlsx")
    assert response.context["pratinjau"].ringkasan["baru"] == 2, errors_of(response)
    assert confirm(client, "orang", response).status_code == 302
    guru = Orang.objects.get(nip="198501012010011001")
    assert guru.user.username == "contoh.guru" and not guru.user.has_usable_password()
    assert PenugasanSekolah.objects.filter(
        orang__nuptk="1234567890123456", sekolah__npsn="50209902", peran=Peran.KEPALA_SEKOLAH
    ).exists()

    wb = download_xlsx(client, "penugasan")
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == PENUGASAN_HEAD
    ws.append(["fasilitator", "198501012010011001", None, "50209901", None, None])
    out = io.BytesIO()
    wb.save(out)
    response = upload(client, "penugasan", out.getvalue(), "penugasan.xlsx")
    # The example row (pp1 → cgp1 in PGP 11) is already in the demo data.
    assert response.context["pratinjau"].ringkasan == {
        "baru": 1,
        "berubah": 0,
        "tetap": 1,
        "galat": 0,
    }
    assert confirm(client, "penugasan", response).status_code == 302
    assert PenugasanSekolah.objects.filter(
        orang=guru, sekolah__npsn="50209901", peran=Peran.FASILITATOR
    ).exists()


def test_csv_templates_filled_in_are_imported(client, operator):
    rows = download_csv(client, "sekolah")
    assert rows[0] == SEKOLAH_HEAD and len(rows) == 2
    rows.append(["50209903", "SLB Negeri Contoh", "SLB", "negeri", "5203", "Selong"])
    response = upload(client, "sekolah", csv_bytes(rows), "sekolah.csv")
    assert response.context["pratinjau"].ringkasan["baru"] == 2
    confirm(client, "sekolah", response)

    rows = download_csv(client, "orang")
    assert rows[0] == ORANG_HEAD
    response = upload(client, "orang", csv_bytes(rows), "orang.csv")
    assert response.context["pratinjau"].ringkasan["baru"] == 1, errors_of(response)
    confirm(client, "orang", response)

    rows = download_csv(client, "penugasan")
    assert rows[0] == PENUGASAN_HEAD
    rows.append(["koordinator", "contoh.guru", "", "", "", "5201"])
    response = upload(client, "penugasan", csv_bytes(rows), "penugasan.csv")
    assert response.context["pratinjau"].ringkasan == {
        "baru": 1,
        "berubah": 0,
        "tetap": 1,
        "galat": 0,
    }
    confirm(client, "penugasan", response)
    assert PenugasanWilayah.objects.filter(
        orang__user__username="contoh.guru", kabupaten__kode="5201"
    ).exists()


def test_history_says_which_import_file_row_and_operator_wrote_it(client, operator):
    rows = [
        SEKOLAH_HEAD,
        ["50209903", "SLB Negeri Contoh", "SLB", "negeri", "5203", "Selong"],
        ["50209904", "SD Negeri Contoh", "SD", "negeri", "5203", "Selong"],
    ]
    moment = dt.datetime(2027, 3, 9, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with time_machine.travel(moment, tick=False):
        client.force_login(operator)  # a session of that day
        preview = upload(client, "sekolah", csv_bytes(rows), "sekolah-maret.csv")
        confirm(client, "sekolah", preview)

    record = Sekolah.objects.get(npsn="50209904").history.get()
    assert record.history_user == operator
    assert record.history_change_reason == (
        "Baris 3 · impor sekolah “sekolah-maret.csv” oleh operator1, 9 Mar 2027 10.15"
    )


# --- dry run ------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_lists_changes_old_to_new(client, operator):
    before = snapshot()
    content = xlsx(
        [
            SEKOLAH_HEAD,
            ["50209901", "SD Negeri 1 Baru", "SD", "negeri", "5203", "Selong"],
            ["50203101", "SMA Negeri 1 Selong", "SMA", "swasta", "5201", ""],
            ["50203102", "SD Negeri 4 Terara", "SD", "negeri", "5203", ""],
        ]
    )
    response = upload(client, "sekolah", content)
    assert response.status_code == 200
    pratinjau = response.context["pratinjau"]
    assert [b.status for b in pratinjau.baris] == ["baru", "berubah", "tetap"]
    changes = {(p.kolom, p.lama, p.baru) for p in pratinjau.baris[1].perubahan}
    assert changes == {
        ("Status", "Negeri", "Swasta"),
        ("Kabupaten/kota", "Kabupaten Lombok Timur (5203)", "Kabupaten Lombok Barat (5201)"),
    }
    html = response.content.decode()
    assert "Kabupaten Lombok Barat (5201)" in html and "Terapkan impor" in html
    assert snapshot() == before


def test_dry_run_reports_every_error_with_its_row_number(client, operator):
    before = snapshot()
    content = xlsx(
        [
            SEKOLAH_HEAD,
            ["50209901", "SD Baik", "SD", "negeri", "5203", ""],
            ["5020", "SD NPSN Pendek", "SD", "negeri", "5203", ""],
            [],  # blank rows are skipped but keep the numbering
            ["50209904", "SD Tanpa Wilayah", "SD", "negeri", "9999", ""],
            ["50209901", "SD Kembar", "SD", "negeri", "5203", ""],
            ["50209906", "", "TK", "pribadi", "5203", ""],
        ]
    )
    response = upload(client, "sekolah", content)
    errors = errors_of(response)
    assert errors == [
        (3, "npsn", "NPSN “5020” tidak valid: harus 8 angka/huruf."),
        (5, "kode_kabupaten", "Kode kabupaten/kota “9999” tidak dikenal."),
        (6, "npsn", "NPSN 50209901 sudah muncul di baris 2."),
        (7, "nama", "Kolom nama wajib diisi."),
        (7, "jenjang", "Jenjang “TK” tidak dikenal. Pilih: PAUD, SD, SMP, SMA, SMK, SLB."),
        (7, "status", "Status “pribadi” tidak dikenal. Pilih: negeri atau swasta."),
    ]
    html = response.content.decode()
    assert "Ditemukan 6 galat" in html and "Terapkan impor" not in html
    assert response.context["token"] == ""
    assert snapshot() == before


def test_orang_errors_are_reported_per_row(client, operator):
    rows = [
        ORANG_HEAD,
        ["Guru NIP Salah", "1.98305122009031E+17", "", "", "", "", "", "", ""],
        ["Tanpa Kunci", "", "", "", "", "", "", "guru", "50203101"],
        ["Peran Aneh", "", "", "", "", "", "aneh1", "kepala_dinas", "50203101"],
        ["Peran PP", "", "", "", "", "", "aneh2", "pp", "50203101"],
        ["Sekolah Hilang", "", "", "", "bukan-email", "", "aneh3", "guru", "99999999"],
        ["Dua Orang", PP1_NIP, "", "", "", "", "pp2", "", ""],
        ["Guru Kembar", "", "", "", "", "", "kembar", "guru", "50203101"],
        ["Guru Kembar", "", "", "", "", "", "kembar", "guru", "50203101"],
        ["Akun Lain", "", "", "", "", "", "", "", ""],
    ]
    response = upload(client, "orang", csv_bytes(rows, delimiter=";"), "orang.csv")
    errors = errors_of(response)
    by_row = {}
    for baris, kolom, pesan in errors:
        by_row.setdefault(baris, []).append((kolom, pesan))
    assert "format kolom sebagai Teks" in by_row[2][0][1]
    assert by_row[3][0][0] == "nip" and "NIP, NUPTK atau username" in by_row[3][0][1]
    assert by_row[4] == [
        (
            "peran",
            "Peran “kepala_dinas” tidak dikenal. Pilih: fasilitator, guru, kepala_sekolah, "
            "operator_sekolah, pengawas, pic_komunitas.",
        )
    ]
    assert by_row[5] == [("peran", "Peran “pp” diberikan lewat impor penugasan, bukan di sini.")]
    assert sorted(by_row[6]) == [
        ("email", "Email “bukan-email” tidak valid."),
        ("npsn", "Sekolah dengan NPSN 99999999 tidak ditemukan."),
    ]
    assert "menunjuk ke orang yang berbeda" in by_row[7][0][1]
    assert 8 not in by_row
    assert by_row[9] == [
        ("peran", "Peran ini untuk orang dan sekolah yang sama sudah ada di baris 8.")
    ]
    assert 10 in by_row
    assert Orang.objects.filter(nama__in=["Guru Kembar", "Peran Aneh"]).count() == 0


def test_penugasan_errors_are_reported_per_row(client, operator):
    rows = [
        PENUGASAN_HEAD,
        ["pp", PP1_NIP, "999999999999999999", "50203103", "PGP 11", ""],
        ["pp", PP1_NIP, CGP1_NIP, "50203103", "PGP 99", ""],
        ["mentor", PP1_NIP, "", "", "", ""],
        ["fasilitator", "fasilitator1", "", "50203102", "", "5203"],
        ["koordinator", "tidak.ada", "", "", "", "5203"],
        ["pp", PP1_NIP, PP1_NIP, "50203103", "PGP 11", ""],
        ["fasilitator", "fasilitator1", "", "50203102", "", ""],
        ["fasilitator", "fasilitator1", "", "50203102", "", ""],
    ]
    response = upload(client, "penugasan", xlsx(rows))
    errors = errors_of(response)
    assert errors == [
        (2, "cgp", "Orang dengan NIP “999999999999999999” tidak ditemukan. Impor orangnya dulu."),
        (
            3,
            "angkatan",
            "Angkatan “PGP 99” tidak dikenal. Tulis kode program dan nomor, mis. PGP 11.",
        ),
        (
            4,
            "tipe",
            "Tipe penugasan “mentor” tidak dikenal. Pilih: pp, fasilitator, "
            "fasilitator_pgp, koordinator, operator_balai.",
        ),
        (
            5,
            "kode_kabupaten",
            "Kolom kode_kabupaten tidak dipakai untuk tipe fasilitator; kosongkan.",
        ),
        (6, "orang", "Orang dengan username “tidak.ada” tidak ditemukan. Impor orangnya dulu."),
        (7, "cgp", "PP dan CGP tidak boleh orang yang sama."),
        (9, "orang", "Penugasan yang sama sudah ada di baris 8."),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Format .xls"),
        ("data.pdf", b"%PDF-1.4 ...", "Jenis berkas tidak didukung"),
        ("utf16.csv", "npsn,nama\n".encode("utf-16"), "UTF-16"),
        (
            "latin1.csv",
            "npsn,nama,jenjang,status,kode_kabupaten\n1,Sekolah Ñ,SD,negeri,5203\n".encode(
                "latin-1"
            ),
            "tidak berenkode UTF-8 (karakter tidak dikenali di baris 2)",
        ),
        (
            "kurang.csv",
            b"npsn,nama,jenjang\n50209901,SD,SD\n",
            "Kolom wajib tidak ada di baris 1: status, kode_kabupaten",
        ),
        (
            "salah.csv",
            b"npsn,nama,jenjang,status,kode_kabupaten,kecamatan\n",
            "Kolom tidak dikenal di baris 1: kecamatan",
        ),
        ("kosong.csv", b"npsn,nama,jenjang,status,kode_kabupaten\n", "tidak berisi baris data"),
        ("rusak.xlsx", b"PK\x03\x04 bukan zip", "Berkas XLSX tidak dapat dibaca"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(client, operator, name, content, message):
    before = snapshot()
    response = upload(client, "sekolah", content, name)
    assert response.status_code == 400
    assert message in response.context["galat"]
    assert message in response.content.decode()
    assert snapshot() == before
    assert not client.session.get(imports.SESSION_KEY)


def test_csv_with_bom_and_semicolons_and_spaced_headers_is_read(client, operator):
    rows = [
        ["NPSN", "Nama", "Jenjang", "Status", "Kode Kabupaten"],
        ["50209901", "SD Uji", "sd", "Negeri", "5203"],
    ]
    response = upload(client, "sekolah", csv_bytes(rows, delimiter=";"), "excel.csv")
    assert response.status_code == 200
    assert response.context["pratinjau"].ringkasan["baru"] == 1


# --- confirm ----------------------------------------------------------------------------------


# Rules the operator import has shared with the score import since both read
# files through program.spreadsheet.read_table.


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_numbers(client, operator):
    content = xlsx(
        [
            ["Data sekolah binaan Kabupaten Lombok Timur"],
            [],
            SEKOLAH_HEAD,
            ["50209901", "SD Uji", "SD", "negeri", "5203", ""],
            ["50209902", "", "SD", "negeri", "5203", ""],
        ]
    )
    before = snapshot()
    response = upload(client, "sekolah", content)
    assert response.status_code == 200
    assert errors_of(response) == [(5, "nama", "Kolom nama wajib diisi.")]
    assert snapshot() == before


def test_semicolon_csv_under_a_title_with_commas_is_read(client, operator):
    # The title line has commas and no semicolon: the delimiter is the one under
    # which the header is found, not the first line's.
    content = csv_bytes(
        [
            ["Sekolah baru, Kabupaten Lombok Timur, 2026"],
            ["npsn", "nama", "jenjang", "status", "kode_kabupaten"],
            ["50209901", "SD Uji", "SD", "negeri", "5203"],
        ],
        delimiter=";",
    )
    response = upload(client, "sekolah", content, "sekolah.csv")
    assert response.status_code == 200
    assert response.context["pratinjau"].jumlah(imports.BARU) == 1
    assert [b.nomor for b in response.context["pratinjau"].baris] == [3]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kosong.csv", b"  \r\n \n", "Berkas kosong."),
        ("data.ods", None, "Format .ods (OpenDocument) tidak didukung"),
        ("data.csv", b'npsn,nama\n"50209901,SD Uji\n' + b"x" * 140_000, "Berkas CSV rusak"),
        ("data.json", b'{"npsn": "50209901"}', "Berkas bukan spreadsheet"),
    ],
)
def test_files_refused_alike_by_both_imports(client, operator, name, content, message):
    if content is None:  # an OpenDocument spreadsheet: a ZIP with its mimetype first
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", "<office:document-content/>")
        content = buffer.getvalue()
    before = snapshot()
    response = upload(client, "sekolah", content, name)
    assert response.status_code == 400
    assert message in response.context["galat"]
    assert snapshot() == before


def test_confirm_writes_history_with_the_operator(client, operator, demo):
    content = xlsx(
        [
            SEKOLAH_HEAD,
            ["50209901", "SD Negeri 1 Baru", "SD", "negeri", "5203", "Selong"],
            ["50203101", "SMA Negeri 1 Selong", "SMA", "negeri", "5203", "Jl. Baru 1"],
        ]
    )
    response = confirm(client, "sekolah", upload(client, "sekolah", content))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "1 baru, 1 berubah, 0 tidak berubah" in page.content.decode()
    baru = Sekolah.objects.get(npsn="50209901")
    lama = Sekolah.objects.get(npsn="50203101")
    assert lama.alamat == "Jl. Baru 1"
    for sekolah in (baru, lama):
        latest = sekolah.history.latest("history_date")
        assert latest.history_user == operator


def test_orang_import_matches_by_nip_creates_logins_and_roles(client, operator, demo):
    rows = [
        ORANG_HEAD,
        # pp1 exists (matched by NIP): new instansi, nothing else given → kept
        ["Khairul Anwar, S.Pd., M.Pd", PP1_NIP, "", "LPMP NTB", "", "", "", "", ""],
        # a new head who also runs the school's learning community: two rows
        [
            "Hj. Rabiatul Adawiyah, S.Pd",
            "",
            "",
            "",
            "rabiatul@example.com",
            "",
            "rabiatul",
            "kepala_sekolah",
            "50203104",
        ],
        [
            "Hj. Rabiatul Adawiyah, S.Pd",
            "",
            "",
            "",
            "",
            "",
            "rabiatul",
            "pic_komunitas",
            "50203104",
        ],
        # existing login without a person yet is linked, not duplicated
        ["Operator Sekolah Baru", "", "", "", "", "", "opsek", "operator_sekolah", "50203104"],
    ]
    User.objects.create(username="opsek")
    before_users = User.objects.count()
    response = upload(client, "orang", xlsx(rows))
    pratinjau = response.context["pratinjau"]
    assert [b.status for b in pratinjau.baris] == ["berubah", "baru", "baru", "baru"], errors_of(
        response
    )
    assert [(p.kolom, p.lama, p.baru) for p in pratinjau.baris[0].perubahan] == [
        ("Instansi", "—", "LPMP NTB")
    ]
    assert confirm(client, "orang", response).status_code == 302

    pp1 = Orang.objects.get(user=demo["pp1"])
    assert pp1.instansi == "LPMP NTB" and pp1.version == 2
    assert pp1.history.latest("history_date").history_user == operator
    rabiatul = Orang.objects.get(user__username="rabiatul")
    assert rabiatul.email == "rabiatul@example.com"
    assert set(rabiatul.penugasan_sekolah.values_list("peran", flat=True)) == {
        Peran.KEPALA_SEKOLAH,
        Peran.PIC_KOMUNITAS,
    }
    assert all(
        p.history.latest("history_date").history_user == operator
        for p in rabiatul.penugasan_sekolah.all()
    )
    assert Orang.objects.get(user__username="opsek").nama == "Operator Sekolah Baru"
    assert User.objects.count() == before_users + 1


def test_penugasan_import_reassigns_and_adds(client, operator, demo):
    rows = [
        PENUGASAN_HEAD,
        ["pp", PP2_NIP, CGP1_NIP, "50203103", "PGP-11", ""],
        ["Fasilitator", "fasilitator1", "", "50203102", "", ""],
        ["koordinator", "koordinator1", "", "", "", "5201"],
    ]
    response = upload(client, "penugasan", csv_bytes(rows), "penugasan.csv")
    pratinjau = response.context["pratinjau"]
    assert [b.status for b in pratinjau.baris] == ["berubah", "baru", "baru"], errors_of(response)
    assert [(p.kolom, p.lama, p.baru) for p in pratinjau.baris[0].perubahan] == [
        ("Pengajar Praktik", "Khairul Anwar, S.Pd., M.Pd", "Lalu Muhammad Zainuddin, S.Pd")
    ]
    confirm(client, "penugasan", response)
    pasangan = PenugasanPP.objects.get(cgp__user=demo["cgp1"])
    assert pasangan.pp.user == demo["pp2"]
    assert pasangan.history.latest("history_date").history_user == operator
    assert PenugasanSekolah.objects.filter(
        orang__user=demo["fasilitator1"], sekolah__npsn="50203102", peran=Peran.FASILITATOR
    ).exists()
    wilayah = PenugasanWilayah.objects.get(orang__user=demo["koordinator1"], kabupaten__kode="5201")
    assert wilayah.history.get().history_user == operator


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_same_file_changes_nothing(client, operator, fmt):
    rows = [
        ORANG_HEAD,
        [
            "Guru Baru, S.Pd",
            "198501012010011001",
            "",
            "SD Negeri 4 Terara",
            "",
            "",
            "guru.baru",
            "guru",
            "50203102",
        ],
        ["Khairul Anwar, S.Pd., M.Pd", PP1_NIP, "", "", "", "", "pp1", "", ""],
    ]
    content = xlsx(rows) if fmt == "xlsx" else csv_bytes(rows)
    name = f"orang.{fmt}"
    confirm(client, "orang", upload(client, "orang", content, name))
    after_first = snapshot()

    again = upload(client, "orang", content, name)
    pratinjau = again.context["pratinjau"]
    assert [b.status for b in pratinjau.baris] == ["tetap", "tetap"], errors_of(again)
    assert again.context["token"] == ""
    assert "tidak ada yang perlu diterapkan" in again.content.decode()
    assert snapshot() == after_first

    # Applying an all-unchanged preview writes nothing either.
    assert imports.apply_import(actor=None, pratinjau=pratinjau) == {
        "baru": 0,
        "berubah": 0,
        "tetap": 2,
        "galat": 0,
    }
    assert snapshot() == after_first


def test_the_token_is_one_time_and_bound_to_the_kind(client, operator):
    content = xlsx([SEKOLAH_HEAD, ["50209901", "SD Uji", "SD", "negeri", "5203", ""]])
    token = upload(client, "sekolah", content).context["token"]
    wrong_kind = client.post(reverse("program:impor-apply", args=["orang"]), {"token": token})
    assert wrong_kind.status_code == 302 and not Sekolah.objects.filter(npsn="50209901").exists()

    token = upload(client, "sekolah", content).context["token"]
    url = reverse("program:impor-apply", args=["sekolah"])
    assert client.post(url, {"token": token}).status_code == 302
    history = Sekolah.objects.get(npsn="50209901").history.count()
    second = client.post(url, {"token": token}, follow=True)
    assert "sudah diterapkan atau kedaluwarsa" in second.content.decode()
    assert Sekolah.objects.get(npsn="50209901").history.count() == history
    assert client.post(url, {"token": "dikarang-sendiri"}).status_code == 302


def test_confirm_refuses_when_the_database_changed_since_the_preview(client, operator):
    content = xlsx(
        [
            SEKOLAH_HEAD,
            ["50209901", "SD Satu", "SD", "negeri", "5203", ""],
            ["50209902", "SD Dua", "SD", "negeri", "5203", ""],
            ["50209903", "SD Tiga", "SD", "negeri", "5203", ""],
        ]
    )
    preview = upload(client, "sekolah", content)
    # Someone creates row 3's school in the meantime (a unique clash for "new").
    Sekolah.objects.create(
        npsn="50209903",
        nama="SD Lain",
        jenjang="SD",
        status="negeri",
        kabupaten=KabupatenKota.objects.get(kode="5203"),
    )
    before = snapshot()
    response = confirm(client, "sekolah", preview)
    assert response.status_code == 409
    assert "Data berubah sejak pratinjau" in response.content.decode()
    assert snapshot() == before
    assert not Sekolah.objects.filter(npsn__in=["50209901", "50209902"]).exists()
    # The fresh preview shows the clash as a change and may be applied deliberately.
    assert [b.status for b in response.context["pratinjau"].baris] == ["baru", "baru", "berubah"]


def test_apply_is_all_or_nothing_when_the_database_refuses_a_row_mid_file(operator):
    """An error only the database notices (row 4 of 5) rolls back rows 2 and 3."""
    jenis = imports.JENIS["sekolah"]
    tabel = imports.Tabel(
        baris=[
            (
                n,
                {
                    "npsn": f"5020990{n}",
                    "nama": f"SD {n}",
                    "jenjang": "SD",
                    "status": "negeri",
                    "kode_kabupaten": "5203",
                    "alamat": "",
                },
            )
            for n in range(2, 7)
        ]
    )
    pratinjau = imports.plan_import(jenis, tabel)
    assert pratinjau.dapat_diterapkan
    Sekolah.objects.create(
        npsn="50209904",
        nama="SD Lain",
        jenjang="SD",
        status="negeri",
        kabupaten=KabupatenKota.objects.get(kode="5203"),
    )
    before = snapshot()
    with pytest.raises(imports.ImporGagal) as error:
        imports.apply_import(actor=operator, pratinjau=pratinjau)
    assert error.value.baris == 4
    assert snapshot() == before
    assert not Sekolah.objects.filter(npsn__in=["50209902", "50209903"]).exists()


def test_apply_of_people_rolls_back_logins_too(operator):
    """A login taken between preview and apply fails row 3; row 2's person and login vanish."""
    jenis = imports.JENIS["orang"]
    blank = dict.fromkeys(jenis.nama_kolom, "")
    tabel = imports.Tabel(
        baris=[
            (
                2,
                {
                    **blank,
                    "nama": "Satu, S.Pd",
                    "username": "orang.satu",
                    "peran": "guru",
                    "npsn": "50203101",
                },
            ),
            (3, {**blank, "nama": "Dua, S.Pd", "username": "orang.dua"}),
        ]
    )
    pratinjau = imports.plan_import(jenis, tabel)
    assert pratinjau.dapat_diterapkan
    User.objects.create(username="orang.dua")
    before = snapshot()
    with pytest.raises(imports.ImporGagal) as error:
        imports.apply_import(actor=operator, pratinjau=pratinjau)
    assert error.value.baris == 3
    assert snapshot() == before
    assert not User.objects.filter(username="orang.satu").exists()


# --- query budget -----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 60])
def test_preview_queries_do_not_grow_with_rows(operator, django_assert_max_num_queries, n):
    blank_orang = dict.fromkeys(imports.JENIS["orang"].nama_kolom, "")
    orang = imports.Tabel(
        baris=[
            (
                i + 2,
                {
                    **blank_orang,
                    "nama": f"Guru {i}",
                    "nip": f"19850101201001{i:04d}",
                    "username": f"guru{i}",
                    "peran": "guru",
                    "npsn": "50203101",
                },
            )
            for i in range(n)
        ]
    )
    blank_pen = dict.fromkeys(imports.JENIS["penugasan"].nama_kolom, "")
    penugasan = imports.Tabel(
        baris=[
            (
                i + 2,
                {
                    **blank_pen,
                    "tipe": "fasilitator",
                    "orang": "fasilitator1",
                    "npsn": f"{50203101 + i % 8}",
                },
            )
            for i in range(n)
        ]
    )
    sekolah = imports.Tabel(
        baris=[
            (
                i + 2,
                {
                    "npsn": f"{50203101 + i}",
                    "nama": f"SD {i}",
                    "jenjang": "SD",
                    "status": "negeri",
                    "kode_kabupaten": "5203",
                    "alamat": "",
                },
            )
            for i in range(n)
        ]
    )
    with django_assert_max_num_queries(5):
        imports.plan_import(imports.JENIS["orang"], orang)
    with django_assert_max_num_queries(7):
        imports.plan_import(imports.JENIS["penugasan"], penugasan)
    with django_assert_max_num_queries(2):
        imports.plan_import(imports.JENIS["sekolah"], sekolah)


def test_numbers_typed_into_excel_are_read_and_lost_digits_are_flagged(client, operator):
    rows = [
        ORANG_HEAD,
        ["Guru Angka", 198501012010011001, None, None, None, None, None, "guru", 50203101],
    ]
    response = upload(client, "orang", xlsx(rows))
    assert errors_of(response) == [
        (
            2,
            "nip",
            "NIP “1.98501012010011E+17” tidak valid: harus 18 angka. Angka panjang tersimpan "
            "sebagai angka dan kehilangan digit; format kolom sebagai Teks lalu ketik ulang.",
        )
    ]
    rows[1][1] = "198501012010011001"
    response = upload(client, "orang", xlsx(rows))
    assert response.context["pratinjau"].ringkasan["baru"] == 1, errors_of(response)
