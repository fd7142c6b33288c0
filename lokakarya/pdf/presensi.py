"""The printable daftar hadir (attendance sheet) of a workshop, as a job.

One row per participant with a blank signature column, so the same sheet
serves before the workshop (signed by hand) and after it (statuses filled in).
The cache key is a fingerprint of what is printed: "Cetak" reuses the last
file until a participant or their attendance changes.
"""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lokakarya import access, selectors
from lokakarya.models import Lokakarya, Moda
from lokakarya.services.presensi import rekap_kehadiran
from program.jobs import Job, JobResult, ProgressFn, fingerprint, job_kind
from program.pdf import render_pdf

DAFTAR_HADIR_KIND = "lokakarya.daftar_hadir"


def daftar_hadir_data(lok: Lokakarya) -> dict:
    """Everything the sheet prints, in plain values."""
    peserta = list(selectors.peserta_list(lok))
    rekap = rekap_kehadiran(peserta)
    return {
        "lokakarya": {
            "nama": lok.nama,
            "tanggal_mulai": lok.tanggal_mulai,
            "tanggal_selesai": lok.tanggal_selesai,
            "moda": lok.get_moda_display(),
            "tempat": lok.tautan if lok.moda == Moda.DARING and lok.tautan else lok.tempat,
            "kabupaten": lok.kabupaten.nama,
            "jp": lok.jp,
            "fasilitator": [o.nama for o in (lok.fasilitator, lok.fasilitator_2) if o],
        },
        "rows": [
            {
                "nama": p.orang.nama,
                "unsur": str(p.get_peran_display()),
                "instansi": p.sekolah.nama if p.sekolah else p.orang.instansi,
                "kehadiran": str(p.get_kehadiran_display()) if p.kehadiran else "",
                "check_in_at": p.check_in_at,
            }
            for p in peserta
        ],
        "rekap": {
            "total": rekap.total,
            "datang": rekap.datang,
            "persen": rekap.persen,
            "dicatat": rekap.total - rekap.belum,
        },
    }


def daftar_hadir_fingerprint(lok: Lokakarya) -> str:
    return fingerprint(daftar_hadir_data(lok))


@job_kind(DAFTAR_HADIR_KIND, _("Daftar hadir lokakarya (PDF)"))
def daftar_hadir_pdf(job: Job, progress: ProgressFn) -> JobResult:
    # Scope is checked again at run time: the requester may no longer run it.
    lok = (
        access.lokakarya_managed_by(job.requested_by)
        .select_related("angkatan")
        .get(pk=job.params["lokakarya"])
    )
    data = daftar_hadir_data(lok)
    progress(40)
    content = render_pdf(
        "lokakarya/print/daftar_hadir.html",
        {
            **data,
            "judul": _("Daftar Hadir"),
            "program": lok.program.nama,
            "angkatan": str(lok.angkatan) if lok.angkatan else "",
        },
    )
    slug = slugify(lok.nama)[:40] or "lokakarya"
    return JobResult(
        filename=f"daftar-hadir-{slug}-{lok.tanggal_mulai:%Y%m%d}.pdf", content=content
    )
