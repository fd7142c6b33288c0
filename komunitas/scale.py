"""National-scale learning communities for `seed_scale`: one per PSP school,
with members, optimisation stages, a routine schedule and past meetings."""

from __future__ import annotations

import datetime as dt
import secrets

from komunitas.models import JadwalRutin, KomunitasBelajar, Pertemuan, TahapOptimalisasi
from program.scale import ScaleContext
from program.scale.loader import b, ts
from program.scale.names import mix, words
from program.scale.plan import GURU_PER_SEKOLAH_PSP

ORDER = 40

TAHAP_KOMUNITAS = 5
PERTEMUAN_PER_KOMUNITAS = 3


def seed(ctx: ScaleContext) -> None:
    p = ctx.plan
    t = ctx.text
    k0 = ctx.load.next_id(KomunitasBelajar)
    created = ts(ctx.angkatan_psp.tanggal_mulai + dt.timedelta(days=20), 10)
    jenis_of = {"SD": "kkg", "SMP": "mgmp", "SMA": "mgmp", "SMK": "mgmp"}

    def komunitas_rows():
        for s in range(p.sekolah_psp):
            j = ctx.psp_sekolah(s)
            jenjang = ctx.jenjang_sekolah(j)
            pmm = mix(s, 160) % 3 != 0
            tautan = f"https://guru.kemdikbud.go.id/komunitas/{ctx.sch0 + j}" if pmm else ""
            yield (
                f"{k0 + s}\t2\t{ctx.sch0 + j}\tKomunitas Belajar {ctx.nama_sekolah(j)}\t"
                f"{jenis_of[jenjang]}\tdalam_sekolah\t"
                f"{ctx.orang_base['guru'] + s * GURU_PER_SEKOLAH_PSP}\t{b(pmm)}\t{tautan}\t"
                f"{t.komunitas()}\t{secrets.token_urlsafe(32)}\t{created}\n"
            )

    ctx.load.copy(
        KomunitasBelajar,
        words(
            "id version sekolah_id nama jenis cakupan pic_id terdaftar_pmm tautan_pmm tujuan "
            "ical_token created_at"
        ),
        komunitas_rows(),
    )

    anggota = KomunitasBelajar.anggota.through
    an0 = ctx.load.next_id(anggota)

    def members(s: int) -> list[int]:
        guru = ctx.orang_base["guru"] + s * GURU_PER_SEKOLAH_PSP
        return [guru, guru + 1, ctx.orang_base["ks"] + s]

    ctx.load.copy(
        anggota,
        ["id", "komunitasbelajar_id", "orang_id"],
        (
            f"{an0 + s * 3 + m}\t{k0 + s}\t{orang}\n"
            for s in range(p.sekolah_psp)
            for m, orang in enumerate(members(s))
        ),
    )

    ta0 = ctx.load.next_id(TahapOptimalisasi)

    def tahap_rows():
        for s in range(p.sekolah_psp):
            reached = mix(s, 170) % (TAHAP_KOMUNITAS + 1)
            for tahap in range(1, TAHAP_KOMUNITAS + 1):
                if tahap <= reached:
                    day = ctx.angkatan_psp.tanggal_mulai + dt.timedelta(days=14 * tahap)
                    row = f"tercapai\t{t.topik()}\t{min(day, ctx.today)}"
                elif tahap == reached + 1:
                    row = "berjalan\t\t\\N"
                else:
                    row = "belum\t\t\\N"
                yield (
                    f"{ta0 + s * TAHAP_KOMUNITAS + tahap - 1}\t2\t"
                    f"{ctx.sch0 + ctx.psp_sekolah(s)}\t{tahap}\t{row}\n"
                )

    ctx.load.copy(
        TahapOptimalisasi,
        ["id", "version", "sekolah_id", "tahap", "status", "bukti", "tanggal_tercapai"],
        tahap_rows(),
    )

    jr0 = ctx.load.next_id(JadwalRutin)
    mulai = ctx.angkatan_psp.tanggal_mulai + dt.timedelta(days=21)
    ctx.load.copy(
        JadwalRutin,
        words(
            "id komunitas_id frekuensi hari minggu_ke jam_mulai durasi_menit mulai sampai tempat"
        ),
        (
            f"{jr0 + s}\t{k0 + s}\tbulanan\t{mix(s, 180) % 5}\t{1 + mix(s, 181) % 4}\t"
            f"14:00:00\t90\t{mulai}\t\\N\tRuang guru\n"
            for s in range(p.sekolah_psp)
        ),
    )

    pt0 = ctx.load.next_id(Pertemuan)

    def waktu(s: int, m: int) -> dt.date:
        # Monthly, the latest one last week: distinct per community.
        back = 28 * (PERTEMUAN_PER_KOMUNITAS - 1 - m) + 1 + mix(s, 190) % 7
        return ctx.today - dt.timedelta(days=back)

    ctx.load.copy(
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
    h0 = ctx.load.next_id(hadir)

    def hadir_rows():
        n = h0
        for s in range(p.sekolah_psp):
            for m in range(PERTEMUAN_PER_KOMUNITAS):
                for orang in members(s)[: 2 + mix(s * 3 + m, 200) % 2]:
                    yield f"{n}\t{pt0 + s * PERTEMUAN_PER_KOMUNITAS + m}\t{orang}\n"
                    n += 1

    ctx.load.copy(hadir, ["id", "pertemuan_id", "orang_id"], hadir_rows())
