"""Imports of master data: upload → dry-run preview → confirm.

The work is in `program.imports`; these views only check access, move the
parsed rows in and out of the session and render. Operators import
everywhere; an operator of a Balai imports within its region (the rows that
reach outside are errors of the preview). Anyone else gets a 404, like every
object outside a user's scope.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from program import access, imports

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImporForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Berkas XLSX atau CSV (UTF-8)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _jenis_for_operator(request, jenis: str) -> imports.Jenis:
    if not access.may_import(request.user):
        raise Http404
    found = imports.get_jenis(jenis)
    if found is None:
        raise Http404
    return found


def _cakupan(user) -> imports.Cakupan | None:
    """None for an operator; the Balai's region for an operator of a Balai."""
    kabupaten = access.kabupaten_impor(user)
    if kabupaten is None:
        return None
    return imports.Cakupan.of(
        kabupaten=kabupaten, balai=access.balai_impor(user), orang=access.orang_visible_to(user)
    )


def _index(request, *, aktif: str = "", galat: str = "", form=None, status: int = 200):
    return render(
        request,
        "program/impor/index.html",
        {
            "cakupan": _cakupan(request.user),
            "daftar_jenis": imports.JENIS.values(),
            "aktif": aktif,
            "galat": galat,
            "form": form or ImporForm(),
        },
        status=status,
    )


def _preview(request, *, pratinjau, tabel, cakupan, token="", peringatan="", status=200):
    return render(
        request,
        "program/impor/pratinjau.html",
        {
            "cakupan": cakupan,
            "jenis": pratinjau.jenis,
            "pratinjau": pratinjau,
            "nama_berkas": tabel.nama_berkas,
            "token": token,
            "peringatan": peringatan,
            "form": ImporForm(),
        },
        status=status,
    )


@login_required
def impor(request):
    if not access.may_import(request.user):
        raise Http404
    return _index(request)


@login_required
def impor_templat(request, jenis: str, format: str):
    found = _jenis_for_operator(request, jenis)
    if format == "csv":
        content = imports.template_csv(found)
    elif format == "xlsx":
        content = imports.template_xlsx(found)
    else:
        raise Http404
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="templat-impor-{found.kode}.{format}"'
    return response


@login_required
def impor_preview(request, jenis: str):
    """Dry run: reads the upload and compares it with the database; writes nothing."""
    found = _jenis_for_operator(request, jenis)
    if request.method != "POST":
        return redirect("program:impor")
    form = ImporForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, aktif=found.kode, form=form, status=400)
    try:
        tabel = imports.read_upload(found, form.cleaned_data["berkas"])
    except imports.BerkasTidakValid as error:
        return _index(request, aktif=found.kode, galat=error.message, status=400)
    cakupan = _cakupan(request.user)
    pratinjau = imports.plan_import(found, tabel, cakupan)
    token = ""
    if pratinjau.dapat_diterapkan:
        token = imports.stash(request.session, jenis=found, tabel=tabel, pratinjau=pratinjau)
    return _preview(request, pratinjau=pratinjau, tabel=tabel, cakupan=cakupan, token=token)


@login_required
@require_POST
def impor_apply(request, jenis: str):
    """Apply the rows kept under the token, if the database still matches the preview."""
    found = _jenis_for_operator(request, jenis)
    stashed = imports.unstash(request.session, jenis=found, token=request.POST.get("token", ""))
    if stashed is None:
        messages.error(
            request,
            _("Pratinjau ini sudah diterapkan atau kedaluwarsa. Unggah berkasnya lagi."),
        )
        return redirect("program:impor")
    tabel, sidik = stashed
    cakupan = _cakupan(request.user)
    pratinjau = imports.plan_import(found, tabel, cakupan)
    if pratinjau.sidik != sidik or pratinjau.galat:
        token = ""
        if pratinjau.dapat_diterapkan:
            token = imports.stash(request.session, jenis=found, tabel=tabel, pratinjau=pratinjau)
        return _preview(
            request,
            pratinjau=pratinjau,
            tabel=tabel,
            cakupan=cakupan,
            token=token,
            peringatan=_(
                "Data berubah sejak pratinjau dibuat. Tidak ada yang disimpan; periksa "
                "pratinjau terbaru di bawah ini."
            ),
            status=409,
        )
    try:
        ringkasan = imports.apply_import(
            actor=request.user, pratinjau=pratinjau, nama_berkas=tabel.nama_berkas
        )
    except imports.ImporGagal as error:
        pesan = (
            _("Baris %(baris)s: %(pesan)s") % {"baris": error.baris, "pesan": error.pesan}
            if error.baris
            else error.pesan
        )
        return _preview(
            request,
            pratinjau=pratinjau,
            tabel=tabel,
            cakupan=cakupan,
            peringatan=_("Impor dibatalkan, tidak ada yang disimpan. %(pesan)s") % {"pesan": pesan},
            status=409,
        )
    messages.success(
        request,
        _(
            "Impor %(jenis)s diterapkan: %(baru)s baru, %(berubah)s berubah, "
            "%(tetap)s tidak berubah."
        )
        % {"jenis": found.label, **ringkasan},
    )
    return redirect("program:impor")
