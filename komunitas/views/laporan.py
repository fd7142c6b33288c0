"""The school's plan for its learning communities as a PDF job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from komunitas import access, pdf
from program.jobs import job_request


@login_required
@require_POST
def laporan_pdf(request, sekolah_pk: int):
    """Start (or reuse, if nothing changed) the plan PDF, then show its progress."""
    sekolah = access.get_visible_or_404(
        access.sekolah_komunitas_visible_to(request.user), pk=sekolah_pk
    )
    job = job_request(
        kind=pdf.RENCANA_KIND,
        actor=request.user,
        params={"sekolah": sekolah.pk},
        cache_key=pdf.rencana_fingerprint(sekolah),
    )
    return redirect(job)
