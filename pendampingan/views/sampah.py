"""Tempat sampah: the PP's deleted RTL items and documentation, with restore.

Only whoever may delete an item (the CGP's PP, operators) sees it here; for
everyone else a restore URL is a 404 like any object outside their scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pendampingan import access, selectors, services


@login_required
@require_GET
def sampah(request):
    rtl, dokumentasi = selectors.trash_of(request.user)
    return render(
        request, "pendampingan/sampah.html", {"rtl_list": rtl, "dokumentasi_list": dokumentasi}
    )


@login_required
@require_POST
def rtl_restore(request, pk: int):
    item = access.get_visible_or_404(
        access.rtl_trash_of(request.user).select_related("sesi"), pk=pk
    )
    services.rtl_restore(actor=request.user, item=item)
    messages.success(request, _("Rencana “%(kegiatan)s” dipulihkan.") % {"kegiatan": item.kegiatan})
    return redirect(f"{item.sesi.get_absolute_url()}#rtl")


@login_required
@require_POST
def dokumentasi_restore(request, pk: int):
    dok = access.get_visible_or_404(
        access.dokumentasi_trash_of(request.user).select_related("sesi", "berkas"), pk=pk
    )
    services.dokumentasi_restore(actor=request.user, dokumentasi=dok)
    messages.success(request, _("Dokumentasi “%(nama)s” dipulihkan.") % {"nama": str(dok)})
    return redirect(f"{dok.sesi.get_absolute_url()}#dokumentasi")
