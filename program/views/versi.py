"""Programme versions for operators: the list (how many PI, which cohorts
follow each, its calendar) and a new version copied from another.

The templates a version owns are edited on their own pages (Templat PI,
a workshop's agenda). Anyone but an operator gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from program import access
from program import versi as services
from program.forms import KalenderVersiFormSet, VersiProgramForm, VersiUbahForm
from program.models import Angkatan, VersiProgram
from program.versioning import HistoryMoved, add_service_errors, show_history_moved


def _operator_or_404(user) -> None:
    if not access.is_operator(user):
        raise Http404


@login_required
@require_GET
def versi_list(request):
    _operator_or_404(request.user)
    return render(request, "program/versi/list.html", {"daftar": services.versi_list()})


@login_required
@require_POST
def jadwal_fill(request, angkatan_pk: int):
    """Fill a cohort's workshop dates from its version's calendar."""
    _operator_or_404(request.user)
    angkatan = get_object_or_404(Angkatan.objects.select_related("versi"), pk=angkatan_pk)
    n = services.jadwal_fill(actor=request.user, angkatan=angkatan)
    if n:
        messages.success(
            request,
            _("%(n)s tanggal lokakarya %(angkatan)s diisi dari kalender versinya.")
            % {"n": n, "angkatan": angkatan.nama},
        )
    else:
        messages.info(
            request,
            _("Tidak ada yang diisi: %(angkatan)s sudah punya semua tanggal kalender versinya.")
            % {"angkatan": angkatan.nama},
        )
    return redirect(f"{reverse('program:versi-list')}#versi-{angkatan.versi_id}")


@login_required
@require_http_methods(["GET", "POST"])
def versi_create(request):
    _operator_or_404(request.user)
    form = VersiProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            versi = services.versi_create(
                actor=request.user,
                program=data["dari"].program,
                nama=data["nama"],
                jumlah_pi=data["jumlah_pi"],
                keterangan=data["keterangan"],
                dari=data["dari"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Versi %(nama)s dibuat dari %(dari)s.") % {"nama": versi, "dari": data["dari"]},
            )
            return redirect("program:versi-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "program/versi/create.html", {"form": form}, status=status)


def _kalender_rows(formset) -> list[tuple[int, int]]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or data.get("ke") is None:
            continue
        rows.append((data["ke"], data["minggu_ke"]))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def versi_edit(request, pk: int):
    """A version's name, PI count, description and calendar, with its history."""
    _operator_or_404(request.user)
    versi = get_object_or_404(VersiProgram.objects.select_related("program"), pk=pk)
    if request.method == "POST":
        form = VersiUbahForm(request.POST)
        formset = KalenderVersiFormSet(request.POST, prefix="kalender")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.versi_update(
                    actor=request.user,
                    versi=VersiProgram.objects.get(pk=versi.pk),
                    riwayat=data["riwayat"],
                    data={k: data[k] for k in ("nama", "jumlah_pi", "keterangan")},
                    kalender=_kalender_rows(formset),
                )
            except HistoryMoved as moved:
                show_history_moved(form, moved, what=_("Versi"))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Versi %(nama)s disimpan.") % {"nama": data["nama"]})
                return redirect(f"{reverse('program:versi-list')}#versi-{versi.pk}")
        status = 400
    else:
        form = VersiUbahForm(
            initial={
                "nama": versi.nama,
                "jumlah_pi": versi.jumlah_pi,
                "keterangan": versi.keterangan,
                "riwayat": services.versi_riwayat(versi),
            }
        )
        formset = KalenderVersiFormSet(
            prefix="kalender",
            initial=[{"ke": k.ke, "minggu_ke": k.minggu_ke} for k in versi.kalender.all()],
        )
        status = 200
    riwayat_list = versi.history.select_related("history_user").order_by("-history_id")[:10]
    return render(
        request,
        "program/versi/edit.html",
        {
            "versi": versi,
            "form": form,
            "formset": formset,
            "riwayat_list": riwayat_list,
            "angkatan": versi.angkatan.order_by("nomor"),
        },
        status=status,
    )
