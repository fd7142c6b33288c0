"""What a community produces: good practice (STAR), the two-month action plan
(RTL), guideline versions with feedback, and the pre/post tests and
satisfaction survey of its mentoring activities.

Readers read everything; members write good practice; editors (PIC, head)
write the plan, guideline versions, activities and results; the school's
facilitators and supervisors give feedback on the guideline.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from komunitas import access, selectors, services
from komunitas.forms.karya import (
    HasilForm,
    KegiatanForm,
    PraktikForm,
    RencanaForm,
    UmpanBalikForm,
    VersiPedomanForm,
)
from komunitas.models import (
    HasilPeserta,
    KegiatanPendampingan,
    Pedoman,
    PraktikBaik,
    RencanaAksi,
    UmpanBalikPedoman,
    VersiPedoman,
)
from komunitas.services import karya as services_karya
from program.models import Orang
from program.uploads import berkas_response
from program.versioning import ConflictError, add_service_errors, service_error_response

RTL_BULAN = 2  # the action plan covers the next two months


def _nav(komunitas, aktif: str, **extra) -> dict:
    return {"komunitas": komunitas, "aktif": aktif, **extra}


def _form_data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


# --- good practice ----------------------------------------------------------------------


def _praktik_readable(user, pk: int) -> PraktikBaik:
    return access.get_visible_or_404(
        PraktikBaik.objects.select_related("komunitas__sekolah", "penulis").filter(
            komunitas__in=access.komunitas_visible_to(user).values("pk")
        ),
        pk=pk,
    )


def _can_edit_praktik(user, praktik: PraktikBaik) -> bool:
    orang = access.orang_of(user)
    return (orang is not None and praktik.penulis_id == orang.pk) or selectors.can_edit(
        user, praktik.komunitas
    )


@login_required
@require_GET
def praktik_list(request, pk: int):
    komunitas = selectors.komunitas_for_reading(request.user, pk)
    praktik = komunitas.praktik_baik.select_related("penulis").order_by("-created_at")
    can_write = access.komunitas_member_of(request.user).filter(pk=komunitas.pk).exists()
    return render(
        request,
        "komunitas/karya/praktik_list.html",
        _nav(komunitas, "praktik", praktik_list=praktik, can_write=can_write),
    )


@login_required
def praktik_create(request, pk: int):
    komunitas = selectors.komunitas_for_members(request.user, pk)
    penulis = access.orang_of(request.user)
    if penulis is None:
        raise Http404
    instance = PraktikBaik(komunitas=komunitas, penulis=penulis)
    form = PraktikForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            praktik = services.praktik_baik_save(
                actor=request.user, praktik=instance, data=_form_data(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Praktik baik tersimpan."))
            return redirect("komunitas:praktik", praktik.pk)
    return render(
        request,
        "komunitas/karya/praktik_form.html",
        _nav(komunitas, "praktik", form=form, judul=_("Tulis praktik baik")),
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def praktik(request, pk: int):
    item = _praktik_readable(request.user, pk)
    return render(
        request,
        "komunitas/karya/praktik.html",
        _nav(
            item.komunitas,
            "praktik",
            praktik=item,
            can_edit=_can_edit_praktik(request.user, item),
        ),
    )


@login_required
def praktik_edit(request, pk: int):
    item = _praktik_readable(request.user, pk)
    if not _can_edit_praktik(request.user, item):
        raise Http404
    form = PraktikForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.praktik_baik_save(
                actor=request.user,
                praktik=item,
                expected_version=form.cleaned_data["version"],
                data=_form_data(form),
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(
                request, form=form, error=error, back_url=reverse("komunitas:praktik", args=[pk])
            ):
                return response
        else:
            messages.success(request, _("Perubahan praktik baik tersimpan."))
            return redirect("komunitas:praktik", item.pk)
    return render(
        request,
        "komunitas/karya/praktik_form.html",
        _nav(item.komunitas, "praktik", form=form, praktik=item, judul=_("Ubah praktik baik")),
        status=400 if form.is_bound else 200,
    )


# --- action plan (RTL) -------------------------------------------------------------------


def _batas_rtl() -> dt.date:
    return timezone.localdate() + relativedelta(months=RTL_BULAN)


def _warn_if_late(request, item: RencanaAksi) -> None:
    batas = _batas_rtl()
    if item.waktu > batas:
        messages.warning(
            request,
            _(
                "“%(kegiatan)s” dijadwalkan setelah %(batas)s: RTL sebaiknya untuk dua "
                "bulan ke depan."
            )
            % {"kegiatan": item.kegiatan, "batas": batas.strftime("%d-%m-%Y")},
        )


def _rencana_page(request, komunitas, *, add_form=None, edit_form=None, status=200):
    can_edit = selectors.can_edit(request.user, komunitas)
    items = list(komunitas.rencana_aksi.order_by("waktu", "pk"))
    rows = []
    for item in items:
        form = None
        if can_edit:
            bound = edit_form is not None and edit_form.instance.pk == item.pk
            form = edit_form if bound else RencanaForm(instance=item)
        rows.append({"item": item, "form": form})
    if can_edit and add_form is None:
        add_form = RencanaForm(instance=RencanaAksi(komunitas=komunitas))
    return render(
        request,
        "komunitas/karya/rencana.html",
        _nav(
            komunitas,
            "rencana",
            rows=rows,
            add_form=add_form if can_edit else None,
            can_edit=can_edit,
            batas=_batas_rtl(),
        ),
        status=status,
    )


@login_required
def rencana(request, pk: int):
    if request.method != "POST":
        return _rencana_page(request, selectors.komunitas_for_reading(request.user, pk))
    komunitas = selectors.komunitas_for_editing(request.user, pk)
    instance = RencanaAksi(komunitas=komunitas)
    form = RencanaForm(request.POST, instance=instance)
    if form.is_valid():
        try:
            item = services.rencana_aksi_save(
                actor=request.user, rencana=instance, data=_form_data(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rencana aksi ditambahkan."))
            _warn_if_late(request, item)
            return redirect("komunitas:rencana", komunitas.pk)
    return _rencana_page(request, komunitas, add_form=form, status=400)


@login_required
@require_POST
def rencana_edit(request, pk: int):
    item = access.get_visible_or_404(
        RencanaAksi.objects.select_related("komunitas").filter(
            komunitas__in=access.komunitas_editable_by(request.user).values("pk")
        ),
        pk=pk,
    )
    komunitas = item.komunitas
    form = RencanaForm(request.POST, instance=item)
    back = reverse("komunitas:rencana", args=[komunitas.pk])
    if form.is_valid():
        try:
            services.rencana_aksi_save(
                actor=request.user,
                rencana=item,
                expected_version=form.cleaned_data["version"],
                data=_form_data(form),
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(request, form=form, error=error, back_url=back):
                return response
        else:
            messages.success(request, _("Rencana aksi tersimpan."))
            _warn_if_late(request, item)
            return redirect(f"{back}#rtl-{item.pk}")
    return _rencana_page(request, komunitas, edit_form=form, status=400)


# --- guideline --------------------------------------------------------------------------


def _pedoman_page(request, komunitas, *, versi_form=None, umpan_form=None, status=200):
    can_edit = selectors.can_edit(request.user, komunitas)
    can_review = selectors.can_review(request.user, komunitas)
    pedoman = Pedoman.objects.filter(komunitas=komunitas).first()
    versi = []
    if pedoman is not None:
        versi = list(
            pedoman.versi.select_related("berkas", "dibuat_oleh__orang")
            .prefetch_related(
                Prefetch(
                    "umpan_balik",
                    queryset=UmpanBalikPedoman.objects.select_related("oleh__orang").order_by(
                        "created_at"
                    ),
                )
            )
            .order_by("-nomor")
        )
    if can_edit and versi_form is None:
        versi_form = VersiPedomanForm(action=reverse("komunitas:pedoman", args=[komunitas.pk]))
    return render(
        request,
        "komunitas/karya/pedoman.html",
        _nav(
            komunitas,
            "pedoman",
            pedoman=pedoman,
            versi_list=versi,
            versi_form=versi_form if can_edit else None,
            umpan_form=umpan_form,
            can_review=can_review,
            can_edit=can_edit,
        ),
        status=status,
    )


@login_required
def pedoman(request, pk: int):
    if request.method != "POST":
        return _pedoman_page(request, selectors.komunitas_for_reading(request.user, pk))
    komunitas = selectors.komunitas_for_editing(request.user, pk)
    form = VersiPedomanForm(
        request.POST, request.FILES, action=reverse("komunitas:pedoman", args=[komunitas.pk])
    )
    if form.is_valid():
        try:
            versi = services_karya.pedoman_versi_upload(
                actor=request.user,
                komunitas=komunitas,
                isi=form.cleaned_data["isi"],
                uploaded_file=form.cleaned_data["berkas"],
                catatan_revisi=form.cleaned_data["catatan_revisi"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pedoman versi %(n)s tersimpan.") % {"n": versi.nomor})
            return redirect("komunitas:pedoman", komunitas.pk)
    return _pedoman_page(request, komunitas, versi_form=form, status=400)


def _versi_readable(user, pk: int) -> VersiPedoman:
    return access.get_visible_or_404(
        VersiPedoman.objects.select_related("berkas", "pedoman__komunitas").filter(
            pedoman__komunitas__in=access.komunitas_visible_to(user).values("pk")
        ),
        pk=pk,
    )


@login_required
@require_GET
def pedoman_berkas(request, pk: int):
    versi = _versi_readable(request.user, pk)
    if versi.berkas is None:
        raise Http404
    return berkas_response(versi.berkas, download=request.GET.get("unduh") == "1")


@login_required
@require_POST
def pedoman_umpan_balik(request, pk: int):
    versi = access.get_visible_or_404(
        VersiPedoman.objects.select_related("pedoman__komunitas").filter(
            pedoman__komunitas__in=access.komunitas_reviewed_by(request.user).values("pk")
        ),
        pk=pk,
    )
    komunitas = versi.pedoman.komunitas
    form = UmpanBalikForm(request.POST)
    if form.is_valid():
        try:
            services.pedoman_umpan_balik_add(
                actor=request.user, versi=versi, isi=form.cleaned_data["isi"]
            )
        except ValidationError as error:
            form.add_error("isi", error)
        else:
            messages.success(
                request, _("Umpan balik untuk versi %(n)s terkirim.") % {"n": versi.nomor}
            )
            return redirect(
                f"{reverse('komunitas:pedoman', args=[komunitas.pk])}#versi-{versi.nomor}"
            )
    form.versi_pk = versi.pk
    return _pedoman_page(request, komunitas, umpan_form=form, status=400)


# --- mentoring activities: pre/post tests and satisfaction --------------------------------


@login_required
def kegiatan_list(request, pk: int):
    if request.method == "POST":
        komunitas = selectors.komunitas_for_editing(request.user, pk)
    else:
        komunitas = selectors.komunitas_for_reading(request.user, pk)
    can_edit = selectors.can_edit(request.user, komunitas)
    action = reverse("komunitas:kegiatan-list", args=[komunitas.pk])
    form = KegiatanForm(request.POST or None, action=action) if can_edit else None
    if request.method == "POST" and form.is_valid():
        try:
            kegiatan = services_karya.kegiatan_add(
                actor=request.user, komunitas=komunitas, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Kegiatan ditambahkan. Isi nilai peserta di bawah."))
            return redirect("komunitas:kegiatan", kegiatan.pk)
    kegiatan = komunitas.kegiatan.annotate(
        jumlah_peserta=Count("hasil"),
        rata_pre=Avg("hasil__nilai_pre"),
        rata_post=Avg("hasil__nilai_post"),
        rata_kepuasan=Avg("hasil__kepuasan"),
    ).order_by("-tanggal", "-pk")
    return render(
        request,
        "komunitas/karya/kegiatan_list.html",
        _nav(komunitas, "kegiatan", kegiatan_list=kegiatan, form=form, can_edit=can_edit),
        status=400 if form is not None and form.is_bound else 200,
    )


def _peserta(kegiatan: KegiatanPendampingan, hasil: dict[int, HasilPeserta]) -> list[Orang]:
    """The community's PIC and members plus anyone who already has a result."""
    komunitas = kegiatan.komunitas
    orang = Orang.objects.filter(
        Q(pk=komunitas.pic_id)
        | Q(
            pk__in=komunitas.anggota.through.objects.filter(
                komunitasbelajar_id=komunitas.pk
            ).values("orang_id")
        )
        | Q(pk__in=list(hasil))
    )
    return list(orang.order_by("nama"))


