"""Running a workshop from a phone or laptop: the current stage with its
countdown, start/finish buttons, planned vs actual minutes and reflections.
Facilitators (and operators) only; everyone else gets a 404."""

from __future__ import annotations

import datetime as dt
import math
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lokakarya import selectors, services
from lokakarya.models import Moda, TahapLokakarya

REFLEKSI_MAKS = 5000

# --- reads ------------------------------------------------------------------------


def tahap_sekarang(agenda: list[TahapLokakarya]) -> TahapLokakarya | None:
    """The stage started and not finished, else the first not started yet."""
    for tahap in agenda:
        if tahap.mulai_at and not tahap.selesai_at:
            return tahap
    for tahap in agenda:
        if tahap.mulai_at is None:
            return tahap
    return None


def selisih_menit(agenda: list[TahapLokakarya]) -> int | None:
    """Actual minus planned minutes over the finished stages: negative is ahead
    of the plan, positive behind it; None before any stage has finished."""
    selesai = [t for t in agenda if t.menit_aktual is not None]
    if not selesai:
        return None
    return sum(t.menit_aktual - t.menit_rencana for t in selesai)


def sisa_detik(tahap: TahapLokakarya, now: dt.datetime) -> int | None:
    """Seconds left of a running stage's planned minutes (negative: overrun)."""
    if tahap.mulai_at is None or tahap.selesai_at is not None:
        return None
    batas = tahap.mulai_at + dt.timedelta(minutes=tahap.menit_rencana)
    return math.floor((batas - now).total_seconds())


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"
_is_url = URLValidator(schemes=["http", "https"])


def refleksi_baris(teks: str) -> list[list[dict]]:
    """Reflection text as lines of parts, each `{"text": …}` or `{"url": …}`.

    Only well-formed http(s) addresses become links (a Padlet or Jamboard
    board); anything else, `javascript:` included, stays plain text.
    """
    rows = []
    for line in (teks or "").splitlines():
        if not line.strip():
            continue
        parts, pos = [], 0
        for match in _URL.finditer(line):
            url = match.group(0).rstrip(_TRAILING)
            end = match.start() + len(url)
            try:
                _is_url(url)
            except ValidationError:
                continue
            if match.start() > pos:
                parts.append({"text": line[pos : match.start()]})
            parts.append({"url": url})
            pos = end
        if pos < len(line):
            parts.append({"text": line[pos:]})
        rows.append(parts)
    return rows


# --- forms ------------------------------------------------------------------------


class RefleksiForm(forms.Form):
    refleksi = forms.CharField(
        label=gettext_lazy("Refleksi / tautan papan"),
        required=False,
        max_length=REFLEKSI_MAKS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- views ------------------------------------------------------------------------


def _back(lok_pk: int, tahap: TahapLokakarya | None = None):
    url = reverse("lokakarya:run", args=[lok_pk])
    return redirect(f"{url}#tahap-{tahap.pk}" if tahap is not None else url)


@login_required
@require_GET
def run(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    agenda = selectors.agenda(lok)
    now = timezone.now()
    sekarang = tahap_sekarang(agenda)
    berikutnya = None
    if sekarang is not None:
        later = [t for t in agenda if t.urutan > sekarang.urutan and t.mulai_at is None]
        berikutnya = later[0] if later else None
    sisa = sisa_detik(sekarang, now) if sekarang is not None else None
    selisih = selisih_menit(agenda)
    rows = [
        {
            "tahap": t,
            "status": ("selesai" if t.selesai_at else "berjalan" if t.mulai_at else "belum"),
            "selisih": (t.menit_aktual - t.menit_rencana) if t.menit_aktual is not None else None,
            "refleksi": refleksi_baris(t.refleksi),
        }
        for t in agenda
    ]
    context = {
        "lok": lok,
        "manages": True,
        "rows": rows,
        "sekarang": sekarang,
        "sekarang_row": next((r for r in rows if r["tahap"] is sekarang), None),
        "berikutnya": berikutnya,
        "sisa_detik": sisa,
        "sisa_menit": math.ceil(sisa / 60) if sisa is not None and sisa > 0 else 0,
        "lewat_menit": math.floor(-sisa / 60) if sisa is not None and sisa < 0 else 0,
        "selisih": selisih,
        "selisih_abs": abs(selisih) if selisih is not None else None,
        "jumlah_selesai": sum(1 for t in agenda if t.selesai_at),
        "multi_hari": lok.moda == Moda.DARING or len({t.hari for t in agenda}) > 1,
        "ringkas": selectors.rencana_vs_jp(agenda, lok),
        "refleksi_maks": REFLEKSI_MAKS,
    }
    return render(request, "lokakarya/run/jalankan.html", context)


@login_required
@require_POST
def tahap_start(request, pk: int, tahap_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    tahap = selectors.tahap_of(lok, tahap_pk)
    try:
        services.tahap_start(actor=request.user, tahap=tahap)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(lok.pk)


@login_required
@require_POST
def tahap_finish(request, pk: int, tahap_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    tahap = selectors.tahap_of(lok, tahap_pk)
    try:
        services.tahap_finish(actor=request.user, tahap=tahap)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(lok.pk)


@login_required
@require_POST
def tahap_refleksi(request, pk: int, tahap_pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    tahap = selectors.tahap_of(lok, tahap_pk)
    form = RefleksiForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Refleksi terlalu panjang (maksimal %(n)s karakter). Tidak disimpan.")
            % {"n": REFLEKSI_MAKS},
        )
        return _back(lok.pk, tahap)
    services.tahap_set_refleksi(
        actor=request.user, tahap=tahap, refleksi=form.cleaned_data["refleksi"]
    )
    messages.success(request, _("Refleksi tahap %(nama)s disimpan.") % {"nama": tahap.nama})
    return _back(lok.pk, tahap)
