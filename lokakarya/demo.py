"""Demo workshops: a finished luring one of fasilitator1 (attendance, groups,
pre/post, products, reflections) and an upcoming daring one of fasilitator2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lokakarya import services
from lokakarya.models import Kehadiran, Lokakarya, PeranPeserta, TemplatLokakarya
from program.models import Orang, PenugasanSekolah, Peran

UNSUR = {
    Peran.KEPALA_SEKOLAH: PeranPeserta.KEPALA_SEKOLAH,
    Peran.PENGAWAS: PeranPeserta.PENGAWAS,
    Peran.GURU: PeranPeserta.GURU,
}

# Extra participants so that groups have every role: (name, role at school).
EXTRA = [
    ("Drs. Lalu Ahmad Zaini, M.Pd", Peran.PENGAWAS),
    ("Hj. Maesarah, S.Pd", Peran.KEPALA_SEKOLAH),
    ("Muhammad Yusuf, S.Pd", Peran.KEPALA_SEKOLAH),
    ("Baiq Rina Lestari, S.Pd", Peran.KEPALA_SEKOLAH),
    ("Haeroni Azizah, S.Pd", Peran.GURU),
    ("Hizbuddin, S.Pd", Peran.GURU),
    ("Kamhar, S.Pd", Peran.GURU),
    ("Sanuardi, S.Pd", Peran.GURU),
    ("Rusdan, S.Pd", Peran.GURU),
    ("Nurul Hikmah, S.Pd", Peran.GURU),
    ("Zulkifli, S.Pd.I", Peran.GURU),
]

KESEPAKATAN = "\n".join(
    [
        "Hadir tepat waktu dan mengikuti seluruh sesi.",
        "Telepon genggam dalam mode senyap.",
        "Saling menghargai pendapat; satu orang berbicara pada satu waktu.",
        "Aktif berdiskusi dan berbagi praktik baik.",
    ]
)


def _fasilitator_people(fasilitator: Orang):
    return (
        PenugasanSekolah.objects.filter(
            sekolah__penugasan__orang=fasilitator,
            sekolah__penugasan__peran=Peran.FASILITATOR,
            peran__in=list(UNSUR),
        )
        .select_related("orang", "sekolah")
        .order_by("sekolah__nama", "peran", "orang__nama")
    )


def _finished(ctx) -> Lokakarya | None:
    fasilitator = ctx.orang["fasilitator1"]
    actor = ctx.users["fasilitator1"]
    templat = TemplatLokakarya.objects.get(kode="kb1-luring")
    if Lokakarya.objects.filter(fasilitator=fasilitator, templat=templat).exists():
        return None
    hari = timezone.localdate() - dt.timedelta(days=14)
    lok = services.lokakarya_create(
        actor=actor,
        templat=templat,
        data={
            "nama": "Lokakarya 6 PSP: Komunitas Belajar 1",
            "program": templat.program,
            "kabupaten": ctx.kabupaten,
            "moda": "luring",
            "tanggal_mulai": hari,
            "tanggal_selesai": hari,
            "tempat": "Aula SMA Negeri 1 Selong",
            "fasilitator": fasilitator,
        },
    )
    schools = [
        p.sekolah
        for p in PenugasanSekolah.objects.filter(
            orang=fasilitator, peran=Peran.FASILITATOR
        ).select_related("sekolah")
    ]
    for i, (nama, peran) in enumerate(EXTRA):
        sekolah = schools[i % len(schools)]
        orang, _created = Orang.objects.get_or_create(
            nama=nama, user=None, defaults={"instansi": sekolah.nama}
        )
        PenugasanSekolah.objects.get_or_create(orang=orang, sekolah=sekolah, peran=peran)
    peserta = []
    for p in _fasilitator_people(fasilitator):
        if any(x.orang_id == p.orang_id for x in peserta):
            continue
        peserta.append(
            services.peserta_add(
                actor=actor, lokakarya=lok, orang=p.orang, peran=UNSUR[p.peran], sekolah=p.sekolah
            )
        )
    # Attendance: most present, one late, one absent.
    for i, p in enumerate(peserta):
        status = Kehadiran.HADIR
        if i == 3:
            status = Kehadiran.TERLAMBAT
        elif i == len(peserta) - 1:
            status = Kehadiran.TIDAK_HADIR
        services.kehadiran_set(actor=actor, peserta=p, kehadiran=status)
    # The agenda as it ran: start 08:00 WITA-ish, stages a little off plan.
    tz = timezone.get_current_timezone()
    clock = dt.datetime.combine(hari, dt.time(8, 0), tzinfo=tz)
    drift = [5, 0, -5, 10, 0, 0, -10, 5, 0, 0, 0]
    for i, tahap in enumerate(lok.tahap.order_by("urutan")):
        minutes = tahap.menit_rencana + drift[i % len(drift)]
        services.tahap_record_times(
            actor=actor,
            tahap=tahap,
            mulai_at=clock,
            selesai_at=clock + dt.timedelta(minutes=minutes),
        )
        clock += dt.timedelta(minutes=minutes)
        if tahap.alur in ("refleksi_terbimbing", "koneksi_antar_materi"):
            services.tahap_set_refleksi(
                actor=actor,
                tahap=tahap,
                refleksi="Peserta menuliskan refleksi di papan bersama.\nhttps://padlet.com/contoh/refleksi-kb1",
            )
    lok.refresh_from_db()
    services.kesepakatan_set(
        actor=actor, lokakarya=lok, expected_version=lok.version, teks=KESEPAKATAN
    )
    ctx.lokakarya_selesai = lok
    ctx.lokakarya_peserta = peserta
    return lok


def _upcoming(ctx) -> None:
    fasilitator = ctx.orang["fasilitator2"]
    actor = ctx.users["fasilitator2"]
    templat = TemplatLokakarya.objects.get(kode="kb1-daring")
    if Lokakarya.objects.filter(fasilitator=fasilitator, templat=templat).exists():
        return
    mulai = timezone.localdate() + dt.timedelta(days=10)
    lok = services.lokakarya_create(
        actor=actor,
        templat=templat,
        data={
            "nama": "Lokakarya 7 PSP: Komunitas Belajar 1 (daring)",
            "program": templat.program,
            "kabupaten": ctx.kabupaten,
            "moda": "daring",
            "tanggal_mulai": mulai,
            "tanggal_selesai": mulai + dt.timedelta(days=1),
            "tautan": "https://meet.example.id/lokakarya-kb1",
            "fasilitator": fasilitator,
        },
    )
    for p in _fasilitator_people(fasilitator):
        if not lok.peserta.filter(orang=p.orang).exists():
            services.peserta_add(
                actor=actor, lokakarya=lok, orang=p.orang, peran=UNSUR[p.peran], sekolah=p.sekolah
            )


def _scores(i: int) -> tuple[Decimal, Decimal]:
    pre = Decimal(45 + (i * 7) % 30)
    return pre, min(Decimal(100), pre + Decimal(12 + (i * 5) % 15))


def seed(ctx) -> None:
    lok = _finished(ctx)
    _upcoming(ctx)
    if lok is None:
        return
    _seed_extras(ctx, lok)


def _seed_extras(ctx, lok: Lokakarya) -> None:
    """Groups, scores and products, through the services of those areas."""
    actor = ctx.users["fasilitator1"]
    try:
        from lokakarya import services_kelompok

        services_kelompok.kelompok_generate(
            actor=actor, lokakarya=lok, jenis="campuran", jumlah=4, seed=2026
        )
        services_kelompok.kelompok_generate(actor=actor, lokakarya=lok, jenis="peran")
    except ImportError:  # pragma: no cover - groups not built yet
        pass
    try:
        from lokakarya import services_nilai

        rows = []
        for i, p in enumerate(lok.peserta.order_by("orang__nama")):
            if p.kehadiran == Kehadiran.TIDAK_HADIR:
                continue
            pre, post = _scores(i)
            rows.append(services_nilai.NilaiBaris(peserta_id=p.pk, pre=pre, post=post))
        services_nilai.nilai_set_bulk(actor=actor, lokakarya=lok, rows=rows)
        for kelompok in lok.kelompok.filter(jenis="campuran").order_by("nomor")[:2]:
            services_nilai.produk_create(
                actor=actor,
                lokakarya=lok,
                jenis="rencana_komunitas",
                judul=f"Rencana kegiatan komunitas belajar — {kelompok.nama}",
                kelompok=kelompok,
                isi="1. Membentuk tim kecil\n2. Menyepakati jadwal belajar Kamis sore\n"
                "3. Berbagi praktik baik asesmen formatif setiap bulan",
            )
        services_nilai.produk_create(
            actor=actor,
            lokakarya=lok,
            jenis="aksi_nyata",
            judul="Rencana aksi nyata dua bulan ke depan",
            sekolah=ctx.sekolah["50203101"],
            isi="Desember: lokakarya internal asesmen formatif. Januari: observasi kelas bergilir.",
        )
    except ImportError:  # pragma: no cover
        pass
