"""The platform's national rows: regions, schools, logins, people, assignments.

The national data is added next to the demo (`seed_demo` must have run): the
ten reference kabupaten of NTB are part of the national map, so
koordinator1's Kabupaten Lombok Timur gets its national share of schools,
CGP, PMO, workshops and communities. The demo people themselves (pp1 with
three CGP, ks1, fasilitator1, …) are left exactly as seed_demo made them.

Half the CGP belong to the demo's current PGP cohort (its lokakarya dates are
relative to today), half to the previous cohort, a year earlier; this module
makes sure that cohort and its lokakarya dates exist. Everything it loads is
recorded in the run's ScaleContext for the domain apps' generators.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from program.models import (
    Angkatan,
    JadwalLokakarya,
    KabupatenKota,
    KelasDaring,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    PeranWilayah,
    Program,
    Provinsi,
    Sekolah,
)
from program.scale.context import ScaleContext
from program.scale.loader import NULL, ts
from program.scale.names import (
    PROVINSI_NAMA,
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
    ScaleError,
)
from program.scale.text import copy_escape

# First: every other generator builds on these rows (run.py).
ORDER = 0


def seed(ctx: ScaleContext) -> None:
    _cohorts(ctx)
    _wilayah(ctx)
    _sekolah(ctx)
    koordinator1 = (
        PenugasanWilayah.objects.filter(orang__user__username="koordinator1")
        .values_list("kabupaten_id", flat=True)
        .first()
    )
    # One coordinator for every kabupaten but koordinator1's own.
    koordinator_kab = [kab_id for kab_id, _nama in ctx.kabupaten if kab_id != koordinator1]
    _users(ctx, koordinator_kab)
    _orang(ctx, koordinator_kab)
    _penugasan(ctx, koordinator_kab)


# -- cohorts, from the demo and reference data ---------------------------------------------
def _cohorts(ctx: ScaleContext) -> None:
    pgp = Program.objects.filter(kode="PGP").first()
    psp = Program.objects.filter(kode="PSP").first()
    angkatan_pgp = (
        Angkatan.objects.filter(program=pgp).order_by("-tanggal_mulai").first() if pgp else None
    )
    angkatan_psp = (
        Angkatan.objects.filter(program=psp).order_by("-tanggal_mulai").first() if psp else None
    )
    jadwal = (
        dict(JadwalLokakarya.objects.filter(angkatan=angkatan_pgp).values_list("ke", "tanggal"))
        if angkatan_pgp
        else {}
    )
    if not (angkatan_psp and set(range(1, 7)) <= set(jadwal)):
        raise ScaleError(
            "Data demo belum ada: jalankan dulu migrate, load_reference dan seed_demo "
            "(seed_scale menambahkan data nasional di samping data demo)."
        )
    # The current cohort follows the demo's schedule; the previous one
    # finished a year earlier, so both finished and running PI exist.
    angkatan_lalu, _ = Angkatan.objects.get_or_create(
        program=pgp,
        nomor=angkatan_pgp.nomor - 1,
        defaults={
            "nama": f"Angkatan {angkatan_pgp.nomor - 1}",
            "versi": angkatan_pgp.versi,
            "tanggal_mulai": angkatan_pgp.tanggal_mulai - dt.timedelta(days=364),
            "tanggal_selesai": angkatan_pgp.tanggal_selesai - dt.timedelta(days=364),
        },
    )
    for ke, tanggal in jadwal.items():
        JadwalLokakarya.objects.get_or_create(
            angkatan=angkatan_lalu, ke=ke, defaults={"tanggal": tanggal - dt.timedelta(days=364)}
        )
    ctx.program_psp = psp
    ctx.angkatan_psp = angkatan_psp
    ctx.angkatan_pgp = angkatan_pgp
    ctx.angkatan_lalu = angkatan_lalu
    ctx.jadwal = {
        angkatan_pgp.pk: jadwal,
        angkatan_lalu.pk: {ke: tanggal - dt.timedelta(days=364) for ke, tanggal in jadwal.items()},
    }


# -- regions ----------------------------------------------------------------------------------
def _wilayah(ctx: ScaleContext) -> None:
    p = ctx.plan
    kabupaten_ref = list(
        KabupatenKota.objects.exclude(kode__startswith=KODE_PREFIX)
        .order_by("kode")
        .values_list("pk", "nama")
    )
    prov0 = ctx.load.next_id(Provinsi)
    ctx.load.copy(
        Provinsi,
        ["id", "kode", "nama"],
        (
            f"{prov0 + i}\t{KODE_PREFIX}{i + 1:02d}\t{PROVINSI_NAMA[i % len(PROVINSI_NAMA)]}\n"
            for i in range(p.provinsi)
        ),
    )
    kab0 = ctx.load.next_id(KabupatenKota)

    def kab_rows():
        for k in range(p.kabupaten):
            prov = k * p.provinsi // p.kabupaten
            jenis = "Kota" if mix(k, 1) % 5 == 0 else "Kabupaten"
            yield (
                f"{kab0 + k}\t{prov0 + prov}\t{KODE_PREFIX}{prov + 1:02d}{k + 1:04d}\t"
                f"{jenis} {nama_wilayah(k)}\n"
            )

    ctx.load.copy(KabupatenKota, ["id", "provinsi_id", "kode", "nama"], kab_rows())
    ctx.kabupaten = kabupaten_ref + [(kab0 + k, nama_wilayah(k)) for k in range(p.kabupaten)]


# -- schools ------------------------------------------------------------------------------------
def _sekolah(ctx: ScaleContext) -> None:
    ctx.sch0 = ctx.load.next_id(Sekolah)

    def rows():
        for j in range(ctx.plan.sekolah):
            jenjang = ctx.jenjang_sekolah(j)
            status = "negeri" if mix(j, 3) % 4 else "swasta"
            kab_id = ctx.kabupaten[ctx.kab_of_sekolah(j)][0]
            yield (
                f"{ctx.sch0 + j}\t{NPSN_PREFIX}{j:07d}\t{ctx.nama_sekolah(j)}\t{jenjang}\t"
                f"{status}\t{kab_id}\tJl. Pendidikan No. {j % 150 + 1}\n"
            )

    ctx.load.copy(
        Sekolah, ["id", "npsn", "nama", "jenjang", "status", "kabupaten_id", "alamat"], rows()
    )


# -- logins ----------------------------------------------------------------------------------------
def _users(ctx: ScaleContext, koordinator_kab: list[int]) -> None:
    """Logins for every PP, head, facilitator, supervisor and coordinator.

    CGP and teachers get none: nothing the benchmarks open needs them,
    and 100k more users would only make the seed slower.
    """
    User = get_user_model()
    p = ctx.plan
    password = copy_escape(
        make_password(getattr(settings, "DEMO_PASSWORD", "demo12345"))
    )  # hashed once for all
    joined = ts(ctx.today - dt.timedelta(days=120))
    groups = [
        ("pp", p.pp),
        ("ks", p.sekolah_psp),
        ("fas", p.fasilitator),
        ("pengawas", p.pengawas),
        ("koord", len(koordinator_kab)),
        ("fpgp", p.kelas_daring),
    ]
    base = ctx.load.next_id(User)
    for name, count in groups:
        ctx.user_base[name] = base
        base += count

    def rows():
        for name, count in groups:
            first = ctx.user_base[name]
            for i in range(count):
                username = f"{USERNAME_PREFIX}{name}-{i + 1:05d}"
                yield (
                    f"{first + i}\t{password}\t{NULL}\tf\t{username}\t\t\t"
                    f"{username}@contoh.id\tf\tt\t{joined}\n"
                )

    ctx.load.copy(
        User,
        words(
            "id password last_login is_superuser username first_name last_name email is_staff "
            "is_active date_joined"
        ),
        rows(),
    )


# -- people ---------------------------------------------------------------------------------------
def _orang(ctx: ScaleContext, koordinator_kab: list[int]) -> None:
    p = ctx.plan
    groups = [
        ("pp", p.pp, True),
        ("cgp", p.cgp, False),
        ("ks", p.sekolah_psp, True),
        ("guru", p.sekolah_psp * GURU_PER_SEKOLAH_PSP, False),
        ("fas", p.fasilitator, True),
        ("pengawas", p.pengawas, True),
        ("koord", len(koordinator_kab), True),
        ("fpgp", p.kelas_daring, True),
    ]
    base = ctx.load.next_id(Orang)
    for name, count, _login in groups:
        ctx.orang_base[name] = base
        base += count

    def instansi(name: str, i: int) -> str:
        if name == "cgp":
            return ctx.nama_sekolah(ctx.sekolah_cgp(i))
        if name == "ks":
            return ctx.nama_sekolah(ctx.psp_sekolah(i))
        if name == "guru":
            return ctx.nama_sekolah(ctx.psp_sekolah(i // GURU_PER_SEKOLAH_PSP))
        return ""

    def rows():
        for salt, (name, count, login) in enumerate(groups, start=10):
            first = ctx.orang_base[name]
            for i in range(count):
                user = str(ctx.user_base[name] + i) if login else NULL
                nomor = nip(i, salt) if name in ("pp", "cgp", "ks", "pengawas") else ""
                yield (
                    f"{first + i}\t1\t{user}\t{nama_orang(i, salt)}\t{nomor}\t\t"
                    f"{instansi(name, i)}\t\t\n"
                )

    ctx.load.copy(
        Orang,
        ["id", "version", "user_id", "nama", "nip", "nuptk", "instansi", "email", "telepon"],
        rows(),
    )


# -- assignments ----------------------------------------------------------------------------------
def _penugasan(ctx: ScaleContext, koordinator_kab: list[int]) -> None:
    p = ctx.plan
    ob = ctx.orang_base
    ps0 = ctx.load.next_id(PenugasanSekolah)

    def sekolah_rows():
        n = ps0
        for s in range(p.sekolah_psp):
            sch = ctx.sch0 + ctx.psp_sekolah(s)
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
            yield f"{n}\t{ob['cgp'] + i}\t{ctx.sch0 + ctx.sekolah_cgp(i)}\tguru\n"
            n += 1

    ctx.load.copy(PenugasanSekolah, ["id", "orang_id", "sekolah_id", "peran"], sekolah_rows())

    pw0 = ctx.load.next_id(PenugasanWilayah)
    ctx.load.copy(
        PenugasanWilayah,
        ["id", "orang_id", "kabupaten_id", "peran"],
        (
            f"{pw0 + k}\t{ob['koord'] + k}\t{kab_id}\t{PeranWilayah.KOORDINATOR}\n"
            for k, kab_id in enumerate(koordinator_kab)
        ),
    )

    # Each cohort's CGP in online classes of CGP_PER_KELAS, one Fasilitator PGP each.
    k0 = ctx.load.next_id(KelasDaring)
    per = p.kelas_per_angkatan
    cohorts = (ctx.angkatan_pgp.pk, ctx.angkatan_lalu.pk)
    ctx.load.copy(
        KelasDaring,
        ["id", "angkatan_id", "nama", "fasilitator_id"],
        (
            f"{k0 + k}\t{cohorts[k // per]}\tKelas {k % per + 1:04d}\t{ob['fpgp'] + k}\n"
            for k in range(p.kelas_daring)
        ),
    )

    ctx.pen0 = ctx.load.next_id(PenugasanPP)

    def pp_rows():
        for i in range(p.cgp):
            yield (
                f"{ctx.pen0 + i}\t{ctx.angkatan_of_cgp(i)}\t{ob['pp'] + ctx.pp_of_cgp(i)}\t"
                f"{ob['cgp'] + i}\t{ctx.sch0 + ctx.sekolah_cgp(i)}\t{k0 + ctx.kelas_of_cgp(i)}\n"
            )

    ctx.load.copy(
        PenugasanPP, ["id", "angkatan_id", "pp_id", "cgp_id", "sekolah_id", "kelas_id"], pp_rows()
    )
