"""The Fasilitator PGP's online classes (LMS): who is in each, their PP, and
the jurnal komunikasi the PP wrote about them.

The class facilitator is a PGP role of its own (program.KelasDaring), not the
PSP's Pelatih Ahli; everyone without a class (operators aside) gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pendampingan import access
from pendampingan.models import JenisCatatan
from program.models import PenugasanPP

# An operator sees every class: one page of them at a time.
KELAS_PER_HALAMAN = 20


@login_required
@require_GET
def kelas_list(request):
    kelas = access.kelas_daring_visible_to(request.user).order_by(
        "-angkatan__tanggal_mulai", "nama", "pk"
    )
    if not access.is_operator(request.user) and not kelas.exists():
        raise Http404
    komunikasi = Q(catatan__jenis=JenisCatatan.KOMUNIKASI)
    anggota = (
        PenugasanPP.objects.select_related("cgp", "pp", "sekolah")
        .annotate(
            n_komunikasi=Count("catatan", filter=komunikasi),
            terakhir=Max("catatan__tanggal", filter=komunikasi),
        )
        .order_by("cgp__nama", "pk")
    )
    kelas = kelas.prefetch_related(Prefetch("penugasan", queryset=anggota))[:KELAS_PER_HALAMAN]
    return render(request, "pendampingan/kelas/list.html", {"kelas_list": kelas})
