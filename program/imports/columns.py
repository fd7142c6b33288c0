"""Column definitions of each kind of import (the templates and the header check use them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from program.models import Jenjang, Peran, StatusSekolah


@dataclass(frozen=True)
class Kolom:
    nama: str
    wajib: bool
    keterangan: str
    contoh: str = ""


@dataclass(frozen=True)
class Jenis:
    kode: str
    label: str
    keterangan: str
    kolom: tuple[Kolom, ...]

    @property
    def nama_kolom(self) -> list[str]:
        return [k.nama for k in self.kolom]

    @property
    def kolom_wajib(self) -> list[str]:
        return [k.nama for k in self.kolom if k.wajib]


_KUNCI_ORANG = gettext_lazy(
    "NIP (18 angka), NUPTK (16 angka) atau username orang yang sudah terdaftar."
)

JENIS: dict[str, Jenis] = {
    "sekolah": Jenis(
        "sekolah",
        gettext_lazy("Sekolah"),
        gettext_lazy("Satu baris per sekolah, dikenali dari NPSN."),
        (
            Kolom("npsn", True, gettext_lazy("NPSN, 8 angka/huruf. Kunci sekolah."), "50209901"),
            Kolom("nama", True, gettext_lazy("Nama sekolah."), "SD Negeri 1 Contoh"),
            Kolom("jenjang", True, gettext_lazy("PAUD, SD, SMP, SMA, SMK atau SLB."), Jenjang.SD),
            Kolom("status", True, gettext_lazy("negeri atau swasta."), StatusSekolah.NEGERI),
            Kolom(
                "kode_kabupaten",
                True,
                gettext_lazy("Kode kabupaten/kota (Kemendagri), mis. 5203 untuk Lombok Timur."),
                "5203",
            ),
            Kolom("alamat", False, gettext_lazy("Alamat sekolah."), "Jl. Contoh No. 1, Selong"),
        ),
    ),
    "orang": Jenis(
        "orang",
        gettext_lazy("Orang dan peran"),
        gettext_lazy(
            "Satu baris per orang dan peran di sekolah. Orang dikenali dari NIP, lalu NUPTK, "
            "lalu username; minimal satu harus diisi. Orang yang memegang beberapa peran "
            "ditulis di beberapa baris dengan kunci yang sama. Peran PP, CGP dan koordinator "
            "diberikan lewat impor penugasan."
        ),
        (
            Kolom("nama", True, gettext_lazy("Nama lengkap dengan gelar."), "Contoh Nama, S.Pd"),
            Kolom("nip", False, gettext_lazy("NIP, 18 angka."), "198501012010011001"),
            Kolom("nuptk", False, gettext_lazy("NUPTK, 16 angka."), ""),
            Kolom(
                "instansi", False, gettext_lazy("Instansi tempat bekerja."), "SD Negeri 1 Contoh"
            ),
            Kolom("email", False, gettext_lazy("Alamat email."), "contoh.guru@example.com"),
            Kolom("telepon", False, gettext_lazy("Nomor telepon."), ""),
            Kolom(
                "username",
                False,
                gettext_lazy(
                    "Username akun masuk. Jika belum ada, akun dibuat tanpa kata sandi "
                    "(orang itu memakai fitur lupa kata sandi atau diberi kata sandi oleh admin)."
                ),
                "contoh.guru",
            ),
            Kolom(
                "peran",
                False,
                gettext_lazy(
                    "Peran di sekolah: kepala_sekolah, guru, pengawas, fasilitator, "
                    "pic_komunitas atau operator_sekolah."
                ),
                Peran.GURU,
            ),
            Kolom(
                "npsn",
                False,
                gettext_lazy("NPSN sekolah tempat peran itu (wajib jika ada peran)."),
                "50209901",
            ),
        ),
    ),
    "penugasan": Jenis(
        "penugasan",
        gettext_lazy("Penugasan"),
        gettext_lazy(
            "Satu baris per penugasan. Tipe pp: Pengajar Praktik mendampingi CGP dalam satu "
            "angkatan (isi orang, cgp, npsn sekolah CGP, angkatan). Tipe fasilitator: "
            "Pelatih Ahli/fasilitator PSP di sekolah (isi orang, npsn). Tipe fasilitator_pgp: "
            "Fasilitator PGP kelas daring (LMS) dan satu CGP di kelasnya (isi orang, cgp, "
            "angkatan, kelas; CGP itu sudah punya PP di angkatan tersebut). Tipe koordinator: "
            "koordinator satu kabupaten/kota (isi orang, kode_kabupaten) atau seluruh wilayah "
            "satu balai (isi orang, kode_balai). Tipe operator_balai: operator data induk "
            "wilayah satu balai (isi orang, kode_balai). Kolom yang tidak dipakai tipe itu "
            "dikosongkan."
        ),
        (
            Kolom(
                "tipe",
                True,
                gettext_lazy("pp, fasilitator, fasilitator_pgp, koordinator atau operator_balai."),
                "pp",
            ),
            Kolom("orang", True, _KUNCI_ORANG, "198305122009031004"),
            Kolom(
                "cgp",
                False,
                gettext_lazy(
                    "Untuk tipe pp dan fasilitator_pgp: kunci CGP (NIP, NUPTK atau username)."
                ),
                "199002152014022001",
            ),
            Kolom(
                "npsn",
                False,
                gettext_lazy("Untuk tipe pp: sekolah CGP. Untuk tipe fasilitator: sekolah binaan."),
                "50203103",
            ),
            Kolom(
                "angkatan",
                False,
                gettext_lazy(
                    "Untuk tipe pp dan fasilitator_pgp: kode program dan nomor angkatan, "
                    "mis. PGP 11."
                ),
                "PGP 11",
            ),
            Kolom(
                "kode_kabupaten",
                False,
                gettext_lazy("Untuk tipe koordinator satu kabupaten/kota: kode kabupaten/kota."),
                "",
            ),
            Kolom(
                "kelas",
                False,
                gettext_lazy(
                    "Untuk tipe fasilitator_pgp: nama kelas daring di LMS, mis. Kelas A. Kelas "
                    "yang belum ada dibuat untuk angkatan itu."
                ),
                "",
            ),
            Kolom(
                "kode_balai",
                False,
                gettext_lazy(
                    "Untuk tipe koordinator seluruh wilayah balai dan tipe operator_balai: "
                    "kode balai, mis. bgp-ntb."
                ),
                "",
            ),
        ),
    ),
}


def get_jenis(kode: str) -> Jenis | None:
    return JENIS.get(kode)
