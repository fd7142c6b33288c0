"""Workshops: list, create from a template, agenda, participants, class agreement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokakarya import access, pesan, selectors, services
from lokakarya.forms import (
    KesepakatanForm,
    LokakaryaCreateForm,
    LokakaryaEditForm,
    MenitForm,
    PesertaLainForm,
    PesertaTambahForm,
    TahapForm,
)
from lokakarya.models import MAKS_PESERTA, Moda, PeranPeserta, Peserta
from program.models import KabupatenKota, Orang, Peran
from program.orang_sama import mungkin_sama
from program.versioning import ConflictError, add_service_errors, conflict_response

PERAN_KE_UNSUR = {
    Peran.KEPALA_SEKOLAH: PeranPeserta.KEPALA_SEKOLAH,
    Peran.PENGAWAS: PeranPeserta.PENGAWAS,
    Peran.GURU: PeranPeserta.GURU,
}


def _is_fasilitator(user) -> bool:
    return Peran.FASILITATOR in access.roles_of(user)


LOKAKARYA_PER_HALAMAN = 50


@login_required
def lokakarya_list(request):
    # Operators see every workshop of the country (2k a year): one page at a time.
    page = Paginator(selectors.lokakarya_list(request.user), LOKAKARYA_PER_HALAMAN).get_page(
        request.GET.get("halaman")
    )
    return render(
        request,
        "lokakarya/list.html",
        {
            "lokakarya_list": page.object_list,
            "page": page,
            "can_create": _is_fasilitator(request.user),
        },
    )


def _kabupaten_of_facilitator(orang: Orang, *, also=None):
    """Regions of the facilitator's schools (plus the workshop's own, when editing)."""
    q = Q(sekolah__penugasan__orang=orang, sekolah__penugasan__peran=Peran.FASILITATOR)
    if also is not None:
        q |= Q(pk=also)
    return KabupatenKota.objects.filter(q).distinct()


@login_required
def lokakarya_create(request):
    if not _is_fasilitator(request.user):
        raise Http404
    fasilitator = access.orang_of(request.user)
    kabupaten = _kabupaten_of_facilitator(fasilitator)
    form = LokakaryaCreateForm(
        request.POST or None,
        fasilitator=fasilitator,
        kabupaten_qs=kabupaten,
        initial={"kabupaten": kabupaten.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "templat"}
        templat = form.cleaned_data["templat"]
        try:
            lok = services.lokakarya_create(
                actor=request.user,
                templat=templat,
                data={**data, "program": templat.program, "fasilitator": fasilitator},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Lokakarya dibuat. Tambahkan peserta dari sekolah dampingan.")
            )
            return redirect("lokakarya:peserta", pk=lok.pk)
    return render(request, "lokakarya/form.html", {"form": form, "title": _("Lokakarya baru")})


@login_required
def detail(request, pk: int):
    lok = selectors.lokakarya_for_reading(request.user, pk)
    manages = access.user_manages_lokakarya(request.user, lok)
    agenda = selectors.agenda(lok)
    context = {
        "lok": lok,
        "manages": manages,
        "agenda": agenda,
        "ringkas": selectors.rencana_vs_jp(agenda, lok),
        "peserta_saya": selectors.peserta_of_user(request.user, lok),
        "jumlah_peserta": lok.peserta.count(),
        "menit_form": MenitForm(),
        "tahap_form": TahapForm(daring=lok.moda == Moda.DARING, auto_id="tambah_%s")
        if manages
        else None,
        "is_operator": access.is_operator(request.user),
        "kesepakatan_form": KesepakatanForm(
            initial={"version": lok.version, "kesepakatan_kelas": lok.kesepakatan_kelas}
        ),
    }
    return render(request, "lokakarya/detail.html", context)


@login_required
def lokakarya_edit(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    form = LokakaryaEditForm(
        request.POST or None,
        instance=lok,
        fasilitator=lok.fasilitator,
        kabupaten_qs=_kabupaten_of_facilitator(lok.fasilitator, also=lok.kabupaten_id),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.lokakarya_update(
                actor=request.user,
                lokakarya=lok,
                expected_version=form.cleaned_data["version"],
                data=data,
            )
        except ConflictError as error:
            return conflict_response(
                request, form=form, error=error, back_url=lok.get_absolute_url()
            )
        messages.success(request, _("Lokakarya tersimpan."))
        return redirect(lok)
    return render(request, "lokakarya/form.html", {"form": form, "title": lok.nama, "lok": lok})


@login_required
@require_POST
def tahap_menit(request, pk: int, tahap_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    tahap = selectors.tahap_of(lok, tahap_pk)
    form = MenitForm(request.POST)
    if form.is_valid():
        services.tahap_set_minutes(
            actor=request.user, tahap=tahap, menit=form.cleaned_data["menit"]
        )
        messages.success(request, _("Menit rencana “%(nama)s” tersimpan.") % {"nama": tahap.nama})
    else:
        messages.error(request, _("Menit harus bilangan bulat antara 0 dan 600."))
    return redirect(f"{lok.get_absolute_url()}#agenda")


@login_required
def peserta(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    # A supervisor of several schools is offered once (at the first school).
    seen: set[int] = set()
    calon = [
        p for p in selectors.calon_peserta(lok) if not (p.orang_id in seen or seen.add(p.orang_id))
    ]
    tambah_form = PesertaTambahForm(calon=calon)
    lain_form = PesertaLainForm()
    if request.method == "POST":
        if "nama" in request.POST:
            lain_form = PesertaLainForm(request.POST)
            if lain_form.is_valid():
                data = lain_form.cleaned_data
                # One person, once: someone of that instansi with that name
                # (titles aside) is offered before a new person is made.
                kandidat = mungkin_sama(data["nama"], instansi=data["instansi"])
                pilihan = request.POST.get("orang_ada", "")
                if kandidat and not pilihan:
                    return render(
                        request,
                        "lokakarya/peserta_sama.html",
                        {"lok": lok, "lain_form": lain_form, "kandidat": kandidat},
                    )
                orang = next((k for k in kandidat if str(k.pk) == pilihan), None)
                if pilihan not in ("", "baru") and orang is None:
                    raise Http404
                try:
                    services.peserta_add_lain(
                        actor=request.user,
                        lokakarya=lok,
                        nama=data["nama"],
                        instansi=data["instansi"],
                        peran=data["peran"],
                        orang=orang,
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, _("Peserta ditambahkan."))
                return redirect("lokakarya:peserta", pk=lok.pk)
        else:
            tambah_form = PesertaTambahForm(request.POST, calon=calon)
            if tambah_form.is_valid():
                added, refused = 0, []
                for key in tambah_form.cleaned_data["penugasan"]:
                    p = tambah_form.calon[key]
                    try:
                        services.peserta_add(
                            actor=request.user,
                            lokakarya=lok,
                            orang=p.orang,
                            peran=PERAN_KE_UNSUR[p.peran],
                            sekolah=p.sekolah,
                        )
                        added += 1
                    except ValidationError as error:
                        refused.append(" ".join(error.messages))
                if added:
                    messages.success(request, _("%(n)s peserta ditambahkan.") % {"n": added})
                for message in refused:
                    messages.error(request, message)
                return redirect("lokakarya:peserta", pk=lok.pk)
    return render(
        request,
        "lokakarya/peserta.html",
        {
            "lok": lok,
            "peserta_list": [
                (p, pesan.undangan_wa(lok, p.orang)) for p in selectors.peserta_list(lok)
            ],
            "tambah_form": tambah_form,
            "lain_form": lain_form,
            "maks": MAKS_PESERTA,
        },
    )


@login_required
@require_POST
def peserta_delete(request, pk: int, peserta_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    item = access.get_visible_or_404(Peserta.objects.filter(lokakarya=lok), pk=peserta_pk)
    services.peserta_remove(actor=request.user, peserta=item)
    messages.info(request, _("%(nama)s dihapus dari peserta.") % {"nama": item.orang.nama})
    return redirect("lokakarya:peserta", pk=lok.pk)


@login_required
@require_POST
def kesepakatan(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    form = KesepakatanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian tidak valid. Muat ulang halaman."))
        return redirect(lok)
    try:
        services.kesepakatan_set(
            actor=request.user,
            lokakarya=lok,
            expected_version=form.cleaned_data["version"],
            teks=form.cleaned_data["kesepakatan_kelas"],
        )
    except ConflictError as error:
        return conflict_response(
            request, form=form, error=error, back_url=reverse("lokakarya:detail", args=[lok.pk])
        )
    messages.success(request, _("Kesepakatan kelas tersimpan."))
    return redirect(f"{lok.get_absolute_url()}#kesepakatan")
