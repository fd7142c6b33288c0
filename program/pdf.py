"""PDF rendering: a template and its context become PDF bytes (WeasyPrint).

Print templates extend `print/base.html` (A4, header with programme and
cohort, footer with page numbers and generation time). Job kinds of this app
that produce PDFs are registered at the bottom.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from program import access
from program.jobs import Job, JobResult, ProgressFn, job_kind


@functools.cache
def _font_config():
    # Building the font configuration scans the system's fonts; once per process.
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    context = {"generated_at": timezone.localtime(), **context}
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"))
    return document.write_pdf(font_config=_font_config())


@job_kind("program.daftar_sekolah", _("Daftar sekolah (PDF)"))
def daftar_sekolah_pdf(job: Job, progress: ProgressFn) -> JobResult:
    """The schools the requester can see, with their people by role."""
    sekolah = list(
        access.sekolah_visible_to(job.requested_by)
        .prefetch_related("penugasan__orang")
        .order_by("kabupaten__nama", "nama")
    )
    progress(50)
    content = render_pdf(
        "program/print/daftar_sekolah.html",
        {"sekolah_list": sekolah, "judul": _("Daftar Sekolah"), "peminta": job.requested_by},
    )
    return JobResult(filename="daftar-sekolah.pdf", content=content)
