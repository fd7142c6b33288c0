"""Demo coaching of school heads: the schools of fasilitator1 (Lombok Timur)
and fasilitator3 (Sikka) (idempotent).

Past sessions fall in the months before today and the quarter plan starts this
month, so the demo always looks current. A session is identified by school and
date; a plan row by school and month; existing rows are never overwritten.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pendampingan import services
from pendampingan.models import RencanaCoaching, SesiCoaching, TopikPilihan
from program.dates import month_start
from program.models import PenugasanSekolah, Peran

# Oldest first; a school with two sessions gets the last two.
SESI = [
    {
        "menit_topik_wajib": 25,
        "topik_pilihan": TopikPilihan.KEPEMIMPINAN,
        "rincian_topik": (
            "Rencana kerja kepala sekolah semester ganjil dan peran komite pembelajaran"
        ),
        "catatan": (
            "Topik wajib: kepala sekolah menceritakan persiapan penerapan Kurikulum Merdeka; "
            "asesmen diagnostik awal sudah dilakukan di semua kelas, tetapi hasilnya belum "
            "dipakai untuk mengelompokkan murid.\n"
            "Topik pilihan: kepala sekolah merasa waktunya habis untuk urusan administrasi "
            "sehingga supervisi akademik tertunda. Bersama-sama kami memetakan kegiatan "
            "mingguan dan menemukan dua slot tetap untuk kunjungan kelas. Komite pembelajaran "
            "akan dilibatkan untuk membagi peran pendampingan guru."
        ),
        "kesepakatan": (
            "Menyusun jadwal supervisi akademik satu semester dan membagikannya ke guru\n"
            "Rapat komite pembelajaran membahas hasil asesmen diagnostik\n"
            "Mendelegasikan rekap administrasi BOS kepada wakil kepala sekolah"
        ),
    },
    {
        "menit_topik_wajib": 30,
        "topik_pilihan": TopikPilihan.AKSI_NYATA,
        "rincian_topik": "Lokakarya 1: visi sekolah yang berpihak pada murid → aksi nyata",
        "catatan": (
            "Topik wajib: guru mulai memakai Platform Merdeka Mengajar untuk mencari modul ajar; "
            "baru sebagian yang mencoba menyesuaikan modul dengan kebutuhan murid.\n"
            "Topik pilihan: aksi nyata lokakarya 1 berupa perumusan ulang visi sekolah bersama "
            "perwakilan guru, murid dan orang tua. Draf visi sudah ada, tetapi belum "
            "disosialisasikan. Kepala sekolah ingin visi dipajang dan dibahas di setiap kelas."
        ),
        "kesepakatan": (
            "Sosialisasi visi sekolah pada upacara Senin dan rapat orang tua\n"
            "Setiap wali kelas membuat kesepakatan kelas yang mengacu pada visi sekolah\n"
            "Mengumpulkan foto dan notulen sebagai bukti aksi nyata"
        ),
    },
    {
        "menit_topik_wajib": 20,
        "topik_pilihan": TopikPilihan.AKSI_NYATA,
        "rincian_topik": "Lokakarya 2: budaya positif dan kesepakatan kelas → aksi nyata",
        "catatan": (
            "Topik wajib: membahas asesmen formatif; guru masih menilai dengan ulangan harian "
            "saja. Kepala sekolah akan memberi contoh asesmen formatif sederhana dalam rapat.\n"
            "Topik pilihan: kesepakatan kelas sudah berjalan di sebagian besar kelas. Kendala: "
            "beberapa guru senior belum yakin manfaatnya dan masih memakai hukuman. Kepala "
            "sekolah merencanakan kunjungan kelas untuk memberi umpan balik yang menguatkan."
        ),
        "kesepakatan": (
            "Kunjungan kelas ke tiga kelas sebelum akhir bulan dengan lembar observasi budaya "
            "positif\n"
            "Guru yang sudah berhasil berbagi praktik baik di rapat komite pembelajaran\n"
            "Menyiapkan pertanyaan refleksi untuk sesi coaching berikutnya"
        ),
    },
]

# The quarter from this month: (topik pilihan, rincian).
RENCANA = [
    (TopikPilihan.AKSI_NYATA, "Lokakarya 3: pembelajaran berdiferensiasi → aksi nyata"),
    (TopikPilihan.KEPEMIMPINAN, "Refleksi rencana kerja sekolah dengan data Rapor Pendidikan"),
    (TopikPilihan.AKSI_NYATA, "Lokakarya 4: komunitas belajar di sekolah → aksi nyata"),
]

DAYS = (7, 12, 16, 21)


def seed(ctx, *, today: dt.date | None = None) -> None:
    for username in ("fasilitator1", "fasilitator3"):
        _seed_fasilitator(ctx, username, month_start(today or timezone.localdate()))


def _seed_fasilitator(ctx, username: str, bulan_ini: dt.date) -> None:
    actor = ctx.users[username]
    fasilitator = ctx.orang[username]
    # The account's Orang only holds copy-0 schools; copies have their own Orang.
    schools = [
        p.sekolah
        for p in PenugasanSekolah.objects.filter(orang=fasilitator, peran=Peran.FASILITATOR)
        .select_related("sekolah")
        .order_by("sekolah__npsn")
    ]
    for index, sekolah in enumerate(schools):
        count = 3 if index % 2 == 0 else 2
        day = DAYS[index % len(DAYS)]
        for content, months_back in zip(SESI[-count:], range(count, 0, -1), strict=True):
            tanggal = month_start(bulan_ini, months=-months_back).replace(day=day)
            if SesiCoaching.objects.filter(sekolah=sekolah, tanggal=tanggal).exists():
                continue
            services.coaching_create(
                actor=actor,
                sekolah=sekolah,
                fasilitator=fasilitator,
                data={"tanggal": tanggal, **content},
            )
        existing = set(
            RencanaCoaching.objects.filter(sekolah=sekolah, bulan__gte=bulan_ini).values_list(
                "bulan", flat=True
            )
        )
        rows = [
            {"bulan": month_start(bulan_ini, months=i), "topik_pilihan": topik, "rincian": rincian}
            for i, (topik, rincian) in enumerate(RENCANA)
            if month_start(bulan_ini, months=i) not in existing
        ]
        if rows:
            services.rencana_coaching_set(actor=actor, sekolah=sekolah, rows=rows)
