"""Tempat sampah of the PMO: deleted root causes, with restore.

Only the school's editors (head, school operator) and operators see them; a
restore URL outside that scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pmo import access, services


@login_required
@require_GET
def sampah(request):
    items = (
        access.akar_masalah_trash_of(request.user)
        .select_related("instrumen__sekolah", "dihapus_oleh__orang")
        .order_by("-dihapus_pada")
    )
    return render(request, "pmo/instrumen/sampah.html", {"akar_masalah_list": items})


@login_required
@require_POST
def akar_masalah_restore(request, pk: int):
    item = access.get_visible_or_404(
        access.akar_masalah_trash_of(request.user).select_related("instrumen__sekolah"), pk=pk
    )
    services.akar_masalah_restore(actor=request.user, item=item)
    messages.success(request, _("Akar masalah dipulihkan."))
    return redirect(f"{item.instrumen.get_absolute_url()}#langkah-2")
