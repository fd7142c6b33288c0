"""Communities: the list grouped by school, create and edit, and the one page
that shows a community at a glance."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from komunitas import access, selectors, services
from komunitas.forms import TAHAP_SIKLUS, KomunitasForm, orang_pool
from komunitas.models import KomunitasBelajar
from program.versioning import ConflictError, add_service_errors, service_error_response

# How far ahead the "next meetings" of a community are looked for.
_LOOKAHEAD = dt.timedelta(days=400)


# Schools per page of the communities home: an operator reads 10k communities.
SEKOLAH_PER_HALAMAN = 25


@login_required
def beranda(request):
    """The communities the user reads, grouped by school, a page of schools at
    a time (?q= narrows by school name, NPSN or community name)."""
    q = request.GET.get("q", "").strip()
    sekolah, komunitas = selectors.beranda(request.user, q=q)
    page = Paginator(sekolah, SEKOLAH_PER_HALAMAN).get_page(request.GET.get("halaman"))
    sekolah = list(page.object_list)
    ids = [s.pk for s in sekolah]
    if access.is_operator(request.user):
        editable = set(ids)
    else:
        editable = set(
            access.sekolah_komunitas_editable_by(request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
    groups = {s.pk: {"sekolah": s, "komunitas": [], "bisa_buat": s.pk in editable} for s in sekolah}
    for k in selectors.komunitas_of_sekolah(komunitas, ids):
        groups[k.sekolah_id]["komunitas"].append(k)
    return render(
        request,
        "komunitas/komunitas/beranda.html",
        {
            "groups": list(groups.values()),
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
        },
    )


def _render_form(request, form, *, sekolah, komunitas=None, status=200):
    return render(
        request,
        "komunitas/komunitas/form.html",
        {"form": form, "sekolah": sekolah, "komunitas": komunitas},
        status=status,
    )


def _data(form) -> dict:
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in ("anggota", "version")
    }


def _sekolah_sekitar(user, kabupaten_id: int):
    """Schools whose staff may join a community: those the user sees in the
    community's kabupaten/kota. Communities across schools (KKG, MGMP) are
    district-level; without the kabupaten an operator's form offered every
    teacher of the country (50 s to render at national scale)."""
    return access.sekolah_visible_to(user).filter(kabupaten_id=kabupaten_id).values("pk")


@login_required
def komunitas_create(request, sekolah_pk: int):
    sekolah = access.get_visible_or_404(
        access.sekolah_komunitas_editable_by(request.user), pk=sekolah_pk
    )
    pool = orang_pool(_sekolah_sekitar(request.user, sekolah.kabupaten_id))
    if request.method != "POST":
        return _render_form(request, KomunitasForm(orang=pool), sekolah=sekolah)
    form = KomunitasForm(request.POST, instance=KomunitasBelajar(sekolah=sekolah), orang=pool)
    if form.is_valid():
        try:
            komunitas = services.komunitas_save(
                actor=request.user,
                komunitas=KomunitasBelajar(sekolah=sekolah),
                data=_data(form),
                anggota=form.cleaned_data["anggota"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Komunitas belajar dibuat."))
            return redirect(komunitas)
    return _render_form(request, form, sekolah=sekolah, status=400)


@login_required
@require_POST
def ical_reset(request, pk: int):
    """The community's editors (PIC, the school's head) and operators give
    its iCal feed a new address; the old one stops working."""
    komunitas = selectors.komunitas_for_editing(request.user, pk)
    services.komunitas_ical_reset(actor=request.user, komunitas=komunitas)
    messages.success(
        request,
        _(
            "Alamat kalender diganti. Alamat lama tidak berlaku lagi: "
            "langganan ulang dengan yang baru."
        ),
    )
    return redirect(f"{komunitas.get_absolute_url()}#ical")


@login_required
def komunitas_edit(request, pk: int):
    komunitas = selectors.komunitas_for_editing(request.user, pk)
    pool = orang_pool(_sekolah_sekitar(request.user, komunitas.sekolah.kabupaten_id), komunitas)
    if request.method != "POST":
        form = KomunitasForm(instance=komunitas, orang=pool)
        return _render_form(request, form, sekolah=komunitas.sekolah, komunitas=komunitas)
    form = KomunitasForm(request.POST, instance=komunitas, orang=pool)
    if form.is_valid():
        try:
            services.komunitas_save(
                actor=request.user,
                komunitas=komunitas,
                expected_version=form.cleaned_data["version"],
                data=_data(form),
                anggota=form.cleaned_data["anggota"],
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(
                request, form=form, error=error, back_url=reverse("komunitas:edit", args=[pk])
            ):
                return response
        else:
            messages.success(request, _("Perubahan komunitas tersimpan."))
            return redirect(komunitas)
    return _render_form(request, form, sekolah=komunitas.sekolah, komunitas=komunitas, status=400)


def next_meetings(jadwal, *, count: int, now: dt.datetime | None = None) -> list[dict]:
    """The next `count` meeting times over all of a community's rules."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found = [
        {"waktu": moment, "jadwal": rule}
        for rule in jadwal
        for moment in services.occurrences(rule, today, today + _LOOKAHEAD)
        if moment >= now
    ]
    return sorted(found, key=lambda item: item["waktu"])[:count]


def tahap_siklus(siklus) -> str:
    """The furthest stage of a cycle that has notes (or that it is finished)."""
    if siklus.selesai:
        return _("Selesai")
    reached = TAHAP_SIKLUS[0][1]
    for _key, label, fields in TAHAP_SIKLUS:
        if any(isinstance(getattr(siklus, f), str) and getattr(siklus, f).strip() for f in fields):
            reached = label
    return str(reached)


@login_required
def detail(request, pk: int):
    komunitas = selectors.komunitas_for_reading(request.user, pk)
    user = request.user
    is_editor = selectors.can_edit(user, komunitas)
    is_member = access.komunitas_member_of(user).filter(pk=komunitas.pk).exists()
    is_reviewer = selectors.can_review(user, komunitas)
    siklus_list = list(komunitas.siklus.order_by("-nomor"))
    siklus = next(
        (s for s in siklus_list if not s.selesai), siklus_list[0] if siklus_list else None
    )
    context = {
        "komunitas": komunitas,
        "anggota": komunitas.anggota.order_by("nama"),
        "pertemuan_berikut": next_meetings(list(komunitas.jadwal.all()), count=3),
        "pertemuan_terakhir": komunitas.pertemuan.annotate(jumlah_hadir=Count("hadir")).order_by(
            "-waktu"
        )[:3],
        "siklus": siklus,
        "siklus_tahap": tahap_siklus(siklus) if siklus else "",
        "jumlah_siklus": len(siklus_list),
        "jumlah": selectors.jumlah_karya(komunitas),
        "is_editor": is_editor,
        "is_member": is_member,
        "show_ical": is_member or is_editor or is_reviewer,
    }
    if context["show_ical"]:
        url = request.build_absolute_uri(reverse("komunitas:ical", args=[komunitas.ical_token]))
        context["ical_url"] = url
        context["webcal_url"] = "webcal://" + url.split("://", 1)[1]
    return render(request, "komunitas/komunitas/detail.html", context)
