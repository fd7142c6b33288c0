"""Demo PMO of the current cycle: ks1's school at step 4 with up to three
months of status changes, one escalated action and forum records with
koordinator1; ks2's school at step 2; in Sikka, ks3's school at step 4 with
fasilitator3 and koordinator2.

The instruments are those of the cycle today falls in (August–January or
February–July). Their history is dated up to three months back and never
after now; in the first months of a cycle it reaches into the months before
the cycle began (a known simplification of the demo, not of the product)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pmo import services
from pmo.models import InstrumenPMO, PerubahanStatus, Solusi, StatusTindakLanjut, TindakLanjut
from program.dates import month_start


def _months_ago(n: int, day: int = 10) -> dt.datetime:
    """10:00 on `day` of the month `n` months back, never later than now.

    A moment of the current month that has not come yet is placed in the part
    of the month already gone, at the same fraction of it as `day` is of the
    month (day 12 before day 20), so the seeded history stays in time order
    and before anything a user does today, on whatever date the seed runs.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    first = month_start(today, months=-n)
    zone = timezone.get_current_timezone()
    moment = dt.datetime.combine(first.replace(day=day), dt.time(10), tzinfo=zone)
    if moment < now:
        return moment
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    return start + (now - start) * (day / 32)


def seed(ctx) -> None:
    tahun, siklus = services.periode_pmo(timezone.localdate())
    periode = {"tahun_ajaran": tahun, "siklus": siklus}
    selong = ctx.sekolah["50203101"]
    terara = ctx.sekolah["50203102"]
    ks1, ks2 = ctx.users["ks1"], ctx.users["ks2"]
    if not InstrumenPMO.objects.filter(sekolah=selong, **periode).exists():
        _step4(
            ctx,
            services.instrumen_get_or_create(actor=ks1, sekolah=selong, **periode),
            head="ks1",
            fasilitator="fasilitator1",
            koordinator="koordinator1",
        )
    if not InstrumenPMO.objects.filter(sekolah=terara, **periode).exists():
        _step2(services.instrumen_get_or_create(actor=ks2, sekolah=terara, **periode), ks2)
    maumere = ctx.sekolah["50310101"]
    if not InstrumenPMO.objects.filter(sekolah=maumere, **periode).exists():
        ks3 = ctx.users["ks3"]
        _step4(
            ctx,
            services.instrumen_get_or_create(actor=ks3, sekolah=maumere, **periode),
            head="ks3",
            fasilitator="fasilitator3",
            koordinator="koordinator2",
        )


def _step1(instrumen, actor):
    return services.instrumen_update(
        actor=actor,
        instrumen=instrumen,
        expected_version=instrumen.version,
        data={
            "data_refleksi": "Rapor Pendidikan 2026: literasi 'mencapai kompetensi minimum' 56%, "
            "numerasi 41%. Asesmen diagnostik kelas X menunjukkan pola serupa.",
            "tujuan_sekolah": "Meningkatkan kemampuan numerasi murid melalui pembelajaran yang "
            "berpihak pada murid.",
            "target_sekolah": "Numerasi mencapai kompetensi minimum naik dari 41% menjadi 55% "
            "dalam satu tahun ajaran.",
        },
    )


def _step2(instrumen, actor):
    instrumen = _step1(instrumen, actor)
    services.akar_masalah_add(
        actor=actor,
        instrumen=instrumen,
        uraian="Guru belum terbiasa menggunakan asesmen formatif untuk menyesuaikan pembelajaran.",
        indikator_rapor="D.1.2 Pembelajaran sesuai tahap capaian",
        prioritas=True,
    )
    services.akar_masalah_add(
        actor=actor,
        instrumen=instrumen,
        uraian="Waktu belajar bersama antarguru belum terjadwal.",
        indikator_rapor="D.8 Refleksi dan perbaikan pembelajaran oleh guru",
    )
    instrumen.refresh_from_db()
    return services.instrumen_update(
        actor=actor,
        instrumen=instrumen,
        expected_version=instrumen.version,
        data={
            "subtopik": "Kualitas pembelajaran: asesmen formatif",
            "masalah_prioritas": "Pembelajaran belum memanfaatkan hasil asesmen formatif.",
        },
    )


