"""The five optimisation stages of a school, and the progress map (peta
kemajuan) of the schools a user reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from komunitas import access, services
from komunitas.forms.karya import TahapForm
from komunitas.models import (
    BuktiTahap,
    KomunitasBelajar,
    SiklusInkuiri,
    StatusTahap,
    Tahap,
    TahapOptimalisasi,
)
from komunitas.services import karya as services_karya
from program.ringkasan import cakupan, nomor_halaman, ringkasan
from program.uploads import berkas_response
from program.versioning import ConflictError, service_error_response

SEKOLAH_PER_HALAMAN = 100


def _tahap_context(request, sekolah, *, bound: dict | None = None) -> dict:
    """The stages with their files, the school's communities with cycle counts,
    and (for editors) one form per stage; `bound` replaces a stage's form."""
    rows = services.tahap_of_school(sekolah)
    files: dict[int, list[BuktiTahap]] = {}
    for bukti in BuktiTahap.objects.filter(tahap__sekolah=sekolah).select_related("berkas"):
        files.setdefault(bukti.tahap_id, []).append(bukti)
    can_edit = access.sekolah_komunitas_editable_by(request.user).filter(pk=sekolah.pk).exists()
    bound = bound or {}
    stages = [
        {
            "row": row,
            "files": files.get(row.pk, []) if row.pk else [],
            "form": (bound.get(row.tahap) or TahapForm(instance=row)) if can_edit else None,
        }
        for row in rows
    ]
    komunitas = (
        KomunitasBelajar.objects.filter(sekolah=sekolah)
        .select_related("pic")
        .annotate(
            jumlah_siklus=Count("siklus", distinct=True),
            siklus_selesai=Count("siklus", filter=Q(siklus__selesai=True), distinct=True),
            jumlah_anggota=Count("anggota", distinct=True),
        )
        .order_by("nama")
    )
    return {
        "sekolah": sekolah,
        "stages": stages,
        "tercapai": sum(1 for r in rows if r.status == StatusTahap.TERCAPAI),
        "komunitas_list": komunitas,
        "can_edit": can_edit,
    }


@login_required
@require_GET
def tahap(request, sekolah_pk: int):
    sekolah = access.get_visible_or_404(
        access.sekolah_komunitas_visible_to(request.user), pk=sekolah_pk
    )
    return render(request, "komunitas/tahap/tahap.html", _tahap_context(request, sekolah))


