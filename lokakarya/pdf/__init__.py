"""PDFs of lokakarya. This module is autodiscovered (program.apps), so every job
kind of the app is registered from here.

The workshop report is assembled from what the run recorded (agenda times,
attendance, groups, scores, products, reflections, class agreement): nobody
retypes anything. Its cache key is a fingerprint of the data it prints, so
"Laporan PDF" reuses the last file until something changed.
"""

from __future__ import annotations

import contextlib

from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lokakarya import access, charts, selectors
from lokakarya.models import Lokakarya, Moda, PeranPeserta, Peserta
from lokakarya.services.nilai import angka, angka_bertanda, ringkasan_nilai
from lokakarya.services.presensi import rekap_kehadiran
from program.jobs import Job, JobResult, ProgressFn, fingerprint, job_kind
from program.pdf import render_pdf

# The attendance sheet's job kind lives in its own module; importing it here
# registers it (while that module is missing, the report still works).
with contextlib.suppress(ImportError):
    from lokakarya.pdf import presensi as pdf_presensi  # noqa: F401

LAPORAN_KIND = "lokakarya.laporan"


def laporan_data(lok: Lokakarya) -> dict:
    """Everything the report prints, in plain values."""
    agenda = selectors.agenda(lok)
    ringkas = selectors.rencana_vs_jp(agenda, lok)
    peserta = list(selectors.peserta_list(lok))
    rekap = rekap_kehadiran(peserta)
    nilai = ringkasan_nilai(peserta)
    kelompok = list(
        lok.kelompok.order_by("jenis", "nomor").prefetch_related(
            Prefetch(
                "anggota",
                queryset=Peserta.objects.select_related("orang").order_by("orang__nama"),
            )
        )
    )
    produk = list(lok.produk.select_related("kelompok", "sekolah", "berkas").order_by("created_at"))
    komposisi = [
        {"unsur": str(label), "jumlah": sum(1 for p in peserta if p.peran == value)}
        for value, label in PeranPeserta.choices
    ]
    return {
        "lokakarya": {
            "nama": lok.nama,
            "program": lok.program.nama,
            "templat": lok.templat.nama if lok.templat_id else "",
            "kabupaten": lok.kabupaten.nama,
            "moda": str(lok.get_moda_display()),
            "tanggal_mulai": lok.tanggal_mulai,
            "tanggal_selesai": lok.tanggal_selesai,
            "tempat": lok.tempat,
            "tautan": lok.tautan if lok.moda == Moda.DARING else "",
            "fasilitator": [o.nama for o in (lok.fasilitator, lok.fasilitator_2) if o],
            "dua_fasilitator": lok.fasilitator_2_id is not None,
            "jp": lok.jp,
            "menit_jp": lok.menit_jp,
            "kesepakatan": [line for line in lok.kesepakatan_kelas.splitlines() if line.strip()],
        },
        "agenda": [
            {
                "urutan": t.urutan,
                "hari": t.hari,
                "nama": t.nama,
                "pmo": t.jenis == "pmo",
                "fasilitator": t.fasilitator.nama if t.fasilitator_id else "",
                "rencana": t.menit_rencana,
                "aktual": t.menit_aktual,
                "mulai_at": t.mulai_at,
                "selesai_at": t.selesai_at,
                "refleksi": [line.strip() for line in t.refleksi.splitlines() if line.strip()],
            }
            for t in agenda
        ],
        "menit": ringkas,
        "ada_refleksi": any(t.refleksi.strip() for t in agenda),
        "peserta": [
            {
                "nama": p.orang.nama,
                "unsur": str(p.get_peran_display()),
                "instansi": p.sekolah.nama if p.sekolah_id else p.orang.instansi,
                "kehadiran": str(p.get_kehadiran_display()) if p.kehadiran else "",
                "pre": angka(p.nilai_pre),
                "post": angka(p.nilai_post),
                "kenaikan": angka_bertanda(p.kenaikan),
                "punya_nilai": p.nilai_pre is not None or p.nilai_post is not None,
            }
            for p in peserta
        ],
        "komposisi": [k for k in komposisi if k["jumlah"]],
        "kehadiran": {
            "total": rekap.total,
            "datang": rekap.datang,
            "hadir": rekap.hadir,
            "terlambat": rekap.terlambat,
            "tidak_hadir": rekap.tidak_hadir,
            "belum": rekap.belum,
            "persen": rekap.persen,
        },
        "nilai": {
            "n_pre": nilai.n_pre,
            "n_post": nilai.n_post,
            "n_pasangan": nilai.n_pasangan,
            "rata_pre": angka(nilai.rata_pre),
            "rata_post": angka(nilai.rata_post),
            "rata_pre_pasangan": angka(nilai.rata_pre_pasangan),
            "rata_post_pasangan": angka(nilai.rata_post_pasangan),
            "rata_kenaikan": nilai.rata_kenaikan_teks,
        },
        "grafik_data": [(p.orang.nama, p.nilai_pre, p.nilai_post) for p in peserta],
        "grafik_rata": (nilai.rata_pre, nilai.rata_post),
        "kelompok": [
            {
                "jenis": str(k.get_jenis_display()),
                "nama": k.nama,
                "anggota": [
                    {"nama": a.orang.nama, "unsur": str(a.get_peran_display())}
                    for a in k.anggota.all()
                ],
            }
            for k in kelompok
        ],
        "produk": [
            {
                "jenis": str(p.get_jenis_display()),
                "judul": p.judul,
                "kelompok": p.kelompok.nama if p.kelompok_id else "",
                "sekolah": p.sekolah.nama if p.sekolah_id else "",
                "isi": p.isi,
                "berkas": p.berkas.nama_asli if p.berkas_id else "",
            }
            for p in produk
        ],
    }


def laporan_fingerprint(lok: Lokakarya) -> str:
    return fingerprint(laporan_data(lok))


@job_kind(LAPORAN_KIND, _("Laporan lokakarya (PDF)"))
def laporan_pdf(job: Job, progress: ProgressFn) -> JobResult:
    # Scope is checked again at run time: access may have changed since the request.
    lok = access.lokakarya_managed_by(job.requested_by).get(pk=job.params["lokakarya"])
    data = laporan_data(lok)
    progress(40)
    rata_pre, rata_post = data["grafik_rata"]
    content = render_pdf(
        "lokakarya/print/laporan.html",
        {
            **data,
            "judul": _("Laporan %(nama)s") % {"nama": lok.nama},
            "program": lok.program.nama,
            "angkatan": str(lok.angkatan) if lok.angkatan_id else lok.kabupaten.nama,
            "grafik": charts.pre_post_svg(
                data["grafik_data"], rata_pre=rata_pre, rata_post=rata_post
            ),
        },
    )
    return JobResult(
        filename=f"laporan-{slugify(lok.nama)[:40]}-{lok.tanggal_mulai:%Y%m%d}.pdf", content=content
    )
