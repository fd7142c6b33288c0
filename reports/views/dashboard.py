"""The region dashboard: PI completion, workshops, PMO and komunitas in one page,
as a PDF job and as table downloads.

For coordinators (their kabupaten/kota) and operators (every region);
everyone else gets a 404. Every number comes from reports.selectors.dashboard
(SQL aggregates, scoped through reports.access).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from program.jobs import job_request
from program.ringkasan import cakupan, nilai, ringkasan
from reports import pdf, tables
from reports.selectors import dashboard as sd

# The page lists this many rows per table; the download has them all.
MAKS_BARIS = 100

FORMAT = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_region(user) -> None:
    if not sd.oversees_region(user):
        raise Http404


def _saringan(request) -> tuple[sd.Pilihan, sd.Saringan, bool]:
    pilihan = sd.pilihan_untuk(request.user, request.GET)
    saringan, invalid = pilihan.saringan(request.GET)
    return pilihan, saringan, invalid


@login_required
@require_GET
def dasbor(request):
    """The page; its numbers and tables come from program.ringkasan (a few
    minutes old at most), the filter above them is the user's own."""
    _require_region(request.user)
    scope = cakupan(request.user)
    # The choices (the region's people above all) are as slow as a table and
    # the same for everyone in the scope: cached alike.
    pilihan = sd.pilihan_untuk(
        request.user,
        request.GET,
        simpan=lambda nama, hitung: nilai(request, nama, cakupan=scope, hitung=hitung),
    )
    saringan, invalid = pilihan.saringan(request.GET)
    query = urlencode(saringan.as_params())

    def hitung() -> str:
        data = sd.dasbor_data(request.user, saringan, pilihan)
        return render_to_string(
            "reports/dasbor/_isi.html",
            {
                **pdf.dasbor_context(data),
                "saringan": saringan,
                "query": query,
                "batas": f":{MAKS_BARIS}",
                "maks_baris": MAKS_BARIS,
            },
        )

    return render(
        request,
        "reports/dasbor/index.html",
        {
            "label_saringan": pilihan.label(saringan),
            "pilihan": pilihan,
            "saringan": saringan,
            "invalid": invalid,
            "query": query,
            "ringkasan": ringkasan(
                request,
                "reports:dasbor",
                cakupan=scope,
                saringan=saringan.as_params(),
                hitung=hitung,
            ),
        },
    )


@login_required
@require_POST
def dasbor_pdf(request):
    """The dashboard as a PDF job; the job keeps the filter, not the rows."""
    _require_region(request.user)
    pilihan, saringan, _invalid = _saringan(request)
    data = sd.dasbor_data(request.user, saringan, pilihan)
    job = job_request(
        kind=pdf.DASBOR_KIND,
        actor=request.user,
        params=saringan.as_params(),
        cache_key=pdf.dasbor_fingerprint(data),
    )
    return redirect(job)


@login_required
@require_GET
def tabel_download(request, nama: str, format: str):
    """One table of the dashboard, filtered like the page, as CSV or XLSX."""
    _require_region(request.user)
    if nama not in tables.TABEL or format not in FORMAT:
        raise Http404
    pilihan, saringan, _invalid = _saringan(request)
    tabel = tables.tabel_bagian(nama, request.user, saringan, pilihan)
    if format == "csv":
        response = StreamingHttpResponse(tables.csv_baris(tabel), content_type=FORMAT["csv"])
    else:
        response = HttpResponse(tables.xlsx_bytes(tabel), content_type=FORMAT["xlsx"])
    filename = f"dasbor-{nama}-{timezone.localdate():%Y-%m-%d}.{format}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
