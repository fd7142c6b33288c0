"""Coaching kepala sekolah (PSP): a facilitator's monthly session per school.

Each session has the topik wajib (pembelajaran paradigma baru, 20–30 minutes)
and one topik pilihan agreed per quarter (RencanaCoaching). The facilitator
records; the school's head, the region's coordinator and operators read.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pendampingan import access, selectors, services
from pendampingan.forms.coaching import (
    BULAN_PER_RENCANA,
    RencanaTriwulanForm,
    SesiCoachingEditForm,
    SesiCoachingForm,
    parse_month,
)
from pendampingan.models import RencanaCoaching, SesiCoaching
from program.dates import month_start
from program.models import PenugasanSekolah, Peran, Sekolah
from program.versioning import ConflictError, add_service_errors, service_error_response

# --- reads ------------------------------------------------------------------------
# Reads of the coaching pages alone; the shared ones are in
# pendampingan/selectors.py, the scopes in pendampingan/access.py.


def _with_coaching_summary(qs: QuerySet[Sekolah], bulan_ini: dt.date) -> QuerySet[Sekolah]:
    """Last session, number of sessions, coming plans and the school's people,
    in three queries whatever the number of schools."""
    return (
        qs.select_related("kabupaten")
        .annotate(sesi_terakhir=Max("sesi_coaching__tanggal"), jumlah_sesi=Count("sesi_coaching"))
        .prefetch_related(
            Prefetch(
                "rencana_coaching",
                queryset=RencanaCoaching.objects.filter(bulan__gte=bulan_ini).order_by("bulan"),
                to_attr="rencana_mendatang",
            ),
            Prefetch(
                "penugasan",
                queryset=PenugasanSekolah.objects.filter(
                    peran__in=[Peran.FASILITATOR, Peran.KEPALA_SEKOLAH]
                )
                .select_related("orang")
                .order_by("orang__nama"),
                to_attr="pengampu",
            ),
        )
        .order_by("nama")
    )


def _summarise(schools, bulan_ini: dt.date) -> list[Sekolah]:
    """Derive what a row shows (no queries: everything was prefetched)."""
    rows = list(schools)
    for s in rows:
        terakhir = s.sesi_terakhir
        s.sudah_bulan_ini = terakhir is not None and terakhir >= bulan_ini
        # The next plan is the first month from now on without a session yet.
        s.rencana_berikut = next(
            (r for r in s.rencana_mendatang if terakhir is None or r.bulan > month_start(terakhir)),
            None,
        )
        s.kepala = [p.orang for p in s.pengampu if p.peran == Peran.KEPALA_SEKOLAH]
        s.fasilitator = [p.orang for p in s.pengampu if p.peran == Peran.FASILITATOR]
    return rows


def coaching_overview(user, *, today: dt.date | None = None) -> dict:
    """The sections of the coaching home page, by the roles the user holds."""
    bulan_ini = month_start(today or timezone.localdate())
    roles = access.roles_of(user)
    data: dict = {"bulan_ini": bulan_ini}
    if Peran.FASILITATOR in roles:
        binaan = access.sekolah_coached_by(user).filter(
            pk__in=access.sekolah_ids_by_role(user, {Peran.FASILITATOR})
        )
        data["binaan"] = _summarise(_with_coaching_summary(binaan, bulan_ini), bulan_ini)
    if Peran.KEPALA_SEKOLAH in roles:
        dipimpin = Sekolah.objects.filter(
            pk__in=access.sekolah_ids_by_role(user, {Peran.KEPALA_SEKOLAH})
        )
        data["dipimpin"] = _summarise(_with_coaching_summary(dipimpin, bulan_ini), bulan_ini)
    if Peran.KOORDINATOR in roles or Peran.OPERATOR in roles:
        wilayah = Sekolah.objects.filter(
            Q(pk__in=SesiCoaching.objects.values("sekolah_id"))
            | Q(pk__in=RencanaCoaching.objects.values("sekolah_id")),
            kabupaten__in=access.kabupaten_visible_to(user).values("pk"),
        )
        data["wilayah"] = _summarise(_with_coaching_summary(wilayah, bulan_ini), bulan_ini)
    return data


def _sekolah_for_writing(user, pk: int) -> Sekolah:
    return access.get_visible_or_404(
        access.sekolah_coached_by(user).select_related("kabupaten"), pk=pk
    )


def _rencana_from(sekolah: Sekolah, bulan: dt.date) -> list[RencanaCoaching]:
    return list(
        RencanaCoaching.objects.filter(sekolah=sekolah, bulan__gte=bulan).order_by("bulan")[
            :BULAN_PER_RENCANA
        ]
    )


# --- pages --------------------------------------------------------------------------


@login_required
def coaching_home(request):
    return render(request, "pendampingan/coaching/home.html", coaching_overview(request.user))


@login_required
def coaching_sekolah(request, sekolah_pk: int):
    sekolah = access.get_visible_or_404(
        access.sekolah_coaching_visible_to(request.user), pk=sekolah_pk
    )
    bulan_ini = month_start(timezone.localdate())
    sesi_list = list(selectors.coaching_for_school(request.user, sekolah))
    rencana = _rencana_from(sekolah, bulan_ini)
    by_month: dict[dt.date, list] = {}
    for sesi in sesi_list:
        by_month.setdefault(month_start(sesi.tanggal), []).append(sesi)
    for r in rencana:
        r.sesi_bulan_ini = by_month.get(r.bulan, [])
    return render(
        request,
        "pendampingan/coaching/sekolah.html",
        {
            "sekolah": sekolah,
            "kepala": [
                p.orang
                for p in sekolah.penugasan.filter(peran=Peran.KEPALA_SEKOLAH).select_related(
                    "orang"
                )
            ],
            "rencana": rencana,
            "sesi_list": sesi_list,
            "can_write": access.sekolah_coached_by(request.user).filter(pk=sekolah.pk).exists(),
        },
    )


@login_required
def coaching_create(request, sekolah_pk: int):
    sekolah = _sekolah_for_writing(request.user, sekolah_pk)
    fasilitator = access.orang_of(request.user)
    if fasilitator is None:
        raise Http404
    today = timezone.localdate()
    initial = {"tanggal": today}
    plan = RencanaCoaching.objects.filter(sekolah=sekolah, bulan=month_start(today)).first()
    if plan is not None:
        initial.update(topik_pilihan=plan.topik_pilihan, rincian_topik=plan.rincian)
    form = SesiCoachingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sesi = services.coaching_create(
                actor=request.user,
                sekolah=sekolah,
                fasilitator=fasilitator,
                data=form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sesi coaching tersimpan."))
            return redirect(sesi)
    return render(
        request,
        "pendampingan/coaching/form.html",
        {"form": form, "sekolah": sekolah, "rencana": _rencana_from(sekolah, month_start(today))},
    )


@login_required
def rencana_edit(request, sekolah_pk: int):
    sekolah = _sekolah_for_writing(request.user, sekolah_pk)
    mulai = parse_month(request.GET.get("mulai"))
    existing = RencanaCoaching.objects.filter(
        sekolah=sekolah, bulan__gte=mulai, bulan__lt=month_start(mulai, months=BULAN_PER_RENCANA)
    )
    form = RencanaTriwulanForm(request.POST or None, mulai=mulai, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.rencana_coaching_set(actor=request.user, sekolah=sekolah, rows=form.rows())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rencana topik coaching tersimpan."))
            return redirect("pendampingan:coaching-sekolah", sekolah_pk=sekolah.pk)
    return render(
        request,
        "pendampingan/coaching/rencana.html",
        {"form": form, "sekolah": sekolah, "mulai": mulai},
    )


@login_required
def coaching_detail(request, pk: int):
    sesi = access.get_visible_or_404(
        access.sesi_coaching_visible_to(request.user).select_related("created_by"), pk=pk
    )
    return render(
        request,
        "pendampingan/coaching/detail.html",
        {
            "sesi": sesi,
            "can_edit": access.sesi_coaching_editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@login_required
def coaching_edit(request, pk: int):
    sesi = access.get_visible_or_404(
        access.sesi_coaching_editable_by(request.user).select_related("sekolah", "fasilitator"),
        pk=pk,
    )
    form = SesiCoachingEditForm(request.POST or None, instance=sesi)
    if request.method == "POST" and form.is_valid():
        try:
            services.coaching_update(
                actor=request.user,
                sesi=sesi,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(
                request,
                form=form,
                error=error,
                back_url=reverse("pendampingan:coaching-edit", args=[sesi.pk]),
            ):
                return response
        else:
            messages.success(request, _("Perubahan sesi coaching tersimpan."))
            return redirect(sesi)
    return render(
        request,
        "pendampingan/coaching/form.html",
        {"form": form, "sekolah": sesi.sekolah, "sesi": sesi},
    )
