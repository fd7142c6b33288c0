"""Inquiry cycles: refleksi awal → perencanaan → implementasi (with formative
assessment) → evaluasi, each stage with notes and evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from komunitas import access, selectors, services
from komunitas.forms import TAHAP_SIKLUS, BuktiSiklusForm, SiklusBaruForm, SiklusTahapForm
from komunitas.models import BuktiSiklus, SiklusInkuiri
from komunitas.views.komunitas import tahap_siklus
from program.uploads import berkas_response
from program.versioning import ConflictError, add_service_errors, service_error_response


def _is_member(user, komunitas) -> bool:
    return access.komunitas_member_of(user).filter(pk=komunitas.pk).exists()


def _daftar_page(request, komunitas, *, form=None, status=200):
    is_editor = selectors.can_edit(request.user, komunitas)
    if is_editor and form is None:
        form = SiklusBaruForm(action=reverse("komunitas:siklus-create", args=[komunitas.pk]))
    siklus_list = komunitas.siklus.annotate(jumlah_bukti=Count("berkas")).order_by("-nomor")
    return render(
        request,
        "komunitas/siklus/daftar.html",
        {
            "komunitas": komunitas,
            "rows": [(s, tahap_siklus(s)) for s in siklus_list],
            "form": form if is_editor else None,
        },
        status=status,
    )


@login_required
@require_GET
def siklus_list(request, pk: int):
    return _daftar_page(request, selectors.komunitas_for_reading(request.user, pk))


@login_required
def siklus_create(request, pk: int):
    komunitas = selectors.komunitas_for_editing(request.user, pk)
    if request.method != "POST":
        return redirect("komunitas:siklus-list", pk=pk)
    form = SiklusBaruForm(
        request.POST,
        instance=SiklusInkuiri(komunitas=komunitas),
        action=reverse("komunitas:siklus-create", args=[pk]),
    )
    if form.is_valid():
        try:
            siklus = services.siklus_save(
                actor=request.user,
                siklus=SiklusInkuiri(komunitas=komunitas),
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Siklus %(n)s dimulai.") % {"n": siklus.nomor})
            return redirect("komunitas:siklus", pk=siklus.pk)
    return _daftar_page(request, komunitas, form=form, status=400)


def _siklus_visible(user, pk: int) -> SiklusInkuiri:
    return access.get_visible_or_404(
        SiklusInkuiri.objects.select_related("komunitas__sekolah", "komunitas__pic").filter(
            komunitas__in=access.komunitas_visible_to(user).values("pk")
        ),
        pk=pk,
    )


def _detail_page(request, siklus, *, bound=None, bukti_form=None, status=200):
    """One card per stage: its notes (a form for members) and its evidence."""
    can_write = _is_member(request.user, siklus.komunitas)
    action = reverse("komunitas:siklus", args=[siklus.pk])
    bukti: dict[str, list] = {}
    for item in siklus.berkas.select_related("berkas"):
        bukti.setdefault(item.tahap, []).append(item)
    stages = []
    for key, label, fields in TAHAP_SIKLUS:
        form = None
        if can_write:
            if bound is not None and bound.tahap == key:
                form = bound
            else:
                form = SiklusTahapForm(
                    instance=siklus, tahap=key, action=action, auto_id=f"id_{key}_%s"
                )
        stages.append(
            {
                "key": key,
                "label": label,
                "notes": [
                    (SiklusInkuiri._meta.get_field(f).verbose_name, getattr(siklus, f))
                    for f in fields
                    if f != "selesai"
                ],
                "form": form,
                "bukti": bukti.get(key, []),
            }
        )
    return render(
        request,
        "komunitas/siklus/detail.html",
        {
            "siklus": siklus,
            "komunitas": siklus.komunitas,
            "stages": stages,
            "tahap_sekarang": tahap_siklus(siklus),
            "can_write": can_write,
            "bukti_form": bukti_form,
        },
        status=status,
    )


@login_required
def detail(request, pk: int):
    siklus = _siklus_visible(request.user, pk)
    if request.method != "POST":
        return _detail_page(request, siklus)
    if not _is_member(request.user, siklus.komunitas):
        raise Http404
    form = SiklusTahapForm(
        request.POST, instance=siklus, action=reverse("komunitas:siklus", args=[pk])
    )
    if form.is_valid():
        try:
            services.siklus_save(
                actor=request.user,
                siklus=siklus,
                expected_version=form.cleaned_data["version"],
                data=form.stage_data(),
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(
                request, form=form, error=error, back_url=reverse("komunitas:siklus", args=[pk])
            ):
                return response
        else:
            messages.success(request, _("Catatan siklus tersimpan."))
            return redirect(f"{reverse('komunitas:siklus', args=[pk])}#{form.tahap}")
    # The form changed the instance while validating: show what is stored.
    siklus.refresh_from_db()
    return _detail_page(request, siklus, bound=form, status=400)


@login_required
@require_POST
def bukti(request, pk: int):
    siklus = _siklus_visible(request.user, pk)
    if not _is_member(request.user, siklus.komunitas):
        raise Http404
    form = BuktiSiklusForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.bukti_siklus_add(
                actor=request.user,
                siklus=siklus,
                tahap=form.cleaned_data["tahap"],
                uploaded_file=form.cleaned_data["berkas"],
                keterangan=form.cleaned_data["keterangan"],
            )
        except ValidationError as error:
            form.add_error("berkas", error)
        else:
            messages.success(request, _("Bukti diunggah."))
            tahap = form.cleaned_data["tahap"]
            return redirect(f"{reverse('komunitas:siklus', args=[pk])}#{tahap}")
    return _detail_page(request, siklus, bukti_form=form, status=400)


@login_required
@require_GET
def berkas(request, pk: int):
    item = access.get_visible_or_404(
        BuktiSiklus.objects.select_related("berkas").filter(
            siklus__komunitas__in=access.komunitas_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    return berkas_response(item.berkas, download=request.GET.get("unduh") == "1")
