"""Other PGP journals: pemantauan pembelajaran daring (per CGP per modul),
fasilitasi (per PP per modul), refleksi and komunikasi (the PP's notes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pendampingan import access, services
from pendampingan.forms.jurnal import CatatanForm, FasilitasiForm, PemantauanForm
from pendampingan.models import JenisCatatan, JurnalFasilitasi, JurnalPemantauan, Modul
from pendampingan.services.jurnal import fasilitasi_of, jurnal_modul_upsert, pemantauan_of
from program.models import PenugasanPP, Peran
from program.versioning import ConflictError, conflict_response

CATATAN_PER_PAGE = 50

# --- scoping (reads; candidates for pendampingan.selectors) ----------------------


def _penugasan_for_reading(user, pk: int) -> PenugasanPP:
    """Pemantauan is the PP's record *about* the CGP: the CGP does not read it."""
    return access.get_visible_or_404(access.penugasan_pemantauan_visible_to(user), pk=pk)


def _own_penugasan(user) -> QuerySet[PenugasanPP]:
    """The pairs in which the user is the PP (an operator's "everything" excluded)."""
    return (
        access.penugasan_pp_mentored_by(user).filter(pp=access.orang_of(user)).order_by("cgp__nama")
    )


def _is_pp(user) -> bool:
    """Mentors at least one CGP (roles_of is cached and the menu needs it anyway)."""
    return Peran.PENGAJAR_PRAKTIK in access.roles_of(user)


def _pp_or_404(user):
    """The PP behind the login; anyone who mentors nobody gets a 404."""
    orang = access.orang_of(user)
    if orang is None or not _is_pp(user):
        raise Http404
    return orang


def _modul_or_404(modul: str) -> str:
    if modul not in Modul.values:
        raise Http404
    return modul


@dataclass
class BarisModul:
    modul: str
    label: str
    jurnal: JurnalPemantauan | JurnalFasilitasi | None
    text_fields: tuple[str, ...]
    url: str

    @property
    def terisi(self) -> bool:
        return self.jurnal is not None and any(
            (getattr(self.jurnal, name) or "").strip() for name in self.text_fields
        )

    @property
    def updated_at(self) -> datetime | None:
        return self.jurnal.updated_at if self.jurnal is not None else None


def _modul_rows(journals, text_fields: tuple[str, ...], url_for) -> list[BarisModul]:
    """The ten modules in order, each with its journal if one was saved."""
    by_modul = {j.modul: j for j in journals}
    return [
        BarisModul(
            modul=value,
            label=label,
            jurnal=by_modul.get(value),
            text_fields=text_fields,
            url=url_for(value),
        )
        for value, label in Modul.choices
    ]


# --- jurnal pemantauan pembelajaran daring -----------------------------------------


@login_required
def pemantauan_list(request, penugasan_pk: int):
    penugasan = _penugasan_for_reading(request.user, penugasan_pk)
    rows = _modul_rows(
        JurnalPemantauan.objects.filter(penugasan=penugasan),
        PemantauanForm._meta.fields,
        lambda m: reverse("pendampingan:pemantauan-edit", args=[penugasan.pk, m]),
    )
    return render(
        request,
        "pendampingan/jurnal/pemantauan_list.html",
        {
            "penugasan": penugasan,
            "rows": rows,
            "jumlah_terisi": sum(row.terisi for row in rows),
            "is_pp": penugasan.pp_id == getattr(access.orang_of(request.user), "pk", None),
        },
    )


