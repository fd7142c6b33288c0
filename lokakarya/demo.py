"""Demo workshops: a finished luring one of fasilitator1 (attendance, groups,
pre/post, products, reflections), an upcoming daring one of fasilitator2 with
koordinator2 (coordinator of Sikka) as second facilitator, and a finished luring
one of fasilitator3 in Sikka."""

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
# A head goes to one of the facilitator's schools that has none yet.
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
EXTRA_SIKKA = [
    ("Drs. Paulus Lewo Making, M.Pd", Peran.PENGAWAS),
    ("Yosefina Nona Ita, S.Pd", Peran.KEPALA_SEKOLAH),
    ("Bernardus Bao, S.Pd", Peran.KEPALA_SEKOLAH),
    ("Fransiska Ermelinda Dhey, S.Pd", Peran.KEPALA_SEKOLAH),
    ("Aloysius Jago, S.Pd", Peran.GURU),
    ("Natalia Dua Ona, S.Pd", Peran.GURU),
    ("Silvester Ratu, S.Pd", Peran.GURU),
    ("Yuliana Wunga, S.Pd", Peran.GURU),
]

# facilitator: (extra participants, name, host school's NPSN, days ago)
SELESAI = {
    "fasilitator1": (EXTRA, "Lokakarya 6 PSP: Komunitas Belajar 1", "50203101", 14),
    "fasilitator3": (EXTRA_SIKKA, "Lokakarya 6 PSP: Komunitas Belajar 1 (Sikka)", "50310101", 21),
}

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


def _add_extra_people(schools: list, extra: list) -> None:
    """Assign the extra participants to the schools, one head per school."""
    for i, (nama, peran) in enumerate(extra):
        orang = Orang.objects.filter(nama=nama, user=None).first()
        if peran == Peran.KEPALA_SEKOLAH:
            if orang is not None and orang.penugasan_sekolah.filter(peran=peran).exists():
                continue
            with_head = set(
                PenugasanSekolah.objects.filter(sekolah__in=schools, peran=peran).values_list(
                    "sekolah_id", flat=True
                )
            )
            sekolah = next((s for s in schools if s.pk not in with_head), None)
            if sekolah is None:
                continue
        else:
            sekolah = schools[i % len(schools)]
        if orang is None:
            orang = Orang.objects.create(nama=nama, instansi=sekolah.nama)
        PenugasanSekolah.objects.get_or_create(orang=orang, sekolah=sekolah, peran=peran)


def _finished(ctx, username: str) -> Lokakarya | None:
    extra, nama, npsn, days_ago = SELESAI[username]
    fasilitator = ctx.orang[username]
    actor = ctx.users[username]
    templat = TemplatLokakarya.objects.get(kode="kb1-luring")
    if Lokakarya.objects.filter(fasilitator=fasilitator, templat=templat).exists():
        return None
    schools = [
        p.sekolah
        for p in PenugasanSekolah.objects.filter(
            orang=fasilitator, peran=Peran.FASILITATOR
        ).select_related("sekolah")
    ]
    hari = timezone.localdate() - dt.timedelta(days=days_ago)
    lok = services.lokakarya_create(
        actor=actor,
        templat=templat,
        data={
            "nama": nama,
            "program": templat.program,
            "kabupaten": ctx.sekolah[npsn].kabupaten,
            "moda": "luring",
            "tanggal_mulai": hari,
            "tanggal_selesai": hari,
            "tempat": f"Aula {ctx.sekolah[npsn].nama}",
            "fasilitator": fasilitator,
        },
    )
    _add_extra_people(schools, extra)
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
            "fasilitator_2": ctx.orang["koordinator2"],
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
    lok = _finished(ctx, "fasilitator1")
    if lok is not None:
        _seed_extras(ctx, lok, "fasilitator1")
    _upcoming(ctx)
    lok = _finished(ctx, "fasilitator3")
    if lok is not None:
        _seed_extras(ctx, lok, "fasilitator3")


def _seed_extras(ctx, lok: Lokakarya, username: str) -> None:
    """Groups, scores and products, through the services of those areas."""
    actor = ctx.users[username]
    try:
        from lokakarya.services import kelompok as services_kelompok

        services_kelompok.kelompok_generate(
            actor=actor, lokakarya=lok, jenis="campuran", jumlah=4, seed=2026
        )
        services_kelompok.kelompok_generate(actor=actor, lokakarya=lok, jenis="peran")
    except ImportError:  # pragma: no cover - groups not built yet
        pass
    try:
        from lokakarya.services import nilai as services_nilai

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
            sekolah=ctx.sekolah[SELESAI[username][2]],
            isi="Desember: lokakarya internal asesmen formatif. Januari: observasi kelas bergilir.",
        )
    except ImportError:  # pragma: no cover
        pass
