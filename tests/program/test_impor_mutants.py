"""What the operator imports show and write beyond tests/program/test_impor.py,
written to kill the survivors of the `imports` mutation target
(docs/TESTING.md): every row error word for word, each row's label and
changes as the dry-run table shows them, what applying writes (and the
history's reason), the refusals of a whole file, the templates' cells, the
preview kept between dry run and confirm, and the shared spreadsheet reader's
limits and messages."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from program import imports
from program.imports import reading
from program.models import (
    KabupatenKota,
    KelasDaring,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    Sekolah,
)
from program.spreadsheet import escape_formula, read_table

User = get_user_model()

PP1_NIP, CGP1_NIP, KS1_NIP = "198305122009031004", "199002152014022001", "197204101998021003"
PP1 = "Khairul Anwar, S.Pd., M.Pd"
PP2 = "Lalu Muhammad Zainuddin, S.Pd"
CGP1 = "Rusdiana, S.Pd"
FAS1 = "Dr. Hj. Siti Rohmi, M.Pd"
PGP1, PGP2 = "Nurul Hikmah, S.Pd., M.Pd", "Yosefina Dua Lodang, S.Pd"
MOMENT = dt.datetime(2027, 3, 9, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))


# --- helpers --------------------------------------------------------------------------


def tabel(kode, *rows, start=2, nama_berkas=""):
    blank = dict.fromkeys(imports.JENIS[kode].nama_kolom, "")
    return imports.Tabel(
        baris=[(n, {**blank, **r}) for n, r in enumerate(rows, start=start)],
        nama_berkas=nama_berkas,
    )


def plan(kode, *rows):
    return imports.plan_import(imports.JENIS[kode], tabel(kode, *rows))


def shown(pratinjau):
    """Each row as the dry-run table shows it: number, status, data, changes, errors."""
    return [
        (
            b.nomor,
            b.status,
            b.label,
            [(p.kolom, p.lama, p.baru) for p in b.perubahan],
            [(g.kolom, g.pesan) for g in b.galat],
        )
        for b in pratinjau.baris
    ]


def errors(pratinjau):
    return [(g.baris, g.kolom, g.pesan) for g in pratinjau.galat]


def apply(pratinjau, actor, nama_berkas="data.xlsx"):
    assert pratinjau.dapat_diterapkan, errors(pratinjau)
    return imports.apply_import(actor=actor, pratinjau=pratinjau, nama_berkas=nama_berkas)


def upload(content: bytes, name="data.csv"):
    return SimpleUploadedFile(name, content)


def refusal(kode, content: bytes, name="data.csv") -> str:
    with pytest.raises(imports.BerkasTidakValid) as caught:
        imports.read_upload(imports.JENIS[kode], upload(content, name))
    return caught.value.message


def xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def operator(demo):
    return demo["operator1"]


def orang(nama):
    return Orang.objects.get(nama=nama)


def set_nuptk(nama_awal, nuptk):
    Orang.objects.filter(nama__startswith=nama_awal).update(nuptk=nuptk)


# --- schools ----------------------------------------------------------------------------


def test_school_rows_show_their_changes_and_apply_writes_them(operator):
    unchanged_history = Sekolah.objects.get(npsn="50203103").history.count()
    pratinjau = plan(
        "sekolah",
        {
            "npsn": "5020990x",
            "nama": "SD Baru",
            "jenjang": "sd",
            "status": "Swasta",
            "kode_kabupaten": "5201",
        },
        {
            "npsn": "50203102",
            "nama": "SD Negeri 4 Terara Baru",
            "jenjang": "smp",
            "status": "swasta",
            "kode_kabupaten": "5201",
            "alamat": "Jl. Baru",
        },
        # An empty alamat keeps the current one.
        {
            "npsn": "50203103",
            "nama": "SD Negeri 2 Jerowaru",
            "jenjang": "SD",
            "status": "negeri",
            "kode_kabupaten": "5203",
        },
    )
    assert shown(pratinjau) == [
        (2, "baru", "5020990X — SD Baru", [], []),
        (
            3,
            "berubah",
            "50203102 — SD Negeri 4 Terara Baru",
            [
                ("Nama", "SD Negeri 4 Terara", "SD Negeri 4 Terara Baru"),
                ("Jenjang", "SD", "SMP"),
                ("Status", "Negeri", "Swasta"),
                (
                    "Kabupaten/kota",
                    "Kabupaten Lombok Timur (5203)",
                    "Kabupaten Lombok Barat (5201)",
                ),
                ("Alamat", "Terara", "Jl. Baru"),
            ],
            [],
        ),
        (4, "tetap", "50203103 — SD Negeri 2 Jerowaru", [], []),
    ]
    assert pratinjau.ringkasan == {"baru": 1, "berubah": 1, "tetap": 1, "galat": 0}
    assert apply(pratinjau, operator) == {"baru": 1, "berubah": 1, "tetap": 1, "galat": 0}
    values = ("nama", "jenjang", "status", "kabupaten__kode", "alamat")
    assert Sekolah.objects.filter(npsn="5020990X").values_list(*values).get() == (
        "SD Baru",
        "SD",
        "swasta",
        "5201",
        "",
    )
    assert Sekolah.objects.filter(npsn="50203102").values_list(*values).get() == (
        "SD Negeri 4 Terara Baru",
        "SMP",
        "swasta",
        "5201",
        "Jl. Baru",
    )
    assert Sekolah.objects.get(npsn="50203103").alamat == "Jerowaru"
    # Unchanged, not saved again.
    assert Sekolah.objects.get(npsn="50203103").history.count() == unchanged_history


def test_school_row_errors_word_for_word(operator):
    good = {"nama": "SD Uji", "jenjang": "SD", "status": "negeri", "kode_kabupaten": "5203"}
    pratinjau = plan(
        "sekolah",
        {"npsn": "", "nama": "", "jenjang": "", "status": "", "kode_kabupaten": ""},
        {**good, "npsn": "50209901", "nama": "N" * 201, "alamat": "A" * 256},
        {**good, "npsn": "50209902", "nama": "N" * 200, "alamat": "A" * 255},
        {**good, "npsn": "5020990!", "jenjang": "Paud ", "status": " NEGERI"},
    )
    assert shown(pratinjau) == [
        (
            2,
            "galat",
            " — ",
            [],
            [
                ("npsn", "Kolom npsn wajib diisi."),
                ("nama", "Kolom nama wajib diisi."),
                ("jenjang", "Kolom jenjang wajib diisi."),
                ("status", "Kolom status wajib diisi."),
                ("kode_kabupaten", "Kolom kode_kabupaten wajib diisi."),
            ],
        ),
        (
            3,
            "galat",
            "50209901 — " + "N" * 201,
            [],
            [
                ("nama", "Kolom nama terlalu panjang (maksimal 200 karakter)."),
                ("alamat", "Kolom alamat terlalu panjang (maksimal 255 karakter)."),
            ],
        ),
        (4, "baru", "50209902 — " + "N" * 200, [], []),
        (
            5,
            "galat",
            "5020990! — SD Uji",
            [],
            [("npsn", "NPSN “5020990!” tidak valid: harus 8 angka/huruf.")],
        ),
    ]
    assert not pratinjau.dapat_diterapkan
    with pytest.raises(imports.ImporGagal) as failed:
        imports.apply_import(actor=operator, pratinjau=pratinjau)
    assert (failed.value.baris, failed.value.pesan) == (
        None,
        "Pratinjau masih berisi galat; tidak ada yang disimpan.",
    )
    assert not Sekolah.objects.filter(npsn="50209902").exists()


def test_a_school_row_names_choices_by_their_label(operator):
    pratinjau = plan(
        "sekolah",
        {
            "npsn": "50209901",
            "nama": "SD Uji",
            "jenjang": "Sd",
            "status": " swasta ",
            "kode_kabupaten": "5203",
        },
    )
    apply(pratinjau, operator)
    assert Sekolah.objects.filter(npsn="50209901").values_list("jenjang", "status").get() == (
        "SD",
        "swasta",
    )


# --- people ---------------------------------------------------------------------------------


def test_people_rows_show_their_changes_and_apply_writes_them(operator, demo):
    versions = dict(Orang.objects.filter(nip__in=[PP1_NIP, KS1_NIP]).values_list("nip", "version"))
    User.objects.create(username="opsek", email="lama@example.com")
    pratinjau = plan(
        "orang",
        # pp1, by NIP: every field given changes, the login stays.
        {
            "nama": "Khairul Anwar, M.Pd",
            "nip": PP1_NIP,
            "nuptk": "1111222233334444",
            "instansi": "LPMP NTB",
            "email": "khairul@example.com",
            "telepon": "0812",
            "username": "pp1",
        },
        # A new person with a login of their own and a role; a second role on
        # another row changes nothing on the first.
        {
            "nama": "Baiq Contoh, S.Pd",
            "nuptk": "5555666677778888",
            "email": "baiq@example.com",
            "username": "baiq.contoh",
            "peran": "Kepala Sekolah",
            "npsn": "50203102",
        },
        {
            "nama": "Baiq Contoh, S.Pd",
            "nuptk": "5555666677778888",
            "peran": "pic komunitas",
            "npsn": "50203101",
        },
        # A login without a person yet: linked.
        {
            "nama": "Operator Baru",
            "username": "opsek",
            "peran": "operator_sekolah",
            "npsn": "50203104",
        },
        # ks1 already heads 50203101: the row changes nothing.
        {
            "nama": "H. Lalu Suparman, S.Pd., M.M",
            "nip": KS1_NIP,
            "peran": "kepala_sekolah",
            "npsn": "50203101",
        },
        # ... and becomes pengawas there too.
        {
            "nip": KS1_NIP,
            "nama": "H. Lalu Suparman, S.Pd., M.M",
            "peran": "pengawas",
            "npsn": "50203101",
        },
    )
    assert shown(pratinjau) == [
        (
            2,
            "berubah",
            f"Khairul Anwar, M.Pd ({PP1_NIP})",
            [
                ("Nama", PP1, "Khairul Anwar, M.Pd"),
                ("NUPTK", "—", "1111222233334444"),
                ("Instansi", "—", "LPMP NTB"),
                ("Email", "—", "khairul@example.com"),
                ("Telepon", "—", "0812"),
            ],
            [],
        ),
        (
            3,
            "baru",
            "Baiq Contoh, S.Pd (5555666677778888)",
            [
                ("Akun", "—", "baiq.contoh (akun baru tanpa kata sandi)"),
                ("Peran", "—", "Kepala Sekolah — SD Negeri 4 Terara (50203102)"),
            ],
            [],
        ),
        (
            4,
            "baru",
            "Baiq Contoh, S.Pd (5555666677778888)",
            [("Peran", "—", "PIC Komunitas Belajar — SMA Negeri 1 Selong (50203101)")],
            [],
        ),
        (
            5,
            "baru",
            "Operator Baru (opsek)",
            [
                ("Akun", "—", "opsek (akun yang sudah ada)"),
                ("Peran", "—", "Operator Sekolah — SMP Negeri 4 Jerowaru (50203104)"),
            ],
            [],
        ),
        (6, "tetap", f"H. Lalu Suparman, S.Pd., M.M ({KS1_NIP})", [], []),
        (
            7,
            "berubah",
            f"H. Lalu Suparman, S.Pd., M.M ({KS1_NIP})",
            [("Peran", "—", "Pengawas Sekolah — SMA Negeri 1 Selong (50203101)")],
            [],
        ),
    ]
    apply(pratinjau, operator)
    pp1 = Orang.objects.select_related("user").get(nip=PP1_NIP)
    assert (pp1.nama, pp1.nuptk, pp1.instansi, pp1.email, pp1.telepon, pp1.version) == (
        "Khairul Anwar, M.Pd",
        "1111222233334444",
        "LPMP NTB",
        "khairul@example.com",
        "0812",
        versions[PP1_NIP] + 1,
    )
    assert pp1.user == demo["pp1"]
    baiq = Orang.objects.select_related("user").get(nuptk="5555666677778888")
    assert (baiq.nama, baiq.email, baiq.user.username, baiq.user.email) == (
        "Baiq Contoh, S.Pd",
        "baiq@example.com",
        "baiq.contoh",
        "baiq@example.com",
    )
    assert not baiq.user.has_usable_password()
    assert set(baiq.penugasan_sekolah.values_list("sekolah__npsn", "peran")) == {
        ("50203102", Peran.KEPALA_SEKOLAH),
        ("50203101", Peran.PIC_KOMUNITAS),
    }
    opsek = Orang.objects.get(user__username="opsek")
    assert opsek.nama == "Operator Baru"
    assert User.objects.get(username="opsek").email == "lama@example.com"
    assert list(opsek.penugasan_sekolah.values_list("sekolah__npsn", "peran")) == [
        ("50203104", Peran.OPERATOR_SEKOLAH)
    ]
    ks1 = Orang.objects.get(nip=KS1_NIP)
    assert ks1.version == versions[KS1_NIP]  # only a role was added
    assert set(ks1.penugasan_sekolah.values_list("sekolah__npsn", "peran")) == {
        ("50203101", Peran.KEPALA_SEKOLAH),
        ("50203101", Peran.PENGAWAS),
    }
    added = ks1.penugasan_sekolah.get(peran=Peran.PENGAWAS).history.get()
    assert added.history_user == operator
    assert added.history_change_reason.startswith("Baris 7 · impor orang dan peran “data.xlsx”")


def test_people_row_errors_word_for_word(operator):
    pratinjau = plan(
        "orang",
        {"nama": "", "username": "tanpa.nama"},
        {"nama": "N" * 201, "username": "panjang"},
        {"nama": "Salah NIP", "nip": "1985"},
        {"nama": "Angka NIP", "nip": "1.98305122009031e+17"},
        {"nama": "Salah NUPTK", "nuptk": "123"},
        {"nama": "Angka NUPTK", "nuptk": "1.23456789012346E+15"},
        {"nama": "Spasi", "username": "nama dengan spasi"},
        {"nama": "Panjang", "username": "u" * 151},
        {"nama": "Tanpa Kunci"},
        {
            "nama": "Lain-lain",
            "username": "lain",
            "instansi": "I" * 201,
            "telepon": "0" * 21,
            "email": "bukan-email",
        },
        {"nama": "Batas", "username": "u" * 150, "instansi": "I" * 200, "telepon": "0" * 20},
    )
    assert errors(pratinjau) == [
        (2, "nama", "Kolom nama wajib diisi."),
        (3, "nama", "Kolom nama terlalu panjang (maksimal 200 karakter)."),
        (4, "nip", "NIP “1985” tidak valid: harus 18 angka."),
        (
            5,
            "nip",
            "NIP “1.98305122009031e+17” tidak valid: harus 18 angka. Angka panjang tersimpan "
            "sebagai angka dan kehilangan digit; format kolom sebagai Teks lalu ketik ulang.",
        ),
        (6, "nuptk", "NUPTK “123” tidak valid: harus 16 angka."),
        (
            7,
            "nuptk",
            "NUPTK “1.23456789012346E+15” tidak valid: harus 16 angka. Angka panjang tersimpan "
            "sebagai angka dan kehilangan digit; format kolom sebagai Teks lalu ketik ulang.",
        ),
        (
            8,
            "username",
            "Username “nama dengan spasi” tidak valid: gunakan huruf, angka dan . @ + - _ "
            "(maksimal 150 karakter).",
        ),
        (
            9,
            "username",
            f"Username “{'u' * 151}” tidak valid: gunakan huruf, angka dan . @ + - _ "
            "(maksimal 150 karakter).",
        ),
        (
            10,
            "nip",
            "Isi minimal salah satu dari NIP, NUPTK atau username agar orang ini dikenali pada "
            "impor berikutnya.",
        ),
        (11, "instansi", "Kolom instansi terlalu panjang (maksimal 200 karakter)."),
        (11, "telepon", "Kolom telepon terlalu panjang (maksimal 20 karakter)."),
        (11, "email", "Email “bukan-email” tidak valid."),
    ]
    # A row whose only error is its name still finds its person (the label).
    assert [b.label for b in pratinjau.baris[:2]] == [" (tanpa.nama)", "N" * 201 + " (panjang)"]
    assert pratinjau.baris[-1].status == "baru"
    assert pratinjau.baris[8].label == "Tanpa Kunci"
    assert pratinjau.baris[6].label == "Spasi (nama dengan spasi)"


def test_role_errors_word_for_word(operator):
    pratinjau = plan(
        "orang",
        {"nama": "A", "username": "a1", "peran": "cgp", "npsn": "50203101"},
        {"nama": "B", "username": "b1", "peran": "Koordinator", "npsn": "50203101"},
        {"nama": "C", "username": "c1", "peran": "fasilitator_pgp", "npsn": "50203101"},
        {"nama": "D", "username": "d1", "peran": "guru"},
        {"nama": "E", "username": "e1", "npsn": "50203101"},
        {"nama": "F", "username": "f1", "peran": "guru", "npsn": "5020"},
        {"nama": "G", "username": "g1", "peran": "guru", "npsn": "50203101"},
        {"nama": "G", "username": "g1", "peran": "Guru", "npsn": "50203101"},
    )
    pilihan = "fasilitator, guru, kepala_sekolah, operator_sekolah, pengawas, pic_komunitas"
    assert errors(pratinjau) == [
        (2, "peran", "Peran “cgp” diberikan lewat impor penugasan, bukan di sini."),
        (3, "peran", "Peran “Koordinator” diberikan lewat impor penugasan, bukan di sini."),
        (4, "peran", f"Peran “fasilitator_pgp” tidak dikenal. Pilih: {pilihan}."),
        (5, "npsn", "Isi NPSN sekolah tempat peran ini."),
        (6, "peran", "Isi kolom peran untuk NPSN ini."),
        (7, "npsn", "NPSN “5020” tidak valid: harus 8 angka/huruf."),
        (9, "peran", "Peran ini untuk orang dan sekolah yang sama sudah ada di baris 8."),
    ]


def test_a_person_spread_over_rows_must_not_contradict_itself(operator):
    pratinjau = plan(
        "orang",
        {"nama": "Satu", "nip": "198501012010011001", "username": "satu"},
        {"nama": "Dua", "nip": "198501012010011001"},
        {"nama": "Satu", "nip": "198501012010011001", "username": "satu.lain"},
        {"nama": "Tiga", "nuptk": "1234567890123456"},
        {"nama": "Satu", "nip": "198501012010011001", "nuptk": "1234567890123456"},
        {"nama": "Satu", "nip": "198501012010011001", "telepon": "0812"},
        {"nama": "Satu", "username": "satu", "telepon": "0813"},
    )
    assert errors(pratinjau) == [
        (3, "nama", "Kolom nama berbeda dengan baris 2 untuk orang yang sama."),
        (4, "username", "Username berbeda dengan baris 2 untuk orang yang sama."),
        (
            6,
            "nip",
            "NIP, NUPTK dan username baris ini menunjuk ke lebih dari satu orang "
            "(lihat baris 2, 5).",
        ),
        (8, "telepon", "Kolom telepon berbeda dengan baris 7 untuk orang yang sama."),
    ]


def test_keys_of_the_database_that_do_not_lead_to_one_person(operator):
    Orang.objects.create(nama="Kembaran NIP", nip=PP1_NIP)
    pratinjau = plan(
        "orang",
        {"nama": "X", "nip": PP1_NIP},
        {"nama": "Y", "nip": KS1_NIP, "username": "cgp1"},
        {"nama": "Khairul", "nip": "198305122009031099", "username": "pp1"},
        {"nama": "H. Lalu Suparman, S.Pd., M.M", "nip": KS1_NIP, "username": "ks.baru"},
    )
    assert errors(pratinjau) == [
        (
            2,
            "nip",
            f"NIP {PP1_NIP} dimiliki lebih dari satu orang di basis data "
            f"(Kembaran NIP, {PP1}); rapikan dulu lewat admin.",
        ),
        (
            3,
            "nip",
            "NIP, NUPTK dan username baris ini menunjuk ke orang yang berbeda: "
            f"H. Lalu Suparman, S.Pd., M.M, {CGP1}.",
        ),
        (
            5,
            "username",
            "Orang ini sudah memiliki akun “ks1”; username tidak diubah lewat impor.",
        ),
    ]
    # pp1 found by username: the NIP typed differently is a change.
    assert shown(pratinjau)[2][3] == [
        ("Nama", PP1, "Khairul"),
        ("NIP", PP1_NIP, "198305122009031099"),
    ]


def test_a_new_person_who_may_be_someone_already_there_is_pointed_out_once(operator):
    pratinjau = plan(
        "orang",
        {"nama": "KAMHAR", "username": "kamhar.baru", "peran": "guru", "npsn": "50203101"},
        {"nama": "KAMHAR", "username": "kamhar.baru", "peran": "pic_komunitas", "npsn": "50203101"},
        {"nama": "h. lalu suparman", "username": "suparman", "peran": "guru", "npsn": "50203101"},
        {"nama": "Kamhar", "username": "kamhar.lain", "peran": "guru", "npsn": "50310101"},
    )
    assert pratinjau.peringatan == [
        (
            2,
            "Mungkin sama dengan Kamhar, S.Pd yang sudah ada. Bila memang orang yang sama, isi "
            "NIP, NUPTK atau username-nya di berkas agar tidak tercatat dua kali.",
        ),
        (
            4,
            f"Mungkin sama dengan H. Lalu Suparman, S.Pd., M.M ({KS1_NIP}) yang sudah ada. Bila "
            "memang orang yang sama, isi NIP, NUPTK atau username-nya di berkas agar tidak "
            "tercatat dua kali.",
        ),
    ]
    assert [b.status for b in pratinjau.baris] == ["baru", "baru", "baru", "baru"]


def test_people_rows_without_warnings_plan_no_lookup(operator):
    history = Orang.objects.get(nip=PP1_NIP).history.count()
    pratinjau = plan("orang", {"nama": PP1, "nip": PP1_NIP})
    assert pratinjau.peringatan == [] and shown(pratinjau) == [
        (2, "tetap", f"{PP1} ({PP1_NIP})", [], [])
    ]
    assert imports.apply_import(actor=operator, pratinjau=pratinjau) == {
        "baru": 0,
        "berubah": 0,
        "tetap": 1,
        "galat": 0,
    }
    assert Orang.objects.get(nip=PP1_NIP).history.count() == history


# --- assignments ------------------------------------------------------------------------


def test_assignment_rows_show_their_changes_and_apply_writes_them(operator, demo):
    set_nuptk("Junaidi", "1111222233334444")
    pratinjau = plan(
        "penugasan",
        {
            "tipe": "Pengajar Praktik",
            "orang": "pp2",
            "cgp": "1111222233334444",
            "npsn": "50203104",
            "angkatan": "pgp-12",
        },
        {"tipe": "pp", "orang": PP1_NIP, "cgp": CGP1_NIP, "npsn": "50203101", "angkatan": "PGP 11"},
        {"tipe": "FSP", "orang": "fasilitator1", "npsn": "50203103"},
        {"tipe": "pelatih ahli", "orang": "fasilitator1", "npsn": "50203104"},
        {"tipe": " Koordinator ", "orang": "koordinator1", "kode_kabupaten": "5203"},
        {"tipe": "koordinator", "orang": "koordinator1", "kode_kabupaten": "5201"},
    )
    assert shown(pratinjau) == [
        (2, "baru", f"PP {PP2} → CGP Junaidi Hamzani, S.Pd (PGP Angkatan 12)", [], []),
        (
            3,
            "berubah",
            f"PP {PP1} → CGP {CGP1} (PGP Angkatan 11)",
            [("Sekolah CGP", "SD Negeri 2 Jerowaru (50203103)", "SMA Negeri 1 Selong (50203101)")],
            [],
        ),
        (4, "tetap", f"Fasilitator {FAS1} → SD Negeri 2 Jerowaru (50203103)", [], []),
        (5, "baru", f"Fasilitator {FAS1} → SMP Negeri 4 Jerowaru (50203104)", [], []),
        (
            6,
            "tetap",
            "Koordinator Dra. Baiq Sri Mulyani, M.Pd → Kabupaten Lombok Timur (5203)",
            [],
            [],
        ),
        (
            7,
            "baru",
            "Koordinator Dra. Baiq Sri Mulyani, M.Pd → Kabupaten Lombok Barat (5201)",
            [],
            [],
        ),
    ]
    assert apply(pratinjau, operator) == {"baru": 3, "berubah": 1, "tetap": 2, "galat": 0}
    baru = PenugasanPP.objects.get(cgp__nama__startswith="Junaidi", angkatan__nomor=12)
    assert (baru.pp.nama, baru.sekolah.npsn) == (PP2, "50203104")
    cgp1 = PenugasanPP.objects.get(cgp__user=demo["cgp1"])
    assert (cgp1.pp.nama, cgp1.sekolah.npsn) == (PP1, "50203101")
    assert cgp1.history.latest("history_date").history_change_reason.startswith("Baris 3 · ")
    assert PenugasanSekolah.objects.filter(
        orang__user=demo["fasilitator1"], sekolah__npsn="50203104", peran=Peran.FASILITATOR
    ).exists()
    assert set(
        PenugasanWilayah.objects.filter(orang__user=demo["koordinator1"]).values_list(
            "kabupaten__kode", flat=True
        )
    ) == {"5203", "5201"}


def test_a_pp_who_changes_and_a_school_that_stays(operator, demo):
    pratinjau = plan(
        "penugasan",
        {"tipe": "pp", "orang": "pp2", "cgp": "cgp1", "npsn": "50203103", "angkatan": "PGP 11"},
    )
    assert shown(pratinjau)[0][3] == [("Pengajar Praktik", PP1, PP2)]
    apply(pratinjau, operator)
    pair = PenugasanPP.objects.get(cgp__user=demo["cgp1"])
    assert (pair.pp.nama, pair.sekolah.npsn) == (PP2, "50203103")


def test_assignment_row_errors_word_for_word(operator):
    Orang.objects.create(nama="Kembaran PP", nip="198711032010011002")
    pratinjau = plan(
        "penugasan",
        {"tipe": "", "orang": ""},
        {"tipe": "pp", "orang": "pp1"},
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "npsn": "50203101",
            "kode_kabupaten": "5203",
        },
        {"tipe": "koordinator", "orang": "1234567890123456", "kode_kabupaten": "9999"},
        {
            "tipe": "pp",
            "orang": "198711032010011002",
            "cgp": "cgp1",
            "npsn": "5020310",
            "angkatan": "PGP",
        },
        {"tipe": "pp", "orang": "pp1", "cgp": "cgp1", "npsn": "99999999", "angkatan": "PSP 11"},
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": "fasilitatorpgp1",
            "angkatan": "PGP 11",
            "kelas": "K" * 101,
        },
        {"tipe": "koordinator", "orang": "koordinator1", "kode_kabupaten": "5201"},
        {"tipe": "koordinator", "orang": "koordinator1", "kode_kabupaten": "5201"},
        {"tipe": "pp", "orang": "pp2", "cgp": "cgp1", "npsn": "50203103", "angkatan": "PGP 11"},
        {"tipe": "pp", "orang": "pp1", "cgp": "cgp1", "npsn": "50203103", "angkatan": "pgp11"},
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": "cgp1",
            "angkatan": "PGP 11",
            "kelas": "Kelas A",
        },
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": "cgp1",
            "angkatan": "PGP 11",
            "kelas": "Kelas A",
        },
        {"tipe": "fasilitator", "orang": "fasilitator1", "npsn": "50203103"},
        {"tipe": "fasilitator", "orang": "fasilitator1", "npsn": "50203103"},
        {"tipe": "mentor", "orang": "pp1", "cgp": "cgp1"},
    )
    assert errors(pratinjau) == [
        (2, "tipe", "Kolom tipe wajib diisi."),
        (2, "orang", "Kolom orang wajib diisi."),
        (3, "cgp", "Kolom cgp wajib diisi untuk tipe pp."),
        (3, "npsn", "Kolom npsn wajib diisi untuk tipe pp."),
        (3, "angkatan", "Kolom angkatan wajib diisi untuk tipe pp."),
        (4, "cgp", "Kolom cgp wajib diisi untuk tipe fasilitator_pgp."),
        (4, "npsn", "Kolom npsn tidak dipakai untuk tipe fasilitator_pgp; kosongkan."),
        (4, "angkatan", "Kolom angkatan wajib diisi untuk tipe fasilitator_pgp."),
        (4, "kelas", "Kolom kelas wajib diisi untuk tipe fasilitator_pgp."),
        (
            4,
            "kode_kabupaten",
            "Kolom kode_kabupaten tidak dipakai untuk tipe fasilitator_pgp; kosongkan.",
        ),
        (5, "orang", "Orang dengan NUPTK “1234567890123456” tidak ditemukan. Impor orangnya dulu."),
        (5, "kode_kabupaten", "Kode kabupaten/kota “9999” tidak dikenal."),
        (6, "orang", "NIP 198711032010011002 dimiliki lebih dari satu orang di basis data."),
        (6, "npsn", "NPSN “5020310” tidak valid: harus 8 angka/huruf."),
        (6, "angkatan", "Angkatan “PGP” tidak dikenal. Tulis kode program dan nomor, mis. PGP 11."),
        (7, "npsn", "Sekolah dengan NPSN 99999999 tidak ditemukan."),
        (
            7,
            "angkatan",
            "Angkatan “PSP 11” tidak dikenal. Tulis kode program dan nomor, mis. PGP 11.",
        ),
        (8, "cgp", "Fasilitator PGP dan CGP tidak boleh orang yang sama."),
        (8, "kelas", "Nama kelas terlalu panjang (paling banyak 100 karakter)."),
        (10, "orang", "Penugasan yang sama sudah ada di baris 9."),
        (12, "cgp", "CGP ini sudah ditugaskan di baris 11 untuk angkatan yang sama."),
        (14, "orang", "CGP ini sudah dimasukkan ke kelas di baris 13 untuk angkatan yang sama."),
        (16, "orang", "Penugasan yang sama sudah ada di baris 15."),
        (
            17,
            "tipe",
            "Tipe penugasan “mentor” tidak dikenal. Pilih: pp, fasilitator, fasilitator_pgp, "
            "koordinator, operator_balai.",
        ),
    ]
    assert [b.label for b in pratinjau.baris[-2:]] == [
        f"Fasilitator {FAS1} → SD Negeri 2 Jerowaru (50203103)",
        "mentor · pp1 · cgp1",
    ]
    assert pratinjau.baris[5].label == "pp · pp1 · cgp1 · 99999999 · PSP 11"
    assert pratinjau.baris[3].label == "koordinator · 1234567890123456 · 9999"


# --- online classes (Fasilitator PGP rows) --------------------------------------------------


def test_class_rows_show_their_changes_and_apply_writes_them(operator, demo):
    set_nuptk("Junaidi", "1111222233334444")
    set_nuptk("Sarniwati", "5555666677778888")
    set_nuptk("Baiq Yuni", "9999888877776666")
    kelas_before = KelasDaring.objects.count()
    pratinjau = plan(
        "penugasan",
        # Kelas A of Angkatan 11 gets another facilitator (named in another case).
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp2",
            "cgp": CGP1_NIP,
            "angkatan": "PGP 11",
            "kelas": "kelas a",
        },
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp2",
            "cgp": "1111222233334444",
            "angkatan": "PGP 11",
            "kelas": "KELAS A",
        },
        # A new class, its name's spaces tidied.
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": "5555666677778888",
            "angkatan": "PGP 11",
            "kelas": "  Kelas   Baru ",
        },
        # The same name in another cohort is another class.
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp2",
            "cgp": "9999888877776666",
            "angkatan": "PGP 12",
            "kelas": "Kelas Baru",
        },
    )
    assert shown(pratinjau) == [
        (
            2,
            "berubah",
            f"Fasilitator PGP {PGP2} → kelas a: CGP {CGP1} (PGP Angkatan 11)",
            [("Fasilitator PGP Kelas A", PGP1, PGP2)],
            [],
        ),
        (
            3,
            "tetap",
            f"Fasilitator PGP {PGP2} → KELAS A: CGP Junaidi Hamzani, S.Pd (PGP Angkatan 11)",
            [],
            [],
        ),
        (
            4,
            "baru",
            f"Fasilitator PGP {PGP1} → Kelas Baru: CGP Sarniwati, S.Pd.Gr (PGP Angkatan 11)",
            [("Kelas daring", "Kelas A", "Kelas Baru")],
            [],
        ),
        (
            5,
            "baru",
            f"Fasilitator PGP {PGP2} → Kelas Baru: CGP Baiq Yuni Marlina, S.Pd (PGP Angkatan 12)",
            [("Kelas daring", "Kelas A", "Kelas Baru")],
            [],
        ),
    ]
    apply(pratinjau, operator)
    assert KelasDaring.objects.count() == kelas_before + 2
    kelas_a = KelasDaring.objects.select_related("fasilitator").get(
        nama="Kelas A", angkatan__nomor=11
    )
    assert kelas_a.fasilitator.nama == PGP2
    assert kelas_a.history.latest("history_date").history_change_reason.startswith("Baris 2 · ")

    def kelas_of(nama_awal):
        pair = PenugasanPP.objects.select_related("kelas__fasilitator", "kelas__angkatan").get(
            cgp__nama__startswith=nama_awal
        )
        return (pair.kelas.nama, pair.kelas.angkatan.nomor, pair.kelas.fasilitator.nama)

    assert kelas_of("Rusdiana") == ("Kelas A", 11, PGP2)
    assert kelas_of("Junaidi") == ("Kelas A", 11, PGP2)
    assert kelas_of("Sarniwati") == ("Kelas Baru", 11, PGP1)
    assert kelas_of("Baiq Yuni") == ("Kelas Baru", 12, PGP2)


def test_class_row_errors_word_for_word(operator):
    set_nuptk("Junaidi", "1111222233334444")
    pratinjau = plan(
        "penugasan",
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": "cgp3",
            "angkatan": "PGP 11",
            "kelas": "Kelas A",
        },
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": CGP1_NIP,
            "angkatan": "PGP 11",
            "kelas": "Kelas C",
        },
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp2",
            "cgp": "1111222233334444",
            "angkatan": "PGP 11",
            "kelas": "kelas  c",
        },
    )
    assert errors(pratinjau) == [
        (
            2,
            "cgp",
            "CGP ini belum punya Pengajar Praktik di PGP Angkatan 11. Impor penugasan PP-nya "
            "dulu (tipe pp), lalu kelasnya.",
        ),
        (
            4,
            "orang",
            f"kelas c sudah diberi Fasilitator PGP lain di baris 3 ({PGP1}). "
            "Satu kelas, satu fasilitator.",
        ),
    ]
    assert shown(pratinjau)[1][1:4] == (
        "baru",
        f"Fasilitator PGP {PGP1} → Kelas C: CGP {CGP1} (PGP Angkatan 11)",
        [("Kelas daring", "Kelas A", "Kelas C")],
    )


def test_a_class_name_of_one_hundred_characters_is_kept(operator, demo):
    nama = "K" * 100
    pratinjau = plan(
        "penugasan",
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": "cgp1",
            "angkatan": "PGP 11",
            "kelas": nama,
        },
    )
    apply(pratinjau, operator)
    assert PenugasanPP.objects.get(cgp__user=demo["cgp1"]).kelas.nama == nama


# --- applying: history, failures -------------------------------------------------------------


SD_UJI = {"nama": "SD Uji", "jenjang": "SD", "status": "negeri", "kode_kabupaten": "5203"}


def test_history_names_a_long_file_shortened_and_keeps_100_characters(operator):
    actor = User.objects.create(username="operator.dengan.nama.pengguna.yang.sangat.panjang")
    nama = "daftar-sekolah-binaan-kabupaten-lombok-timur-2027.csv"
    with time_machine.travel(MOMENT, tick=False):
        apply(plan("sekolah", {**SD_UJI, "npsn": "50209901"}), actor, nama_berkas=nama)
    reason = Sekolah.objects.get(npsn="50209901").history.get().history_change_reason
    full = f"Baris 2 · impor sekolah “{nama[:37]}…” oleh {actor.username}, 9 Mar 2027 10.15"
    assert len(full) > 100 and reason == full[:100]


def test_history_of_a_file_name_of_40_characters_an_unnamed_file_and_no_operator(operator):
    nama = "s" * 36 + ".csv"
    with time_machine.travel(MOMENT, tick=False):
        apply(plan("sekolah", {**SD_UJI, "npsn": "50209901"}), operator, nama_berkas=nama)
        apply(plan("sekolah", {**SD_UJI, "npsn": "50209902"}), operator, nama_berkas="")
        apply(plan("sekolah", {**SD_UJI, "npsn": "50209903"}), None, nama_berkas="a.csv")

    def reason(npsn):
        return Sekolah.objects.get(npsn=npsn).history.get().history_change_reason

    assert (
        reason("50209901") == f"Baris 2 · impor sekolah “{nama}” oleh operator1, 9 Mar 2027 10.15"
    )
    assert reason("50209902") == "Baris 2 · impor sekolah “berkas” oleh operator1, 9 Mar 2027 10.15"
    assert reason("50209903") == "Baris 2 · impor sekolah “a.csv” oleh sistem, 9 Mar 2027 10.15"
    assert Sekolah.objects.get(npsn="50209903").history.get().history_user is None


def test_someone_saving_the_person_meanwhile_stops_the_import(operator):
    pratinjau = plan(
        "orang",
        {"nama": "Baru Sekali", "username": "baru.sekali"},
        {"nama": PP1, "nip": PP1_NIP, "instansi": "LPMP NTB"},
    )
    pp1 = Orang.objects.get(nip=PP1_NIP)
    pp1.telepon = "0812"
    pp1.version += 1
    pp1.save()
    with pytest.raises(imports.ImporGagal) as failed:
        apply(pratinjau, operator)
    assert (failed.value.baris, failed.value.pesan) == (
        3,
        f"Data “{PP1}” diubah orang lain sejak pratinjau.",
    )
    assert not Orang.objects.filter(nama="Baru Sekali").exists()


def test_a_login_deleted_meanwhile_stops_the_import(operator):
    User.objects.create(username="opsek")
    pratinjau = plan(
        "orang",
        {"nama": "Baru Sekali", "username": "baru.sekali"},
        {"nama": "Baru Dua", "username": "baru.dua"},
        {"nama": "Operator Baru", "username": "opsek"},
    )
    User.objects.filter(username="opsek").delete()
    with pytest.raises(imports.ImporGagal) as failed:
        apply(pratinjau, operator)
    assert (failed.value.baris, failed.value.pesan) == (
        4,
        "Data yang dirujuk sudah dihapus sejak pratinjau.",
    )
    assert not User.objects.filter(username__startswith="baru.").exists()


def test_a_row_the_database_refuses_stops_the_import(operator, monkeypatch):
    pratinjau = plan("sekolah", {**SD_UJI, "npsn": "50209901"}, {**SD_UJI, "npsn": "50209902"})
    save = Sekolah.save

    def refuse(self, *args, **kwargs):
        if self.npsn == "50209902":
            raise IntegrityError("bentrok")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Sekolah, "save", refuse)
    with pytest.raises(imports.ImporGagal) as failed:
        apply(pratinjau, operator)
    assert (failed.value.baris, failed.value.pesan) == (
        3,
        "Basis data menolak perubahan (data bentrok dengan data lain).",
    )
    assert not Sekolah.objects.filter(npsn="50209901").exists()


def test_a_row_invalid_only_when_saved_says_why(operator):
    pratinjau = plan("sekolah", {**SD_UJI, "npsn": "50209901"}, {**SD_UJI, "npsn": "50209902"})
    kab = KabupatenKota.objects.get(kode="5203")
    Sekolah.objects.create(
        npsn="50209902", nama="SD Lain", jenjang="SD", status="negeri", kabupaten=kab
    )
    with pytest.raises(ValidationError) as expected:
        Sekolah(
            npsn="50209902", nama="SD Uji", jenjang="SD", status="negeri", kabupaten=kab
        ).full_clean()
    with pytest.raises(imports.ImporGagal) as failed:
        apply(pratinjau, operator)
    assert (failed.value.baris, failed.value.pesan) == (3, "; ".join(expected.value.messages))
    assert str(failed.value) == failed.value.pesan


def test_errors_are_listed_by_row_and_warnings_keep_theirs(operator):
    pratinjau = plan(
        "orang",
        {"nama": "Kamhar", "username": "kamhar.baru", "peran": "guru", "npsn": "50203101"},
        {"nama": "", "nip": "1"},
        {"nama": "Ok", "username": "ok"},
    )
    assert [(g.baris, g.kolom) for g in pratinjau.galat] == [(3, "nama"), (3, "nip")]
    assert [n for n, _w in pratinjau.peringatan] == [2]
    assert pratinjau.jumlah("baru") == 2 and pratinjau.jumlah("galat") == 1
    assert pratinjau.ada_perubahan and not pratinjau.dapat_diterapkan
    unchanged = plan("orang", {"nama": PP1, "nip": PP1_NIP})
    assert not unchanged.ada_perubahan and not unchanged.dapat_diterapkan


def test_the_fingerprint_moves_with_what_the_operator_saw(operator):
    a = plan("sekolah", {**SD_UJI, "npsn": "50203102", "nama": "Nama A"})
    b = plan("sekolah", {**SD_UJI, "npsn": "50203102", "nama": "Nama B"})
    again = plan("sekolah", {**SD_UJI, "npsn": "50203102", "nama": "Nama A"})
    assert a.sidik == again.sidik != b.sidik
    assert len(a.sidik) == 64


# --- templates ---------------------------------------------------------------------------


def test_the_csv_template_is_its_header_and_example_for_excel():
    assert (
        imports.template_csv(imports.JENIS["sekolah"])
        == (
            "\ufeffnpsn,nama,jenjang,status,kode_kabupaten,alamat\r\n"
            '50209901,SD Negeri 1 Contoh,SD,negeri,5203,"Jl. Contoh No. 1, Selong"\r\n'
        ).encode()
    )


@pytest.mark.parametrize("kode", sorted(imports.JENIS))
def test_the_xlsx_template_cell_by_cell(kode):
    jenis = imports.JENIS[kode]
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(jenis)))
    assert wb.sheetnames == ["Data", "Petunjuk"]
    data = wb["Data"]
    assert data.freeze_panes == "A2"
    assert data.max_row == 2 and data.max_column == len(jenis.kolom)
    for col, kolom in enumerate(jenis.kolom, start=1):
        head, example = data.cell(row=1, column=col), data.cell(row=2, column=col)
        letter = head.column_letter
        assert head.value == kolom.nama
        assert example.value == (str(kolom.contoh) or None)
        assert head.font.b and not example.font.b
        assert (head.fill.fill_type, head.fill.fgColor.rgb) == ("solid", "00DDEBF7")
        assert example.fill.fill_type is None
        assert head.number_format == example.number_format == "@"
        assert data.column_dimensions[letter].number_format == "@"
        assert data.column_dimensions[letter].width == max(
            14, len(kolom.nama) + 4, len(str(kolom.contoh)) + 2
        )

    info = wb["Petunjuk"]
    rows = [[c.value for c in row] for row in info.iter_rows()]
    assert rows[0] == ["Kolom", "Wajib", "Keterangan", "Contoh"]
    assert all(c.font.b for c in info[1]) and not info["A2"].font.b
    assert rows[1 : 1 + len(jenis.kolom)] == [
        [k.nama, "ya" if k.wajib else "tidak", str(k.keterangan), str(k.contoh) or None]
        for k in jenis.kolom
    ]
    assert rows[1 + len(jenis.kolom) :] == [
        [None, None, None, None],
        [str(jenis.keterangan), None, None, None],
        ["Baris 1 lembar Data adalah judul kolom; isi data mulai baris 2.", None, None, None],
        [
            "Kolom opsional yang dikosongkan tidak mengubah nilai yang sudah ada.",
            None,
            None,
            None,
        ],
    ]
    widths = {k: info.column_dimensions[k].width for k in "ACD"}
    assert widths == {"A": 18, "C": 80, "D": 24}


def test_the_xlsx_template_of_schools_has_its_widths():
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(imports.JENIS["sekolah"])))
    widths = [wb["Data"].column_dimensions[c].width for c in "ABCDEF"]
    # npsn, nama, jenjang, status, kode_kabupaten, alamat: the longest of 14,
    # the name + 4 and the example + 2.
    assert widths == [14, 20, 14, 14, 18, 26]


# --- the preview kept between dry run and confirm ---------------------------------------


def test_only_the_three_newest_previews_are_kept_and_each_once(operator):
    session = {}
    jenis = imports.JENIS["sekolah"]
    tokens = []
    for n in range(4):
        rows = tabel("sekolah", {**SD_UJI, "npsn": f"5020990{n}"}, nama_berkas=f"{n}.csv")
        pratinjau = imports.plan_import(jenis, rows)
        tokens.append(imports.stash(session, jenis=jenis, tabel=rows, pratinjau=pratinjau))
    assert len(set(tokens)) == 4 and all(len(t) == 32 for t in tokens)
    assert list(session[imports.SESSION_KEY]) == tokens[1:]
    assert imports.unstash(session, jenis=jenis, token=tokens[0]) is None

    kept, sidik = imports.unstash(session, jenis=jenis, token=tokens[3])
    assert kept.baris == [(2, {**SD_UJI, "npsn": "50209903", "alamat": ""})]
    assert kept.nama_berkas == "3.csv"
    assert sidik == imports.plan_import(jenis, kept).sidik
    assert imports.unstash(session, jenis=jenis, token=tokens[3]) is None  # once
    # Another kind's confirm uses it up too.
    assert imports.unstash(session, jenis=imports.JENIS["orang"], token=tokens[2]) is None
    assert imports.unstash(session, jenis=jenis, token=tokens[2]) is None
    assert imports.unstash(session, jenis=jenis, token="") is None
    assert list(session[imports.SESSION_KEY]) == [tokens[1]]


def test_a_preview_kept_as_json_comes_back_with_row_numbers(operator):
    jenis = imports.JENIS["sekolah"]
    session = {
        imports.SESSION_KEY: {
            "lama": {"jenis": "sekolah", "baris": [["7", {"npsn": "x"}]], "sidik": "s"}
        }
    }
    kept, sidik = imports.unstash(session, jenis=jenis, token="lama")
    assert (kept.baris, kept.nama_berkas, sidik) == ([(7, {"npsn": "x"})], "", "s")
    assert session[imports.SESSION_KEY] == {}


# --- reading an upload ------------------------------------------------------------------

SEKOLAH = "npsn,nama,jenjang,status,kode_kabupaten"


def test_cells_typed_into_excel_are_read_as_the_text_they_show(operator):
    content = xlsx(
        [
            imports.JENIS["orang"].nama_kolom,
            [
                "  Guru Spasi  ",
                "198501012010011001",
                999999999999999.0,
                True,
                None,
                81234.0,
                dt.date(2026, 1, 2),
                "guru",
                1e16,
            ],
            [
                "Guru Dua",
                -5,
                1234.5,
                False,
                " a@b.id ",
                0,
                dt.datetime(2026, 1, 2, 3, 4, 5),
                None,
                50203101,
            ],
        ]
    )
    rows = imports.read_upload(imports.JENIS["orang"], upload(content, "orang.xlsx"))
    assert rows.nama_berkas == "orang.xlsx"
    assert rows.baris == [
        (
            2,
            {
                "nama": "Guru Spasi",
                "nip": "198501012010011001",
                "nuptk": "999999999999999",
                "instansi": "ya",
                "email": "",
                "telepon": "81234",
                "username": "2026-01-02T00:00:00",
                "peran": "guru",
                "npsn": "1E+16",
            },
        ),
        (
            3,
            {
                "nama": "Guru Dua",
                "nip": "-5",
                "nuptk": "1234.5",
                "instansi": "tidak",
                "email": "a@b.id",
                "telepon": "0",
                "username": "2026-01-02T03:04:05",
                "peran": "",
                "npsn": "50203101",
            },
        ),
    ]


def test_a_date_cell_is_read_as_its_date():
    assert reading._cell_text(dt.date(2026, 1, 2)) == "2026-01-02"
    assert reading._cell_text(-1e15) == "-1E+15"
    assert reading._cell_text(-999999999999999.0) == "-999999999999999"
    assert reading._cell_text(0.1 + 0.2) == "0.3"


def test_columns_without_a_header_are_ignored_and_missing_ones_are_empty(operator):
    content = (
        b"npsn,,nama,jenjang,status,kode_kabupaten,,\n"
        b"50209901,abaikan,SD Uji,SD,negeri,5203,,\n"
        b"50209902,,SD Dua,SD,negeri,5203\n"
    )
    rows = imports.read_upload(imports.JENIS["sekolah"], upload(content))
    assert rows.baris == [
        (2, {**SD_UJI, "npsn": "50209901", "alamat": ""}),
        (3, {**SD_UJI, "npsn": "50209902", "nama": "SD Dua", "alamat": ""}),
    ]
    assert rows.nama_berkas == "data.csv"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            f"{SEKOLAH},nama\n1,2,SD,negeri,5203,3\n",
            "Kolom “nama” muncul dua kali di baris 1.",
        ),
        (
            f"Judul\n\n{SEKOLAH},,status\n1,2,SD,negeri,5203,,x\n",
            "Kolom “status” muncul dua kali di baris 3.",
        ),
        (
            "npsn,nama,jenjang\n1,2,3\n",
            "Kolom wajib tidak ada di baris 1: status, kode_kabupaten. "
            "Gunakan templat impor Sekolah.",
        ),
        (
            f"{SEKOLAH},kecamatan,desa\n1,2,SD,negeri,5203,x,y\n",
            "Kolom tidak dikenal di baris 1: kecamatan, desa. Kolom yang dikenal: npsn, nama, "
            "jenjang, status, kode_kabupaten, alamat.",
        ),
        (
            ",,\nx\n",
            "Baris 1 harus berisi judul kolom: npsn, nama, jenjang, status, kode_kabupaten, "
            "alamat.",
        ),
        (
            f"{SEKOLAH}\n1,2,SD,negeri,5203\n1,2,SD,negeri,5203,,lebih\n",
            "Baris 3 berisi nilai di luar kolom yang berjudul.",
        ),
        (f"{SEKOLAH}\n,,,,\n", "Berkas tidak berisi baris data di bawah baris judul."),
        (
            "x" * 30 + "\x00",
            "Berkas ini bukan XLSX atau CSV (berisi data biner). Unggah berkas XLSX atau CSV.",
        ),
    ],
)
def test_a_whole_file_refused_word_for_word(operator, content, message):
    assert refusal("sekolah", content.encode()) == message


def test_cells_of_blank_columns_after_the_header_may_stay_empty(operator):
    content = f"{SEKOLAH}\n50209901,SD Uji,SD,negeri,5203,, \n".encode()
    rows = imports.read_upload(imports.JENIS["sekolah"], upload(content))
    assert rows.baris == [(2, {**SD_UJI, "npsn": "50209901", "alamat": ""})]


def test_a_refusal_of_the_reader_reaches_the_operator_whole(operator):
    big = upload(b"x" * 11, "besar.csv")
    big.size = 10 * 1024 * 1024 + 1
    assert refusal_of(big) == "Berkas terlalu besar (10,0\xa0MB). Ukuran maksimal 10,0\xa0MB."


def refusal_of(uploaded):
    with pytest.raises(imports.BerkasTidakValid) as caught:
        imports.read_upload(imports.JENIS["sekolah"], uploaded)
    assert str(caught.value) == caught.value.message
    return caught.value.message


# --- the shared reader (program.spreadsheet) -------------------------------------------------


def read(content: bytes, **kwargs):
    kwargs.setdefault("is_header", lambda header: "nama" in header)
    kwargs.setdefault("max_rows", 5)
    return read_table(SimpleUploadedFile("berkas", content), **kwargs)


def refused(content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        read(content, **kwargs)
    return " ".join(caught.value.messages)


def test_reader_refusals_word_for_word():
    assert refused(b"nama\nAni\n", max_bytes=5) == (
        "Berkas terlalu besar (9\xa0bita). Ukuran maksimal 5\xa0bita."
    )
    assert read(b"nama\nAni\n", max_bytes=9).rows == [(2, ["Ani"])]
    assert refused(b"nama\n" + b"Ani\n" * 6) == (
        "Berkas berisi lebih dari 5 baris data. Bagi menjadi beberapa berkas."
    )
    assert refused(b"nama\nAni\n" + b",\n" * 51) == (
        "Berkas berisi lebih dari 50 baris kosong di bawah baris judul. Hapus baris kosongnya "
        "lalu unggah lagi."
    )
    assert refused(b"nama\nAni\n\xff\n") == (
        "Berkas CSV tidak berenkode UTF-8 (karakter tidak dikenali di baris 3). Simpan ulang "
        "sebagai “CSV UTF-8 (dipisahkan koma)”."
    )
    assert refused(b'nama\nAni\n"Budi\n' + b"x" * 140_000) == (
        "Berkas CSV rusak di sekitar baris 3 (mis. tanda petik yang tidak ditutup atau sel yang "
        "terlalu panjang). Simpan ulang dari Excel/LibreOffice sebagai CSV lalu unggah lagi."
    )
    assert refused(b"nama\nAni\nBu\x00di\n" + b"x" * 5000, max_rows=2000) == (
        "Berkas ini bukan XLSX atau CSV (berisi data biner). Unggah berkas XLSX atau CSV."
    )
    assert refused(b"nama\n" + b"Ani\n" * 1100 + b"Bu\x00di\n", max_rows=2000) == (
        "Baris 1102 berisi karakter biner (NUL). Simpan ulang berkas dari Excel/LibreOffice "
        "sebagai .xlsx atau “CSV UTF-8 (dipisahkan koma)”."
    )
    assert refused("nama\nAni\n".encode("utf-16-be")) == (
        "Berkas CSV berenkode UTF-16, bukan spreadsheet CSV UTF-8. Simpan ulang sebagai "
        "“CSV UTF-8 (dipisahkan koma)”."
    )
    assert refused(b"\xfe\xffnama") == refused("nama".encode("utf-16"))
    assert refused(b"  \n <table>nama</table>") == (
        "Berkas bukan spreadsheet. Jenis berkas tidak didukung: unggah berkas XLSX atau CSV."
    )
    assert refused(b"\xd0\xcf\x11\xe0" + b"\0" * 100) == (
        "Format .xls (Excel 97–2003) tidak didukung. Simpan sebagai .xlsx atau CSV UTF-8 lalu "
        "unggah lagi."
    )
    assert refused(b"PK\x03\x04 bukan zip") == (
        "Berkas XLSX tidak dapat dibaca (rusak atau bukan buku kerja Excel). Simpan ulang dari "
        "Excel/LibreOffice sebagai .xlsx lalu unggah lagi."
    )
    assert refused(b" \r\n\t") == "Berkas kosong."


def test_a_file_larger_than_it_says_is_refused_by_what_was_read():
    uploaded = SimpleUploadedFile("berkas", b"nama\nAni\nBudi\n")
    uploaded.size = None
    with pytest.raises(ValidationError) as caught:
        read_table(uploaded, is_header=lambda h: "nama" in h, max_rows=5, max_bytes=9)
    assert caught.value.messages == [
        "Berkas terlalu besar (10\xa0bita). Ukuran maksimal 9\xa0bita."
    ]


def test_an_upload_read_before_is_read_from_its_start():
    uploaded = SimpleUploadedFile("berkas", b"nama\nAni\n")
    uploaded.read()
    assert read_table(uploaded, is_header=lambda h: "nama" in h, max_rows=5).rows == [(2, ["Ani"])]


def test_the_header_is_looked_for_in_the_first_ten_rows():
    assert read(b"\n" * 9 + b"nama\nAni\n").header_row == 10
    late = read(b"x\n" * 10 + b"nama\nAni\n")
    assert (late.found, late.header, late.rows) == (False, ["x"], [])


def test_without_a_header_row_one_is_split_by_its_most_frequent_delimiter():
    table = read(b"a;b;c,d\n1;2;3\n")
    assert (table.found, table.header, table.rows) == (False, ["a", "b", "c,d"], [])
    assert read(b"a\tb\tc,d\n").header == ["a", "b", "c,d"]
    assert read(b"nama\tpre\nAni\t70\n").rows == [(2, ["Ani", "70"])]


def test_a_text_file_with_control_characters_that_is_no_known_type_is_read():
    assert read(b"nama\nA\x01ni\n").rows == [(2, ["A\x01ni"])]


def test_an_image_is_not_a_spreadsheet():
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04" + b"nama" * 10
    assert refused(gif) == (
        "Berkas bukan spreadsheet. Jenis berkas tidak didukung: unggah berkas XLSX atau CSV."
    )


def test_a_zip_of_another_kind_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert refused(buffer.getvalue()) == (
        "Berkas bukan spreadsheet. Jenis berkas tidak didukung: unggah berkas XLSX atau CSV."
    )


def test_an_xlsx_sheet_gives_its_title_and_header_row():
    wb = openpyxl.Workbook()
    wb.active.title = "Sekolah"
    wb.active.append(["Judul"])
    wb.active.append(["Nama", "pre"])
    wb.active.append(["Ani", 70])
    out = io.BytesIO()
    wb.save(out)
    table = read(out.getvalue())
    assert (table.sheet, table.header_row, table.header, table.rows, table.found) == (
        "Sekolah",
        2,
        ["nama", "pre"],
        [(3, ["Ani", 70])],
        True,
    )


def test_formulas_get_a_leading_quote_and_other_values_stay():
    for text in ("=1+1", "+62", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert escape_formula(text) == "'" + text
    assert escape_formula("Ani") == "Ani"
    assert escape_formula(-1) == -1
    assert escape_formula(None) is None


# --- found by the first triage ------------------------------------------------------------


def test_the_warning_names_the_existing_persons_nuptk_or_only_their_name(operator):
    set_nuptk("Kamhar", "1111222233334444")
    pratinjau = plan(
        "orang",
        {"nama": "Kamhar", "username": "kamhar.baru", "peran": "guru", "npsn": "50203101"},
        {"nama": "Zulkifli", "username": "zulkifli.baru", "peran": "guru", "npsn": "50203101"},
    )
    tail = (
        " yang sudah ada. Bila memang orang yang sama, isi NIP, NUPTK atau username-nya di "
        "berkas agar tidak tercatat dua kali."
    )
    assert pratinjau.peringatan == [
        (2, "Mungkin sama dengan Kamhar, S.Pd (1111222233334444)" + tail),
        (3, "Mungkin sama dengan Zulkifli, S.Pd.I" + tail),
    ]


def test_assignment_preview_queries_do_not_grow_with_people(
    operator, django_assert_max_num_queries
):
    people = ["pp1", "pp2", "pp3", "fasilitator1", "fasilitator2", "koordinator1", "ks1", "ks2"]
    rows = [{"tipe": "koordinator", "orang": u, "kode_kabupaten": "5201"} for u in people]
    with django_assert_max_num_queries(7):
        pratinjau = plan("penugasan", *rows)
    assert [b.status for b in pratinjau.baris] == ["baru"] * len(people)


def test_an_npsn_with_a_letter_may_be_typed_in_lower_case(operator, demo):
    Sekolah.objects.create(
        npsn="5020990X",
        nama="SD Huruf",
        jenjang="SD",
        status="negeri",
        kabupaten=KabupatenKota.objects.get(kode="5203"),
    )
    pratinjau = plan(
        "penugasan",
        {"tipe": "fasilitator", "orang": "fasilitator1", "npsn": "5020990x"},
        {"tipe": "pp", "orang": "pp1", "cgp": "cgp1", "npsn": "5020990x", "angkatan": "PGP 11"},
    )
    assert shown(pratinjau) == [
        (2, "baru", f"Fasilitator {FAS1} → SD Huruf (5020990X)", [], []),
        (
            3,
            "berubah",
            f"PP {PP1} → CGP {CGP1} (PGP Angkatan 11)",
            [("Sekolah CGP", "SD Negeri 2 Jerowaru (50203103)", "SD Huruf (5020990X)")],
            [],
        ),
    ]
    persons = plan(
        "orang",
        {"nama": "Guru Huruf", "username": "guru.huruf", "peran": "guru", "npsn": "5020990x"},
    )
    assert shown(persons)[0][3][-1] == ("Peran", "—", "Guru — SD Huruf (5020990X)")


def test_a_wrong_class_row_shows_what_it_names(operator):
    pratinjau = plan(
        "penugasan",
        {
            "tipe": "fasilitator_pgp",
            "orang": "tidak.ada",
            "cgp": "cgp1",
            "angkatan": "PGP 11",
            "kelas": "Kelas Z",
        },
    )
    assert pratinjau.baris[0].label == "fasilitator_pgp · tidak.ada · cgp1 · PGP 11 · Kelas Z"


def test_a_cgp_without_a_class_is_put_into_one(operator, demo):
    PenugasanPP.objects.filter(cgp__user=demo["cgp1"]).update(kelas=None)
    pratinjau = plan(
        "penugasan",
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp1",
            "cgp": "cgp1",
            "angkatan": "PGP 11",
            "kelas": "Kelas A",
        },
    )
    assert shown(pratinjau)[0][1:4] == (
        "berubah",
        f"Fasilitator PGP {PGP1} → Kelas A: CGP {CGP1} (PGP Angkatan 11)",
        [("Kelas daring", "—", "Kelas A")],
    )
    apply(pratinjau, operator)
    assert PenugasanPP.objects.get(cgp__user=demo["cgp1"]).kelas.nama == "Kelas A"


def test_pp_preview_queries_do_not_grow_with_changed_pairs(operator, django_assert_max_num_queries):
    cgps = ["Junaidi", "Sarniwati", "Edy", "Rika", "Sri"]
    for i, nama in enumerate(cgps):
        set_nuptk(nama, f"{i}" * 16)
    other = {PP1: "pp2", PP2: "pp1"}
    rows = [
        {
            "tipe": "pp",
            "orang": other[p.pp.nama],
            "cgp": p.cgp.nuptk,
            "npsn": "50203101",
            "angkatan": "PGP 11",
        }
        for p in PenugasanPP.objects.select_related("pp", "cgp").filter(
            angkatan__nomor=11, cgp__nuptk__in=[f"{i}" * 16 for i in range(5)]
        )
    ]
    assert len(rows) == 5
    with django_assert_max_num_queries(8):
        pratinjau = plan("penugasan", *rows)
    assert [len(b.perubahan) for b in pratinjau.baris] == [2] * 5


def test_class_preview_queries_do_not_grow_with_classes(operator, django_assert_max_num_queries):
    cgps = ["Junaidi", "Sarniwati", "Edy", "Rika", "Sri"]
    for i, nama in enumerate(cgps):
        set_nuptk(nama, f"{i}" * 16)
    angkatan = PenugasanPP.objects.get(cgp__nama__startswith="Junaidi").angkatan
    for i in range(5):
        KelasDaring.objects.create(angkatan=angkatan, nama=f"Kelas {i}", fasilitator=orang(PGP1))
    rows = [
        {
            "tipe": "fasilitator_pgp",
            "orang": "fasilitatorpgp2",
            "cgp": f"{i}" * 16,
            "angkatan": "PGP 11",
            "kelas": f"Kelas {i}",
        }
        for i in range(5)
    ]
    with django_assert_max_num_queries(9):
        pratinjau = plan("penugasan", *rows)
    assert [b.perubahan[0].lama for b in pratinjau.baris] == [PGP1] * 5
    assert [b.perubahan[1].lama for b in pratinjau.baris] == ["Kelas A"] * 5


def test_people_preview_queries_do_not_grow_with_known_people(
    operator, demo, django_assert_max_num_queries
):
    # People with a login, matched by NUPTK.
    for i, nama in enumerate(
        ["Yosefina Dua", "Dr. Fransiskus", "Drs. Emanuel", "Theresia", "Yohanes"]
    ):
        set_nuptk(nama, f"{i}" * 16)
    known = Orang.objects.exclude(nip="").exclude(user=None).filter(nuptk="").order_by("nama")[:5]
    by_nip = [{"nama": o.nama, "nip": o.nip, "telepon": "0812"} for o in known]
    by_nuptk = [
        {"nama": o.nama, "nuptk": o.nuptk, "telepon": "0812"}
        for o in Orang.objects.filter(nuptk__in=[f"{i}" * 16 for i in range(5)])
    ]
    by_username = [
        {"nama": o.nama, "username": o.user.username, "telepon": "0812"}
        for o in Orang.objects.filter(nip="", nuptk="")
        .exclude(user=None)
        .select_related("user")[:5]
    ]
    with django_assert_max_num_queries(5):
        pratinjau = plan("orang", *by_nip, *by_nuptk[:1], *by_username)
    assert [b.status for b in pratinjau.baris] == ["berubah"] * 11
    with django_assert_max_num_queries(5):
        pratinjau = plan("orang", *by_nuptk)
    assert [(b.status, b.perubahan) for b in pratinjau.baris] == [
        ("berubah", [imports.Perubahan("Telepon", "—", "0812")])
    ] * 5


def test_a_row_whose_only_error_is_its_name_still_is_its_person(operator):
    pratinjau = plan(
        "orang",
        {"nama": "N" * 201, "username": "sama", "peran": "guru", "npsn": "50203101"},
        {"nama": "Sama", "username": "sama", "peran": "guru", "npsn": "50203101"},
    )
    assert errors(pratinjau) == [
        (2, "nama", "Kolom nama terlalu panjang (maksimal 200 karakter)."),
        (3, "nama", "Kolom nama berbeda dengan baris 2 untuk orang yang sama."),
        (3, "peran", "Peran ini untuk orang dan sekolah yang sama sudah ada di baris 2."),
    ]


def test_a_row_with_a_wrong_key_is_not_taken_for_anyone(operator):
    pratinjau = plan(
        "orang",
        {"nama": "Satu", "nip": "1985"},
        {"nama": "Dua", "nip": "1985"},
        {"nama": "Tiga", "nuptk": "12", "email": "x"},
        {"nama": "Empat", "nuptk": "12"},
    )
    assert [(n, k) for n, k, _m in errors(pratinjau)] == [
        (2, "nip"),
        (3, "nip"),
        (4, "nuptk"),
        (4, "email"),
        (5, "nuptk"),
    ]
    assert [b.label for b in pratinjau.baris] == [
        "Satu (1985)",
        "Dua (1985)",
        "Tiga (12)",
        "Empat (12)",
    ]


def test_a_new_person_of_the_same_instansi_is_pointed_out(operator):
    pratinjau = plan(
        "orang",
        {"nama": "Kamhar", "username": "kamhar.baru", "instansi": "sma negeri 1 selong"},
        {"nama": "Rusdan", "username": "rusdan.baru", "instansi": "SD Negeri 2 Jerowaru"},
        {"nama": "Hizbuddin", "username": "hizbuddin.baru"},
    )
    assert [(n, w.split(" yang sudah ada")[0]) for n, w in pratinjau.peringatan] == [
        (2, "Mungkin sama dengan Kamhar, S.Pd"),
        (3, "Mungkin sama dengan Rusdan, S.Pd"),
    ]


def test_a_known_person_without_a_login_gets_one(operator):
    set_nuptk("Kamhar", "1111222233334444")
    set_nuptk("Zulkifli", "5555666677778888")
    User.objects.create(username="zul")
    Orang.objects.filter(nama__startswith="Zulkifli").update(version=3)
    kamhar_version = Orang.objects.get(nuptk="1111222233334444").version
    pratinjau = plan(
        "orang",
        {"nama": "Kamhar, S.Pd", "nuptk": "1111222233334444", "username": "kamhar"},
        {"nama": "Zulkifli, S.Pd.I", "nuptk": "5555666677778888", "username": "zul"},
    )
    assert shown(pratinjau) == [
        (
            2,
            "berubah",
            "Kamhar, S.Pd (1111222233334444)",
            [("Akun", "—", "kamhar (akun baru tanpa kata sandi)")],
            [],
        ),
        (
            3,
            "berubah",
            "Zulkifli, S.Pd.I (5555666677778888)",
            [("Akun", "—", "zul (akun yang sudah ada)")],
            [],
        ),
    ]
    apply(pratinjau, operator)
    kamhar = Orang.objects.select_related("user").get(nuptk="1111222233334444")
    assert (kamhar.user.username, kamhar.user.email) == ("kamhar", "")
    assert kamhar.version == kamhar_version + 1
    zul = Orang.objects.select_related("user").get(nuptk="5555666677778888")
    assert (zul.user.username, zul.version) == ("zul", 4)


def test_history_of_a_file_name_of_41_characters_and_of_a_call_without_one(operator):
    nama = "s" * 37 + ".csv"
    with time_machine.travel(MOMENT, tick=False):
        apply(plan("sekolah", {**SD_UJI, "npsn": "50209901"}), operator, nama_berkas=nama)
        imports.apply_import(
            actor=operator, pratinjau=plan("sekolah", {**SD_UJI, "npsn": "50209902"})
        )
    reasons = [
        Sekolah.objects.get(npsn=npsn).history.get().history_change_reason
        for npsn in ("50209901", "50209902")
    ]
    assert reasons == [
        f"Baris 2 · impor sekolah “{'s' * 37}…” oleh operator1, 9 Mar 2027 10.15",
        "Baris 2 · impor sekolah “berkas” oleh operator1, 9 Mar 2027 10.15",
    ]


def test_a_confirm_without_any_preview_kept_finds_nothing(operator):
    session = {}
    assert imports.unstash(session, jenis=imports.JENIS["sekolah"], token="x") is None
    assert session == {imports.SESSION_KEY: {}}


def test_a_school_whose_npsn_has_a_letter_is_found_in_lower_case(operator):
    kab = KabupatenKota.objects.get(kode="5203")
    Sekolah.objects.create(
        npsn="5020990X", nama="SD Huruf", jenjang="SD", status="negeri", kabupaten=kab
    )
    pratinjau = plan("sekolah", {**SD_UJI, "npsn": "5020990x", "nama": "SD Huruf Baru"})
    assert shown(pratinjau) == [
        (2, "berubah", "5020990X — SD Huruf Baru", [("Nama", "SD Huruf", "SD Huruf Baru")], [])
    ]


def test_a_role_may_be_named_by_its_label_alone(operator):
    pratinjau = plan(
        "orang",
        {"nama": "A", "username": "a.satu", "peran": "Pengawas Sekolah", "npsn": "50203101"},
        {"nama": "B", "username": "b.dua", "peran": "pic komunitas belajar", "npsn": "50203101"},
    )
    assert [b.perubahan[-1].baru for b in pratinjau.baris] == [
        "Pengawas Sekolah — SMA Negeri 1 Selong (50203101)",
        "PIC Komunitas Belajar — SMA Negeri 1 Selong (50203101)",
    ]


def test_a_broken_row_after_the_first_ten_is_named_under_the_headers_delimiter():
    content = b"nama;pre\n" + b"Ani, S.Pd., M.Pd.;70\n" * 11 + b'"Budi;80\n' + b"x" * 140_000
    assert refused(content, max_rows=50) == (
        "Berkas CSV rusak di sekitar baris 13 (mis. tanda petik yang tidak ditutup atau sel yang "
        "terlalu panjang). Simpan ulang dari Excel/LibreOffice sebagai CSV lalu unggah lagi."
    )


def test_a_new_person_like_two_already_there_names_both(operator):
    kamhar = Orang.objects.get(nama="Kamhar, S.Pd")
    twin = Orang.objects.create(nama="Kamhar, S.Pd.", instansi=kamhar.instansi)
    pratinjau = plan(
        "orang",
        {"nama": "Kamhar", "username": "kamhar.baru", "instansi": kamhar.instansi},
    )
    names = pratinjau.peringatan[0][1].split(" yang sudah ada")[0]
    assert names == f"Mungkin sama dengan {kamhar.nama}, {twin.nama}" or names == (
        f"Mungkin sama dengan {twin.nama}, {kamhar.nama}"
    )


def test_a_csv_broken_in_its_first_row_names_row_one():
    assert refused(b'"nama\n' + b"x" * 140_000).startswith(
        "Berkas CSV rusak di sekitar baris 1 (mis."
    )