@login_required
def pemantauan_edit(request, penugasan_pk: int, modul: str):
    modul = _modul_or_404(modul)
    editable = access.penugasan_pp_mentored_by(request.user).filter(pk=penugasan_pk).first()
    if request.method == "POST" and editable is None:
        raise Http404
    penugasan = editable or _penugasan_for_reading(request.user, penugasan_pk)
    jurnal = pemantauan_of(penugasan, modul)
    back_url = reverse("pendampingan:pemantauan-list", args=[penugasan.pk])
    context = {
        "penugasan": penugasan,
        "modul_label": Modul(modul).label,
        "jurnal": jurnal,
        "back_url": back_url,
    }
    if editable is None:
        return render(request, "pendampingan/jurnal/pemantauan_edit.html", context)

    form = PemantauanForm(request.POST or None, instance=jurnal)
    if request.method == "POST" and form.is_valid():
        try:
            jurnal_modul_upsert(
                actor=request.user,
                jurnal=jurnal,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except ConflictError as error:
            return conflict_response(request, form=form, error=error, back_url=request.path)
        messages.success(
            request,
            _("Jurnal pemantauan %(modul)s tersimpan.") % {"modul": Modul(modul).label},
        )
        return redirect(back_url)
    return render(request, "pendampingan/jurnal/pemantauan_edit.html", {**context, "form": form})


# --- jurnal fasilitasi --------------------------------------------------------------


@login_required
def fasilitasi_list(request):
    pp = _pp_or_404(request.user)
    rows = _modul_rows(
        access.jurnal_fasilitasi_visible_to(request.user).filter(pp=pp),
        FasilitasiForm._meta.fields,
        lambda m: reverse("pendampingan:fasilitasi-edit", args=[m]),
    )
    return render(
        request,
        "pendampingan/jurnal/fasilitasi_list.html",
        {"rows": rows, "jumlah_terisi": sum(row.terisi for row in rows)},
    )


@login_required
def fasilitasi_edit(request, modul: str):
    modul = _modul_or_404(modul)
    pp = _pp_or_404(request.user)
    jurnal = fasilitasi_of(pp, modul)
    form = FasilitasiForm(request.POST or None, instance=jurnal)
    if request.method == "POST" and form.is_valid():
        try:
            jurnal_modul_upsert(
                actor=request.user,
                jurnal=jurnal,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except ConflictError as error:
            return conflict_response(request, form=form, error=error, back_url=request.path)
        messages.success(
            request,
            _("Jurnal fasilitasi %(modul)s tersimpan.") % {"modul": Modul(modul).label},
        )
        return redirect("pendampingan:fasilitasi-list")
    return render(
        request,
        "pendampingan/jurnal/fasilitasi_edit.html",
        {"form": form, "jurnal": jurnal, "modul_label": Modul(modul).label},
    )


# --- jurnal refleksi & jurnal komunikasi ------------------------------------------------


@login_required
def catatan_list(request):
    jenis = request.GET.get("jenis", "")
    if jenis not in JenisCatatan.values:
        jenis = ""
    catatan = access.catatan_pp_visible_to(request.user).select_related("penugasan__sekolah")
    if jenis:
        catatan = catatan.filter(jenis=jenis)
    page = Paginator(catatan, CATATAN_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pendampingan/jurnal/catatan_list.html",
        {
            "page": page,
            "jenis": jenis,
            "jenis_choices": JenisCatatan.choices,
            "orang": access.orang_of(request.user),
            "is_pp": _is_pp(request.user),
        },
    )


@login_required
def catatan_create(request):
    pp = _pp_or_404(request.user)
    initial = {}
    if request.GET.get("jenis") in JenisCatatan.values:
        initial["jenis"] = request.GET["jenis"]
    if request.GET.get("penugasan", "").isdigit():
        initial["penugasan"] = int(request.GET["penugasan"])
    form = CatatanForm(
        request.POST or None,
        initial=initial,
        penugasan_qs=_own_penugasan(request.user).select_related(
            "cgp", "sekolah", "kelas__fasilitator"
        ),
    )
    if request.method == "POST" and form.is_valid():
        catatan = services.catatan_create(actor=request.user, pp=pp, data=form.cleaned_data)
        messages.success(request, _("Catatan tersimpan."))
        return redirect("pendampingan:catatan-detail", pk=catatan.pk)
    return render(request, "pendampingan/jurnal/catatan_form.html", {"form": form})


@login_required
def catatan_detail(request, pk: int):
    catatan = access.get_visible_or_404(
        access.catatan_pp_visible_to(request.user).select_related(
            "penugasan__sekolah", "penugasan__kelas__fasilitator"
        ),
        pk=pk,
    )
    orang = access.orang_of(request.user)
    is_own = orang is not None and catatan.pp_id == orang.pk
    return render(
        request, "pendampingan/jurnal/catatan_detail.html", {"catatan": catatan, "is_own": is_own}
    )
