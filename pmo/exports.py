"""CSV export of the coordinator's region table, as a job.

The job stores the filter, not ids: it rebuilds the same scoped table for the
requester when it runs, so nobody exports rows they can no longer see.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.models import StatusTindakLanjut
from pmo.selectors.wilayah import baris_wilayah, tabel_wilayah
from pmo.services import periode_pmo
from program.jobs import Job, JobResult, ProgressFn, job_kind
from program.spreadsheet import escape_formula

WILAYAH_CSV_KIND = "pmo.wilayah_csv"


def headers() -> list[str]:
    return [
        _("NPSN"),
        _("Nama sekolah"),
        _("Jenjang"),
        _("Kabupaten/kota"),
        _("Tahun ajaran"),
        _("Siklus PMO"),
        _("Langkah PMO (0–4)"),
        *(
            _("Tindak lanjut %(status)s") % {"status": str(label).lower()}
            for label in StatusTindakLanjut.labels
        ),
        _("Terakhir diperbarui"),
        _("Bulan sejak pembaruan terakhir"),
        _("Tindak lanjut tereskalasi"),
    ]


def wilayah_rows(user, *, kabupaten: int | None = None, jenjang: str = "", now=None) -> list[list]:
    now = now or timezone.now()
    tahun, siklus = periode_pmo(timezone.localdate(now))
    schools = tabel_wilayah(
        user, kabupaten=kabupaten, jenjang=jenjang, tahun=tahun, siklus=siklus, now=now
    )
    return [
        [
            s.npsn,
            s.nama,
            s.get_jenjang_display(),
            s.kabupaten.nama,
            f"{tahun}/{tahun + 1}",
            siklus,
            s.langkah,
            *(n for _status, _label, n in s.per_status),
            (
                timezone.localtime(s.terakhir_diperbarui).strftime("%Y-%m-%d %H:%M")
                if s.terakhir_diperbarui
                else ""
            ),
            "" if s.bulan_sejak is None else s.bulan_sejak,
            s.jumlah_eskalasi,
        ]
        for s in baris_wilayah(schools, tahun=tahun, siklus=siklus, now=now)
    ]


def to_csv(rows: list[list]) -> bytes:
    """UTF-8 with a BOM so that Excel reads the accents; comma-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    writer.writerows([escape_formula(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@job_kind(WILAYAH_CSV_KIND, gettext_lazy("Tabel PMO wilayah (CSV)"))
def wilayah_csv(job: Job, progress: ProgressFn) -> JobResult:
    rows = wilayah_rows(
        job.requested_by,
        kabupaten=job.params.get("kabupaten"),
        jenjang=job.params.get("jenjang") or "",
    )
    progress(60)
    return JobResult(
        filename=f"pmo-wilayah-{timezone.localdate():%Y-%m-%d}.csv", content=to_csv(rows)
    )
