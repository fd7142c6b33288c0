"""Programme calendar, JP accounting, the personal iCal feed and reminder
preferences.

The calendar and JP pages are for facilitators (their own JP), coordinators
(their region's facilitators) and operators (all); everyone else gets a 404.
The feed needs no login: its secret URL is the credential, and resetting it
makes the old URL a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from program.models import Orang, Peran
from program.ringkasan import cakupan, nomor_halaman, ringkasan
from program.widgets import SelectPanjang
from reports import access, services
from reports import kalender as cal
from reports.models import JenisPengingat, TokenKalender

FASILITATOR_PER_HALAMAN = 10


# --- forms (validation only) --------------------------------------------------------


class FilterJPForm(forms.Form):
    tahun = forms.TypedChoiceField(label=gettext_lazy("Tahun ajaran"), coerce=int, required=False)
    kabupaten = forms.ModelChoiceField(
        label=gettext_lazy("Kabupaten/kota"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Semua kabupaten/kota"),
        widget=SelectPanjang,
    )

    def __init__(self, *args, tahun_pilihan: list[int], kabupaten_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = [(t, f"{t}/{t + 1}") for t in tahun_pilihan]
        self.fields["kabupaten"].queryset = kabupaten_qs
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"


class PengingatForm(forms.Form):
    aktif = forms.MultipleChoiceField(
        label=gettext_lazy("Kirimi saya email untuk"),
        choices=JenisPengingat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _tahun(request, pilihan: list[int]) -> tuple[int, list[int]]:
    """The PSP year asked for, else the current one; always listed as a choice."""
    current = cal.tahun_ajaran_psp(timezone.localdate())
    pilihan = sorted({*pilihan, current}, reverse=True)
    try:
        tahun = int(request.GET.get("tahun", ""))
    except ValueError:
        tahun = current
    return (tahun if tahun in pilihan else current), pilihan


def _require_calendar(user) -> None:
    if not cal.may_read_calendar(user):
        raise Http404


# --- calendar -------------------------------------------------------------------------


@login_required
@require_GET
def kalender(request):
    """The PSP year as a month × activity table; PGP workshops and PI windows per cohort."""
    _require_calendar(request.user)
    tahun, pilihan = _tahun(request, cal.tahun_tersedia())
    months, rows = cal.kalender_psp(tahun)
    return render(
        request,
        "reports/kalender/kalender.html",
        {
            "tahun": tahun,
            "tahun_pilihan": pilihan,
            "months": [(m, cal.label_bulan(m)) for m in months],
            "rows": rows,
            "pgp": cal.kalender_pgp(),
            "today": timezone.localdate(),
            "is_operator": access.is_operator(request.user),
        },
    )


def _sel_html(baris: cal.BarisJP) -> str:
    """A row's month cells as HTML, built here: at a page of ten facilitators
    the template's loop over a thousand cells was most of the page's CPU.
    Every value is an integer or one of our CSS classes; the word is escaped."""
    kurang = escape(_("kurang"))
    cells = []
    for s in baris.sel:
        if s.keadaan == cal.Keadaan.KOSONG:
            isi = '<span class="text-muted">—</span>'
        else:
            isi = f"{s.realisasi}/{s.rencana}"
            if s.kurang:
                isi += f'<span class="visually-hidden"> {kurang}</span>'
        data = ' data-kurang="1"' if s.kurang else ""
        cells.append(f'<td class="text-center text-nowrap {s.css}"{data}>{isi}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - integers and our own classes


@login_required
@require_GET
def jp(request):
    """Planned vs delivered JP per facilitator and school, shortfalls first.

    The tables are a program.ringkasan section (a few minutes old at most);
    the filter stays fresh."""
    _require_calendar(request.user)
    tahun, pilihan = _tahun(request, cal.tahun_tersedia())
    kabupaten_qs = access.kabupaten_visible_to(request.user).order_by("nama")
    data = request.GET.copy()
    data["tahun"] = tahun
    form = FilterJPForm(data, tahun_pilihan=pilihan, kabupaten_qs=kabupaten_qs)
    kabupaten = None
    if form.is_valid() and form.cleaned_data["kabupaten"]:
        kabupaten = form.cleaned_data["kabupaten"].pk
    query = urlencode({k: v for k, v in {"tahun": tahun, "kabupaten": kabupaten}.items() if v})
    halaman = nomor_halaman(request)
    today = timezone.localdate()

    def hitung() -> str:
        fasilitator = access.fasilitator_visible_to(request.user, kabupaten=kabupaten).order_by(
            "nama", "pk"
        )
        page = Paginator(fasilitator, FASILITATOR_PER_HALAMAN).get_page(halaman)
        months, rekap = cal.rekap_jp(
            request.user, list(page.object_list), tahun=tahun, kabupaten=kabupaten, today=today
        )
        for r in rekap:
            for b in [*r.baris, *(b for sekolah in r.sekolah for b in sekolah.baris)]:
                b.sel_html = _sel_html(b)
        return render_to_string(
            "reports/kalender/_rekap_jp.html",
            {
                "months": [(m, cal.label_bulan(m)) for m in months],
                "rekap": rekap,
                "kekurangan": [k for r in rekap for k in r.kekurangan],
                "page": page,
                "query": query,
            },
        )

    # Operators and coordinators have regions to choose from: known from the
    # cached roles, where kabupaten_qs.exists() was one more query.
    pilih_kabupaten = access.is_operator(request.user) or Peran.KOORDINATOR in access.roles_of(
        request.user
    )
    return render(
        request,
        "reports/kalender/jp.html",
        {
            "form": form,
            "tahun": tahun,
            "pilih_kabupaten": pilih_kabupaten,
            "ringkasan": ringkasan(
                request,
                "reports:jp",
                # A facilitator also reads their own JP: not the region's alone.
                cakupan=cakupan(request.user, hanya_wilayah=False),
                saringan={
                    "tahun": tahun,
                    "kabupaten": kabupaten,
                    "halaman": halaman if halaman > 1 else None,
                },
                hitung=hitung,
            ),
        },
    )


# --- iCal -------------------------------------------------------------------------------


def _feed_url(request, token: TokenKalender) -> str:
    return request.build_absolute_uri(reverse("reports:ical-feed", args=[token.token]))


@login_required
@require_GET
def ical_saya(request):
    """My secret feed URL, to subscribe to in a calendar app. Without one yet,
    a button makes it (GET is safe: the page never creates the secret)."""
    token = TokenKalender.objects.filter(user=request.user).first()
    context = {"token": token, "hari": cal.HARI_ICAL}
    if token is not None:
        url = _feed_url(request, token)
        context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[-1])
    return render(request, "reports/kalender/ical.html", context)


@login_required
@require_POST
def ical_reset(request):
    """A new secret URL (the first one, or a replacement: calendars subscribed
    to the old one stop updating)."""
    had_one = TokenKalender.objects.filter(user=request.user).exists()
    services.token_kalender_reset(user=request.user)
    if had_one:
        messages.success(
            request,
            _(
                "Tautan kalender baru dibuat. Tautan lama tidak berlaku lagi; "
                "perbarui langganan di aplikasi kalender Anda."
            ),
        )
    else:
        messages.success(request, _("Tautan kalender Anda dibuat."))
    return redirect("reports:ical-saya")


@require_GET
def ical_feed(request, token: str):
    """The upcoming events of the token's owner; an unknown token is a 404."""
    owner = (
        TokenKalender.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if owner is None:
        raise Http404
    orang = Orang.objects.filter(user=owner.user).first()
    body = cal.ical_orang(
        orang,
        today=timezone.localdate(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pendampingan.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- reminder preferences -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pengingat(request):
    """Which reminder emails I receive (all kinds on unless switched off)."""
    if request.method == "POST":
        form = PengingatForm(request.POST)
        if form.is_valid():
            services.pengingat_preferensi_save(actor=request.user, aktif=form.cleaned_data["aktif"])
            messages.success(request, _("Pengaturan pengingat disimpan."))
            return redirect("reports:pengingat")
    else:
        mati = services.pengingat_nonaktif(request.user)
        form = PengingatForm(initial={"aktif": [j for j in JenisPengingat.values if j not in mati]})
    return render(request, "reports/kalender/pengingat.html", {"form": form})
