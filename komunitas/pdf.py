"""Rencana pengembangan komunitas belajar: one school's plan as a PDF job.

The five stages with status, evidence and date; then each community with its
PIC and members, meeting schedule (rule and next dates), current inquiry
cycle, RTL with progress and the latest guideline version. The job's cache
key is a fingerprint of the data printed, so "Unduh PDF" reuses the last file
until something changed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from komunitas import access, services
from komunitas.models import (
    BuktiTahap,
    Frekuensi,
    Hari,
    KomunitasBelajar,
    RencanaAksi,
    SiklusInkuiri,
    VersiPedoman,
)
from program.jobs import Job, JobResult, ProgressFn, fingerprint, job_kind
from program.models import Orang
from program.pdf import render_pdf

RENCANA_KIND = "komunitas.rencana"
JADWAL_BERIKUT = 3  # next meeting dates printed per schedule
JADWAL_HARI = 120  # how far ahead to look for them

_KE = {
    1: gettext_lazy("pertama"),
    2: gettext_lazy("kedua"),
    3: gettext_lazy("ketiga"),
    4: gettext_lazy("keempat"),
    5: gettext_lazy("kelima"),
    -1: gettext_lazy("terakhir"),
}

_FASE = (
    ("refleksi_awal", gettext_lazy("Refleksi awal")),
    ("perencanaan", gettext_lazy("Perencanaan")),
    ("implementasi", gettext_lazy("Implementasi")),
    ("evaluasi", gettext_lazy("Evaluasi")),
)


def aturan_jadwal(jadwal) -> str:
    """The rule in words, e.g. "Kamis kedua setiap bulan, 14.00 (90 menit)"."""
    hari = Hari(jadwal.hari).label
    jam = {"jam": jadwal.jam_mulai.strftime("%H.%M"), "menit": jadwal.durasi_menit}
    if jadwal.frekuensi == Frekuensi.BULANAN:
        text = _("%(hari)s %(ke)s setiap bulan") % {
            "hari": hari,
            "ke": _KE.get(jadwal.minggu_ke or 1, jadwal.minggu_ke),
        }
    elif jadwal.frekuensi == Frekuensi.DUA_MINGGUAN:
        text = _("Setiap dua minggu, hari %(hari)s") % {"hari": hari}
    else:
        text = _("Setiap %(hari)s") % {"hari": hari}
    text += _(", pukul %(jam)s (%(menit)s menit)") % jam
    if jadwal.tempat:
        text += f", {jadwal.tempat}"
    return text


def _siklus_kini(cycles: list[SiklusInkuiri]) -> dict | None:
    """The first unfinished cycle (else the last one) and the phase it is in."""
    if not cycles:
        return None
    current = next((c for c in cycles if not c.selesai), cycles[-1])
    filled = [label for field, label in _FASE if getattr(current, field).strip()]
    return {
        "nomor": current.nomor,
        "fokus": current.fokus,
        "selesai": current.selesai,
        "fase": str(filled[-1]) if filled else "",
        "jumlah_selesai": sum(1 for c in cycles if c.selesai),
        "jumlah": len(cycles),
        "version": current.version,
    }


def rencana_data(sekolah, *, today: dt.date | None = None) -> dict:
    """Everything the plan prints, in plain values (a fixed number of queries)."""
    today = today or timezone.localdate()
    files: dict[int, list[str]] = {}
    for bukti in BuktiTahap.objects.filter(tahap__sekolah=sekolah).select_related("berkas"):
        files.setdefault(bukti.tahap_id, []).append(bukti.keterangan or bukti.berkas.nama_asli)
    tahap = [
        {
            "n": row.tahap,
            "nama": row.get_tahap_display(),
            "status": row.get_status_display(),
            "status_value": row.status,
            "bukti": row.bukti,
            "berkas": files.get(row.pk, []) if row.pk else [],
            "tanggal": row.tanggal_tercapai,
        }
        for row in services.tahap_of_school(sekolah)
    ]
    komunitas = list(
        KomunitasBelajar.objects.filter(sekolah=sekolah)
        .select_related("pic")
        .prefetch_related(
            Prefetch("anggota", queryset=Orang.objects.order_by("nama")),
            "jadwal",
            Prefetch("siklus", queryset=SiklusInkuiri.objects.order_by("nomor")),
            Prefetch("rencana_aksi", queryset=RencanaAksi.objects.order_by("waktu", "pk")),
        )
        .order_by("nama")
    )
    latest: dict[int, VersiPedoman] = {}
    for versi in (
        VersiPedoman.objects.filter(pedoman__komunitas__sekolah=sekolah)
        .select_related("pedoman")
        .order_by("pedoman_id", "-nomor")
    ):
        latest.setdefault(versi.pedoman.komunitas_id, versi)
    end = today + dt.timedelta(days=JADWAL_HARI)
    rows = []
    for k in komunitas:
        versi = latest.get(k.pk)
        rows.append(
            {
                "nama": k.nama,
                "jenis": k.get_jenis_display(),
                "cakupan": k.get_cakupan_display(),
                "pic": k.pic.nama,
                "anggota": [o.nama for o in k.anggota.all()],
                "tujuan": k.tujuan,
                "terdaftar_pmm": k.terdaftar_pmm,
                "tautan_pmm": k.tautan_pmm,
                "jadwal": [
                    {
                        "aturan": aturan_jadwal(j),
                        "berikut": services.occurrences(j, today, end)[:JADWAL_BERIKUT],
                    }
                    for j in k.jadwal.all()
                ],
                "siklus": _siklus_kini(list(k.siklus.all())),
                "rtl": [
                    {
                        "kegiatan": r.kegiatan,
                        "siapa": r.penanggung_jawab,
                        "waktu": r.waktu,
                        "indikator": r.indikator,
                        "progres": r.progres,
                    }
                    for r in k.rencana_aksi.all()
                ],
                "pedoman": {
                    "judul": versi.pedoman.judul,
                    "nomor": versi.nomor,
                    "isi": versi.isi,
                    "berkas": bool(versi.berkas_id),
                    "catatan_revisi": versi.catatan_revisi,
                    "tanggal": versi.created_at,
                }
                if versi
                else None,
                "version": k.version,
            }
        )
    return {
        "sekolah": {
            "nama": sekolah.nama,
            "npsn": sekolah.npsn,
            "kabupaten": sekolah.kabupaten.nama,
        },
        "tanggal": today,
        "tahap": tahap,
        "jumlah_tercapai": sum(1 for t in tahap if t["status_value"] == "tercapai"),
        "komunitas": rows,
    }


def rencana_fingerprint(sekolah) -> str:
    return fingerprint(rencana_data(sekolah))


@job_kind(RENCANA_KIND, gettext_lazy("Rencana pengembangan komunitas belajar (PDF)"))
def rencana_pdf(job: Job, progress: ProgressFn) -> JobResult:
    # Scope is checked again at run time: access may have changed since the request.
    sekolah = access.sekolah_komunitas_visible_to(job.requested_by).get(pk=job.params["sekolah"])
    data = rencana_data(sekolah)
    progress(40)
    content = render_pdf(
        "komunitas/print/rencana.html",
        {
            **data,
            "judul": _("Rencana Pengembangan Komunitas Belajar"),
            "angkatan": sekolah.nama,
            "tanggal_label": date_format(data["tanggal"], "j F Y"),
        },
    )
    slug = "".join(c if c.isalnum() else "-" for c in sekolah.nama.lower()).strip("-")
    return JobResult(filename=f"rencana-komunitas-{slug[:40]}.pdf", content=content)
