"""PI templates for operators, per programme version: what each one's
guidance lacks, editing it (with its history), and applying an edited
template to the sessions that have not started (after a preview).

Anyone but an operator gets a 404, like any page outside their scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pendampingan import access
from pendampingan.forms.templat import LangkahFormSet, TemplatPIForm
from pendampingan.models import TemplatPI
from pendampingan.services import templat as services
from program.models import VersiProgram
from program.versioning import HistoryMoved, show_history_moved


def _operator_or_404(user) -> None:
    if not access.is_operator(user):
        raise Http404


def _templat_or_404(user, pk: int) -> TemplatPI:
    _operator_or_404(user)
    return get_object_or_404(
        TemplatPI.objects.select_related("versi__program").prefetch_related("langkah"), pk=pk
    )


@login_required
@require_GET
def templat_list(request):
    """Every version with PI (PGP), its PI 1…N: template complete, lacking, or not made yet."""
    _operator_or_404(request.user)
    templat = {}
    for t in TemplatPI.objects.prefetch_related("langkah"):
        templat[(t.versi_id, t.urutan)] = t
    daftar = []
    for versi in (
        VersiProgram.objects.filter(jumlah_pi__gt=0)
        .select_related("program")
        .prefetch_related("angkatan")
        .order_by("program__kode", "pk")
    ):
        rows = []
        for n in versi.pi_numbers:
            t = templat.get((versi.pk, n))
            rows.append({"urutan": n, "templat": t, "kekurangan": t.kekurangan() if t else None})
        daftar.append({"versi": versi, "rows": rows})
    return render(request, "pendampingan/templat/list.html", {"daftar": daftar})


@login_required
@require_POST
def templat_create(request, versi_pk: int, urutan: int):
    """An empty template for a PI number its version has but no template yet."""
    _operator_or_404(request.user)
    versi = get_object_or_404(VersiProgram, pk=versi_pk)
    try:
        templat = services.templat_create_empty(actor=request.user, versi=versi, urutan=urutan)
    except ValidationError:
        raise Http404 from None
    return redirect("pendampingan:templat-edit", templat.pk)


def _langkah_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("judul"):
            continue
        row = {k: data[k] for k in ("urutan", "bagian", "judul", "menit", "kegiatan", "pertanyaan")}
        row["id"] = data["id"].pk if data.get("id") else None
        rows.append(row)
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def templat_edit(request, pk: int):
    templat = _templat_or_404(request.user, pk)
    riwayat = services.templat_riwayat(templat)
    if request.method == "POST":
        form = TemplatPIForm(request.POST, instance=templat)
        formset = LangkahFormSet(request.POST, instance=templat, prefix="langkah")
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "riwayat"}
            try:
                services.templat_update(
                    actor=request.user,
                    templat=TemplatPI.objects.get(pk=templat.pk),
                    riwayat=form.cleaned_data["riwayat"],
                    data=data,
                    langkah=_langkah_rows(formset),
                )
            except HistoryMoved as moved:
                show_history_moved(form, moved, what=_("Templat"))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Templat PI %(n)s (%(versi)s) disimpan.")
                    % {"n": templat.urutan, "versi": templat.versi},
                )
                return redirect("pendampingan:templat-list")
        status = 400
    else:
        form = TemplatPIForm(instance=templat, initial={"riwayat": riwayat})
        formset = LangkahFormSet(instance=templat, prefix="langkah")
        status = 200
    riwayat_list = templat.history.select_related("history_user").order_by("-history_id")[:10]
    return render(
        request,
        "pendampingan/templat/edit.html",
        {
            "templat": templat,
            "form": form,
            "formset": formset,
            "kekurangan": templat.kekurangan(),
            "riwayat_list": riwayat_list,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def templat_apply(request, pk: int):
    """GET: how many sessions would get the template now; POST: do it."""
    templat = _templat_or_404(request.user, pk)
    if request.method == "POST":
        n = services.templat_apply(actor=request.user, templat=templat)
        messages.success(
            request,
            _("Templat PI %(urutan)s diterapkan ke %(n)s sesi yang belum dimulai.")
            % {"urutan": templat.urutan, "n": n},
        )
        return redirect("pendampingan:templat-list")
    penerapan = services.templat_penerapan(templat)
    return render(
        request,
        "pendampingan/templat/terapkan.html",
        {
            "templat": templat,
            "kekurangan": templat.kekurangan(),
            "jumlah_diperbarui": len(penerapan.diperbarui),
            "jumlah_dipertahankan": penerapan.dipertahankan,
        },
    )
