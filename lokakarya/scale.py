"""National-scale workshops for `seed_scale`: lokakarya, their stages and participants.

A workshop series (lokakarya 1–4) is held for a cluster of 20 PSP schools,
whose head and one teacher attend: 40 participants, the maximum. Stage
times, attendance and test scores are filled in only for workshops already
held.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from lokakarya.models import Lokakarya, Peserta, TahapLokakarya, TahapTemplat, TemplatLokakarya
from program.scale import ScaleContext
from program.scale.loader import NULL, ts
from program.scale.names import mix, words
from program.scale.plan import GURU_PER_SEKOLAH_PSP, SEKOLAH_PER_FASILITATOR
from program.scale.text import copy_escape

ORDER = 30

LOKAKARYA_PER_KLASTER = 4
SEKOLAH_PER_KLASTER = 20


def seed(ctx: ScaleContext) -> None:
    p = ctx.plan
    l0 = ctx.load.next_id(Lokakarya)
    mulai_psp = ctx.angkatan_psp.tanggal_mulai
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    used = set(Lokakarya.objects.values_list("kode_presensi", flat=True))
    # Check-in codes only need to be unique, not secret, for synthetic data.
    kode_rng = random.Random(ctx.seed + 11)  # noqa: S311

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
    templat = (
        TemplatLokakarya.objects.filter(program=ctx.program_psp, moda="luring")
        .order_by("kode")
        .first()
    )
    tahap_templat = (
        list(TahapTemplat.objects.filter(templat=templat).order_by("urutan").values())
        if templat
        else []
    )
    jp = templat.jp if templat else 8

    def lokakarya_rows():
        for w in range(jumlah):
            schools = sekolah_klaster(w)
            kab = ctx.kabupaten[ctx.kab_of_sekolah(ctx.psp_sekolah(schools[0]))]
            day = tanggal(w)
            f = fasilitator(w)
            nama = (
                f"Lokakarya {w % LOKAKARYA_PER_KLASTER + 1} PSP "
                f"{kab[1].removeprefix('Kabupaten ')} klaster {w // LOKAKARYA_PER_KLASTER + 1}"
            )
            yield (
                f"{l0 + w}\t2\t{templat.pk if templat else NULL}\t{nama}\t"
                f"{ctx.program_psp.pk}\t{ctx.angkatan_psp.pk}\t{kab[0]}\tluring\t{day}\t{day}\t"
                f"Aula {ctx.nama_sekolah(ctx.psp_sekolah(schools[0]))}\t\t{jp}\t"
                f"{ctx.orang_base['fas'] + f}\t\\N\t\t{kode()}\tf\t"
                f"{ctx.user_base['fas'] + f}\t{ts(day - dt.timedelta(days=14), 8)}\n"
            )

    ctx.load.copy(
        Lokakarya,
        words(
            "id version templat_id nama program_id angkatan_id kabupaten_id moda "
            "tanggal_mulai tanggal_selesai tempat tautan jp fasilitator_id fasilitator_2_id "
            "kesepakatan_kelas kode_presensi presensi_dibuka created_by_id created_at"
        ),
        lokakarya_rows(),
    )

    th0 = ctx.load.next_id(TahapLokakarya)

    def tahap_rows():
        n = th0
        for w in range(jumlah):
            fas = ctx.orang_base["fas"] + fasilitator(w)
            day = tanggal(w)
            clock = dt.datetime.combine(day, dt.time(8, 0))
            done = day < ctx.today
            for s in tahap_templat:
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

    ctx.load.copy(
        TahapLokakarya,
        words(
            "id lokakarya_id urutan hari nama alur jenis menit_rencana tujuan kegiatan bahan "
            "persiapan fasilitator_id pmo_sekolah_dari_id mulai_at selesai_at refleksi"
        ),
        tahap_rows(),
    )

    pe0 = ctx.load.next_id(Peserta)

    def peserta_rows():
        n = pe0
        for w in range(jumlah):
            done = tanggal(w) < ctx.today
            for s in sekolah_klaster(w):
                sch = ctx.sch0 + ctx.psp_sekolah(s)
                for orang, peran in (
                    (ctx.orang_base["ks"] + s, "kepala_sekolah"),
                    (ctx.orang_base["guru"] + s * GURU_PER_SEKOLAH_PSP, "guru"),
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

    ctx.load.copy(
        Peserta,
        words(
            "id lokakarya_id orang_id peran sekolah_id kehadiran check_in_at nilai_pre nilai_post"
        ),
        peserta_rows(),
    )