def _step4(ctx, instrumen, *, head: str, fasilitator: str, koordinator: str):
    kepala = ctx.users[head]
    instrumen = _step2(instrumen, kepala)
    akar = instrumen.akar_masalah.filter(prioritas=True).first()
    solusi = services.solusi_save(
        actor=kepala,
        solusi=Solusi(instrumen=instrumen),
        expected_version=0,
        data={
            "uraian": "Pelatihan internal asesmen formatif dan komunitas belajar mingguan.",
            "akar_masalah": akar,
            "mendesak": True,
            "dapat_dilakukan": True,
            "sumber_daya": True,
            "mendukung_target": True,
            "disepakati": True,
        },
    )
    plans = [
        (
            "In-house training asesmen formatif",
            "Guru mampu merancang asesmen formatif",
            "80% guru menyusun asesmen formatif",
            "Kepala sekolah — penanggung jawab\nWaka kurikulum — narasumber",
        ),
        (
            "Jadwal belajar bersama setiap Kamis",
            "Guru berbagi praktik asesmen",
            "Pertemuan rutin 4 kali sebulan",
            "PIC komunitas belajar — koordinator",
        ),
        (
            "Supervisi akademik berbasis data asesmen",
            "Kepala sekolah memberi umpan balik",
            "Setiap guru disupervisi sekali per semester",
            "Kepala sekolah — supervisor",
        ),
    ]
    actions = []
    start = _months_ago(3, 1)
    for aktivitas, tujuan, indikator, pihak in plans:
        action = services.tindak_lanjut_save(
            actor=kepala,
            tindak_lanjut=TindakLanjut(instrumen=instrumen),
            expected_version=0,
            data={
                "solusi": solusi,
                "aktivitas": aktivitas,
                "tujuan": tujuan,
                "indikator_keberhasilan": indikator,
                "mulai": start.date(),
                "selesai": (start + dt.timedelta(days=180)).date(),
                "pihak_terlibat": pihak,
            },
        )
        TindakLanjut.objects.filter(pk=action.pk).update(diperbarui_at=start, created_at=start)
        PerubahanStatus.objects.filter(tindak_lanjut=action).update(at=start)
        action.refresh_from_db()
        actions.append(action)
    # Three months of changes.
    training, jadwal, supervisi = actions
    history = [
        (training, StatusTindakLanjut.BERJALAN, "Pelatihan sesi 1 terlaksana.", 3),
        (training, StatusTindakLanjut.SELESAI, "Seluruh sesi pelatihan selesai.", 1),
        (jadwal, StatusTindakLanjut.BERJALAN, "Pertemuan Kamis dimulai.", 2),
        (supervisi, StatusTindakLanjut.BERJALAN, "Jadwal supervisi disusun.", 2),
        (supervisi, StatusTindakLanjut.TERKENDALA, "Bentrok dengan ANBK; jadwal mundur.", 0),
    ]
    for action, status, alasan, ago in history:
        action.refresh_from_db()
        services.tindak_lanjut_set_status(
            actor=kepala,
            tindak_lanjut=action,
            expected_version=action.version,
            status=status,
            alasan=alasan,
            at=_months_ago(ago, 12),
        )
    # One note a month, for the months of the cycle so far (at most three).
    for ago in (2, 1, 0):
        services.catatan_bulanan_save(
            actor=kepala,
            tindak_lanjut=jadwal,
            bulan=_months_ago(ago).date(),
            expected_version=0,
            data={
                "berjalan_baik": "Guru hadir dan berbagi contoh asesmen.",
                "belum_berjalan": "Belum semua mata pelajaran terwakili.",
                "kendala": "Jadwal rapat dinas di hari yang sama.",
                "solusi": "Pertemuan dipindah ke jam terakhir.",
            },
            at=_months_ago(ago, 20),
        )
    peserta = "\n".join(ctx.orang[key].nama for key in (head, fasilitator, koordinator))
    fasilitator = ctx.users[fasilitator]
    for ago in (1, 0):
        tanggal = _months_ago(ago, 18).date()
        if tanggal > timezone.localdate():
            tanggal = timezone.localdate()
        from pmo.models import ForumPokja

        services.forum_pokja_save(
            actor=fasilitator,
            forum=ForumPokja(
                sekolah=instrumen.sekolah, bulan=tanggal.replace(day=1), tanggal=tanggal
            ),
            expected_version=0,
            data={
                "tanggal": tanggal,
                "peserta": peserta,
                "koordinator_hadir": True,
                "capaian": "Pelatihan asesmen formatif selesai; komunitas belajar berjalan.",
                "target": "Supervisi akademik dimulai bulan depan.",
                "hambatan": "Jadwal ANBK.",
                "kesepakatan": "Supervisi dijadwalkan ulang setelah ANBK.",
            },
        )
