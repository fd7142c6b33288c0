"""The workshop report (PDF), assembled from what was recorded during the run."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from lokakarya import pdf, selectors
from program.jobs import job_request


@login_required
@require_POST
def laporan_pdf(request, pk: int):
    """Start (or reuse, if nothing changed) the report job, then show its progress."""
    lok = selectors.lokakarya_for_managing(request.user, pk)
    job = job_request(
        kind=pdf.LAPORAN_KIND,
        actor=request.user,
        params={"lokakarya": lok.pk},
        cache_key=pdf.laporan_fingerprint(lok),
    )
    return redirect(job)
