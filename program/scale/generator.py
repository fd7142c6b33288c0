"""Every table of the national seed, built by one Generator.

Time is part of the shape: half the CGP belong to the demo's current PGP
cohort (its lokakarya dates are relative to today, so PI 1–2 are past, PI 3
is under way), half to the previous cohort, finished a year earlier. Only a
session that took place has a journal and RTL. PMO covers two school years
per PSP school: last year's complete (notes in all twelve months) and this
year's so far.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import secrets
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from program.scale.loader import NULL, Loader, b, ts
from program.scale.names import (
    JENJANG_SEBARAN,
    PROVINSI_NAMA,
    frac,
    mix,
    nama_orang,
    nama_wilayah,
    nip,
    words,
)
from program.scale.plan import (
    GURU_PER_SEKOLAH_PSP,
    KODE_PREFIX,
    NPSN_PREFIX,
    SEKOLAH_PER_FASILITATOR,
    SEKOLAH_PER_PENGAWAS,
    USERNAME_PREFIX,
    Plan,
    ScaleError,
)
from program.scale.text import TextBank, copy_escape

# A workshop series (lokakarya 1–4) is held for a cluster of 20 PSP schools,
# whose head and one teacher attend: 40 participants, the maximum.
LOKAKARYA_PER_KLASTER = 4
SEKOLAH_PER_KLASTER = 20
TAHAP_KOMUNITAS = 5
PERTEMUAN_PER_KOMUNITAS = 3
TL_PER_INSTRUMEN = 3


def months_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """First days of the months from `start`'s to `end`'s, inclusive."""
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


class Generator:
    """Builds every table of the plan; ids are computed, never read back."""

    def __init__(self, plan: Plan, loader: Loader, *, seed: int, today: dt.date | None):
        self.plan = plan
        self.load = loader
        self.seed = seed
        self.today = today or timezone.localdate()
        self.text = TextBank(seed)

    # -- context from the demo and reference data ------------------------------------
    def _context(self) -> None:
        from lokakarya.models import TahapTemplat, TemplatLokakarya
        from pendampingan.models import TemplatPI
        from pendampingan.services import templat_snapshot
        from program.models import Angkatan, JadwalLokakarya, KabupatenKota, Program

        pgp = Program.objects.filter(kode="PGP").first()
        psp = Program.objects.filter(kode="PSP").first()
        self.angkatan_pgp = (
            Angkatan.objects.filter(program=pgp).order_by("-tanggal_mulai").first() if pgp else None
        )
        self.angkatan_psp = (
            Angkatan.objects.filter(program=psp).order_by("-tanggal_mulai").first() if psp else None
        )
        jadwal = (
            dict(
                JadwalLokakarya.objects.filter(angkatan=self.angkatan_pgp).values_list(
                    "ke", "tanggal"
                )
            )
            if self.angkatan_pgp
            else {}
        )
        templat = {t.urutan: t for t in TemplatPI.objects.prefetch_related("langkah")}
        if not (self.angkatan_psp and set(range(1, 7)) <= set(jadwal) and len(templat) == 6):
            raise ScaleError(
                "Data demo belum ada: jalankan dulu migrate, load_reference dan seed_demo "
                "(seed_scale menambahkan data nasional di samping data demo)."
            )
        self.program_psp = psp
        self.snapshot = {}
        self.snapshot_json = {}
        self.langkah = {}
        for urutan, t in templat.items():
            snap = templat_snapshot(t)
            self.snapshot[urutan] = snap
            self.snapshot_json[urutan] = copy_escape(json.dumps(snap, ensure_ascii=False))
            self.langkah[urutan] = [s["urutan"] for s in snap["langkah"]]
        # The current cohort follows the demo's schedule; the previous one
        # finished a year earlier, so both finished and running PI exist.
        self.angkatan_lalu, _ = Angkatan.objects.get_or_create(
            program=pgp,
            nomor=self.angkatan_pgp.nomor - 1,
            defaults={
                "nama": f"Angkatan {self.angkatan_pgp.nomor - 1}",
                "tanggal_mulai": self.angkatan_pgp.tanggal_mulai - dt.timedelta(days=364),
                "tanggal_selesai": self.angkatan_pgp.tanggal_selesai - dt.timedelta(days=364),
            },
        )
        for ke, tanggal in jadwal.items():
            JadwalLokakarya.objects.get_or_create(
                angkatan=self.angkatan_lalu,
                ke=ke,
                defaults={"tanggal": tanggal - dt.timedelta(days=364)},
            )
        self.deadline = {
            # PI N is due by the date of the lokakarya its template names.
            self.angkatan_pgp.pk: {n: jadwal[templat[n].lokakarya_ke] for n in range(1, 7)},
            self.angkatan_lalu.pk: {
                n: jadwal[templat[n].lokakarya_ke] - dt.timedelta(days=364) for n in range(1, 7)
            },
        }
        self.kabupaten_ref = list(
            KabupatenKota.objects.exclude(kode__startswith=KODE_PREFIX)
            .order_by("kode")
            .values_list("pk", "nama")
        )
        self.templat_lokakarya = (
            TemplatLokakarya.objects.filter(program=psp, moda="luring").order_by("kode").first()
        )
        self.tahap_templat = (
            list(
                TahapTemplat.objects.filter(templat=self.templat_lokakarya)
                .order_by("urutan")
                .values()
            )
            if self.templat_lokakarya
            else []
        )
        from lokakarya.models import Lokakarya

        self.kode_presensi_lama = set(Lokakarya.objects.values_list("kode_presensi", flat=True))

    def run(self) -> None:
        self._context()
        with connection.cursor() as cursor:
            # Check now what the ORM wrote so far (demo fixtures, the previous
            # cohort): PostgreSQL refuses to drop an FK of a table with
            # pending deferred checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.wilayah()
        self.sekolah()
        self.users()
        self.orang()
        self.penugasan()
        self.pendampingan()
        self.pmo()
        self.lokakarya()
        self.komunitas()

    # -- regions -------------------------------------------------------------------------
    def wilayah(self) -> None:
        from program.models import KabupatenKota, Provinsi

        p = self.plan
        prov0 = self.load.next_id(Provinsi)
        self.load.copy(
            Provinsi,
            ["id", "kode", "nama"],
            (
                f"{prov0 + i}\t{KODE_PREFIX}{i + 1:02d}\t{PROVINSI_NAMA[i % len(PROVINSI_NAMA)]}\n"
                for i in range(p.provinsi)
            ),
        )
        kab0 = self.load.next_id(KabupatenKota)

        def kab_rows():
            for k in range(p.kabupaten):
                prov = k * p.provinsi // p.kabupaten
                jenis = "Kota" if mix(k, 1) % 5 == 0 else "Kabupaten"
                yield (
                    f"{kab0 + k}\t{prov0 + prov}\t{KODE_PREFIX}{prov + 1:02d}{k + 1:04d}\t"
                    f"{jenis} {nama_wilayah(k)}\n"
                )

        self.load.copy(KabupatenKota, ["id", "provinsi_id", "kode", "nama"], kab_rows())
        # The reference kabupaten (NTB, with the demo's Lombok Timur) come first.
        self.kabupaten = self.kabupaten_ref + [
            (kab0 + k, nama_wilayah(k)) for k in range(p.kabupaten)
        ]
        self.kab_baru = {kab0 + k for k in range(p.kabupaten)}

    # -- schools ----------------------------------------------------------------------------
    def kab_of_sekolah(self, j: int) -> int:
        return j * len(self.kabupaten) // self.plan.sekolah

    def nama_sekolah(self, j: int) -> str:
        jenjang = JENJANG_SEBARAN[mix(j, 2) % len(JENJANG_SEBARAN)]
        status = "Negeri" if mix(j, 3) % 4 else "Swasta"
        kab = self.kabupaten[self.kab_of_sekolah(j)][1].removeprefix("Kabupaten ")
        return f"{jenjang} {status} {j % 97 + 1} {kab.removeprefix('Kota ')}"

    def sekolah(self) -> None:
        from program.models import Sekolah

        self.sch0 = self.load.next_id(Sekolah)

        def rows():
            for j in range(self.plan.sekolah):
                jenjang = JENJANG_SEBARAN[mix(j, 2) % len(JENJANG_SEBARAN)]
                status = "negeri" if mix(j, 3) % 4 else "swasta"
                kab_id = self.kabupaten[self.kab_of_sekolah(j)][0]
                yield (
                    f"{self.sch0 + j}\t{NPSN_PREFIX}{j:07d}\t{self.nama_sekolah(j)}\t{jenjang}\t"
                    f"{status}\t{kab_id}\tJl. Pendidikan No. {j % 150 + 1}\n"
                )

        self.load.copy(
            Sekolah, ["id", "npsn", "nama", "jenjang", "status", "kabupaten_id", "alamat"], rows()
        )

    def psp_sekolah(self, s: int) -> int:
        """Index (among all schools) of PSP school number `s`."""
        return 5 * s

    # -- logins --------------------------------------------------------------------------------
    def users(self) -> None:
        """Logins for every PP, head, facilitator, supervisor and coordinator.

        CGP and teachers get none: nothing the benchmarks open needs them,
        and 100k more users would only make the seed slower.
        """
        User = get_user_model()
        p = self.plan
        password = copy_escape(
            make_password(getattr(settings, "DEMO_PASSWORD", "demo12345"))
        )  # hashed once for all
        joined = ts(self.today - dt.timedelta(days=120))
        self.u0 = self.load.next_id(User)
        self.koordinator_kab = [
            kab_id for kab_id, _nama in self.kabupaten if kab_id != self._kab_koordinator1()
        ]
        groups = [
            ("pp", p.pp),
            ("ks", p.sekolah_psp),
            ("fas", p.fasilitator),
            ("pengawas", p.pengawas),
            ("koord", len(self.koordinator_kab)),
        ]
        self.user_base = {}
        base = self.u0
        for name, count in groups:
            self.user_base[name] = base
            base += count

        def rows():
            for name, count in groups:
                first = self.user_base[name]
                for i in range(count):
                    username = f"{USERNAME_PREFIX}{name}-{i + 1:05d}"
                    yield (
                        f"{first + i}\t{password}\t\\N\tf\t{username}\t\t\t"
                        f"{username}@contoh.id\tf\tt\t{joined}\n"
                    )

        self.load.copy(
            User,
            words(
                "id password last_login is_superuser username first_name last_name email is_staff "
                "is_active date_joined"
            ),
            rows(),
        )

    def _kab_koordinator1(self) -> int | None:
        from program.models import PenugasanWilayah

        return (
            PenugasanWilayah.objects.filter(orang__user__username="koordinator1")
            .values_list("kabupaten_id", flat=True)
            .first()
        )

    # -- people -----------------------------------------------------------------------------------
    def orang(self) -> None:
        from program.models import Orang

        p = self.plan
        o0 = self.load.next_id(Orang)
        groups = [
            ("pp", p.pp, True),
            ("cgp", p.cgp, False),
            ("ks", p.sekolah_psp, True),
            ("guru", p.sekolah_psp * GURU_PER_SEKOLAH_PSP, False),
            ("fas", p.fasilitator, True),
            ("pengawas", p.pengawas, True),
            ("koord", len(self.koordinator_kab), True),
        ]
        self.orang_base = {}
        base = o0
        for name, count, _login in groups:
            self.orang_base[name] = base
            base += count

        def instansi(name: str, i: int) -> str:
            if name == "cgp":
                return self.nama_sekolah(self.sekolah_cgp(i))
            if name == "ks":
                return self.nama_sekolah(self.psp_sekolah(i))
            if name == "guru":
                return self.nama_sekolah(self.psp_sekolah(i // GURU_PER_SEKOLAH_PSP))
            return ""

        def rows():
            for salt, (name, count, login) in enumerate(groups, start=10):
                first = self.orang_base[name]
                for i in range(count):
                    user = str(self.user_base[name] + i) if login else "\\N"
                    nomor = nip(i, salt) if name in ("pp", "cgp", "ks", "pengawas") else ""
                    yield (
                        f"{first + i}\t1\t{user}\t{nama_orang(i, salt)}\t{nomor}\t\t"
                        f"{instansi(name, i)}\t\t\n"
                    )

        self.load.copy(
            Orang,
            ["id", "version", "user_id", "nama", "nip", "nuptk", "instansi", "email", "telepon"],
            rows(),
        )

    def sekolah_cgp(self, i: int) -> int:
        return i * self.plan.sekolah // self.plan.cgp

    def pp_of_cgp(self, i: int) -> int:
        return i * self.plan.pp // self.plan.cgp

    # -- assignments ------------------------------------------------------------------------------
    def penugasan(self) -> None:
        from program.models import PenugasanPP, PenugasanSekolah, PenugasanWilayah

        p = self.plan
        ob = self.orang_base
        ps0 = self.load.next_id(PenugasanSekolah)

        def sekolah_rows():
            n = ps0
            for s in range(p.sekolah_psp):
                sch = self.sch0 + self.psp_sekolah(s)
                guru = ob["guru"] + s * GURU_PER_SEKOLAH_PSP
                for orang, peran in (
                    (ob["fas"] + s // SEKOLAH_PER_FASILITATOR, "fasilitator"),
                    (ob["ks"] + s, "kepala_sekolah"),
                    (ob["pengawas"] + s // SEKOLAH_PER_PENGAWAS, "pengawas"),
                    (guru, "guru"),
                    (guru, "pic_komunitas"),
                    (guru + 1, "guru"),
                ):
                    yield f"{n}\t{orang}\t{sch}\t{peran}\n"
                    n += 1
            for i in range(p.cgp):
                yield f"{n}\t{ob['cgp'] + i}\t{self.sch0 + self.sekolah_cgp(i)}\tguru\n"
                n += 1

        self.load.copy(PenugasanSekolah, ["id", "orang_id", "sekolah_id", "peran"], sekolah_rows())

        pw0 = self.load.next_id(PenugasanWilayah)
        self.load.copy(
            PenugasanWilayah,
            ["id", "orang_id", "kabupaten_id"],
            (
                f"{pw0 + k}\t{ob['koord'] + k}\t{kab_id}\n"
                for k, kab_id in enumerate(self.koordinator_kab)
            ),
        )

        self.pen0 = self.load.next_id(PenugasanPP)

        def pp_rows():
            for i in range(p.cgp):
                yield (
                    f"{self.pen0 + i}\t{self.angkatan_of_cgp(i)}\t{ob['pp'] + self.pp_of_cgp(i)}\t"
                    f"{ob['cgp'] + i}\t{self.sch0 + self.sekolah_cgp(i)}\n"
                )

        self.load.copy(
            PenugasanPP, ["id", "angkatan_id", "pp_id", "cgp_id", "sekolah_id"], pp_rows()
        )

    def angkatan_of_cgp(self, i: int) -> int:
        # Alternate so that every PP mentors CGP of both cohorts.
        return self.angkatan_pgp.pk if i % 2 == 0 else self.angkatan_lalu.pk

    # -- PI 1–6 ----------------------------------------------------------------------------------
    SELESAI, DRAF, TERJADWAL, BELUM = 3, 2, 1, 0

    def state(self, i: int, n: int) -> int:
        """What happened to PI `n` of CGP `i`, judged by its deadline."""
        deadline = self.deadline[self.angkatan_of_cgp(i)][n]
        r = frac(i * 8 + n, 20)
        if deadline < self.today:
            cut = (0.88, 0.93, 0.97)
        elif n == 1 or self.deadline[self.angkatan_of_cgp(i)][n - 1] < self.today:
            cut = (0.25, 0.50, 0.85)  # the PI now under way
        else:
            cut = (0.0, 0.0, 0.10)
        if r < cut[0]:
            return self.SELESAI
        if r < cut[1]:
            return self.DRAF
        if r < cut[2]:
            return self.TERJADWAL
        return self.BELUM

    def tanggal_sesi(self, i: int, n: int) -> dt.date:
        day = self.deadline[self.angkatan_of_cgp(i)][n] - dt.timedelta(days=3 + mix(i, n) % 10)
        if self.state(i, n) >= self.DRAF:
            day = min(day, self.today - dt.timedelta(days=1 + mix(i, n + 10) % 5))
        return day

    def pendampingan(self) -> None:
        from pendampingan.models import JurnalPendampingan, RencanaTindakLanjut, SesiPI

        p = self.plan
        t = self.text
        s0 = self.load.next_id(SesiPI)
        created = {a.pk: ts(a.tanggal_mulai) for a in (self.angkatan_pgp, self.angkatan_lalu)}

        def sesi_rows():
            for i in range(p.cgp):
                pen = self.pen0 + i
                dibuat = created[self.angkatan_of_cgp(i)]
                for n in range(1, 7):
                    sid = s0 + i * 6 + n - 1
                    state = self.state(i, n)
                    if state == self.BELUM:
                        yield (
                            f"{sid}\t1\t{pen}\t{n}\t{self.snapshot_json[n]}\t\\N\t\\N\t\t\t\t"
                            f"\\N\t\t{dibuat}\n"
                        )
                        continue
                    day = self.tanggal_sesi(i, n)
                    if mix(i, n + 30) % 5 < 3:
                        moda, tempat = "luring", self.nama_sekolah(self.sekolah_cgp(i))
                        tautan = ""
                    else:
                        moda, tempat = "daring", ""
                        tautan = f"https://meet.example.id/pi-{pen}-{n}"
                    konfirmasi, komentar = "\\N", ""
                    if state == self.SELESAI and mix(i, n + 40) % 10 < 7:
                        konfirmasi = ts(day + dt.timedelta(days=1), 19, 15)
                        komentar = t.komentar()
                    yield (
                        f"{sid}\t2\t{pen}\t{n}\t{self.snapshot_json[n]}\t{day.isoformat()}\t"
                        f"{13 + n % 3}:30:00\t{moda}\t{tempat}\t{tautan}\t{konfirmasi}\t"
                        f"{komentar}\t{dibuat}\n"
                    )

        self.load.copy(
            SesiPI,
            words(
                "id version penugasan_id urutan templat tanggal jam_mulai moda tempat tautan "
                "dikonfirmasi_cgp_at komentar_cgp created_at"
            ),
            sesi_rows(),
        )

        j0 = self.load.next_id(JurnalPendampingan)

        def jurnal_rows():
            jid = j0
            for i in range(p.cgp):
                for n in range(1, 7):
                    state = self.state(i, n)
                    if state < self.DRAF:
                        continue
                    day = self.tanggal_sesi(i, n)
                    steps = self.langkah[n]
                    if state == self.DRAF:
                        steps = steps[: mix(i, n + 50) % (len(steps) + 1)]
                    jawaban = ", ".join(f'"{k}": {t.pi_answer_json()}' for k in steps)
                    if state == self.SELESAI:
                        status, version = "diajukan", 4
                        diajukan = ts(day + dt.timedelta(days=1 + mix(i, n + 60) % 3), 20, 10)
                        updated = diajukan
                    else:
                        status, version, diajukan = "draf", 2, "\\N"
                        updated = ts(day, 21, 5)
                    yield (
                        f"{jid}\t{version}\t{s0 + i * 6 + n - 1}\t{{{jawaban}}}\t{t.pi_field()}\t"
                        f"{t.pi_field()}\t{t.pi_field()}\t{status}\t{diajukan}\t{updated}\n"
                    )
                    jid += 1

        self.load.copy(
            JurnalPendampingan,
            words(
                "id version sesi_id jawaban sudah_baik perlu_ditingkatkan catatan status "
                "diajukan_at updated_at"
            ),
            jurnal_rows(),
        )

        r0 = self.load.next_id(RencanaTindakLanjut)
        marks = ("terlaksana", "terlaksana", "sebagian", "belum")

        def rtl_rows():
            rid = r0
            for i in range(p.cgp):
                for n in range(1, 7):
                    if self.state(i, n) < self.DRAF:
                        continue
                    day = self.tanggal_sesi(i, n)
                    # An RTL is judged when the next PI is recorded.
                    judged = n < 6 and self.state(i, n + 1) >= self.DRAF
                    for k in range(1 + mix(i, n + 70) % 3):
                        if judged:
                            status = marks[mix(i, n * 4 + k) % 4]
                            catatan = "Sudah berjalan, bukti diunggah." if k == 0 else ""
                            dinilai = ts(self.tanggal_sesi(i, n + 1), 14, 0)
                        else:
                            status, catatan, dinilai = "", "", "\\N"
                        yield (
                            f"{rid}\t{s0 + i * 6 + n - 1}\t{t.pi_rtl()}\t{t.pi_target()}\t"
                            f"{t.pi_waktu()}\t{status}\t{catatan}\t{dinilai}\t{ts(day, 15, k)}\n"
                        )
                        rid += 1

        self.load.copy(
            RencanaTindakLanjut,
            words("id sesi_id kegiatan target waktu status catatan_status dinilai_at created_at"),
            rtl_rows(),
        )

    # -- PMO ------------------------------------------------------------------------------------
    def pmo(self) -> None:
        """Two school years per PSP school: last year's complete (12 months of
        notes) and this year's so far, so the dashboard's default year is full."""
        from pmo.models import (
            AkarMasalah,
            CatatanBulanan,
            InstrumenPMO,
            PerubahanStatus,
            Solusi,
            TindakLanjut,
        )
        from pmo.services import tahun_ajaran_of

        p = self.plan
        t = self.text
        tahun_ini = tahun_ajaran_of(self.today)
        years = [tahun_ini - 1, tahun_ini]
        i0 = self.load.next_id(InstrumenPMO)
        a0 = self.load.next_id(AkarMasalah)
        so0 = self.load.next_id(Solusi)
        tl0 = self.load.next_id(TindakLanjut)

        def langkah(s: int, y: int) -> int:
            """Step reached: last year 4 everywhere, this year mostly 4."""
            if y == 0:
                return 4
            r = frac(s, 80)
            return 4 if r < 0.7 else 3 if r < 0.8 else 2 if r < 0.9 else 1

        def start(y: int) -> dt.date:
            return dt.date(years[y], 7, 1)

        def instrumen_rows():
            for s in range(p.sekolah_psp):
                for y in range(2):
                    step = langkah(s, y)
                    masalah = t.pmo_field() if step >= 2 else ""
                    subtopik = t.subtopik() if step >= 2 else ""
                    updated = ts(min(self.today, add_months(start(y), 11)), 10)
                    yield (
                        f"{i0 + s * 2 + y}\t3\t{self.sch0 + self.psp_sekolah(s)}\t{years[y]}\t"
                        f"{t.pmo_field()}\t{t.pmo_short()}\t{t.pmo_short()}\t{subtopik}\t"
                        f"{masalah}\t{updated}\n"
                    )

        self.load.copy(
            InstrumenPMO,
            words(
                "id version sekolah_id tahun_ajaran data_refleksi tujuan_sekolah target_sekolah "
                "subtopik masalah_prioritas updated_at"
            ),
            instrumen_rows(),
        )

        def each_instrumen(min_step: int):
            for s in range(p.sekolah_psp):
                for y in range(2):
                    if langkah(s, y) >= min_step:
                        yield s, y, s * 2 + y

        def akar_rows():
            for _s, y, inst in each_instrumen(2):
                for k in range(3):
                    yield (
                        f"{a0 + inst * 3 + k}\t{i0 + inst}\t{t.pmo_short()}\t{t.indikator()}\t"
                        f"{b(k == 0)}\t{ts(start(y) + dt.timedelta(days=20 + k), 10)}\n"
                    )

        self.load.copy(
            AkarMasalah,
            ["id", "instrumen_id", "uraian", "indikator_rapor", "prioritas", "created_at"],
            akar_rows(),
        )

        def solusi_rows():
            for s, y, inst in each_instrumen(2):
                step = langkah(s, y)
                for k in range(3):
                    kriteria = "\t".join(
                        b(mix(inst * 3 + k, 90 + c) % 5 != 0) if step >= 3 else "\\N"
                        for c in range(4)
                    )
                    yield (
                        f"{so0 + inst * 3 + k}\t2\t{i0 + inst}\t{a0 + inst * 3 + k}\t"
                        f"{t.pmo_short()}\t{kriteria}\t{b(step >= 3 and k < 2)}\n"
                    )

        self.load.copy(
            Solusi,
            words(
                "id version instrumen_id akar_masalah_id uraian mendesak dapat_dilakukan "
                "sumber_daya mendukung_target disepakati"
            ),
            solusi_rows(),
        )

        # Each action runs six months, the three of a year staggered by a
        # quarter, so a year of PMO has notes in all twelve months.
        def tl_window(y: int, k: int) -> tuple[dt.date, dt.date]:
            mulai = add_months(start(y), 3 * k)
            return mulai, add_months(mulai, 6) - dt.timedelta(days=1)

        def tl_status(idx: int, y: int, k: int) -> tuple[str, list[str]]:
            """(current status, path of statuses from belum_mulai)."""
            mulai, selesai = tl_window(y, k)
            if mulai > self.today:
                return "belum_mulai", []
            r = frac(idx, 100)
            if selesai < self.today:
                paths = [
                    (0.75, ["berjalan", "selesai"]),
                    (0.85, ["berjalan", "terkendala", "selesai"]),
                    (0.93, ["berjalan", "terkendala"]),
                    (1.0, ["dibatalkan"]),
                ]
            else:
                paths = [
                    (0.15, []),
                    (0.80, ["berjalan"]),
                    (0.92, ["berjalan", "terkendala"]),
                    (1.0, ["berjalan", "selesai"]),
                ]
            path = next(path for cut, path in paths if r < cut)
            return (path[-1] if path else "belum_mulai"), path

        def change_days(idx: int, y: int, k: int, path: list[str]) -> list[dt.date]:
            mulai, selesai = tl_window(y, k)
            last = min(selesai, self.today - dt.timedelta(days=1))
            span = max(1, (last - mulai).days)
            days = sorted(
                min(last, mulai + dt.timedelta(days=mix(idx, 110 + c) % span))
                for c in range(len(path))
            )
            if path and mix(idx, 120) % 4 == 0:
                # A quarter of the actions went quiet weeks ago: the
                # escalation rule needs some of those.
                days = [min(d, mulai + dt.timedelta(days=14)) for d in days]
            return days

        def diperbarui(idx: int, y: int, days: list[dt.date]) -> dt.date:
            if days:
                return days[-1]
            # Not started yet: last touched when the plan was written or reviewed.
            return max(start(y), self.today - dt.timedelta(days=1 + mix(idx, 125) % 50))

        def tl_rows():
            for _s, y, inst in each_instrumen(4):
                for k in range(TL_PER_INSTRUMEN):
                    idx = inst * TL_PER_INSTRUMEN + k
                    mulai, selesai = tl_window(y, k)
                    status, path = tl_status(idx, y, k)
                    days = change_days(idx, y, k, path)
                    touched = ts(diperbarui(idx, y, days), 16)
                    yield (
                        f"{tl0 + idx}\t{1 + len(path)}\t{i0 + inst}\t{so0 + inst * 3 + min(k, 1)}\t"
                        f"{t.pmo_aktivitas()}\t{t.pmo_short()}\t{t.pmo_short()}\t{mulai}\t"
                        f"{selesai}\t{t.pihak()}\t{status}\t{touched}\t{ts(start(y), 11)}\n"
                    )

        self.load.copy(
            TindakLanjut,
            words(
                "id version instrumen_id solusi_id aktivitas tujuan indikator_keberhasilan mulai "
                "selesai pihak_terlibat status diperbarui_at created_at"
            ),
            tl_rows(),
        )

        ps0 = self.load.next_id(PerubahanStatus)

        def perubahan_rows():
            n = ps0
            for s, y, inst in each_instrumen(4):
                oleh = self.user_base["ks"] + s
                for k in range(TL_PER_INSTRUMEN):
                    idx = inst * TL_PER_INSTRUMEN + k
                    _status, path = tl_status(idx, y, k)
                    dari = "belum_mulai"
                    for ke, day in zip(path, change_days(idx, y, k, path), strict=True):
                        yield (
                            f"{n}\t{tl0 + idx}\t{dari}\t{ke}\t{t.alasan[ke]}\t{oleh}\t"
                            f"{ts(day, 16)}\n"
                        )
                        dari = ke
                        n += 1

        self.load.copy(
            PerubahanStatus,
            ["id", "tindak_lanjut_id", "dari", "ke", "alasan", "oleh_id", "at"],
            perubahan_rows(),
        )

        cb0 = self.load.next_id(CatatanBulanan)

        def catatan_rows():
            n = cb0
            bulan_ini = self.today.replace(day=1)
            for _s, y, inst in each_instrumen(4):
                for k in range(TL_PER_INSTRUMEN):
                    idx = inst * TL_PER_INSTRUMEN + k
                    status, _path = tl_status(idx, y, k)
                    if status in ("belum_mulai", "dibatalkan"):
                        continue
                    mulai, selesai = tl_window(y, k)
                    for bulan in months_between(mulai, min(selesai, bulan_ini)):
                        kendala = t.pmo_short() if mix(n, 130) % 3 == 0 else ""
                        yield (
                            f"{n}\t1\t{tl0 + idx}\t{bulan}\t{t.pmo_short()}\t{t.pmo_short()}\t"
                            f"{kendala}\t{t.pmo_short() if kendala else ''}\t"
                            f"{ts(min(self.today, bulan + dt.timedelta(days=24)), 15)}\n"
                        )
                        n += 1

        self.load.copy(
            CatatanBulanan,
            words(
                "id version tindak_lanjut_id bulan berjalan_baik belum_berjalan kendala solusi "
                "updated_at"
            ),
            catatan_rows(),
        )

    # -- workshops ------------------------------------------------------------------------------
    def lokakarya(self) -> None:
        from lokakarya.models import Lokakarya, Peserta, TahapLokakarya

        p = self.plan
        l0 = self.load.next_id(Lokakarya)
        mulai_psp = self.angkatan_psp.tanggal_mulai
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        used = set(self.kode_presensi_lama)
        # Check-in codes only need to be unique, not secret, for synthetic data.
        kode_rng = random.Random(self.seed + 11)  # noqa: S311

        def kode() -> str:
            while True:
                code = "".join(kode_rng.choice(alphabet) for _ in range(6))
                if code not in used:
                    used.add(code)
                    return code

        def sekolah_klaster(w: int) -> range:
            c = w // LOKAKARYA_PER_KLASTER
            return range(c * SEKOLAH_PER_KLASTER, min(p.sekolah_psp, (c + 1) * SEKOLAH_PER_KLASTER))

        def tanggal(w: int) -> dt.date:
            ke = w % LOKAKARYA_PER_KLASTER
            c = w // LOKAKARYA_PER_KLASTER
            return mulai_psp + dt.timedelta(days=30 + 60 * ke + c % 20)

        def fasilitator(w: int) -> int:
            schools = sekolah_klaster(w)
            s = schools[(w % LOKAKARYA_PER_KLASTER) * SEKOLAH_PER_FASILITATOR % len(schools)]
            return s // SEKOLAH_PER_FASILITATOR

        klaster = max(1, math.ceil(p.sekolah_psp / SEKOLAH_PER_KLASTER))
        jumlah = min(p.lokakarya, klaster * LOKAKARYA_PER_KLASTER)
        templat = self.templat_lokakarya
        jp = templat.jp if templat else 8

        def lokakarya_rows():
            for w in range(jumlah):
                schools = sekolah_klaster(w)
                kab = self.kabupaten[self.kab_of_sekolah(self.psp_sekolah(schools[0]))]
                day = tanggal(w)
                f = fasilitator(w)
                nama = (
                    f"Lokakarya {w % LOKAKARYA_PER_KLASTER + 1} PSP "
                    f"{kab[1].removeprefix('Kabupaten ')} klaster {w // LOKAKARYA_PER_KLASTER + 1}"
                )
                yield (
                    f"{l0 + w}\t2\t{templat.pk if templat else NULL}\t{nama}\t"
                    f"{self.program_psp.pk}\t{self.angkatan_psp.pk}\t{kab[0]}\tluring\t{day}\t{day}\t"
                    f"Aula {self.nama_sekolah(self.psp_sekolah(schools[0]))}\t\t{jp}\t"
                    f"{self.orang_base['fas'] + f}\t\\N\t\t{kode()}\tf\t"
                    f"{self.user_base['fas'] + f}\t{ts(day - dt.timedelta(days=14), 8)}\n"
                )

        self.load.copy(
            Lokakarya,
            words(
                "id version templat_id nama program_id angkatan_id kabupaten_id moda "
                "tanggal_mulai tanggal_selesai tempat tautan jp fasilitator_id fasilitator_2_id "
                "kesepakatan_kelas kode_presensi presensi_dibuka created_by_id created_at"
            ),
            lokakarya_rows(),
        )

        th0 = self.load.next_id(TahapLokakarya)

        def tahap_rows():
            n = th0
            for w in range(jumlah):
                fas = self.orang_base["fas"] + fasilitator(w)
                day = tanggal(w)
                clock = dt.datetime.combine(day, dt.time(8, 0))
                done = day < self.today
                for s in self.tahap_templat:
                    pmo = s["jenis"] == "pmo"
                    if done:
                        mulai = clock
                        clock += dt.timedelta(minutes=s["menit"] + mix(n, 140) % 11 - 3)
                        times = f"{mulai:%Y-%m-%d %H:%M}:00+07\t{clock:%Y-%m-%d %H:%M}:00+07"
                    else:
                        times = "\\N\t\\N"
                    yield (
                        f"{n}\t{l0 + w}\t{s['urutan']}\t{s['hari']}\t{copy_escape(s['nama'])}\t"
                        f"{s['alur']}\t{s['jenis']}\t{s['menit']}\t{copy_escape(s['tujuan'])}\t"
                        f"{copy_escape(s['kegiatan'])}\t{copy_escape(s['bahan'])}\t"
                        f"{copy_escape(s['persiapan'])}\t{fas}\t{fas if pmo else NULL}\t"
                        f"{times}\t\n"
                    )
                    n += 1

        self.load.copy(
            TahapLokakarya,
            words(
                "id lokakarya_id urutan hari nama alur jenis menit_rencana tujuan kegiatan bahan "
                "persiapan fasilitator_id pmo_sekolah_dari_id mulai_at selesai_at refleksi"
            ),
            tahap_rows(),
        )

        pe0 = self.load.next_id(Peserta)

        def peserta_rows():
            n = pe0
            for w in range(jumlah):
                done = tanggal(w) < self.today
                for s in sekolah_klaster(w):
                    sch = self.sch0 + self.psp_sekolah(s)
                    for orang, peran in (
                        (self.orang_base["ks"] + s, "kepala_sekolah"),
                        (self.orang_base["guru"] + s * GURU_PER_SEKOLAH_PSP, "guru"),
                    ):
                        if done:
                            r = mix(n, 150) % 100
                            hadir = "hadir" if r < 85 else "terlambat" if r < 92 else "tidak_hadir"
                        else:
                            hadir = ""
                        if hadir in ("hadir", "terlambat"):
                            pre = Decimal(40 + mix(n, 151) % 3600 / 100).quantize(Decimal("0.01"))
                            post = min(Decimal(100), pre + Decimal(mix(n, 152) % 2500) / 100)
                            nilai = f"{pre}\t{post:.2f}"
                        else:
                            nilai = "\\N\t\\N"
                        yield f"{n}\t{l0 + w}\t{orang}\t{peran}\t{sch}\t{hadir}\t\\N\t{nilai}\n"
                        n += 1

        self.load.copy(
            Peserta,
            words(
                "id lokakarya_id orang_id peran sekolah_id kehadiran check_in_at nilai_pre "
                "nilai_post"
            ),
            peserta_rows(),
        )

    # -- learning communities -------------------------------------------------------------------
    def komunitas(self) -> None:
        from komunitas.models import JadwalRutin, KomunitasBelajar, Pertemuan, TahapOptimalisasi

        p = self.plan
        t = self.text
        k0 = self.load.next_id(KomunitasBelajar)
        created = ts(self.angkatan_psp.tanggal_mulai + dt.timedelta(days=20), 10)
        jenis_of = {"SD": "kkg", "SMP": "mgmp", "SMA": "mgmp", "SMK": "mgmp"}

        def komunitas_rows():
            for s in range(p.sekolah_psp):
                j = self.psp_sekolah(s)
                jenjang = JENJANG_SEBARAN[mix(j, 2) % len(JENJANG_SEBARAN)]
                pmm = mix(s, 160) % 3 != 0
                tautan = f"https://guru.kemdikbud.go.id/komunitas/{self.sch0 + j}" if pmm else ""
                yield (
                    f"{k0 + s}\t2\t{self.sch0 + j}\tKomunitas Belajar {self.nama_sekolah(j)}\t"
                    f"{jenis_of[jenjang]}\tdalam_sekolah\t"
                    f"{self.orang_base['guru'] + s * GURU_PER_SEKOLAH_PSP}\t{b(pmm)}\t{tautan}\t"
                    f"{t.komunitas()}\t{secrets.token_urlsafe(32)}\t{created}\n"
                )

        self.load.copy(
            KomunitasBelajar,
            words(
                "id version sekolah_id nama jenis cakupan pic_id terdaftar_pmm tautan_pmm tujuan "
                "ical_token created_at"
            ),
            komunitas_rows(),
        )

        anggota = KomunitasBelajar.anggota.through
        an0 = self.load.next_id(anggota)

        def members(s: int) -> list[int]:
            guru = self.orang_base["guru"] + s * GURU_PER_SEKOLAH_PSP
            return [guru, guru + 1, self.orang_base["ks"] + s]

        self.load.copy(
            anggota,
            ["id", "komunitasbelajar_id", "orang_id"],
            (
                f"{an0 + s * 3 + m}\t{k0 + s}\t{orang}\n"
                for s in range(p.sekolah_psp)
                for m, orang in enumerate(members(s))
            ),
        )

        ta0 = self.load.next_id(TahapOptimalisasi)

        def tahap_rows():
            for s in range(p.sekolah_psp):
                reached = mix(s, 170) % (TAHAP_KOMUNITAS + 1)
                for tahap in range(1, TAHAP_KOMUNITAS + 1):
                    if tahap <= reached:
                        day = self.angkatan_psp.tanggal_mulai + dt.timedelta(days=14 * tahap)
                        row = f"tercapai\t{t.topik()}\t{min(day, self.today)}"
                    elif tahap == reached + 1:
                        row = "berjalan\t\t\\N"
                    else:
                        row = "belum\t\t\\N"
                    yield (
                        f"{ta0 + s * TAHAP_KOMUNITAS + tahap - 1}\t2\t"
                        f"{self.sch0 + self.psp_sekolah(s)}\t{tahap}\t{row}\n"
                    )

        self.load.copy(
            TahapOptimalisasi,
            ["id", "version", "sekolah_id", "tahap", "status", "bukti", "tanggal_tercapai"],
            tahap_rows(),
        )

        jr0 = self.load.next_id(JadwalRutin)
        mulai = self.angkatan_psp.tanggal_mulai + dt.timedelta(days=21)
        self.load.copy(
            JadwalRutin,
            words(
                "id komunitas_id frekuensi hari minggu_ke jam_mulai durasi_menit mulai sampai "
                "tempat"
            ),
            (
                f"{jr0 + s}\t{k0 + s}\tbulanan\t{mix(s, 180) % 5}\t{1 + mix(s, 181) % 4}\t"
                f"14:00:00\t90\t{mulai}\t\\N\tRuang guru\n"
                for s in range(p.sekolah_psp)
            ),
        )

        pt0 = self.load.next_id(Pertemuan)

        def waktu(s: int, m: int) -> dt.date:
            # Monthly, the latest one last week: distinct per community.
            back = 28 * (PERTEMUAN_PER_KOMUNITAS - 1 - m) + 1 + mix(s, 190) % 7
            return self.today - dt.timedelta(days=back)

        self.load.copy(
            Pertemuan,
            ["id", "version", "komunitas_id", "waktu", "topik", "catatan"],
            (
                f"{pt0 + s * PERTEMUAN_PER_KOMUNITAS + m}\t1\t{k0 + s}\t{ts(waktu(s, m), 14)}\t"
                f"{t.topik()}\t{t.komunitas()}\n"
                for s in range(p.sekolah_psp)
                for m in range(PERTEMUAN_PER_KOMUNITAS)
            ),
        )

        hadir = Pertemuan.hadir.through
        h0 = self.load.next_id(hadir)

        def hadir_rows():
            n = h0
            for s in range(p.sekolah_psp):
                for m in range(PERTEMUAN_PER_KOMUNITAS):
                    for orang in members(s)[: 2 + mix(s * 3 + m, 200) % 2]:
                        yield f"{n}\t{pt0 + s * PERTEMUAN_PER_KOMUNITAS + m}\t{orang}\n"
                        n += 1

        self.load.copy(hadir, ["id", "pertemuan_id", "orang_id"], hadir_rows())
