"""Imports of master data by operators: schools, people with roles, assignments.

The flow is always the same:

1. `read_upload` turns an uploaded XLSX/CSV into rows of text cells (the
   header is row 1 of the templates; a title above it is skipped), refusing
   other types, encodings and missing columns. The file rules are those of
   `program.spreadsheet.read_table`, shared with the workshop score import.
2. `plan_import` compares every row with the database *without writing
   anything* and returns a `Pratinjau`: per row new / changed (old → new per
   field) / unchanged, and every error with its row number.
3. The parsed rows wait server-side in the session under a one-time token
   (`stash` / `unstash`); the confirm request carries only the token.
4. `apply_import` plans again from those rows and, if the result is still what
   the operator saw (same fingerprint, no errors), writes all rows in one
   transaction: any failure, even one only the database notices, rolls back
   every row. Each write sets `_history_user`, so history shows the operator.

Imports never delete anything. An optional cell left empty keeps the current
value, so a partial sheet cannot wipe data by accident, and re-importing the
same file finds every row unchanged and writes nothing.

The engine is written out here rather than in django-import-export Resources
(which still drive the admin, see `program.resources`): the preview needs
old → new per field with foreign keys resolved in bulk, people matched by
NIP / NUPTK / username, and errors worded for operators.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from program.models import (
    Angkatan,
    Jenjang,
    KabupatenKota,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    Sekolah,
    StatusSekolah,
)
from program.models.master import PERAN_SEKOLAH
from program.spreadsheet import Table, read_table
from program.versioning import ConflictError, save_versioned

# A national list of people (issue #9: 10,000 rows) previews in well under 20 s;
# beyond that an upload is split, which also keeps the preview page readable.
MAX_ROWS = 10_000
SESSION_KEY = "program_impor"
MAX_PENDING = 3  # previews kept per session; older ones expire

BARU = "baru"
BERUBAH = "berubah"
TETAP = "tetap"
GALAT = "galat"

NIP_RE = re.compile(r"^[0-9]{18}$")
NUPTK_RE = re.compile(r"^[0-9]{16}$")
NPSN_RE = re.compile(r"^[0-9A-Z]{8}$")
ANGKATAN_RE = re.compile(r"^([A-Za-z]+)[\s\-_]*([0-9]+)$")


# --- column definitions ---------------------------------------------------------


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
            "fasilitator di sekolah (isi orang, npsn). Tipe koordinator: koordinator wilayah "
            "(isi orang, kode_kabupaten). Kolom yang tidak dipakai tipe itu dikosongkan."
        ),
        (
            Kolom("tipe", True, gettext_lazy("pp, fasilitator atau koordinator."), "pp"),
            Kolom("orang", True, _KUNCI_ORANG, "198305122009031004"),
            Kolom(
                "cgp",
                False,
                gettext_lazy("Untuk tipe pp: kunci CGP (NIP, NUPTK atau username)."),
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
                gettext_lazy("Untuk tipe pp: kode program dan nomor angkatan, mis. PGP 11."),
                "PGP 11",
            ),
            Kolom(
                "kode_kabupaten",
                False,
                gettext_lazy("Untuk tipe koordinator: kode kabupaten/kota."),
                "",
            ),
        ),
    ),
}


def get_jenis(kode: str) -> Jenis | None:
    return JENIS.get(kode)


# --- reading files ----------------------------------------------------------------


class BerkasTidakValid(Exception):
    """The upload as a whole cannot be read; the message is for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Tabel:
    """Rows of an upload as text: row number (header = 1) → {column: text}."""

    baris: list[tuple[int, dict[str, str]]]
    nama_berkas: str = ""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # A long number typed into Excel (NIP, NUPTK) loses digits; show it the way
        # Excel does so that validation says so instead of importing wrong digits.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_upload(jenis: Jenis, uploaded) -> Tabel:
    """Read an uploaded XLSX or CSV (type decided by content) into text rows.

    The file rules are `program.spreadsheet.read_table`'s: UTF-8 only for CSV
    (a misread name would be saved in master data), the first sheet of an XLSX,
    the header within its first rows (the first row holding every required
    column).
    """
    required = set(jenis.kolom_wajib)
    try:
        table = read_table(
            uploaded, is_header=lambda header: required <= set(header), max_rows=MAX_ROWS
        )
    except ValidationError as exc:
        raise BerkasTidakValid(" ".join(exc.messages)) from exc
    return _to_table(jenis, table, getattr(uploaded, "name", "") or "")


