"""Building a workshop's agenda: add, edit, move and remove stages (the
facilitators and operators who manage the workshop), and save it back as
its template's agenda (operators). Outside that scope: 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lokakarya import access, selectors
from lokakarya.forms import TahapForm
from lokakarya.models import Moda
from lokakarya.services import agenda as services


def _back(lok) -> str:
    return f"{lok.get_absolute_url()}#agenda"


@login_required
@require_POST
def tahap_add(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    form = TahapForm(request.POST, daring=lok.moda == Moda.DARING)
    if form.is_valid():
        tahap = services.tahap_add(actor=request.user, lokakarya=lok, data=form.cleaned_data)
        messages.success(request, _("Tahap “%(nama)s” ditambahkan.") % {"nama": tahap.nama})
        return redirect(_back(lok))
    # What was typed stays: the form comes back with its errors.
    return render(
        request,
        "lokakarya/agenda/tahap.html",
        {"lok": lok, "form": form, "tahap": None},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tahap_edit(request, pk: int, tahap_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    tahap = selectors.tahap_of(lok, tahap_pk)
    form = TahapForm(request.POST or None, instance=tahap, daring=lok.moda == Moda.DARING)
    if request.method == "POST" and form.is_valid():
        services.tahap_update(actor=request.user, tahap=tahap, data=form.cleaned_data)
        messages.success(request, _("Tahap “%(nama)s” tersimpan.") % {"nama": tahap.nama})
        return redirect(_back(lok))
    return render(
        request,
        "lokakarya/agenda/tahap.html",
        {"lok": lok, "form": form, "tahap": tahap},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def tahap_delete(request, pk: int, tahap_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    tahap = selectors.tahap_of(lok, tahap_pk)
    try:
        services.tahap_delete(actor=request.user, tahap=tahap)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("Tahap “%(nama)s” dihapus.") % {"nama": tahap.nama})
    return redirect(_back(lok))


@login_required
@require_POST
def tahap_move(request, pk: int, tahap_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    tahap = selectors.tahap_of(lok, tahap_pk)
    services.tahap_move(actor=request.user, tahap=tahap, naik=request.POST.get("arah") == "naik")
    return redirect(_back(lok))


@login_required
@require_POST
def agenda_save_as_template(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    if not access.is_operator(request.user):
        raise Http404
    try:
        templat = services.agenda_save_as_template(actor=request.user, lokakarya=lok)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Agenda ini kini menjadi agenda templat “%(templat)s”.") % {"templat": templat.nama},
        )
    return redirect(_back(lok))
