"""Exports for coordinators (their region) and operators (everything).

The page lists the export kinds under one filter; each kind's button posts the
filter to `ekspor-mulai`, which stores it in a job and redirects to the job
page with its progress bar. Everyone else gets a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pmo.selectors.wilayah import oversees_region
from program.jobs import job_request
from reports import exports
from reports.filters import EksporForm


def _require_region(user) -> None:
    if not oversees_region(user):
        raise Http404


def _page(request, form: EksporForm, *, status: int = 200):
    return render(
        request,
        "reports/ekspor/index.html",
        {
            "form": form,
            "jenis_list": list(exports.JENIS.values()),
            "retensi_hari": settings.JOB_FILE_RETENTION_DAYS,
        },
        status=status,
    )


# The dashboard's names for its filter, as its "Ekspor" link passes them.
_DARI_DASBOR = {
    "tahun": "tahun_ajaran",
    "angkatan": "angkatan",
    "kabupaten": "kabupaten",
    "orang": "orang",
    "jenjang": "jenjang",
    "tahun_ajaran": "tahun_ajaran",
}


def _initial(data) -> dict:
    """The filter a link or the list's reload carries, as the form's initial
    values (a value outside the choices is simply not selected)."""
    return {field: data[name] for name, field in _DARI_DASBOR.items() if data.get(name)} | (
        {"format": data["format"]} if data.get("format") else {}
    )


@login_required
@require_http_methods(["GET", "POST"])
def ekspor(request):
    """The page; a POST here only reloads it with the PP and facilitators of
    the chosen kabupaten/kota (a region too large to list them all), keeping
    the other choices."""
    _require_region(request.user)
    data = request.POST if request.method == "POST" else request.GET
    return _page(request, EksporForm(initial=_initial(data), user=request.user))


@login_required
@require_POST
def ekspor_start(request, jenis: str):
    _require_region(request.user)
    if jenis not in exports.JENIS:
        raise Http404
    form = EksporForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    job = job_request(
        kind=exports.EKSPOR_KIND,
        actor=request.user,
        params={
            "jenis": jenis,
            "format": form.cleaned_data["format"],
            "filter": form.saringan().to_params(),
        },
    )
    return redirect(job)