@login_required
@require_POST
def tahap_save(request, sekolah_pk: int, n: int):
    if n not in Tahap.values:
        raise Http404
    sekolah = access.get_visible_or_404(
        access.sekolah_komunitas_editable_by(request.user), pk=sekolah_pk
    )
    row = TahapOptimalisasi.objects.filter(sekolah=sekolah, tahap=n).first() or (
        TahapOptimalisasi(sekolah=sekolah, tahap=n, version=0)
    )
    form = TahapForm(request.POST, request.FILES, instance=row)
    back = f"{reverse('komunitas:tahap', args=[sekolah.pk])}#tahap-{n}"
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_karya.tahap_save(
                actor=request.user,
                sekolah=sekolah,
                tahap=n,
                expected_version=data["version"],
                status=data["status"],
                bukti=data["bukti"],
                uploaded_file=data["berkas_bukti"],
                keterangan=data["keterangan_berkas"],
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(request, form=form, error=error, back_url=back):
                return response
        else:
            messages.success(request, _("Tahap “%(tahap)s” tersimpan.") % {"tahap": Tahap(n).label})
            return redirect(back)
    return render(
        request,
        "komunitas/tahap/tahap.html",
        _tahap_context(request, sekolah, bound={n: form}),
        status=400,
    )


@login_required
@require_GET
def berkas(request, pk: int):
    bukti = access.get_visible_or_404(
        BuktiTahap.objects.select_related("berkas").filter(
            tahap__sekolah__in=access.sekolah_komunitas_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    return berkas_response(bukti.berkas, download=request.GET.get("unduh") == "1")


# --- progress map ---------------------------------------------------------------------


def _count(queryset, field: str = "sekolah"):
    """A correlated COUNT(*) per school, so that several counts never multiply."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def peta_sekolah(schools):
    """Each school with its five statuses, communities and finished cycles,
    annotated in one query whatever the number of schools."""
    stage = {
        f"tahap_{n}": Coalesce(
            Subquery(
                TahapOptimalisasi.objects.filter(sekolah=OuterRef("pk"), tahap=n).values("status")[
                    :1
                ]
            ),
            Value(StatusTahap.BELUM.value),
        )
        for n in Tahap.values
    }
    return schools.annotate(
        **stage,
        jumlah_komunitas=_count(KomunitasBelajar.objects.all()),
        siklus_selesai=_count(
            SiklusInkuiri.objects.filter(selesai=True), field="komunitas__sekolah"
        ),
    ).order_by("kabupaten__nama", "nama")


def peta_total(schools) -> dict[int, dict[str, int]]:
    """Per stage: how many of the schools reached it, and how many are under way."""
    counts = (
        TahapOptimalisasi.objects.filter(sekolah__in=schools.values("pk"))
        .exclude(status=StatusTahap.BELUM)
        .order_by()
        .values("tahap", "status")
        .annotate(n=Count("pk"))
    )
    total = {n: {"tercapai": 0, "berjalan": 0} for n in Tahap.values}
    for row in counts:
        total[row["tahap"]][row["status"]] = row["n"]
    return total


_CSS_STATUS = {
    StatusTahap.TERCAPAI: "text-bg-success",
    StatusTahap.BERJALAN: "text-bg-warning",
}


def _baris_peta(schools) -> list[dict]:
    """What each row shows, worked out here: the link, the counts in words and
    the five stage cells. A cell is one of 15 (stage × status), built once; per
    row `{% url %}`, `{% blocktranslate %}` and the cell loop were most of the
    page's CPU at 100 schools."""
    label = dict(StatusTahap.choices)
    sel = {
        (n, status): format_html(
            '<td class="text-center p-1"><span class="d-inline-block rounded px-2 py-1 small {}"'
            ' data-status="{}" title="{}">{}<span class="visually-hidden"> {}</span></span></td>',
            _CSS_STATUS.get(status, "text-bg-light border"),
            status,
            _("Tahap %(n)s: %(s)s") % {"n": n, "s": label[status]},
            n,
            label[status],
        )
        for n in Tahap.values
        for status in StatusTahap.values
    }
    return [
        {
            "sekolah": s,
            "url": reverse("komunitas:tahap", args=[s.pk]),
            "keterangan": (
                ngettext("%(n)s komunitas", "%(n)s komunitas", s.jumlah_komunitas)
                % {"n": s.jumlah_komunitas}
                + " · "
                + ngettext("%(n)s siklus selesai", "%(n)s siklus selesai", s.siklus_selesai)
                % {"n": s.siklus_selesai}
            ),
            "sel_html": format_html_join(
                "", "{}", ((sel[(n, getattr(s, f"tahap_{n}"))],) for n in Tahap.values)
            ),
        }
        for s in schools
    ]


@login_required
@require_GET
def peta(request):
    """Coordinators see their region's schools; others the schools they read.

    The map is a program.ringkasan section (a few minutes old at most)."""
    halaman = nomor_halaman(request)

    def hitung() -> str:
        schools = access.sekolah_komunitas_visible_to(request.user)
        page = Paginator(peta_sekolah(schools), SEKOLAH_PER_HALAMAN).get_page(halaman)
        total = peta_total(schools)
        return render_to_string(
            "komunitas/tahap/_peta.html",
            {
                "page": page,
                "rows": _baris_peta(page.object_list),
                "tahap_list": [{"n": t.value, "label": t.label, **total[t.value]} for t in Tahap],
                "jumlah_sekolah": page.paginator.count,
                "statuses": StatusTahap.choices,
            },
        )

    return render(
        request,
        "komunitas/tahap/peta.html",
        {
            "ringkasan": ringkasan(
                request,
                "komunitas:peta",
                # A school's people read their own school: not the region's alone.
                cakupan=cakupan(request.user, hanya_wilayah=False),
                saringan={"halaman": halaman if halaman > 1 else None},
                hitung=hitung,
            )
        },
    )
