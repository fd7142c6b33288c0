"""The region dashboard as a PDF report (job "reports.dasbor").

The job stores the filter (plain values), never row ids: when it runs it
rebuilds the same scoped numbers for the requester, so a report never shows
what they can no longer see. The same charts (inline SVG) and tables as the
page. The cache key is a fingerprint of the numbers printed, so asking again
for unchanged data reuses the earlier file.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.jobs import Job, JobResult, ProgressFn, fingerprint, job_kind
from program.pdf import render_pdf
from reports import charts, tables
from reports.selectors import dashboard as sd

DASBOR_KIND = "reports.dasbor"


def dasbor_fingerprint(data: sd.DataDasbor) -> str:
    return fingerprint(data.as_plain())


def dasbor_context(data: sd.DataDasbor) -> dict:
    """What the page and the PDF both show: data, charts, tables."""
    return {
        "data": data,
        "grafik": charts.grafik_dasbor(data),
        # Keyed pi_pp, pmo_status, …: a template cannot look up "pi-pp".
        "tabel": {k.replace("-", "_"): t for k, t in tables.tabel_dasbor(data).items()},
        "ringkas": tables.angka_ringkas(data),
        "maks_batang": charts.MAKS_BATANG,
        "keadaan_pi": [
            (sd.KeadaanPI.LABELS[k], sd.KeadaanPI.PENJELASAN[k]) for k in sd.KeadaanPI.LABELS
        ],
    }


@job_kind(DASBOR_KIND, gettext_lazy("Laporan dasbor wilayah (PDF)"))
def dasbor_pdf(job: Job, progress: ProgressFn) -> JobResult:
    user = job.requested_by
    # Scope is checked again at run time: the requester may have lost the region.
    if not sd.oversees_region(user):
        raise PermissionDenied
    pilihan = sd.pilihan_untuk(user, job.params)
    saringan, _invalid = pilihan.saringan(job.params)
    data = sd.dasbor_data(user, saringan, pilihan)
    progress(40)
    content = render_pdf(
        "reports/print/dasbor.html",
        {
            **dasbor_context(data),
            "judul": _("Laporan Dasbor Wilayah"),
            # print/base.html's top-right header: the period printed.
            "angkatan": " · ".join(value for _label, value in data.label_saringan[:2]),
        },
    )
    return JobResult(filename=f"dasbor-wilayah-{data.hari:%Y-%m-%d}.pdf", content=content)
