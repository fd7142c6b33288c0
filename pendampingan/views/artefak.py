"""The CGP's artefacts (peta posisi diri, rencana pengembangan diri, kerangka
portofolio): one page per CGP, read by whoever may see the pair; the CGP
writes, their PP comments. Outside those scopes: 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pendampingan import access
from pendampingan.forms.artefak import PANDUAN, ArtefakForm, KomentarArtefakForm
from pendampingan.models import JenisArtefak
from pendampingan.services import artefak as services
from program.versioning import ConflictError, conflict_response


def _jenis_or_404(jenis: str) -> str:
    if jenis not in JenisArtefak.values:
        raise Http404
    return jenis


def _page(request, penugasan, *, bound=None, status=200):
    """The three artefacts; `bound`: (jenis, form) of a refused write, kept."""
    orang = access.orang_of(request.user)
    is_cgp = orang is not None and penugasan.cgp_id == orang.pk
    is_pp = orang is not None and penugasan.pp_id == orang.pk
    rows = []
    for artefak in services.artefak_list(penugasan):
        form = komentar = None
        if bound and bound[0] == artefak.jenis:
            form, komentar = (bound[1], None) if is_cgp else (None, bound[1])
        if is_cgp and form is None:
            form = ArtefakForm(instance=artefak, prefix=artefak.jenis)
        if is_pp and komentar is None and artefak.terisi:
            komentar = KomentarArtefakForm(instance=artefak, prefix=artefak.jenis)
        rows.append(
            {
                "artefak": artefak,
                "panduan": PANDUAN[artefak.jenis],
                "form": form,
                "komentar_form": komentar,
            }
        )
    return render(
        request,
        "pendampingan/artefak.html",
        {"penugasan": penugasan, "rows": rows, "is_cgp": is_cgp, "is_pp": is_pp},
        status=status,
    )


@login_required
@require_GET
def artefak_list(request, penugasan_pk: int):
    penugasan = access.get_visible_or_404(
        access.penugasan_pp_visible_to(request.user), pk=penugasan_pk
    )
    return _page(request, penugasan)


def _write(request, scope, penugasan_pk: int, jenis: str, form_class, service, done: str):
    jenis = _jenis_or_404(jenis)
    penugasan = access.get_visible_or_404(
        scope.select_related("cgp", "pp", "sekolah", "angkatan"), pk=penugasan_pk
    )
    artefak = services.artefak_of(penugasan, jenis)
    form = form_class(request.POST, instance=artefak, prefix=jenis)
    back_url = reverse("pendampingan:artefak-list", args=[penugasan.pk])
    if form.is_valid():
        try:
            service(
                actor=request.user,
                artefak=artefak,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except ConflictError as error:
            return conflict_response(request, form=form, error=error, back_url=back_url)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done % {"jenis": JenisArtefak(jenis).label})
            return redirect(f"{back_url}#{jenis}")
    return _page(request, penugasan, bound=(jenis, form), status=400)


@login_required
@require_POST
def artefak_save(request, penugasan_pk: int, jenis: str):
    return _write(
        request,
        access.penugasan_artefak_editable_by(request.user),
        penugasan_pk,
        jenis,
        ArtefakForm,
        services.artefak_save,
        _("%(jenis)s tersimpan."),
    )


@login_required
@require_POST
def artefak_comment(request, penugasan_pk: int, jenis: str):
    return _write(
        request,
        access.penugasan_artefak_commented_by(request.user),
        penugasan_pk,
        jenis,
        KomentarArtefakForm,
        services.artefak_comment,
        _("Komentar untuk %(jenis)s tersimpan."),
    )
