"""PDFs of pendampingan: the journal of one session and the PP's PI report.

Both are jobs (program.jobs). Their cache key is a fingerprint of the data
they print, so "Unduh PDF" reuses the last file until something changed.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from pendampingan import access
from pendampingan.models import Dokumentasi, JenisDokumentasi, SesiPI, TemplatPI
from pendampingan.services import jurnal_of, rtl_carried_into
from program.jobs import Job, JobResult, ProgressFn, fingerprint, job_kind
from program.pdf import render_pdf

JURNAL_KIND = "pendampingan.jurnal"
LAPORAN_KIND = "pendampingan.laporan"


def _file_uri(berkas) -> str:
    return Path(berkas.file.path).as_uri()


def jurnal_data(sesi: SesiPI) -> dict:
    """Everything the journal PDF prints, in plain values."""
    jurnal = jurnal_of(sesi)
    langkah = [
        {**step, "jawaban": jurnal.jawaban.get(str(step["urutan"]), "")}
        for step in sesi.templat.get("langkah", [])
    ]
    return {
        "sesi": {
            "urutan": sesi.urutan,
            "tema": sesi.tema,
            "fokus": sesi.templat.get("fokus", []),
            "tanggal": sesi.tanggal,
            "jam_mulai": sesi.jam_mulai,
            "moda": sesi.get_moda_display() if sesi.moda else "",
            "tempat": sesi.tempat or sesi.tautan,
            "dikonfirmasi_cgp_at": sesi.dikonfirmasi_cgp_at,
            "komentar_cgp": sesi.komentar_cgp,
        },
        "cgp": sesi.penugasan.cgp.nama,
        "pp": sesi.penugasan.pp.nama,
        "sekolah": sesi.penugasan.sekolah.nama,
        "angkatan": str(sesi.penugasan.angkatan),
        "jurnal": {
            "status": jurnal.get_status_display(),
            "diajukan_at": jurnal.diajukan_at,
            "sudah_baik": jurnal.sudah_baik,
            "perlu_ditingkatkan": jurnal.perlu_ditingkatkan,
            "catatan": jurnal.catatan,
            "version": jurnal.version,
        },
        "langkah": langkah,
        "rtl": [
            {"kegiatan": r.kegiatan, "target": r.target, "waktu": r.waktu}
            for r in sesi.rtl.order_by("created_at", "pk")
        ],
        "rtl_sebelumnya": [
            {
                "kegiatan": r.kegiatan,
                "status": r.get_status_display(),
                "catatan": r.catatan_status,
            }
            for r in rtl_carried_into(sesi)
        ],
        # Pictures as thumbnails with their captions; other files by name.
        "dokumentasi": [
            {
                "pk": d.pk,
                "jenis": d.get_jenis_display(),
                "keterangan": d.keterangan,
                "nama": d.berkas.nama_asli,
                "uri": _file_uri(d.thumbnail or d.berkas) if d.berkas.is_image else "",
            }
            for d in sesi.dokumentasi.select_related("berkas", "thumbnail").order_by("created_at")
        ],
    }


def jurnal_fingerprint(sesi: SesiPI) -> str:
    return fingerprint(jurnal_data(sesi))


@job_kind(JURNAL_KIND, _("Jurnal pendampingan (PDF)"))
def jurnal_pdf(job: Job, progress: ProgressFn) -> JobResult:
    # Scope is checked again at run time: access may have changed since the request.
    sesi = (
        access.sesi_pi_content_visible_to(job.requested_by)
        .select_related(
            "penugasan__cgp", "penugasan__pp", "penugasan__sekolah", "penugasan__angkatan__program"
        )
        .get(pk=job.params["sesi"])
    )
    data = jurnal_data(sesi)
    progress(40)
    content = render_pdf(
        "pendampingan/print/jurnal.html",
        {
            **data,
            "judul": _("Jurnal Pendampingan Individu %(n)s") % {"n": sesi.urutan},
            "program": sesi.penugasan.angkatan.program.nama,
            "angkatan": data["angkatan"],
        },
    )
    slug = "".join(c if c.isalnum() else "-" for c in sesi.penugasan.cgp.nama.lower()).strip("-")
    return JobResult(filename=f"jurnal-pi{sesi.urutan}-{slug[:40]}.pdf", content=content)


def laporan_sessions(user, urutan: int):
    return list(
        access.sesi_pi_editable_by(user)
        .filter(urutan=urutan, penugasan__pp=access.orang_of(user))
        .select_related(
            "penugasan__cgp", "penugasan__sekolah", "penugasan__angkatan__program", "jurnal"
        )
        .prefetch_related(
            "rtl",
            Prefetch(
                "dokumentasi",
                queryset=Dokumentasi.objects.select_related("berkas", "thumbnail").order_by(
                    "created_at"
                ),
            ),
        )
        .order_by("penugasan__cgp__nama")
    )


def laporan_data(user, urutan: int) -> dict:
    sessions = laporan_sessions(user, urutan)
    rows = []
    for s in sessions:
        jurnal = getattr(s, "jurnal", None)
        dokumentasi = list(s.dokumentasi.all())
        rows.append(
            {
                "cgp": s.penugasan.cgp.nama,
                "sekolah": s.penugasan.sekolah.nama,
                "tanggal": s.tanggal,
                "moda": s.get_moda_display() if s.moda else "",
                "tempat": s.tempat or s.tautan,
                "selesai": bool(jurnal and jurnal.is_submitted),
                "sudah_baik": jurnal.sudah_baik if jurnal else "",
                "perlu_ditingkatkan": jurnal.perlu_ditingkatkan if jurnal else "",
                "catatan": jurnal.catatan if jurnal else "",
                "rtl": [r.kegiatan for r in s.rtl.all()],
                "foto": [
                    {"uri": _file_uri(d.thumbnail or d.berkas), "keterangan": d.keterangan}
                    for d in dokumentasi
                    if d.berkas.is_image and d.jenis != JenisDokumentasi.DAFTAR_HADIR
                ],
                "daftar_hadir": [
                    {
                        "nama": d.berkas.nama_asli,
                        "uri": _file_uri(d.thumbnail or d.berkas) if d.berkas.is_image else "",
                    }
                    for d in dokumentasi
                    if d.jenis == JenisDokumentasi.DAFTAR_HADIR
                ],
                "version": (s.version, jurnal.version if jurnal else 0),
            }
        )
    first = sessions[0] if sessions else None
    templat = None
    if first is None:
        # Without sessions, the tema of PI `urutan` in the versions the PP's cohorts follow.
        templat = (
            TemplatPI.objects.filter(
                urutan=urutan, versi__angkatan__penugasan_pp__pp=access.orang_of(user)
            )
            .distinct()
            .first()
        )
    return {
        "urutan": urutan,
        "tema": first.tema if first else (templat.tema if templat else ""),
        "fokus": first.templat.get("fokus", []) if first else [],
        "tujuan": first.templat.get("tujuan", "") if first else "",
        "waktu": first.templat.get("waktu", "") if first else "",
        "angkatan": str(first.penugasan.angkatan) if first else "",
        "program": first.penugasan.angkatan.program.nama if first else "",
        "pp": access.orang_of(user).nama if access.orang_of(user) else user.get_username(),
        "rows": rows,
        "jumlah_cgp": len(rows),
        "jumlah_selesai": sum(1 for r in rows if r["selesai"]),
    }


def laporan_fingerprint(sesi_qs) -> str:
    return fingerprint(
        [
            (
                s.pk,
                s.version,
                getattr(getattr(s, "jurnal", None), "version", 0),
                [(r.pk, r.kegiatan) for r in s.rtl.all()],
                [d.pk for d in s.dokumentasi.all()],
            )
            for s in sesi_qs
        ]
    )


@job_kind(LAPORAN_KIND, _("Laporan pendampingan individu (PDF)"))
def laporan_pdf(job: Job, progress: ProgressFn) -> JobResult:
    urutan = int(job.params["urutan"])
    data = laporan_data(job.requested_by, urutan)
    progress(40)
    content = render_pdf(
        "pendampingan/print/laporan.html",
        {
            **data,
            "judul": _("Laporan Pendampingan Individu %(n)s") % {"n": urutan},
        },
    )
    return JobResult(filename=f"laporan-pendampingan-individu-{urutan}.pdf", content=content)
