"""The coordinator's region: the PMO table per school, the escalations to work
through, the table as a CSV job, and the Laporan PMO of one school and month.

Region pages are for coordinators (their kabupaten/kota) and operators;
everyone else gets a 404. The PDF is for every reader of the school's PMO.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pmo import access, exports, pdf, reference, selectors, services
from pmo.forms.wilayah import FilterWilayahForm, TanganiEskalasiForm
from pmo.models import StatusTindakLanjut
from pmo.selectors import wilayah as selectors_wilayah
from program.dates import month_start
from program.jobs import job_request
from program.ringkasan import cakupan, nomor_halaman, ringkasan

SEKOLAH_PER_HALAMAN = 100
# Escalations per page: an operator's list covers the whole country.
ESKALASI_PER_HALAMAN = 30

_BULAN = re.compile(r"^(\d{4})-(\d{1,2})$")


def _require_region(user) -> None:
    if not selectors_wilayah.oversees_region(user):
        raise Http404


def _filter(request) -> tuple[FilterWilayahForm, dict]:
    form = FilterWilayahForm(
        request.GET or None, kabupaten_qs=selectors_wilayah.kabupaten_wilayah(request.user)
    )
    filters = form.filters() if form.is_bound else {"kabupaten": None, "jenjang": ""}
    return form, filters


def _query(filters: dict) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


# An action's status badge (a template `{% include %}` per badge cost more than
# the rest of the row).
_CSS_STATUS = {
    StatusTindakLanjut.SELESAI: "text-bg-success",
    StatusTindakLanjut.TERKENDALA: "text-bg-danger",
    StatusTindakLanjut.BERJALAN: "text-bg-primary",
    StatusTindakLanjut.DIBATALKAN: "text-bg-dark",
}


def _css_status(status: str) -> str:
    return _CSS_STATUS.get(status, "text-bg-secondary")


def _tautan_baris(rows: list, *, tahun: int, siklus: int) -> None:
    """Each row's links, step name and badges, worked out here rather than by
    `{% url %}`, loops and includes in the template."""
    nama_langkah = {s["urutan"]: s["nama"] for s in reference.langkah()}
    for s in rows:
        s.nama_langkah = nama_langkah.get(s.langkah, "")
        s.lencana = [(_css_status(status), label, n) for status, label, n in s.per_status if n]
        s.url_forum = reverse("pmo:forum-list", args=[s.pk])
        if s.instrumen_id:
            s.url_pmo = reverse("pmo:instrumen", args=[s.pk, tahun, siklus])
            s.url_laporan = reverse("pmo:laporan-pdf", args=[s.pk, tahun, siklus])
        else:
            s.url_pmo = reverse("pmo:sekolah", args=[s.pk])
            s.url_laporan = ""


@login_required
@require_GET
def tabel(request):
    """One row per school: step reached, actions by status, months since the
    last update, escalated actions. The table is a program.ringkasan section
    (a few minutes old at most); the filter and the downloads stay fresh."""
    _require_region(request.user)
    form, filters = _filter(request)
    now = timezone.now()
    tahun, siklus = services.periode_pmo(timezone.localdate(now))
    query = _query(filters)
    halaman = nomor_halaman(request)

    def hitung() -> str:
        # The page's schools first, then the annotated rows of those only: the
        # annotations over the whole region before LIMIT took an operator
        # 4.7 s (50k schools), 2 s of it in the paginator's COUNT.
        urutan = selectors_wilayah.urutan_wilayah(request.user, **filters)
        page = Paginator(urutan, SEKOLAH_PER_HALAMAN).get_page(halaman)
        schools = selectors_wilayah.tabel_wilayah(
            request.user, **filters, tahun=tahun, siklus=siklus, now=now
        )
        rows = selectors_wilayah.baris_wilayah(
            schools.filter(pk__in=list(page.object_list)), tahun=tahun, siklus=siklus, now=now
        )
        _tautan_baris(rows, tahun=tahun, siklus=siklus)
        return render_to_string(
            "pmo/wilayah/_tabel.html", {"page": page, "rows": rows, "query": query}
        )

    return render(
        request,
        "pmo/wilayah/tabel.html",
        {
            "form": form,
            "tahun": tahun,
            "siklus": siklus,
            "query": query,
            "eskalasi_bulan": settings.PMO_ESKALASI_BULAN,
            "ringkasan": ringkasan(
                request,
                # The cycle is in the key: on 1 February (and 1 August) the
                # new cycle's table, not the last one's for up to one cache
                # time. "v3": rows and links by cycle.
                f"pmo:wilayah:v3:{tahun}:{siklus}",
                cakupan=cakupan(request.user),
                saringan={**filters, "halaman": halaman if halaman > 1 else None},
                hitung=hitung,
            ),
        },
    )


def _eskalasi_page(request, *, invalid: tuple[int, TanganiEskalasiForm] | None = None):
    form, filters = _filter(request)
    now = timezone.now()
    page = Paginator(
        selectors_wilayah.eskalasi_wilayah(request.user, **filters, now=now), ESKALASI_PER_HALAMAN
    ).get_page(request.GET.get("halaman"))
    items = list(page.object_list)
    for item in items:
        item.bulan_sejak = selectors_wilayah.bulan_sejak(item.diperbarui_at, now)
        item.terkendala = item.status == StatusTindakLanjut.TERKENDALA
        item.css_status = _css_status(item.status)
        if invalid is not None and invalid[0] == item.pk:
            item.form = invalid[1]
        else:
            item.form = TanganiEskalasiForm(auto_id=f"id_%s_{item.pk}")
    return render(
        request,
        "pmo/wilayah/eskalasi.html",
        {
            "form": form,
            "items": items,
            "page": page,
            "query": _query(filters),
            # The form posts back to this page of the list, filter kept.
            "query_halaman": _query(
                {**filters, "halaman": page.number if page.number > 1 else None}
            ),
            "eskalasi_bulan": settings.PMO_ESKALASI_BULAN,
        },
    )


@login_required
@require_GET
def eskalasi(request):
    """The region's escalated actions, oldest update first, to work through."""
    _require_region(request.user)
    return _eskalasi_page(request)


