"""Recurring meeting rules, the month calendar, meeting notes with attendance,
and the iCal feed that calendar apps subscribe to."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from komunitas import access, selectors, services
from komunitas.forms import JadwalForm, PertemuanForm
from komunitas.models import Frekuensi, JadwalRutin, KomunitasBelajar, Pertemuan
from program.dates import month_start
from program.versioning import ConflictError, add_service_errors, service_error_response

# The window a subscribed calendar receives.
ICAL_BACK = dt.timedelta(days=90)
ICAL_AHEAD = dt.timedelta(days=365)


# --- the month calendar --------------------------------------------------------------


def _month_of(value: str | None) -> dt.date:
    """First day of the month asked for as ?bulan=YYYY-MM (this month otherwise)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return month_start(timezone.localdate())


def month_calendar(komunitas: KomunitasBelajar, month: dt.date) -> dict:
    """Weeks (Monday first) of the month with each day's meetings: planned ones
    from the rules, recorded ones (linked), and recorded ones off the rules."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    tz = timezone.get_current_timezone()
    recorded = {
        p.waktu: p
        for p in komunitas.pertemuan.filter(
            waktu__gte=dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            waktu__lte=dt.datetime.combine(last, dt.time.max, tzinfo=tz),
        )
    }
    by_day: dict[dt.date, list[dict]] = {}
    for rule in komunitas.jadwal.all():
        for moment in services.occurrences(rule, first, last):
            by_day.setdefault(moment.date(), []).append(
                {"waktu": moment, "jadwal": rule, "pertemuan": recorded.pop(moment, None)}
            )
    for waktu, pertemuan in recorded.items():
        local = timezone.localtime(waktu)
        by_day.setdefault(local.date(), []).append(
            {"waktu": local, "jadwal": None, "pertemuan": pertemuan}
        )
    today = timezone.localdate()
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "today": day == today,
                "items": sorted(by_day.get(day, []), key=lambda i: i["waktu"]),
            }
            for day in week
        ]
        for week in weeks
    ]
    return {
        "weeks": grid,
        "days": [d for week in grid for d in week if d["in_month"] and d["items"]],
        "month": month,
        "prev": month_start(month, months=-1),
        "next": month_start(month, months=1),
    }


_URUTAN = {
    1: _lazy("pertama"),
    2: _lazy("kedua"),
    3: _lazy("ketiga"),
    4: _lazy("keempat"),
    5: _lazy("kelima"),
    -1: _lazy("terakhir"),
}


def describe(rule: JadwalRutin) -> str:
    """A rule as people say it: "Kamis kedua setiap bulan, 14.00–15.30"."""
    end = dt.datetime.combine(dt.date.min, rule.jam_mulai) + dt.timedelta(minutes=rule.durasi_menit)
    jam = f"{rule.jam_mulai:%H.%M}–{end:%H.%M}"
    hari = rule.get_hari_display()
    if rule.frekuensi == Frekuensi.BULANAN:
        when = _("%(hari)s %(urutan)s setiap bulan") % {
            "hari": hari,
            "urutan": _URUTAN.get(rule.minggu_ke or 1, ""),
        }
    elif rule.frekuensi == Frekuensi.DUA_MINGGUAN:
        when = _("%(hari)s, setiap dua minggu") % {"hari": hari}
    else:
        when = _("Setiap %(hari)s") % {"hari": hari}
    return f"{when}, {jam}"


def _jadwal_page(request, komunitas, *, form=None, status=200):
    month = _month_of(request.GET.get("bulan"))
    is_editor = selectors.can_edit(request.user, komunitas)
    action = reverse("komunitas:jadwal", args=[komunitas.pk])
    if is_editor and form is None:
        form = JadwalForm(
            action=action,
            initial={"mulai": timezone.localdate(), "durasi_menit": 90},
        )
    return render(
        request,
        "komunitas/jadwal/jadwal.html",
        {
            "komunitas": komunitas,
            "jadwal_list": [(rule, describe(rule)) for rule in komunitas.jadwal.all()],
            "form": form if is_editor else None,
            "is_editor": is_editor,
            "is_member": access.komunitas_member_of(request.user).filter(pk=komunitas.pk).exists(),
            "kalender": month_calendar(komunitas, month),
            "nama_hari": [_("Sen"), _("Sel"), _("Rab"), _("Kam"), _("Jum"), _("Sab"), _("Min")],
        },
        status=status,
    )


@login_required
def jadwal(request, pk: int):
    """Read the rules and the calendar; editors add a rule here (POST)."""
    if request.method != "POST":
        return _jadwal_page(request, selectors.komunitas_for_reading(request.user, pk))
    komunitas = selectors.komunitas_for_editing(request.user, pk)
    form = JadwalForm(
        request.POST,
        instance=JadwalRutin(komunitas=komunitas),
        action=reverse("komunitas:jadwal", args=[pk]),
    )
    if form.is_valid():
        try:
            services.jadwal_save(
                actor=request.user,
                jadwal=JadwalRutin(komunitas=komunitas),
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Jadwal rutin ditambahkan."))
            return redirect("komunitas:jadwal", pk=pk)
    return _jadwal_page(request, komunitas, form=form, status=400)


@login_required
@require_POST
def jadwal_delete(request, pk: int, jadwal_pk: int):
    komunitas = selectors.komunitas_for_editing(request.user, pk)
    rule = get_object_or_404(komunitas.jadwal, pk=jadwal_pk)
    services.jadwal_delete(actor=request.user, jadwal=rule)
    messages.info(request, _("Jadwal rutin dihapus. Pertemuan yang sudah dicatat tetap ada."))
    return redirect("komunitas:jadwal", pk=pk)


# --- meetings ---------------------------------------------------------------------------


def _waktu_from_query(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _hadir_ids(form) -> list:
    return list(form.cleaned_data["hadir"])


@login_required
def pertemuan_create(request, pk: int):
    komunitas = selectors.komunitas_for_members(request.user, pk)
    action = reverse("komunitas:pertemuan-create", args=[pk])
    if request.method != "POST":
        waktu = _waktu_from_query(request.GET.get("waktu"))
        if waktu is not None:
            existing = komunitas.pertemuan.filter(waktu=waktu).first()
            if existing is not None:
                return redirect("komunitas:pertemuan", pk=existing.pk)
        form = PertemuanForm(
            komunitas=komunitas,
            action=action,
            initial={"waktu": waktu or timezone.localtime().replace(second=0, microsecond=0)},
        )
        return _pertemuan_form(request, komunitas, form)
    form = PertemuanForm(
        request.POST,
        instance=Pertemuan(komunitas=komunitas),
        komunitas=komunitas,
        action=action,
    )
    if form.is_valid():
        try:
            pertemuan = services.pertemuan_save(
                actor=request.user,
                pertemuan=Pertemuan(komunitas=komunitas),
                data={k: form.cleaned_data[k] for k in ("waktu", "topik", "catatan")},
                hadir=_hadir_ids(form),
            )
        except ValidationError as error:
            if komunitas.pertemuan.filter(waktu=form.cleaned_data["waktu"]).exists():
                form.add_error(
                    "waktu", _("Pertemuan pada waktu ini sudah dicatat. Buka dan ubah catatannya.")
                )
            else:
                add_service_errors(form, error)
        else:
            messages.success(request, _("Pertemuan dicatat."))
            return redirect("komunitas:pertemuan", pk=pertemuan.pk)
    return _pertemuan_form(request, komunitas, form, status=400)


def _pertemuan_form(request, komunitas, form, *, status=200):
    return render(
        request,
        "komunitas/jadwal/pertemuan_form.html",
        {"komunitas": komunitas, "form": form},
        status=status,
    )


def _pertemuan_visible(user, pk: int) -> Pertemuan:
    return access.get_visible_or_404(
        Pertemuan.objects.select_related("komunitas__sekolah", "komunitas__pic").filter(
            komunitas__in=access.komunitas_visible_to(user).values("pk")
        ),
        pk=pk,
    )


@login_required
def pertemuan(request, pk: int):
    """Readers see the notes and attendance; members (and editors) edit them."""
    item = _pertemuan_visible(request.user, pk)
    komunitas = item.komunitas
    can_write = access.komunitas_member_of(request.user).filter(pk=komunitas.pk).exists()
    form = None
    status = 200
    if request.method == "POST":
        if not can_write:
            raise Http404
        form = PertemuanForm(request.POST, instance=item, komunitas=komunitas)
        if form.is_valid():
            try:
                services.pertemuan_save(
                    actor=request.user,
                    pertemuan=item,
                    expected_version=form.cleaned_data["version"],
                    data={k: form.cleaned_data[k] for k in ("waktu", "topik", "catatan")},
                    hadir=_hadir_ids(form),
                )
            except (ConflictError, ValidationError) as error:
                if response := service_error_response(
                    request,
                    form=form,
                    error=error,
                    back_url=reverse("komunitas:pertemuan", args=[pk]),
                ):
                    return response
            else:
                messages.success(request, _("Catatan pertemuan tersimpan."))
                return redirect("komunitas:pertemuan", pk=pk)
        status = 400
        item.refresh_from_db()
    elif can_write:
        form = PertemuanForm(instance=item, komunitas=komunitas)
    return render(
        request,
        "komunitas/jadwal/pertemuan.html",
        {
            "komunitas": komunitas,
            "pertemuan": item,
            "hadir": item.hadir.order_by("nama"),
            "form": form,
        },
        status=status,
    )


# --- iCal -----------------------------------------------------------------------------


@require_GET
def ical(request, token: str):
    """The feed calendar apps poll. They cannot log in: the secret token is the key."""
    komunitas = get_object_or_404(
        KomunitasBelajar.objects.prefetch_related("jadwal"), ical_token=token
    )
    today = timezone.localdate()
    body = services.ical(komunitas, start=today - ICAL_BACK, end=today + ICAL_AHEAD)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="komunitas-{komunitas.pk}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
