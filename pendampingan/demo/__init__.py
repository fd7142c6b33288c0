"""Demo records of pendampingan (idempotent): PI sessions of pp1 and pp2 in
Angkatan 11 and of pp3 (Sikka) and pp2 in Angkatan 12, and coaching."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pendampingan import services
from pendampingan.models import JenisDokumentasi, JurnalPendampingan, Moda, SesiPI
from program.models import JadwalLokakarya, PenugasanPP

# Lokakarya N of the demo cohort, in days from today: PI 1 and PI 2 are past
# their deadline, PI 3 is due in three weeks.
LOKAKARYA_OFFSETS = {0: -70, 1: -42, 2: -12, 3: 21, 4: 52, 5: 84, 6: 115, 7: 140}

# Angkatan 12 started later: PI 1 is done, PI 2's deadline was three days ago.
LOKAKARYA_OFFSETS_12 = {0: -56, 1: -28, 2: -3, 3: 25, 4: 53, 5: 81, 6: 109, 7: 137}

# Per CGP key: {PI: state} where state is "selesai", "draf", "terjadwal".
PLAN = {
    "cgp1": {1: "selesai", 2: "selesai", 3: "draf"},
    "cgp-pp1-2": {1: "selesai", 2: "terjadwal", 3: "terjadwal"},
    "cgp-pp1-3": {1: "selesai", 2: "selesai"},
    "cgp-pp2-1": {1: "selesai", 2: "draf"},
    "cgp-pp2-2": {1: "terjadwal"},
}
PLAN_12 = {
    "cgp3": {1: "selesai", 2: "draf"},
    "cgp-pp3-2": {1: "selesai", 2: "selesai"},
    "cgp-pp3-3": {1: "selesai"},
    "cgp-pp2-4": {1: "selesai"},
}

RTL = {
    1: [
        (
            "Menyusun jurnal refleksi mingguan modul 1.1",
            "Jurnal minggu 1–2 terunggah",
            "Minggu ini",
        ),
        ("Mengamati satu pembelajaran rekan sejawat", "Catatan observasi", "Sebelum PI 2"),
    ],
    2: [
        ("Menerapkan budaya positif: kesepakatan kelas", "Kesepakatan kelas tertempel", "2 minggu"),
    ],
    3: [("Merancang aksi nyata modul 1.4", "Rancangan disetujui kepala sekolah", "Sebelum PI 4")],
}

CATATAN = {
    "sudah_baik": "CGP terbuka berbagi praktik dan sudah menyusun tujuan belajar yang jelas.",
    "perlu_ditingkatkan": "Refleksi masih deskriptif; perlu dikaitkan dengan data murid.",
    "catatan": "Sesi berlangsung di ruang guru setelah jam pelajaran.",
}


def _image(color: str, fmt: str = "JPEG") -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 600, 440), outline="white", width=6)
    buf = io.BytesIO()
    image.save(buf, fmt)
    return buf.getvalue()


def _journal(ctx, sesi: SesiPI, state: str) -> None:
    if JurnalPendampingan.objects.filter(sesi=sesi).exists():
        return
    actor = sesi.penugasan.pp.user
    answers = {
        f"langkah_{step['urutan']}": (
            f"Catatan {step['judul'].lower()}: CGP menyampaikan kemajuan dan hambatan."
        )
        for step in sesi.templat.get("langkah", [])
    }
    jurnal = services.jurnal_save_draft(
        actor=actor, sesi=sesi, expected_version=0, data={**answers, **CATATAN}
    )
    for kegiatan, target, waktu in RTL.get(sesi.urutan, []):
        services.rtl_add(actor=actor, sesi=sesi, kegiatan=kegiatan, target=target, waktu=waktu)
    if sesi.urutan > 1:
        for i, item in enumerate(services.rtl_carried_into(sesi)):
            if not item.status:
                services.rtl_mark(
                    actor=actor,
                    item=item,
                    status="terlaksana" if i == 0 else "sebagian",
                    catatan="Sudah berjalan, bukti diunggah." if i == 0 else "Baru sebagian kelas.",
                )
    if state == "selesai":
        services.jurnal_submit(actor=actor, sesi=sesi, expected_version=jurnal.version)
        services.dokumentasi_add(
            actor=actor,
            sesi=sesi,
            uploaded_file=SimpleUploadedFile("foto-sesi.jpg", _image("#2e7d32")),
            jenis=JenisDokumentasi.FOTO,
            keterangan=f"Suasana PI {sesi.urutan}",
        )
        services.dokumentasi_add(
            actor=actor,
            sesi=sesi,
            uploaded_file=SimpleUploadedFile("daftar-hadir.pdf", _image("#ffffff", "PDF")),
            jenis=JenisDokumentasi.DAFTAR_HADIR,
            keterangan="Daftar hadir",
        )


def seed(ctx) -> None:
    _seed_angkatan(ctx, ctx.angkatan["pgp"], LOKAKARYA_OFFSETS, PLAN)
    _seed_angkatan(ctx, ctx.angkatan["pgp12"], LOKAKARYA_OFFSETS_12, PLAN_12)
    try:
        from pendampingan.demo import coaching as demo_coaching
    except ImportError:  # pragma: no cover - coaching demo not present
        return
    demo_coaching.seed(ctx)


def _seed_angkatan(ctx, angkatan, offsets: dict[int, int], plan_per_cgp: dict) -> None:
    today = timezone.localdate()
    for ke, offset in offsets.items():
        JadwalLokakarya.objects.update_or_create(
            angkatan=angkatan, ke=ke, defaults={"tanggal": today + dt.timedelta(days=offset)}
        )
    for key, plan in plan_per_cgp.items():
        penugasan = PenugasanPP.objects.get(angkatan=angkatan, cgp=ctx.orang[key])
        actor = penugasan.pp.user
        for urutan, state in plan.items():
            sesi = services.sesi_get_or_create(actor=actor, penugasan=penugasan, urutan=urutan)
            if not sesi.tanggal:
                deadline = today + dt.timedelta(days=offsets[urutan])
                luring = urutan % 2 == 1
                services.sesi_schedule(
                    actor=actor,
                    sesi=sesi,
                    expected_version=sesi.version,
                    data={
                        "tanggal": deadline - dt.timedelta(days=4),
                        "jam_mulai": dt.time(13, 30),
                        "moda": Moda.LURING if luring else Moda.DARING,
                        "tempat": penugasan.sekolah.nama if luring else "",
                        "tautan": "" if luring else "https://meet.example.id/pi-demo",
                    },
                )
            if state in ("selesai", "draf"):
                _journal(ctx, sesi, state)
