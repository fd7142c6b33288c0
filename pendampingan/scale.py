"""National-scale PI 1–6 for `seed_scale`: sessions, journals and RTL of every CGP.

What happened to each PI is judged by its deadline, the date of the lokakarya
its template names: CGP of the demo's current cohort have PI 1–2 past, PI 3
under way; CGP of the previous cohort are done. Only a session that took
place has a journal and RTL.
"""

from __future__ import annotations

import datetime as dt
import json

from pendampingan.models import JurnalPendampingan, RencanaTindakLanjut, SesiPI, TemplatPI
from pendampingan.services import templat_snapshot
from program.scale import ScaleContext, ScaleError
from program.scale.loader import NULL, ts
from program.scale.names import frac, mix, words
from program.scale.text import copy_escape

ORDER = 10

SELESAI, DRAF, TERJADWAL, BELUM = 3, 2, 1, 0


def seed(ctx: ScaleContext) -> None:
    p = ctx.plan
    t = ctx.text
    today = ctx.today
    # The national cohorts follow the demo cohort's version, of six PI.
    templat = {
        tp.urutan: tp
        for tp in TemplatPI.objects.filter(versi_id=ctx.angkatan_pgp.versi_id).prefetch_related(
            "langkah"
        )
    }
    if sorted(templat) != list(range(1, 7)):
        raise ScaleError(
            "Templat PI 1–6 belum ada: jalankan dulu migrate, load_reference dan seed_demo "
            "(seed_scale menambahkan data nasional di samping data demo)."
        )
    snapshot_json = {}
    langkah = {}
    for urutan, templat_pi in templat.items():
        snap = templat_snapshot(templat_pi)
        snapshot_json[urutan] = copy_escape(json.dumps(snap, ensure_ascii=False))
        langkah[urutan] = [s["urutan"] for s in snap["langkah"]]
    # PI N is due by the date of the lokakarya its template names.
    deadline = {
        angkatan: {n: jadwal[templat[n].lokakarya_ke] for n in range(1, 7)}
        for angkatan, jadwal in ctx.jadwal.items()
    }

    def state(i: int, n: int) -> int:
        """What happened to PI `n` of CGP `i`, judged by its deadline."""
        due = deadline[ctx.angkatan_of_cgp(i)]
        r = frac(i * 8 + n, 20)
        if due[n] < today:
            cut = (0.88, 0.93, 0.97)
        elif n == 1 or due[n - 1] < today:
            cut = (0.25, 0.50, 0.85)  # the PI now under way
        else:
            cut = (0.0, 0.0, 0.10)
        if r < cut[0]:
            return SELESAI
        if r < cut[1]:
            return DRAF
        if r < cut[2]:
            return TERJADWAL
        return BELUM

    def tanggal_sesi(i: int, n: int) -> dt.date:
        day = deadline[ctx.angkatan_of_cgp(i)][n] - dt.timedelta(days=3 + mix(i, n) % 10)
        if state(i, n) >= DRAF:
            day = min(day, today - dt.timedelta(days=1 + mix(i, n + 10) % 5))
        return day

    s0 = ctx.load.next_id(SesiPI)
    created = {a.pk: ts(a.tanggal_mulai) for a in (ctx.angkatan_pgp, ctx.angkatan_lalu)}

    def sesi_rows():
        for i in range(p.cgp):
            pen = ctx.pen0 + i
            dibuat = created[ctx.angkatan_of_cgp(i)]
            for n in range(1, 7):
                sid = s0 + i * 6 + n - 1
                st = state(i, n)
                if st == BELUM:
                    yield (
                        f"{sid}\t1\t{pen}\t{n}\t{snapshot_json[n]}\t{NULL}\t{NULL}\t\t\t\t"
                        f"{NULL}\t\t{dibuat}\n"
                    )
                    continue
                day = tanggal_sesi(i, n)
                if mix(i, n + 30) % 5 < 3:
                    moda, tempat = "luring", ctx.nama_sekolah(ctx.sekolah_cgp(i))
                    tautan = ""
                else:
                    moda, tempat = "daring", ""
                    tautan = f"https://meet.example.id/pi-{pen}-{n}"
                konfirmasi, komentar = NULL, ""
                if st == SELESAI and mix(i, n + 40) % 10 < 7:
                    konfirmasi = ts(day + dt.timedelta(days=1), 19, 15)
                    komentar = t.komentar()
                yield (
                    f"{sid}\t2\t{pen}\t{n}\t{snapshot_json[n]}\t{day.isoformat()}\t"
                    f"{13 + n % 3}:30:00\t{moda}\t{tempat}\t{tautan}\t{konfirmasi}\t"
                    f"{komentar}\t{dibuat}\n"
                )

    ctx.load.copy(
        SesiPI,
        words(
            "id version penugasan_id urutan templat tanggal jam_mulai moda tempat tautan "
            "dikonfirmasi_cgp_at komentar_cgp created_at"
        ),
        sesi_rows(),
    )

    j0 = ctx.load.next_id(JurnalPendampingan)

    def jurnal_rows():
        jid = j0
        for i in range(p.cgp):
            for n in range(1, 7):
                st = state(i, n)
                if st < DRAF:
                    continue
                day = tanggal_sesi(i, n)
                steps = langkah[n]
                if st == DRAF:
                    steps = steps[: mix(i, n + 50) % (len(steps) + 1)]
                jawaban = ", ".join(f'"{k}": {t.pi_answer_json()}' for k in steps)
                if st == SELESAI:
                    status, version = "diajukan", 4
                    diajukan = ts(day + dt.timedelta(days=1 + mix(i, n + 60) % 3), 20, 10)
                    updated = diajukan
                else:
                    status, version, diajukan = "draf", 2, NULL
                    updated = ts(day, 21, 5)
                yield (
                    f"{jid}\t{version}\t{s0 + i * 6 + n - 1}\t{{{jawaban}}}\t{t.pi_field()}\t"
                    f"{t.pi_field()}\t{t.pi_field()}\t{status}\t{diajukan}\t{updated}\n"
                )
                jid += 1

    ctx.load.copy(
        JurnalPendampingan,
        words(
            "id version sesi_id jawaban sudah_baik perlu_ditingkatkan catatan status "
            "diajukan_at updated_at"
        ),
        jurnal_rows(),
    )

    r0 = ctx.load.next_id(RencanaTindakLanjut)
    marks = ("terlaksana", "terlaksana", "sebagian", "belum")

    def rtl_rows():
        rid = r0
        for i in range(p.cgp):
            for n in range(1, 7):
                if state(i, n) < DRAF:
                    continue
                day = tanggal_sesi(i, n)
                # An RTL is judged when the next PI is recorded.
                judged = n < 6 and state(i, n + 1) >= DRAF
                for k in range(1 + mix(i, n + 70) % 3):
                    if judged:
                        status = marks[mix(i, n * 4 + k) % 4]
                        catatan = "Sudah berjalan, bukti diunggah." if k == 0 else ""
                        dinilai = ts(tanggal_sesi(i, n + 1), 14, 0)
                    else:
                        status, catatan, dinilai = "", "", NULL
                    yield (
                        f"{rid}\t{s0 + i * 6 + n - 1}\t{t.pi_rtl()}\t{t.pi_target()}\t"
                        f"{t.pi_waktu()}\t{status}\t{catatan}\t{dinilai}\t{ts(day, 15, k)}\n"
                    )
                    rid += 1

    ctx.load.copy(
        RencanaTindakLanjut,
        words("id sesi_id kegiatan target waktu status catatan_status dinilai_at created_at"),
        rtl_rows(),
    )
