"""PI templates for operators: what each one's guidance lacks, and applying
an edited template to the sessions that have not started (after a preview).

Editing a template's text is still the admin's (linked from here). Anyone
but an operator gets a 404, like any page outside their scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pendampingan import access
from pendampingan.models import TemplatPI
from pendampingan.services import templat as services


def _operator_or_404(user) -> None:
    if not access.is_operator(user):
        raise Http404


@login_required
@require_http_methods(["GET"])
def templat_list(request):
    _operator_or_404(request.user)
    rows = [
        {"templat": t, "kekurangan": t.kekurangan()}
        for t in TemplatPI.objects.prefetch_related("langkah")
    ]
    return render(request, "pendampingan/templat/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def templat_apply(request, urutan: int):
    """GET: how many sessions would get the template now; POST: do it."""
    _operator_or_404(request.user)
    penerapan = services.templat_penerapan(urutan)
    if penerapan is None:
        raise Http404
    if request.method == "POST":
        n = services.templat_apply(actor=request.user, urutan=urutan)
        messages.success(
            request,
            _("Templat PI %(urutan)s diterapkan ke %(n)s sesi yang belum dimulai.")
            % {"urutan": urutan, "n": n},
        )
        return redirect("pendampingan:templat-list")
    return render(
        request,
        "pendampingan/templat/terapkan.html",
        {
            "templat": penerapan.templat,
            "kekurangan": penerapan.templat.kekurangan(),
            "jumlah_diperbarui": len(penerapan.diperbarui),
            "jumlah_dipertahankan": penerapan.dipertahankan,
        },
    )
