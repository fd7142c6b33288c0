from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from program import access, jobs, selectors, services
from program.forms import ProfilForm
from program.jobs import job_request
from program.models import Jenjang, Job
from program.versioning import ConflictError, conflict_response

SEKOLAH_PER_HALAMAN = 100


@login_required
def beranda(request):
    return render(request, "program/beranda.html", selectors.beranda(request.user))


@login_required
def sekolah_list(request):
    q = request.GET.get("q", "").strip()
    jenjang = request.GET.get("jenjang", "")
    sekolah = selectors.sekolah_list(request.user, q=q, jenjang=jenjang)
    # An operator sees every school of the country (50k): one page at a time.
    page = Paginator(sekolah, SEKOLAH_PER_HALAMAN).get_page(request.GET.get("halaman"))
    query = urlencode({k: v for k, v in {"q": q, "jenjang": jenjang}.items() if v})
    return render(
        request,
        "program/sekolah_list.html",
        {
            "sekolah_list": page.object_list,
            "page": page,
            "query": query,
            "q": q,
            "jenjang": jenjang,
            "jenjang_choices": Jenjang.choices,
        },
    )


@login_required
def sekolah_detail(request, pk: int):
    sekolah = selectors.sekolah_detail(request.user, pk)
    return render(
        request,
        "program/sekolah_detail.html",
        {"sekolah": sekolah, "penugasan": selectors.sekolah_people(sekolah)},
    )


@login_required
def cgp_detail(request, pk: int):
    penugasan = selectors.penugasan_pp_detail(request.user, pk)
    return render(request, "program/cgp_detail.html", {"penugasan": penugasan})


@login_required
def orang_detail(request, pk: int):
    orang = selectors.orang_detail(request.user, pk)
    return render(
        request,
        "program/orang_detail.html",
        {"orang": orang, "can_edit": access.user_can_edit_orang(request.user, orang)},
    )


@login_required
def profil(request):
    orang = access.orang_of(request.user)
    if orang is None:
        raise Http404
    form = ProfilForm(request.POST or None, instance=orang)
    if request.method == "POST" and form.is_valid():
        try:
            services.orang_update(
                actor=request.user,
                orang=orang,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except ConflictError as error:
            return conflict_response(
                request, form=form, error=error, back_url=reverse("program:profil")
            )
        messages.success(request, _("Profil tersimpan."))
        return redirect("program:profil")
    return render(request, "program/profil.html", {"form": form, "orang": orang})


@login_required
@require_POST
def daftar_sekolah_pdf(request):
    job = job_request(kind="program.daftar_sekolah", actor=request.user)
    return redirect(job)


@login_required
def job_detail(request, pk):
    job = jobs.job_as_seen(selectors.job_detail(request.user, pk))
    return render(
        request,
        "program/job_detail.html",
        {
            "job": job,
            "tertunda": jobs.job_is_pending(job),
            "retensi_hari": settings.JOB_FILE_RETENTION_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def job_status(request, pk):
    """The job's state as JSON. A GET only reads; the page's script polls by
    POST, which also does what watching a job may repair: a stuck job is
    recorded failed, a job the broker missed is sent again (jobs.job_refresh)."""
    job = selectors.job_detail(request.user, pk)
    job = jobs.job_refresh(job) if request.method == "POST" else jobs.job_as_seen(job)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "finished": job.is_finished,
            "error": job.error,
            "tertunda": jobs.job_is_pending(job),
            "can_retry": job.status == Job.Status.GAGAL,
            "download_url": reverse("program:job-download", args=[job.pk])
            if job.status == Job.Status.SELESAI and job.result
            else None,
        }
    )


@login_required
@require_POST
def job_retry(request, pk):
    """The "Coba lagi" button: the requester (or an operator) queues a failed job again."""
    job = selectors.job_detail(request.user, pk)
    jobs.job_retry(actor=request.user, job=job)
    return redirect(job)


@login_required
def job_download(request, pk):
    job = selectors.job_detail(request.user, pk)
    if job.status != Job.Status.SELESAI or not job.result:
        raise Http404
    response = FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_name or "hasil"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
