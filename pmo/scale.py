"""National-scale PMO for `seed_scale`: instruments, actions and monthly notes.

Two school years per PSP school: last year's complete (notes in all twelve
months) and this year's so far, so the dashboard's default year is full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pmo.models import (
    AkarMasalah,
    CatatanBulanan,
    InstrumenPMO,
    PerubahanStatus,
    Solusi,
    TindakLanjut,
)
from pmo.services import bulan_siklus, periode_pmo, siklus_sebelumnya
from program.dates import month_start
from program.scale import ScaleContext
from program.scale.loader import NULL, b, ts
from program.scale.names import frac, mix, words

ORDER = 20

TL_PER_INSTRUMEN = 3


def months_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """First days of the months from `start`'s to `end`'s, inclusive."""
    day = month_start(start)
    while day <= end:
        yield day
        day = month_start(day, months=1)


def seed(ctx: ScaleContext) -> None:
    p = ctx.plan
    t = ctx.text
    # Two cycles per school: the one before (finished) and today's.
    periods = [siklus_sebelumnya(*periode_pmo(ctx.today)), periode_pmo(ctx.today)]
    i0 = ctx.load.next_id(InstrumenPMO)
    a0 = ctx.load.next_id(AkarMasalah)
    so0 = ctx.load.next_id(Solusi)
    tl0 = ctx.load.next_id(TindakLanjut)

    def langkah(s: int, y: int) -> int:
        """Step reached: last year 4 everywhere, this year mostly 4."""
        if y == 0:
            return 4
        r = frac(s, 80)
        return 4 if r < 0.7 else 3 if r < 0.8 else 2 if r < 0.9 else 1

    def start(y: int) -> dt.date:
        return bulan_siklus(*periods[y])[0]

    def instrumen_rows():
        for s in range(p.sekolah_psp):
            for y in range(2):
                step = langkah(s, y)
                masalah = t.pmo_field() if step >= 2 else ""
                subtopik = t.subtopik() if step >= 2 else ""
                updated = ts(min(ctx.today, month_start(start(y), months=5)), 10)
                yield (
                    f"{i0 + s * 2 + y}\t3\t{ctx.sch0 + ctx.psp_sekolah(s)}\t{periods[y][0]}\t"
                    f"{periods[y][1]}\t"
                    f"{t.pmo_field()}\t{t.pmo_short()}\t{t.pmo_short()}\t{subtopik}\t"
                    f"{masalah}\t{updated}\n"
                )

    ctx.load.copy(
        InstrumenPMO,
        words(
            "id version sekolah_id tahun_ajaran siklus data_refleksi tujuan_sekolah "
            "target_sekolah "
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

    ctx.load.copy(
        AkarMasalah,
        ["id", "instrumen_id", "uraian", "indikator_rapor", "prioritas", "created_at"],
        akar_rows(),
    )

    def solusi_rows():
        for s, y, inst in each_instrumen(2):
            step = langkah(s, y)
            for k in range(3):
                kriteria = "\t".join(
                    b(mix(inst * 3 + k, 90 + c) % 5 != 0) if step >= 3 else NULL for c in range(4)
                )
                yield (
                    f"{so0 + inst * 3 + k}\t2\t{i0 + inst}\t{a0 + inst * 3 + k}\t"
                    f"{t.pmo_short()}\t{kriteria}\t{b(step >= 3 and k < 2)}\n"
                )

    ctx.load.copy(
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
        mulai = month_start(start(y), months=3 * k)
        return mulai, month_start(mulai, months=6) - dt.timedelta(days=1)

    def tl_status(idx: int, y: int, k: int) -> tuple[str, list[str]]:
        """(current status, path of statuses from belum_mulai)."""
        mulai, selesai = tl_window(y, k)
        if mulai > ctx.today:
            return "belum_mulai", []
        r = frac(idx, 100)
        if selesai < ctx.today:
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
        last = min(selesai, ctx.today - dt.timedelta(days=1))
        span = max(1, (last - mulai).days)
        days = sorted(
            min(last, mulai + dt.timedelta(days=mix(idx, 110 + c) % span)) for c in range(len(path))
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
        return max(start(y), ctx.today - dt.timedelta(days=1 + mix(idx, 125) % 50))

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

    ctx.load.copy(
        TindakLanjut,
        words(
            "id version instrumen_id solusi_id aktivitas tujuan indikator_keberhasilan mulai "
            "selesai pihak_terlibat status diperbarui_at created_at"
        ),
        tl_rows(),
    )

    ps0 = ctx.load.next_id(PerubahanStatus)

    def perubahan_rows():
        n = ps0
        for s, y, inst in each_instrumen(4):
            oleh = ctx.user_base["ks"] + s
            for k in range(TL_PER_INSTRUMEN):
                idx = inst * TL_PER_INSTRUMEN + k
                _status, path = tl_status(idx, y, k)
                dari = "belum_mulai"
                for ke, day in zip(path, change_days(idx, y, k, path), strict=True):
                    yield (
                        f"{n}\t{tl0 + idx}\t{dari}\t{ke}\t{t.alasan[ke]}\t{oleh}\t{ts(day, 16)}\n"
                    )
                    dari = ke
                    n += 1

    ctx.load.copy(
        PerubahanStatus,
        ["id", "tindak_lanjut_id", "dari", "ke", "alasan", "oleh_id", "at"],
        perubahan_rows(),
    )

    cb0 = ctx.load.next_id(CatatanBulanan)

    def catatan_rows():
        n = cb0
        bulan_ini = ctx.today.replace(day=1)
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
                        f"{ts(min(ctx.today, bulan + dt.timedelta(days=24)), 15)}\n"
                    )
                    n += 1

    ctx.load.copy(
        CatatanBulanan,
        words(
            "id version tindak_lanjut_id bulan berjalan_baik belum_berjalan kendala solusi "
            "updated_at"
        ),
        catatan_rows(),
    )
