"""Laporan PMO: one school's PMO for one month, as a PDF job.

The four steps, the actions with their current status and status timeline,
the month's notes, the month's forum pokja record and the facilitator's
feedback of that month. The job's cache key is a fingerprint of the data
printed, so "Unduh PDF" reuses the last file until something changed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo import access, reference
from pmo.models import (
    CatatanBulanan,
    ForumPokja,
    InstrumenPMO,
    PeriodePMO,
    PerubahanStatus,
    Solusi,
    StatusTindakLanjut,
    TindakLanjut,
    TopikPMO,
    UmpanBalik,
)
from program.dates import month_start
from program.jobs import Job, JobResult, ProgressFn, fingerprint, job_kind
from program.pdf import render_pdf

LAPORAN_KIND = "pmo.laporan"


def _nama(user) -> str:
    orang = getattr(user, "orang", None)
    return orang.nama if orang is not None else user.get_username()


def _status_label(value: str) -> str:
    return str(StatusTindakLanjut(value).label) if value in StatusTindakLanjut.values else value


def _jawaban(value: bool | None) -> str:
    if value is None:
        return _("Belum dijawab")
    return _("Ya") if value else _("Tidak")


def _month_bounds(bulan: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(bulan, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(month_start(bulan, months=1), dt.time.min, tzinfo=tz)
    return start, end


def _topik(bulan: dt.date) -> tuple[str, list[tuple[str, bool]]]:
    periode = PeriodePMO.objects.filter(Q(bulan_1=bulan.month) | Q(bulan_2=bulan.month)).first()
    if periode is None:
        return "", []
    topik = TopikPMO.objects.filter(periode=periode, bulan=bulan.month).order_by("urutan")
    return periode.nama, list(topik.values_list("topik", "perkiraan"))


def _forum(forum: ForumPokja) -> dict:
    return {
        "tanggal": forum.tanggal,
        "jp": forum.jp,
        "peserta": [line.strip() for line in forum.peserta.splitlines() if line.strip()],
        "koordinator_hadir": forum.koordinator_hadir,
        "capaian": forum.capaian,
        "target": forum.target,
        "hambatan": forum.hambatan,
        "kesepakatan": forum.kesepakatan,
        # The PMO as discussed at the forum (a snapshot, not today's statuses).
        "keadaan_pmo": [
            {"aktivitas": t.get("aktivitas", ""), "status": _status_label(t.get("status", ""))}
            for t in (forum.keadaan_pmo or {}).get("tindak_lanjut", [])
        ],
    }


def laporan_data(instrumen: InstrumenPMO, bulan: dt.date) -> dict:
    """Everything the report prints, in plain values (also its fingerprint)."""
    bulan = month_start(bulan)
    sekolah = instrumen.sekolah
    langkah = {step["urutan"]: step for step in reference.langkah()}
    kriteria = dict(zip(Solusi.KRITERIA, langkah[3].get("kriteria", []), strict=False))
    periode, topik = _topik(bulan)
    start, end = _month_bounds(bulan)

    actions = list(
        TindakLanjut.objects.filter(instrumen=instrumen)
        .prefetch_related(
            Prefetch(
                "perubahan_status",
                queryset=PerubahanStatus.objects.select_related("oleh__orang").order_by("at", "pk"),
            ),
            Prefetch(
                "catatan_bulanan",
                queryset=CatatanBulanan.objects.filter(bulan=bulan),
                to_attr="catatan_bulan_ini",
            ),
        )
        .order_by(F("mulai").asc(nulls_last=True), "pk")
    )
    forum = ForumPokja.objects.filter(sekolah=sekolah, bulan=bulan).first()
    umpan_balik = UmpanBalik.objects.filter(
        instrumen=instrumen, created_at__gte=start, created_at__lt=end
    ).select_related("oleh__orang", "tindak_lanjut")

    return {
        "sekolah": {
            "nama": sekolah.nama,
            "npsn": sekolah.npsn,
            "kabupaten": sekolah.kabupaten.nama,
        },
        "tahun_ajaran": f"{instrumen.tahun_ajaran}/{instrumen.tahun_ajaran + 1}",
        "siklus": instrumen.siklus,
        "bulan": bulan,
        "periode": periode,
        "topik": topik,
        "nama_langkah": {n: step["nama"] for n, step in langkah.items()},
        "refleksi": {
            "data": instrumen.data_refleksi,
            "tujuan": instrumen.tujuan_sekolah,
            "target": instrumen.target_sekolah,
        },
        "akar_masalah": {
            "subtopik": instrumen.subtopik,
            "masalah_prioritas": instrumen.masalah_prioritas,
            "daftar": [
                {"uraian": a.uraian, "indikator": a.indikator_rapor, "prioritas": a.prioritas}
                for a in instrumen.akar_masalah.order_by("created_at", "pk")
            ],
        },
        "solusi": [
            {
                "uraian": s.uraian,
                "akar_masalah": s.akar_masalah_aktif.uraian if s.akar_masalah_aktif else "",
                "kriteria": [
                    {
                        "pertanyaan": kriteria.get(field, field),
                        "jawaban": _jawaban(getattr(s, field)),
                    }
                    for field in Solusi.KRITERIA
                ],
                "disepakati": s.disepakati,
            }
            for s in instrumen.solusi.select_related("akar_masalah").order_by("pk")
        ],
        "tindak_lanjut": [
            {
                "aktivitas": a.aktivitas,
                "tujuan": a.tujuan,
                "indikator": a.indikator_keberhasilan,
                "mulai": a.mulai,
                "selesai": a.selesai,
                "pihak_terlibat": a.pihak_terlibat,
                "status": a.get_status_display(),
                "status_kode": a.status,
                "diperbarui_at": timezone.localtime(a.diperbarui_at),
                "riwayat": [
                    {
                        "at": timezone.localtime(c.at),
                        "dari": _status_label(c.dari) if c.dari else "",
                        "ke": _status_label(c.ke),
                        "alasan": c.alasan,
                        "oleh": _nama(c.oleh),
                    }
                    for c in a.perubahan_status.all()
                ],
                "catatan": [
                    {
                        "berjalan_baik": c.berjalan_baik,
                        "belum_berjalan": c.belum_berjalan,
                        "kendala": c.kendala,
                        "solusi": c.solusi,
                    }
                    for c in a.catatan_bulan_ini
                ],
            }
            for a in actions
        ],
        "forum": _forum(forum) if forum else None,
        "umpan_balik": [
            {
                "at": timezone.localtime(u.created_at),
                "oleh": _nama(u.oleh),
                "tentang": (
                    u.tindak_lanjut.aktivitas
                    if u.tindak_lanjut
                    else (langkah.get(u.langkah, {}).get("nama", "") if u.langkah else "")
                ),
                "isi": u.isi,
            }
            for u in umpan_balik.order_by("created_at", "pk")
        ],
    }


def laporan_fingerprint(instrumen: InstrumenPMO, bulan: dt.date) -> str:
    return fingerprint(laporan_data(instrumen, bulan))


def parse_bulan(value: str) -> dt.date:
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


@job_kind(LAPORAN_KIND, gettext_lazy("Laporan PMO sekolah (PDF)"))
def laporan_pdf(job: Job, progress: ProgressFn) -> JobResult:
    # Scope is checked again at run time: access may have changed since the request.
    instrumen = (
        InstrumenPMO.objects.select_related("sekolah__kabupaten")
        .filter(sekolah__in=access.sekolah_pmo_visible_to(job.requested_by).values("pk"))
        .get(pk=job.params["instrumen"])
    )
    bulan = parse_bulan(job.params["bulan"])
    data = laporan_data(instrumen, bulan)
    progress(40)
    content = render_pdf(
        "pmo/print/laporan.html",
        {
            **data,
            "judul": _("Laporan PMO Level Sekolah"),
            "program": _("Program Sekolah Penggerak"),
            "angkatan": instrumen.sekolah.nama,
        },
    )
    return JobResult(
        filename=f"laporan-pmo-{instrumen.sekolah.npsn}-{bulan:%Y-%m}.pdf", content=content
    )