def _to_table(jenis: Jenis, table: Table, nama_berkas: str) -> Tabel:
    baris = table.header_row
    headers = list(table.header)
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise BerkasTidakValid(
            _("Baris %(baris)s harus berisi judul kolom: %(kolom)s.")
            % {"baris": baris, "kolom": ", ".join(jenis.nama_kolom)}
        )
    seen: set[str] = set()
    for h in headers:
        if h in seen:
            raise BerkasTidakValid(
                _("Kolom “%(kolom)s” muncul dua kali di baris %(baris)s.")
                % {"kolom": h, "baris": baris}
            )
        if h:
            seen.add(h)
    missing = [k for k in jenis.kolom_wajib if k not in seen]
    if missing:
        raise BerkasTidakValid(
            _(
                "Kolom wajib tidak ada di baris %(baris)s: %(kolom)s. "
                "Gunakan templat impor %(jenis)s."
            )
            % {"baris": baris, "kolom": ", ".join(missing), "jenis": jenis.label}
        )
    unknown = [h for h in headers if h and h not in jenis.nama_kolom]
    if unknown:
        raise BerkasTidakValid(
            _("Kolom tidak dikenal di baris %(baris)s: %(kolom)s. Kolom yang dikenal: %(dikenal)s.")
            % {"baris": baris, "kolom": ", ".join(unknown), "dikenal": ", ".join(jenis.nama_kolom)}
        )
    data = []
    for nomor, raw in table.rows:
        cells = [_cell_text(v) for v in raw]
        extra = [c for c in cells[len(headers) :] if c]
        if extra:
            raise BerkasTidakValid(
                _("Baris %(baris)s berisi nilai di luar kolom yang berjudul.") % {"baris": nomor}
            )
        values = {k: "" for k in jenis.nama_kolom}
        for h, c in zip(headers, cells, strict=False):
            if h:
                values[h] = c
        data.append((nomor, values))
    if not data:
        raise BerkasTidakValid(_("Berkas tidak berisi baris data di bawah baris judul."))
    return Tabel(baris=data, nama_berkas=nama_berkas)


# --- the preview ------------------------------------------------------------------


@dataclass
class Perubahan:
    kolom: str
    lama: str
    baru: str


@dataclass
class Galat:
    baris: int
    kolom: str
    pesan: str


@dataclass
class Baris:
    nomor: int
    label: str = ""
    baru: bool = False
    perubahan: list[Perubahan] = field(default_factory=list)
    galat: list[Galat] = field(default_factory=list)
    # Writes for this row, run in row order inside one transaction.
    langkah: list[Callable[[_Konteks], None]] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.galat:
            return GALAT
        if self.baru:
            return BARU
        return BERUBAH if self.perubahan else TETAP

    def error(self, kolom: str, pesan: str) -> None:
        self.galat.append(Galat(self.nomor, kolom, pesan))

    def change(self, kolom, lama, baru) -> None:
        self.perubahan.append(Perubahan(str(kolom), str(lama or "—"), str(baru or "—")))


