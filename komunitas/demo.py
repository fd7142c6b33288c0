"""Demo komunitas belajar at ks1's school (SMA Negeri 1 Selong) and ks3's (SMA
Negeri 1 Maumere, Sikka): at each, two communities at different stages, a
finished inquiry cycle, two good practices (STAR), a guideline with two
versions and the facilitator's feedback."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from komunitas import services
from komunitas.models import (
    Cakupan,
    Frekuensi,
    JadwalRutin,
    JenisKomunitas,
    KegiatanPendampingan,
    KomunitasBelajar,
    PraktikBaik,
    RencanaAksi,
    SiklusInkuiri,
    StatusTahap,
)
from program.models import Orang, PenugasanSekolah, Peran

# NPSN: (head, facilitator, PIC, own community, inter-school one, where it meets)
SEKOLAH = {
    "50203101": (
        "ks1",
        "fasilitator1",
        "Lalu Hendra Wijaya, S.Pd",
        "Komunitas Belajar Numerasi Selong",
        "MGMP Bahasa Indonesia Lombok Timur",
        "SMPN 4 Jerowaru",
    ),
    "50310101": (
        "ks3",
        "fasilitator3",
        "Maria Fatima Sogen, S.Pd",
        "Komunitas Belajar Numerasi Maumere",
        "MGMP Bahasa Indonesia Kabupaten Sikka",
        "SMP Negeri 1 Maumere",
    ),
}


def seed(ctx) -> None:
    for npsn in SEKOLAH:
        if npsn in ctx.sekolah:
            _seed_sekolah(ctx, npsn)


def _seed_sekolah(ctx, npsn: str) -> None:
    head, reviewer, nama_pic, nama_komunitas, nama_mgmp, tempat_mgmp = SEKOLAH[npsn]
    sekolah = ctx.sekolah[npsn]
    if KomunitasBelajar.objects.filter(sekolah=sekolah).exists():
        return
    ks1 = ctx.users[head]
    today = timezone.localdate()
    guru = list(
        Orang.objects.filter(
            penugasan_sekolah__sekolah=sekolah, penugasan_sekolah__peran=Peran.GURU
        )
    )
    pic, _created = Orang.objects.get_or_create(
        nama=nama_pic, user=None, defaults={"instansi": sekolah.nama}
    )
    PenugasanSekolah.objects.get_or_create(orang=pic, sekolah=sekolah, peran=Peran.PIC_KOMUNITAS)
    PenugasanSekolah.objects.get_or_create(orang=pic, sekolah=sekolah, peran=Peran.GURU)
    ks = ctx.orang[head]
    numerasi = services.komunitas_save(
        actor=ks1,
        komunitas=KomunitasBelajar(sekolah=sekolah),
        data={
            "nama": nama_komunitas,
            "jenis": JenisKomunitas.LAINNYA,
            "cakupan": Cakupan.DALAM_SEKOLAH,
            "pic": pic,
            "terdaftar_pmm": True,
            "tautan_pmm": "https://guru.kemdikbud.go.id/komunitas/contoh-" + npsn,
            "tujuan": "Meningkatkan kemampuan numerasi murid kelas X melalui asesmen formatif.",
        },
        anggota=[pic, ks, *guru],
    )
    mgmp = services.komunitas_save(
        actor=ks1,
        komunitas=KomunitasBelajar(sekolah=sekolah),
        data={
            "nama": nama_mgmp,
            "jenis": JenisKomunitas.MGMP,
            "cakupan": Cakupan.ANTAR_SEKOLAH,
            "pic": pic,
            "tujuan": "Berbagi strategi literasi membaca pemahaman.",
        },
        anggota=[pic],
    )
    # The school's five stages: 1–2 reached, 3 under way.
    services.tahap_set(
        actor=ks1,
        sekolah=sekolah,
        tahap=1,
        expected_version=0,
        status=StatusTahap.TERCAPAI,
        bukti="SK tim kecil komunitas belajar (5 guru).",
        tanggal_tercapai=today - dt.timedelta(days=80),
    )
    services.tahap_set(
        actor=ks1,
        sekolah=sekolah,
        tahap=2,
        expected_version=0,
        status=StatusTahap.TERCAPAI,
        bukti="Komitmen bersama: belajar setiap Kamis, saling mengamati kelas.",
        tanggal_tercapai=today - dt.timedelta(days=50),
    )
    services.tahap_set(
        actor=ks1,
        sekolah=sekolah,
        tahap=3,
        expected_version=0,
        status=StatusTahap.BERJALAN,
        bukti="Ruang guru ditata untuk diskusi.",
    )
    services.jadwal_save(
        actor=ks1,
        jadwal=JadwalRutin(komunitas=numerasi),
        data={
            "frekuensi": Frekuensi.BULANAN,
            "hari": 3,
            "minggu_ke": 2,
            "jam_mulai": dt.time(14, 0),
            "durasi_menit": 90,
            "mulai": today - dt.timedelta(days=90),
            "tempat": "Ruang guru",
        },
    )
    services.jadwal_save(
        actor=ks1,
        jadwal=JadwalRutin(komunitas=mgmp),
        data={
            "frekuensi": Frekuensi.DUA_MINGGUAN,
            "hari": 5,
            "jam_mulai": dt.time(9, 0),
            "durasi_menit": 120,
            "mulai": today - dt.timedelta(days=30),
            "tempat": tempat_mgmp,
        },
    )
    services.siklus_save(
        actor=ks1,
        siklus=SiklusInkuiri(komunitas=numerasi),
        data={
            "fokus": "Asesmen formatif untuk pecahan di kelas X",
            "refleksi_awal": "Asesmen diagnostik: 62% murid belum memahami operasi pecahan.",
            "perencanaan": "Merancang 3 asesmen formatif singkat (exit ticket) per minggu.",
            "implementasi": "Diterapkan di 4 kelas selama 4 minggu.",
            "asesmen_formatif": "Exit ticket menunjukkan kenaikan pemahaman bertahap.",
            "evaluasi": "Guru sepakat memakai exit ticket; murid kelompok bawah perlu scaffolding.",
            "selesai": True,
        },
    )
    services.siklus_save(
        actor=ks1,
        siklus=SiklusInkuiri(komunitas=numerasi),
        data={
            "fokus": "Diferensiasi konten numerasi",
            "refleksi_awal": "Data exit ticket siklus 1.",
        },
    )
    for judul, aksi in (
        (
            "Exit ticket pecahan",
            "Membuat 3 soal singkat di akhir pelajaran dan mengelompokkan murid.",
        ),
        ("Pojok numerasi kelas", "Menyediakan alat peraga dan kartu soal bertingkat."),
    ):
        services.praktik_baik_save(
            actor=ks1,
            praktik=PraktikBaik(komunitas=numerasi, penulis=pic),
            data={
                "judul": judul,
                "situasi": "Banyak murid kelas X kesulitan numerasi dasar.",
                "tugas": "Mengetahui pemahaman murid setiap pertemuan.",
                "aksi": aksi,
                "hasil": "Pemahaman murid meningkat; guru menyesuaikan pembelajaran berikutnya.",
                "dibagikan_pmm": judul.startswith("Exit"),
                "tautan_pmm": "https://guru.kemdikbud.go.id/bukti-karya/contoh"
                if judul.startswith("Exit")
                else "",
            },
        )
    for i, (kegiatan, siapa) in enumerate(
        (
            ("Berbagi hasil siklus 1 dengan MGMP", "PIC komunitas"),
            ("Observasi kelas bergilir", "Anggota"),
        )
    ):
        services.rencana_aksi_save(
            actor=ks1,
            rencana=RencanaAksi(komunitas=numerasi),
            data={
                "kegiatan": kegiatan,
                "penanggung_jawab": siapa,
                "waktu": today + dt.timedelta(days=20 + 25 * i),
                "indikator": "Terlaksana dan terdokumentasi",
                "progres": 30 if i == 0 else 0,
            },
        )
    v1 = services.pedoman_versi_add(
        actor=ks1,
        komunitas=numerasi,
        isi="Draf 1: tujuan, keanggotaan, jadwal.",
        judul="Pedoman Komunitas Numerasi",
    )
    services.pedoman_umpan_balik_add(
        actor=ctx.users[reviewer],
        versi=v1,
        isi="Tambahkan indikator keberhasilan yang terukur dan peran PIC.",
    )
    services.pedoman_versi_add(
        actor=ks1,
        komunitas=numerasi,
        isi="Draf 2: tujuan, keanggotaan, jadwal, indikator, peran PIC.",
        catatan_revisi="Menambahkan indikator dan peran PIC sesuai umpan balik.",
    )
    kegiatan = KegiatanPendampingan.objects.create(
        komunitas=numerasi,
        judul="Pendampingan PIC komunitas belajar",
        tanggal=today - dt.timedelta(days=40),
    )
    for i, orang in enumerate([pic, ks, *guru]):
        services.hasil_set(
            actor=ks1,
            kegiatan=kegiatan,
            orang=orang,
            data={"nilai_pre": 50 + 5 * i, "nilai_post": 70 + 4 * i, "kepuasan": 4 + i % 2},
        )