@login_required
def kegiatan(request, pk: int):
    scope = (
        access.komunitas_editable_by(request.user)
        if request.method == "POST"
        else access.komunitas_visible_to(request.user)
    )
    item = access.get_visible_or_404(
        KegiatanPendampingan.objects.select_related("komunitas__sekolah").filter(
            komunitas__in=scope.values("pk")
        ),
        pk=pk,
    )
    komunitas = item.komunitas
    can_edit = selectors.can_edit(request.user, komunitas)
    hasil = {h.orang_id: h for h in item.hasil.select_related("orang")}
    forms = []
    if can_edit:
        forms = [
            HasilForm(request.POST or None, orang=o, hasil=hasil.get(o.pk))
            for o in _peserta(item, hasil)
        ]
    status = 200
    if request.method == "POST":
        if all(f.is_valid() for f in forms):
            try:
                n = services_karya.hasil_set_many(
                    actor=request.user,
                    kegiatan=item,
                    rows=[(f.orang, f.cleaned_data) for f in forms],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Nilai %(n)s peserta tersimpan.") % {"n": n})
                return redirect("komunitas:kegiatan", item.pk)
        else:
            messages.error(request, _("Periksa isian yang ditandai; belum ada yang disimpan."))
        status = 400
    rows = [
        {
            "hasil": h,
            "gain": services_karya.gain(h.nilai_pre, h.nilai_post),
        }
        for h in sorted(hasil.values(), key=lambda h: h.orang.nama)
    ]
    rata = item.hasil.aggregate(
        pre=Avg("nilai_pre"), post=Avg("nilai_post"), kepuasan=Avg("kepuasan")
    )
    rata["gain"] = services_karya.gain(rata["pre"], rata["post"])
    return render(
        request,
        "komunitas/karya/kegiatan.html",
        _nav(
            komunitas,
            "kegiatan",
            kegiatan=item,
            rows=rows,
            rata=rata,
            forms=forms,
            can_edit=can_edit,
        ),
        status=status,
    )