@dataclass
class Pratinjau:
    jenis: Jenis
    baris: list[Baris]

    @property
    def galat(self) -> list[Galat]:
        return sorted((g for b in self.baris for g in b.galat), key=lambda g: g.baris)

    def jumlah(self, status: str) -> int:
        return sum(1 for b in self.baris if b.status == status)

    @property
    def ringkasan(self) -> dict[str, int]:
        return {s: self.jumlah(s) for s in (BARU, BERUBAH, TETAP, GALAT)}

    @property
    def ada_perubahan(self) -> bool:
        return any(b.status in (BARU, BERUBAH) for b in self.baris)

    @property
    def dapat_diterapkan(self) -> bool:
        return not self.galat and self.ada_perubahan

    @property
    def sidik(self) -> str:
        """Fingerprint of what the operator saw; confirm refuses if it moved."""
        payload = [
            [b.nomor, b.status, [[p.kolom, p.lama, p.baru] for p in b.perubahan]]
            for b in self.baris
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


@dataclass
class _Konteks:
    actor: object
    orang: dict = field(default_factory=dict)


def plan_import(jenis: Jenis, tabel: Tabel) -> Pratinjau:
    """Compare every row with the database. Reads only; writes nothing."""
    planner = {"sekolah": _plan_sekolah, "orang": _plan_orang, "penugasan": _plan_penugasan}
    return Pratinjau(jenis=jenis, baris=planner[jenis.kode](tabel.baris))


class ImporGagal(Exception):
    """Applying failed; the transaction was rolled back and nothing was written."""

    def __init__(self, baris: int | None, pesan: str):
        super().__init__(pesan)
        self.baris = baris
        self.pesan = pesan


def apply_import(*, actor, pratinjau: Pratinjau) -> dict[str, int]:
    """Write every row of an error-free preview, all or nothing."""
    if pratinjau.galat:
        raise ImporGagal(None, _("Pratinjau masih berisi galat; tidak ada yang disimpan."))
    ctx = _Konteks(actor=actor)
    nomor = None
    try:
        with transaction.atomic():
            for baris in pratinjau.baris:
                nomor = baris.nomor
                for langkah in baris.langkah:
                    langkah(ctx)
    except ValidationError as exc:
        raise ImporGagal(nomor, "; ".join(exc.messages)) from exc
    except ConflictError as exc:
        raise ImporGagal(
            nomor, _("Data “%(obj)s” diubah orang lain sejak pratinjau.") % {"obj": exc.current}
        ) from exc
    except ObjectDoesNotExist as exc:
        raise ImporGagal(nomor, _("Data yang dirujuk sudah dihapus sejak pratinjau.")) from exc
    except DatabaseError as exc:
        raise ImporGagal(
            nomor, _("Basis data menolak perubahan (data bentrok dengan data lain).")
        ) from exc
    return pratinjau.ringkasan


def _save(obj, actor) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


# --- helpers for planners -----------------------------------------------------------


def _check_length(b: Baris, kolom: str, value: str, max_length: int) -> None:
    if len(value) > max_length:
        b.error(
            kolom,
            _("Kolom %(kolom)s terlalu panjang (maksimal %(n)s karakter).")
            % {"kolom": kolom, "n": max_length},
        )


def _require(b: Baris, kolom: str, value: str) -> bool:
    if not value:
        b.error(kolom, _("Kolom %(kolom)s wajib diisi.") % {"kolom": kolom})
        return False
    return True


def _check_npsn(b: Baris, kolom: str, npsn: str) -> bool:
    if not NPSN_RE.match(npsn):
        b.error(kolom, _("NPSN “%(npsn)s” tidak valid: harus 8 angka/huruf.") % {"npsn": npsn})
        return False
    return True


def _number_hint(value: str) -> str:
    if "E+" in value.upper():
        return " " + _(
            "Angka panjang tersimpan sebagai angka dan kehilangan digit; "
            "format kolom sebagai Teks lalu ketik ulang."
        )
    return ""


def _sekolah_label(s: Sekolah) -> str:
    return f"{s.nama} ({s.npsn})"


def _kabupaten_label(k: KabupatenKota | None) -> str:
    return f"{k.nama} ({k.kode})" if k else ""


def _choice(value: str, choices) -> str | None:
    """A choice value from its code or its label, case-insensitively."""
    needle = value.strip().lower().replace(" ", "_")
    for code, label in choices:
        if needle in (str(code).lower(), str(label).lower().replace(" ", "_")):
            return code
    return None


# --- sekolah ----------------------------------------------------------------------


def _plan_sekolah(rows) -> list[Baris]:
    npsns = {r["npsn"].upper() for _, r in rows}
    existing = {
        s.npsn: s for s in Sekolah.objects.select_related("kabupaten").filter(npsn__in=npsns)
    }
    kabupaten = {
        k.kode: k
        for k in KabupatenKota.objects.filter(kode__in={r["kode_kabupaten"] for _, r in rows})
    }
    seen: dict[str, int] = {}
    out = []
    for nomor, r in rows:
        b = Baris(nomor)
        out.append(b)
        npsn, nama = r["npsn"].upper(), r["nama"]
        b.label = f"{npsn} — {nama}"
        if _require(b, "npsn", npsn) and _check_npsn(b, "npsn", npsn):
            if npsn in seen:
                b.error(
                    "npsn",
                    _("NPSN %(npsn)s sudah muncul di baris %(baris)s.")
                    % {"npsn": npsn, "baris": seen[npsn]},
                )
            else:
                seen[npsn] = nomor
        if _require(b, "nama", nama):
            _check_length(b, "nama", nama, 200)
        jenjang = _choice(r["jenjang"], Jenjang.choices)
        if _require(b, "jenjang", r["jenjang"]) and jenjang is None:
            b.error(
                "jenjang",
                _("Jenjang “%(v)s” tidak dikenal. Pilih: %(pilihan)s.")
                % {"v": r["jenjang"], "pilihan": ", ".join(Jenjang.values)},
            )
        status = _choice(r["status"], StatusSekolah.choices)
        if _require(b, "status", r["status"]) and status is None:
            b.error(
                "status",
                _("Status “%(v)s” tidak dikenal. Pilih: negeri atau swasta.") % {"v": r["status"]},
            )
        kab = kabupaten.get(r["kode_kabupaten"])
        if _require(b, "kode_kabupaten", r["kode_kabupaten"]) and kab is None:
            b.error(
                "kode_kabupaten",
                _("Kode kabupaten/kota “%(kode)s” tidak dikenal.") % {"kode": r["kode_kabupaten"]},
            )
        _check_length(b, "alamat", r["alamat"], 255)
        if b.galat:
            continue

        values = {"nama": nama, "jenjang": jenjang, "status": status, "kabupaten": kab}
        if r["alamat"]:
            values["alamat"] = r["alamat"]
        sekolah = existing.get(npsn)
        if sekolah is None:
            b.baru = True
            b.langkah.append(_create_sekolah(npsn, values))
            continue
        labels = {
            "nama": _("Nama"),
            "jenjang": _("Jenjang"),
            "status": _("Status"),
            "kabupaten": _("Kabupaten/kota"),
            "alamat": _("Alamat"),
        }
        for attr, new in values.items():
            old = getattr(sekolah, attr)
            if old != new:
                if attr == "kabupaten":
                    b.change(labels[attr], _kabupaten_label(old), _kabupaten_label(new))
                elif attr == "status":
                    b.change(labels[attr], sekolah.get_status_display(), StatusSekolah(new).label)
                else:
                    b.change(labels[attr], old, new)
        if b.perubahan:
            b.langkah.append(_update_sekolah(sekolah, values))
    return out


def _create_sekolah(npsn: str, values: dict):
    def run(ctx: _Konteks) -> None:
        _save(Sekolah(npsn=npsn, **values), ctx.actor)

    return run


def _update_sekolah(sekolah: Sekolah, values: dict):
    def run(ctx: _Konteks) -> None:
        for attr, value in values.items():
            setattr(sekolah, attr, value)
        _save(sekolah, ctx.actor)

    return run


# --- orang ------------------------------------------------------------------------

ORANG_FIELDS = ("nama", "nip", "nuptk", "instansi", "email", "telepon")
PERAN_LEWAT_PENUGASAN = {Peran.PENGAJAR_PRAKTIK, Peran.CGP, Peran.KOORDINATOR}


@dataclass
class _Orang:
    """One person of the file, maybe spread over several rows."""

    ident: tuple
    first: Baris
    orang: Orang | None
    values: dict[str, str] = field(default_factory=dict)
    value_rows: dict[str, int] = field(default_factory=dict)
    username: str = ""
    username_row: Baris | None = None
    akun: str = ""  # "" | "baru" | "tautkan"
    user_pk: int | None = None


def _orang_label(values: dict[str, str]) -> str:
    key = values.get("nip") or values.get("nuptk") or values.get("username") or ""
    return f"{values.get('nama', '')} ({key})" if key else values.get("nama", "")


def _plan_orang(rows) -> list[Baris]:
    User = get_user_model()
    username_validator = UnicodeUsernameValidator()
    peran_sekolah = {p.value for p in PERAN_SEKOLAH}

    # Everything the rows refer to, in a fixed number of queries.
    nips = {r["nip"] for _, r in rows if r["nip"]}
    nuptks = {r["nuptk"] for _, r in rows if r["nuptk"]}
    usernames = {r["username"] for _, r in rows if r["username"]}
    by_key: dict[tuple[str, str], list[Orang]] = {}
    for o in Orang.objects.select_related("user").filter(nip__in=nips):
        by_key.setdefault(("nip", o.nip), []).append(o)
    for o in Orang.objects.select_related("user").filter(nuptk__in=nuptks):
        by_key.setdefault(("nuptk", o.nuptk), []).append(o)
    users = {
        u.username: u
        for u in User.objects.select_related("orang__user").filter(username__in=usernames)
    }
    for u in users.values():
        if hasattr(u, "orang"):
            by_key[("username", u.username)] = [u.orang]
    sekolah = {
        s.npsn: s for s in Sekolah.objects.filter(npsn__in={r["npsn"].upper() for _, r in rows})
    }

    persons: dict[tuple, _Orang] = {}
    key_owner: dict[tuple, tuple] = {}
    roles: dict[tuple, int] = {}
    out: list[tuple[Baris, _Orang | None, str | None, Sekolah | None]] = []
    for nomor, r in rows:
        b = Baris(nomor)
        v = {f: r[f] for f in ORANG_FIELDS}
        username = r["username"]
        b.label = _orang_label({**v, "username": username})
        if _require(b, "nama", v["nama"]):
            _check_length(b, "nama", v["nama"], 200)
        if v["nip"] and not NIP_RE.match(v["nip"]):
            b.error(
                "nip",
                _("NIP “%(v)s” tidak valid: harus 18 angka.") % {"v": v["nip"]}
                + _number_hint(v["nip"]),
            )
        if v["nuptk"] and not NUPTK_RE.match(v["nuptk"]):
            b.error(
                "nuptk",
                _("NUPTK “%(v)s” tidak valid: harus 16 angka.") % {"v": v["nuptk"]}
                + _number_hint(v["nuptk"]),
            )
        if username and (len(username) > 150 or not _valid(username_validator, username)):
            b.error(
                "username",
                _(
                    "Username “%(v)s” tidak valid: gunakan huruf, angka dan . @ + - _ "
                    "(maksimal 150 karakter)."
                )
                % {"v": username},
            )
        if not (v["nip"] or v["nuptk"] or username):
            b.error(
                "nip",
                _(
                    "Isi minimal salah satu dari NIP, NUPTK atau username agar orang ini "
                    "dikenali pada impor berikutnya."
                ),
            )
        key_ok = not b.galat or all(g.kolom == "nama" for g in b.galat)
        _check_length(b, "instansi", v["instansi"], 200)
        _check_length(b, "telepon", v["telepon"], 20)
        if v["email"] and not _valid(validate_email, v["email"]):
            b.error("email", _("Email “%(v)s” tidak valid.") % {"v": v["email"]})

        peran, s = None, None
        if r["peran"]:
            peran = _choice(r["peran"], Peran.choices)
            if peran in PERAN_LEWAT_PENUGASAN:
                b.error(
                    "peran",
                    _("Peran “%(v)s” diberikan lewat impor penugasan, bukan di sini.")
                    % {"v": r["peran"]},
                )
                peran = None
            elif peran not in peran_sekolah:
                b.error(
                    "peran",
                    _("Peran “%(v)s” tidak dikenal. Pilih: %(pilihan)s.")
                    % {"v": r["peran"], "pilihan": ", ".join(sorted(peran_sekolah))},
                )
                peran = None
            if not r["npsn"]:
                b.error("npsn", _("Isi NPSN sekolah tempat peran ini."))
        npsn = r["npsn"].upper()
        if npsn:
            if not r["peran"]:
                b.error("peran", _("Isi kolom peran untuk NPSN ini."))
            if _check_npsn(b, "npsn", npsn):
                s = sekolah.get(npsn)
                if s is None:
                    b.error(
                        "npsn",
                        _("Sekolah dengan NPSN %(npsn)s tidak ditemukan.") % {"npsn": npsn},
                    )

        person = None
        if key_ok:
            person = _resolve_person(b, {**v, "username": username}, by_key, persons, key_owner)
        if person is not None and peran and s is not None:
            role_key = (person.ident, s.pk, peran)
            if role_key in roles:
                b.error(
                    "peran",
                    _("Peran ini untuk orang dan sekolah yang sama sudah ada di baris %(baris)s.")
                    % {"baris": roles[role_key]},
                )
            else:
                roles[role_key] = b.nomor
        out.append((b, person, peran, s))

    existing_pks = [p.orang.pk for p in persons.values() if p.orang is not None]
    existing_roles = set(
        PenugasanSekolah.objects.filter(orang__in=existing_pks).values_list(
            "orang_id", "sekolah_id", "peran"
        )
    )
    for person in persons.values():
        _plan_person(person, users)

    for b, person, peran, s in out:
        if person is None:
            continue
        b.label = _orang_label({**person.values, "username": person.username})
        b.baru = person.orang is None
        if peran and s is not None:
            orang_pk = person.orang.pk if person.orang else None
            if (orang_pk, s.pk, peran) not in existing_roles:
                b.change(_("Peran"), "", f"{Peran(peran).label} — {_sekolah_label(s)}")
                b.langkah.append(_add_role(person, s, peran))
    return [b for b, *_ in out]


def _valid(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _resolve_person(b: Baris, v: dict, by_key, persons, key_owner) -> _Orang | None:
    """Who a row is about: a person in the database and/or an earlier row of the file.

    A person's data may be spread over several rows (one per role) but must
    not contradict itself.
    """
    keys = [(k, v[k]) for k in ("nip", "nuptk", "username") if v[k]]
    matches: dict[int, Orang] = {}
    for kind, value in keys:
        found = by_key.get((kind, value), [])
        if len(found) > 1:
            b.error(
                kind,
                _(
                    "%(kunci)s %(v)s dimiliki lebih dari satu orang di basis data "
                    "(%(nama)s); rapikan dulu lewat admin."
                )
                % {"kunci": kind.upper(), "v": value, "nama": ", ".join(o.nama for o in found)},
            )
            return None
        for o in found:
            matches[o.pk] = o
    if len(matches) > 1:
        b.error(
            "nip",
            _("NIP, NUPTK dan username baris ini menunjuk ke orang yang berbeda: %(nama)s.")
            % {"nama": ", ".join(o.nama for o in matches.values())},
        )
        return None
    existing = next(iter(matches.values()), None)
    candidates = {key_owner[k] for k in keys if k in key_owner}
    if existing is not None:
        candidates.add(("orang", existing.pk))
    if len(candidates) > 1:
        earlier = sorted(persons[c].first.nomor for c in candidates if c in persons)
        b.error(
            "nip",
            _(
                "NIP, NUPTK dan username baris ini menunjuk ke lebih dari satu orang "
                "(lihat baris %(baris)s)."
            )
            % {"baris": ", ".join(map(str, earlier))},
        )
        return None
    ident = next(iter(candidates), ("baru", b.nomor))
    person = persons.get(ident)
    if person is None:
        person = persons[ident] = _Orang(ident=ident, first=b, orang=existing)
    for k in keys:
        key_owner[k] = ident
    for f in ORANG_FIELDS:
        if not v[f]:
            continue
        if person.values.get(f, v[f]) != v[f]:
            b.error(
                f,
                _("Kolom %(kolom)s berbeda dengan baris %(baris)s untuk orang yang sama.")
                % {"kolom": f, "baris": person.value_rows[f]},
            )
        else:
            person.values[f] = v[f]
            person.value_rows.setdefault(f, b.nomor)
    if v["username"]:
        if person.username and person.username != v["username"]:
            b.error(
                "username",
                _("Username berbeda dengan baris %(baris)s untuk orang yang sama.")
                % {"baris": person.username_row.nomor},
            )
        elif not person.username:
            person.username, person.username_row = v["username"], b
    return person


def _plan_person(person: _Orang, users: dict) -> None:
    """Diff one person against the database; changes are shown on their first row."""
    b, orang = person.first, person.orang
    labels = {
        "nama": _("Nama"),
        "nip": "NIP",
        "nuptk": "NUPTK",
        "instansi": _("Instansi"),
        "email": _("Email"),
        "telepon": _("Telepon"),
    }
    changed = False
    if orang is not None:
        for f, new in person.values.items():
            old = getattr(orang, f)
            if old != new:
                b.change(labels[f], old, new)
                changed = True
    user = orang.user if orang is not None else None
    if person.username:
        row = person.username_row
        if user is not None:
            if user.username != person.username:
                row.error(
                    "username",
                    _(
                        "Orang ini sudah memiliki akun “%(lama)s”; "
                        "username tidak diubah lewat impor."
                    )
                    % {"lama": user.username},
                )
        else:
            existing_user = users.get(person.username)
            if existing_user is not None and hasattr(existing_user, "orang"):
                row.error(
                    "username",
                    _("Username “%(v)s” sudah dipakai oleh %(nama)s.")
                    % {"v": person.username, "nama": existing_user.orang.nama},
                )
            elif existing_user is not None:
                person.akun, person.user_pk = "tautkan", existing_user.pk
                b.change(_("Akun"), "", _("%(v)s (akun yang sudah ada)") % {"v": person.username})
                changed = True
            else:
                person.akun = "baru"
                b.change(
                    _("Akun"), "", _("%(v)s (akun baru tanpa kata sandi)") % {"v": person.username}
                )
                changed = True
    if orang is None or changed:
        b.langkah.append(_save_person(person))


def _save_person(person: _Orang):
    version = person.orang.version if person.orang is not None else 1

    def run(ctx: _Konteks) -> None:
        User = get_user_model()
        orang = person.orang if person.orang is not None else Orang()
        for f, value in person.values.items():
            setattr(orang, f, value)
        if person.akun == "baru":
            user = User(username=person.username, email=person.values.get("email", ""))
            user.set_unusable_password()
            user.full_clean()
            user.save()
            orang.user = user
        elif person.akun == "tautkan":
            orang.user = User.objects.get(pk=person.user_pk)
        orang._history_user = ctx.actor
        save_versioned(orang, expected_version=version)
        ctx.orang[person.ident] = orang

    return run


def _add_role(person: _Orang, sekolah: Sekolah, peran: str):
    def run(ctx: _Konteks) -> None:
        orang = ctx.orang.get(person.ident) or person.orang
        _save(PenugasanSekolah(orang=orang, sekolah=sekolah, peran=peran), ctx.actor)

    return run


# --- penugasan --------------------------------------------------------------------

TIPE_PENUGASAN = {
    "pp": "pp",
    "pengajar_praktik": "pp",
    "fasilitator": "fasilitator",
    "pelatih_ahli": "fasilitator",
    "fsp": "fasilitator",
    "koordinator": "koordinator",
}
KOLOM_TIPE = {
    "pp": {"cgp", "npsn", "angkatan"},
    "fasilitator": {"npsn"},
    "koordinator": {"kode_kabupaten"},
}


def _person_key_kind(value: str) -> str:
    if NIP_RE.match(value):
        return "nip"
    if NUPTK_RE.match(value):
        return "nuptk"
    return "username"


def _plan_penugasan(rows) -> list[Baris]:
    keys = {r[c] for _, r in rows for c in ("orang", "cgp") if r[c]}
    by_key: dict[tuple[str, str], list[Orang]] = {}
    nips = {k for k in keys if _person_key_kind(k) == "nip"}
    nuptks = {k for k in keys if _person_key_kind(k) == "nuptk"}
    usernames = keys - nips - nuptks
    for o in Orang.objects.filter(nip__in=nips):
        by_key.setdefault(("nip", o.nip), []).append(o)
    for o in Orang.objects.filter(nuptk__in=nuptks):
        by_key.setdefault(("nuptk", o.nuptk), []).append(o)
    for o in Orang.objects.select_related("user").filter(user__username__in=usernames):
        by_key.setdefault(("username", o.user.username), []).append(o)
    sekolah = {
        s.npsn: s for s in Sekolah.objects.filter(npsn__in={r["npsn"].upper() for _, r in rows})
    }
    kabupaten = {
        k.kode: k
        for k in KabupatenKota.objects.filter(kode__in={r["kode_kabupaten"] for _, r in rows})
    }
    angkatan = {
        (a.program.kode.upper(), a.nomor): a for a in Angkatan.objects.select_related("program")
    }

    parsed = []
    for nomor, r in rows:
        b = Baris(nomor)
        b.label = " · ".join(
            x
            for x in (
                r["tipe"],
                r["orang"],
                r["cgp"],
                r["npsn"],
                r["angkatan"],
                r["kode_kabupaten"],
            )
            if x
        )
        tipe = TIPE_PENUGASAN.get(r["tipe"].strip().lower().replace(" ", "_"))
        if _require(b, "tipe", r["tipe"]) and tipe is None:
            b.error(
                "tipe",
                _("Tipe penugasan “%(v)s” tidak dikenal. Pilih: pp, fasilitator, koordinator.")
                % {"v": r["tipe"]},
            )
        if tipe is not None:
            for kolom in ("cgp", "npsn", "angkatan", "kode_kabupaten"):
                if r[kolom] and kolom not in KOLOM_TIPE[tipe]:
                    b.error(
                        kolom,
                        _("Kolom %(kolom)s tidak dipakai untuk tipe %(tipe)s; kosongkan.")
                        % {"kolom": kolom, "tipe": tipe},
                    )
                elif not r[kolom] and kolom in KOLOM_TIPE[tipe]:
                    b.error(
                        kolom,
                        _("Kolom %(kolom)s wajib diisi untuk tipe %(tipe)s.")
                        % {"kolom": kolom, "tipe": tipe},
                    )

        def person(kolom: str, b=b, r=r) -> Orang | None:
            value = r[kolom]
            if not value:
                return None
            kind = _person_key_kind(value)
            found = by_key.get((kind, value), [])
            if not found:
                b.error(
                    kolom,
                    _("Orang dengan %(kunci)s “%(v)s” tidak ditemukan. Impor orangnya dulu.")
                    % {"kunci": kind.upper() if kind != "username" else "username", "v": value},
                )
                return None
            if len(found) > 1:
                b.error(
                    kolom,
                    _("%(kunci)s %(v)s dimiliki lebih dari satu orang di basis data.")
                    % {"kunci": kind.upper(), "v": value},
                )
                return None
            return found[0]

        orang = person("orang") if _require(b, "orang", r["orang"]) else None
        cgp = person("cgp")
        s = None
        npsn = r["npsn"].upper()
        if npsn and _check_npsn(b, "npsn", npsn):
            s = sekolah.get(npsn)
            if s is None:
                b.error("npsn", _("Sekolah dengan NPSN %(npsn)s tidak ditemukan.") % {"npsn": npsn})
        kab = None
        if r["kode_kabupaten"]:
            kab = kabupaten.get(r["kode_kabupaten"])
            if kab is None:
                b.error(
                    "kode_kabupaten",
                    _("Kode kabupaten/kota “%(kode)s” tidak dikenal.")
                    % {"kode": r["kode_kabupaten"]},
                )
        ang = None
        if r["angkatan"]:
            m = ANGKATAN_RE.match(r["angkatan"].strip())
            ang = angkatan.get((m.group(1).upper(), int(m.group(2)))) if m else None
            if ang is None:
                b.error(
                    "angkatan",
                    _("Angkatan “%(v)s” tidak dikenal. Tulis kode program dan nomor, mis. PGP 11.")
                    % {"v": r["angkatan"]},
                )
        if tipe == "pp" and orang is not None and cgp is not None and orang.pk == cgp.pk:
            b.error("cgp", _("PP dan CGP tidak boleh orang yang sama."))
        parsed.append((b, tipe, orang, cgp, s, kab, ang))

    valid = [p for p in parsed if not p[0].galat]
    cgp_pks = {p[3].pk for p in valid if p[1] == "pp"}
    orang_pks = {p[2].pk for p in valid}
    existing_pp = {
        (p.angkatan_id, p.cgp_id): p
        for p in PenugasanPP.objects.select_related("pp", "sekolah").filter(cgp__in=cgp_pks)
    }
    existing_fas = set(
        PenugasanSekolah.objects.filter(orang__in=orang_pks, peran=Peran.FASILITATOR).values_list(
            "orang_id", "sekolah_id"
        )
    )
    existing_wil = set(
        PenugasanWilayah.objects.filter(orang__in=orang_pks).values_list("orang_id", "kabupaten_id")
    )

    seen: dict[tuple, int] = {}
    for b, tipe, orang, cgp, s, kab, ang in parsed:
        if b.galat:
            continue
        if tipe == "pp":
            key = ("pp", ang.pk, cgp.pk)
            b.label = _("PP %(pp)s → CGP %(cgp)s (%(angkatan)s)") % {
                "pp": orang.nama,
                "cgp": cgp.nama,
                "angkatan": ang,
            }
            dup = _("CGP ini sudah ditugaskan di baris %(baris)s untuk angkatan yang sama.")
        elif tipe == "fasilitator":
            key = ("fasilitator", orang.pk, s.pk)
            b.label = _("Fasilitator %(orang)s → %(sekolah)s") % {
                "orang": orang.nama,
                "sekolah": _sekolah_label(s),
            }
            dup = _("Penugasan yang sama sudah ada di baris %(baris)s.")
        else:
            key = ("koordinator", orang.pk, kab.pk)
            b.label = _("Koordinator %(orang)s → %(kab)s") % {
                "orang": orang.nama,
                "kab": _kabupaten_label(kab),
            }
            dup = _("Penugasan yang sama sudah ada di baris %(baris)s.")
        if key in seen:
            b.error("cgp" if tipe == "pp" else "orang", dup % {"baris": seen[key]})
            continue
        seen[key] = b.nomor

        if tipe == "pp":
            current = existing_pp.get((ang.pk, cgp.pk))
            if current is None:
                b.baru = True
                b.langkah.append(_save_new(PenugasanPP, angkatan=ang, pp=orang, cgp=cgp, sekolah=s))
            else:
                if current.pp_id != orang.pk:
                    b.change(_("Pengajar Praktik"), current.pp.nama, orang.nama)
                if current.sekolah_id != s.pk:
                    b.change(_("Sekolah CGP"), _sekolah_label(current.sekolah), _sekolah_label(s))
                if b.perubahan:
                    b.langkah.append(_update_pp(current, orang, s))
        elif tipe == "fasilitator":
            if (orang.pk, s.pk) not in existing_fas:
                b.baru = True
                b.langkah.append(
                    _save_new(PenugasanSekolah, orang=orang, sekolah=s, peran=Peran.FASILITATOR)
                )
        elif (orang.pk, kab.pk) not in existing_wil:
            b.baru = True
            b.langkah.append(_save_new(PenugasanWilayah, orang=orang, kabupaten=kab))
    return [p[0] for p in parsed]


def _save_new(model, **values):
    def run(ctx: _Konteks) -> None:
        _save(model(**values), ctx.actor)

    return run


def _update_pp(penugasan: PenugasanPP, pp: Orang, sekolah: Sekolah):
    def run(ctx: _Konteks) -> None:
        penugasan.pp, penugasan.sekolah = pp, sekolah
        _save(penugasan, ctx.actor)

    return run


# --- templates ----------------------------------------------------------------------


def template_csv(jenis: Jenis) -> bytes:
    """Header and one example row, UTF-8 with BOM so that Excel shows it right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(jenis.nama_kolom)
    writer.writerow([str(k.contoh) for k in jenis.kolom])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(jenis: Jenis) -> bytes:
    """Sheet "Data" (header + example row, every cell formatted as text so that
    NIP/NUPTK/NPSN keep their digits) and a sheet "Petunjuk" with the columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, kolom in enumerate(jenis.kolom, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(
            14, len(kolom.nama) + 4, len(str(kolom.contoh)) + 2
        )
        ws.column_dimensions[letter].number_format = "@"
        head = ws.cell(row=1, column=col, value=kolom.nama)
        head.font, head.fill, head.number_format = bold, fill, "@"
        example = ws.cell(row=2, column=col, value=str(kolom.contoh) or None)
        example.number_format = "@"
    ws.freeze_panes = "A2"

    info = wb.create_sheet(str(_("Petunjuk")))
    info.append([str(_("Kolom")), str(_("Wajib")), str(_("Keterangan")), str(_("Contoh"))])
    for cell in info[1]:
        cell.font = bold
    for kolom in jenis.kolom:
        info.append(
            [
                kolom.nama,
                str(_("ya") if kolom.wajib else _("tidak")),
                str(kolom.keterangan),
                str(kolom.contoh),
            ]
        )
    info.append([])
    info.append([str(jenis.keterangan)])
    info.append([str(_("Baris 1 lembar Data adalah judul kolom; isi data mulai baris 2."))])
    info.append([str(_("Kolom opsional yang dikosongkan tidak mengubah nilai yang sudah ada."))])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["C"].width = 80
    info.column_dimensions["D"].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- keeping parsed rows between preview and confirm ----------------------------------


def stash(session, *, jenis: Jenis, tabel: Tabel, pratinjau: Pratinjau) -> str:
    """Keep the parsed rows server-side under a one-time token."""
    token = secrets.token_urlsafe(24)
    pending = dict(session.get(SESSION_KEY, {}))
    pending[token] = {
        "jenis": jenis.kode,
        "baris": [[nomor, values] for nomor, values in tabel.baris],
        "nama_berkas": tabel.nama_berkas,
        "sidik": pratinjau.sidik,
    }
    # Only the newest previews stay (dicts keep insertion order).
    while len(pending) > MAX_PENDING:
        pending.pop(next(iter(pending)))
    session[SESSION_KEY] = pending
    return token


def unstash(session, *, jenis: Jenis, token: str) -> tuple[Tabel, str] | None:
    """Take (and forget) the rows of a preview; None if unknown, used or of another kind."""
    pending = dict(session.get(SESSION_KEY, {}))
    entry = pending.pop(token, None) if token else None
    session[SESSION_KEY] = pending
    if entry is None or entry["jenis"] != jenis.kode:
        return None
    tabel = Tabel(
        baris=[(int(nomor), dict(values)) for nomor, values in entry["baris"]],
        nama_berkas=entry.get("nama_berkas", ""),
    )
    return tabel, entry["sidik"]