@login_required
@require_POST
def eskalasi_handle(request, pk: int):
    """Mark an escalated action as followed up: it leaves the list until the
    school updates the action again."""
    _require_region(request.user)
    tindak_lanjut = access.get_visible_or_404(
        selectors_wilayah.tindak_lanjut_wilayah(request.user).select_related("instrumen__sekolah"),
        pk=pk,
    )
    form = TanganiEskalasiForm(request.POST, auto_id=f"id_%s_{pk}")
    if form.is_valid():
        try:
            services.eskalasi_handle(
                actor=request.user,
                tindak_lanjut=tindak_lanjut,
                catatan=form.cleaned_data["catatan"],
            )
        except ValidationError as error:
            form.add_error("catatan", error)
    if not form.is_valid():
        return _eskalasi_page(request, invalid=(pk, form))
    messages.success(
        request,
        _("“%(aktivitas)s” (%(sekolah)s) ditandai sudah ditindaklanjuti.")
        % {"aktivitas": tindak_lanjut.aktivitas, "sekolah": tindak_lanjut.instrumen.sekolah.nama},
    )
    _form, filters = _filter(request)
    query = _query({**filters, "halaman": request.GET.get("halaman")})
    return redirect(reverse("pmo:eskalasi") + (f"?{query}" if query else ""))


@login_required
@require_POST
def csv(request):
    """The region table as a CSV job; the job keeps the filter, not the rows."""
    _require_region(request.user)
    _form, filters = _filter(request)
    job = job_request(kind=exports.WILAYAH_CSV_KIND, actor=request.user, params=filters)
    return redirect(job)


def _bulan(value: str | None) -> dt.date:
    if not value:
        return month_start(timezone.localdate())
    match = _BULAN.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise Http404
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


@login_required
@require_POST
def laporan_pdf(request, sekolah_pk: int, tahun: int, siklus: int):
    """Laporan PMO of one school and month (?bulan=YYYY-MM, default this month)
    as a job; reused until the printed data changes."""
    instrumen = selectors.instrumen_for_reading(request.user, sekolah_pk, tahun, siklus)
    bulan = _bulan(request.GET.get("bulan"))
    job = job_request(
        kind=pdf.LAPORAN_KIND,
        actor=request.user,
        params={"instrumen": instrumen.pk, "bulan": f"{bulan:%Y-%m}"},
        cache_key=pdf.laporan_fingerprint(instrumen, bulan),
    )
    return redirect(job)
