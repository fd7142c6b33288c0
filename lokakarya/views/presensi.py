"""Attendance: the facilitator's list with one tap per participant, the code and
QR code for self check-in, the printable daftar hadir, and the participant's
check-in page."""

from __future__ import annotations

import io
import logging
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from lokakarya import access, selectors, services
from lokakarya.models import Kehadiran, Lokakarya
from lokakarya.pdf import presensi as pdf_presensi
from lokakarya.services import presensi as services_presensi
from program.jobs import job_request

logger = logging.getLogger(__name__)

# The three states a facilitator taps; "belum dicatat" is where everyone starts.
PILIHAN = [
    (Kehadiran.HADIR, "success"),
    (Kehadiran.TERLAMBAT, "warning"),
    (Kehadiran.TIDAK_HADIR, "danger"),
]


def check_in_url(request, kode: str) -> str:
    """The absolute address a participant's phone opens from the QR code."""
    base = request.build_absolute_uri(reverse("lokakarya:check-in"))
    return f"{base}?{urlencode({'kode': kode})}"


def normalise_kode(value: str) -> str:
    """Codes are read aloud and typed on phones: ignore case, spaces and dashes."""
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()


# --- forms ------------------------------------------------------------------------


class KehadiranForm(forms.Form):
    peserta = forms.IntegerField()
    kehadiran = forms.ChoiceField(choices=[(value, value) for value, _css in PILIHAN])


class CheckInForm(forms.Form):
    kode = forms.CharField(label=gettext_lazy("Kode presensi"), max_length=20)

    def clean_kode(self) -> str:
        kode = normalise_kode(self.cleaned_data["kode"])
        if not kode:
            raise ValidationError(_("Isi kode presensi yang tampil di layar fasilitator."))
        return kode


# --- facilitator ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def presensi(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    url = reverse("lokakarya:presensi", args=[lok.pk])
    if request.method == "POST":
        aksi = request.POST.get("aksi")
        if aksi in ("buka", "tutup"):
            services_presensi.presensi_set_dibuka(
                actor=request.user, lokakarya=lok, dibuka=aksi == "buka"
            )
            if aksi == "buka":
                messages.success(
                    request, _("Presensi mandiri dibuka. Peserta dapat mengisi dengan kode.")
                )
            else:
                messages.info(request, _("Presensi mandiri ditutup."))
            return redirect(url)
        form = KehadiranForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Pilihan kehadiran tidak dikenal."))
            return redirect(url)
        peserta = access.get_visible_or_404(lok.peserta.all(), pk=form.cleaned_data["peserta"])
        services.kehadiran_set(
            actor=request.user, peserta=peserta, kehadiran=form.cleaned_data["kehadiran"]
        )
        return redirect(f"{url}#peserta-{peserta.pk}")

    peserta = list(selectors.peserta_list(lok))
    context = {
        "lok": lok,
        "manages": True,
        "peserta_list": peserta,
        "rekap": services_presensi.rekap_kehadiran(peserta),
        "pilihan": [(value, Kehadiran(value).label, css) for value, css in PILIHAN],
        "check_in_url": check_in_url(request, lok.kode_presensi),
    }
    return render(request, "lokakarya/presensi/presensi.html", context)


@login_required
@require_GET
def qr(request, pk: int):
    """QR code of the check-in address with the code, as SVG made here (segno)."""
    lok = selectors.lokakarya_for_managing(request.user, pk)
    buffer = io.BytesIO()
    segno.make_qr(check_in_url(request, lok.kode_presensi), error="m").save(
        buffer, kind="svg", scale=8, border=2
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the SVG may not run scripts or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def daftar_hadir(request, pk: int):
    """Start (or reuse, if nothing changed) the daftar hadir PDF job."""
    lok = selectors.lokakarya_for_managing(request.user, pk)
    job = job_request(
        kind=pdf_presensi.DAFTAR_HADIR_KIND,
        actor=request.user,
        params={"lokakarya": lok.pk},
        cache_key=pdf_presensi.daftar_hadir_fingerprint(lok),
    )
    return redirect(job)


# --- participant ------------------------------------------------------------------

# A code has 6 characters, so guessing one takes many tries: each account gets
# this many per window (django-ratelimit counts in the shared cache, CACHE_URL,
# so every web process sees the same count).
CHECK_IN_RATE = "10/10m"


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request):
    """A participant checks in with the code on the facilitator's screen.

    The workshop is found by its code alone. Whatever goes wrong, the message
    never names the workshop: a code seen over someone's shoulder must not tell
    an outsider which workshop it belongs to.
    """
    if request.method == "POST":
        form = CheckInForm(request.POST)
        try:
            limited = is_ratelimited(
                request,
                group="lokakarya.check_in",
                key="user",
                rate=CHECK_IN_RATE,
                method="POST",
                increment=True,
            )
        except (RedisError, OSError):
            # With the shared cache down, participants in the room can still check
            # in (the code alone opens nothing else); guessing is throttled again
            # once it is back.
            logger.warning("check-in rate limit skipped: cache unavailable", exc_info=True)
            limited = False
        if limited:
            form.add_error(
                None,
                _(
                    "Terlalu banyak percobaan kode presensi. Tunggu 10 menit, lalu coba lagi "
                    "atau minta fasilitator mencatat kehadiran Anda."
                ),
            )
            response = render(request, "lokakarya/presensi/check_in.html", {"form": form})
            response.status_code = 429
            return response
        if form.is_valid():
            kode = form.cleaned_data["kode"]
            lok = Lokakarya.objects.filter(kode_presensi=kode).first()
            if lok is None:
                form.add_error(
                    "kode", _("Kode presensi tidak dikenal. Periksa kode di layar fasilitator.")
                )
            else:
                try:
                    peserta = services.presensi_mandiri(
                        actor=request.user, lokakarya=lok, kode=kode
                    )
                except ValidationError as error:
                    form.add_error("kode", error)
                else:
                    messages.success(
                        request,
                        _("Terima kasih. Kehadiran Anda di %(nama)s tercatat pukul %(jam)s.")
                        % {
                            "nama": lok.nama,
                            "jam": timezone.localtime(peserta.check_in_at).strftime("%H:%M"),
                        },
                    )
                    return redirect(lok.get_absolute_url())
    else:
        form = CheckInForm(initial={"kode": normalise_kode(request.GET.get("kode", ""))[:20]})
    return render(request, "lokakarya/presensi/check_in.html", {"form": form})
